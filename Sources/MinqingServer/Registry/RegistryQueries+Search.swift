import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

// MARK: - The register's search (居民库搜索, `RegistrySearch`)

extension RegistryQueries {
    /// A person the search found: the columns lists show (masked numbers only, the birth year for
    /// roles without whole birth dates) and the address of their household.
    package struct SearchHit: Content, Equatable {
        var id: PersonID
        var household_id: HouseholdID
        var name: String
        var sex: Sex
        var birth_date: String?
        var birth_year: Int
        var id_masked: String
        var phone_masked: String?
        var relation: HouseholdRelation
        var residence_status: ResidenceStatus
        var grid_code: String
        var grid_name: String
        var address: String

        /// The person as the shared person table shows them.
        var person: PersonRow {
            PersonRow(
                id: id, household_id: household_id, name: name, sex: sex, birth_date: birth_date, birth_year: birth_year,
                id_masked: id_masked, phone_masked: phone_masked, relation: relation, residence_status: residence_status,
                grid_code: grid_code, grid_name: grid_name)
        }
    }

    /// The person with the ID number whose blind index is `idIndex`, inside the scope, with their
    /// address: the same rule as `person(idIndex:)` (a person under an open identity hold is found
    /// by the number they were registered with), the same `id IN (… UNION …)` shape for PostgreSQL.
    static func searchHit(idIndex: String, role: Role, in scope: GridScope, on db: any Database) async throws -> SearchHit? {
        try await db.sql.raw(
            """
            SELECT \(personColumns(role)), h.address
            FROM persons p JOIN grid_nodes n ON n.id = p.grid_node_id JOIN households h ON h.id = p.household_id
            WHERE p.id IN (SELECT q.id FROM persons q WHERE q.id_index = \(bind: idIndex)
                           UNION SELECT ih.record_id FROM identity_holds ih
                           WHERE ih.kind = 'person' AND ih.status = 'open' AND ih.id_index = \(bind: idIndex))
              AND \(scope.contains(SQLColumn("grid_node_id", table: "p")))
            """
        ).first(decoding: SearchHit.self)
    }

    /// One page of the people inside `scope` found by `text` and `building`, with the total.
    ///
    /// `text` finds a person whose name begins with it or whose name from the second character
    /// does (the given name: 建国 finds 王建国), both as index ranges (`AddPersonNameSearchIndexes`),
    /// and everyone in a household whose address holds each of its words (a scan of the scope's
    /// households: an address is searched inside, where no index helps, but one scan of one table
    /// stays a few milliseconds for a subdistrict). `building`
    /// keeps those whose building group, or a building at it, is named with it (楼号). Exact names
    /// come first, then by name.
    package static func search(
        text: String, building: String, role: Role, in scope: GridScope, limit: Int, offset: Int, on db: any Database
    ) async throws -> (items: [SearchHit], total: Int) {
        let (from, filter) = searchSource(text: text, building: building, in: scope, postgres: db.dialectName == "postgresql")
        let name = RegisterSearchText.compact(text)
        var order: SQLQueryString = "h.address, p.name, p.id"
        if !name.isEmpty { order = "CASE WHEN p.name = \(bind: name) THEN 0 ELSE 1 END, p.name, p.id" }
        struct Row: Decodable {
            var total: Int
            var hit: SearchHit
            init(from decoder: any Decoder) throws {
                total = try decoder.container(keyedBy: Key.self).decode(Int.self, forKey: .total)
                hit = try SearchHit(from: decoder)
            }
            enum Key: String, CodingKey { case total }
        }
        let rows = try await db.sql.raw(
            """
            SELECT \(personColumns(role)), h.address, COUNT(*) OVER () AS total
            FROM \(from) WHERE \(filter) ORDER BY \(order) LIMIT \(count: limit) OFFSET \(count: offset)
            """
        ).all(decoding: Row.self)
        var total = rows.first?.total ?? 0
        if rows.isEmpty && offset > 0 {
            struct N: Decodable { var n: Int }
            total = try await db.sql.raw("SELECT COUNT(*) AS n FROM \(from) WHERE \(filter)").first(decoding: N.self)?.n ?? 0
        }
        return (rows.map(\.hit), total)
    }

    /// The FROM and WHERE of a search: persons `p` with their grid node `n` and household `h`,
    /// inside the scope, among the text's candidates `m`, in the building. The candidates come
    /// first, written as CROSS JOINs: SQLite keeps that order (its statistics hold the average
    /// subtree, so it would otherwise walk a subdistrict's 90,000 persons by grid node and test
    /// each against the few candidates); PostgreSQL reorders CROSS JOINs freely.
    private static func searchSource(
        text: String, building: String, in scope: GridScope, postgres: Bool
    ) -> (from: SQLQueryString, filter: SQLQueryString) {
        var branches: [SQLQueryString] = []
        let name = RegisterSearchText.compact(text)
        if !name.isEmpty {
            branches.append("SELECT x.id FROM persons x WHERE \(prefixRange("x.name", name, postgres: postgres))")
            branches.append("SELECT x.id FROM persons x WHERE \(prefixRange("substr(x.name, 2)", name, postgres: postgres))")
            // A given name after a two-character surname: the surname's second character and the
            // text, on the same index, then the surname itself. One branch per surname: SQLite
            // scanned every person for one OR of forty ranges (400 ms at scale 1).
            for surname in RegisterSearchText.compoundSurnames where !name.hasPrefix(surname) {
                let range = prefixRange("substr(x.name, 2)", String(surname.dropFirst()) + name, postgres: postgres)
                branches.append("SELECT x.id FROM persons x WHERE \(range) AND substr(x.name, 1, 2) = \(bind: surname)")
            }
        }
        let terms = RegisterSearchText.terms(text)
        if !terms.isEmpty {
            var address: SQLQueryString = "\(scope.contains(SQLColumn("grid_node_id", table: "y")))"
            for term in terms { address = "\(address) AND \(contains("y.address", term, postgres: postgres))" }
            branches.append("SELECT x.id FROM households y JOIN persons x ON x.household_id = y.id WHERE \(address)")
        }
        // The building (楼号): its building groups, or those of the buildings so named.
        let place = RegisterSearchText.compact(building)
        var buildingNodes: SQLQueryString?
        if !place.isEmpty {
            let nodes: SQLQueryString = """
                SELECT g.id FROM grid_nodes g WHERE g.level = \(bind: GridLevel.buildingGroup.rawValue)
                  AND \(contains("g.name", place, postgres: postgres)) AND \(scope.contains(SQLColumn("id", table: "g")))
                UNION SELECT k.grid_node_id FROM buildings k
                WHERE \(contains("k.name", place, postgres: postgres)) AND \(scope.contains(SQLColumn("grid_node_id", table: "k")))
                """
            buildingNodes = nodes
        }
        if branches.isEmpty, let nodes = buildingNodes {
            branches.append("SELECT x.id FROM persons x WHERE x.grid_node_id IN (\(nodes))")
        }
        var from: SQLQueryString = "persons p CROSS JOIN grid_nodes n CROSS JOIN households h"
        var filter: SQLQueryString =
            "n.id = p.grid_node_id AND h.id = p.household_id AND \(scope.contains(SQLColumn("grid_node_id", table: "p")))"
        if !branches.isEmpty {
            from = "(\(joined(branches, " UNION "))) m CROSS JOIN \(from)"
            filter = "p.id = m.id AND \(filter)"
        }
        if let nodes = buildingNodes { filter = "\(filter) AND p.grid_node_id IN (\(nodes))" }
        return (from, filter)
    }

    /// `expression` begins with `prefix`, as a range an index serves; in PostgreSQL's "C"
    /// collation, which the search indexes use and whose order is the code points'.
    private static func prefixRange(_ expression: String, _ prefix: String, postgres: Bool) -> SQLQueryString {
        let collated = postgres ? expression + #" COLLATE "C""# : expression
        let column: SQLQueryString = "\(unsafeRaw: collated)"
        guard let bound = RegisterSearchText.prefixUpperBound(prefix) else { return "\(column) >= \(bind: prefix)" }
        return "\(column) >= \(bind: prefix) AND \(column) < \(bind: bound)"
    }

    /// `column` holds `text` anywhere, nothing in `text` read as a wildcard. On SQLite a plain
    /// `instr`, cheaper per row than a LIKE pattern. On PostgreSQL a LIKE with the text escaped
    /// (`containing:`): its planner estimates a pattern's rows from the pattern (few), where it
    /// would take a third of the table for `strpos(…) > 0` and then hash all persons to join them.
    private static func contains(_ column: String, _ text: String, postgres: Bool) -> SQLQueryString {
        if postgres { return "\(unsafeRaw: column) LIKE \(containing: text)" }
        return "instr(\(unsafeRaw: column), \(bind: text)) > 0"
    }

    private static func joined(_ parts: [SQLQueryString], _ separator: String) -> SQLQueryString {
        var result: SQLQueryString = ""
        for (index, part) in parts.enumerated() {
            if index > 0 { result = "\(result)\(unsafeRaw: separator)" }
            result = "\(result)\(part)"
        }
        return result
    }

    /// The tags `role` may see, as names resolve them (sensitive ones left out for the other roles).
    static func tagNames(role: Role, on db: any Database) async throws -> TagNames {
        struct Row: Decodable { var code: String; var name_zh: String; var name_en: String }
        let rows = try await db.sql.raw(
            """
            SELECT t.code, t.name_zh, t.name_en FROM tags t WHERE 1 = 1 \(sensitiveFilter(role, tagAlias: "t"))
            """
        ).all(decoding: Row.self)
        return TagNames(rows.map { TagNames.Entry(code: $0.code, nameZH: $0.name_zh, nameEN: $0.name_en) })
    }
}
