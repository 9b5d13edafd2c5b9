import Fluent
import Foundation
import MinqingDomain
import Vapor

/// JSON API of 约空间 / 临汾共享 / 智慧临小二 services under `/api/v1/services`: resources and
/// their slots, bookings and their actions, limited-stock campaigns, and the time-bank ledger.
struct ServicesController: RouteCollection {
    /// Everybody who uses the services: staff, residents and organisations (not departments).
    static let users: Set<Role> = Set(Role.allCases.filter { $0 != .departmentHandler })
    static let staff: Set<Role> = Set(Role.allCases.filter(\.isGridStaff))
    static let bookers: Set<Role> = ServicesService.organisationRoles.union([.resident])

    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1", "services").grouped(RequireSignIn())
        let users = api.grouped(RequireRole(Self.users))
        let staff = api.grouped(RequireRole(Self.staff))
        users.get("resources", use: resources)
        staff.post("resources", use: createResource)
        users.get("resources", ":id", "slots", use: slots)
        staff.post("resources", ":id", "slots", use: openSlots)
        users.get("bookings", use: bookings)
        api.grouped(RequireRole(Self.bookers)).post("bookings", use: book)
        users.post("bookings", ":id", ":action", use: act)
        staff.post("campaigns", use: createCampaign)
        staff.get("campaigns", ":id", "reservations.csv", use: campaignCSV)
        api.grouped(RequireRole(Self.staff.union([.resident]))).get("campaigns", ":id", use: campaign)
        api.grouped(RequireRole(.resident)).post("campaigns", ":id", "reservations", use: reserve)
        api.grouped(RequireRole(Self.staff.union([.resident]))).get("campaigns", use: campaigns)
        api.grouped(RequireRole(Self.staff.union([.resident]))).get("campaigns", ":id", "form", use: form)
        api.grouped(RequireRole(.resident)).post("campaigns", ":id", "entries", use: submit)
        staff.get("campaigns", ":id", "entries.csv", use: entriesCSV)
        staff.post("campaigns", ":id", "entries.csv", use: plainEntriesCSV)
        staff.post("campaigns", ":id", "roster", use: enrol)
        staff.get("campaigns", ":id", "days", use: days)
        staff.get("campaigns", ":id", "missed", use: missed)
        staff.get("campaigns", ":id", "missed", "by-group", use: missedByGroup)
        staff.get("campaigns", ":id", "alerts", use: checkinAlerts)
        staff.post("campaigns", ":id", "remind", use: remind)
        api.grouped(RequireRole(.resident)).post("campaigns", ":id", "enrol", use: selfEnrol)
        api.grouped(RequireRole(.resident)).post("campaigns", ":id", "checkins", use: dailyCheckIn)
        api.grouped(RequireRole(.resident)).get("campaigns", ":id", "checkins", "me", use: myCheckins)
        staff.post("ledger", "awards", use: award)
        staff.post("ledger", "transfers", ":id", "reverse", use: reverse)
        users.post("ledger", "redemptions", use: redeem)
        api.get("ledger", "me", use: mine)
        bootLedger(users: users)
        users.get("teams", use: teams)
        staff.post("teams", use: createTeam)
        users.get("teams", ":id", use: team)
        staff.post("teams", ":id", "members", use: addMember)
        staff.post("teams", ":id", "members", ":username", "leave", use: leaveTeam)
        users.get("rewards", use: rewards)
        staff.post("rewards", use: createReward)
        users.post("rewards", ":id", "redemptions", use: redeemReward)
        users.get("activities", use: activities)
        staff.post("activities", use: createActivity)
        api.grouped(RequireRole(Self.bookers)).post("activities", ":id", "signups", use: signUp)
        staff.post("activities", ":id", "check-ins", use: checkIn)
        bootSlots(staff: staff, bookers: api.grouped(RequireRole(Self.bookers)))
    }

    struct OpenSlots: Content { var open: Int }

    static func writer(_ req: Request) throws -> WriteContext {
        try req.writeContext()
    }

    static func created(_ id: UUID, _ req: Request) async throws -> Response {
        try await RegistryController.Created(id: id).encodeResponse(status: .created, for: req)
    }

    @Sendable func resources(req: Request) async throws -> [ResourceRow] {
        let limit = min(max((try? req.query.get(Int.self, at: "limit")) ?? 200, 1), 500)
        return try await ServicesQueries.resources(
            for: try req.requireActor(), category: try? req.query.get(String.self, at: "category"),
            limit: limit, on: req.db)
    }

    @Sendable func createResource(req: Request) async throws -> Response {
        try await Self.created(
            try await ServicesService.createResource(
                try req.content.decode(ResourceInput.self), writer: try Self.writer(req),
                on: req.db), req)
    }

    @Sendable func slots(req: Request) async throws -> [ServiceSlotRow] {
        let actor = try req.requireActor()
        let id = try req.pathID()
        guard try await ServicesQueries.resource(id, for: actor, on: req.db) != nil else { throw ServicesService.resourceNotFound }
        try await SlotService.topUp(for: actor, resource: id, now: req.now, calendar: req.services.calendar, on: req.db)
        let date = (try? req.query.get(String.self, at: "date")) ?? CivilDate(req.now, in: .shanghai).iso8601
        return try await ServicesQueries.slots(id, on: date, for: actor, on: req.db)
    }

    @Sendable func openSlots(req: Request) async throws -> Response {
        let open = try await ServicesService.openSlots(
            try req.pathID(), try req.content.decode(SlotsInput.self), writer: try Self.writer(req), on: req.db)
        return try await OpenSlots(open: open).encodeResponse(status: .ok, for: req)
    }

    @Sendable func bookings(req: Request) async throws -> [ServiceBookingRow] {
        try await ServicesQueries.bookings(for: try req.requireActor(), limit: 200, on: req.db)
    }

    @Sendable func book(req: Request) async throws -> Response {
        try await Self.created(
            try await ServicesService.book(try req.content.decode(ServiceBookInput.self), writer: try Self.writer(req), on: req.db), req)
    }

    @Sendable func act(req: Request) async throws -> ServiceBookingRow {
        guard let action = ServicesService.Action(rawValue: req.parameters.get("action") ?? "") else { throw AppError.notFound() }
        let id = try req.pathID()
        let writer = try Self.writer(req)
        try await ServicesService.act(id, action, writer: writer, on: req.db)
        guard let row = try await ServicesQueries.booking(id, for: writer.actor, on: req.db) else { throw ServicesService.notFound }
        return row
    }

    @Sendable func createCampaign(req: Request) async throws -> Response {
        try await Self.created(
            try await CampaignService.create(try req.content.decode(CampaignInput.self), writer: try Self.writer(req), on: req.db), req)
    }

    @Sendable func campaign(req: Request) async throws -> CampaignFigures {
        try await CampaignService.figures(try req.pathID(), for: try req.requireActor(), on: req.db)
    }

    @Sendable func reserve(req: Request) async throws -> Response {
        try await Self.created(
            try await CampaignService.reserve(
                try req.pathID(), try req.content.decode(ReserveInput.self),
                writer: try Self.writer(req), queue: req.application.reservationQueue, on: req.db), req)
    }

    @Sendable func campaigns(req: Request) async throws -> [CampaignService.Listed] {
        try await CampaignService.list(for: try req.requireActor(), openOnly: req.query[String.self, at: "open"] == "true", on: req.db)
    }

    @Sendable func form(req: Request) async throws -> CampaignFormService.FormView {
        try await CampaignFormService.view(try req.pathID(), for: try req.requireActor(), on: req.db)
    }

    @Sendable func submit(req: Request) async throws -> Response {
        let input = try req.content.decode(CampaignFormService.EntryInput.self)
        return try await Self.created(
            try await CampaignFormService.submit(
                try req.pathID(), input.answers ?? [:], writer: try Self.writer(req),
                vault: req.services.vault, on: req.db), req)
    }

    /// The entries with masked numbers. Plain numbers are never a link (a cross-site link would
    /// carry the session): they are a POST with a stated purpose (`plainEntriesCSV`).
    @Sendable func entriesCSV(req: Request) async throws -> Response {
        if try RegistryTransferController.flag(req.query[String.self, at: "plain"], field: "plain", default: false) {
            throw AppError.validation("plain", zh: "导出完整号码须用 POST 提交用途", en: "Plain numbers are exported by a POST with a stated purpose")
        }
        let csv = try await CampaignFormService.csv(
            try req.pathID(), plain: false, purpose: nil,
            writer: try Self.writer(req), vault: req.services.vault, lang: req.fileLang, on: req.db)
        return RegistryTransferController.csvResponse(csv, name: "entries", node: try req.pathID().uuidString.prefix(8).description)
    }

    struct PlainExportInput: Content { var purpose: String?; var purpose_detail: String? }

    /// The entries with plain numbers, for roles that may reveal them, with a stated purpose.
    @Sendable func plainEntriesCSV(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        guard actor.role.mayRevealPersonalNumbers else { throw AppError.forbidden }
        let input = try req.content.decode(PlainExportInput.self)
        let purpose = try StatedPurpose.required(purpose: input.purpose, detail: input.purpose_detail)
        let csv = try await CampaignFormService.csv(
            try req.pathID(), plain: true, purpose: purpose,
            writer: try Self.writer(req), vault: req.services.vault, lang: req.fileLang, on: req.db)
        return RegistryTransferController.csvResponse(csv, name: "entries", node: try req.pathID().uuidString.prefix(8).description)
    }

    @Sendable func enrol(req: Request) async throws -> CheckinService.Enrolled {
        try await CheckinService.enrol(
            try req.pathID(), try req.content.decode(CheckinService.RosterInput.self), writer: try Self.writer(req), on: req.db)
    }

    @Sendable func days(req: Request) async throws -> [CheckinService.Day] {
        try await CheckinService.days(try req.pathID(), for: try req.requireActor(), now: req.now, on: req.db)
    }

    @Sendable func remind(req: Request) async throws -> CheckinService.Reminded {
        try await CheckinService.remind(try req.pathID(), writer: try Self.writer(req), on: req.db)
    }

    @Sendable func missed(req: Request) async throws -> [CheckinService.Missed] {
        try await CheckinService.missed(
            try req.pathID(), on: Self.day(req), node: req.query[String.self, at: "node"], for: try req.requireActor(), on: req.db)
    }

    @Sendable func missedByGroup(req: Request) async throws -> [CheckinService.GroupMissed] {
        try await CheckinService.missedByGroup(try req.pathID(), on: Self.day(req), for: try req.requireActor(), on: req.db)
    }

    @Sendable func checkinAlerts(req: Request) async throws -> [CheckinService.Alert] {
        try await CheckinService.alerts(try req.pathID(), on: Self.day(req), for: try req.requireActor(), on: req.db)
    }

    /// The `date` asked for, else today in Shanghai.
    static func day(_ req: Request) -> String { req.query[String.self, at: "date"] ?? CivilDate(req.now, in: .shanghai).iso8601 }

    @Sendable func selfEnrol(req: Request) async throws -> HTTPStatus {
        try await CheckinService.selfEnrol(try req.pathID(), writer: try Self.writer(req), on: req.db)
        return .noContent
    }

    @Sendable func dailyCheckIn(req: Request) async throws -> Response {
        let input = (try? req.content.decode(CheckinService.CheckinInput.self)) ?? .init(note: nil)
        return try await CheckinService.checkIn(try req.pathID(), input, writer: try Self.writer(req), on: req.db)
            .encodeResponse(status: .created, for: req)
    }

    @Sendable func myCheckins(req: Request) async throws -> CheckinService.Mine {
        try await CheckinService.mine(try req.pathID(), for: try req.requireActor(), now: req.now, on: req.db)
    }

    @Sendable func teams(req: Request) async throws -> [TeamService.Row] {
        try await TeamService.list(for: try req.requireActor(), on: req.db)
    }

    @Sendable func createTeam(req: Request) async throws -> Response {
        try await Self.created(
            try await TeamService.create(try req.content.decode(TeamService.Input.self), writer: try Self.writer(req), on: req.db), req)
    }

    @Sendable func team(req: Request) async throws -> TeamService.Detail {
        try await TeamService.detail(try req.pathID(), for: try req.requireActor(), on: req.db)
    }

    @Sendable func addMember(req: Request) async throws -> Response {
        try await Self.created(
            try await TeamService.addMember(
                try req.pathID(), try req.content.decode(TeamService.MemberInput.self),
                writer: try Self.writer(req), on: req.db), req)
    }

    @Sendable func leaveTeam(req: Request) async throws -> HTTPStatus {
        try await TeamService.leave(try req.pathID(), username: req.parameters.get("username") ?? "", writer: try Self.writer(req), on: req.db)
        return .noContent
    }

    @Sendable func rewards(req: Request) async throws -> [RewardService.Row] {
        try await RewardService.list(for: try req.requireActor(), on: req.db)
    }

    @Sendable func createReward(req: Request) async throws -> Response {
        try await Self.created(
            try await RewardService.create(try req.content.decode(RewardService.Input.self), writer: try Self.writer(req), on: req.db), req)
    }

    @Sendable func redeemReward(req: Request) async throws -> Response {
        try await Self.created(try await RewardService.redeem(try req.pathID(), writer: try Self.writer(req), on: req.db), req)
    }

    @Sendable func award(req: Request) async throws -> Response {
        try await Self.created(try await LedgerService.award(try req.content.decode(AwardInput.self), writer: try Self.writer(req), on: req.db), req)
    }

    @Sendable func reverse(req: Request) async throws -> Response {
        try await Self.created(try await LedgerService.reverse(try req.pathID(), writer: try Self.writer(req), on: req.db), req)
    }

    @Sendable func redeem(req: Request) async throws -> Response {
        try await Self.created(
            try await LedgerService.redeem(try req.content.decode(RedeemInput.self), writer: try Self.writer(req), on: req.db), req)
    }

    @Sendable func mine(req: Request) async throws -> MyLedger {
        try await LedgerService.mine(try req.requireActor(), on: req.db)
    }

    @Sendable func activities(req: Request) async throws -> [VolunteerService.Row] {
        try await VolunteerService.list(for: try req.requireActor(), after: req.now, on: req.db)
    }

    @Sendable func createActivity(req: Request) async throws -> Response {
        try await Self.created(
            try await VolunteerService.create(
                try req.content.decode(VolunteerService.Input.self), writer: try Self.writer(req),
                on: req.db), req)
    }

    @Sendable func signUp(req: Request) async throws -> Response {
        try await Self.created(try await VolunteerService.signUp(try req.pathID(), writer: try Self.writer(req), on: req.db), req)
    }

    @Sendable func checkIn(req: Request) async throws -> Response {
        try await Self.created(
            try await VolunteerService.checkIn(
                try req.pathID(), try req.content.decode(VolunteerService.CheckIn.self),
                writer: try Self.writer(req), on: req.db), req)
    }

    @Sendable func campaignCSV(req: Request) async throws -> Response {
        let csv = try await CampaignService.csv(try req.pathID(), for: try req.requireActor(), lang: req.fileLang, on: req.db)
        return RegistryTransferController.csvResponse(csv, name: "campaign", node: try req.pathID().uuidString.prefix(8).description)
    }
}
