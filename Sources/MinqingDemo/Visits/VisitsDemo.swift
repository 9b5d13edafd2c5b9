import Fluent
import Foundation
import MinqingDomain
import MinqingServer
import SQLKit

/// The visit log's part of the demo (民情日志): a year of visits up to yesterday, consistent with
/// the quotas — residential-area cadres (32 at scale 1, `cadre` and `cadre2` among them) visit
/// about 5.5 households a working day, one in seven falls short at about 3.5; organ cadres (30,
/// `staff` among them) visit one or two households most weeks, some skip weeks and some go along
/// with the area's cadre. Two cadres work half time, one joined four months ago. Findings, some
/// filed as help requests. 十必访 households were mostly visited within their frequency (the
/// weekly phone call to older people living alone included), about one in eight is overdue.
/// Then slots and bookings (VisitsDemo+Bookings.swift). Deterministic for the seed; written in
/// the caller's transaction with multi-row INSERTs, the visits' households and credits by
/// INSERT … SELECT from the visits themselves. About 50,000 visits at scale 1.
enum VisitsDemo {
    struct Counts: Sendable, Equatable {
        var accounts = 0, visits = 0, findings = 0, helpRequests = 0, slots = 0, bookings = 0
    }

    /// Someone who visits.
    struct Visitor {
        var id: UUID
        var username: String
        var areaCode: String?
        var diligent: Bool
        var workload = 100
        /// Day number of the first day in post, if they joined during the year.
        var firstDay: Int?
    }

    struct Home {
        var id: UUID
        var node: UUID
        var areaCode: String
        /// The building group's code (where a resident account of the household is bound).
        var groupCode: String
        var head: UUID?
        var address: String
        /// The 十必访 category with the shortest frequency the household is in.
        var category: String?
        var frequency = 0
    }

    /// What a generated visit row needs; written straight into the inserter.
    struct Pending {
        var visits: BulkInserter
        var findings = BulkInserter(
            table: "visit_findings",
            columns: [
                "id", "visit_id", "household_id", "person_id", "need", "note",
                "follow_up_kind", "follow_up_id", "created_at"
            ])
        var help = BulkInserter(
            table: "help_requests",
            columns: [
                "id", "subdistrict_id", "grid_node_id", "person_id", "household_id", "category",
                "description", "status", "requested_on", "resolved_on", "created_by", "created_at"
            ])
        var extraCredits = BulkInserter(table: "visit_credits", columns: ["visit_id", "account_id", "household_id", "local_date"])
        var slots = BulkInserter(
            table: "visit_slots",
            columns: [
                "id", "subdistrict_id", "grid_node_id", "offered_by", "starts_at", "ends_at",
                "local_date", "place", "withdrawn", "created_at"
            ])
        var bookings = BulkInserter(
            table: "visit_bookings",
            columns: [
                "id", "subdistrict_id", "slot_id", "slot_hold", "account_id", "household_id",
                "grid_node_id", "status", "note", "visit_id", "updated_by", "created_at", "updated_at"
            ])
        var links = BulkInserter(table: "resident_households", columns: ["id", "account_id", "household_id"])
        var lastVisit: [Int: (id: UUID, day: Int)] = [:]
        var rng: SeededGenerator
        let subdistrict: UUID?
        let now: Date
        var dayStarts: [Int: (Date, String)] = [:]

        mutating func day(_ n: Int) -> (Date, String) {
            if let known = dayStarts[n] { return known }
            let date = (try? CivilDate(daysSince1970: n)) ?? CivilDate(now, in: .shanghai)
            let value = (date.startOfDay(in: .shanghai), date.iso8601)
            dayStarts[n] = value
            return value
        }
    }

    static let summaries = [
        "身体状况良好，无特殊诉求。", "家中一切正常，已宣传反诈知识。", "老人精神尚好，子女每周探望。",
        "已提醒注意用电、燃气安全。", "了解家庭近况，登记联系方式。", "居民反映楼道照明不足，已记录。",
        "讲解了社区助餐和长护险政策。", "邻里关系和睦，无矛盾纠纷。"
    ]
    static let phoneSummaries = ["电话问候，状况平稳。", "电话联系，身体尚可，无需上门。", "电话回访，已解决前次反映的问题。"]
    static let needNotes: [VisitNeed: String] = [
        .livelihood: "家庭收入下降，询问临时救助。", .medical: "需要陪同就医或配药。", .employment: "家中有人失业，需要就业信息。",
        .housing: "房屋漏水，需要报修。", .care: "行动不便，需要助餐助洁。", .legal: "咨询赡养纠纷的法律问题。",
        .psychological: "情绪低落，建议心理疏导。", .safety: "电线老化，存在安全隐患。", .other: "反映小区停车问题。"
    ]

    static func load(
        ids: [String: UUID], scale: Double, seed: UInt64, passwordHash: String, today: CivilDate, now: Date,
        calendar: WorkingCalendar, progress: @Sendable (String) -> Void, on db: any Database
    ) async throws -> Counts {
        var counts = Counts()
        let subdistrict = ids[DemoData.subdistrictCode]
        var rng = SeededGenerator(seed: seed ^ 0x7157_0000_0001)
        if db.dialectName == "postgresql" {
            // The register was written in this same transaction: without statistics the planner
            // takes these tables for empty and joins them row by row.
            for table in ["grid_nodes", "households", "persons", "tags", "tag_assignments", "accounts"] {
                try await db.sql.raw("ANALYZE \(ident: table)").run()
            }
        }
        let homes = try await households(on: db)
        guard !homes.isEmpty else { return counts }
        let areaCodes = ids.keys.filter { $0.hasPrefix(DemoData.subdistrictCode + "-") && $0.split(separator: "-").count == 3 }.sorted()

        // Staff: area cadres in two passes over the areas, organ cadres at the subdistrict.
        struct Existing: Decodable { var id: UUID; var username: String }
        let existing = Dictionary(
            try await db.sql.raw("SELECT id, username FROM accounts").all(decoding: Existing.self).map { ($0.username, $0.id) },
            uniquingKeysWith: { a, _ in a })
        var accounts = BulkInserter(
            table: "accounts",
            columns: [
                "id", "subdistrict_id", "username", "display_name", "role", "grid_node_id",
                "password_hash", "must_change_password", "disabled", "created_at", "updated_at"
            ])
        func account(_ username: String, role: Role, node: String, index: Int) -> UUID {
            if let id = existing[username] { return id }
            let id = UUID()
            accounts.append([
                SQLBind(id), bindOrNull(subdistrict), SQLBind(username), SQLBind(displayName(index)), SQLBind(role.rawValue),
                SQLBind(ids[node] ?? subdistrict ?? UUID()), SQLBind(passwordHash), SQLBind(false), SQLBind(false), SQLBind(now), SQLBind(now)
            ])
            return id
        }
        let areaSlots = (0..<2).flatMap { pass in areaCodes.indices.filter { pass == 0 || $0 < 12 }.map { (area: $0, pass: pass) } }
        let areaCount = min(areaSlots.count, max(2, Int((32 * scale).rounded())))
        var cadres: [Visitor] = []
        for (index, slot) in areaSlots.prefix(areaCount).enumerated() {
            let code = areaCodes[slot.area]
            let username =
                slot.pass == 0 && slot.area < 2
                ? ["cadre", "cadre2"][slot.area]
                : "sg\(String(format: "%02d", slot.area + 1))\(slot.pass == 0 ? "a" : "b")"
            cadres.append(
                Visitor(
                    id: account(username, role: .areaCadre, node: code, index: index), username: username, areaCode: code,
                    diligent: username == "cadre" || !Draw.chance(0.15, &rng)))
        }
        var organs: [Visitor] = []
        for index in 0..<max(1, Int((30 * scale).rounded())) {
            let username = index == 0 ? "staff" : "jg\(String(format: "%02d", index))"
            organs.append(
                Visitor(
                    id: account(username, role: .subdistrictStaff, node: DemoData.subdistrictCode, index: 40 + index),
                    username: username, areaCode: nil, diligent: index == 0 || !Draw.chance(0.15, &rng)))
        }
        if cadres.count >= 4, cadres.allSatisfy(\.diligent) { cadres[cadres.count - 1].diligent = false }
        // Postings: two half-time cadres, one who joined four months ago.
        var postings = BulkInserter(
            table: "visit_postings",
            columns: [
                "id", "account_id", "workload_percent", "first_day", "last_day",
                "updated_by", "updated_at"
            ])
        for (index, change) in [(5, (50, nil)), (9, (50, nil)), (13, (100, 120))] as [(Int, (Int, Int?))] where index < cadres.count {
            cadres[index].workload = change.0
            cadres[index].firstDay = change.1.map { today.daysSince1970 - $0 }
            postings.append([
                SQLBind(UUID()), SQLBind(cadres[index].id), SQLBind(change.0),
                bindOrNull(cadres[index].firstDay.flatMap { try? CivilDate(daysSince1970: $0) }?.iso8601), SQLLiteral.null,
                SQLBind("demo"), SQLBind(now)
            ])
        }
        var pending = Pending(visits: visitInserter(), rng: rng, subdistrict: subdistrict, now: now)
        let residents = residentAccounts(homes: homes, links: &pending.links) { account($0, role: .resident, node: $1, index: 80 + $2) }
        try await accounts.flush(on: db)
        try await pending.links.flush(on: db)
        try await postings.flush(on: db)
        counts.accounts = accounts.written

        // A year of visits up to yesterday.
        let first = today.daysSince1970 - 365, last = today.daysSince1970 - 1
        let workingDays = Set((first...(last + 14)).filter { (try? CivilDate(daysSince1970: $0)).map(calendar.isWorkingDay) ?? false })
        func working(_ n: Int) -> Bool { workingDays.contains(n) }
        let byArea = Dictionary(grouping: homes.indices, by: { homes[$0].areaCode })
        let cadresByArea = Dictionary(grouping: cadres.indices, by: { cadres[$0].areaCode ?? "" })
        for (index, cadre) in cadres.enumerated() {
            guard let code = cadre.areaCode, let team = cadresByArea[code], let position = team.firstIndex(of: index) else { continue }
            let share = (byArea[code] ?? []).enumerated().filter { $0.offset % team.count == position }.map(\.element)
            guard !share.isEmpty else { continue }
            for n in first...last {
                if let start = cadre.firstDay, n < start { continue }
                var k: Int
                if working(n) {
                    if Draw.chance(0.04, &pending.rng) { continue }
                    k = cadre.diligent ? 4 + Draw.below(4, &pending.rng) : 2 + Draw.below(4, &pending.rng)
                    if cadre.workload < 100 { k = (k * cadre.workload + 99) / 100 }
                } else {
                    guard Draw.chance(0.03, &pending.rng) else { continue }
                    k = 1
                }
                var chosen = Set<Int>()
                for _ in 0..<min(k, share.count) {
                    var pick = share[Draw.below(share.count, &pending.rng)]
                    while chosen.contains(pick) { pick = share[Draw.below(share.count, &pending.rng)] }
                    chosen.insert(pick)
                    try await visit(homes[pick], index: pick, day: n, by: cadre.id, kind: nil, on: db, &pending)
                }
            }
        }
        // Organ cadres: one or two households a week, some skip weeks; often with the area's cadre.
        let firstCadre = Dictionary(cadres.compactMap { c in c.areaCode.map { ($0, c.id) } }, uniquingKeysWith: { a, _ in a })
        for organ in organs {
            var monday = first - ((try? CivilDate(daysSince1970: first))?.isoWeekday ?? 1) + 1
            while monday <= last {
                let days = (monday...(monday + 4)).filter { $0 >= first && $0 <= last && working($0) }
                monday += 7
                guard !days.isEmpty else { continue }
                if !organ.diligent, Draw.chance(0.35, &pending.rng) { continue }
                if organ.diligent, Draw.chance(0.03, &pending.rng) { continue }
                for _ in 0..<(Draw.chance(0.3, &pending.rng) ? 2 : 1) {
                    let pick = Draw.below(homes.count, &pending.rng)
                    let companion = Draw.chance(0.5, &pending.rng) ? firstCadre[homes[pick].areaCode] : nil
                    try await visit(
                        homes[pick], index: pick, day: days[Draw.below(days.count, &pending.rng)], by: organ.id, kind: nil,
                        companion: companion, on: db, &pending)
                }
            }
        }
        // 十必访: most households were visited within their frequency; about one in eight is late.
        // (Where the demo has no cadre for an area, at small scales, an organ cadre goes.)
        for (index, home) in homes.enumerated() {
            guard let category = home.category else { continue }
            let cadre =
                firstCadreOwning(home, index: index, byArea: byArea, cadresByArea: cadresByArea, cadres: cadres)
                ?? organs[index % organs.count].id
            let f = max(1, home.frequency)
            let lastDay = pending.lastVisit[index]?.day
            if Draw.chance(0.88, &pending.rng) {
                if let lastDay, lastDay > today.daysSince1970 - f { continue }
                let day = today.daysSince1970 - 1 - Draw.below(max(1, f - 1), &pending.rng)
                try await visit(home, index: index, day: day, by: cadre, kind: (.mustVisit, category), on: db, &pending)
            } else if lastDay == nil, Draw.chance(0.7, &pending.rng) {
                let day = max(first, today.daysSince1970 - f - 1 - Draw.below(30, &pending.rng))
                try await visit(home, index: index, day: day, by: cadre, kind: (.mustVisit, category), on: db, &pending)
            }
        }
        try await loadBookings(cadres: cadres, residents: residents, homes: homes, today: today, working: working, on: db, &pending)

        try await pending.visits.flush(on: db)
        counts.visits = pending.visits.written
        try await db.sql.raw(
            """
            INSERT INTO visit_households (visit_id, household_id, grid_node_id, local_date)
            SELECT id, household_id, grid_node_id, local_date FROM visits
            """
        ).run()
        try await db.sql.raw(
            """
            INSERT INTO visit_credits (visit_id, account_id, household_id, local_date)
            SELECT id, recorded_by, household_id, local_date FROM visits
            """
        ).run()
        try await pending.extraCredits.flush(on: db)
        try await VisitsQueries.recountDayTallies(on: db)
        try await VisitsQueries.addMonthCounts(on: db)
        try await pending.help.flush(on: db)
        try await pending.findings.flush(on: db)
        try await pending.slots.flush(on: db)
        try await pending.bookings.flush(on: db)
        counts.slots = pending.slots.written
        counts.bookings = pending.bookings.written
        counts.findings = pending.findings.written
        counts.helpRequests = pending.help.written
        progress(
            "visits: \(counts.visits) visits, \(counts.findings) findings, \(counts.slots) slots, \(counts.bookings) bookings, \(counts.accounts) staff and resident accounts"
        )
        return counts
    }

    static func visitInserter() -> BulkInserter {
        BulkInserter(
            table: "visits",
            columns: [
                "id", "subdistrict_id", "household_id", "grid_node_id", "visited_at", "local_date", "method",
                "kind", "category_code", "follow_up_of", "booking_id", "summary", "recorded_by", "created_at"
            ])
    }

    /// One visit row (and its finding, and the help request it became, now and then).
    static func visit(
        _ home: Home, index: Int, day: Int, by visitor: UUID, kind forced: (VisitKind, String?)?, booking: UUID? = nil,
        visitID id: UUID = UUID(), companion: UUID? = nil, on db: any Database, _ p: inout Pending
    ) async throws {
        let (start, localDate) = p.day(day)
        let at = start.addingTimeInterval(Double(9 * 3600 + Draw.below(8 * 3600, &p.rng)))
        var kind = forced?.0 ?? .routine
        var category = forced?.1
        var followUp: UUID?
        if forced == nil, let previous = p.lastVisit[index], Draw.chance(0.06, &p.rng) {
            kind = .followUp
            followUp = previous.id
        } else if forced == nil, let code = home.category, Draw.chance(0.3, &p.rng) {
            kind = .mustVisit
            category = code
        }
        let roll = Draw.below(100, &p.rng)
        let phoneFirst = category == "elderly_alone"
        let method: VisitMethod =
            booking != nil
            ? .home
            : phoneFirst ? (roll < 60 ? .phone : .home) : (roll < 72 ? .home : roll < 90 ? .phone : roll < 95 ? .online : .other)
        let summary = method == .phone ? Draw.pick(phoneSummaries, &p.rng) : Draw.pick(summaries, &p.rng)
        try await p.visits.add(
            [
                SQLBind(id), bindOrNull(p.subdistrict), SQLBind(home.id), SQLBind(home.node), SQLBind(at), SQLBind(localDate),
                SQLBind(method.rawValue), SQLBind(kind.rawValue), bindOrNull(category), bindOrNull(followUp), bindOrNull(booking),
                SQLBind(summary), SQLBind(visitor), SQLBind(at)
            ], on: db)
        if p.lastVisit[index].map({ $0.day <= day }) ?? true { p.lastVisit[index] = (id, day) }
        if let companion, companion != visitor {
            p.extraCredits.append([SQLBind(id), SQLBind(companion), SQLBind(home.id), SQLBind(localDate)])
        }
        guard Draw.chance(0.12, &p.rng) else { return }
        let need = VisitNeed.allCases[Draw.below(VisitNeed.allCases.count, &p.rng)]
        let note = needNotes[need] ?? ""
        var help: UUID?
        if let head = home.head, Draw.chance(0.15, &p.rng) {
            let request = UUID()
            help = request
            p.help.append([
                SQLBind(request), bindOrNull(p.subdistrict), SQLBind(home.node), SQLBind(head), SQLBind(home.id), SQLBind(need.helpCategory),
                SQLBind(note), SQLBind("open"), SQLBind(localDate), SQLLiteral.null, SQLBind("demo"), SQLBind(at)
            ])
        }
        p.findings.append([
            SQLBind(UUID()), SQLBind(id), SQLBind(home.id), bindOrNull(help == nil ? nil : home.head), SQLBind(need.rawValue),
            SQLBind(note), bindOrNull(help == nil ? nil : "help_request"), bindOrNull(help), SQLBind(at)
        ])
    }

    /// The cadre whose share of the area holds the household (the same split as the routine visits).
    static func firstCadreOwning(_ home: Home, index: Int, byArea: [String: [Int]], cadresByArea: [String: [Int]], cadres: [Visitor]) -> UUID? {
        guard let team = cadresByArea[home.areaCode], !team.isEmpty, let position = byArea[home.areaCode]?.firstIndex(of: index) else { return nil }
        return cadres[team[position % team.count]].id
    }

    /// Every household with its head, building group and area, and its shortest 十必访 category.
    static func households(on db: any Database) async throws -> [Home] {
        struct Row: Decodable { var id: UUID; var grid_node_id: UUID; var code: String; var head: UUID?; var address: String }
        let rows = try await db.sql.raw(
            """
            SELECT h.id, h.grid_node_id, n.code, p.id AS head, h.address
            FROM households h JOIN grid_nodes n ON n.id = h.grid_node_id
            LEFT JOIN persons p ON p.household_id = h.id AND p.relation = 'head'
            ORDER BY n.code, h.address, h.id
            """
        ).all(decoding: Row.self)
        var homes: [Home] = []
        var seen = Set<UUID>()
        for row in rows where seen.insert(row.id).inserted {
            homes.append(
                Home(
                    id: row.id, node: row.grid_node_id, areaCode: row.code.split(separator: "-").prefix(3).joined(separator: "-"),
                    groupCode: row.code, head: row.head, address: row.address))
        }
        let categories = try await MustVisitQueries.categories(on: db)
        var categoryOf: [String: (code: String, frequency: Int)] = [:]
        for category in categories {
            for code in (try? category.category.parsedExpression().tags) ?? [] where (categoryOf[code]?.frequency ?? .max) > category.frequency_days {
                categoryOf[code] = (category.code, category.frequency_days)
            }
        }
        guard !categoryOf.isEmpty else { return homes }
        struct Member: Decodable { var household_id: UUID; var code: String }
        let members = try await db.sql.raw(
            """
            SELECT DISTINCT p.household_id, t.code FROM tag_assignments a JOIN tags t ON t.id = a.tag_id JOIN persons p ON p.id = a.person_id
            WHERE a.ends_on IS NULL AND t.code IN (\(binds: Array(categoryOf.keys)))
            """
        ).all(decoding: Member.self)
        let position = Dictionary(homes.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        for member in members {
            guard let index = position[member.household_id], let category = categoryOf[member.code] else { continue }
            if homes[index].category == nil || category.frequency < homes[index].frequency
                || (category.frequency == homes[index].frequency && category.code < (homes[index].category ?? ""))
            {
                homes[index].category = category.code
                homes[index].frequency = category.frequency
            }
        }
        return homes
    }

    static let surnames = Array("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕")
    static let given = ["建华", "秀英", "丽娟", "志强", "海燕", "国平", "春梅", "晓东", "玉兰", "伟民", "静怡", "红霞", "振华", "美玲", "卫东"]

    static func displayName(_ index: Int) -> String {
        String(surnames[(index * 7 + 3) % surnames.count]) + given[(index * 5 + 1) % given.count]
    }
}

/// Deterministic draws from the demo's seeded generator.
enum Draw {
    static func below(_ n: Int, _ rng: inout SeededGenerator) -> Int { n <= 1 ? 0 : Int(rng.next() % UInt64(n)) }
    static func chance(_ p: Double, _ rng: inout SeededGenerator) -> Bool { Double(rng.next() >> 11) / 9_007_199_254_740_992 < p }
    static func pick<T>(_ items: [T], _ rng: inout SeededGenerator) -> T { items[below(items.count, &rng)] }
}
