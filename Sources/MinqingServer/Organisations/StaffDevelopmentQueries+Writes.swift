import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The statements behind `StaffDevelopmentService`: sessions, attendance and rotations, and the
/// cadres and units they name.
extension StaffDevelopmentQueries {
    /// Writes a training session organised at `node`.
    static func insertTraining(
        id: UUID, node: GridNodeSummary, title: String, heldOn: String, place: String, minutes: Int, writer: WriteContext,
        on db: any Database
    ) async throws {
        try await db.sql.insert(into: "staff_trainings")
            .columns("id", "subdistrict_id", "grid_node_id", "title", "held_on", "place", "minutes", "created_by", "created_at")
            .values(
                SQLBind(id), bindOrNull(node.subdistrictID ?? (node.level == .subdistrict ? node.id : nil)), SQLBind(node.id), SQLBind(title),
                SQLBind(heldOn), SQLBind(place), SQLBind(minutes), SQLBind(writer.actor.username), SQLBind(writer.now)
            )
            .run()
    }

    struct Cadre: Decodable { var id: UUID; var username: String; var grid_node_id: UUID; var subdistrict_id: UUID? }

    /// The cadres named by id or username, among the enabled cadre accounts in the caller's scope.
    static func cadres(ids: [UUID], usernames: [String], actor: Actor, on db: any Database) async throws -> [Cadre] {
        guard !ids.isEmpty || !usernames.isEmpty else { return [] }
        let byID: SQLQueryString = ids.isEmpty ? "1 = 0" : "a.id IN (\(binds: ids))"
        let byName: SQLQueryString = usernames.isEmpty ? "1 = 0" : "a.username IN (\(binds: usernames))"
        return try await db.sql.raw(
            """
            SELECT a.id, a.username, a.grid_node_id, a.subdistrict_id FROM accounts a
            WHERE (\(byID) OR \(byName)) AND a.role IN (\(binds: StaffDevelopmentQueries.cadreRoles.map(\.rawValue))) AND a.disabled = \(flag: false)
              AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "a")))
            """
        ).all(decoding: Cadre.self)
    }

    /// Writes a session's attendance in one statement, one row per cadre (a cadre recorded before gets the new status).
    static func upsertAttendance(_ trainingID: UUID, _ recorded: [(Cadre, AttendanceStatus)], writer: WriteContext, on db: any Database) async throws
    {
        let insert = db.sql.insert(into: "training_attendance")
            .columns("training_id", "account_id", "attended", "status", "recorded_by", "recorded_at")
        for (cadre, status) in recorded {
            insert.values(
                SQLBind(trainingID), SQLBind(cadre.id), SQLBind(status == .present), SQLBind(status.rawValue), SQLBind(writer.actor.username),
                SQLBind(writer.now))
        }
        try await insert.onConflict(with: ["training_id", "account_id"]) { conflict in
            conflict.set(excludedValueOf: "attended").set(excludedValueOf: "status").set(excludedValueOf: "recorded_by")
                .set(excludedValueOf: "recorded_at")
        }.run()
    }

    struct UnitPlace: Decodable { var id: UUID; var grid_node_id: UUID? }

    /// Unit `unit` of the caller's subdistrict (`OrganisationsQueries.unitVisible`) with its node.
    static func unitPlace(_ unit: UUID, actor: Actor, on db: any Database) async throws -> UnitPlace? {
        try await db.sql.raw(
            """
            SELECT u.id, u.grid_node_id FROM service_units u WHERE u.id = \(bind: unit) AND \(OrganisationsQueries.unitVisible(actor))
            """
        ).first(decoding: UnitPlace.self)
    }

    /// Locks the cadre's account row on PostgreSQL (`FOR UPDATE`); nothing on SQLite, whose write lock is taken up front.
    static func lockCadre(_ account: UUID, on db: any Database) async throws {
        if db.sql.dialect.name == "postgresql" {
            try await db.sql.raw("SELECT id FROM accounts WHERE id = \(bind: account) FOR UPDATE").run()
        }
    }

    /// How many of the cadre's rotations overlap the period `startsOn`–`endsOn`.
    static func overlappingRotations(of account: UUID, startsOn: String, endsOn: String, on db: any Database) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await db.sql.raw(
            """
            SELECT COUNT(*) AS n FROM staff_rotations WHERE account_id = \(bind: account)
            AND starts_on <= \(bind: endsOn) AND ends_on >= \(bind: startsOn)
            """
        ).first(decoding: N.self)?.n ?? 0
    }

    /// Writes a rotation of `cadre` from `from` to `to`.
    static func insertRotation(
        id: UUID, cadre: Cadre, fromNode: UUID, toNode: UUID, fromUnit: UUID?, toUnit: UUID?, post: String, purpose: String,
        startsOn: String, endsOn: String, writer: WriteContext, on db: any Database
    ) async throws {
        try await db.sql.insert(into: "staff_rotations")
            .columns(
                "id", "subdistrict_id", "account_id", "from_node_id", "to_node_id", "from_unit_id", "to_unit_id", "post", "purpose",
                "starts_on", "ends_on", "created_by", "created_at"
            )
            .values(
                SQLBind(id), bindOrNull(cadre.subdistrict_id), SQLBind(cadre.id), SQLBind(fromNode), SQLBind(toNode), bindOrNull(fromUnit),
                bindOrNull(toUnit), SQLBind(post), SQLBind(purpose), SQLBind(startsOn), SQLBind(endsOn), SQLBind(writer.actor.username),
                SQLBind(writer.now)
            )
            .run()
    }
}
