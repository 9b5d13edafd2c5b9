import Foundation
import MinqingDomain
import Plot
import Vapor

/// 约走访 views: the staff's slots page (offer a slot, the slots offered, bookings to confirm,
/// move, cancel or record) and the resident's booking page (my household, open slots, my
/// bookings).
extension VisitsViews {
    /// A small form of one button (confirm, cancel, accept), with the CSRF token.
    static func action(_ url: SiteURL.Visits, _ label: T, id: String, ctx: PageContext) -> Node<HTML.BodyContext> {
        .form(
            .class("inline"), .method(.post), .action(SiteURL.visits(url).path.attributeSafe), Layout.csrfField(ctx.csrf),
            .button(.type(.submit), .class("small"), .id(id.attributeSafe), .text(label(ctx.lang))))
    }

    /// Bookings with what the viewer may do with each.
    static func bookingList(
        _ rows: [BookingQueries.BookingRow], staff: Bool, ctx: PageContext, id: String,
        proposals: [BookingQueries.SlotRow] = []
    ) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        guard !rows.isEmpty else { return .p(.class("muted"), .id(id), .text(T("没有预约。", "No bookings.")(lang))) }
        return .ul(
            .class("rows"), .id(id),
            .forEach(rows) { b in
                let active = BookingStatus.active.contains(b.status)
                return .li(
                    .class("booking"), .id("booking-\(b.id.uuidString)".attributeSafe),
                    .strong(.text(LocalTime.span(b.starts_at, b.ends_at))), .text(" · \(place(b.place, lang)) "),
                    .span(.class("badge status"), .text(status(b.status, lang))), .br(),
                    .span(
                        .class("muted"),
                        .text(
                            staff
                                ? "\(b.resident_name) · \(b.address ?? T("未关联户", "no household linked")(lang))"
                                : T("走访人：\(b.offered_by_name)", "Visitor: \(b.offered_by_name)")(lang))),
                    .if(
                        staff && b.household_id == nil,
                        .group(
                            .text(" "),
                            .a(
                                .href(SiteURL.visits(.resident(.value(b.resident))).path.attributeSafe),
                                .text(T("关联户", "Link a household")(lang))))),
                    .if(!b.note.isEmpty, .group(.br(), .span(.class("muted"), .text(T("留言：", "Note: ")(lang) + b.note)))),
                    .if(
                        active,
                        .div(
                            .class("actions"),
                            .if(
                                staff && b.status == .requested,
                                action(.bookingConfirm(.value(b.id)), T("确认", "Confirm"), id: "confirm-\(b.id)", ctx: ctx)),
                            .if(
                                staff && b.status != .proposed,
                                .a(
                                    .class("button small"), .href(SiteURL.visits(.new).path([("booking", b.id.uuidString)]).attributeSafe),
                                    .text(T("记录走访", "Record the visit")(lang)))),
                            .if(
                                !staff && b.status == .proposed,
                                action(.bookingAccept(.value(b.id)), T("接受新时间", "Accept the new time"), id: "accept-\(b.id)", ctx: ctx)),
                            action(.bookingCancel(.value(b.id)), T("取消", "Cancel"), id: "cancel-\(b.id)", ctx: ctx),
                            .if(staff && !proposals.isEmpty, proposeForm(b, proposals, ctx: ctx)))),
                    .unwrap(b.visit_id) { visit in
                        staff
                            ? .group(.br(), .a(.href(SiteURL.visits(.record(.value(visit))).path.attributeSafe), .text(T("走访记录", "The visit")(lang))))
                            : .empty
                    })
            })
    }

    private static func proposeForm(_ b: BookingQueries.BookingRow, _ open: [BookingQueries.SlotRow], ctx: PageContext) -> Node<HTML.BodyContext> {
        let options: [Node<HTML.SelectContext>] = open.filter { $0.id != b.slot_id }.map { slot in
            .option(
                .value(slot.id.uuidString.attributeSafe),
                .label("\(LocalTime.span(slot.starts_at, slot.ends_at)) · \(place(slot.place, ctx.lang))".attributeSafe))
        }
        return .form(
            .class("inline"), .method(.post), .action(SiteURL.visits(.bookingPropose(.value(b.id))).path.attributeSafe),
            Layout.csrfField(ctx.csrf),
            .select(
                .attribute(named: "name", value: "slot_id"), .attribute(named: "aria-label", value: T("改约到", "Move to")(ctx.lang)),
                .group(options)),
            .button(.type(.submit), .class("small"), .text(T("改约", "Propose")(ctx.lang))))
    }

    // MARK: staff: slots

    struct SlotsModel {
        var now: Date
        var slots: [BookingQueries.SlotRow]
        var bookings: [BookingQueries.BookingRow]
        var form: VisitsPages.SlotForm?
        var error: AppError?
        var mine: String
    }

    static func slots(_ m: SlotsModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        let open = m.slots.filter { $0.booking_id == nil && $0.offered_by == m.mine }
        let start = m.form?.starts_at ?? LocalTime.value(m.now.addingTimeInterval(86_400))
        let end = m.form?.ends_at ?? LocalTime.value(m.now.addingTimeInterval(86_400 + 3600))
        return Layout.render(
            ctx, title: T("预约时段", "Visit slots")(lang), status: status,
            subnav(ctx),
            .h1(.text(T("预约时段", "Visit slots")(lang))),
            PageParts.errorBox(m.error, lang, id: "visit-error"),
            .h2(.text(T("待处理的预约", "Bookings to handle")(lang))),
            bookingList(m.bookings, staff: true, ctx: ctx, id: "staff-bookings", proposals: open),
            .div(
                .class("card"),
                .h2(.text(T("开放一个时段", "Offer a slot")(lang))),
                .form(
                    .id("slot-form"), .class("stack"), .method(.post), .action(SiteURL.visits(.slots).path),
                    Layout.csrfField(ctx.csrf),
                    .label(.for("starts_at"), .text(T("开始", "Starts")(lang))),
                    .input(.id("starts_at"), .name("starts_at"), .type(.datetimeLocal), .value(start.attributeSafe), .required(true)),
                    .label(.for("ends_at"), .text(T("结束", "Ends")(lang))),
                    .input(.id("ends_at"), .name("ends_at"), .type(.datetimeLocal), .value(end.attributeSafe), .required(true)),
                    .label(.for("place"), .text(T("地点（留空为上门）", "Place (empty: at the resident's home)")(lang))),
                    .input(
                        .id("place"), .name("place"), .type(.text), .value((m.form?.place ?? "").attributeSafe),
                        .attribute(named: "maxlength", value: "100")),
                    .button(.type(.submit), .text(T("开放时段", "Offer")(lang))))),
            .h2(.text(T("已开放的时段", "Slots offered")(lang))),
            m.slots.isEmpty
                ? .p(.class("muted"), .id("slot-list"), .text(T("没有时段。", "No slots.")(lang)))
                : .ul(
                    .class("rows"), .id("slot-list"),
                    .forEach(m.slots) { slot in
                        .li(
                            .strong(.text(LocalTime.span(slot.starts_at, slot.ends_at))),
                            .text(" · \(place(slot.place, lang)) · \(slot.offered_by_name) "),
                            slot.booking_status.map { .span(.class("badge"), .text(VisitsViews.status($0, lang))) }
                                ?? .span(.class("badge ok"), .text(T("可预约", "Open")(lang))))
                    }))
    }

    // MARK: resident: booking

    struct BookingModel {
        var household: RegistryQueries.HouseholdRow?
        var open: [BookingQueries.SlotRow]
        var mine: [BookingQueries.BookingRow]
        var error: AppError?
        var booked: Bool
    }

    static func booking(_ m: BookingModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        return Layout.render(
            ctx, title: T("预约走访", "Book a visit")(lang), status: status,
            .h1(.text(T("预约走访", "Book a visit")(lang))),
            PageParts.errorBox(m.error, lang, id: "visit-error"),
            .if(
                m.booked,
                .div(
                    .class("flash-ok"), .id("booked"), .attribute(named: "role", value: "status"),
                    .text(T("已提交预约，等待社区工作人员确认。", "Booked; the community worker will confirm.")(lang)))),
            .div(
                .class("card"), .id("my-household"),
                .p(
                    .strong(.text(T("我家：", "My household: ")(lang))),
                    .text(m.household?.address ?? T("尚未关联户，请联系居委会。", "Not linked yet; ask the neighbourhood committee.")(lang)))),
            .h2(.text(T("我的预约", "My bookings")(lang))),
            bookingList(m.mine, staff: false, ctx: ctx, id: "my-bookings"),
            .h2(.text(T("可预约的时段", "Open slots")(lang))),
            m.open.isEmpty
                ? .p(.class("muted"), .id("open-slots"), .text(T("暂时没有可预约的时段。", "No open slots right now.")(lang)))
                : .ul(
                    .class("rows"), .id("open-slots"),
                    .forEach(m.open) { slot in
                        .li(
                            .class("slot"),
                            .strong(.text(LocalTime.span(slot.starts_at, slot.ends_at))), .text(" · \(place(slot.place, lang))"), .br(),
                            .span(.class("muted"), .text(T("走访人：\(slot.offered_by_name)", "Visitor: \(slot.offered_by_name)")(lang))),
                            .form(
                                .class("stack book"), .method(.post), .action(SiteURL.visits(.booking).path),
                                Layout.csrfField(ctx.csrf),
                                .input(.type(.hidden), .name("slot_id"), .value(slot.id.uuidString.attributeSafe)),
                                .input(
                                    .type(.text), .name("note"), .attribute(named: "aria-label", value: T("留言", "Note")(lang)),
                                    .attribute(named: "maxlength", value: "200"), .placeholder(T("想聊的事（可选）", "What about (optional)")(lang))),
                                .button(.type(.submit), .id("book-\(slot.id.uuidString)".attributeSafe), .text(T("预约这个时段", "Book this slot")(lang)))))
                    }))
    }
}
