import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// Campaigns staff set up without code: registration forms, daily check-ins, limited stock with
/// pick-up slots; volunteer teams and the reward catalogue. Over HTTP on a real database.
@Suite("Services: registration forms, check-ins, pick-up slots, teams, rewards")
struct ServicesCampaignTests {
    struct N: Decodable { var n: Int64? }

    static var fields: [[String: Any]] {
        [
            ["label": "姓名", "label_en": "Name", "type": "text"],
            ["label": "年龄", "label_en": "Age", "type": "number", "min": 0, "max": 120],
            ["label": "返沪日期", "label_en": "Return date", "type": "date"],
            ["label": "出发地", "label_en": "Coming from", "type": "choice", "options": ["湖北", "浙江", "其他"]],
            ["label": "需要的帮助", "label_en": "Help needed", "type": "multi_choice", "required": false, "options": ["代购", "送药"]],
            ["label": "身份证号", "label_en": "ID number", "type": "id_number"],
            ["label": "手机", "label_en": "Mobile", "type": "mobile", "required": false]
        ]
    }

    @Test(
        "registration form: typed fields validated by label, once per person, numbers sealed and masked, live counts, CSV masked or plain (audited)")
    func registration() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let people = try await ServicesTests.residents(world, count: 3)
            // A bad definition names the rows.
            let bad = try await world.cadre.jsonObject(
                .POST, "/api/v1/services/campaigns",
                [
                    "kind": "registration", "title": "返沪登记",
                    "fields": [
                        ["label": "", "type": "text"], ["label": "来源", "type": "choice", "options": ["甲"]],
                        ["label": "x", "type": "colour"]
                    ]
                ])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("fields[0]") && bad.body.string.contains("fields[1]") && bad.body.string.contains("fields[2].type"))
            let campaign = try await world.cadre.jsonObject(
                .POST, "/api/v1/services/campaigns",
                [
                    "kind": "registration", "title": "返沪登记", "description": "从外地返沪的居民请登记", "fields": Self.fields
                ]
            ).createdID()
            let form = try await people[0].get("/api/v1/services/campaigns/\(campaign)/form").decode(CampaignFormService.FormView.self)
            #expect(form.fields.count == 7 && form.mine == nil && form.entries == nil)
            func key(_ n: Int) -> String { form.fields[n].id.uuidString }

            // Every wrong answer at once, each naming its label (zh; en with Accept-Language).
            let wrong: [String: Any] = [
                "answers": [
                    key(1): ["130"], key(2): ["2026-13-01"], key(3): ["江苏"], key(5): ["110105194912310021"],
                    key(6): ["12345"]
                ]
            ]
            let refused = try await people[0].jsonObject(.POST, "/api/v1/services/campaigns/\(campaign)/entries", wrong)
            #expect(refused.status == .unprocessableEntity)
            let text = refused.body.string
            for label in ["「姓名」为必填项", "「年龄」不能大于 120", "「返沪日期」", "「出发地」", "「身份证号」", "「手机」"] {
                #expect(text.contains(label), "\(label) in \(text)")
            }
            #expect(!text.contains("110105194912310021") && !text.contains("12345"))
            var headers = HTTPHeaders()
            headers.contentType = .json
            headers.add(name: "Accept-Language", value: "en")
            let english = try await people[0].send(
                .POST, "/api/v1/services/campaigns/\(campaign)/entries", headers: headers,
                body: ByteBuffer(data: try JSONSerialization.data(withJSONObject: wrong)))
            #expect(english.body.string.contains("“Age” must be at most 120"), "\(english.body.string)")

            // Good entries; a second one by the same person is 409.
            let answers: [[String: [String]]] = [
                [
                    key(0): ["张三"], key(1): ["34"], key(2): ["2026-02-01"], key(3): ["湖北"], key(4): ["代购", "送药"], key(5): ["11010519491231002x"],
                    key(6): ["13800138000"]
                ],
                [key(0): ["李四"], key(1): ["60"], key(2): ["2026-02-03"], key(3): ["湖北"], key(5): ["11010519491231002X"]],
                [key(0): ["王五"], key(1): ["7"], key(2): ["2026-02-05"], key(3): ["其他"], key(4): ["送药"], key(5): ["11010519491231002X"]]
            ]
            for (n, person) in people.enumerated() {
                let ok = try await person.jsonObject(.POST, "/api/v1/services/campaigns/\(campaign)/entries", ["answers": answers[n]])
                #expect(ok.status == .created, "\(ok.body.string)")
            }
            let twice = try await people[0].jsonObject(.POST, "/api/v1/services/campaigns/\(campaign)/entries", ["answers": answers[0]])
            #expect(twice.status == .conflict && twice.body.string.contains("already_registered"))
            // Stored sealed: no plain number anywhere, masked values, ciphertext and blind index.
            #expect(
                try await world.sql.raw(
                    """
                    SELECT COUNT(*) AS n FROM campaign_answers WHERE value LIKE '%19491231%' OR pii_cipher LIKE '%19491231%' OR value LIKE '%00138000%'
                    """
                ).first(decoding: N.self)?.n == 0)
            #expect(
                try await world.sql.raw(
                    """
                    SELECT COUNT(*) AS n FROM campaign_answers WHERE value = '1****************X' AND pii_cipher IS NOT NULL AND pii_index IS NOT NULL
                    """
                ).first(decoding: N.self)?.n == 3)
            let mine = try await people[0].get("/api/v1/services/campaigns/\(campaign)/form").decode(CampaignFormService.FormView.self)
            #expect(mine.mine?.first { $0.field_id == form.fields[6].id }?.value == "138****8000")
            // Live counts per choice for staff.
            let staff = try await world.cadre.get("/api/v1/services/campaigns/\(campaign)/form").decode(CampaignFormService.FormView.self)
            #expect(staff.entries == 3)
            #expect(staff.fields[3].counts == [.init(option: "湖北", count: 2), .init(option: "浙江", count: 0), .init(option: "其他", count: 1)])
            #expect(staff.fields[4].counts == [.init(option: "代购", count: 1), .init(option: "送药", count: 2)])
            // CSV: masked by default; plain only with a purpose, audited; a grid worker may not ask for plain.
            let masked = try await world.cadre.get("/api/v1/services/campaigns/\(campaign)/entries.csv")
            #expect(masked.status == .ok && masked.body.string.contains("1****************X") && !masked.body.string.contains("11010519491231002X"))
            #expect(masked.body.string.split(whereSeparator: \.isNewline).count == 4 && masked.body.string.contains("身份证号"))
            // Plain numbers are never a link (a cross-site GET would carry the session): a GET asking
            // for them is refused and writes nothing; the POST needs a stated purpose.
            #expect(
                try await world.cadre.get("/api/v1/services/campaigns/\(campaign)/entries.csv?plain=true&purpose=abcdef").status
                    == .unprocessableEntity)
            #expect(
                try await world.cadre.jsonObject(.POST, "/api/v1/services/campaigns/\(campaign)/entries.csv", ["purpose": "other"]).status
                    == .unprocessableEntity)
            let plain = try await world.cadre.jsonObject(
                .POST, "/api/v1/services/campaigns/\(campaign)/entries.csv",
                ["purpose": "verification", "purpose_detail": "核对返沪人员"])
            #expect(plain.status == .ok && plain.body.string.contains("11010519491231002X") && plain.body.string.contains("13800138000"))
            #expect(
                try await world.sql.raw(
                    """
                    SELECT COUNT(*) AS n FROM audit_log WHERE action = 'campaign.entries_exported'
                    """
                ).first(decoding: N.self)?.n == 2)
            let grid = TestClient(app)
            try await grid.signInAPI("gridworker")
            #expect(
                try await grid.jsonObject(
                    .POST, "/api/v1/services/campaigns/\(campaign)/entries.csv",
                    ["purpose": "verification", "purpose_detail": "核对返沪人员"]
                ).status == .forbidden)
            // A grid worker of another building group sees no entries (scope in SQL).
            _ = try await AccountService.create(
                NewAccount(
                    username: "gw-other", displayName: "别组网格员", role: "grid_worker",
                    scopeCode: VisitWorld.otherMicroGrid, password: demoPassword, mustChangePassword: false),
                by: .console, app: app, on: app.db, now: TestClock.pinnedNow())
            let other = TestClient(app)
            try await other.signInAPI("gw-other")
            #expect(try await other.get("/api/v1/services/campaigns/\(campaign)/entries.csv").status == .notFound)

            // The page: the resident sees their answers; another resident fills the form on the page.
            let page = try await people[0].get("/services/campaigns/\(campaign)").body.string
            #expect(page.contains("您已登记") && page.contains("138****8000") && !page.contains("13800138000"))
            let staffPage = try await world.cadre.get("/services/campaigns/\(campaign)").body.string
            #expect(staffPage.contains("已登记 3 人") && staffPage.contains("entries.csv"))
        }
    }

    @Test("daily check-in: a roster from a grid node, once per person per day, self-enrolment, counts per day and who missed (anti-join)")
    func checkins() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let people = try await ServicesTests.residents(world, count: 3)
            let today = CivilDate(TestClock.pinnedNow(), in: .shanghai)
            let bad = try await world.cadre.jsonObject(
                .POST, "/api/v1/services/campaigns",
                [
                    "kind": "checkin", "title": "居家观察打卡", "starts_on": today.iso8601, "ends_on": try today.adding(days: -1).iso8601
                ])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("ends_on"))
            let campaign = try await world.cadre.jsonObject(
                .POST, "/api/v1/services/campaigns",
                [
                    "kind": "checkin", "title": "居家观察打卡", "starts_on": try today.adding(days: -2).iso8601,
                    "ends_on": try today.adding(days: 5).iso8601,
                    "self_enrol": true, "roster_node": VisitWorld.group
                ]
            ).createdID()
            struct Listed: Decodable { var username: String }
            let roster = try await world.sql.raw(
                """
                SELECT a.username FROM campaign_roster r JOIN accounts a ON a.id = r.account_id WHERE r.campaign_id = \(bind: campaign)
                """
            ).all(decoding: Listed.self).map(\.username)
            #expect(["svc1", "svc2", "svc3"].allSatisfy(roster.contains))
            let first = try await people[0].jsonObject(.POST, "/api/v1/services/campaigns/\(campaign)/checkins", ["note": "36.5"])
            #expect(first.status == .created, "\(first.body.string)")
            let again = try await people[0].jsonObject(.POST, "/api/v1/services/campaigns/\(campaign)/checkins", [:])
            #expect(again.status == .conflict && again.body.string.contains("already_checked_in"))
            #expect(try await people[1].jsonObject(.POST, "/api/v1/services/campaigns/\(campaign)/checkins", [:]).status == .created)
            // Someone of another building group is not on the roster until they enrol themself.
            _ = try await AccountService.create(
                NewAccount(
                    username: "svc-far", displayName: "远方居民", role: "resident", scopeCode: VisitWorld.otherMicroGrid,
                    password: demoPassword, mustChangePassword: false),
                by: .console, app: app, on: app.db, now: TestClock.pinnedNow())
            let far = TestClient(app)
            try await far.signInAPI("svc-far")
            let off = try await far.jsonObject(.POST, "/api/v1/services/campaigns/\(campaign)/checkins", [:])
            #expect(off.status == .conflict && off.body.string.contains("not_on_roster"))
            #expect(try await far.jsonObject(.POST, "/api/v1/services/campaigns/\(campaign)/enrol", [:]).status == .noContent)
            #expect(try await far.jsonObject(.POST, "/api/v1/services/campaigns/\(campaign)/checkins", [:]).status == .created)
            let mine = try await far.get("/api/v1/services/campaigns/\(campaign)/checkins/me").decode(CheckinService.Mine.self)
            #expect(mine.on_roster && mine.checked_today && mine.days == [today.iso8601])
            // Yesterday: everyone was on the roster, only svc1 checked in.
            let yesterday = try today.adding(days: -1).iso8601
            let earlier = TestClock.pinnedNow().addingTimeInterval(-3 * 86_400)
            try await world.sql.raw("UPDATE campaign_roster SET created_at = \(bind: earlier) WHERE campaign_id = \(bind: campaign)").run()
            try await world.sql.raw(
                """
                INSERT INTO campaign_checkins (id, campaign_id, account_id, local_date, note, created_at)
                SELECT \(bind: UUID()), \(bind: campaign), a.id, \(bind: yesterday), '', \(bind: earlier) FROM accounts a WHERE a.username = 'svc1'
                """
            ).run()
            let size = roster.count + 1
            let days = try await world.cadre.get("/api/v1/services/campaigns/\(campaign)/days").decode([CheckinService.Day].self)
            #expect(days.map(\.date) == [today.iso8601, yesterday, try today.adding(days: -2).iso8601])
            #expect(days[0] == .init(date: today.iso8601, roster: size, checked_in: 3, missed: size - 3))
            #expect(days[1] == .init(date: yesterday, roster: size, checked_in: 1, missed: size - 1))
            let missedToday = try await world.cadre.get("/api/v1/services/campaigns/\(campaign)/missed").decode([CheckinService.Missed].self).map(
                \.username)
            #expect(
                missedToday.contains("svc3") && !missedToday.contains("svc1") && !missedToday.contains("svc2") && !missedToday.contains("svc-far"))
            #expect(missedToday.count == size - 3)
            let missedYesterday = try await world.cadre.get("/api/v1/services/campaigns/\(campaign)/missed?date=\(yesterday)")
                .decode([CheckinService.Missed].self).map(\.username)
            #expect(missedYesterday.count == size - 1 && missedYesterday.contains("svc2") && !missedYesterday.contains("svc1"))
            // A grid worker of the other building group: the campaign sits above their scope.
            #expect(try await people[0].get("/api/v1/services/campaigns/\(campaign)/days").status == .forbidden)
            // Pages: the staff's days and missed list; the resident's state.
            let staffPage = try await world.cadre.get("/services/campaigns/\(campaign)").body.string
            #expect(staffPage.contains("checkin-days") && staffPage.contains("svc3"))
            #expect(try await people[2].get("/services/campaigns/\(campaign)").body.string.contains("checkin-form"))
            #expect(try await people[0].get("/services/campaigns/\(campaign)").body.string.contains("今日已打卡"))
        }
    }

    @Test(
        "pick-up slots: a reservation names a slot; the slot's counter is guarded in the same transaction (a full slot is 409 and the stock is untouched)"
    )
    func pickupSlots() async throws {
        try await withApp(demo: true, sqliteFile: true) { app in
            let world = try await VisitWorld.make(app)
            let people = try await ServicesTests.residents(world, count: 5)
            let formatter = ISO8601DateFormatter()
            let start = TestClock.pinnedNow().addingTimeInterval(86_400)
            func slot(_ hour: Double, _ capacity: Int) -> [String: Any] {
                [
                    "starts_at": formatter.string(from: start.addingTimeInterval(hour * 3600)),
                    "ends_at": formatter.string(from: start.addingTimeInterval(hour * 3600 + 3600)), "capacity": capacity, "place": "居委会东门"
                ]
            }
            let bad = try await world.cadre.jsonObject(
                .POST, "/api/v1/services/campaigns",
                [
                    "title": "口罩预约", "stock": 20, "per_household_limit": 5,
                    "pickup_slots": [
                        ["starts_at": formatter.string(from: start), "ends_at": formatter.string(from: start), "capacity": 1], slot(1, 0)
                    ]
                ])
            #expect(
                bad.status == .unprocessableEntity && bad.body.string.contains("pickup_slots[0]")
                    && bad.body.string.contains("pickup_slots[1].capacity"))
            let campaign = try await world.cadre.jsonObject(
                .POST, "/api/v1/services/campaigns",
                [
                    "title": "口罩预约", "stock": 20, "per_household_limit": 5, "pickup_place": "居委会", "pickup_slots": [slot(0, 2), slot(1, 3)]
                ]
            ).createdID()
            let figures = try await people[0].get("/api/v1/services/campaigns/\(campaign)").decode(CampaignFigures.self)
            let slots = try #require(figures.pickup_slots)
            #expect(slots.count == 2 && slots.map(\.capacity) == [2, 3] && slots[0].place == "居委会东门")
            let none = try await people[0].jsonObject(.POST, "/api/v1/services/campaigns/\(campaign)/reservations", ["quantity": 1])
            #expect(none.status == .unprocessableEntity && none.body.string.contains("pickup_slot_id"))
            let answers = try await withThrowingTaskGroup(of: TestingHTTPResponse.self) { group in
                for client in people {
                    group.addTask {
                        try await client.jsonObject(
                            .POST, "/api/v1/services/campaigns/\(campaign)/reservations",
                            ["quantity": 2, "pickup_slot_id": slots[0].id.uuidString])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.status == .created }.count == 2)
            #expect(answers.filter { $0.status == .conflict }.allSatisfy { $0.body.string.contains("pickup_slot_full") })
            #expect(answers.filter { $0.status == .conflict }.count == 3)
            let after = try await world.cadre.get("/api/v1/services/campaigns/\(campaign)").decode(CampaignFigures.self)
            #expect(after.remaining == 16 && after.reserved == 4 && after.households == 2)
            #expect(after.pickup_slots?.map(\.taken) == [2, 0])
            struct N: Decodable { var n: Int64? }
            #expect(
                try await world.sql.raw(
                    """
                    SELECT COUNT(*) AS n FROM campaign_reservations WHERE campaign_id = \(bind: campaign) AND pickup_slot_id = \(bind: slots[0].id)
                    """
                ).first(decoding: N.self)?.n == 2)
            // The page offers the slots still open; the CSV names each reservation's slot.
            let page = try await people[0].get("/services").body.string
            #expect(page.contains("pickup-\(campaign.uuidString)") && !page.contains(slots[0].id.uuidString) && page.contains(slots[1].id.uuidString))
            let csv = try await world.cadre.get("/api/v1/services/campaigns/\(campaign)/reservations.csv").body.string
            #expect(csv.contains("领取时段") && csv.split(whereSeparator: \.isNewline).count == 3)
        }
    }

    @Test(
        "reservation group commit: one batch decides in arrival order (stock, household limit, slot) across campaigns and writes exactly the granted")
    func reservationBatch() async throws {
        try await withApp(demo: true, sqliteFile: true) { app in
            let world = try await VisitWorld.make(app)
            _ = try await ServicesTests.residents(world, count: 3)
            let start = TestClock.pinnedNow().addingTimeInterval(86_400)
            let formatter = ISO8601DateFormatter()
            func slot(_ hour: Double, _ capacity: Int) -> [String: Any] {
                [
                    "starts_at": formatter.string(from: start.addingTimeInterval(hour * 3600)),
                    "ends_at": formatter.string(from: start.addingTimeInterval(hour * 3600 + 3600)), "capacity": capacity
                ]
            }
            let campaign = try await world.cadre.jsonObject(
                .POST, "/api/v1/services/campaigns",
                [
                    "title": "口罩预约", "stock": 5, "per_household_limit": 3, "pickup_place": "居委会", "pickup_slots": [slot(0, 2), slot(1, 10)]
                ]
            ).createdID()
            let other = try await world.cadre.jsonObject(
                .POST, "/api/v1/services/campaigns",
                [
                    "title": "消毒液预约", "stock": 1, "per_household_limit": 1, "pickup_place": "居委会"
                ]
            ).createdID()
            let slots = try #require(try await world.cadre.get("/api/v1/services/campaigns/\(campaign)").decode(CampaignFigures.self).pickup_slots)
            let (a, b) = (slots[0].id, slots[1].id)
            struct Link: Decodable { var account_id: UUID; var household_id: UUID }
            let links = try await world.sql.raw(
                """
                SELECT rh.account_id, rh.household_id FROM resident_households rh JOIN accounts a ON a.id = rh.account_id
                WHERE a.username IN ('svc1', 'svc2', 'svc3') ORDER BY a.username
                """
            ).all(decoding: Link.self)
            try #require(links.count == 3)
            func item(_ who: Int, _ quantity: Int, _ slot: UUID?, campaign: UUID = campaign, limit: Int = 3) -> ReservationQueue.Item {
                .init(
                    id: UUID(), campaign: campaign, household: links[who].household_id, account: links[who].account_id, quantity: quantity,
                    slot: slot, limit: limit, now: TestClock.pinnedNow())
            }
            let batch = [
                item(0, 2, a), item(0, 2, b), item(1, 1, a), item(2, 1, a), item(2, 3, b), item(2, 2, b), item(1, 1, b),
                item(0, 1, nil, campaign: other, limit: 1), item(1, 1, nil, campaign: other, limit: 1), item(0, 1, nil, campaign: UUID())
            ]
            let outcomes = try await ReservationQueue.write(batch, on: app.db)
            #expect(outcomes == [.granted, .overLimit, .granted, .slotFull, .soldOut, .granted, .soldOut, .granted, .soldOut, .soldOut])
            let after = try await world.cadre.get("/api/v1/services/campaigns/\(campaign)").decode(CampaignFigures.self)
            #expect(after.remaining == 0 && after.reserved == 5 && after.households == 3)
            #expect(after.pickup_slots?.map(\.taken) == [2, 1])
            struct Claim: Decodable { var household_id: UUID; var claimed: Int; var reserved: Int }
            let claims = try await world.sql.raw(
                """
                SELECT h.household_id, h.claimed, (SELECT CAST(SUM(r.quantity) AS BIGINT) FROM campaign_reservations r
                                                   WHERE r.campaign_id = h.campaign_id AND r.household_id = h.household_id) AS reserved
                FROM campaign_household_claims h WHERE h.campaign_id = \(bind: campaign)
                """
            ).all(decoding: Claim.self)
            #expect(
                Dictionary(uniqueKeysWithValues: claims.map { ($0.household_id, $0.claimed) })
                    == [links[0].household_id: 2, links[1].household_id: 1, links[2].household_id: 2])
            #expect(claims.allSatisfy { $0.claimed == $0.reserved })
            let granted = Set([batch[0].id, batch[2].id, batch[5].id, batch[7].id])
            struct R: Decodable { var id: UUID; var pickup_slot_id: UUID? }
            let written = try await world.sql.raw(
                """
                SELECT id, pickup_slot_id FROM campaign_reservations WHERE campaign_id IN (\(bind: campaign), \(bind: other))
                """
            ).all(decoding: R.self)
            #expect(Set(written.map(\.id)) == granted)
            #expect(written.first { $0.id == batch[5].id }?.pickup_slot_id == b)
            #expect(try await world.cadre.get("/api/v1/services/campaigns/\(other)").decode(CampaignFigures.self).remaining == 0)
        }
    }

    @Test("volunteer teams and members as records; the reward catalogue: stock and ledger in one transaction, 409 when out of stock or balance short")
    func teamsAndRewards() async throws {
        try await withApp(demo: true, sqliteFile: true) { app in
            let world = try await VisitWorld.make(app)
            let people = try await ServicesTests.residents(world, count: 3)
            let team = try await world.cadre.jsonObject(.POST, "/api/v1/services/teams", ["name": "一居平安巡逻队", "kind": "平安巡逻", "leader": "svc1"])
                .createdID()
            #expect(
                try await world.cadre.jsonObject(.POST, "/api/v1/services/teams", ["name": "一居平安巡逻队", "kind": "平安巡逻"]).status == .unprocessableEntity)
            #expect(try await world.cadre.jsonObject(.POST, "/api/v1/services/teams/\(team)/members", ["username": "svc2"]).status == .created)
            let twice = try await world.cadre.jsonObject(.POST, "/api/v1/services/teams/\(team)/members", ["username": "svc2"])
            #expect(twice.status == .conflict && twice.body.string.contains("already_member"))
            #expect(try await world.cadre.jsonObject(.POST, "/api/v1/services/teams/\(team)/members/svc2/leave", [:]).status == .noContent)
            #expect(try await world.cadre.jsonObject(.POST, "/api/v1/services/teams/\(team)/members/svc2/leave", [:]).status == .conflict)
            // Rejoining after leaving is a new membership; the old one stays with its dates.
            #expect(
                try await world.cadre.jsonObject(.POST, "/api/v1/services/teams/\(team)/members", ["username": "svc2", "joined_on": "2026-01-05"])
                    .status == .created)
            let detail = try await people[0].get("/api/v1/services/teams/\(team)").decode(TeamService.Detail.self)
            #expect(detail.team.leader == "居民1" && detail.team.members == 2 && detail.members.count == 3)
            #expect(detail.members.filter { $0.username == "svc2" }.map(\.left_on).contains(nil))
            #expect(try await people[0].jsonObject(.POST, "/api/v1/services/teams", ["name": "x", "kind": "y"]).status == .forbidden)

            // Rewards: 2 in stock at 30 points; three members with 40, 40 and 10 points.
            let reward = try await world.cadre.jsonObject(
                .POST, "/api/v1/services/rewards", ["name": "环保袋", "unit": "points", "price": 30, "stock": 2]
            ).createdID()
            #expect(
                try await world.cadre.jsonObject(.POST, "/api/v1/services/rewards", ["name": "x", "unit": "minutes", "price": 0, "stock": -1])
                    .status == .unprocessableEntity)
            for (n, amount) in [40, 40, 10].enumerated() {
                #expect(
                    try await world.cadre.jsonObject(
                        .POST, "/api/v1/services/ledger/awards", ["username": "svc\(n + 1)", "unit": "points", "amount": amount]
                    )
                    .status == .created)
            }
            let short = try await people[2].jsonObject(.POST, "/api/v1/services/rewards/\(reward)/redemptions", [:])
            #expect(short.status == .conflict && short.body.string.contains("insufficient_balance"))
            #expect(try await people[2].get("/api/v1/services/rewards").decode([RewardService.Row].self).first { $0.id == reward }?.remaining == 2)
            #expect(try await people[0].jsonObject(.POST, "/api/v1/services/rewards/\(reward)/redemptions", [:]).status == .created)
            #expect(try await people[1].jsonObject(.POST, "/api/v1/services/rewards/\(reward)/redemptions", [:]).status == .created)
            // Out of stock now, though the first member could still pay for ... nothing: 409 out_of_stock, balance unchanged.
            try await world.cadre.jsonObject(.POST, "/api/v1/services/ledger/awards", ["username": "svc1", "unit": "points", "amount": 50])
                .createdID()
            let gone = try await people[0].jsonObject(.POST, "/api/v1/services/rewards/\(reward)/redemptions", [:])
            #expect(gone.status == .conflict && gone.body.string.contains("out_of_stock"))
            let mine = try await people[0].get("/api/v1/services/ledger/me").decode(MyLedger.self)
            #expect(mine.balances.first { $0.unit == .points }?.balance == 60)
            struct N: Decodable { var n: Int64? }
            #expect(
                try await world.sql.raw("SELECT COUNT(*) AS n FROM reward_redemptions WHERE reward_id = \(bind: reward)").first(decoding: N.self)?.n
                    == 2)
            #expect(try await world.sql.raw("SELECT CAST(SUM(amount) AS BIGINT) AS n FROM ledger_movements").first(decoding: N.self)?.n == 0)
        }
    }

    @Test("staff set-up page: a registration campaign from field rows (add a row keeps what was typed), a team and a reward, with the CSRF token")
    func managePage() async throws {
        try await withApp(demo: true) { app in
            let cadre = TestClient(app)
            _ = try await cadre.signInWeb("cadre")
            let page = try await cadre.get("/services/manage")
            #expect(page.status == .ok && page.body.string.contains("manage-campaigns-form") && page.body.string.contains("f2_label"))
            let csrf = try #require(TestClient.csrf(in: page.body.string))
            // "Add a row" shows the form again with one more row and the typed label kept.
            let more = try await cadre.form(
                "/services/manage/campaigns",
                [
                    "csrf": csrf, "rows": "3", "add_row": "1", "kind": "registration",
                    "title": "返沪登记", "f0_label": "姓名", "f0_type": "text"
                ])
            #expect(more.status == .ok && more.body.string.contains("f3_label") && more.body.string.contains("姓名"))
            let bad = try await cadre.form(
                "/services/manage/campaigns",
                [
                    "csrf": csrf, "kind": "registration", "title": "返沪登记",
                    "f0_label": "出发地", "f0_type": "choice", "f0_options": "湖北"
                ])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("「出发地」"))
            let made = try await cadre.form(
                "/services/manage/campaigns",
                [
                    "csrf": csrf, "kind": "registration", "title": "返沪登记", "f0_label": "姓名", "f0_type": "text", "f0_required": "1",
                    "f1_label": "出发地", "f1_type": "choice", "f1_options": "湖北、浙江，其他", "f1_required": "1",
                    "f2_label": "手机", "f2_type": "mobile"
                ])
            #expect(made.status == .seeOther, "\(made.body.string.prefix(300))")
            let location = try #require(made.headers.first(name: .location))
            let id = try #require(UUID(uuidString: String(location.split(separator: "/").last ?? "")))
            let world = try await VisitWorld.make(app)
            let form = try await world.cadre.get("/api/v1/services/campaigns/\(id)/form").decode(CampaignFormService.FormView.self)
            #expect(
                form.fields.map(\.type) == [.text, .choice, .mobile] && form.fields[1].options == ["湖北", "浙江", "其他"] && !form.fields[2].required)
            #expect(try await cadre.form("/services/manage/teams", ["csrf": csrf, "name": "一居清洁家园队", "kind": "清洁家园"]).status == .seeOther)
            #expect(
                try await cadre.form("/services/manage/rewards", ["csrf": csrf, "name": "环保袋", "unit": "green", "price": "20", "stock": "50"]).status
                    == .seeOther)
            let after = try await cadre.get("/services/manage").body.string
            #expect(after.contains("一居清洁家园队") && after.contains("环保袋") && after.contains("返沪登记"))
            #expect(try await cadre.form("/services/manage/teams", ["name": "无令牌", "kind": "x"]).status == .forbidden)
            let resident = TestClient(app)
            _ = try await resident.signInWeb("resident")
            #expect(try await resident.get("/services/manage").status == .forbidden)
        }
    }
}
