import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingBenchSupport
@testable import MinqingServer

/// The resident's home (issue 22 item 2): what needs them, what is new, the four actions, the time
/// bank; each item one tap from its page, and nothing from outside what the resident may see.
@Suite("Residents: the home page")
struct ResidentHomeTests {
    struct Home: Decodable {
        struct Need: Decodable { var kind: String; var id: UUID; var title: String; var href: String }
        struct News: Decodable { var kind: String; var id: UUID; var title: String; var action: String?; var href: String }
        struct Bank: Decodable { var minutes: Int64; var points: Int64; var statement_href: String }
        var needs: [Need]
        var news: [News]
        var unread_notifications: Int
        var time_bank: Bank
    }

    @Test("the demo resident's home: the open poll, coming bookings, cases to rate, case news, the time bank; each item opens its page")
    func demoHome() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            let resident = TestClient(app)
            try await resident.signInAPI("resident")
            let home = try await resident.get("/api/v1/me/home").decode(Home.self)
            let kinds = Set(home.needs.map(\.kind))
            // The demo: an open household poll not voted in, a space booked for tomorrow and one
            // requested in three days, a visit requested with the cadre, the area's 健康打卡 not
            // yet checked in today.
            #expect(kinds.isSuperset(of: ["poll", "space_booking", "visit_booking", "checkin"]), "\(kinds)")
            #expect(home.needs.contains { $0.kind == "poll" && $0.title == "小区增设电动自行车充电棚选址" })
            // The demo's notifications: the open poll and campaigns where the resident lives and
            // their cases' steps; the home counts the unread ones, the inbox holds the same.
            struct Inbox: Decodable { var unread: Int; var items: [Item]; struct Item: Decodable { var kind: String; var href: String } }
            let inbox = try await resident.get("/api/v1/me/notifications").decode(Inbox.self)
            #expect(home.unread_notifications > 0 && home.unread_notifications == inbox.unread, "\(home.unread_notifications) vs \(inbox.unread)")
            #expect(Set(inbox.items.map(\.kind)).isSuperset(of: ["vote_opened", "case_update"]), "\(inbox.items.map(\.kind))")
            // News: one line per case (its latest step).
            let cases = home.news.filter { $0.kind == "case_update" }.map(\.id)
            #expect(Set(cases).count == cases.count, "\(cases)")
            // Every item is one tap away: its page opens for the resident.
            let web = TestClient(app)
            _ = try await web.signInWeb("resident")
            for item in home.needs.map({ ($0.kind, $0.href) }) + home.news.map({ ($0.kind, $0.href) }) + [("bank", home.time_bank.statement_href)] {
                let path = String(item.1.split(separator: "#")[0])
                #expect(try await web.get(path).status == .ok, "\(item.0): \(item.1)")
            }
            // Cases to rate are exactly the resident's own closed (unrated) cases.
            struct N: Decodable { var n: Int }
            let closed = try await app.db.sql.raw(
                """
                SELECT COUNT(*) AS n FROM cases c JOIN accounts a ON a.id = c.submitter_account_id
                WHERE a.username = 'resident' AND c.state = 'closed'
                """
            ).first(decoding: N.self)!.n
            #expect(home.needs.filter { $0.kind == "case_rating" }.count == min(closed, ResidentHome.limit))
            // The time bank: the same balances as the resident's own ledger.
            let account = try #require(try await BenchHooks.accountActor(app, username: "resident")).actor
            let ledger = try await LedgerService.mine(account, on: app.db)
            #expect(home.time_bank.minutes == ledger.balances.first { $0.unit == .minutes }?.balance)
            #expect(home.time_bank.points == ledger.balances.first { $0.unit == .points }?.balance)

            // The page, in the order the issue gives, with the four actions under the seed's names.
            let html = try await web.get("/").body.string
            let order = ["id=\"needs\"", "id=\"news\"", "id=\"actions\"", "id=\"time-bank\""].map { html.range(of: $0)?.lowerBound }
            #expect(order.allSatisfy { $0 != nil } && order.compactMap { $0 } == order.compactMap { $0 }.sorted(), "the home's order")
            for name in ["约走访", "约空间", "要留言", "要投票"] { #expect(html.contains(">\(name)</strong>"), "\(name)") }
            #expect(html.contains("小区增设电动自行车充电棚选址"))
            web.cookies["minqing_lang"] = "en"
            let english = try await web.get("/").body.string
            #expect(english.contains("Needs you") && english.contains("Book a visit") && english.contains("Time bank"))

            // Voting takes the poll off the list: the household has voted (one vote per household).
            let poll = try #require(home.needs.first { $0.kind == "poll" })
            let detail = try await resident.get("/api/v1/voting/polls/\(poll.id)").decode(PollDetail.self)
            let option = try #require(detail.options.first).id
            #expect(
                try await resident.jsonObject(.POST, "/api/v1/voting/polls/\(poll.id)/votes", ["option_id": option.uuidString]).status == .created)
            let after = try await resident.get("/api/v1/me/home").decode(Home.self)
            #expect(!after.needs.contains { $0.id == poll.id })
            // Other roles have no resident home in the API.
            let staff = TestClient(app)
            try await staff.signInAPI("staff")
            #expect(try await staff.get("/api/v1/me/home").status == .forbidden)
        }
    }

    @Test("a poll or check-in reaches the home only where it serves the resident, and leaves it once done")
    func scope() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            let resident = TestClient(app)
            try await resident.signInAPI("resident")
            let staff = TestClient(app)
            try await staff.signInAPI("staff")
            let closes = ISO8601DateFormatter().string(from: TestClock.pinnedNow().addingTimeInterval(7 * 86_400))
            func poll(_ node: String, _ title: String, unit: String) async throws -> UUID {
                try await staff.jsonObject(
                    .POST, "/api/v1/voting/polls", ["node": node, "title": title, "options": ["甲", "乙"], "closes_at": closes, "unit": unit]
                ).createdID()
            }
            let here = try await poll("310106019-1-01", "本居民区的投票", unit: "person")
            let above = try await poll("310106019", "全街道的投票", unit: "household")
            let elsewhere = try await poll("310106019-1-02", "另一居民区的投票", unit: "person")
            let today = CivilDate(TestClock.pinnedNow(), in: .shanghai)
            let cadre = TestClient(app)
            try await cadre.signInAPI("cadre")
            let checkin = try await cadre.jsonObject(
                .POST, "/api/v1/services/campaigns",
                [
                    "kind": "checkin", "title": "健康打卡", "starts_on": try today.adding(days: -1).iso8601,
                    "ends_on": try today.adding(days: 3).iso8601, "self_enrol": false, "roster_node": "310106019-1-01-1-01"
                ]
            ).createdID()
            // A check-in for another building group: the resident is not on its roster.
            let notMine = try await cadre.jsonObject(
                .POST, "/api/v1/services/campaigns",
                [
                    "kind": "checkin", "title": "别的楼组打卡", "starts_on": today.iso8601, "ends_on": try today.adding(days: 3).iso8601,
                    "self_enrol": false, "roster_node": "310106019-1-01-1-02"
                ]
            ).createdID()
            var ids = Set(try await resident.get("/api/v1/me/home").decode(Home.self).needs.map(\.id))
            #expect(ids.isSuperset(of: [here, above, checkin]))
            #expect(!ids.contains(elsewhere) && !ids.contains(notMine))
            // Done: the check-in and both votes take them off.
            #expect(try await resident.jsonObject(.POST, "/api/v1/services/campaigns/\(checkin)/checkins", [:]).status == .created)
            for id in [here, above] {
                let option = try #require(try await resident.get("/api/v1/voting/polls/\(id)").decode(PollDetail.self).options.first).id
                #expect(
                    try await resident.jsonObject(.POST, "/api/v1/voting/polls/\(id)/votes", ["option_id": option.uuidString]).status == .created)
            }
            ids = Set(try await resident.get("/api/v1/me/home").decode(Home.self).needs.map(\.id))
            #expect(ids.isDisjoint(with: [here, above, checkin]))
            // The staff's own case step on the resident's message is news; the resident's own is not.
            let message = try await resident.jsonObject(
                .POST, "/api/v1/cases", ["channel": "resident_message", "category_code": "E0404", "description": "楼道里堆了很多旧家具，影响通行。"]
            ).createdID()
            var news = try await resident.get("/api/v1/me/home").decode(Home.self).news
            #expect(!news.contains { $0.id == message })
            #expect(
                try await staff.jsonObject(.POST, "/api/v1/cases/\(message)/actions/file", [:]).status == .ok)
            news = try await resident.get("/api/v1/me/home").decode(Home.self).news
            #expect(news.contains { $0.id == message && $0.kind == "case_update" })
            // A second step: still one line for the case, saying the latest.
            #expect(
                try await staff.jsonObject(.POST, "/api/v1/cases/\(message)/actions/dispatch", ["department": "fangguan"]).status == .ok)
            news = try await resident.get("/api/v1/me/home").decode(Home.self).news
            #expect(news.filter { $0.id == message }.map(\.action) == ["dispatch"])
        }
    }
}
