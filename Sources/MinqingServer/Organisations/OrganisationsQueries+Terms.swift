import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The statements behind 换届 (`OrganisationsService+Terms`): terms and the members' role rows.
extension OrganisationsQueries {
    struct CurrentTerm: Decodable { var seq: Int; var starts_on: String }

    /// The organisation's latest term row, if it has any.
    static func latestTerm(of id: UUID, on db: any Database) async throws -> CurrentTerm? {
        try await db.sql.raw(
            """
            SELECT seq, starts_on FROM organisation_terms WHERE organisation_id = \(bind: id) ORDER BY seq DESC LIMIT 1
            """
        ).first(decoding: CurrentTerm.self)
    }

    struct TermMember: Decodable {
        var id: UUID; var subdistrict_id: UUID?; var person_id: UUID; var grid_node_id: UUID; var role: MemberRole; var starts_on: String
        var ends_on: String?; var shows_identity: Bool; var shows_identity_on: String?
    }

    /// The memberships of the organisation current on the election day `electedOn`.
    static func termMembers(of id: UUID, electedOn: String, on db: any Database) async throws -> [TermMember] {
        try await db.sql.raw(
            """
            SELECT id, subdistrict_id, person_id, grid_node_id, role, starts_on, ends_on, shows_identity, shows_identity_on
            FROM organisation_members WHERE organisation_id = \(bind: id) AND starts_on <= \(bind: electedOn)
              AND (ends_on IS NULL OR ends_on > \(bind: electedOn))
            """
        ).all(decoding: TermMember.self)
    }

    /// Moves the open organisation's term end from `oldEnd` to `newEnd`; whether it moved (false: changed meanwhile).
    static func moveTermEnd(of id: UUID, from oldEnd: String?, to newEnd: String, writer: WriteContext, on db: any Database) async throws -> Bool {
        struct Row: Decodable { var id: UUID }
        let sameEnd: SQLQueryString = oldEnd.map { "term_ends_on = \(bind: $0)" } ?? "term_ends_on IS NULL"
        let moved = try await db.sql.raw(
            """
            UPDATE organisations SET term_ends_on = \(bind: newEnd), updated_at = \(bind: writer.now)
            WHERE id = \(bind: id) AND closed_on IS NULL AND \(sameEnd) RETURNING id
            """
        ).all(decoding: Row.self)
        return !moved.isEmpty
    }

    /// Writes the first term's row (number 1, from the organisation's start), closed on `electedOn`.
    static func insertFirstTerm(of id: UUID, startsOn: String, endsOn: String?, electedOn: String, writer: WriteContext, on db: any Database)
        async throws
    {
        try await db.sql.insert(into: "organisation_terms")
            .columns("id", "organisation_id", "seq", "starts_on", "ends_on", "closed_on", "reason", "created_by", "created_at")
            .values(
                SQLBind(UUID()), SQLBind(id), SQLBind(1), SQLBind(startsOn), bindOrNull(endsOn), SQLBind(electedOn), SQLBind("成立"),
                SQLBind(writer.actor.username), SQLBind(writer.now)
            )
            .run()
    }

    /// Closes term `seq` of the organisation on `electedOn`.
    static func closeTerm(of id: UUID, seq: Int, closedOn electedOn: String, on db: any Database) async throws {
        try await db.sql.raw(
            """
            UPDATE organisation_terms SET closed_on = \(bind: electedOn) WHERE organisation_id = \(bind: id) AND seq = \(bind: seq)
            """
        ).run()
    }

    /// Writes term `seq` of the organisation, from `electedOn` to `endsOn`.
    static func insertTerm(of id: UUID, seq: Int, electedOn: String, endsOn: String, reason: String, writer: WriteContext, on db: any Database)
        async throws
    {
        try await db.sql.insert(into: "organisation_terms")
            .columns("id", "organisation_id", "seq", "starts_on", "ends_on", "reason", "created_by", "created_at")
            .values(
                SQLBind(UUID()), SQLBind(id), SQLBind(seq), SQLBind(electedOn), SQLBind(endsOn), SQLBind(reason),
                SQLBind(writer.actor.username), SQLBind(writer.now)
            )
            .run()
    }

    /// Corrects the role of membership `member` in place.
    static func correctRole(of member: UUID, to role: MemberRole, on db: any Database) async throws {
        try await db.sql.raw("UPDATE organisation_members SET role = \(bind: role.rawValue) WHERE id = \(bind: member)").run()
    }

    /// Ends the memberships `ids` on `electedOn`.
    static func endMemberships(_ ids: [UUID], on electedOn: String, by writer: WriteContext, on db: any Database) async throws {
        try await db.sql.raw(
            """
            UPDATE organisation_members SET ends_on = \(bind: electedOn), ended_by = \(bind: writer.actor.username)
            WHERE id IN (\(binds: ids))
            """
        ).run()
    }

    /// Writes, in one statement, each of `ending`'s new membership row from `electedOn` with its new role.
    static func insertRoleRows(of id: UUID, _ ending: [(TermMember, MemberRole)], electedOn: String, writer: WriteContext, on db: any Database)
        async throws
    {
        let insert = db.sql.insert(into: "organisation_members")
            .columns(
                "id", "subdistrict_id", "organisation_id", "person_id", "grid_node_id", "role", "starts_on", "ends_on", "shows_identity",
                "shows_identity_on", "created_by", "created_at")
        for (member, role) in ending {
            insert.values(
                SQLBind(UUID()), bindOrNull(member.subdistrict_id), SQLBind(id), SQLBind(member.person_id), SQLBind(member.grid_node_id),
                SQLBind(role.rawValue), SQLBind(electedOn), bindOrNull(member.ends_on), SQLBind(member.shows_identity),
                bindOrNull(member.shows_identity_on), SQLBind(writer.actor.username), SQLBind(writer.now))
        }
        try await insert.run()
    }
}
