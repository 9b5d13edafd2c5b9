import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

@Suite("Register: tags, help requests and the aid ledger")
struct RegistryRecordsTests {
    func setUp(_ app: Application) async throws -> (TestClient, UUID) {
        let cadre = TestClient(app)
        try await cadre.signInAPI("cadre")
        let body = "31010619450101001"
        let id = body + String(ResidentIDNumber.checkCharacter(for: body)!)
        let created = try await cadre.jsonObject(
            .POST, "/api/v1/registry/households",
            [
                "node": "310106019-1-01-1-01", "address": "测试 1 号",
                "members": [["name": "王老伯", "id_number": id, "relation": "head", "residence_status": "registered"]]
            ])
        guard created.status == .created else { throw TestFailure(created.body.string) }
        let person = try await cadre.jsonObject(.POST, "/api/v1/registry/persons/lookup", ["id_number": id]).decode(RegistryQueries.PersonRow.self)
        let sql = app.db.sql
        try await sql.raw(
            """
            INSERT INTO tags (id, code, name_zh, name_en, kind, sensitive, sort_order) VALUES
            (\(bind: UUID()), 'id.elderly.alone', '独居老人', 'Elderly living alone', 'identity', \(bind: false), 1),
            (\(bind: UUID()), 'id.assistance.dibao', '低保对象', 'Dibao', 'identity', \(bind: true), 2)
            """
        ).run()
        return (cadre, person.id.rawValue)
    }

    @Test("a tag is given, refused twice, ended with its history kept, and shows in smart groups only while current")
    func tagLifecycle() async throws {
        try await withApp(demo: true) { app in
            let (cadre, person) = try await setUp(app)
            let added = try await cadre.jsonObject(
                .POST, "/api/v1/registry/persons/\(person)/tags", ["code": "id.elderly.alone", "starts_on": "2024-03-01", "source": "visit"])
            #expect(added.status == .created)
            struct Created: Decodable { var id: UUID }
            let assignment = try added.decode(Created.self).id
            #expect(try await cadre.jsonObject(.POST, "/api/v1/registry/persons/\(person)/tags", ["code": "id.elderly.alone"]).status == .conflict)
            #expect(try await cadre.jsonObject(.POST, "/api/v1/registry/persons/\(person)/tags", ["code": "nope"]).status == .unprocessableEntity)
            let preview = {
                try await cadre.jsonObject(.POST, "/api/v1/registry/smart-groups/preview", ["criteria": ["expression": "id.elderly.alone"]]).decode(
                    SmartGroupQueries.Page.self
                ).total
            }
            #expect(try await preview() == 1)
            #expect(
                try await cadre.jsonObject(.POST, "/api/v1/registry/persons/\(person)/tags/\(assignment)/end", ["ends_on": "2024-01-01"]).status
                    == .unprocessableEntity)
            #expect(
                try await cadre.jsonObject(.POST, "/api/v1/registry/persons/\(person)/tags/\(assignment)/end", [String: Any]()).status == .noContent)
            #expect(
                try await cadre.jsonObject(.POST, "/api/v1/registry/persons/\(person)/tags/\(assignment)/end", [String: Any]()).status == .conflict)
            #expect(try await preview() == 0)
            struct Detail: Decodable { var tags: [RegistryQueries.TagRow] }
            let tags = try await cadre.get("/api/v1/registry/persons/\(person)").decode(Detail.self).tags
            #expect(tags.count == 1)
            #expect(tags.first?.source == "visit")
            #expect(tags.first?.ends_on != nil, "history stays")
            // A grid worker may not give a sensitive tag (it is unknown to them).
            let grid = TestClient(app)
            try await grid.signInAPI("gridworker")
            let refused = try await grid.jsonObject(.POST, "/api/v1/registry/persons/\(person)/tags", ["code": "id.assistance.dibao"])
            #expect(refused.status == .unprocessableEntity)
            #expect(try await cadre.jsonObject(.POST, "/api/v1/registry/persons/\(person)/tags", ["code": "id.assistance.dibao"]).status == .created)
        }
    }

    @Test("the aid ledger keeps kinds apart and the totals are the sums of the records")
    func aidLedger() async throws {
        try await withApp(demo: true) { app in
            let (cadre, person) = try await setUp(app)
            let help = try await cadre.jsonObject(
                .POST, "/api/v1/registry/persons/\(person)/help-requests", ["category": "生活困难", "description": "老人独居，冬季取暖困难"])
            #expect(help.status == .created)
            struct Created: Decodable { var id: UUID }
            let helpID = try help.decode(Created.self).id
            let records: [[String: Any]] = [
                ["programme": "最低生活保障金", "kind": "cash", "amount_fen": 151_000],
                ["programme": "最低生活保障金", "kind": "cash", "amount_fen": 151_000, "given_on": "2026-10-01"],
                ["programme": "临时救助", "kind": "cash", "amount_fen": 200_050, "help_request_id": helpID.uuidString],
                ["programme": "节日慰问", "kind": "in_kind", "quantity": 2, "unit": "份"],
                ["programme": "冬衣", "kind": "in_kind", "quantity": 3, "unit": "件"],
                ["programme": "居家照护", "kind": "service", "minutes": 90],
                ["programme": "助浴", "kind": "service", "minutes": 45]
            ]
            for record in records {
                let response = try await cadre.jsonObject(.POST, "/api/v1/registry/persons/\(person)/aid", record)
                #expect(response.status == .created, "\(record): \(response.body.string)")
            }
            for (bad, field) in [
                (["programme": "x", "kind": "cash"] as [String: Any], "amount_fen"),
                (["programme": "x", "kind": "cash", "amount_fen": 100, "minutes": 5], "kind"),
                (["programme": "x", "kind": "in_kind", "quantity": 1], "unit"),
                (["programme": "x", "kind": "gold"], "kind"),
                (["programme": "x", "kind": "service", "minutes": 10, "given_on": "2026-02-30"], "given_on"),
                (["programme": "x", "kind": "cash", "amount_fen": 1, "help_request_id": UUID().uuidString], "help_request_id")
            ] {
                let response = try await cadre.jsonObject(.POST, "/api/v1/registry/persons/\(person)/aid", bad)
                #expect(response.status == .unprocessableEntity)
                #expect(try response.decode(ErrorEnvelope.self).error.fields.map(\.field).contains(field), "\(bad)")
            }
            struct Detail: Decodable { var aid: RegistryQueries.AidTotals }
            let totals = try await cadre.get("/api/v1/registry/persons/\(person)").decode(Detail.self).aid
            #expect(totals.cash_fen == 151_000 * 2 + 200_050)
            #expect(totals.in_kind == ["份": 2, "件": 3])
            #expect(totals.service_minutes == 135)
            #expect(totals.records == records.count)
            // The household's totals are the sum over its members.
            let row = try await cadre.get("/api/v1/registry/persons/\(person)").decode(PersonOnly.self).person
            struct Household: Decodable { var aid: RegistryQueries.AidTotals }
            #expect(try await cadre.get("/api/v1/registry/households/\(row.household_id)").decode(Household.self).aid == totals)
        }
    }

    struct PersonOnly: Decodable { var person: RegistryQueries.PersonRow }
}

@Suite("Register: the tag catalogue")
struct TagCatalogueTests {
    @Test("staff add tags; children of sensitive tags are sensitive; codes are unique; cadres may not add")
    func create() async throws {
        try await withApp(demo: true) { app in
            let staff = TestClient(app)
            try await staff.signInAPI("staff")
            #expect(
                try await staff.jsonObject(
                    .POST, "/api/v1/registry/tags",
                    [
                        "code": "id.faith", "name_zh": "宗教信仰", "name_en": "Religion",
                        "kind": "identity", "sensitive": true
                    ]
                ).status == .created)
            #expect(
                try await staff.jsonObject(
                    .POST, "/api/v1/registry/tags",
                    [
                        "code": "id.faith.buddhism", "name_zh": "佛教", "name_en": "Buddhism",
                        "kind": "identity", "parent": "id.faith"
                    ]
                ).status == .created)
            let dup = try await staff.jsonObject(
                .POST, "/api/v1/registry/tags", ["code": "id.faith", "name_zh": "x", "name_en": "x", "kind": "identity"])
            #expect(try dup.decode(ErrorEnvelope.self).error.fields.map(\.field) == ["code"])
            let bad = try await staff.jsonObject(
                .POST, "/api/v1/registry/tags", ["code": "Bad Code", "name_zh": "", "name_en": "x", "kind": "service", "parent": "id.faith"])
            #expect(Set(try bad.decode(ErrorEnvelope.self).error.fields.map(\.field)) == ["code", "name_zh", "parent"])
            struct Tag: Decodable { var code: String; var sensitive: Bool; var parent_code: String? }
            let catalogue = try await staff.get("/api/v1/registry/tags").decode([Tag].self)
            #expect(catalogue.first { $0.code == "id.faith.buddhism" }?.sensitive == true)
            #expect(catalogue.first { $0.code == "id.faith.buddhism" }?.parent_code == "id.faith")
            let grid = TestClient(app)
            try await grid.signInAPI("gridworker")
            #expect(try await grid.get("/api/v1/registry/tags").decode([Tag].self).isEmpty)
            let cadre = TestClient(app)
            try await cadre.signInAPI("cadre")
            #expect(
                try await cadre.jsonObject(.POST, "/api/v1/registry/tags", ["code": "x.y", "name_zh": "x", "name_en": "x", "kind": "identity"]).status
                    == .forbidden)
        }
    }
}
