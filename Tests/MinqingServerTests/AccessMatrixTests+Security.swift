import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// The security work's rows of the access matrix: identity holds (reviewed by the roles that may
/// reveal numbers, for existing records in their scope), correction requests (grid staff of the
/// household), aid programmes (managers mark them), the sensitive-list and plain-export POSTs,
/// the second factor, a person's own data, and the log export.
extension AccessMatrixTests {
    static func addSecurityFixtures(_ app: Application, _ fixtures: inout Fixtures) async throws {
        let sql = app.db.sql
        struct P: Decodable { var id_index: String; var grid_node_id: UUID; var household_id: UUID }
        for key in homes.keys {
            guard let person = fixtures.persons[key],
                let row = try await sql.raw("SELECT id_index, grid_node_id, household_id FROM persons WHERE id = \(bind: person)").first(
                    decoding: P.self)
            else { continue }
            // Two new records entered with the fixture person's number: each waits on a hold
            // that the staff over the fixture person review.
            for name in ["hold", "whold"] {
                let hold = UUID(), record = UUID()
                try await sql.raw(
                    """
                    INSERT INTO persons (id, subdistrict_id, grid_node_id, household_id, name, sex, birth_date, id_cipher, id_index, id_masked,
                                         relation, residence_status, created_at, updated_at)
                    SELECT \(bind: record), subdistrict_id, grid_node_id, household_id, '矩阵复核', sex, birth_date, id_cipher,
                           \(bind: IdentityHolds.placeholder(hold)), id_masked, 'other', 'resident', created_at, updated_at
                    FROM persons WHERE id = \(bind: person)
                    """
                ).run()
                try await sql.raw(
                    """
                    INSERT INTO identity_holds (id, kind, record_id, id_index, grid_node_id, submitted_by, submitted_at, status)
                    VALUES (\(bind: hold), 'person', \(bind: record), \(bind: row.id_index), \(bind: row.grid_node_id), 'matrix', \(bind: TestClock.pinnedNow()), 'open')
                    """
                ).run()
                fixtures.extra["\(name).\(key)"] = hold
            }
            for name in ["corr", "wcorr"] {
                let id = UUID()
                try await sql.raw(
                    """
                    INSERT INTO correction_requests (id, grid_node_id, household_id, person_id, account_id, field, requested, note, status, created_at)
                    SELECT \(bind: id), \(bind: row.grid_node_id), \(bind: row.household_id), \(bind: person), a.id, 'name', '矩阵更正', '', 'open', \(bind: TestClock.pinnedNow())
                    FROM accounts a WHERE a.username = \(bind: homeResidents[key]!)
                    """
                ).run()
                fixtures.extra["\(name).\(key)"] = id
            }
        }
        struct A: Decodable { var id: UUID }
        fixtures.extra["programme"] = try await sql.raw("SELECT id FROM aid_programmes ORDER BY name LIMIT 1").first(decoding: A.self)?.id
    }

    static var purposeBody: [String: Any] { ["purpose": "verification", "purpose_detail": "矩阵核对用途"] }
    static var purposeForm: [String: Any] { purposeBody }

    static let securityProbes: [Probe] = [
        // Identity holds.
        Probe(
            method: .GET, route: "/api/v1/registry/identity-holds", web: false,
            request: { _, _, _, _ in ("/api/v1/registry/identity-holds", nil) },
            expect: "200 200 200 403 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/registry/identity-holds/:id/resolve", web: false,
            request: { r, w, _, f in ("/api/v1/registry/identity-holds/\(vid(f, "hold.\(home(r, w))"))/resolve", ["decision": "different_person"]) },
            expect: "200|404 200|404 200|404 403 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/registry/identity-holds", web: true,
            request: { _, _, _, _ in ("/registry/identity-holds", nil) },
            expect: "200 200 200 403 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/registry/identity-holds/:id", web: true,
            request: { r, w, _, f in ("/registry/identity-holds/\(vid(f, "whold.\(home(r, w))"))", ["decision": "same_person"]) },
            expect: "303|404 303|404 303|404 403 403 403 403 403 403", anonymous: 403),
        // Correction requests: grid staff of the household answer them; residents send them.
        Probe(
            method: .GET, route: "/api/v1/registry/corrections", web: false,
            request: { _, _, _, _ in ("/api/v1/registry/corrections", nil) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/registry/corrections/:id", web: false,
            request: { r, w, _, f in ("/api/v1/registry/corrections/\(vid(f, "corr.\(home(r, w))"))", ["status": "done", "reply": "已更正"]) },
            expect: "204|404 204|404 204|404 204|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/registry/corrections", web: true,
            request: { _, _, _, _ in ("/registry/corrections", nil) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/registry/corrections/:id", web: true,
            request: { r, w, _, f in ("/registry/corrections/\(vid(f, "wcorr.\(home(r, w))"))", ["status": "refused", "reply": "经核实无误"]) },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/api/v1/me/corrections", web: false,
            request: { _, _, _, _ in ("/api/v1/me/corrections", ["field": "name", "requested": "矩阵更正"]) },
            expect: "403 403 403 403 403 403 403 403 201", anonymous: 401),
        Probe(
            method: .POST, route: "/account/data/corrections", web: true,
            request: { _, _, _, _ in ("/account/data/corrections", ["field": "address", "requested": "矩阵路 2 号"]) },
            expect: "403 403 403 403 403 403 403 403 303", anonymous: 403),
        // 适老化: every role may switch its own pages to large type.
        Probe(
            method: .POST, route: "/api/v1/me/display", web: false,
            request: { _, _, _, _ in ("/api/v1/me/display", ["large_text": false]) },
            expect: "200 200 200 200 200 200 200 200 200", anonymous: 401),
        Probe(
            method: .POST, route: "/account/display", web: true,
            request: { _, _, _, _ in ("/account/display", ["large_text": "off", "back": "/"]) },
            expect: "303 303 303 303 303 303 303 303 303", anonymous: 403),
        // A person's own data.
        Probe(
            method: .GET, route: "/api/v1/me/data", web: false,
            request: { _, _, _, _ in ("/api/v1/me/data", nil) },
            expect: "200 200 200 200 200 200 200 200 200", anonymous: 401),
        Probe(
            method: .GET, route: "/account/data", web: true,
            request: { _, _, _, _ in ("/account/data", nil) },
            expect: "200 200 200 200 200 200 200 200 200", anonymous: 303),
        Probe(
            method: .POST, route: "/account/data/download", web: true,
            request: { _, _, _, _ in ("/account/data/download", [:]) },
            expect: "200 200 200 200 200 200 200 200 200", anonymous: 403),
        // Aid programmes: readers list them, managers mark them.
        Probe(
            method: .GET, route: "/api/v1/registry/aid-programmes", web: false,
            request: { _, _, _, _ in ("/api/v1/registry/aid-programmes", nil) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .PUT, route: "/api/v1/registry/aid-programmes/:id", web: false,
            request: { _, _, _, f in ("/api/v1/registry/aid-programmes/\(vid(f, "programme"))", ["sensitive": true]) },
            expect: "200 200 403 403 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/registry/aid-programmes/:id", web: true,
            request: { _, _, _, f in ("/registry/aid-programmes/\(vid(f, "programme"))", ["sensitive": "true"]) },
            expect: "303 303 403 403 403 403 403 403 403", anonymous: 403),
        // Lists read with a stated purpose (the fixture groups carry no sensitive tag: any reader may).
        Probe(
            method: .POST, route: "/api/v1/registry/smart-groups/:id/members", web: false,
            request: { r, w, _, f in ("/api/v1/registry/smart-groups/\(f.groups[home(r, w)]!)/members", purposeBody) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/registry/smart-groups/:id/export", web: false,
            request: { r, w, _, f in ("/api/v1/registry/smart-groups/\(f.groups[home(r, w)]!)/export", purposeBody) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/registry/smart-groups/list", web: true,
            request: { r, w, _, _ in
                ("/registry/smart-groups/list", purposeForm.merging(["node": w == .inside ? r.buildingGroupIn : r.buildingGroupOut]) { a, _ in a })
            },
            expect: "200|422 200|422 200|422 200|422 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/registry/smart-groups/:id", web: true,
            request: { r, w, _, f in ("/registry/smart-groups/\(f.groups[home(r, w)]!)", purposeForm) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/registry/smart-groups/:id/export", web: true,
            request: { r, w, _, f in ("/registry/smart-groups/\(f.groups[home(r, w)]!)/export", purposeForm) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 403),
        // Plain numbers of a registration form: a POST with a purpose, for roles that may reveal.
        Probe(
            method: .POST, route: "/api/v1/services/campaigns/:id/entries.csv", web: false,
            request: { r, w, _, f in ("/api/v1/services/campaigns/\(vid(f, "service.form.\(home(r, w))"))/entries.csv", purposeBody) },
            expect: "200|404 200|404 200|404 403 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/services/campaigns/:id/entries-export", web: true,
            request: { r, w, _, f in ("/services/campaigns/\(vid(f, "service.wform.\(home(r, w))"))/entries-export", purposeForm) },
            expect: "200|404 200|404 200|404 403 403 403 403 403 403", anonymous: 403),
        // The second factor: every account may enrol; managers reset others' in scope.
        Probe(
            method: .GET, route: "/api/v1/me/second-factor", web: false,
            request: { _, _, _, _ in ("/api/v1/me/second-factor", nil) },
            expect: "200 200 200 200 200 200 200 200 200", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/me/second-factor", web: false,
            request: { _, _, _, _ in ("/api/v1/me/second-factor", nil) },
            expect: "201 201 201 201 201 201 201 201 201", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/me/second-factor/confirm", web: false,
            request: { _, _, _, _ in ("/api/v1/me/second-factor/confirm", ["code": "000000"]) },
            expect: "422 422 422 422 422 422 422 422 422", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/me/second-factor/recovery-codes", web: false,
            request: { _, _, _, _ in ("/api/v1/me/second-factor/recovery-codes", ["code": "000000"]) },
            expect: "422 422 422 422 422 422 422 422 422", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/me/second-factor/disable", web: false,
            request: { _, _, _, _ in ("/api/v1/me/second-factor/disable", ["code": "000000"]) },
            expect: "422 422 422 422 422 422 422 422 422", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/accounts/:username/second-factor/reset", web: false,
            request: { r, w, _, _ in ("/api/v1/accounts/\(w == .inside ? r.userIn : r.userOut)/second-factor/reset", nil) },
            expect: "204|404 204|404 403 403 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/account/second-factor", web: true,
            request: { _, _, _, _ in ("/account/second-factor", nil) },
            expect: "200 200 200 200 200 200 200 200 200", anonymous: 303),
        Probe(
            method: .POST, route: "/account/second-factor/start", web: true,
            request: { _, _, _, _ in ("/account/second-factor/start", [:]) },
            expect: "303 303 303 303 303 303 303 303 303", anonymous: 403),
        Probe(
            method: .POST, route: "/account/second-factor/confirm", web: true,
            request: { _, _, _, _ in ("/account/second-factor/confirm", ["code": "000000"]) },
            expect: "422 422 422 422 422 422 422 422 422", anonymous: 403),
        Probe(
            method: .POST, route: "/account/second-factor/recovery-codes", web: true,
            request: { _, _, _, _ in ("/account/second-factor/recovery-codes", ["code": "000000"]) },
            expect: "422 422 422 422 422 422 422 422 422", anonymous: 403),
        Probe(
            method: .POST, route: "/account/second-factor/disable", web: true,
            request: { _, _, _, _ in ("/account/second-factor/disable", ["code": "000000"]) },
            expect: "422 422 422 422 422 422 422 422 422", anonymous: 403),
        Probe(
            method: .POST, route: "/admin/accounts/:username/second-factor/reset", web: true,
            request: { r, w, _, _ in ("/admin/accounts/\(w == .inside ? r.userIn : r.userOut)/second-factor/reset", [:]) },
            expect: "303|404 303|404 403 403 403 403 403 403 403", anonymous: 403),
        // Logs: administrators at a root node export them.
        Probe(
            method: .POST, route: "/api/v1/audit/export", web: false,
            request: { _, _, _, _ in ("/api/v1/audit/export", ["from": "2026-01-01", "to": "2026-12-31", "log": "access"]) },
            expect: "200 403 403 403 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/admin/audit/export", web: true,
            request: { _, _, _, _ in ("/admin/audit/export", ["from": "2026-01-01", "to": "2026-12-31", "log": "audit"]) },
            expect: "200 403 403 403 403 403 403 403 403", anonymous: 403)
    ]
}
