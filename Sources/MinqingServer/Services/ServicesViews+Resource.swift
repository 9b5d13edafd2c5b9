import Foundation
import MinqingDomain
import Plot
import Vapor

/// A resource's page: its rules, the coming days, and one day's slots, each open one with a small
/// booking form (a failed booking comes back with what was typed and each problem beside its field).
extension ServicesViews {
    struct ResourceModel {
        var resource: ResourceRow
        var date: String
        var now: Date
        /// The coming seven days with how many slots of this resource the caller may book.
        var days: [OpenDay]
        var slots: [ServiceSlotRow]
        var booker: Bool
        var organisation: Bool
        var staff: Bool
        var error: AppError?
        /// A booking that failed, to show again at its slot.
        var form: ServicesPages.BookForm?
    }

    static func resource(_ m: ResourceModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        let r = m.resource
        let page = SiteURL.services(.resource(.value(r.id)))
        return Layout.render(
            ctx, title: r.name, status: status,
            .p(.a(.href(SiteURL.services(.index).path), .text(T("← 约空间", "← Spaces")(lang)))),
            .h1(.text(r.name)),
            PageParts.errorBox(m.error, lang, id: "booking-error"),
            .div(
                .class("card"), .id("resource-info"),
                .p(.text("\(r.unit_name) · \(r.category) / \(r.kind)")),
                .p(.text(T("地点：", "Place: ")(lang) + r.place + " · " + T("容纳 \(r.capacity) 人", "up to \(r.capacity) people")(lang))),
                .p(.text(T("开放时间：", "Opening hours: ")(lang) + r.opening_hours)),
                .if(!r.rules.isEmpty, .p(.text(T("使用规则：", "Rules: ")(lang) + r.rules))),
                .if(
                    m.staff,
                    .p(
                        .a(
                            .class("button small"), .id("manage-slots"),
                            .href(SiteURL.services(.resourceWeek(.value(r.id))).path([("date", m.date)]).attributeSafe),
                            .text(T("时段管理（开放、关闭、占用）", "Manage slots (open, close, block)")(lang)))))),
            dayLinks(m.days, chosen: m.date, link: { page.path([("date", $0)]) }, lang: lang),
            .form(
                .class("inline"), .method(.get), .action(page.path.attributeSafe),
                .label(.for("date"), .text(T("其他日期", "Another date")(lang))),
                .input(.id("date"), .name("date"), .type(.date), .value(m.date.attributeSafe)),
                .button(.type(.submit), .class("small"), .text(T("查看", "Show")(lang)))),
            .h2(.text(T("\(m.date) 的时段", "Slots on \(m.date)")(lang))),
            m.slots.isEmpty
                ? .p(.class("muted"), .id("slots"), .text(T("这一天没有开放的时段。", "No slots open on this day.")(lang)))
                : .ul(.class("rows"), .id("slots"), .forEach(m.slots) { slotRow($0, m, ctx: ctx) }))
    }

    /// Why a slot of the day cannot be booked, or nil when it can.
    static func slotBadge(_ slot: ServiceSlotRow, now: Date, _ lang: Lang) -> Node<HTML.BodyContext>? {
        if slot.starts_at <= now { return .span(.class("badge"), .text(T("已过", "Past")(lang))) }
        if slot.taken { return .span(.class("badge"), .text(T("已约满", "Taken")(lang))) }
        switch slot.state {
        case .open: return nil
        case .closed: return .span(.class("badge"), .text(T("不开放", "Closed")(lang)))
        case .blocked: return .span(.class("badge bad"), .text(T("已占用：", "Taken: ")(lang) + (slot.reason ?? "")))
        }
    }

    /// One slot of the day: its time, then why it cannot be booked, or the booking form.
    static func slotRow(_ slot: ServiceSlotRow, _ m: ResourceModel, ctx: PageContext) -> Node<HTML.ListContext> {
        let lang = ctx.lang
        let action: Node<HTML.BodyContext> =
            slotBadge(slot, now: m.now, lang) ?? (m.booker ? bookForm(slot, m, ctx: ctx) : .span(.class("badge ok"), .text(T("可预约", "Open")(lang))))
        return .li(
            .class("slot"), .id("slot-\(clock(slot.starts_at).replacingOccurrences(of: ":", with: ""))".attributeSafe),
            .strong(.text(LocalTime.span(slot.starts_at, slot.ends_at))), .text(" "), action)
    }

    /// The booking form of an open slot: organisation (when booking for one), purpose, people.
    static func bookForm(_ slot: ServiceSlotRow, _ m: ResourceModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let failed = m.form?.slot_id == slot.id ? m.form : nil
        let error = failed == nil ? nil : m.error
        let key = slot.id.uuidString
        return .form(
            .class("stack book"), .method(.post), .action(SiteURL.services(.bookings).path), Layout.csrfField(ctx.csrf),
            .input(.type(.hidden), .name("slot_id"), .value(key.attributeSafe)),
            .input(.type(.hidden), .name("resource_id"), .value(m.resource.id.uuidString.attributeSafe)),
            .input(.type(.hidden), .name("date"), .value(m.date.attributeSafe)),
            .if(
                m.organisation,
                .group(
                    .label(.for("organisation-\(key)".attributeSafe), .text(T("组织名称", "Organisation")(lang))),
                    .input(
                        .type(.text), .id("organisation-\(key)".attributeSafe), .name("organisation"), .attribute(named: "maxlength", value: "100"),
                        .value((failed?.organisation ?? "").attributeSafe)),
                    PageParts.fieldError(error, "organisation", lang: lang))),
            .label(.for("purpose-\(key)".attributeSafe), .text(T("用途（可选）", "Purpose (optional)")(lang))),
            .input(
                .type(.text), .id("purpose-\(key)".attributeSafe), .name("purpose"), .attribute(named: "maxlength", value: "200"),
                .value((failed?.purpose ?? "").attributeSafe)),
            PageParts.fieldError(error, "purpose", lang: lang),
            .label(.for("attendees-\(key)".attributeSafe), .text(T("人数", "People")(lang))),
            .input(
                .type(.number), .id("attendees-\(key)".attributeSafe), .name("attendees"), .attribute(named: "min", value: "1"),
                .attribute(named: "max", value: "\(m.resource.capacity)"), .attribute(named: "inputmode", value: "numeric"),
                .value((failed?.attendees ?? "1").attributeSafe)),
            PageParts.fieldError(error, "attendees", lang: lang),
            .button(.type(.submit), .id("book-\(key)".attributeSafe), .text(T("预约", "Book")(lang))))
    }
}
