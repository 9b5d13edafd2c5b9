import Foundation
import MinqingDomain
import Plot
import Vapor

/// The visit log's page models (plain values from the scoped queries) and views. Every value put
/// into an attribute goes through `attributeSafe`.
enum VisitsViews {
    static let title = T("民情日志", "Visit log")

    static func method(_ method: VisitMethod, _ lang: Lang) -> String { method.name(lang) }
    static func kind(_ kind: VisitKind, _ lang: Lang) -> String { kind.name(lang) }
    static func need(_ need: VisitNeed, _ lang: Lang) -> String { need.name(lang) }
    static func status(_ status: BookingStatus, _ lang: Lang) -> String { status.name(lang) }
    static func place(_ place: String, _ lang: Lang) -> String { DataNames.visitPlace(place, lang) }

    static func categoryName(_ code: String?, _ categories: [MustVisitQueries.CategoryRow], _ lang: Lang) -> String? {
        guard let code else { return nil }
        guard let row = categories.first(where: { $0.code == code }) else { return code }
        return lang == .zh ? row.name_zh : row.name_en
    }

    /// The visit log's own tabs, under the main navigation.
    static func subnav(_ ctx: PageContext) -> Node<HTML.BodyContext> {
        let items = [
            (SiteURL.visits(.index).path, T("今日", "Today")), (SiteURL.visits(.new).path, T("记走访", "Record")),
            (SiteURL.visits(.overdue).path, T("逾期", "Overdue")), (SiteURL.visits(.compliance).path, T("完成情况", "Compliance")),
            (SiteURL.visits(.slots).path, T("预约时段", "Slots")), (SiteURL.visits(.residents).path, T("居民关联户", "Residents")),
            (SiteURL.visits(.settings).path, T("设置", "Settings"))
        ]
        return .nav(
            .class("subnav"), .attribute(named: "aria-label", value: title(ctx.lang)),
            .forEach(items) { path, text in
                .a(.href(path), .text(text(ctx.lang)), .if(ctx.path == path, .class("active")))
            })
    }

    static func visitList(_ rows: [VisitListRow], id: String, lang: Lang) -> Node<HTML.BodyContext> {
        rows.isEmpty
            ? .p(.class("muted"), .id(id), .text(T("没有走访记录。", "No visits.")(lang)))
            : .ul(
                .class("rows"), .id(id),
                .forEach(rows) { row in
                    .li(
                        .a(.href(SiteURL.visits(.record(.value(row.id))).path.attributeSafe), .text(row.address)),
                        .if(
                            !row.outcome.countsAsVisit,
                            .group(.text(" "), .span(.class("badge bad outcome"), .text(row.outcome.name(lang))))),
                        .br(),
                        .span(
                            .class("muted"),
                            .text(
                                "\(LocalTime.short(row.visited_at)) · \(method(row.method, lang)) · \(kind(row.kind, lang)) · "
                                    + staffName(row.recorded_by_name, row.recorded_by_role, lang))))
                })
    }

    // MARK: today

    struct TodayModel {
        var today: CivilDate
        var isWorkingDay: Bool
        var quota: VisitSettingsService.QuotaRow?
        var mine: VisitPage
        /// Visits today that met the household (what the quota counts).
        var doneToday: Int
        var due: MustVisitQueries.Report
        var bookings: [BookingQueries.BookingRow]
    }

    static func today(_ m: TodayModel, ctx: PageContext) -> Response {
        let lang = ctx.lang
        let target: String = {
            guard let quota = m.quota else { return T("本角色没有走访指标", "No quota for this role")(lang) }
            if quota.period == .week {
                return T("指标：每周 \(quota.households) 户", "Quota: \(quota.households) a week")(lang)
            }
            return m.isWorkingDay
                ? T("指标：今天 \(quota.households) 户", "Quota: \(quota.households) today")(lang)
                : T("今天不是工作日", "Today is not a working day")(lang)
        }()
        return Layout.render(
            ctx, title: title(lang),
            subnav(ctx),
            .h1(.text(T("今日走访 · \(m.today.iso8601)", "Today's visits · \(m.today.iso8601)")(lang))),
            .div(
                .class("grid-cards"),
                .div(
                    .class("stat"), .id("today-done"), .div(.class("n"), .text("\(m.doneToday)")),
                    .div(.class("l"), .text(T("今天已走访", "Visited today")(lang)))),
                .div(.class("stat"), .div(.class("n"), .text("\(m.due.total)")), .div(.class("l"), .text(T("十必访待访", "Must-visits due")(lang))))),
            .p(.class("muted"), .id("today-quota"), .text(target)),
            .p(.a(.class("button"), .id("record-visit"), .href(SiteURL.visits(.new).path), .text(T("记一次走访", "Record a visit")(lang)))),
            .h2(.text(T("预约", "Bookings")(lang))),
            bookingList(m.bookings, staff: true, ctx: ctx, id: "today-bookings"),
            .h2(.text(T("十必访：今天该访", "Must-visits due")(lang))),
            dueList(m.due.items, counts: m.due.counts, id: "due-list", lang: lang),
            .h2(.text(T("我今天的走访", "My visits today")(lang))),
            visitList(m.mine.items, id: "my-visits", lang: lang))
    }

    static func dueList(_ rows: [MustVisitQueries.Row], counts: [MustVisitQueries.Count], id: String, lang: Lang) -> Node<HTML.BodyContext> {
        let names = Dictionary(counts.map { ($0.code, lang == .zh ? $0.name_zh : $0.name_en) }, uniquingKeysWith: { a, _ in a })
        return rows.isEmpty
            ? .p(.class("muted"), .id(id), .text(T("没有到期的十必访。", "Nothing due.")(lang)))
            : .ul(
                .class("rows"), .id(id),
                .forEach(rows) { row in
                    .li(
                        .a(.href(entryLink(row).attributeSafe), .text(row.address ?? "—")),
                        .text(" "), .span(.class("badge"), .text(names[row.category] ?? row.category)),
                        .if(
                            row.days_past_due > 0,
                            .group(
                                .text(" "), .span(.class("badge bad"), .text(T("逾期 \(row.days_past_due) 天", "\(row.days_past_due) days late")(lang))))
                        ),
                        .br(),
                        .span(
                            .class("muted"),
                            .text(
                                T(
                                    "上次走访：\(row.last_visit ?? "无") · 应访：\(row.due_date)",
                                    "Last visit: \(row.last_visit ?? "none") · due: \(row.due_date)")(lang))))
                })
    }

    /// The entry form for a household owed a 十必访 visit, its kind and category already chosen.
    static func entryLink(_ row: MustVisitQueries.Row) -> String {
        SiteURL.visits(.new).path(
            [("household", row.household_id.uuidString), ("kind", VisitKind.mustVisit.rawValue), ("category", row.category)])
    }

    // MARK: a visit

    static func visit(_ v: VisitDetail, saved: Bool, categories: [MustVisitQueries.CategoryRow], ctx: PageContext) -> Response {
        let lang = ctx.lang
        func fact(_ label: T, _ value: String, id: String) -> Node<HTML.TableContext> {
            .tr(.th(.text(label(lang))), .td(.id(id), .text(value)))
        }
        let kindText = [kind(v.kind, lang), categoryName(v.category, categories, lang)].compactMap { $0 }.joined(separator: " · ")
        return Layout.render(
            ctx, title: T("走访记录", "Visit")(lang),
            subnav(ctx),
            .if(
                saved,
                .div(
                    .class("flash-ok"), .id("visit-saved"), .attribute(named: "role", value: "status"),
                    .text(T("走访已保存。", "The visit is saved.")(lang)))),
            .h1(.text(T("走访记录", "Visit")(lang))),
            .div(
                .class("card table-wrap"),
                .table(
                    .id("visit"),
                    .tbody(
                        fact(T("时间", "When"), LocalTime.short(v.visited_at, year: true), id: "visit-when"),
                        fact(T("结果", "Outcome"), v.outcome.name(lang), id: "visit-outcome"),
                        fact(T("方式", "How"), method(v.method, lang), id: "visit-method"),
                        fact(T("类型", "Kind"), kindText, id: "visit-kind"),
                        fact(
                            T("走访人", "Visitors"), v.visitors.map { staffName($0.display_name, $0.role, lang) }.joined(separator: T("、", ", ")(lang)),
                            id: "visit-visitors"),
                        .tr(
                            .th(.text(T("户", "Households")(lang))),
                            .td(
                                .id("visit-households"),
                                .forEach(v.households) { h in
                                    .group(
                                        .a(.href(SiteURL.registry(.household(.value(HouseholdID(h.id)))).path.attributeSafe), .text(h.address)), .br()
                                    )
                                })),
                        fact(T("走访情况", "Summary"), v.summary.isEmpty ? "—" : v.summary, id: "visit-summary")))),
            .h2(.text(T("发现的诉求", "Needs found")(lang))),
            v.findings.isEmpty
                ? .p(.class("muted"), .text(T("无。", "None.")(lang)))
                : .ul(
                    .id("visit-findings"),
                    .forEach(v.findings) { f in
                        .li(
                            .text(need(f.need, lang)), .if(!f.note.isEmpty, .text("：\(f.note)")),
                            .if(
                                f.follow_up_kind == "help_request",
                                .group(.text(" "), .span(.class("badge ok"), .text(T("已转求助", "Filed as help request")(lang))))))
                    }),
            .h2(.text(T("更新的居民信息", "Register changes")(lang))),
            v.changes.isEmpty
                ? .p(.class("muted"), .text(T("无。", "None.")(lang)))
                : .ul(
                    .id("visit-changes"),
                    .forEach(v.changes) { c in
                        .li(
                            .a(.href(SiteURL.registry(.person(.value(PersonID(c.person_id)))).path.attributeSafe), .text(c.person_name)),
                            .text(" · "),
                            .text(changeText(c, lang)))
                    }))
    }

    static func changeText(_ c: VisitDetail.Change, _ lang: Lang) -> String {
        switch c.change {
        case "tag_added": T("新增标签 \(c.tag_code ?? "")", "tag added: \(c.tag_code ?? "")")(lang)
        case "tag_ended": T("结束标签 \(c.tag_code ?? "")", "tag ended: \(c.tag_code ?? "")")(lang)
        default: DataNames.detailChange(field: c.field, value: c.value, lang)
        }
    }

    // MARK: the overdue list

    static func overdue(_ r: MustVisitQueries.Report, category: String?, page: Int, pageSize: Int, ctx: PageContext) -> Response {
        let lang = ctx.lang
        return Layout.render(
            ctx, title: T("十必访逾期名单", "Overdue must-visits")(lang),
            subnav(ctx),
            .h1(.text(T("十必访逾期名单", "Overdue must-visits")(lang))),
            PageParts.table(
                id: "must-visit-counts",
                headers: [
                    .init(T("类别", "Category")(lang)), .num(T("频次", "Every")(lang)), .num(T("户数", "Households")(lang)),
                    .num(T("逾期", "Overdue")(lang))
                ],
                rows: r.counts
            ) { c in
                .tr(
                    .td(
                        .a(
                            .href(SiteURL.visits(.overdue).path([("category", c.code)]).attributeSafe),
                            .text(lang == .zh ? c.name_zh : c.name_en))),
                    .td(.class("num"), .text(T("\(c.frequency_days) 天", "\(c.frequency_days) d")(lang))),
                    .td(.class("num"), .text("\(c.households)")),
                    .td(.class("num"), .id("overdue-\(c.code)"), .text("\(c.overdue)")))
            },
            .if(
                !r.hidden.isEmpty,
                .p(
                    .class("muted"), .id("hidden-categories"),
                    .text(
                        T(
                            "含敏感标签的 \(r.hidden.count) 个类别不在您的权限内。",
                            "\(r.hidden.count) categories with sensitive tags are outside your role.")(lang)))),
            .h2(
                .text(
                    category == nil
                        ? T("逾期未访（\(r.total) 户次）", "Overdue (\(r.total))")(lang)
                        : T("本类逾期（\(r.total) 户）", "Overdue in this category (\(r.total))")(lang))),
            dueList(r.items, counts: r.counts, id: "overdue-list", lang: lang),
            PageParts.pager(id: "overdue-pager", page: page, pageSize: pageSize, total: r.total, lang: lang) { n in
                SiteURL.visits(.overdue).path([("category", category ?? ""), ("page", String(n))])
            })
    }
}
