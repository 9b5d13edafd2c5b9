import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// CSV files in the caller's language: `?lang=` when given, else the language of the pages (the
/// `minqing_lang` cookie), Chinese for an API client that sends neither.
extension EnglishVocabularyTests {
    static let personsHeaderZH = ["户号", "楼组编码", "地址", "姓名", "性别", "出生日期", "身份证号", "手机号", "与户主关系", "居住状态", "迁入日期"]
    static let personsHeaderEN = [
        "household_key", "node", "address", "name", "sex", "birth_date", "id_number", "phone", "relation", "residence_status", "moved_in_on"
    ]

    @Test("the persons export: Chinese headers and labels for a client without a language, English from an English session or ?lang=en")
    func personsCSV() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            _ = try await Self.couple(world)
            let chinese = try CSVTable(parsing: try await world.cadre.get("/api/v1/registry/export/persons?node=\(Self.group)").body.string)
            #expect(chinese.header == Self.personsHeaderZH)
            #expect(chinese.rows.map { $0.fields[8] }.sorted() == ["户主", "配偶"].sorted())
            #expect(chinese.rows.map { $0.fields[4] }.sorted() == ["女", "男"].sorted())

            let (web, _) = try await Self.browser(app, "cadre", lang: "en")
            let english = try CSVTable(parsing: try await web.get("/api/v1/registry/export/persons?node=\(Self.group)").body.string)
            #expect(english.header == Self.personsHeaderEN)
            #expect(english.rows.count == 2)
            // The vocabulary columns (sex, relation, residence) hold no Chinese; names may.
            for row in english.rows {
                for column in [4, 8, 9] { #expect(!Self.hasHan(row.fields[column]), "\(Self.personsHeaderEN[column]): \(row.fields[column])") }
            }
            #expect(english.rows.map { $0.fields[9] }.sorted() == ["floating", "registered"])
            #expect(english.rows.contains { $0.fields[3] == "王建国" })
            // The query wins over the session, both ways.
            let asked = try CSVTable(parsing: try await world.cadre.get("/api/v1/registry/export/persons?node=\(Self.group)&lang=en").body.string)
            #expect(asked.header == Self.personsHeaderEN)
            let back = try CSVTable(parsing: try await web.get("/api/v1/registry/export/persons?node=\(Self.group)&lang=zh").body.string)
            #expect(back.header == Self.personsHeaderZH)
        }
    }

    @Test("a smart group's export follows the caller's language; the dashboard's and the organisations' CSVs too")
    func otherCSVs() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let (_, head) = try await Self.couple(world)
            #expect(
                try await world.cadre.jsonObject(
                    .POST, "/api/v1/registry/persons/\(head)/aid", ["programme": "社区助餐", "kind": "in_kind", "quantity": 2, "unit": "份"]
                ).status == .created)
            let group = try await world.cadre.jsonObject(
                .POST, "/api/v1/registry/smart-groups", ["name": "本楼组", "criteria": ["node": Self.group]]
            ).createdID()
            let path = "/api/v1/registry/smart-groups/\(group)/export"
            let chinese = try CSVTable(parsing: try await world.cadre.get(path).body.string)
            #expect(Array(chinese.header.prefix(2)) == ["姓名", "性别"] && chinese.header[5] == "与户主关系")
            #expect(chinese.rows.map { $0.fields[5] }.sorted() == ["户主", "配偶"].sorted())
            let (web, _) = try await Self.browser(app, "cadre", lang: "en")
            let english = try CSVTable(parsing: try await web.get(path).body.string)
            #expect(Array(english.header.prefix(2)) == ["name", "sex"])
            #expect(english.header.allSatisfy { !Self.hasHan($0) })
            for row in english.rows {
                for column in [1, 5, 6] { #expect(!Self.hasHan(row.fields[column]), "\(english.header[column]): \(row.fields[column])") }
            }
            #expect(english.rows.map { $0.fields[5] }.sorted() == ["head", "spouse"])

            // The dashboard's aid table: the programme's label in English, its key as stored.
            let aid = try CSVTable(parsing: try await web.get("/dashboard/csv/aid/by_programme").body.string)
            #expect(Array(aid.header.prefix(2)) == ["Code", "Programme"])
            let meals = try #require(aid.rows.first { $0.fields[0] == "社区助餐" })
            #expect(meals.fields[1] == "Community meals")
            #expect(aid.rows.allSatisfy { !Self.hasHan($0.fields[1]) })
            let (zhWeb, _) = try await Self.browser(app, "cadre", lang: "zh")
            let aidZH = try CSVTable(parsing: try await zhWeb.get("/dashboard/csv/aid/by_programme").body.string)
            #expect(aidZH.header.first == "编码" && aidZH.rows.contains { $0.fields[1] == "社区助餐" })

            // The organisations' export: headers in the language asked for.
            let orgZH = try CSVTable(parsing: try await world.cadre.jsonObject(.POST, "/api/v1/organisations/export", [:]).body.string)
            #expect(orgZH.header.first == "组织")
            let orgEN = try CSVTable(parsing: try await world.cadre.jsonObject(.POST, "/api/v1/organisations/export?lang=en", [:]).body.string)
            #expect(orgEN.header.first == "Organisation" && orgEN.header.allSatisfy { !Self.hasHan($0) })
        }
    }
}
