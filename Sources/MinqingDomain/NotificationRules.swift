import Foundation

/// What a notification (消息) is about. Every kind lands in the person's inbox on the site; a
/// resident chooses per kind whether it also goes to their phone (through the gateway), and
/// quiet hours hold back all but urgent ones.
public enum NotificationKind: String, CaseIterable, Codable, Sendable {
    /// A step on one of the resident's cases (立案、派遣、办结、答复…).
    case caseUpdate = "case_update"
    /// A decision on the resident's booking: a space (约空间) or a visit (约走访).
    case booking
    /// An owners' ballot or a residents' poll they may vote in has opened (要投票).
    case voteOpened = "vote_opened"
    /// The result of a ballot or poll they could vote in.
    case voteResult = "vote_result"
    /// A registration or check-in campaign of their area has opened.
    case campaign
    /// A reminder: today's check-in is not done yet.
    case reminder
    /// A notice published to their compound.
    case notice
    /// Staff: a resident booked a visit with them.
    case visitBooked = "visit_booked"
    /// Staff: a case was dispatched to their department.
    case caseAssigned = "case_assigned"
    /// Staff: a case their department leads is past its deadline (escalated) or was marked 督办.
    case caseOverdue = "case_overdue"
    /// Staff: a resident under them answered a daily check-in abnormally (e.g. 37.3 °C or more).
    case checkinAlert = "checkin_alert"

    public var nameZH: String {
        switch self {
        case .caseUpdate: "我的案件有进展"
        case .booking: "预约结果（约空间、约走访）"
        case .voteOpened: "投票、表决开始"
        case .voteResult: "投票、表决结果"
        case .campaign: "登记、打卡活动开始"
        case .reminder: "打卡提醒"
        case .notice: "小区通知公告"
        case .visitBooked: "居民预约了我的走访"
        case .caseAssigned: "案件派到我的部门"
        case .caseOverdue: "我部门的案件超期或被督办"
        case .checkinAlert: "居民打卡异常"
        }
    }

    public var nameEN: String {
        switch self {
        case .caseUpdate: "Progress on my cases"
        case .booking: "Booking decisions (spaces, visits)"
        case .voteOpened: "A vote or ballot opens"
        case .voteResult: "The result of a vote or ballot"
        case .campaign: "A registration or check-in opens"
        case .reminder: "Check-in reminders"
        case .notice: "Notices of my compound"
        case .visitBooked: "A resident booked a visit with me"
        case .caseAssigned: "A case dispatched to my department"
        case .caseOverdue: "My department's case is overdue or supervised"
        case .checkinAlert: "A resident's check-in is abnormal"
        }
    }

    /// The kinds a resident receives; the others are staff's.
    public var forResidents: Bool {
        switch self {
        case .caseUpdate, .booking, .voteOpened, .voteResult, .campaign, .reminder, .notice: true
        case .visitBooked, .caseAssigned, .caseOverdue, .checkinAlert: false
        }
    }

    /// Whether it goes to the phone until the person says otherwise: what they are waiting for
    /// (their case, their booking, their vote), not announcements.
    public var toPhoneByDefault: Bool {
        switch self {
        case .caseUpdate, .booking, .voteOpened, .reminder, .visitBooked, .caseAssigned, .caseOverdue, .checkinAlert: true
        case .voteResult, .campaign, .notice: false
        }
    }

    /// The kinds a person of this role may receive and choose about.
    public static func kinds(forResident resident: Bool) -> [NotificationKind] {
        allCases.filter { $0.forResidents == resident }
    }
}

/// Quiet hours (免打扰): nothing but urgent notices reaches a phone from 22:00 to 07:00 China
/// Standard Time (UTC+8 all year); what falls inside waits until 07:00.
public enum QuietHours {
    public static let startHour = 22
    public static let endHour = 7
    static let offset: TimeInterval = 8 * 3600

    /// When a message created at `now` may go out.
    public static func deliveryTime(createdAt now: Date, urgent: Bool) -> Date {
        if urgent { return now }
        let local = now.timeIntervalSince1970 + offset
        let day = (local / 86_400).rounded(.down) * 86_400
        let hour = Int((local - day) / 3600)
        if hour >= endHour && hour < startHour { return now }
        // Before 07:00: today's 07:00; from 22:00: tomorrow's.
        let morning = day + Double(endHour) * 3600 + (hour >= startHour ? 86_400 : 0)
        return Date(timeIntervalSince1970: morning - offset)
    }
}

/// How often the gateway is tried: after each failure a longer wait, then the message is a dead
/// letter that staff can see and send again.
public enum DeliveryBackoff {
    /// Seconds to wait after the first, second, … failure.
    public static let waits: [Int] = [60, 300, 1_800, 7_200, 21_600]
    /// Tries in all (the first and one after each wait).
    public static var maxAttempts: Int { waits.count + 1 }

    /// The wait after `failures` failed tries, or nil when the message is dead.
    public static func wait(afterFailures failures: Int) -> Int? {
        guard failures >= 1, failures <= waits.count else { return nil }
        return waits[failures - 1]
    }
}

extension CaseAction {
    /// Whether the resident who reported the case hears of this step: what changes for them
    /// (filed or not, merged, sent to a department, taken up, paused, handled, closed), not the
    /// dispatcher's and departments' own traffic (transfers, returns, extensions, checks).
    public var toldToReporter: Bool {
        switch self {
        case .file, .reject, .merge, .dispatch, .accept, .suspend, .handle, .close: true
        default: false
        }
    }
}

/// The title of a notification in both languages, for the titles written from more than one
/// place (the live events and the demo's history).
public struct NotificationTitle: Sendable, Equatable {
    public let zh: String
    public let en: String

    /// A step on the reader's own case.
    public static func caseStep(_ action: CaseAction) -> NotificationTitle {
        NotificationTitle(zh: "您的案件：\(action.nameZH)", en: "Your case: \(action.nameEN)")
    }
    public static let pollOpened = NotificationTitle(zh: "居民投票开始，请投票", en: "A residents' poll is open: please vote")
    public static let campaignOpened = NotificationTitle(zh: "新的登记、打卡活动", en: "A new registration or check-in")
}
