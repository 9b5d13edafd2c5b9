import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// What the platform holds about the signed-in account's holder (PIPL art. 45: a person may
/// see and copy their own data): the account and its sign-ins, the household it is linked to
/// with its members (numbers masked: the household's other members are not the caller), and
/// what the account did — bookings, reservations, registrations, check-ins, messages (cases),
/// topics and comments, time-bank entries, correction requests. Each section is one query
/// filtered by the account (or its household) in SQL.
enum PersonalData {
    struct Section: Content, Equatable {
        var key: String
        var title_zh: String
        var title_en: String
        var columns: [String]
        var rows: [[String]]
    }

    struct Export: Content {
        var generated_at: Date
        var username: String
        var sections: [Section]
    }

    /// Sign-ins and account events kept this far back (the audit trail keeps everything; the
    /// copy shows what a person can use).
    static let historyDays = 180

    static func collect(for actor: Actor, now: Date, on db: any Database) async throws -> Export {
        var sections: [Section] = []
        let me = actor.accountID
        func text(_ date: Date?) -> String { date.map { DisplayTime.format($0) } ?? "" }

        struct AccountRow: Decodable { var username: String; var display_name: String; var role: String; var created_at: Date?; var last_login_at: Date? }
        if let a = try await db.sql.raw("""
            SELECT username, display_name, role, created_at, last_login_at FROM accounts WHERE id = \(bind: me)
            """).first(decoding: AccountRow.self) {
            let role = Role(rawValue: a.role)
            sections.append(Section(key: "account", title_zh: "账号", title_en: "Account",
                                    columns: ["username", "display_name", "role", "scope", "created_at", "last_login_at"],
                                    rows: [[a.username, a.display_name, role?.nameZH ?? a.role, "\(actor.scope.rootName) (\(actor.scope.rootCode))",
                                            text(a.created_at), text(a.last_login_at)]]))
        }
        struct Event: Decodable { var action: String; var at_ms: Int64; var client_address: String? }
        let since = Int64((now.timeIntervalSince1970 - Double(historyDays) * 86_400) * 1000)
        let events = try await db.sql.raw("""
            SELECT action, at_ms, client_address FROM audit_log
            WHERE actor_id = \(bind: me.uuidString) AND at_ms >= \(bind: since) ORDER BY seq DESC LIMIT 500
            """).all(decoding: Event.self)
        sections.append(Section(key: "account_events", title_zh: "登录与账号记录（近 \(historyDays) 天）", title_en: "Sign-ins and account events (last \(historyDays) days)",
                                columns: ["action", "at", "address"],
                                rows: events.map { [$0.action, DisplayTime.format(milliseconds: $0.at_ms), $0.client_address ?? ""] }))

        struct Household: Decodable { var id: UUID; var address: String; var code: String; var name: String }
        if let h = try await db.sql.raw("""
            SELECT h.id, h.address, n.code, n.name FROM resident_households r JOIN households h ON h.id = r.household_id
            JOIN grid_nodes n ON n.id = h.grid_node_id WHERE r.account_id = \(bind: me)
            """).first(decoding: Household.self) {
            sections.append(Section(key: "household", title_zh: "户", title_en: "Household", columns: ["address", "building_group"],
                                    rows: [[h.address, "\(h.name) (\(h.code))"]]))
            struct Member: Decodable {
                var name: String; var relation: String; var sex: String; var birth_date: String; var id_masked: String
                var phone_masked: String?; var residence_status: String
            }
            let members = try await db.sql.raw("""
                SELECT name, relation, sex, birth_date, id_masked, phone_masked, residence_status FROM persons
                WHERE household_id = \(bind: h.id) AND moved_out_on IS NULL ORDER BY CASE relation WHEN 'head' THEN 0 ELSE 1 END, birth_date
                """).all(decoding: Member.self)
            sections.append(Section(key: "members", title_zh: "户内成员（号码已遮蔽）", title_en: "Household members (numbers masked)",
                                    columns: ["name", "relation", "sex", "birth_year", "id_number", "phone", "residence"],
                                    rows: members.map { m in
                                        [m.name, HouseholdRelation(rawValue: m.relation)?.nameZH ?? m.relation, Sex(rawValue: m.sex)?.labelZH ?? m.sex,
                                         String(m.birth_date.prefix(4)), m.id_masked, m.phone_masked ?? "",
                                         ResidenceStatus(rawValue: m.residence_status)?.nameZH ?? m.residence_status]
                                    }))
        }
        struct Booking: Decodable { var starts_at: Date; var place: String; var status: String; var created_at: Date? }
        let visits = try await db.sql.raw("""
            SELECT s.starts_at, s.place, b.status, b.created_at FROM visit_bookings b JOIN visit_slots s ON s.id = b.slot_id
            WHERE b.account_id = \(bind: me) ORDER BY s.starts_at DESC LIMIT 500
            """).all(decoding: Booking.self)
        sections.append(Section(key: "visit_bookings", title_zh: "预约走访", title_en: "Visit bookings", columns: ["starts_at", "place", "status", "booked_at"],
                                rows: visits.map { [DisplayTime.format($0.starts_at), $0.place, $0.status, text($0.created_at)] }))
        struct Space: Decodable { var name: String; var starts_at: Date; var purpose: String; var attendees: Int; var status: String }
        let spaces = try await db.sql.raw("""
            SELECT r.name, s.starts_at, b.purpose, b.attendees, b.status FROM service_bookings b
            JOIN service_slots s ON s.id = b.slot_id JOIN service_resources r ON r.id = b.resource_id
            WHERE b.account_id = \(bind: me) ORDER BY s.starts_at DESC LIMIT 500
            """).all(decoding: Space.self)
        sections.append(Section(key: "space_bookings", title_zh: "预约空间", title_en: "Space bookings", columns: ["resource", "starts_at", "purpose", "attendees", "status"],
                                rows: spaces.map { [$0.name, DisplayTime.format($0.starts_at), $0.purpose, String($0.attendees), $0.status] }))
        struct Reservation: Decodable { var title: String; var quantity: Int; var created_at: Date? }
        let reservations = try await db.sql.raw("""
            SELECT c.title, r.quantity, r.created_at FROM campaign_reservations r JOIN service_campaigns c ON c.id = r.campaign_id
            WHERE r.account_id = \(bind: me) ORDER BY r.created_at DESC LIMIT 500
            """).all(decoding: Reservation.self)
        sections.append(Section(key: "reservations", title_zh: "预约领取", title_en: "Reservations", columns: ["campaign", "quantity", "at"],
                                rows: reservations.map { [$0.title, String($0.quantity), text($0.created_at)] }))
        struct Answer: Decodable { var title: String; var label_zh: String; var value: String; var created_at: Date? }
        let answers = try await db.sql.raw("""
            SELECT c.title, f.label_zh, a.value, e.created_at FROM campaign_entries e JOIN service_campaigns c ON c.id = e.campaign_id
            JOIN campaign_answers a ON a.entry_id = e.id JOIN campaign_fields f ON f.id = a.field_id
            WHERE e.account_id = \(bind: me) ORDER BY e.created_at DESC, f.position LIMIT 2000
            """).all(decoding: Answer.self)
        sections.append(Section(key: "registrations", title_zh: "登记表（号码已遮蔽）", title_en: "Registration forms (numbers masked)",
                                columns: ["campaign", "field", "answer", "at"],
                                rows: answers.map { [$0.title, $0.label_zh, $0.value, text($0.created_at)] }))
        struct Checkin: Decodable { var title: String; var local_date: String }
        let checkins = try await db.sql.raw("""
            SELECT c.title, k.local_date FROM campaign_checkins k JOIN service_campaigns c ON c.id = k.campaign_id
            WHERE k.account_id = \(bind: me) ORDER BY k.local_date DESC LIMIT 1000
            """).all(decoding: Checkin.self)
        sections.append(Section(key: "checkins", title_zh: "打卡", title_en: "Check-ins", columns: ["campaign", "date"],
                                rows: checkins.map { [$0.title, $0.local_date] }))
        struct Case: Decodable { var number: String; var title: String; var state: String; var reported_at: Date? }
        let cases = try await db.sql.raw("""
            SELECT number, title, state, reported_at FROM cases WHERE submitter_account_id = \(bind: me) ORDER BY reported_at DESC LIMIT 500
            """).all(decoding: Case.self)
        sections.append(Section(key: "cases", title_zh: "留言与诉求", title_en: "Messages and requests", columns: ["number", "title", "state", "reported_at"],
                                rows: cases.map { [$0.number, $0.title, $0.state, text($0.reported_at)] }))
        struct Topic: Decodable { var title: String; var status: String; var created_at: Date }
        let topics = try await db.sql.raw("""
            SELECT title, status, created_at FROM topics WHERE proposed_by = \(bind: me) ORDER BY created_at DESC LIMIT 500
            """).all(decoding: Topic.self)
        struct Comment: Decodable { var title: String; var body: String; var status: String; var created_at: Date }
        let comments = try await db.sql.raw("""
            SELECT t.title, c.body, c.status, c.created_at FROM topic_comments c JOIN topics t ON t.id = c.topic_id
            WHERE c.account_id = \(bind: me) ORDER BY c.created_at DESC LIMIT 500
            """).all(decoding: Comment.self)
        sections.append(Section(key: "topics", title_zh: "议题与评论", title_en: "Topics and comments", columns: ["topic", "text", "status", "at"],
                                rows: topics.map { [$0.title, "", $0.status, DisplayTime.format($0.created_at)] }
                                    + comments.map { [$0.title, $0.body, $0.status, DisplayTime.format($0.created_at)] }))
        struct Movement: Decodable { var unit: String; var amount: Int64; var memo: String; var created_at: Date }
        let ledger = try await db.sql.raw("""
            SELECT a.unit, m.amount, t.memo, m.created_at FROM ledger_movements m JOIN ledger_accounts a ON a.id = m.ledger_account_id
            JOIN ledger_transfers t ON t.id = m.transfer_id WHERE a.account_id = \(bind: me) ORDER BY m.created_at DESC LIMIT 1000
            """).all(decoding: Movement.self)
        sections.append(Section(key: "time_bank", title_zh: "时间银行与积分", title_en: "Time bank and points", columns: ["unit", "amount", "memo", "at"],
                                rows: ledger.map { [$0.unit, String($0.amount), $0.memo, DisplayTime.format($0.created_at)] }))
        let corrections = try await CorrectionRequests.mine(actor, on: db)
        sections.append(Section(key: "corrections", title_zh: "更正申请", title_en: "Correction requests",
                                columns: ["subject", "field", "requested", "status", "reply", "at"],
                                rows: corrections.map { [$0.subject, $0.field, $0.requested, $0.status, $0.reply ?? "", DisplayTime.format($0.created_at)] }))
        return Export(generated_at: now, username: actor.username, sections: sections)
    }
}
