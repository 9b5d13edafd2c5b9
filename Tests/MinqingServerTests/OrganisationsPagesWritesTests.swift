import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// The page forms of the 组织力工程 writes that had only the API (issue 21): for each, a POST as
/// an allowed role writes the rows the API writes for the same input (read back by SQL and
/// compared with the API's own), a role the API refuses is refused here and nothing is written,
/// and bad input shows the form again with 422 and a sentence beside the field that names no input.
@Suite("Organisations: the page forms of the writes")
struct OrganisationsPagesWritesTests {
    static let area = "310106019-1-01"

    /// A browser signed in as `username`, and its session's CSRF token.
    static func browser(_ app: Application, _ username: String) async throws -> (TestClient, String) {
        let web = TestClient(app)
        #expect(try await web.signInWeb(username).status == .seeOther)
        let csrf = try #require(TestClient.csrf(in: try await web.get("/account/password").body.string))
        return (web, csrf)
    }

    static func count(_ sql: any SQLDatabase, _ query: SQLQueryString) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await sql.raw(query).first(decoding: N.self)?.n ?? -1
    }

    static func audits(_ sql: any SQLDatabase, _ action: String) async throws -> Int {
        try await count(sql, "SELECT COUNT(*) AS n FROM audit_log WHERE action = \(bind: action)")
    }

    /// The text between `start` and the next `end` in `html`, nil when `start` is not there.
    static func text(_ html: String, after start: String, until end: String) -> String? {
        guard let from = html.range(of: start) else { return nil }
        let rest = html[from.upperBound...]
        return rest.range(of: end).map { String(rest[..<$0.lowerBound]) }
    }

    /// The sentence beside input `name` (`p#error-<name>`).
    static func besideField(_ html: String, _ name: String) -> String? {
        text(html, after: "id=\"error-\(name)\">", until: "</p>")
    }

    /// A refused form: 422, a sentence beside each of `fields`, and neither those sentences nor the
    /// error box `box` name an input of the form (`names`; in English, the names that are no word).
    static func expectRefused(
        _ response: TestingHTTPResponse, beside fields: [String], box: String, names: [String], english: Bool = false
    ) {
        let html = response.body.string
        #expect(response.status == .unprocessableEntity, "\(response.status): \(html.prefix(300))")
        let boxText = text(html, after: "id=\"\(box)\" role=\"alert\">", until: "</div>")
        #expect(boxText != nil, "no error box \(box)")
        var sentences = [boxText ?? ""]
        for field in fields {
            let sentence = besideField(html, field)
            #expect(sentence?.isEmpty == false, "no sentence beside \(field)")
            sentences.append(sentence ?? "")
        }
        let checked = english ? names.filter { $0.contains("_") || $0.contains("[") } : names
        for name in checked {
            #expect(!sentences.contains { $0.contains(name) }, "an error names the input \(name): \(sentences)")
        }
    }

    /// Whether the option `value` of a select is the chosen one.
    static func chosen(_ html: String, _ value: String) -> Bool {
        text(html, after: "<option value=\"\(value)\"", until: ">")?.contains("selected") == true
    }

    struct PostRowSQL: Decodable, Equatable {
        var kind: String; var name: String; var mission: String; var grid_node_id: UUID; var organisation_id: UUID?
        var subdistrict_id: UUID?; var starts_on: String; var ends_on: String?; var created_by: String?
    }

    @Test("a post (示范岗, 责任区, 突击队) from the organisation page: the API's row, managers only, refused input said beside the fields")
    func posts() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let sql = world.sql
            let org = try await world.cadre.jsonObject(
                .POST, "/api/v1/organisations", ["name": "临汾妇女议事会", "kind": "womens_council", "node": Self.area]
            ).createdID()
            let fields = [
                "kind": "responsibility_area", "name": "汾西路 1 号党员责任区", "mission": "楼道整洁、邻里守望",
                "node": VisitWorld.group, "starts_on": "2026-11-01", "ends_on": "2027-10-31"
            ]
            var body: [String: Any] = fields
            body["organisation_id"] = org.uuidString
            _ = try await world.cadre.jsonObject(.POST, "/api/v1/organisations/posts", body).createdID()
            let (web, csrf) = try await Self.browser(app, "cadre")
            let page = try await web.get("/organisations/\(org)").body.string
            #expect(page.contains("post-add") && page.contains("汾西路 1 号党员责任区"))
            var form = fields
            form["csrf"] = csrf
            let saved = try await web.form("/organisations/\(org)/posts", form)
            #expect(saved.status == .seeOther && saved.headers.first(name: .location) == "/organisations/\(org)?done=post")
            let rows = try await sql.raw(
                """
                SELECT kind, name, mission, grid_node_id, organisation_id, subdistrict_id, starts_on, ends_on, created_by
                FROM organisation_posts WHERE organisation_id = \(bind: org) ORDER BY created_at, id
                """
            ).all(decoding: PostRowSQL.self)
            #expect(rows.count == 2 && rows[0] == rows[1], "the page wrote what the API wrote: \(rows)")
            #expect(rows.first?.ends_on == "2027-10-31" && rows.first?.created_by == "cadre")
            #expect(try await Self.audits(sql, "organisation_post.created") == 2)
            // Without a grid area the post stands at the organisation's own.
            _ = try await web.form("/organisations/\(org)/posts", ["kind": "model_post", "name": "议事会示范岗", "csrf": csrf])
            #expect(
                try await Self.count(
                    sql,
                    """
                    SELECT COUNT(*) AS n FROM organisation_posts t JOIN organisations o ON o.id = t.organisation_id
                    WHERE t.name = '议事会示范岗' AND t.grid_node_id = o.grid_node_id
                    """) == 1)
            // A grid worker reads the organisation but may not set up posts; the other area's cadre does not reach it.
            let (grid, gridCSRF) = try await Self.browser(app, "gridworker")
            #expect(try await grid.form("/organisations/\(org)/posts", ["kind": "model_post", "name": "越权", "csrf": gridCSRF]).status == .forbidden)
            let (other, otherCSRF) = try await Self.browser(app, "cadre2")
            #expect(try await other.form("/organisations/\(org)/posts", ["kind": "model_post", "name": "越权", "csrf": otherCSRF]).status == .notFound)
            #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM organisation_posts WHERE organisation_id = \(bind: org)") == 3)
            // A commando team without a name or a mission, ending before it starts: every problem beside its field.
            let bad = try await web.form(
                "/organisations/\(org)/posts",
                ["kind": "commando_team", "name": "", "mission": "", "starts_on": "2026-11-18", "ends_on": "2026-11-01", "csrf": csrf])
            let names = ["kind", "name", "mission", "node", "starts_on", "ends_on", "organisation_id"]
            Self.expectRefused(bad, beside: ["name", "mission", "ends_on"], box: "organisations-error", names: names)
            #expect(Self.besideField(bad.body.string, "mission") == "请填写任务")
            #expect(Self.chosen(bad.body.string, "commando_team") && bad.body.string.contains("value=\"2026-11-01\""))
            web.cookies["minqing_lang"] = "en"
            let english = try await web.form(
                "/organisations/\(org)/posts", ["kind": "commando_team", "name": "", "mission": "", "csrf": csrf])
            Self.expectRefused(english, beside: ["name", "mission"], box: "organisations-error", names: names, english: true)
            #expect(Self.besideField(english.body.string, "name") == "Please fill in the name of the post")
            #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM organisation_posts WHERE organisation_id = \(bind: org)") == 3)
        }
    }

    struct MemberState: Decodable, Equatable { var ends_on: String?; var ended_by: String?; var shows_identity: Bool; var shows_identity_on: String? }

    static func member(_ sql: any SQLDatabase, _ id: UUID) async throws -> MemberState {
        try await sql.raw("SELECT ends_on, ended_by, shows_identity, shows_identity_on FROM organisation_members WHERE id = \(bind: id)")
            .first(decoding: MemberState.self)!
    }

    @Test("ending a membership and recording 亮身份 from the organisation page: the API's rows, managers only, refusals said")
    func members() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let sql = world.sql
            let org = try await world.cadre.jsonObject(
                .POST, "/api/v1/organisations", ["name": "临汾青年中心", "kind": "youth_centre", "node": Self.area]
            ).createdID()
            var members: [UUID] = []
            for n in 1...4 {
                let person = try await world.household(n, born: "19900101").person
                members.append(
                    try await world.cadre.jsonObject(
                        .POST, "/api/v1/organisations/\(org)/members", ["person_id": person.uuidString, "starts_on": "2026-01-01"]
                    ).createdID())
            }
            let (web, csrf) = try await Self.browser(app, "cadre")
            #expect(try await web.get("/organisations/\(org)").body.string.contains("end-\(members[1].uuidString)"))
            // Ending: the API ends the first, the page the second, on the same day.
            #expect(
                try await world.cadre.jsonObject(.POST, "/api/v1/organisations/\(org)/members/\(members[0])/end", ["ends_on": "2026-11-10"]).status
                    == .noContent)
            let ended = try await web.form("/organisations/\(org)/members/\(members[1])/end", ["ends_on": "2026-11-10", "csrf": csrf])
            #expect(ended.status == .seeOther && ended.headers.first(name: .location) == "/organisations/\(org)?done=ended")
            let (api, page) = (try await Self.member(sql, members[0]), try await Self.member(sql, members[1]))
            #expect(api == page && page.ends_on == "2026-11-10" && page.ended_by == "cadre")
            #expect(try await Self.audits(sql, "organisation.member_ended") == 2)
            // 亮身份: the API for the third, the page for the fourth; the page takes it back again.
            #expect(
                try await world.cadre.jsonObject(.POST, "/api/v1/organisations/\(org)/members/\(members[2])/identity", ["shows": true]).status
                    == .noContent)
            let shown = try await web.form("/organisations/\(org)/members/\(members[3])/identity", ["shows": "true", "csrf": csrf])
            #expect(shown.status == .seeOther && shown.headers.first(name: .location) == "/organisations/\(org)?done=shown")
            let (apiShown, pageShown) = (try await Self.member(sql, members[2]), try await Self.member(sql, members[3]))
            let today = CivilDate(TestClock.pinnedNow(), in: .shanghai).iso8601
            #expect(apiShown == pageShown && pageShown.shows_identity && pageShown.shows_identity_on == today)
            let again = try await web.form("/organisations/\(org)/members/\(members[3])/identity", ["shows": "true", "csrf": csrf])
            #expect(again.status == .conflict && Self.text(again.body.string, after: "role=\"alert\">", until: "</div>")?.contains("已是该状态") == true)
            #expect(try await web.form("/organisations/\(org)/members/\(members[3])/identity", ["shows": "false", "csrf": csrf]).status == .seeOther)
            #expect(try await Self.member(sql, members[3]).shows_identity == false)
            // A grid worker may not; a membership of another organisation is not found; nothing changes.
            let (grid, gridCSRF) = try await Self.browser(app, "gridworker")
            #expect(try await grid.form("/organisations/\(org)/members/\(members[2])/end", ["csrf": gridCSRF]).status == .forbidden)
            #expect(try await grid.form("/organisations/\(org)/members/\(members[2])/identity", ["csrf": gridCSRF]).status == .forbidden)
            #expect(try await web.form("/organisations/\(UUID())/members/\(members[2])/end", ["csrf": csrf]).status == .notFound)
            #expect(try await Self.member(sql, members[2]) == apiShown)
            // Not a date: the sentence beside that member's date, what was typed kept, the membership open.
            let bad = try await web.form("/organisations/\(org)/members/\(members[2])/end", ["ends_on": "2026-13-45", "csrf": csrf])
            Self.expectRefused(bad, beside: ["ends_on"], box: "organisations-error", names: ["ends_on"])
            #expect(bad.body.string.contains("value=\"2026-13-45\""))
            #expect(try await Self.member(sql, members[2]).ends_on == nil)
            #expect(try await Self.audits(sql, "organisation.member_ended") == 2)
        }
    }
}
