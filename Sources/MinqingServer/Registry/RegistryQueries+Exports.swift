import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// The SQL of the register's CSV exports (`PersonExport`, `DwellingExport`): pages by key, inside
/// the authority's scope.
extension RegistryQueries {
    /// A household of the persons export.
    struct ExportHouseholdRow: Decodable, Sendable { var id: HouseholdID; var address: String; var code: String }

    /// A person of the persons export; the ciphers only when the plain numbers were asked for.
    struct ExportPersonRow: Decodable, Sendable {
        var household_id: HouseholdID; var name: String; var sex: Sex; var birth_date: String
        var id_masked: String; var phone_masked: String?; var relation: HouseholdRelation; var residence_status: ResidenceStatus
        var moved_in_on: String?; var id_cipher: String?; var phone_cipher: String?
    }

    /// One page (`limit`) of the households inside `authority`'s scope by (node code, id), after the key `after`.
    static func exportHouseholds(
        in authority: RegisterAuthority, after: (code: String, id: HouseholdID)?, limit: Int,
        on db: any Database
    ) async throws -> [ExportHouseholdRow] {
        let keyset: SQLQueryString = after.map { "AND (n.code > \(bind: $0.code) OR (n.code = \(bind: $0.code) AND h.id > \(bind: $0.id)))" } ?? ""
        return try await db.sql.raw(
            """
            SELECT h.id, h.address, n.code FROM households h JOIN grid_nodes n ON n.id = h.grid_node_id
            WHERE \(authority.contains(SQLColumn("grid_node_id", table: "h"))) \(keyset)
            ORDER BY n.code, h.id LIMIT \(literal: limit)
            """
        ).all(decoding: ExportHouseholdRow.self)
    }

    /// The members inside `authority`'s scope of the households `households`; their ciphers only when `plain`.
    static func exportPersons(of households: [HouseholdID], in authority: RegisterAuthority, plain: Bool, on db: any Database) async throws
        -> [ExportPersonRow]
    {
        let ciphers: SQLQueryString = plain ? "p.id_cipher, p.phone_cipher" : "NULL AS id_cipher, NULL AS phone_cipher"
        return try await db.sql.raw(
            """
            SELECT p.household_id, p.name, p.sex, p.birth_date, p.id_masked, p.phone_masked, p.relation,
                   p.residence_status, p.moved_in_on, \(ciphers)
            FROM persons p
            WHERE p.household_id IN (\(binds: households)) AND \(authority.contains(SQLColumn("grid_node_id", table: "p")))
            """
        ).all(decoding: ExportPersonRow.self)
    }

    /// A dwelling of the dwellings export, with its building and compound.
    struct ExportDwellingRow: Decodable, Sendable {
        var id: UUID; var node_code: String; var compound_code: String; var compound_name: String; var compound_type: CompoundType
        var compound_address: String; var building: String; var floors: Int?; var stairwell: String; var room: String
        var area_register_cm2: Int64?; var area_surveyed_cm2: Int64?; var area_contract_cm2: Int64?
        var developer_held: Bool; var unsold: Bool; var undelivered: Bool
    }

    /// An owner of a dwelling of the dwellings export (numbers masked).
    struct ExportOwnerRow: Decodable, Sendable {
        var dwelling_id: UUID; var kind: OwnerKind; var name: String; var id_masked: String?; var phone_masked: String?
    }

    /// One page (`limit`) of the dwellings inside `authority`'s scope by (node code, id), after the key `after`.
    static func exportDwellings(
        in authority: RegisterAuthority, after: (code: String, id: UUID)?, limit: Int,
        on db: any Database
    ) async throws -> [ExportDwellingRow] {
        let keyset: SQLQueryString = after.map { "AND (n.code > \(bind: $0.code) OR (n.code = \(bind: $0.code) AND d.id > \(bind: $0.id)))" } ?? ""
        return try await db.sql.raw(
            """
            SELECT d.id, n.code AS node_code, c.code AS compound_code, c.name AS compound_name, c.compound_type,
                   c.address AS compound_address, b.name AS building, b.floors, d.stairwell, d.room,
                   d.area_register_cm2, d.area_surveyed_cm2, d.area_contract_cm2, d.developer_held, d.unsold, d.undelivered
            FROM dwellings d JOIN grid_nodes n ON n.id = d.grid_node_id JOIN buildings b ON b.id = d.building_id
                 JOIN compounds c ON c.id = d.compound_id
            WHERE \(authority.contains(SQLColumn("grid_node_id", table: "d"))) \(keyset)
            ORDER BY n.code, d.id LIMIT \(literal: limit)
            """
        ).all(decoding: ExportDwellingRow.self)
    }

    /// The owners of the dwellings `dwellings`, by kind and name.
    static func exportOwners(of dwellings: [UUID], on db: any Database) async throws -> [ExportOwnerRow] {
        try await db.sql.raw(
            """
            SELECT x.dwelling_id, o.kind, o.name, o.id_masked, o.phone_masked
            FROM dwelling_owners x JOIN owners o ON o.id = x.owner_id
            WHERE x.dwelling_id IN (\(binds: dwellings))
            ORDER BY o.kind, o.name
            """
        ).all(decoding: ExportOwnerRow.self)
    }
}
