import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The SQL of daily check-in campaigns (`CheckinService`): the roster, the check-ins, and for
/// staff the counts per day and who missed one (only people inside the caller's scope).
extension ServicesQueries {
    struct CheckinPeriod: Decodable, Sendable {
        var title: String; var starts_on: String?; var ends_on: String?; var self_enrol: Bool?; var kind: CampaignKind; var status: String
        /// The case category an abnormal check-in opens a case in; nil for none.
        var alert_category: String?
    }

    /// The period, self-enrolment, kind and status of a campaign the actor may see; nil when none.
    static func checkinPeriod(_ campaign: UUID, for actor: Actor, on db: any Database) async throws -> CheckinPeriod? {
        try await db.sql.raw(
            """
            SELECT c.title, c.starts_on, c.ends_on, c.self_enrol, c.kind, c.status, c.alert_category FROM service_campaigns c
            WHERE c.id = \(bind: campaign) AND \(campaignVisible(to: actor))
            """
        ).first(decoding: CheckinPeriod.self)
    }

    struct RosterCandidate: Decodable, Sendable { var id: UUID; var grid_node_id: UUID }

    /// The enabled residents' accounts inside the actor's scope under grid node `node` and/or named in `usernames`.
    static func rosterCandidates(for actor: Actor, node: UUID?, usernames names: [String], on db: any Database) async throws -> [RosterCandidate] {
        var filters: [SQLQueryString] = []
        if let node {
            filters.append("a.grid_node_id IN (SELECT cl.descendant_id FROM grid_closure cl WHERE cl.ancestor_id = \(bind: node))")
        }
        if !names.isEmpty { filters.append("a.username IN (\(binds: names))") }
        let which = filters.count == 1 ? filters[0] : "(\(filters[0]) OR \(filters[1]))"
        return try await db.sql.raw(
            """
            SELECT a.id, a.grid_node_id FROM accounts a WHERE a.role = 'resident' AND a.disabled = \(flag: false)
              AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "a"))) AND \(which)
            """
        ).all(decoding: RosterCandidate.self)
    }

    /// Puts the candidates on the roster, enrolled by the writer, in statements of 2,000; people
    /// already on it stay (ON CONFLICT DO NOTHING). How many this call added.
    @discardableResult
    static func insertRoster(_ candidates: [RosterCandidate], campaign: UUID, writer: WriteContext, on db: any Database) async throws -> Int {
        struct R: Decodable { var id: UUID }
        let rows: [[any SQLExpression]] = candidates.map { a in
            [SQLBind(UUID()), SQLBind(campaign), SQLBind(a.id), SQLBind(a.grid_node_id), SQLBind(writer.actor.username), SQLBind(writer.now)]
        }
        var start = 0, added = 0
        while start < rows.count {
            let end = min(rows.count, start + 2_000)
            added += try await db.sql.insert(into: "campaign_roster")
                .columns("id", "campaign_id", "account_id", "grid_node_id", "enrolled_by", "created_at")
                .rows(Array(rows[start..<end])).ignoringConflicts(with: ["campaign_id", "account_id"]).returning("id").all(decoding: R.self).count
            start = end
        }
        return added
    }

    /// How many people on the campaign's roster are inside the actor's scope.
    static func rosterCountInScope(_ campaign: UUID, for actor: Actor, on db: any Database) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await db.sql.raw(
            """
            SELECT COUNT(*) AS n FROM campaign_roster r WHERE r.campaign_id = \(bind: campaign)
              AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "r")))
            """
        ).first(decoding: N.self)?.n ?? 0
    }

    /// Puts the writer on the roster at their home node (nothing when already on it).
    static func insertSelfEnrolment(_ campaign: UUID, writer: WriteContext, on db: any Database) async throws {
        try await db.sql.raw(
            """
            INSERT INTO campaign_roster (id, campaign_id, account_id, grid_node_id, enrolled_by, created_at)
            VALUES (\(bind: UUID()), \(bind: campaign), \(bind: writer.actor.accountID), \(bind: writer.actor.scope.rootID), \(bind: writer.actor.username), \(bind: writer.now))
            ON CONFLICT (campaign_id, account_id) DO NOTHING
            """
        ).run()
    }

    /// Sets the case category of a check-in campaign's alerts.
    static func setAlertCategory(_ code: String, campaign: UUID, on db: any Database) async throws {
        try await db.sql.raw("UPDATE service_campaigns SET alert_category = \(bind: code) WHERE id = \(bind: campaign)").run()
    }

    /// Writes the writer's check-in of `today` from their roster entry of an open campaign whose
    /// period holds today, with whether it raised an alert and the case that opened; returns the
    /// id, or none when no such entry.
    static func insertCheckin(
        _ id: UUID, campaign: UUID, today: String, note: String, alert: Bool, caseID: UUID?, writer: WriteContext, on db: any Database
    ) async throws -> [UUID] {
        struct R: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            INSERT INTO campaign_checkins (id, campaign_id, account_id, local_date, note, alert, alert_case_id, created_at)
            SELECT \(bind: id), r.campaign_id, r.account_id, \(bind: today), \(bind: note), \(flag: alert), \(bindOrNull(caseID)), \(bind: writer.now)
            FROM campaign_roster r JOIN service_campaigns c ON c.id = r.campaign_id
            WHERE r.campaign_id = \(bind: campaign) AND r.account_id = \(bind: writer.actor.accountID) AND c.status = 'open'
              AND c.starts_on <= \(bind: today) AND c.ends_on >= \(bind: today)
            RETURNING id
            """
        ).all(decoding: R.self).map(\.id)
    }

    /// A check-in's answers, one row per value (per chosen option of a multiple choice).
    static func insertCheckinAnswers(_ answers: [(field: UUID, value: String)], checkin: UUID, on db: any Database) async throws {
        guard !answers.isEmpty else { return }
        try await db.sql.insert(into: "checkin_answers").columns("id", "checkin_id", "field_id", "value")
            .rows(answers.map { [SQLBind(UUID()), SQLBind(checkin), SQLBind($0.field), SQLBind($0.value)] }).run()
    }

    /// Whether `account` is on the campaign's roster.
    static func isOnRoster(_ campaign: UUID, account: UUID, on db: any Database) async throws -> Bool {
        try await rosterNode(campaign, account: account, on: db) != nil
    }

    /// The building group `account` is on the campaign's roster at; nil when not on it.
    static func rosterNode(_ campaign: UUID, account: UUID, on db: any Database) async throws -> UUID? {
        struct R: Decodable { var grid_node_id: UUID }
        return try await db.sql.raw(
            """
            SELECT grid_node_id FROM campaign_roster WHERE campaign_id = \(bind: campaign) AND account_id = \(bind: account)
            """
        ).first(decoding: R.self)?.grid_node_id
    }

    /// The local dates on which `account` checked in, in order.
    static func checkinDates(_ campaign: UUID, account: UUID, on db: any Database) async throws -> [String] {
        struct D: Decodable { var local_date: String }
        return try await db.sql.raw(
            """
            SELECT local_date FROM campaign_checkins WHERE campaign_id = \(bind: campaign) AND account_id = \(bind: account) ORDER BY local_date
            """
        ).all(decoding: D.self).map(\.local_date)
    }

    /// When each person on the roster inside the actor's scope was enrolled.
    static func rosterEnrolmentTimes(_ campaign: UUID, for actor: Actor, on db: any Database) async throws -> [Date] {
        struct E: Decodable { var created_at: Date }
        let inScope = actor.scope.contains(SQLColumn("grid_node_id", table: "r"))
        return try await db.sql.raw(
            """
            SELECT r.created_at FROM campaign_roster r WHERE r.campaign_id = \(bind: campaign) AND \(inScope)
            """
        ).all(decoding: E.self).map(\.created_at)
    }

    struct CheckinDayCount: Decodable, Sendable { var local_date: String; var n: Int }

    /// Per local date: how many people on the roster inside the actor's scope checked in.
    static func checkinCountsByDay(_ campaign: UUID, for actor: Actor, on db: any Database) async throws -> [CheckinDayCount] {
        let inScope = actor.scope.contains(SQLColumn("grid_node_id", table: "r"))
        return try await db.sql.raw(
            """
            SELECT k.local_date, COUNT(*) AS n FROM campaign_checkins k
            JOIN campaign_roster r ON r.campaign_id = k.campaign_id AND r.account_id = k.account_id
            WHERE k.campaign_id = \(bind: campaign) AND \(inScope) GROUP BY k.local_date
            """
        ).all(decoding: CheckinDayCount.self)
    }

    /// Who on the roster inside the actor's scope (and under `node`, when given), enrolled before
    /// `close`, did not check in on `date` (at most 2,000).
    static func missedCheckins(
        _ campaign: UUID, date: String, close: Date, under node: UUID? = nil, for actor: Actor, on db: any Database
    ) async throws -> [CheckinService.Missed] {
        try await db.sql.raw(
            """
            SELECT a.username, a.display_name, n.code AS grid_code
            FROM campaign_roster r JOIN accounts a ON a.id = r.account_id JOIN grid_nodes n ON n.id = r.grid_node_id
            WHERE r.campaign_id = \(bind: campaign) AND r.created_at < \(bind: close)
              AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "r"))) AND \(under(node))
              AND NOT EXISTS (SELECT 1 FROM campaign_checkins k
                              WHERE k.campaign_id = r.campaign_id AND k.account_id = r.account_id AND k.local_date = \(bind: date))
            ORDER BY n.code, a.username LIMIT 2000
            """
        ).all(decoding: CheckinService.Missed.self)
    }

    /// `r.grid_node_id` under `node` (itself included), or true without one.
    private static func under(_ node: UUID?) -> SQLQueryString {
        guard let node else { return "1 = 1" }
        return "r.grid_node_id IN (SELECT descendant_id FROM grid_closure WHERE ancestor_id = \(bind: node))"
    }

    /// Per building group inside the actor's scope: the roster enrolled before `close`, and how
    /// many of them did not check in on `date` (the counts of the missed list, by building group).
    static func missedByBuildingGroup(
        _ campaign: UUID, date: String, close: Date, for actor: Actor, on db: any Database
    ) async throws -> [CheckinService.GroupMissed] {
        try await db.sql.raw(
            """
            SELECT n.code, n.name, COUNT(*) AS roster,
                   SUM(CASE WHEN k.id IS NULL THEN 1 ELSE 0 END) AS missed
            FROM campaign_roster r JOIN grid_nodes n ON n.id = r.grid_node_id
            LEFT JOIN campaign_checkins k ON k.campaign_id = r.campaign_id AND k.account_id = r.account_id AND k.local_date = \(bind: date)
            WHERE r.campaign_id = \(bind: campaign) AND r.created_at < \(bind: close)
              AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "r")))
            GROUP BY n.code, n.name ORDER BY missed DESC, n.code LIMIT 500
            """
        ).all(decoding: CheckinService.GroupMissed.self)
    }

    /// The check-ins of `date` that raised an alert, of people inside the actor's scope, newest
    /// first, with the answers and the case each opened (at most 500).
    static func alertCheckins(_ campaign: UUID, date: String, for actor: Actor, on db: any Database) async throws -> [CheckinService.Alert] {
        struct Row: Decodable {
            var id: UUID; var username: String; var display_name: String; var grid_code: String; var created_at: Date
            var alert_case_id: UUID?; var case_number: String?
        }
        let rows = try await db.sql.raw(
            """
            SELECT k.id, a.username, a.display_name, n.code AS grid_code, k.created_at, k.alert_case_id, c.number AS case_number
            FROM campaign_checkins k JOIN campaign_roster r ON r.campaign_id = k.campaign_id AND r.account_id = k.account_id
            JOIN accounts a ON a.id = k.account_id JOIN grid_nodes n ON n.id = r.grid_node_id
            LEFT JOIN cases c ON c.id = k.alert_case_id
            WHERE k.campaign_id = \(bind: campaign) AND k.alert = \(flag: true) AND k.local_date = \(bind: date)
              AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "r")))
            ORDER BY k.created_at DESC LIMIT 500
            """
        ).all(decoding: Row.self)
        guard !rows.isEmpty else { return [] }
        struct AnswerRow: Decodable { var checkin_id: UUID; var label_zh: String; var label_en: String; var value: String; var position: Int }
        let answers = try await db.sql.raw(
            """
            SELECT x.checkin_id, f.label_zh, f.label_en, x.value, f.position FROM checkin_answers x JOIN campaign_fields f ON f.id = x.field_id
            WHERE x.checkin_id IN (\(binds: rows.map(\.id))) ORDER BY f.position
            """
        ).all(decoding: AnswerRow.self)
        let byCheckin = Dictionary(grouping: answers, by: \.checkin_id)
        return rows.map { r in
            CheckinService.Alert(
                id: r.id, username: r.username, display_name: r.display_name, grid_code: r.grid_code, at: r.created_at,
                answers: (byCheckin[r.id] ?? []).map { .init(label: $0.label_zh, label_en: $0.label_en, value: $0.value) },
                case_id: r.alert_case_id, case_number: r.case_number)
        }
    }

    /// The caller's own answers of `date`, in the form's order.
    static func ownCheckinAnswers(_ campaign: UUID, account: UUID, date: String, on db: any Database) async throws -> [CheckinService.Answer] {
        try await db.sql.raw(
            """
            SELECT f.label_zh AS label, f.label_en, x.value FROM campaign_checkins k JOIN checkin_answers x ON x.checkin_id = k.id
            JOIN campaign_fields f ON f.id = x.field_id
            WHERE k.campaign_id = \(bind: campaign) AND k.account_id = \(bind: account) AND k.local_date = \(bind: date) ORDER BY f.position
            """
        ).all(decoding: CheckinService.Answer.self)
    }
}
