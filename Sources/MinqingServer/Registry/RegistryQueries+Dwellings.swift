import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// The SQL of the dwellings import (`DwellingImport`): the register it checks against and its write.
extension RegistryQueries {
    /// A grid node above (or at) a building group, with its level.
    struct Ancestor: Decodable, Sendable { var descendant_id: UUID; var ancestor_id: UUID; var level: String }

    /// The ancestors (the node itself included) of the nodes `nodeIDs` (one batch).
    static func ancestors(of nodeIDs: [UUID], on db: any Database) async throws -> [Ancestor] {
        try await db.sql.raw(
            """
            SELECT c.descendant_id, c.ancestor_id, n.level FROM grid_closure c JOIN grid_nodes n ON n.id = c.ancestor_id
            WHERE c.descendant_id IN (\(binds: nodeIDs))
            """
        ).all(decoding: Ancestor.self)
    }

    /// The registered compounds with one of `codes` (one batch), anywhere.
    static func compounds(codes: [String], on db: any Database) async throws -> [DwellingImport.ExistingCompound] {
        try await db.sql.raw(
            """
            SELECT id, code, name, compound_type, address, grid_node_id, subdistrict_id FROM compounds
            WHERE code IN (\(binds: codes))
            """
        ).all(decoding: DwellingImport.ExistingCompound.self)
    }

    /// Which of the grid nodes `ids` lie inside `authority`'s scope.
    static func nodesInScope(_ ids: [UUID], authority: RegisterAuthority, on db: any Database) async throws -> [UUID] {
        struct ID: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            SELECT n.id FROM grid_nodes n
            WHERE n.id IN (\(binds: ids)) AND \(authority.contains(SQLColumn("id", table: "n")))
            """
        ).all(decoding: ID.self).map(\.id)
    }

    /// A registered building.
    struct ExistingBuilding: Decodable, Sendable {
        var id: UUID; var compound_id: UUID; var grid_node_id: UUID; var name: String; var floors: Int?; var subdistrict_id: UUID?
    }

    /// The buildings registered at the building groups `nodeIDs` (one batch).
    static func buildings(at nodeIDs: [UUID], on db: any Database) async throws -> [ExistingBuilding] {
        try await db.sql.raw(
            """
            SELECT id, compound_id, grid_node_id, name, floors, subdistrict_id FROM buildings WHERE grid_node_id IN (\(binds: nodeIDs))
            """
        ).all(decoding: ExistingBuilding.self)
    }

    /// A dwelling by its building, unit and room.
    struct DwellingKey: Hashable, Decodable, Sendable { var building_id: UUID; var stairwell: String; var room: String }

    /// The dwellings registered in the buildings `buildingIDs` (one batch).
    static func dwellingKeys(inBuildings buildingIDs: [UUID], on db: any Database) async throws -> [DwellingKey] {
        try await db.sql.raw(
            """
            SELECT building_id, stairwell, room FROM dwellings WHERE building_id IN (\(binds: buildingIDs))
            """
        ).all(decoding: DwellingKey.self)
    }

    /// A registered owner that is not a person (a developer, an organisation).
    struct OrganisationOwner: Decodable, Sendable { var id: UUID; var kind: String; var name: String; var subdistrict_id: UUID? }

    /// The owners other than persons named one of `names` (one batch), oldest first.
    static func organisationOwners(named names: [String], on db: any Database) async throws -> [OrganisationOwner] {
        try await db.sql.raw(
            """
            SELECT id, kind, name, subdistrict_id FROM owners
            WHERE kind <> \(bind: OwnerKind.person.rawValue) AND name IN (\(binds: names))
            ORDER BY created_at, id
            """
        ).all(decoding: OrganisationOwner.self)
    }

    /// Writes a dwellings import's new compounds, buildings and owners, then its dwellings and who
    /// owns them (values in each table's column order), in bounded multi-row statements (inside the caller's transaction).
    static func insertDwellingImport(
        compounds: [[any SQLExpression]], buildings: [[any SQLExpression]], owners: [[any SQLExpression]],
        dwellings: [[any SQLExpression]], holdings: [[any SQLExpression]], on db: any Database
    ) async throws {
        let batches = [
            ("compounds", ["id", "subdistrict_id", "grid_node_id", "code", "name", "compound_type", "address", "created_at"], compounds),
            ("buildings", ["id", "subdistrict_id", "compound_id", "grid_node_id", "name", "floors", "created_at"], buildings),
            ("owners", DwellingImport.ownerColumns, owners),
            ("dwellings", DwellingImport.dwellingColumns, dwellings),
            ("dwelling_owners", ["dwelling_id", "owner_id"], holdings)
        ]
        for (table, columns, rows) in batches {
            var inserter = BulkInserter(table: table, columns: columns)
            for row in rows { try await inserter.add(row, on: db) }
            try await inserter.flush(on: db)
        }
    }
}
