import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// A selection by a sensitive tag (低保, 残疾, 心理…) is a list of people's sensitive data: its
/// members are read only with a stated purpose, and every such read is audited
/// (`registry.sensitive_list_read`). Its size alone is a figure and stays open.
extension SmartGroupQueries {
    /// Whether the criteria's expression names (by code or by name) a tag marked sensitive that
    /// `role` may see (for the other roles such a tag is unknown, and the selection refuses it as
    /// such). An expression that does not resolve is not sensitive here; reading it fails anyway.
    static func isSensitive(_ criteria: Criteria, role: Role, on db: any Database) async throws -> Bool {
        guard role.seesSensitiveTags, let text = criteria.expression, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
            let expression = try? TagExpression(parsing: text)
        else { return false }
        do {
            return try await resolveTags(expression, role: role, on: db).sensitive
        } catch let error as AppError where error.status == .unprocessableEntity {
            return false
        }
    }

    static let purposeRequired = AppError(
        .unprocessableEntity, code: "purpose_required",
        zh: "这份名单含敏感标签：查看名单须说明用途，将记入审计日志",
        en: "This list holds a sensitive tag: state a purpose to read it; the read is written to the audit trail",
        fields: [FieldError(field: "purpose", messageZH: "请选择用途", messageEN: "Choose the purpose")])

    /// The members, as `members` gives them; for a sensitive selection only with `purpose`, and
    /// audited with it. `group` names the saved group read, if any.
    static func read(
        _ criteria: Criteria, actor: Actor, purpose: StatedPurpose?, group: UUID?, limit: Int, offset: Int,
        writer: WriteContext, on db: any Database
    ) async throws -> Page {
        let sensitive = try await isSensitive(criteria, role: actor.role, on: db)
        if sensitive, purpose == nil { throw purposeRequired }
        let page = try await members(criteria, actor: actor, today: CivilDate(writer.now, in: .shanghai), limit: limit, offset: offset, on: db)
        if sensitive, let purpose {
            var detail = purpose.auditDetail
            detail["rows"] = String(page.items.count)
            detail["offset"] = String(offset)
            detail["expression"] = criteria.expression ?? ""
            if let node = criteria.node { detail["node"] = node }
            let entry = AuditEntry(
                action: "registry.sensitive_list_read", actorID: actor.accountID, actorName: actor.username,
                targetType: group == nil ? "selection" : "smart_group", targetID: group?.uuidString ?? actor.scope.rootCode,
                detail: detail, clientAddress: writer.address)
            try await db.write { db in try await AuditLog.append(entry, at: writer.now, on: db) }
        }
        return page
    }

    /// How many people the criteria select (a figure: no purpose needed).
    static func count(_ criteria: Criteria, actor: Actor, today: CivilDate, on db: any Database) async throws -> Int {
        let (clause, _) = try await compile(criteria, actor: actor, today: today, on: db)
        struct N: Decodable { var n: Int }
        return try await db.sql.raw("SELECT COUNT(*) AS n FROM persons p WHERE \(clause)").first(decoding: N.self)?.n ?? 0
    }
}
