import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// Reads the 组织力工程 forms need for their selects: grid areas, organisations that may stand
/// above another, persons of the register found by name, an organisation's posts, the current
/// building-group leaders. Each inside the caller's scope, in SQL; each at most `limit` rows.
extension OrganisationsQueries {
    /// A grid node offered by a select: its code (the value), name, level and depth (for the indent).
    struct NodeChoice: Decodable, Sendable, Equatable { var code: String; var name: String; var level: GridLevel; var depth: Int }
    /// A person of the register offered by a select: name and the grid area they live in.
    struct PersonChoice: Decodable, Sendable, Equatable { var id: UUID; var name: String; var grid_name: String }
    /// An organisation offered by a select.
    struct OrganisationChoice: Decodable, Sendable, Equatable { var id: UUID; var name: String; var kind: OrganisationKind }

    /// The grid nodes in the caller's scope (below and at `root` when given), down to `deepest`,
    /// in tree order; at most `limit` + 1 rows, so a view knows when there are too many for a select.
    static func nodeChoices(
        for actor: Actor, under root: UUID? = nil, deepest: GridLevel = .buildingGroup, limit: Int, on db: any Database
    ) async throws -> [NodeChoice] {
        let levels = GridLevel.allCases.filter { $0 <= deepest }.map(\.rawValue)
        let under: SQLQueryString = root.map { "AND n.id IN (SELECT descendant_id FROM grid_closure WHERE ancestor_id = \(bind: $0))" } ?? ""
        return try await db.sql.raw(
            """
            SELECT n.code, n.name, n.level, n.depth FROM grid_nodes n
            WHERE \(actor.scope.contains(SQLColumn("id", table: "n"))) AND n.level IN (\(binds: levels)) \(under)
            ORDER BY n.path, n.code LIMIT \(count: limit + 1)
            """
        ).all(decoding: NodeChoice.self)
    }

    /// Open organisations in the caller's scope that may stand above others (every kind but the
    /// party group, which has none below it), in tree order.
    static func parentChoices(for actor: Actor, today: CivilDate, limit: Int = 1_000, on db: any Database) async throws -> [OrganisationChoice] {
        try await db.sql.raw(
            """
            SELECT o.id, o.name, o.kind FROM organisations o JOIN grid_nodes n ON n.id = o.grid_node_id
            WHERE \(visible(actor)) AND o.kind <> \(bind: OrganisationKind.partyGroup.rawValue)
              AND o.closed_on IS NULL AND \(current("o", today: today))
            ORDER BY n.path, o.kind, o.name, o.id LIMIT \(count: limit)
            """
        ).all(decoding: OrganisationChoice.self)
    }

    /// Persons of the register in the caller's scope whose name contains `search`, who are not a
    /// current member of organisation `org` (the same scope rule `addMember` checks).
    static func memberCandidates(
        of org: UUID, for actor: Actor, search: String, today: CivilDate, limit: Int = 50, on db: any Database
    ) async throws -> [PersonChoice] {
        try await db.sql.raw(
            """
            SELECT p.id, p.name, n.name AS grid_name FROM persons p JOIN grid_nodes n ON n.id = p.grid_node_id
            WHERE \(actor.scope.contains(SQLColumn("grid_node_id", table: "p"))) AND p.name LIKE \(containing: search)
              AND NOT EXISTS (SELECT 1 FROM organisation_members m WHERE m.organisation_id = \(bind: org) AND m.person_id = p.id
                              AND \(current("m", today: today)))
            ORDER BY p.name, n.path, p.id LIMIT \(count: limit)
            """
        ).all(decoding: PersonChoice.self)
    }

    /// Persons of the register in the caller's scope whose name contains `search` and who do not
    /// lead their building group today (the same scope rule `addLeader` checks).
    static func leaderCandidates(
        for actor: Actor, search: String, today: CivilDate, limit: Int = 50, on db: any Database
    ) async throws -> [PersonChoice] {
        try await db.sql.raw(
            """
            SELECT p.id, p.name, n.name AS grid_name FROM persons p JOIN grid_nodes n ON n.id = p.grid_node_id
            WHERE \(actor.scope.contains(SQLColumn("grid_node_id", table: "p"))) AND p.name LIKE \(containing: search)
              AND NOT EXISTS (SELECT 1 FROM building_group_leaders l WHERE l.person_id = p.id AND \(current("l", today: today)))
            ORDER BY p.name, n.path, p.id LIMIT \(count: limit)
            """
        ).all(decoding: PersonChoice.self)
    }

    /// The posts (示范岗, 责任区, 突击队) of organisation `org` at nodes in the caller's scope.
    static func posts(of org: UUID, for actor: Actor, limit: Int = 200, on db: any Database) async throws -> [PostRow] {
        try await db.sql.raw(
            """
            SELECT t.id, t.kind, t.name, t.mission, n.code AS grid_code, n.name AS grid_name, o.name AS organisation_name, t.starts_on, t.ends_on,
                   (SELECT COUNT(*) FROM post_claims c WHERE c.post_id = t.id) AS claims
            FROM organisation_posts t JOIN grid_nodes n ON n.id = t.grid_node_id LEFT JOIN organisations o ON o.id = t.organisation_id
            WHERE t.organisation_id = \(bind: org) AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "t")))
            ORDER BY t.ends_on IS NOT NULL, n.path, t.kind, t.name, t.id LIMIT \(count: limit)
            """
        ).all(decoding: PostRow.self)
    }
}
