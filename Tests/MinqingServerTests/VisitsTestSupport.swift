import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// A small world for the visit log's tests: the demo grid and accounts, the full tag catalogue,
/// and households registered through the API by the `cadre` of 临汾居民区 (310106019-1-01).
struct VisitWorld {
    let app: Application
    let cadre: TestClient
    var sql: any SQLDatabase { app.db.sql }

    static let group = "310106019-1-01-1-01"
    static let otherMicroGrid = "310106019-1-01-2-01"

    /// Rows where `visit_day_tallies` and a recount of `visit_credits` disagree (both directions).
    /// Only the credits of visits that met the household count; a nobody-home attempt is none.
    static func tallyMismatches(_ sql: any SQLDatabase) async throws -> Int {
        struct N: Decodable { var n: Int }
        let recount: SQLQueryString = """
            SELECT c.account_id, c.local_date, COUNT(DISTINCT c.household_id) AS households
            FROM visit_credits c JOIN visits v ON v.id = c.visit_id WHERE v.outcome = 'met' GROUP BY c.account_id, c.local_date
            """
        let kept: SQLQueryString = "SELECT account_id, local_date, households FROM visit_day_tallies"
        let a = try await sql.raw("SELECT COUNT(*) AS n FROM (\(recount) EXCEPT \(kept)) x").first(decoding: N.self)!.n
        let b = try await sql.raw("SELECT COUNT(*) AS n FROM (\(kept) EXCEPT \(recount)) x").first(decoding: N.self)!.n
        return a + b
    }

    static func make(_ app: Application) async throws -> VisitWorld {
        var tags = BulkInserter(table: "tags", columns: ["id", "code", "name_zh", "name_en", "kind", "parent_id", "sensitive", "sort_order"])
        var ids: [String: UUID] = [:]
        for (index, tag) in TagCatalogue.tags.enumerated() {
            let id = UUID()
            ids[tag.code] = id
            tags.append([
                SQLBind(id), SQLBind(tag.code), SQLBind(tag.nameZH), SQLBind(tag.nameEN), SQLBind(tag.kind.rawValue),
                bindOrNull(tag.parentCode.flatMap { ids[$0] }), SQLBind(tag.sensitive), SQLBind(index)
            ])
        }
        try await tags.flush(on: app.db)
        let cadre = TestClient(app)
        try await cadre.signInAPI("cadre")
        return VisitWorld(app: app, cadre: cadre)
    }

    /// A valid ID number born on `birth` (YYYYMMDD), different for each `n`.
    static func idNumber(born birth: String, _ n: Int) -> String {
        let body = "310106" + birth + String(format: "%03d", n % 1000)
        return body + String(ResidentIDNumber.checkCharacter(for: body)!)
    }

    /// Registers a household of one person (the head) at `node`; returns (household, person).
    func household(_ n: Int, node: String = VisitWorld.group, born: String = "19450101") async throws -> (id: UUID, person: UUID) {
        let response = try await cadre.jsonObject(
            .POST, "/api/v1/registry/households",
            [
                "node": node, "address": "临汾路 \(n) 号 \(100 + n) 室",
                "members": [["name": "住户\(n)", "id_number": Self.idNumber(born: born, n), "relation": "head", "residence_status": "registered"]]
            ])
        guard response.status == .created else { throw TestFailure("household \(n): \(response.status) \(response.body.string)") }
        struct Created: Decodable { var id: UUID }
        let id = try response.decode(Created.self).id
        struct Detail: Decodable { struct P: Decodable { var id: UUID }; var members: [P] }
        let detail = try await cadre.get("/api/v1/registry/households/\(id)").decode(Detail.self)
        return (id, detail.members[0].id)
    }

    /// Gives `code` to the person from `starts` (no visit, straight into the register).
    func tag(_ person: UUID, _ code: String, starts: CivilDate) async throws {
        try await sql.raw(
            """
            INSERT INTO tag_assignments (id, person_id, tag_id, grid_node_id, starts_on, source)
            SELECT \(bind: UUID()), p.id, t.id, p.grid_node_id, \(bind: starts.iso8601), 'manual'
            FROM persons p, tags t WHERE p.id = \(bind: person) AND t.code = \(bind: code)
            """
        ).run()
    }

    func count(_ table: String) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first(decoding: N.self)!.n
    }

    /// Records a visit through the API as `client` (the cadre by default).
    @discardableResult
    func visit(_ households: [UUID], at: Date? = nil, as client: TestClient? = nil, extra: [String: Any] = [:]) async throws -> TestingHTTPResponse {
        var body: [String: Any] = ["households": households.map(\.uuidString), "method": "home", "summary": "测试走访"]
        if let at { body["visited_at"] = ISO8601DateFormatter().string(from: at) }
        for (key, value) in extra { body[key] = value }
        return try await (client ?? cadre).jsonObject(.POST, "/api/v1/visits", body)
    }
}

extension TestingHTTPResponse {
    /// The `id` of a 201 answer, or a failure naming the answer.
    func createdID() throws -> UUID {
        guard status == .created else { throw TestFailure("expected 201, got \(status): \(body.string)") }
        struct Created: Decodable { var id: UUID }
        return try decode(Created.self).id
    }
}
