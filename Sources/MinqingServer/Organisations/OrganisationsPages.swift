import Fluent
import Foundation
import MinqingDomain
import Plot
import Vapor

/// The staff pages of 组织力工程 (`/organisations`: figures, organisations by kind, one
/// organisation with its history, members, posts and forms) and the 双报到 pages (`/dual`: a
/// member registers with their community, claims a post and records service; staff see
/// registrations and each unit's 双报告 report). Reads go through the scoped queries, writes
/// through the same services as the JSON API, with the API's role lists; forms carry the CSRF
/// token, answer 303 on success and show themselves again with 422 (or 409), each error beside
/// its field and what was typed kept.
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
        try routes.register(collection: OrganisationWritePages())
        try routes.register(collection: CoBuildingPages())
        try routes.register(collection: StaffDevelopmentPages())
        pages.grouped(RequireRole(OrganisationsController.dualUsers)).get(.dual(.index), use: dualHome)
        let members = pages.grouped(RequireRole(OrganisationsQueries.selfRegistering))
        members.post(.dual(.register), use: register)
        members.post(.dual(.claims), use: claim)
        members.post(.dual(.service), use: recordService)
        pages.grouped(RequireRole(OrganisationsQueries.managers)).get(.dual(.unitReport(.key)), use: report)
    }

    struct CreateForm: Content {
        var name: String?; var kind: String?; var basis: String?; var node: String?; var parent_id: String?; var purpose: String?
        var starts_on: String?; var ends_on: String?
    }

    /// Organisations per page of `/organisations` (the filters stay in the page links).
    static let pageSize = 50
    /// The most grid areas a form offers as a select (more: the grid code as text).
    static let nodeLimit = 1_000

    /// The find-by-name text of the member and leader forms (`who`), trimmed, at most 20 characters.
    static func nameSearch(_ raw: String?) -> String? {
        let text = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : String(text.prefix(20))
    }

    /// An optional id from a form's select ("" for none); a malformed one is not an id.
    static func optionalID(_ raw: String?) -> UUID? {
        UUID(uuidString: (raw ?? "").trimmingCharacters(in: .whitespaces))
    }

    @Sendable func home(req: Request) async throws -> Response { try await Self.renderHome(req, error: nil) }

    static func renderHome(_ req: Request, error: AppError?, failed: String? = nil, form: [String: String] = [:]) async throws -> Response {
        let actor = try req.requireActor()
        let today = OrganisationsController.today(req)
        let manager = OrganisationsQueries.managers.contains(actor.role)
        if manager {
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
            manager: manager, error: error,
            page: page, pageSize: Self.pageSize, total: total, openOnly: openOnly, failed: failed, form: form,
            nodes: manager ? try await OrganisationsQueries.nodeChoices(for: actor, limit: Self.nodeLimit, on: req.db) : [],
            nodeLimit: Self.nodeLimit,
            areas: try await OrganisationsQueries.nodeChoices(for: actor, deepest: .microGrid, limit: Self.nodeLimit, on: req.db),
            parents: manager ? try await OrganisationsQueries.parentChoices(for: actor, today: today, on: req.db) : [],
            exportsSensitive: actor.role.seesSensitiveTags)
        return OrganisationsViews.home(model, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let f = try req.content.decode(CreateForm.self)
        do {
            let id = try await OrganisationsService.create(
                OrganisationInput(
                    name: f.name, kind: f.kind, basis: f.basis, node: f.node, parent_id: Self.optionalID(f.parent_id),
                    purpose: f.purpose, starts_on: f.starts_on, ends_on: (f.ends_on ?? "").isEmpty ? nil : f.ends_on),
                writer: try ServicesController.writer(req), on: req.db)
            return req.redirect(to: SiteURL.organisations(.detail(.value(id))))
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await Self.renderHome(req, error: error, failed: "create", form: OrganisationsViews.values(f))
        }
    }

    @Sendable func detail(req: Request) async throws -> Response {
        try await Self.renderDetail(req, error: nil, search: Self.nameSearch(req.query[String.self, at: "who"]))
    }

    /// The organisation page; after a failed form, `failed` names it and `form` holds what it held.
    static func renderDetail(
        _ req: Request, error: AppError?, failed: String? = nil, form: [String: String] = [:], search: String? = nil
    ) async throws -> Response {
        let actor = try req.requireActor()
        let today = OrganisationsController.today(req)
        guard let detail = try await OrganisationsQueries.detail(try req.pathID(), for: actor, today: today, on: req.db) else {
            throw OrganisationsService.notFound
        }
        let o = detail.organisation
        let members = try await OrganisationsQueries.members(of: o, for: actor, today: today, includeEnded: true, on: req.db)
        let manager = OrganisationsQueries.managers.contains(actor.role)
        let forms = manager && detail.open
        var model = OrganisationsViews.DetailModel(
            detail: detail, members: members, manager: manager,
            error: error, flash: req.query[String.self, at: "done"], failed: failed, form: form,
            posts: try await OrganisationsQueries.posts(of: o.id, for: actor, on: req.db), search: search, nodeLimit: Self.nodeLimit,
            today: today.iso8601)
        if forms {
            if let search {
                model.candidates = try await OrganisationsQueries.memberCandidates(of: o.id, for: actor, search: search, today: today, on: req.db)
            }
            let node = try await GridQueries.node(code: o.grid_code, in: actor.scope, on: req.db)
            model.nodes = try await OrganisationsQueries.nodeChoices(
                for: actor, under: node?.id ?? actor.scope.rootID, limit: Self.nodeLimit, on: req.db)
            model.parents = try await OrganisationsQueries.parentChoices(for: actor, today: today, on: req.db)
        }
        return OrganisationsViews.detail(model, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    struct MemberForm: Content { var person_id: String?; var role: String?; var starts_on: String?; var shows_identity: String?; var who: String? }

    @Sendable func addMember(req: Request) async throws -> Response {
        let f = try req.content.decode(MemberForm.self)
        let id = try req.pathID()
        do {
            _ = try await OrganisationsService.addMember(
                id,
                OrgMemberInput(
                    person_id: Self.optionalID(f.person_id), role: f.role,
                    starts_on: f.starts_on, shows_identity: f.shows_identity == "true"),
                writer: try ServicesController.writer(req), on: req.db)
            return req.redirect(to: SiteURL.organisations(.detail(.value(id))).path([("done", "member")]), redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .conflict, .notFound].contains(error.status) {
            return try await Self.renderDetail(
                req, error: error, failed: "member", form: OrganisationsViews.values(f), search: Self.nameSearch(f.who))
        }
    }

    @Sendable func change(req: Request) async throws -> Response {
        let id = try req.pathID()
        let input = try req.content.decode(OrganisationChangeInput.self)
        do {
            try await OrganisationsService.change(id, input, writer: try ServicesController.writer(req), on: req.db)
            return req.redirect(to: SiteURL.organisations(.detail(.value(id))).path([("done", "changed")]), redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await Self.renderDetail(req, error: error, failed: "change", form: OrganisationsViews.values(input))
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
            var form = OrganisationsViews.values(f)
            for (member, role) in f.role ?? [:] { form["role[\(member)]"] = role }
            return try await Self.renderDetail(req, error: error, failed: "term", form: form)
        }
    }
}
