import Fluent
import Foundation
import MinqingDomain
import Vapor

/// JSON API of 6543 oversight under `/api/v1/oversight`: property companies with their credit
/// ledger and list standing, inspections (a finding may become a case), surveys, complaints and
/// rectifications; owners' committees, members, corrections and exits, disclosures; shops and
/// 门责制 pledges; compound checklists and the five concerns' programmes; a resident's own compound.
struct OversightController: RouteCollection {
    static let staff: Set<Role> = Set(Role.allCases.filter(\.isGridStaff))
    static let managers: Set<Role> = [.admin, .subdistrictStaff]
    static let committeeReaders: Set<Role> = staff.union([.ownersCommittee])
    static let disclosureReaders: Set<Role> = committeeReaders.union([.resident])
    /// Grid staff, and a property-company account for the company it is linked to (`OversightQueries.companyReach`).
    static let companyReaders: Set<Role> = staff.union([.propertyCompany])

    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1", "oversight").grouped(RequireSignIn())
        let staff = api.grouped(RequireRole(Self.staff))
        let committees = api.grouped(RequireRole(Self.committeeReaders))
        staff.get("companies", use: companies)
        api.grouped(RequireRole(Self.managers)).post("companies", use: createCompany)
        api.grouped(RequireRole(Self.companyReaders)).get("companies", ":id", use: company)
        api.grouped(RequireRole(Self.managers)).put("company-accounts", ":username", use: linkAccount)
        api.grouped(RequireRole(Self.companyReaders)).get("companies", ":id", "staff", use: companyStaff)
        staff.post("companies", ":id", "staff", use: addStaff)
        staff.post("companies", ":id", "staff", ":staff", "end", use: endStaff)
        staff.post("companies", ":id", "contracts", use: addContract)
        staff.post("companies", ":id", "inspections", use: inspectCompany)
        staff.post("companies", ":id", "surveys", use: survey)
        staff.post("companies", ":id", "complaints", use: complaint)
        staff.post("rectifications", ":id", "close", use: closeRectification)
        let ownCompany = api.grouped(RequireRole(.propertyCompany))
        ownCompany.post("rectifications", ":id", "answers", use: answerRectification)
        ownCompany.post("complaints", ":id", "answers", use: answerComplaint)
        committees.get("committees", use: committeeList)
        staff.post("committees", use: createCommittee)
        committees.get("committees", ":id", use: committee)
        staff.post("committees", ":id", "members", use: addMember)
        staff.post("committees", ":id", "records", use: addRecord)
        committees.post("committees", ":id", "disclosures", use: publish)
        api.grouped(RequireRole(Self.disclosureReaders)).get("disclosures", ":id", use: disclosure)
        api.grouped(RequireRole(.resident)).get("my-compound", use: myCompound)
        staff.get("shops", use: shops)
        staff.post("shops", use: registerShop)
        staff.post("shops", ":id", "pledges", use: pledge)
        staff.post("shops", ":id", "inspections", use: inspectShop)
        staff.get("checklists", use: checklists)
        staff.put("checklists", ":compound", ":measure", use: setMeasure)
        staff.get("programmes", use: programmes)
        staff.patch("projects", ":id", use: updateProject)
        staff.post("projects", ":id", "milestones", use: addMilestone)
        staff.post("milestones", ":id", "done", use: completeMilestone)
    }

    struct ShopPage: Content { var total: Int; var shops: [ShopRow] }

    static func writer(_ req: Request) throws -> WriteContext {
        try req.writeContext()
    }

    static func created(_ id: UUID, _ req: Request) async throws -> Response {
        try await RegistryController.Created(id: id).encodeResponse(status: .created, for: req)
    }

    @Sendable func companies(req: Request) async throws -> [CompanyRow] {
        try await OversightQueries.companies(in: try req.requireActor().scope, now: req.now, on: req.db)
    }

    @Sendable func createCompany(req: Request) async throws -> Response {
        try await Self.created(
            try await OversightService.createCompany(try req.content.decode(CompanyInput.self), writer: try Self.writer(req), on: req.db), req)
    }

    @Sendable func company(req: Request) async throws -> CompanyDetail {
        guard let detail = try await OversightQueries.detail(try req.pathID(), for: try req.requireActor(), now: req.now, on: req.db) else {
            throw OversightService.companyNotFound
        }
        return detail
    }

    @Sendable func addContract(req: Request) async throws -> Response {
        try await Self.created(
            try await OversightService.addContract(
                try req.pathID(), try req.content.decode(ContractInput.self),
                writer: try Self.writer(req), on: req.db), req)
    }

    @Sendable func inspectCompany(req: Request) async throws -> Response {
        let result = try await OversightService.inspectCompany(
            try req.pathID(), try req.content.decode(InspectionInput.self),
            writer: try Self.writer(req), on: req.db)
        return try await result.encodeResponse(status: .created, for: req)
    }

    @Sendable func survey(req: Request) async throws -> Response {
        try await Self.created(
            try await OversightService.recordSurvey(
                try req.pathID(), try req.content.decode(SurveyInput.self),
                writer: try Self.writer(req), on: req.db), req)
    }

    @Sendable func complaint(req: Request) async throws -> Response {
        try await Self.created(
            try await OversightService.recordComplaint(
                try req.pathID(), try req.content.decode(ComplaintInput.self),
                writer: try Self.writer(req), on: req.db), req)
    }

    @Sendable func closeRectification(req: Request) async throws -> CompanyRow {
        try await OversightService.closeRectification(
            try req.pathID(), try req.content.decode(RectificationCloseInput.self),
            writer: try Self.writer(req), on: req.db)
    }

    @Sendable func committeeList(req: Request) async throws -> [CommitteeRow] {
        try await OversightQueries.committees(for: try req.requireActor(), on: req.db)
    }

    @Sendable func createCommittee(req: Request) async throws -> Response {
        try await Self.created(
            try await OversightService.createCommittee(
                try req.content.decode(CommitteeInput.self), writer: try Self.writer(req),
                on: req.db), req)
    }

    @Sendable func committee(req: Request) async throws -> CommitteeDetail {
        guard let detail = try await OversightQueries.committeeDetail(try req.pathID(), for: try req.requireActor(), now: req.now, on: req.db) else {
            throw OversightService.committeeNotFound
        }
        return detail
    }

    @Sendable func addMember(req: Request) async throws -> Response {
        try await Self.created(
            try await OversightService.addMember(
                try req.pathID(), try req.content.decode(MemberInput.self),
                writer: try Self.writer(req), on: req.db), req)
    }

    @Sendable func addRecord(req: Request) async throws -> Response {
        try await Self.created(
            try await OversightService.addRecord(
                try req.pathID(), try req.content.decode(CommitteeRecordInput.self),
                writer: try Self.writer(req), on: req.db), req)
    }

    @Sendable func publish(req: Request) async throws -> Response {
        try await Self.created(
            try await OversightService.publish(
                try req.pathID(), try req.content.decode(DisclosureInput.self),
                writer: try Self.writer(req), on: req.db), req)
    }

    @Sendable func disclosure(req: Request) async throws -> DisclosureRow {
        guard let row = try await OversightQueries.disclosure(try req.pathID(), for: try req.requireActor(), on: req.db) else {
            throw AppError.notFound("公示不存在或不属于您的小区", "No such disclosure for your compound")
        }
        return row
    }

    @Sendable func myCompound(req: Request) async throws -> [MyCompound] {
        try await OversightQueries.myCompounds(try req.requireActor(), now: req.now, on: req.db)
    }

    @Sendable func shops(req: Request) async throws -> ShopPage {
        let limit = min(max((try? req.query.get(Int.self, at: "limit")) ?? 100, 1), 500)
        let offset = max((try? req.query.get(Int.self, at: "offset")) ?? 0, 0)
        let search = (try? req.query.get(String.self, at: "q"))?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        let page = try await OversightQueries.shops(in: try req.requireActor().scope, search: search, limit: limit, offset: offset, on: req.db)
        return ShopPage(total: page.total, shops: page.rows)
    }

    @Sendable func registerShop(req: Request) async throws -> Response {
        try await Self.created(
            try await OversightService.registerShop(
                try req.content.decode(ShopInput.self), writer: try Self.writer(req),
                vault: req.services.vault, on: req.db), req)
    }

    @Sendable func pledge(req: Request) async throws -> Response {
        try await Self.created(
            try await OversightService.pledge(
                try req.pathID(), try req.content.decode(PledgeInput.self),
                writer: try Self.writer(req), on: req.db), req)
    }

    @Sendable func inspectShop(req: Request) async throws -> Response {
        let result = try await OversightService.inspectShop(
            try req.pathID(), try req.content.decode(InspectionInput.self),
            writer: try Self.writer(req), on: req.db)
        return try await result.encodeResponse(status: .created, for: req)
    }

    @Sendable func checklists(req: Request) async throws -> [ChecklistRow] {
        try await OversightQueries.checklists(in: try req.requireActor().scope, compound: try? req.query.get(UUID.self, at: "compound"), on: req.db)
    }

    @Sendable func setMeasure(req: Request) async throws -> ChecklistRow {
        try await OversightService.setMeasure(
            try req.pathID("compound"), code: req.parameters.get("measure") ?? "",
            try req.content.decode(MeasureInput.self), writer: try Self.writer(req), on: req.db)
    }

    @Sendable func programmes(req: Request) async throws -> [ProgrammeRow] {
        try await OversightQueries.programmes(in: try req.requireActor().scope, on: req.db)
    }

    @Sendable func updateProject(req: Request) async throws -> ProjectRow {
        try await OversightService.updateProject(
            try req.pathID(), try req.content.decode(ProjectUpdateInput.self), writer: try Self.writer(req), on: req.db)
    }

    @Sendable func addMilestone(req: Request) async throws -> Response {
        try await Self.created(
            try await OversightService.addMilestone(
                try req.pathID(), try req.content.decode(MilestoneInput.self),
                writer: try Self.writer(req), on: req.db), req)
    }

    @Sendable func completeMilestone(req: Request) async throws -> ProjectRow {
        try await OversightService.completeMilestone(
            try req.pathID(), try req.content.decode(MilestoneDoneInput.self), writer: try Self.writer(req), on: req.db)
    }

    @Sendable func linkAccount(req: Request) async throws -> HTTPStatus {
        try await OversightService.linkAccount(
            username: req.parameters.get("username") ?? "", try req.content.decode(CompanyAccountInput.self),
            writer: try Self.writer(req), on: req.db)
        return .noContent
    }
}
