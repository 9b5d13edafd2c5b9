import Foundation
import MinqingDomain
import Plot
import Vapor

/// Views of the services pages (see ServicesPages). Phone-first: one column of cards.
enum ServicesViews {
    static func status(_ status: ServiceBookingStatus, _ lang: Lang) -> String {
        switch status {
        case .requested: T("待审批", "Awaiting approval")(lang)
        case .approved: T("已预约", "Booked")(lang)
        case .rejected: T("未通过", "Rejected")(lang)
        case .cancelled: T("已取消", "Cancelled")(lang)
        case .attended: T("已使用", "Attended")(lang)
        case .noShow: T("爽约", "No-show")(lang)
        }
    }

    static func unitName(_ unit: TimeBankLedger.Unit, _ lang: Lang) -> String { unit.name(lang) }

    static func button(_ path: String, _ label: T, id: String, ctx: PageContext) -> Node<HTML.BodyContext> {
        .form(
            .class("inline"), .method(.post), .action(path.attributeSafe), Layout.csrfField(ctx.csrf),
            .button(.type(.submit), .class("small"), .id(id.attributeSafe), .text(label(ctx.lang))))
    }

    struct HomeModel {
        var staff: Bool
        var booker: Bool
        /// What the caller may book on the coming days (residents and organisations).
        var open: OpenSlotsView?
        var resources: [ResourceRow]
        /// Bookings to come (for staff: to handle), and a page of the past ones.
        var active: [ServiceBookingRow]
        var past: [ServiceBookingRow]
        var pastTotal: Int
        var pastPage: Int
        var activities: [VolunteerService.Row]
        var campaigns: [CampaignFigures]
        /// Open registration and check-in campaigns.
        var forms: [CampaignService.Listed]
        var ledger: MyLedger
        var error: AppError?
        var flash: String?
    }

    static func flashText(_ code: String) -> T {
        switch code {
        case "booked": T("预约已提交。", "Your booking is in.")
        case "signed": T("报名成功。", "You are signed up.")
        case "reserved": T("预约成功，请按时领取。", "Reserved; collect it at the pick-up place.")
        default: T("已处理。", "Done.")
        }
    }

    /// 约空间 first (what one may book, then one's bookings to come, the past ones folded), then
    /// limited-stock reservations, registrations and check-ins, volunteer activities, balances.
    static func home(_ m: HomeModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        return Layout.render(
            ctx, title: T("约空间与志愿服务", "Spaces and volunteering")(lang), status: status,
            .h1(.text(T("约空间与志愿服务", "Spaces and volunteering")(lang))),
            PageParts.errorBox(m.error, lang, id: "services-error"),
            .unwrap(m.flash) { code in
                .div(.class("flash-ok"), .id("services-done"), .attribute(named: "role", value: "status"), .text(flashText(code)(lang)))
            },
            .unwrap(m.open) { open in availableSection(open, ctx: ctx) },
            .h2(.id("bookings-title"), .text(m.staff ? T("待处理的预约", "Bookings to handle")(lang) : T("我的预约", "My bookings")(lang))),
            bookingList(
                m.active, staff: m.staff, id: "bookings",
                empty: m.staff ? T("没有待处理的预约。", "No bookings to handle.") : T("还没有要使用的预约。", "No bookings to come."), ctx: ctx),
            pastBookings(m, ctx: ctx),
            allResources(m, ctx: ctx),
            campaignsSection(m.campaigns, ctx: ctx),
            formsSection(m.forms, lang),
            activitiesSection(m, ctx: ctx),
            .h2(.text(T("我的余额", "My balances")(lang))),
            .ul(
                .class("rows"), .id("balances"),
                .forEach(m.ledger.balances) { b in
                    .li(
                        .text(unitName(b.unit, lang) + T("：", ": ")(lang)),
                        .strong(.class("balance-\(b.unit.rawValue)".attributeSafe), .text("\(b.balance)")))
                }),
            .p(
                .a(.href(SiteURL.services(.ledger).path), .id("my-ledger"), .text(T("时间银行明细与积分兑换 →", "Time bank: statement and rewards →")(lang))),
                .if(
                    m.staff,
                    .group(
                        .text(" · "),
                        .a(
                            .href(SiteURL.services(.ledgerPeople).path), .id("ledger-people"),
                            .text(T("居民与志愿者的时间银行 →", "Residents' and volunteers' time banks →")(lang)))))))
    }

    /// Limited-stock reservations serving the caller's home, with the reserve form while stock and the household limit allow.
    static func campaignsSection(_ campaigns: [CampaignFigures], ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        return .if(
            !campaigns.isEmpty,
            .group(
                .h2(.text(T("限量预约", "Limited-stock reservations")(lang))),
                .ul(
                    .class("rows"), .id("campaigns"),
                    .forEach(campaigns) { c in
                        .li(
                            .class("campaign"), .strong(.text(c.title)), .br(),
                            .span(
                                .class("muted"),
                                .text(
                                    T(
                                        "剩余 \(c.remaining)/\(c.stock_total) · 每户限 \(c.per_household_limit) · 我家已约 \(c.my_claimed ?? 0) · 领取：\(c.pickup_place)",
                                        "\(c.remaining)/\(c.stock_total) left · \(c.per_household_limit) per household · mine \(c.my_claimed ?? 0) · pick up: \(c.pickup_place)"
                                    )(lang))),
                            .if(
                                c.remaining > 0 && (c.my_claimed ?? 0) < c.per_household_limit,
                                .form(
                                    .class("inline"), .method(.post),
                                    .action(SiteURL.services(.campaignReserve(.value(c.id))).path.attributeSafe), Layout.csrfField(ctx.csrf),
                                    .input(
                                        .type(.number), .name("quantity"), .value("1"), .attribute(named: "min", value: "1"),
                                        .attribute(named: "max", value: "\(c.per_household_limit)"),
                                        .attribute(named: "aria-label", value: T("数量", "Quantity")(lang))),
                                    pickupSelect(c, lang),
                                    .button(
                                        .type(.submit), .class("small"), .id("reserve-\(c.id.uuidString)".attributeSafe),
                                        .text(T("预约", "Reserve")(lang))))))
                    })))
    }

    /// Open registration forms and daily check-ins.
    static func formsSection(_ forms: [CampaignService.Listed], _ lang: Lang) -> Node<HTML.BodyContext> {
        .if(
            !forms.isEmpty,
            .group(
                .h2(.text(T("登记与打卡", "Registrations and check-ins")(lang))),
                .ul(
                    .class("rows"), .id("forms"),
                    .forEach(forms) { c in
                        .li(
                            .a(
                                .href(SiteURL.services(.campaign(.value(c.id))).path.attributeSafe),
                                .id("campaign-\(c.id.uuidString)".attributeSafe), .strong(.text(c.title))), .text(" · " + kindName(c.kind, lang)))
                    })))
    }

    /// Volunteer activities not yet ended, with sign-up.
    static func activitiesSection(_ m: HomeModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        return .group(
            .h2(.text(T("志愿活动", "Volunteer activities")(lang))),
            m.activities.isEmpty
                ? .p(.class("muted"), .id("activities"), .text(T("暂无活动。", "No activities right now.")(lang)))
                : .ul(
                    .class("rows"), .id("activities"),
                    .forEach(m.activities) { a in
                        .li(
                            .class("activity"),
                            m.staff
                                ? .a(
                                    .href(SiteURL.services(.activity(.value(a.id))).path.attributeSafe),
                                    .id("activity-\(a.id.uuidString)".attributeSafe), .strong(.text(a.title)))
                                : .strong(.text(a.title)),
                            .text(" · \(a.team)"), .br(),
                            .span(
                                .class("muted"),
                                .text(
                                    "\(LocalTime.span(a.starts_at, a.ends_at)) · \(a.place) · "
                                        + T("已报名 \(a.signed_up)/\(a.capacity)", "\(a.signed_up)/\(a.capacity) signed up")(lang)
                                        + " · " + T("记 \(a.minutes) 分钟", "\(a.minutes) minutes credited")(lang))),
                            .div(
                                .class("actions"),
                                a.my_status.map { s in
                                    .span(
                                        .class("badge ok"), .id("activity-status-\(a.id.uuidString)".attributeSafe),
                                        .text(s == "checked_in" ? T("已签到", "Checked in")(lang) : T("已报名", "Signed up")(lang)))
                                }
                                    ?? (m.booker && a.signed_up < a.capacity
                                        ? button(
                                            SiteURL.services(.activitySignup(.value(a.id))).path, T("报名", "Sign up"), id: "signup-\(a.id.uuidString)",
                                            ctx: ctx)
                                        : .empty)))
                    }))
    }

    /// The pick-up slot choice of a reservation form (slots not yet full).
    static func pickupSelect(_ c: CampaignFigures, _ lang: Lang) -> Node<HTML.FormContext> {
        guard let slots = c.pickup_slots else { return .empty }
        let options: [Node<HTML.SelectContext>] = slots.filter { $0.taken < $0.capacity }.map { slot in
            let left = slot.capacity - slot.taken
            let label = "\(LocalTime.span(slot.starts_at, slot.ends_at)) · \(slot.place) · " + T("余 \(left)", "\(left) left")(lang)
            return .option(.value(slot.id.uuidString.attributeSafe), .label(label.attributeSafe))
        }
        return .select(
            .attribute(named: "name", value: "pickup_slot_id"), .id("pickup-\(c.id.uuidString)".attributeSafe),
            .attribute(named: "aria-label", value: T("领取时段", "Pick-up slot")(lang)), .group(options))
    }

    /// Bookings, each with the actions its state allows the caller.
    static func bookingList(
        _ rows: [ServiceBookingRow], staff: Bool, id: String, empty: T, actions: Bool = true, ctx: PageContext
    ) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        guard !rows.isEmpty else { return .p(.class("muted"), .id(id.attributeSafe), .text(empty(lang))) }
        return .ul(
            .class("rows"), .id(id.attributeSafe),
            .forEach(rows) { b in
                let url = { (action: ServicesService.Action) in SiteURL.services(.bookingAction(.value(b.id), .value(action.rawValue))).path }
                let state = b.status
                return .li(
                    .class("booking"), .id("booking-\(b.id.uuidString)".attributeSafe),
                    .strong(.text(b.resource_name)), .text(" · \(LocalTime.span(b.starts_at, b.ends_at)) "),
                    .span(.class("badge status"), .text(status(b.status, lang))),
                    .if(
                        staff,
                        .group(
                            .br(),
                            .span(.class("muted"), .text("\(b.booker_name)\(b.organisation.isEmpty ? "" : " · \(b.organisation)") · \(b.purpose)")))),
                    .if(
                        actions,
                        .div(
                            .class("actions"),
                            .if(
                                staff && state == .requested,
                                .group(
                                    button(url(.approve), T("通过", "Approve"), id: "approve-\(b.id)", ctx: ctx),
                                    button(url(.reject), T("不通过", "Reject"), id: "reject-\(b.id)", ctx: ctx))),
                            .if(
                                staff && state == .approved,
                                .group(
                                    button(url(.attended), T("已使用", "Attended"), id: "attended-\(b.id)", ctx: ctx),
                                    button(url(.noShow), T("爽约", "No-show"), id: "noshow-\(b.id)", ctx: ctx))),
                            .if(state == .requested || state == .approved, button(url(.cancel), T("取消", "Cancel"), id: "cancel-\(b.id)", ctx: ctx)))))
            })
    }
}
