import Fluent
import Foundation
import MinqingDomain
import Vapor

/// 改类别: the dispatcher corrects a case's category, with a reason. One transaction: the case's
/// row (only while it is in the state and category read), a transition row `recategorise` that
/// keeps the state (the timeline shows it), the change itself (`case_recategorisations`) and the
/// audit entry `case.recategorised`.
///
/// Allowed while the case is open (`CaseState.isOpen`: from reported to verifying), refused once it
/// is closed, evaluated, merged or rejected: a finished case's category is what the indicators
/// counted. Nothing else is recomputed: the lead department and the deadlines stay. A category's
/// time limits apply from dispatch, so a case not yet dispatched gets the new category's limits
/// when it is dispatched; a case already dispatched keeps its deadline (a transfer, which starts
/// the handling again, takes the new category's limits).
extension CasesService {
    /// The transition's action word for a change of category.
    static let recategoriseAction = "recategorise"

    static let finishedCategory = AppError(
        .conflict, code: "illegal_transition",
        zh: "案件已办结、已合并或不予立案，不能再改类别", en: "The case is finished, merged or rejected; its category can no longer change")

    static func recategorise(_ id: CaseID, _ input: CaseRecategoriseInput, writer: WriteContext, on db: any Database) async throws {
        guard CasesQueries.dispatchers.contains(writer.actor.role) else { throw AppError.forbidden }
        // A control character is no code of the catalogue (and PostgreSQL refuses a NUL in text).
        var typed = input.category_code?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        if let text = typed, text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) { typed = nil }
        let code = typed
        let reason = (input.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        try await db.write { db in
            // Out of scope is "not found" whatever was sent; a finished case refuses before the form is judged.
            guard let row = try await CasesQueries.caseForRecategorise(id, visibleTo: writer.actor, on: db) else { throw notFound }
            guard row.state.isOpen else { throw finishedCategory }
            let category = try await code.asyncFlatMap { try await CasesQueries.category(code: $0, on: db) }
            let problems = recategoriseProblems(category: category, reason: reason)
            guard problems.isEmpty, let category else { throw AppError.validation(problems) }
            guard row.category_code != category.code else {
                throw AppError.validation(
                    "category_code", zh: "案件已经是这个类别，请选择另一个", en: "The case already has this category; choose another")
            }
            guard
                let seq = try await CasesQueries.setCategory(
                    id, from: row.category_code, to: category.code, state: row.state, now: writer.now, on: db)
            else { throw CasesWorkflow.changedMeanwhile }
            try await CasesQueries.insertTransition(
                case: id, seq: seq, action: recategoriseAction, from: row.state, to: row.state, reason: reason, department: nil,
                writer: writer, on: db)
            try await CasesQueries.insertRecategorisation(
                case: id, seq: seq, from: row.category_code, to: category.code, reason: reason, writer: writer, on: db)
            try await AuditLog.append(
                AuditEntry(
                    action: "case.recategorised", actorID: writer.actor.accountID, actorName: writer.actor.username,
                    targetType: "case", targetID: id.uuidString, detail: ["from": row.category_code, "to": category.code],
                    clientAddress: writer.address), at: writer.now, on: db)
        }
    }

    /// What is wrong with the form: a category that is not a 小类 of the catalogue, a missing or
    /// overlong reason.
    private static func recategoriseProblems(category: CaseCategoryRecord?, reason: String) -> [FieldError] {
        var problems: [FieldError] = []
        if category == nil || category?.parent_code == nil {
            problems.append(FieldError(field: "category_code", messageZH: "请从列表中选择新的问题类别", messageEN: "Choose the new category from the list"))
        }
        if reason.isEmpty {
            problems.append(FieldError(field: "reason", messageZH: "请说明为什么改类别", messageEN: "Say why the category changes"))
        } else if reason.unicodeScalars.contains("\u{0}") {
            problems.append(
                FieldError(
                    field: "reason", messageZH: "理由含有无法识别的字符，请重新输入", messageEN: "The reason holds characters that cannot be read; type it again"))
        } else if reason.count > 1000 {
            problems.append(FieldError(field: "reason", messageZH: "理由不超过 1000 字", messageEN: "The reason has at most 1000 characters"))
        }
        return problems
    }
}
