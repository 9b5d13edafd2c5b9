import Foundation

/// The tags of a catalogue as people name them (标签名称): by code, by Chinese name or by English
/// name. People type 独居老人, not `id.elderly.alone`; this is how such a word becomes the code the
/// register stores, and how a stored code is written back as a name.
///
/// A word is compared after folding full-width forms (`（` → `(`), trimming, joining runs of
/// spaces and ignoring ASCII letter case. A code matches before any name; then whole names; then
/// names without a trailing qualifier in parentheses (`老年人` for `老年人（60周岁以上）`). A word that
/// fits several tags at the same step is ambiguous, never resolved by a guess. Build it from the
/// tags the caller may see only: a sensitive tag left out is then unknown, and cannot make
/// another name ambiguous.
public struct TagNames: Sendable {
    /// One tag: its code and its two names.
    public struct Entry: Sendable, Hashable {
        public var code: String
        public var nameZH: String
        public var nameEN: String

        public init(code: String, nameZH: String, nameEN: String) {
            self.code = code
            self.nameZH = nameZH
            self.nameEN = nameEN
        }
    }

    /// What a word names.
    public enum Match: Sendable, Equatable {
        /// Exactly one tag, by its code.
        case code(String)
        /// Several tags (their codes, sorted): the word needs the code, or a choice from a list.
        case ambiguous([String])
        /// No tag the caller may see.
        case unknown
    }

    private var entries: [String: Entry] = [:]
    private var codes: [String: String] = [:]
    private var exact: [String: Set<String>] = [:]
    private var loose: [String: Set<String>] = [:]

    public init(_ entries: [Entry]) {
        for entry in entries {
            self.entries[entry.code] = entry
            codes[Self.key(entry.code)] = entry.code
            for name in [entry.nameZH, entry.nameEN] {
                let key = Self.key(name)
                guard !key.isEmpty else { continue }
                exact[key, default: []].insert(entry.code)
                let short = Self.unqualified(key)
                if short != key, !short.isEmpty { loose[short, default: []].insert(entry.code) }
            }
        }
    }

    /// The catalogue's tags (`TagCatalogue.tags`, or a part of them).
    public init(_ tags: [CatalogueTag]) {
        self.init(tags.map { Entry(code: $0.code, nameZH: $0.nameZH, nameEN: $0.nameEN) })
    }

    /// Whether the caller may see no tag at all.
    public var isEmpty: Bool { entries.isEmpty }

    /// What `word` names: a code first, then a whole name, then a name without its qualifier.
    public func resolve(_ word: String) -> Match {
        let key = Self.key(word)
        guard !key.isEmpty else { return .unknown }
        if let code = codes[key] { return .code(code) }
        for table in [exact, loose] {
            guard let found = table[key] else { continue }
            if found.count == 1, let only = found.first { return .code(only) }
            return .ambiguous(found.sorted())
        }
        return .unknown
    }

    /// The tag's name in the reader's language, nil for a code the caller may not see.
    public func name(of code: String, english: Bool) -> String? {
        entries[code].map { english ? $0.nameEN : $0.nameZH }
    }

    /// How to write the tag for a reader: its name when that name leads back to this tag alone,
    /// else its code (two tags named alike, or a name spelled like another tag's code).
    public func written(_ code: String, english: Bool) -> String {
        guard let name = name(of: code, english: english), resolve(name) == .code(code) else { return code }
        return name
    }

    /// The comparison form of a word: full-width folded, trimmed, single spaces, ASCII lower case.
    static func key(_ text: String) -> String {
        let folded = String(text.map(HalfWidth.fold)).lowercased()
        return folded.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// A key without a trailing qualifier in parentheses: `老年人(60周岁以上)` → `老年人`.
    static func unqualified(_ key: String) -> String {
        guard key.hasSuffix(")"), let open = key.lastIndex(of: "(") else { return key }
        return String(key[..<open]).trimmingCharacters(in: .whitespaces)
    }
}

/// The words of a tag expression that name no tag, or several (`TagExpression.resolvingNames`).
public struct TagNameProblems: Error, Sendable, Equatable, FieldErrorConvertible {
    /// Words that name no tag the caller may see, as written, sorted, once each.
    public var unknown: [String]
    /// Words that fit several tags, with those tags' codes.
    public var ambiguous: [String: [String]]

    /// One error on `expression`: the unknown words first, then the ambiguous ones.
    public var fieldError: FieldError {
        var zh: [String] = []
        var en: [String] = []
        if !unknown.isEmpty {
            zh.append("未知标签：\(unknown.joined(separator: "、"))")
            en.append("Unknown tags: \(unknown.joined(separator: ", "))")
        }
        for word in ambiguous.keys.sorted() {
            let codes = ambiguous[word] ?? []
            zh.append("“\(word)”对应多个标签（\(codes.joined(separator: "、"))），请从标签列表中选择")
            en.append("“\(word)” fits several tags (\(codes.joined(separator: ", "))); choose one from the tag list")
        }
        return FieldError(field: "expression", messageZH: zh.joined(separator: "；"), messageEN: en.joined(separator: "; "))
    }
}

extension TagExpression {
    /// The same expression with every tag replaced by `transform(tag)`; the shape is kept.
    public func mapTags(_ transform: (String) -> String) -> TagExpression {
        switch self {
        case .tag(let word): return .tag(transform(word))
        case .not(let operand): return .not(operand.mapTags(transform))
        case .and(let operands): return .and(operands.map { $0.mapTags(transform) })
        case .or(let operands): return .or(operands.map { $0.mapTags(transform) })
        }
    }

    /// The expression over tag codes: each word, a code or a name (`独居老人 且 非 助餐服务`),
    /// resolved through `names`. Every word that names no tag, or several, is reported at once.
    public func resolvingNames(_ names: TagNames) throws(TagNameProblems) -> TagExpression {
        var resolved: [String: String] = [:]
        var problems = TagNameProblems(unknown: [], ambiguous: [:])
        for word in tags.sorted() {
            switch names.resolve(word) {
            case .code(let code): resolved[word] = code
            case .ambiguous(let codes): problems.ambiguous[word] = codes
            case .unknown: problems.unknown.append(word)
            }
        }
        guard problems.unknown.isEmpty, problems.ambiguous.isEmpty else { throw problems }
        return mapTags { resolved[$0] ?? $0 }
    }

    /// The canonical text with tags written by name in the reader's language (quoted where a name
    /// holds spaces or brackets), which parses and resolves back to this expression; a tag whose
    /// name would not lead back to it alone keeps its code.
    public func written(with names: TagNames, english: Bool) -> String {
        mapTags { names.written($0, english: english) }.description
    }
}
