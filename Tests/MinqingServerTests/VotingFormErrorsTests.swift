import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// The voting forms (issue 21, items 1 and 5): a refused form comes back with 422, as typed, each
/// problem as a sentence beside its field (`p.field-error#error-<name>`) and the box above saying
/// only sentences, never an input name; a resident poll is started on a page.
@Suite("Voting forms: sentences beside the fields, values kept")
struct VotingFormErrorsTests {
    /// The sentence beside the field `name`, if any.
    static func beside(_ html: String, _ name: String) -> String? {
        html.matches(of: /<p class="field-error" id="error-([a-z_]+)">([^<]*)<\/p>/).first { $0.1 == name }.map { String($0.2) }
    }

    /// Every problem the page prints: the sentences beside fields and the text of the box above.
    static func problems(_ html: String) -> [String] {
        var texts = html.matches(of: /<p class="field-error" id="error-[a-z_]+">([^<]*)<\/p>/).map { String($0.1) }
        if let box = html.range(of: "id=\"voting-error\""), let open = html[box.upperBound...].range(of: ">"),
            let end = html[open.upperBound...].range(of: "</div>")
        {
            texts.append(String(html[open.upperBound..<end.lowerBound]).replacing(/<[^>]*>/, with: " "))
        }
        return texts
    }

    /// In Chinese no problem holds a Latin letter: an input name (`title`, `options`, `paper_ref`) would.
    static func noInputNames(_ html: String, _ context: String) {
        let texts = problems(html)
        #expect(!texts.isEmpty, "\(context): no problem printed")
        for text in texts {
            #expect(text.firstMatch(of: /[A-Za-z]/) == nil, "\(context): \(text)")
        }
    }

    static func count(_ app: Application, _ query: SQLQueryString) async throws -> Int {
        struct N: Decodable { var n: Int64 }
        return Int(try await app.db.sql.raw(query).first(decoding: N.self)?.n ?? -1)
    }

    @Test("a poll posted with an empty title: 422, the sentence beside the title, every other field as typed; then it starts")
    func pollEmptyTitle() async throws {
        try await withApp(demo: true) { app in
            let (cadre, csrf) = try await TopicBoardFlowTests.web(app, "cadre")
            let form = try await cadre.get("/voting/polls/new")
            #expect(form.status == .ok && form.body.string.contains("id=\"new-poll-form\""))
            struct Code: Decodable { var code: String }
            let node = try #require(
                try await app.db.sql.raw("SELECT g.code FROM accounts a JOIN grid_nodes g ON g.id = a.grid_node_id WHERE a.username = 'cadre'")
                    .first(decoding: Code.self)
            ).code
            let closes = LocalTime.value(TestClock.pinnedNow().addingTimeInterval(2 * 86_400))
            var fields = [
                "csrf": csrf, "node": node, "title": " ", "description": "周末活动征求意见", "options": "看电影\n去公园",
                "unit": "household", "secrecy": "secret", "closes_at": closes, "results_live": "on"
            ]
            let bad = try await cadre.form("/voting/polls/new", fields)
            #expect(bad.status == .unprocessableEntity)
            let html = bad.body.string
            #expect(Self.beside(html, "title")?.contains("标题不能为空") == true)
            #expect(Self.beside(html, "options") == nil && Self.beside(html, "node") == nil)
            Self.noInputNames(html, "poll")
            // What was typed stays.
            #expect(html.contains("看电影\n去公园") && html.contains("周末活动征求意见"))
            #expect(html.firstMatch(of: /value="household"[^>]*selected/) != nil && html.firstMatch(of: /value="secret"[^>]*selected/) != nil)
            #expect(html.contains("value=\"\(closes)\"") && html.firstMatch(of: /name="results_live"[^>]*checked/) != nil)
            #expect(html.firstMatch(of: try Regex("value=\"\(node)\"[^>]*selected")) != nil)
            #expect(try await Self.count(app, "SELECT COUNT(*) AS n FROM polls WHERE description = '周末活动征求意见'") == 0)

            fields["title"] = "周末活动去哪里"
            let good = try await cadre.form("/voting/polls/new", fields)
            #expect(good.status == .seeOther)
            let location = try #require(good.headers.first(name: .location))
            struct Poll: Decodable { var id: UUID; var unit: String; var secrecy: String; var results_live: Bool }
            let poll = try #require(
                try await app.db.sql.raw("SELECT id, unit, secrecy, results_live FROM polls WHERE title = '周末活动去哪里'").first(decoding: Poll.self))
            #expect(location == "/voting/polls/\(poll.id.uuidString)")
            #expect(poll.unit == "household" && poll.secrecy == "secret" && poll.results_live)
            #expect(try await Self.count(app, "SELECT COUNT(*) AS n FROM poll_options WHERE poll_id = \(bind: poll.id)") == 2)
            // Its organiser closes it from its page.
            let page = try await cadre.get(location).body.string
            #expect(page.contains("id=\"close-poll\""))
            #expect(try await cadre.form("/voting/polls/\(poll.id)/close", ["csrf": csrf]).status == .seeOther)
            #expect(try await Self.count(app, "SELECT COUNT(*) AS n FROM polls WHERE id = \(bind: poll.id) AND status = 'closed'") == 1)
            let again = try await cadre.form("/voting/polls/\(poll.id)/close", ["csrf": csrf])
            #expect(again.status == .conflict && again.body.string.contains("投票已经结束"))
        }
    }

    @Test("a poll with one option and a past closing time: each sentence beside its field, in English too; residents get no form")
    func pollManyProblems() async throws {
        try await withApp(demo: true) { app in
            let (cadre, csrf) = try await TopicBoardFlowTests.web(app, "cadre")
            _ = try await cadre.get("/lang/en?back=/voting")
            let past = LocalTime.value(TestClock.pinnedNow().addingTimeInterval(-3600))
            let bad = try await cadre.form(
                "/voting/polls/new", ["csrf": csrf, "node": "", "title": "Where to?", "options": "Only one", "closes_at": past])
            #expect(bad.status == .unprocessableEntity)
            let html = bad.body.string
            #expect(Self.beside(html, "options") == "A poll needs 2 to 12 options.")
            #expect(Self.beside(html, "closes_at") == "The closing time must be in the future.")
            #expect(Self.beside(html, "node") == "Choose who votes: a part of the grid in your scope.")
            #expect(Self.beside(html, "title") == nil && html.contains("value=\"Where to?\"") && html.contains(">Only one</textarea>"))
            for text in Self.problems(html) {
                #expect(text.firstMatch(of: /[a-z]+_[a-z]+|\bnode\b/) == nil, "an input name in: \(text)")
            }
            let resident = TestClient(app)
            #expect(try await resident.signInWeb("resident").status == .seeOther)
            #expect(try await resident.get("/voting/polls/new").status == .forbidden)
            #expect(!(try await resident.get("/voting").body.string.contains("id=\"new-poll\"")))
        }
    }

    @Test("a topic proposed with nothing in it, and a meeting with no place: the sentences beside title, body and place; the minutes kept")
    func topicForms() async throws {
        try await withApp(demo: true) { app in
            let (zhang, zhangCSRF) = try await TopicBoardFlowTests.web(app, "resident")
            let empty = try await zhang.form("/voting/topics", ["csrf": zhangCSRF, "title": "", "body": ""])
            #expect(empty.status == .unprocessableEntity)
            #expect(Self.beside(empty.body.string, "title") != nil && Self.beside(empty.body.string, "body")?.contains("议题内容") == true)
            Self.noInputNames(empty.body.string, "propose")
            let proposed = try await zhang.form("/voting/topics", ["csrf": zhangCSRF, "title": "楼道灯不亮", "body": "三楼楼道灯坏了。"])
            let path = try #require(proposed.headers.first(name: .location))

            let (cadre, csrf) = try await TopicBoardFlowTests.web(app, "cadre")
            let meeting = try await cadre.form(
                "\(path)/meetings",
                ["csrf": csrf, "kind": "coordination", "held_on": "2026-11-20", "place": " ", "attendees": "物业、业主代表", "minutes": "约定周五前修好"])
            #expect(meeting.status == .unprocessableEntity)
            let html = meeting.body.string
            #expect(Self.beside(html, "place")?.contains("会议地点") == true && Self.beside(html, "minutes") == nil)
            #expect(html.contains(">约定周五前修好</textarea>") && html.contains(">物业、业主代表</textarea>") && html.contains("value=\"2026-11-20\""))
            #expect(html.firstMatch(of: /value="coordination"[^>]*selected/) != nil)
            Self.noInputNames(html, "meeting")
            let decision = try await cadre.form("\(path)/decision", ["csrf": csrf, "text": "已修复"])
            #expect(decision.status == .unprocessableEntity && Self.beside(decision.body.string, "outcome") != nil)
            #expect(decision.body.string.contains(">已修复</textarea>"))
            Self.noInputNames(decision.body.string, "decision")
        }
    }

    @Test("a paper ballot entered with no reference and no answer: both sentences beside their fields, the owner still chosen")
    func entryForm() async throws {
        try await withApp(demo: true) { app in
            let f = try await VotingFixture.make(app)
            let ballot = try await f.ballot(app)
            let (cadre, csrf) = try await TopicBoardFlowTests.web(app, "cadre")
            let page = try await cadre.get("/voting/ballots/\(ballot)").body.string
            let electors = page.matches(of: /<option value="([0-9A-F-]{36})"/).map { String($0.1) }
            let elector = try #require(electors.last)
            let bad = try await cadre.form("/voting/ballots/\(ballot)/enter", ["csrf": csrf, "elector_id": elector, "channel": "paper"])
            #expect(bad.status == .unprocessableEntity)
            let html = bad.body.string
            #expect(Self.beside(html, "paper_ref")?.contains("扫描件") == true && Self.beside(html, "choice")?.contains("同意、反对或弃权") == true)
            #expect(html.firstMatch(of: try Regex("value=\"\(elector)\"[^>]*selected")) != nil)
            #expect(html.firstMatch(of: /value="paper"[^>]*checked/) != nil)
            Self.noInputNames(html, "entry")
            #expect(try await Self.count(app, "SELECT COUNT(*) AS n FROM owners_votes WHERE ballot_id = \(bind: ballot)") == 0)

            // The owner's own vote form: no answer chosen, the sentence beside the choices.
            let (zhang, zhangCSRF) = try await TopicBoardFlowTests.web(app, "resident")
            let own = try #require(
                try await zhang.get("/voting/ballots/\(ballot)").body.string.firstMatch(of: /name="elector_id" value="([0-9A-F-]+)"/)?.1)
            let noChoice = try await zhang.form("/voting/ballots/\(ballot)/vote", ["csrf": zhangCSRF, "elector_id": String(own)])
            #expect(noChoice.status == .unprocessableEntity && Self.beside(noChoice.body.string, "choice") != nil)
            Self.noInputNames(noChoice.body.string, "vote")
        }
    }

    @Test("binding with no proof: the sentence beside the proof, the username kept, for the owner it was for")
    func bindForm() async throws {
        try await withApp(demo: true) { app in
            let f = try await VotingFixture.make(app)
            let (cadre, csrf) = try await TopicBoardFlowTests.web(app, "cadre")
            let bad = try await cadre.form(
                "/voting/owners/bind", ["csrf": csrf, "username": "o_zhao", "owner_id": f.chen.uuidString, "proof": "", "q": ""])
            #expect(bad.status == .unprocessableEntity)
            let html = bad.body.string
            #expect(Self.beside(html, "proof")?.contains("核验的凭证") == true && Self.beside(html, "username") == nil)
            #expect(html.contains("value=\"o_zhao\"") && html.contains("value=\"\(f.chen.uuidString)\"") && html.contains("陈六"))
            Self.noInputNames(html, "bind")
        }
    }
}
