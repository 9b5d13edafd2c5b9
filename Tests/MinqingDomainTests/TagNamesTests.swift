import Testing

@testable import MinqingDomain

/// Tags by name (标签名称) and the search box's reading of what was typed (居民库搜索).
@Suite("TagNames and RegisterSearchText")
struct TagNamesTests {
    /// A small catalogue: two tags share the Chinese name 心理疏导 (one service, one management),
    /// and one name carries a qualifier in full-width parentheses.
    static let names = TagNames([
        .init(code: "id.elderly", nameZH: "老年人（60周岁以上）", nameEN: "Older person (60 and over)"),
        .init(code: "id.elderly.alone", nameZH: "独居老人", nameEN: "Older person living alone"),
        .init(code: "id.assistance.dibao", nameZH: "低保对象", nameEN: "Minimum living allowance recipient (dibao)"),
        .init(code: "svc.elderly.meal_aid", nameZH: "助餐服务", nameEN: "Meal assistance"),
        .init(code: "svc.care.counselling", nameZH: "心理疏导", nameEN: "Counselling"),
        .init(code: "mgmt.watch.counselling", nameZH: "心理疏导", nameEN: "Counselling follow-up")
    ])

    @Test(
        "a word resolves by code, Chinese name, English name (any letter case, spaces, full width), or a name without its qualifier",
        arguments: [
            ("id.elderly.alone", "id.elderly.alone"),
            ("ID.ELDERLY.ALONE", "id.elderly.alone"),
            ("独居老人", "id.elderly.alone"),
            (" 独居老人 ", "id.elderly.alone"),
            ("older person  living ALONE", "id.elderly.alone"),
            ("Meal assistance", "svc.elderly.meal_aid"),
            ("老年人（60周岁以上）", "id.elderly"),
            ("老年人(60周岁以上)", "id.elderly"),
            ("老年人", "id.elderly"),
            ("Older person", "id.elderly"),
            ("低保对象", "id.assistance.dibao"),
            ("Counselling", "svc.care.counselling")
        ])
    func resolves(word: String, code: String) {
        #expect(Self.names.resolve(word) == .code(code))
    }

    @Test("a shared name is ambiguous, never guessed; an unknown word is unknown")
    func ambiguousAndUnknown() {
        #expect(Self.names.resolve("心理疏导") == .ambiguous(["mgmt.watch.counselling", "svc.care.counselling"]))
        #expect(Self.names.resolve("独居老年") == .unknown)
        #expect(Self.names.resolve("") == .unknown)
        #expect(Self.names.resolve("id.elderly.alone.x") == .unknown)
        // Written for a reader, an ambiguous name falls back to the code; a unique one is the name.
        #expect(Self.names.written("svc.care.counselling", english: false) == "svc.care.counselling")
        #expect(Self.names.written("svc.care.counselling", english: true) == "Counselling")
        #expect(Self.names.written("id.elderly.alone", english: false) == "独居老人")
        #expect(Self.names.written("no.such", english: false) == "no.such")
    }

    @Test("an expression typed with names resolves to the same tree over codes; every problem at once")
    func expressions() throws {
        let typed = try TagExpression(parsing: "独居老人 且 非 助餐服务")
        #expect(
            try typed.resolvingNames(Self.names)
                == .and([.tag("id.elderly.alone"), .not(.tag("svc.elderly.meal_aid"))]))
        let english = try TagExpression(parsing: #""Older person living alone" AND NOT "meal assistance""#)
        let fromEnglish = try english.resolvingNames(Self.names)
        let fromChinese = try typed.resolvingNames(Self.names)
        #expect(fromEnglish == fromChinese)
        let mixed = try TagExpression(parsing: "id.elderly.alone OR 低保对象")
        #expect(try mixed.resolvingNames(Self.names) == .or([.tag("id.elderly.alone"), .tag("id.assistance.dibao")]))

        let bad = try TagExpression(parsing: "独居老年 且 心理疏导 或 无此标签")
        #expect(throws: TagNameProblems.self) { try bad.resolvingNames(Self.names) }
        do {
            _ = try bad.resolvingNames(Self.names)
        } catch {
            #expect(error.unknown == ["无此标签", "独居老年"].sorted())
            #expect(error.ambiguous == ["心理疏导": ["mgmt.watch.counselling", "svc.care.counselling"]])
            #expect(error.fieldError.field == "expression")
            #expect(error.fieldError.messageZH.hasPrefix("未知标签："))
            #expect(error.fieldError.messageZH.contains("心理疏导"))
        }
    }

    @Test("an expression written by names parses and resolves back to itself, for every tag of the demo catalogue")
    func roundTrip() throws {
        let catalogue = TagNames(TagCatalogue.tags)
        for tag in TagCatalogue.tags {
            for english in [false, true] {
                let expression = TagExpression.and([.tag(tag.code), .not(.tag("id.elderly.alone"))])
                let text = expression.written(with: catalogue, english: english)
                let back = try TagExpression(parsing: text).resolvingNames(catalogue)
                #expect(back == expression, "\(tag.code) written as \(text)")
            }
        }
        let written = TagExpression.and([.tag("id.elderly.alone"), .not(.tag("svc.elderly.meal_aid"))]).written(with: Self.names, english: true)
        #expect(written == #""Older person living alone" AND NOT "Meal assistance""#)
        #expect(TagExpression.tag("id.elderly.alone").written(with: Self.names, english: false) == "独居老人")
    }

    @Test(
        "the search box: whole ID numbers are told from words",
        arguments: [
            ("110105194912310021", true), ("11010519491231002X", true), ("11010519491231002x", true),
            ("１１０１０５１９４９１２３１００２Ｘ", true), ("110105 19491231 0021", true), ("110105491231002", true),
            ("11010519491231002", true), ("1101051949123100211", false), ("11010519491231", false),
            ("王建国", false), ("375弄12号", false), ("X10105194912310021", false), ("1101051949123X0021", false)
        ])
    func idNumberShape(text: String, looksLikeOne: Bool) {
        #expect(RegisterSearchText.looksLikeIDNumber(text) == looksLikeOne)
    }

    @Test("the search box: folding, words, and the upper bound of a prefix in code-point order")
    func searchText() {
        #expect(RegisterSearchText.normalized("  临汾路　３７５弄\t12号 ") == "临汾路 375弄 12号")
        #expect(RegisterSearchText.normalized("王\u{0}建国") == "王建国")
        #expect(RegisterSearchText.terms("临汾路 375弄 12号 302室 多余") == ["临汾路", "375弄", "12号", "302室"])
        #expect(RegisterSearchText.compact("王 建国") == "王建国")
        #expect(RegisterSearchText.prefixUpperBound("王") == "\u{738C}")
        #expect(RegisterSearchText.prefixUpperBound("王建") == "王\u{5EFB}")
        #expect(RegisterSearchText.prefixUpperBound("ab") == "ac")
        #expect(RegisterSearchText.prefixUpperBound("a\u{10FFFF}") == "b")
        #expect(RegisterSearchText.prefixUpperBound("\u{D7FF}") == "\u{E000}")
        #expect(RegisterSearchText.prefixUpperBound("") == nil)
        // Every name that begins with the prefix sorts below the bound, byte for byte.
        for name in ["王建国", "王建", "王\u{10FFFF}"] {
            let bound = RegisterSearchText.prefixUpperBound("王")!
            #expect(Array(name.utf8).lexicographicallyPrecedes(Array(bound.utf8)))
        }
    }
}
