import Foundation

/// A CSV file read for import (CSV 导入): the header names and the records under them.
///
/// ``init(parsing:)`` reads RFC 4180 text that has already been decoded (from UTF-8 or GB18030)
/// into a `String`; ``write(header:rows:)`` produces what the export offers for download.
public struct CSVTable: Sendable, Equatable {
    /// The column names from the first record, trimmed of surrounding whitespace; none is empty
    /// and no two are equal.
    public var header: [String]
    /// The records after the header, each with exactly `header.count` fields.
    public var rows: [CSVRow]

    public init(header: [String], rows: [CSVRow]) {
        self.header = header
        self.rows = rows
    }
}

/// One record of a CSV file, with where it starts so that an import can say which line is wrong.
public struct CSVRow: Sendable, Equatable {
    /// The physical line (from 1; the header is normally line 1) on which the record starts.
    /// Line breaks inside quoted fields count, so this is the line a text editor shows.
    public var line: Int
    /// The fields as written, quotes removed and `""` turned into `"`; whitespace is kept.
    public var fields: [String]

    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}

extension CSVTable {
    /// Parses CSV text (RFC 4180, as Excel and WPS write it).
    ///
    /// - A byte-order mark (U+FEFF) at the very start is dropped.
    /// - Records end with CRLF, LF or a lone CR; the last one may have no line end.
    /// - Fields are separated by commas; a field in double quotes may hold commas, line breaks and
    ///   quotes (written `""`). A quote anywhere else is an error, as is anything but a comma or
    ///   a line end after a closing quote: such files are damaged, and guessing would shift data
    ///   into the wrong column.
    /// - Empty lines are skipped (before the header too); a line of only spaces or only commas
    ///   is a record.
    /// - Fields keep their whitespace; header names are trimmed, must not be empty and must
    ///   differ from each other; every record must have as many fields as the header.
    ///
    /// Reads the text once, byte by byte over its UTF-8 form, so time grows linearly with size.
    /// Stops at the first problem.
    public init(parsing text: String) throws(CSVTable.Error) {
        var parser = CSVParser(bytes: Array(text.utf8))
        self = try parser.parse()
    }
}

/// The state of one pass over the UTF-8 bytes of a CSV text. Every byte that ends a field or a
/// line is ASCII, and UTF-8 never uses ASCII byte values inside a multi-byte character, so
/// slicing at those bytes always leaves whole characters.
struct CSVParser {
    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")
    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    private let bytes: [UInt8]
    private var index = 0
    /// The physical line `index` is on.
    private var line = 1
    /// Reused for quoted fields, where `""` must become `"`.
    private var buffer: [UInt8] = []

    init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    mutating func parse() throws(CSVTable.Error) -> CSVTable {
        guard skipEmptyLines() else { throw .empty }
        let headerLine = line
        let header = try record(expectedCount: 8).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        var columns: [String: Int] = [:]
        for (offset, name) in header.enumerated() {
            guard !name.isEmpty else { throw .emptyHeaderName(line: headerLine, column: offset + 1) }
            if let first = columns[name] {
                throw .duplicateHeaderName(name, line: headerLine, firstColumn: first, column: offset + 1)
            }
            columns[name] = offset + 1
        }

        var rows: [CSVRow] = []
        while skipEmptyLines() {
            let start = line
            let fields = try record(expectedCount: header.count)
            guard fields.count == header.count else {
                throw .wrongFieldCount(line: start, expected: header.count, found: fields.count)
            }
            rows.append(CSVRow(line: start, fields: fields))
        }
        return CSVTable(header: header, rows: rows)
    }

    /// Steps over line ends at the start of a record; false at the end of the text.
    private mutating func skipEmptyLines() -> Bool {
        while index < bytes.count {
            guard consumeLineEnd() else { return true }
        }
        return false
    }

    /// Steps over a CRLF, LF or CR at `index` and counts the line; false if there is none.
    private mutating func consumeLineEnd() -> Bool {
        switch bytes[index] {
        case Self.lineFeed:
            index += 1
        case Self.carriageReturn:
            index += 1
            if index < bytes.count, bytes[index] == Self.lineFeed { index += 1 }
        default:
            return false
        }
        line += 1
        return true
    }

    /// Reads one record from `index`, which is not at a line end, through its line end.
    private mutating func record(expectedCount: Int) throws(CSVTable.Error) -> [String] {
        var fields: [String] = []
        fields.reserveCapacity(expectedCount)
        while true {
            if index < bytes.count, bytes[index] == Self.quote {
                fields.append(try quotedField())
            } else {
                fields.append(try unquotedField(column: fields.count + 1))
            }
            // Now at a comma, a line end or the end of the text.
            guard index < bytes.count else { return fields }
            if bytes[index] == Self.comma {
                index += 1
                continue
            }
            if consumeLineEnd() { return fields }
            throw .textAfterClosingQuote(line: line, column: fields.count)
        }
    }

    private mutating func unquotedField(column: Int) throws(CSVTable.Error) -> String {
        let start = index
        while index < bytes.count {
            switch bytes[index] {
            case Self.comma, Self.lineFeed, Self.carriageReturn:
                return String(decoding: bytes[start..<index], as: UTF8.self)
            case Self.quote:
                throw .quoteInUnquotedField(line: line, column: column)
            default:
                index += 1
            }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// Reads a quoted field from its opening quote through its closing quote.
    private mutating func quotedField() throws(CSVTable.Error) -> String {
        let openingLine = line
        index += 1
        buffer.removeAll(keepingCapacity: true)
        var segment = index
        while index < bytes.count {
            switch bytes[index] {
            case Self.quote:
                buffer.append(contentsOf: bytes[segment..<index])
                index += 1
                guard index < bytes.count, bytes[index] == Self.quote else {
                    return String(decoding: buffer, as: UTF8.self)
                }
                // `""`: keep the second quote as the start of the next segment.
                segment = index
                index += 1
            case Self.lineFeed:
                index += 1
                line += 1
            case Self.carriageReturn:
                index += 1
                if index < bytes.count, bytes[index] == Self.lineFeed { index += 1 }
                line += 1
            default:
                index += 1
            }
        }
        throw .unterminatedQuote(line: openingLine)
    }
}
