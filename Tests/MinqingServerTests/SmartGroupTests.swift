import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

@Suite("Register: smart groups")
struct SmartGroupTests {
    /// People with known tags, in two micro-grids of 临汾居民区; today is 2026-11-26.
    static let today = "2026-11-26"
    static let people: [(name: String, birth: String, sex: String, node: String, tags: [String])] = [
        ("甲", "1940-11-26", "male", "310106019-1-01-1-01", ["alone", "lowinc"]), // 86 today
        ("乙", "1940-11-27", "female", "310106019-1-01-1-01", ["alone"]), // 85, 86 tomorrow
        ("丙", "1960-01-01", "female", "310106019-1-01-1-02", ["lowinc", "disabled"]),
        ("丁", "1990-05-05", "male", "310106019-1-01-2-01", ["disabled"]),
        ("戊", "2015-06-01", "female", "310106019-1-01-2-01", []),
        ("己", "1950-03-03", "male", "310106019-1-01-2-02", ["alone", "religion"])
    ]

    static func clock() -> Date {
        // 2026-11-26 10:00 in Shanghai.
        Date(timeIntervalSince1970: 1_795_658_400)
    }

    func setUp(_ app: Application) async throws -> TestClient {
        let cadre = TestClient(app)
        try await cadre.signInAPI("cadre")
        let sql = app.db.sql
        let tags: [(String, String, Bool)] = [
            ("alone", "独居老人", false), ("lowinc", "低保", false), ("disabled", "残疾人", false), ("religion", "宗教信仰", true)
        ]
        for (index, tag) in tags.enumerated() {
            try await sql.raw(
                """
                INSERT INTO tags (id, code, name_zh, name_en, kind, sensitive, sort_order)
                VALUES (\(bind: UUID()), \(bind: tag.0), \(bind: tag.1), \(bind: tag.0), 'identity', \(bind: tag.2), \(bind: index))
                """
            ).run()
        }
        for (index, person) in Self.people.enumerated() {
            let body =
                "310106" + person.birth.replacingOccurrences(of: "-", with: "") + String(format: "%02d", index) + (person.sex == "male" ? "1" : "2")
            let id = body + String(ResidentIDNumber.checkCharacter(for: body)!)
            let response = try await cadre.jsonObject(
                .POST, "/api/v1/registry/households",
                [
                    "node": person.node, "address": "测试 \(index)",
                    "members": [["name": person.name, "id_number": id, "relation": "head", "residence_status": "registered"]]
                ])
            guard response.status == .created else { throw TestFailure(response.body.string) }
            for tag in person.tags {
                try await sql.raw(
                    """
                    INSERT INTO tag_assignments (id, person_id, tag_id, grid_node_id, starts_on, source)
                    SELECT \(bind: UUID()), p.id, t.id, p.grid_node_id, '2020-01-01', 'manual'
                    FROM persons p, tags t WHERE p.name = \(bind: person.name) AND t.code = \(bind: tag)
                    """
                ).run()
            }
        }
        // An ended assignment does not count: 丁 was on 低保 until 2025.
        try await sql.raw(
            """
            INSERT INTO tag_assignments (id, person_id, tag_id, grid_node_id, starts_on, ends_on, source)
            SELECT \(bind: UUID()), p.id, t.id, p.grid_node_id, '2019-01-01', '2025-01-01', 'manual'
            FROM persons p, tags t WHERE p.name = '丁' AND t.code = 'lowinc'
            """
        ).run()
        return cadre
    }

    func names(_ client: TestClient, _ criteria: [String: Any]) async throws -> [String] {
        // With a stated purpose: a selection by a sensitive tag is read only with one.
        let response = try await client.jsonObject(
            .POST, "/api/v1/registry/smart-groups/preview",
            ["criteria": criteria, "purpose": "verification", "purpose_detail": "核对分组结果"])
        guard response.status == .ok else { throw TestFailure("\(response.status): \(response.body.string)") }
        return try response.decode(SmartGroupQueries.Page.self).items.map(\.name).sorted()
    }

    /// Who each expression selects, worked out by hand from the fixture above rather than through
    /// the production parser and matcher. Current tags: 甲 alone, lowinc; 乙 alone; 丙 lowinc,
    /// disabled; 丁 disabled (its lowinc ended in 2025); 戊 none; 己 alone, religion.
    static let selected: [String: [String]] = [
        "alone": ["甲", "乙", "己"],
        "alone AND lowinc": ["甲"],
        "alone OR disabled": ["甲", "乙", "丙", "丁", "己"],
        "NOT alone": ["丙", "丁", "戊"],
        // alone or disabled: 甲 乙 丙 丁 己; less lowinc (甲 丙; 丁's has ended).
        "(alone OR disabled) AND NOT lowinc": ["乙", "丁", "己"],
        "lowinc": ["甲", "丙"],
        "religion AND alone": ["己"],
        // not alone: 丙 丁 戊; and not disabled: 戊.
        "非 alone 且 非 disabled": ["戊"]
    ]

    @Test(
        "expressions select exactly the people worked out by hand",
        arguments: [
            "alone", "alone AND lowinc", "alone OR disabled", "NOT alone", "(alone OR disabled) AND NOT lowinc",
            "lowinc", "religion AND alone", "非 alone 且 非 disabled"
        ])
    func expressions(expression: String) async throws {
        let expected = try #require(Self.selected[expression], "no hand-worked answer for \(expression)")
        #expect(!expected.isEmpty)
        try await withApp(demo: true, now: Self.clock) { app in
            let cadre = try await setUp(app)
            #expect(try await names(cadre, ["expression": expression]) == expected.sorted())
        }
    }

    @Test("age bounds are inclusive and turn on the birthday; grid and sex filters narrow")
    func filters() async throws {
        try await withApp(demo: true, now: Self.clock) { app in
            let cadre = try await setUp(app)
            #expect(try await names(cadre, ["expression": "alone", "min_age": 86]) == ["甲"])
            // alone: 甲 (86 today), 乙 (85, 86 tomorrow), 己 (76); at most 85: 乙 and 己.
            #expect(try await names(cadre, ["expression": "alone", "max_age": 85]) == ["乙", "己"].sorted())
            #expect(try await names(cadre, ["min_age": 0, "max_age": 17]) == ["戊"])
            // alone under micro-grid 310106019-1-01-1: 甲 and 乙 (己 lives in 310106019-1-01-2-02).
            #expect(try await names(cadre, ["expression": "alone", "node": "310106019-1-01-1"]) == ["甲", "乙"].sorted())
            #expect(try await names(cadre, ["sex": "female", "max_age": 100]) == ["丙", "乙", "戊"].sorted())
        }
    }

    @Test("unknown and unseen tags, bad ages and bad syntax are refused naming the field")
    func errors() async throws {
        try await withApp(demo: true, now: Self.clock) { app in
            let cadre = try await setUp(app)
            let grid = TestClient(app)
            try await grid.signInAPI("gridworker")
            for (client, criteria, field) in [
                (cadre, ["expression": "alone AND nosuch"] as [String: Any], "expression"),
                (grid, ["expression": "religion"], "expression"),
                (cadre, ["expression": "alone AND (lowinc"], "expression"),
                (cadre, ["min_age": 90, "max_age": 80], "max_age"),
                (cadre, ["sex": "x"], "sex"),
                (cadre, ["node": "310106019-1-02"], "node")
            ] {
                let response = try await client.jsonObject(.POST, "/api/v1/registry/smart-groups/preview", ["criteria": criteria])
                #expect(response.status == .unprocessableEntity)
                #expect(try response.decode(ErrorEnvelope.self).error.fields.map(\.field).contains(field), "\(criteria)")
            }
        }
    }

    @Test("a saved group is always current, paged, and exports masked CSV with an audit entry")
    func savedGroup() async throws {
        try await withApp(demo: true, now: Self.clock) { app in
            let cadre = try await setUp(app)
            let saved = try await cadre.jsonObject(
                .POST, "/api/v1/registry/smart-groups", ["name": "独居或残疾", "criteria": ["expression": "alone OR disabled"]])
            #expect(saved.status == .created)
            struct Group: Decodable { var id: UUID }
            let id = try saved.decode(Group.self).id
            let first = try await cadre.get("/api/v1/registry/smart-groups/\(id)/members?limit=2").decode(SmartGroupQueries.Page.self)
            #expect(first.total == 5)
            #expect(first.items.count == 2)
            // A new tag shows at once: 戊 becomes disabled.
            try await app.db.sql.raw(
                """
                INSERT INTO tag_assignments (id, person_id, tag_id, grid_node_id, starts_on, source)
                SELECT \(bind: UUID()), p.id, t.id, p.grid_node_id, '2026-11-01', 'manual' FROM persons p, tags t WHERE p.name = '戊' AND t.code = 'disabled'
                """
            ).run()
            #expect(try await cadre.get("/api/v1/registry/smart-groups/\(id)/members").decode(SmartGroupQueries.Page.self).total == 6)
            let csv = try await cadre.get("/api/v1/registry/smart-groups/\(id)/export?lang=en")
            #expect(csv.status == .ok)
            let text = csv.body.string
            #expect(text.hasPrefix("\u{FEFF}name,sex,birth_date,id_number"))
            #expect(text.contains("********"))
            #expect(text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 7)
            struct Audit: Decodable { var action: String }
            let audit = try await app.db.sql.raw("SELECT action FROM audit_log WHERE action LIKE 'smart_group.%' ORDER BY seq").all(
                decoding: Audit.self)
            #expect(audit.map(\.action) == ["smart_group.saved", "smart_group.exported"])
            // Another area's cadre sees neither the group nor its members.
            let other = TestClient(app)
            try await other.signInAPI("cadre2")
            #expect(try await other.get("/api/v1/registry/smart-groups/\(id)/members").status == .notFound)
        }
    }
}
