import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// Invitation letters (issue 22): the 居委, the subdistrict and the administrator issue, list and
/// revoke them inside their scope; everyone else is refused; outside the scope a letter or a node
/// is as absent as one that does not exist. Sign-up itself is public (`publicRoutes`).
extension AccessMatrixTests {
    static func addResidentFixtures(_ app: Application, _ fixtures: inout Fixtures) async throws {
        let sql = app.db.sql
        struct H: Decodable { var grid_node_id: UUID; var household_id: UUID }
        for key in homes.keys {
            guard let person = fixtures.persons[key],
                let home = try await sql.raw("SELECT grid_node_id, household_id FROM persons WHERE id = \(bind: person)").first(decoding: H.self)
            else { continue }
            for name in ["letter", "wletter"] {
                let id = UUID()
                try await sql.raw(
                    """
                    INSERT INTO resident_invitations (id, grid_node_id, household_id, code_hash, kind, issued_by, created_at, expires_at, failures)
                    VALUES (\(bind: id), \(bind: home.grid_node_id), \(bind: home.household_id), \(bind: "matrix-\(id.uuidString)"), 'letter',
                            'matrix', \(bind: TestClock.pinnedNow()), \(bind: TestClock.pinnedNow().addingTimeInterval(30 * 86_400)), 0)
                    """
                ).run()
                fixtures.extra["\(name).\(key)"] = id
            }
        }
    }

    static let residentProbes: [Probe] = [
        Probe(
            method: .GET, route: "/api/v1/residents/invitations", web: false,
            request: { r, w, _, _ in ("/api/v1/residents/invitations?node=\(w == .inside ? r.buildingGroupIn : r.buildingGroupOut)", nil) },
            expect: "200|404 200|404 200|404 403 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/residents/invitations", web: true,
            request: { r, w, _, _ in ("/residents/invitations?node=\(w == .inside ? r.buildingGroupIn : r.buildingGroupOut)", nil) },
            expect: "200|404 200|404 200|404 403 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/api/v1/residents/invitations", web: false,
            request: { r, w, _, _ in
                ("/api/v1/residents/invitations", ["node": w == .inside ? r.buildingGroupIn : r.buildingGroupOut, "valid_days": 7])
            },
            expect: "201|404 201|404 201|404 403 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/residents/invitations", web: true,
            request: { r, w, _, _ in ("/residents/invitations", ["node": w == .inside ? r.buildingGroupIn : r.buildingGroupOut, "valid_days": "7"]) },
            expect: "200|404 200|404 200|404 403 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/api/v1/residents/invitations/:id/revoke", web: false,
            request: { r, w, _, f in ("/api/v1/residents/invitations/\(vid(f, "letter.\(home(r, w))"))/revoke", ["reason": "矩阵作废"]) },
            expect: "204|404 204|404 204|404 403 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/residents/invitations/:id/revoke", web: true,
            request: { r, w, _, f in ("/residents/invitations/\(vid(f, "wletter.\(home(r, w))"))/revoke", ["reason": "矩阵作废"]) },
            expect: "303|404 303|404 303|404 403 403 403 403 403 403", anonymous: 403)
    ]
}
