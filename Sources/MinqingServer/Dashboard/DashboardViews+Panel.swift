import Foundation
import MinqingDomain
import Plot
import Vapor

/// One panel: the figures (each a link to its list; `data-count` on the links whose list holds
/// exactly that many rows), its definitions, and on its own page its tables. On the whole
/// dashboard a card stops at the definitions and links its tables ("明细") to the panel's page:
/// inlined, the sixteen cards' tables and charts were 290 KB a phone never opened. Every table is
/// printed as a chart and as the table of the same data, in that order; below 760 px the
/// stylesheet hides the chart and the table stands alone.
extension DashboardViews {
    static func panel(_ panel: DashboardPanel, node: String, year: Int, lang: Lang, single: Bool) -> Node<HTML.BodyContext> {
        let query = "node=\(DashboardContext.q(node))&year=\(year)"
        let alone = SiteURL.dashboard(.panel(.value(panel.id))).path + "?" + query
        let title = lang == .zh ? panel.title_zh : panel.title_en
        let tables = panel.tables.count
        return .section(
            .class("card panel"), .id("panel-\(panel.id)"),
            .h3(single ? .text(title) : .a(.href(alone.attributeSafe), .text(title))),
            .if(!panel.figures.isEmpty, figures(panel, lang: lang)),
            .unwrap(lang == .zh ? panel.note_zh : panel.note_en) { .p(.class("muted hint note"), .text($0)) },
            single
                ? .group(panel.tables.map { table(panel, $0, query: query, lang: lang) } + [actions(panel, lang: lang)])
                : .p(
                    .class("detail"),
                    .a(
                        .id("detail-\(panel.id)"), .href(alone.attributeSafe),
                        .text(
                            T(
                                "明细：\(tables) 张表及图表 →",
                                "Details: \(tables) table\(tables == 1 ? "" : "s") and charts →")(lang))))
        )
    }

    /// The figures, each a link where it has a list (or a report) behind it.
    static func figures(_ panel: DashboardPanel, lang: Lang) -> Node<HTML.BodyContext> {
        .div(
            .class("grid-cards figures"),
            .forEach(panel.figures) { figure in
                let value = figure.suppressed == true ? "<5" : format(figure.value, figure.format, lang)
                let counted: Int64? = figure.exact == true && figure.suppressed != true ? figure.value : nil
                return .div(
                    .class("stat"), .attribute(named: "data-figure", value: "\(panel.id).\(figure.key)".attributeSafe),
                    .div(.class("n"), figure.href.map { link($0, value, count: counted) } ?? .text(value)),
                    .div(.class("l"), .text(lang == .zh ? figure.name_zh : figure.name_en)))
            })
    }

    /// A link to a list; `count` marks a list that holds exactly that many rows.
    static func link(_ href: String, _ text: String, count: Int64?) -> Node<HTML.BodyContext> {
        .a(.href(href.attributeSafe), .unwrap(count) { .attribute(named: "data-count", value: String($0)) }, .text(text))
    }

    /// One table: its chart (hidden on a phone), the table itself with every counted cell linked to
    /// its list, and its CSV.
    static func table(_ panel: DashboardPanel, _ table: DashboardTable, query: String, lang: Lang) -> Node<HTML.BodyContext> {
        let chartID = "chart-\(panel.id)-\(table.id)"
        return .div(
            .class("report"),
            .unwrap(DashboardCharts.svg(table, lang: lang, id: chartID)) { .div(.class("chart-wrap"), PageParts.drawnSVG($0)) },
            .div(
                .class("table-wrap"),
                .table(
                    .class("data"), .id("table-\(panel.id)-\(table.id)"),
                    .caption(.text(lang == .zh ? table.title_zh : table.title_en)),
                    .thead(
                        .tr(
                            .th(.text(lang == .zh ? table.label_zh : table.label_en)),
                            .forEach(table.columns) { .th(.class("num"), .text(lang == .zh ? $0.name_zh : $0.name_en)) })),
                    .tbody(.forEach(table.rows) { row(table, $0, lang: lang) }))),
            .p(
                .class("hint"),
                .a(
                    .class("csv"), .href((SiteURL.dashboard(.csv(.value(panel.id), .value(table.id))).path + "?" + query).attributeSafe),
                    .text("CSV")))
        )
    }

    static func row(_ table: DashboardTable, _ row: DashboardRow, lang: Lang) -> Node<HTML.TableContext> {
        let label = lang == .zh ? row.label_zh : row.label_en
        return .tr(
            .td(row.href.map { Node.a(.href($0.attributeSafe), .text(label)) } ?? .text(label)),
            .forEach(Array(zip(table.columns, row.values).enumerated())) { index, cell in
                let text = row.suppressed == true ? (index == 0 ? "<5" : "—") : format(cell.1, cell.0.format, lang)
                let target: DashboardCellLink? = row.suppressed == true ? nil : row.links.flatMap { index < $0.count ? $0[index] : nil }
                return .td(
                    .class("num"),
                    target.map { link($0.href, text, count: $0.exact ? (cell.1 ?? 0) : nil) } ?? .text(text))
            })
    }

    /// The panel's links to other pages, and (on the whole dashboard) the panel on its own page.
    static func actions(_ panel: DashboardPanel, lang: Lang) -> Node<HTML.BodyContext> {
        .if(
            !panel.links.isEmpty,
            .p(.class("actions"), .forEach(panel.links) { .a(.href($0.href.attributeSafe), .text(lang == .zh ? $0.name_zh : $0.name_en)) }))
    }
}
