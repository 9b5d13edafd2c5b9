import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

// MARK: - People joining and leaving a household (`RegistryService.addMember`, `RegistryRecords.recordDeparture`)

extension RegistryQueries {
    /// Where a household's rows go, and whether it has moved out.
    struct HouseholdPlace: Decodable, Sendable {
        var id: HouseholdID
        var grid_node_id: UUID
        var subdistrict_id: UUID?
        var moved_out_on: String?
    }

    /// The household `id` inside `scope`, with its grid node; nil outside it.
    static func householdPlace(_ id: HouseholdID, in scope: GridScope, on db: any Database) async throws -> HouseholdPlace? {
        try await db.sql.raw(
            """
            SELECT h.id, h.grid_node_id, h.subdistrict_id, h.moved_out_on FROM households h
            WHERE h.id = \(bind: id) AND \(scope.contains(SQLColumn("grid_node_id", table: "h")))
            """
        ).first(decoding: HouseholdPlace.self)
    }

    /// How many heads the household has among the members who have not left it.
    static func currentHeads(household: HouseholdID, on db: any Database) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await db.sql.raw(
            """
            SELECT COUNT(*) AS n FROM persons
            WHERE household_id = \(bind: household) AND relation = \(bind: HouseholdRelation.head.rawValue)
              AND moved_out_on IS NULL AND died_on IS NULL
            """
        ).first(decoding: N.self)?.n ?? 0
    }

    /// A person's dates as stored (whole), for the checks of a departure.
    struct Life: Decodable, Sendable { var birth_date: String; var moved_out_on: String?; var died_on: String? }

    /// The dates of person `person` (the caller has checked the scope).
    static func life(of person: PersonID, on db: any Database) async throws -> Life? {
        try await db.sql.raw("SELECT birth_date, moved_out_on, died_on FROM persons WHERE id = \(bind: person)")
            .first(decoding: Life.self)
    }

    /// Ends the person's time in the household on `day` (and records the death on it when
    /// `died`) if it has not ended: one conditional UPDATE, so two clerks recording the same
    /// departure write it once. True when this call wrote it.
    static func recordDeparture(_ person: PersonID, day: CivilDate, died: Bool, by writer: WriteContext, on db: any Database) async throws
        -> Bool
    {
        struct Row: Decodable { var id: UUID }
        let death: SQLQueryString = died ? ", died_on = \(bind: day.iso8601)" : ""
        return try await db.sql.raw(
            """
            UPDATE persons SET moved_out_on = \(bind: day.iso8601)\(death), updated_at = \(bind: writer.now)
            WHERE id = \(bind: person) AND moved_out_on IS NULL AND died_on IS NULL RETURNING id
            """
        ).first(decoding: Row.self) != nil
    }

    /// Ends every open tag assignment of the person on `day` (on its start when it starts
    /// later), by `writer`; returns how many. History stays, as for any ended tag.
    static func endOpenAssignments(person: PersonID, day: CivilDate, by writer: WriteContext, on db: any Database) async throws -> Int {
        struct Row: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            UPDATE tag_assignments
            SET ends_on = CASE WHEN starts_on > \(bind: day.iso8601) THEN starts_on ELSE \(bind: day.iso8601) END,
                ended_by = \(bind: writer.actor.username)
            WHERE person_id = \(bind: person) AND ends_on IS NULL RETURNING id
            """
        ).all(decoding: Row.self).count
    }

    /// When a person left, as `role` may see the dates (`registerDate`).
    struct DepartureRow: Decodable, Sendable { var id: PersonID; var moved_out_on: String?; var died_on: String? }

    /// The person's departure inside `scope`, nil while they live in the household.
    static func departure(person: PersonID, role: Role, in scope: GridScope, on db: any Database) async throws -> DepartureRow? {
        try await db.sql.raw(
            """
            SELECT p.id, \(registerDate("p.moved_out_on", role: role)), \(registerDate("p.died_on", role: role)) FROM persons p
            WHERE p.id = \(bind: person) AND (p.moved_out_on IS NOT NULL OR p.died_on IS NOT NULL)
              AND \(scope.contains(SQLColumn("grid_node_id", table: "p")))
            """
        ).first(decoding: DepartureRow.self)
    }

    /// The members of a household who have left it, inside `scope`.
    static func departures(household: HouseholdID, role: Role, in scope: GridScope, on db: any Database) async throws -> [DepartureRow] {
        try await db.sql.raw(
            """
            SELECT p.id, \(registerDate("p.moved_out_on", role: role)), \(registerDate("p.died_on", role: role)) FROM persons p
            WHERE p.household_id = \(bind: household) AND (p.moved_out_on IS NOT NULL OR p.died_on IS NOT NULL)
              AND \(scope.contains(SQLColumn("grid_node_id", table: "p")))
            """
        ).all(decoding: DepartureRow.self)
    }
}

// MARK: - The pages' choices and lists

extension RegistryQueries {
    /// A building group a new household can be placed in, with its micro-grid's name (building
    /// groups are often named alike: 1号, 2号…).
    struct BuildingGroupChoice: Decodable, Sendable, Equatable {
        var code: String
        var name: String
        var parent_name: String?
    }

    /// The building groups under `node` inside `scope`, by code, at most `limit`.
    static func buildingGroups(under node: GridNodeSummary, in scope: GridScope, limit: Int, on db: any Database) async throws
        -> [BuildingGroupChoice]
    {
        try await db.sql.raw(
            """
            SELECT n.code, n.name, p.name AS parent_name FROM grid_nodes n LEFT JOIN grid_nodes p ON p.id = n.parent_id
            WHERE n.level = \(bind: GridLevel.buildingGroup.rawValue)
              AND n.id IN (SELECT c.descendant_id FROM grid_closure c WHERE c.ancestor_id = \(bind: node.id))
              AND \(scope.contains(SQLColumn("id", table: "n")))
            ORDER BY n.code LIMIT \(count: limit)
            """
        ).all(decoding: BuildingGroupChoice.self)
    }

    /// A help request (求助) on a person's page.
    struct HelpRequestRow: Content, Equatable {
        var id: UUID
        var category: String
        var description: String
        var status: String
        var requested_on: String
    }

    /// The person's help requests inside `scope`, newest first (the date as `role` may see it).
    static func helpRequests(person: PersonID, role: Role, in scope: GridScope, limit: Int, on db: any Database) async throws
        -> [HelpRequestRow]
    {
        try await db.sql.raw(
            """
            SELECT r.id, r.category, r.description, r.status, \(registerDate("r.requested_on", role: role)) FROM help_requests r
            WHERE r.person_id = \(bind: person) AND \(scope.contains(SQLColumn("grid_node_id", table: "r")))
            ORDER BY r.requested_on DESC, r.created_at DESC LIMIT \(count: limit)
            """
        ).all(decoding: HelpRequestRow.self)
    }
}
