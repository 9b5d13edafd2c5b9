import Foundation

/// What came of a visit (走访结果). Only a visit where the visitor met the household counts:
/// toward the quota and the compliance figures, as the household's last visit for 十必访, and in
/// the dashboard's visit figures. A knock on a door nobody answered is kept in the household's
/// history, so the next visitor knows, but it clears nothing and counts for nothing; otherwise a
/// saved empty form would take a seriously ill resident off the overdue list.
public enum VisitOutcome: String, CaseIterable, Codable, Sendable {
    /// 见到了: the visitor met (or spoke with) the household.
    case met
    /// 无人在家: nobody answered; an attempt, not a visit.
    case nobodyHome = "nobody_home"

    /// Whether a visit with this outcome counts as a visit (quota, compliance, 十必访, dashboard).
    public var countsAsVisit: Bool { self == .met }

    /// The outcome a request names; `met` when it names none, nil for an unknown word.
    public init?(requested raw: String?) {
        let word = (raw ?? "").trimmingCharacters(in: .whitespaces)
        self.init(rawValue: word.isEmpty ? VisitOutcome.met.rawValue : word)
    }

    /// What a visit holds besides its households, as far as the outcome cares.
    public struct Content: Sendable, Equatable {
        /// The summary has text (after trimming).
        public var hasSummary: Bool
        /// Needs found (诉求), each possibly a help request or a case.
        public var findings: Int
        public var tagsAdded: Int
        public var tagsEnded: Int
        /// Corrections of a member's details (residence status, mobile number).
        public var personUpdates: Int

        public init(hasSummary: Bool, findings: Int = 0, tagsAdded: Int = 0, tagsEnded: Int = 0, personUpdates: Int = 0) {
            self.hasSummary = hasSummary
            self.findings = findings
            self.tagsAdded = tagsAdded
            self.tagsEnded = tagsEnded
            self.personUpdates = personUpdates
        }
    }

    /// The problems of a visit with this outcome holding `content`, each a sentence for the field
    /// it concerns: a visit that met the household says what was found (a summary or at least one
    /// need); an attempt nobody answered records no needs and changes nothing in the register,
    /// since nobody was there to tell. (That a visit names at least one household is checked
    /// with the households themselves.)
    public func problems(_ content: Content) -> [FieldError] {
        switch self {
        case .met:
            guard !content.hasSummary, content.findings == 0 else { return [] }
            return [
                FieldError(
                    field: "summary", messageZH: "见到了居民，请写下走访情况，或选择至少一项诉求。",
                    messageEN: "You met the household: write what you found, or choose at least one need.")
            ]
        case .nobodyHome:
            var problems: [FieldError] = []
            if content.findings > 0 {
                problems.append(
                    FieldError(
                        field: "findings", messageZH: "无人在家时不能登记诉求，请在见到居民后再记。",
                        messageEN: "Nobody was home, so no needs can be recorded; record them when you meet the household."))
            }
            let changes: [(String, Int)] = [
                ("tags_added", content.tagsAdded), ("tags_ended", content.tagsEnded), ("person_updates", content.personUpdates)
            ]
            for (field, count) in changes where count > 0 {
                problems.append(
                    FieldError(
                        field: field, messageZH: "无人在家时不能更改居民的标签或信息。",
                        messageEN: "Nobody was home, so this visit cannot change a resident's tags or details."))
            }
            return problems
        }
    }
}
