import Fluent
import Foundation
import MinqingDomain
import Plot
import Vapor

/// The register's pages (一居一库): browse by grid node, search by name, address, building or ID
/// number (RegistryPages+Search.swift), a household, a person (masked; showing a plain number is
/// an audited action with a purpose), the tag catalogue and the smart-group builder
/// (RegistryPages+SmartGroups.swift). Views are in RegistryPages+Views.swift.
///
/// Every read goes through the scoped queries of `RegistryQueries`, `GridQueries` and
/// `SmartGroupQueries`, so a household outside the caller's subtree answers 404 like one that
/// does not exist.
struct RegistryPages: RouteCollection {
    /// Rows per page of the household and member lists.
    static let pageSize = 50

    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireSignIn(), RequireRole(RegistryController.readers))
        pages.get(.registry(.index), use: root)
        pages.get(.registry(.node(.key)), use: node)
        pages.get(.registry(.household(.key)), use: household)
        pages.get(.registry(.person(.key)), use: person)
        pages.post(.registry(.personReveal(.key)), use: reveal)
        pages.get(.registry(.tags), use: tags)
        pages.get(.registry(.search), use: search)
        pages.post(.registry(.search), use: searchSubmit)
        pages.get(.registry(.smartGroups), use: builder)
        pages.post(.registry(.smartGroups), use: saveGroup)
        pages.get(.registry(.smartGroup(.key)), use: group)
        pages.post(.registry(.smartGroupsList), use: builderWithPurpose)
        pages.post(.registry(.smartGroup(.key)), use: groupWithPurpose)
        pages.post(.registry(.smartGroupExport(.key)), use: exportGroup)
        // The register's everyday writes (RegistryPages+Households.swift, RegistryPages+Records.swift).
        pages.get(.registry(.nodeNewHousehold(.key)), use: newHousehold)
        pages.post(.registry(.nodeNewHousehold(.key)), use: createHousehold)
        pages.post(.registry(.nodeExport(.key)), use: exportPersons)
        pages.post(.registry(.householdMembers(.key)), use: addMember)
        pages.post(.registry(.personHelpRequests(.key)), use: fileHelpRequest)
        pages.post(.registry(.personAid(.key)), use: recordAid)
        pages.post(.registry(.personDeparture(.key)), use: recordDeparture)
    }

    /// `?page=N`, 1-based; anything else counts as the first page.
    static func pageNumber(_ req: Request) -> Int {
        guard let raw = req.query[String.self, at: "page"], let page = Int(raw) else { return 1 }
        return min(max(page, 1), 100_000)
    }

    static let nodeNotFound = AppError.notFound("网格节点不存在或不在您的管辖范围内", "No such grid node in your scope")
    static let householdNotFound = AppError.notFound("该户不存在或不在您的管辖范围内", "No such household in your scope")
    static let personNotFound = AppError.notFound("居民不存在或不在您的管辖范围内", "No such person in your scope")

    @Sendable func root(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        return req.redirect(to: SiteURL.registry(.node(.value(actor.scope.rootCode))))
    }

    // MARK: a grid node

    @Sendable func node(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        return RegistryViews.node(try await Self.nodeModel(req, actor: actor), ctx: req.pageContext)
    }

    /// Everything the node page shows, inside the caller's scope; 404 outside it.
    static func nodeModel(_ req: Request, actor: Actor) async throws -> RegistryViews.NodeModel {
        guard let node = try await GridQueries.node(code: req.parameters.get("code") ?? "", in: actor.scope, on: req.db) else {
            throw Self.nodeNotFound
        }
        let scope = GridQueries.scope(rootedAt: node)
        let page = Self.pageNumber(req)
        let crumbs = try await GridQueries.breadcrumb(to: node, in: actor.scope, on: req.db)
        let summary = try await RegistryQueries.summary(in: scope, role: actor.role, today: CivilDate.today(now: req.now), on: req.db)
        let children = try await GridQueries.children(of: node, in: actor.scope, on: req.db)
        let counts = children.isEmpty ? [:] : try await RegistryQueries.childCounts(of: node, in: actor.scope, on: req.db)
        // Households are listed where there are few enough to page through: micro-grids and building groups.
        var households: RegistryQueries.HouseholdPage?
        if node.level >= .microGrid {
            households = try await RegistryQueries.households(in: scope, limit: Self.pageSize, offset: (page - 1) * Self.pageSize, on: req.db)
        }
        var model = RegistryViews.NodeModel(
            node: node, crumbs: crumbs, summary: summary,
            children: children.map { child in
                let n = counts[child.node.id]
                return .init(node: child.node, households: n?.households ?? 0, persons: n?.persons ?? 0)
            },
            households: households, page: page, pageSize: Self.pageSize)
        model.mayRevealNumbers = actor.role.mayRevealPersonalNumbers
        return model
    }

    // MARK: a household

    @Sendable func household(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        return RegistryViews.household(try await Self.householdModel(req, actor: actor), ctx: req.pageContext)
    }

    /// Everything the household page shows, inside the caller's scope; 404 outside it.
    static func householdModel(_ req: Request, actor: Actor) async throws -> RegistryViews.HouseholdModel {
        guard let id = req.parameters.get("id", as: UUID.self).map({ HouseholdID($0) }),
            let household = try await RegistryQueries.household(id: id, role: actor.role, in: actor.scope, on: req.db)
        else {
            throw Self.householdNotFound
        }
        let members = try await RegistryQueries.members(household: id, role: actor.role, in: actor.scope, on: req.db)
        let aid = try await RegistryQueries.aidTotals(household: id, role: actor.role, in: actor.scope, on: req.db)
        try await AccessLog.record(
            AccessLog.kinds(tags: [], aid: aid), subjectType: "household", subject: id.rawValue, actor: actor,
            route: "GET /registry/households/:id", now: req.now, on: req.db)
        var model = RegistryViews.HouseholdModel(
            household: household, crumbs: try await crumbs(to: household.grid_code, actor: actor, on: req.db),
            members: members, aid: aid, today: CivilDate.today(now: req.now))
        for row in try await RegistryQueries.departures(household: id, role: actor.role, in: actor.scope, on: req.db) {
            model.departures[row.id] = RegistryRecords.Departure(row)
        }
        switch req.query[String.self, at: "done"] {
        case "household": model.flash = T("已新增住户。", "The household was registered.")
        case "member": model.flash = T("已添加成员。", "The person was added to the household.")
        default: break
        }
        return model
    }

    static func crumbs(to code: String, actor: Actor, on db: any Database) async throws -> [GridNodeSummary] {
        guard let node = try await GridQueries.node(code: code, in: actor.scope, on: db) else { return [] }
        return try await GridQueries.breadcrumb(to: node, in: actor.scope, on: db)
    }

    // MARK: a person, and showing a plain number

    /// Everything the person page shows, loaded inside the caller's scope; nil when out of it.
    private func personModel(_ req: Request, actor: Actor) async throws -> RegistryViews.PersonModel? {
        try await Self.personModel(req, actor: actor)
    }

    static func personModel(_ req: Request, actor: Actor) async throws -> RegistryViews.PersonModel? {
        guard let id = req.parameters.get("id", as: UUID.self).map({ PersonID($0) }),
            let person = try await RegistryQueries.person(id: id, role: actor.role, in: actor.scope, on: req.db)
        else { return nil }
        var model = RegistryViews.PersonModel(
            person: person,
            household: try await RegistryQueries.household(id: person.household_id, role: actor.role, in: actor.scope, on: req.db),
            crumbs: try await crumbs(to: person.grid_code, actor: actor, on: req.db),
            // The same query as the API: sensitive tags are left out in SQL for roles that may not see them.
            tags: try await RegistryQueries.tags(person: id, role: actor.role, in: actor.scope, on: req.db),
            aid: try await RegistryQueries.aidTotals(person: id, role: actor.role, in: actor.scope, on: req.db),
            today: CivilDate.today(now: req.now),
            mayReveal: actor.role.mayRevealPersonalNumbers)
        model.catalogue = try await RegistryQueries.catalogue(role: actor.role, on: req.db)
        model.unverified = try await IdentityHoldQueries.unverified(person: id, on: req.db)
        model.departure = RegistryRecords.Departure(
            try await RegistryQueries.departure(person: id, role: actor.role, in: actor.scope, on: req.db))
        model.helpRequests = try await RegistryQueries.helpRequests(person: id, role: actor.role, in: actor.scope, limit: 50, on: req.db)
        model.programmes = try await AidProgrammes.list(for: actor, on: req.db)
        try await AccessLog.record(
            AccessLog.kinds(tags: model.tags, aid: model.aid), subjectType: "person", subject: id.rawValue, actor: actor,
            route: "GET /registry/persons/:id", now: req.now, on: req.db)
        switch req.query[String.self, at: "tag"] {
        case "given": model.flash = T("已添加标签。", "The tag was given.")
        case "ended": model.flash = T("已结束标签，记录保留在下面的标签记录中。", "The tag was ended; it stays in the tag history below.")
        default: break
        }
        model.recordFlash = RegistryViews.PersonForms.flash(req.query[String.self, at: "done"])
        return model
    }

    @Sendable func person(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        guard let model = try await personModel(req, actor: actor) else { throw Self.personNotFound }
        return RegistryViews.person(model, ctx: req.pageContext)
    }

    struct RevealForm: Content { var field: String?; var purpose: String?; var purpose_detail: String? }

    /// Shows the plain number on this one response (the layout sends `Cache-Control: no-store`;
    /// reloading the person page shows the masked form again). `RegistryService.reveal` checks
    /// the role, the purpose and the scope and writes the audit entry before the value is read.
    @Sendable func reveal(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        guard actor.role.mayRevealPersonalNumbers else { throw AppError.forbidden }
        let form = try req.content.decode(RevealForm.self)
        guard var model = try await personModel(req, actor: actor) else { throw Self.personNotFound }
        let field = form.field ?? ""
        // The language switch comes back to the person page, not to this POST-only address.
        var ctx = req.pageContext
        ctx.path = SiteURL.registry(.person(.value(model.person.id))).path
        do {
            let value = try await RegistryService.reveal(
                person: model.person.id, field: field, purpose: form.purpose,
                detail: form.purpose_detail, writer: WriteContext(actor, req), vault: req.services.vault, on: req.db)
            model.revealed = .init(field: field, value: value)
            return RegistryViews.person(model, ctx: ctx)
        } catch let error as AppError where error.status == .unprocessableEntity {
            model.errors = error.fields
            model.field = field
            model.purpose = form.purpose ?? ""
            model.purposeDetail = form.purpose_detail ?? ""
            return RegistryViews.person(model, ctx: ctx, status: .unprocessableEntity)
        }
    }

    // MARK: the tag catalogue

    @Sendable func tags(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        var model = try await Self.catalogueModel(req, actor: actor)
        // Only a code the caller can see is announced (the redirect after adding one).
        if let created = req.query[String.self, at: "created"], model.rows.contains(where: { $0.code == created }) {
            model.created = created
        }
        return RegistryViews.tags(model, ctx: req.pageContext)
    }

    static func catalogueModel(_ req: Request, actor: Actor) async throws -> RegistryViews.CatalogueModel {
        RegistryViews.CatalogueModel(
            rows: try await RegistryQueries.catalogue(role: actor.role, on: req.db),
            seesSensitive: actor.role.seesSensitiveTags, mayCreate: actor.role.managesAccounts,
            programmes: try await AidProgrammes.list(for: actor, on: req.db))
    }
}
