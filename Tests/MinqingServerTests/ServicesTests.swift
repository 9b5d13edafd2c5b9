import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// 约空间, limited-stock campaigns and the time bank, over HTTP on a real database (a SQLite
/// file, or PostgreSQL when `MINQING_TEST_POSTGRES_URL` is set).
@Suite("Services: 约空间, campaigns, time bank")
struct ServicesTests {
    struct ErrorBody: Decodable { struct E: Decodable { var code: String; var message: String; var message_en: String }; var error: E }

    /// Residents `svc1`… in the demo resident's building group, signed in, each linked to a
    /// household of their own.
    static func residents(_ world: VisitWorld, count: Int) async throws -> [TestClient] {
        var clients: [TestClient] = []
        for n in 1...count {
            _ = try await AccountService.create(
                NewAccount(
                    username: "svc\(n)", displayName: "居民\(n)", role: "resident", scopeCode: VisitWorld.group,
                    password: demoPassword, mustChangePassword: false),
                by: .console, app: world.app, on: world.app.db, now: TestClock.pinnedNow())
            let household = try await world.household(500 + n)
            let link = try await world.cadre.jsonObject(.PUT, "/api/v1/visits/residents/svc\(n)/household", ["household_id": household.id.uuidString])
            #expect(link.status == .noContent, "\(link.body.string)")
            let client = TestClient(world.app)
            try await client.signInAPI("svc\(n)")
            clients.append(client)
        }
        return clients
    }

    static func resource(_ world: VisitWorld, approval: Bool, bookers: String = "all") async throws -> UUID {
        try await world.cadre.jsonObject(
            .POST, "/api/v1/services/resources",
            [
                "unit_name": "临汾路小学", "unit_kind": "学校", "name": "篮球场", "category": "文体场地", "kind": "球场", "place": "操场",
                "capacity": 20, "opening_hours": "1-7 08:00-20:00", "slot_minutes": 60, "rules": "穿运动鞋", "bookers": bookers,
                "needs_approval": approval
            ]
        ).createdID()
    }

    static func slots(_ world: VisitWorld, _ resource: UUID) async throws -> [ServiceSlotRow] {
        let day = try CivilDate.today(now: TestClock.pinnedNow()).adding(days: 1).iso8601
        let open = try await world.cadre.jsonObject(.POST, "/api/v1/services/resources/\(resource)/slots", ["date": day])
        #expect(open.status == .ok, "\(open.body.string)")
        return try await world.cadre.get("/api/v1/services/resources/\(resource)/slots?date=\(day)").decode([ServiceSlotRow].self)
    }

    @Test("parallel bookings of one slot: exactly one wins, the others get 409 slot_taken; a cancel frees it")
    func race() async throws {
        try await withApp(demo: true, sqliteFile: true) { app in
            let world = try await VisitWorld.make(app)
            let bookers = try await Self.residents(world, count: 6)
            let resource = try await Self.resource(world, approval: false)
            let slots = try await Self.slots(world, resource)
            #expect(slots.count == 12)
            for round in 0..<3 {
                let slot = slots[round].id
                let answers = try await withThrowingTaskGroup(of: TestingHTTPResponse.self) { group in
                    for client in bookers {
                        group.addTask {
                            try await client.jsonObject(.POST, "/api/v1/services/bookings", ["slot_id": slot.uuidString, "purpose": "打球"])
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(answers.filter { $0.status == .created }.count == 1, "round \(round)")
                let losers = answers.filter { $0.status != .created }
                #expect(losers.count == 5 && losers.allSatisfy { $0.status == .conflict })
                for loser in losers {
                    let error = try loser.decode(ErrorBody.self).error
                    #expect(error.code == "slot_taken")
                    #expect(error.message.contains("已被预约") && error.message_en.contains("just been booked"))
                }
                struct N: Decodable { var n: Int }
                let held = try await world.sql.raw("SELECT COUNT(*) AS n FROM service_bookings WHERE slot_hold = \(bind: slot)").first(
                    decoding: N.self)!.n
                #expect(held == 1)
            }
            // The winner of the first slot cancels; the slot is free and another resident takes it.
            let first = try #require(
                try await world.cadre.get("/api/v1/services/bookings").decode([ServiceBookingRow].self).first { $0.slot_id == slots[0].id })
            #expect(first.status == .approved)
            let cancel = try await world.cadre.jsonObject(.POST, "/api/v1/services/bookings/\(first.id)/cancel", [:])
            #expect(cancel.status == .ok)
            #expect(
                try await world.cadre.get("/api/v1/services/resources/\(resource)/slots?date=\(slots[0].local_date)")
                    .decode([ServiceSlotRow].self).first { $0.id == slots[0].id }?.taken == false)
            let again = try await bookers[5].jsonObject(.POST, "/api/v1/services/bookings", ["slot_id": slots[0].id.uuidString])
            #expect(again.status == .created)
        }
    }

    @Test("approval, no-show and refused transitions: 409 and nothing changes")
    func approval() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let resident = try await Self.residents(world, count: 1)[0]
            let resource = try await Self.resource(world, approval: true)
            let slot = try await Self.slots(world, resource)[3].id
            let booking = try await resident.jsonObject(.POST, "/api/v1/services/bookings", ["slot_id": slot.uuidString, "attendees": 5]).createdID()
            func status() async throws -> ServiceBookingStatus {
                try await world.cadre.get("/api/v1/services/bookings").decode([ServiceBookingRow].self).first { $0.id == booking }!.status
            }
            #expect(try await status() == .requested)
            // A resident may not approve; staff may.
            #expect(try await resident.jsonObject(.POST, "/api/v1/services/bookings/\(booking)/approve", [:]).status == .forbidden)
            #expect(try await world.cadre.jsonObject(.POST, "/api/v1/services/bookings/\(booking)/approve", [:]).status == .ok)
            let twice = try await world.cadre.jsonObject(.POST, "/api/v1/services/bookings/\(booking)/approve", [:])
            #expect(twice.status == .conflict)
            #expect(try await status() == .approved)
            #expect(try await world.cadre.jsonObject(.POST, "/api/v1/services/bookings/\(booking)/no-show", [:]).status == .ok)
            #expect(try await status() == .noShow)
            #expect(try await resident.jsonObject(.POST, "/api/v1/services/bookings/\(booking)/cancel", [:]).status == .conflict)
            #expect(try await status() == .noShow)
            #expect(try await world.cadre.jsonObject(.POST, "/api/v1/services/bookings/\(booking)/fly", [:]).status == .notFound)
            // Too many attendees, a bad field, organisations-only resource.
            let big = try await resident.jsonObject(
                .POST, "/api/v1/services/bookings",
                [
                    "slot_id": (try await Self.slots(world, resource))[4].id.uuidString,
                    "attendees": 21
                ])
            #expect(big.status == .notFound)
            let bad = try await world.cadre.jsonObject(
                .POST, "/api/v1/services/resources",
                [
                    "unit_name": "x", "name": "y", "category": "c", "kind": "k",
                    "place": "p", "capacity": 0, "opening_hours": "9 25:00"
                ])
            #expect(bad.status == .unprocessableEntity)
            let fields = bad.body.string
            #expect(fields.contains("capacity") && fields.contains("opening_hours") && fields.contains("开放时间"))
            let orgOnly = try await Self.resource(world, approval: false, bookers: "organisations")
            let orgSlot = try await Self.slots(world, orgOnly)[0].id
            #expect(try await resident.jsonObject(.POST, "/api/v1/services/bookings", ["slot_id": orgSlot.uuidString]).status == .notFound)
        }
    }

    @Test("limited stock under concurrency: exactly the stock granted, no household beyond its limit")
    func stockRush() async throws {
        try await withApp(demo: true, sqliteFile: true) { app in
            let world = try await VisitWorld.make(app)
            let residents = try await Self.residents(world, count: 8)
            let campaign = try await world.cadre.jsonObject(
                .POST, "/api/v1/services/campaigns",
                [
                    "title": "口罩预约", "stock": 10, "per_household_limit": 2, "pickup_place": "居委会"
                ]
            ).createdID()
            let answers = try await withThrowingTaskGroup(of: TestingHTTPResponse.self) { group in
                for client in residents {
                    for _ in 0..<3 {
                        group.addTask { try await client.jsonObject(.POST, "/api/v1/services/campaigns/\(campaign)/reservations", ["quantity": 1]) }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.status == .created }.count == 10)
            #expect(answers.allSatisfy { $0.status == .created || $0.status == .conflict })
            let codes = try Set(answers.filter { $0.status == .conflict }.map { try $0.decode(ErrorBody.self).error.code })
            #expect(!codes.isEmpty && codes.isSubset(of: ["sold_out", "household_limit"]))
            let figures = try await world.cadre.get("/api/v1/services/campaigns/\(campaign)").decode(CampaignFigures.self)
            #expect(figures.remaining == 0 && figures.reserved == 10 && figures.stock_total == 10)
            struct Claim: Decodable { var household_id: UUID; var total: Int }
            let claims = try await world.sql.raw(
                """
                SELECT household_id, CAST(SUM(quantity) AS BIGINT) AS total FROM campaign_reservations WHERE campaign_id = \(bind: campaign) GROUP BY household_id
                """
            ).all(decoding: Claim.self)
            #expect(claims.reduce(0) { $0 + $1.total } == 10)
            #expect(claims.allSatisfy { $0.total <= 2 })
            #expect(figures.households == claims.count)
            // Each resident sees their own household's claim.
            for (n, client) in residents.enumerated() {
                let mine = try await client.get("/api/v1/services/campaigns/\(campaign)").decode(CampaignFigures.self)
                struct H: Decodable { var household_id: UUID }
                let household = try await world.sql.raw(
                    """
                    SELECT rh.household_id FROM resident_households rh JOIN accounts a ON a.id = rh.account_id WHERE a.username = \(bind: "svc\(n + 1)")
                    """
                ).first(decoding: H.self)!.household_id
                #expect((mine.my_claimed ?? 0) == (claims.first { $0.household_id == household }?.total ?? 0))
            }
            #expect(
                try await residents[0].jsonObject(.POST, "/api/v1/services/campaigns/\(campaign)/reservations", ["quantity": 3]).status == .conflict)
            let csv = try await world.cadre.get("/api/v1/services/campaigns/\(campaign)/reservations.csv")
            #expect(csv.status == .ok && csv.headers.contentType?.description.hasPrefix("text/csv") == true)
            let lines = csv.body.string.split(whereSeparator: \.isNewline)
            #expect(lines.count == 1 + 10) // the header and one line per reservation of one item
            #expect(lines.first?.contains("地址") == true)
            #expect(try await residents[0].get("/api/v1/services/campaigns/\(campaign)/reservations.csv").status == .forbidden)
            // The resident's page shows the campaign, sold out: no reserve form.
            let page = try await residents[0].get("/services").body.string
            #expect(page.contains("口罩预约") && page.contains("剩余 0/10") && !page.contains("reserve-\(campaign.uuidString)"))
        }
    }

    /// Property over the database: seeded random awards, redemptions and reversals; the ledger
    /// sums to zero, each transfer's movements sum to zero, every balance is its movements' sum
    /// and no member is below zero; the movements cannot be edited or deleted.
    @Test("ledger property: random transfers and reversals keep the total at zero", arguments: [UInt64(3), 2026])
    func ledger(seed: UInt64) async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let members = try await Self.residents(world, count: 4)
            var rng = SeededGenerator(seed: seed)
            var transfers: [UUID] = []
            var outcomes: [UInt: Int] = [:]
            for _ in 0..<60 {
                let roll = Int.random(in: 0..<10, using: &rng)
                let who = Int.random(in: 0..<members.count, using: &rng)
                let unit = ["minutes", "points", "green"].randomElement(using: &rng)!
                let response: TestingHTTPResponse
                if roll < 5 {
                    response = try await world.cadre.jsonObject(
                        .POST, "/api/v1/services/ledger/awards",
                        [
                            "username": "svc\(who + 1)", "unit": unit, "amount": Int.random(in: 1...120, using: &rng), "memo": "服务"
                        ])
                } else if roll < 8 {
                    response = try await members[who].jsonObject(
                        .POST, "/api/v1/services/ledger/redemptions",
                        [
                            "unit": unit, "amount": Int.random(in: 1...80, using: &rng), "reward": "环保袋"
                        ])
                } else if let target = transfers.randomElement(using: &rng) {
                    response = try await world.cadre.jsonObject(.POST, "/api/v1/services/ledger/transfers/\(target)/reverse", [:])
                } else {
                    continue
                }
                outcomes[response.status.code, default: 0] += 1
                #expect([201, 409].contains(response.status.code), "\(response.body.string)")
                if response.status == .created { transfers.append(try response.createdID()) }
            }
            #expect((outcomes[201] ?? 0) > 20)
            struct N: Decodable { var n: Int64? }
            #expect(try await world.sql.raw("SELECT CAST(SUM(amount) AS BIGINT) AS n FROM ledger_movements").first(decoding: N.self)?.n == 0)
            #expect(
                try await world.sql.raw(
                    """
                    SELECT COUNT(*) AS n FROM (SELECT transfer_id FROM ledger_movements GROUP BY transfer_id HAVING SUM(amount) <> 0 OR COUNT(*) <> 2) x
                    """
                ).first(decoding: N.self)?.n == 0)
            #expect(
                try await world.sql.raw(
                    """
                    SELECT COUNT(*) AS n FROM ledger_accounts a WHERE a.kind = 'member'
                      AND (SELECT COALESCE(SUM(m.amount), 0) FROM ledger_movements m WHERE m.ledger_account_id = a.id) < 0
                    """
                ).first(decoding: N.self)?.n == 0)
            var balancesSeen = 0
            for member in members {
                let mine = try await member.get("/api/v1/services/ledger/me").decode(MyLedger.self)
                for balance in mine.balances {
                    let sum = mine.movements.filter { $0.unit == balance.unit }.reduce(Int64(0)) { $0 + $1.amount }
                    if mine.movements.count < 50 { #expect(sum == balance.balance) }
                    #expect(balance.balance >= 0)
                }
                balancesSeen += mine.balances.count
            }
            #expect(balancesSeen > 0, "the awards left no member a balance to check")
            // Append-only: the database refuses edits; a reversal of a reversal and a second reversal are 409.
            await #expect(throws: (any Error).self) { try await world.sql.raw("UPDATE ledger_movements SET amount = amount + 1").run() }
            await #expect(throws: (any Error).self) { try await world.sql.raw("DELETE FROM ledger_transfers").run() }
            let award = try await world.cadre.jsonObject(
                .POST, "/api/v1/services/ledger/awards",
                ["username": "svc1", "unit": "points", "amount": 10]
            ).createdID()
            let reversal = try await world.cadre.jsonObject(.POST, "/api/v1/services/ledger/transfers/\(award)/reverse", [:]).createdID()
            #expect(try await world.cadre.jsonObject(.POST, "/api/v1/services/ledger/transfers/\(award)/reverse", [:]).status == .conflict)
            #expect(try await world.cadre.jsonObject(.POST, "/api/v1/services/ledger/transfers/\(reversal)/reverse", [:]).status == .conflict)
            #expect(try await world.sql.raw("SELECT CAST(SUM(amount) AS BIGINT) AS n FROM ledger_movements").first(decoding: N.self)?.n == 0)
            let zero = try await world.cadre.jsonObject(.POST, "/api/v1/services/ledger/awards", ["username": "svc1", "unit": "points", "amount": 0])
            #expect(zero.status == .unprocessableEntity && zero.body.string.contains("amount"))
        }
    }

    @Test("volunteer activity: sign-ups stop at capacity under concurrency, once each; check-in credits the minutes")
    func activity() async throws {
        try await withApp(demo: true, sqliteFile: true) { app in
            let world = try await VisitWorld.make(app)
            let people = try await Self.residents(world, count: 5)
            let formatter = ISO8601DateFormatter()
            let activity = try await world.cadre.jsonObject(
                .POST, "/api/v1/services/activities",
                [
                    "team": "平安巡逻", "title": "夜间巡逻", "place": "小区北门", "minutes": 90, "capacity": 3,
                    "starts_at": formatter.string(from: TestClock.pinnedNow().addingTimeInterval(86_400)),
                    "ends_at": formatter.string(from: TestClock.pinnedNow().addingTimeInterval(86_400 + 5_400))
                ]
            ).createdID()
            let answers = try await withThrowingTaskGroup(of: TestingHTTPResponse.self) { group in
                for client in people { group.addTask { try await client.jsonObject(.POST, "/api/v1/services/activities/\(activity)/signups", [:]) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.status == .created }.count == 3)
            #expect(answers.filter { $0.status == .conflict }.count == 2)
            let listed = try await world.cadre.get("/api/v1/services/activities").decode([VolunteerService.Row].self).first { $0.id == activity }
            #expect(listed?.signed_up == 3)
            let winners = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for (n, client) in people.enumerated() {
                    group.addTask {
                        (
                            n,
                            try await client.get("/api/v1/services/activities").decode([VolunteerService.Row].self).first { $0.id == activity }?
                                .my_status
                        )
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }.filter { $0.1 == "signed_up" }.map(\.0)
            #expect(winners.count == 3)
            let first = try #require(winners.first)
            #expect(try await people[first].jsonObject(.POST, "/api/v1/services/activities/\(activity)/signups", [:]).status == .conflict)
            #expect(
                try await world.cadre.jsonObject(.POST, "/api/v1/services/activities/\(activity)/check-ins", ["username": "svc\(first + 1)"]).status
                    == .created)
            #expect(
                try await world.cadre.jsonObject(.POST, "/api/v1/services/activities/\(activity)/check-ins", ["username": "svc\(first + 1)"]).status
                    == .conflict)
            let mine = try await people[first].get("/api/v1/services/ledger/me").decode(MyLedger.self)
            #expect(mine.balances.first { $0.unit == .minutes }?.balance == 90)
            let loser = try #require((0..<5).first { !winners.contains($0) })
            #expect(
                try await world.cadre.jsonObject(.POST, "/api/v1/services/activities/\(activity)/check-ins", ["username": "svc\(loser + 1)"]).status
                    == .unprocessableEntity)
        }
    }

    @Test("demo: 41 units, 84 resources in 5 categories and 20 kinds, a year of bookings, two finished campaigns, a balanced time bank")
    func demo() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            let sql = app.db.sql
            struct N: Decodable { var n: Int64? }
            func count(_ query: SQLQueryString) async throws -> Int64 { try await sql.raw(query).first(decoding: N.self)?.n ?? -1 }
            #expect(try await count("SELECT COUNT(*) AS n FROM service_units") == 41)
            #expect(try await count("SELECT COUNT(*) AS n FROM service_resources") == 84)
            #expect(try await count("SELECT COUNT(DISTINCT category) AS n FROM service_resources") == 5)
            #expect(try await count("SELECT COUNT(DISTINCT kind) AS n FROM service_resources") == 20)
            // A year of two a week per resource, and the demo resident's two bookings to come.
            #expect(try await count("SELECT COUNT(*) AS n FROM service_bookings") == 84 * 104 + 2)
            #expect(
                try await count(
                    "SELECT COUNT(*) AS n FROM (SELECT slot_hold FROM service_bookings WHERE slot_hold IS NOT NULL GROUP BY slot_hold HAVING COUNT(*) > 1) x"
                ) == 0)
            #expect(try await count("SELECT COUNT(*) AS n FROM service_campaigns WHERE status = 'closed' AND remaining >= 0") == 2)
            #expect(
                try await count(
                    """
                    SELECT COUNT(*) AS n FROM campaign_household_claims h JOIN service_campaigns c ON c.id = h.campaign_id WHERE h.claimed > c.per_household_limit
                    """) == 0)
            #expect(try await count("SELECT COUNT(*) AS n FROM volunteer_activities") == 52 * 5)
            #expect(try await count("SELECT COUNT(*) AS n FROM volunteer_teams") == 5)
            #expect(try await count("SELECT COUNT(*) AS n FROM volunteer_team_members WHERE role = 'leader'") == 5)
            #expect(try await count("SELECT COUNT(*) AS n FROM service_rewards") == 4)
            #expect(try await count("SELECT CAST(SUM(amount) AS BIGINT) AS n FROM ledger_movements") == 0)
            #expect(try await count("SELECT COUNT(*) AS n FROM ledger_transfers") == (try await count("SELECT COUNT(*) AS n FROM activity_signups")))
            // The demo resident sees the resources of their subdistrict and their balance.
            let resident = TestClient(app)
            try await resident.signInAPI("resident")
            #expect(try await resident.get("/api/v1/services/resources").decode([ResourceRow].self).count == 84)
            #expect(try await resident.get("/services").status == .ok)
        }
    }
}
