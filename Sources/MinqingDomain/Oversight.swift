import Foundation

// Guang'an's "6543" compound governance (BRIEF S2, P1–P3, P5) as pure rules: the six types'
// main lines and checklists, the five concerns, the property companies' credit score
// (信用档案) with an explained entry for every point, the red/black list (红黑榜), and the
// owners' committees' party-member share against its 50 % target. All in integers.

/// One measure of a compound type's checklist (治理措施).
public struct GovernanceMeasure: Sendable, Equatable {
    public var code: String
    public var nameZH: String
    public var nameEN: String
}

extension CompoundType {
    /// The main line (主线) of the type's governance, as the seed words it.
    public var mainLineZH: String {
        switch self {
        case .commodityHousing: "党建引领物业、业委会规范化建设"
        case .oldResidential: "改观小区面貌、改善房屋功能、改造基础设施、改优居住环境"
        case .resettlement: "党建引领“意见领袖”居民自治"
        case .mixedUse: "执法部门联动、搭建小区自治组织议事协调机制"
        case .urbanRural: "划定治理边界、加强治安防控、关注特殊群体、补齐服务短板"
        case .workUnit: "单位党建、小区党建联建共建"
        }
    }

    public var mainLineEN: String {
        switch self {
        case .commodityHousing: "Party-led property management and a standardised owners' committee"
        case .oldResidential: "Better looks, better homes, renewed infrastructure, a better living environment"
        case .resettlement: "Residents' self-government led by respected residents (opinion leaders)"
        case .mixedUse: "Joint enforcement and a deliberation mechanism of the compound's own bodies"
        case .urbanRural: "Clear boundaries, public security, care for vulnerable groups, no gaps in services"
        case .workUnit: "The work unit's and the compound's Party organisations build together"
        }
    }

    /// The checklist of measures the seed names for the type; progress is measured against it.
    public var checklist: [GovernanceMeasure] {
        func m(_ code: String, _ zh: String, _ en: String) -> GovernanceMeasure { GovernanceMeasure(code: code, nameZH: zh, nameEN: en) }
        switch self {
        case .commodityHousing:
            return [
                m("ch.committee", "规范化业委会", "A standardised owners' committee"),
                m("ch.property_link", "物业共建联建机制", "Joint building with the property company"),
                m("ch.online_disclosure", "网上居务公开", "Online disclosure of residential affairs"),
                m("ch.topics", "自治议题征集", "Collection of self-government topics")
            ]
        case .oldResidential:
            return [
                m("old.renovation", "老旧小区改造立项", "A renovation project approved"),
                m("old.gas_water", "供气、供水设施完善", "Gas and water supply renewed"),
                m("old.sewer", "下水道和化粪池改造", "Sewers and septic tanks renewed"),
                m("old.lift", "既有住宅增设电梯", "Lifts added to existing buildings")
            ]
        case .resettlement:
            return [
                m("rs.leaders", "意见领袖进入居委会或业委会", "Respected residents on the residents' or owners' committee"),
                m("rs.compact", "居民公约", "A residents' compact"),
                m("rs.disputes", "化解拆迁矛盾", "Resettlement disputes settled"),
                m("rs.civility", "改变生活陋习、提高文明素养", "Better habits and civility")
            ]
        case .mixedUse:
            return [
                m("mx.enforcement", "执法部门联动", "Joint enforcement by the departments"),
                m("mx.deliberation", "议事协调机制", "A deliberation and coordination mechanism"),
                m("mx.business_compact", "商圈经营公约", "A business compact of the shops"),
                m("mx.safety", "加强安全管理", "Safety management")
            ]
        case .urbanRural:
            return [
                m("ur.boundary", "划定治理边界", "Governance boundaries drawn"),
                m("ur.duties", "建立权责清单", "A list of powers and duties"),
                m("ur.security", "加强治安防控", "Public security patrols"),
                m("ur.vulnerable", "关注特殊群体", "Care for vulnerable groups"),
                m("ur.facilities", "公共设施配套", "Public facilities completed"),
                m("ur.training", "治理能力提升培训", "Governance training")
            ]
        case .workUnit:
            return [
                m("wu.joint_building", "单位与小区党组织联建共建", "Joint building of the unit's and the compound's Party organisations"),
                m("wu.dual_report", "党组织、党员“双报到”", "Party organisations and members report to the community (dual reporting)"),
                m("wu.identity", "党员亮明身份", "Party members make themselves known"),
                m("wu.resources", "整合单位治理资源", "The unit's resources pooled")
            ]
        }
    }
}

/// The state of one checklist measure in one compound.
public enum MeasureStatus: String, CaseIterable, Codable, Sendable {
    case notStarted = "not_started"
    case inProgress = "in_progress"
    case done

    public var nameZH: String {
        switch self {
        case .notStarted: "未开始";
        case .inProgress: "推进中";
        case .done: "已完成"
        }
    }
    public var nameEN: String {
        switch self {
        case .notStarted: "Not started";
        case .inProgress: "In progress";
        case .done: "Done"
        }
    }
}

/// Progress of a compound on its type's checklist: measures done over measures in the checklist.
public struct ChecklistProgress: Sendable, Equatable {
    public var done: Int
    public var total: Int
    public init(done: Int, total: Int) { self.done = done; self.total = total }
    /// Percent rounded half up, in integers; 0 over an empty checklist.
    public var percent: Int { total == 0 ? 0 : (200 * done + total) / (2 * total) }
}

/// 回应群众“五大关切”: the five concerns Guang'an tracks as programmes (BRIEF P5).
public enum GovernanceConcern: String, CaseIterable, Codable, Sendable {
    case propertyCertificates = "property_certificates"
    case propertyService = "property_service"
    case committeeOversight = "committee_oversight"
    case oldFacilities = "old_facilities"
    case environment

    public var nameZH: String {
        switch self {
        case .propertyCertificates: "房产证办理难"
        case .propertyService: "物业服务质量不高"
        case .committeeOversight: "业委会缺乏监督"
        case .oldFacilities: "住宅设施老旧"
        case .environment: "居住环境卫生脏乱差"
        }
    }

    public var nameEN: String {
        switch self {
        case .propertyCertificates: "Property certificates delayed"
        case .propertyService: "Poor property-service quality"
        case .committeeOversight: "Owners' committees without oversight"
        case .oldFacilities: "Old residential facilities"
        case .environment: "A dirty, disorderly environment"
        }
    }
}

/// Where a credit entry comes from.
public enum CreditSource: String, CaseIterable, Codable, Sendable {
    case inspection, survey
    case caseFile = "case"
    case rectification

    public var nameZH: String {
        switch self {
        case .inspection: "检查";
        case .survey: "满意度测评";
        case .caseFile: "投诉案件";
        case .rectification: "整改"
        }
    }
    public var nameEN: String {
        switch self {
        case .inspection: "Inspection";
        case .survey: "Satisfaction survey";
        case .caseFile: "Complaint case";
        case .rectification: "Rectification"
        }
    }
}

/// One rule of the property companies' credit file: a code, the points it gives or takes, and
/// why, in words a company manager reads on the page.
public struct CreditRule: Sendable, Equatable {
    public var code: String
    public var points: Int
    public var source: CreditSource
    public var nameZH: String
    public var nameEN: String
}

/// The outcome an inspector records.
public enum InspectionOutcome: String, CaseIterable, Codable, Sendable {
    /// 合格
    case pass
    /// 一般问题
    case minor
    /// 严重问题: opens a rectification
    case serious

    public var nameZH: String {
        switch self {
        case .pass: "合格";
        case .minor: "一般问题";
        case .serious: "严重问题"
        }
    }
    public var nameEN: String {
        switch self {
        case .pass: "Passed";
        case .minor: "Minor problem";
        case .serious: "Serious problem"
        }
    }
}

/// The credit rules (信用档案计分规则) and thresholds of the red/black list (红黑榜).
public enum PropertyCredit {
    /// Every company starts at 100 points.
    public static let base = 100
    /// 红榜: at least this score and no rectification open.
    public static let redListFrom = 110
    /// 黑榜: below this score (or a rectification past its deadline).
    public static let blackListBelow = 70
    /// Days a rectification is given.
    public static let rectificationDays = 30

    public static let inspectionPass = CreditRule(
        code: "inspection.pass", points: 2, source: .inspection, nameZH: "日常检查合格", nameEN: "Routine inspection passed")
    public static let inspectionMinor = CreditRule(
        code: "inspection.minor", points: -3, source: .inspection, nameZH: "检查发现一般问题", nameEN: "Inspection found a minor problem")
    public static let inspectionSerious = CreditRule(
        code: "inspection.serious", points: -10, source: .inspection, nameZH: "检查发现严重问题，责令整改",
        nameEN: "Inspection found a serious problem; rectification ordered")
    public static let surveyHigh = CreditRule(
        code: "survey.high", points: 5, source: .survey, nameZH: "业主满意度达到 90%", nameEN: "Owners' satisfaction at 90 % or more")
    public static let surveyLow = CreditRule(
        code: "survey.low", points: -5, source: .survey, nameZH: "业主满意度低于 60%", nameEN: "Owners' satisfaction below 60 %")
    public static let complaintUpheld = CreditRule(
        code: "case.complaint_upheld", points: -4, source: .caseFile, nameZH: "投诉经核实属实", nameEN: "A complaint was found justified")
    public static let rectificationCompleted = CreditRule(
        code: "rectification.completed", points: 3, source: .rectification, nameZH: "整改按期完成",
        nameEN: "Rectification completed on time")
    public static let rectificationLate = CreditRule(
        code: "rectification.late", points: -5, source: .rectification, nameZH: "整改逾期完成",
        nameEN: "Rectification completed late")

    public static let rules: [CreditRule] = [
        inspectionPass, inspectionMinor, inspectionSerious, surveyHigh, surveyLow, complaintUpheld,
        rectificationCompleted, rectificationLate
    ]

    public static func rule(_ code: String) -> CreditRule? { rules.first { $0.code == code } }

    /// The rule an inspection outcome applies.
    public static func rule(for outcome: InspectionOutcome) -> CreditRule {
        switch outcome {
        case .pass: inspectionPass
        case .minor: inspectionMinor
        case .serious: inspectionSerious
        }
    }

    /// The rule a survey applies: `survey.high` when 100·satisfied ≥ 90·respondents,
    /// `survey.low` when 100·satisfied < 60·respondents, none in between (or with no respondents).
    public static func rule(forSurvey satisfied: Int, of respondents: Int) -> CreditRule? {
        guard respondents > 0, (0...respondents).contains(satisfied) else { return nil }
        if 100 * satisfied >= 90 * respondents { return surveyHigh }
        if 100 * satisfied < 60 * respondents { return surveyLow }
        return nil
    }

    /// The rule closing a rectification applies: on time (closed on or before the due day) or late.
    /// Days are ISO dates (`yyyy-mm-dd`), which compare as text.
    public static func rule(forClosing closedOn: String, due dueOn: String) -> CreditRule {
        closedOn <= dueOn ? rectificationCompleted : rectificationLate
    }
}

/// One entry of a company's credit ledger (append-only): the points and why.
public struct CreditEntry: Sendable, Equatable {
    public var points: Int
    public var ruleCode: String
    public var reasonZH: String
    public var reasonEN: String
    public var date: String
    public var source: CreditSource

    public init(points: Int, ruleCode: String, reasonZH: String, reasonEN: String, date: String, source: CreditSource) {
        self.points = points; self.ruleCode = ruleCode; self.reasonZH = reasonZH; self.reasonEN = reasonEN; self.date = date; self.source = source
    }

    /// The entry a rule gives, its reason the rule's words with the particular detail after a colon.
    public init(rule: CreditRule, detailZH: String?, detailEN: String?, date: String) {
        self.init(
            points: rule.points, ruleCode: rule.code,
            reasonZH: detailZH.map { "\(rule.nameZH)：\($0)" } ?? rule.nameZH,
            reasonEN: detailEN.map { "\(rule.nameEN): \($0)" } ?? rule.nameEN, date: date, source: rule.source)
    }
}

/// 红榜 / 一般 / 黑榜.
public enum ListStanding: String, CaseIterable, Codable, Sendable {
    case redList = "red_list"
    case normal
    case blackList = "black_list"

    public var nameZH: String {
        switch self {
        case .redList: "红榜";
        case .normal: "一般";
        case .blackList: "黑榜"
        }
    }
    public var nameEN: String {
        switch self {
        case .redList: "Red list (commended)";
        case .normal: "Normal";
        case .blackList: "Black list"
        }
    }
}

/// A company's standing with the reason it gives, a pure function of the score and rectifications.
public struct CreditStanding: Sendable, Equatable {
    public var score: Int
    public var standing: ListStanding
    public var reasonZH: String
    public var reasonEN: String

    /// `score` = base + the sum of every entry; `openRectifications` still open, of which
    /// `overdueRectifications` past their due day.
    public static func evaluate(score: Int, openRectifications: Int, overdueRectifications: Int) -> CreditStanding {
        if score < PropertyCredit.blackListBelow {
            return CreditStanding(
                score: score, standing: .blackList,
                reasonZH: "信用分 \(score) 低于 \(PropertyCredit.blackListBelow) 分",
                reasonEN: "Credit score \(score) is below \(PropertyCredit.blackListBelow)")
        }
        if overdueRectifications > 0 {
            return CreditStanding(
                score: score, standing: .blackList,
                reasonZH: "\(overdueRectifications) 项整改逾期未完成",
                reasonEN: "\(overdueRectifications) rectification\(overdueRectifications == 1 ? "" : "s") overdue")
        }
        if score >= PropertyCredit.redListFrom {
            if openRectifications > 0 {
                return CreditStanding(
                    score: score, standing: .normal,
                    reasonZH: "信用分 \(score) 达到红榜线，但有 \(openRectifications) 项整改未完成",
                    reasonEN:
                        "Credit score \(score) reaches the red list, but \(openRectifications) rectification\(openRectifications == 1 ? " is" : "s are") open"
                )
            }
            return CreditStanding(
                score: score, standing: .redList,
                reasonZH: "信用分 \(score) 不低于 \(PropertyCredit.redListFrom) 分，且无未完成整改",
                reasonEN: "Credit score \(score) is at least \(PropertyCredit.redListFrom) with no rectification open")
        }
        return CreditStanding(
            score: score, standing: .normal,
            reasonZH: "信用分 \(score) 在 \(PropertyCredit.blackListBelow)–\(PropertyCredit.redListFrom - 1) 分之间",
            reasonEN: "Credit score \(score) is between \(PropertyCredit.blackListBelow) and \(PropertyCredit.redListFrom - 1)")
    }

    /// The score of a ledger: the base plus every entry's points.
    public static func score(of entries: [CreditEntry]) -> Int {
        entries.reduce(PropertyCredit.base) { $0 + $1.points }
    }
}

/// The party-member share of an owners' committee (业委会党员比例) against Guang'an's target
/// of 50 % or more (“力争…党员比例占50%以上”; 以上 includes the bound): 2·party ≥ members.
public struct CommitteePartyShare: Sendable, Equatable {
    public var members: Int
    public var partyMembers: Int
    public init(members: Int, partyMembers: Int) { self.members = members; self.partyMembers = partyMembers }

    /// The target is met: at least half, compared in integers; an empty committee does not meet it.
    public var meetsTarget: Bool { members > 0 && 2 * partyMembers >= members }
    /// Percent rounded half up in integers.
    public var percent: Int { members == 0 ? 0 : (200 * partyMembers + members) / (2 * members) }
}
