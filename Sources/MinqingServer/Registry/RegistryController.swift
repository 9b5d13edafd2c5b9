import MinqingDomain
import Vapor

/// JSON API of the register, inside the caller's subtree.
struct RegistryController: RouteCollection {
    static let readers: Set<Role> = Set(Role.allCases.filter(\.readsRegister))

    func boot(routes: any RoutesBuilder) throws {
        let registry = routes.grouped("api", "v1", "registry").grouped(RequireSignIn(), RequireRole(Self.readers))
        registry.get("summary", use: summary)
        registry.get("tags", use: tags)
        registry.post("households", use: createHousehold)
        registry.get("households", ":id", use: household)
        registry.post("households", ":id", "members", use: addMember)
        registry.post("persons", "lookup", use: lookup)
        registry.post("search", use: search)
        registry.get("persons", ":id", use: person)
        registry.post("persons", ":id", "reveal", use: reveal)
    }

    /// `?node=CODE` narrows the summary to a node inside the caller's scope.
    @Sendable func summary(req: Request) async throws -> RegistryQueries.Summary {
        let actor = try req.requireActor()
        var scope = actor.scope
        if let code = req.query[String.self, at: "node"] {
            guard let node = try await GridQueries.node(code: code, in: actor.scope, on: req.db) else {
                throw AppError.notFound("网格节点不存在或不在您的管辖范围内", "No such grid node in your scope")
            }
            scope = GridQueries.scope(rootedAt: node)
        }
        return try await RegistryQueries.summary(in: scope, role: actor.role, today: CivilDate.today(now: req.now), on: req.db)
    }

    @Sendable func tags(req: Request) async throws -> [RegistryQueries.CatalogueRow] {
        try await RegistryQueries.catalogue(role: try req.requireActor().role, on: req.db)
    }

    struct Created: Content { var id: UUID }

    @Sendable func createHousehold(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let input = try req.content.decode(RegistryService.NewHousehold.self)
        let id = try await RegistryService.createHousehold(input, writer: WriteContext(actor, req), vault: req.services.vault, on: req.db)
        return try await Created(id: id.rawValue).encodeResponse(status: .created, for: req)
    }

    /// A person born into or moving into a household in scope (`RegistryService.addMember`).
    @Sendable func addMember(req: Request) async throws -> Response {
        let id = try await RegistryService.addMember(
            try req.content.decode(RegistryService.NewPerson.self),
            household: req.parameters.get("id", as: UUID.self).map { HouseholdID($0) },
            writer: try req.writeContext(), vault: req.services.vault, on: req.db)
        return try await Created(id: id.rawValue).encodeResponse(status: .created, for: req)
    }

    struct HouseholdDetail: Content {
        var household: RegistryQueries.HouseholdRow
        var members: [RegistryQueries.PersonRow]
        var aid: RegistryQueries.AidTotals
    }

    @Sendable func household(req: Request) async throws -> HouseholdDetail {
        let actor = try req.requireActor()
        guard let id = req.parameters.get("id", as: UUID.self).map({ HouseholdID($0) }),
            let household = try await RegistryQueries.household(id: id, role: actor.role, in: actor.scope, on: req.db)
        else {
            throw AppError.notFound("该户不存在或不在您的管辖范围内", "No such household in your scope")
        }
        let members = try await RegistryQueries.members(household: id, role: actor.role, in: actor.scope, on: req.db)
        let aid = try await RegistryQueries.aidTotals(household: id, role: actor.role, in: actor.scope, on: req.db)
        try await AccessLog.record(
            AccessLog.kinds(tags: [], aid: aid), subjectType: "household", subject: id.rawValue, actor: actor,
            route: "GET /api/v1/registry/households/:id", now: req.now, on: req.db)
        return HouseholdDetail(household: household, members: members, aid: aid)
    }

    struct PersonDetail: Content {
        var person: RegistryQueries.PersonRow
        var tags: [RegistryQueries.TagRow]
        var aid: RegistryQueries.AidTotals
        /// Set once the person has moved out or died.
        var departure: RegistryRecords.Departure?
    }

    @Sendable func person(req: Request) async throws -> PersonDetail {
        let actor = try req.requireActor()
        guard let id = req.parameters.get("id", as: UUID.self).map({ PersonID($0) }),
            let person = try await RegistryQueries.person(id: id, role: actor.role, in: actor.scope, on: req.db)
        else {
            throw AppError.notFound("居民不存在或不在您的管辖范围内", "No such person in your scope")
        }
        let detail = PersonDetail(
            person: person, tags: try await RegistryQueries.tags(person: id, role: actor.role, in: actor.scope, on: req.db),
            aid: try await RegistryQueries.aidTotals(person: id, role: actor.role, in: actor.scope, on: req.db),
            departure: RegistryRecords.Departure(
                try await RegistryQueries.departure(person: id, role: actor.role, in: actor.scope, on: req.db)))
        try await AccessLog.record(
            AccessLog.kinds(tags: detail.tags, aid: detail.aid), subjectType: "person", subject: id.rawValue, actor: actor,
            route: "GET /api/v1/registry/persons/:id", now: req.now, on: req.db)
        return detail
    }

    struct LookupRequest: Content { var id_number: String }

    /// Lookup by ID number (POST, so the number never appears in a URL or an access log).
    /// 120 lookups by ID number an hour per account.
    static let lookupBudget = LoginThrottlePolicy(maxFailures: 120, windowSeconds: 3600, lockSeconds: 3600)

    @Sendable func lookup(req: Request) async throws -> RegistryQueries.PersonRow {
        let actor = try req.requireActor()
        let body = try req.content.decode(LookupRequest.self)
        let id: ResidentIDNumber
        do { id = try ResidentIDNumber(parsing: body.id_number, today: CivilDate.today(now: req.now)) } catch {
            throw AppError.validation([error.fieldError])
        }
        // A lookup by number is a sensitive read: budgeted per account and audited, found or not,
        // through the same step as the search page's lookup (`RegistrySearch.lookUp`).
        let hit = try await RegistrySearch.lookUp(id, writer: WriteContext(actor, req), vault: req.services.vault, via: nil, on: req.db)
        guard let person = hit?.person else {
            throw AppError.notFound("您的管辖范围内没有该身份证号码", "No person with this ID number in your scope")
        }
        return person
    }

    struct SearchRequest: Content { var q: String?; var building: String?; var page: Int? }

    /// The register's search (`RegistrySearch`): names, addresses and buildings inside the scope,
    /// or a whole ID number looked up exactly (budgeted and audited like `lookup`). A POST, so that a
    /// number never stands in a URL; nobody found, in scope or not, is an empty list.
    @Sendable func search(req: Request) async throws -> RegistrySearch.Result {
        let body = try req.content.decode(SearchRequest.self)
        return try await RegistrySearch.run(
            .init(text: body.q ?? "", building: body.building ?? "", page: body.page ?? 1),
            writer: try req.writeContext(), vault: req.services.vault, on: req.db)
    }

    struct RevealRequest: Content { var field: String?; var purpose: String?; var purpose_detail: String? }
    struct Revealed: Content { var field: String; var value: String }

    @Sendable func reveal(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let body = try req.content.decode(RevealRequest.self)
        let id = PersonID(try req.pathID())
        let value = try await RegistryService.reveal(
            person: id, field: body.field ?? "", purpose: body.purpose,
            detail: body.purpose_detail, writer: WriteContext(actor, req), vault: req.services.vault, on: req.db)
        let response = try await Revealed(field: body.field ?? "", value: value).encodeResponse(for: req)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}
