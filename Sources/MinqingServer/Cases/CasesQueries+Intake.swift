import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// The reads and writes of the one intake (`CasesService`): where a case may be placed, and the
/// case's row with its number and first transition.
extension CasesQueries {
    /// The place of a case being taken in.
    struct Node: Decodable { var id: UUID; var subdistrict_id: UUID?; var name: String }

    /// What the submitter of a new case sees of it (for its possible duplicates): an account's
    /// `visible`, an Open311 client its jurisdiction's cases (the case's subdistrict when it has one).
    static func visibility(for submitter: CaseSubmitter, caseSubdistrict: UUID?) -> SQLQueryString {
        switch submitter {
        case .account(let actor): return visible(actor)
        case .client(_, let jurisdiction): return publicly(subdistrict: caseSubdistrict ?? jurisdiction)
        }
    }

    /// The node with `code` that `actor` may place a case at (a department handler: in its
    /// subdistrict; otherwise inside the scope), or nil.
    static func intakeNode(code: String, reachableBy actor: Actor, on db: any Database) async throws -> Node? {
        let reach: SQLQueryString =
            actor.role == .departmentHandler
            ? "n.subdistrict_id = \(bind: actor.subdistrictID)" : actor.scope.contains(SQLColumn("id", table: "n"))
        return try await db.sql.raw("SELECT n.id, n.subdistrict_id, n.name FROM grid_nodes n WHERE n.code = \(bind: code) AND \(reach)")
            .first(decoding: Node.self)
    }

    /// The node with `id`, or nil.
    static func intakeNode(id: UUID, on db: any Database) async throws -> Node? {
        try await db.sql.raw("SELECT n.id, n.subdistrict_id, n.name FROM grid_nodes n WHERE n.id = \(bind: id)").first(decoding: Node.self)
    }

    /// The node with `code` inside the subtree of `jurisdiction`, or nil.
    static func intakeNode(code: String, within jurisdiction: UUID, on db: any Database) async throws -> Node? {
        let within: SQLQueryString = "n.id IN (SELECT descendant_id FROM grid_closure WHERE ancestor_id = \(bind: jurisdiction))"
        return try await db.sql.raw("SELECT n.id, n.subdistrict_id, n.name FROM grid_nodes n WHERE n.code = \(bind: code) AND \(within)")
            .first(decoding: Node.self)
    }

    /// Whether the compound `id` lies in `subdistrict` (nil: a compound without subdistrict).
    static func compoundExists(_ id: UUID, subdistrict: UUID?, on db: any Database) async throws -> Bool {
        struct C: Decodable { var id: UUID }
        let compound = try await db.sql.raw(
            """
            SELECT c.id FROM compounds c WHERE c.id = \(bind: id) AND c.subdistrict_id IS NOT DISTINCT FROM \(bind: subdistrict)
            """
        ).first(decoding: C.self)
        return compound != nil
    }

    /// Whether `actor` reaches the household `id`: grid staff inside their scope, everybody else
    /// the households they are bound to.
    static func householdReachable(_ id: UUID, by actor: Actor, on db: any Database) async throws -> Bool {
        struct H: Decodable { var id: UUID }
        let reach: SQLQueryString =
            actor.role.isGridStaff
            ? actor.scope.contains(SQLColumn("grid_node_id", table: "h"))
            : "h.id IN (SELECT household_id FROM resident_households WHERE account_id = \(bind: actor.accountID))"
        return try await db.sql.raw("SELECT h.id FROM households h WHERE h.id = \(bind: id) AND \(reach)").first(decoding: H.self) != nil
    }

    /// The address of the household `id`, or nil.
    static func householdAddress(_ id: UUID, on db: any Database) async throws -> String? {
        struct Address: Decodable { var address: String? }
        return try await db.sql.raw("SELECT address FROM households WHERE id = \(bind: id)").first(decoding: Address.self)?.address
    }

    /// Counts `year` one case further and returns its new last sequence number (nil if the database returned none).
    static func nextCaseSequence(year: Int, on db: any Database) async throws -> Int64? {
        struct Seq: Decodable { var last_sequence: Int64 }
        return try await db.sql.raw(
            """
            INSERT INTO case_counters (year, last_sequence) VALUES (\(bind: year), 1)
            ON CONFLICT (year) DO UPDATE SET last_sequence = case_counters.last_sequence + 1 RETURNING last_sequence
            """
        ).first(decoding: Seq.self)?.last_sequence
    }

    /// Writes the row of the prepared case `p` in state `reported`, with its public `number` and `token`.
    static func insertCase(_ p: CasesService.Prepared, number: String, token: String, on db: any Database) async throws {
        try await db.sql.insert(into: "cases")
            .columns(
                "id", "subdistrict_id", "number", "intake_token", "channel", "source_ref", "category_code", "title", "description",
                "grid_node_id", "compound_id", "household_id", "address", "address_id", "lat_e6", "long_e6", "media_url",
                "submitter_account_id", "submitter_name", "submitter_email", "submitter_phone_cipher", "submitter_phone_index",
                "submitter_phone_masked", "device_id", "client_account_id", "client_name", "state", "reported_at", "reported_on",
                "updated_at", "extension_days", "handled_count", "rework_count", "reopen_count", "escalation_level", "supervised", "last_seq"
            )
            .values(
                SQLBind(p.id), bindOrNull(p.subdistrictID), SQLBind(number), SQLBind(token), SQLBind(p.channel.rawValue), bindOrNull(p.sourceRef),
                SQLBind(p.categoryCode), SQLBind(p.title), SQLBind(p.description), SQLBind(p.nodeID), bindOrNull(p.compoundID),
                bindOrNull(p.householdID), SQLBind(p.address), bindOrNull(p.addressID), bindOrNull(p.latE6), bindOrNull(p.longE6),
                bindOrNull(p.mediaURL), bindOrNull(p.submitterAccount), bindOrNull(p.submitterName), bindOrNull(p.submitterEmail),
                bindOrNull(p.phone?.ciphertext), bindOrNull(p.phone?.blindIndex), bindOrNull(p.phone?.masked), bindOrNull(p.deviceID),
                bindOrNull(p.clientAccountID), bindOrNull(p.clientName), SQLBind(CaseState.reported.rawValue), SQLBind(p.now),
                SQLBind(CivilDate(p.now, in: .shanghai).iso8601), SQLBind(p.now), SQLBind(0), SQLBind(0), SQLBind(0), SQLBind(0), SQLBind(0),
                SQLBind(false), SQLBind(1)
            )
            .run()
    }

    /// Writes transition 1 (`report`, to `reported`) of the prepared case `p`.
    static func insertReportTransition(_ p: CasesService.Prepared, on db: any Database) async throws {
        try await db.sql.insert(into: "case_transitions")
            .columns("id", "case_id", "seq", "action", "from_state", "to_state", "actor_id", "actor_name", "actor_role", "reason", "at")
            .values(
                SQLBind(UUID()), SQLBind(p.id), SQLBind(1), SQLBind("report"), SQLLiteral.null, SQLBind(CaseState.reported.rawValue),
                bindOrNull(p.actorID), SQLBind(p.actorName), SQLBind(p.actorRole), SQLBind(p.channel.nameZH), SQLBind(p.now)
            )
            .run()
    }
}
