import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The SQL of the aid programme catalogue (`AidProgrammes`).
enum AidProgrammeQueries {
    /// `AND <column> IN (the non-sensitive programmes)` for roles that may not see sensitive
    /// data; nothing for the others. A programme missing from the catalogue counts as sensitive.
    static func visible(_ role: Role, column: SQLQueryString) -> SQLQueryString {
        role.seesSensitiveTags ? "" : "AND \(column) IN (SELECT ap.name FROM aid_programmes ap WHERE ap.sensitive = \(flag: false))"
    }

    /// Puts a programme into the catalogue if it is not there (sensitive until someone says not);
    /// inside the transaction that records aid under it. Writes the catalogue.
    static func ensure(_ name: String, now: Date, on db: any Database) async throws {
        try await db.sql.raw(
            """
            INSERT INTO aid_programmes (id, name, sensitive, created_at)
            VALUES (\(bind: UUID()), \(bind: name), \(flag: AidProgrammeDefaults.newProgrammeIsSensitive), \(bind: now))
            ON CONFLICT (name) DO NOTHING
            """
        ).run()
    }

    /// The programmes named by an aid record but missing from the catalogue.
    static func uncatalogued(on db: any Database) async throws -> [String] {
        struct Row: Decodable { var programme: String }
        return try await db.sql.raw(
            """
            SELECT DISTINCT programme FROM aid_records WHERE programme NOT IN (SELECT name FROM aid_programmes)
            """
        ).all(decoding: Row.self).map(\.programme)
    }

    /// The catalogue as the role may see it, with how many records each programme has in scope.
    static func list(for actor: Actor, on db: any Database) async throws -> [AidProgrammes.Row] {
        let hide: SQLQueryString = actor.role.seesSensitiveTags ? "" : "WHERE ap.sensitive = \(flag: false)"
        return try await db.sql.raw(
            """
            SELECT ap.id, ap.name, ap.sensitive,
                   (SELECT COUNT(*) FROM aid_records x WHERE x.programme = ap.name
                      AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "x")))) AS records
            FROM aid_programmes ap \(hide) ORDER BY ap.sensitive, ap.name
            """
        ).all(decoding: AidProgrammes.Row.self)
    }

    /// Marks programme `id` sensitive or not; returns its name, nil when there is no such programme.
    static func setSensitive(_ id: UUID, _ sensitive: Bool, on db: any Database) async throws -> String? {
        struct Named: Decodable { var name: String }
        return try await db.sql.raw(
            """
            UPDATE aid_programmes SET sensitive = \(bind: sensitive) WHERE id = \(bind: id) RETURNING name
            """
        ).first(decoding: Named.self)?.name
    }
}
