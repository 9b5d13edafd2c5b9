import Foundation
import MinqingDomain
import Plot
import Vapor

/// The staff's week of a resource (see ServicesPages+Slots), one day at a time on a phone: each
/// slot with its state or booking and the actions it allows, then the generation form.
extension ServicesViews {
    struct WeekModel {
        var resource: ResourceRow
        var week: ServiceSlotWeek
        /// The day shown (inside the week) and today, local dates.
        var day: String
        var today: String
        var now: Date
        var error: AppError?
        /// The slot whose action failed, to show its reason and problem beside its field.
        var failedSlot: UUID?
        var values: [String: String]
        var flash: String?
        var created: Int?
    }

    static func weekFlash(_ code: String, created: Int?) -> T {
        switch code {
        case "generated": T("已生成 \(created ?? 0) 个新时段。", "\(created ?? 0) new slots generated.")
        case "opened": T("已按开放时间开放这一天。", "The day is open from the opening hours.")
        case "open": T("时段已重新开放。", "The slot is open again.")
        case "close": T("时段已关闭。", "The slot is closed.")
        case "block": T("时段已标为占用。", "The slot is blocked.")
        default: T("已处理。", "Done.")
        }
    }

    static func week(_ m: WeekModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        let r = m.resource
        let url = SiteURL.services(.resourceWeek(.value(r.id)))
        let first = (try? CivilDate(parsing: m.week.starts_on)) ?? CivilDate(m.now, in: .shanghai)
        let days = (0..<7).compactMap { try? first.adding(days: $0).iso8601 }
        let shown = m.week.slots.filter { $0.local_date == m.day }
        let counts = Dictionary(grouping: m.week.slots, by: \.local_date).mapValues(\.count)
        return Layout.render(
            ctx, title: T("\(r.name) · 时段管理", "\(r.name) · slots")(lang), status: status,
            .p(.a(.href(SiteURL.services(.resource(.value(r.id))).path.attributeSafe), .text(T("← \(r.name)", "← \(r.name)")(lang)))),
            .h1(.text(T("\(r.name) · 时段管理", "\(r.name) · slots")(lang))),
            .p(
                .class("muted"), .id("week-info"),
                .text(
                    T("开放时间：", "Opening hours: ")(lang) + r.opening_hours + " · " + T("每段 \(r.slot_minutes) 分钟", "\(r.slot_minutes) min a slot")(lang)
                        + (m.week.slots_through.map { " · " + T("时段已生成至 \($0)", "slots generated up to \($0)")(lang) } ?? ""))),
            PageParts.errorBox(m.error, lang, id: "slots-error"),
            .unwrap(m.flash) { code in
                .div(
                    .class("flash-ok"), .id("slots-done"), .attribute(named: "role", value: "status"),
                    .text(weekFlash(code, created: m.created)(lang)))
            },
            .nav(
                .class("subnav"), .id("week-nav"),
                .a(
                    .href(url.path([("date", (try? first.adding(days: -7).iso8601) ?? "")]).attributeSafe), .attribute(named: "rel", value: "prev"),
                    .text(T("‹ 上一周", "‹ Previous week")(lang))),
                .a(.href(url.path([("date", m.today)]).attributeSafe), .text(T("本周", "This week")(lang))),
                .a(
                    .href(url.path([("date", (try? first.adding(days: 7).iso8601) ?? "")]).attributeSafe), .attribute(named: "rel", value: "next"),
                    .text(T("下一周 ›", "Next week ›")(lang)))),
            dayLinks(days.map { OpenDay(date: $0, open: counts[$0] ?? 0) }, chosen: m.day, link: { url.path([("date", $0)]) }, lang: lang),
            .h2(.text(dayLabel(m.day, today: m.today, lang) + " · " + m.day)),
            shown.isEmpty ? emptyDay(m, ctx: ctx) : .ul(.class("rows"), .id("week-slots"), .forEach(shown) { managedSlot($0, m, ctx: ctx) }),
            generateForm(m, ctx: ctx))
    }

    /// A day without slots: say so, and (today or later) offer to open it from the opening hours.
    static func emptyDay(_ m: WeekModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        return .div(
            .id("week-slots"),
            .p(.class("muted"), .text(T("这一天没有时段（不开放，或为节假日）。", "No slots on this day (closed, or a holiday).")(lang))),
            .if(
                m.day >= m.today,
                .form(
                    .class("inline"), .method(.post), .action(SiteURL.services(.resourceGenerate(.value(m.resource.id))).path.attributeSafe),
                    Layout.csrfField(ctx.csrf), .input(.type(.hidden), .name("date"), .value(m.day.attributeSafe)),
                    .button(.type(.submit), .class("small"), .id("open-day"), .text(T("按开放时间开放这一天", "Open this day from the opening hours")(lang))))))
    }

    /// A slot as its managers see it, with the actions it allows.
    static func managedSlot(_ s: ManagedSlotRow, _ m: WeekModel, ctx: PageContext) -> Node<HTML.ListContext> {
        let lang = ctx.lang
        let action = { (a: SlotService.Action) in SiteURL.services(.slotAction(.value(s.id), .value(a.rawValue))).path }
        let key = s.id.uuidString
        let state: Node<HTML.BodyContext> =
            switch s.state {
            case .open: .span(.class("badge ok"), .text(T("可预约", "Open")(lang)))
            case .closed: .span(.class("badge"), .text(T("已关闭", "Closed")(lang)))
            case .blocked: .span(.class("badge bad"), .text(T("已占用：", "Blocked: ")(lang) + (s.reason ?? "")))
            }
        let booking: Node<HTML.BodyContext> = .unwrap(s.booking_status) { status in
            .group(
                .br(),
                .span(
                    .class("muted"), .id("booking-of-\(key)".attributeSafe),
                    .text(
                        T("预约：", "Booked: ")(lang) + (s.booker_name ?? "") + ((s.organisation ?? "").isEmpty ? "" : " · \(s.organisation ?? "")")
                            + " · " + T("\(s.attendees ?? 1) 人", "\(s.attendees ?? 1) people")(lang) + " · " + ServicesViews.status(status, lang))))
        }
        let actions: Node<HTML.BodyContext>
        if s.starts_at <= m.now {
            actions = .span(.class("muted"), .text(T("已开始", "Begun")(lang)))
        } else if s.booking_id != nil {
            actions = .span(.class("muted"), .text(T("已有预约，不能关闭或占用", "Booked: cannot be closed or blocked")(lang)))
        } else {
            actions = .div(
                .class("actions"),
                .if(s.state != .open, button(action(.open), T("重新开放", "Open"), id: "open-\(key)", ctx: ctx)),
                .if(s.state != .closed, button(action(.close), T("关闭", "Close"), id: "close-\(key)", ctx: ctx)),
                .if(s.state != .blocked, blockForm(s, m, ctx: ctx)))
        }
        return .li(
            .class("slot"), .id("slot-\(key)".attributeSafe),
            .strong(.text(LocalTime.span(s.starts_at, s.ends_at))), .text(" "), state, booking, actions)
    }

    /// Block a slot with a reason (活动占用); open when it came back with a problem.
    static func blockForm(_ s: ManagedSlotRow, _ m: WeekModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let key = s.id.uuidString
        let failed = m.failedSlot == s.id
        return .details(
            .attribute(named: "open", value: failed ? "open" : ""),
            .summary(.text(T("占用…", "Block…")(lang))),
            .form(
                .class("stack"), .method(.post), .action(SiteURL.services(.slotAction(.value(s.id), .value("block"))).path.attributeSafe),
                Layout.csrfField(ctx.csrf),
                .label(.for("reason-\(key)".attributeSafe), .text(T("占用原因（如 活动占用）", "Why it is taken (e.g. 活动占用, an event)")(lang))),
                .input(
                    .type(.text), .id("reason-\(key)".attributeSafe), .name("reason"), .attribute(named: "maxlength", value: "60"),
                    .value((failed ? m.values["reason"] ?? "" : "").attributeSafe)),
                PageParts.fieldError(failed ? m.error : nil, "reason", lang: lang),
                .button(.type(.submit), .class("small"), .id("block-\(key)".attributeSafe), .text(T("标为占用", "Block")(lang)))))
    }

    /// Generate the slots of the next weeks from the opening hours (slots already there stay).
    static func generateForm(_ m: WeekModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let failed = m.failedSlot == nil ? m.error : nil
        return .group(
            .h2(.text(T("生成时段", "Generate slots")(lang))),
            .form(
                .class("stack"), .id("generate-form"), .method(.post),
                .action(SiteURL.services(.resourceGenerate(.value(m.resource.id))).path.attributeSafe), Layout.csrfField(ctx.csrf),
                .p(
                    .class("hint"),
                    .text(
                        T(
                            "按开放时间生成今后几周的时段；已有的时段（包括已关闭、已占用的）保持不变。只在工作日开放的资源，节假日不生成。",
                            "Makes the slots of the coming weeks from the opening hours; slots already there (closed or blocked ones too) stay as they are. Resources open on working days only get none on public holidays."
                        )(lang))),
                .label(.for("weeks"), .text(T("周数（1–12）", "Weeks (1–12)")(lang))),
                .input(
                    .type(.number), .id("weeks"), .name("weeks"), .attribute(named: "min", value: "1"), .attribute(named: "max", value: "12"),
                    .attribute(named: "inputmode", value: "numeric"),
                    .value((m.values["weeks"].flatMap { $0.isEmpty ? nil : $0 } ?? "4").attributeSafe)),
                PageParts.fieldError(failed, "weeks", "date", lang: lang),
                .button(.type(.submit), .id("generate"), .text(T("生成时段", "Generate slots")(lang)))))
    }
}
