import Foundation
import MinqingDomain

/// 社区大脑 in `/openapi.json` (the system test compares it with the routes).
extension OpenAPIDocument {
    private static func array(_ items: [String: Any]) -> [String: Any] { ["type": "array", "items": items] }
    private static func oneOf(_ values: [String]) -> [String: Any] { ["type": "string", "enum": values] }
    private static var format: [String: Any] { oneOf(["count", "fen", "minutes", "permille"]) }
    private static var node: [String: Any] { object(["code": string, "name": string, "level": oneOf(GridLevel.allCases.map(\.rawValue))]) }

    private static var panel: [String: Any] {
        object([
            "id": oneOf(DashboardPanelID.allCases.map(\.rawValue)), "domain": oneOf(GovernanceDomain.allCases.map(\.rawValue)),
            "title_zh": string, "title_en": string, "note_zh": string, "note_en": string,
            "figures": array(
                object([
                    "key": string, "name_zh": string, "name_en": string, "value": integer, "format": format,
                    "href": string, "suppressed": boolean, "exact": boolean
                ])),
            "tables": array(
                object([
                    "id": string, "title_zh": string, "title_en": string, "label_zh": string, "label_en": string,
                    "columns": array(object(["key": string, "name_zh": string, "name_en": string, "format": format])),
                    "rows": array(
                        object([
                            "key": string, "label_zh": string, "label_en": string, "href": string,
                            "values": array(["type": ["integer", "null"]]), "suppressed": boolean,
                            "links": array(["type": ["object", "null"], "properties": ["href": string, "exact": boolean]])
                        ])),
                    "chart": oneOf(["bars", "stacked", "lines", "heat", "none"]), "chart_columns": integer
                ])),
            "links": array(object(["href": string, "name_zh": string, "name_en": string]))
        ])
    }

    private static var query: [(name: String, schema: [String: Any], description: String)] {
        [
            ("node", string, "a grid node code inside the caller's scope (default: the caller's root)"),
            ("year", integer, "the year of the period figures (default: this year)")
        ]
    }

    static var dashboardOperations: [Operation] {
        [
            Operation(
                method: "get", path: "/api/v1/dashboard",
                summary:
                    "社区大脑: every panel of a grid node (population, tags, micro-grids, cases, visits, 十必访, aid, bookings, votes, party, volunteering, campaigns, 6543), computed on read",
                tag: "dashboard",
                response: (
                    "200",
                    object([
                        "node": node, "breadcrumb": array(node), "year": integer, "generated_at": ["type": "string", "format": "date-time"],
                        "panels": array(panel)
                    ])
                ),
                query: query),
            Operation(
                method: "get", path: "/api/v1/dashboard/panels/{panel}", summary: "One panel (report) of the dashboard (单项报表)", tag: "dashboard",
                response: ("200", panel), query: query)
        ]
    }
}
