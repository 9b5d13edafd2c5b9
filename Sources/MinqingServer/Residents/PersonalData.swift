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
        /// Keys of the columns (stable, for programs reading the download).
        var columns: [String]
        /// The columns' headings in the reader's language.
        var headers: [String]
        /// Values as the reader reads them: states and vocabulary in their language.
        var rows: [[String]]

        /// A section whose columns are (key, 中文, English), headed in `lang`.
        init(key: String, title_zh: String, title_en: String, columns: [(String, String, String)], lang: Lang, rows: [[String]]) {
            self.key = key
            self.title_zh = title_zh
            self.title_en = title_en
            self.columns = columns.map(\.0)
            self.headers = columns.map { lang == .zh ? $0.1 : $0.2 }
            self.rows = rows
        }
    }

    struct Export: Content {
        var generated_at: Date
        var username: String
        var sections: [Section]
    }

    /// Sign-ins and account events kept this far back (the audit trail keeps everything; the
    /// copy shows what a person can use).
    static let historyDays = 180

    static func collect(for actor: Actor, lang: Lang, now: Date, on db: any Database) async throws -> Export {
        var sections: [Section] = []
        let me = actor.accountID
        let zh = lang == .zh
        func text(_ date: Date?) -> String { date.map { DisplayTime.format($0) } ?? "" }

        if let a = try await PersonalDataQueries.account(me, on: db) {
            sections.append(
                Section(
                    key: "account", title_zh: "账号", title_en: "Account",
                    columns: [
                        ("username", "用户名", "Username"), ("display_name", "姓名", "Name"), ("role", "角色", "Role"), ("scope", "管辖范围", "Scope"),
                        ("created_at", "开通时间", "Created"), ("last_login_at", "上次登录", "Last sign-in")
                    ], lang: lang,
                    rows: [
                        [
                            a.username, a.display_name, zh ? a.role.nameZH : a.role.nameEN, "\(actor.scope.rootName) (\(actor.scope.rootCode))",
                            text(a.created_at), text(a.last_login_at)
                        ]
                    ]))
        }
        let since = Int64((now.timeIntervalSince1970 - Double(historyDays) * 86_400) * 1000)
        let events = try await PersonalDataQueries.accountEvents(of: me, since: since, on: db)
        sections.append(
            Section(
                key: "account_events", title_zh: "登录与账号记录（近 \(historyDays) 天）", title_en: "Sign-ins and account events (last \(historyDays) days)",
                columns: [("action", "记录", "Event"), ("at", "时间", "When"), ("address", "来源地址", "From address")], lang: lang,
                rows: events.map { [AuditActions.name($0.action, zh: zh), DisplayTime.format(milliseconds: $0.at_ms), $0.client_address ?? ""] }))

        if let h = try await PersonalDataQueries.household(of: me, on: db) {
            sections.append(
                Section(
                    key: "household", title_zh: "户", title_en: "Household",
                    columns: [("address", "地址", "Address"), ("building_group", "楼组", "Building group")], lang: lang,
                    rows: [[h.address, "\(h.name) (\(h.code))"]]))
            let members = try await PersonalDataQueries.currentMembers(of: h.id, on: db)
            sections.append(
                Section(
                    key: "members", title_zh: "户内成员（号码已遮蔽）", title_en: "Household members (numbers masked)",
                    columns: [
                        ("name", "姓名", "Name"), ("relation", "与户主关系", "Relation"), ("sex", "性别", "Sex"), ("birth_year", "出生年份", "Born"),
                        ("id_number", "身份证号码", "ID number"), ("phone", "手机号码", "Mobile"), ("residence", "居住状态", "Residence")
                    ], lang: lang,
                    rows: members.map { m in
                        [
                            m.name, zh ? m.relation.nameZH : m.relation.nameEN, zh ? m.sex.labelZH : m.sex.labelEN,
                            String(m.birth_date.prefix(4)), m.id_masked, m.phone_masked ?? "",
                            zh ? m.residence_status.nameZH : m.residence_status.nameEN
                        ]
                    }))
        }
        let visits = try await PersonalDataQueries.visitBookings(of: me, on: db)
        sections.append(
            Section(
                key: "visit_bookings", title_zh: "预约走访", title_en: "Visit bookings",
                columns: [("starts_at", "时间", "When"), ("place", "地点", "Place"), ("status", "状态", "Status"), ("booked_at", "预约于", "Booked")],
                lang: lang,
                rows: visits.map { [DisplayTime.format($0.starts_at), $0.place, VisitsViews.status($0.status, lang), text($0.created_at)] }))
        let spaces = try await PersonalDataQueries.spaceBookings(of: me, on: db)
        sections.append(
            Section(
                key: "space_bookings", title_zh: "预约空间", title_en: "Space bookings",
                columns: [
                    ("resource", "空间", "Space"), ("starts_at", "时间", "When"), ("purpose", "用途", "Purpose"), ("attendees", "人数", "People"),
                    ("status", "状态", "Status")
                ], lang: lang,
                rows: spaces.map {
                    [$0.name, DisplayTime.format($0.starts_at), $0.purpose, String($0.attendees), ServicesViews.status($0.status, lang)]
                }))
        let reservations = try await PersonalDataQueries.reservations(of: me, on: db)
        sections.append(
            Section(
                key: "reservations", title_zh: "预约领取", title_en: "Reservations",
                columns: [("campaign", "活动", "Campaign"), ("quantity", "数量", "Quantity"), ("at", "时间", "When")], lang: lang,
                rows: reservations.map { [$0.title, String($0.quantity), text($0.created_at)] }))
        let answers = try await PersonalDataQueries.registrationAnswers(of: me, on: db)
        sections.append(
            Section(
                key: "registrations", title_zh: "登记表（号码已遮蔽）", title_en: "Registration forms (numbers masked)",
                columns: [("campaign", "活动", "Campaign"), ("field", "项目", "Item"), ("answer", "填写内容", "Answer"), ("at", "时间", "When")], lang: lang,
                rows: answers.map { [$0.title, zh || $0.label_en.isEmpty ? $0.label_zh : $0.label_en, $0.value, text($0.created_at)] }))
        let checkins = try await PersonalDataQueries.checkins(of: me, on: db)
        sections.append(
            Section(
                key: "checkins", title_zh: "打卡", title_en: "Check-ins", columns: [("campaign", "活动", "Campaign"), ("date", "日期", "Date")], lang: lang,
                rows: checkins.map { [$0.title, $0.local_date] }))
        let cases = try await PersonalDataQueries.cases(of: me, on: db)
        sections.append(
            Section(
                key: "cases", title_zh: "留言与诉求", title_en: "Messages and requests",
                columns: [("number", "编号", "Number"), ("title", "标题", "Title"), ("state", "状态", "State"), ("reported_at", "提交时间", "Sent")],
                lang: lang,
                rows: cases.map { [$0.number, $0.title, zh ? $0.state.nameZH : $0.state.nameEN, text($0.reported_at)] }))
        let topics = try await PersonalDataQueries.topics(of: me, on: db)
        let comments = try await PersonalDataQueries.comments(of: me, on: db)
        sections.append(
            Section(
                key: "topics", title_zh: "议题与评论", title_en: "Topics and comments",
                columns: [("topic", "议题", "Topic"), ("text", "评论", "Comment"), ("status", "状态", "Status"), ("at", "时间", "When")], lang: lang,
                rows: topics.map { [$0.title, "", zh ? $0.status.nameZH : $0.status.nameEN, DisplayTime.format($0.created_at)] }
                    + comments.map { [$0.title, $0.body, zh ? $0.status.nameZH : $0.status.nameEN, DisplayTime.format($0.created_at)] }))
        let ledger = try await PersonalDataQueries.ledgerMovements(of: me, on: db)
        sections.append(
            Section(
                key: "time_bank", title_zh: "时间银行与积分", title_en: "Time bank and points",
                columns: [("unit", "单位", "Unit"), ("amount", "数量", "Amount"), ("memo", "说明", "Note"), ("at", "时间", "When")], lang: lang,
                rows: ledger.map { [zh ? $0.unit.nameZH : $0.unit.nameEN, String($0.amount), $0.memo, DisplayTime.format($0.created_at)] }))
        let corrections = try await CorrectionRequests.mine(actor, on: db)
        let correctionColumns = [
            ("subject", "关于", "About"), ("field", "项目", "Item"), ("requested", "应为", "Should be"), ("status", "状态", "Status"),
            ("reply", "答复", "Reply"), ("at", "时间", "When")
        ]
        sections.append(
            Section(
                key: "corrections", title_zh: "更正申请", title_en: "Correction requests",
                columns: correctionColumns, lang: lang,
                rows: corrections.map {
                    [
                        $0.subject, CorrectionRequests.Field(rawValue: $0.field).map { zh ? $0.nameZH : $0.nameEN } ?? $0.field, $0.requested,
                        $0.status.name(lang), $0.reply ?? "", DisplayTime.format($0.created_at)
                    ]
                }))
        return Export(generated_at: now, username: actor.username, sections: sections)
    }
}
