extension CSVTable {
    /// Why a CSV file could not be read, with the physical line (from 1) to look at. Messages
    /// never repeat field contents, which may be ID or phone numbers; header names are repeated.
    public enum Error: FieldErrorConvertible, Sendable, Equatable {
        /// No record at all, not even a header (an empty file, or only a BOM and line ends).
        case empty
        /// The quote that opens a field on this line is never closed.
        case unterminatedQuote(line: Int)
        /// A `"` inside a field (column from 1) that does not start with one, e.g. `12"3` or
        /// ` "a"` (with a space before the quote).
        case quoteInUnquotedField(line: Int, column: Int)
        /// Something other than a comma or a line end follows the closing quote of the field
        /// (column from 1), e.g. `"a"b`.
        case textAfterClosingQuote(line: Int, column: Int)
        /// The record starting on this line has `found` fields, not the header's `expected`.
        case wrongFieldCount(line: Int, expected: Int, found: Int)
        /// A header name (column from 1) is empty or only whitespace.
        case emptyHeaderName(line: Int, column: Int)
        /// Two header names are the same after trimming.
        case duplicateHeaderName(String, line: Int, firstColumn: Int, column: Int)

        /// The form field these errors belong to: `file`.
        public var field: String { "file" }

        /// The physical line to look at; 1 for `empty`.
        public var line: Int {
            switch self {
            case .empty: return 1
            case .unterminatedQuote(let line), .quoteInUnquotedField(let line, _),
                .textAfterClosingQuote(let line, _), .wrongFieldCount(let line, _, _),
                .emptyHeaderName(let line, _), .duplicateHeaderName(_, let line, _, _):
                return line
            }
        }

        /// 简体中文 message.
        public var messageZH: String {
            switch self {
            case .empty:
                return "文件是空的：至少要有一行表头"
            case .unterminatedQuote(let line):
                return "第\(line)行：字段以引号开头，但直到文件末尾都没有结束引号"
            case .quoteInUnquotedField(let line, let column):
                return "第\(line)行第\(column)列：字段中间出现引号；含引号的字段须整体放在引号内，并把引号写成两个"
            case .textAfterClosingQuote(let line, let column):
                return "第\(line)行第\(column)列：结束引号后面应是逗号或换行"
            case .wrongFieldCount(let line, let expected, let found):
                return "第\(line)行：应有\(expected)列（与表头相同），实有\(found)列"
            case .emptyHeaderName(let line, let column):
                return "第\(line)行（表头）第\(column)列：列名为空"
            case .duplicateHeaderName(let name, let line, let first, let column):
                return "第\(line)行（表头）：列名“\(name)”重复出现在第\(first)列和第\(column)列"
            }
        }

        /// English message.
        public var messageEN: String {
            switch self {
            case .empty:
                return "The file is empty: it needs at least a header line."
            case .unterminatedQuote(let line):
                return "Line \(line): a field opens a quote that is never closed."
            case .quoteInUnquotedField(let line, let column):
                return
                    "Line \(line), column \(column): a quote in the middle of a field; a field with quotes must be quoted as a whole, with each quote doubled."
            case .textAfterClosingQuote(let line, let column):
                return "Line \(line), column \(column): a closing quote must be followed by a comma or a line end."
            case .wrongFieldCount(let line, let expected, let found):
                return "Line \(line): expected \(expected) fields (as in the header), found \(found)."
            case .emptyHeaderName(let line, let column):
                return "Line \(line) (header), column \(column): the column name is empty."
            case .duplicateHeaderName(let name, let line, let first, let column):
                return "Line \(line) (header): the column name “\(name)” appears in both column \(first) and column \(column)."
            }
        }

        /// The error as a form field error on `file`.
        public var fieldError: FieldError {
            FieldError(field: field, messageZH: messageZH, messageEN: messageEN)
        }
    }
}
