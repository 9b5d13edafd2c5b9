import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// English pages in English, including the vocabulary that is data (relations, residence,
/// sexes, aid programmes and units, the place of a visit slot, a visit's method and changes),
/// and files in the caller's language (EnglishVocabularyTests+Files.swift). Names of people and
/// addresses are data, not vocabulary, and stay as written: the checks look at vocabulary cells.
@Suite("English pages and files: the vocabulary that is data in the reader's language")
struct EnglishVocabularyTests {
    static let group = VisitWorld.group

    /// Whether `text` holds a Han character (a regular expression over the text).
    static func hasHan(_ text: String) -> Bool {
        text.range(of: "[\u{3400}-\u{9FFF}]", options: .regularExpression) != nil
    }

    /// The first capture group of every match of `pattern` in `text` (`.` matches new lines).
    static func matches(_ pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators]) else { return [] }
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    /// The body rows of table `id`, each cell's text without tags (`<br/>` as a new line).
    static func cells(_ html: String, table id: String) -> [[String]] {
        guard let table = matches("<table id=\"\(id)\">(.*?)</table>", in: html).first else { return [] }
        let body = matches("<tbody>(.*?)</tbody>", in: table).first ?? ""
        return matches("<tr[^>]*>(.*?)</tr>", in: body).map { row in
            matches("<td[^>]*>(.*?)</td>", in: row).map { cell in
                cell.replacingOccurrences(of: "<br/>", with: "\n").replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
            }
        }
    }

    /// The text of every `<span class="…">` of that class holding text only.
    static func spans(_ html: String, class name: String) -> [String] {
        matches("<span class=\"\(name)\">([^<]*)</span>", in: html)
    }

    /// A signed-in browser in `lang`, and its CSRF token.
    static func browser(_ app: Application, _ username: String, lang: String) async throws -> (TestClient, String) {
        let web = TestClient(app)
        #expect(try await web.signInWeb(username).status == .seeOther)
        web.cookies["minqing_lang"] = lang
        let csrf = try #require(TestClient.csrf(in: try await web.get("/account/password").body.string))
        return (web, csrf)
    }

    /// A household of a head (male, registered) and a spouse (female, floating) in the group,
    /// registered through the API; returns the household and the head.
    static func couple(_ world: VisitWorld) async throws -> (household: UUID, head: UUID) {
        let response = try await world.cadre.jsonObject(
            .POST, "/api/v1/registry/households",
            [
                "node": group, "address": "临汾路 375 弄 12 号 301 室",
                "members": [
                    ["name": "王建国", "id_number": VisitWorld.idNumber(born: "19560312", 1), "relation": "head", "residence_status": "registered"],
                    ["name": "李秀英", "id_number": VisitWorld.idNumber(born: "19580720", 2), "relation": "spouse", "residence_status": "floating"]
                ]
            ])
        let household = try response.createdID()
        struct Detail: Decodable { struct P: Decodable { var id: UUID; var relation: String }; var members: [P] }
        let detail = try await world.cadre.get("/api/v1/registry/households/\(household)").decode(Detail.self)
        return (household, try #require(detail.members.first { $0.relation == "head" }).id)
    }

    @Test("the household and person pages in English: relations, residence, sexes and in-kind units in English, names as written")
    func registerPages() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let (household, head) = try await Self.couple(world)
            #expect(
                try await world.cadre.jsonObject(
                    .POST, "/api/v1/registry/persons/\(head)/aid", ["programme": "社区助餐", "kind": "in_kind", "quantity": 3, "unit": "份"]
                ).status == .created)
            let (english, _) = try await Self.browser(app, "cadre", lang: "en")
            let page = try await english.get("/registry/households/\(household)").body.string
            let rows = Self.cells(page, table: "members")
            #expect(rows.count == 2)
            // Vocabulary cells: the relation and residence under the name, the sex before the age.
            let relations = Self.spans(page, class: "relation"), residences = Self.spans(page, class: "residence")
            let sexes = rows.compactMap { $0.count > 1 ? $0[1].components(separatedBy: " · ").first : nil }
            #expect(relations.sorted() == ["Head", "Spouse"])
            #expect(residences.sorted() == ["Floating", "Registered"])
            #expect(sexes.sorted() == ["Female", "Male"])
            for text in relations + residences + sexes { #expect(!Self.hasHan(text), "Chinese in a vocabulary cell: \(text)") }
            // Names and addresses stay as written.
            #expect(rows.contains { $0.first?.contains("王建国") == true })
            let person = try await english.get("/registry/persons/\(head)").body.string
            #expect(Self.matches("id=\"aid-in-kind\">([^<]*)</td>", in: person) == ["3 portions"])
            // The same pages in Chinese keep the Chinese labels.
            let (chinese, _) = try await Self.browser(app, "cadre", lang: "zh")
            let zh = try await chinese.get("/registry/households/\(household)").body.string
            #expect(Self.spans(zh, class: "relation").sorted() == ["户主", "配偶"].sorted())
            #expect(Self.matches("id=\"aid-in-kind\">([^<]*)</td>", in: try await chinese.get("/registry/persons/\(head)").body.string) == ["3 份"])
        }
    }

    @Test(
        "aid programmes: English names from the catalogue, the Chinese one only when missing; managers name the others, a bad name answers 422"
    )
    func programmeNames() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let (_, head) = try await Self.couple(world)
            struct Named: Decodable { var name_en: String? }
            let shipped = try await world.sql.raw("SELECT name_en FROM aid_programmes WHERE name = '社区助餐'").first(decoding: Named.self)
            #expect(shipped?.name_en == "Community meals", "the migration names the shipped programmes")
            for (programme, fen) in [("社区助餐", 800), ("街道自办慰问", 5_000)] {
                let body: [String: Any] = ["programme": programme, "kind": "cash", "amount_fen": fen]
                #expect(try await world.cadre.jsonObject(.POST, "/api/v1/registry/persons/\(head)/aid", body).status == .created)
            }
            let (admin, csrf) = try await Self.browser(app, "admin", lang: "en")
            let before = Self.spans(try await admin.get("/registry/tags").body.string, class: "programme-name")
            #expect(before.contains("Community meals") && before.contains("Minimum living allowance"))
            #expect(before.filter(Self.hasHan) == ["街道自办慰问"], "only the programme without an English name shows its Chinese name")

            let api = TestClient(app)
            try await api.signInAPI("admin")
            struct P: Decodable { var id: UUID; var name: String; var name_en: String? }
            let own = try #require(try await api.get("/api/v1/registry/aid-programmes").decode([P].self).first { $0.name == "街道自办慰问" })
            #expect(own.name_en == nil)
            let path = "/registry/aid-programmes/\(own.id)"
            let long = String(repeating: "x", count: 81)
            let refused = try await admin.form(path, ["name_en": long, "csrf": csrf])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("id=\"error-name_en\"") && refused.body.string.contains("value=\"\(long)\""))
            #expect(!refused.body.string.contains(">name_en<"), "the sentence never names the input")
            let stored = try await world.sql.raw("SELECT name_en FROM aid_programmes WHERE id = \(bind: own.id)").first(decoding: Named.self)
            #expect(stored?.name_en == nil)

            #expect(try await admin.form(path, ["name_en": "Subdistrict relief visits", "csrf": csrf]).status == .seeOther)
            let named = try await world.sql.raw("SELECT name_en FROM aid_programmes WHERE id = \(bind: own.id)").first(decoding: Named.self)
            #expect(named?.name_en == "Subdistrict relief visits")
            let after = Self.spans(try await admin.get("/registry/tags").body.string, class: "programme-name")
            #expect(after.contains("Subdistrict relief visits") && after.filter(Self.hasHan).isEmpty)
            struct Audit: Decodable { var detail: String }
            let audits = try await world.sql.raw("SELECT detail FROM audit_log WHERE action = 'aid_programme.changed'").all(decoding: Audit.self)
            #expect(audits.count == 1 && audits[0].detail.contains("Subdistrict relief visits"))
            // Chinese pages keep the Chinese names.
            let (chinese, _) = try await Self.browser(app, "admin", lang: "zh")
            #expect(Self.spans(try await chinese.get("/registry/tags").body.string, class: "programme-name").contains("街道自办慰问"))
        }
    }

    @Test("a visit in English: its method and kind in English, a register change in words, never the stored field")
    func visitPage() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let home = try await world.household(1)
            let visit = try await world.visit(
                [home.id], extra: ["method": "phone", "person_updates": [["person_id": home.person.uuidString, "residence_status": "floating"]]]
            ).createdID()
            let (english, _) = try await Self.browser(app, "cadre", lang: "en")
            let page = try await english.get("/visits/records/\(visit)").body.string
            #expect(Self.matches("id=\"visit-method\">([^<]*)</td>", in: page) == ["Phone"])
            #expect(Self.matches("id=\"visit-kind\">([^<]*)</td>", in: page) == ["Routine"])
            #expect(page.contains("residence status changed to Floating"))
            #expect(!page.contains("residence_status"))
            let list = try await english.get("/visits").body.string
            #expect(!list.contains("电话"))
            let (chinese, _) = try await Self.browser(app, "cadre", lang: "zh")
            let zh = try await chinese.get("/visits/records/\(visit)").body.string
            #expect(Self.matches("id=\"visit-method\">([^<]*)</td>", in: zh) == ["电话"])
            #expect(zh.contains("居住状态改为流动"))
        }
    }

    @Test("a slot at the resident's home is stored as 上门 and reads “At the resident's home” in English")
    func slotPlace() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let start = TestClock.pinnedNow().addingTimeInterval(86_400)
            let formatter = ISO8601DateFormatter()
            _ = try await world.cadre.jsonObject(
                .POST, "/api/v1/visits/slots",
                ["starts_at": formatter.string(from: start), "ends_at": formatter.string(from: start.addingTimeInterval(3600))]
            ).createdID()
            struct Place: Decodable { var place: String }
            #expect(try await world.sql.raw("SELECT place FROM visit_slots").all(decoding: Place.self).map(\.place) == ["上门"])
            let (english, _) = try await Self.browser(app, "cadre", lang: "en")
            let page = try await english.get("/visits/slots").body.string
            let list = Self.matches("id=\"slot-list\">(.*?)</ul>", in: page).first ?? ""
            #expect(list.contains("At the resident's home"))
            #expect(!page.contains("上门"))
            let (chinese, _) = try await Self.browser(app, "cadre", lang: "zh")
            #expect((Self.matches("id=\"slot-list\">(.*?)</ul>", in: try await chinese.get("/visits/slots").body.string).first ?? "").contains("上门"))
        }
    }
}
