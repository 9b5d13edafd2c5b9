import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// A property company's answers to its rectifications and complaints (`company_answers`): the
/// reads put the caller's reach on the company (`companyReach`) in the WHERE clause; the writes
/// run in `OversightService`'s transaction.
extension OversightQueries {
    /// The answers of company `company` that `actor` may read, oldest first, each with the display
    /// name and role of the account that wrote it.
    static func companyAnswers(_ company: UUID, for actor: Actor, on db: any Database) async throws -> [CompanyAnswerRow] {
        try await db.sql.raw(
            """
            SELECT ca.id, ca.rectification_id, ca.complaint_id, ca.body, ca.done_on, ca.answered_on,
                   a.display_name AS answered_by, a.role AS answered_by_role
            FROM company_answers ca JOIN accounts a ON a.id = ca.account_id
            WHERE ca.company_id = \(bind: company) AND ca.company_id IN (SELECT pc.id FROM property_companies pc WHERE \(companyReach(actor)))
            ORDER BY ca.created_at, ca.id
            """
        ).all(decoding: CompanyAnswerRow.self)
    }

    /// The company a complaint is about.
    static func complaintCompany(_ id: UUID, on db: any Database) async throws -> UUID? {
        struct Row: Decodable { var company_id: UUID }
        return try await db.sql.raw("SELECT company_id FROM company_complaints WHERE id = \(bind: id)").first(decoding: Row.self)?.company_id
    }

    /// Writes the company's report on rectification `rectification` while it is open (one
    /// statement: a closed one writes nothing); whether it was written.
    static func insertRectificationAnswer(
        id: UUID, rectification: UUID, body: String, doneOn: String, writer: WriteContext, on db: any Database
    ) async throws -> Bool {
        struct Row: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            INSERT INTO company_answers (id, company_id, rectification_id, body, done_on, answered_on, account_id, created_at)
            SELECT \(bind: id), r.company_id, r.id, \(bind: body), \(bind: doneOn), \(bind: writer.today.iso8601),
                   \(bind: writer.actor.accountID), \(bind: writer.now)
            FROM rectifications r WHERE r.id = \(bind: rectification) AND r.status = 'open'
            RETURNING id
            """
        ).first(decoding: Row.self) != nil
    }

    /// Writes the company's reply to complaint `complaint` of company `company`.
    static func insertComplaintAnswer(
        id: UUID, complaint: UUID, company: UUID, body: String, writer: WriteContext, on db: any Database
    ) async throws {
        try await db.sql.insert(into: "company_answers")
            .columns("id", "company_id", "complaint_id", "body", "answered_on", "account_id", "created_at")
            .values(
                SQLBind(id), SQLBind(company), SQLBind(complaint), SQLBind(body), SQLBind(writer.today.iso8601),
                SQLBind(writer.actor.accountID), SQLBind(writer.now)
            )
            .run()
    }
}
