import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// JSON API of 组织力工程 under `/api/v1/organisations` (organisations, members, posts,
/// building-group leaders, figures, export) and `/api/v1/dual` (双报到 / 双报告).
struct OrganisationsController: RouteCollection {
    static let postReaders: Set<Role> = OrganisationsQueries.readers.union(OrganisationsQueries.selfRegistering)
    static let dualUsers: Set<Role> = OrganisationsQueries.managers.union(OrganisationsQueries.selfRegistering)

    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1").grouped(RequireSignIn())
        let orgs = api.grouped("organisations")
        let readers = orgs.grouped(RequireRole(OrganisationsQueries.readers))
        let managers = orgs.grouped(RequireRole(OrganisationsQueries.managers))
        readers.get(use: list)
        managers.post(use: create)
        readers.get("figures", use: figures)
        managers.post("close-expired", use: closeExpired)
        readers.post("export", use: export)
        orgs.grouped(RequireRole(Self.postReaders)).get("posts", use: posts)
        managers.post("posts", use: createPost)
        orgs.grouped(RequireRole(Self.postReaders)).get("units", use: units)
        readers.get("building-group-leaders", use: leaders)
        readers.post("building-group-leaders", use: addLeader)
        readers.get(":id", use: detail)
        managers.post(":id", "changes", use: change)
        readers.get(":id", "members", use: members)
        managers.post(":id", "members", use: addMember)
        managers.post(":id", "members", ":member", "end", use: endMember)
        managers.post(":id", "members", ":member", "identity", use: identity)
        managers.post(":id", "terms", use: newTerm)
        try routes.register(collection: StaffDevelopmentController())

        let dual = api.grouped("dual").grouped(RequireRole(Self.dualUsers))
        dual.get("registrations", use: registrations)
        dual.post("registrations", use: register)
        dual.post("registrations", ":id", "claims", use: claim)
        dual.get("registrations", ":id", "service", use: serviceRecords)
        dual.post("registrations", ":id", "service", use: recordService)
        api.grouped("dual").grouped(RequireRole(OrganisationsQueries.managers)).get("units", ":id", "report", use: report)

        let cobuilding = api.grouped("cobuilding")
        let cobuilders = cobuilding.grouped(RequireRole(OrganisationsQueries.managers))
        cobuilding.get("rules", use: rules)
        cobuilders.get("units", ":id", use: unitFile)
        cobuilders.post("items", use: addItem)
        cobuilders.post("contracts", use: createContract)
        cobuilders.post("commitments", ":id", "check", use: check)
        cobuilders.post("points", use: award)
        cobuilding.grouped(RequireRole(Self.dualUsers)).get("members", ":id", "points", use: memberPoints)
    }

    struct RuleRow: Content { var code: String; var name: String; var name_en: String; var points: Int; var per: String; var per_en: String }

    @Sendable func rules(req: Request) async throws -> [RuleRow] {
        CoBuildingPoints.rules.map { RuleRow(code: $0.code, name: $0.nameZH, name_en: $0.nameEN, points: $0.points, per: $0.perZH, per_en: $0.perEN) }
    }

    @Sendable func unitFile(req: Request) async throws -> UnitCoBuilding {
        let actor = try req.requireActor()
        guard let unit = try await OrganisationsQueries.unit(try req.pathID(), for: actor, on: req.db) else {
            throw OrganisationsService.unitNotFound
        }
        return try await OrganisationsQueries.coBuilding(unit, for: actor, on: req.db)
    }

    @Sendable func addItem(req: Request) async throws -> Response {
        try await ServicesController.created(
            try await OrganisationsService.addItem(
                try req.content.decode(CoBuildItemInput.self),
                writer: try ServicesController.writer(req), on: req.db), req)
    }

    @Sendable func createContract(req: Request) async throws -> Response {
        try await ServicesController.created(
            try await OrganisationsService.createContract(
                try req.content.decode(CoBuildContractInput.self),
                writer: try ServicesController.writer(req), on: req.db), req)
    }

    @Sendable func check(req: Request) async throws -> HTTPStatus {
        guard let delivered = try req.content.decode(CheckInput.self).delivered else {
            throw AppError.validation("delivered", zh: "请说明是否兑现", en: "delivered is required")
        }
        try await OrganisationsService.checkCommitment(try req.pathID(), delivered: delivered, writer: try ServicesController.writer(req), on: req.db)
        return .noContent
    }

    @Sendable func award(req: Request) async throws -> HTTPStatus {
        try await OrganisationsService.awardPoints(try req.content.decode(PointsInput.self), writer: try ServicesController.writer(req), on: req.db)
        return .created
    }

    @Sendable func memberPoints(req: Request) async throws -> MemberPoints {
        let actor = try req.requireActor()
        let reg = try await OrganisationsService.actionable(try req.pathID(), actor: actor, on: req.db)
        return try await OrganisationsQueries.memberPoints(reg.id, on: req.db)
    }

    static func today(_ req: Request) -> CivilDate { CivilDate(req.now, in: .shanghai) }

    /// The optional `node` query parameter, inside the caller's scope (404 otherwise).
    static func node(_ req: Request, _ actor: Actor) async throws -> GridNodeSummary? {
        guard let code = req.query[String.self, at: "node"], !code.isEmpty else { return nil }
        guard let node = try await GridQueries.node(code: code, in: actor.scope, on: req.db) else {
            throw AppError.notFound("网格节点不存在或不在您的管辖范围内", "No such grid node in your scope")
        }
        return node
    }

    @Sendable func list(req: Request) async throws -> [OrganisationRow] {
        let actor = try req.requireActor()
        let limit = min(max(req.query[Int.self, at: "limit"] ?? 200, 1), 1_000)
        let offset = max(req.query[Int.self, at: "offset"] ?? 0, 0)
        return try await OrganisationsQueries.list(
            for: actor, kind: req.query[String.self, at: "kind"], node: try await Self.node(req, actor),
            openOnly: req.query[Bool.self, at: "open"] ?? false, limit: limit, offset: offset,
            today: Self.today(req), on: req.db)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try await ServicesController.created(
            try await OrganisationsService.create(
                try req.content.decode(OrganisationInput.self),
                writer: try ServicesController.writer(req), on: req.db), req)
    }

    @Sendable func figures(req: Request) async throws -> OrganisationFigures {
        let actor = try req.requireActor()
        let node = try await Self.node(req, actor)
        let scope =
            node.map { GridScope(rootID: $0.id, rootCode: $0.code, rootName: $0.name, rootLevel: $0.level, rootDepth: $0.depth) } ?? actor.scope
        var figures = try await OrganisationsQueries.figures(in: scope, today: Self.today(req), on: req.db)
        (figures.owners_committees, figures.property_companies) =
            try await OrganisationsQueries.partyShares(for: actor, in: scope, now: req.now, on: req.db)
        return figures
    }

    struct Closed: Content { var closed: Int }

    @Sendable func closeExpired(req: Request) async throws -> Closed {
        Closed(closed: try await OrganisationsService.closeExpired(writer: try ServicesController.writer(req), on: req.db))
    }

    @Sendable func export(req: Request) async throws -> Response {
        let csv = try await OrganisationsExport.csv(
            try req.content.decode(ExportInput.self), writer: try ServicesController.writer(req), lang: req.fileLang, on: req.db)
        return RegistryTransferController.csvResponse(csv.text, name: "organisations", node: csv.node)
    }

    @Sendable func detail(req: Request) async throws -> OrganisationDetail {
        guard let detail = try await OrganisationsQueries.detail(try req.pathID(), for: try req.requireActor(), today: Self.today(req), on: req.db)
        else {
            throw OrganisationsService.notFound
        }
        return detail
    }

    @Sendable func change(req: Request) async throws -> OrganisationDetail {
        let id = try req.pathID()
        try await OrganisationsService.change(
            id, try req.content.decode(OrganisationChangeInput.self), writer: try ServicesController.writer(req), on: req.db)
        return try await detail(req: req)
    }

    @Sendable func newTerm(req: Request) async throws -> OrganisationDetail {
        try await OrganisationsService.newTerm(
            try req.pathID(), try req.content.decode(NewTermInput.self), writer: try ServicesController.writer(req), on: req.db)
        return try await detail(req: req)
    }

    @Sendable func members(req: Request) async throws -> [MemberRow] {
        let actor = try req.requireActor()
        guard let org = try await OrganisationsQueries.organisation(try req.pathID(), for: actor, today: Self.today(req), on: req.db) else {
            throw OrganisationsService.notFound
        }
        guard
            let rows = try await OrganisationsQueries.members(
                of: org, for: actor, today: Self.today(req),
                includeEnded: req.query[Bool.self, at: "ended"] ?? false, on: req.db)
        else {
            throw OrganisationsService.membersHidden
        }
        return rows
    }

    @Sendable func addMember(req: Request) async throws -> Response {
        try await ServicesController.created(
            try await OrganisationsService.addMember(
                try req.pathID(), try req.content.decode(OrgMemberInput.self),
                writer: try ServicesController.writer(req), on: req.db), req)
    }

    @Sendable func endMember(req: Request) async throws -> HTTPStatus {
        try await OrganisationsService.endMember(
            try req.pathID(), try req.pathID("member"), try req.content.decode(EndOrgMemberInput.self),
            writer: try ServicesController.writer(req), on: req.db)
        return .noContent
    }

    @Sendable func identity(req: Request) async throws -> HTTPStatus {
        let shows = try req.content.decode(IdentityInput.self).shows ?? true
        try await OrganisationsService.setIdentity(
            try req.pathID(), try req.pathID("member"), shows: shows,
            writer: try ServicesController.writer(req), on: req.db)
        return .noContent
    }

    @Sendable func posts(req: Request) async throws -> [PostRow] {
        let actor = try req.requireActor()
        return try await OrganisationsQueries.posts(
            for: actor, node: actor.role.isGridStaff ? try await Self.node(req, actor) : nil,
            kind: req.query[String.self, at: "kind"], limit: 500, on: req.db)
    }

    @Sendable func createPost(req: Request) async throws -> Response {
        try await ServicesController.created(
            try await OrganisationsService.createPost(
                try req.content.decode(PostInput.self),
                writer: try ServicesController.writer(req), on: req.db), req)
    }

    @Sendable func units(req: Request) async throws -> [UnitRow] {
        try await OrganisationsQueries.units(for: try req.requireActor(), on: req.db)
    }

    @Sendable func leaders(req: Request) async throws -> [LeaderRow] {
        let actor = try req.requireActor()
        return try await OrganisationsQueries.leaders(
            for: actor, node: try await Self.node(req, actor), today: Self.today(req), limit: 2_000, on: req.db)
    }

    @Sendable func addLeader(req: Request) async throws -> Response {
        try await ServicesController.created(
            try await OrganisationsService.addLeader(
                try req.content.decode(LeaderInput.self),
                writer: try ServicesController.writer(req), on: req.db), req)
    }

    @Sendable func registrations(req: Request) async throws -> [DualRegistrationRow] {
        try await OrganisationsQueries.registrations(for: try req.requireActor(), unit: req.query[UUID.self, at: "unit"], limit: 1_000, on: req.db)
    }

    @Sendable func register(req: Request) async throws -> Response {
        try await ServicesController.created(
            try await OrganisationsService.register(
                try req.content.decode(DualRegistrationInput.self),
                writer: try ServicesController.writer(req), on: req.db), req)
    }

    @Sendable func claim(req: Request) async throws -> Response {
        try await ServicesController.created(
            try await OrganisationsService.claim(
                try req.pathID(), try req.content.decode(ClaimInput.self),
                writer: try ServicesController.writer(req), on: req.db), req)
    }

    @Sendable func serviceRecords(req: Request) async throws -> [ServiceRecordRow] {
        let actor = try req.requireActor()
        let reg = try await OrganisationsService.actionable(try req.pathID(), actor: actor, on: req.db)
        return try await OrganisationsQueries.serviceRecords(of: reg.id, limit: 500, on: req.db)
    }

    @Sendable func recordService(req: Request) async throws -> Response {
        try await ServicesController.created(
            try await OrganisationsService.recordService(
                try req.pathID(), try req.content.decode(ServiceRecordInput.self),
                writer: try ServicesController.writer(req), on: req.db), req)
    }

    /// The period of a report: `from` and `to` (YYYY-MM-DD, both included; default the month so far).
    static func period(_ req: Request) throws -> (CivilDate, CivilDate) {
        let today = today(req)
        var problems: [FieldError] = []
        let from = RegistryRecords.date(
            req.query[String.self, at: "from"], field: "from",
            default: (try? CivilDate(year: today.year, month: today.month, day: 1)) ?? today, into: &problems)
        let to = RegistryRecords.date(req.query[String.self, at: "to"], field: "to", default: today, into: &problems)
        if problems.isEmpty && to < from {
            problems.append(FieldError(field: "to", messageZH: "结束日期不能早于开始日期", messageEN: "The end date cannot be before the start date"))
        }
        guard problems.isEmpty else { throw AppError.validation(problems) }
        return (from, to)
    }

    @Sendable func report(req: Request) async throws -> UnitReport {
        let actor = try req.requireActor()
        guard let unit = try await OrganisationsQueries.unit(try req.pathID(), for: actor, on: req.db) else {
            throw AppError.notFound("驻区单位不存在", "No such unit")
        }
        let (from, to) = try Self.period(req)
        return try await OrganisationsQueries.unitReport(unit, from: from, to: to, for: actor, on: req.db)
    }
}
