import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// 社区大脑's figures agree with their lists (issue 21 item 6). The test reads the dashboard page and
/// each card's 明细 page as a person would and follows, as the same user, every link marked
/// `data-count` (a figure or a table cell whose list holds exactly that many rows). It counts the rows on the list page in the
/// element the link's `#fragment` names: the rows of a table (`tbody tr`) or the items of a list
/// (`li`), across every page its pager links with `rel="next"`, or, for a total shown on the page,
/// the number that element shows. The oracle is the list page itself, never the dashboard's code.
@Suite("Dashboard figures agree with their lists")
struct DashboardLinkCountTests {
    struct Link: Hashable { var href: String; var count: Int }

    @Test("every counted link on the subdistrict's and an area's dashboard opens a list of exactly that many rows")
    func linksCountTheirLists() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            let staff = TestClient(app)
            _ = try await staff.signInWeb("staff")
            let subdistrict = try await Self.followAll(staff, "/dashboard", what: "the subdistrict, as its staff")
            #expect(subdistrict.count >= 40, "counted links on the subdistrict's dashboard: \(subdistrict.count)")
            let area = try await Self.followAll(staff, "/dashboard?node=310106019-1-01", what: "an area, as the subdistrict's staff")
            #expect(area.count >= 30, "counted links on an area's dashboard: \(area.count)")
            // At the caller's own root every capability's list counts, those that cannot be
            // narrowed to a node too (organisations, services, 6543, votes, 十必访).
            let cadre = TestClient(app)
            _ = try await cadre.signInWeb("cadre")
            let own = try await Self.followAll(cadre, "/dashboard", what: "an area, as its cadre")
            for list in [
                "/cases", "/registry/nodes/", "/registry/smart-groups", "/visits/compliance", "/visits/overdue", "/organisations",
                "/services", "/oversight", "/voting"
            ] {
                #expect(own.contains { $0.href.hasPrefix(list) }, "a counted link to \(list) on the cadre's dashboard")
            }
            #expect(own.contains { $0.count > 0 } && subdistrict.filter { $0.count > 0 }.count >= 20)
        }
    }

    @Test("figures that differ by definition say so on the page, and the per-area tables list every area")
    func definitionsAndAreas() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            let staff = TestClient(app)
            _ = try await staff.signInWeb("staff")
            let html = try await staff.get("/dashboard").body.string
            #expect(html.contains("已结 + 未结 + 不予立案 = 受理"))
            #expect(html.contains("来件 − 合并的重复件"))
            #expect(html.contains("业主表决进行中") && html.contains("居民投票进行中"))
            struct Code: Decodable { var code: String }
            let areas = try await app.db.sql.raw(
                "SELECT code FROM grid_nodes WHERE level = 'residential_area' AND code LIKE '310106019-%'"
            ).all(decoding: Code.self).map(\.code)
            #expect(areas.count == 20)
            let api = TestClient(app)
            try await api.signInAPI("staff")
            let report = try await api.get("/api/v1/dashboard").decode(DashboardReport.self)
            for (panel, table) in [("case_areas", "by_area"), ("visits", "by_team")] {
                let rows = try #require(report.panels.first(where: { $0.id == panel })?.tables.first(where: { $0.id == table })?.rows)
                #expect(Set(rows.map(\.key)).isSuperset(of: areas), "\(panel): every residential area")
                // The subdistrict's own row is named as such, never as a residential area.
                #expect(rows.allSatisfy { areas.contains($0.key) || $0.key == "-" }, "\(panel): rows")
                #expect(!rows.contains { $0.key == "310106019" })
            }
        }
    }

    // MARK: - Following the links

    /// Reads the dashboard at `path`, checks that every figure is a link, follows every counted
    /// link and expects its list to hold exactly that many rows. Returns the counted links.
    static func followAll(_ client: TestClient, _ path: String, what: String) async throws -> Set<Link> {
        let page = try await client.get(path)
        #expect(page.status == .ok, "\(what): \(page.status)")
        let html = page.body.string
        for figure in figureBlocks(html) {
            #expect(figure.body.contains("<a href="), "\(what): the figure \(figure.name) is not a link")
        }
        // The page's own links and those on each card's 明细 page (its tables).
        var pages = [html]
        for a in tags("a", in: html) where a["id"]?.hasPrefix("detail-") == true {
            let detail = try await client.get(try #require(a["href"]))
            #expect(detail.status == .ok, "\(what): \(a["href"] ?? ""): \(detail.status)")
            pages.append(detail.body.string)
        }
        #expect(pages.count == DashboardPanelID.allCases.count + 1, "\(what): a 明细 link on every card")
        var links = Set<Link>()
        for a in pages.flatMap({ tags("a", in: $0) }) {
            guard let href = a["href"], let count = a["data-count"].flatMap({ Int($0) }) else { continue }
            links.insert(Link(href: href, count: count))
        }
        for link in links.sorted(by: { $0.href < $1.href }) {
            let (listed, problem) = try await rows(client, href: link.href)
            #expect(problem.isEmpty, "\(what): \(link.href): \(problem)")
            #expect(
                listed == link.count, "\(what): the figure says \(link.count), the list \(link.href) holds \(listed.map(String.init) ?? "nothing")")
        }
        return links
    }

    /// The rows the list at `href` holds in the element its fragment names (see the suite's note).
    static func rows(_ client: TestClient, href: String) async throws -> (Int?, String) {
        let parts = href.split(separator: "#", maxSplits: 1).map(String.init)
        let path = parts[0], id = parts.count > 1 ? parts[1] : ""
        var page = try await client.get(path)
        guard page.status == .ok else { return (nil, "answered \(page.status.code)") }
        var html = page.body.string
        guard let found = element(id: id, in: html) else { return (nil, "no element #\(id)") }
        guard var total = items(found.tag, found.inner) else { return (firstNumber(found.inner), "") }
        var seen: Set<String> = [path]
        while let next = tags("a", in: html).first(where: { $0["rel"] == "next" })?["href"], !seen.contains(next), seen.count < 500 {
            seen.insert(next)
            page = try await client.get(next)
            html = page.body.string
            guard page.status == .ok, let more = element(id: id, in: html), let n = items(more.tag, more.inner) else {
                return (total, "page \(next) has no #\(id)")
            }
            total += n
        }
        return (total, "")
    }

    // MARK: - Reading HTML as Plot writes it (every attribute value in double quotes, escaped)

    static func unescape(_ s: Substring) -> String {
        s.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The attributes of every start tag `<name …>` in `html`.
    static func tags(_ name: String, in html: String) -> [[String: String]] {
        var result: [[String: String]] = []
        var rest = html[...]
        while let open = rest.range(of: "<\(name) ") {
            guard let close = rest[open.upperBound...].firstIndex(of: ">") else { break }
            var attributes: [String: String] = [:]
            var text = rest[open.upperBound..<close]
            while let eq = text.range(of: "=\"") {
                let name = text[..<eq.lowerBound].split(separator: " ").last.map(String.init) ?? ""
                guard let end = text[eq.upperBound...].firstIndex(of: "\"") else { break }
                attributes[name] = unescape(text[eq.upperBound..<end])
                text = text[text.index(after: end)...]
            }
            result.append(attributes)
            rest = rest[close...]
        }
        return result
    }

    /// The element with `id`: its tag name and what it holds (nested elements of its name balanced).
    /// Where a page gives the id twice (a form and its list), the table or list of that id.
    static func element(id: String, in html: String) -> (tag: String, inner: Substring)? {
        guard !id.isEmpty else { return nil }
        var found: [(tag: String, inner: Substring)] = []
        var from = html.startIndex
        while let at = html[from...].range(of: " id=\"\(id)\"") {
            if let one = element(at: at, in: html) { found.append(one) }
            from = at.upperBound
        }
        return found.first { ["table", "ul", "ol"].contains($0.tag) } ?? found.first
    }

    /// The element whose start tag holds the attribute at `at`.
    static func element(at: Range<String.Index>, in html: String) -> (tag: String, inner: Substring)? {
        guard let start = html[..<at.lowerBound].lastIndex(of: "<"), let openEnd = html[at.upperBound...].firstIndex(of: ">") else { return nil }
        let name = String(html[html.index(after: start)...].prefix { $0.isLetter || $0.isNumber })
        var depth = 1
        var cursor = html.index(after: openEnd)
        while let next = html[cursor...].range(of: "<") {
            let after = html[next.upperBound...]
            if after.hasPrefix("/\(name)>") {
                depth -= 1
                if depth == 0 { return (name, html[html.index(after: openEnd)..<next.lowerBound]) }
            } else if after.hasPrefix(name), let c = after.dropFirst(name.count).first, c == " " || c == ">" {
                depth += 1
            }
            cursor = next.upperBound
        }
        return nil
    }

    /// The rows of a table (`<tr>` in its `<tbody>`) or the items of a list (its own `<li>`s);
    /// nil for any other element.
    static func items(_ tag: String, _ inner: Substring) -> Int? {
        switch tag {
        case "table":
            guard let body = inner.range(of: "<tbody>") else { return 0 }
            return inner[body.upperBound...].components(separatedBy: "<tr").count - 1
        case "ul", "ol":
            var depth = 0, count = 0
            var rest = inner
            while let next = rest.range(of: "<") {
                let after = rest[next.upperBound...]
                if after.hasPrefix("ul") || after.hasPrefix("ol") {
                    depth += 1
                } else if after.hasPrefix("/ul>") || after.hasPrefix("/ol>") {
                    depth -= 1
                } else if depth == 0, after.hasPrefix("li"), let c = after.dropFirst(2).first, c == " " || c == ">" {
                    count += 1
                }
                rest = after
            }
            return count
        default:
            return nil
        }
    }

    static func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }

    /// The first whole number in the text of `inner` (digits grouped with commas), 0 when none.
    static func firstNumber(_ inner: Substring) -> Int {
        var text = "", inTag = false
        for ch in inner {
            if ch == "<" { inTag = true } else if ch == ">" { inTag = false } else if !inTag { text.append(ch) }
        }
        guard let first = text.firstIndex(where: isDigit) else { return 0 }
        let digits = String(text[first...].prefix { isDigit($0) || $0 == "," }.filter { $0 != "," })
        return Int(digits) ?? 0
    }

    /// Each figure of the page (`data-figure`): its name and its markup up to its label.
    static func figureBlocks(_ html: String) -> [(name: String, body: Substring)] {
        var result: [(name: String, body: Substring)] = []
        var rest = html[...]
        while let at = rest.range(of: "data-figure=\"") {
            let tail = rest[at.upperBound...]
            let name = String(tail.prefix { $0 != "\"" })
            let end = tail.range(of: "class=\"l\"")?.lowerBound ?? tail.endIndex
            result.append((name: name, body: tail[..<end]))
            rest = tail
        }
        return result
    }
}
