import Foundation
import MinqingDomain
import Vapor

/// How a figure is written: a count, money in fen (shown in yuan), minutes (shown in hours), or
/// a rate in tenths of a per cent.
enum DashboardFormat: String, Codable, Sendable {
    case count, fen, minutes, permille
}

/// One figure of a panel, with the list behind it (`href`, inside the caller's scope).
package struct DashboardFigure: Content, Sendable, Equatable {
    var key: String
    var name_zh: String
    var name_en: String
    var value: Int64
    var format: DashboardFormat = .count
    /// The list (or report) behind the figure: its filters in the query string and, after `#`,
    /// the element of that page that holds the rows counted (a table or list) or their total.
    var href: String?
    /// Hidden by small-cell control (fewer than five people behind it): `value` is 0 and the
    /// page shows "<5".
    var suppressed: Bool? = nil
    /// True when the list at `href` holds exactly `value` rows (the page marks the link with
    /// `data-count`, and `DashboardLinkCountTests` follows it). False or nil when it cannot: a
    /// sum or a rate, or a list that cannot be narrowed to this node and shows the caller's whole
    /// scope (each such list is named in docs/dashboard.md).
    var exact: Bool? = nil
}

/// A link from one cell of a table to the list of exactly the rows it counts (`exact`), or to
/// a list that shows more than it counts.
package struct DashboardCellLink: Content, Sendable, Equatable {
    var href: String
    var exact: Bool
}

/// A numeric column of a table.
struct DashboardColumn: Content, Sendable, Equatable {
    var key: String
    var name_zh: String
    var name_en: String
    var format: DashboardFormat = .count
}

/// A row: its label, where it drills down to, and one value per column (nil: no value, e.g. a
/// rate over nothing).
package struct DashboardRow: Content, Sendable, Equatable {
    var key: String
    var label_zh: String
    var label_en: String
    var href: String?
    var values: [Int64?]
    /// Hidden by small-cell control: the values are null and the page shows "<5".
    var suppressed: Bool? = nil
    /// One link per value (nil: that value has no list), to the list the value counts.
    var links: [DashboardCellLink?]? = nil
}

/// How a table is drawn above its data.
enum DashboardChartKind: String, Codable, Sendable {
    /// One bar per row (first column).
    case bars
    /// Bars of the columns stacked per row.
    case stacked
    /// One line per column across the rows (months).
    case lines
    /// A grid of cells coloured by the first column (micro-grids).
    case heat
    /// The table only.
    case none
}

/// A table of a panel: what the chart draws and what the CSV holds.
package struct DashboardTable: Content, Sendable, Equatable {
    var id: String
    var title_zh: String
    var title_en: String
    var label_zh: String
    var label_en: String
    var columns: [DashboardColumn]
    package var rows: [DashboardRow]
    var chart: DashboardChartKind
    /// How many leading columns the chart draws (the rest are in the table only).
    var chart_columns: Int
}

/// A link of a panel to a list or report of another capability.
struct DashboardLink: Content, Sendable, Equatable {
    var href: String
    var name_zh: String
    var name_en: String
}

/// A panel of the dashboard (one report): figures and tables, in one of the five domains.
package struct DashboardPanel: Content, Sendable, Equatable {
    var id: String
    var domain: GovernanceDomain
    var title_zh: String
    var title_en: String
    package var figures: [DashboardFigure]
    package var tables: [DashboardTable]
    var links: [DashboardLink]
    var note_zh: String?
    var note_en: String?
}

/// The node a dashboard is drawn for.
struct DashboardNode: Content, Sendable, Equatable {
    var code: String
    var name: String
    var level: GridLevel
}

/// The whole dashboard of a node for a year.
package struct DashboardReport: Content, Sendable {
    var node: DashboardNode
    var breadcrumb: [DashboardNode]
    var year: Int
    var generated_at: Date
    var panels: [DashboardPanel]
}

/// The panels, in the order the page shows them.
package enum DashboardPanelID: String, CaseIterable, Codable, Sendable {
    case population, tags, microGrids = "micro_grids", cases, caseAreas = "case_areas", caseCategories = "case_categories"
    case caseChannels = "case_channels"
    case visits, mustVisits = "must_visits", aid, bookings, voting
    /// 双报到 and 党建 (issue 21).
    case party
    /// Volunteers and the time bank.
    case volunteering
    /// Limited-stock, registration and check-in campaigns.
    case campaigns
    /// 6543 compound governance.
    case oversight
    /// 智慧临小二 sign-up coverage (issue 22).
    case signup

    var domain: GovernanceDomain {
        switch self {
        case .population, .microGrids, .cases, .caseAreas, .caseCategories, .visits, .oversight: .publicManagement
        case .caseChannels: .publicSafety
        case .tags, .aid, .bookings, .mustVisits, .campaigns: .publicService
        case .voting, .volunteering, .signup: .socialParticipation
        case .party: .partyBuilding
        }
    }
}

extension DashboardFigure {
    init(_ key: String, _ name: T, _ value: Int64, format: DashboardFormat = .count, href: String? = nil, exact: Bool = false) {
        self.init(
            key: key, name_zh: name.zh, name_en: name.en, value: value, format: format, href: href, suppressed: nil,
            exact: exact && href != nil)
    }

    /// The figure hidden by small-cell control (its link no longer counts it).
    var hidden: DashboardFigure {
        var copy = self
        copy.value = 0
        copy.suppressed = true
        copy.exact = false
        return copy
    }
}

extension DashboardColumn {
    init(_ key: String, _ name: T, _ format: DashboardFormat = .count) {
        self.init(key: key, name_zh: name.zh, name_en: name.en, format: format)
    }
}

extension DashboardTable {
    init(_ id: String, _ title: T, label: T, columns: [DashboardColumn], rows: [DashboardRow], chart: DashboardChartKind, charted: Int = 1) {
        self.init(
            id: id, title_zh: title.zh, title_en: title.en, label_zh: label.zh, label_en: label.en, columns: columns, rows: rows, chart: chart,
            chart_columns: min(charted, columns.count))
    }
}

extension DashboardPanel {
    init(_ id: DashboardPanelID, _ title: T, figures: [DashboardFigure], tables: [DashboardTable], links: [(String, T)] = [], note: T? = nil) {
        self.init(
            id: id.rawValue, domain: id.domain, title_zh: title.zh, title_en: title.en, figures: figures, tables: tables,
            links: links.map { DashboardLink(href: $0.0, name_zh: $0.1.zh, name_en: $0.1.en) }, note_zh: note?.zh, note_en: note?.en)
    }
}
