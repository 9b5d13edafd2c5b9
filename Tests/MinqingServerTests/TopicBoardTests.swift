import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

@Suite("议事: topic board, owner binding and staff-entered votes")
struct TopicBoardFlowTests {
    static func web(_ app: Application, _ username: String) async throws -> (TestClient, String) {
        let client = TestClient(app)
        let password = username == "resident" || !username.hasPrefix("o_") ? demoPassword : "Owner-Pass-1"
        #expect(try await client.signInWeb(username, password: password).status == .seeOther)
        let csrf = try #require(TestClient.csrf(in: try await client.get("/voting/topics").body.string))
        return (client, csrf)
    }

    /// The seed's lift consultation, from a resident's topic to the published decision.
    @Test("the lift consultation: topic, support, moderated discussion, hearing, owners' ballot, decision; illegal moves answer 409")
    func liftConsultation() async throws {
        let clock = TestClock()
        try await withApp(demo: true, now: { clock.now }) { app in
            let f = try await VotingFixture.make(app)
            let sql = app.db.sql
            let (zhang, zhangCSRF) = try await Self.web(app, "resident")
            let proposed = try await zhang.form(
                "/voting/topics",
                [
                    "csrf": zhangCSRF, "title": "1号楼1单元加装电梯",
                    "body": "老人上下楼困难，提议加装电梯。"
                ])
            #expect(proposed.status == .seeOther)
            let path = try #require(proposed.headers.first(name: .location))
            let topic = try #require(UUID(uuidString: String(path.split(separator: "/").last!)))
            let empty = try await zhang.form("/voting/topics", ["csrf": zhangCSRF, "title": "", "body": "x"])
            #expect(empty.status == .unprocessableEntity && empty.body.string.contains("id=\"error-title\"") && empty.body.string.contains("标题不能为空"))

            // One support per person, enforced by the database.
            let (wang, wangCSRF) = try await Self.web(app, "o_wang")
            #expect(try await wang.form("\(path)/support", ["csrf": wangCSRF]).status == .seeOther)
            let twice = try await wang.form("\(path)/support", ["csrf": wangCSRF])
            #expect(twice.status == .conflict && twice.body.string.contains("已经支持"))
            struct N: Decodable { var n: Int64 }
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM topic_supports WHERE topic_id = \(bind: topic)").first(decoding: N.self)?.n == 1)
            await #expect(throws: (any Error).self) {
                try await sql.raw(
                    """
                    INSERT INTO topic_supports (topic_id, account_id, created_at) SELECT \(bind: topic), id, \(bind: TestClock.pinnedNow()) FROM accounts WHERE username = 'o_wang'
                    """
                ).run()
            }

            // A resident's comment is held: its author and the moderators see it, others do not, until published.
            let (li, liCSRF) = try await Self.web(app, "o_li")
            #expect(try await li.form("\(path)/comments", ["csrf": liCSRF, "body": "同意，费用按楼层分摊"]).status == .seeOther)
            #expect(try await li.form("\(path)/comments", ["csrf": liCSRF, "body": "广告：低价装修"]).status == .seeOther)
            #expect(try await li.get(path).body.string.contains("费用按楼层分摊"))
            #expect(!(try await wang.get(path).body.string.contains("费用按楼层分摊")))
            let (cadre, cadreCSRF) = try await Self.web(app, "cadre")
            struct C: Decodable { var id: UUID; var body: String }
            let comments = try await sql.raw("SELECT id, body FROM topic_comments WHERE topic_id = \(bind: topic) ORDER BY created_at, body")
                .all(decoding: C.self)
            let fair = try #require(comments.first { $0.body.contains("分摊") }).id, spam = try #require(comments.first { $0.body.contains("广告") }).id
            let noReason = try await cadre.form("\(path)/comments/\(spam)/moderate", ["csrf": cadreCSRF, "decision": "hide"])
            #expect(noReason.status == .unprocessableEntity && noReason.body.string.contains("id=\"error-reason\""))
            #expect(try await cadre.form("\(path)/comments/\(fair)/moderate", ["csrf": cadreCSRF, "decision": "publish"]).status == .seeOther)
            #expect(try await cadre.form("\(path)/comments/\(fair)/moderate", ["csrf": cadreCSRF, "decision": "publish"]).status == .conflict)
            #expect(
                try await cadre.form("\(path)/comments/\(spam)/moderate", ["csrf": cadreCSRF, "decision": "hide", "reason": "商业广告"]).status
                    == .seeOther)
            let wangView = try await wang.get(path).body.string
            #expect(wangView.contains("费用按楼层分摊") && wangView.contains("商业广告") && !wangView.contains("低价装修"))
            // Residents cannot moderate.
            #expect(
                try await wang.form("\(path)/comments/\(fair)/moderate", ["csrf": wangCSRF, "decision": "hide", "reason": "x"]).status == .forbidden)

            // Staff of another residential area neither see nor run it.
            let (cadre2, cadre2CSRF) = try await Self.web(app, "cadre2")
            #expect(try await cadre2.get(path).status == .notFound)
            #expect(try await cadre2.form("\(path)/decision", ["csrf": cadre2CSRF, "outcome": "declined", "text": "x"]).status == .notFound)
            #expect(!(try await cadre2.get("/voting/topics").body.string.contains("1号楼1单元加装电梯")))

            // Deciding before any meeting or vote is refused and changes nothing.
            #expect(try await cadre.form("\(path)/decision", ["csrf": cadreCSRF, "outcome": "decided", "text": "加装"]).status == .conflict)
            // A hearing with minutes and attendees.
            #expect(
                try await cadre.form(
                    "\(path)/meetings",
                    [
                        "csrf": cadreCSRF, "kind": "hearing", "held_on": "2026-11-20", "place": "居委会会议室",
                        "attendees": "张三、王五、李四、物业、居委会", "minutes": "多数业主同意加装，低层业主担心采光。"
                    ]
                ).status == .seeOther)
            let afterHearing = try await zhang.get(path).body.string
            #expect(afterHearing.contains("听证会") && afterHearing.contains("低层业主担心采光") && afterHearing.contains("协商中"))

            // Taken to the owners' ballot of stairwell 1; each side links to the other.
            let ballot = try await f.ballot(app, closesIn: 3600, now: clock.now)
            #expect(try await cadre.form("\(path)/link", ["csrf": cadreCSRF, "target": "ballot:\(ballot.uuidString)"]).status == .seeOther)
            #expect(try await zhang.get(path).body.string.contains("/voting/ballots/\(ballot.uuidString)"))
            let ballotPage = try await zhang.get("/voting/ballots/\(ballot)").body.string
            #expect(ballotPage.contains("id=\"from-topics\"") && ballotPage.contains("/voting/topics/\(topic.uuidString)"))

            // Votes: the owner online, a paper ballot entered by staff from the ballot page.
            #expect(try await (try await VotingFixture.client(app, "resident")).vote(ballot, "agree").status == .created)
            let staffPage = try await cadre.get("/voting/ballots/\(ballot)").body.string
            #expect(staffPage.contains("id=\"entry-form\""))
            let electors = staffPage.matches(of: /<option value="([0-9A-Fa-f-]{36})"/).map { String($0.1) }
            let elector = try #require(electors.first)
            let noRef = try await cadre.form(
                "/voting/ballots/\(ballot)/enter", ["csrf": cadreCSRF, "elector_id": elector, "channel": "paper", "choice": "agree"])
            #expect(noRef.status == .unprocessableEntity && noRef.body.string.contains("id=\"error-paper_ref\""))
            #expect(
                try await cadre.form(
                    "/voting/ballots/\(ballot)/enter",
                    [
                        "csrf": cadreCSRF, "elector_id": elector, "channel": "paper",
                        "choice": "agree", "paper_ref": "扫描件 2026-11-001"
                    ]
                ).status == .seeOther)
            #expect(
                try await cadre.form(
                    "/voting/ballots/\(ballot)/enter",
                    [
                        "csrf": cadreCSRF, "elector_id": elector, "channel": "paper",
                        "choice": "disagree", "paper_ref": "扫描件 2026-11-002"
                    ]
                ).status == .conflict)
            struct V: Decodable { var channel: String; var paper_ref: String? }
            let paper = try await sql.raw("SELECT channel, paper_ref FROM owners_votes WHERE ballot_id = \(bind: ballot) AND channel = 'paper'").all(
                decoding: V.self)
            #expect(paper.count == 1 && paper.first?.paper_ref == "扫描件 2026-11-001")
            clock.advance(3601)
            #expect(try await cadre.form("/voting/ballots/\(ballot)/close", ["csrf": cadreCSRF]).status == .seeOther)
            #expect(try await zhang.get(path).body.string.contains("已结束"))

            // The decision, published; the topic then takes no support, comment or second decision.
            #expect(
                try await cadre.form(
                    "\(path)/decision",
                    [
                        "csrf": cadreCSRF, "outcome": "decided",
                        "text": "按业主表决结果办理，并公示表决结果与上诉期限。"
                    ]
                ).status == .seeOther)
            let decided = try await zhang.get(path).body.string
            #expect(decided.contains("已形成决定") && decided.contains("并公示表决结果"))
            let (zhao, zhaoCSRF) = try await Self.web(app, "o_zhao")
            #expect(try await zhao.form("\(path)/support", ["csrf": zhaoCSRF]).status == .conflict)
            #expect(try await zhao.form("\(path)/comments", ["csrf": zhaoCSRF, "body": "晚了"]).status == .conflict)
            #expect(try await cadre.form("\(path)/decision", ["csrf": cadreCSRF, "outcome": "declined", "text": "改主意"]).status == .conflict)
            struct S: Decodable { var status: String; var outcome: String? }
            let row = try await sql.raw("SELECT status, outcome FROM topics WHERE id = \(bind: topic)").first(decoding: S.self)
            #expect(row?.status == "decided" && row?.outcome?.contains("并公示") == true)
            #expect(try await AuditLog.verify(on: app.db).isIntact)
        }
    }

    @Test("the demo: the lift topic decided on its ballot's published result, linked both ways, with a hearing and moderated comments")
    func demo() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            let (zhang, _) = try await Self.web(app, "resident")
            let board = try await zhang.get("/voting/topics").body.string
            #expect(board.contains("1 单元加装电梯") && board.contains("楼道堆物清理"))
            struct T: Decodable { var id: UUID; var ballot_id: UUID?; var status: String }
            let sql = app.db.sql
            let lift = try #require(try await sql.raw("SELECT id, ballot_id, status FROM topics WHERE title = '1 单元加装电梯'").first(decoding: T.self))
            #expect(lift.status == "decided")
            let ballot = try #require(lift.ballot_id)
            let page = try await zhang.get("/voting/topics/\(lift.id)").body.string
            #expect(page.contains("听证会") && page.contains("商业广告") && !page.contains("价格最低") && page.contains("/voting/ballots/\(ballot.uuidString)"))
            #expect(try await zhang.get("/voting/ballots/\(ballot)").body.string.contains("/voting/topics/\(lift.id.uuidString)"))
        }
    }

    @Test("staff bind a resident's login to an owner with the proof noted and audited; no proof, no binding")
    func binding() async throws {
        try await withApp(demo: true) { app in
            let f = try await VotingFixture.make(app)
            _ = f
            let sql = app.db.sql
            _ = try await AccountService.create(
                NewAccount(
                    username: "o_new", displayName: "新业主", role: "resident", scopeCode: VotingFixture.groupCode,
                    password: "Owner-Pass-1", mustChangePassword: false), by: .console, app: app, on: app.db, now: TestClock.pinnedNow())
            let (cadre, csrf) = try await Self.web(app, "cadre")
            let search = try await cadre.get("/voting/owners?q=%E8%B5%B5") // 赵
            #expect(search.status == .ok && search.body.string.contains("赵七"))
            struct O: Decodable { var id: UUID }
            let zhao = try #require(try await sql.raw("SELECT id FROM owners WHERE name = '赵七'").first(decoding: O.self)).id
            let noProof = try await cadre.form("/voting/owners/bind", ["csrf": csrf, "username": "o_new", "owner_id": zhao.uuidString, "proof": " "])
            // The refused form comes back for the same owner, as typed, the sentence beside the proof.
            #expect(noProof.status == .unprocessableEntity && noProof.body.string.contains("id=\"error-proof\""))
            #expect(noProof.body.string.contains("请写明核验的凭证") && noProof.body.string.contains("value=\"o_new\""))
            #expect(
                try await cadre.form(
                    "/voting/owners/bind",
                    [
                        "csrf": csrf, "username": "o_new", "owner_id": zhao.uuidString,
                        "proof": "房产证原件（沪房地静字第001234号），本人到场"
                    ]
                ).status == .seeOther)
            let page = try await cadre.get("/voting/owners").body.string
            // The bound account by its name, never its username.
            #expect(page.contains("<strong>新业主</strong> → 赵七") && !page.contains("o_new") && page.contains("沪房地静字第001234号"))
            struct P: Decodable { var proof: String? }
            #expect(
                try await sql.raw("SELECT oa.proof FROM owner_accounts oa JOIN accounts a ON a.id = oa.account_id WHERE a.username = 'o_new'")
                    .first(decoding: P.self)?.proof?.contains("本人到场") == true)
            struct D: Decodable { var detail: String }
            let audit = try await sql.raw("SELECT detail FROM audit_log WHERE action = 'owner_account.linked' ORDER BY seq DESC LIMIT 1").first(
                decoding: D.self)
            #expect(audit?.detail.contains("本人到场") == true)
            // Staff of another area cannot bind this account.
            let (cadre2, csrf2) = try await Self.web(app, "cadre2")
            #expect(
                try await cadre2.form(
                    "/voting/owners/bind",
                    [
                        "csrf": csrf2, "username": "o_new", "owner_id": zhao.uuidString,
                        "proof": "x"
                    ]
                ).status == .notFound)
        }
    }
}
