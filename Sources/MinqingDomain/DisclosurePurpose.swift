/// Why staff show a plain ID or phone number, export plain numbers, or read a list of people
/// holding sensitive data (PIPL art. 6 and 28: a specific purpose, necessity). A reason from a
/// fixed list, so that the audit trail can be counted by purpose, plus the staff member's own
/// words, so that each entry says what was done; both are recorded.
public enum DisclosurePurpose: String, CaseIterable, Sendable, Codable {
    /// 入户走访与上门服务
    case homeVisit = "home_visit"
    /// 救助帮扶核对
    case assistance
    /// 核实或更正登记信息
    case verification
    /// 应急处置与人身安全
    case emergency
    /// 有关部门依法调取（须写明文书编号）
    case lawfulRequest = "lawful_request"
    /// 其他（须写明）
    case other

    public var nameZH: String {
        switch self {
        case .homeVisit: "入户走访与上门服务"
        case .assistance: "救助帮扶核对"
        case .verification: "核实或更正登记信息"
        case .emergency: "应急处置与人身安全"
        case .lawfulRequest: "有关部门依法调取"
        case .other: "其他"
        }
    }

    public var nameEN: String {
        switch self {
        case .homeVisit: "Home visit or service"
        case .assistance: "Checking assistance"
        case .verification: "Verifying or correcting the record"
        case .emergency: "Emergency or personal safety"
        case .lawfulRequest: "Lawful request by an authority"
        case .other: "Other"
        }
    }
}

/// A purpose as stated: the reason from the list and the words that go with it.
public struct StatedPurpose: Sendable, Equatable {
    public let purpose: DisclosurePurpose
    public let detail: String

    /// The words must say something (4–200 characters).
    public static let detailLength = 4...200

    /// Checks what a form or a request sent: `purpose` (a code of the list) and `purpose_detail`.
    /// Both are required; every problem is reported.
    public static func check(purpose: String?, detail: String?) -> Result<StatedPurpose, ValidationError> {
        var errors = ValidationError(fields: [])
        let reason = DisclosurePurpose(rawValue: (purpose ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
        if reason == nil {
            errors.append(
                FieldError(
                    field: "purpose", messageZH: "请选择用途",
                    messageEN: "Choose the purpose"))
        }
        let words = (detail ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !detailLength.contains(words.count) {
            errors.append(
                FieldError(
                    field: "purpose_detail", messageZH: "请写明具体事由（4–200 个字）",
                    messageEN: "Say what it is for (4 to 200 characters)"))
        }
        guard let reason, errors.isEmpty else { return .failure(errors) }
        return .success(StatedPurpose(purpose: reason, detail: words))
    }

    /// The audit entry's detail fields.
    public var auditDetail: [String: String] { ["purpose": purpose.rawValue, "purpose_detail": detail] }
}
