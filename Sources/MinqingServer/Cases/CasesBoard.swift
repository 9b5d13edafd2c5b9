import Fluent
import Foundation
import MinqingDomain
import Vapor

/// The dispatcher's board (派单台) and the case list API read the same filters: states, open or
/// closed, category (a 小类, or a 大类 for all its 小类), channel, grid node (a residential area on
/// the board), overdue, supervised, lead department, a text search, numbers, a reporting period,
/// and the page. `filter` checks every one and answers all problems at once as sentences (422);
/// the caller's visibility is added by the query, never here.
package enum CasesBoard {
    /// Rows per page of the board.
    static let pageSize = 50
    /// The longest search text.
    static let searchLimit = 100
    /// The furthest page (or offset, in rows) a request may ask for.
    static let maxPage = 10_000
    static let maxOffset = 1_000_000

    /// How a request pages: the board by a 1-based `page`, the API by `limit` and `offset`.
    enum Paging { case page, api }

    /// The checked filter and the page (1 for the API, whose `limit` and `offset` are in the filter).
    static func filter(_ q: CaseBoardParams, paging: Paging, now: Date, on db: any Database) async throws -> (filter: CaseListFilter, page: Int) {
        var check = Check()
        // A control character (a NUL byte) never belongs in a filter, and PostgreSQL refuses it in text.
        let all = q.linkPairs + [("page", q.page ?? ""), ("limit", q.limit ?? ""), ("offset", q.offset ?? ""), ("area", q.area ?? "")]
        for (field, value) in all where value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            check.problem(field, "这一项含有无法识别的字符，请重新输入", "This entry holds characters that cannot be read; type it again")
        }
        if !check.errors.isEmpty { throw AppError.validation(check.errors) }
        var filter = CaseListFilter()
        filter.states = check.states(q.state)
        filter.open = check.status(q.status)
        filter.channels = check.channels(q.channel)
        (filter.categoryCodes, filter.categoryFamilies) = try await check.categories(q.category, on: db)
        filter.nodeID = try await check.node(q.area?.nilIfEmpty ?? q.node, on: db)
        filter.departmentID = try await check.department(q.department, on: db)
        if check.flag(q.overdue, "overdue", T("只看超期", "Overdue only")) { filter.overdueAt = now }
        filter.supervisedOnly = check.flag(q.supervised, "supervised", T("只看督办", "Supervised only"))
        filter.search = check.search(q.q)
        filter.numbers = Check.list(q.number)
        filter.reportedFrom = check.instant(q.from, "from", endOfDay: false)
        filter.reportedBefore = check.instant(q.to, "to", endOfDay: true)
        var page = 1
        switch paging {
        case .page:
            page = check.integer(q.page, "page", 1...maxPage, T("页码", "The page number")) ?? 1
            filter.limit = pageSize
            filter.offset = (page - 1) * pageSize
        case .api:
            filter.limit = check.integer(q.limit, "limit", 1...200, T("每页条数", "limit")) ?? 50
            filter.offset = check.integer(q.offset, "offset", 0...maxOffset, T("跳过的条数", "offset")) ?? 0
        }
        if !check.errors.isEmpty { throw AppError.validation(check.errors) }
        return (filter, page)
    }

    /// The problems the checks find, in the order found; each says what to do, in both languages.
    private struct Check {
        var errors: [FieldError] = []

        mutating func problem(_ field: String, _ zh: String, _ en: String) {
            errors.append(FieldError(field: field, messageZH: zh, messageEN: en))
        }

        /// Comma-separated words, trimmed, empty ones dropped.
        static func list(_ text: String?) -> [String] {
            (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }

        mutating func states(_ text: String?) -> [CaseState] {
            var states: [CaseState] = []
            for word in Self.list(text) {
                guard let state = CaseState(rawValue: word) else {
                    problem("state", "请从列表中选择案件状态", "Choose the state from the list")
                    return []
                }
                states.append(state)
            }
            return states
        }

        mutating func status(_ text: String?) -> Bool? {
            switch text?.trimmingCharacters(in: .whitespaces) {
            case nil, "": return nil
            case "open": return true
            case "closed": return false
            default:
                problem("status", "请选择办理中或已办结", "Choose open or closed")
                return nil
            }
        }

        mutating func channels(_ text: String?) -> [CaseChannel] {
            var channels: [CaseChannel] = []
            for word in Self.list(text) {
                guard let channel = CaseChannel(rawValue: word) else {
                    problem("channel", "请从列表中选择来源渠道", "Choose the channel from the list")
                    return []
                }
                channels.append(channel)
            }
            return channels
        }

        /// 小类 codes and 大类 codes (any category in the catalogue, offered or not: old cases keep theirs).
        mutating func categories(_ text: String?, on db: any Database) async throws -> ([String], [String]) {
            var codes: [String] = [], families: [String] = []
            for code in Self.list(text) {
                guard let key = try await CasesQueries.categoryKey(code: code, on: db) else {
                    problem("category", "没有这个问题类别，请从列表中选择", "There is no such category; choose one from the list")
                    return ([], [])
                }
                if key.parent_code == nil { families.append(key.code) } else { codes.append(key.code) }
            }
            return (codes, families)
        }

        /// A grid node by its code. A filter only: the caller's visibility still applies, so a
        /// node outside it lists nothing.
        mutating func node(_ text: String?, on db: any Database) async throws -> UUID? {
            guard let code = text?.trimmingCharacters(in: .whitespaces).nilIfEmpty else { return nil }
            guard let node = try await GridQueries.node(code: code, on: db) else {
                problem("node", "没有这个居民区或网格，请从列表中选择", "There is no such area; choose one from the list")
                return nil
            }
            return node.id
        }

        mutating func department(_ text: String?, on db: any Database) async throws -> UUID? {
            guard let code = text?.trimmingCharacters(in: .whitespaces).nilIfEmpty else { return nil }
            guard let department = try await CasesQueries.department(code: code, on: db) else {
                problem("department", "没有这个处置部门，请从列表中选择", "There is no such department; choose one from the list")
                return nil
            }
            return department.id
        }

        /// `1` (or `on`, a checkbox's value) for yes; empty or `0` for no.
        mutating func flag(_ text: String?, _ field: String, _ label: T) -> Bool {
            switch text?.trimmingCharacters(in: .whitespaces) {
            case nil, "", "0": return false
            case "1", "on", "yes", "true": return true
            default:
                problem(field, "“\(label.zh)”只能勾选或不选", "“\(label.en)” is either ticked or not")
                return false
            }
        }

        mutating func search(_ text: String?) -> String? {
            guard let words = text?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty else { return nil }
            guard words.count <= CasesBoard.searchLimit else {
                problem(
                    "q", "查找的文字不超过 \(CasesBoard.searchLimit) 个字", "Search for at most \(CasesBoard.searchLimit) characters")
                return nil
            }
            return words
        }

        /// A day (`2026-11-18`, Shanghai: its start, or with `endOfDay` the next day's start) or an
        /// ISO 8601 instant (`2026-11-18T02:00:00Z`).
        mutating func instant(_ text: String?, _ field: String, endOfDay: Bool) -> Date? {
            guard let raw = text?.trimmingCharacters(in: .whitespaces).nilIfEmpty else { return nil }
            if raw.count == 10, let day = try? CivilDate(parsing: raw), let next = try? day.adding(days: 1) {
                return (endOfDay ? next : day).startOfDay(in: .shanghai)
            }
            if let date = ISO8601DateFormatter().date(from: raw) { return date }
            problem(
                field, "日期格式应为 2026-11-18 或 2026-11-18T02:00:00Z",
                "Give the date as 2026-11-18 or the time as 2026-11-18T02:00:00Z")
            return nil
        }

        /// A whole number in `range`; nil when not given.
        mutating func integer(_ text: String?, _ field: String, _ range: ClosedRange<Int>, _ label: T) -> Int? {
            guard let raw = text?.trimmingCharacters(in: .whitespaces).nilIfEmpty else { return nil }
            guard let value = Int(raw), range.contains(value) else {
                problem(
                    field, "\(label.zh)应为 \(range.lowerBound) 至 \(range.upperBound) 之间的整数",
                    "\(label.en) is a whole number from \(range.lowerBound) to \(range.upperBound)")
                return nil
            }
            return value
        }
    }
}

extension CasesBoard {
    /// The board's first page for `actor` under a channel filter and a search, read as the page
    /// reads it (the filters checked, the count and the page); how many cases match and how many
    /// the page shows. The entry point `minqing-bench` times as `cases.board`.
    package static func firstPage(
        channel: String?, search: String?, for actor: Actor, now: Date, on db: any Database
    ) async throws -> (total: Int, shown: Int) {
        var params = CaseBoardParams()
        params.channel = channel
        params.q = search
        let checked = try await Self.filter(params, paging: .page, now: now, on: db)
        let page = try await CasesQueries.board(checked.filter, visibility: CasesQueries.visible(actor), now: now, on: db)
        return (page.total, page.cases.count)
    }
}
