import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The statements behind 双报到 (`OrganisationsService+Dual`): registrations, post claims and
/// service records.
extension OrganisationsQueries {
    /// The register's name of person `person`.
    static func personName(_ person: UUID, on db: any Database) async throws -> String? {
        struct P: Decodable { var name: String }
        return try await db.sql.raw("SELECT name FROM persons WHERE id = \(bind: person)").first(decoding: P.self)?.name
    }

    struct SelfRegisteringAccount: Decodable { var id: UUID; var display_name: String; var grid_node_id: UUID }

    /// The resident or volunteer account `username` when it lies in the caller's scope.
    static func selfRegisteringAccount(_ username: String, actor: Actor, on db: any Database) async throws -> SelfRegisteringAccount? {
        try await db.sql.raw(
            """
            SELECT a.id, a.display_name, a.grid_node_id FROM accounts a
            WHERE a.username = \(bind: username) AND a.role IN (\(binds: OrganisationsQueries.selfRegistering.map(\.rawValue)))
              AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "a")))
            """
        ).first(decoding: SelfRegisteringAccount.self)
    }

    /// The residential area (community) at or above node `anchor`.
    static func residentialArea(above anchor: UUID, on db: any Database) async throws -> GridNodeSummary? {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: GridQueries.columns) FROM grid_nodes n JOIN grid_closure c ON c.ancestor_id = n.id
            WHERE c.descendant_id = \(bind: anchor) AND n.level = \(bind: GridLevel.residentialArea.rawValue)
            """
        ).first(decoding: GridNodeSummary.self)
    }

    /// Writes a registration of an account or a person with `community` for unit `unitID`.
    static func insertRegistration(
        id: UUID, community: GridNodeSummary, account: UUID?, person: UUID?, memberName: String, unitID: UUID, shows: Bool,
        today: CivilDate, writer: WriteContext, on db: any Database
    ) async throws {
        try await db.sql.insert(into: "dual_registrations")
            .columns(
                "id", "subdistrict_id", "grid_node_id", "account_id", "person_id", "member_name", "service_unit_id", "shows_identity",
                "shows_identity_on", "registered_on", "created_by", "created_at"
            )
            .values(
                SQLBind(id), bindOrNull(community.subdistrictID), SQLBind(community.id), bindOrNull(account), bindOrNull(person),
                SQLBind(memberName), SQLBind(unitID), SQLBind(shows), bindOrNull(shows ? today.iso8601 : nil), SQLBind(today.iso8601),
                SQLBind(writer.actor.username), SQLBind(writer.now)
            )
            .run()
    }

    /// The registration if the caller may act on it: their own, or staff entitled to it in scope.
    struct RegistrationRef: Decodable { var id: UUID; var grid_node_id: UUID; var subdistrict_id: UUID?; var service_unit_id: UUID }

    /// Registration `id`, not ended, when `registrationVisible` holds for the caller.
    static func actionableRegistration(_ id: UUID, actor: Actor, on db: any Database) async throws -> RegistrationRef? {
        try await db.sql.raw(
            """
            SELECT r.id, r.grid_node_id, r.subdistrict_id, r.service_unit_id FROM dual_registrations r
            WHERE r.id = \(bind: id) AND r.ended_on IS NULL AND \(OrganisationsQueries.registrationVisible(actor))
            """
        ).first(decoding: RegistrationRef.self)
    }

    /// Post `post` when it is current today and lies in the community `community`.
    static func currentPost(_ post: UUID, in community: UUID, today: CivilDate, on db: any Database) async throws -> UUID? {
        struct P: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            SELECT t.id FROM organisation_posts t WHERE t.id = \(bind: post)
            AND t.grid_node_id IN (SELECT descendant_id FROM grid_closure WHERE ancestor_id = \(bind: community))
            AND \(OrganisationsQueries.current("t", today: today))
            """
        ).first(decoding: P.self)?.id
    }

    /// Writes a registration's claim of a post (UNIQUE per post and registration).
    static func insertClaim(id: UUID, registration: UUID, post: UUID, today: CivilDate, writer: WriteContext, on db: any Database) async throws {
        try await db.sql.insert(into: "post_claims").columns("id", "registration_id", "post_id", "claimed_on", "created_at")
            .values(SQLBind(id), SQLBind(registration), SQLBind(post), SQLBind(today.iso8601), SQLBind(writer.now)).run()
    }

    /// Post `post` when the registration has claimed it.
    static func claimedPost(_ post: UUID, by registration: UUID, on db: any Database) async throws -> UUID? {
        struct P: Decodable { var post_id: UUID }
        return try await db.sql.raw("SELECT post_id FROM post_claims WHERE registration_id = \(bind: registration) AND post_id = \(bind: post)")
            .first(decoding: P.self)?.post_id
    }

    /// Writes a service record of registration `reg` (with its community and work unit).
    static func insertServiceRecord(
        id: UUID, registration: UUID, reg: RegistrationRef, postID: UUID?, served: CivilDate, minutes: Int, description: String,
        writer: WriteContext, on db: any Database
    ) async throws {
        try await db.sql.insert(into: "dual_service_records")
            .columns(
                "id", "subdistrict_id", "grid_node_id", "registration_id", "service_unit_id", "post_id", "served_on", "minutes",
                "description", "recorded_by", "created_at"
            )
            .values(
                SQLBind(id), bindOrNull(reg.subdistrict_id), SQLBind(reg.grid_node_id), SQLBind(registration), SQLBind(reg.service_unit_id),
                bindOrNull(postID), SQLBind(served.iso8601), SQLBind(minutes), SQLBind(description), SQLBind(writer.actor.username),
                SQLBind(writer.now)
            )
            .run()
    }
}
