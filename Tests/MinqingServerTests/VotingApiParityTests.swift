import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// The API gives what the pages give (issue 21, item 11): the topic board, the electors of an
/// open ballot (staff entering paper and proxy votes) and the owner search of the binding page
/// answer in JSON what their pages show, to the same roles and inside the same scope. Oracles
/// are raw row counts and the pages' own HTML.
@Suite("Voting: the API answers what the pages show")
struct VotingApiParityTests {
    struct Message: Decodable {
        struct Body: Decodable { var code: String; var message: String }
        var error: Body
    }

    static func count(_ app: Application, _ query: SQLQueryString) async throws -> Int {
        struct N: Decodable { var n: Int64 }
        return Int(try await app.db.sql.raw(query).first(decoding: N.self)?.n ?? -1)
    }

    /// The nodes in the subtree of `username`'s node, as SQL.
    static func subtree(_ username: String) -> SQLQueryString {
        "(SELECT c.descendant_id FROM grid_closure c JOIN accounts s ON s.grid_node_id = c.ancestor_id WHERE s.username = \(bind: username))"
    }

    /// Ids linked from a page as `/voting/<kind>/<id>`, upper-case as the pages write them.
    static func linked(_ html: String, _ kind: String) -> Set<String> {
        Set(html.matches(of: /href="\/voting\/([a-z]+)\/([0-9A-Fa-f-]{36})"/).filter { $0.1 == kind }.map { String($0.2).uppercased() })
    }

    /// The option values of the select with `id` on a page.
    static func options(_ html: String, select id: String) -> [String] {
        guard let start = html.range(of: "id=\"\(id)\""), let end = html[start.upperBound...].range(of: "</select>") else { return [] }
        return html[start.upperBound..<end.lowerBound].matches(of: /<option value="([^"]*)"/).map { String($0.1) }
    }

    static func percentEncoded(_ text: String) -> String { text.utf8.map { String(format: "%%%02X", $0) }.joined() }

    @Test("the topic board: the list, the areas and a topic answer as the pages show them; others get 403, outsiders 404 as for no topic")
    func topicBoard() async throws {
        try await withApp(demo: true) { app in
            _ = try await VotingFixture.make(app)
            struct Board: Decodable {
                struct T: Decodable { var id: UUID; var title: String }
                struct A: Decodable { var code: String; var name: String }
                var topics: [T]
                var areas: [A]
            }
            let zhang = try await VotingFixture.client(app, "resident")
            let proposed = try await zhang.jsonObject(.POST, "/api/v1/voting/topics", ["title": "楼下自行车棚翻新", "body": "车棚漏雨，提议翻新。"])
            #expect(proposed.status == .created)
            struct Created: Decodable { var id: UUID }
            let topic = try proposed.decode(Created.self).id

            // The resident: the topics of their own area and of their subtree, the first 100, as the board page lists them.
            let board = try await zhang.get("/api/v1/voting/topics").decode(Board.self)
            let raw = try await Self.count(
                app,
                """
                SELECT COUNT(*) AS n FROM topics t
                WHERE t.grid_node_id IN (SELECT c.ancestor_id FROM grid_closure c JOIN accounts a ON a.grid_node_id = c.descendant_id
                                         WHERE a.username = 'resident')
                   OR t.grid_node_id IN \(Self.subtree("resident"))
                """)
            #expect(raw >= 1 && board.topics.count == min(raw, 100))
            #expect(board.topics.contains { $0.id == topic } && board.areas.isEmpty)
            let (zhangWeb, _) = try await TopicBoardFlowTests.web(app, "resident")
            let page = try await zhangWeb.get("/voting/topics").body.string
            #expect(Self.linked(page, "topics") == Set(board.topics.map { $0.id.uuidString }))
            #expect(!page.contains("id=\"topic-area\""))

            // Subdistrict staff, bound above the residential areas, choose one: the same areas as the form offers.
            let staff = try await VotingFixture.client(app, "staff")
            let staffBoard = try await staff.get("/api/v1/voting/topics").decode(Board.self)
            let areas = try await Self.count(
                app, "SELECT COUNT(*) AS n FROM grid_nodes n WHERE n.level = 'residential_area' AND n.id IN \(Self.subtree("staff"))")
            #expect(areas > 0 && staffBoard.areas.count == min(areas, 100))
            let (staffWeb, _) = try await TopicBoardFlowTests.web(app, "staff")
            let staffPage = try await staffWeb.get("/voting/topics").body.string
            #expect(Self.options(staffPage, select: "topic-area") == staffBoard.areas.map(\.code))

            // Outside the scope, or a role the board is not for.
            let cadre2 = try await VotingFixture.client(app, "cadre2")
            let outside = try await cadre2.get("/api/v1/voting/topics/\(topic)")
            let none = try await cadre2.get("/api/v1/voting/topics/\(UUID())")
            #expect(outside.status == .notFound && none.status == .notFound)
            #expect(try outside.decode(Message.self).error.message == none.decode(Message.self).error.message)
            #expect(!outside.body.string.contains("自行车棚"))
            #expect(!(try await cadre2.get("/api/v1/voting/topics").body.string.contains(topic.uuidString)))
            let handler = try await VotingFixture.client(app, "handler")
            #expect(try await handler.get("/api/v1/voting/topics").status == .forbidden)
            #expect(try await handler.get("/api/v1/voting/topics/\(topic)").status == .forbidden)
        }
    }

    @Test("a topic: comments held for moderation, support and the link targets answer as the topic page shows them")
    func topicDetail() async throws {
        try await withApp(demo: true) { app in
            let f = try await VotingFixture.make(app)
            _ = try await f.ballot(app)
            struct Page: Decodable {
                struct C: Decodable { var id: UUID; var status: String; var body: String }
                struct L: Decodable { var kind: String; var id: UUID; var title: String }
                var comments: [C]
                var i_support: Bool
                var manages: Bool
                var link_targets: [L]
            }
            let zhang = try await VotingFixture.client(app, "resident")
            struct Created: Decodable { var id: UUID }
            let topic = try await zhang.jsonObject(.POST, "/api/v1/voting/topics", ["title": "加装雨棚", "body": "单元门口加装雨棚。"])
                .decode(Created.self).id
            let wang = try await VotingFixture.client(app, "o_wang")
            #expect(try await wang.jsonObject(.POST, "/api/v1/voting/topics/\(topic)/comments", ["body": "同意，建议用透明材料"]).status == .created)
            #expect(try await zhang.send(.POST, "/api/v1/voting/topics/\(topic)/support").status == .created)
            let all = try await Self.count(app, "SELECT COUNT(*) AS n FROM topic_comments WHERE topic_id = \(bind: topic)")
            let published = try await Self.count(
                app, "SELECT COUNT(*) AS n FROM topic_comments WHERE topic_id = \(bind: topic) AND status = 'published'")
            #expect(all == 1 && published == 0)

            // The held comment: its author and the moderators see it, the proposer does not.
            let mine = try await zhang.get("/api/v1/voting/topics/\(topic)").decode(Page.self)
            #expect(mine.comments.count == published && mine.i_support && !mine.manages && mine.link_targets.isEmpty)
            #expect(try await wang.get("/api/v1/voting/topics/\(topic)").decode(Page.self).comments.map(\.status) == ["held"])
            let cadre = try await VotingFixture.client(app, "cadre")
            let managed = try await cadre.get("/api/v1/voting/topics/\(topic)").decode(Page.self)
            #expect(managed.comments.count == all && managed.manages && !managed.i_support)

            // What the topic can be taken to: the same ballots and polls as the page's link form offers.
            let (cadreWeb, _) = try await TopicBoardFlowTests.web(app, "cadre")
            let page = try await cadreWeb.get("/voting/topics/\(topic)").body.string
            let offered = Self.options(page, select: "link-target").map { $0.lowercased() }
            #expect(!offered.isEmpty)
            #expect(offered == managed.link_targets.map { "\($0.kind):\($0.id.uuidString.lowercased())" })
            #expect(page.contains("同意，建议用透明材料") && managed.comments.first?.body == "同意，建议用透明材料")
        }
    }

    @Test("the electors still to vote: what the staff's entry form lists, for those who run the ballot; none once it is over")
    func electors() async throws {
        let clock = TestClock()
        try await withApp(demo: true, now: { clock.now }) { app in
            let f = try await VotingFixture.make(app)
            let ballot = try await f.ballot(app, closesIn: 3600, now: clock.now)
            #expect(try await (try await VotingFixture.client(app, "resident")).vote(ballot, "agree").status == .created)
            struct Elector: Decodable { var id: UUID; var label: String }
            let cadre = try await VotingFixture.client(app, "cadre")
            let listed = try await cadre.get("/api/v1/voting/ballots/\(ballot)/electors").decode([Elector].self)
            let total = try await Self.count(app, "SELECT COUNT(*) AS n FROM ballot_electors WHERE ballot_id = \(bind: ballot)")
            let waiting = try await Self.count(
                app,
                """
                SELECT COUNT(*) AS n FROM ballot_electors e WHERE e.ballot_id = \(bind: ballot)
                AND NOT EXISTS (SELECT 1 FROM owners_votes v WHERE v.ballot_id = e.ballot_id AND v.elector_id = e.id)
                """)
            #expect(total > 1 && waiting == total - 1 && listed.count == waiting)
            let (web, _) = try await TopicBoardFlowTests.web(app, "cadre")
            let page = try await web.get("/voting/ballots/\(ballot)").body.string
            #expect(Self.options(page, select: "entry-elector") == listed.map { $0.id.uuidString })
            #expect(!listed.contains { $0.label == "张三" }) // Zhang has voted

            // Owners do not read the roll; staff who do not run the ballot get what no ballot gets.
            let zhang = try await VotingFixture.client(app, "resident")
            #expect(try await zhang.get("/api/v1/voting/ballots/\(ballot)/electors").status == .forbidden)
            let cadre2 = try await VotingFixture.client(app, "cadre2")
            let outside = try await cadre2.get("/api/v1/voting/ballots/\(ballot)/electors")
            let none = try await cadre2.get("/api/v1/voting/ballots/\(UUID())/electors")
            #expect(outside.status == .notFound && none.status == .notFound)
            #expect(try outside.decode(Message.self).error.message == none.decode(Message.self).error.message)
            #expect(!outside.body.string.contains("王五"))

            // Past its closing time no vote can be entered: the list is empty and the form is gone.
            clock.advance(3601)
            #expect(try await cadre.get("/api/v1/voting/ballots/\(ballot)/electors").decode([Elector].self).isEmpty)
            #expect(!(try await web.get("/voting/ballots/\(ballot)").body.string.contains("id=\"entry-form\"")))
        }
    }

    @Test("the owner search: the owners found and the bindings the binding page shows, people by name; scoped in SQL")
    func ownerSearch() async throws {
        try await withApp(demo: true) { app in
            let f = try await VotingFixture.make(app)
            struct Search: Decodable {
                struct O: Decodable { var id: UUID; var name: String; var places: String? }
                struct B: Decodable { var account_name: String; var owner_name: String; var created_by: String?; var created_by_role: String? }
                var owners: [O]
                var bindings: [B]
            }
            let q = Self.percentEncoded("张三")
            let cadre = try await VotingFixture.client(app, "cadre")
            let response = try await cadre.get("/api/v1/voting/owners?q=\(q)")
            let found = try response.decode(Search.self)
            let named = try await Self.count(
                app,
                """
                SELECT COUNT(DISTINCT o.id) AS n FROM owners o JOIN dwelling_owners x ON x.owner_id = o.id JOIN dwellings d ON d.id = x.dwelling_id
                WHERE o.name LIKE \(bind: "%张三%") AND d.grid_node_id IN \(Self.subtree("cadre"))
                """)
            #expect(named >= 1 && found.owners.count == min(named, 30) && found.owners.contains { $0.id == f.zhang })
            let bound = try await Self.count(
                app,
                """
                SELECT COUNT(*) AS n FROM owner_accounts oa JOIN accounts a ON a.id = oa.account_id WHERE a.grid_node_id IN \(Self.subtree("cadre"))
                """)
            #expect(bound >= 5 && found.bindings.count == min(bound, 50))

            // People by name and role, never by username.
            struct Name: Decodable { var display_name: String }
            let cadreName = try #require(
                try await app.db.sql.raw("SELECT display_name FROM accounts WHERE username = 'cadre'").first(decoding: Name.self)
            ).display_name
            let wang = try #require(found.bindings.first { $0.owner_name == "王五" })
            #expect(wang.account_name == "王五" && wang.created_by == cadreName && wang.created_by_role == "area_cadre")
            #expect(!response.body.string.contains("o_wang") && !response.body.string.contains("\"cadre\""))

            // The page shows the same owners and bindings.
            let (web, _) = try await TopicBoardFlowTests.web(app, "cadre")
            let page = try await web.get("/voting/owners?q=\(q)").body.string
            let ids = Set(page.matches(of: /name="owner_id" value="([0-9A-F-]{36})"/).map { String($0.1) })
            #expect(ids == Set(found.owners.map { $0.id.uuidString }))
            #expect(page.contains("<strong>王五</strong> → 王五"))

            // Residents do not search owners; another area's staff do not find this one.
            #expect(try await (try await VotingFixture.client(app, "resident")).get("/api/v1/voting/owners?q=\(q)").status == .forbidden)
            let elsewhere = try await (try await VotingFixture.client(app, "cadre2")).get("/api/v1/voting/owners?q=\(q)").decode(Search.self)
            #expect(!elsewhere.owners.contains { $0.id == f.zhang })
            let boundElsewhere = try await Self.count(
                app,
                """
                SELECT COUNT(*) AS n FROM owner_accounts oa JOIN accounts a ON a.id = oa.account_id WHERE a.grid_node_id IN \(Self.subtree("cadre2"))
                """)
            #expect(elsewhere.bindings.count == min(boundElsewhere, 50))
        }
    }
}
