import Fluent
import Foundation
import MinqingDomain
import Vapor

/// What the pages and the API do with notifications: the inbox, read marks, a person's choices
/// and, for staff, the outbox's troubled messages. Every read names the caller's account (or, for
/// the outbox, their scope) in its SQL.
enum NotificationsService {
    static let pageSize = 20
    /// Who sees the phone outbox: the platform's operators.
    static let outboxRoles: Set<Role> = [.admin, .subdistrictStaff]

    struct Inbox: Content, Sendable {
        var total: Int
        var unread: Int
        var page: Int
        var page_size: Int
        var items: [Item]
    }

    struct Item: Content, Sendable {
        var id: UUID
        var kind: String
        var title: String
        var detail: String
        var href: String
        var urgent: Bool
        var created_at: Date
        var read: Bool
    }

    static func inbox(for actor: Actor, page: Int, unreadOnly: Bool, lang: Lang, now: Date, on db: any Database) async throws -> Inbox {
        let since = Notifications.keptSince(now)
        let counts = try await NotificationQueries.counts(account: actor.accountID, since: since, on: db)
        let rows = try await NotificationQueries.inbox(
            account: actor.accountID, since: since, unreadOnly: unreadOnly, limit: pageSize, offset: (page - 1) * pageSize, on: db)
        return Inbox(
            total: counts.total, unread: counts.unread ?? 0, page: page, page_size: pageSize,
            items: rows.map {
                Item(
                    id: $0.id, kind: $0.kind, title: lang == .zh ? $0.title_zh : $0.title_en, detail: $0.detail, href: $0.href, urgent: $0.urgent,
                    created_at: $0.created_at, read: $0.read_at != nil)
            })
    }

    /// The page number a request asks for: 1 to 10,000.
    static func page(_ raw: Int?) throws -> Int {
        guard let raw else { return 1 }
        guard (1...10_000).contains(raw) else {
            throw AppError.validation("page", zh: "页码应为 1 至 10000", en: "The page is a number from 1 to 10,000")
        }
        return raw
    }

    struct Choice: Content, Sendable {
        var kind: String
        var name: String
        var to_phone: Bool
    }

    /// The kinds the caller receives, each with whether it goes to their phone.
    static func choices(for actor: Actor, lang: Lang, on db: any Database) async throws -> [Choice] {
        let made = Dictionary(
            try await NotificationQueries.choices(account: actor.accountID, on: db).map { ($0.kind, $0.to_phone) }, uniquingKeysWith: { a, _ in a })
        return NotificationKind.kinds(forResident: actor.role == .resident).map {
            Choice(kind: $0.rawValue, name: lang == .zh ? $0.nameZH : $0.nameEN, to_phone: made[$0.rawValue] ?? $0.toPhoneByDefault)
        }
    }

    /// Sets the caller's choices: every kind they receive, on when named in `phone`.
    static func setChoices(_ phone: Set<String>, writer: WriteContext, on db: any Database) async throws {
        let kinds = NotificationKind.kinds(forResident: writer.actor.role == .resident)
        let unknown = phone.subtracting(kinds.map(\.rawValue))
        guard unknown.isEmpty else {
            throw AppError.validation("choices", zh: "有不认识的消息类别", en: "Some kinds of notification are unknown")
        }
        try await db.write { db in
            try await NotificationQueries.replaceChoices(
                account: writer.actor.accountID, subdistrict: writer.actor.subdistrictID, kinds.map { ($0, phone.contains($0.rawValue)) },
                now: writer.now, on: db)
        }
    }

    /// The outbox's states: waiting (or retrying), sent, dead letters, expired unsent.
    static let outboxStates = ["pending", "sent", "dead", "expired"]
    static let outboxPageSize = 50

    struct Outbox: Content, Sendable {
        var gateway_configured: Bool
        var counts: [String: Int]
        /// The state listed (none: dead letters and messages that failed at least once).
        var state: String?
        var page: Int
        var page_size: Int
        var items: [NotificationQueries.LetterRow]
    }

    static func outbox(for actor: Actor, state: String?, page: Int, configured: Bool, on db: any Database) async throws -> Outbox {
        guard outboxRoles.contains(actor.role) else { throw AppError.forbidden }
        if let state, !outboxStates.contains(state) {
            throw AppError.validation("state", zh: "状态应为 pending、sent、dead 或 expired", en: "The state is pending, sent, dead or expired")
        }
        let counts = try await NotificationQueries.outboxCounts(in: actor.scope, on: db)
        return Outbox(
            gateway_configured: configured, counts: Dictionary(counts.map { ($0.state, $0.n) }, uniquingKeysWith: +), state: state, page: page,
            page_size: outboxPageSize,
            items: try await NotificationQueries.letters(
                in: actor.scope, state: state, limit: outboxPageSize, offset: (page - 1) * outboxPageSize, on: db))
    }

    static let noSuchLetter = AppError.notFound("没有这条待重发的消息，或不在您的范围内", "No such dead letter in your scope")

    /// Puts a dead letter back in line; audited.
    static func retry(_ id: UUID, writer: WriteContext, on db: any Database) async throws {
        guard outboxRoles.contains(writer.actor.role) else { throw AppError.forbidden }
        try await db.write { db in
            guard try await NotificationQueries.retry(id, in: writer.actor.scope, now: writer.now, on: db) else { throw noSuchLetter }
            try await AuditLog.append(
                AuditEntry(
                    action: "notification.retried", actorID: writer.actor.accountID, actorName: writer.actor.username,
                    targetType: "notification_outbox", targetID: id.uuidString, clientAddress: writer.address),
                at: writer.now, on: db)
        }
    }
}
