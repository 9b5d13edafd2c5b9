import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Register reads. Every query takes the caller's scope and puts it in the WHERE clause; tags
/// marked sensitive are left out in SQL unless the caller's role may see them.
package enum RegistryQueries {
    /// Counts inside a scope (`GET /api/v1/registry/summary`).
    struct Summary: Content, Equatable {
        var households: Int
        var persons: Int
        var tags: [String: Int]
        var help_requests: Int
        var aid_records: Int
        var records: Int
    }

    static func sensitiveFilter(_ role: Role, tagAlias: String) -> SQLQueryString {
        role.seesSensitiveTags ? "" : "AND \(ident: tagAlias).sensitive = \(flag: false)"
    }

    static func summary(in scope: GridScope, role: Role, today: CivilDate, on db: any Database) async throws -> Summary {
        struct Counts: Decodable { var households: Int; var persons: Int; var help_requests: Int; var aid_records: Int }
        let counts = try await db.sql.raw(
            """
            SELECT (SELECT COUNT(*) FROM households x WHERE \(scope.contains(SQLColumn("grid_node_id", table: "x")))) AS households,
                   (SELECT COUNT(*) FROM persons x WHERE \(scope.contains(SQLColumn("grid_node_id", table: "x")))) AS persons,
                   (SELECT COUNT(*) FROM help_requests x WHERE \(scope.contains(SQLColumn("grid_node_id", table: "x")))) AS help_requests,
                   (SELECT COUNT(*) FROM aid_records x WHERE \(scope.contains(SQLColumn("grid_node_id", table: "x")))
                      \(AidProgrammeQueries.visible(role, column: "x.programme"))) AS aid_records
            """
        ).first(decoding: Counts.self)!
        struct KindCount: Decodable { var kind: TagKind; var n: Int }
        let kinds = try await db.sql.raw(
            """
            SELECT t.kind AS kind, COUNT(*) AS n FROM tag_assignments a JOIN tags t ON t.id = a.tag_id
            WHERE \(scope.contains(SQLColumn("grid_node_id", table: "a")))
              AND (a.ends_on IS NULL OR a.ends_on > \(bind: today.iso8601)) \(sensitiveFilter(role, tagAlias: "t"))
            GROUP BY t.kind
            """
        ).all(decoding: KindCount.self)
        var tags: [String: Int] = [:]
        for kind in TagKind.allCases { tags[kind.rawValue] = 0 }
        for row in kinds { tags[row.kind.rawValue] = row.n }
        struct All: Decodable { var n: Int }
        let assignments = try await db.sql.raw(
            """
            SELECT COUNT(*) AS n FROM tag_assignments a JOIN tags t ON t.id = a.tag_id
            WHERE \(scope.contains(SQLColumn("grid_node_id", table: "a"))) \(sensitiveFilter(role, tagAlias: "t"))
            """
        ).first(decoding: All.self)!.n
        return Summary(
            households: counts.households, persons: counts.persons, tags: tags,
            help_requests: counts.help_requests, aid_records: counts.aid_records,
            records: counts.households + counts.persons + assignments + counts.help_requests + counts.aid_records)
    }

    /// A person as lists and pages show them: masked numbers only, and the birth year; the whole
    /// birth date only for roles that may reveal numbers (`Role.seesFullBirthDates`), since date
    /// and masked number together narrow the number far more than either alone.
    package struct PersonRow: Content, Equatable {
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
    }

    /// The columns of a `PersonRow` (persons `p` joined to grid_nodes `n`) as `role` may see them.
    static func personColumns(_ role: Role) -> SQLQueryString {
        let birth: SQLQueryString = role.seesFullBirthDates ? "p.birth_date" : "NULL AS birth_date"
        return """
            p.id, p.household_id, p.name, p.sex, \(birth), CAST(substr(p.birth_date, 1, 4) AS INTEGER) AS birth_year,
            p.id_masked, p.phone_masked, p.relation, p.residence_status, n.code AS grid_code, n.name AS grid_name
            """
    }

    static func person(id: PersonID, role: Role, in scope: GridScope, on db: any Database) async throws -> PersonRow? {
        try await db.sql.raw(
            """
            SELECT \(personColumns(role)) FROM persons p JOIN grid_nodes n ON n.id = p.grid_node_id
            WHERE p.id = \(bind: id) AND \(scope.contains(SQLColumn("grid_node_id", table: "p")))
            """
        ).first(decoding: PersonRow.self)
    }

    /// Exact lookup by ID number through the blind index, inside the scope (a person written
    /// under an open identity hold is found by the number they were registered with).
    /// Written as `id IN (… UNION …)`, not `id_index = … OR id IN (…)`: PostgreSQL cannot use the
    /// `id_index` index through the OR and scanned every person (35 ms instead of 1).
    package static func person(idIndex: String, role: Role, in scope: GridScope, on db: any Database) async throws -> PersonRow? {
        try await db.sql.raw(
            """
            SELECT \(personColumns(role)) FROM persons p JOIN grid_nodes n ON n.id = p.grid_node_id
            WHERE p.id IN (SELECT q.id FROM persons q WHERE q.id_index = \(bind: idIndex)
                           UNION SELECT h.record_id FROM identity_holds h
                           WHERE h.kind = 'person' AND h.status = 'open' AND h.id_index = \(bind: idIndex))
              AND \(scope.contains(SQLColumn("grid_node_id", table: "p")))
            """
        ).first(decoding: PersonRow.self)
    }

    static func members(household: HouseholdID, role: Role, in scope: GridScope, on db: any Database) async throws -> [PersonRow] {
        try await db.sql.raw(
            """
            SELECT \(personColumns(role)) FROM persons p JOIN grid_nodes n ON n.id = p.grid_node_id
            WHERE p.household_id = \(bind: household) AND \(scope.contains(SQLColumn("grid_node_id", table: "p")))
            ORDER BY CASE p.relation WHEN 'head' THEN 0 ELSE 1 END, p.birth_date
            """
        ).all(decoding: PersonRow.self)
    }

    struct HouseholdRow: Content, Equatable {
        var id: HouseholdID; var address: String; var grid_code: String; var grid_name: String
        var moved_in_on: String?; var moved_out_on: String?
    }

    /// A register date as `role` may see it: whole for roles that see birth dates, else the month
    /// only (a move-in on the day a child was born, a tag that starts at birth, would give the
    /// birth date back).
    static func registerDate(_ column: String, role: Role?) -> SQLQueryString {
        role.map { !$0.seesFullBirthDates } ?? false
            ? "SUBSTR(\(unsafeRaw: column), 1, 7) AS \(unsafeRaw: column.split(separator: ".").last.map(String.init) ?? column)"
            : "\(unsafeRaw: column)"
    }

    static func household(id: HouseholdID, role: Role? = nil, in scope: GridScope, on db: any Database) async throws -> HouseholdRow? {
        try await db.sql.raw(
            """
            SELECT h.id, h.address, n.code AS grid_code, n.name AS grid_name, \(registerDate("h.moved_in_on", role: role)),
                   \(registerDate("h.moved_out_on", role: role))
            FROM households h JOIN grid_nodes n ON n.id = h.grid_node_id
            WHERE h.id = \(bind: id) AND \(scope.contains(SQLColumn("grid_node_id", table: "h")))
            """
        ).first(decoding: HouseholdRow.self)
    }

    /// A tag on a person, current or ended (the history stays). `id` is the assignment's, which
    /// `POST …/persons/{id}/tags/{assignment}/end` takes.
    struct TagRow: Content, Equatable {
        var id: UUID
        var code: String; var name_zh: String; var name_en: String; var kind: TagKind; var sensitive: Bool
        var starts_on: String; var ends_on: String?; var source: String; var created_by: String?; var ended_by: String?
    }

    static func tags(person: PersonID, role: Role, in scope: GridScope, on db: any Database) async throws -> [TagRow] {
        try await db.sql.raw(
            """
            SELECT a.id, t.code, t.name_zh, t.name_en, t.kind, t.sensitive, \(registerDate("a.starts_on", role: role)),
                   \(registerDate("a.ends_on", role: role)), a.source, a.created_by, a.ended_by
            FROM tag_assignments a JOIN tags t ON t.id = a.tag_id
            WHERE a.person_id = \(bind: person) AND \(scope.contains(SQLColumn("grid_node_id", table: "a"))) \(sensitiveFilter(role, tagAlias: "t"))
            ORDER BY a.starts_on, t.code
            """
        ).all(decoding: TagRow.self)
    }

    /// Cumulative aid (累积量): cash in fen, in-kind quantities by unit, service minutes.
    struct AidTotals: Content, Equatable {
        var cash_fen: Int64
        var in_kind: [String: Int64]
        var service_minutes: Int64
        var records: Int
    }

    /// Sensitive programmes count only for roles that may see them (`AidProgrammeQueries.visible`).
    static func aidTotals(
        person: PersonID? = nil, household: HouseholdID? = nil, role: Role, in scope: GridScope, on db: any Database
    ) async throws -> AidTotals {
        let filter: SQLQueryString = person.map { "person_id = \(bind: $0)" } ?? "household_id = \(bind: household!)"
        struct Row: Decodable { var kind: AidKind; var unit: String?; var fen: Int64?; var quantity: Int64?; var minutes: Int64?; var n: Int }
        let rows = try await db.sql.raw(
            """
            SELECT kind, unit, CAST(SUM(amount_fen) AS BIGINT) AS fen, CAST(SUM(quantity) AS BIGINT) AS quantity,
                   CAST(SUM(minutes) AS BIGINT) AS minutes, COUNT(*) AS n
            FROM aid_records x WHERE \(filter) AND \(scope.contains(SQLColumn("grid_node_id", table: "x")))
              \(AidProgrammeQueries.visible(role, column: "x.programme")) GROUP BY kind, unit
            """
        ).all(decoding: Row.self)
        var totals = AidTotals(cash_fen: 0, in_kind: [:], service_minutes: 0, records: 0)
        for row in rows {
            totals.records.addClamped(row.n)
            switch row.kind {
            case .cash: totals.cash_fen.addClamped(row.fen ?? 0)
            case .inKind: totals.in_kind[row.unit ?? "", default: 0].addClamped(row.quantity ?? 0)
            case .service: totals.service_minutes.addClamped(row.minutes ?? 0)
            }
        }
        return totals
    }

    /// The tag catalogue, sensitive tags only for roles that may see them.
    struct CatalogueRow: Content, Equatable {
        var code: String; var name_zh: String; var name_en: String; var kind: TagKind; var parent_code: String?; var sensitive: Bool
    }

    static func catalogue(role: Role, on db: any Database) async throws -> [CatalogueRow] {
        try await db.sql.raw(
            """
            SELECT t.code, t.name_zh, t.name_en, t.kind, p.code AS parent_code, t.sensitive
            FROM tags t LEFT JOIN tags p ON p.id = t.parent_id
            WHERE 1 = 1 \(sensitiveFilter(role, tagAlias: "t"))
            ORDER BY t.kind, t.sort_order, t.code
            """
        ).all(decoding: CatalogueRow.self)
    }
}

// MARK: - Browsing by grid node (the register pages)

extension RegistryQueries {
    /// A household in a node's list: address, how many members, the head's name.
    struct HouseholdListRow: Decodable, Equatable, Sendable {
        var id: HouseholdID
        var address: String
        var grid_code: String
        var grid_name: String
        var members: Int
        var head_name: String?
    }

    struct HouseholdPage: Sendable {
        var items: [HouseholdListRow]
        var total: Int
    }

    /// One page of the households inside `scope`, by building group then address, with the total.
    /// Members are counted (and the head found) inside the scope too.
    static func households(in scope: GridScope, limit: Int, offset: Int, on db: any Database) async throws -> HouseholdPage {
        let items = try await db.sql.raw(
            """
            SELECT h.id, h.address, n.code AS grid_code, n.name AS grid_name,
                   (SELECT COUNT(*) FROM persons p
                     WHERE p.household_id = h.id AND \(scope.contains(SQLColumn("grid_node_id", table: "p")))) AS members,
                   (SELECT MIN(p.name) FROM persons p
                     WHERE p.household_id = h.id AND p.relation = \(bind: HouseholdRelation.head.rawValue)
                       AND \(scope.contains(SQLColumn("grid_node_id", table: "p")))) AS head_name
            FROM households h JOIN grid_nodes n ON n.id = h.grid_node_id
            WHERE \(scope.contains(SQLColumn("grid_node_id", table: "h")))
            ORDER BY n.code, h.address, h.id
            LIMIT \(count: limit) OFFSET \(count: offset)
            """
        ).all(decoding: HouseholdListRow.self)
        struct N: Decodable { var n: Int }
        let total =
            try await db.sql.raw(
                """
                SELECT COUNT(*) AS n FROM households h WHERE \(scope.contains(SQLColumn("grid_node_id", table: "h")))
                """
            ).first(decoding: N.self)?.n ?? 0
        return HouseholdPage(items: items, total: total)
    }

    /// Households and persons under each child of `node` (children inside `scope` only; a
    /// child's subtree lies inside the scope whenever the child does).
    static func childCounts(of node: GridNodeSummary, in scope: GridScope, on db: any Database) async throws -> [UUID: (
        households: Int, persons: Int
    )] {
        struct Row: Decodable { var id: UUID; var households: Int; var persons: Int }
        let rows = try await db.sql.raw(
            """
            SELECT n.id,
                   (SELECT COUNT(*) FROM households h
                     WHERE h.grid_node_id IN (SELECT c.descendant_id FROM grid_closure c WHERE c.ancestor_id = n.id)) AS households,
                   (SELECT COUNT(*) FROM persons p
                     WHERE p.grid_node_id IN (SELECT c.descendant_id FROM grid_closure c WHERE c.ancestor_id = n.id)) AS persons
            FROM grid_nodes n
            WHERE n.parent_id = \(bind: node.id) AND \(scope.contains(SQLColumn("id", table: "n")))
            """
        ).all(decoding: Row.self)
        var result: [UUID: (households: Int, persons: Int)] = [:]
        for row in rows { result[row.id] = (row.households, row.persons) }
        return result
    }
}
