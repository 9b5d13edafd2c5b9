import Fluent
import Foundation
import MinqingDomain
import Vapor

/// Each stage's limit from the case's category (`CaseStage`): 立案 from intake, 派遣 from filing
/// or a return, 签收 and 处置 from the dispatch (`prepareDispatch`), 核查 from the department's
/// report; the dispatcher's stages write `stage_due_at`, on the platform calendar.
extension CasesWorkflow {
    /// The category's limit for `stage` (its default when the category or its text is missing).
    static func limit(for stage: CaseStage, of category: CaseCategoryRecord?) -> CaseTimeLimit {
        let text: String? =
            switch stage {
            case .filing: category?.limit_file
            case .dispatching: category?.limit_dispatch
            case .responding: category?.limit_response
            case .handling: category?.limit_handle
            case .verifying: category?.limit_verify
            }
        return text.flatMap { try? CaseTimeLimit(parsing: $0) } ?? stage.defaultLimit
    }

    /// The change to the dispatcher's stage deadline that `action` makes at `now` on a case of the
    /// category `code`; nil when it leaves the deadline as it is.
    static func stageChange(
        after action: CaseAction, category code: String, now: Date, deadlines: CaseDeadlines, on db: any Database
    ) async throws -> CasesQueries.Change? {
        switch action.stageClock {
        case .keep:
            return nil
        case .clear:
            return .stageDue(nil)
        case .start(let stage):
            let category = try await CasesQueries.category(code: code, on: db)
            return .stageDue(deadlines.due(from: now, limit: limit(for: stage, of: category)))
        }
    }

    /// The filing deadline (立案期限) of a case just taken in at `now`, written with it.
    static func startFiling(
        _ id: CaseID, category code: String, at now: Date, deadlines: CaseDeadlines, on db: any Database
    ) async throws {
        let category = try await CasesQueries.category(code: code, on: db)
        let due = deadlines.due(from: now, limit: limit(for: .filing, of: category))
        try await CasesQueries.setStageDue(of: id, to: due, on: db)
    }
}

extension CaseDetail {
    /// The case with the derived years its deadlines reach or cross noted (`PlatformCalendar`),
    /// counted from the day it was taken in, for the page's and the API's warning.
    func noting(_ calendar: WorkingCalendar) -> CaseDetail {
        var copy = self
        copy.derived_calendar_years = PlatformCalendar.derivedYears(
            start: summary.reported_at, deadlines: [summary.due_at, response_due_at, stage_due_at], calendar: calendar)
        return copy
    }
}
