import Foundation

/// A smart group's tag expression (智能分组的标签表达式): a boolean formula over tag codes, e.g.
/// `独居老人 AND (低保 OR 残疾) AND NOT 已故`.
///
/// Parse one with ``init(parsing:)``; the grammar is in that initialiser's documentation. The tree
/// is always flat (`a AND (b AND c)` is one `and` of three operands, never an `and` inside an
/// `and`) and every `and`/`or` that parsing produces has at least two operands. `description` is
/// the canonical text (English upper-case operators, ASCII parentheses, quotes only where needed),
/// which parses back to an equal tree, so it is the form to store for a saved group.
///
/// Parsing enforces ``maxLength``, ``maxTags`` and ``maxDepth`` so that a saved group can never
/// turn into a query that hurts the database. The server compiles the tree to SQL itself.
public indirect enum TagExpression: Sendable, Hashable {
    /// Persons who carry this tag code.
    case tag(String)
    /// Persons for whom the operand is false (非).
    case not(TagExpression)
    /// Persons for whom every operand is true (且).
    case and([TagExpression])
    /// Persons for whom at least one operand is true (或).
    case or([TagExpression])

    /// The longest expression text accepted, in characters.
    public static let maxLength = 2_000
    /// The most tag occurrences one expression may hold; `a OR a` counts two, since each one
    /// becomes its own condition in SQL.
    public static let maxTags = 64
    /// The deepest nesting accepted, as ``depth`` counts it; nesting written in the text (each
    /// parenthesis and each NOT on the way in) is held to the same limit.
    public static let maxDepth = 32

    /// Every tag code the expression mentions, once each (negated ones too).
    public var tags: Set<String> {
        var codes = Set<String>()
        collectTags(into: &codes)
        return codes
    }

    private func collectTags(into codes: inout Set<String>) {
        switch self {
        case .tag(let code): codes.insert(code)
        case .not(let operand): operand.collectTags(into: &codes)
        case .and(let operands), .or(let operands):
            for operand in operands { operand.collectTags(into: &codes) }
        }
    }

    /// The number of operators stacked above the deepest tag: 0 for a lone tag, 1 for `a AND b`
    /// or `NOT a`, 2 for `a AND (b OR c)`.
    public var depth: Int {
        switch self {
        case .tag: return 0
        case .not(let operand): return 1 + operand.depth
        case .and(let operands), .or(let operands):
            return 1 + (operands.map(\.depth).max() ?? 0)
        }
    }

    /// Whether a person matches, given whether they carry each tag code. Evaluation stops as
    /// soon as the answer is known (an `and` at its first false operand, an `or` at its first
    /// true one). An `and` of no operands is true and an `or` of none is false, as in logic;
    /// parsing never produces either.
    public func evaluate(_ has: (String) -> Bool) -> Bool {
        switch self {
        case .tag(let code): return has(code)
        case .not(let operand): return !operand.evaluate(has)
        case .and(let operands): return operands.allSatisfy { $0.evaluate(has) }
        case .or(let operands): return operands.contains { $0.evaluate(has) }
        }
    }

    /// Whether a person carrying exactly `codes` matches.
    public func matches(_ codes: Set<String>) -> Bool {
        evaluate { codes.contains($0) }
    }
}

extension TagExpression: CustomStringConvertible {
    /// The canonical text: `AND`, `OR`, `NOT`, ASCII parentheses only where precedence needs them,
    /// single spaces, and tag codes in double quotes (a quote inside doubled) only when they are
    /// not a plain identifier or read as an operator. For any parsed expression,
    /// `TagExpression(parsing: e.description) == e`. A hand-built tree with an `and` directly
    /// inside an `and` (or `or` inside `or`) reads back flattened.
    public var description: String {
        switch self {
        case .tag(let code):
            return Self.written(code)
        case .not(let operand):
            return "NOT " + operand.text(parenthesized: operand.isAndOr)
        case .and(let operands):
            // An `and` directly inside an `and` exists only in a hand-built tree; it is bracketed
            // like an `or` and reads back flattened.
            return operands.map { $0.text(parenthesized: $0.isAndOr) }.joined(separator: " AND ")
        case .or(let operands):
            return operands.map { operand in
                if case .or = operand { return operand.text(parenthesized: true) }
                return operand.text(parenthesized: false)
            }.joined(separator: " OR ")
        }
    }

    private var isAndOr: Bool {
        switch self {
        case .and, .or: return true
        case .tag, .not: return false
        }
    }

    private func text(parenthesized: Bool) -> String {
        parenthesized ? "(" + description + ")" : description
    }

    /// A tag code as the canonical text writes it: bare when the lexer would read it back as that
    /// one tag, otherwise in double quotes with any `"` doubled.
    static func written(_ code: String) -> String {
        let bare =
            !code.isEmpty
            && code.allSatisfy(TagExpressionLexer.isIdentifierCharacter)
            && TagExpressionLexer.keyword(code) == nil
        return bare ? code : "\"" + code.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
