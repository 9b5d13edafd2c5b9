import Foundation

extension CSVTable {
    /// CSV for export (CSV 导出), as Excel and WPS open it directly: a leading byte-order mark (so
    /// that Excel reads UTF-8, not the system code page), records ending in CRLF, and fields in
    /// double quotes (a quote inside doubled) only when they hold a comma, a quote, CR or LF.
    ///
    /// Against formula injection (CSV 公式注入), a field beginning with `=`, `+`, `-`, `@`, a tab
    /// or CR gets a `'` in front so that a spreadsheet shows it as text instead of running it.
    /// Plain negative numbers (`-12`, `-3.5`: a minus, digits, optionally a point and digits) are
    /// left alone. Reading the file back gives such fields with the `'`.
    ///
    /// A record of one empty field is written `""`, since an empty line would be skipped on
    /// reading. Rows are written as given; keeping them as long as the header is the caller's job.
    public static func write(header: [String], rows: [[String]]) -> String {
        var text = "\u{FEFF}"
        appendRecord(header, to: &text)
        for row in rows { appendRecord(row, to: &text) }
        return text
    }

    private static func appendRecord(_ fields: [String], to text: inout String) {
        if fields.count == 1, fields[0].isEmpty {
            text += "\"\"\r\n"
            return
        }
        for (offset, field) in fields.enumerated() {
            if offset > 0 { text += "," }
            text += encodedField(field)
        }
        text += "\r\n"
    }

    /// One field as ``write(header:rows:)`` writes it: guarded against formulas, then quoted if
    /// needed.
    static func encodedField(_ field: String) -> String {
        let guarded = startsLikeFormula(field) ? "'" + field : field
        let needsQuotes = guarded.utf8.contains { byte in
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"")
                || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
        }
        guard needsQuotes else { return guarded }
        return "\"" + guarded.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Whether a spreadsheet might read `field` as a formula: it begins with `=`, `+`, `-`, `@`,
    /// a tab or CR, and is not a plain negative number.
    static func startsLikeFormula(_ field: String) -> Bool {
        guard let first = field.utf8.first else { return false }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "@"), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
            return true
        case UInt8(ascii: "-"):
            return !isPlainNegativeNumber(field)
        default:
            return false
        }
    }

    /// `-` then one or more ASCII digits, optionally followed by `.` and one or more digits.
    private static func isPlainNegativeNumber(_ field: String) -> Bool {
        var bytes = field.utf8.dropFirst()[...]
        func digits() -> Int {
            let count = bytes.prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }.count
            bytes = bytes.dropFirst(count)
            return count
        }
        guard digits() > 0 else { return false }
        if bytes.isEmpty { return true }
        guard bytes.first == UInt8(ascii: ".") else { return false }
        bytes = bytes.dropFirst()
        return digits() > 0 && bytes.isEmpty
    }
}
