import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// Reads that issuing and revoking Open311 keys need: the subdistricts a key may be for, and a
/// client by name.
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
}
