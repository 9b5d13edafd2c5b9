import Foundation
import MinqingDomain
import Plot
import Vapor

/// The dashboard pages: the whole dashboard of a node grouped by the five domains, and one
/// panel alone (a printable report). Every figure and table row links to the list behind it.
package enum DashboardViews {
    // MARK: - Numbers

    static func grouped(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(ch)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// Minutes to whole hours, rounded half up (without adding first, which could overflow).
    static func hours(_ minutes: Int64) -> Int64 {
        minutes / 60 + (minutes % 60 >= 30 ? 1 : 0)
    }

    /// A value as the page prints it.
    static func format(_ value: Int64?, _ format: DashboardFormat, _ lang: Lang) -> String {
        guard let value else { return "—" }
        switch format {
        case .count: return grouped(value)
        case .fen:
            let yuan = grouped(value / 100) + "." + String(format: "%02d", Int(value.magnitude % 100))
            return lang == .zh ? "\(yuan) 元" : "¥\(yuan)"
        case .minutes:
            let hours = grouped(Self.hours(value))
            return lang == .zh ? "\(hours) 小时" : "\(hours) h"
        case .permille: return "\(value / 10).\(value.magnitude % 10)%"
        }
    }

    /// A short form for axes and cells: 12.3万 / 12.3k, yuan without fen.
    static func compact(_ value: Int64, _ format: DashboardFormat, _ lang: Lang) -> String {
        let base: Int64 =
            switch format {
            case .fen: value / 100
            case .minutes: hours(value)
            default: value
            }
        if format == .permille { return Self.format(value, format, lang) }
        func one(_ v: Int64, _ unit: Int64) -> String {
            // Whole units and the remainder apart, so that v × 10 cannot overflow.
            let tenths = (v / unit).clampedMultiplied(by: 10).clampedAdding((v % unit * 10 + unit / 2) / unit)
            return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
        }
        if lang == .zh {
            if base >= 100_000_000 { return one(base, 100_000_000) + "亿" }
            if base >= 10_000 { return one(base, 10_000) + "万" }
        } else {
            if base >= 1_000_000 { return one(base, 1_000_000) + "M" }
            if base >= 10_000 { return one(base, 1_000) + "k" }
        }
        return grouped(base)
    }

    // MARK: - Pages

    static func link(_ ctx: DashboardNode, year: Int) -> String {
        SiteURL.dashboard(.index).path([("node", ctx.code), ("year", "\(year)")])
    }

    /// The whole dashboard: per domain a card for each panel — its figures, each a link to the
    /// list it counts, and its definitions — with the tables and charts one click away on the
    /// panel's own page (its "明细"), so the page is a few screens long on a phone.
    package static func page(_ report: DashboardReport, ctx: PageContext) -> Response {
        page(report, cards: report.panels.map { card($0, report.node.code, report.year, ctx.lang) }, ctx: ctx)
    }

    /// A panel's card on the whole dashboard, rendered ahead (in the task that computed it).
    static func card(_ panel: DashboardPanel, _ node: String, _ year: Int, _ lang: Lang) -> PageParts.Prerendered {
        PageParts.Prerendered(DashboardViews.panel(panel, node: node, year: year, lang: lang, single: false))
    }

    /// The page from the report and its cards (`card` of each panel, in the report's order).
    static func page(_ report: DashboardReport, cards: [PageParts.Prerendered], ctx: PageContext) -> Response {
        let lang = ctx.lang
        let card = Dictionary(zip(report.panels.map(\.id), cards), uniquingKeysWith: { first, _ in first })
        let title = T("社区大脑", "Community dashboard")(lang)
        let byDomain = GovernanceDomain.allCases.map { domain in (domain, report.panels.filter { $0.domain == domain }) }.filter { !$0.1.isEmpty }
        return Layout.render(
            ctx, title: "\(title) · \(report.node.name)",
            .h1(.text("\(title) · \(report.node.name)")),
            header(report, lang: lang),
            .nav(
                .class("subnav"), .id("domains"),
                .forEach(byDomain) { domain, _ in
                    .a(.href("#domain-\(domain.rawValue)"), .text(lang == .zh ? domain.nameZH : domain.nameEN))
                }),
            .p(
                .class("muted hint"), .id("how-to-read"),
                .text(
                    T(
                        "每个数字都链接到它统计的列表；各卡片的表格和图表在它的“明细”页。",
                        "Every figure links to the list it counts; each card's tables and charts are on its “Details” page.")(lang))),
            .forEach(byDomain) { domain, panels in
                .section(
                    .id("domain-\(domain.rawValue)"), .class("domain"),
                    .h2(.text(lang == .zh ? domain.nameZH : domain.nameEN)),
                    .div(.class("panels"), .forEach(panels) { .unwrap(card[$0.id]) { PageParts.prerendered($0) } }))
            },
            catalogue(report, lang: lang),
            .p(
                .class("muted hint"),
                .text(
                    T("数据为打开页面时从数据库实时计算，", "Computed from the database when the page was opened, ")(lang)
                        + DateFormatter.shanghaiStamp.string(from: report.generated_at)))
        )
    }

    static func single(_ panel: DashboardPanel, report: DashboardReport, ctx: PageContext) -> Response {
        let lang = ctx.lang
        return Layout.render(
            ctx, title: "\(lang == .zh ? panel.title_zh : panel.title_en) · \(report.node.name)",
            .h1(.text("\(lang == .zh ? panel.title_zh : panel.title_en) · \(report.node.name) · \(report.year)")),
            header(report, lang: lang),
            DashboardViews.panel(panel, node: report.node.code, year: report.year, lang: lang, single: true),
            .p(.class("muted hint"), .text(DateFormatter.shanghaiStamp.string(from: report.generated_at)))
        )
    }

    static func header(_ report: DashboardReport, lang: Lang) -> Node<HTML.BodyContext> {
        .group(
            .ol(
                .class("crumbs"), .id("crumbs"),
                .forEach(report.breadcrumb) { node in
                    .li(.a(.href(link(node, year: report.year).attributeSafe), .text(node.name)))
                }),
            .nav(
                .class("subnav"), .id("years"),
                .forEach([report.year - 1, report.year, report.year + 1]) { year in
                    .a(.href(link(report.node, year: year).attributeSafe), .if(year == report.year, .class("active")), .text(String(year)))
                },
                .span(.class("badge"), .text(lang == .zh ? report.node.level.nameZH : report.node.level.nameEN)))
        )
    }

    /// The five domains' 18 catalogues, each linked to the panel that shows it.
    static func catalogue(_ report: DashboardReport, lang: Lang) -> Node<HTML.BodyContext> {
        .details(
            .class("card"), .id("catalogues"),
            .summary(.text(T("五大领域 18 个目录", "Five domains, 18 catalogues")(lang))),
            .div(
                .class("table-wrap"),
                .table(
                    .thead(
                        .tr(
                            .th(.text("#")), .th(.text(T("领域", "Domain")(lang))), .th(.text(T("目录", "Catalogue")(lang))),
                            .th(.text(T("报表", "Panel")(lang))))),
                    .tbody(
                        .forEach(GovernanceDomain.catalogues) { c in
                            let panel = c.panel.flatMap { id in report.panels.first { $0.id == id } }
                            return .tr(
                                .td(.class("num"), .text(String(c.number))), .td(.text(lang == .zh ? c.domain.nameZH : c.domain.nameEN)),
                                .td(.text(lang == .zh ? c.nameZH : c.nameEN)),
                                .td(
                                    panel.map { p in Node.a(.href("#panel-\(p.id)"), .text(lang == .zh ? p.title_zh : p.title_en)) }
                                        ?? .span(.class("muted"), .text(T("尚未接入", "Not collected yet")(lang)))))
                        }))))
    }
}

extension DateFormatter {
    /// `2026-11-26 09:30` in Asia/Shanghai.
    static let shanghaiStamp: DateFormatter = {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return f
    }()
}
