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

        if let a = try await PersonalDataQueries.account(me, on: db) {
            sections.append(
                Section(
                    key: "account", title_zh: "账号", title_en: "Account",
                    columns: ["username", "display_name", "role", "scope", "created_at", "last_login_at"],
                    rows: [
                        [
                            a.username, a.display_name, a.role.nameZH, "\(actor.scope.rootName) (\(actor.scope.rootCode))",
                            text(a.created_at), text(a.last_login_at)
                        ]
                    ]))
        }
        let since = Int64((now.timeIntervalSince1970 - Double(historyDays) * 86_400) * 1000)
        let events = try await PersonalDataQueries.accountEvents(of: me, since: since, on: db)
        sections.append(
            Section(
                key: "account_events", title_zh: "登录与账号记录（近 \(historyDays) 天）", title_en: "Sign-ins and account events (last \(historyDays) days)",
                columns: ["action", "at", "address"],
                rows: events.map { [$0.action, DisplayTime.format(milliseconds: $0.at_ms), $0.client_address ?? ""] }))

        if let h = try await PersonalDataQueries.household(of: me, on: db) {
            sections.append(
                Section(
                    key: "household", title_zh: "户", title_en: "Household", columns: ["address", "building_group"],
                    rows: [[h.address, "\(h.name) (\(h.code))"]]))
            let members = try await PersonalDataQueries.currentMembers(of: h.id, on: db)
            sections.append(
                Section(
                    key: "members", title_zh: "户内成员（号码已遮蔽）", title_en: "Household members (numbers masked)",
                    columns: ["name", "relation", "sex", "birth_year", "id_number", "phone", "residence"],
                    rows: members.map { m in
                        [
                            m.name, m.relation.nameZH, m.sex.labelZH,
                            String(m.birth_date.prefix(4)), m.id_masked, m.phone_masked ?? "",
                            m.residence_status.nameZH
                        ]
                    }))
        }
        let visits = try await PersonalDataQueries.visitBookings(of: me, on: db)
        sections.append(
            Section(
                key: "visit_bookings", title_zh: "预约走访", title_en: "Visit bookings", columns: ["starts_at", "place", "status", "booked_at"],
                rows: visits.map { [DisplayTime.format($0.starts_at), $0.place, $0.status.rawValue, text($0.created_at)] }))
        let spaces = try await PersonalDataQueries.spaceBookings(of: me, on: db)
        sections.append(
            Section(
                key: "space_bookings", title_zh: "预约空间", title_en: "Space bookings",
                columns: ["resource", "starts_at", "purpose", "attendees", "status"],
                rows: spaces.map { [$0.name, DisplayTime.format($0.starts_at), $0.purpose, String($0.attendees), $0.status.rawValue] }))
        let reservations = try await PersonalDataQueries.reservations(of: me, on: db)
        sections.append(
            Section(
                key: "reservations", title_zh: "预约领取", title_en: "Reservations", columns: ["campaign", "quantity", "at"],
                rows: reservations.map { [$0.title, String($0.quantity), text($0.created_at)] }))
        let answers = try await PersonalDataQueries.registrationAnswers(of: me, on: db)
        sections.append(
            Section(
                key: "registrations", title_zh: "登记表（号码已遮蔽）", title_en: "Registration forms (numbers masked)",
                columns: ["campaign", "field", "answer", "at"],
                rows: answers.map { [$0.title, $0.label_zh, $0.value, text($0.created_at)] }))
        let checkins = try await PersonalDataQueries.checkins(of: me, on: db)
        sections.append(
            Section(
                key: "checkins", title_zh: "打卡", title_en: "Check-ins", columns: ["campaign", "date"],
                rows: checkins.map { [$0.title, $0.local_date] }))
        let cases = try await PersonalDataQueries.cases(of: me, on: db)
        sections.append(
            Section(
                key: "cases", title_zh: "留言与诉求", title_en: "Messages and requests", columns: ["number", "title", "state", "reported_at"],
                rows: cases.map { [$0.number, $0.title, $0.state.rawValue, text($0.reported_at)] }))
        let topics = try await PersonalDataQueries.topics(of: me, on: db)
        let comments = try await PersonalDataQueries.comments(of: me, on: db)
        sections.append(
            Section(
                key: "topics", title_zh: "议题与评论", title_en: "Topics and comments", columns: ["topic", "text", "status", "at"],
                rows: topics.map { [$0.title, "", $0.status.rawValue, DisplayTime.format($0.created_at)] }
                    + comments.map { [$0.title, $0.body, $0.status.rawValue, DisplayTime.format($0.created_at)] }))
        let ledger = try await PersonalDataQueries.ledgerMovements(of: me, on: db)
        sections.append(
            Section(
                key: "time_bank", title_zh: "时间银行与积分", title_en: "Time bank and points", columns: ["unit", "amount", "memo", "at"],
                rows: ledger.map { [$0.unit.rawValue, String($0.amount), $0.memo, DisplayTime.format($0.created_at)] }))
        let corrections = try await CorrectionRequests.mine(actor, on: db)
        sections.append(
            Section(
                key: "corrections", title_zh: "更正申请", title_en: "Correction requests",
                columns: ["subject", "field", "requested", "status", "reply", "at"],
                rows: corrections.map {
                    [$0.subject, $0.field, $0.requested, $0.status.rawValue, $0.reply ?? "", DisplayTime.format($0.created_at)]
                }))
        return Export(generated_at: now, username: actor.username, sections: sections)
    }
}
