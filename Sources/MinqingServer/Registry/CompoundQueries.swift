import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Compounds (小区), their buildings and dwellings, read inside the caller's scope. A compound
/// belongs to a residential area; a caller bound lower down (a micro-grid, a building group)
/// sees a compound through its buildings in their subtree, and only those buildings and their
/// dwellings.
enum CompoundQueries {
    struct CompoundRow: Content {
        var id: UUID
        var code: String
        var name: String
        var compound_type: CompoundType
        var address: String
        var grid_code: String
        var grid_name: String
        /// Counts and area inside the caller's scope.
        var buildings: Int
        var dwellings: Int
        /// The sum of each dwelling's area by the voting rule: register, else surveyed, else contract (cm²).
        var area_cm2: Int64
        var owners: Int
        /// 6543: the type's Chinese and English names and its governance goal.
        var type_zh: String?
        var type_en: String?
        var goal_zh: String?
        var goal_en: String?
    }

    struct BuildingRow: Content {
        var id: UUID
        var name: String
        var floors: Int?
        var grid_code: String
        var dwellings: Int
    }

    struct DwellingRow: Content {
        var id: UUID
        var building_name: String
        var stairwell: String
        var room: String
        var area_register_cm2: Int64?
        var area_surveyed_cm2: Int64?
        var area_contract_cm2: Int64?
        var developer_held: Bool
        var unsold: Bool
        var undelivered: Bool
        /// Owners' names joined with "、" (numbers are never listed here).
        var owners: String
        /// Residents living in the dwelling.
        var households: Int
    }

    struct DwellingPage: Content { var items: [DwellingRow]; var total: Int; var limit: Int; var offset: Int }

    /// (PostgreSQL sums bigints as numeric, hence the casts back to BIGINT.)
    /// The voting area of a dwelling (BRIEF §2: register, else surveyed, else contract), as SQL.
    static let votingArea = "COALESCE(d.area_register_cm2, d.area_surveyed_cm2, d.area_contract_cm2, 0)"

    /// Whether compound `c` is visible in `scope`: its residential area is in it, or one of its buildings is.
    static func visible(_ scope: GridScope) -> SQLQueryString {
        """
        (\(scope.contains(SQLColumn("grid_node_id", table: "c"))) OR EXISTS (SELECT 1 FROM buildings vb \
        WHERE vb.compound_id = c.id AND \(scope.contains(SQLColumn("grid_node_id", table: "vb")))))
        """
    }

    /// Compounds visible in `scope` (the caller's, or a node inside it), with their figures inside `scope`.
    static func compounds(in scope: GridScope, id: UUID? = nil, on db: any Database) async throws -> [CompoundRow] {
        let only: SQLQueryString = id.map { "AND c.id = \(bind: $0)" } ?? ""
        var rows = try await db.sql.raw(
            """
            SELECT c.id, c.code, c.name, c.compound_type, c.address, n.code AS grid_code, n.name AS grid_name,
                (SELECT COUNT(*) FROM buildings b WHERE b.compound_id = c.id AND \(scope.contains(SQLColumn("grid_node_id", table: "b")))) AS buildings,
                (SELECT COUNT(*) FROM dwellings d WHERE d.compound_id = c.id AND \(scope.contains(SQLColumn("grid_node_id", table: "d")))) AS dwellings,
                (SELECT CAST(COALESCE(SUM(\(unsafeRaw: votingArea)), 0) AS BIGINT) FROM dwellings d
                    WHERE d.compound_id = c.id AND \(scope.contains(SQLColumn("grid_node_id", table: "d")))) AS area_cm2,
                (SELECT COUNT(DISTINCT o.owner_id) FROM dwelling_owners o JOIN dwellings d ON d.id = o.dwelling_id
                    WHERE d.compound_id = c.id AND \(scope.contains(SQLColumn("grid_node_id", table: "d")))) AS owners
            FROM compounds c JOIN grid_nodes n ON n.id = c.grid_node_id
            WHERE \(visible(scope)) \(only)
            ORDER BY c.code
            """
        ).all(decoding: CompoundRow.self)
        for index in rows.indices {
            let type = rows[index].compound_type
            rows[index].type_zh = type.nameZH
            rows[index].type_en = type.nameEN
            rows[index].goal_zh = type.goalZH
            rows[index].goal_en = type.goalEN
        }
        return rows
    }

    static func compound(id: UUID, in scope: GridScope, on db: any Database) async throws -> CompoundRow? {
        try await compounds(in: scope, id: id, on: db).first
    }

    /// The compound's buildings inside `scope`.
    static func buildings(of compound: UUID, in scope: GridScope, on db: any Database) async throws -> [BuildingRow] {
        try await db.sql.raw(
            """
            SELECT b.id, b.name, b.floors, n.code AS grid_code,
                (SELECT COUNT(*) FROM dwellings d WHERE d.building_id = b.id) AS dwellings
            FROM buildings b JOIN grid_nodes n ON n.id = b.grid_node_id
            WHERE b.compound_id = \(bind: compound) AND \(scope.contains(SQLColumn("grid_node_id", table: "b")))
            ORDER BY n.code, b.name
            """
        ).all(decoding: BuildingRow.self)
    }

    /// One page of the compound's dwellings inside `scope`, by building, stairwell and room.
    static func dwellings(of compound: UUID, in scope: GridScope, limit: Int, offset: Int, on db: any Database) async throws -> DwellingPage {
        struct Row: Decodable {
            var id: UUID; var building_name: String; var stairwell: String; var room: String
            var area_register_cm2: Int64?; var area_surveyed_cm2: Int64?; var area_contract_cm2: Int64?
            var developer_held: Bool; var unsold: Bool; var undelivered: Bool; var households: Int; var total: Int
        }
        let rows = try await db.sql.raw(
            """
            SELECT d.id, b.name AS building_name, d.stairwell, d.room, d.area_register_cm2, d.area_surveyed_cm2, d.area_contract_cm2,
                d.developer_held, d.unsold, d.undelivered,
                (SELECT COUNT(*) FROM households h WHERE h.dwelling_id = d.id) AS households,
                COUNT(*) OVER () AS total
            FROM dwellings d JOIN buildings b ON b.id = d.building_id
            WHERE d.compound_id = \(bind: compound) AND \(scope.contains(SQLColumn("grid_node_id", table: "d")))
            ORDER BY b.name, d.stairwell, d.room, d.id
            LIMIT \(count: limit) OFFSET \(count: offset)
            """
        ).all(decoding: Row.self)
        // Owners of the page's dwellings in one query.
        var owners: [UUID: [String]] = [:]
        if !rows.isEmpty {
            struct Owner: Decodable { var dwelling_id: UUID; var name: String }
            let list = try await db.sql.raw(
                """
                SELECT o.dwelling_id, w.name FROM dwelling_owners o JOIN owners w ON w.id = o.owner_id
                WHERE o.dwelling_id IN (\(binds: rows.map(\.id))) ORDER BY w.name
                """
            ).all(decoding: Owner.self)
            for owner in list { owners[owner.dwelling_id, default: []].append(owner.name) }
        }
        let items = rows.map {
            DwellingRow(
                id: $0.id, building_name: $0.building_name, stairwell: $0.stairwell, room: $0.room,
                area_register_cm2: $0.area_register_cm2, area_surveyed_cm2: $0.area_surveyed_cm2, area_contract_cm2: $0.area_contract_cm2,
                developer_held: $0.developer_held, unsold: $0.unsold, undelivered: $0.undelivered,
                owners: (owners[$0.id] ?? []).joined(separator: "、"), households: $0.households)
        }
        var total = rows.first?.total ?? 0
        if rows.isEmpty && offset > 0 {
            struct N: Decodable { var n: Int }
            total =
                try await db.sql.raw(
                    """
                    SELECT COUNT(*) AS n FROM dwellings d
                    WHERE d.compound_id = \(bind: compound) AND \(scope.contains(SQLColumn("grid_node_id", table: "d")))
                    """
                ).first(decoding: N.self)?.n ?? 0
        }
        return DwellingPage(items: items, total: total, limit: limit, offset: offset)
    }
}
