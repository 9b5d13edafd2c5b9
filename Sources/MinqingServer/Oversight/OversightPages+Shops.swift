import Foundation
import MinqingDomain
import Vapor

/// 一店一档 pages: the shops in scope with the registration form, a shop's file with its 门责制
/// pledge form and the inspection form whose finding becomes a case, as the company inspection does.
extension OversightPages {
    struct ShopForm: Content {
        var name: String?; var licence_code: String?; var category: String?; var address: String?; var contact_name: String?; var phone: String?
        var node: String?
    }
    struct PledgeForm: Content { var signed_by: String?; var signed_on: String?; var duties: String? }
    struct ShopInspectForm: Content { var outcome: String?; var finding: String?; var case_category: String?; var inspected_on: String? }

    static let shopsPerPage = 50

    @Sendable func shops(req: Request) async throws -> Response {
        try await renderShops(req, posted: nil)
    }

    func renderShops(_ req: Request, posted: OversightViews.Posted?) async throws -> Response {
        let actor = try req.requireActor()
        let search = req.query[String.self, at: "q"]?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        let page = RegistryPages.pageNumber(req)
        let result = try await OversightQueries.shops(
            in: actor.scope, search: search, limit: Self.shopsPerPage,
            offset: (page - 1) * Self.shopsPerPage, on: req.db)
        let model = OversightViews.ShopsModel(
            rows: result.rows, total: result.total, page: page, perPage: Self.shopsPerPage, search: search,
            defaultNode: actor.scope.rootCode, posted: posted, flash: req.query[String.self, at: "done"])
        return OversightViews.shops(model, ctx: req.pageContext)
    }

    /// Registers a shop's file; a failed form comes back as it was typed, the phone too (it goes
    /// back only to the person who typed it, and only the sealed number is ever stored).
    @Sendable func registerShop(req: Request) async throws -> Response {
        let form = try req.content.decode(ShopForm.self)
        do {
            let id = try await OversightService.registerShop(
                ShopInput(
                    name: form.name, licence_code: form.licence_code, category: form.category,
                    address: form.address, contact_name: form.contact_name, phone: form.phone,
                    node: form.node),
                writer: try OversightController.writer(req), vault: req.services.vault, on: req.db)
            return req.redirect(to: SiteURL.oversight(.shop(.value(id))).path([("done", "shop")]), redirectType: .normal)
        } catch let error as AppError where error.status == .unprocessableEntity || error.status == .conflict {
            return try await renderShops(req, posted: Self.posted(req, form: "shop", error: error))
        }
    }

    @Sendable func shop(req: Request) async throws -> Response {
        try await renderShop(req, id: try req.pathID(), posted: nil)
    }

    func renderShop(_ req: Request, id: UUID, posted: OversightViews.Posted?) async throws -> Response {
        let actor = try req.requireActor()
        guard let shop = try await OversightQueries.shop(id, in: actor.scope, on: req.db) else { throw OversightService.shopNotFound }
        let model = OversightViews.ShopModel(
            shop: shop, inspections: try await OversightQueries.shopInspections(id, on: req.db),
            categories: try await CasesQueries.categories(on: req.db), posted: posted,
            flash: req.query[String.self, at: "done"])
        return OversightViews.shop(model, ctx: req.pageContext)
    }

    /// Duties typed one a line (or separated by 、；;), default the four of 门责制.
    @Sendable func pledge(req: Request) async throws -> Response {
        let id = try req.pathID()
        let form = try req.content.decode(PledgeForm.self)
        let duties = (form.duties ?? "").split(whereSeparator: { "\n\r；;、".contains($0) })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return try await submit(
            req, form: "pledge", to: SiteURL.oversight(.shop(.value(id))).path([("done", "pledged")]),
            rerender: { try await renderShop(req, id: id, posted: $0) }
        ) {
            _ = try await OversightService.pledge(
                id, PledgeInput(signed_on: form.signed_on, duties: duties.isEmpty ? nil : duties, signed_by: form.signed_by),
                writer: try OversightController.writer(req), on: req.db)
        }
    }

    @Sendable func inspectShop(req: Request) async throws -> Response {
        let id = try req.pathID()
        let form = try req.content.decode(ShopInspectForm.self)
        return try await submit(
            req, form: "shop-inspection", to: SiteURL.oversight(.shop(.value(id))).path([("done", "inspected")]),
            rerender: { try await renderShop(req, id: id, posted: $0) }
        ) {
            _ = try await OversightService.inspectShop(
                id,
                InspectionInput(
                    compound_id: nil, outcome: form.outcome, finding: form.finding,
                    case_category: form.case_category, inspected_on: form.inspected_on),
                writer: try OversightController.writer(req), on: req.db)
        }
    }
}
