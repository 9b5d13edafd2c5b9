import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The statements behind `OrganisationsService`'s writes: organisations and their history,
/// members, posts and building-group leaders. The service checks, decides and audits; these
/// read and write, on the `db` they are given (inside its transaction where it has one).
extension OrganisationsQueries {
    struct ParentRow: Decodable { var id: UUID; var kind: OrganisationKind; var grid_node_id: UUID }

    /// The organisation `id` as a would-be parent, when it lies in the caller's scope.
    static func parent(_ id: UUID, actor: Actor, on db: any Database) async throws -> ParentRow? {
        try await db.sql.raw(
            """
            SELECT o.id, o.kind, o.grid_node_id FROM organisations o WHERE o.id = \(bind: id) AND \(OrganisationsQueries.visible(actor))
            """
        ).first(decoding: ParentRow.self)
    }

    /// The compound `compound` when it lies in the caller's scope; nil otherwise.
    static func scopedCompound(_ compound: UUID, actor: Actor, on db: any Database) async throws -> UUID? {
        struct C: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            SELECT k.id FROM compounds k WHERE k.id = \(bind: compound) AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "k")))
            """
        ).first(decoding: C.self)?.id
    }

    /// Writes a new organisation at `node`.
    static func insertOrganisation(
        id: UUID, node: GridNodeSummary, name: String, kind: OrganisationKind, basis: OrganisationBasis, parentID: UUID?,
        compoundID: UUID?, serviceUnitID: UUID?, purpose: String, starts: CivilDate, endsOn: CivilDate?,
        termEnd: CivilDate?, writer: WriteContext, on db: any Database
    ) async throws {
        try await db.sql.insert(into: "organisations")
            .columns(
                "id", "subdistrict_id", "grid_node_id", "name", "kind", "basis", "sensitive", "parent_id", "compound_id", "service_unit_id",
                "purpose", "starts_on", "ends_on", "term_ends_on", "created_by", "created_at", "updated_at"
            )
            .values(
                SQLBind(id), bindOrNull(node.subdistrictID ?? (node.level == .subdistrict ? node.id : nil)), SQLBind(node.id), SQLBind(name),
                SQLBind(kind.rawValue), SQLBind(basis.rawValue), SQLBind(kind.membershipIsSensitive), bindOrNull(parentID),
                bindOrNull(compoundID), bindOrNull(serviceUnitID), SQLBind(purpose), SQLBind(starts.iso8601),
                bindOrNull(endsOn?.iso8601), bindOrNull(termEnd?.iso8601), SQLBind(writer.actor.username), SQLBind(writer.now), SQLBind(writer.now)
            )
            .run()
    }

    /// Appends a history row, numbered after the organisation's last one (UNIQUE per organisation).
    static func history(_ org: UUID, _ action: String, old: String?, new: String?, reason: String, writer: WriteContext, on db: any Database)
        async throws
    {
        try await db.sql.raw(
            """
            INSERT INTO organisation_changes (id, organisation_id, seq, action, old_value, new_value, reason, actor_name, created_at)
            SELECT \(bind: UUID()), \(bind: org), COALESCE(MAX(seq), 0) + 1, \(bind: action), \(bind: old), \(bind: new), \(bind: reason),
                   \(bind: writer.actor.username), \(bind: writer.now)
            FROM organisation_changes WHERE organisation_id = \(bind: org)
            """
        ).run()
    }

    /// One change of `OrganisationsService.change`: the column it sets and the new value.
    enum OrganisationChange: Sendable {
        case name(String)
        case parent(UUID?)
        case closedOn(String)
    }

    /// Sets one change on organisation `id` if it is still open; whether it changed (false: closed).
    static func applyChange(_ change: OrganisationChange, to id: UUID, writer: WriteContext, on db: any Database) async throws -> Bool {
        let set: SQLQueryString
        switch change {
        case .name(let name): set = "name = \(bind: name)"
        case .parent(let parentID): set = "parent_id = \(bind: parentID)"
        case .closedOn(let closed): set = "closed_on = \(bind: closed)"
        }
        struct Row: Decodable { var id: UUID }
        let changed = try await db.sql.raw(
            """
            UPDATE organisations SET \(set), updated_at = \(bind: writer.now)
            WHERE id = \(bind: id) AND closed_on IS NULL RETURNING id
            """
        ).all(decoding: Row.self)
        return !changed.isEmpty
    }

    /// Ends the open memberships of a closing organisation on its close date; the rows stay.
    static func endMemberships(of org: UUID, on date: String, by writer: WriteContext, on db: any Database) async throws {
        try await db.sql.raw(
            """
            UPDATE organisation_members SET ends_on = \(bind: date), ended_by = \(bind: writer.actor.username)
            WHERE organisation_id = \(bind: org) AND (ends_on IS NULL OR ends_on > \(bind: date))
            """
        ).run()
    }

    struct ClosedBranch: Decodable { var id: UUID; var ends_on: String }

    /// Closes the due temporary branches in the caller's scope on their end dates; returns those closed.
    static func closeExpiredBranches(today: CivilDate, writer: WriteContext, on db: any Database) async throws -> [ClosedBranch] {
        try await db.sql.raw(
            """
            UPDATE organisations SET closed_on = ends_on, updated_at = \(bind: writer.now)
            WHERE kind = \(bind: OrganisationKind.temporaryBranch.rawValue) AND closed_on IS NULL AND ends_on IS NOT NULL
              AND ends_on <= \(bind: today.iso8601) AND \(OrganisationsQueries.visible(writer.actor, alias: "organisations"))
            RETURNING id, ends_on
            """
        ).all(decoding: ClosedBranch.self)
    }

    /// How many memberships of `person` in organisation `orgID` are current today.
    static func currentMemberships(of person: PersonID, in orgID: UUID, today: CivilDate, on db: any Database) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await db.sql.raw(
            """
            SELECT COUNT(*) AS n FROM organisation_members WHERE organisation_id = \(bind: orgID) AND person_id = \(bind: person)
            AND (ends_on IS NULL OR ends_on > \(bind: today.iso8601))
            """
        ).first(decoding: N.self)?.n ?? 0
    }

    /// Writes a membership of the register's person `target` in organisation `orgID`.
    static func insertMember(
        id: UUID, orgID: UUID, target: RegistryRecords.Target, role: MemberRole, starts: CivilDate, shows: Bool,
        today: CivilDate, writer: WriteContext, on db: any Database
    ) async throws {
        try await db.sql.insert(into: "organisation_members")
            .columns(
                "id", "subdistrict_id", "organisation_id", "person_id", "grid_node_id", "role", "starts_on", "shows_identity",
                "shows_identity_on", "created_by", "created_at"
            )
            .values(
                SQLBind(id), bindOrNull(target.subdistrict), SQLBind(orgID), SQLBind(target.person), SQLBind(target.node),
                SQLBind(role.rawValue), SQLBind(starts.iso8601), SQLBind(shows), bindOrNull(shows ? today.iso8601 : nil),
                SQLBind(writer.actor.username), SQLBind(writer.now)
            )
            .run()
    }

    /// How many current assignments of tag `tag` the person holds today.
    static func currentTagAssignments(of person: PersonID, tag: UUID, today: CivilDate, on db: any Database) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await db.sql.raw(
            """
            SELECT COUNT(*) AS n FROM tag_assignments WHERE person_id = \(bind: person) AND tag_id = \(bind: tag)
            AND (ends_on IS NULL OR ends_on > \(bind: today.iso8601))
            """
        ).first(decoding: N.self)?.n ?? 0
    }

    /// The membership `member` of organisation `org` when its person's node lies in the caller's scope.
    static func membership(_ member: UUID, of org: UUID, actor: Actor, on db: any Database) async throws -> UUID? {
        struct M: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            SELECT m.id FROM organisation_members m WHERE m.id = \(bind: member) AND m.organisation_id = \(bind: org)
            AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "m")))
            """
        ).first(decoding: M.self)?.id
    }

    /// Ends an open membership on `endsOn` (not before its start); whether it changed.
    static func endMembership(_ member: UUID, endsOn: String, by writer: WriteContext, on db: any Database) async throws -> Bool {
        struct Row: Decodable { var id: UUID }
        let changed = try await db.sql.raw(
            """
            UPDATE organisation_members SET ends_on = \(bind: endsOn), ended_by = \(bind: writer.actor.username)
            WHERE id = \(bind: member) AND ends_on IS NULL AND starts_on <= \(bind: endsOn) RETURNING id
            """
        ).all(decoding: Row.self)
        return !changed.isEmpty
    }

    /// Sets whether a member shows their identity, dated `today`; whether it changed (false: already so).
    static func setShowsIdentity(_ member: UUID, shows: Bool, today: CivilDate, on db: any Database) async throws -> Bool {
        struct Row: Decodable { var id: UUID }
        let changed = try await db.sql.raw(
            """
            UPDATE organisation_members SET shows_identity = \(bind: shows), shows_identity_on = \(bind: today.iso8601)
            WHERE id = \(bind: member) AND shows_identity = \(bind: !shows) RETURNING id
            """
        ).all(decoding: Row.self)
        return !changed.isEmpty
    }

    /// Writes a model post, responsibility area or commando team at `node`.
    static func insertPost(
        id: UUID, node: GridNodeSummary, organisationID: UUID?, kind: OrganisationPostKind, name: String, mission: String,
        starts: CivilDate, ends: CivilDate?, writer: WriteContext, on db: any Database
    ) async throws {
        try await db.sql.insert(into: "organisation_posts")
            .columns(
                "id", "subdistrict_id", "grid_node_id", "organisation_id", "kind", "name", "mission", "starts_on", "ends_on", "created_by",
                "created_at"
            )
            .values(
                SQLBind(id), bindOrNull(node.subdistrictID), SQLBind(node.id), bindOrNull(organisationID), SQLBind(kind.rawValue),
                SQLBind(name), SQLBind(mission), SQLBind(starts.iso8601), bindOrNull(ends?.iso8601), SQLBind(writer.actor.username),
                SQLBind(writer.now)
            )
            .run()
    }

    /// Writes a building-group leader row for the register's person `target`.
    static func insertLeader(
        id: UUID, target: RegistryRecords.Target, organisationID: UUID?, starts: CivilDate, writer: WriteContext,
        on db: any Database
    ) async throws {
        try await db.sql.insert(into: "building_group_leaders")
            .columns("id", "subdistrict_id", "grid_node_id", "person_id", "organisation_id", "starts_on", "created_by", "created_at")
            .values(
                SQLBind(id), bindOrNull(target.subdistrict), SQLBind(target.node), SQLBind(target.person), bindOrNull(organisationID),
                SQLBind(starts.iso8601), SQLBind(writer.actor.username), SQLBind(writer.now)
            )
            .run()
    }
}
