import Foundation
import MinqingDomain
import Plot

/// Local times on pages: every form and list shows and reads Asia/Shanghai wall-clock time.
enum LocalTime {
    private static func shanghaiCalendar() -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .shanghai
        return calendar
    }

    /// A `datetime-local` value (`2026-03-05T09:30`, seconds ignored) as an instant; nil if unreadable.
    static func parse(_ raw: String?) -> Date? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), raw.count >= 16 else { return nil }
        let chars = Array(raw)
        guard let date = try? CivilDate(parsing: String(chars[0..<10])), chars[10] == "T" || chars[10] == " ",
            let hour = Int(String(chars[11..<13])), chars[13] == ":", let minute = Int(String(chars[14..<16])),
            (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        return date.startOfDay(in: .shanghai).addingTimeInterval(Double(hour * 3600 + minute * 60))
    }

    /// An instant as a `datetime-local` value.
    static func value(_ date: Date) -> String {
        let c = shanghaiCalendar().dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d", c.year ?? 1970, c.month ?? 1, c.day ?? 1, c.hour ?? 0, c.minute ?? 0)
    }

    /// `11-27 14:00`, or `2026-11-27 14:00` with the year.
    static func short(_ date: Date, year: Bool = false) -> String {
        let value = value(date).replacingOccurrences(of: "T", with: " ")
        return year ? value : String(value.dropFirst(5))
    }

    /// `11-27 14:00 – 15:00`.
    static func span(_ start: Date, _ end: Date) -> String {
        "\(short(start)) – \(String(value(end).suffix(5)))"
    }
}

/// Parts of a page that every capability's views share.
enum PageParts {
    /// SVG markup this server drew itself (a chart, a QR code), placed unescaped. Never pass it
    /// anything a user typed: text goes through Plot's escaping `.text`.
    static func drawnSVG(_ markup: String) -> Node<HTML.BodyContext> { .raw(markup) }

    /// A part of a page rendered ahead, off the page's own task (the dashboard renders each card
    /// in the task that computed its panel). Only a Plot node makes one, so its markup is escaped.
    struct Prerendered: Sendable {
        let html: String
        init(_ node: Node<HTML.BodyContext>) { html = node.render() }
    }

    /// Places a part rendered ahead.
    static func prerendered(_ part: Prerendered) -> Node<HTML.BodyContext> { .raw(part.html) }

    /// The box above a form that failed: what went wrong, then each problem as a sentence. Input
    /// names never reach the page (they are for API clients); each field's own message also stands
    /// beside the field through `fieldError`. `id` is what the page's tests and `aria` links look for.
    static func errorBox(_ error: AppError?, _ lang: Lang, id: String) -> Node<HTML.BodyContext> {
        .unwrap(error) { error in
            .div(
                .class("flash-error"), .id(id), .attribute(named: "role", value: "alert"),
                .p(.text(error.fields.isEmpty ? error.message(lang) : T("输入有误，请按下列提示修改：", "Please correct the following:")(lang))),
                .if(
                    !error.fields.isEmpty,
                    .ul(.forEach(uniqueMessages(error.fields, lang)) { .li(.text($0)) })))
        }
    }

    /// The messages of a failed form, each once (several rows of one list can fail alike).
    private static func uniqueMessages(_ fields: [FieldError], _ lang: Lang) -> [String] {
        var seen = Set<String>()
        return fields.map { $0.message(languageCode: lang.htmlTag) }.filter { seen.insert($0).inserted }
    }

    /// The messages of the fields named `names` (an input's name, or a list's name whose rows are
    /// `name[0]`, `name.x`), set beside that field: `p.field-error#error-<first name>`. Empty when the
    /// field passed. The field itself keeps what was typed: views fill it from the posted form.
    /// Works in a page's body and inside a form.
    static func fieldError<Context: HTML.BodyContext>(_ error: AppError?, _ names: String..., lang: Lang) -> Node<Context> {
        let fields = (error?.fields ?? []).filter { field in
            names.contains { name in field.field == name || field.field.hasPrefix(name + "[") || field.field.hasPrefix(name + ".") }
        }
        guard let first = names.first, !fields.isEmpty else { return .empty }
        return .p(
            .class("field-error"), .id("error-\(first)"),
            .text(uniqueMessages(fields, lang).joined(separator: T("；", "; ")(lang))))
    }

    /// "‹ Previous · Page 2 of 5 · Next ›" under a paged list; nothing when everything fits on one
    /// page. `link(n)` is page n's address with the list's filters kept; the links carry
    /// `rel="prev"` and `rel="next"`, which the tests follow.
    static func pager(id: String, page: Int, pageSize: Int, total: Int, lang: Lang, link: (Int) -> String) -> Node<HTML.BodyContext> {
        let pages = max(1, (total + pageSize - 1) / pageSize)
        guard pages > 1 || page > 1 else { return .empty }
        return .nav(
            .id(id), .attribute(named: "aria-label", value: T("分页", "Pages")(lang)),
            .p(
                .if(
                    page > 1,
                    .group(
                        .a(
                            .href(link(min(page - 1, pages)).attributeSafe), .attribute(named: "rel", value: "prev"),
                            .text(T("‹ 上一页", "‹ Previous")(lang))), .text(" · "))),
                .span(.class("muted"), .text(T("第 \(page) / \(pages) 页", "Page \(page) of \(pages)")(lang))),
                .if(
                    page < pages,
                    .group(
                        .text(" · "),
                        .a(
                            .href(link(page + 1).attributeSafe), .attribute(named: "rel", value: "next"),
                            .text(T("下一页 ›", "Next ›")(lang)))))))
    }

    /// A column heading of `table`: its text, and whether the column holds figures (`class="num"`,
    /// right-aligned).
    struct Column {
        var title: String
        var numeric: Bool

        init(_ title: String, numeric: Bool = false) {
            self.title = title
            self.numeric = numeric
        }

        /// A column of figures.
        static func num(_ title: String) -> Column { Column(title, numeric: true) }
    }

    /// A data table in its scrolling wrapper (`div.table-wrap`): one heading row, then `row(item)`
    /// for each item (the `<tr>` with its cells, and its own id or class where it has one). `id`
    /// is the table's, what the page's tests look for.
    static func table<Row>(
        id: String? = nil, headers: [Column], rows: [Row], row: (Row) -> Node<HTML.TableContext>
    ) -> Node<HTML.BodyContext> {
        .div(
            .class("table-wrap"),
            .table(
                .attribute(named: "id", value: id),
                .thead(.tr(.forEach(headers) { column in .th(.if(column.numeric, .class("num")), .text(column.title)) })),
                .tbody(.forEach(rows, row))))
    }
}
