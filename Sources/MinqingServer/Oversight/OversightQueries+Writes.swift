import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// The statements behind `OversightService`'s company writes: companies, contracts, the credit
/// ledger, inspections, rectifications, surveys and complaints. The service checks, decides and
/// audits; these read and write on the `db` they are given (inside its transaction where it has one).
extension OversightQueries {
    /// The subdistrict node with `code` when it lies in `scope`.
    static func subdistrictNode(code: String, in scope: GridScope, on db: any Database) async throws -> UUID? {
        struct Node: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            SELECT n.id FROM grid_nodes n WHERE n.code = \(bind: code) AND n.level = 'subdistrict' AND \(scope.contains(SQLColumn("id", table: "n")))
            """
        ).first(decoding: Node.self)?.id
    }

    /// Writes a property company unless its licence code is registered already; whether it was written.
    static func insertCompany(
        id: UUID, subdistrict: UUID, name: String, licence: String, manager: String, writer: WriteContext,
        on db: any Database
    ) async throws -> Bool {
        struct Row: Decodable { var id: UUID }
        let inserted = try await db.sql.raw(
            """
            INSERT INTO property_companies (id, subdistrict_id, name, licence_code, manager_name, created_at)
            VALUES (\(bind: id), \(bind: subdistrict), \(bind: name), \(bind: licence), \(bind: manager), \(bind: writer.now))
            ON CONFLICT (licence_code) DO NOTHING RETURNING id
            """
        ).first(decoding: Row.self)
        return inserted != nil
    }

    /// Appends entry `id` to the company's credit ledger.
    static func insertCreditEntry(id: UUID, _ entry: CreditEntry, company: UUID, sourceID: UUID?, writer: WriteContext, on db: any Database)
        async throws
    {
        try await db.sql.insert(into: "credit_entries")
            .columns(
                "id", "company_id", "points", "rule_code", "reason_zh", "reason_en", "entry_date", "source", "source_id", "recorded_by", "created_at"
            )
            .values(
                SQLBind(id), SQLBind(company), SQLBind(entry.points), SQLBind(entry.ruleCode), SQLBind(entry.reasonZH), SQLBind(entry.reasonEN),
                SQLBind(entry.date), SQLBind(entry.source.rawValue), bindOrNull(sourceID), SQLBind(writer.actor.username), SQLBind(writer.now)
            )
            .run()
    }

    /// Compound `compound` when it is visible in `scope` (`CompoundQueries.visible`).
    static func visibleCompound(_ compound: UUID, in scope: GridScope, on db: any Database) async throws -> UUID? {
        struct C: Decodable { var id: UUID }
        return try await db.sql.raw("SELECT c.id FROM compounds c WHERE c.id = \(bind: compound) AND \(CompoundQueries.visible(scope))")
            .first(decoding: C.self)?.id
    }

    /// Writes a contract of the company for a compound.
    static func insertContract(
        id: UUID, company companyID: UUID, compound: UUID, starts: String, ends: String, fee: Int, writer: WriteContext,
        on db: any Database
    ) async throws {
        try await db.sql.insert(into: "property_contracts").columns(
            "id", "company_id", "compound_id", "starts_on", "ends_on", "fee_fen_per_m2", "created_at"
        )
        .values(SQLBind(id), SQLBind(companyID), SQLBind(compound), SQLBind(starts), SQLBind(ends), SQLBind(fee), SQLBind(writer.now)).run()
    }

    struct ServedCompound: Decodable { var id: UUID; var grid_node_id: UUID; var subdistrict_id: UUID?; var name: String; var address: String }

    /// Compound `compoundID` when it is visible in `scope` and the company has a contract for it.
    static func servedCompound(_ compoundID: UUID, company companyID: UUID, in scope: GridScope, on db: any Database) async throws -> ServedCompound?
    {
        try await db.sql.raw(
            """
            SELECT c.id, c.grid_node_id, c.subdistrict_id, c.name, c.address FROM compounds c
            WHERE c.id = \(bind: compoundID) AND \(CompoundQueries.visible(scope))
              AND EXISTS (SELECT 1 FROM property_contracts k WHERE k.company_id = \(bind: companyID) AND k.compound_id = c.id)
            """
        ).first(decoding: ServedCompound.self)
    }

    /// Writes an open rectification of the company, opened on `openedOn` and due on `dueOn`.
    static func insertRectification(
        id: UUID, company companyID: UUID, reasonZH: String, reasonEN: String, openedOn day: String, dueOn due: String,
        writer: WriteContext, on db: any Database
    ) async throws {
        try await db.sql.insert(into: "rectifications")
            .columns("id", "company_id", "reason_zh", "reason_en", "opened_on", "due_on", "status", "created_at")
            .values(
                SQLBind(id), SQLBind(companyID), SQLBind(reasonZH), SQLBind(reasonEN),
                SQLBind(day), SQLBind(due), SQLBind("open"), SQLBind(writer.now)
            ).run()
    }

    /// Writes an inspection of the company at `compound` with the ids of what it produced.
    static func insertCompanyInspection(
        id inspectionID: UUID, company companyID: UUID, compound: ServedCompound, day: String, outcome: InspectionOutcome,
        finding: String, category: String?, caseID: UUID?, creditID: UUID, rectificationID: UUID?,
        writer: WriteContext, on db: any Database
    ) async throws {
        try await db.sql.insert(into: "oversight_inspections")
            .columns(
                "id", "subdistrict_id", "grid_node_id", "company_id", "compound_id", "shop_id", "inspected_on", "outcome", "finding",
                "category_code", "case_id", "credit_entry_id", "rectification_id", "inspector_id", "inspector_name", "created_at"
            )
            .values(
                SQLBind(inspectionID), bindOrNull(compound.subdistrict_id), SQLBind(compound.grid_node_id), SQLBind(companyID),
                SQLBind(compound.id), SQLLiteral.null, SQLBind(day), SQLBind(outcome.rawValue), SQLBind(finding), bindOrNull(category),
                bindOrNull(caseID), SQLBind(creditID), bindOrNull(rectificationID), SQLBind(writer.actor.accountID),
                SQLBind(writer.actor.displayName), SQLBind(writer.now)
            ).run()
    }

    struct SurveyedCompound: Decodable { var id: UUID; var name: String }

    /// Compound `compoundID` (id and name) when it is visible in `scope` and the company has a contract for it.
    static func surveyedCompound(_ compoundID: UUID, company companyID: UUID, in scope: GridScope, on db: any Database) async throws
        -> SurveyedCompound?
    {
        try await db.sql.raw(
            """
            SELECT c.id, c.name FROM compounds c WHERE c.id = \(bind: compoundID) AND \(CompoundQueries.visible(scope))
              AND EXISTS (SELECT 1 FROM property_contracts k WHERE k.company_id = \(bind: companyID) AND k.compound_id = c.id)
            """
        ).first(decoding: SurveyedCompound.self)
    }

    /// Writes a satisfaction survey of the company at a compound.
    static func insertSurvey(
        id: UUID, company companyID: UUID, compound: UUID, day: String, respondents: Int, satisfied: Int, creditID: UUID?,
        writer: WriteContext, on db: any Database
    ) async throws {
        try await db.sql.insert(into: "satisfaction_surveys")
            .columns("id", "company_id", "compound_id", "surveyed_on", "respondents", "satisfied", "credit_entry_id", "recorded_by", "created_at")
            .values(
                SQLBind(id), SQLBind(companyID), SQLBind(compound), SQLBind(day), SQLBind(respondents), SQLBind(satisfied),
                bindOrNull(creditID), SQLBind(writer.actor.username), SQLBind(writer.now)
            ).run()
    }

    struct ComplaintCase: Decodable { var id: UUID; var number: String }

    /// Case `caseID` (id and number) when `CasesQueries.visible` holds for the actor.
    static func complaintCase(_ caseID: UUID, for actor: Actor, on db: any Database) async throws -> ComplaintCase? {
        try await db.sql.raw("SELECT c.id, c.number FROM cases c WHERE c.id = \(bind: caseID) AND \(CasesQueries.visible(actor))")
            .first(decoding: ComplaintCase.self)
    }

    /// Writes a complaint about the company unless the case is linked already; whether it was written.
    static func insertComplaint(id: UUID, company companyID: UUID, caseID: UUID, upheld: Bool, writer: WriteContext, on db: any Database) async throws
        -> Bool
    {
        struct Row: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            INSERT INTO company_complaints (id, company_id, case_id, upheld, recorded_by, created_at)
            VALUES (\(bind: id), \(bind: companyID), \(bind: caseID), \(bind: upheld), \(bind: writer.actor.username), \(bind: writer.now))
            ON CONFLICT (case_id) DO NOTHING RETURNING id
            """
        ).first(decoding: Row.self) != nil
    }

    /// Sets the credit entry a complaint produced.
    static func setComplaintCredit(_ id: UUID, creditID: UUID, on db: any Database) async throws {
        try await db.sql.raw("UPDATE company_complaints SET credit_entry_id = \(bind: creditID) WHERE id = \(bind: id)").run()
    }

    /// The company a rectification belongs to.
    static func rectificationCompany(_ id: UUID, on db: any Database) async throws -> UUID? {
        struct R: Decodable { var company_id: UUID }
        return try await db.sql.raw("SELECT company_id FROM rectifications WHERE id = \(bind: id)").first(decoding: R.self)?.company_id
    }

    struct ClosedRectification: Decodable { var company_id: UUID; var due_on: String; var reason_zh: String }

    /// Completes an open rectification on `day` with a note; the closed row, nil when it was not open.
    static func completeRectification(
        _ id: UUID, closedOn day: String, note: String, writer: WriteContext,
        on db: any Database
    ) async throws -> ClosedRectification? {
        try await db.sql.raw(
            """
            UPDATE rectifications SET status = 'completed', closed_on = \(bind: day), closing_note = \(bind: note), closed_by = \(bind: writer.actor.username)
            WHERE id = \(bind: id) AND status = 'open' RETURNING company_id, due_on, reason_zh
            """
        ).first(decoding: ClosedRectification.self)
    }
}
