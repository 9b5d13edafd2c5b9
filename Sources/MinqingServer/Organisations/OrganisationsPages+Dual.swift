import Fluent
import Foundation
import MinqingDomain
import Plot
import Vapor

/// The 双报到 pages' handlers (registered by `OrganisationsPages.boot`): a member's phone page
/// (register, claim, record service) and, for staff, the units and registrations; the unit report.
extension OrganisationsPages {
    @Sendable func dualHome(req: Request) async throws -> Response { try await renderDual(req, error: nil) }

    func renderDual(_ req: Request, error: AppError?, form: [String: String] = [:]) async throws -> Response {
        let actor = try req.requireActor()
        var model = OrganisationsViews.DualModel(
            member: OrganisationsQueries.selfRegistering.contains(actor.role), registration: nil, posts: [],
            claimed: [], records: [], units: try await OrganisationsQueries.units(for: actor, on: req.db),
            registrations: [], error: error, flash: req.query[String.self, at: "done"],
            today: OrganisationsController.today(req).iso8601, form: form)
        if model.member {
            model.registration = try await OrganisationsQueries.ownRegistration(actor, on: req.db)
            if let reg = model.registration {
                model.posts = try await OrganisationsQueries.posts(for: actor, node: nil, kind: nil, limit: 200, on: req.db)
                model.claimed = try await OrganisationsQueries.claimedPosts(of: reg.id, on: req.db)
                model.records = try await OrganisationsQueries.serviceRecords(of: reg.id, limit: 100, on: req.db)
            }
        } else {
            model.registrations = try await OrganisationsQueries.registrations(for: actor, unit: nil, limit: 300, on: req.db)
        }
        return OrganisationsViews.dual(model, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    struct RegisterForm: Content { var service_unit_id: String?; var shows_identity: String? }
    struct ClaimForm: Content { var post_id: String? }
    /// `minutes` as typed: a number field still sends text, and text that is not a number is a
    /// sentence beside the field, not a refused request.
    struct ServiceForm: Content { var served_on: String?; var minutes: String?; var description: String?; var post_id: String? }

    func dualAction(_ req: Request, done: String, form: [String: String], _ body: () async throws -> Void) async throws -> Response {
        do {
            try await body()
            return req.redirect(to: SiteURL.dual(.index).path([("done", done)]), redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .conflict, .notFound].contains(error.status) {
            return try await renderDual(req, error: error, form: form)
        }
    }

    static func ownRegistration(_ req: Request) async throws -> UUID {
        guard let reg = try await OrganisationsQueries.ownRegistration(try req.requireActor(), on: req.db) else {
            throw AppError.conflict("请先到社区报到", "Register with your community first")
        }
        return reg.id
    }

    @Sendable func register(req: Request) async throws -> Response {
        let f = try req.content.decode(RegisterForm.self)
        return try await dualAction(req, done: "registered", form: OrganisationsViews.values(f)) {
            _ = try await OrganisationsService.register(
                DualRegistrationInput(
                    service_unit_id: Self.optionalID(f.service_unit_id),
                    shows_identity: f.shows_identity == "true"),
                writer: try ServicesController.writer(req), on: req.db)
        }
    }

    @Sendable func claim(req: Request) async throws -> Response {
        let f = try req.content.decode(ClaimForm.self)
        return try await dualAction(req, done: "claimed", form: [:]) {
            _ = try await OrganisationsService.claim(
                try Self.ownRegistration(req), ClaimInput(post_id: Self.optionalID(f.post_id)),
                writer: try ServicesController.writer(req), on: req.db)
        }
    }

    @Sendable func recordService(req: Request) async throws -> Response {
        let f = try req.content.decode(ServiceForm.self)
        let rawMinutes = (f.minutes ?? "").trimmingCharacters(in: .whitespaces)
        return try await dualAction(req, done: "recorded", form: OrganisationsViews.values(f)) {
            // Not a whole number: 0, which the service refuses with its sentence on the field.
            let minutes = rawMinutes.isEmpty ? nil : (Int(rawMinutes) ?? 0)
            _ = try await OrganisationsService.recordService(
                try Self.ownRegistration(req),
                ServiceRecordInput(served_on: f.served_on, minutes: minutes, description: f.description, post_id: Self.optionalID(f.post_id)),
                writer: try ServicesController.writer(req), on: req.db)
        }
    }

    @Sendable func report(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        guard let unit = try await OrganisationsQueries.unit(try req.pathID(), for: actor, on: req.db) else {
            throw AppError.notFound("驻区单位不存在", "No such unit")
        }
        let (from, to) = try OrganisationsController.period(req)
        let report = try await OrganisationsQueries.unitReport(unit, from: from, to: to, for: actor, on: req.db)
        return OrganisationsViews.report(report, ctx: req.pageContext)
    }
}
