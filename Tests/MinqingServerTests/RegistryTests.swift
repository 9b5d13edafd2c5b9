import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

@Suite("Register: households and persons")
struct RegistryTests {
    static func id(_ body17: String) -> String { body17 + String(ResidentIDNumber.checkCharacter(for: body17)!) }

    static let head = id("31010619560312001") // male, 1956-03-12
    static let spouse = id("31010619580720002") // female, 1958-07-20
    static let node = "310106019-1-01-1-01"

    func household(_ members: [[String: Any]], node: String = node) -> [String: Any] {
        ["node": node, "address": "汾西路 261 弄 3 号 502 室", "moved_in_on": "1998-05-01", "members": members]
    }

    func member(_ name: String, _ id: String, relation: String = "head", phone: String? = nil, extra: [String: Any] = [:]) -> [String: Any] {
        var m: [String: Any] = ["name": name, "id_number": id, "relation": relation, "residence_status": "registered"]
        if let phone { m["phone"] = phone }
        return m.merging(extra) { _, b in b }
    }

    func count(_ app: Application, _ table: String) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await app.db.sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first(decoding: N.self)!.n
    }

    @Test("a household is registered with masked numbers, found by ID number in any spelling, and its head revealed only with a purpose")
    func registerAndLookUp() async throws {
        try await withApp(demo: true) { app in
            let cadre = TestClient(app)
            try await cadre.signInAPI("cadre")
            let created = try await cadre.jsonObject(
                .POST, "/api/v1/registry/households",
                household([
                    member("王建国", Self.head, phone: "+86 138-0013-8000"),
                    member("李秀英", Self.spouse, relation: "spouse", extra: ["birth_date": "1958-07-20", "sex": "female"])
                ]))
            #expect(created.status == .created, "\(created.body.string)")
            let person = try await cadre.jsonObject(.POST, "/api/v1/registry/persons/lookup", ["id_number": Self.head.lowercased()])
            #expect(person.status == .ok)
            let row = try person.decode(RegistryQueries.PersonRow.self)
            #expect(row.name == "王建国")
            #expect(row.sex == .male)
            #expect(row.birth_date == "1956-03-12")
            #expect(row.id_masked == maskedID(Self.head))
            #expect(row.phone_masked == "138****8000")
            #expect(!person.body.string.contains(Self.head))
            // The legacy 15-digit form finds the same person.
            let legacy = "310106560312001"
            #expect(
                try await cadre.jsonObject(.POST, "/api/v1/registry/persons/lookup", ["id_number": legacy]).decode(RegistryQueries.PersonRow.self).id
                    == row.id)
            // Showing the plain number needs a purpose, and is audited with it.
            let noPurpose = try await cadre.jsonObject(.POST, "/api/v1/registry/persons/\(row.id)/reveal", ["field": "id_number", "purpose": ""])
            #expect(noPurpose.status == .unprocessableEntity)
            #expect(noPurpose.body.string.contains("\"field\":\"purpose\""))
            #expect(noPurpose.body.string.contains("\"field\":\"purpose_detail\""))
            // A reason outside the fixed list is refused as well, even with words.
            let freeText = try await cadre.jsonObject(
                .POST, "/api/v1/registry/persons/\(row.id)/reveal",
                ["field": "id_number", "purpose": "办理高龄津贴", "purpose_detail": "办理高龄津贴"])
            #expect(freeText.status == .unprocessableEntity && freeText.body.string.contains("\"field\":\"purpose\""))
            let shown = try await cadre.jsonObject(
                .POST, "/api/v1/registry/persons/\(row.id)/reveal",
                ["field": "id_number", "purpose": "assistance", "purpose_detail": "办理高龄津贴"])
            #expect(shown.status == .ok)
            #expect(shown.headers.first(name: .cacheControl) == "no-store")
            #expect(shown.body.string.contains(Self.head))
            struct Audit: Decodable { var action: String; var detail: String; var target_id: String? }
            let audit = try await app.db.sql.raw("SELECT action, detail, target_id FROM audit_log WHERE action = 'pii.revealed'").all(
                decoding: Audit.self)
            #expect(audit.count == 1)
            #expect(audit.first?.detail.contains("办理高龄津贴") == true)
            #expect(audit.first?.detail.contains("\"purpose\":\"assistance\"") == true)
            #expect(audit.first?.target_id == row.id.uuidString)
            #expect(audit.allSatisfy { !$0.detail.contains(Self.head) })
            // A grid worker sees the person but may not reveal numbers.
            let grid = TestClient(app)
            try await grid.signInAPI("gridworker")
            #expect(try await grid.get("/api/v1/registry/persons/\(row.id)").status == .ok)
            #expect(
                try await grid.jsonObject(.POST, "/api/v1/registry/persons/\(row.id)/reveal", ["field": "phone", "purpose": "上门走访联系"]).status
                    == .forbidden)
        }
    }

    @Test("bad members are refused with every field named, and nothing is written")
    func validation() async throws {
        try await withApp(demo: true) { app in
            let cadre = TestClient(app)
            try await cadre.signInAPI("cadre")
            var wrongCheck = Self.head
            wrongCheck.removeLast()
            wrongCheck += Self.head.hasSuffix("1") ? "2" : "1"
            let response = try await cadre.jsonObject(
                .POST, "/api/v1/registry/households",
                household([
                    member("王建国", wrongCheck, phone: "12345"),
                    member("李秀英", Self.spouse, relation: "spouse", extra: ["birth_date": "1958-07-21", "sex": "male"]),
                    member("", Self.spouse, relation: "cousin")
                ]))
            #expect(response.status == .unprocessableEntity)
            let fields = Set(try response.decode(ErrorEnvelope.self).error.fields.map(\.field))
            #expect(
                fields.isSuperset(of: [
                    "members[0].id_number", "members[0].phone", "members[1].birth_date", "members[1].sex",
                    "members[2].name", "members[2].relation"
                ]))
            #expect(try await count(app, "persons") == 0)
            #expect(try await count(app, "households") == 0)
            // Outside the scope, or not a building group.
            let outside = try await cadre.jsonObject(
                .POST, "/api/v1/registry/households", household([member("王建国", Self.head)], node: "310106019-1-02-1-01"))
            #expect(try outside.decode(ErrorEnvelope.self).error.fields.map(\.field) == ["node"])
            let notGroup = try await cadre.jsonObject(
                .POST, "/api/v1/registry/households", household([member("王建国", Self.head)], node: "310106019-1-01-1"))
            #expect(try notGroup.decode(ErrorEnvelope.self).error.fields.map(\.field) == ["node"])
            // The same ID number twice, and again after it is registered.
            let twice = try await cadre.jsonObject(
                .POST, "/api/v1/registry/households", household([member("甲", Self.head), member("乙", Self.head, relation: "son")]))
            #expect(try twice.decode(ErrorEnvelope.self).error.fields.map(\.field).contains("members[1].id_number"))
            #expect(try await cadre.jsonObject(.POST, "/api/v1/registry/households", household([member("王建国", Self.head)])).status == .created)
            let again = try await cadre.jsonObject(.POST, "/api/v1/registry/households", household([member("王建国", Self.head)]))
            #expect(try again.decode(ErrorEnvelope.self).error.fields.map(\.field) == ["members[0].id_number"])
            #expect(try await count(app, "persons") == 1)
        }
    }

    @Test("households and persons outside the scope are invisible")
    func scope() async throws {
        try await withApp(demo: true) { app in
            let cadre = TestClient(app)
            try await cadre.signInAPI("cadre")
            let created = try await cadre.jsonObject(.POST, "/api/v1/registry/households", household([member("王建国", Self.head)]))
            struct Created: Decodable { var id: UUID }
            let id = try created.decode(Created.self).id
            let other = TestClient(app)
            try await other.signInAPI("cadre2")
            #expect(try await other.get("/api/v1/registry/households/\(id)").status == .notFound)
            #expect(try await other.jsonObject(.POST, "/api/v1/registry/persons/lookup", ["id_number": Self.head]).status == .notFound)
            struct Summary: Decodable { var households: Int; var persons: Int }
            #expect(try await other.get("/api/v1/registry/summary").decode(Summary.self).persons == 0)
            #expect(try await cadre.get("/api/v1/registry/summary").decode(Summary.self).persons == 1)
        }
    }

    @Test("sensitive tags are hidden from roles that may not see them, in SQL")
    func sensitiveTags() async throws {
        try await withApp(demo: true) { app in
            let cadre = TestClient(app)
            try await cadre.signInAPI("cadre")
            _ = try await cadre.jsonObject(.POST, "/api/v1/registry/households", household([member("王建国", Self.head)]))
            let person = try await cadre.jsonObject(.POST, "/api/v1/registry/persons/lookup", ["id_number": Self.head]).decode(
                RegistryQueries.PersonRow.self)
            let sql = app.db.sql
            let open = UUID(), secret = UUID()
            try await sql.raw(
                """
                INSERT INTO tags (id, code, name_zh, name_en, kind, sensitive, sort_order) VALUES
                (\(bind: open), 'id.elderly_alone', '独居老人', 'Elderly living alone', 'identity', \(bind: false), 1),
                (\(bind: secret), 'id.religion.buddhism', '佛教', 'Buddhism', 'identity', \(bind: true), 2)
                """
            ).run()
            for tag in [open, secret] {
                try await sql.raw(
                    """
                    INSERT INTO tag_assignments (id, person_id, tag_id, grid_node_id, starts_on, source)
                    SELECT \(bind: UUID()), p.id, \(bind: tag), p.grid_node_id, '2020-01-01', 'manual' FROM persons p WHERE p.id = \(bind: person.id)
                    """
                ).run()
            }
            struct Detail: Decodable { struct Tag: Decodable { var code: String }; var tags: [Tag] }
            #expect(
                try await cadre.get("/api/v1/registry/persons/\(person.id)").decode(Detail.self).tags.map(\.code) == [
                    "id.elderly_alone", "id.religion.buddhism"
                ])
            let grid = TestClient(app)
            try await grid.signInAPI("gridworker")
            #expect(try await grid.get("/api/v1/registry/persons/\(person.id)").decode(Detail.self).tags.map(\.code) == ["id.elderly_alone"])
            struct Tag: Decodable { var code: String }
            #expect(try await grid.get("/api/v1/registry/tags").decode([Tag].self).map(\.code) == ["id.elderly_alone"])
            struct Summary: Decodable { var tags: [String: Int] }
            #expect(try await grid.get("/api/v1/registry/summary").decode(Summary.self).tags["identity"] == 1)
            #expect(try await cadre.get("/api/v1/registry/summary").decode(Summary.self).tags["identity"] == 2)
        }
    }

    @Test("no plain ID or phone number is anywhere in the SQLite file", .enabled(if: testDatabaseKind == "sqlite"))
    func nothingPlainOnDisk() async throws {
        try await withApp(demo: true, sqliteFile: true) { app in
            let cadre = TestClient(app)
            try await cadre.signInAPI("cadre")
            let phone = "13912345678"
            let created = try await cadre.jsonObject(.POST, "/api/v1/registry/households", household([member("王建国", Self.head, phone: phone)]))
            #expect(created.status == .created)
            let person = try await cadre.jsonObject(.POST, "/api/v1/registry/persons/lookup", ["id_number": Self.head]).decode(
                RegistryQueries.PersonRow.self)
            let revealed = try await cadre.jsonObject(
                .POST, "/api/v1/registry/persons/\(person.id)/reveal",
                ["field": "phone", "purpose": "home_visit", "purpose_detail": "联系住户"])
            #expect(revealed.status == .ok)
            try await app.db.sql.raw("PRAGMA wal_checkpoint(FULL)").run()
            guard case let .sqliteFile(path) = app.services.config.database else { Issue.record("not a file"); return }
            var bytes = Data()
            for suffix in ["", "-wal", "-shm"] {
                if let data = FileManager.default.contents(atPath: path + suffix) { bytes.append(data) }
            }
            #expect(bytes.count > 10_000)
            for secret in [Self.head, String(Self.head.prefix(17)), phone, "8613912345678"] {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "found a plain number in the database file")
            }
            // The name is there in plain text: the check above can find what is stored.
            #expect(bytes.range(of: Data("王建国".utf8)) != nil)
        }
    }
}

extension RegistryTests {
    @Test("no plain ID or phone number is in any column of any table on PostgreSQL", .enabled(if: testDatabaseKind == "postgresql"))
    func nothingPlainInPostgres() async throws {
        try await withApp(demo: true) { app in
            let cadre = TestClient(app)
            try await cadre.signInAPI("cadre")
            let phone = "13912345678"
            #expect(
                try await cadre.jsonObject(.POST, "/api/v1/registry/households", household([member("王建国", Self.head, phone: phone)])).status
                    == .created)
            let person = try await cadre.jsonObject(.POST, "/api/v1/registry/persons/lookup", ["id_number": Self.head]).decode(
                RegistryQueries.PersonRow.self)
            #expect(
                try await cadre.jsonObject(
                    .POST, "/api/v1/registry/persons/\(person.id)/reveal",
                    ["field": "id_number", "purpose": "verification", "purpose_detail": "核对身份"]
                ).status == .ok)
            let sql = app.db.sql
            struct Column: Decodable { var table_name: String; var column_name: String }
            let columns = try await sql.raw(
                """
                SELECT table_name, column_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea')
                """
            ).all(decoding: Column.self)
            #expect(columns.count > 100)
            struct N: Decodable { var n: Int }
            func occurrences(_ text: String) async throws -> [String] {
                var found: [String] = []
                for column in columns {
                    let n =
                        try await sql.raw(
                            """
                            SELECT COUNT(*) AS n FROM \(ident: column.table_name) WHERE \(ident: column.column_name)::text LIKE \(bind: "%" + text + "%")
                            """
                        ).first(decoding: N.self)?.n ?? 0
                    if n > 0 { found.append("\(column.table_name).\(column.column_name)") }
                }
                return found
            }
            for secret in [Self.head, String(Self.head.prefix(17)), phone, "8613912345678"] {
                #expect(try await occurrences(secret) == [], "a plain number is stored")
            }
            // The scan finds what is stored in plain text: the name is.
            #expect(try await occurrences("王建国").contains("persons.name"))
        }
    }
}

struct ErrorEnvelope: Decodable {
    struct Field: Decodable { var field: String; var message: String; var message_en: String }
    struct Body: Decodable { var code: String; var fields: [Field] }
    var error: Body
}
