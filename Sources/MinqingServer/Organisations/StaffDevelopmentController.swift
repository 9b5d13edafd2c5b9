import Fluent
import Foundation
import MinqingDomain
import Vapor

/// JSON API of staff development (item 6) under `/api/v1/staff`: training sessions with their
/// attendance figures, attendance per cadre, each cadre's attendance rate over a period, and
/// rotations (挂职). Registered by `OrganisationsController`.
struct StaffDevelopmentController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let staff = routes.grouped("api", "v1", "staff").grouped(RequireSignIn())
        let readers = staff.grouped(RequireRole(StaffDevelopmentQueries.readers))
        let managers = staff.grouped(RequireRole(StaffDevelopmentQueries.managers))
        readers.get("trainings", use: trainings)
        managers.post("trainings", use: createTraining)
        readers.get("trainings", ":id", use: training)
        managers.post("trainings", ":id", "attendance", use: recordAttendance)
        readers.get("attendance", use: attendance)
        readers.get("rotations", use: rotations)
        managers.post("rotations", use: createRotation)
    }

    /// Optional `from` / `to` (YYYY-MM-DD) query dates; 422 naming the field when malformed.
    static func optionalPeriod(_ req: Request) throws -> (CivilDate?, CivilDate?) {
        var problems: [FieldError] = []
        func parse(_ name: String) -> CivilDate? {
            guard let raw = req.query[String.self, at: name], !raw.isEmpty else { return nil }
            if let date = try? CivilDate(parsing: raw) { return date }
            problems.append(FieldError(field: name, messageZH: "\(name) 须为 YYYY-MM-DD 的有效日期", messageEN: "\(name) must be a real date as YYYY-MM-DD"))
            return nil
        }
        let from = parse("from"), to = parse("to")
        if let from, let to, to < from {
            problems.append(FieldError(field: "to", messageZH: "结束日期不能早于开始日期", messageEN: "The end date cannot be before the start date"))
        }
        guard problems.isEmpty else { throw AppError.validation(problems) }
        return (from, to)
    }

    /// The period of the attendance report: `from` and `to`, default the calendar year so far.
    static func yearPeriod(_ req: Request) throws -> (CivilDate, CivilDate) {
        let today = OrganisationsController.today(req)
        let (from, to) = try optionalPeriod(req)
        let start = from ?? ((try? CivilDate(year: to?.year ?? today.year, month: 1, day: 1)) ?? today)
        let end = to ?? max(today, start)
        if end < start { throw AppError.validation("to", zh: "结束日期不能早于开始日期", en: "The end date cannot be before the start date") }
        return (start, end)
    }

    @Sendable func trainings(req: Request) async throws -> [TrainingRow] {
        let (from, to) = try Self.optionalPeriod(req)
        let limit = min(max(req.query[Int.self, at: "limit"] ?? 100, 1), 500)
        let offset = max(req.query[Int.self, at: "offset"] ?? 0, 0)
        return try await StaffDevelopmentQueries.trainings(for: try req.requireActor(), from: from, to: to, limit: limit, offset: offset, on: req.db)
    }

    @Sendable func createTraining(req: Request) async throws -> Response {
        try await ServicesController.created(
            try await StaffDevelopmentService.createTraining(
                try req.content.decode(TrainingInput.self),
                writer: try ServicesController.writer(req), on: req.db), req)
    }

    @Sendable func training(req: Request) async throws -> TrainingDetail {
        let actor = try req.requireActor()
        guard let row = try await StaffDevelopmentQueries.training(try req.pathID(), for: actor, on: req.db) else {
            throw StaffDevelopmentService.trainingNotFound
        }
        return TrainingDetail(training: row, attendance: try await StaffDevelopmentQueries.attendance(of: row.id, for: actor, on: req.db))
    }

    @Sendable func recordAttendance(req: Request) async throws -> AttendanceRecorded {
        let id = try req.pathID()
        let recorded = try await StaffDevelopmentService.recordAttendance(
            id, try req.content.decode(AttendanceInput.self),
            writer: try ServicesController.writer(req), on: req.db)
        guard let row = try await StaffDevelopmentQueries.training(id, for: try req.requireActor(), on: req.db) else {
            throw StaffDevelopmentService.trainingNotFound
        }
        return AttendanceRecorded(recorded: recorded, training: row)
    }

    @Sendable func attendance(req: Request) async throws -> CadreAttendanceReport {
        let (from, to) = try Self.yearPeriod(req)
        return try await StaffDevelopmentQueries.cadreAttendance(for: try req.requireActor(), from: from, to: to, on: req.db)
    }

    @Sendable func rotations(req: Request) async throws -> [RotationRow] {
        let limit = min(max(req.query[Int.self, at: "limit"] ?? 200, 1), 1_000)
        let offset = max(req.query[Int.self, at: "offset"] ?? 0, 0)
        let current = req.query[Bool.self, at: "current"] ?? false
        return try await StaffDevelopmentQueries.rotations(
            for: try req.requireActor(), current: current ? OrganisationsController.today(req) : nil,
            limit: limit, offset: offset, on: req.db)
    }

    @Sendable func createRotation(req: Request) async throws -> Response {
        try await ServicesController.created(
            try await StaffDevelopmentService.createRotation(
                try req.content.decode(RotationInput.self),
                writer: try ServicesController.writer(req), on: req.db), req)
    }
}
