import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The aid programme catalogue (救助项目): each programme's name and whether it is sensitive.
/// Roles that may not see sensitive data see neither the sensitive programmes nor anything
/// counted from them (aid totals, the dashboard's aid panel, the register's figures).
package enum AidProgrammes {
    /// Every programme named by an aid record but not in the catalogue (the demo writes records
    /// in bulk), as sensitive.
    package static func catalogueAll(now: Date, on db: any Database) async throws {
        let missing = try await AidProgrammeQueries.uncatalogued(on: db)
        for programme in missing { try await AidProgrammeQueries.ensure(programme, now: now, on: db) }
    }

    struct Row: Content, Equatable { var id: UUID; var name: String; var sensitive: Bool; var records: Int }

    /// The catalogue as the role may see it, with how many records each programme has in scope.
    static func list(for actor: Actor, on db: any Database) async throws -> [Row] {
        try await AidProgrammeQueries.list(for: actor, on: db)
    }

    struct Change: Content, Sendable { var sensitive: Bool? }

    /// Marks a programme sensitive or not (administrators and subdistrict staff), audited.
    static func set(_ id: UUID, _ change: Change, writer: WriteContext, on db: any Database) async throws -> Row {
        guard writer.actor.role.managesAccounts else { throw AppError.forbidden }
        guard let sensitive = change.sensitive else {
            throw AppError.validation("sensitive", zh: "请说明是否敏感", en: "Say whether the programme is sensitive")
        }
        try await db.write { db in
            guard let name = try await AidProgrammeQueries.setSensitive(id, sensitive, on: db) else {
                throw AppError.notFound("救助项目不存在", "No such aid programme")
            }
            try await AuditLog.append(
                AuditEntry(
                    action: "aid_programme.changed", actorID: writer.actor.accountID,
                    actorName: writer.actor.username, targetType: "aid_programme", targetID: id.uuidString,
                    detail: ["name": name, "sensitive": String(sensitive)],
                    clientAddress: writer.address), at: writer.now, on: db)
        }
        guard let row = try await list(for: writer.actor, on: db).first(where: { $0.id == id }) else { throw AppError.notFound() }
        return row
    }
}
