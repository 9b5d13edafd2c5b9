import Foundation
import MinqingDomain
import Vapor

/// The company page's staff forms: add a person of the register (found by name within the
/// caller's scope) and end a staff member's service; the same service as the JSON API, PRG.
extension OversightPages {
    struct StaffForm: Content { var person_id: String?; var role: String?; var started_on: String? }
    struct StaffEndForm: Content { var ended_on: String? }

    @Sendable func addStaff(req: Request) async throws -> Response {
        let id = try req.pathID()
        let form = try req.content.decode(StaffForm.self)
        return try await submit(
            req, form: "staff", to: Self.companyPath(id, done: "staff"), rerender: { try await renderCompany(req, id: id, posted: $0) }
        ) {
            _ = try await OversightService.addStaff(
                id, StaffInput(person_id: Self.chosen(form.person_id), role: form.role, started_on: form.started_on),
                writer: try OversightController.writer(req), on: req.db)
        }
    }

    @Sendable func endStaff(req: Request) async throws -> Response {
        let id = try req.pathID()
        let staff = try req.pathID("staff")
        let form = try req.content.decode(StaffEndForm.self)
        return try await submit(
            req, form: "staff-end", to: Self.companyPath(id, done: "staff_ended"), rerender: { try await renderCompany(req, id: id, posted: $0) }
        ) {
            try await OversightService.endStaff(
                id, staff: staff, StaffEndInput(ended_on: form.ended_on), writer: try OversightController.writer(req), on: req.db)
        }
    }
}
