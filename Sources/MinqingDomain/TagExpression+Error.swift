extension TagExpression {
    /// Why a tag expression was rejected, with the character position (from 1) to point at.
    /// Tag codes and operators are repeated in messages: they name groups, not people.
    public enum Error: FieldErrorConvertible, Sendable, Equatable {
        /// Nothing but whitespace was given.
        case empty
        /// Longer than ``TagExpression/maxLength`` characters (the length found).
        case tooLong(length: Int)
        /// A token that cannot stand here, as written: a character that is no part of the
        /// grammar (`#`, a lone `&`), a second tag with no operator between, a stray `)`.
        case unexpectedToken(String, position: Int)
        /// The `(` at this position is never closed.
        case missingClosingParenthesis(position: Int)
        /// The `(` at this position is closed at once: `()`.
        case emptyParentheses(position: Int)
        /// The operator, as written, lacks an operand: `a AND`, `OR a`, `NOT`, `a AND OR b`
        /// (there the AND, whose right operand is missing).
        case danglingOperator(String, position: Int)
        /// The quote opened at this position is never closed.
        case unterminatedQuote(position: Int)
        /// The quotes at this position hold nothing: `""`.
        case emptyTag(position: Int)
        /// The tag at this position is one more than ``TagExpression/maxTags``.
        case tooManyTags(position: Int)
        /// The operator or parenthesis at this position nests deeper than ``TagExpression/maxDepth``.
        case tooDeep(position: Int)

        /// The form field these errors belong to: `expression`.
        public var field: String { "expression" }

        /// Where the problem is, counting characters from 1; for `empty` 1, and for `tooLong`
        /// the first character past the limit.
        public var position: Int {
            switch self {
            case .empty: return 1
            case .tooLong: return TagExpression.maxLength + 1
            case .unexpectedToken(_, let position), .missingClosingParenthesis(let position),
                .emptyParentheses(let position), .danglingOperator(_, let position),
                .unterminatedQuote(let position), .emptyTag(let position),
                .tooManyTags(let position), .tooDeep(let position):
                return position
            }
        }

        /// 简体中文 message.
        public var messageZH: String {
            switch self {
            case .empty:
                return "请填写标签表达式"
            case .tooLong(let length):
                return "标签表达式过长：最多\(TagExpression.maxLength)个字符，现为\(length)个"
            case .unexpectedToken(let token, let position):
                return "标签表达式第\(position)个字符处不应出现“\(token)”"
            case .missingClosingParenthesis(let position):
                return "标签表达式第\(position)个字符处的左括号缺少对应的右括号"
            case .emptyParentheses(let position):
                return "标签表达式第\(position)个字符处的括号内没有内容"
            case .danglingOperator(let op, let position):
                return "标签表达式第\(position)个字符处的运算符“\(op)”缺少运算对象"
            case .unterminatedQuote(let position):
                return "标签表达式第\(position)个字符处的引号没有结束"
            case .emptyTag(let position):
                return "标签表达式第\(position)个字符处的引号内没有标签"
            case .tooManyTags(let position):
                return "标签表达式最多包含\(TagExpression.maxTags)个标签，第\(position)个字符处已超出"
            case .tooDeep(let position):
                return "标签表达式嵌套过深：最多\(TagExpression.maxDepth)层，第\(position)个字符处已超出"
            }
        }

        /// English message.
        public var messageEN: String {
            switch self {
            case .empty:
                return "Enter a tag expression."
            case .tooLong(let length):
                return "The tag expression is too long: at most \(TagExpression.maxLength) characters, this one has \(length)."
            case .unexpectedToken(let token, let position):
                return "Unexpected “\(token)” at character \(position) of the tag expression."
            case .missingClosingParenthesis(let position):
                return "The parenthesis opened at character \(position) of the tag expression is never closed."
            case .emptyParentheses(let position):
                return "The parentheses at character \(position) of the tag expression are empty."
            case .danglingOperator(let op, let position):
                return "The operator “\(op)” at character \(position) of the tag expression is missing an operand."
            case .unterminatedQuote(let position):
                return "The quote opened at character \(position) of the tag expression is never closed."
            case .emptyTag(let position):
                return "The quotes at character \(position) of the tag expression hold no tag code."
            case .tooManyTags(let position):
                return "A tag expression may mention at most \(TagExpression.maxTags) tags; character \(position) goes past that."
            case .tooDeep(let position):
                return "The tag expression is nested too deeply: at most \(TagExpression.maxDepth) levels; character \(position) goes past that."
            }
        }

        /// The error as a form field error on `expression`.
        public var fieldError: FieldError {
            FieldError(field: field, messageZH: messageZH, messageEN: messageEN)
        }
    }
}
