import Foundation
import MinqingDomain
import Vapor

/// The company's own account answers on its credit-file page: its report on an open rectification
/// and its reply to a complaint, through the same service as the JSON API (PRG; a failed form
/// comes back under its rectification or complaint as it was typed, each problem beside its field).
extension OversightPages {
    struct RectificationAnswerForm: Content { var body: String?; var done_on: String? }
    struct ComplaintAnswerForm: Content { var body: String? }

    @Sendable func answerRectification(req: Request) async throws -> Response {
        let id = try req.pathID(notFound: OversightService.rectificationNotFound)
        let form = try req.content.decode(RectificationAnswerForm.self)
        let company = try await OversightQueries.rectificationCompany(id, on: req.db)
        return try await submit(
            req, form: "answer-\(id.uuidString)", to: Self.companyPath(company ?? id, done: "answered") + "#rectification-\(id.uuidString)",
            rerender: { posted in
                guard let company else { throw OversightService.rectificationNotFound }
                return try await renderCompany(req, id: company, posted: posted)
            }
        ) {
            _ = try await OversightService.answerRectification(
                id, RectificationAnswerInput(body: form.body, done_on: form.done_on), writer: try OversightController.writer(req), on: req.db)
        }
    }

    @Sendable func answerComplaint(req: Request) async throws -> Response {
        let id = try req.pathID(notFound: OversightService.complaintNotFound)
        let form = try req.content.decode(ComplaintAnswerForm.self)
        let company = try await OversightQueries.complaintCompany(id, on: req.db)
        return try await submit(
            req, form: "reply-\(id.uuidString)", to: Self.companyPath(company ?? id, done: "complaint_answered") + "#complaint-\(id.uuidString)",
            rerender: { posted in
                guard let company else { throw OversightService.complaintNotFound }
                return try await renderCompany(req, id: company, posted: posted)
            }
        ) {
            _ = try await OversightService.answerComplaint(
                id, ComplaintAnswerInput(body: form.body), writer: try OversightController.writer(req), on: req.db)
        }
    }
}
