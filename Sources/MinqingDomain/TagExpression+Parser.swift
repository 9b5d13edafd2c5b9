extension TagExpression {
    /// Parses a tag expression as a person types it in the smart-group builder.
    ///
    /// - Operators, from tightest to loosest binding: NOT, AND, OR; AND and OR group left to right,
    ///   and parentheses override. Each may be written in English (any letter case), as a symbol,
    ///   or in Chinese: `NOT` `!` `非`, `AND` `&&` `且`, `OR` `||` `或`. Full-width forms from a
    ///   Chinese input method are accepted: `（` `）` `！` `＆＆` `｜｜`.
    /// - A tag code is a run of letters (Chinese ones included), digits, `_`, `-` and `.`. Words
    ///   are separated by whitespace (the ideographic space too), parentheses or operator symbols.
    ///   The word operators count only as whole words: `非户籍` and `notes` are tag codes, and
    ///   `非 户籍` is NOT 户籍.
    /// - A code holding anything else (spaces, say), or spelled like an operator, goes in double
    ///   quotes, `"独居 老人"`, with a `"` inside written `""`; or in Chinese quotes, `“独居 老人”`,
    ///   which cannot hold a `”`.
    ///
    /// Error positions count characters (user-perceived, from 1) in `text`.
    public init(parsing text: String) throws(TagExpression.Error) {
        let length = text.count
        guard length <= Self.maxLength else { throw .tooLong(length: length) }
        var parser = try TagExpressionParser(text)
        self = try parser.parse()
    }
}

/// The tokens of a tag expression.
enum TagExpressionToken: Equatable {
    case tag(String)
    case and, or, not
    case open, close
    case end
}

/// A token with where it starts (1-based character position) and how it was written.
struct TagExpressionLexeme {
    var token: TagExpressionToken
    var position: Int
    var text: String

    var isOperator: Bool {
        switch token {
        case .and, .or, .not: return true
        case .tag, .open, .close, .end: return false
        }
    }
}

/// Splits expression text into tokens on demand, so that the first error met from left to right
/// is the one reported, whether it is a bad character or bad grammar.
struct TagExpressionLexer {
    let characters: [Character]
    var index = 0

    /// Whether `character` may appear in an unquoted tag code.
    static func isIdentifierCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "-" || character == "."
    }

    /// The operator a whole word spells, if any.
    static func keyword(_ word: String) -> TagExpressionToken? {
        switch word {
        case "且": return .and
        case "或": return .or
        case "非": return .not
        default:
            switch word.lowercased() {
            case "and": return .and
            case "or": return .or
            case "not": return .not
            default: return nil
            }
        }
    }

    mutating func next() throws(TagExpression.Error) -> TagExpressionLexeme {
        while index < characters.count, characters[index].isWhitespace { index += 1 }
        let start = index
        guard start < characters.count else {
            return TagExpressionLexeme(token: .end, position: start + 1, text: "")
        }
        let raw = characters[start]
        switch HalfWidth.fold(raw) {
        case "(": return single(.open)
        case ")": return single(.close)
        case "!": return single(.not)
        case let symbol where symbol == "&" || symbol == "|":
            guard start + 1 < characters.count, HalfWidth.fold(characters[start + 1]) == symbol else {
                throw .unexpectedToken(String(raw), position: start + 1)
            }
            index += 2
            return lexeme(symbol == "&" ? .and : .or, from: start)
        case "\"" where raw == "\"":
            return try quoted(closing: "\"", doubledQuoteEscapes: true)
        case "“":
            return try quoted(closing: "”", doubledQuoteEscapes: false)
        default:
            guard Self.isIdentifierCharacter(raw) else {
                throw .unexpectedToken(String(raw), position: start + 1)
            }
            while index < characters.count, Self.isIdentifierCharacter(characters[index]) { index += 1 }
            let word = String(characters[start..<index])
            return lexeme(Self.keyword(word) ?? .tag(word), from: start)
        }
    }

    private mutating func single(_ token: TagExpressionToken) -> TagExpressionLexeme {
        index += 1
        return lexeme(token, from: index - 1)
    }

    private func lexeme(_ token: TagExpressionToken, from start: Int) -> TagExpressionLexeme {
        TagExpressionLexeme(token: token, position: start + 1, text: String(characters[start..<index]))
    }

    private mutating func quoted(closing: Character, doubledQuoteEscapes: Bool) throws(TagExpression.Error) -> TagExpressionLexeme {
        let start = index
        index += 1
        var code = ""
        while index < characters.count {
            let character = characters[index]
            index += 1
            guard character == closing else {
                code.append(character)
                continue
            }
            if doubledQuoteEscapes, index < characters.count, characters[index] == closing {
                code.append(closing)
                index += 1
                continue
            }
            guard !code.isEmpty else { throw .emptyTag(position: start + 1) }
            return lexeme(.tag(code), from: start)
        }
        throw .unterminatedQuote(position: start + 1)
    }
}

/// Recursive descent over the grammar
/// `or := and (OR and)*`, `and := unary (AND unary)*`, `unary := NOT unary | primary`,
/// `primary := TAG | "(" or ")"`, counting tags and nesting as it goes so that no input can make
/// it recurse deeper than ``TagExpression/maxDepth`` levels.
struct TagExpressionParser {
    private var lexer: TagExpressionLexer
    private var current: TagExpressionLexeme
    /// The token consumed last, to tell which operator lacks an operand.
    private var previous: TagExpressionLexeme?
    /// Open parentheses and NOTs around the current token.
    private var nesting = 0
    private var tagCount = 0

    init(_ text: String) throws(TagExpression.Error) {
        lexer = TagExpressionLexer(characters: Array(text))
        current = try lexer.next()
    }

    mutating func parse() throws(TagExpression.Error) -> TagExpression {
        if current.token == .end { throw .empty }
        let expression = try parseOr()
        guard current.token == .end else { throw .unexpectedToken(current.text, position: current.position) }
        return expression
    }

    private mutating func advance() throws(TagExpression.Error) {
        previous = current
        current = try lexer.next()
    }

    private mutating func enter(_ lexeme: TagExpressionLexeme) throws(TagExpression.Error) {
        nesting += 1
        if nesting > TagExpression.maxDepth { throw .tooDeep(position: lexeme.position) }
    }

    private func checked(_ node: TagExpression, operator lexeme: TagExpressionLexeme) throws(TagExpression.Error) -> TagExpression {
        if node.depth > TagExpression.maxDepth { throw .tooDeep(position: lexeme.position) }
        return node
    }

    private mutating func parseOr() throws(TagExpression.Error) -> TagExpression {
        let first = try parseAnd()
        guard current.token == .or else { return first }
        let firstOperator = current
        var operands: [TagExpression] = []
        func add(_ operand: TagExpression) {
            if case .or(let inner) = operand { operands += inner } else { operands.append(operand) }
        }
        add(first)
        while current.token == .or {
            try advance()
            add(try parseAnd())
        }
        return try checked(.or(operands), operator: firstOperator)
    }

    private mutating func parseAnd() throws(TagExpression.Error) -> TagExpression {
        let first = try parseUnary()
        guard current.token == .and else { return first }
        let firstOperator = current
        var operands: [TagExpression] = []
        func add(_ operand: TagExpression) {
            if case .and(let inner) = operand { operands += inner } else { operands.append(operand) }
        }
        add(first)
        while current.token == .and {
            try advance()
            add(try parseUnary())
        }
        return try checked(.and(operands), operator: firstOperator)
    }

    private mutating func parseUnary() throws(TagExpression.Error) -> TagExpression {
        guard current.token == .not else { return try parsePrimary() }
        let notOperator = current
        try enter(notOperator)
        try advance()
        let operand = try parseUnary()
        nesting -= 1
        return try checked(.not(operand), operator: notOperator)
    }

    private mutating func parsePrimary() throws(TagExpression.Error) -> TagExpression {
        switch current.token {
        case .tag(let code):
            tagCount += 1
            if tagCount > TagExpression.maxTags { throw .tooManyTags(position: current.position) }
            try advance()
            return .tag(code)
        case .open:
            let open = current
            try enter(open)
            try advance()
            if current.token == .close { throw .emptyParentheses(position: open.position) }
            if current.token == .end { throw .missingClosingParenthesis(position: open.position) }
            let inner = try parseOr()
            switch current.token {
            case .close: break
            case .end: throw .missingClosingParenthesis(position: open.position)
            default: throw .unexpectedToken(current.text, position: current.position)
            }
            nesting -= 1
            try advance()
            return inner
        case .not:
            return try parseUnary()
        case .and, .or, .close, .end:
            // An operand is missing. After an operator, that operator lacks its right operand;
            // otherwise an AND/OR here lacks its left one.
            if let previous, previous.isOperator {
                throw .danglingOperator(previous.text, position: previous.position)
            }
            if current.token == .and || current.token == .or {
                throw .danglingOperator(current.text, position: current.position)
            }
            // Only a ")" at the very start gets here: "(" and the end are handled above.
            throw .unexpectedToken(current.text, position: current.position)
        }
    }
}
