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

    /// The English names the catalogue holds, by the programme's (Chinese) name.
    static func englishNames(on db: any Database) async throws -> [String: String] {
        struct Named: Decodable { var name: String; var name_en: String }
        let rows = try await db.sql.raw(
            """
            SELECT name, name_en FROM aid_programmes WHERE name_en IS NOT NULL
            """
        ).all(decoding: Named.self)
        return Dictionary(rows.map { ($0.name, $0.name_en) }, uniquingKeysWith: { a, _ in a })
    }

    /// The catalogue as the role may see it, with how many records each programme has in scope.
    static func list(for actor: Actor, on db: any Database) async throws -> [AidProgrammes.Row] {
        let hide: SQLQueryString = actor.role.seesSensitiveTags ? "" : "WHERE ap.sensitive = \(flag: false)"
        return try await db.sql.raw(
            """
            SELECT ap.id, ap.name, ap.name_en, ap.sensitive,
                   (SELECT COUNT(*) FROM aid_records x WHERE x.programme = ap.name
                      AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "x")))) AS records
            FROM aid_programmes ap \(hide) ORDER BY ap.sensitive, ap.name
            """
        ).all(decoding: AidProgrammes.Row.self)
    }

    /// Sets programme `id`'s sensitive mark and English name, each when given (an empty English
    /// name removes it); returns the programme's name, nil when there is no such programme.
    static func change(_ id: UUID, sensitive: Bool?, nameEN: String?, on db: any Database) async throws -> String? {
        struct Named: Decodable { var name: String }
        var sets: [SQLQueryString] = []
        if let sensitive { sets.append("sensitive = \(bind: sensitive)") }
        if let nameEN, nameEN.isEmpty {
            sets.append("name_en = NULL")
        } else if let nameEN {
            sets.append("name_en = \(bind: nameEN)")
        }
        guard !sets.isEmpty else { return nil }
        return try await db.sql.raw(
            """
            UPDATE aid_programmes SET \(sets.joined(separator: ", ")) WHERE id = \(bind: id) RETURNING name
            """
        ).first(decoding: Named.self)?.name
    }
}
