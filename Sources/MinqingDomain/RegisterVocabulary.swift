import Foundation

// The register's (一居一库) fixed vocabularies. Raw values are the stored and API spellings
// (snake_case English); `nameZH` / `nameEN` are the labels the pages and exports show.
// `init?(label:)` accepts what an import file may hold: the raw value, either label, or a common
// synonym, so a CSV written by a Chinese office (户主、本人、妻…) maps without a lookup table.

/// A vocabulary whose cases have Chinese and English labels, looked up from import files.
protocol RegisterLabelled: RawRepresentable, CaseIterable where RawValue == String {
    var nameZH: String { get }
    var nameEN: String { get }
}

extension RegisterLabelled {
    /// The case whose raw value, `nameZH` or `nameEN` equals `label`, else `synonyms[label]`;
    /// whitespace around the label is ignored, full-width forms folded, ASCII case ignored.
    static func matching(label: String, synonyms: [String: Self] = [:]) -> Self? {
        let key = folded(label)
        guard !key.isEmpty else { return nil }
        for value in allCases where key == value.rawValue || key == folded(value.nameZH) || key == folded(value.nameEN) {
            return value
        }
        return synonyms[key]
    }

    private static func folded(_ text: String) -> String {
        String(text.trimmingCharacters(in: .whitespacesAndNewlines).map(HalfWidth.fold)).lowercased()
    }
}

/// The three kinds of tag in the catalogue (标签类别). Linfen Road keeps 125 identity, 101 service
/// and 14 management tags (BRIEF R2).
public enum TagKind: String, CaseIterable, Codable, Sendable, RegisterLabelled {
    /// 身份标签: who a person is (older person living alone, disabled, CPC member…).
    case identity
    /// 服务标签: what a person receives (meal aid, home care, allowance…); the aid ledger sums them.
    case service
    /// 管理标签: what the office must watch (safety hazard, rented dwelling, to verify…).
    case management

    /// 身份 / 服务 / 管理
    public var nameZH: String {
        switch self {
        case .identity: "身份"
        case .service: "服务"
        case .management: "管理"
        }
    }

    /// Identity / Service / Management
    public var nameEN: String {
        switch self {
        case .identity: "Identity"
        case .service: "Service"
        case .management: "Management"
        }
    }

    /// The code prefix the demo catalogue uses for this kind: `id`, `svc`, `mgmt`.
    public var codePrefix: String {
        switch self {
        case .identity: "id"
        case .service: "svc"
        case .management: "mgmt"
        }
    }

    /// Matches a raw value, a label (身份, Identity) or 身份标签 / 服务标签 / 管理标签.
    public init?(label: String) {
        guard
            let value = Self.matching(
                label: label,
                synonyms: [
                    "身份标签": .identity, "服务标签": .service, "管理标签": .management
                ])
        else { return nil }
        self = value
    }
}

/// How a person stands between household registration (户籍) and where they live (居住状态).
public enum ResidenceStatus: String, CaseIterable, Codable, Sendable, RegisterLabelled {
    /// 户籍: registered here and living here.
    case registered
    /// 常住: living here for six months or more without being registered here.
    case resident
    /// 流动: a floating (migrant) resident, here for a shorter or unsettled time.
    case floating
    /// 人户分离: registered here but living elsewhere, or the reverse, within the city.
    case separated

    /// 户籍 / 常住 / 流动 / 人户分离
    public var nameZH: String {
        switch self {
        case .registered: "户籍"
        case .resident: "常住"
        case .floating: "流动"
        case .separated: "人户分离"
        }
    }

    /// Registered / Resident / Floating / Separated
    public var nameEN: String {
        switch self {
        case .registered: "Registered"
        case .resident: "Resident"
        case .floating: "Floating"
        case .separated: "Separated"
        }
    }

    /// Matches a raw value, a label, or 户籍人口 / 常住人口 / 流动人口 / 来沪人员 / 人户分离人员.
    public init?(label: String) {
        guard
            let value = Self.matching(
                label: label,
                synonyms: [
                    "户籍人口": .registered, "常住人口": .resident, "流动人口": .floating,
                    "来沪人员": .floating, "人户分离人员": .separated
                ])
        else { return nil }
        self = value
    }
}

/// A member's relation to the head of the household (与户主关系), as the household register
/// (户口簿) records it. Relations the register spells out more finely (长子, 外孙女, 公公…) map to
/// the nearest case through `init?(label:)`; in-law parents and more distant kin are `other`.
public enum HouseholdRelation: String, CaseIterable, Codable, Sendable, RegisterLabelled {
    /// 户主 (本人): the head.
    case head
    /// 配偶: husband or wife of the head.
    case spouse
    /// 子: son.
    case son
    /// 女: daughter.
    case daughter
    /// 父亲: father.
    case father
    /// 母亲: mother.
    case mother
    /// 孙子女: grandchild (either line).
    case grandchild
    /// 兄弟姐妹: brother or sister.
    case sibling
    /// 儿媳: daughter-in-law.
    case daughterInLaw = "daughter_in_law"
    /// 女婿: son-in-law.
    case sonInLaw = "son_in_law"
    /// 其他: anyone else (in-law parents, lodgers in a collective household…).
    case other

    /// 户主、配偶、子、女…
    public var nameZH: String {
        switch self {
        case .head: "户主"
        case .spouse: "配偶"
        case .son: "子"
        case .daughter: "女"
        case .father: "父亲"
        case .mother: "母亲"
        case .grandchild: "孙子女"
        case .sibling: "兄弟姐妹"
        case .daughterInLaw: "儿媳"
        case .sonInLaw: "女婿"
        case .other: "其他"
        }
    }

    /// Head, Spouse, Son, Daughter…
    public var nameEN: String {
        switch self {
        case .head: "Head"
        case .spouse: "Spouse"
        case .son: "Son"
        case .daughter: "Daughter"
        case .father: "Father"
        case .mother: "Mother"
        case .grandchild: "Grandchild"
        case .sibling: "Sibling"
        case .daughterInLaw: "Daughter-in-law"
        case .sonInLaw: "Son-in-law"
        case .other: "Other"
        }
    }

    /// Matches a raw value, a label, or a register spelling such as 本人, 妻, 夫, 长子, 次女,
    /// 孙女, 外孙子, 兄, 妹.
    public init?(label: String) {
        guard let value = Self.matching(label: label, synonyms: Self.synonyms) else { return nil }
        self = value
    }

    private static let synonyms: [String: HouseholdRelation] = {
        var map: [String: HouseholdRelation] = [
            "本人": .head, "户主本人": .head, "妻": .spouse, "妻子": .spouse, "夫": .spouse, "丈夫": .spouse,
            "儿子": .son, "独生子": .son, "长子": .son, "次子": .son, "三子": .son,
            "女儿": .daughter, "独生女": .daughter, "长女": .daughter, "次女": .daughter, "三女": .daughter,
            "父": .father, "母": .mother,
            "儿媳妇": .daughterInLaw, "媳妇": .daughterInLaw,
            "daughter-in-law": .daughterInLaw, "son-in-law": .sonInLaw
        ]
        for word in ["孙子", "孙女", "外孙", "外孙子", "外孙女", "孙子女", "外孙子女"] { map[word] = .grandchild }
        for word in ["兄", "弟", "姐", "妹", "哥哥", "弟弟", "姐姐", "妹妹"] { map[word] = .sibling }
        return map
    }()
}

/// The six types of residential compound (小区) in Guang'an's "6543" classification, each with
/// the governance goal that type is run towards (BRIEF S2).
public enum CompoundType: String, CaseIterable, Codable, Sendable, RegisterLabelled {
    /// 商品房小区: commercial housing.
    case commodityHousing = "commodity_housing"
    /// 老旧小区: old residential estates (in Shanghai, 老公房 and 工人新村).
    case oldResidential = "old_residential"
    /// 集中安置小区: resettlement housing.
    case resettlement
    /// 商住混合小区: mixed commercial and residential.
    case mixedUse = "mixed_use"
    /// 城乡接合部小区: the urban–rural fringe.
    case urbanRural = "urban_rural"
    /// 单位家属院: a work unit's staff housing.
    case workUnit = "work_unit"

    /// 商品房、老旧、集中安置、商住混合、城乡接合部、单位家属院
    public var nameZH: String {
        switch self {
        case .commodityHousing: "商品房"
        case .oldResidential: "老旧"
        case .resettlement: "集中安置"
        case .mixedUse: "商住混合"
        case .urbanRural: "城乡接合部"
        case .workUnit: "单位家属院"
        }
    }

    /// English name of the type.
    public var nameEN: String {
        switch self {
        case .commodityHousing: "Commodity housing"
        case .oldResidential: "Old residential estate"
        case .resettlement: "Resettlement housing"
        case .mixedUse: "Mixed commercial-residential"
        case .urbanRural: "Urban-rural fringe"
        case .workUnit: "Work-unit housing"
        }
    }

    /// The governance goal (治理目标) Guang'an sets for the type, as the seed words it.
    public var goalZH: String {
        switch self {
        case .commodityHousing: "和谐宜居"
        case .oldResidential: "改造提质"
        case .resettlement: "睦邻友善"
        case .mixedUse: "多元共治"
        case .urbanRural: "矛盾不上交、平安不出事、服务不缺位"
        case .workUnit: "示范率带"
        }
    }

    /// The governance goal in English.
    public var goalEN: String {
        switch self {
        case .commodityHousing: "Harmonious and liveable"
        case .oldResidential: "Renovate and raise quality"
        case .resettlement: "Good neighbourliness"
        case .mixedUse: "Shared governance by many parties"
        case .urbanRural: "Disputes settled locally, safety kept, no gap in services"
        case .workUnit: "Set the example and lead"
        }
    }

    /// Matches a raw value, a label, or the label with 小区 appended (老旧小区, 商品房小区…).
    public init?(label: String) {
        var synonyms: [String: CompoundType] = [:]
        for value in Self.allCases { synonyms[value.nameZH + "小区"] = value }
        synonyms["单位宿舍"] = .workUnit
        guard let value = Self.matching(label: label, synonyms: synonyms) else { return nil }
        self = value
    }
}

/// The three forms aid takes in the ledger (帮扶类别); the seed asks for each beneficiary's
/// cumulative cash, in-kind and service aid (现金、实物、服务等累积量, BRIEF R4).
/// The ranges of one aid record's amount. Far above any real payment or service, and far enough
/// below Int64's range that no sum of records can approach it.
public enum AidAmountRange {
    /// Cash: 1 fen to ¥1,000,000 in one record.
    public static let fen: ClosedRange<Int64> = 1...100_000_000
    /// In kind: 1 to 1,000,000 of the record's unit.
    public static let quantity: ClosedRange<Int64> = 1...1_000_000
    /// A service: 1 minute to 100,000 minutes (about ten weeks of work) in one record.
    public static let minutes: ClosedRange<Int64> = 1...100_000
}

public enum AidKind: String, CaseIterable, Codable, Sendable, RegisterLabelled {
    /// 现金: money, counted in integer fen (分).
    case cash
    /// 实物: goods, counted as a quantity of a unit the record names (袋, 桶, 件…).
    case inKind = "in_kind"
    /// 服务: services, counted in integer minutes.
    case service

    /// 现金 / 实物 / 服务
    public var nameZH: String {
        switch self {
        case .cash: "现金"
        case .inKind: "实物"
        case .service: "服务"
        }
    }

    /// Cash / In kind / Service
    public var nameEN: String {
        switch self {
        case .cash: "Cash"
        case .inKind: "In kind"
        case .service: "Service"
        }
    }

    /// The unit every amount of this kind is stored in: `fen` for cash, `minutes` for services;
    /// nil for in-kind aid, whose unit each record names.
    public var storedUnit: String? {
        switch self {
        case .cash: "fen"
        case .inKind: nil
        case .service: "minutes"
        }
    }

    /// Matches a raw value or a label (现金, In kind…), also 物资 for in-kind aid.
    public init?(label: String) {
        guard
            let value = Self.matching(
                label: label,
                synonyms: [
                    "物资": .inKind, "in kind": .inKind, "in-kind": .inKind
                ])
        else { return nil }
        self = value
    }
}

/// How the register's search box reads what was typed (居民库搜索): a whole resident ID number,
/// looked up exactly through the blind index, or words found in names and addresses.
public enum RegisterSearchText {
    /// The longest search text accepted, in characters.
    public static let maxLength = 60
    /// The most words of one search that must all be found in an address.
    public static let maxTerms = 4

    /// The text with full-width forms folded (`１２号` → `12号`), control characters dropped (no
    /// database is handed a NUL), trimmed, inner spaces single.
    public static func normalized(_ text: String) -> String {
        let kept = text.filter { character in
            !character.unicodeScalars.contains { $0.properties.generalCategory == .control && !$0.properties.isWhitespace }
        }
        return String(kept.map(HalfWidth.fold)).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Whether the text has the shape of an ID number: 15 to 18 digits (spaces ignored), an `X`
    /// allowed last. Such a text is looked up as a number, and one of a wrong length is refused
    /// with the parser's reason, never matched as words (no address holds 15 digits in a row).
    public static func looksLikeIDNumber(_ text: String) -> Bool {
        let characters = Array(normalized(text).filter { !$0.isWhitespace })
        guard (15...18).contains(characters.count) else { return false }
        for (offset, character) in characters.enumerated() where HalfWidth.digitValue(character) == nil {
            guard offset == characters.count - 1, character == "X" || character == "x" else { return false }
        }
        return true
    }

    /// Two-character surnames (复姓) in use today. A given name is searched from a name's second
    /// character on, so for these the search also looks from the third (司徒明远 by 明远).
    public static let compoundSurnames = [
        "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "令狐", "澹台", "夏侯",
        "轩辕", "端木", "南宫", "西门", "独孤", "呼延", "司空", "万俟", "闻人", "申屠", "太史", "钟离", "濮阳", "淳于", "单于",
        "公冶", "宗政", "仲孙", "赫连", "拓跋", "百里", "东郭", "左丘", "梁丘", "第五"
    ]

    /// The words of a text search: the normalized text split at spaces, at most `maxTerms`.
    public static func terms(_ text: String) -> [String] {
        Array(normalized(text).split(separator: " ").map(String.init).prefix(maxTerms))
    }

    /// The text as one word (spaces removed), for matching the start of a name.
    public static func compact(_ text: String) -> String {
        normalized(text).replacingOccurrences(of: " ", with: "")
    }

    /// The least string above every string that begins with `prefix`, in code-point order (the
    /// byte order of UTF-8, which SQLite's BINARY and PostgreSQL's "C" collations compare by), so
    /// that `column >= prefix AND column < bound` is a prefix match an ordinary index serves; nil
    /// when no such string exists.
    public static func prefixUpperBound(_ prefix: String) -> String? {
        var scalars = Array(prefix.unicodeScalars)
        while let last = scalars.popLast() {
            var value = last.value + 1
            if (0xD800...0xDFFF).contains(value) { value = 0xE000 }
            guard let next = Unicode.Scalar(value) else { continue }
            var bound = ""
            bound.unicodeScalars.append(contentsOf: scalars)
            bound.unicodeScalars.append(next)
            return bound
        }
        return nil
    }
}
