import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Visit reads, always inside the caller's scope: a visit is visible when one of its households
/// lies in the scope (`visit_households.grid_node_id`), and shows only the households that do.
package enum VisitsQueries {
    /// `v.id` is a visit with a household inside `scope`.
    static func visible(_ scope: GridScope, visit column: String = "v.id") -> SQLQueryString {
        "\(unsafeRaw: column) IN (SELECT vh.visit_id FROM visit_households vh WHERE \(scope.contains(SQLColumn("grid_node_id", table: "vh"))))"
    }

    static func households(_ ids: [UUID], in scope: GridScope, on db: any Database) async throws -> [VisitsService.HouseholdRef] {
        struct Row: Decodable { var id: UUID; var grid_node_id: UUID; var subdistrict_id: UUID? }
        let rows = try await db.sql.raw(
            """
            SELECT h.id, h.grid_node_id, h.subdistrict_id FROM households h
            WHERE h.id IN (\(binds: ids)) AND \(scope.contains(SQLColumn("grid_node_id", table: "h")))
            """
        ).all(decoding: Row.self)
        let byID = Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        // In the order given: the first is the visit's main household.
        return ids.compactMap { byID[$0] }.map { .init(id: $0.id, node: $0.grid_node_id, subdistrict: $0.subdistrict_id) }
    }

    /// Active staff accounts among `usernames` whose scope holds every node in `nodes`.
    static func coveringStaff(usernames: [String], nodes: [UUID], on db: any Database) async throws -> [UUID] {
        struct Row: Decodable { var id: UUID; var role: Role; var covered: Int }
        let rows = try await db.sql.raw(
            """
            SELECT a.id, a.role, (SELECT COUNT(DISTINCT c.descendant_id) FROM grid_closure c
                                  WHERE c.ancestor_id = a.grid_node_id AND c.descendant_id IN (\(binds: nodes))) AS covered
            FROM accounts a WHERE a.username IN (\(binds: usernames)) AND a.disabled = \(flag: false)
            """
        ).all(decoding: Row.self)
        return rows.filter { $0.role.isGridStaff && $0.covered == nodes.count }.map(\.id)
    }

    static func isVisible(_ visit: UUID, in scope: GridScope, on db: any Database) async throws -> Bool {
        struct N: Decodable { var n: Int }
        return
            (try await db.sql.raw("SELECT COUNT(*) AS n FROM visits v WHERE v.id = \(bind: visit) AND \(visible(scope))")
            .first(decoding: N.self)?.n ?? 0) > 0
    }

    /// The persons among `ids` who belong to one of `households`, inside the scope.
    static func members(_ ids: [UUID], households: [UUID], in scope: GridScope, on db: any Database) async throws -> [UUID: RegistryRecords.Target] {
        guard !ids.isEmpty, !households.isEmpty else { return [:] }
        struct Row: Decodable { var id: PersonID; var household_id: HouseholdID; var grid_node_id: UUID; var subdistrict_id: UUID? }
        let rows = try await db.sql.raw(
            """
            SELECT p.id, p.household_id, p.grid_node_id, p.subdistrict_id FROM persons p
            WHERE p.id IN (\(binds: ids)) AND p.household_id IN (\(binds: households)) AND \(scope.contains(SQLColumn("grid_node_id", table: "p")))
            """
        ).all(decoding: Row.self)
        var result: [UUID: RegistryRecords.Target] = [:]
        for row in rows {
            result[row.id.rawValue] = .init(person: row.id, household: row.household_id, node: row.grid_node_id, subdistrict: row.subdistrict_id)
        }
        return result
    }

    /// The head of a household (or its oldest member when no head is recorded).
    static func head(of household: UUID, in scope: GridScope, on db: any Database) async throws -> RegistryRecords.Target? {
        struct Row: Decodable { var id: PersonID; var household_id: HouseholdID; var grid_node_id: UUID; var subdistrict_id: UUID? }
        return try await db.sql.raw(
            """
            SELECT p.id, p.household_id, p.grid_node_id, p.subdistrict_id FROM persons p
            WHERE p.household_id = \(bind: household) AND \(scope.contains(SQLColumn("grid_node_id", table: "p")))
            ORDER BY CASE p.relation WHEN 'head' THEN 0 ELSE 1 END, p.birth_date LIMIT 1
            """
        ).first(decoding: Row.self).map { .init(person: $0.id, household: $0.household_id, node: $0.grid_node_id, subdistrict: $0.subdistrict_id) }
    }

    /// Whether `assignment` is a current tag of `person` that `role` may see.
    static func currentAssignment(_ assignment: UUID, person: UUID, role: Role, today: CivilDate, on db: any Database) async throws -> Bool {
        struct N: Decodable { var n: Int }
        return
            (try await db.sql.raw(
                """
                SELECT COUNT(*) AS n FROM tag_assignments a JOIN tags t ON t.id = a.tag_id
                WHERE a.id = \(bind: assignment) AND a.person_id = \(bind: person) AND a.ends_on IS NULL
                \(RegistryQueries.sensitiveFilter(role, tagAlias: "t"))
                """
            ).first(decoding: N.self)?.n ?? 0) > 0
    }

    // MARK: lists and details

    /// Filters of the visit list.
    struct Filter: Sendable {
        var household: UUID?
        var from: CivilDate?
        var to: CivilDate?
        /// Only visits this account made.
        var visitor: UUID?
        /// Only visits with this outcome (a household's history shows every attempt; a count of
        /// visits made asks for `met`).
        var outcome: VisitOutcome?
    }

    /// One page of visits in scope, newest first, with the total.
    static func list(_ filter: Filter, in scope: GridScope, limit: Int, offset: Int, on db: any Database) async throws -> VisitPage {
        var clause: SQLQueryString = "\(visible(scope))"
        if let household = filter.household {
            clause = "\(clause) AND v.id IN (SELECT x.visit_id FROM visit_households x WHERE x.household_id = \(bind: household))"
        }
        if let from = filter.from { clause = "\(clause) AND v.local_date >= \(bind: from.iso8601)" }
        if let to = filter.to { clause = "\(clause) AND v.local_date <= \(bind: to.iso8601)" }
        if let visitor = filter.visitor {
            clause = "\(clause) AND v.id IN (SELECT c.visit_id FROM visit_credits c WHERE c.account_id = \(bind: visitor))"
        }
        if let outcome = filter.outcome { clause = "\(clause) AND v.outcome = \(bind: outcome.rawValue)" }
        struct Row: Decodable {
            var id: UUID; var visited_at: Date; var local_date: String; var method: VisitMethod; var kind: VisitKind; var category_code: String?
            var household_id: UUID; var address: String; var grid_code: String; var recorded_by: String; var recorded_by_name: String
            var recorded_by_role: Role; var summary: String; var outcome: VisitOutcome; var total: Int
        }
        let rows = try await db.sql.raw(
            """
            SELECT v.id, v.visited_at, v.local_date, v.method, v.kind, v.category_code, v.household_id, h.address, n.code AS grid_code,
                   a.username AS recorded_by, a.display_name AS recorded_by_name, a.role AS recorded_by_role, v.summary, v.outcome,
                   COUNT(*) OVER () AS total
            FROM visits v JOIN households h ON h.id = v.household_id JOIN grid_nodes n ON n.id = v.grid_node_id
            JOIN accounts a ON a.id = v.recorded_by
            WHERE \(clause) ORDER BY v.visited_at DESC, v.id LIMIT \(count: limit) OFFSET \(count: offset)
            """
        ).all(decoding: Row.self)
        let items = rows.map {
            VisitListRow(
                id: $0.id, visited_at: $0.visited_at, local_date: $0.local_date, method: $0.method, kind: $0.kind,
                category_code: $0.category_code, household_id: $0.household_id, address: $0.address, grid_code: $0.grid_code,
                recorded_by: $0.recorded_by, recorded_by_name: $0.recorded_by_name, recorded_by_role: $0.recorded_by_role,
                summary: $0.summary, outcome: $0.outcome)
        }
        var total = rows.first?.total ?? 0
        if rows.isEmpty, offset > 0 {
            struct N: Decodable { var n: Int }
            total = try await db.sql.raw("SELECT COUNT(*) AS n FROM visits v WHERE \(clause)").first(decoding: N.self)?.n ?? 0
        }
        return VisitPage(items: items, total: total, limit: limit, offset: offset)
    }

    /// A visit with its households (those in scope), visitors, findings and register changes;
    /// nil when it does not exist or has no household in the scope.
    static func detail(_ id: UUID, in scope: GridScope, on db: any Database) async throws -> VisitDetail? {
        struct Head: Decodable {
            var id: UUID; var visited_at: Date; var local_date: String; var method: VisitMethod; var kind: VisitKind; var category_code: String?
            var follow_up_of: UUID?; var booking_id: UUID?; var summary: String; var outcome: VisitOutcome; var recorded_by: String
        }
        guard
            let head = try await db.sql.raw(
                """
                SELECT v.id, v.visited_at, v.local_date, v.method, v.kind, v.category_code, v.follow_up_of, v.booking_id, v.summary,
                       v.outcome, a.username AS recorded_by
                FROM visits v JOIN accounts a ON a.id = v.recorded_by WHERE v.id = \(bind: id) AND \(visible(scope))
                """
            ).first(decoding: Head.self)
        else { return nil }
        let households = try await db.sql.raw(
            """
            SELECT h.id, h.address, n.code AS grid_code, n.name AS grid_name
            FROM visit_households vh JOIN households h ON h.id = vh.household_id JOIN grid_nodes n ON n.id = vh.grid_node_id
            WHERE vh.visit_id = \(bind: id) AND \(scope.contains(SQLColumn("grid_node_id", table: "vh"))) ORDER BY h.address
            """
        ).all(decoding: VisitDetail.Household.self)
        let visitors = try await db.sql.raw(
            """
            SELECT DISTINCT a.username, a.display_name, a.role FROM visit_credits c JOIN accounts a ON a.id = c.account_id
            WHERE c.visit_id = \(bind: id) ORDER BY a.username
            """
        ).all(decoding: VisitDetail.Visitor.self)
        // Findings and changes of the households in scope only.
        let inScope = households.map(\.id)
        let findings =
            inScope.isEmpty
            ? []
            : try await db.sql.raw(
                """
                SELECT f.need, f.note, f.person_id, f.follow_up_kind, f.follow_up_id FROM visit_findings f
                WHERE f.visit_id = \(bind: id) AND f.household_id IN (\(binds: inScope)) ORDER BY f.created_at, f.need
                """
            ).all(decoding: VisitDetail.Finding.self)
        let changes = try await db.sql.raw(
            """
            SELECT r.change, r.person_id, p.name AS person_name, r.tag_assignment_id, r.tag_code, r.field, r.value
            FROM visit_register_changes r JOIN persons p ON p.id = r.person_id
            WHERE r.visit_id = \(bind: id) AND \(scope.contains(SQLColumn("grid_node_id", table: "p"))) ORDER BY r.created_at, r.change
            """
        ).all(decoding: VisitDetail.Change.self)
        return VisitDetail(
            id: head.id, visited_at: head.visited_at, local_date: head.local_date, method: head.method, kind: head.kind,
            category: head.category_code, follow_up_of: head.follow_up_of, booking_id: head.booking_id, summary: head.summary,
            outcome: head.outcome, recorded_by: head.recorded_by, households: households, visitors: visitors, findings: findings, changes: changes)
    }

    /// A household found by address for the entry form's picker, with its last visit (one that
    /// met the household: a nobody-home attempt is no visit).
    struct HouseholdHit: Sendable, Decodable, Equatable {
        var id: UUID; var address: String; var grid_name: String; var head_name: String?; var last_visit: String?
    }

    /// Households in scope whose address contains `text` (LIKE wildcards in the text are taken
    /// literally), at most `limit`, by address.
    static func searchHouseholds(_ text: String, in scope: GridScope, limit: Int, on db: any Database) async throws -> [HouseholdHit] {
        try await db.sql.raw(
            """
            SELECT h.id, h.address, n.name AS grid_name,
                   (SELECT MIN(p.name) FROM persons p WHERE p.household_id = h.id AND p.relation = 'head') AS head_name,
                   (SELECT MAX(vh.local_date) FROM visit_households vh WHERE vh.household_id = h.id AND vh.outcome = 'met') AS last_visit
            FROM households h JOIN grid_nodes n ON n.id = h.grid_node_id
            WHERE h.address LIKE \(containing: text) AND \(scope.contains(SQLColumn("grid_node_id", table: "h")))
            ORDER BY h.address, h.id LIMIT \(count: limit)
            """
        ).all(decoding: HouseholdHit.self)
    }

    /// A household's members with their current tags the role may see (for the entry form).
    struct MemberTags: Sendable {
        var person: RegistryQueries.PersonRow
        var tags: [(assignment: UUID, code: String, name: T)]
    }

    static func memberTags(household: UUID, role: Role, in scope: GridScope, today: CivilDate, on db: any Database) async throws -> [MemberTags] {
        let members = try await RegistryQueries.members(household: HouseholdID(household), role: role, in: scope, on: db)
        guard !members.isEmpty else { return [] }
        struct Row: Decodable { var id: UUID; var person_id: PersonID; var code: String; var name_zh: String; var name_en: String }
        let rows = try await db.sql.raw(
            """
            SELECT a.id, a.person_id, t.code, t.name_zh, t.name_en FROM tag_assignments a JOIN tags t ON t.id = a.tag_id
            WHERE a.person_id IN (\(binds: members.map(\.id))) AND (a.ends_on IS NULL OR a.ends_on > \(bind: today.iso8601))
            \(RegistryQueries.sensitiveFilter(role, tagAlias: "t")) ORDER BY t.sort_order, t.code
            """
        ).all(decoding: Row.self)
        let byPerson = Dictionary(grouping: rows, by: \.person_id)
        return members.map { member in
            MemberTags(person: member, tags: (byPerson[member.id] ?? []).map { ($0.id, $0.code, T($0.name_zh, $0.name_en)) })
        }
    }
}
