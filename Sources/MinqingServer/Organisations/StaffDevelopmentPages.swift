import Fluent
import Foundation
import MinqingDomain
import Vapor

/// The staff pages of staff development (item 6): `/staff` (sessions, paged, with their
/// attendance rate; rotations; the forms), `/staff/trainings/{id}` (a session, its attendance and
/// the form to record it per cadre), `/staff/attendance` (each cadre's rate over a period).
/// Reads through the scoped queries, writes through the same service as the JSON API; every form
/// carries the CSRF token. Registered by `OrganisationsPages`.
struct StaffDevelopmentPages: RouteCollection {
    static let pageSize = 20

    func boot(routes: any RoutesBuilder) throws {
        let staff = routes.grouped(RequireSignIn())
        let readers = staff.grouped(RequireRole(StaffDevelopmentQueries.readers))
        let managers = staff.grouped(RequireRole(StaffDevelopmentQueries.managers))
        readers.get(.staff(.index), use: home)
        managers.post(.staff(.trainings), use: createTraining)
        readers.get(.staff(.training(.key)), use: training)
        managers.post(.staff(.trainingAttendance(.key)), use: recordAttendance)
        readers.get(.staff(.attendance), use: attendance)
        managers.post(.staff(.rotations), use: createRotation)
    }

    @Sendable func home(req: Request) async throws -> Response { try await renderHome(req, error: nil, form: [:]) }

    func renderHome(_ req: Request, error: AppError?, form: [String: String]) async throws -> Response {
        let actor = try req.requireActor()
        let page = RegistryPages.pageNumber(req)
        let manager = StaffDevelopmentQueries.managers.contains(actor.role)
        let model = StaffDevelopmentViews.HomeModel(
            trainings: try await StaffDevelopmentQueries.trainings(
                for: actor, from: nil, to: nil, limit: Self.pageSize,
                offset: (page - 1) * Self.pageSize, on: req.db),
            page: page, pageSize: Self.pageSize,
            total: try await StaffDevelopmentQueries.trainingCount(for: actor, from: nil, to: nil, on: req.db),
            rotations: try await StaffDevelopmentQueries.rotations(for: actor, current: nil, limit: 100, offset: 0, on: req.db),
            cadres: manager ? try await StaffDevelopmentQueries.cadres(for: actor, on: req.db) : [],
            units: manager ? try await OrganisationsQueries.units(for: actor, on: req.db) : [],
            manager: manager, error: error, flash: req.query[String.self, at: "done"],
            today: OrganisationsController.today(req).iso8601, form: form)
        return StaffDevelopmentViews.home(model, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    struct TrainingForm: Content { var title: String?; var held_on: String?; var node: String?; var minutes: String?; var place: String? }

    @Sendable func createTraining(req: Request) async throws -> Response {
        let f = try req.content.decode(TrainingForm.self)
        let rawMinutes = (f.minutes ?? "").trimmingCharacters(in: .whitespaces)
        let minutes = Int(rawMinutes)
        do {
            if !rawMinutes.isEmpty && minutes == nil {
                throw AppError.validation("minutes", zh: "时长须为整数分钟", en: "minutes must be a whole number")
            }
            let id = try await StaffDevelopmentService.createTraining(
                TrainingInput(title: f.title, held_on: f.held_on, node: f.node, minutes: minutes, place: f.place),
                writer: try ServicesController.writer(req), on: req.db)
            return req.redirect(to: SiteURL.staff(.training(.value(id))).path([("done", "training")]), redirectType: .normal)
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await renderHome(
                req, error: error,
                form: [
                    "title": f.title ?? "", "held_on": f.held_on ?? "", "node": f.node ?? "",
                    "minutes": f.minutes ?? "", "place": f.place ?? ""
                ])
        }
    }

    @Sendable func training(req: Request) async throws -> Response { try await renderTraining(req, error: nil) }

    func renderTraining(_ req: Request, error: AppError?) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.pathID()
        guard let row = try await StaffDevelopmentQueries.training(id, for: actor, on: req.db) else { throw StaffDevelopmentService.trainingNotFound }
        // Recording is for the organisers (the session's node in their scope), once it has taken place.
        var recordable = StaffDevelopmentQueries.managers.contains(actor.role) && row.held_on <= OrganisationsController.today(req).iso8601
        if recordable { recordable = try await StaffDevelopmentQueries.organisedTraining(id, for: actor, on: req.db) != nil }
        let model = StaffDevelopmentViews.TrainingModel(
            training: row, attendance: try await StaffDevelopmentQueries.attendance(of: id, for: actor, on: req.db),
            cadres: recordable ? try await StaffDevelopmentQueries.cadres(for: actor, on: req.db) : [], recordable: recordable,
            error: error, flash: req.query[String.self, at: "done"])
        return StaffDevelopmentViews.training(model, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    /// `status[<account id>]=present|absent|excused` for each cadre marked.
    struct AttendanceForm: Content { var status: [String: String]? }

    @Sendable func recordAttendance(req: Request) async throws -> Response {
        let id = try req.pathID()
        let f = try req.content.decode(AttendanceForm.self)
        let entries = (f.status ?? [:]).sorted { $0.key < $1.key }.map { key, value in
            AttendanceInput.Entry(account_id: UUID(uuidString: key), username: UUID(uuidString: key) == nil ? key : nil, status: value)
        }
        do {
            _ = try await StaffDevelopmentService.recordAttendance(
                id, AttendanceInput(records: entries), writer: try ServicesController.writer(req), on: req.db)
            return req.redirect(to: SiteURL.staff(.training(.value(id))).path([("done", "attendance")]), redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await renderTraining(req, error: error)
        }
    }

    @Sendable func attendance(req: Request) async throws -> Response {
        let (from, to) = try StaffDevelopmentController.yearPeriod(req)
        let report = try await StaffDevelopmentQueries.cadreAttendance(for: try req.requireActor(), from: from, to: to, on: req.db)
        return StaffDevelopmentViews.attendanceReport(report, ctx: req.pageContext)
    }

    struct RotationForm: Content {
        var account_id: String?; var from_unit_id: String?; var to_node: String?; var to_unit_id: String?; var post: String?; var purpose: String?
        var starts_on: String?; var ends_on: String?
    }

    @Sendable func createRotation(req: Request) async throws -> Response {
        let f = try req.content.decode(RotationForm.self)
        func id(_ raw: String?) -> UUID? { UUID(uuidString: (raw ?? "").trimmingCharacters(in: .whitespaces)) }
        do {
            _ = try await StaffDevelopmentService.createRotation(
                RotationInput(
                    account_id: id(f.account_id), username: id(f.account_id) == nil ? f.account_id : nil, from_node: nil,
                    from_unit_id: id(f.from_unit_id), to_node: f.to_node, to_unit_id: id(f.to_unit_id), post: f.post, purpose: f.purpose,
                    starts_on: f.starts_on, ends_on: f.ends_on),
                writer: try ServicesController.writer(req), on: req.db)
            return req.redirect(to: SiteURL.staff(.index).path([("done", "rotation")]), redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await renderHome(
                req, error: error,
                form: [
                    "account_id": f.account_id ?? "", "from_unit_id": f.from_unit_id ?? "",
                    "to_node": f.to_node ?? "", "to_unit_id": f.to_unit_id ?? "", "post": f.post ?? "",
                    "purpose": f.purpose ?? "", "starts_on": f.starts_on ?? "", "ends_on": f.ends_on ?? ""
                ])
        }
    }
}
