import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// The time bank through its pages (issue 21): staff credit a resident chosen by name, the
/// resident redeems, staff reverse; a statement shows exactly the ledger's rows; refusals leave
/// nothing written. Over HTTP as a browser does (session cookie, CSRF token, forms); the oracle
/// is the ledger itself, summed and counted in SQL.
@Suite("Services: time-bank pages")
struct ServicesTimeBankPagesTests {
    struct N: Decodable { var n: Int64? }
    struct UnitTotal: Decodable { var unit: String; var total: Int64? }
    struct Line: Decodable, Hashable { var id: UUID; var amount: Int64 }

    /// A resident `tb1` (名 时间银行甲) at the demo resident's building group, inside the cadre's
    /// area and outside cadre2's; their account id.
    static func resident(_ app: Application, _ username: String = "tb1") async throws -> UUID {
        try await AccountService.create(
            NewAccount(
                username: username, displayName: "时间银行甲", role: "resident", scopeCode: "310106019-1-01-1-01", password: demoPassword,
                mustChangePassword: false),
            by: .console, app: app, on: app.db, now: TestClock.pinnedNow()
        ).id
    }

    /// "时间银行", percent-encoded for a query string: the name search that finds `tb1`.
    static let nameQuery = "%E6%97%B6%E9%97%B4%E9%93%B6%E8%A1%8C"

    /// A browser signed in as `username`, and the CSRF token of its session.
    static func browser(_ app: Application, _ username: String) async throws -> (TestClient, String) {
        let client = TestClient(app)
        #expect(try await client.signInWeb(username).status == .seeOther)
        let page = try await client.get("/account/password")
        return (client, try #require(TestClient.csrf(in: page.body.string)))
    }

    /// The balance of each unit of `account`'s ledger accounts: the sum of their movements.
    static func sums(_ app: Application, _ account: UUID) async throws -> [String: Int64] {
        let rows = try await app.db.sql.raw(
            """
            SELECT a.unit, CAST(SUM(m.amount) AS BIGINT) AS total FROM ledger_accounts a JOIN ledger_movements m ON m.ledger_account_id = a.id
            WHERE a.account_id = \(bind: account) GROUP BY a.unit
            """
        ).all(decoding: UnitTotal.self)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.unit, $0.total ?? 0) })
    }

    /// Every movement of `account`'s ledger accounts: the transfer and the signed amount.
    static func lines(_ app: Application, _ account: UUID) async throws -> Set<Line> {
        Set(
            try await app.db.sql.raw(
                """
                SELECT m.transfer_id AS id, m.amount FROM ledger_accounts a JOIN ledger_movements m ON m.ledger_account_id = a.id
                WHERE a.account_id = \(bind: account)
                """
            ).all(decoding: Line.self))
    }

    /// How many transfers and movements the ledger holds.
    static func written(_ app: Application) async throws -> [Int64] {
        [
            try await app.db.sql.raw("SELECT COUNT(*) AS n FROM ledger_transfers").first(decoding: N.self)?.n ?? -1,
            try await app.db.sql.raw("SELECT COUNT(*) AS n FROM ledger_movements").first(decoding: N.self)?.n ?? -1
        ]
    }

    /// The figure a page shows as `data-amount` on the element `id` (`id="…" data-amount="…"`).
    static func shown(_ html: String, _ id: String) -> Int64? {
        guard let start = html.range(of: "id=\"\(id)\" data-amount=\"") else { return nil }
        let rest = html[start.upperBound...]
        return rest.firstIndex(of: "\"").flatMap { Int64(rest[..<$0]) }
    }

    /// The statement rows a page shows: each `line-<transfer>` with its `data-amount`.
    static func shownLines(_ html: String) -> [Line] {
        html.matches(of: /class="ledger-line" id="line-([0-9A-Fa-f-]{36})" data-amount="(-?[0-9]+)"/).compactMap { m in
            guard let id = UUID(uuidString: String(m.output.1)), let amount = Int64(m.output.2) else { return nil }
            return Line(id: id, amount: amount)
        }
    }

    @Test("award by name, redeem and reverse through the pages: every balance shown is the ledger's sum")
    func awardRedeemReverse() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            let account = try await Self.resident(app)
            let (cadre, token) = try await Self.browser(app, "cadre")
            // The cadre finds the resident by name: shown masked, offered in the award form by that name.
            let people = try await cadre.get("/services/ledger/people?q=\(Self.nameQuery)")
            #expect(people.status == .ok)
            #expect(people.body.string.contains("时**（居民）") && !people.body.string.contains("时间银行甲"))
            #expect(people.body.string.contains("<option value=\"tb1\""))
            let award = try await cadre.form(
                "/services/ledger/awards", ["csrf": token, "username": "tb1", "unit": "points", "amount": "100", "memo": "平安巡逻", "q": "时间银行"])
            #expect(award.status == .seeOther)
            #expect(award.headers.first(name: .location)?.hasPrefix("/services/ledger/people?q=") == true)
            // From the person's statement, service time: 90 minutes.
            let minutes = try await cadre.form(
                "/services/ledger/awards", ["csrf": token, "username": "tb1", "back": "person", "unit": "minutes", "amount": "90", "memo": "清洁家园"])
            #expect(minutes.headers.first(name: .location) == "/services/ledger/people/tb1?done=awarded")
            #expect(try await Self.sums(app, account) == ["points": 100, "minutes": 90])

            let (resident, own) = try await Self.browser(app, "tb1")
            let redeemed = try await resident.form("/services/ledger/redemptions", ["csrf": own, "unit": "points", "amount": "30", "reward": "环保袋"])
            #expect(redeemed.status == .seeOther && redeemed.headers.first(name: .location) == "/services/ledger?done=redeemed")
            var mine = try await resident.get("/services/ledger").body.string
            var sums = try await Self.sums(app, account)
            #expect(sums == ["points": 70, "minutes": 90])
            #expect(Self.shown(mine, "balance-points") == sums["points"] && Self.shown(mine, "balance-minutes") == sums["minutes"])
            #expect(Self.shown(mine, "balance-green") == 0 && mine.contains("1 小时 30 分钟"))
            #expect(!mine.contains("id=\"reverse-"), "a member reverses nothing")

            // The cadre reverses the redemption from the resident's statement.
            struct TransferID: Decodable { var id: UUID }
            let redemption = try #require(
                try await app.db.sql.raw(
                    """
                    SELECT t.id FROM ledger_transfers t JOIN ledger_accounts a ON a.id = t.from_account_id
                    WHERE a.account_id = \(bind: account) AND t.unit = 'points'
                    """
                ).first(decoding: TransferID.self)?.id)
            let statement = try await cadre.get("/services/ledger/people/tb1")
            #expect(statement.body.string.contains("id=\"reverse-\(redemption.uuidString)\""))
            let reversed = try await cadre.form("/services/ledger/transfers/\(redemption)/reverse", ["csrf": token, "person": "tb1"])
            #expect(reversed.status == .seeOther && reversed.headers.first(name: .location) == "/services/ledger/people/tb1?done=reversed")
            let count = try await app.db.sql.raw("SELECT COUNT(*) AS n FROM ledger_transfers WHERE reverses_id = \(bind: redemption)").first(
                decoding: N.self)
            #expect(count?.n == 1)
            sums = try await Self.sums(app, account)
            #expect(sums == ["points": 100, "minutes": 90])
            mine = try await resident.get("/services/ledger").body.string
            #expect(Self.shown(mine, "balance-points") == sums["points"] && Self.shown(mine, "balance-minutes") == sums["minutes"])
            let after = try await cadre.get("/services/ledger/people/tb1").body.string
            #expect(Self.shown(after, "balance-points") == 100)
            #expect(!after.contains("id=\"reverse-\(redemption.uuidString)\""), "a reversed transfer has no button any more")
            // A second reversal of the same transfer is refused beside it, nothing written.
            let before = try await Self.written(app)
            let again = try await cadre.form("/services/ledger/transfers/\(redemption)/reverse", ["csrf": token, "person": "tb1"])
            #expect(again.status == .conflict && again.body.string.contains("id=\"error-transfer\"") && again.body.string.contains("已被冲正"))
            #expect(try await Self.written(app) == before)
            // The whole ledger still sums to zero.
            #expect(try await app.db.sql.raw("SELECT CAST(SUM(amount) AS BIGINT) AS n FROM ledger_movements").first(decoding: N.self)?.n == 0)
        }
    }

    @Test("roles and places not allowed: 403 or 404, and nothing written")
    func refused() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            let account = try await Self.resident(app)
            let (cadre, token) = try await Self.browser(app, "cadre")
            #expect(
                try await cadre.form("/services/ledger/awards", ["csrf": token, "username": "tb1", "unit": "points", "amount": "40"]).status
                    == .seeOther)
            struct TransferID: Decodable { var id: UUID }
            let awardID = try #require(
                try await app.db.sql.raw(
                    """
                    SELECT t.id FROM ledger_transfers t JOIN ledger_accounts a ON a.id = t.to_account_id WHERE a.account_id = \(bind: account)
                    """
                ).first(decoding: TransferID.self)?.id)
            let before = try await Self.written(app)

            let (resident, own) = try await Self.browser(app, "tb1")
            #expect(
                try await resident.form("/services/ledger/awards", ["csrf": own, "username": "tb1", "unit": "points", "amount": "40"]).status
                    == .forbidden)
            #expect(try await resident.form("/services/ledger/transfers/\(awardID)/reverse", ["csrf": own]).status == .forbidden)
            #expect(try await resident.get("/services/ledger/people").status == .forbidden)
            let (volunteer, vt) = try await Self.browser(app, "volunteer")
            #expect(try await volunteer.form("/services/ledger/transfers/\(awardID)/reverse", ["csrf": vt, "person": "tb1"]).status == .forbidden)
            #expect(try await volunteer.get("/services/ledger/people/tb1").status == .notFound, "another person's statement")
            let (other, ot) = try await Self.browser(app, "cadre2")
            #expect(try await other.get("/services/ledger/people/tb1").status == .notFound, "a person outside the scope")
            #expect(try await other.form("/services/ledger/transfers/\(awardID)/reverse", ["csrf": ot, "person": "tb1"]).status == .notFound)
            let outside = try await other.form("/services/ledger/awards", ["csrf": ot, "username": "tb1", "unit": "points", "amount": "40"])
            #expect(outside.status == .unprocessableEntity && outside.body.string.contains("id=\"error-username\""))
            let (handler, ht) = try await Self.browser(app, "handler")
            #expect(try await handler.get("/services/ledger").status == .forbidden)
            #expect(
                try await handler.form("/services/ledger/redemptions", ["csrf": ht, "unit": "points", "amount": "1", "reward": "x"]).status
                    == .forbidden)
            #expect(try await Self.written(app) == before)
            #expect(try await Self.sums(app, account) == ["points": 40])
        }
    }

    @Test("overdrawing is refused with the sentence beside the amount, what was typed kept, nothing written")
    func overdraw() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            let account = try await Self.resident(app)
            let (cadre, token) = try await Self.browser(app, "cadre")
            _ = try await cadre.form("/services/ledger/awards", ["csrf": token, "username": "tb1", "unit": "points", "amount": "100"])
            let staffAPI = TestClient(app)
            try await staffAPI.signInAPI("cadre")
            let reward = try await staffAPI.jsonObject(
                .POST, "/api/v1/services/rewards", ["name": "电饭煲", "unit": "points", "price": 500, "stock": 3, "node": "310106019-1-01"]
            ).createdID()
            let before = try await Self.written(app)

            let (resident, own) = try await Self.browser(app, "tb1")
            let tooMuch = try await resident.form("/services/ledger/redemptions", ["csrf": own, "unit": "points", "amount": "500", "reward": "电饭煲"])
            #expect(tooMuch.status == .conflict)
            let body = tooMuch.body.string
            #expect(body.contains("<p class=\"field-error\" id=\"error-amount\">余额不足：现有 100，需要 500</p>"))
            #expect(body.contains("name=\"amount\" value=\"500\"") && body.contains("value=\"电饭煲\""))
            #expect(!body.contains(">amount<") && !body.contains("amount："), "the page names no input")
            // The listed reward: refused beside it, its stock back.
            let listed = try await resident.form("/services/rewards/\(reward)/redeem", ["csrf": own])
            #expect(listed.status == .conflict && listed.body.string.contains("id=\"error-amount\"") && listed.body.string.contains("余额不足"))
            struct R: Decodable { var remaining: Int }
            let stock = try await app.db.sql.raw("SELECT remaining FROM service_rewards WHERE id = \(bind: reward)").first(decoding: R.self)
            #expect(stock?.remaining == 3)
            #expect(try await Self.written(app) == before)
            #expect(try await Self.sums(app, account) == ["points": 100])
            // Within the balance the same reward goes through, one of the stock taken.
            _ = try await cadre.form("/services/ledger/awards", ["csrf": token, "username": "tb1", "unit": "points", "amount": "400"])
            #expect(try await resident.form("/services/rewards/\(reward)/redeem", ["csrf": own]).status == .seeOther)
            #expect(
                try await app.db.sql.raw("SELECT remaining FROM service_rewards WHERE id = \(bind: reward)").first(decoding: R.self)?.remaining == 2)
            #expect(try await Self.sums(app, account) == ["points": 0])
        }
    }

    @Test("a statement shows exactly the ledger's rows, page by page, and the API the same")
    func statementRows() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            let account = try await Self.resident(app)
            let staffAPI = TestClient(app)
            try await staffAPI.signInAPI("cadre")
            for n in 1...23 {
                let unit = ["points", "minutes", "green"][n % 3]
                #expect(
                    try await staffAPI.jsonObject(.POST, "/api/v1/services/ledger/awards", ["username": "tb1", "unit": unit, "amount": n * 7]).status
                        == .created)
            }
            let (resident, own) = try await Self.browser(app, "tb1")
            #expect(
                try await resident.form("/services/ledger/redemptions", ["csrf": own, "unit": "points", "amount": "20", "reward": "毛巾"]).status
                    == .seeOther)
            let oracle = try await Self.lines(app, account)
            #expect(oracle.count == 24)

            let (cadre, _) = try await Self.browser(app, "cadre")
            var seen: [Line] = []
            var next: String? = "/services/ledger/people/tb1"
            var pages = 0
            while let path = next, pages < 10 {
                let html = try await cadre.get(path).body.string
                pages += 1
                if pages == 1 { #expect(html.contains("共 \(oracle.count) 笔")) }
                seen += Self.shownLines(html)
                next = html.firstMatch(of: /href="([^"]+)" rel="next"/).map { String($0.output.1).replacingOccurrences(of: "&amp;", with: "&") }
            }
            #expect(pages == 2)
            #expect(seen.count == oracle.count && Set(seen) == oracle, "each ledger row once, none other")
            let ownPage = try await resident.get("/services/ledger").body.string
            #expect(Set(Self.shownLines(ownPage)).isSubset(of: oracle) && Self.shownLines(ownPage).count == 20)

            struct Statement: Decodable {
                struct L: Decodable { var transfer_id: UUID; var amount: Int64 }
                struct B: Decodable { var unit: String; var balance: Int64 }
                var transfers: [L]; var balances: [B]; var total: Int
            }
            let api = try await staffAPI.get("/api/v1/services/ledger/people/tb1").decode(Statement.self)
            #expect(api.total == oracle.count && Set(api.transfers.map { Line(id: $0.transfer_id, amount: $0.amount) }) == oracle)
            let sums = try await Self.sums(app, account)
            #expect(Dictionary(uniqueKeysWithValues: api.balances.map { ($0.unit, $0.balance) }) == sums.merging(["green": 0]) { a, _ in a })
        }
    }

    @Test("on site: the activity's check-in, a team's members and a check-in roster, people chosen by name")
    func volunteerPages() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            let account = try await Self.resident(app)
            let staffAPI = TestClient(app)
            try await staffAPI.signInAPI("cadre")
            let formatter = ISO8601DateFormatter()
            let activity = try await staffAPI.jsonObject(
                .POST, "/api/v1/services/activities",
                [
                    "team": "平安巡逻", "title": "夜间巡逻", "place": "小区北门", "minutes": 75, "capacity": 5, "node": "310106019-1-01",
                    "starts_at": formatter.string(from: TestClock.pinnedNow().addingTimeInterval(86_400)),
                    "ends_at": formatter.string(from: TestClock.pinnedNow().addingTimeInterval(90_000))
                ]
            ).createdID()
            let residentAPI = TestClient(app)
            try await residentAPI.signInAPI("tb1")
            #expect(try await residentAPI.jsonObject(.POST, "/api/v1/services/activities/\(activity)/signups", [:]).status == .created)

            let (cadre, token) = try await Self.browser(app, "cadre")
            let page = try await cadre.get("/services/activities/\(activity)").body.string
            #expect(page.contains("id=\"check-in-tb1\"") && page.contains(">时**<") && !page.contains("时间银行甲"))
            let checked = try await cadre.form("/services/activities/\(activity)/check-in", ["csrf": token, "username": "tb1"])
            #expect(checked.status == .seeOther)
            #expect(try await Self.sums(app, account) == ["minutes": 75])
            let twice = try await cadre.form("/services/activities/\(activity)/check-in", ["csrf": token, "username": "tb1"])
            #expect(twice.status == .conflict && twice.body.string.contains("id=\"error-username\""))
            #expect(try await Self.sums(app, account) == ["minutes": 75])

            let team = try await staffAPI.jsonObject(
                .POST, "/api/v1/services/teams", ["name": "页面巡逻队", "kind": "平安巡逻", "node": "310106019-1-01"]
            ).createdID()
            let teamPage = try await cadre.get("/services/teams/\(team)?q=\(Self.nameQuery)").body.string
            #expect(teamPage.contains("<option value=\"tb1\""))
            #expect(try await cadre.form("/services/teams/\(team)/members", ["csrf": token, "username": "tb1", "role": "member"]).status == .seeOther)
            let again = try await cadre.form("/services/teams/\(team)/members", ["csrf": token, "username": "tb1", "role": "member"])
            #expect(again.status == .conflict && again.body.string.contains("id=\"error-username\""))
            struct M: Decodable { var n: Int64?; var open: Int64? }
            let counted: SQLQueryString = """
                SELECT COUNT(*) AS n, SUM(CASE WHEN left_on IS NULL THEN 1 ELSE 0 END) AS open FROM volunteer_team_members
                WHERE team_id = \(bind: team) AND account_id = \(bind: account)
                """
            #expect(try await app.db.sql.raw(counted).first(decoding: M.self).map { [$0.n, $0.open] } == [1, 1])
            #expect(try await cadre.get("/services/teams/\(team)").body.string.contains("id=\"leave-tb1\""))
            #expect(try await cadre.form("/services/teams/\(team)/members/tb1/leave", ["csrf": token]).status == .seeOther)
            #expect(try await app.db.sql.raw(counted).first(decoding: M.self).map { [$0.n, $0.open] } == [1, 0])

            let campaign = try await staffAPI.jsonObject(
                .POST, "/api/v1/services/campaigns", ["kind": "checkin", "title": "健康打卡", "node": "310106019-1-01"]
            ).createdID()
            let campaignPage = try await cadre.get("/services/campaigns/\(campaign)?q=\(Self.nameQuery)").body.string
            #expect(campaignPage.contains("id=\"roster-tb1\"") && campaignPage.contains("name=\"usernames[]\""))
            let enrolled = try await cadre.form("/services/campaigns/\(campaign)/roster", ["csrf": token, "usernames[]": "tb1"])
            #expect(enrolled.status == .seeOther && enrolled.headers.first(name: .location)?.contains("enrolled=1") == true)
            let onRoster = try await app.db.sql.raw(
                "SELECT COUNT(*) AS n FROM campaign_roster WHERE campaign_id = \(bind: campaign) AND account_id = \(bind: account)"
            ).first(decoding: N.self)
            #expect(onRoster?.n == 1)
        }
    }
}
