import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

@Suite("Voting: owners' ballots and resident polls")
struct VotingTests {
    struct Elector: Decodable {
        var elector_id: UUID; var label: String; var area_cm2: Int64; var choice: String?; var channel: String?; var dwellings: [String]
    }
    struct Detail: Decodable {
        struct Summary: Decodable { var status: String; var outcome: String? }
        var ballot: Summary
        var turnout: Turnout?
        var tally: OwnersVoteTally?
        var my_electors: [Elector]
        var record: [Elector]?
        var published_on: String?
        var appeal_deadline: String?
    }

    @Test("a stairwell lift ballot: snapshot, online, proxy and paper votes, hidden result, close, the DB tally equals the domain's")
    func liftBallot() async throws {
        let clock = TestClock()
        try await withApp(demo: true, now: { clock.now }) { app in
            let f = try await VotingFixture.make(app)
            let ballot = try await f.ballot(app, now: clock.now)
            let sql = app.db.sql

            // The snapshot: stairwell 1 only, six heads, 680 m², Chen's undelivered flat with the developer.
            let zhang = try await VotingFixture.client(app, "resident")
            var detail = try await zhang.get("/api/v1/voting/ballots/\(ballot)").decode(Detail.self)
            #expect(detail.turnout?.total_heads == 6 && detail.turnout?.total_area_cm2 == 680_0000)
            #expect(detail.my_electors.count == 1 && detail.my_electors[0].area_cm2 == 180_0000)
            let chen = try await VotingFixture.client(app, "o_chen")
            #expect(try await chen.vote(ballot, "agree").status == .forbidden) // not an elector of stairwell 1

            // Online votes by bound accounts; Wang votes for the flat he owns alone and for the one held with Li.
            #expect(try await zhang.vote(ballot, "agree").status == .created)
            let wang = try await VotingFixture.client(app, "o_wang")
            #expect(try await wang.vote(ballot, "agree").status == .unprocessableEntity) // two electors: must choose
            let wangDetail = try await wang.get("/api/v1/voting/ballots/\(ballot)").decode(Detail.self)
            #expect(wangDetail.my_electors.count == 2)
            let couple = try #require(wangDetail.my_electors.first { $0.area_cm2 == 90_0000 })
            let alone = try #require(wangDetail.my_electors.first { $0.area_cm2 == 60_0000 })
            #expect(try await wang.vote(ballot, "agree", extra: ["elector_id": couple.elector_id.uuidString]).status == .created)
            #expect(try await wang.vote(ballot, "disagree", extra: ["elector_id": alone.elector_id.uuidString]).status == .created)
            // Li is a co-owner of 201: the couple has voted already.
            let li = try await VotingFixture.client(app, "o_li")
            #expect(try await li.vote(ballot, "disagree").status == .conflict)

            // Staff enter the developer's paper ballot and the bureau's proxy.
            let cadre = try await VotingFixture.client(app, "cadre")
            let all = try await sql.raw("SELECT id, elector_key, label FROM ballot_electors WHERE ballot_id = \(bind: ballot)")
                .all(decoding: KeyRow.self)
            let developer = try #require(all.first { $0.elector_key == OwnersElectorate.developerKey })
            let bureau = try #require(all.first { $0.label == "房管局" })
            #expect(
                try await cadre.vote(ballot, "disagree", extra: ["channel": "paper", "elector_id": developer.id.uuidString]).status
                    == .unprocessableEntity)
            #expect(
                try await cadre.vote(
                    ballot, "disagree",
                    extra: [
                        "channel": "paper", "elector_id": developer.id.uuidString,
                        "paper_ref": "扫描件 2026-001"
                    ]
                ).status == .created)
            #expect(
                try await cadre.vote(
                    ballot, "abstain",
                    extra: [
                        "channel": "proxy", "elector_id": bureau.id.uuidString,
                        "proxy_name": "刘科长", "authorisation_ref": "委托书 WT-7"
                    ]
                ).status == .created)
            #expect(
                try await zhang.vote(
                    ballot, "abstain",
                    extra: [
                        "channel": "paper", "elector_id": bureau.id.uuidString,
                        "paper_ref": "x"
                    ]
                ).status == .forbidden)

            // Turnout is live, the result hidden until the close; an early close is refused (Zhao has not voted).
            detail = try await zhang.get("/api/v1/voting/ballots/\(ballot)").decode(Detail.self)
            #expect(detail.turnout?.voted_heads == 5 && detail.turnout?.voted_area_cm2 == 620_0000)
            #expect(detail.tally == nil && detail.record == nil)
            #expect(try await cadre.send(.POST, "/api/v1/voting/ballots/\(ballot)/close").status == .conflict)

            // After the closing time: no more votes; the close publishes the tally.
            clock.advance(86_401)
            let zhao = try await VotingFixture.client(app, "o_zhao")
            #expect(try await zhao.vote(ballot, "agree").status == .conflict)
            #expect(try await cadre.send(.POST, "/api/v1/voting/ballots/\(ballot)/close").status == .ok)
            #expect(try await cadre.send(.POST, "/api/v1/voting/ballots/\(ballot)/close").status == .conflict)
            #expect(try await zhang.vote(ballot, "disagree").status == .conflict)
            // Zhao, an owner on the roll with an account, heard of the opening and of the result.
            struct Inbox: Decodable { var items: [Item]; struct Item: Decodable { var kind: String; var href: String } }
            let heard = try await zhao.get("/api/v1/me/notifications").decode(Inbox.self).items.filter { $0.href == "/voting/ballots/\(ballot)" }
            #expect(heard.map(\.kind) == ["vote_result", "vote_opened"], "\(heard.map(\.kind))")
            let changed = try await sql.raw(
                "SELECT choice FROM owners_votes v JOIN ballot_electors e ON e.id = v.elector_id WHERE v.ballot_id = \(bind: ballot) AND e.label = '张三'"
            )
            .first(decoding: ChoiceRow.self)
            #expect(changed?.choice == "agree")

            detail = try await zhang.get("/api/v1/voting/ballots/\(ballot)").decode(Detail.self)
            let tally = try #require(detail.tally)
            // 5 of 6 heads and 620 of 680 m² take part; 270 of 620 m² and 2 of 5 heads agree: rejected.
            #expect(tally.participating == AreaAndHeads(areaCM2: 620_0000, heads: 5))
            #expect(tally.agree == AreaAndHeads(areaCM2: 270_0000, heads: 2))
            #expect(tally.outcome == .rejected && detail.ballot.outcome == "rejected")
            // The four checks written out by hand (not the domain's tally run again on the same
            // votes): the lift rule's two thirds (quorum, of all) and three quarters (approval, of
            // those taking part), each "以上" (≥), compared as d × part against n × whole.
            #expect(tally.ruleSet.code == "lift_installation")
            #expect(tally.checks.map(\.kind.rawValue) == ["quorum_area", "quorum_heads", "approval_area", "approval_heads"])
            #expect(tally.checks.map(\.part) == [620_0000, 5, 270_0000, 2] && tally.checks.map(\.whole) == [680_0000, 6, 620_0000, 5])
            #expect(tally.checks.map { "\($0.fraction.numerator)/\($0.fraction.denominator)" } == ["2/3", "2/3", "3/4", "3/4"])
            #expect(tally.checks.allSatisfy { $0.fraction.comparison == .atLeast } && tally.checks.count == 4)
            #expect(tally.checks.map(\.passed) == [true, true, false, false])
            #expect(
                tally.checks.map(\.formula) == [
                    "3 × 6200000 = 18600000 ≥ 13600000 = 2 × 6800000", "3 × 5 = 15 ≥ 12 = 2 × 6",
                    "4 × 2700000 = 10800000 < 18600000 = 3 × 6200000", "4 × 2 = 8 < 15 = 3 × 5"
                ])
            // An independent recount from the raw rows (electors and votes read apart, summed here):
            // 张三 180 m² agree, 王五+李四 90 m² agree, 王五 60 m² disagree, the developer 140 + 100 m²
            // disagree, 房管局 50 m² abstain, 赵七 60 m² away.
            let raw = try await VotingFixture.recount(ballot, app)
            #expect(raw.electors == 6 && raw.votes == 5)
            #expect(raw.total == AreaAndHeads(areaCM2: 680_0000, heads: 6) && tally.total == raw.total)
            #expect(raw.participating == AreaAndHeads(areaCM2: 620_0000, heads: 5) && tally.participating == raw.participating)
            #expect(raw.figures("agree") == AreaAndHeads(areaCM2: 270_0000, heads: 2) && tally.agree == raw.figures("agree"))
            #expect(raw.figures("disagree") == AreaAndHeads(areaCM2: 300_0000, heads: 2) && tally.disagree == raw.figures("disagree"))
            #expect(raw.figures("abstain") == AreaAndHeads(areaCM2: 50_0000, heads: 1) && tally.abstain == raw.figures("abstain"))
            // The lift rule by hand (art. 278(7): two thirds take part, three quarters of them agree):
            // quorum 3 × 620 ≥ 2 × 680 and 3 × 5 ≥ 2 × 6 holds; approval 4 × 270 = 1080 < 1860 = 3 × 620 fails.
            #expect(raw.outcome(quorum: (2, 3), approval: (3, 4)) == "rejected")
            // Published with the per-owner record and the one-year appeal deadline.
            let record = try #require(detail.record)
            #expect(record.count == 6)
            #expect(record.first { $0.label == "张三" }?.dwellings == ["1号楼 101", "1号楼 102"])
            #expect(record.first { $0.label.hasPrefix("建设单位") }?.channel == "paper")
            #expect(record.first { $0.label == "赵七" }?.choice == nil)
            let published = CivilDate(clock.now, in: .shanghai)
            #expect(detail.published_on == published.iso8601)
            // By hand: closed a day after the pinned Wednesday 2026-11-18, so published Thursday 2026-11-19;
            // the suit to revoke lies within one year (Civil Code art. 280 para. 2), the first day not
            // counted (arts. 200–203): it ends on the corresponding day, Friday 2027-11-19, a working day.
            #expect(detail.published_on == "2026-11-19" && detail.appeal_deadline == "2027-11-19")
            // The recount from the raw votes (what `minqing ballot tally` prints) agrees with what was published.
            let recount = try await BallotTallyCommand.report(BallotID(ballot), on: app.db)
            #expect(recount.matches && recount.tally == tally)
            #expect(
                recount.tally.participating == raw.participating && recount.tally.agree == raw.figures("agree")
                    && recount.tally.outcome.rawValue == "rejected")
            // A ballot stored while the keys were camelCase (`quorumArea`, `ruleSet`) reads the same
            // once the migration has renamed them: the text the revert writes back is the old form.
            try await SnakeCaseStoredTallies().revert(on: app.db)
            struct Stored: Decodable { var rule_json: String; var tally_json: String? }
            let old = try #require(
                try await sql.raw("SELECT rule_json, tally_json FROM owners_ballots WHERE id = \(bind: ballot)").first(decoding: Stored.self))
            #expect(old.rule_json.contains("\"quorumArea\":") && old.tally_json?.contains("\"ruleSet\":") == true)
            #expect((try? JSONDecoder().decode(OwnersVoteTally.self, from: Data((old.tally_json ?? "").utf8))) == nil)
            try await SnakeCaseStoredTallies().prepare(on: app.db)
            let renamed = try await BallotTallyCommand.report(BallotID(ballot), on: app.db)
            #expect(renamed.matches && renamed.tally == tally)
            // Every vote is in the audit trail, and the chain holds.
            struct N: Decodable { var n: Int }
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'ballot.vote_cast'").first(decoding: N.self)?.n == 5)
            #expect(try await AuditLog.verify(on: app.db).isIntact)
        }
    }

    struct KeyRow: Decodable { var id: UUID; var elector_key: String; var label: String }
    struct ChoiceRow: Decodable { var choice: String }

    @Test("one owner casting 100 times at once: the database keeps one vote")
    func race() async throws {
        try await withApp(demo: true) { app in
            let f = try await VotingFixture.make(app)
            let ballot = try await f.ballot(app, rule: "civil_code_278_4", stairwell: nil)
            let zhang = try await VotingFixture.client(app, "resident")
            let codes = try await withThrowingTaskGroup(of: UInt.self) { group in
                for n in 0..<100 {
                    group.addTask { try await zhang.vote(ballot, n % 2 == 0 ? "agree" : "disagree").status.code }
                }
                var codes: [UInt] = []
                for try await code in group { codes.append(code) }
                return codes
            }
            #expect(codes.filter { $0 == 201 }.count == 1)
            #expect(codes.filter { $0 == 409 }.count == 99)
            struct N: Decodable { var n: Int }
            let n = try await app.db.sql.raw("SELECT COUNT(*) AS n FROM owners_votes WHERE ballot_id = \(bind: ballot)")
                .first(decoding: N.self)?.n
            #expect(n == 1)
            // The whole building: Zhang's three flats in both stairwells are one head.
            let detail = try await zhang.get("/api/v1/voting/ballots/\(ballot)").decode(Detail.self)
            #expect(detail.turnout?.total_heads == 7 && detail.turnout?.voted_heads == 1 && detail.turnout?.voted_area_cm2 == 275_0000)
        }
    }

    @Test("ballots outside the caller's scope are invisible; residents see their compound's")
    func scope() async throws {
        try await withApp(demo: true) { app in
            let f = try await VotingFixture.make(app)
            let ballot = try await f.ballot(app)
            for username in ["cadre2"] {
                let other = try await VotingFixture.client(app, username)
                #expect(try await other.get("/api/v1/voting/ballots/\(ballot)").status == .notFound)
                struct S: Decodable { var id: UUID }
                #expect(try await other.get("/api/v1/voting/ballots").decode([S].self).isEmpty)
                #expect(try await other.send(.POST, "/api/v1/voting/ballots/\(ballot)/close").status == .notFound)
            }
            // A cadre of another area who owns a flat here (bound to Zhao's owner record, written
            // straight into the table: binding refuses staff accounts) sees the ballot but has no say
            // over its conduct, and cannot vote online with a staff account: owners vote online
            // through their own resident account only.
            try await app.db.sql.raw(
                """
                INSERT INTO owner_accounts (account_id, owner_id) SELECT id, \(bind: f.zhao) FROM accounts WHERE username = 'cadre2'
                """
            ).run()
            let owner = try await VotingFixture.client(app, "cadre2")
            #expect(try await owner.get("/api/v1/voting/ballots/\(ballot)").status == .ok)
            #expect(try await owner.send(.POST, "/api/v1/voting/ballots/\(ballot)/close").status == .notFound)
            let electors = try await app.db.sql.raw("SELECT id, elector_key, label FROM ballot_electors WHERE ballot_id = \(bind: ballot)")
                .all(decoding: KeyRow.self)
            let developer = try #require(electors.first { $0.elector_key == OwnersElectorate.developerKey })
            #expect(
                try await owner.vote(ballot, "agree", extra: ["channel": "paper", "paper_ref": "x", "elector_id": developer.id.uuidString]).status
                    == .notFound)
            let staffVote = try await owner.vote(ballot, "agree")
            #expect(staffVote.status == .forbidden && staffVote.body.string.contains("online_vote_residents_only"))
            let worker = try await VotingFixture.client(app, "gridworker")
            #expect(try await worker.get("/api/v1/voting/ballots/\(ballot)").status == .ok)
            let volunteer = try await VotingFixture.client(app, "volunteer")
            #expect(try await volunteer.get("/api/v1/voting/ballots/\(ballot)").status == .forbidden)
        }
    }

    @Test("a secret poll keeps the roll apart from the ballot box; one vote per household")
    func secretPoll() async throws {
        try await withApp(demo: true) { app in
            _ = try await VotingFixture.make(app)
            let sql = app.db.sql
            let cadre = try await VotingFixture.client(app, "cadre")
            let closes = ISO8601DateFormatter().string(from: TestClock.pinnedNow().addingTimeInterval(3600))
            let created = try await cadre.jsonObject(
                .POST, "/api/v1/voting/polls",
                [
                    "node": "310106019-1-01", "title": "是否赞成加装电梯", "options": ["赞成", "反对", "无所谓"],
                    "secrecy": "secret", "unit": "person", "closes_at": closes
                ])
            #expect(created.status == .created)
            struct C: Decodable { var id: UUID }
            let poll = try created.decode(C.self).id
            struct Option: Decodable { var id: UUID; var label: String; var votes: Int64? }
            struct Poll: Decodable {
                var options: [Option]; var voters: Int64; var i_voted: Bool; var may_vote: Bool; var open_record: [OpenPollVote]?
            }
            let zhang = try await VotingFixture.client(app, "resident")
            let before = try await zhang.get("/api/v1/voting/polls/\(poll)").decode(Poll.self)
            #expect(before.may_vote && before.options.count == 3 && before.options.allSatisfy { $0.votes == nil })
            let picks = ["resident": 0, "o_wang": 1, "o_li": 0, "o_zhao": 2]
            for (username, pick) in picks {
                let client = try await VotingFixture.client(app, username)
                let r = try await client.json(.POST, "/api/v1/voting/polls/\(poll)/votes", ["option_id": before.options[pick].id])
                #expect(r.status == .created, "\(username): \(r.body.string)")
            }
            #expect(try await zhang.json(.POST, "/api/v1/voting/polls/\(poll)/votes", ["option_id": before.options[1].id]).status == .conflict)
            #expect(try await cadre.json(.POST, "/api/v1/voting/polls/\(poll)/votes", ["option_id": before.options[1].id]).status == .forbidden)

            // The roll names voters but no option; the box is counters with no voter, time or order.
            struct RollRow: Decodable { var voter_key: String; var option_id: UUID? }
            let roll = try await sql.raw("SELECT voter_key, option_id FROM poll_roll WHERE poll_id = \(bind: poll)").all(decoding: RollRow.self)
            #expect(roll.count == 4 && roll.allSatisfy { $0.option_id == nil })
            #expect(try await Self.columns("poll_options", app) == ["id", "label", "poll_id", "sort_order", "votes"])
            #expect(try await Self.columns("poll_roll", app) == ["account_id", "cast_at", "option_id", "poll_id", "voter_key"])
            let audit = try await sql.raw("SELECT detail FROM audit_log WHERE action = 'poll.voted'").all(decoding: DetailRow.self)
            #expect(audit.count == 4 && audit.allSatisfy { !$0.detail.contains("option") })
            if testDatabaseKind == "postgresql" {
                // Every vote rewrote every counter row: one transaction id on all of them.
                struct X: Decodable { var n: Int }
                #expect(
                    try await sql.raw("SELECT COUNT(DISTINCT xmin::text) AS n FROM poll_options WHERE poll_id = \(bind: poll)").first(
                        decoding: X.self)?.n == 1)
            }
            #expect(try await cadre.send(.POST, "/api/v1/voting/polls/\(poll)/close").status == .noContent)
            let after = try await zhang.get("/api/v1/voting/polls/\(poll)").decode(Poll.self)
            #expect(after.options.map(\.votes) == [2, 1, 1] && after.voters == 4 && after.i_voted && after.open_record == nil)

            // One vote per household: two accounts speaking for one household.
            let household = UUID()
            try await sql.raw(
                """
                INSERT INTO households (id, grid_node_id, address) SELECT \(bind: household), id, '测试路 1 号 101' FROM grid_nodes WHERE code = \(bind: VotingFixture.groupCode)
                """
            ).run()
            for username in ["o_wang", "o_li"] {
                try await sql.raw(
                    """
                    INSERT INTO resident_households (id, account_id, household_id) SELECT \(bind: UUID()), id, \(bind: household) FROM accounts WHERE username = \(bind: username)
                    """
                ).run()
            }
            let perHousehold = try await cadre.jsonObject(
                .POST, "/api/v1/voting/polls",
                [
                    "node": VotingFixture.groupCode, "title": "楼道绿化方案", "options": ["方案一", "方案二"], "unit": "household",
                    "secrecy": "open", "results_live": true, "closes_at": closes
                ]
            ).decode(C.self).id
            let wang = try await VotingFixture.client(app, "o_wang"), li = try await VotingFixture.client(app, "o_li")
            let options = try await wang.get("/api/v1/voting/polls/\(perHousehold)").decode(Poll.self).options
            #expect(try await wang.json(.POST, "/api/v1/voting/polls/\(perHousehold)/votes", ["option_id": options[0].id]).status == .created)
            #expect(try await li.json(.POST, "/api/v1/voting/polls/\(perHousehold)/votes", ["option_id": options[1].id]).status == .conflict)
            #expect(
                try await zhang.json(.POST, "/api/v1/voting/polls/\(perHousehold)/votes", ["option_id": options[1].id]).status == .unprocessableEntity
            )
            let open = try await li.get("/api/v1/voting/polls/\(perHousehold)").decode(Poll.self)
            #expect(open.open_record?.map(\.option) == ["方案一"] && open.options.map(\.votes) == [1, 0])
            // Out of scope: another residential area's cadre does not see the polls.
            let other = try await VotingFixture.client(app, "cadre2")
            #expect(try await other.get("/api/v1/voting/polls/\(poll)").status == .notFound)
        }
    }

    struct DetailRow: Decodable { var detail: String }

    static func columns(_ table: String, _ app: Application) async throws -> [String] {
        let sql = app.db.sql
        struct Name: Decodable { var name: String }
        if testDatabaseKind == "postgresql" {
            return try await sql.raw(
                """
                SELECT column_name AS name FROM information_schema.columns WHERE table_name = \(bind: table) AND table_schema = current_schema()
                """
            ).all(decoding: Name.self).map(\.name).sorted()
        }
        return try await sql.raw("SELECT name FROM pragma_table_info(\(bind: table))").all(decoding: Name.self).map(\.name).sorted()
    }
}
