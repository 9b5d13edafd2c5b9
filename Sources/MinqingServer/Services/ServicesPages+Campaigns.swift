import Fluent
import Foundation
import MinqingDomain
import Vapor

/// The campaign page `/services/campaigns/{id}`: a resident fills in a registration form once
/// (or sees their answers, numbers masked); staff see the live counts per choice in their scope
/// and export the entries as CSV (masked, or plain with a stated purpose where the role may).
extension ServicesPages {
    func bootCampaigns(_ pages: any RoutesBuilder) {
        pages.grouped(RequireRole(ServicesController.staff.union([.resident]))).get("campaigns", ":id", use: campaign)
        pages.grouped(RequireRole(.resident)).post("campaigns", ":id", "entries", use: submitEntry)
    }

    @Sendable func campaign(req: Request) async throws -> Response {
        try await renderCampaign(req, id: try ServicesController.id(req), error: nil, values: [:])
    }

    func renderCampaign(_ req: Request, id: UUID, error: AppError?, values: [String: String]) async throws -> Response {
        let actor = try req.requireActor()
        let head = try await CampaignFormService.head(id, for: actor, on: req.db)
        var model = ServicesViews.CampaignModel(id: id, kind: head.kind, title: head.title, description: head.description ?? "",
                                                status: head.status, staff: actor.role.isGridStaff,
                                                mayReveal: actor.role.mayRevealPersonalNumbers, error: error, values: values,
                                                flash: req.query[String.self, at: "done"])
        switch CampaignKind(rawValue: head.kind) {
        case .registration: model.form = try await CampaignFormService.view(id, for: actor, on: req.db)
        default: model.figures = try await CampaignService.figures(id, for: actor, on: req.db)
        }
        return ServicesViews.campaign(model, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    /// The form's inputs are `f_<field id>` (one value) or `f_<field id>_<n>` (the n-th option of
    /// a multiple choice, ticked).
    static func answers(_ form: [String: String]) -> [String: [String]] {
        var answers: [String: [String]] = [:]
        for (key, value) in form where key.hasPrefix("f_") {
            let rest = key.dropFirst(2)
            let parts = rest.split(separator: "_", maxSplits: 1)
            answers[String(parts[0]), default: []].append(value)
        }
        return answers
    }

    @Sendable func submitEntry(req: Request) async throws -> Response {
        let id = try ServicesController.id(req)
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        do {
            _ = try await CampaignFormService.submit(id, Self.answers(form), writer: try ServicesController.writer(req),
                                                     vault: req.services.vault, on: req.db)
            return req.redirect(to: "/services/campaigns/\(id.uuidString)?done=registered", redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await renderCampaign(req, id: id, error: error, values: form)
        }
    }
}
