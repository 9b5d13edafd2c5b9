import Foundation
import MinqingDomain

/// The dashboard's charts, drawn on the server as SVG (no script, no library): horizontal bars,
/// stacked bars, lines across the months, and a heat grid of micro-grids. Each has a `<title>`,
/// axis labels and a legend; the table of the same data is printed below it by the view. Colours
/// are presentation attributes (the Content-Security-Policy allows no inline style); text uses
/// the page's fonts through the `svg.chart` rules of the stylesheet.
enum DashboardCharts {
    static let palette = ["#b3261e", "#0b57d0", "#1e7a3c", "#a15c00", "#6b3fa0", "#00838f", "#5b6475", "#c2185b", "#827717"]
    static let heat = ["#f1f3f6", "#fde0dc", "#f9a89b", "#ef6c57", "#d2402b", "#9c1c10"]
    static let width = 640.0

    /// Escapes text for SVG (XML).
    static func x(_ text: String) -> String {
        var out = ""
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    static func n(_ value: Double) -> String { String(format: "%.1f", value) }

    /// At most `limit` characters (an ellipsis marks the cut).
    static func short(_ text: String, _ limit: Int) -> String { text.count <= limit ? text : String(text.prefix(limit - 1)) + "…" }

    /// The chart of `table`, or nil when it draws none or has no rows.
    static func svg(_ table: DashboardTable, lang: Lang, id: String) -> String? {
        guard !table.rows.isEmpty, table.chart_columns > 0 else { return nil }
        let title = lang == .zh ? table.title_zh : table.title_en
        switch table.chart {
        case .bars: return bars(table, title: title, lang: lang, id: id, stacked: false)
        case .stacked: return bars(table, title: title, lang: lang, id: id, stacked: true)
        case .lines: return lines(table, title: title, lang: lang, id: id)
        case .heat: return heatGrid(table, title: title, lang: lang, id: id)
        case .none: return nil
        }
    }

    static func open(_ id: String, _ title: String, height: Double) -> String {
        "<svg class=\"chart\" id=\"\(x(id))\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-labelledby=\"\(x(id))-t\" xmlns=\"http://www.w3.org/2000/svg\">"
            + "<title id=\"\(x(id))-t\">\(x(title))</title>"
            + "<text class=\"ct\" x=\"0\" y=\"16\">\(x(title))</text>"
    }

    static func legend(_ names: [String], y: Double) -> String {
        var out = ""
        var at = 0.0
        for (i, name) in names.enumerated() {
            out += "<rect x=\"\(n(at))\" y=\"\(n(y - 10))\" width=\"12\" height=\"12\" fill=\"\(palette[i % palette.count])\"/>"
            out += "<text class=\"cl\" x=\"\(n(at + 16))\" y=\"\(n(y))\">\(x(name))</text>"
            at += 24 + Double(name.count) * 13
        }
        return out
    }

    /// Horizontal bars, one row per table row: the first column, or the first `chart_columns`
    /// stacked; the value axis along the top with its ticks, labels on the left.
    static func bars(_ table: DashboardTable, title: String, lang: Lang, id: String, stacked: Bool) -> String {
        let series = stacked ? table.chart_columns : 1
        let format = table.columns[0].format
        let values = table.rows.map { row in (0..<series).map { max(0, row.values[$0] ?? 0) } }
        let scale = ChartScale(maxValue: values.map { $0.reduce(Int64(0)) { $0.clampedAdding($1) } }.max() ?? 0, ticks: 4)
        let left = 150.0, right = 70.0, top = stacked ? 58.0 : 40.0, rowHeight = 24.0
        let plot = width - left - right
        let height = top + Double(table.rows.count) * rowHeight + 12
        let bands = BandLayout(count: table.rows.count, length: Double(table.rows.count) * rowHeight, gap: 0.25)
        var svg = open(id, title, height: height)
        if stacked { svg += legend((0..<series).map { lang == .zh ? table.columns[$0].name_zh : table.columns[$0].name_en }, y: 36) }
        for tick in scale.ticks {
            let tx = left + scale.position(tick, length: plot)
            svg += "<line x1=\"\(n(tx))\" y1=\"\(n(top - 4))\" x2=\"\(n(tx))\" y2=\"\(n(height - 12))\" stroke=\"#d9dde5\"/>"
            svg +=
                "<text class=\"ca\" x=\"\(n(tx))\" y=\"\(n(top - 8))\" text-anchor=\"middle\">\(x(DashboardViews.compact(tick, format, lang)))</text>"
        }
        for (i, row) in table.rows.enumerated() {
            let y = top + bands.start(i)
            let label = lang == .zh ? row.label_zh : row.label_en
            svg += "<text class=\"cl\" x=\"\(n(left - 6))\" y=\"\(n(y + bands.width / 2 + 4))\" text-anchor=\"end\">\(x(short(label, 11)))</text>"
            var at = 0.0
            for s in 0..<series {
                let w = scale.position(values[i][s], length: plot)
                let name = lang == .zh ? table.columns[s].name_zh : table.columns[s].name_en
                svg +=
                    "<rect x=\"\(n(left + at))\" y=\"\(n(y))\" width=\"\(n(w))\" height=\"\(n(bands.width))\" fill=\"\(palette[s % palette.count])\">"
                    + "<title>\(x(label)) · \(x(name)): \(x(DashboardViews.format(values[i][s], table.columns[s].format, lang)))</title></rect>"
                at += w
            }
            let total = values[i].reduce(Int64(0)) { $0.clampedAdding($1) }
            svg +=
                "<text class=\"cv\" x=\"\(n(left + at + 4))\" y=\"\(n(y + bands.width / 2 + 4))\">\(x(DashboardViews.compact(total, format, lang)))</text>"
        }
        return svg + "</svg>"
    }

    /// One line per charted column across the rows (the months), value axis on the left.
    static func lines(_ table: DashboardTable, title: String, lang: Lang, id: String) -> String {
        let series = table.chart_columns
        let format = table.columns[0].format
        let values = table.rows.map { row in (0..<series).map { max(0, row.values[$0] ?? 0) } }
        let scale = ChartScale(maxValue: values.flatMap { $0 }.max() ?? 0, ticks: 4)
        let left = 56.0, right = 10.0, top = 50.0, bottom = 30.0, plotHeight = 180.0
        let height = top + plotHeight + bottom
        let bands = BandLayout(count: table.rows.count, length: width - left - right)
        var svg = open(id, title, height: height)
        svg += legend((0..<series).map { lang == .zh ? table.columns[$0].name_zh : table.columns[$0].name_en }, y: 36)
        for tick in scale.ticks {
            let ty = top + plotHeight - scale.position(tick, length: plotHeight)
            svg += "<line x1=\"\(n(left))\" y1=\"\(n(ty))\" x2=\"\(n(width - right))\" y2=\"\(n(ty))\" stroke=\"#d9dde5\"/>"
            svg +=
                "<text class=\"ca\" x=\"\(n(left - 6))\" y=\"\(n(ty + 4))\" text-anchor=\"end\">\(x(DashboardViews.compact(tick, format, lang)))</text>"
        }
        for (i, row) in table.rows.enumerated() {
            let label = lang == .zh ? row.label_zh : String(row.key.suffix(2))
            svg += "<text class=\"ca\" x=\"\(n(left + bands.center(i)))\" y=\"\(n(top + plotHeight + 18))\" text-anchor=\"middle\">\(x(label))</text>"
        }
        for s in 0..<series {
            let points = table.rows.indices.map { i in
                "\(n(left + bands.center(i))),\(n(top + plotHeight - scale.position(values[i][s], length: plotHeight)))"
            }
            let color = palette[s % palette.count]
            svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>"
            let name = lang == .zh ? table.columns[s].name_zh : table.columns[s].name_en
            for (i, row) in table.rows.enumerated() {
                let label = lang == .zh ? row.label_zh : row.label_en
                svg +=
                    "<circle cx=\"\(n(left + bands.center(i)))\" cy=\"\(n(top + plotHeight - scale.position(values[i][s], length: plotHeight)))\" r=\"3\" fill=\"\(color)\">"
                    + "<title>\(x(label)) · \(x(name)): \(x(DashboardViews.format(values[i][s], table.columns[s].format, lang)))</title></circle>"
            }
        }
        return svg + "</svg>"
    }

    /// A grid of cells (micro-grids), each coloured by the first column's value (HeatShade) and
    /// linking to that cell's dashboard; a legend of the shades below.
    static func heatGrid(_ table: DashboardTable, title: String, lang: Lang, id: String) -> String {
        let columns = 8, cellW = width / Double(columns), cellH = 46.0, top = 26.0
        let values = table.rows.map { max(0, $0.values[0] ?? 0) }
        let largest = values.max() ?? 0
        let smallest = values.filter { $0 > 0 }.min() ?? 0
        let rowsCount = (table.rows.count + columns - 1) / columns
        let height = top + Double(rowsCount) * cellH + 34
        let column = table.columns[0]
        var svg = open(id, title, height: height)
        for (i, row) in table.rows.enumerated() {
            let cx = Double(i % columns) * cellW, cy = top + Double(i / columns) * cellH
            let level = HeatShade.level(values[i], min: smallest, max: largest, levels: heat.count - 1)
            let label = lang == .zh ? row.label_zh : row.label_en
            let ink = level >= 3 ? "#ffffff" : "#1d2433"
            let cell =
                "<rect x=\"\(n(cx + 1))\" y=\"\(n(cy + 1))\" width=\"\(n(cellW - 2))\" height=\"\(n(cellH - 2))\" fill=\"\(heat[level])\" stroke=\"#d9dde5\">"
                + "<title>\(x(label)) · \(x(lang == .zh ? column.name_zh : column.name_en)): \(x(DashboardViews.format(values[i], column.format, lang)))</title></rect>"
                + "<text class=\"hl\" x=\"\(n(cx + 5))\" y=\"\(n(cy + 18))\" fill=\"\(ink)\">\(x(short(label, 6)))</text>"
                + "<text class=\"hv\" x=\"\(n(cx + 5))\" y=\"\(n(cy + 36))\" fill=\"\(ink)\">\(x(DashboardViews.compact(values[i], column.format, lang)))</text>"
            if let href = row.href {
                svg += "<a href=\"\(x(href))\">\(cell)</a>"
            } else {
                svg += cell
            }
        }
        let legendY = top + Double(rowsCount) * cellH + 20
        svg += "<text class=\"cl\" x=\"0\" y=\"\(n(legendY))\">\(x(lang == .zh ? column.name_zh : column.name_en))</text>"
        for (i, color) in heat.enumerated() {
            let lx = 150 + Double(i) * 44
            svg += "<rect x=\"\(n(lx))\" y=\"\(n(legendY - 11))\" width=\"40\" height=\"14\" fill=\"\(color)\" stroke=\"#d9dde5\"/>"
        }
        svg +=
            "<text class=\"ca\" x=\"\(n(150 + Double(heat.count) * 44 + 4))\" y=\"\(n(legendY))\">0 · \(x(DashboardViews.compact(smallest, column.format, lang))) – \(x(DashboardViews.compact(largest, column.format, lang)))</text>"
        return svg + "</svg>"
    }
}
