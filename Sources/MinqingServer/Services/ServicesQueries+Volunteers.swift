import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The SQL of volunteer teams (`TeamService`) and volunteer activities (`VolunteerService`):
/// staff see those inside their scope, others those of their subdistrict.
extension ServicesQueries {
    // MARK: Teams

    /// Teams the actor may see (`t` is `volunteer_teams`).
    static func teamVisible(to actor: Actor) -> SQLQueryString {
        actor.role.isGridStaff
            ? actor.scope.contains(SQLColumn("grid_node_id", table: "t"))
            : "t.subdistrict_id = \(bind: actor.subdistrictID ?? UUID())"
    }

    static let teamColumns = """
        t.id, t.name, t.kind, n.code AS grid_code, l.display_name AS leader,
        (SELECT COUNT(*) FROM volunteer_team_members m WHERE m.team_id = t.id AND m.left_on IS NULL) AS members
        """
    static let teamJoins = "volunteer_teams t JOIN grid_nodes n ON n.id = t.grid_node_id LEFT JOIN accounts l ON l.id = t.leader_account_id"

    /// The teams the actor may see, with leader and current member count (at most 500).
    static func teams(for actor: Actor, on db: any Database) async throws -> [TeamService.Row] {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: teamColumns) FROM \(unsafeRaw: teamJoins) WHERE \(teamVisible(to: actor)) ORDER BY t.kind, t.name, t.id LIMIT 500
            """
        ).all(decoding: TeamService.Row.self)
    }

    /// A team the actor may see; nil when none.
    static func team(_ team: UUID, for actor: Actor, on db: any Database) async throws -> TeamService.Row? {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: teamColumns) FROM \(unsafeRaw: teamJoins) WHERE t.id = \(bind: team) AND \(teamVisible(to: actor))
            """
        ).first(decoding: TeamService.Row.self)
    }

    /// The members of a team, current ones first (at most 1,000).
    static func teamMembers(_ team: UUID, on db: any Database) async throws -> [TeamService.Member] {
        try await db.sql.raw(
            """
            SELECT a.username, a.display_name, m.role, m.joined_on, m.left_on FROM volunteer_team_members m JOIN accounts a ON a.id = m.account_id
            WHERE m.team_id = \(bind: team) ORDER BY m.left_on IS NOT NULL, m.role, a.username LIMIT 1000
            """
        ).all(decoding: TeamService.Member.self)
    }

    /// The id of the account named `username` inside the actor's scope; nil when none.
    static func scopedAccountID(username: String, in actor: Actor, on db: any Database) async throws -> UUID? {
        struct A: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            SELECT a.id FROM accounts a WHERE a.username = \(bind: username) AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "a")))
            """
        ).first(decoding: A.self)?.id
    }

    /// Writes a new team at `node` (its subdistrict, else the writer's); a second team of that name there hits the UNIQUE index.
    static func insertTeam(
        _ id: UUID, node: GridNodeSummary, name: String, kind: String, leader leaderID: UUID?, writer: WriteContext,
        on db: any Database
    ) async throws {
        try await db.sql.raw(
            """
            INSERT INTO volunteer_teams (id, subdistrict_id, grid_node_id, name, kind, leader_account_id, created_at)
            VALUES (\(bind: id), \(bind: node.subdistrictID ?? writer.actor.subdistrictID), \(bind: node.id), \(bind: name), \(bind: kind),
                    \(bind: leaderID), \(bind: writer.now))
            """
        ).run()
    }

    /// Writes the membership of a new team's leader, joined on `today`.
    static func insertTeamLeader(team id: UUID, account leader: UUID, joinedOn today: String, writer: WriteContext, on db: any Database) async throws
    {
        try await db.sql.raw(
            """
            INSERT INTO volunteer_team_members (id, team_id, account_id, role, joined_on, created_at)
            VALUES (\(bind: UUID()), \(bind: id), \(bind: leader), 'leader', \(bind: today), \(bind: writer.now))
            """
        ).run()
    }

    /// Writes a membership; a current member hits the partial UNIQUE index.
    static func insertTeamMember(
        _ id: UUID, team: UUID, account person: UUID, role: String, joinedOn: String, writer: WriteContext,
        on db: any Database
    ) async throws {
        try await db.sql.raw(
            """
            INSERT INTO volunteer_team_members (id, team_id, account_id, role, joined_on, created_at)
            VALUES (\(bind: id), \(bind: team), \(bind: person), \(bind: role), \(bind: joinedOn), \(bind: writer.now))
            """
        ).run()
    }

    /// Writes the team's leader.
    static func setTeamLeader(_ team: UUID, account person: UUID, on db: any Database) async throws {
        try await db.sql.raw("UPDATE volunteer_teams SET leader_account_id = \(bind: person) WHERE id = \(bind: team)").run()
    }

    /// Ends the current membership of `person` on `leftOn`; returns its id, or none when they are not a current member.
    static func endTeamMembership(_ team: UUID, account person: UUID, leftOn: String, on db: any Database) async throws -> [UUID] {
        struct R: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            UPDATE volunteer_team_members SET left_on = \(bind: leftOn)
            WHERE team_id = \(bind: team) AND account_id = \(bind: person) AND left_on IS NULL RETURNING id
            """
        ).all(decoding: R.self).map(\.id)
    }

    /// Clears the team's leader if it is `person`.
    static func clearTeamLeader(_ team: UUID, account person: UUID, on db: any Database) async throws {
        try await db.sql.raw(
            """
            UPDATE volunteer_teams SET leader_account_id = NULL WHERE id = \(bind: team) AND leader_account_id = \(bind: person)
            """
        ).run()
    }

    // MARK: Activities

    /// Activities the actor may see (`v` is `volunteer_activities`).
    static func activityVisible(to actor: Actor) -> SQLQueryString {
        actor.role.isGridStaff
            ? actor.scope.contains(SQLColumn("grid_node_id", table: "v"))
            : "v.subdistrict_id = \(bind: actor.subdistrictID ?? UUID())"
    }

    /// The activities the actor may see that end after `after`, by start (at most 100), with the actor's own sign-up state.
    static func activities(for actor: Actor, after: Date, on db: any Database) async throws -> [VolunteerService.Row] {
        try await db.sql.raw(
            """
            SELECT v.id, v.team, v.title, v.place, v.starts_at, v.ends_at, v.minutes, v.capacity, v.signed_up,
                   (SELECT s.status FROM activity_signups s WHERE s.activity_id = v.id AND s.account_id = \(bind: actor.accountID)) AS my_status
            FROM volunteer_activities v WHERE \(activityVisible(to: actor)) AND v.ends_at > \(bind: after)
            ORDER BY v.starts_at, v.id LIMIT 100
            """
        ).all(decoding: VolunteerService.Row.self)
    }

    /// Writes a new activity at `node` (its subdistrict, else the writer's), nobody signed up yet.
    static func insertActivity(
        _ id: UUID, node: GridNodeSummary, team: String, title: String, place: String, start: Date, end: Date, minutes: Int,
        capacity: Int, writer: WriteContext, on db: any Database
    ) async throws {
        try await db.sql.raw(
            """
            INSERT INTO volunteer_activities (id, subdistrict_id, grid_node_id, team, title, place, starts_at, ends_at, minutes, capacity,
                                              signed_up, created_by, created_at)
            VALUES (\(bind: id), \(bind: node.subdistrictID ?? writer.actor.subdistrictID), \(bind: node.id), \(bind: team), \(bind: title), \(bind: place),
                    \(bind: start), \(bind: end), \(bind: minutes), \(bind: capacity), 0, \(bind: writer.actor.accountID), \(bind: writer.now))
            """
        ).run()
    }

    /// Whether the actor may see the activity.
    static func activityExists(_ activity: UUID, for actor: Actor, on db: any Database) async throws -> Bool {
        struct R: Decodable { var id: UUID }
        return try await db.sql.raw("SELECT v.id FROM volunteer_activities v WHERE v.id = \(bind: activity) AND \(activityVisible(to: actor))")
            .first(decoding: R.self) != nil
    }

    /// Raises the activity's sign-up counter only below capacity and before the start; returns its id, or none when refused.
    static func raiseActivitySignups(_ activity: UUID, now: Date, on db: any Database) async throws -> [UUID] {
        struct R: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            UPDATE volunteer_activities SET signed_up = signed_up + 1
            WHERE id = \(bind: activity) AND signed_up < capacity AND starts_at > \(bind: now) RETURNING id
            """
        ).all(decoding: R.self).map(\.id)
    }

    /// Writes the writer's sign-up; a second one hits the UNIQUE index.
    static func insertActivitySignup(_ id: UUID, activity: UUID, writer: WriteContext, on db: any Database) async throws {
        try await db.sql.raw(
            """
            INSERT INTO activity_signups (id, activity_id, account_id, status, created_at)
            VALUES (\(bind: id), \(bind: activity), \(bind: writer.actor.accountID), 'signed_up', \(bind: writer.now))
            """
        ).run()
    }

    struct ActivityCredit: Decodable, Sendable { var minutes: Int; var grid_node_id: UUID; var subdistrict_id: UUID?; var title: String }

    /// The credited minutes, node and title of an activity the actor may see; nil when none.
    static func activityCredit(_ activity: UUID, for actor: Actor, on db: any Database) async throws -> ActivityCredit? {
        try await db.sql.raw(
            """
            SELECT v.minutes, v.grid_node_id, v.subdistrict_id, v.title FROM volunteer_activities v WHERE v.id = \(bind: activity) AND \(activityVisible(to: actor))
            """
        ).first(decoding: ActivityCredit.self)
    }

    struct SignedUpPerson: Decodable, Sendable { var id: UUID; var display_name: String; var grid_node_id: UUID; var subdistrict_id: UUID? }

    /// The account named `username` signed up for the activity; nil when none.
    static func signedUpPerson(_ activity: UUID, username: String, on db: any Database) async throws -> SignedUpPerson? {
        try await db.sql.raw(
            """
            SELECT a.id, a.display_name, a.grid_node_id, a.subdistrict_id FROM activity_signups s JOIN accounts a ON a.id = s.account_id
            WHERE s.activity_id = \(bind: activity) AND a.username = \(bind: username)
            """
        ).first(decoding: SignedUpPerson.self)
    }

    /// Marks a sign-up checked in with its time-bank transfer, only while signed up; returns its id, or none when already checked in.
    static func checkInSignup(_ activity: UUID, account: UUID, transfer: UUID, now: Date, on db: any Database) async throws -> [UUID] {
        struct R: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            UPDATE activity_signups SET status = 'checked_in', transfer_id = \(bind: transfer), checked_in_at = \(bind: now)
            WHERE activity_id = \(bind: activity) AND account_id = \(bind: account) AND status = 'signed_up' RETURNING id
            """
        ).all(decoding: R.self).map(\.id)
    }
}
