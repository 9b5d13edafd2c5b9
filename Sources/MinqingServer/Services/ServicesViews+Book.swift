import Foundation
import MinqingDomain
import Plot
import Vapor

/// 约空间 on a phone: what one may book on the coming days (a day at a time, by category, a page
/// of resources each with its open times), the past bookings folded away, every resource folded
/// away, and a resource's day with the booking form.
extension ServicesViews {
    static let weekdaysZH = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
    static let weekdaysEN = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// `今天`, `明天`, or `11-20 周五` (`Today`, `Tomorrow`, `Fri 11-20`).
    static func dayLabel(_ iso: String, today: String, _ lang: Lang) -> String {
        guard let date = try? CivilDate(parsing: iso), let first = try? CivilDate(parsing: today) else { return iso }
        switch date.daysSince1970 - first.daysSince1970 {
        case 0: return T("今天", "Today")(lang)
        case 1: return T("明天", "Tomorrow")(lang)
        default:
            let monthDay = String(iso.dropFirst(5))
            return lang == .zh ? "\(monthDay) \(weekdaysZH[date.isoWeekday - 1])" : "\(weekdaysEN[date.isoWeekday - 1]) \(monthDay)"
        }
    }

    /// `HH:mm` of an instant in Shanghai.
    static func clock(_ date: Date) -> String { String(LocalTime.value(date).suffix(5)) }

    /// The coming seven days as links, the chosen one marked, each with its number of open slots.
    static func dayLinks(_ days: [OpenDay], chosen: String, link: (String) -> String, lang: Lang) -> Node<HTML.BodyContext> {
        let today = days.first?.date ?? chosen
        return .nav(
            .class("subnav"), .id("days"), .attribute(named: "aria-label", value: T("日期", "Days")(lang)),
            .forEach(days) { day in
                .a(
                    .href(link(day.date).attributeSafe), .id("day-\(day.date)".attributeSafe), .if(day.date == chosen, .class("active")),
                    .if(day.date == chosen, .attribute(named: "aria-current", value: "date")),
                    .text(dayLabel(day.date, today: today, lang) + (day.open > 0 ? " · \(day.open)" : "")))
            })
    }

    /// What one may book: the day, the category, then the resources with open times.
    static func availableSection(_ open: OpenSlotsView, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        func home(day: String, category: String?, page: Int = 1) -> String {
            SiteURL.services(.index).path([("day", day), ("category", category ?? ""), ("page", page > 1 ? String(page) : "")])
        }
        return .section(
            .id("available"),
            .h2(.text(T("现在可以预约", "Book a space")(lang))),
            dayLinks(open.days, chosen: open.date, link: { home(day: $0, category: open.category) }, lang: lang),
            .if(
                open.categories.count > 1,
                .nav(
                    .class("subnav"), .id("categories"), .attribute(named: "aria-label", value: T("类别", "Categories")(lang)),
                    .a(
                        .href(home(day: open.date, category: nil).attributeSafe), .if(open.category == nil, .class("active")),
                        .text(T("全部", "All")(lang))),
                    .forEach(open.categories) { c in
                        .a(.href(home(day: open.date, category: c).attributeSafe), .if(open.category == c, .class("active")), .text(c))
                    })),
            open.resources.isEmpty
                ? .p(.class("muted"), .id("open-slots"), .text(T("这一天没有可预约的时段，换一天看看。", "Nothing to book on this day; try another.")(lang)))
                : .ul(.class("rows"), .id("open-slots"), .forEach(open.resources) { openResource($0, date: open.date, lang: lang) }),
            PageParts.pager(id: "open-pager", page: open.page, pageSize: open.page_size, total: open.total, lang: lang) { n in
                home(day: open.date, category: open.category, page: n)
            })
    }

    /// A resource with open times on the day: its first six times link to its day, where one books.
    static func openResource(_ r: OpenResourceRow, date: String, lang: Lang) -> Node<HTML.ListContext> {
        let page = SiteURL.services(.resource(.value(r.id))).path([("date", date)])
        return .li(
            .class("open-resource"),
            .a(.href(page.attributeSafe), .id("open-\(r.id.uuidString)".attributeSafe), .strong(.text(r.name))),
            .text(" · \(r.unit_name)"), .br(),
            .span(
                .class("muted"),
                .text("\(r.place) · " + T("容纳 \(r.capacity) 人 · 可约 \(r.open_count) 个时段", "up to \(r.capacity) · \(r.open_count) open")(lang))),
            .if(r.needs_approval, .span(.class("badge"), .text(T("需审批", "Approval needed")(lang)))),
            .div(
                .class("actions"),
                .forEach(Array(r.slots.prefix(6))) { slot in
                    .a(
                        .class("button small"),
                        .href((page + "#slot-" + clock(slot.starts_at).replacingOccurrences(of: ":", with: "")).attributeSafe),
                        .text(clock(slot.starts_at)))
                },
                .if(r.slots.count > 6, .a(.href(page.attributeSafe), .text(T("更多…", "More…")(lang))))))
    }

    /// Past bookings (staff: those handled), folded; open when paging through them.
    static func pastBookings(_ m: HomeModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        return .if(
            m.pastTotal > 0,
            .details(
                .id("past-bookings"), .attribute(named: "open", value: m.pastPage > 1 ? "open" : ""),
                .summary(
                    .text(
                        (m.staff
                            ? T("已处理的预约（\(m.pastTotal)）", "Handled bookings (\(m.pastTotal))")
                            : T("过去的预约（\(m.pastTotal)）", "Past bookings (\(m.pastTotal))"))(lang))),
                .element(
                    named: "div",
                    nodes: [
                        bookingList(m.past, staff: m.staff, id: "past-list", empty: T("没有。", "None."), actions: false, ctx: ctx),
                        PageParts.pager(id: "past-pager", page: m.pastPage, pageSize: ServicesPages.pastPageSize, total: m.pastTotal, lang: lang) {
                            n in SiteURL.services(.index).path([("past", String(n))]) + "#past-bookings"
                        }
                    ])))
    }

    /// Every resource the caller sees, folded: residents browse them, staff reach each one's slots.
    static func allResources(_ m: HomeModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        return .details(
            .id("all-resources"),
            .summary(.text(T("全部共享资源（\(m.resources.count)）", "All shared resources (\(m.resources.count))")(lang))),
            m.resources.isEmpty
                ? .p(.class("muted"), .id("resources"), .text(T("暂无共享资源。", "No shared resources yet.")(lang)))
                : .ul(
                    .class("rows"), .id("resources"),
                    .forEach(m.resources) { r in
                        .li(
                            .a(
                                .href(SiteURL.services(.resource(.value(r.id))).path.attributeSafe), .id("resource-\(r.id.uuidString)".attributeSafe),
                                .strong(.text(r.name))),
                            .text(" · \(r.unit_name)"), .br(),
                            .span(
                                .class("muted"),
                                .text("\(r.category) / \(r.kind) · \(r.place) · " + T("容纳 \(r.capacity) 人", "up to \(r.capacity)")(lang))),
                            .if(r.needs_approval, .span(.class("badge"), .text(T("需审批", "Approval needed")(lang)))),
                            .if(
                                m.staff,
                                .div(
                                    .class("actions"),
                                    .a(
                                        .class("button small"), .id("week-\(r.id.uuidString)".attributeSafe),
                                        .href(SiteURL.services(.resourceWeek(.value(r.id))).path.attributeSafe),
                                        .text(T("时段管理", "Manage slots")(lang))))))
                    }))
    }
}
