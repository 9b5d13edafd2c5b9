import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// Open311's rows of the access matrix. The wire under `/open311/v2/` ignores sessions: reads
/// are public (and disclose nothing personal); a POST is judged by its form and API key alone.
/// The clients API is the administrator's, inside their scope: a client of the demo subdistrict
/// (`open311.in`) and one of the far city's (`open311.out`).
extension AccessMatrixTests {
    static func addOpen311Fixtures(_ app: Application, _ fixtures: inout Fixtures) async throws {
        for (key, code) in [("open311.in", "310106019"), ("open311.out", "320100001")] {
            let jurisdiction = try #require(try await Open311Queries.jurisdiction(code: code, on: app.db))
            let issued = try await Open311Service.issueKey(
                name: "矩阵客户端 \(key)", jurisdiction: jurisdiction.id, by: "test", actorID: nil,
                now: TestClock.pinnedNow(), on: app.db)
            fixtures.extra[key] = issued.client.id
        }
        // The reported case fixture at R01 (in the demo subdistrict), under a number and token known here.
        let id = try #require(fixtures.extra[caseKey("reported", "R01")])
        try await app.db.sql.raw(
            """
            UPDATE cases SET number = \(bind: open311Number), intake_token = \(bind: open311Token) WHERE id = \(bind: id)
            """
        ).run()
    }

    static let open311Number = CaseNumber.format(year: 2026, sequence: 990_001)
    static let open311Token = "open311-matrix-token"

    static let open311Probes: [Probe] = [
        Probe(
            method: .GET, route: "/open311/v2/:file", web: false,
            request: { _, w, _, _ in (w == .inside ? "/open311/v2/services.json?jurisdiction_id=310106019" : "/open311/v2/discovery.xml", nil) },
            expect: "200 200 200 200 200 200 200 200 200", anonymous: 200),
        Probe(
            method: .POST, route: "/open311/v2/:file", web: false,
            request: { _, _, _, _ in ("/open311/v2/requests.json", ["service_code": "E0101", "address_string": "矩阵路", "jurisdiction_id": "310106019"])
            },
            // A JSON body is not the specification's form: 400 for everybody, signed in or not.
            expect: "400 400 400 400 400 400 400 400 400", anonymous: 400),
        Probe(
            method: .GET, route: "/open311/v2/services/:file", web: false,
            request: { _, w, _, _ in ("/open311/v2/services/\(w == .inside ? "C0102" : "E0601").xml?jurisdiction_id=310106019", nil) },
            expect: "200|404 200|404 200|404 200|404 200|404 200|404 200|404 200|404 200|404", anonymous: 200),
        Probe(
            method: .GET, route: "/open311/v2/requests/:file", web: false,
            request: { _, w, _, _ in ("/open311/v2/requests/\(w == .inside ? open311Number : "2026-000000").json?jurisdiction_id=310106019", nil) },
            expect: "200|404 200|404 200|404 200|404 200|404 200|404 200|404 200|404 200|404", anonymous: 200),
        Probe(
            method: .GET, route: "/open311/v2/tokens/:file", web: false,
            request: { _, w, _, _ in ("/open311/v2/tokens/\(w == .inside ? open311Token : "no-such-token").xml?jurisdiction_id=310106019", nil) },
            expect: "200|404 200|404 200|404 200|404 200|404 200|404 200|404 200|404 200|404", anonymous: 200),
        Probe(
            method: .GET, route: "/api/v1/open311/clients", web: false, request: { _, _, _, _ in ("/api/v1/open311/clients", nil) },
            expect: "200 403 403 403 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/open311/clients", web: false,
            request: { _, w, n, _ in ("/api/v1/open311/clients", ["name": "矩阵 \(n)", "jurisdiction_id": w == .inside ? "310106019" : "320100001"]) },
            expect: "201|422 403 403 403 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/open311/clients/:id/revoke", web: false,
            request: { _, w, _, f in ("/api/v1/open311/clients/\(f.extra[w == .inside ? "open311.in" : "open311.out"]!.uuidString)/revoke", [:]) },
            expect: "204|404 403 403 403 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/admin/open311-clients", web: true, request: { _, _, _, _ in ("/admin/open311-clients", nil) },
            expect: "200 403 403 403 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/admin/open311-clients", web: true,
            request: { _, w, n, _ in ("/admin/open311-clients", ["name": "矩阵页 \(n)", "jurisdiction_id": w == .inside ? "310106019" : "320100001"]) },
            expect: "201|422 403 403 403 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/admin/open311-clients/:id/revoke", web: true,
            request: { _, w, _, f in ("/admin/open311-clients/\(f.extra[w == .inside ? "open311.in" : "open311.out"]!.uuidString)/revoke", [:]) },
            // The API's row above revoked the inside key already: revoked once (409).
            expect: "409|404 403 403 403 403 403 403 403 403", anonymous: 403)
    ]
}
