import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

extension RegisterAuthority {
    /// `column` lies in the scope (always true for the whole deployment).
    func contains(_ column: any SQLExpression) -> SQLQueryString {
        scope?.contains(column) ?? "1 = 1"
    }
}

// MARK: - What the imports share

extension RegistryQueries {
    /// The grid nodes with one of `codes` inside `authority`'s scope (one batch of a file's building-group codes).
    static func importNodes(codes: [String], authority: RegisterAuthority, on db: any Database) async throws -> [GridNodeSummary] {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: GridQueries.columns) FROM grid_nodes n
            WHERE n.code IN (\(binds: codes)) AND \(authority.contains(SQLColumn("id", table: "n")))
            """
        ).all(decoding: GridNodeSummary.self)
    }

    /// Writes an import's households (values in `columns` order), then its persons (in
    /// `RegistryService.personColumns` order), in bounded multi-row statements (inside the caller's transaction).
    static func insertImported(
        households: [[any SQLExpression]], columns: [String], persons: [[any SQLExpression]],
        on db: any Database
    ) async throws {
        var householdInserter = BulkInserter(table: "households", columns: columns)
        for row in households { try await householdInserter.add(row, on: db) }
        try await householdInserter.flush(on: db)
        var personInserter = BulkInserter(table: "persons", columns: RegistryService.personColumns)
        for row in persons { try await personInserter.add(row, on: db) }
        try await personInserter.flush(on: db)
    }
}

// MARK: - Households (`HouseholdImport`)

extension RegistryQueries {
    /// A registered household's building group and address.
    struct HouseholdAddress: Hashable, Decodable, Sendable { var grid_node_id: UUID; var address: String }

    /// The addresses of the households registered at `nodeIDs` (one batch).
    static func householdAddresses(at nodeIDs: [UUID], on db: any Database) async throws -> [HouseholdAddress] {
        try await db.sql.raw(
            """
            SELECT grid_node_id, address FROM households WHERE grid_node_id IN (\(binds: nodeIDs))
            """
        ).all(decoding: HouseholdAddress.self)
    }

    /// A registered dwelling by its building group, unit and room.
    struct DwellingAtNode: Decodable, Sendable { var id: UUID; var grid_node_id: UUID; var stairwell: String; var room: String }

    /// The dwellings registered at `nodeIDs` (one batch).
    static func dwellings(at nodeIDs: [UUID], on db: any Database) async throws -> [DwellingAtNode] {
        try await db.sql.raw(
            """
            SELECT id, grid_node_id, stairwell, room FROM dwellings WHERE grid_node_id IN (\(binds: nodeIDs))
            """
        ).all(decoding: DwellingAtNode.self)
    }
}

// MARK: - Tag assignments (`TagAssignmentImport`)

extension RegistryQueries {
    /// A tag a file may name by code or by Chinese name.
    struct ImportTag: Decodable, Sendable { var id: UUID; var code: String; var name_zh: String }

    /// The tags whose code or Chinese name is one of `texts` (one batch); sensitive tags only when `seesSensitiveTags`.
    static func importTags(matching texts: [String], seesSensitiveTags: Bool, on db: any Database) async throws -> [ImportTag] {
        let hidden: SQLQueryString = seesSensitiveTags ? "" : "AND t.sensitive = \(flag: false)"
        return try await db.sql.raw(
            """
            SELECT t.id, t.code, t.name_zh FROM tags t
            WHERE (t.code IN (\(binds: texts)) OR t.name_zh IN (\(binds: texts))) \(hidden)
            """
        ).all(decoding: ImportTag.self)
    }

    /// The persons inside `authority`'s scope that carry one of `indexes` (one batch), with the index
    /// they were found by; persons under an open identity hold are found by the number they were registered with.
    static func importPersons(indexes: [String], authority: RegisterAuthority, on db: any Database) async throws -> [TagAssignmentImport.Person] {
        try await db.sql.raw(
            """
            SELECT p.id, p.id_index, p.grid_node_id, p.subdistrict_id FROM persons p
            WHERE p.id_index IN (\(binds: indexes)) AND \(authority.contains(SQLColumn("grid_node_id", table: "p")))
            UNION ALL
            SELECT p.id, h.id_index, p.grid_node_id, p.subdistrict_id FROM identity_holds h JOIN persons p ON p.id = h.record_id
            WHERE h.kind = 'person' AND h.status = 'open' AND h.id_index IN (\(binds: indexes))
              AND \(authority.contains(SQLColumn("grid_node_id", table: "p")))
            """
        ).all(decoding: TagAssignmentImport.Person.self)
    }

    /// A person and a tag they hold.
    struct AssignmentPair: Hashable, Decodable, Sendable { var person_id: UUID; var tag_id: UUID }

    /// The tags in force on `today` of the persons `persons` (one batch).
    static func currentPairs(persons: [UUID], today: CivilDate, on db: any Database) async throws -> [AssignmentPair] {
        try await db.sql.raw(
            """
            SELECT person_id, tag_id FROM tag_assignments
            WHERE person_id IN (\(binds: persons)) AND (ends_on IS NULL OR ends_on > \(bind: today.iso8601))
            """
        ).all(decoding: AssignmentPair.self)
    }

    /// Writes tag assignments (values in `TagAssignmentImport.columns` order) in bounded multi-row statements.
    static func insertTagAssignments(_ rows: [[any SQLExpression]], on db: any Database) async throws {
        var inserter = BulkInserter(table: "tag_assignments", columns: TagAssignmentImport.columns)
        for row in rows { try await inserter.add(row, on: db) }
        try await inserter.flush(on: db)
    }
}
