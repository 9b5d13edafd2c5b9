import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The statements behind the co-building writes (`OrganisationsService+CoBuilding`): list items,
/// contracts and their commitments, points entries.
extension OrganisationsQueries {
    /// Writes a problem, resource or project list item of unit `unitID` at `node`, open.
    static func insertItem(
        id: UUID, node: GridNodeSummary, unitID: UUID, kind: String, title: String, detail: String, writer: WriteContext,
        on db: any Database
    ) async throws {
        try await db.sql.insert(into: "cobuild_items")
            .columns("id", "subdistrict_id", "grid_node_id", "service_unit_id", "list_kind", "title", "detail", "status", "created_by", "created_at")
            .values(
                SQLBind(id), bindOrNull(node.subdistrictID), SQLBind(node.id), SQLBind(unitID), SQLBind(kind), SQLBind(title), SQLBind(detail),
                SQLBind("open"), SQLBind(writer.actor.username), SQLBind(writer.now)
            )
            .run()
    }

    /// Writes a contract between unit `unitID` and the community at `node`.
    static func insertContract(
        id: UUID, node: GridNodeSummary, unitID: UUID, title: String, starts: CivilDate, ends: CivilDate, writer: WriteContext,
        on db: any Database
    ) async throws {
        try await db.sql.insert(into: "cobuild_contracts")
            .columns("id", "subdistrict_id", "grid_node_id", "service_unit_id", "title", "starts_on", "ends_on", "created_by", "created_at")
            .values(
                SQLBind(id), bindOrNull(node.subdistrictID), SQLBind(node.id), SQLBind(unitID), SQLBind(title), SQLBind(starts.iso8601),
                SQLBind(ends.iso8601), SQLBind(writer.actor.username), SQLBind(writer.now)
            )
            .run()
    }

    /// Writes one side's commitment of contract `contract`.
    static func insertCommitment(contract id: UUID, side: String, content: String, due: CivilDate, on db: any Database) async throws {
        try await db.sql.insert(into: "cobuild_commitments").columns("id", "contract_id", "side", "content", "due_on")
            .values(SQLBind(UUID()), SQLBind(id), SQLBind(side), SQLBind(content), SQLBind(due.iso8601)).run()
    }

    struct CommitmentRef: Decodable {
        var id: UUID; var side: String; var content: String; var service_unit_id: UUID; var grid_node_id: UUID; var subdistrict_id: UUID?
    }

    /// A commitment with its contract's unit and place, when the contract lies in the caller's scope.
    static func commitment(_ id: UUID, actor: Actor, on db: any Database) async throws -> CommitmentRef? {
        try await db.sql.raw(
            """
            SELECT m.id, m.side, m.content, c.service_unit_id, c.grid_node_id, c.subdistrict_id FROM cobuild_commitments m
            JOIN cobuild_contracts c ON c.id = m.contract_id
            WHERE m.id = \(bind: id) AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "c")))
            """
        ).first(decoding: CommitmentRef.self)
    }

    /// Records once whether a commitment was delivered; whether it changed (false: checked already).
    static func checkCommitment(_ id: UUID, delivered: Bool, today: CivilDate, actor: Actor, on db: any Database) async throws -> Bool {
        struct Changed: Decodable { var id: UUID }
        let changed = try await db.sql.raw(
            """
            UPDATE cobuild_commitments SET delivered = \(bind: delivered), checked_on = \(bind: today.iso8601), checked_by = \(bind: actor.username)
            WHERE id = \(bind: id) AND delivered IS NULL RETURNING id
            """
        ).all(decoding: Changed.self)
        return !changed.isEmpty
    }

    /// Writes a points entry for a unit (`unit`) or an in-service member (`registration`).
    static func insertPoints(
        unit: UUID?, registration: UUID?, node: UUID, subdistrict: UUID?, rule: String, quantity: Int, points: Int,
        explanation: String, reason: String, earned: CivilDate, writer: WriteContext, on db: any Database
    ) async throws {
        try await db.sql.insert(into: "cobuild_points")
            .columns(
                "id", "subdistrict_id", "grid_node_id", "holder_kind", "service_unit_id", "registration_id", "rule_code", "quantity", "points",
                "explanation", "reason", "earned_on", "created_by", "created_at"
            )
            .values(
                SQLBind(UUID()), bindOrNull(subdistrict), SQLBind(node), SQLBind(unit != nil ? "unit" : "member"), bindOrNull(unit),
                bindOrNull(registration), SQLBind(rule), SQLBind(quantity), SQLBind(points), SQLBind(explanation), SQLBind(reason),
                SQLBind(earned.iso8601), SQLBind(writer.actor.username), SQLBind(writer.now)
            )
            .run()
    }
}
