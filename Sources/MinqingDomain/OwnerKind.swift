/// Who holds a dwelling (业主类别). The owners' vote counts persons and organisations alike, and
/// counts developer-held units separately (建设单位持有的房屋, BRIEF S5).
public enum OwnerKind: String, CaseIterable, Codable, Sendable, RegisterLabelled {
    /// 个人: a natural person, identified by their resident ID number.
    case person
    /// 开发商: the developer (建设单位), holding unsold or undelivered units.
    case developer
    /// 单位: any other organisation (the housing bureau for public housing 公房, a work unit…).
    case organisation

    /// 个人 / 开发商 / 单位
    public var nameZH: String {
        switch self {
        case .person: "个人"
        case .developer: "开发商"
        case .organisation: "单位"
        }
    }

    /// Person / Developer / Organisation
    public var nameEN: String {
        switch self {
        case .person: "Person"
        case .developer: "Developer"
        case .organisation: "Organisation"
        }
    }

    /// Matches a raw value, a label, or what registers write instead: 自然人, 建设单位, 房地产开发商,
    /// 机构, 公房, organization.
    public init?(label: String) {
        guard
            let value = Self.matching(
                label: label,
                synonyms: [
                    "自然人": .person, "业主本人": .person,
                    "建设单位": .developer, "房地产开发商": .developer, "开发企业": .developer,
                    "机构": .organisation, "公房": .organisation, "企事业单位": .organisation, "organization": .organisation
                ])
        else { return nil }
        self = value
    }
}
