import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// Every statement of notifications: who an event concerns, the inbox, the choices, the outbox.
enum NotificationQueries {
    /// Who an event concerns, as a condition on `accounts a`.
    enum Audience: Sendable {
        /// Resident accounts whose building group lies under the node (a poll's or a campaign's reach).
        case residentsUnder(UUID)
        /// Resident accounts of the compound's households (its notices).
        case residentsOfCompound(UUID)
        /// The accounts bound to owners on the ballot's electoral roll.
        case ballotElectors(UUID)
        /// The accounts of the department leading the case.
        case caseLead(CaseID)
        /// The accounts of every department the case is with now: the lead and its co-handlers (吹哨).
        case caseAssignees(CaseID)
        /// Whoever reported the case through their account.
        case caseSubmitter(CaseID)
        /// The resident who booked the visit, or the cadre who offered its slot.
        case visitBooker(UUID)
        case visitOfferer(UUID)
        /// The account that booked the space.
        case serviceBooker(UUID)
        /// The accounts of `role` whose area holds the node (itself or an ancestor of it): the
        /// grid workers, or the cadres, over a building group.
        case staffOver(UUID, role: Role)
        /// Who on a check-in campaign's roster inside the scope has not checked in on the day, and
        /// has not been reminded of it that day already.
        case checkinMissing(campaign: UUID, date: String, scope: GridScope, remindedSince: Date, href: String)

        var condition: SQLQueryString {
            switch self {
            case .residentsUnder(let node):
                return
                    "a.role = 'resident' AND a.grid_node_id IN (SELECT descendant_id FROM grid_closure WHERE ancestor_id = \(bind: node))"
            case .residentsOfCompound(let compound):
                // The household's compound: its dwelling's, else that of the building at its
                // building group (as `OversightQueries.residentCompounds` reads it).
                return """
                    a.id IN (SELECT rh.account_id FROM resident_households rh JOIN households h ON h.id = rh.household_id
                             LEFT JOIN dwellings d ON d.id = h.dwelling_id
                             LEFT JOIN buildings b ON b.grid_node_id = h.grid_node_id AND h.dwelling_id IS NULL
                             WHERE COALESCE(d.compound_id, b.compound_id) = \(bind: compound))
                    """
            case .ballotElectors(let ballot):
                return """
                    a.id IN (SELECT oa.account_id FROM owner_accounts oa JOIN ballot_elector_owners eo ON eo.owner_id = oa.owner_id
                             WHERE eo.ballot_id = \(bind: ballot))
                    """
            case .caseLead(let id):
                return """
                    a.id IN (SELECT da.account_id FROM department_accounts da JOIN case_assignments ca ON ca.department_id = da.department_id
                             WHERE ca.case_id = \(bind: id) AND ca.active = \(flag: true) AND ca.lead = \(flag: true))
                    """
            case .caseAssignees(let id):
                return """
                    a.id IN (SELECT da.account_id FROM department_accounts da JOIN case_assignments ca ON ca.department_id = da.department_id
                             WHERE ca.case_id = \(bind: id) AND ca.active = \(flag: true))
                    """
            case .caseSubmitter(let id):
                return "a.id IN (SELECT submitter_account_id FROM cases WHERE id = \(bind: id))"
            case .visitBooker(let booking):
                return "a.id IN (SELECT account_id FROM visit_bookings WHERE id = \(bind: booking))"
            case .visitOfferer(let booking):
                return "a.id IN (SELECT s.offered_by FROM visit_bookings b JOIN visit_slots s ON s.id = b.slot_id WHERE b.id = \(bind: booking))"
            case .serviceBooker(let booking):
                return "a.id IN (SELECT account_id FROM service_bookings WHERE id = \(bind: booking))"
            case .staffOver(let node, let role):
                return
                    "a.role = \(bind: role.rawValue) AND a.grid_node_id IN (SELECT ancestor_id FROM grid_closure WHERE descendant_id = \(bind: node))"
            case .checkinMissing(let campaign, let date, let scope, let since, let href):
                return """
                    a.id IN (SELECT r.account_id FROM campaign_roster r
                             WHERE r.campaign_id = \(bind: campaign) AND \(scope.contains(SQLColumn("grid_node_id", table: "r")))
                               AND NOT EXISTS (SELECT 1 FROM campaign_checkins k
                                               WHERE k.campaign_id = r.campaign_id AND k.account_id = r.account_id AND k.local_date = \(bind: date)))
                    AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.account_id = a.id AND n.kind = 'reminder'
                                    AND n.href = \(bind: href) AND n.created_at >= \(bind: since))
                    """
            }
        }
    }

    struct Recipient: Decodable, Sendable {
        var id: UUID
        var subdistrict_id: UUID?
        /// The person's choice for the kind, if they made one.
        var to_phone: Bool?
        /// 1 when the account has a mobile number (a resident who signed up), else 0.
        var has_phone: Int
    }

    /// The enabled accounts of the audience, except the one who acted, with their choice for
    /// `kind`; with `limit`, the next that many in account order after `after`.
    static func recipients(
        _ audience: Audience, kind: NotificationKind, except actor: UUID?, after: UUID? = nil, limit: Int? = nil, on db: any Database
    ) async throws -> [Recipient] {
        var page: SQLQueryString = ""
        if let limit {
            if let after { page = "AND a.id > \(bind: after) " }
            page = page + "ORDER BY a.id LIMIT \(literal: limit)"
        }
        return try await db.sql.raw(
            """
            SELECT a.id, a.subdistrict_id, ch.to_phone, CASE WHEN ra.account_id IS NULL THEN 0 ELSE 1 END AS has_phone
            FROM accounts a
            LEFT JOIN notification_choices ch ON ch.account_id = a.id AND ch.kind = \(bind: kind.rawValue)
            LEFT JOIN resident_accounts ra ON ra.account_id = a.id
            WHERE a.disabled = \(flag: false) AND a.id <> \(bind: actor ?? UUID()) AND \(audience.condition) \(page)
            """
        ).all(decoding: Recipient.self)
    }

    // MARK: fan-out jobs

    struct Fanout: Decodable, Sendable {
        var id: UUID; var subdistrict_id: UUID?; var grid_node_id: UUID; var kind: String; var title_zh: String; var title_en: String
        var detail: String; var href: String; var urgent: Bool; var except_account: UUID?; var after_account: UUID?; var sent: Int
        var created_at: Date; var done_at: Date?
    }

    /// A new fan-out job to the residents under `node`.
    static func insertFanout(
        _ id: UUID, node: UUID, subdistrict: UUID?, message: Notifications.Message, except: UUID?, now: Date, on db: any Database
    ) async throws {
        try await db.sql.insert(into: "notification_fanouts")
            .columns(
                "id", "subdistrict_id", "grid_node_id", "kind", "title_zh", "title_en", "detail", "href", "urgent", "except_account", "sent",
                "created_at"
            )
            .values(
                SQLBind(id), bindOrNull(subdistrict), SQLBind(node), SQLBind(message.kind.rawValue), SQLBind(message.titleZH),
                SQLBind(message.titleEN), SQLBind(message.detail), SQLBind(message.href), SQLBind(message.urgent), bindOrNull(except),
                SQLBind(0), SQLBind(now)
            ).run()
    }

    static func fanout(_ id: UUID, on db: any Database) async throws -> Fanout? {
        try await db.sql.raw("SELECT * FROM notification_fanouts WHERE id = \(bind: id)").first(decoding: Fanout.self)
    }

    /// The jobs not finished, oldest first.
    static func openFanouts(on db: any Database) async throws -> [UUID] {
        struct R: Decodable { var id: UUID }
        return try await db.sql.raw("SELECT id FROM notification_fanouts WHERE done_at IS NULL ORDER BY created_at LIMIT 100")
            .all(decoding: R.self).map(\.id)
    }

    /// Moves the job's cursor from `from` to `to` with `n` more sent (finished when `done`), only
    /// if it still stands at `from`: false when another expander has moved it meanwhile.
    static func advanceFanout(_ id: UUID, from: UUID?, to: UUID?, n: Int, done: Bool, now: Date, on db: any Database) async throws -> Bool {
        struct R: Decodable { var id: UUID }
        let at: SQLQueryString = from.map { "after_account = \(bind: $0)" } ?? "after_account IS NULL"
        return try await db.sql.raw(
            """
            UPDATE notification_fanouts SET after_account = \(bindOrNull(to ?? from)), sent = sent + \(bind: n),
                   done_at = \(done ? bindOrNull(now) : SQLLiteral.null)
            WHERE id = \(bind: id) AND done_at IS NULL AND \(at) RETURNING id
            """
        ).first(decoding: R.self) != nil
    }

    static let notificationColumns = ["id", "subdistrict_id", "account_id", "kind", "title_zh", "title_en", "detail", "href", "urgent", "created_at"]
    static let outboxColumns = ["id", "subdistrict_id", "notification_id", "account_id", "state", "attempts", "next_attempt_at", "created_at"]

    // MARK: the inbox

    struct InboxRow: Codable, Sendable {
        var id: UUID
        var kind: String
        var title_zh: String
        var title_en: String
        var detail: String
        var href: String
        var urgent: Bool
        var created_at: Date
        var read_at: Date?
    }

    /// The account's notifications since `since`, newest first.
    static func inbox(account: UUID, since: Date, unreadOnly: Bool, limit: Int, offset: Int, on db: any Database) async throws -> [InboxRow] {
        let unread: SQLQueryString = unreadOnly ? "AND read_at IS NULL" : ""
        return try await db.sql.raw(
            """
            SELECT id, kind, title_zh, title_en, detail, href, urgent, created_at, read_at FROM notifications
            WHERE account_id = \(bind: account) AND created_at >= \(bind: since) \(unread)
            ORDER BY created_at DESC, id DESC LIMIT \(count: limit) OFFSET \(count: offset)
            """
        ).all(decoding: InboxRow.self)
    }

    struct Counts: Decodable, Sendable { var total: Int; var unread: Int? }

    static func counts(account: UUID, since: Date, on db: any Database) async throws -> Counts {
        try await db.sql.raw(
            """
            SELECT COUNT(*) AS total, SUM(CASE WHEN read_at IS NULL THEN 1 ELSE 0 END) AS unread FROM notifications
            WHERE account_id = \(bind: account) AND created_at >= \(bind: since)
            """
        ).first(decoding: Counts.self) ?? Counts(total: 0, unread: 0)
    }

    /// Marks the account's notifications read (those named, or all); how many were unread.
    static func markRead(account: UUID, ids: [UUID]?, now: Date, on db: any Database) async throws -> Int {
        let only: SQLQueryString = ids.map { "AND id IN (\(SQLList(($0.isEmpty ? [UUID()] : $0).map { SQLBind($0) })))" } ?? ""
        struct Row: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            UPDATE notifications SET read_at = \(bind: now) WHERE account_id = \(bind: account) AND read_at IS NULL \(only) RETURNING id
            """
        ).all(decoding: Row.self).count
    }

    /// Marks one notification of the account read; its page, or nil when it is not theirs.
    static func open(_ id: UUID, account: UUID, now: Date, on db: any Database) async throws -> String? {
        struct Row: Decodable { var href: String }
        return try await db.sql.raw(
            """
            UPDATE notifications SET read_at = COALESCE(read_at, \(bind: now)) WHERE id = \(bind: id) AND account_id = \(bind: account)
            RETURNING href
            """
        ).first(decoding: Row.self)?.href
    }

    /// Deletes notifications older than `before`, at most `limit` at a time (their outbox rows go with them).
    static func purge(before: Date, limit: Int, on db: any Database) async throws -> Int {
        struct Row: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            DELETE FROM notifications WHERE id IN (SELECT id FROM notifications WHERE created_at < \(bind: before) LIMIT \(count: limit))
            RETURNING id
            """
        ).all(decoding: Row.self).count
    }

    // MARK: choices

    /// Whether the account has a mobile number on file (a resident who signed up with one).
    static func hasPhone(account: UUID, on db: any Database) async throws -> Bool {
        struct Row: Decodable { var account_id: UUID }
        return try await db.sql.raw("SELECT account_id FROM resident_accounts WHERE account_id = \(bind: account)").first(decoding: Row.self) != nil
    }

    struct ChoiceRow: Decodable { var kind: String; var to_phone: Bool }

    static func choices(account: UUID, on db: any Database) async throws -> [ChoiceRow] {
        try await db.sql.raw("SELECT kind, to_phone FROM notification_choices WHERE account_id = \(bind: account)")
            .all(decoding: ChoiceRow.self)
    }

    /// Replaces the account's choices (inside the caller's transaction).
    static func replaceChoices(
        account: UUID, subdistrict: UUID?, _ choices: [(NotificationKind, Bool)], now: Date, on db: any Database
    ) async throws {
        try await db.sql.raw("DELETE FROM notification_choices WHERE account_id = \(bind: account)").run()
        guard !choices.isEmpty else { return }
        try await db.sql.insert(into: "notification_choices").columns("subdistrict_id", "account_id", "kind", "to_phone", "updated_at")
            .rows(choices.map { [bindOrNull(subdistrict), SQLBind(account), SQLBind($0.0.rawValue), SQLBind($0.1), SQLBind(now)] })
            .run()
    }

    // MARK: the outbox

    /// A message due for the gateway, with what it says and the sealed number it goes to.
    struct DueRow: Decodable, Sendable {
        var id: UUID
        var attempts: Int
        var kind: String
        var title_zh: String
        var detail: String
        var href: String
        var urgent: Bool
        var created_at: Date
        var phone_cipher: String?
    }

    /// Claims up to `limit` due messages by moving their next try to `lease` (another pass, or
    /// another server, skips them meanwhile), and returns them.
    static func claimDue(now: Date, lease: Date, limit: Int, on db: any Database) async throws -> [DueRow] {
        struct Claimed: Decodable { var id: UUID }
        let claimed = try await db.sql.raw(
            """
            UPDATE notification_outbox SET next_attempt_at = \(bind: lease)
            WHERE id IN (SELECT id FROM notification_outbox WHERE state = 'pending' AND next_attempt_at <= \(bind: now)
                         ORDER BY next_attempt_at LIMIT \(count: limit))
              AND state = 'pending' AND next_attempt_at <= \(bind: now)
            RETURNING id
            """
        ).all(decoding: Claimed.self)
        guard !claimed.isEmpty else { return [] }
        return try await db.sql.raw(
            """
            SELECT o.id, o.attempts, n.kind, n.title_zh, n.detail, n.href, n.urgent, n.created_at, ra.phone_cipher
            FROM notification_outbox o JOIN notifications n ON n.id = o.notification_id
            LEFT JOIN resident_accounts ra ON ra.account_id = o.account_id
            WHERE o.id IN (\(SQLList(claimed.map { SQLBind($0.id) })))
            """
        ).all(decoding: DueRow.self)
    }

    static func markSent(_ id: UUID, attempts: Int, now: Date, on db: any Database) async throws {
        try await db.sql.raw(
            """
            UPDATE notification_outbox SET state = 'sent', attempts = \(bind: attempts), sent_at = \(bind: now), last_error = NULL
            WHERE id = \(bind: id)
            """
        ).run()
    }

    /// A failed try: the next one at `next`, or a dead letter when there is none.
    static func markFailed(_ id: UUID, attempts: Int, error: String, next: Date?, now: Date, on db: any Database) async throws {
        let state = next == nil ? "dead" : "pending"
        try await db.sql.raw(
            """
            UPDATE notification_outbox SET state = \(bind: state), attempts = \(bind: attempts), last_error = \(bind: error),
                next_attempt_at = \(bind: next ?? now) WHERE id = \(bind: id)
            """
        ).run()
    }

    /// Messages due before `before` and still unsent (the gateway was off or unreachable that long)
    /// expire instead of arriving late; how many.
    static func expire(dueBefore before: Date, on db: any Database) async throws -> Int {
        struct Row: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            UPDATE notification_outbox SET state = 'expired' WHERE state = 'pending' AND next_attempt_at < \(bind: before) RETURNING id
            """
        ).all(decoding: Row.self).count
    }

    struct StateCount: Decodable, Sendable { var state: String; var n: Int }

    /// Messages by state, for recipients in the scope.
    static func outboxCounts(in scope: GridScope, on db: any Database) async throws -> [StateCount] {
        try await db.sql.raw(
            """
            SELECT o.state, COUNT(*) AS n FROM notification_outbox o JOIN accounts a ON a.id = o.account_id
            WHERE \(scope.contains(SQLColumn("grid_node_id", table: "a"))) GROUP BY o.state ORDER BY o.state
            """
        ).all(decoding: StateCount.self)
    }

    struct LetterRow: Codable, Sendable {
        var id: UUID
        var state: String
        var kind: String
        var title_zh: String
        var title_en: String
        var recipient: String
        var attempts: Int
        var last_error: String?
        var created_at: Date
        var next_attempt_at: Date
    }

    /// The messages in `state` (nil: dead letters and messages that failed at least once) for
    /// recipients in the scope, newest first.
    static func letters(in scope: GridScope, state: String?, limit: Int, offset: Int, on db: any Database) async throws -> [LetterRow] {
        let which: SQLQueryString = state.map { "o.state = \(bind: $0)" } ?? "(o.state = 'dead' OR (o.state = 'pending' AND o.attempts > 0))"
        return try await db.sql.raw(
            """
            SELECT o.id, o.state, n.kind, n.title_zh, n.title_en, a.display_name AS recipient, o.attempts, o.last_error, o.created_at,
                   o.next_attempt_at
            FROM notification_outbox o JOIN notifications n ON n.id = o.notification_id JOIN accounts a ON a.id = o.account_id
            WHERE \(which) AND \(scope.contains(SQLColumn("grid_node_id", table: "a")))
            ORDER BY o.created_at DESC, o.id LIMIT \(count: limit) OFFSET \(count: offset)
            """
        ).all(decoding: LetterRow.self)
    }

    /// Puts a dead letter of a recipient in the scope back in line, due now; false when there is
    /// no such dead letter (sent, pending, unknown or outside the scope: the same answer).
    static func retry(_ id: UUID, in scope: GridScope, now: Date, on db: any Database) async throws -> Bool {
        struct Row: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            UPDATE notification_outbox SET state = 'pending', attempts = 0, next_attempt_at = \(bind: now), last_error = NULL
            WHERE id = \(bind: id) AND state = 'dead'
              AND account_id IN (SELECT a.id FROM accounts a WHERE \(scope.contains(SQLColumn("grid_node_id", table: "a"))))
            RETURNING id
            """
        ).first(decoding: Row.self) != nil
    }

    // MARK: what an event's message names

    struct Label: Decodable, Sendable { var title: String; var at: Date? }

    /// A case's number and title.
    static func caseLabel(_ id: CaseID, on db: any Database) async throws -> Label? {
        try await db.sql.raw("SELECT number || ' ' || title AS title, NULL AS at FROM cases WHERE id = \(bind: id)").first(decoding: Label.self)
    }

    struct PollLabel: Decodable, Sendable { var title: String; var grid_node_id: UUID }

    static func pollLabel(_ id: UUID, on db: any Database) async throws -> PollLabel? {
        try await db.sql.raw("SELECT title, grid_node_id FROM polls WHERE id = \(bind: id)").first(decoding: PollLabel.self)
    }

    /// A visit booking's place and start.
    static func visitBookingLabel(_ booking: UUID, on db: any Database) async throws -> Label? {
        try await db.sql.raw(
            """
            SELECT s.place AS title, s.starts_at AS at FROM visit_bookings b JOIN visit_slots s ON s.id = b.slot_id WHERE b.id = \(bind: booking)
            """
        ).first(decoding: Label.self)
    }

    /// A space booking's resource and start.
    static func serviceBookingLabel(_ booking: UUID, on db: any Database) async throws -> Label? {
        try await db.sql.raw(
            """
            SELECT r.name AS title, s.starts_at AS at FROM service_bookings b JOIN service_slots s ON s.id = b.slot_id
            JOIN service_resources r ON r.id = b.resource_id WHERE b.id = \(bind: booking)
            """
        ).first(decoding: Label.self)
    }
}
