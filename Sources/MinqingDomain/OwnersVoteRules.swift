/// A fraction with the way a figure must reach it (BRIEF §2): "以上" includes the bound (≥),
/// "过半数" is strictly more than half (>). Checked by cross-multiplication in integers, never in
/// floating point: `part / whole ≥ n / d` is `d · part ≥ n · whole`.
public struct VoteFraction: Sendable, Hashable, Codable {
    /// How the part must compare with the fraction of the whole.
    public enum Comparison: String, Sendable, Hashable, Codable, CaseIterable {
        /// 以上: at least the fraction, the bound included (≥).
        case atLeast = "at_least"
        /// 超过 / 过半数: strictly more than the fraction (>).
        case moreThan = "more_than"

        public var symbol: String { self == .atLeast ? "≥" : ">" }
    }

    public let numerator: Int
    public let denominator: Int
    public let comparison: Comparison

    /// Why a fraction was rejected.
    public enum Error: Swift.Error, Sendable, Equatable, FieldErrorConvertible {
        case outOfRange(field: String)

        public var fieldError: FieldError {
            switch self {
            case .outOfRange(let field):
                FieldError(
                    field: field,
                    messageZH: "比例应为 1/100 至 1 之间的分数（分母不超过 100）",
                    messageEN: "The fraction must lie between 1/100 and 1 (denominator at most 100).")
            }
        }
    }

    /// A fraction `numerator/denominator` with 0 < numerator ≤ denominator ≤ 100; `field` names
    /// the input in the error.
    public init(_ numerator: Int, _ denominator: Int, _ comparison: Comparison, field: String = "fraction") throws(VoteFraction.Error) {
        guard denominator >= 1, denominator <= 100, numerator >= 1, numerator <= denominator else {
            throw .outOfRange(field: field)
        }
        self.init(checked: numerator, denominator, comparison)
    }

    init(checked numerator: Int, _ denominator: Int, _ comparison: Comparison) {
        self.numerator = numerator
        self.denominator = denominator
        self.comparison = comparison
    }

    /// 三分之二以上 (≥ 2/3)
    public static let twoThirdsOrMore = VoteFraction(checked: 2, 3, .atLeast)
    /// 四分之三以上 (≥ 3/4)
    public static let threeQuartersOrMore = VoteFraction(checked: 3, 4, .atLeast)
    /// 过半数 (> 1/2)
    public static let moreThanHalf = VoteFraction(checked: 1, 2, .moreThan)

    /// Whether `part` of `whole` reaches the fraction: `d · part ≥ n · whole` (or `>`), in
    /// integers. Figures are cm² and heads; with a denominator ≤ 100 and areas below 10¹⁶ cm² the
    /// products cannot overflow 64 bits.
    public func isMet(part: Int64, of whole: Int64) -> Bool {
        let left = Int64(denominator) * part, right = Int64(numerator) * whole
        return comparison == .atLeast ? left >= right : left > right
    }

    /// The check written out, e.g. `3 × 120000 ≥ 2 × 180000`.
    public func formula(part: Int64, of whole: Int64) -> String {
        let left = Int64(denominator) * part, right = Int64(numerator) * whole
        let holds = isMet(part: part, of: whole)
        let symbol = holds ? comparison.symbol : (comparison == .atLeast ? "<" : "≤")
        return "\(denominator) × \(part) = \(left) \(symbol) \(right) = \(numerator) × \(whole)"
    }

    /// 三分之二以上 / 过半数 / 四分之三以上; other fractions as "n/d 以上" or "超过 n/d".
    public var nameZH: String {
        switch (numerator, denominator, comparison) {
        case (1, 2, .moreThan): "过半数"
        case (2, 3, .atLeast): "三分之二以上"
        case (3, 4, .atLeast): "四分之三以上"
        case (1, 2, .atLeast): "半数以上"
        case (_, _, .atLeast): "\(numerator)/\(denominator) 以上（含本数）"
        case (_, _, .moreThan): "超过 \(numerator)/\(denominator)"
        }
    }

    /// "at least 2/3", "more than half"…
    public var nameEN: String {
        switch (numerator, denominator, comparison) {
        case (1, 2, .moreThan): "more than half"
        case (_, _, .atLeast): "at least \(numerator)/\(denominator)"
        case (_, _, .moreThan): "more than \(numerator)/\(denominator)"
        }
    }
}

/// The nine matters of PRC Civil Code art. 278 (业主共同决定事项), numbered as in the law.
public enum OwnersMatter: Int, Sendable, Hashable, Codable, CaseIterable {
    /// (一) 制定和修改业主大会议事规则
    case rulesOfProcedure = 1
    /// (二) 制定和修改管理规约
    case managementStatute = 2
    /// (三) 选举业主委员会或者更换业主委员会成员
    case committeeElection = 3
    /// (四) 选聘和解聘物业服务企业或者其他管理人
    case propertyManager = 4
    /// (五) 使用建筑物及其附属设施的维修资金
    case useMaintenanceFund = 5
    /// (六) 筹集建筑物及其附属设施的维修资金
    case raiseMaintenanceFund = 6
    /// (七) 改建、重建建筑物及其附属设施
    case rebuildOrAlter = 7
    /// (八) 改变共有部分的用途或者利用共有部分从事经营活动
    case changeUseOfCommonParts = 8
    /// (九) 有关共有和共同管理权利的其他重大事项
    case otherMajorMatter = 9

    public var nameZH: String {
        switch self {
        case .rulesOfProcedure: "制定和修改业主大会议事规则"
        case .managementStatute: "制定和修改管理规约"
        case .committeeElection: "选举业主委员会或者更换业主委员会成员"
        case .propertyManager: "选聘和解聘物业服务企业或者其他管理人"
        case .useMaintenanceFund: "使用建筑物及其附属设施的维修资金"
        case .raiseMaintenanceFund: "筹集建筑物及其附属设施的维修资金"
        case .rebuildOrAlter: "改建、重建建筑物及其附属设施"
        case .changeUseOfCommonParts: "改变共有部分的用途或者利用共有部分从事经营活动"
        case .otherMajorMatter: "有关共有和共同管理权利的其他重大事项"
        }
    }

    public var nameEN: String {
        switch self {
        case .rulesOfProcedure: "Make or amend the rules of procedure of the owners' assembly"
        case .managementStatute: "Make or amend the management statute"
        case .committeeElection: "Elect the owners' committee or replace its members"
        case .propertyManager: "Engage or dismiss the property service company or other manager"
        case .useMaintenanceFund: "Use the maintenance fund of the building and its facilities"
        case .raiseMaintenanceFund: "Raise the maintenance fund of the building and its facilities"
        case .rebuildOrAlter: "Rebuild or alter the building and its facilities"
        case .changeUseOfCommonParts: "Change the use of common parts or run a business on them"
        case .otherMajorMatter: "Other major matters of common ownership and management"
        }
    }

    /// (一)…(九)
    public var numeralZH: String { "（\(["一", "二", "三", "四", "五", "六", "七", "八", "九"][rawValue - 1])）" }

    /// Matters (6)–(8) need three quarters of the participants; the rest more than half.
    public var needsSpecialMajority: Bool { (6...8).contains(rawValue) }

    /// The rule set of art. 278 for this matter.
    public var ruleSet: OwnersVoteRuleSet {
        OwnersVoteRuleSet(
            code: "civil_code_278_\(rawValue)",
            nameZH: "民法典第二百七十八条第一款第\(numeralZH)项：\(nameZH)",
            nameEN: "Civil Code art. 278(\(rawValue)): \(nameEN)",
            basisZH: "《民法典》第二百七十八条第二款；最高人民法院建筑物区分所有权司法解释第八条、第九条",
            basisEN: "PRC Civil Code art. 278 para. 2; SPC interpretation on building ownership arts. 8–9",
            quorumArea: .twoThirdsOrMore, quorumHeads: .twoThirdsOrMore,
            approvalArea: needsSpecialMajority ? .threeQuartersOrMore : .moreThanHalf,
            approvalHeads: needsSpecialMajority ? .threeQuartersOrMore : .moreThanHalf,
            approvalBase: .participating, matter: self)
    }
}

/// The thresholds a ballot is tallied by, as data: the nine matters of art. 278 give theirs
/// (``OwnersMatter/ruleSet``); a city's rule for, say, lift installation is another rule set. A
/// ballot stores its rule set when it is created, so a later change of the catalogue cannot
/// change a result.
public struct OwnersVoteRuleSet: Sendable, Hashable, Codable {
    /// What the approval fractions are taken of.
    public enum ApprovalBase: String, Sendable, Hashable, Codable, CaseIterable {
        /// 参与表决: the participating owners' area and heads (the Civil Code since 2021).
        case participating
        /// 全体: all owners' area and heads in the electorate (older local rules).
        case total

        public var nameZH: String { self == .participating ? "参与表决" : "全体" }
        public var nameEN: String { self == .participating ? "participating" : "all" }
    }

    /// The JSON keys: snake_case like the rest of the API (docs/api-conventions.md).
    public enum CodingKeys: String, CodingKey {
        case code
        case nameZH = "name_zh"
        case nameEN = "name_en"
        case basisZH = "basis_zh"
        case basisEN = "basis_en"
        case quorumArea = "quorum_area"
        case quorumHeads = "quorum_heads"
        case approvalArea = "approval_area"
        case approvalHeads = "approval_heads"
        case approvalBase = "approval_base"
        case matter
    }

    /// A stable code, e.g. `civil_code_278_7`, `lift_installation`.
    public let code: String
    public let nameZH: String
    public let nameEN: String
    /// The legal basis, cited on the result page.
    public let basisZH: String
    public let basisEN: String
    /// Share of the total exclusive area that must take part.
    public let quorumArea: VoteFraction
    /// Share of the total headcount that must take part.
    public let quorumHeads: VoteFraction
    /// Share of the base area that must agree.
    public let approvalArea: VoteFraction
    /// Share of the base headcount that must agree.
    public let approvalHeads: VoteFraction
    public let approvalBase: ApprovalBase
    /// The art. 278 matter the rule set implements, if it is one of the nine.
    public let matter: OwnersMatter?

    public init(
        code: String, nameZH: String, nameEN: String, basisZH: String, basisEN: String,
        quorumArea: VoteFraction, quorumHeads: VoteFraction,
        approvalArea: VoteFraction, approvalHeads: VoteFraction,
        approvalBase: ApprovalBase, matter: OwnersMatter?
    ) {
        self.code = code
        self.nameZH = nameZH
        self.nameEN = nameEN
        self.basisZH = basisZH
        self.basisEN = basisEN
        self.quorumArea = quorumArea
        self.quorumHeads = quorumHeads
        self.approvalArea = approvalArea
        self.approvalHeads = approvalHeads
        self.approvalBase = approvalBase
        self.matter = matter
    }

    /// 既有多层住宅加装电梯: decided by the owners of the building or stairwell alone, with the
    /// thresholds of art. 278 matter (7) (two thirds take part; three quarters of the
    /// participating area and heads agree), as Shanghai's and most cities' rules since 2021 say.
    public static let liftInstallation = OwnersVoteRuleSet(
        code: "lift_installation",
        nameZH: "既有多层住宅加装电梯（本幢或本单元业主表决）",
        nameEN: "Installing a lift in an existing multi-storey building (owners of the building or stairwell)",
        basisZH: "《民法典》第二百七十八条第一款第（七）项、第二款；地方既有多层住宅加装电梯规定（如上海）",
        basisEN: "PRC Civil Code art. 278(7) and para. 2; local rules on adding lifts to existing buildings (e.g. Shanghai)",
        quorumArea: .twoThirdsOrMore, quorumHeads: .twoThirdsOrMore,
        approvalArea: .threeQuartersOrMore, approvalHeads: .threeQuartersOrMore,
        approvalBase: .participating, matter: .rebuildOrAlter)

    /// The catalogue offered when a ballot is set up: the nine matters, then the local rule sets.
    public static let catalogue: [OwnersVoteRuleSet] = OwnersMatter.allCases.map(\.ruleSet) + [liftInstallation]

    /// The catalogue entry with this code.
    public static func named(_ code: String) -> OwnersVoteRuleSet? {
        catalogue.first { $0.code == code }
    }
}
