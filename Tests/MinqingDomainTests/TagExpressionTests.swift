import Testing

@testable import MinqingDomain

private func tag(_ code: String) -> TagExpression { .tag(code) }
private let a = tag("a"), b = tag("b"), c = tag("c"), d = tag("d")

@Suite("TagExpression (智能分组的标签表达式)")
struct TagExpressionTests {
    @Test(
        "precedence, grouping and flattening",
        arguments: [
            ("a", a),
            ("a AND b", .and([a, b])),
            ("a OR b", .or([a, b])),
            ("NOT a", .not(a)),
            ("a AND b OR c", .or([.and([a, b]), c])),
            ("a OR b AND c", .or([a, .and([b, c])])),
            ("a OR b AND c OR d", .or([a, .and([b, c]), d])),
            ("NOT a AND b", .and([.not(a), b])),
            ("NOT a OR b", .or([.not(a), b])),
            ("a AND NOT b", .and([a, .not(b)])),
            ("NOT (a AND b)", .not(.and([a, b]))),
            ("a AND (b OR c)", .and([a, .or([b, c])])),
            ("(a OR b) AND c", .and([.or([a, b]), c])),
            ("(a OR b) AND (c OR d)", .and([.or([a, b]), .or([c, d])])),
            ("a AND b AND c", .and([a, b, c])),
            ("a AND (b AND c)", .and([a, b, c])),
            ("(a AND b) AND (c AND d)", .and([a, b, c, d])),
            ("a OR (b OR c) OR d", .or([a, b, c, d])),
            ("a OR b OR c", .or([a, b, c])),
            ("NOT NOT a", .not(.not(a))),
            ("NOT (NOT a)", .not(.not(a))),
            ("(a)", a),
            ("((a))", a),
            ("((a AND b))", .and([a, b])),
            ("NOT (a AND b) AND c", .and([.not(.and([a, b])), c])),
            (
                "独居老人 AND (低保 OR 残疾) AND NOT 已故",
                .and([tag("独居老人"), .or([tag("低保"), tag("残疾")]), .not(tag("已故"))])
            )
        ] as [(String, TagExpression)])
    func precedence(text: String, expected: TagExpression) throws {
        #expect(try TagExpression(parsing: text) == expected)
    }

    static let example = TagExpression.and([tag("独居老人"), .or([tag("低保"), tag("残疾")]), .not(tag("已故"))])

    @Test(
        "every operator spelling and full-width parentheses read the same",
        arguments: [
            "独居老人 AND (低保 OR 残疾) AND NOT 已故",
            "独居老人 and (低保 or 残疾) and not 已故",
            "独居老人 And (低保 Or 残疾) aNd NoT 已故",
            "独居老人 && (低保 || 残疾) && !已故",
            "独居老人&&(低保||残疾)&&!已故",
            "独居老人 且 (低保 或 残疾) 且 非 已故",
            "独居老人 且 （低保 或 残疾） 且 非 已故",
            "独居老人 且（低保 或 残疾）且 非 已故", // parentheses end a word
            "独居老人 ＆＆ （低保 ｜｜ 残疾） ＆＆ ！已故",
            "独居老人 AND (低保 或 残疾） && 非 已故",
            "\u{3000}独居老人\u{3000}且\u{3000}（低保\n或\t残疾）\r\n且 非 已故 ",
            "\"独居老人\" AND (“低保” OR \"残疾\") AND NOT “已故”"
        ])
    func spellings(text: String) throws {
        #expect(try TagExpression(parsing: text) == Self.example)
    }

    @Test(
        "tag codes: identifiers, quoted codes, operator words only as whole words",
        arguments: [
            ("tag-1.x_2", tag("tag-1.x_2")),
            ("2024低保户", tag("2024低保户")),
            ("低保户_A-3.1", tag("低保户_A-3.1")),
            ("非户籍", tag("非户籍")), // 非 inside a word is not NOT
            ("或者", tag("或者")),
            ("且慢", tag("且慢")),
            ("notes AND order AND android", .and([tag("notes"), tag("order"), tag("android")])),
            ("NOT非户籍", tag("NOT非户籍")), // letters run together: one word
            ("非 户籍", .not(tag("户籍"))),
            ("!非户籍", .not(tag("非户籍"))),
            ("\"独居 老人\"", tag("独居 老人")),
            ("“独居 老人” OR b", .or([tag("独居 老人"), b])),
            ("\"AND\"", tag("AND")),
            ("\"not\" AND \"非\"", .and([tag("not"), tag("非")])),
            ("\"say \"\"hi\"\"\"", tag("say \"hi\"")),
            ("“say \"hi\"”", tag("say \"hi\"")), // ASCII quotes inside Chinese ones
            ("\"a(b)\"", tag("a(b)")),
            ("\" padded \"", tag(" padded ")), // quoted codes are taken as they are
            ("\"a\"AND\"b\"", .and([a, b])),
            ("Ａ组", tag("Ａ组")), // full-width letters are letters, kept as typed
            ("ⅢⅣ", tag("ⅢⅣ")) // letter-numbers are accepted
        ] as [(String, TagExpression)])
    func tagCodes(text: String, expected: TagExpression) throws {
        #expect(try TagExpression(parsing: text) == expected)
    }

    @Test(
        "description is canonical",
        arguments: [
            ("a and b or not c", "a AND b OR NOT c"),
            ("a && (b || c)", "a AND (b OR c)"),
            ("（a 或 b） 且 非 c", "(a OR b) AND NOT c"),
            ("NOT (a OR b)", "NOT (a OR b)"),
            ("!(a && b)", "NOT (a AND b)"),
            ("NOT NOT a", "NOT NOT a"),
            ("((a))", "a"),
            ("a AND (b AND c)", "a AND b AND c"),
            ("(a AND b) OR (c AND d)", "a AND b OR c AND d"),
            ("a OR (b OR (c OR d))", "a OR b OR c OR d"),
            ("NOT (a OR b) OR c", "NOT (a OR b) OR c"),
            ("“独居 老人”", "\"独居 老人\""),
            ("\"AND\" OR \"且\"", "\"AND\" OR \"且\""),
            ("\"x\"", "x"),
            ("\"say \"\"hi\"\"\"", "\"say \"\"hi\"\"\""),
            ("“a\"b”", "\"a\"\"b\""),
            ("独居老人 且 (低保 或 残疾) 且 非 已故", "独居老人 AND (低保 OR 残疾) AND NOT 已故")
        ])
    func canonical(text: String, expected: String) throws {
        #expect(try TagExpression(parsing: text).description == expected)
    }

    @Test(
        "description parses back to the same tree",
        arguments: [
            "a",
            "a AND b OR c",
            "a OR b AND c",
            "NOT a AND NOT (b OR NOT c)",
            "((a OR b) AND c) OR NOT (d AND (a OR NOT b))",
            "独居老人 AND (低保 OR 残疾) AND NOT 已故",
            "“独居 老人” OR \"a\"\"b\" OR \"AND\" OR \"Or\" OR \"非\" OR \"a,b\" OR \"(x)\" OR “!” OR \"&&\"",
            "NOT NOT NOT x"
        ])
    func roundTripParsed(text: String) throws {
        let parsed = try TagExpression(parsing: text)
        let again = try TagExpression(parsing: parsed.description)
        #expect(again == parsed)
        #expect(again.description == parsed.description)
    }

    @Test(
        "hand-built flat trees round-trip through description, whatever their codes",
        arguments: [
            tag("a b"),
            tag("and"),
            tag("NOT"),
            tag("或"),
            tag("x\"y"),
            tag("\"\""),
            tag("line\nbreak"),
            tag("a＆＆b"),
            tag("（全角）"),
            tag("“quoted”"),
            tag("#1"),
            tag("   "),
            .or([tag("a b"), .and([tag("c d"), .not(tag("or"))])]),
            .not(.or([tag("x"), .not(.and([tag("y"), tag("z")]))])),
            .and([.or([a, b]), .or([c, d]), .not(.or([a, d]))])
        ] as [TagExpression])
    func roundTripBuilt(expression: TagExpression) throws {
        #expect(try TagExpression(parsing: expression.description) == expression)
    }

    @Test(
        "tags lists every code once",
        arguments: [
            ("a", ["a"]),
            ("a AND (b OR a) AND NOT c", ["a", "b", "c"]),
            ("NOT a", ["a"]),
            ("独居老人 AND (低保 OR 残疾) AND NOT 已故", ["独居老人", "低保", "残疾", "已故"]),
            ("\"x y\" OR “x y”", ["x y"])
        ] as [(String, Set<String>)])
    func tags(text: String, expected: Set<String>) throws {
        #expect(try TagExpression(parsing: text).tags == expected)
    }

    /// Truth tables over a, b, c: character n of `table` is the value when a = bit 2 of n,
    /// b = bit 1, c = bit 0 (so the order is 000, 001, 010, … 111).
    @Test(
        "evaluate follows the truth table",
        arguments: [
            ("a AND b", "00000011"),
            ("a OR b", "00111111"),
            ("NOT a", "11110000"),
            ("a AND b OR c", "01010111"),
            ("a OR b AND c", "00011111"),
            ("a AND (b OR c)", "00000111"),
            ("NOT a AND b", "00110000"),
            ("NOT (a AND b)", "11111100"),
            ("NOT a OR NOT b AND c", "11110100"),
            ("a AND NOT b AND NOT c", "00001000"),
            ("(a OR b) AND NOT (b AND c)", "00101110"),
            ("NOT NOT a", "00001111"),
            ("a || b && !c", "00101111"),
            ("a 且 b 或 非 c", "10101011"),
            ("a AND b AND c", "00000001"),
            ("a OR b OR c", "01111111")
        ])
    func truthTable(text: String, table: String) throws {
        let expression = try TagExpression(parsing: text)
        let results = (0..<8).map { n -> Character in
            let present: Set<String> = Set([(4, "a"), (2, "b"), (1, "c")].filter { n & $0.0 != 0 }.map(\.1))
            return expression.matches(present) ? "1" : "0"
        }
        #expect(String(results) == table)
    }

    @Test(
        "evaluate on the worked example",
        arguments: [
            (["独居老人", "低保"], true),
            (["独居老人", "残疾"], true),
            (["独居老人", "低保", "残疾"], true),
            (["独居老人"], false), // neither 低保 nor 残疾
            (["低保", "残疾"], false), // not living alone
            (["独居老人", "低保", "已故"], false), // deceased
            ([], false),
            (["独居老人", "低保", "党员"], true) // other tags do not matter
        ] as [(Set<String>, Bool)])
    func example(present: Set<String>, expected: Bool) {
        #expect(Self.example.evaluate { present.contains($0) } == expected)
    }

    @Test("evaluate stops once the answer is known")
    func shortCircuit() throws {
        let expression = try TagExpression(parsing: "a AND b OR c")
        var asked: [String] = []
        let result = expression.evaluate {
            asked.append($0); return $0 == "c"
        }
        #expect(result)
        #expect(asked == ["a", "c"])
    }

    @Test(
        "rejected expressions name the reason and the character",
        arguments: [
            ("", TagExpression.Error.empty),
            ("   ", .empty),
            ("\u{3000}\n\t", .empty),
            ("a b", .unexpectedToken("b", position: 3)),
            ("a )", .unexpectedToken(")", position: 3)),
            (")", .unexpectedToken(")", position: 1)),
            ("a (b)", .unexpectedToken("(", position: 3)),
            ("a # b", .unexpectedToken("#", position: 3)),
            ("a & b", .unexpectedToken("&", position: 3)),
            ("a | b", .unexpectedToken("|", position: 3)),
            ("a AND b NOT c", .unexpectedToken("NOT", position: 9)),
            ("(a b)", .unexpectedToken("b", position: 4)),
            ("a－b", .unexpectedToken("－", position: 2)), // full-width hyphen is not in codes
            ("独居老人，低保", .unexpectedToken("，", position: 5)),
            ("\"a\" ＂b＂", .unexpectedToken("＂", position: 5)),
            ("a AND b)", .unexpectedToken(")", position: 8)),
            ("(a OR b", .missingClosingParenthesis(position: 1)),
            ("a AND ((b OR c)", .missingClosingParenthesis(position: 7)),
            ("（低保", .missingClosingParenthesis(position: 1)),
            ("(", .missingClosingParenthesis(position: 1)),
            ("()", .emptyParentheses(position: 1)),
            ("a AND ( )", .emptyParentheses(position: 7)),
            ("（）", .emptyParentheses(position: 1)),
            ("a AND", .danglingOperator("AND", position: 3)),
            ("a and", .danglingOperator("and", position: 3)),
            ("AND a", .danglingOperator("AND", position: 1)),
            ("a OR", .danglingOperator("OR", position: 3)),
            ("NOT", .danglingOperator("NOT", position: 1)),
            ("!", .danglingOperator("!", position: 1)),
            ("a AND OR b", .danglingOperator("AND", position: 3)),
            ("NOT AND a", .danglingOperator("NOT", position: 1)),
            ("(a AND) OR b", .danglingOperator("AND", position: 4)),
            ("(OR a)", .danglingOperator("OR", position: 2)),
            ("a 且", .danglingOperator("且", position: 3)),
            ("a &&", .danglingOperator("&&", position: 3)),
            ("a ｜｜", .danglingOperator("｜｜", position: 3)),
            ("独居老人 AND AND 低保", .danglingOperator("AND", position: 6)),
            ("\"abc", .unterminatedQuote(position: 1)),
            ("a AND \"b", .unterminatedQuote(position: 7)),
            ("“abc", .unterminatedQuote(position: 1)),
            ("“abc“", .unterminatedQuote(position: 1)),
            ("\"a\"\"", .unterminatedQuote(position: 1)),
            ("\"\"", .emptyTag(position: 1)),
            ("a OR “”", .emptyTag(position: 6))
        ])
    func rejected(text: String, expected: TagExpression.Error) {
        #expect(throws: expected) { try TagExpression(parsing: text) }
    }

    @Test(
        "errors become field errors on expression that point at the character",
        arguments: [
            (TagExpression.Error.unexpectedToken("b", position: 3), "第3个字符", "character 3"),
            (.missingClosingParenthesis(position: 7), "第7个字符", "character 7"),
            (.emptyParentheses(position: 2), "第2个字符", "character 2"),
            (.danglingOperator("AND", position: 5), "第5个字符处的运算符“AND”", "“AND” at character 5"),
            (.unterminatedQuote(position: 9), "第9个字符", "character 9"),
            (.emptyTag(position: 4), "第4个字符", "character 4"),
            (.tooManyTags(position: 321), "最多包含64个标签，第321个字符", "at most 64 tags; character 321"),
            (.tooDeep(position: 33), "最多32层，第33个字符", "at most 32 levels; character 33"),
            (.tooLong(length: 2_001), "最多2000个字符，现为2001个", "at most 2000 characters, this one has 2001"),
            (.empty, "请填写标签表达式", "Enter a tag expression")
        ])
    func fieldErrors(error: TagExpression.Error, zh: String, en: String) {
        let fieldError = error.fieldError
        #expect(fieldError.field == "expression")
        #expect(fieldError.messageZH.contains(zh))
        #expect(fieldError.messageEN.contains(en))
    }

    @Test(
        "position of each kind of error",
        arguments: [
            (TagExpression.Error.empty, 1),
            (.tooLong(length: 5_000), 2_001),
            (.unexpectedToken("x", position: 4), 4),
            (.danglingOperator("OR", position: 8), 8),
            (.tooDeep(position: 12), 12)
        ])
    func position(error: TagExpression.Error, position: Int) {
        #expect(error.position == position)
    }

    @Test(
        "depth counts the operators above the deepest tag",
        arguments: [
            ("a", 0),
            ("a AND b", 1),
            ("a AND b AND c AND d", 1),
            ("NOT a", 1),
            ("a AND (b OR c)", 2),
            ("a OR b AND c", 2),
            ("NOT (a OR NOT b)", 3),
            ("((((a))))", 0)
        ])
    func depth(text: String, depth: Int) throws {
        #expect(try TagExpression(parsing: text).depth == depth)
    }
}

/// Expressions at and just past each limit, built so that the expected position is computed
/// from the text itself.
@Suite("TagExpression limits")
struct TagExpressionLimitTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var text: String
        /// nil: accepted.
        var error: TagExpression.Error?
        var testDescription: String { label }
    }

    /// `x0 AND y0`, then wrapped in parentheses and joined by OR, AND, OR, … so that every level
    /// adds one to the depth; returns the text and the position of its outermost operator.
    static func alternating(depth: Int) -> (text: String, outermostOperator: Int) {
        var text = "x0 AND y0"
        var position = 4
        for level in 1..<depth {
            let prefix = "(" + text + ") "
            position = prefix.count + 1
            text = prefix + (level.isMultiple(of: 2) ? "AND" : "OR") + " x\(level)"
        }
        return (text, position)
    }

    static func orChain(_ codes: [String]) -> String { codes.joined(separator: " OR ") }

    static let cases: [Case] = [
        Case(label: "64 tags", text: orChain((1...64).map { "t\($0)" })),
        Case(
            label: "65 tags", text: orChain((1...65).map { "t\($0)" }),
            error: .tooManyTags(position: orChain((1...64).map { "t\($0)" }).count + 5)),
        Case(label: "64 times the same tag", text: orChain(Array(repeating: "a", count: 64))),
        Case(
            label: "65 times the same tag", text: orChain(Array(repeating: "a", count: 65)),
            error: .tooManyTags(position: 64 * 5 + 1)),
        Case(label: "2000 characters", text: "\"" + String(repeating: "x", count: 1_998) + "\""),
        Case(label: "2000 Chinese characters", text: String(repeating: "老", count: 2_000)),
        Case(
            label: "2001 characters", text: "\"" + String(repeating: "x", count: 1_999) + "\"",
            error: .tooLong(length: 2_001)),
        Case(
            label: "a megabyte", text: String(repeating: "a OR ", count: 200_000) + "a",
            error: .tooLong(length: 1_000_001)),
        Case(label: "32 NOTs", text: String(repeating: "NOT ", count: 32) + "a"),
        Case(
            label: "33 NOTs", text: String(repeating: "NOT ", count: 33) + "a",
            error: .tooDeep(position: 32 * 4 + 1)),
        Case(label: "33 !", text: String(repeating: "!", count: 33) + "a", error: .tooDeep(position: 33)),
        Case(label: "32 parentheses", text: String(repeating: "(", count: 32) + "a" + String(repeating: ")", count: 32)),
        Case(
            label: "33 parentheses", text: String(repeating: "(", count: 33) + "a" + String(repeating: ")", count: 33),
            error: .tooDeep(position: 33)),
        Case(
            label: "999 parentheses", text: String(repeating: "(", count: 999) + "a" + String(repeating: ")", count: 999),
            error: .tooDeep(position: 33)),
        Case(label: "30 parentheses and 2 NOTs", text: String(repeating: "(", count: 30) + "!!a" + String(repeating: ")", count: 30)),
        Case(
            label: "30 parentheses and 3 NOTs", text: String(repeating: "(", count: 30) + "!!!a" + String(repeating: ")", count: 30),
            error: .tooDeep(position: 33)),
        Case(label: "AND/OR alternating 32 deep", text: alternating(depth: 32).text),
        Case(
            label: "AND/OR alternating 33 deep", text: alternating(depth: 33).text,
            error: .tooDeep(position: alternating(depth: 33).outermostOperator))
    ]

    @Test("limits on tags, length and depth", arguments: cases)
    func limit(_ limitCase: Case) throws {
        if let error = limitCase.error {
            #expect(throws: error) { try TagExpression(parsing: limitCase.text) }
        } else {
            let expression = try TagExpression(parsing: limitCase.text)
            #expect(expression.depth <= TagExpression.maxDepth)
        }
    }

    @Test(
        "the deepest accepted trees are exactly at the limit",
        arguments: [
            String(repeating: "NOT ", count: 32) + "a",
            alternating(depth: 32).text
        ])
    func atLimit(text: String) throws {
        #expect(try TagExpression(parsing: text).depth == TagExpression.maxDepth)
    }

    @Test("the limits are the documented ones")
    func limits() {
        #expect(TagExpression.maxTags == 64)
        #expect(TagExpression.maxDepth == 32)
        #expect(TagExpression.maxLength == 2_000)
    }
}
