import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The aid programme catalogue (救助项目): each programme's name and whether it is sensitive.
/// Roles that may not see sensitive data see neither the sensitive programmes nor anything
/// counted from them (aid totals, the dashboard's aid panel, the register's figures).
package enum AidProgrammes {
    /// `AND <column> IN (the non-sensitive programmes)` for roles that may not see sensitive
    /// data; nothing for the others. A programme missing from the catalogue counts as sensitive.
    static func visible(_ role: Role, column: SQLQueryString) -> SQLQueryString {
        role.seesSensitiveTags ? "" : "AND \(column) IN (SELECT ap.name FROM aid_programmes ap WHERE ap.sensitive = \(flag: false))"
    }

    /// Puts a programme into the catalogue if it is not there (sensitive until someone says not);
    /// inside the transaction that records aid under it.
    static func ensure(_ name: String, now: Date, on db: any Database) async throws {
        try await db.sql.raw("""
            INSERT INTO aid_programmes (id, name, sensitive, created_at)
            VALUES (\(bind: UUID()), \(bind: name), \(flag: AidProgrammeDefaults.newProgrammeIsSensitive), \(bind: now))
            ON CONFLICT (name) DO NOTHING
            """).run()
    }

    /// Every programme named by an aid record but not in the catalogue (the demo writes records
    /// in bulk), as sensitive.
    package static func catalogueAll(now: Date, on db: any Database) async throws {
        struct Row: Decodable { var programme: String }
        let missing = try await db.sql.raw("""
            SELECT DISTINCT programme FROM aid_records WHERE programme NOT IN (SELECT name FROM aid_programmes)
            """).all(decoding: Row.self)
        for row in missing { try await ensure(row.programme, now: now, on: db) }
    }

    struct Row: Content, Equatable { var id: UUID; var name: String; var sensitive: Bool; var records: Int }

    /// The catalogue as the role may see it, with how many records each programme has in scope.
    static func list(for actor: Actor, on db: any Database) async throws -> [Row] {
        let hide: SQLQueryString = actor.role.seesSensitiveTags ? "" : "WHERE ap.sensitive = \(flag: false)"
        return try await db.sql.raw("""
            SELECT ap.id, ap.name, ap.sensitive,
                   (SELECT COUNT(*) FROM aid_records x WHERE x.programme = ap.name
                      AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "x")))) AS records
            FROM aid_programmes ap \(hide) ORDER BY ap.sensitive, ap.name
            """).all(decoding: Row.self)
    }

    struct Change: Content, Sendable { var sensitive: Bool? }

    /// Marks a programme sensitive or not (administrators and subdistrict staff), audited.
    static func set(_ id: UUID, _ change: Change, writer: WriteContext, on db: any Database) async throws -> Row {
        guard writer.actor.role.managesAccounts else { throw AppError.forbidden }
        guard let sensitive = change.sensitive else {
            throw AppError.validation("sensitive", zh: "请说明是否敏感", en: "Say whether the programme is sensitive")
        }
        struct Named: Decodable { var name: String }
        try await db.write { db in
            guard let row = try await db.sql.raw("""
                UPDATE aid_programmes SET sensitive = \(bind: sensitive) WHERE id = \(bind: id) RETURNING name
                """).first(decoding: Named.self) else {
                throw AppError.notFound("救助项目不存在", "No such aid programme")
            }
            try await AuditLog.append(AuditEntry(action: "aid_programme.changed", actorID: writer.actor.accountID,
                                                 actorName: writer.actor.username, targetType: "aid_programme", targetID: id.uuidString,
                                                 detail: ["name": row.name, "sensitive": String(sensitive)],
                                                 clientAddress: writer.address), at: writer.now, on: db)
        }
        guard let row = try await list(for: writer.actor, on: db).first(where: { $0.id == id }) else { throw AppError.notFound() }
        return row
    }
}

/// The catalogue of aid programmes, seeded with `AidProgrammeDefaults`; programmes already named
/// by aid records join it as sensitive.
struct CreateAidProgrammes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("aid_programmes")
            .id()
            .field("name", .string, .required)
            .field("sensitive", .bool, .required)
            .field("created_at", .datetime)
            .unique(on: "name")
            .create()
        let now = Date()
        for programme in AidProgrammeDefaults.all {
            try await database.sql.raw("""
                INSERT INTO aid_programmes (id, name, sensitive, created_at)
                VALUES (\(bind: UUID()), \(bind: programme.name), \(bind: programme.sensitive), \(bind: now))
                """).run()
        }
        try await AidProgrammes.catalogueAll(now: now, on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema("aid_programmes").delete()
    }
}
