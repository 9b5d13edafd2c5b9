/// An owner's answer on a ballot. Abstaining is taking part (参与表决) without agreeing, so an
/// abstention counts towards the quorum and, under the Civil Code's approval base, against
/// approval.
public enum OwnersVoteChoice: String, Sendable, Hashable, Codable, CaseIterable {
    /// 同意
    case agree
    /// 反对
    case disagree
    /// 弃权
    case abstain

    public var nameZH: String {
        switch self {
        case .agree: "同意"
        case .disagree: "反对"
        case .abstain: "弃权"
        }
    }

    public var nameEN: String {
        switch self {
        case .agree: "Agree"
        case .disagree: "Disagree"
        case .abstain: "Abstain"
        }
    }
}

/// Exclusive area in cm² and headcount, the two figures every threshold is applied to.
public struct AreaAndHeads: Sendable, Hashable, Codable {

    /// The JSON keys: snake_case like the rest of the API (docs/api-conventions.md).
    public enum CodingKeys: String, CodingKey {
        case areaCM2 = "area_cm2"
        case heads
    }
    public var areaCM2: Int64
    public var heads: Int64

    public init(areaCM2: Int64, heads: Int64) {
        self.areaCM2 = areaCM2
        self.heads = heads
    }

    public static let zero = AreaAndHeads(areaCM2: 0, heads: 0)

    static func + (lhs: AreaAndHeads, rhs: AreaAndHeads) -> AreaAndHeads {
        AreaAndHeads(areaCM2: lhs.areaCM2 + rhs.areaCM2, heads: lhs.heads + rhs.heads)
    }
}

/// One threshold applied to one figure, with the rule it applies in words and the integer
/// comparison written out, so the result page can show how each figure was reached.
public struct OwnersVoteCheck: Sendable, Hashable, Codable {

    /// The JSON keys: snake_case like the rest of the API (docs/api-conventions.md).
    public enum CodingKeys: String, CodingKey {
        case kind
        case part
        case whole
        case fraction
        case passed
        case ruleZH = "rule_zh"
        case ruleEN = "rule_en"
        case formula
    }
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case quorumArea = "quorum_area"
        case quorumHeads = "quorum_heads"
        case approvalArea = "approval_area"
        case approvalHeads = "approval_heads"
    }

    public let kind: Kind
    /// The figure (cm² or heads) being measured…
    public let part: Int64
    /// …against this whole.
    public let whole: Int64
    public let fraction: VoteFraction
    public let passed: Bool
    /// e.g. 参与表决的业主所持专有部分面积应占建筑物总面积三分之二以上
    public let ruleZH: String
    public let ruleEN: String
    /// e.g. `3 × 1200000 = 3600000 ≥ 3600000 = 2 × 1800000`
    public let formula: String

    init(kind: Kind, part: Int64, whole: Int64, fraction: VoteFraction, base: OwnersVoteRuleSet.ApprovalBase) {
        self.kind = kind
        self.part = part
        self.whole = whole
        self.fraction = fraction
        self.passed = fraction.isMet(part: part, of: whole)
        self.formula = fraction.formula(part: part, of: whole)
        let baseZH = base == .participating ? "参与表决" : "全体业主"
        let baseEN = base == .participating ? "participating" : "all owners'"
        switch kind {
        case .quorumArea:
            ruleZH = "参与表决的业主所持专有部分面积占总面积\(fraction.nameZH)"
            ruleEN = "Owners taking part hold \(fraction.nameEN) of the total exclusive area"
        case .quorumHeads:
            ruleZH = "参与表决的业主人数占总人数\(fraction.nameZH)"
            ruleEN = "Owners taking part are \(fraction.nameEN) of all owners by headcount"
        case .approvalArea:
            ruleZH = "同意的业主所持专有部分面积占\(baseZH)专有部分面积\(fraction.nameZH)"
            ruleEN = "Owners agreeing hold \(fraction.nameEN) of the \(baseEN) exclusive area"
        case .approvalHeads:
            ruleZH = "同意的业主人数占\(baseZH)人数\(fraction.nameZH)"
            ruleEN = "Owners agreeing are \(fraction.nameEN) of the \(baseEN) owners by headcount"
        }
    }
}

/// The tally of an owners' ballot (BRIEF §2), in integers only.
///
/// Quorum: the participating owners (agree, disagree or abstain) must hold the quorum share of
/// the total area AND be the quorum share of the total heads. Approval: those agreeing must hold
/// the approval share of the base area AND be the approval share of the base heads (the base is
/// the participating owners under the Civil Code). A ballot without quorum decides nothing.
public struct OwnersVoteTally: Sendable, Hashable, Codable {

    /// The JSON keys: snake_case like the rest of the API (docs/api-conventions.md).
    public enum CodingKeys: String, CodingKey {
        case ruleSet = "rule_set"
        case total
        case participating
        case agree
        case disagree
        case abstain
        case checks
        case outcome
    }
    public enum Outcome: String, Sendable, Hashable, Codable, CaseIterable {
        /// 通过
        case approved
        /// 未通过: quorum reached, approval not.
        case rejected
        /// 参与表决未达法定比例: the ballot decides nothing.
        case noQuorum = "no_quorum"

        public var nameZH: String {
            switch self {
            case .approved: "通过"
            case .rejected: "未通过"
            case .noQuorum: "参与表决未达法定比例，未形成决定"
            }
        }

        public var nameEN: String {
            switch self {
            case .approved: "Approved"
            case .rejected: "Rejected"
            case .noQuorum: "No quorum: no decision"
            }
        }
    }

    /// One elector's weight and answer (nil when they did not vote).
    public struct Entry: Sendable, Hashable {
        public let areaCM2: Int64
        public let heads: Int64
        public let choice: OwnersVoteChoice?
        public init(areaCM2: Int64, heads: Int64 = 1, choice: OwnersVoteChoice?) {
            self.areaCM2 = areaCM2
            self.heads = heads
            self.choice = choice
        }
    }

    public let ruleSet: OwnersVoteRuleSet
    public let total: AreaAndHeads
    public let participating: AreaAndHeads
    public let agree: AreaAndHeads
    public let disagree: AreaAndHeads
    public let abstain: AreaAndHeads
    /// Quorum by area, quorum by heads, approval by area, approval by heads, in that order.
    public let checks: [OwnersVoteCheck]
    public let outcome: Outcome

    public var quorumReached: Bool { outcome != .noQuorum }

    /// The check of a kind.
    public func check(_ kind: OwnersVoteCheck.Kind) -> OwnersVoteCheck? { checks.first { $0.kind == kind } }

    public init(ruleSet: OwnersVoteRuleSet, entries: [Entry]) {
        var total = AreaAndHeads.zero
        var by: [OwnersVoteChoice: AreaAndHeads] = [:]
        for entry in entries {
            let figures = AreaAndHeads(areaCM2: entry.areaCM2, heads: entry.heads)
            total = total + figures
            if let choice = entry.choice { by[choice, default: .zero] = by[choice, default: .zero] + figures }
        }
        let agree = by[.agree] ?? .zero, disagree = by[.disagree] ?? .zero, abstain = by[.abstain] ?? .zero
        let participating = agree + disagree + abstain
        let base = ruleSet.approvalBase == .participating ? participating : total
        let checks = [
            OwnersVoteCheck(
                kind: .quorumArea, part: participating.areaCM2, whole: total.areaCM2, fraction: ruleSet.quorumArea, base: ruleSet.approvalBase),
            OwnersVoteCheck(
                kind: .quorumHeads, part: participating.heads, whole: total.heads, fraction: ruleSet.quorumHeads, base: ruleSet.approvalBase),
            OwnersVoteCheck(
                kind: .approvalArea, part: agree.areaCM2, whole: base.areaCM2, fraction: ruleSet.approvalArea, base: ruleSet.approvalBase),
            OwnersVoteCheck(kind: .approvalHeads, part: agree.heads, whole: base.heads, fraction: ruleSet.approvalHeads, base: ruleSet.approvalBase)
        ]
        self.ruleSet = ruleSet
        self.total = total
        self.participating = participating
        self.agree = agree
        self.disagree = disagree
        self.abstain = abstain
        self.checks = checks
        // An empty electorate (or nobody voting) is never a quorum, whatever the fraction says.
        let quorum = participating.heads > 0 && checks[0].passed && checks[1].passed
        outcome = !quorum ? .noQuorum : (checks[2].passed && checks[3].passed ? .approved : .rejected)
    }

    /// The tally of an electorate and its votes, by elector key.
    public init(ruleSet: OwnersVoteRuleSet, electorate: OwnersElectorate, votes: [String: OwnersVoteChoice]) {
        self.init(
            ruleSet: ruleSet,
            entries: electorate.electors.map {
                Entry(areaCM2: $0.areaCM2, heads: $0.heads, choice: votes[$0.key])
            })
    }
}
