import Foundation

/// 干部培训与挂职 (issue 10, item 6): how a cadre's attendance at a training session is recorded,
/// the attendance rate, and the checks on a session and a rotation (挂职).

/// Attendance at a training session, recorded per cadre.
public enum AttendanceStatus: String, CaseIterable, Sendable, Codable {
    /// 出席
    case present
    /// 缺席
    case absent
    /// 请假 (an excused absence: still an absence for the rate)
    case excused

    public var nameZH: String {
        switch self {
        case .present: "出席"
        case .absent: "缺席"
        case .excused: "请假"
        }
    }

    public var nameEN: String {
        switch self {
        case .present: "Present"
        case .absent: "Absent"
        case .excused: "Excused"
        }
    }
}

/// 出勤率: those present over everyone recorded (应到 = present + absent + excused; an excused
/// absence is an absence, shown apart). Integers only; the percent is rounded half up.
public struct AttendanceRate: Sendable, Equatable {
    public var present: Int
    public var absent: Int
    public var excused: Int
    public init(present: Int, absent: Int, excused: Int) { self.present = present; self.absent = absent; self.excused = excused }

    public var recorded: Int { present + absent + excused }
    /// nil when nobody is recorded (no rate rather than 0 %).
    public var percent: Int? { recorded == 0 ? nil : (200 * present + recorded) / (2 * recorded) }
}

public enum StaffDevelopmentRules {
    /// A session lasts from a quarter of an hour to a week of full days (40 hours).
    public static let shortestTrainingMinutes = 15
    public static let longestTrainingMinutes = 40 * 60
    /// A rotation (挂职) lasts at most three years.
    public static let longestRotationDays = 3 * 366

    public static func checkTraining(minutes: Int?) -> [FieldError] {
        guard let minutes else { return [FieldError(field: "minutes", messageZH: "请填写培训时长（分钟）", messageEN: "minutes is required")] }
        if minutes < shortestTrainingMinutes || minutes > longestTrainingMinutes {
            return [
                FieldError(
                    field: "minutes", messageZH: "培训时长须在 \(shortestTrainingMinutes)–\(longestTrainingMinutes) 分钟之间",
                    messageEN: "minutes must be between \(shortestTrainingMinutes) and \(longestTrainingMinutes)")
            ]
        }
        return []
    }

    /// A rotation ends after it starts, within three years.
    public static func checkRotation(starts: CivilDate, ends: CivilDate) -> [FieldError] {
        if ends <= starts { return [FieldError(field: "ends_on", messageZH: "结束日期须晚于开始日期", messageEN: "ends_on must be after starts_on")] }
        if ends.daysSince1970 - starts.daysSince1970 > longestRotationDays {
            return [FieldError(field: "ends_on", messageZH: "挂职最长三年", messageEN: "A rotation lasts at most three years")]
        }
        return []
    }

    /// Training hours as shown ("1.5"): minutes / 60 with at most two decimals, no trailing zeros.
    public static func hours(minutes: Int) -> String {
        let hundredths = (minutes * 100 + 30) / 60
        let whole = hundredths / 100, rest = hundredths % 100
        if rest == 0 { return "\(whole)" }
        return rest % 10 == 0 ? "\(whole).\(rest / 10)" : "\(whole).\(rest < 10 ? "0" : "")\(rest)"
    }
}
