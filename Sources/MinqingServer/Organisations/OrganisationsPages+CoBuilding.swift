import Fluent
import Foundation
import MinqingDomain
import Plot
import Vapor

/// A unit's co-building file (`/cobuilding/units/{id}`) and its forms: an item of a list
/// (清单制), a contract with its commitments (契约制), a commitment's check, points under a
/// published rule (积分制). The managers' pages, as the API's; each write through the service the
/// API calls. Registered by `OrganisationsPages`.
struct CoBuildingPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let managers = routes.grouped(RequireSignIn()).grouped(RequireRole(OrganisationsQueries.managers))
        managers.get(.cobuilding(.unit(.key)), use: unitPage)
        managers.post(.cobuilding(.items(.key)), use: addItem)
        managers.post(.cobuilding(.contracts(.key)), use: createContract)
        managers.post(.cobuilding(.commitmentCheck(.key)), use: check)
        managers.post(.cobuilding(.points(.key)), use: award)
    }

    /// The unit of the path, when it is the caller's (404 otherwise, before any input is read).
    static func unit(_ req: Request, id: UUID? = nil) async throws -> UnitRow {
        guard let unit = try await OrganisationsQueries.unit(try id ?? req.pathID(), for: try req.requireActor(), on: req.db) else {
            throw OrganisationsService.unitNotFound
        }
        return unit
    }

    static func render(_ req: Request, unit: UnitRow, error: AppError?, failed: String? = nil, form: [String: String] = [:]) async throws
        -> Response
    {
        let actor = try req.requireActor()
        let model = OrganisationsViews.CoBuildingModel(
            file: try await OrganisationsQueries.coBuilding(unit, for: actor, on: req.db),
            registrations: try await OrganisationsQueries.registrations(for: actor, unit: unit.id, limit: 300, on: req.db),
            nodes: try await OrganisationsQueries.nodeChoices(
                for: actor, deepest: .residentialArea, limit: OrganisationsPages.nodeLimit, on: req.db),
            nodeLimit: OrganisationsPages.nodeLimit, error: error, failed: failed, form: form,
            flash: req.query[String.self, at: "done"], today: OrganisationsController.today(req).iso8601)
        return OrganisationsViews.coBuilding(model, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    static func done(_ req: Request, _ unit: UnitRow, _ what: String) -> Response {
        req.redirect(to: SiteURL.cobuilding(.unit(.value(unit.id))).path([("done", what)]), redirectType: .normal)
    }

    @Sendable func unitPage(req: Request) async throws -> Response {
        try await Self.render(req, unit: try await Self.unit(req), error: nil)
    }

    struct ItemForm: Content { var list_kind: String?; var title: String?; var detail: String?; var node: String? }

    @Sendable func addItem(req: Request) async throws -> Response {
        let unit = try await Self.unit(req)
        let f = try req.content.decode(ItemForm.self)
        do {
            _ = try await OrganisationsService.addItem(
                CoBuildItemInput(service_unit_id: unit.id, list_kind: f.list_kind, title: f.title, detail: f.detail, node: f.node),
                writer: try ServicesController.writer(req), on: req.db)
            return Self.done(req, unit, "item")
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await Self.render(req, unit: unit, error: error, failed: "item", form: OrganisationsViews.values(f))
        }
    }

    /// The contract and `OrganisationsViews.commitmentRows` commitment rows (`side_n`,
    /// `content_n`, `due_on_n`).
    struct ContractForm: Content {
        var title: String?; var node: String?; var starts_on: String?; var ends_on: String?
        var side_0: String?; var content_0: String?; var due_on_0: String?
        var side_1: String?; var content_1: String?; var due_on_1: String?
        var side_2: String?; var content_2: String?; var due_on_2: String?

        /// The rows filled in (what or by when), with the form's row number of each.
        var commitments: (rows: [Int], input: [CoBuildContractInput.Commitment]) {
            let all = [(side_0, content_0, due_on_0), (side_1, content_1, due_on_1), (side_2, content_2, due_on_2)]
            var rows: [Int] = [], input: [CoBuildContractInput.Commitment] = []
            for (n, row) in all.enumerated() {
                let content = (row.1 ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                let due = (row.2 ?? "").trimmingCharacters(in: .whitespaces)
                guard !content.isEmpty || !due.isEmpty else { continue }
                rows.append(n)
                input.append(CoBuildContractInput.Commitment(side: row.0, content: content, due_on: due.isEmpty ? nil : due))
            }
            return (rows, input)
        }
    }

    /// The service's `commitments[i]…` problems moved to the form's row of entry `i`; the
    /// contract's "no commitment" problem to the first row.
    static func onFormRows(_ error: AppError, rows: [Int]) -> AppError {
        var moved = error
        moved.fields = error.fields.map { (f: FieldError) -> FieldError in
            if f.field == "commitments" { return FieldError(field: "commitments[0]", messageZH: f.messageZH, messageEN: f.messageEN) }
            guard f.field.hasPrefix("commitments[") else { return f }
            let rest = f.field.dropFirst("commitments[".count)
            guard let close = rest.firstIndex(of: "]"), let i = Int(rest[..<close]), rows.indices.contains(i) else { return f }
            return FieldError(field: "commitments[\(rows[i])]" + rest[rest.index(after: close)...], messageZH: f.messageZH, messageEN: f.messageEN)
        }
        return moved
    }

    @Sendable func createContract(req: Request) async throws -> Response {
        let unit = try await Self.unit(req)
        let f = try req.content.decode(ContractForm.self)
        let (rows, commitments) = f.commitments
        do {
            _ = try await OrganisationsService.createContract(
                CoBuildContractInput(
                    service_unit_id: unit.id, node: f.node, title: f.title, starts_on: f.starts_on, ends_on: f.ends_on, commitments: commitments),
                writer: try ServicesController.writer(req), on: req.db)
            return Self.done(req, unit, "contract")
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await Self.render(
                req, unit: unit, error: Self.onFormRows(error, rows: rows), failed: "contract", form: OrganisationsViews.values(f))
        }
    }

    /// `delivered`: `true` or `false`, the button pressed.
    struct CheckForm: Content { var delivered: String? }

    @Sendable func check(req: Request) async throws -> Response {
        let id = try req.pathID()
        guard let commitment = try await OrganisationsQueries.commitment(id, actor: try req.requireActor(), on: req.db) else {
            throw AppError.notFound("承诺不存在或不在您的管辖范围内", "No such commitment in your scope")
        }
        let unit = try await Self.unit(req, id: commitment.service_unit_id)
        let answer = try req.content.decode(CheckForm.self).delivered
        do {
            guard let delivered = answer.flatMap({ Bool($0) }) else {
                throw AppError.validation("delivered", zh: "请选择“已兑现”或“未兑现”", en: "Choose delivered or missed")
            }
            try await OrganisationsService.checkCommitment(id, delivered: delivered, writer: try ServicesController.writer(req), on: req.db)
            return Self.done(req, unit, "checked")
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await Self.render(req, unit: unit, error: error, failed: "check")
        }
    }

    struct PointsForm: Content {
        var registration_id: String?; var rule: String?; var quantity: String?; var reason: String?; var earned_on: String?
    }

    /// Points to the unit, or to the registered member chosen.
    @Sendable func award(req: Request) async throws -> Response {
        let unit = try await Self.unit(req)
        let f = try req.content.decode(PointsForm.self)
        let member = OrganisationsPages.optionalID(f.registration_id)
        let rawQuantity = (f.quantity ?? "").trimmingCharacters(in: .whitespaces)
        do {
            try await OrganisationsService.awardPoints(
                PointsInput(
                    service_unit_id: member == nil ? unit.id : nil, registration_id: member, rule: f.rule,
                    // Not a whole number: 0, which the rule refuses with its sentence on the field.
                    quantity: rawQuantity.isEmpty ? nil : (Int(rawQuantity) ?? 0), reason: f.reason, earned_on: f.earned_on),
                writer: try ServicesController.writer(req), on: req.db)
            return Self.done(req, unit, "points")
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await Self.render(req, unit: unit, error: error, failed: "points", form: OrganisationsViews.values(f))
        }
    }
}
