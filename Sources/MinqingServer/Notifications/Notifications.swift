import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// Notifications (消息, issue 22 item 3). An event that concerns people (a step on their case, a
/// decision on their booking, a vote opening where they live) writes one notification per person
/// into their inbox, in the event's own transaction, so a notification exists exactly when its
/// event does. Where the person wants the kind on their phone and has a mobile number, the same
/// transaction writes an outbox row; `NotificationDelivery` sends it through the configured
/// gateway. The capabilities call the event functions (`Notifications+Events.swift`); nothing
/// here decides who may see what beyond the audience each event names.
package enum Notifications {
    /// How long a notification is kept and listed.
    static let keepDays = 180
    /// A phone message not sent within this long after it was due expires instead of arriving late.
    static let expireAfter: TimeInterval = 86_400

    struct Message: Sendable {
        var kind: NotificationKind
        var titleZH: String
        var titleEN: String
        /// The event's own words (a case's number and title, a poll's title), shown in both languages.
        var detail: String
        var href: String
        var urgent = false

        init(kind: NotificationKind, titleZH: String, titleEN: String, detail: String, href: String, urgent: Bool = false) {
            self.kind = kind
            self.titleZH = titleZH
            self.titleEN = titleEN
            self.detail = detail
            self.href = href
            self.urgent = urgent
        }

        init(kind: NotificationKind, title: NotificationTitle, detail: String, href: String) {
            self.init(kind: kind, titleZH: title.zh, titleEN: title.en, detail: detail, href: href)
        }
    }

    /// Writes the message to everyone in the audience except the actor, inside the caller's
    /// transaction; how many received it.
    @discardableResult
    static func send(
        _ message: Message, to audience: NotificationQueries.Audience, except actor: UUID?, now: Date, on db: any Database
    ) async throws -> Int {
        let recipients = try await NotificationQueries.recipients(audience, kind: message.kind, except: actor, on: db)
        try await write(message, to: recipients, now: now, on: db)
        return recipients.count
    }

    /// Writes the message's inbox rows, and outbox rows for those who want it on their phone.
    static func write(_ message: Message, to recipients: [NotificationQueries.Recipient], now: Date, on db: any Database) async throws {
        guard !recipients.isEmpty else { return }
        var inbox = BulkInserter(table: "notifications", columns: NotificationQueries.notificationColumns)
        var outbox = BulkInserter(table: "notification_outbox", columns: NotificationQueries.outboxColumns)
        let due = QuietHours.deliveryTime(createdAt: now, urgent: message.urgent)
        for person in recipients {
            let id = UUID()
            inbox.append([
                SQLBind(id), bindOrNull(person.subdistrict_id), SQLBind(person.id), SQLBind(message.kind.rawValue),
                SQLBind(String(message.titleZH.prefix(200))), SQLBind(String(message.titleEN.prefix(200))),
                SQLBind(String(message.detail.prefix(500))), SQLBind(message.href), SQLBind(message.urgent), SQLBind(now)
            ])
            if person.has_phone == 1, person.to_phone ?? message.kind.toPhoneByDefault {
                outbox.append([
                    SQLBind(UUID()), bindOrNull(person.subdistrict_id), SQLBind(id), SQLBind(person.id), SQLBind("pending"), SQLBind(0),
                    SQLBind(due), SQLBind(now)
                ])
            }
            // Parents before children: the inbox rows go first.
            if inbox.isFull {
                try await inbox.flush(on: db)
                try await outbox.flush(on: db)
            }
        }
        try await inbox.flush(on: db)
        try await outbox.flush(on: db)
    }

    /// The first day still kept at `now`.
    static func keptSince(_ now: Date) -> Date { now.addingTimeInterval(-Double(keepDays) * 86_400) }
}
