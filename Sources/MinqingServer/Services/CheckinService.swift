import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Daily check-in campaigns (每日健康打卡, e.g. people under home observation): a roster of
/// residents (enrolled by staff from a grid node or by name, or self-enrolled where the campaign
/// allows), one check-in per person per day (UNIQUE campaign + account + local date, days in
/// Asia/Shanghai), and for staff the counts per day and the list of who missed a day (an
/// anti-join in SQL, only people inside the caller's scope).
enum CheckinService {
    static let notOnRoster = AppError(.conflict, code: "not_on_roster", zh: "您不在打卡名单中，或今天不在打卡期内。",
                                      en: "You are not on the roster, or today is outside the check-in period.")
    static let already = AppError(.conflict, code: "already_checked_in", zh: "今天已打卡。", en: "You have already checked in today.")
    static let noSelfEnrol = AppError(.conflict, code: "no_self_enrol", zh: "该打卡需由居委会登记名单。",
                                      en: "The neighbourhood committee keeps this roster.")

    struct RosterInput: Content, Sendable { var node: String?; var usernames: [String]? }
    struct CheckinInput: Content, Sendable { var note: String? }
    struct Enrolled: Content, Sendable { var enrolled: Int; var roster: Int }
    struct Day: Content, Sendable, Equatable { var date: String; var roster: Int; var checked_in: Int; var missed: Int }
    struct Missed: Content, Sendable, Equatable { var username: String; var display_name: String; var grid_code: String }
    /// A resident's state in a check-in campaign.
    struct Mine: Content, Sendable, Equatable { var on_roster: Bool; var checked_today: Bool; var days: [String]; var self_enrol: Bool }

    struct Period: Decodable { var starts_on: String?; var ends_on: String?; var self_enrol: Bool?; var kind: String; var status: String }

    static func period(_ campaign: UUID, for actor: Actor, on db: any Database) async throws -> Period {
        guard let row = try await db.sql.raw("""
            SELECT c.starts_on, c.ends_on, c.self_enrol, c.kind, c.status FROM service_campaigns c
            WHERE c.id = \(bind: campaign) AND \(CampaignService.visible(to: actor))
            """).first(decoding: Period.self), row.kind == CampaignKind.checkin.rawValue else { throw CampaignService.notFound }
        return row
    }

    /// Checks a check-in campaign's period: `starts_on` (default today) to `ends_on` (default 14
    /// days), at most 366 days.
    static func checkPeriod(_ input: CampaignInput, today: CivilDate, problems: inout [FieldError]) -> (CivilDate, CivilDate)? {
        let start = input.starts_on.flatMap { try? CivilDate(parsing: $0) } ?? today
        if let text = input.starts_on, !text.isEmpty, (try? CivilDate(parsing: text)) == nil {
            problems.append(FieldError(field: "starts_on", messageZH: "开始日期格式应为 YYYY-MM-DD", messageEN: "starts_on must be YYYY-MM-DD"))
        }
        let end = input.ends_on.flatMap { try? CivilDate(parsing: $0) } ?? ((try? start.adding(days: 13)) ?? start)
        if let text = input.ends_on, !text.isEmpty, (try? CivilDate(parsing: text)) == nil {
            problems.append(FieldError(field: "ends_on", messageZH: "结束日期格式应为 YYYY-MM-DD", messageEN: "ends_on must be YYYY-MM-DD"))
        } else if end < start || end.daysSince1970 - start.daysSince1970 > 365 {
            problems.append(FieldError(field: "ends_on", messageZH: "结束日期须在开始日期之后，且不超过一年", messageEN: "ends_on must follow starts_on within a year"))
        }
        return problems.isEmpty ? (start, end) : nil
    }

    /// Staff enrol the residents' accounts under a grid node in their scope and/or named
    /// accounts in their scope; people already on the roster stay (ON CONFLICT DO NOTHING).
    static func enrol(_ campaign: UUID, _ input: RosterInput, writer: WriteContext, on db: any Database) async throws -> Enrolled {
        let actor = writer.actor
        guard actor.role.isGridStaff else { throw AppError.forbidden }
        _ = try await period(campaign, for: actor, on: db)
        var filters: [SQLQueryString] = []
        if let code = input.node, !code.isEmpty {
            guard let node = try await GridQueries.node(code: code, in: actor.scope, on: db) else {
                throw AppError.validation("node", zh: "网格节点不存在或不在您的管辖范围内", en: "No such grid node in your scope")
            }
            filters.append("a.grid_node_id IN (SELECT cl.descendant_id FROM grid_closure cl WHERE cl.ancestor_id = \(bind: node.id))")
        }
        let names = (input.usernames ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if !names.isEmpty { filters.append("a.username IN (\(binds: names))") }
        guard !filters.isEmpty else {
            throw AppError.validation("node", zh: "请选择网格节点或填写账号", en: "Name a grid node or some usernames")
        }
        let which = filters.count == 1 ? filters[0] : "(\(filters[0]) OR \(filters[1]))"
        struct A: Decodable { var id: UUID; var grid_node_id: UUID }
        let candidates = try await db.sql.raw("""
            SELECT a.id, a.grid_node_id FROM accounts a WHERE a.role = 'resident' AND a.disabled = \(flag: false)
              AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "a"))) AND \(which)
            """).all(decoding: A.self)
        struct N: Decodable { var n: Int }
        @Sendable func count(_ db: any Database) async throws -> Int {
            try await db.sql.raw("SELECT COUNT(*) AS n FROM campaign_roster WHERE campaign_id = \(bind: campaign)").first(decoding: N.self)?.n ?? 0
        }
        let enrolled = try await db.write { db in
            let before = try await count(db)
            let rows: [[any SQLExpression]] = candidates.map { a in
                [SQLBind(UUID()), SQLBind(campaign), SQLBind(a.id), SQLBind(a.grid_node_id), SQLBind(actor.username), SQLBind(writer.now)]
            }
            var start = 0
            while start < rows.count {
                let end = min(rows.count, start + 2_000)
                try await db.sql.insert(into: "campaign_roster").columns("id", "campaign_id", "account_id", "grid_node_id", "enrolled_by", "created_at")
                    .rows(Array(rows[start..<end])).ignoringConflicts(with: ["campaign_id", "account_id"]).run()
                start = end
            }
            try await ServicesService.audit("campaign.roster_enrolled", target: campaign, by: writer, on: db)
            return try await count(db) - before
        }
        let roster = try await db.sql.raw("""
            SELECT COUNT(*) AS n FROM campaign_roster r WHERE r.campaign_id = \(bind: campaign)
              AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "r")))
            """).first(decoding: N.self)?.n ?? 0
        return Enrolled(enrolled: enrolled, roster: roster)
    }

    /// A resident puts themself on the roster, where the campaign allows it.
    static func selfEnrol(_ campaign: UUID, writer: WriteContext, on db: any Database) async throws {
        let actor = writer.actor
        guard actor.role == .resident else { throw AppError.forbidden }
        let p = try await period(campaign, for: actor, on: db)
        guard p.self_enrol == true, p.status == "open" else { throw noSelfEnrol }
        try await db.sql.raw("""
            INSERT INTO campaign_roster (id, campaign_id, account_id, grid_node_id, enrolled_by, created_at)
            VALUES (\(bind: UUID()), \(bind: campaign), \(bind: actor.accountID), \(bind: actor.scope.rootID), \(bind: actor.username), \(bind: writer.now))
            ON CONFLICT (campaign_id, account_id) DO NOTHING
            """).run()
    }

    /// Today's check-in: the INSERT takes its row from the caller's roster entry of an open
    /// campaign whose period holds today; the UNIQUE index refuses a second one today.
    static func checkIn(_ campaign: UUID, _ input: CheckinInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        guard actor.role == .resident else { throw AppError.forbidden }
        _ = try await period(campaign, for: actor, on: db)
        let note = (input.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard note.count <= 200 else { throw AppError.validation("note", zh: "备注最多 200 字", en: "note has at most 200 characters") }
        let today = CivilDate(writer.now, in: .shanghai).iso8601
        let id = UUID()
        struct R: Decodable { var id: UUID }
        do {
            let inserted = try await db.write { db in
                try await db.sql.raw("""
                    INSERT INTO campaign_checkins (id, campaign_id, account_id, local_date, note, created_at)
                    SELECT \(bind: id), r.campaign_id, r.account_id, \(bind: today), \(bind: note), \(bind: writer.now)
                    FROM campaign_roster r JOIN service_campaigns c ON c.id = r.campaign_id
                    WHERE r.campaign_id = \(bind: campaign) AND r.account_id = \(bind: actor.accountID) AND c.status = 'open'
                      AND c.starts_on <= \(bind: today) AND c.ends_on >= \(bind: today)
                    RETURNING id
                    """).all(decoding: R.self)
            }
            guard !inserted.isEmpty else { throw notOnRoster }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw already
        }
        return id
    }

    /// The caller's roster state and days checked in.
    static func mine(_ campaign: UUID, for actor: Actor, now: Date, on db: any Database) async throws -> Mine {
        let p = try await period(campaign, for: actor, on: db)
        struct R: Decodable { var id: UUID }
        let on = try await db.sql.raw("""
            SELECT id FROM campaign_roster WHERE campaign_id = \(bind: campaign) AND account_id = \(bind: actor.accountID)
            """).first(decoding: R.self) != nil
        struct D: Decodable { var local_date: String }
        let days = try await db.sql.raw("""
            SELECT local_date FROM campaign_checkins WHERE campaign_id = \(bind: campaign) AND account_id = \(bind: actor.accountID) ORDER BY local_date
            """).all(decoding: D.self).map(\.local_date)
        return Mine(on_roster: on, checked_today: days.contains(CivilDate(now, in: .shanghai).iso8601), days: days, self_enrol: p.self_enrol == true)
    }

    /// Per day from the start to the end (or today): the roster in scope that day (enrolled
    /// before its end), how many checked in, how many missed.
    static func days(_ campaign: UUID, for actor: Actor, now: Date, on db: any Database) async throws -> [Day] {
        guard actor.role.isGridStaff else { throw AppError.forbidden }
        let p = try await period(campaign, for: actor, on: db)
        guard let start = p.starts_on.flatMap({ try? CivilDate(parsing: $0) }), let end = p.ends_on.flatMap({ try? CivilDate(parsing: $0) }) else { return [] }
        let last = min(end, CivilDate(now, in: .shanghai))
        guard start <= last else { return [] }
        let inScope = actor.scope.contains(SQLColumn("grid_node_id", table: "r"))
        struct E: Decodable { var created_at: Date }
        let enrolled = try await db.sql.raw("""
            SELECT r.created_at FROM campaign_roster r WHERE r.campaign_id = \(bind: campaign) AND \(inScope)
            """).all(decoding: E.self).map(\.created_at)
        struct C: Decodable { var local_date: String; var n: Int }
        let counts = try await db.sql.raw("""
            SELECT k.local_date, COUNT(*) AS n FROM campaign_checkins k
            JOIN campaign_roster r ON r.campaign_id = k.campaign_id AND r.account_id = k.account_id
            WHERE k.campaign_id = \(bind: campaign) AND \(inScope) GROUP BY k.local_date
            """).all(decoding: C.self)
        var result: [Day] = []
        var day = start
        while day <= last {
            let close = (try? day.adding(days: 1))?.startOfDay(in: .shanghai) ?? now
            let roster = enrolled.filter { $0 < close }.count
            let checked = counts.first { $0.local_date == day.iso8601 }?.n ?? 0
            result.append(Day(date: day.iso8601, roster: roster, checked_in: checked, missed: max(0, roster - checked)))
            guard let next = try? day.adding(days: 1) else { break }
            day = next
        }
        return result.reversed()
    }

    /// Who on the roster (in scope, enrolled before the day ended) did not check in on `date`.
    static func missed(_ campaign: UUID, on date: String, for actor: Actor, on db: any Database) async throws -> [Missed] {
        guard actor.role.isGridStaff else { throw AppError.forbidden }
        _ = try await period(campaign, for: actor, on: db)
        guard let day = try? CivilDate(parsing: date) else {
            throw AppError.validation("date", zh: "日期格式应为 YYYY-MM-DD", en: "date must be YYYY-MM-DD")
        }
        let close = (try? day.adding(days: 1))?.startOfDay(in: .shanghai) ?? Date()
        return try await db.sql.raw("""
            SELECT a.username, a.display_name, n.code AS grid_code
            FROM campaign_roster r JOIN accounts a ON a.id = r.account_id JOIN grid_nodes n ON n.id = r.grid_node_id
            WHERE r.campaign_id = \(bind: campaign) AND r.created_at < \(bind: close)
              AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "r")))
              AND NOT EXISTS (SELECT 1 FROM campaign_checkins k
                              WHERE k.campaign_id = r.campaign_id AND k.account_id = r.account_id AND k.local_date = \(bind: day.iso8601))
            ORDER BY n.code, a.username LIMIT 2000
            """).all(decoding: Missed.self)
    }
}
