import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// Reads that issuing and revoking Open311 keys need: the subdistricts a key may be for, a
/// client by name or by id, and a jurisdiction's code.
extension Open311Queries {
    /// A subdistrict inside `scope`, for a key's jurisdiction.
    static func subdistrictInScope(_ scope: GridScope) -> SQLQueryString {
        "n.level = \(bind: GridLevel.subdistrict.rawValue) AND \(scope.contains(SQLColumn("id", table: "n")))"
    }

    /// The id of the subdistrict with `code` inside `scope`, or nil.
    static func subdistrict(code: String, in scope: GridScope, on db: any Database) async throws -> UUID? {
        struct Row: Decodable { var id: UUID }
        return try await db.sql.raw("SELECT n.id FROM grid_nodes n WHERE n.code = \(bind: code) AND \(subdistrictInScope(scope))")
            .first(decoding: Row.self)?.id
    }

    struct SubdistrictChoice: Decodable, Sendable { var code: String; var name: String }

    /// The subdistricts inside `scope` by name, for the page's choice of jurisdiction.
    static func subdistrictChoices(in scope: GridScope, on db: any Database) async throws -> [SubdistrictChoice] {
        try await db.sql.raw("SELECT n.code, n.name FROM grid_nodes n WHERE \(subdistrictInScope(scope)) ORDER BY n.code LIMIT 200")
            .all(decoding: SubdistrictChoice.self)
    }

    /// The ids of the subdistricts inside `scope`, at most two (enough to tell whether there is only one).
    static func subdistricts(in scope: GridScope, on db: any Database) async throws -> [UUID] {
        struct Row: Decodable { var id: UUID }
        return try await db.sql.raw("SELECT n.id FROM grid_nodes n WHERE \(subdistrictInScope(scope)) LIMIT 2").all(decoding: Row.self).map(\.id)
    }

    /// The id of the client named `name` in the subdistrict `jurisdiction` (live or revoked), without scope (for the console), or nil.
    static func clientID(name: String, jurisdiction: UUID, on db: any Database) async throws -> UUID? {
        struct Row: Decodable { var id: UUID }
        return try await db.sql.raw("SELECT id FROM open311_clients WHERE subdistrict_id = \(bind: jurisdiction) AND name = \(bind: name)")
            .first(decoding: Row.self)?.id
    }

    /// The client `id` with when it was revoked (nil: live), if its subdistrict lies inside `scope`.
    static func client(_ id: UUID, in scope: GridScope, on db: any Database) async throws -> (id: UUID, revokedAt: Date?)? {
        struct Row: Decodable { var id: UUID; var revoked_at: Date? }
        guard
            let row = try await db.sql.raw(
                """
                SELECT c.id, c.revoked_at FROM open311_clients c WHERE c.id = \(bind: id) AND \(scope.contains(SQLColumn("subdistrict_id", table: "c")))
                """
            ).first(decoding: Row.self)
        else { return nil }
        return (row.id, row.revoked_at)
    }

    /// The code of the grid node `id` (a key's jurisdiction), or nil.
    static func nodeCode(_ id: UUID, on db: any Database) async throws -> String? {
        struct Row: Decodable { var code: String }
        return try await db.sql.raw("SELECT code FROM grid_nodes WHERE id = \(bind: id)").first(decoding: Row.self)?.code
    }
}
