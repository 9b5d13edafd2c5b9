import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// The statements behind `OversightService+Committees`: owners' committees, their members, records
/// and disclosures; shops, pledges and shop inspections; compound checklists.
extension OversightQueries {
    struct CompoundRef: Decodable { var id: UUID; var subdistrict_id: UUID?; var compound_type: String }

    /// Compound `id` (with its subdistrict and type) when it is visible in `scope`.
    static func compoundRef(_ id: UUID, in scope: GridScope, on db: any Database) async throws -> CompoundRef? {
        try await db.sql.raw(
            """
            SELECT c.id, c.subdistrict_id, c.compound_type FROM compounds c WHERE c.id = \(bind: id) AND \(CompoundQueries.visible(scope))
            """
        ).first(decoding: CompoundRef.self)
    }

    /// Writes an active owners' committee of a compound unless it has one; whether it was written.
    static func insertCommittee(
        id: UUID, subdistrict: UUID?, compound: UUID, elected: String, ends: String, writer: WriteContext,
        on db: any Database
    ) async throws -> Bool {
        struct Row: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            INSERT INTO owners_committees (id, subdistrict_id, compound_id, elected_on, term_ends_on, status, created_at)
            VALUES (\(bind: id), \(bind: subdistrict), \(bind: compound), \(bind: elected), \(bind: ends), 'active', \(bind: writer.now))
            ON CONFLICT (compound_id) DO NOTHING RETURNING id
            """
        ).first(decoding: Row.self) != nil
    }

    /// Person `person` when they lie in `scope` and live in `compound` (`livesIn`).
    static func residentOf(compound: UUID, person: UUID, in scope: GridScope, on db: any Database) async throws -> UUID? {
        struct P: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            SELECT p.id FROM persons p JOIN households h ON h.id = p.household_id LEFT JOIN dwellings d ON d.id = h.dwelling_id
            WHERE p.id = \(bind: person) AND \(scope.contains(SQLColumn("grid_node_id", table: "p")))
              AND \(OversightQueries.livesIn(compound: compound))
            """
        ).first(decoding: P.self)?.id
    }

    /// Writes a committee membership unless the person is a current member; whether it was written.
    static func insertCommitteeMember(
        id: UUID, committee committeeID: UUID, person: UUID, role: String, starts: String, ends: String,
        on db: any Database
    ) async throws -> Bool {
        struct Row: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            INSERT INTO committee_members (id, committee_id, person_id, role, term_starts_on, term_ends_on)
            SELECT \(bind: id), \(bind: committeeID), \(bind: person), \(bind: role), \(bind: starts), \(bind: ends)
            WHERE NOT EXISTS (SELECT 1 FROM committee_members m WHERE m.committee_id = \(bind: committeeID) AND m.person_id = \(bind: person)
                              AND m.ended_on IS NULL)
            RETURNING id
            """
        ).first(decoding: Row.self) != nil
    }

    /// How many members `member` the committee has (0 or 1).
    static func committeeMemberCount(_ member: UUID, committee committeeID: UUID, on db: any Database) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await db.sql.raw(
            """
            SELECT COUNT(*) AS n FROM committee_members WHERE id = \(bind: member) AND committee_id = \(bind: committeeID)
            """
        ).first(decoding: N.self)?.n ?? 0
    }

    /// Ends a serving member's term today; whether it changed (false: not serving).
    static func endCommitteeMember(_ member: UUID, committee committeeID: UUID, writer: WriteContext, on db: any Database) async throws -> Bool {
        struct Row: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            UPDATE committee_members SET ended_on = \(bind: writer.today.iso8601)
            WHERE id = \(bind: member) AND committee_id = \(bind: committeeID) AND ended_on IS NULL RETURNING id
            """
        ).first(decoding: Row.self) != nil
    }

    /// Writes a correction or exit record of the committee, dated today.
    static func insertCommitteeRecord(
        id: UUID, committee committeeID: UUID, kind: String, member: UUID?, reason: String, writer: WriteContext,
        on db: any Database
    ) async throws {
        try await db.sql.insert(into: "committee_records").columns(
            "id", "committee_id", "kind", "member_id", "reason", "recorded_on", "recorded_by", "created_at"
        )
        .values(
            SQLBind(id), SQLBind(committeeID), SQLBind(kind), bindOrNull(member), SQLBind(reason), SQLBind(writer.today.iso8601),
            SQLBind(writer.actor.username), SQLBind(writer.now)
        ).run()
    }

    /// Writes a disclosure of the committee to its compound, published today.
    static func insertDisclosure(
        id: UUID, committee committeeID: UUID, compound: UUID, kind: String, title: String, body: String, amountFen: Int64?,
        writer: WriteContext, on db: any Database
    ) async throws {
        try await db.sql.insert(into: "committee_disclosures")
            .columns("id", "committee_id", "compound_id", "kind", "title", "body", "amount_fen", "published_on", "published_by", "created_at")
            .values(
                SQLBind(id), SQLBind(committeeID), SQLBind(compound), SQLBind(kind), SQLBind(title), SQLBind(body),
                bindOrNull(amountFen), SQLBind(writer.today.iso8601), SQLBind(writer.actor.username), SQLBind(writer.now)
            ).run()
    }

    struct ShopNode: Decodable { var id: UUID; var subdistrict_id: UUID? }

    /// The grid node with `code` (and its subdistrict) when it lies in `scope`.
    static func shopNode(code: String, in scope: GridScope, on db: any Database) async throws -> ShopNode? {
        try await db.sql.raw(
            """
            SELECT n.id, n.subdistrict_id FROM grid_nodes n WHERE n.code = \(bind: code) AND \(scope.contains(SQLColumn("id", table: "n")))
            """
        ).first(decoding: ShopNode.self)
    }

    /// Writes a shop's file at `node`; the phone only sealed (cipher, blind index, mask).
    static func insertShop(
        id: UUID, node: ShopNode, name: String, licence: String, category: String, address: String, contact: String,
        sealed: SealedPII?, writer: WriteContext, on db: any Database
    ) async throws {
        try await db.sql.insert(into: "shops")
            .columns(
                "id", "subdistrict_id", "grid_node_id", "name", "licence_code", "category", "address", "contact_name",
                "phone_cipher", "phone_index", "phone_masked", "created_at"
            )
            .values(
                SQLBind(id), bindOrNull(node.subdistrict_id), SQLBind(node.id), SQLBind(name), SQLBind(licence), SQLBind(category),
                SQLBind(address), SQLBind(contact), bindOrNull(sealed?.ciphertext), bindOrNull(sealed?.blindIndex), bindOrNull(sealed?.masked),
                SQLBind(writer.now)
            ).run()
    }

    /// Writes a shop's signed pledge with its duties.
    static func insertPledge(id: UUID, shop shopID: UUID, day: String, duties: [String], signer: String, writer: WriteContext, on db: any Database)
        async throws
    {
        try await db.sql.insert(into: "shop_pledges").columns("id", "shop_id", "signed_on", "duties", "signed_by", "created_at")
            .values(SQLBind(id), SQLBind(shopID), SQLBind(day), SQLBind(duties.joined(separator: "；")), SQLBind(signer), SQLBind(writer.now)).run()
    }

    struct InspectedShop: Decodable { var id: UUID; var grid_node_id: UUID; var subdistrict_id: UUID?; var name: String; var address: String }

    /// Shop `shopID` (node, subdistrict, name, address) when its node lies in `scope`.
    static func inspectedShop(_ shopID: UUID, in scope: GridScope, on db: any Database) async throws -> InspectedShop? {
        try await db.sql.raw(
            """
            SELECT s.id, s.grid_node_id, s.subdistrict_id, s.name, s.address FROM shops s
            WHERE s.id = \(bind: shopID) AND \(scope.contains(SQLColumn("grid_node_id", table: "s")))
            """
        ).first(decoding: InspectedShop.self)
    }

    /// Writes an inspection of a shop, with the case it opened if any.
    static func insertShopInspection(
        id inspectionID: UUID, shop: InspectedShop, day: String, outcome: InspectionOutcome, finding: String, category: String?,
        caseID: UUID?, writer: WriteContext, on db: any Database
    ) async throws {
        try await db.sql.insert(into: "oversight_inspections")
            .columns(
                "id", "subdistrict_id", "grid_node_id", "shop_id", "inspected_on", "outcome", "finding", "category_code", "case_id",
                "inspector_id", "inspector_name", "created_at"
            )
            .values(
                SQLBind(inspectionID), bindOrNull(shop.subdistrict_id), SQLBind(shop.grid_node_id), SQLBind(shop.id), SQLBind(day),
                SQLBind(outcome.rawValue), SQLBind(finding), bindOrNull(category), bindOrNull(caseID), SQLBind(writer.actor.accountID),
                SQLBind(writer.actor.displayName), SQLBind(writer.now)
            ).run()
    }

    /// A shop's latest 50 inspections, newest first.
    static func shopInspections(_ shopID: UUID, on db: any Database) async throws -> [InspectionRow] {
        try await db.sql.raw(
            """
            SELECT i.id, i.inspected_on, i.outcome, i.finding, NULL AS compound_name, s.name AS shop_name, i.category_code, i.case_id,
                   cs.number AS case_number, i.credit_entry_id, i.rectification_id, i.inspector_name
            FROM oversight_inspections i JOIN shops s ON s.id = i.shop_id LEFT JOIN cases cs ON cs.id = i.case_id
            WHERE i.shop_id = \(bind: shopID) ORDER BY i.inspected_on DESC, i.created_at DESC LIMIT 50
            """
        ).all(decoding: InspectionRow.self)
    }

    /// Sets one measure of a compound's checklist, dated today (upsert on the compound and measure).
    static func upsertMeasure(compound: UUID, code: String, status: MeasureStatus, note: String, writer: WriteContext, on db: any Database)
        async throws
    {
        try await db.sql.raw(
            """
            INSERT INTO compound_measures (compound_id, measure_code, status, note, updated_on, updated_by)
            VALUES (\(bind: compound), \(bind: code), \(bind: status.rawValue), \(bind: note), \(bind: writer.today.iso8601), \(bind: writer.actor.username))
            ON CONFLICT (compound_id, measure_code) DO UPDATE SET status = excluded.status, note = excluded.note,
              updated_on = excluded.updated_on, updated_by = excluded.updated_by
            """
        ).run()
    }
}
