import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// Actions that speak for a person (an owner's vote, a resident's support, time-bank points, a
/// volunteer's sign-up, a lower visit quota) are taken only by, or for, the kind of account they
/// belong to: staff cannot bind themselves to an owner, credit themselves or colleagues, lower
/// their own quota, or support and volunteer in residents' place.
@Suite("Acting for someone needs the right kind of account")
struct ActingForTests {
    func client(_ app: Application, _ username: String) async throws -> TestClient {
        let client = TestClient(app)
        try await client.signInAPI(username)
        return client
    }

    func fields(_ response: TestingHTTPResponse) throws -> [String] {
        try response.decode(ErrorEnvelope.self).error.fields.map(\.field)
    }

    func errorCode(_ response: TestingHTTPResponse) throws -> String {
        try response.decode(ErrorEnvelope.self).error.code
    }

    func count(_ app: Application, _ query: SQLQueryString) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await app.db.sql.raw(query).first(decoding: N.self)?.n ?? -1
    }

    /// The owner records bound to `username`.
    func bindings(_ app: Application, _ username: String) async throws -> Int {
        try await count(
            app,
            """
            SELECT COUNT(*) AS n FROM owner_accounts x JOIN accounts a ON a.id = x.account_id WHERE a.username = \(bind: username)
            """)
    }

    // MARK: a) binding an owner

    @Test("an owner record binds to the owner's own resident account only: not to a staff account, not to the caller")
    func bindingNeedsResident() async throws {
        try await withApp(demo: true) { app in
            let f = try await VotingFixture.make(app)
            let cadre = try await client(app, "cadre")
            let proof = "房产证原件，本人到场"
            // A grid worker and a property-company account in cadre's scope, and cadre itself.
            for username in ["gridworker", "property", "committee", "cadre"] {
                let refused = try await cadre.json(.PUT, "/api/v1/voting/owner-accounts/\(username)", ["owner_id": f.zhao.uuidString, "proof": proof])
                #expect(refused.status == .unprocessableEntity, "\(username): \(refused.body.string)")
                #expect(try fields(refused) == ["username"], "\(username)")
                #expect(try await bindings(app, username) == 0, "\(username)")
            }
            // Subdistrict staff binding themselves is refused the same way.
            let staff = try await client(app, "staff")
            let own = try await staff.json(.PUT, "/api/v1/voting/owner-accounts/staff", ["owner_id": f.zhao.uuidString, "proof": proof])
            #expect(own.status == .unprocessableEntity)
            #expect(try fields(own) == ["username"])
            #expect(try await bindings(app, "staff") == 0)

            // The owner's own resident account still binds (resident, already Zhang, also co-owns with Zhao here).
            #expect(try await bindings(app, "resident") == 1)
            let bound = try await cadre.json(.PUT, "/api/v1/voting/owner-accounts/resident", ["owner_id": f.zhao.uuidString, "proof": proof])
            #expect(bound.status == .noContent, "\(bound.body.string)")
            #expect(try await bindings(app, "resident") == 2)
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'owner_account.linked'") == f.accounts.count + 1)
        }
    }

    // MARK: b) online votes

    @Test("a staff or committee account bound to an owner in the table still cannot vote online; the owner's resident account can")
    func onlineVoteResidentsOnly() async throws {
        try await withApp(demo: true) { app in
            let f = try await VotingFixture.make(app)
            let ballot = try await f.ballot(app)
            let sql = app.db.sql
            for username in ["gridworker", "committee"] {
                // Written straight into the table: the API refuses such a binding (above).
                try await sql.raw(
                    """
                    INSERT INTO owner_accounts (account_id, owner_id) SELECT id, \(bind: f.zhao) FROM accounts WHERE username = \(bind: username)
                    """
                ).run()
                let bound = try await client(app, username)
                #expect(try await bound.get("/api/v1/voting/ballots/\(ballot)").status == .ok, "\(username)")
                let vote = try await bound.vote(ballot, "agree")
                #expect(vote.status == .forbidden, "\(username): \(vote.body.string)")
                #expect(try errorCode(vote) == "online_vote_residents_only", "\(username)")
            }
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM owners_votes WHERE ballot_id = \(bind: ballot)") == 0)
            // Zhao's own resident account casts Zhao's vote.
            let zhao = try await VotingFixture.client(app, "o_zhao")
            #expect(try await zhao.vote(ballot, "agree").status == .created)
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM owners_votes WHERE ballot_id = \(bind: ballot)") == 1)
        }
    }

    // MARK: c) time-bank awards

    @Test("time-bank points go to residents and volunteers, never to the caller or to other staff")
    func awardsToResidentsOnly() async throws {
        try await withApp(demo: true) { app in
            let cadre = try await client(app, "cadre")
            let award = { (client: TestClient, username: String) in
                try await client.jsonObject(
                    .POST, "/api/v1/services/ledger/awards",
                    ["username": username, "unit": "points", "amount": 10, "memo": "社区清扫"])
            }
            // Oneself, a grid worker and a property-company account in scope.
            for username in ["cadre", "gridworker", "property"] {
                let refused = try await award(cadre, username)
                #expect(refused.status == .unprocessableEntity, "\(username): \(refused.body.string)")
                #expect(try fields(refused) == ["username"], "\(username)")
            }
            // Subdistrict staff to itself and to the cadre below it.
            let staff = try await client(app, "staff")
            for username in ["staff", "cadre"] {
                let refused = try await award(staff, username)
                #expect(refused.status == .unprocessableEntity, "staff → \(username): \(refused.body.string)")
                #expect(try fields(refused) == ["username"], "staff → \(username)")
            }
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM ledger_transfers") == 0)

            // A resident and a volunteer are credited.
            #expect(try await award(cadre, "resident").status == .created)
            #expect(try await award(cadre, "volunteer").status == .created)
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM ledger_transfers") == 2)
            struct Mine: Decodable { struct Balance: Decodable { var unit: String; var balance: Int64 }; var balances: [Balance] }
            let resident = try await client(app, "resident")
            let mine = try await resident.get("/api/v1/services/ledger/me").decode(Mine.self)
            #expect(mine.balances.first { $0.unit == "points" }?.balance == 10)
        }
    }

    // MARK: d) postings

    @Test("nobody sets their own visit posting (it lowers their quota); staff set a cadre's")
    func ownPostingRefused() async throws {
        try await withApp(demo: true) { app in
            for username in ["staff", "admin"] {
                let me = try await client(app, username)
                let own = try await me.jsonObject(.PUT, "/api/v1/visits/postings/\(username)", ["workload_percent": 10])
                #expect(own.status == .unprocessableEntity, "\(username): \(own.body.string)")
                #expect(try fields(own) == ["username"], "\(username)")
            }
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM visit_postings") == 0)
            let staff = try await client(app, "staff")
            let other = try await staff.jsonObject(.PUT, "/api/v1/visits/postings/cadre", ["workload_percent": 50])
            #expect(other.status == .noContent, "\(other.body.string)")
            #expect(
                try await count(
                    app,
                    """
                    SELECT COUNT(*) AS n FROM visit_postings p JOIN accounts a ON a.id = p.account_id WHERE a.username = 'cadre' AND p.workload_percent = 50
                    """) == 1)
        }
    }

    // MARK: e) topic support

    @Test("only residents support a topic: staff and the owners' committee are refused (support_residents_only)")
    func supportResidentsOnly() async throws {
        try await withApp(demo: true) { app in
            let (resident, residentCSRF) = try await TopicBoardFlowTests.web(app, "resident")
            let proposed = try await resident.form("/voting/topics", ["csrf": residentCSRF, "title": "小区门口加装充电桩", "body": "电动车充电难。"])
            #expect(proposed.status == .seeOther)
            let path = try #require(proposed.headers.first(name: .location))
            let topic = try #require(UUID(uuidString: String(path.split(separator: "/").last!)))
            let supports: SQLQueryString = "SELECT COUNT(*) AS n FROM topic_supports WHERE topic_id = \(bind: topic)"

            for username in ["cadre", "staff", "gridworker", "committee"] {
                let (other, csrf) = try await TopicBoardFlowTests.web(app, username)
                #expect(try await other.get(path).status == .ok, "\(username) sees the topic")
                let refused = try await other.form("\(path)/support", ["csrf": csrf])
                #expect(refused.status == .forbidden, "\(username): \(refused.status)")
                #expect(refused.body.string.contains("只有居民可以附议"), "\(username)")
            }
            #expect(try await count(app, supports) == 0)

            #expect(try await resident.form("\(path)/support", ["csrf": residentCSRF]).status == .seeOther)
            #expect(try await count(app, supports) == 1)
        }
    }

    // MARK: f) volunteer sign-ups

    @Test("volunteer activities are signed up for by residents and volunteers, not by a property company's account (volunteers_only)")
    func signUpVolunteersOnly() async throws {
        try await withApp(demo: true) { app in
            let cadre = try await client(app, "cadre")
            let formatter = ISO8601DateFormatter()
            let activity = try await cadre.jsonObject(
                .POST, "/api/v1/services/activities",
                [
                    "team": "平安巡逻", "title": "夜间巡逻", "place": "小区北门", "minutes": 90, "capacity": 10,
                    "starts_at": formatter.string(from: TestClock.pinnedNow().addingTimeInterval(86_400)),
                    "ends_at": formatter.string(from: TestClock.pinnedNow().addingTimeInterval(86_400 + 5_400))
                ]
            ).createdID()
            let signUps: SQLQueryString = "SELECT COUNT(*) AS n FROM activity_signups WHERE activity_id = \(bind: activity)"

            for username in ["property", "committee"] {
                let company = try await client(app, username)
                let refused = try await company.jsonObject(.POST, "/api/v1/services/activities/\(activity)/signups", [:])
                #expect(refused.status == .forbidden, "\(username): \(refused.body.string)")
                #expect(try errorCode(refused) == "volunteers_only", "\(username)")
            }
            #expect(try await count(app, signUps) == 0)

            for username in ["volunteer", "resident"] {
                let person = try await client(app, username)
                let accepted = try await person.jsonObject(.POST, "/api/v1/services/activities/\(activity)/signups", [:])
                #expect(accepted.status == .created, "\(username): \(accepted.body.string)")
            }
            #expect(try await count(app, signUps) == 2)
        }
    }
}
