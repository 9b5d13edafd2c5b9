import Foundation
import MinqingDomain
import Vapor

/// A compound's page (its checklist with a form per measure, its owners' committee or the form
/// that records one) and the committee page's member and record forms.
extension OversightPages {
    struct MeasureForm: Content { var status: String?; var note: String? }
    struct CommitteeForm: Content { var compound_id: String?; var elected_on: String?; var term_ends_on: String? }
    struct MemberForm: Content { var person_id: String?; var role: String?; var term_starts_on: String?; var term_ends_on: String? }
    struct RecordForm: Content { var kind: String?; var member_id: String?; var reason: String? }

    static let compoundMissing = AppError.notFound("小区不存在或不在您的范围内", "No such compound in your scope")

    @Sendable func compound(req: Request) async throws -> Response {
        try await renderCompound(req, id: try req.pathID(), posted: nil)
    }

    func renderCompound(_ req: Request, id: UUID, posted: OversightViews.Posted?) async throws -> Response {
        let actor = try req.requireActor()
        guard let checklist = try await OversightQueries.checklists(in: actor.scope, compound: id, on: req.db).first else {
            throw Self.compoundMissing
        }
        let committee = try await OversightQueries.committee(ofCompound: id, for: actor, on: req.db)
        return OversightViews.compound(
            checklist, committee: committee, ctx: req.pageContext, posted: posted, flash: req.query[String.self, at: "done"])
    }

    @Sendable func setMeasure(req: Request) async throws -> Response {
        let id = try req.pathID()
        let code = req.parameters.get("measure") ?? ""
        let form = try req.content.decode(MeasureForm.self)
        return try await submit(
            req, form: "m-\(code)", to: SiteURL.oversight(.compound(.value(id))).path([("done", "measure")]) + "#measure-\(code)",
            rerender: { try await renderCompound(req, id: id, posted: $0) }
        ) {
            _ = try await OversightService.setMeasure(
                id, code: code, MeasureInput(status: form.status, note: form.note),
                writer: try OversightController.writer(req), on: req.db)
        }
    }

    /// Records a compound's owners' committee from the compound page; then opens the committee.
    @Sendable func createCommittee(req: Request) async throws -> Response {
        let form = try req.content.decode(CommitteeForm.self)
        let compound = Self.chosen(form.compound_id)
        do {
            let id = try await OversightService.createCommittee(
                CommitteeInput(compound_id: compound, elected_on: form.elected_on, term_ends_on: form.term_ends_on),
                writer: try OversightController.writer(req), on: req.db)
            return req.redirect(to: SiteURL.oversight(.committee(.value(id))).path([("done", "committee")]), redirectType: .normal)
        } catch let error as AppError where error.status == .unprocessableEntity || error.status == .conflict {
            // Back on the compound's page when the caller sees it; otherwise the error page.
            guard let compound,
                try await OversightQueries.checklists(in: try req.requireActor().scope, compound: compound, on: req.db).first != nil
            else { throw error }
            return try await renderCompound(req, id: compound, posted: Self.posted(req, form: "committee", error: error))
        }
    }

    @Sendable func addMember(req: Request) async throws -> Response {
        let id = try req.pathID()
        let form = try req.content.decode(MemberForm.self)
        return try await submit(
            req, form: "member", to: SiteURL.oversight(.committee(.value(id))).path([("done", "member")]),
            rerender: { try await renderCommittee(req, id: id, posted: $0) }
        ) {
            _ = try await OversightService.addMember(
                id,
                MemberInput(
                    person_id: Self.chosen(form.person_id), role: form.role, term_starts_on: form.term_starts_on,
                    term_ends_on: form.term_ends_on),
                writer: try OversightController.writer(req), on: req.db)
        }
    }

    /// A correction or an exit; the member select is optional (blank for a correction).
    @Sendable func addRecord(req: Request) async throws -> Response {
        let id = try req.pathID()
        let form = try req.content.decode(RecordForm.self)
        return try await submit(
            req, form: "record", to: SiteURL.oversight(.committee(.value(id))).path([("done", "record")]),
            rerender: { try await renderCommittee(req, id: id, posted: $0) }
        ) {
            var member: UUID?
            if let text = form.member_id?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
                guard let parsed = UUID(uuidString: text) else { throw AppError.validation("member_id", zh: "请选择成员", en: "Choose the member") }
                member = parsed
            }
            _ = try await OversightService.addRecord(
                id, CommitteeRecordInput(kind: form.kind, member_id: member, reason: form.reason),
                writer: try OversightController.writer(req), on: req.db)
        }
    }
}
