/// 组织力工程: the kinds of organisation a subdistrict builds, which parent each may have, how
/// long a term runs, when a temporary branch closes, and the published co-building points rules.
/// Pure rules, table-tested in `OrganisationRulesTests`.

/// The kind of an organisation (组织类型).
public enum OrganisationKind: String, CaseIterable, Sendable, Codable {
    /// 党委 / 党工委 (a subdistrict's working committee, a residential area's committee)
    case partyCommittee = "party_committee"
    /// 党总支
    case partyGeneralBranch = "party_general_branch"
    /// 党支部
    case partyBranch = "party_branch"
    /// 党小组
    case partyGroup = "party_group"
    /// 临时党支部 (for a project, with an end date: e.g. 加装电梯临时党支部)
    case temporaryBranch = "temporary_branch"
    /// 工会 (including the freelancers' union 自由职业者工会)
    case tradeUnion = "trade_union"
    /// 妇女议事会 / 妇联
    case womensCouncil = "womens_council"
    /// 共青团 / 青春社区
    case youthLeague = "youth_league"
    /// 青年中心
    case youthCentre = "youth_centre"
    /// 社会组织 (paired with a community: 红色联姻)
    case socialOrganisation = "social_organisation"
    /// 联盟 (物业服务企业党建联盟, 区域化党建联盟)
    case alliance

    /// Party organisations: membership is a political identity, sensitive under PIPL art. 28.
    public var isParty: Bool {
        switch self {
        case .partyCommittee, .partyGeneralBranch, .partyBranch, .partyGroup, .temporaryBranch: true
        default: false
        }
    }

    /// Whether membership is sensitive personal information (a specific identity).
    public var membershipIsSensitive: Bool { isParty }

    /// 群团组织 (mass organisations).
    public var isMass: Bool { self == .tradeUnion || self == .womensCouncil || self == .youthLeague || self == .youthCentre }

    public var nameZH: String {
        switch self {
        case .partyCommittee: "党委"
        case .partyGeneralBranch: "党总支"
        case .partyBranch: "党支部"
        case .partyGroup: "党小组"
        case .temporaryBranch: "临时党支部"
        case .tradeUnion: "工会"
        case .womensCouncil: "妇女议事会"
        case .youthLeague: "青春社区（团组织）"
        case .youthCentre: "青年中心"
        case .socialOrganisation: "社会组织"
        case .alliance: "联盟"
        }
    }

    public var nameEN: String {
        switch self {
        case .partyCommittee: "Party committee"
        case .partyGeneralBranch: "Party general branch"
        case .partyBranch: "Party branch"
        case .partyGroup: "Party group"
        case .temporaryBranch: "Temporary party branch"
        case .tradeUnion: "Trade union"
        case .womensCouncil: "Women's council"
        case .youthLeague: "Youth community (league)"
        case .youthCentre: "Youth centre"
        case .socialOrganisation: "Social organisation"
        case .alliance: "Alliance"
        }
    }

    /// The kinds a parent may have; `nil` in the list means the organisation may stand at the
    /// top (no parent). Party organisations follow the party's chain (委员会 → 总支 → 支部 →
    /// 小组); a temporary branch hangs under a committee or a general branch; mass and social
    /// organisations and alliances stand alone or under a party committee (党建引领).
    public var allowedParents: [OrganisationKind?] {
        switch self {
        case .partyCommittee: [nil, .partyCommittee]
        case .partyGeneralBranch: [.partyCommittee]
        case .partyBranch: [.partyCommittee, .partyGeneralBranch]
        case .partyGroup: [.partyBranch, .temporaryBranch]
        case .temporaryBranch: [.partyCommittee, .partyGeneralBranch]
        case .tradeUnion, .womensCouncil, .youthLeague, .youthCentre, .socialOrganisation, .alliance:
            [nil, .partyCommittee, .tradeUnion, .womensCouncil, .youthLeague, .alliance]
        }
    }

    /// Whether `parent` (nil: none) may be this kind's parent.
    public func admits(parent: OrganisationKind?) -> Bool { allowedParents.contains(parent) }

    /// The length of a term in years (中国共产党基层组织选举工作条例 art. 3: a grass-roots
    /// committee 5 years, a general branch and a branch 3 years); nil for kinds without terms.
    public var termYears: Int? {
        switch self {
        case .partyCommittee: 5
        case .partyGeneralBranch, .partyBranch: 3
        case .tradeUnion, .womensCouncil, .youthLeague: 5
        default: nil
        }
    }
}

/// How an organisation was built (组建方式): the seed's 地缘/业缘/趣缘, organ branches by
/// function, and temporary ones for a project.
public enum OrganisationBasis: String, CaseIterable, Sendable, Codable {
    /// 地缘: where members live (a building group, a micro-grid, a compound)
    case place
    /// 业缘: what members do (a trade, a workplace)
    case trade
    /// 趣缘: what members like (a hobby team)
    case interest
    /// 机关: the subdistrict's own functions (公共管理、公共服务、公共安全)
    case organ
    /// 临时: for a project with an end date
    case project
    /// 区域化: several units together (alliances, co-building)
    case regional

    public var nameZH: String {
        switch self {
        case .place: "地缘"
        case .trade: "业缘"
        case .interest: "趣缘"
        case .organ: "机关"
        case .project: "项目（临时）"
        case .regional: "区域化"
        }
    }

    public var nameEN: String {
        switch self {
        case .place: "By place"
        case .trade: "By trade"
        case .interest: "By interest"
        case .organ: "Organ"
        case .project: "For a project"
        case .regional: "Regional"
        }
    }
}

/// The rules on a new organisation's dates: a temporary branch must have an end date after its
/// start (and within three years: a project branch is not a standing one); others may not end
/// in advance; a term ends after the kind's term length.
public enum OrganisationDates {
    /// The longest a temporary branch may be planned for, in days (three years).
    public static let longestTemporaryDays = 3 * 366

    /// Checks `kind`, `starts` and `ends`; the problems as field errors (`ends_on`).
    public static func check(kind: OrganisationKind, starts: CivilDate, ends: CivilDate?) -> [FieldError] {
        if kind == .temporaryBranch {
            guard let ends else {
                return [FieldError(field: "ends_on", messageZH: "临时党支部须有结束日期", messageEN: "A temporary branch needs an end date")]
            }
            if ends <= starts {
                return [FieldError(field: "ends_on", messageZH: "结束日期须晚于成立日期", messageEN: "ends_on must be after starts_on")]
            }
            if ends.daysSince1970 - starts.daysSince1970 > longestTemporaryDays {
                return [FieldError(field: "ends_on", messageZH: "临时党支部最长三年", messageEN: "A temporary branch lasts at most three years")]
            }
            return []
        }
        if ends != nil {
            return [FieldError(field: "ends_on", messageZH: "只有临时党支部预设结束日期", messageEN: "Only a temporary branch has a planned end date")]
        }
        return []
    }

    /// The last day of a term that starts on `start` (the day before the same date `years` later;
    /// a term begun on 29 February has 28 February as its anniversary, so it ends on the 27th).
    public static func termEnd(kind: OrganisationKind, start: CivilDate) -> CivilDate? {
        guard let years = kind.termYears else { return nil }
        let day = min(start.day, CivilDate.daysInMonth(year: start.year + years, month: start.month))
        guard let same = try? CivilDate(year: start.year + years, month: start.month, day: day) else { return nil }
        return try? same.adding(days: -1)
    }

    /// Whether an organisation is open on `day`: not closed, and a temporary one before its end
    /// date (it closes at the start of its end date).
    public static func isOpen(closedOn: CivilDate?, endsOn: CivilDate?, on day: CivilDate) -> Bool {
        if let closedOn, closedOn <= day { return false }
        if let endsOn, endsOn <= day { return false }
        return true
    }
}

/// A member's role in an organisation (职务).
public enum MemberRole: String, CaseIterable, Sendable, Codable {
    case secretary, deputySecretary = "deputy_secretary", committeeMember = "committee_member"
    case member, representative, leader
    /// 党建指导员 (sent to a property company or alliance)
    case instructor

    public var nameZH: String {
        switch self {
        case .secretary: "书记"
        case .deputySecretary: "副书记"
        case .committeeMember: "委员"
        case .member: "成员"
        case .representative: "代表"
        case .leader: "负责人"
        case .instructor: "党建指导员"
        }
    }

    public var nameEN: String {
        switch self {
        case .secretary: "Secretary"
        case .deputySecretary: "Deputy secretary"
        case .committeeMember: "Committee member"
        case .member: "Member"
        case .representative: "Representative"
        case .leader: "Leader"
        case .instructor: "Party-building instructor"
        }
    }
}

/// A post or area that members take on (双报到 claims them).
public enum OrganisationPostKind: String, CaseIterable, Sendable, Codable {
    /// 党员示范岗
    case modelPost = "model_post"
    /// 党员责任区 (bound to a grid node)
    case responsibilityArea = "responsibility_area"
    /// 党员突击队 / 志愿服务队 (with a mission)
    case commandoTeam = "commando_team"

    public var nameZH: String {
        switch self {
        case .modelPost: "党员示范岗"
        case .responsibilityArea: "党员责任区"
        case .commandoTeam: "党员突击队"
        }
    }

    public var nameEN: String {
        switch self {
        case .modelPost: "Model post"
        case .responsibilityArea: "Responsibility area"
        case .commandoTeam: "Commando team"
        }
    }
}

/// 积分制: the published rules by which co-building units and members earn points. Every entry
/// names its rule and carries its explanation; a total is the sum of its entries.
public enum CoBuildingPoints {
    public struct Rule: Sendable, Equatable {
        public var code: String
        public var nameZH: String
        public var nameEN: String
        /// Points per unit of `per` (e.g. per resource, per delivered commitment, per hour).
        public var points: Int
        public var perZH: String
        public var perEN: String
    }

    /// The published rules (公布的积分规则).
    public static let rules: [Rule] = [
        Rule(
            code: "resource_opened", nameZH: "向社区开放资源", nameEN: "Opened a resource to the community", points: 10, perZH: "每项资源", perEN: "per resource"
        ),
        Rule(
            code: "commitment_delivered", nameZH: "契约承诺兑现", nameEN: "Delivered a contract commitment", points: 20, perZH: "每项承诺",
            perEN: "per commitment"),
        Rule(
            code: "commitment_missed", nameZH: "契约承诺未兑现", nameEN: "Missed a contract commitment", points: -10, perZH: "每项承诺", perEN: "per commitment"),
        Rule(
            code: "project_completed", nameZH: "完成项目清单项目", nameEN: "Completed a project from the list", points: 30, perZH: "每个项目",
            perEN: "per project"),
        Rule(
            code: "service_hour", nameZH: "在职党员社区服务", nameEN: "In-service member's community service", points: 1, perZH: "每满 1 小时",
            perEN: "per full hour")
    ]

    public static func rule(_ code: String) -> Rule? { rules.first { $0.code == code } }

    /// One entry of a rule applied `quantity` times: its points and the sentence that explains
    /// them (e.g. "契约承诺兑现：20 分 × 2 每项承诺 = 40 分").
    public static func entry(rule code: String, quantity: Int) throws(FieldError) -> (points: Int, explanationZH: String, explanationEN: String) {
        guard let rule = rule(code) else {
            throw FieldError(field: "rule", messageZH: "没有这条积分规则", messageEN: "No such points rule")
        }
        guard quantity >= 1, quantity <= 10_000 else {
            throw FieldError(field: "quantity", messageZH: "数量须为 1–10000", messageEN: "quantity must be 1–10,000")
        }
        let points = rule.points * quantity
        return (
            points, "\(rule.nameZH)：\(rule.points) 分 × \(quantity)（\(rule.perZH)）= \(points) 分",
            "\(rule.nameEN): \(rule.points) × \(quantity) (\(rule.perEN)) = \(points) points"
        )
    }

    /// Full hours of service in `minutes` (the `service_hour` rule counts whole hours only).
    public static func fullHours(minutes: Int) -> Int { max(0, minutes) / 60 }
}
