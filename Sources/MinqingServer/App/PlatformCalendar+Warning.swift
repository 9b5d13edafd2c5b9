import Foundation
import MinqingDomain
import Plot

/// The one warning pages show where a deadline rests on a year whose holidays are derived (no
/// State Council notice loaded yet: statutory holidays from the regulation, make-up days unknown),
/// and the sentence for a report over years without a notice file.
extension PlatformCalendar {
    /// The derived years a count from `start` to the latest of `deadlines` touches (a deadline in
    /// a derived year, or a count that crosses one), in order; empty when there is no deadline.
    static func derivedYears(start: CivilDate?, deadlines: [CivilDate?], calendar: WorkingCalendar) -> [Int] {
        let due = deadlines.compactMap { $0 }
        guard let last = due.max() else { return [] }
        let first = ([start].compactMap { $0 } + due).min() ?? last
        return calendar.derivedYears(from: first, to: last)
    }

    /// The same for instants, by their days in Asia/Shanghai.
    static func derivedYears(start: Date?, deadlines: [Date?], calendar: WorkingCalendar) -> [Int] {
        derivedYears(
            start: start.map { CivilDate($0, in: .shanghai) }, deadlines: deadlines.map { $0.map { CivilDate($0, in: .shanghai) } },
            calendar: calendar)
    }

    /// "The holidays of `years` are derived; make-up days are not published yet."
    static func derivedWarning(_ years: [Int]) -> T {
        T(
            "注意：\(years.map(String.init).joined(separator: "、")) 年的节假日安排尚未公布，期限按《全国年节及纪念日放假办法》推算的法定假日计算，调休上班日未知，公布后期限可能变动。",
            "Note: the holiday arrangements for \(years.map(String.init).joined(separator: ", ")) are not published yet. Deadlines count the statutory holidays derived from the national holiday regulations; make-up working days are unknown and may move them."
        )
    }

    /// The sentence for a report over `years` without a notice file on the platform calendar:
    /// derived holidays where the regulation reaches, weekends alone elsewhere.
    static func missingNoticeWarning(_ years: [Int]) -> T {
        let derived = years.filter { StatutoryHolidays.derivableYears.contains($0) }
        let bare = years.filter { !StatutoryHolidays.derivableYears.contains($0) }
        var zh: [String] = [], en: [String] = []
        if !derived.isEmpty {
            let warning = derivedWarning(derived)
            zh.append(warning.zh)
            en.append(warning.en)
        }
        if !bare.isEmpty {
            zh.append("\(bare.map(String.init).joined(separator: "、")) 年没有节假日文件，工作日只按周末计算。")
            en.append("No holiday file for \(bare.map(String.init).joined(separator: ", ")): working days count weekends only.")
        }
        return T(zh.joined(), en.joined(separator: " "))
    }

    /// ``derivedWarning(_:)`` as a page's note, `p#calendar-warning`; nothing when `years` is empty.
    static func derivedWarningNode(_ years: [Int], lang: Lang, id: String = "calendar-warning") -> Node<HTML.BodyContext> {
        guard !years.isEmpty else { return .empty }
        return .p(.class("flash-error"), .id(id), .attribute(named: "role", value: "note"), .text(derivedWarning(years)(lang)))
    }
}
