import Foundation
import MinqingDomain
import Vapor

/// A project of the five concerns: the edit form (status, spending typed in yuan and kept in
/// fen, leader, department), its milestones with a done form each, and the add-milestone form.
extension OversightPages {
    struct ProjectForm: Content { var status: String?; var spent_yuan: String?; var leader_name: String?; var department: String? }
    struct MilestoneForm: Content { var name: String?; var due_on: String? }
    struct MilestoneDoneForm: Content { var done_on: String? }

    @Sendable func project(req: Request) async throws -> Response {
        try await renderProject(req, id: try req.pathID(), posted: nil)
    }

    func renderProject(_ req: Request, id: UUID, posted: OversightViews.Posted?) async throws -> Response {
        guard let project = try await OversightQueries.project(id, in: try req.requireActor().scope, on: req.db) else {
            throw OversightService.projectNotFound
        }
        return OversightViews.project(project, ctx: req.pageContext, posted: posted, flash: req.query[String.self, at: "done"])
    }

    @Sendable func updateProject(req: Request) async throws -> Response {
        let id = try req.pathID()
        let form = try req.content.decode(ProjectForm.self)
        return try await submit(
            req, form: "project", to: SiteURL.oversight(.project(.value(id))).path([("done", "project")]), renames: ["spent_fen": "spent_yuan"],
            rerender: { try await renderProject(req, id: id, posted: $0) }
        ) {
            let input = ProjectUpdateInput(
                status: form.status?.nilIfEmpty, spent_fen: try Self.fen(form.spent_yuan, "spent_yuan"),
                leader_name: form.leader_name, department: form.department)
            _ = try await OversightService.updateProject(id, input, writer: try OversightController.writer(req), on: req.db)
        }
    }

    @Sendable func addMilestone(req: Request) async throws -> Response {
        let id = try req.pathID()
        let form = try req.content.decode(MilestoneForm.self)
        return try await submit(
            req, form: "milestone", to: SiteURL.oversight(.project(.value(id))).path([("done", "milestone")]),
            rerender: { try await renderProject(req, id: id, posted: $0) }
        ) {
            _ = try await OversightService.addMilestone(
                id, MilestoneInput(name: form.name, due_on: form.due_on), writer: try OversightController.writer(req),
                on: req.db)
        }
    }

    /// Marks a milestone done; back to its project (a conflict re-renders the project with the reason).
    @Sendable func completeMilestone(req: Request) async throws -> Response {
        let id = try req.pathID()
        let form = try req.content.decode(MilestoneDoneForm.self)
        let writer = try OversightController.writer(req)
        do {
            let project = try await OversightService.completeMilestone(id, MilestoneDoneInput(done_on: form.done_on), writer: writer, on: req.db)
            return req.redirect(to: SiteURL.oversight(.project(.value(project.id))).path([("done", "milestone_done")]), redirectType: .normal)
        } catch let error as AppError where error.status == .unprocessableEntity || error.status == .conflict {
            guard let project = try await OversightQueries.milestoneProject(id, on: req.db) else { throw error }
            return try await renderProject(req, id: project, posted: Self.posted(req, form: "milestone-\(id.uuidString)", error: error))
        }
    }
}
