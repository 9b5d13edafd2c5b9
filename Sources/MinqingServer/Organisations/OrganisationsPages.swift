import Fluent
import Foundation
import MinqingDomain
import Plot
import Vapor

/// The staff pages of 组织力工程 (`/organisations`: figures, organisations by kind, one
/// organisation with its history, members and forms) and the 双报到 pages (`/dual`: a member
/// registers with their community, claims a post and records service; staff see registrations
/// and each unit's 双报告 report). Reads go through the scoped queries, writes through the same
/// services as the JSON API; forms carry the CSRF token.
struct OrganisationsPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireSignIn())
        let readers = pages.grouped(RequireRole(OrganisationsQueries.readers))
        let managers = pages.grouped(RequireRole(OrganisationsQueries.managers))
        readers.get(.organisations(.index), use: home)
        managers.post(.organisations(.index), use: create)
        readers.get(.organisations(.detail(.key)), use: detail)
        managers.post(.organisations(.members(.key)), use: addMember)
        managers.post(.organisations(.changes(.key)), use: change)
        managers.post(.organisations(.terms(.key)), use: newTerm)
        try routes.register(collection: StaffDevelopmentPages())
        pages.grouped(RequireRole(OrganisationsController.dualUsers)).get(.dual(.index), use: dualHome)
        let members = pages.grouped(RequireRole(OrganisationsQueries.selfRegistering))
        members.post(.dual(.register), use: register)
        members.post(.dual(.claims), use: claim)
        members.post(.dual(.service), use: recordService)
        pages.grouped(RequireRole(OrganisationsQueries.managers)).get(.dual(.unitReport(.key)), use: report)
        pages.grouped(RequireRole(OrganisationsQueries.managers)).get(.cobuilding(.unit(.key)), use: coBuilding)
    }

    @Sendable func coBuilding(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        guard let unit = try await OrganisationsQueries.unit(try req.pathID(), for: actor, on: req.db) else {
            throw OrganisationsService.unitNotFound
        }
        return OrganisationsViews.coBuilding(try await OrganisationsQueries.coBuilding(unit, for: actor, on: req.db), ctx: req.pageContext)
    }

    struct CreateForm: Content {
        var name: String?; var kind: String?; var basis: String?; var node: String?; var parent_id: String?; var purpose: String?
        var starts_on: String?; var ends_on: String?
    }

    /// Organisations per page of `/organisations` (the filters stay in the page links).
    static let pageSize = 50

    @Sendable func home(req: Request) async throws -> Response { try await renderHome(req, error: nil) }

    func renderHome(_ req: Request, error: AppError?) async throws -> Response {
        let actor = try req.requireActor()
        let today = OrganisationsController.today(req)
        if OrganisationsQueries.managers.contains(actor.role) {
            // Like the case supervision page: temporary branches past their end date close here too.
            try await OrganisationsService.closeExpired(writer: try ServicesController.writer(req), on: req.db)
        }
        let kind = req.query[String.self, at: "kind"].flatMap { OrganisationKind(rawValue: $0) }
        let openOnly = req.query[String.self, at: "open"] == "1"
        let total = try await OrganisationsQueries.count(for: actor, kind: kind?.rawValue, node: nil, openOnly: openOnly, today: today, on: req.db)
        let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        let page = min(max(req.query[Int.self, at: "page"] ?? 1, 1), pages)
        var figures = try await OrganisationsQueries.figures(in: actor.scope, today: today, on: req.db)
        (figures.owners_committees, figures.property_companies) =
            try await OrganisationsQueries.partyShares(for: actor, in: actor.scope, now: req.now, on: req.db)
        let model = OrganisationsViews.HomeModel(
            figures: figures,
            kind: kind,
            organisations: try await OrganisationsQueries.list(
                for: actor, kind: kind?.rawValue, node: nil, openOnly: openOnly, limit: Self.pageSize,
                offset: (page - 1) * Self.pageSize, today: today, on: req.db),
            manager: OrganisationsQueries.managers.contains(actor.role), error: error,
            page: page, pageSize: Self.pageSize, total: total, openOnly: openOnly)
        return OrganisationsViews.home(model, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let f = try req.content.decode(CreateForm.self)
        let parent = (f.parent_id ?? "").trimmingCharacters(in: .whitespaces)
        do {
            let id = try await OrganisationsService.create(
                OrganisationInput(
                    name: f.name, kind: f.kind, basis: f.basis, node: f.node, parent_id: parent.isEmpty ? nil : UUID(uuidString: parent),
                    purpose: f.purpose, starts_on: f.starts_on, ends_on: (f.ends_on ?? "").isEmpty ? nil : f.ends_on),
                writer: try ServicesController.writer(req), on: req.db)
            return req.redirect(to: SiteURL.organisations(.detail(.value(id))))
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await renderHome(req, error: error)
        }
    }

    @Sendable func detail(req: Request) async throws -> Response { try await renderDetail(req, error: nil) }

    func renderDetail(_ req: Request, error: AppError?) async throws -> Response {
        let actor = try req.requireActor()
        let today = OrganisationsController.today(req)
        guard let detail = try await OrganisationsQueries.detail(try req.pathID(), for: actor, today: today, on: req.db) else {
            throw OrganisationsService.notFound
        }
        let members = try await OrganisationsQueries.members(of: detail.organisation, for: actor, today: today, includeEnded: true, on: req.db)
        let model = OrganisationsViews.DetailModel(
            detail: detail, members: members, manager: OrganisationsQueries.managers.contains(actor.role),
            error: error, flash: req.query[String.self, at: "done"])
        return OrganisationsViews.detail(model, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    struct MemberForm: Content { var person_id: String?; var role: String?; var starts_on: String?; var shows_identity: String? }

    @Sendable func addMember(req: Request) async throws -> Response {
        let f = try req.content.decode(MemberForm.self)
        let id = try req.pathID()
        do {
            _ = try await OrganisationsService.addMember(
                id,
                OrgMemberInput(
                    person_id: UUID(uuidString: f.person_id ?? ""), role: f.role,
                    starts_on: f.starts_on, shows_identity: f.shows_identity == "true"),
                writer: try ServicesController.writer(req), on: req.db)
            return req.redirect(to: SiteURL.organisations(.detail(.value(id))).path([("done", "member")]), redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .conflict, .notFound].contains(error.status) {
            return try await renderDetail(req, error: error)
        }
    }

    @Sendable func change(req: Request) async throws -> Response {
        let id = try req.pathID()
        do {
            try await OrganisationsService.change(
                id, try req.content.decode(OrganisationChangeInput.self), writer: try ServicesController.writer(req), on: req.db)
            return req.redirect(to: SiteURL.organisations(.detail(.value(id))).path([("done", "changed")]), redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await renderDetail(req, error: error)
        }
    }

    /// `role[<member id>]=<role>` for the members whose role the new term sets.
    struct NewTermForm: Content { var elected_on: String?; var reason: String?; var role: [String: String]? }

    @Sendable func newTerm(req: Request) async throws -> Response {
        let id = try req.pathID()
        let f = try req.content.decode(NewTermForm.self)
        let roles = (f.role ?? [:]).filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map {
            NewTermInput.Assignment(member_id: UUID(uuidString: $0.key), role: $0.value)
        }
        do {
            try await OrganisationsService.newTerm(
                id, NewTermInput(elected_on: f.elected_on, reason: f.reason, roles: roles),
                writer: try ServicesController.writer(req), on: req.db)
            return req.redirect(to: SiteURL.organisations(.detail(.value(id))).path([("done", "term")]), redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await renderDetail(req, error: error)
        }
    }

    @Sendable func dualHome(req: Request) async throws -> Response { try await renderDual(req, error: nil) }

    func renderDual(_ req: Request, error: AppError?) async throws -> Response {
        let actor = try req.requireActor()
        var model = OrganisationsViews.DualModel(
            member: OrganisationsQueries.selfRegistering.contains(actor.role), registration: nil, posts: [],
            claimed: [], records: [], units: try await OrganisationsQueries.units(for: actor, on: req.db),
            registrations: [], error: error, flash: req.query[String.self, at: "done"],
            today: OrganisationsController.today(req).iso8601)
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
    struct ServiceForm: Content { var served_on: String?; var minutes: Int?; var description: String?; var post_id: String? }

    func dualAction(_ req: Request, done: String, _ body: () async throws -> Void) async throws -> Response {
        do {
            try await body()
            return req.redirect(to: SiteURL.dual(.index).path([("done", done)]), redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .conflict, .notFound].contains(error.status) {
            return try await renderDual(req, error: error)
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
        return try await dualAction(req, done: "registered") {
            _ = try await OrganisationsService.register(
                DualRegistrationInput(
                    service_unit_id: UUID(uuidString: f.service_unit_id ?? ""),
                    shows_identity: f.shows_identity == "true"),
                writer: try ServicesController.writer(req), on: req.db)
        }
    }

    @Sendable func claim(req: Request) async throws -> Response {
        let f = try req.content.decode(ClaimForm.self)
        return try await dualAction(req, done: "claimed") {
            _ = try await OrganisationsService.claim(
                try Self.ownRegistration(req), ClaimInput(post_id: UUID(uuidString: f.post_id ?? "")),
                writer: try ServicesController.writer(req), on: req.db)
        }
    }

    @Sendable func recordService(req: Request) async throws -> Response {
        let f = try req.content.decode(ServiceForm.self)
        let post = (f.post_id ?? "").isEmpty ? nil : UUID(uuidString: f.post_id ?? "")
        return try await dualAction(req, done: "recorded") {
            _ = try await OrganisationsService.recordService(
                try Self.ownRegistration(req),
                ServiceRecordInput(served_on: f.served_on, minutes: f.minutes, description: f.description, post_id: post),
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
