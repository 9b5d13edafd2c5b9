import Fluent
import Foundation
import MinqingDomain
import MinqingServer
import SQLKit

/// The services demo, inside the demo's load transaction (bulk inserts): the seed's 41 units
/// opening 84 resources in 5 categories and 20 kinds (临汾共享), placed across the residential
/// areas; a year of bookings (two a week per resource: mostly used, some cancelled, a few
/// no-shows); the slots of the next four weeks from the opening hours (`ServicesDemo+Slots`);
/// two finished mask reservations; a year of weekly activities of five volunteer teams with
/// sign-ups, check-ins and the minutes in the time bank.
enum ServicesDemo {
    struct Counts: Sendable { var units = 0; var resources = 0; var bookings = 0; var reservations = 0; var activities = 0; var transfers = 0 }

    /// 5 categories × 4 kinds = the seed's 20 kinds.
    static let kinds: [(category: String, kinds: [String])] = [
        ("场地空间", ["会议室", "活动室", "报告厅", "党群服务站"]),
        ("文体设施", ["篮球场", "健身房", "乒乓球室", "图书阅览室"]),
        ("教育培训", ["培训教室", "电脑房", "科普展厅", "实训基地"]),
        ("便民服务", ["停车位", "职工食堂", "淋浴间", "充电桩"]),
        ("专业服务", ["法律咨询", "心理咨询", "健康义诊", "志愿者培训"])
    ]
    static let unitKinds = ["机关", "学校", "企业", "医院", "社会组织"]
    static let teams = ["平安巡逻", "清洁家园", "交通文明", "垃圾分类", "医护康养"]

    /// `calendar` is the platform's working-day calendar (the shipped holiday files unless given):
    /// working-week resources get no slots on its holidays.
    static func load(
        seed: UInt64, now: Date, calendar: WorkingCalendar = SlotService.shippedCalendar(), progress: @Sendable (String) -> Void,
        on db: any Database
    ) async throws -> Counts {
        var counts = Counts()
        var rng = SeededGenerator(seed: seed ^ 0x5E21_0000_0008)
        struct Node: Decodable { var id: UUID; var subdistrict_id: UUID? }
        let areas = try await db.sql.raw("SELECT id, subdistrict_id FROM grid_nodes WHERE level = 'residential_area' ORDER BY code")
            .all(decoding: Node.self)
        struct Person: Decodable { var id: UUID; var grid_node_id: UUID; var subdistrict_id: UUID?; var display_name: String }
        let people = try await db.sql.raw(
            """
            SELECT id, grid_node_id, subdistrict_id, display_name FROM accounts WHERE role IN ('resident', 'volunteer') ORDER BY username
            """
        ).all(decoding: Person.self)
        guard !areas.isEmpty, !people.isEmpty else { return counts }

        // Units and resources.
        var units = BulkInserter(table: "service_units", columns: ["id", "subdistrict_id", "grid_node_id", "name", "unit_kind", "created_at"])
        var unitRows: [(id: UUID, node: Node, name: String)] = []
        for n in 0..<41 {
            let node = areas[n % areas.count], kind = unitKinds[n % unitKinds.count]
            let name = "临汾路\(kind == "机关" ? "驻区机关" : kind)\(n / unitKinds.count + 1)号"
            let id = UUID()
            unitRows.append((id, node, name))
            units.append([SQLBind(id), bindOrNull(node.subdistrict_id), SQLBind(node.id), SQLBind(name), SQLBind(kind), SQLBind(now)])
        }
        try await units.flush(on: db)
        counts.units = unitRows.count
        var resources = BulkInserter(
            table: "service_resources",
            columns: [
                "id", "subdistrict_id", "unit_id", "grid_node_id", "name", "category",
                "kind", "place", "capacity", "opening_hours", "slot_minutes", "rules",
                "bookers", "needs_approval", "created_at"
            ])
        var resourceIDs: [UUID] = []
        for n in 0..<84 {
            let unit = unitRows[n % unitRows.count]
            let group = kinds[n % kinds.count], kind = group.kinds[(n / kinds.count) % group.kinds.count]
            let id = UUID()
            resourceIDs.append(id)
            resources.append([
                SQLBind(id), bindOrNull(unit.node.subdistrict_id), SQLBind(unit.id), SQLBind(unit.node.id), SQLBind(kind),
                SQLBind(group.category), SQLBind(kind), SQLBind("\(unit.name)"), SQLBind([10, 20, 40, 80][n % 4]),
                SQLBind(n % 3 == 0 ? "1-5 09:00-12:00,14:00-17:00" : "1-7 08:00-20:00"), SQLBind(60),
                SQLBind("按时使用，用后复原"), SQLBind(["all", "residents", "organisations"][n % 3]), SQLBind(n % 4 == 0), SQLBind(now)
            ])
        }
        try await resources.flush(on: db)
        counts.resources = resourceIDs.count

        // A year of bookings: two a week per resource, at whole hours in the afternoon (UTC+8 14:00–17:00).
        var slots = BulkInserter(table: "service_slots", columns: ["id", "resource_id", "starts_at", "ends_at", "local_date"])
        var bookings = BulkInserter(
            table: "service_bookings",
            columns: [
                "id", "subdistrict_id", "resource_id", "slot_id", "slot_hold", "account_id",
                "booker_node_id", "organisation", "purpose", "attendees", "status",
                "updated_by", "created_at", "updated_at"
            ])
        let today = CivilDate(now, in: .shanghai)
        for (index, resource) in resourceIDs.enumerated() {
            let node = unitRows[index % unitRows.count].node
            for week in 1...52 {
                for half in 0..<2 {
                    guard let day = try? today.adding(days: -(week * 7) + half * 3) else { continue }
                    let start = day.startOfDay(in: .shanghai).addingTimeInterval(Double((14 + Int.random(in: 0..<3, using: &rng)) * 3600))
                    let slot = UUID()
                    slots.append([SQLBind(slot), SQLBind(resource), SQLBind(start), SQLBind(start.addingTimeInterval(3600)), SQLBind(day.iso8601)])
                    let roll = Int.random(in: 0..<20, using: &rng)
                    let status: ServiceBookingStatus = roll == 0 ? .noShow : (roll < 3 ? .cancelled : .attended)
                    let person = people[Int.random(in: 0..<people.count, using: &rng)]
                    bookings.append([
                        SQLBind(UUID()), bindOrNull(node.subdistrict_id), SQLBind(resource), SQLBind(slot),
                        status == .cancelled ? SQLLiteral.null : SQLBind(slot), SQLBind(person.id), SQLBind(person.grid_node_id),
                        SQLBind(""), SQLBind(["楼组议事", "兴趣小组", "亲子活动", "健身"][roll % 4]), SQLBind(1 + roll % 8),
                        SQLBind(status.rawValue), SQLBind("demo"), SQLBind(start.addingTimeInterval(-86_400 * 3)), SQLBind(start)
                    ])
                    counts.bookings += 1
                }
            }
        }
        try await slots.flush(on: db)
        try await bookings.flush(on: db)
        progress("services: \(counts.units) units, \(counts.resources) resources, \(counts.bookings) bookings")
        let ahead = try await loadSlots(resources: resourceIDs, now: now, calendar: calendar, on: db)
        counts.bookings += ahead.upcoming
        progress(
            "services: \(ahead.slots) slots for the next \(SlotService.defaultWeeks) weeks, \(ahead.upcoming) bookings to come, \(ahead.blocked) blocked"
        )

        // Two finished mask reservations for the subdistrict.
        struct Household: Decodable { var id: UUID }
        let households = try await db.sql.raw("SELECT id FROM households ORDER BY id LIMIT 3000").all(decoding: Household.self)
        let root = areas[0]
        let subdistrictNode = root.subdistrict_id ?? root.id
        var claims = BulkInserter(table: "campaign_household_claims", columns: ["campaign_id", "household_id", "claimed"])
        var reservations = BulkInserter(
            table: "campaign_reservations", columns: ["id", "campaign_id", "household_id", "account_id", "quantity", "created_at"])
        var campaigns = BulkInserter(
            table: "service_campaigns",
            columns: [
                "id", "subdistrict_id", "grid_node_id", "kind", "title", "stock_total",
                "remaining", "per_household_limit", "pickup_place", "status", "created_by", "created_at"
            ])
        for (n, (title, stock, limit)) in [("口罩预约（第一批）", 5_000, 5), ("口罩预约（第二批）", 8_000, 10)].enumerated() {
            let campaign = UUID()
            var taken = 0
            var rows: [[any SQLExpression]] = []
            for household in households.shuffled(using: &rng) where taken < stock {
                let quantity = min(limit, stock - taken, Int.random(in: 1...limit, using: &rng))
                taken += quantity
                claims.append([SQLBind(campaign), SQLBind(household.id), SQLBind(quantity)])
                rows.append([
                    SQLBind(UUID()), SQLBind(campaign), SQLBind(household.id), SQLBind(people[0].id), SQLBind(quantity),
                    SQLBind(now.addingTimeInterval(Double(-86_400 * (300 - n * 60))))
                ])
            }
            campaigns.append([
                SQLBind(campaign), bindOrNull(root.subdistrict_id), SQLBind(subdistrictNode), SQLBind("reservation"), SQLBind(title),
                SQLBind(stock), SQLBind(stock - taken), SQLBind(limit), SQLBind("各居委会"), SQLBind("closed"), SQLLiteral.null,
                SQLBind(now.addingTimeInterval(Double(-86_400 * (301 - n * 60))))
            ])
            for row in rows { reservations.append(row) }
            counts.reservations += rows.count
        }
        try await campaigns.flush(on: db)
        try await claims.flush(on: db)
        try await reservations.flush(on: db)

        // A daily health check-in (健康打卡) running this fortnight at the demo resident's
        // residential area: a temperature and symptoms, abnormal from 37.3 °C or with 发热; the
        // residents and volunteers there on the roster, most past days checked in, a few of them
        // abnormal; nobody has checked in today, so the resident's home shows it due.
        struct Home: Decodable { var area_id: UUID; var subdistrict_id: UUID? }
        if let home = try await db.sql.raw(
            """
            SELECT g.id AS area_id, g.subdistrict_id FROM accounts a JOIN grid_closure gc ON gc.descendant_id = a.grid_node_id
            JOIN grid_nodes g ON g.id = gc.ancestor_id WHERE a.username = 'resident' AND g.level = 'residential_area'
            """
        ).first(decoding: Home.self) {
            struct Under: Decodable { var descendant_id: UUID }
            let under = Set(
                try await db.sql.raw("SELECT descendant_id FROM grid_closure WHERE ancestor_id = \(bind: home.area_id)").all(decoding: Under.self)
                    .map(\.descendant_id))
            let today = CivilDate(now, in: .shanghai)
            let campaign = UUID()
            try await db.sql.raw(
                """
                INSERT INTO service_campaigns (id, subdistrict_id, grid_node_id, kind, title, description, stock_total, remaining,
                                               per_household_limit, pickup_place, status, created_by, created_at, starts_on, ends_on, self_enrol)
                VALUES (\(bind: campaign), \(bind: home.subdistrict_id), \(bind: home.area_id), 'checkin', '健康打卡',
                        '每天报一次体温和身体状况。体温达到 37.3℃ 或有发热，网格员会联系您。', 0, 0, 0, '', 'open', NULL,
                        \(bind: now.addingTimeInterval(-7 * 86_400)), \(bind: try today.adding(days: -7).iso8601),
                        \(bind: try today.adding(days: 7).iso8601), \(bind: true))
                """
            ).run()
            var roster = BulkInserter(
                table: "campaign_roster", columns: ["id", "campaign_id", "account_id", "grid_node_id", "enrolled_by", "created_at"])
            let temperature = UUID(), symptoms = UUID()
            try await insertFields(
                campaign: campaign,
                [
                    (temperature, "体温（℃）", "Temperature (°C)", "decimal", "", 34, 43, 373, nil),
                    (symptoms, "症状", "Symptoms", "multi_choice", "无\n咳嗽\n发热\n乏力", nil, nil, nil, "发热")
                ], on: db)
            var checkins = BulkInserter(
                table: "campaign_checkins", columns: ["id", "campaign_id", "account_id", "local_date", "note", "alert", "created_at"])
            var answers = BulkInserter(table: "checkin_answers", columns: ["id", "checkin_id", "field_id", "value"])
            for person in people where under.contains(person.grid_node_id) {
                roster.append([
                    SQLBind(UUID()), SQLBind(campaign), SQLBind(person.id), SQLBind(person.grid_node_id), SQLBind("demo"),
                    SQLBind(now.addingTimeInterval(-7 * 86_400))
                ])
                for back in 1...7 where Int.random(in: 0..<10, using: &rng) < 8 {
                    let id = UUID()
                    // About one check-in in fifty is abnormal: a fever, with the symptom ticked.
                    let fever = Int.random(in: 0..<50, using: &rng) == 0
                    let tenths = fever ? Int.random(in: 373...386, using: &rng) : Int.random(in: 361...369, using: &rng)
                    checkins.append([
                        SQLBind(id), SQLBind(campaign), SQLBind(person.id), SQLBind(try today.adding(days: -back).iso8601), SQLBind(""),
                        SQLBind(fever), SQLBind(now.addingTimeInterval(Double(-back * 86_400)))
                    ])
                    answers.append([SQLBind(UUID()), SQLBind(id), SQLBind(temperature), SQLBind("\(tenths / 10).\(tenths % 10)")])
                    answers.append([SQLBind(UUID()), SQLBind(id), SQLBind(symptoms), SQLBind(fever ? "发热" : "无")])
                }
            }
            try await roster.flush(on: db)
            try await checkins.flush(on: db)
            try await answers.flush(on: db)
        }

        // 返沪人员登记: a registration form of the subdistrict, ready for residents coming back.
        let registration = UUID()
        try await db.sql.raw(
            """
            INSERT INTO service_campaigns (id, subdistrict_id, grid_node_id, kind, title, description, stock_total, remaining,
                                           per_household_limit, pickup_place, status, created_by, created_at)
            VALUES (\(bind: registration), \(bind: root.subdistrict_id), \(bind: subdistrictNode), 'registration', '返沪人员登记',
                    '近 14 天从外省市返沪的居民请如实登记，身份证号、手机号加密保存，仅用于社区健康服务。', 0, 0, 0, '', 'open', NULL,
                    \(bind: now.addingTimeInterval(-3 * 86_400)))
            """
        ).run()
        try await insertFields(
            campaign: registration,
            [
                (UUID(), "姓名", "Name", "text", "", nil, nil, nil, nil),
                (UUID(), "身份证号", "ID number", "id_number", "", nil, nil, nil, nil),
                (UUID(), "手机号", "Mobile number", "mobile", "", nil, nil, nil, nil),
                (UUID(), "返沪日期", "Date of return", "date", "", nil, nil, nil, nil),
                (UUID(), "出发地", "Coming from", "choice", "江苏\n浙江\n安徽\n其他省市", nil, nil, nil, nil),
                (UUID(), "交通方式", "Travelled by", "choice", "火车\n飞机\n长途汽车\n自驾", nil, nil, nil, nil),
                (UUID(), "同行人数", "Travelling with", "number", "", 0, 20, nil, nil)
            ], on: db)

        // A year of volunteering: each team weekly, up to eight sign-ups, all checked in with the
        // minutes in the time bank (pool of the area → member).
        var accounts = BulkInserter(
            table: "ledger_accounts", columns: ["id", "subdistrict_id", "grid_node_id", "holder_key", "unit", "kind", "account_id", "name"])
        var pools: [UUID: UUID] = [:], members: [UUID: UUID] = [:]
        for area in areas {
            let id = UUID()
            pools[area.id] = id
            accounts.append([
                SQLBind(id), bindOrNull(area.subdistrict_id), SQLBind(area.id), SQLBind("pool:\(area.id.uuidString.lowercased())"),
                SQLBind("minutes"), SQLBind("pool"), SQLLiteral.null, SQLBind("志愿服务时长池")
            ])
        }
        for person in people {
            let id = UUID()
            members[person.id] = id
            accounts.append([
                SQLBind(id), bindOrNull(person.subdistrict_id), SQLBind(person.grid_node_id), SQLBind("account:\(person.id.uuidString.lowercased())"),
                SQLBind("minutes"), SQLBind("member"), SQLBind(person.id), SQLBind(person.display_name)
            ])
        }
        var activities = BulkInserter(
            table: "volunteer_activities",
            columns: [
                "id", "subdistrict_id", "grid_node_id", "team", "title", "place", "starts_at",
                "ends_at", "minutes", "capacity", "signed_up", "created_by", "created_at"
            ])
        var transfers = BulkInserter(
            table: "ledger_transfers",
            columns: [
                "id", "subdistrict_id", "grid_node_id", "unit", "from_account_id", "to_account_id",
                "amount", "memo", "reverses_id", "created_by", "created_at"
            ])
        var signups = BulkInserter(
            table: "activity_signups", columns: ["id", "activity_id", "account_id", "status", "transfer_id", "created_at", "checked_in_at"])
        var movements = BulkInserter(table: "ledger_movements", columns: ["id", "transfer_id", "ledger_account_id", "amount", "created_at"])
        for week in 1...52 {
            for (t, team) in teams.enumerated() {
                guard let day = try? today.adding(days: -(week * 7) + t) else { continue }
                let area = areas[(week + t) % areas.count]
                let start = day.startOfDay(in: .shanghai).addingTimeInterval(9 * 3600)
                let activity = UUID()
                let chosen = Array(people.shuffled(using: &rng).prefix(min(8, people.count)))
                activities.append([
                    SQLBind(activity), bindOrNull(area.subdistrict_id), SQLBind(area.id), SQLBind(team), SQLBind("\(team)·第\(53 - week)周"),
                    SQLBind("居民区活动室"), SQLBind(start), SQLBind(start.addingTimeInterval(7200)), SQLBind(120), SQLBind(20),
                    SQLBind(chosen.count), SQLLiteral.null, SQLBind(start.addingTimeInterval(-86_400 * 5))
                ])
                counts.activities += 1
                for person in chosen {
                    let transfer = UUID(), end = start.addingTimeInterval(7200)
                    transfers.append([
                        SQLBind(transfer), bindOrNull(area.subdistrict_id), SQLBind(area.id), SQLBind("minutes"), SQLBind(pools[area.id]!),
                        SQLBind(members[person.id]!), SQLBind(Int64(120)), SQLBind("\(team)·第\(53 - week)周"), SQLLiteral.null,
                        SQLLiteral.null, SQLBind(end)
                    ])
                    signups.append([
                        SQLBind(UUID()), SQLBind(activity), SQLBind(person.id), SQLBind("checked_in"), SQLBind(transfer),
                        SQLBind(start.addingTimeInterval(-86_400)), SQLBind(end)
                    ])
                    for line in (try? TimeBankLedger.transfer(from: "pool", to: "member", amount: 120)) ?? [] {
                        let account = line.account == "pool" ? pools[area.id]! : members[person.id]!
                        movements.append([SQLBind(UUID()), SQLBind(transfer), SQLBind(account), SQLBind(line.amount), SQLBind(end)])
                    }
                    counts.transfers += 1
                }
            }
        }
        try await accounts.flush(on: db)
        try await activities.flush(on: db)
        try await transfers.flush(on: db)
        try await signups.flush(on: db)
        try await movements.flush(on: db)
        // The five teams as records at the first residential area, their members (the first
        // volunteers and residents), and a reward catalogue.
        var teamRows = BulkInserter(
            table: "volunteer_teams", columns: ["id", "subdistrict_id", "grid_node_id", "name", "kind", "leader_account_id", "created_at"])
        var memberRows = BulkInserter(table: "volunteer_team_members", columns: ["id", "team_id", "account_id", "role", "joined_on", "created_at"])
        let joined = ((try? today.adding(days: -365)) ?? today).iso8601
        // Up to eight members a team; a small demo shares out the few people it has, so every team has a leader.
        let perTeam = max(1, min(8, people.count / max(1, teams.count)))
        for (t, team) in teams.enumerated() {
            let id = UUID()
            let members = people.isEmpty ? [] : (0..<perTeam).map { people[(t * perTeam + $0) % people.count] }
            teamRows.append([
                SQLBind(id), bindOrNull(root.subdistrict_id), SQLBind(root.id), SQLBind("\(team)队"), SQLBind(team),
                bindOrNull(members.first?.id), SQLBind(now)
            ])
            for (n, person) in members.enumerated() {
                memberRows.append([
                    SQLBind(UUID()), SQLBind(id), SQLBind(person.id), SQLBind(n == 0 ? "leader" : "member"), SQLBind(joined), SQLBind(now)
                ])
            }
        }
        try await teamRows.flush(on: db)
        try await memberRows.flush(on: db)
        var rewardRows = BulkInserter(
            table: "service_rewards", columns: ["id", "subdistrict_id", "grid_node_id", "name", "unit", "price", "stock", "remaining", "created_at"])
        for (name, unit, price, stock) in [
            ("环保购物袋", "green", 50, 200), ("垃圾分类桶", "green", 200, 50), ("理发券", "points", 100, 100), ("体检套餐", "points", 800, 10)
        ] {
            rewardRows.append([
                SQLBind(UUID()), bindOrNull(root.subdistrict_id), SQLBind(subdistrictNode), SQLBind(name), SQLBind(unit),
                SQLBind(Int64(price)), SQLBind(stock), SQLBind(stock), SQLBind(now)
            ])
        }
        try await rewardRows.flush(on: db)
        progress(
            "services: \(counts.reservations) reservations in 2 campaigns, \(counts.activities) activities, \(counts.transfers) time-bank transfers")
        return counts
    }

    /// A campaign's form fields in order: (id, label, English label, type, options one per line,
    /// min, max, alert threshold in tenths, alert option).
    static func insertFields(
        campaign: UUID, _ fields: [(UUID, String, String, String, String, Int?, Int?, Int?, String?)], on db: any Database
    ) async throws {
        var rows = BulkInserter(
            table: "campaign_fields",
            columns: [
                "id", "campaign_id", "position", "label_zh", "label_en", "field_type", "required", "options", "min_value", "max_value",
                "alert_at_least", "alert_option"
            ])
        for (n, f) in fields.enumerated() {
            rows.append([
                SQLBind(f.0), SQLBind(campaign), SQLBind(n + 1), SQLBind(f.1), SQLBind(f.2), SQLBind(f.3), SQLBind(true), SQLBind(f.4),
                bindOrNull(f.5), bindOrNull(f.6), bindOrNull(f.7), bindOrNull(f.8)
            ])
        }
        try await rows.flush(on: db)
    }
}
