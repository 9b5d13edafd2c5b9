import Fluent
import Foundation
import MinqingDomain
import Vapor

/// JSON API of the visit log under `/api/v1/visits`: visits, 十必访, quotas and postings, the
/// compliance report, and 约走访 slots and bookings. Grid staff work inside their scope; a
/// resident reaches the open slots for where they live and their own bookings only.
struct VisitsController: RouteCollection {
    static let staff: Set<Role> = Set(Role.allCases.filter(\.isGridStaff))
    static let bookingParties: Set<Role> = staff.union([.resident])

    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1", "visits").grouped(RequireSignIn())
        let staff = api.grouped(RequireRole(Self.staff))
        staff.post(use: record)
        staff.get(use: list)
        staff.get(":id", use: detail)
        staff.get("must-visit", use: mustVisit)
        staff.get("must-visit", "categories", use: categories)
        staff.put("must-visit", "categories", ":code", use: setFrequency)
        staff.get("quotas", use: quotas)
        staff.put("quotas", ":role", use: setQuota)
        staff.put("postings", ":username", use: setPosting)
        staff.put("residents", ":username", "household", use: linkResident)
        staff.get("compliance", use: compliance)
        staff.post("slots", use: offer)
        staff.post("bookings", ":id", "confirm", use: confirm)
        staff.post("bookings", ":id", "propose", use: propose)
        staff.post("bookings", ":id", "done", use: done)
        let parties = api.grouped(RequireRole(Self.bookingParties))
        parties.get("slots", use: slots)
        parties.get("bookings", use: bookings)
        parties.get("bookings", ":id", use: booking)
        parties.post("bookings", ":id", "cancel", use: cancel)
        let residents = api.grouped(RequireRole(.resident))
        residents.post("bookings", use: book)
        residents.post("bookings", ":id", "accept", use: accept)
    }

    // MARK: query helpers

    static func paging(_ req: Request) -> (limit: Int, offset: Int) {
        let limit = min(max(req.query[Int.self, at: "limit"] ?? 50, 1), 500)
        let offset = min(max(req.query[Int.self, at: "offset"] ?? 0, 0), 1_000_000)
        return (limit, offset)
    }

    static func date(_ req: Request, _ name: String) throws -> CivilDate? {
        guard let raw = req.query[String.self, at: name], !raw.isEmpty else { return nil }
        do { return try CivilDate(parsing: raw) } catch { throw AppError.validation([error.fieldError(field: name)]) }
    }

    // MARK: visits

    @Sendable func record(req: Request) async throws -> Response {
        let id = try await VisitsService.record(
            try req.content.decode(VisitInput.self), writer: try req.writeContext(), vault: req.services.vault, on: req.db)
        return try await VisitCreated(id: id).encodeResponse(status: .created, for: req)
    }

    @Sendable func list(req: Request) async throws -> VisitPage {
        let actor = try req.requireActor()
        let (limit, offset) = Self.paging(req)
        let filter = VisitsQueries.Filter(
            household: req.query[UUID.self, at: "household"], from: try Self.date(req, "from"),
            to: try Self.date(req, "to"),
            visitor: req.query[Bool.self, at: "mine"] == true ? actor.accountID : nil, outcome: try Self.outcome(req))
        return try await VisitsQueries.list(filter, in: actor.scope, limit: limit, offset: offset, on: req.db)
    }

    /// `?outcome=met|nobody_home`: only visits with that outcome (every one when absent).
    static func outcome(_ req: Request) throws -> VisitOutcome? {
        guard let raw = req.query[String.self, at: "outcome"], !raw.isEmpty else { return nil }
        guard let outcome = VisitOutcome(rawValue: raw) else {
            throw AppError.validation(
                "outcome", zh: "走访结果须为见到了（met）或无人在家（nobody_home）。",
                en: "The outcome is met (met the household) or nobody_home (nobody was home).")
        }
        return outcome
    }

    @Sendable func detail(req: Request) async throws -> VisitDetail {
        let actor = try req.requireActor()
        guard let visit = try await VisitsQueries.detail(try req.pathID(), in: actor.scope, on: req.db) else {
            throw AppError.notFound("走访记录不存在或不在您的管辖范围内", "No such visit in your scope")
        }
        return visit
    }

    // MARK: 十必访

    @Sendable func mustVisit(req: Request) async throws -> MustVisitQueries.Report {
        let actor = try req.requireActor()
        let (limit, offset) = Self.paging(req)
        let status = MustVisitQueries.Status(rawValue: req.query[String.self, at: "status"] ?? "due") ?? .due
        return try await MustVisitQueries.report(
            actor: actor, node: req.query[String.self, at: "node"], category: req.query[String.self, at: "category"],
            status: status, today: CivilDate.today(now: req.now), limit: limit, offset: offset, on: req.db)
    }

    @Sendable func categories(req: Request) async throws -> [MustVisitQueries.CategoryRow] {
        try await MustVisitQueries.categories(on: req.db)
    }

    @Sendable func setFrequency(req: Request) async throws -> MustVisitQueries.CategoryRow {
        try await VisitSettingsService.setFrequency(
            code: req.parameters.get("code") ?? "", try req.content.decode(VisitSettingsService.FrequencyInput.self),
            writer: try req.writeContext(), on: req.db)
    }

    // MARK: quotas, postings, compliance

    @Sendable func quotas(req: Request) async throws -> [VisitSettingsService.QuotaRow] {
        try await VisitSettingsService.quotas(on: req.db)
    }

    @Sendable func setQuota(req: Request) async throws -> VisitSettingsService.QuotaRow {
        try await VisitSettingsService.setQuota(
            role: req.parameters.get("role") ?? "", try req.content.decode(VisitSettingsService.QuotaInput.self),
            writer: try req.writeContext(), on: req.db)
    }

    @Sendable func setPosting(req: Request) async throws -> HTTPStatus {
        try await VisitSettingsService.setPosting(
            username: req.parameters.get("username") ?? "",
            try req.content.decode(VisitSettingsService.PostingInput.self), writer: try req.writeContext(), on: req.db)
        return .noContent
    }

    @Sendable func linkResident(req: Request) async throws -> HTTPStatus {
        try await VisitSettingsService.linkResident(
            username: req.parameters.get("username") ?? "",
            try req.content.decode(VisitSettingsService.ResidentInput.self), writer: try req.writeContext(), on: req.db)
        return .noContent
    }

    @Sendable func compliance(req: Request) async throws -> ComplianceQueries.Report {
        let actor = try req.requireActor()
        let scope = try await Self.scope(req, actor: actor)
        guard let kind = ComplianceQueries.PeriodKind(rawValue: req.query[String.self, at: "period"] ?? "month") else {
            throw AppError.validation("period", zh: "周期须为 week、month 或 year", en: "period must be week, month or year")
        }
        let today = CivilDate.today(now: req.now)
        return try await ComplianceQueries.report(
            in: scope, kind: kind, date: try Self.date(req, "date") ?? today, today: today,
            calendar: req.services.calendar, on: req.db)
    }

    /// `?node=CODE` narrows the caller's scope to a node inside it (404 outside).
    static func scope(_ req: Request, actor: Actor) async throws -> GridScope {
        guard let code = req.query[String.self, at: "node"], !code.isEmpty else { return actor.scope }
        guard let node = try await GridQueries.node(code: code, in: actor.scope, on: req.db) else {
            throw AppError.notFound("网格节点不存在或不在您的管辖范围内", "No such grid node in your scope")
        }
        return GridQueries.scope(rootedAt: node)
    }

    // MARK: 约走访

    @Sendable func offer(req: Request) async throws -> Response {
        let id = try await BookingService.offer(try req.content.decode(BookingService.SlotInput.self), writer: try req.writeContext(), on: req.db)
        return try await VisitCreated(id: id).encodeResponse(status: .created, for: req)
    }

    @Sendable func slots(req: Request) async throws -> [BookingQueries.SlotRow] {
        let actor = try req.requireActor()
        let (limit, _) = Self.paging(req)
        if actor.role == .resident { return try await BookingQueries.openSlots(for: actor, now: req.now, limit: limit, on: req.db) }
        return try await BookingQueries.slots(in: actor.scope, after: req.now, limit: limit, on: req.db)
    }

    @Sendable func book(req: Request) async throws -> Response {
        let id = try await BookingService.book(try req.content.decode(BookingService.BookInput.self), writer: try req.writeContext(), on: req.db)
        return try await VisitCreated(id: id).encodeResponse(status: .created, for: req)
    }

    @Sendable func bookings(req: Request) async throws -> [BookingQueries.BookingRow] {
        let actor = try req.requireActor()
        return try await BookingQueries.bookings(
            for: actor, active: req.query[Bool.self, at: "active"] ?? false,
            limit: Self.paging(req).limit, on: req.db)
    }

    @Sendable func booking(req: Request) async throws -> BookingQueries.BookingRow {
        guard let row = try await BookingQueries.booking(try req.pathID(), for: try req.requireActor(), on: req.db) else {
            throw BookingService.notFound
        }
        return row
    }

    @Sendable func confirm(req: Request) async throws -> HTTPStatus {
        try await BookingService.confirm(try req.pathID(), writer: try req.writeContext(), on: req.db)
        return .noContent
    }

    @Sendable func propose(req: Request) async throws -> HTTPStatus {
        try await BookingService.propose(
            try req.pathID(), try req.content.decode(BookingService.ProposeInput.self), writer: try req.writeContext(), on: req.db)
        return .noContent
    }

    @Sendable func accept(req: Request) async throws -> HTTPStatus {
        try await BookingService.accept(try req.pathID(), writer: try req.writeContext(), on: req.db)
        return .noContent
    }

    @Sendable func cancel(req: Request) async throws -> HTTPStatus {
        try await BookingService.cancel(try req.pathID(), writer: try req.writeContext(), on: req.db)
        return .noContent
    }

    @Sendable func done(req: Request) async throws -> Response {
        let id = try await BookingService.done(
            try req.pathID(), try req.content.decode(VisitInput.self), writer: try req.writeContext(), vault: req.services.vault, on: req.db)
        return try await VisitCreated(id: id).encodeResponse(status: .created, for: req)
    }
}
