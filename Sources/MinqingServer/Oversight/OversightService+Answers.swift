import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// A property company answers for itself (issue 21): its account reports what it did about an
/// open rectification — the subdistrict's staff read the report and close the rectification with
/// the close route they have — and replies to a complaint linked to it. Only a property-company
/// account, only for the company its account is linked to (`OversightQueries.companyReach`); any
/// other company's rows are 404, as when reading.
extension OversightService {
    static let rectificationNotFound = AppError.notFound("整改不存在或不在您的范围内", "No such rectification in your scope")
    static let complaintNotFound = AppError.notFound("投诉不存在或不在您的范围内", "No such complaint in your scope")

    /// Whether `company` is the one the writer's property-company account speaks for.
    static func speaksFor(_ company: UUID?, writer: WriteContext, on db: any Database) async throws -> Bool {
        guard let company else { return false }
        return try await OversightQueries.company(company, reach: OversightQueries.companyReach(writer.actor), now: writer.now, on: db) != nil
    }

    /// The company's report on its open rectification `id`: what was done (required, at most 2000
    /// characters) and the day it was done (default today, never in the future). 409 when the
    /// rectification is closed already (the insert is conditional on it being open).
    static func answerRectification(_ id: UUID, _ input: RectificationAnswerInput, writer: WriteContext, on db: any Database) async throws
        -> UUID
    {
        guard writer.actor.role == .propertyCompany else { throw AppError.forbidden }
        guard try await speaksFor(try await OversightQueries.rectificationCompany(id, on: db), writer: writer, on: db) else {
            throw rectificationNotFound
        }
        var errors: [FieldError] = []
        let checkedBody = try collect(&errors) { try text(input.body, "body", T("整改情况", "what was done"), max: 2000) }
        let checkedDay = try collect(&errors) { try date(input.done_on, "done_on", default: writer.today.iso8601) }
        if let day = checkedDay, day > writer.today.iso8601 {
            errors.append(FieldError(field: "done_on", messageZH: "完成日期不能晚于今天", messageEN: "The day it was done cannot be in the future"))
        }
        guard errors.isEmpty, let body = checkedBody, let day = checkedDay, day <= writer.today.iso8601 else {
            throw AppError.validation(errors)
        }
        let answerID = UUID()
        try await db.write { db in
            guard
                try await OversightQueries.insertRectificationAnswer(
                    id: answerID, rectification: id, body: body, doneOn: day, writer: writer, on: db)
            else {
                throw AppError.conflict("该整改已销号，无需再报告", "This rectification is closed already; there is nothing to report")
            }
            try await audit("oversight.rectification_answered", writer, type: "rectification", id: id, detail: ["done_on": day], on: db)
        }
        return answerID
    }

    /// The company's reply to complaint `id` (required, at most 2000 characters); a later reply adds
    /// to the earlier ones.
    static func answerComplaint(_ id: UUID, _ input: ComplaintAnswerInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        guard writer.actor.role == .propertyCompany else { throw AppError.forbidden }
        guard let company = try await OversightQueries.complaintCompany(id, on: db), try await speaksFor(company, writer: writer, on: db) else {
            throw complaintNotFound
        }
        let body = try text(input.body, "body", T("答复", "the reply"), max: 2000)
        let answerID = UUID()
        try await db.write { db in
            try await OversightQueries.insertComplaintAnswer(id: answerID, complaint: id, company: company, body: body, writer: writer, on: db)
            try await audit(
                "oversight.complaint_answered", writer, type: "property_company", id: company, detail: ["complaint": id.uuidString], on: db)
        }
        return answerID
    }
}
