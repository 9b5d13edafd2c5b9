import Foundation
import MinqingDomain
import Plot
import Vapor

/// The compliance dashboard (走访指标完成情况): pick a week, month or year; see the totals, each
/// team (residential area) and each person with what was required, done and missing. A year
/// with no holiday file is named at the top, since its figures count weekends only.
extension VisitsViews {
    static func compliance(
        _ r: ComplianceQueries.Report, kind: ComplianceQueries.PeriodKind, date: CivilDate, scope: GridScope,
        ctx: PageContext
    ) -> Response {
        let lang = ctx.lang
        return Layout.render(
            ctx, title: T("走访完成情况", "Visit compliance")(lang),
            subnav(ctx),
            .h1(.text(T("走访完成情况", "Visit compliance")(lang))),
            periodForm(kind: kind, date: date, scope: scope, lang: lang),
            .if(
                !r.years_without_calendar.isEmpty,
                .div(
                    .class("flash-error"), .id("calendar-warning"), .attribute(named: "role", value: "alert"),
                    .text(
                        T(
                            "注意：\(r.years_without_calendar.map(String.init).joined(separator: "、")) 年没有节假日文件，工作日只按周末计算。",
                            "Note: no holiday file for \(r.years_without_calendar.map(String.init).joined(separator: ", ")); working days count weekends only."
                        )(lang)))),
            .p(
                .class("muted"), .id("compliance-period"),
                .text(T("\(scope.rootName) · \(r.label) · \(r.from) 至 \(r.to)", "\(scope.rootName) · \(r.label) · \(r.from) to \(r.to)")(lang))),
            complianceTotals(r, lang),
            .h2(.text(T("按居民区", "By residential area")(lang))),
            complianceTeams(r, kind: kind, date: date, lang: lang),
            .h2(.text(T("按人员", "By person")(lang))),
            compliancePeople(r, lang))
    }

    /// The week, month or year to show, and a day in it.
    private static func periodForm(kind: ComplianceQueries.PeriodKind, date: CivilDate, scope: GridScope, lang: Lang) -> Node<HTML.BodyContext> {
        let periods: [Node<HTML.SelectContext>] = ComplianceQueries.PeriodKind.allCases.map { item in
            .option(.value(item.rawValue), .label(item.name(lang)), .isSelected(item == kind))
        }
        return .form(
            .id("period-form"), .class("stack inline-fields"), .method(.get), .action(SiteURL.visits(.compliance).path),
            .input(.type(.hidden), .name("node"), .value(scope.rootCode.attributeSafe)),
            .label(.for("period"), .text(T("周期", "Period")(lang))),
            .select(.attribute(named: "id", value: "period"), .attribute(named: "name", value: "period"), .group(periods)),
            .label(.for("date"), .text(T("日期", "Date")(lang))),
            .input(.id("date"), .name("date"), .type(.date), .value(date.iso8601)),
            .button(.type(.submit), .text(T("查看", "Show")(lang))))
    }

    /// People meeting their quota, households visited and households required.
    private static func complianceTotals(_ r: ComplianceQueries.Report, _ lang: Lang) -> Node<HTML.BodyContext> {
        .div(
            .class("grid-cards"), .id("compliance-totals"),
            .div(
                .class("stat"), .div(.class("n"), .id("total-met"), .text("\(r.people_met)/\(r.people_total)")),
                .div(.class("l"), .text(T("达标人数", "People meeting the quota")(lang)))),
            .div(
                .class("stat"), .div(.class("n"), .id("total-done"), .text(RegisterFormat.count(r.done))),
                .div(.class("l"), .text(T("已走访户次", "Households visited")(lang)))),
            .div(
                .class("stat"), .div(.class("n"), .id("total-required"), .text(RegisterFormat.count(r.required))),
                .div(.class("l"), .text(T("应走访户次", "Households required")(lang)))))
    }

    /// Each team (residential area): people meeting the quota, households required, done and short;
    /// the name opens the same period for that area.
    private static func complianceTeams(
        _ r: ComplianceQueries.Report, kind: ComplianceQueries.PeriodKind, date: CivilDate, lang: Lang
    ) -> Node<HTML.BodyContext> {
        PageParts.table(
            id: "compliance-teams",
            headers: [
                .init(T("居民区", "Area")(lang)), .num(T("达标", "Met")(lang)), .num(T("应访", "Req.")(lang)), .num(T("已访", "Done")(lang)),
                .num(T("缺口", "Short")(lang))
            ],
            rows: r.teams
        ) { t in
            .tr(
                .td(
                    .a(
                        .href(
                            SiteURL.visits(.compliance).path(
                                [
                                    ("node", t.code), ("period", kind.rawValue),
                                    ("date", date.iso8601)
                                ]
                            ).attributeSafe), .text(t.name))),
                .td(.class("num"), .text("\(t.people_met)/\(t.people)")), .td(.class("num"), .text(RegisterFormat.count(t.required))),
                .td(.class("num"), .text(RegisterFormat.count(t.done))), .td(.class("num"), .text(RegisterFormat.count(t.shortfall))))
        }
    }

    /// Each person: households required and done, and the days or weeks in which the quota was met.
    private static func compliancePeople(_ r: ComplianceQueries.Report, _ lang: Lang) -> Node<HTML.BodyContext> {
        func badge(_ met: Bool) -> Node<HTML.BodyContext> {
            met ? .span(.class("badge ok"), .text(T("达标", "Met")(lang))) : .span(.class("badge bad"), .text(T("未达标", "Short")(lang)))
        }
        func quota(_ p: ComplianceQueries.PersonRow) -> String {
            p.quota_period == .week
                ? T("每周 \(p.quota_households) 户", "\(p.quota_households)/week")(lang)
                : T("每工作日 \(p.quota_households) 户", "\(p.quota_households)/working day")(lang)
        }
        return PageParts.table(
            id: "compliance-people",
            headers: [.init(T("人员", "Person")(lang)), .num(T("应访", "Req.")(lang)), .num(T("已访", "Done")(lang)), .init(T("完成", "Status")(lang))],
            rows: r.people
        ) { p in
            .tr(
                .id("person-\(p.username)".attributeSafe),
                .td(
                    .text(p.display_name), .br(),
                    .span(
                        .class("muted"),
                        .text(
                            "\(roleName(p.role, lang)) · \(p.team_name) · \(quota(p))"
                                + (p.workload_percent < 100 ? " · \(p.workload_percent)%" : "")))),
                .td(.class("num"), .text(RegisterFormat.count(p.required))),
                .td(.class("num done"), .text(RegisterFormat.count(p.done))),
                .td(
                    badge(p.met), .br(),
                    .span(
                        .class("muted"),
                        .text(
                            T(
                                "\(p.units_met)/\(p.units_owed) \(p.quota_period == .week ? "周" : "天")达标",
                                "\(p.units_met)/\(p.units_owed) \(p.quota_period == .week ? "weeks" : "days") met")(lang)))))
        }
    }
}
