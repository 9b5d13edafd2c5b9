import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// The dispatcher's board (派单台) and `GET /api/v1/cases` on a small demo (200 cases): every
/// filter and the search count exactly the cases a raw read of the table gives, pages add up to
/// the count, filters stay in the page links, and nothing outside the caller's scope shows.
@Suite("Cases: the dispatcher's board")
struct CasesBoardTests {
    /// A case as the oracle reads it: straight from the tables, with its grid code and 大类.
    struct Raw: Decodable {
        var id: UUID; var number: String; var channel: String; var category_code: String; var parent_code: String?; var state: String
        var code: String; var title: String; var description: String; var address: String; var source_ref: String?; var due_at: Date?
        var reported_at: Date; var submitter_account_id: UUID?
    }

    struct Listed: Decodable { var id: UUID; var number: String; var reported_at: Date }

    static func raw(_ app: Application) async throws -> [Raw] {
        try await app.db.sql.raw(
            """
            SELECT c.id, c.number, c.channel, c.category_code, cc.parent_code, c.state, g.code, c.title, c.description, c.address,
                   c.source_ref, c.due_at, c.reported_at, c.submitter_account_id
            FROM cases c JOIN grid_nodes g ON g.id = c.grid_node_id JOIN case_categories cc ON cc.code = c.category_code
            """
        ).all(decoding: Raw.self)
    }

    /// A query string, every value percent-encoded.
    static func query(_ pairs: [(String, String)]) -> String {
        pairs.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
    }

    /// Every case the API lists for `pairs` (200 a page) and the total it announces.
    static func listed(_ client: TestClient, _ pairs: [(String, String)]) async throws -> (ids: Set<UUID>, total: Int?) {
        var ids = Set<UUID>()
        var total: Int?
        var offset = 0
        while true {
            let response = try await client.get("/api/v1/cases?" + query(pairs + [("limit", "200"), ("offset", "\(offset)")]))
            #expect(response.status == .ok, "\(pairs): \(response.status) \(response.body.string.prefix(300))")
            let rows = try response.decode([Listed].self)
            ids.formUnion(rows.map(\.id))
            total = response.headers.first(name: "X-Total-Count").flatMap { Int($0) }
            if rows.count < 200 { return (ids, total) }
            offset += 200
        }
    }

    /// The states in which the handling deadline runs, written out (the oracle's own list).
    static let running: Set<String> = ["dispatched", "returned", "in_progress", "extension_requested"]

    @Test("each filter, the search and their combination list and count exactly the cases a raw read finds")
    func filtersCount() async throws {
        let now = TestClock.pinnedNow()
        try await withApp(demo: true, demoPeople: 0.01, now: { now }) { app in
            let staff = try await CasesFixture.client(app, "staff")
            let all = try await Self.raw(app).filter { $0.code.hasPrefix("310106019") }
            try #require(all.count >= 60)
            // Filter values taken from the data, so that no check passes on an empty set.
            let channel = Dictionary(grouping: all, by: \.channel).max { $0.value.count < $1.value.count }!.key
            let family = try #require(all.first?.parent_code)
            let minor = all[all.count / 2].category_code
            let area = "310106019-1-01"
            let word = String(all[all.count / 3].description.prefix(2))
            let number = all[all.count / 4].number
            func contains(_ r: Raw, _ text: String) -> Bool {
                [r.number, r.source_ref ?? "", r.title, r.description, r.address].contains { $0.contains(text) }
            }
            func inArea(_ r: Raw) -> Bool { r.code == area || r.code.hasPrefix(area + "-") }
            let checks: [(String, [(String, String)], (Raw) -> Bool)] = [
                ("everything", [], { _ in true }),
                ("channel", [("channel", channel)], { $0.channel == channel }),
                ("大类", [("category", family)], { $0.parent_code == family }),
                ("小类", [("category", minor)], { $0.category_code == minor }),
                ("area", [("node", area)], inArea),
                ("area (alias)", [("area", area)], inArea),
                ("states", [("state", "filed,returned,dispatched")], { ["filed", "returned", "dispatched"].contains($0.state) }),
                ("closed", [("status", "closed")], { ["rejected", "merged", "closed", "evaluated"].contains($0.state) }),
                ("overdue", [("overdue", "1")], { Self.running.contains($0.state) && ($0.due_at.map { $0 < now } ?? false) }),
                ("search words", [("q", word)], { contains($0, word) }),
                ("search number", [("q", number)], { contains($0, number) }),
                (
                    "combined", [("channel", channel), ("node", area), ("q", word), ("status", "open")],
                    { $0.channel == channel && inArea($0) && contains($0, word) && !["rejected", "merged", "closed", "evaluated"].contains($0.state) }
                )
            ]
            for (name, pairs, keep) in checks {
                let expected = Set(all.filter(keep).map(\.id))
                let got = try await Self.listed(staff, pairs)
                #expect(got.total == expected.count, "\(name): count")
                #expect(got.ids == expected, "\(name): rows")
            }
            #expect(all.filter { contains($0, word) }.count > 0 && all.filter(inArea).count > 0)
            #expect(all.filter { contains($0, number) }.map(\.number).contains(number))
        }
    }

    @Test("pages add up to the count, newest first; the board page keeps its filters in the page links")
    func paging() async throws {
        let now = TestClock.pinnedNow()
        try await withApp(demo: true, demoPeople: 0.01, now: { now }) { app in
            let staffAPI = try await CasesFixture.client(app, "staff")
            let states = "reported,filed,dispatched,in_progress,handled,verifying,closed,evaluated"
            let expected = try await Self.raw(app).filter {
                $0.code.hasPrefix("310106019") && states.split(separator: ",").contains(Substring($0.state))
            }
            try #require(expected.count > 50)
            // The API in pages of 7: together exactly the filtered set, once each, newest first.
            var seen: [Listed] = []
            var offset = 0
            while offset < expected.count + 7 {
                let response = try await staffAPI.get("/api/v1/cases?" + Self.query([("state", states), ("limit", "7"), ("offset", "\(offset)")]))
                #expect(response.headers.first(name: "X-Total-Count") == "\(expected.count)")
                let rows = try response.decode([Listed].self)
                #expect(rows.count == min(7, max(0, expected.count - offset)))
                seen += rows
                offset += 7
            }
            #expect(seen.count == expected.count && Set(seen.map(\.id)) == Set(expected.map(\.id)))
            #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.reported_at >= $1.reported_at })

            // The page: 50 a page, the count, and a next link that keeps the states.
            let web = TestClient(app)
            #expect(try await web.signInWeb("staff").status == .seeOther)
            let first = try await web.get("/cases?" + Self.query([("state", states)]))
            #expect(first.status == .ok)
            let html = first.body.string
            #expect(html.contains("id=\"case-total\"") && html.contains("共 \(expected.count) 件"))
            #expect(html.components(separatedBy: "class=\"case-row\"").count - 1 == 50)
            let next = try #require(Self.link(html, rel: "next"))
            #expect(next.contains("page=2") && next.contains("state=reported%2Cfiled"))
            let second = try await web.get(next).body.string
            #expect(second.contains("第 2 / \((expected.count + 49) / 50) 页"))
            let firstNumbers = Set(Self.numbers(html)), secondNumbers = Set(Self.numbers(second))
            #expect(firstNumbers.isDisjoint(with: secondNumbers) && !secondNumbers.isEmpty)
            #expect(secondNumbers.isSubset(of: Set(expected.map(\.number))))
            // The filter form shows what was chosen: the category and area selects by name.
            #expect(html.contains("id=\"board-filters\"") && html.contains("name=\"category\"") && html.contains("name=\"node\""))
        }
    }

    @Test("a case outside the caller's scope never appears, whatever the filter or search")
    func outsideScope() async throws {
        let now = TestClock.pinnedNow()
        try await withApp(demo: true, demoPeople: 0.01, now: { now }) { app in
            let cadre = try await CasesFixture.client(app, "cadre") // 310106019-1-01
            let all = try await Self.raw(app)
            let mine = all.filter { $0.code.hasPrefix("310106019-1-01-") }
            let outside = try #require(all.first { !$0.code.hasPrefix("310106019-1-01-") })
            let everything = try await Self.listed(cadre, [])
            #expect(everything.total == mine.count && everything.ids == Set(mine.map(\.id)))
            // Another area's node, the outside case's number, its words: nothing.
            for pairs in [[("node", "310106019-1-02")], [("q", outside.number)], [("number", outside.number)]] {
                let got = try await Self.listed(cadre, pairs)
                #expect(got.total == 0 && got.ids.isEmpty, "\(pairs)")
            }
            let web = TestClient(app)
            #expect(try await web.signInWeb("cadre").status == .seeOther)
            let page = try await web.get("/cases?" + Self.query([("q", outside.number)])).body.string
            #expect(!Self.numbers(page).contains(outside.number) && page.contains("共 0 件"))
            // A resident sees their own only.
            let resident = try await CasesFixture.client(app, "resident")
            struct ID: Decodable { var id: UUID }
            let me = try #require(try await app.db.sql.raw("SELECT id FROM accounts WHERE username = 'resident'").first(decoding: ID.self))
            let own = try await Self.listed(resident, [])
            #expect(own.ids == Set(all.filter { $0.submitter_account_id == me.id }.map(\.id)))
        }
    }

    @Test("a filter that cannot be read answers 422 with a sentence, beside the filter on the page")
    func badFilters() async throws {
        try await withApp(demo: true) { app in
            let staff = try await CasesFixture.client(app, "staff")
            for (pairs, field) in [
                ([("state", "nonsense")], "state"), ([("channel", "pigeon")], "channel"), ([("category", "Z99")], "category"),
                ([("limit", "0")], "limit"), ([("limit", "201")], "limit"), ([("offset", "-1")], "offset"), ([("overdue", "2")], "overdue"),
                ([("q", String(repeating: "查", count: 101))], "q"), ([("from", "yesterday")], "from"), ([("node", "no-such-node")], "node")
            ] {
                let response = try await staff.get("/api/v1/cases?" + Self.query(pairs))
                #expect(response.status == .unprocessableEntity, "\(pairs)")
                struct Envelope: Decodable {
                    struct E: Decodable { struct F: Decodable { var field: String; var message: String }; var fields: [F] }
                    var error: E
                }
                let fields = try response.decode(Envelope.self).error.fields
                #expect(fields.map(\.field) == [field], "\(pairs)")
                // The sentence says what to do; it never names the input.
                #expect(fields.allSatisfy { !$0.message.isEmpty && !$0.message.contains(field) }, "\(pairs)")
            }
            let web = TestClient(app)
            #expect(try await web.signInWeb("staff").status == .seeOther)
            let page = try await web.get("/cases?" + Self.query([("channel", "pigeon"), ("q", "楼道")]))
            #expect(page.status == .unprocessableEntity)
            let html = page.body.string
            #expect(html.contains("id=\"error-channel\"") && html.contains("请从列表中选择来源渠道"))
            #expect(html.contains("value=\"楼道\""), "the search keeps what was typed")
        }
    }

    /// The `href` of the first link with `rel`, unescaped (`&amp;` → `&`).
    static func link(_ html: String, rel: String) -> String? {
        guard let marker = html.range(of: "rel=\"\(rel)\"") else { return nil }
        let before = html[..<marker.lowerBound]
        guard let start = before.range(of: "href=\"", options: .backwards) else { return nil }
        let rest = html[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end]).replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The case numbers a list page shows.
    static func numbers(_ html: String) -> [String] {
        html.matches(of: /<span class="mono">([0-9]{4}-[0-9]+)<\/span>/).map { String($0.output.1) }
    }
}
