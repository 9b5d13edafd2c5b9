import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Import of the register from CSV files (CSV 导入): the character encodings offices' files come
// in and lenient readings of their cells. Who an import acts for, its header and its report with
// line numbers are in RegistryImport+Files.swift; the importers in PersonImport.swift and
// TagAssignmentImport.swift; the export in RegistryExport.swift; HTTP in
// RegistryTransferController.swift; the command line in RegistryCommands.swift.

/// The character encodings an import file may come in (导入文件编码). Excel on a Chinese Windows
/// writes "CSV (逗号分隔)" in GB18030 (code page 936, GBK, of which GB18030 is the superset);
/// "CSV UTF-8" and WPS write UTF-8 with a byte-order mark.
package enum ImportEncoding: String, Sendable, CaseIterable, Codable {
    /// Valid UTF-8 is read as UTF-8, anything else as GB18030.
    case auto
    case utf8 = "utf-8"
    case gb18030

    /// Reads an `encoding` option: `auto`, `utf-8`/`utf8`, `gb18030` (also `gbk`, `gb2312`, `cp936`,
    /// which GB18030 contains). Case and surrounding spaces are ignored; nil for anything else.
    init?(option: String) {
        switch option.trimmingCharacters(in: .whitespaces).lowercased() {
        case "", "auto": self = .auto
        case "utf-8", "utf8": self = .utf8
        case "gb18030", "gbk", "gb2312", "cp936": self = .gb18030
        default: return nil
        }
    }

    static let optionError = FieldError(
        field: "encoding", messageZH: "编码须为 auto、utf-8 或 gb18030",
        messageEN: "encoding must be auto, utf-8 or gb18030")
}

/// Turns the bytes of an uploaded file into text.
enum ImportText {
    /// Why the bytes could not be read as text; `line` is where the first bad byte is, if known.
    struct Failure: Error, Sendable, Equatable {
        var line: Int?
        var messageZH: String
        var messageEN: String
    }

    /// Decodes `bytes`: with `.auto`, valid UTF-8 (with or without BOM) is UTF-8 and anything else
    /// is converted from GB18030. Returns the text and the encoding it was read in. A UTF-8 BOM is
    /// kept (the CSV reader drops it).
    static func decode(_ bytes: [UInt8], as encoding: ImportEncoding) throws(Failure) -> (text: String, encoding: ImportEncoding) {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw Failure(
                line: 1, messageZH: "文件是 UTF-16 编码（Excel 的“Unicode 文本”），请另存为“CSV UTF-8”或“CSV（逗号分隔）”",
                messageEN: "The file is UTF-16 (Excel's “Unicode text”); save it as “CSV UTF-8” or “CSV (comma delimited)”")
        }
        switch encoding {
        case .utf8:
            if let text = String(validating: bytes, as: UTF8.self) { return (text, .utf8) }
            let line = firstInvalidUTF8Offset(bytes).map { lineNumber(ofOffset: $0, in: bytes) }
            throw Failure(
                line: line, messageZH: "文件不是有效的 UTF-8 文本；Excel 另存的 CSV 多为 GB18030，可改用 encoding=gb18030 或 auto",
                messageEN: "The file is not valid UTF-8; CSV saved by Excel is often GB18030: use encoding=gb18030 or auto")
        case .gb18030:
            // A UTF-8 byte-order mark settles it: the file was saved as UTF-8 whatever it was called.
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]), let text = String(validating: bytes, as: UTF8.self) { return (text, .utf8) }
            return (try fromGB18030(bytes), .gb18030)
        case .auto:
            if let text = String(validating: bytes, as: UTF8.self) { return (text, .utf8) }
            do {
                return (try fromGB18030(bytes), .gb18030)
            } catch {
                throw Failure(
                    line: error.line, messageZH: "文件既不是 UTF-8 也不是 GB18030 文本，请用 Excel 另存为“CSV UTF-8”",
                    messageEN: "The file is neither UTF-8 nor GB18030 text; save it from Excel as “CSV UTF-8”")
            }
        }
    }

    /// Converts GB18030 bytes to a string with the C library's iconv (glibc ships the GB18030
    /// converter in its gconv modules).
    static func fromGB18030(_ bytes: [UInt8]) throws(Failure) -> String {
        guard !bytes.isEmpty else { return "" }
        guard let converter = iconv_open("UTF-8", "GB18030"), Int(bitPattern: converter) != -1 else {
            throw Failure(
                line: nil, messageZH: "本机缺少 GB18030 转换模块（glibc gconv），请把文件另存为 UTF-8",
                messageEN: "This machine lacks the GB18030 converter (glibc gconv); save the file as UTF-8")
        }
        defer { iconv_close(converter) }
        var input = bytes
        // UTF-8 needs at most 3 bytes for a 2-byte GB18030 character and 4 for a 4-byte one.
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        var problem: (errno: Int32, offset: Int)?
        var produced = 0
        input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                guard let inBase = inBuffer.baseAddress, let outBase = outBuffer.baseAddress else { return }
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBase).assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBase).assumingMemoryBound(to: CChar.self)
                var outLeft = outBuffer.count
                if iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) == -1 {
                    problem = (errno, inBuffer.count - inLeft)
                }
                produced = outBuffer.count - outLeft
            }
        }
        if let problem {
            let line = lineNumber(ofOffset: problem.offset, in: bytes)
            if problem.errno == EINVAL {
                throw Failure(line: line, messageZH: "文件末尾的汉字不完整（GB18030）", messageEN: "The file ends in the middle of a GB18030 character")
            }
            throw Failure(line: line, messageZH: "第\(line)行含有不是 GB18030 编码的字节", messageEN: "Line \(line) holds bytes that are not GB18030")
        }
        return String(decoding: output[0..<produced], as: UTF8.self)
    }

    /// The physical line (from 1) a byte offset lies on.
    static func lineNumber(ofOffset offset: Int, in bytes: [UInt8]) -> Int {
        var line = 1
        for byte in bytes[0..<min(offset, bytes.count)] where byte == 0x0A { line += 1 }
        return line
    }

    /// Where the first byte that breaks UTF-8 is (overlong forms, surrogates and values above
    /// U+10FFFF count as broken), or nil if the bytes are valid.
    static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length: Int
            var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
            switch lead {
            case 0x00...0x7F: index += 1; continue
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return index
            }
            guard index + length <= bytes.count else { return index }
            for offset in 1..<length {
                let byte = bytes[index + offset]
                let (low, high) = offset == 1 ? (lower, upper) : (0x80, 0xBF)
                guard byte >= low, byte <= high else { return index }
            }
            index += length
        }
        return nil
    }
}

/// What was uploaded: raw bytes (CSV file, any supported encoding) or text already decoded
/// (the `csv` member of a JSON body).
package enum ImportInput: Sendable {
    case bytes([UInt8], ImportEncoding)
    case text(String)

    /// The text and the encoding it was read in.
    func decoded() throws(ImportText.Failure) -> (text: String, encoding: ImportEncoding) {
        switch self {
        case let .bytes(bytes, encoding): return try ImportText.decode(bytes, as: encoding)
        case let .text(text): return (text, .utf8)
        }
    }
}

/// Lenient readings of the cells an office's spreadsheet holds.
enum ImportCell {
    /// `text` (at most 40 characters) when it is safe to repeat in a message, nil when it holds
    /// six digits or more and so might be an ID or phone number in the wrong column (or in a
    /// first line that is data, not a header). Messages quote cells only through this.
    static func quotable(_ text: String) -> String? {
        let digits = text.unicodeScalars.filter { ("0"..."9").contains($0) || ("０"..."９").contains($0) }.count
        return digits < 6 ? String(text.prefix(40)) : nil
    }

    /// The cell without surrounding whitespace; most cells have none, and are returned as they are.
    static func trimmed(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return text }
        if first.properties.isWhitespace || last.properties.isWhitespace {
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return text
    }

    /// `YYYY-MM-DD`, `YYYYMMDD`, and what Excel shows: `1956/3/12`, `1956.3.12`, `1956-3-12`,
    /// `1956年3月12日`, each optionally followed by a midnight time (`1956/3/12 0:00:00`).
    static func date(_ raw: String) -> CivilDate? {
        var text = raw.trimmingCharacters(in: .whitespaces)
        if let space = text.firstIndex(of: " ") {
            let time = text[text.index(after: space)...]
            guard time.allSatisfy({ $0 == "0" || $0 == ":" }) else { return nil }
            text = String(text[..<space])
        }
        if let date = try? CivilDate(parsing: text) { return date }
        // Three groups of ASCII digits (4, then 1–2, then 1–2) separated by / . - 年 月, 日 at the end.
        if text.contains("年"), text.hasSuffix("日") { text.removeLast() }
        var groups: [String] = [""]
        for character in text {
            if let ascii = character.asciiValue, ascii >= 0x30, ascii <= 0x39 {
                groups[groups.count - 1].append(character)
            } else if "/.-年月".contains(character), groups.count < 3, !groups[groups.count - 1].isEmpty {
                groups.append("")
            } else {
                return nil
            }
        }
        guard groups.count == 3, groups[0].count == 4, (1...2).contains(groups[1].count), (1...2).contains(groups[2].count),
            let year = Int(groups[0]), let month = Int(groups[1]), let day = Int(groups[2])
        else { return nil }
        return try? CivilDate(year: year, month: month, day: day)
    }

    /// 男/女 (also 男性/女性), male/female, M/F.
    static func sex(_ raw: String) -> Sex? {
        switch raw.trimmingCharacters(in: .whitespaces).lowercased() {
        case "男", "男性", "male", "m": .male
        case "女", "女性", "female", "f": .female
        default: nil
        }
    }
}

/// Cuts work into batches: bound values per statement stay well under both databases' limits.
enum ImportBatch {
    /// `items` in consecutive pieces of at most `size` elements.
    static func slices<T>(_ items: [T], of size: Int) -> [ArraySlice<T>] {
        stride(from: 0, to: items.count, by: size).map { items[$0..<min($0 + size, items.count)] }
    }
}
