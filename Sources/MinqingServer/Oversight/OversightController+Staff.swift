import Fluent
import Foundation
import MinqingDomain
import Vapor

/// A property company's staff by JSON: the list (company readers, as the credit file), adding a
/// person of the register and ending service (grid staff with the company in scope).
extension OversightController {
    @Sendable func companyStaff(req: Request) async throws -> CompanyStaffList {
        let actor = try req.requireActor()
        let id = try req.pathID()
        guard try await OversightQueries.company(id, reach: OversightQueries.companyReach(actor), now: req.now, on: req.db) != nil else {
            throw OversightService.companyNotFound
        }
        return try await OversightQueries.companyStaff(id, for: actor, now: req.now, on: req.db)
    }

    @Sendable func addStaff(req: Request) async throws -> Response {
        try await Self.created(
            try await OversightService.addStaff(
                try req.pathID(), try req.content.decode(StaffInput.self),
                writer: try Self.writer(req), on: req.db), req)
    }

    @Sendable func endStaff(req: Request) async throws -> CompanyStaffList {
        let id = try req.pathID()
        let input = req.body.data == nil ? StaffEndInput() : try req.content.decode(StaffEndInput.self)
        try await OversightService.endStaff(id, staff: try req.pathID("staff"), input, writer: try Self.writer(req), on: req.db)
        return try await OversightQueries.companyStaff(id, for: try req.requireActor(), now: req.now, on: req.db)
    }
}
