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

    /// A programme as the catalogue lists it: `name` is the Chinese name aid records carry,
    /// `name_en` its English name (the one a manager gave, else the shipped list's; nil when it
    /// has none, and English pages then show the Chinese name).
    struct Row: Content, Equatable { var id: UUID; var name: String; var name_en: String?; var sensitive: Bool; var records: Int }

    /// The catalogue as the role may see it, with how many records each programme has in scope.
    static func list(for actor: Actor, on db: any Database) async throws -> [Row] {
        try await AidProgrammeQueries.list(for: actor, on: db).map { row in
            var named = row
            if (named.name_en ?? "").isEmpty { named.name_en = AidProgrammeDefaults.englishName(of: row.name) }
            return named
        }
    }

    /// What a manager changes: the sensitive mark, the English name (empty: none), or both.
    struct Change: Content, Sendable { var sensitive: Bool?; var name_en: String? }

    /// The longest English name of a programme, in characters.
    static let englishNameLength = 80

    /// Marks a programme sensitive or not, or gives its English name (administrators and
    /// subdistrict staff), audited.
    static func set(_ id: UUID, _ change: Change, writer: WriteContext, on db: any Database) async throws -> Row {
        guard writer.actor.role.managesAccounts else { throw AppError.forbidden }
        let english = change.name_en.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard change.sensitive != nil || english != nil else {
            throw AppError.validation("sensitive", zh: "请说明是否敏感，或填写英文名称", en: "Say whether the programme is sensitive, or give its English name")
        }
        if let english, english.count > englishNameLength {
            throw AppError.validation(
                "name_en", zh: "英文名称最多 \(englishNameLength) 个字符", en: "The English name has at most \(englishNameLength) characters")
        }
        try await db.write { db in
            guard let name = try await AidProgrammeQueries.change(id, sensitive: change.sensitive, nameEN: english, on: db) else {
                throw AppError.notFound("救助项目不存在", "No such aid programme")
            }
            var detail = ["name": name]
            if let sensitive = change.sensitive { detail["sensitive"] = String(sensitive) }
            if let english { detail["name_en"] = english }
            try await AuditLog.append(
                AuditEntry(
                    action: "aid_programme.changed", actorID: writer.actor.accountID,
                    actorName: writer.actor.username, targetType: "aid_programme", targetID: id.uuidString,
                    detail: detail, clientAddress: writer.address), at: writer.now, on: db)
        }
        guard let row = try await list(for: writer.actor, on: db).first(where: { $0.id == id }) else { throw AppError.notFound() }
        return row
    }
}
