import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

@Suite("Voting pages and demo")
struct VotingPagesTests {
    @Test("an owner votes through the page; the close publishes the figures with their rules, in Chinese and English")
    func pageFlow() async throws {
        let clock = TestClock()
        try await withApp(demo: true, now: { clock.now }) { app in
            let f = try await VotingFixture.make(app)
            let ballot = try await f.ballot(app, closesIn: 3600, now: clock.now) // within the web session's 12 hours
            let zhang = TestClient(app)
            #expect(try await zhang.signInWeb("resident").status == .seeOther)
            let page = try await zhang.get("/voting/ballots/\(ballot)")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("id=\"my-votes\"") && html.contains("id=\"result-hidden\""))
            let csrf = try #require(TestClient.csrf(in: html))
            let elector = try #require(html.firstMatch(of: /name="elector_id" value="([0-9A-F-]+)"/)?.1)
            let cast = try await zhang.form("/voting/ballots/\(ballot)/vote", ["csrf": csrf, "choice": "agree", "elector_id": String(elector)])
            #expect(cast.status == .seeOther)
            let again = try await zhang.form("/voting/ballots/\(ballot)/vote", ["csrf": csrf, "choice": "disagree", "elector_id": String(elector)])
            #expect(again.status == .conflict && again.body.string.contains("已经投过票"))
            #expect(try await zhang.get("/voting/ballots/\(ballot)").body.string.contains("已投票：同意"))
            #expect(try await zhang.form("/voting/ballots/\(ballot)/vote", ["csrf": "wrong", "choice": "agree"]).status == .forbidden)

            let cadre = TestClient(app)
            #expect(try await cadre.signInWeb("cadre").status == .seeOther)
            let cadreCSRF = try #require(TestClient.csrf(in: try await cadre.get("/voting/ballots/\(ballot)").body.string))
            #expect(try await cadre.form("/voting/ballots/\(ballot)/close", ["csrf": cadreCSRF]).status == .conflict) // too early
            clock.advance(3601)
            #expect(try await cadre.form("/voting/ballots/\(ballot)/close", ["csrf": cadreCSRF]).status == .seeOther)
            let result = try await zhang.get("/voting/ballots/\(ballot)").body.string
            #expect(result.contains("id=\"checks\"") && result.contains("参与表决未达法定比例")) // 1 of 6 took part
            #expect(result.contains("参与表决的业主人数占总人数三分之二以上") && result.contains("3 × 1 = 3 &lt; 12 = 2 × 6"))
            #expect(result.contains("id=\"appeal-deadline\"") && result.contains("id=\"record\""))
            // Closed an hour after the pinned Wednesday 2026-11-18 10:00: published that day; one year on
            // (Civil Code art. 280 para. 2, the first day not counted) is Thursday 2027-11-18, a working day.
            #expect(result.contains("公布日期：2026-11-18") && result.contains("可在 2027-11-18 前请求人民法院撤销"))
            _ = try await zhang.get("/lang/en?back=/voting")
            let english = try await zhang.get("/voting/ballots/\(ballot)").body.string
            #expect(english.contains("No quorum: no decision") && english.contains("Owners taking part are at least 2/3 of all owners by headcount"))
        }
    }

    @Test("staff set a ballot up through the form; bad input shows the form again naming the field")
    func setUp() async throws {
        try await withApp(demo: true) { app in
            let f = try await VotingFixture.make(app)
            let cadre = TestClient(app)
            #expect(try await cadre.signInWeb("cadre").status == .seeOther)
            let form = try await cadre.get("/voting/ballots/new")
            #expect(form.status == .ok && form.body.string.contains("表决测试小区"))
            let csrf = try #require(TestClient.csrf(in: form.body.string))
            let bad = try await cadre.form(
                "/voting/ballots/new",
                [
                    "csrf": csrf, "title": "", "compound_id": f.compound.uuidString,
                    "rule_code": "civil_code_278_6", "closes_at": LocalTime.value(TestClock.pinnedNow().addingTimeInterval(86_400))
                ])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("id=\"error-title\""))
            let good = try await cadre.form(
                "/voting/ballots/new",
                [
                    "csrf": csrf, "title": "筹集维修资金", "compound_id": f.compound.uuidString,
                    "building_id": f.building.uuidString, "stairwell": "2",
                    "rule_code": "civil_code_278_6", "closes_at": LocalTime.value(TestClock.pinnedNow().addingTimeInterval(86_400))
                ])
            #expect(good.status == .seeOther)
            let location = try #require(good.headers.first(name: .location))
            let page = try await cadre.get(location).body.string
            #expect(page.contains("筹集维修资金") && page.contains("2 单元"))
            #expect(page.contains("0 人 / 2 人")) // stairwell 2: Zhang and Chen
        }
    }

    @Test("the demo: a closed lift ballot whose published tally the recount confirms, and an open poll")
    func demo() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            let resident = try await VotingFixture.client(app, "resident")
            struct S: Decodable { var id: UUID; var status: String; var outcome: String? }
            let ballots = try await resident.get("/api/v1/voting/ballots").decode([S].self)
            let ballot = try #require(ballots.first)
            #expect(ballot.status == "closed" && ballot.outcome != nil)
            let report = try await BallotTallyCommand.report(BallotID(ballot.id), on: app.db)
            #expect(report.matches && report.tally.outcome.rawValue == ballot.outcome)
            #expect(BallotTallyCommand.lines(report).contains { $0.contains("3 × ") })
            // An independent recount: the raw electors and votes summed here, and the lift rule
            // (art. 278(7): two thirds of the area and heads take part, three quarters of the
            // participants' area and heads agree, both "以上") applied by hand.
            struct Stored: Decodable { var rule_code: String; var tally_json: String?; var published_on: String?; var appeal_deadline: String? }
            let stored = try #require(
                try await app.db.sql.raw(
                    """
                    SELECT rule_code, tally_json, published_on, appeal_deadline FROM owners_ballots WHERE id = \(bind: ballot.id)
                    """
                ).first(decoding: Stored.self))
            #expect(stored.rule_code == "lift_installation")
            let raw = try await VotingFixture.recount(ballot.id, app)
            #expect(raw.electors > 0 && raw.votes > 0 && raw.votes <= raw.electors)
            #expect(raw.outcome(quorum: (2, 3), approval: (3, 4)) == ballot.outcome)
            let tallyJSON = try #require(stored.tally_json)
            let published = try JSONDecoder().decode(OwnersVoteTally.self, from: Data(tallyJSON.utf8))
            #expect(published.total == raw.total && published.participating == raw.participating)
            #expect(
                published.agree == raw.figures("agree") && published.disagree == raw.figures("disagree")
                    && published.abstain == raw.figures("abstain"))
            #expect(report.tally.participating == raw.participating && report.tally.agree == raw.figures("agree"))
            // Closed a day before the pinned Wednesday 2026-11-18: published Tuesday 2026-11-17; one
            // year on (Civil Code art. 280 para. 2, the first day not counted) is Wednesday
            // 2027-11-17, a working day.
            #expect(stored.published_on == "2026-11-17" && stored.appeal_deadline == "2027-11-17")
            struct P: Decodable { var id: UUID; var secrecy: String }
            #expect(try await resident.get("/api/v1/voting/polls").decode([P].self).first?.secrecy == "secret")
            let web = TestClient(app)
            #expect(try await web.signInWeb("resident").status == .seeOther)
            let page = try await web.get("/voting/ballots/\(ballot.id)").body.string
            #expect(page.contains("id=\"checks\"") && page.contains("已投票：同意"))
        }
    }
}
