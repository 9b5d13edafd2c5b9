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
            expect: "303|404 303|404 303|404 403 403 403 403 403 403", anonymous: 403),
        // The resident's home in JSON (the page is `/`, every role's home).
        Probe(
            method: .GET, route: "/api/v1/me/home", web: false,
            request: { _, _, _, _ in ("/api/v1/me/home", nil) },
            expect: "403 403 403 403 403 403 403 403 200", anonymous: 401),
        // 代办: a person not of the resident's household is refused by its field; no such link is 404.
        Probe(
            method: .GET, route: "/api/v1/me/proxies", web: false, request: { _, _, _, _ in ("/api/v1/me/proxies", nil) },
            expect: "403 403 403 403 403 403 403 403 200", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/me/proxies", web: false,
            request: { _, _, _, _ in ("/api/v1/me/proxies", ["person_id": UUID().uuidString, "consent": true]) },
            expect: "403 403 403 403 403 403 403 403 422", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/me/proxies/:id/end", web: false,
            request: { _, _, _, _ in ("/api/v1/me/proxies/\(UUID().uuidString)/end", [:]) },
            expect: "403 403 403 403 403 403 403 403 404", anonymous: 401),
        Probe(
            method: .POST, route: "/account/proxies", web: true,
            request: { _, _, _, _ in ("/account/proxies", ["person_id": UUID().uuidString, "consent": "true"]) },
            expect: "403 403 403 403 403 403 403 403 422", anonymous: 403),
        Probe(
            method: .POST, route: "/account/proxies/:id/end", web: true,
            request: { _, _, _, _ in ("/account/proxies/\(UUID().uuidString)/end", [:]) },
            expect: "403 403 403 403 403 403 403 403 404", anonymous: 403),
        // A resident's code for their household (the demo resident is linked to one).
        Probe(
            method: .POST, route: "/api/v1/me/household/invitations", web: false,
            request: { _, _, _, _ in ("/api/v1/me/household/invitations", [:]) },
            expect: "403 403 403 403 403 403 403 403 201", anonymous: 401),
        Probe(
            method: .POST, route: "/account/household/invite", web: true,
            // The API's two calls and this one make three unused codes: the fourth is refused.
            request: { _, _, _, _ in ("/account/household/invite", [:]) },
            expect: "403 403 403 403 403 403 403 403 200|409", anonymous: 403),
        // At the desk: a household in scope, a name and number that match no one there (422), or
        // a household outside (422 as for none: the form names the household field either way).
        Probe(
            method: .POST, route: "/api/v1/residents/desk-signups", web: false,
            request: { r, w, n, f in
                (
                    "/api/v1/residents/desk-signups",
                    [
                        "household_id": f.households[home(r, w)]?.uuidString ?? "", "name": "矩阵", "id_number": f.idNumbers[home(r, w)] ?? "",
                        "phone": "13800138000", "username": "desk\(n)"
                    ]
                )
            },
            expect: "422 422 422 403 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/residents/desk", web: true,
            request: { r, w, n, f in
                (
                    "/residents/desk",
                    [
                        "household_id": f.households[home(r, w)]?.uuidString ?? "", "name": "矩阵", "id_number": f.idNumbers[home(r, w)] ?? "",
                        "phone": "13800138000", "username": "wdesk\(n)", "node": w == .inside ? r.buildingGroupIn : r.buildingGroupOut
                    ]
                )
            },
            expect: "422|404 422|404 422|404 403 403 403 403 403 403", anonymous: 403),
        // A forgotten password: the home's resident, inside the scope or not.
        Probe(
            method: .POST, route: "/api/v1/residents/accounts/:username/reset-password", web: false,
            request: { r, w, _, _ in ("/api/v1/residents/accounts/\(homeResidents[home(r, w)]!)/reset-password", [:]) },
            expect: "200|404 200|404 200|404 403 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/residents/accounts/:username/reset-password", web: true,
            request: { r, w, _, _ in ("/residents/accounts/\(homeResidents[home(r, w)]!)/reset-password", [:]) },
            expect: "200|404 200|404 200|404 403 403 403 403 403 403", anonymous: 403)
    ]
}
