import Fluent
import Foundation
import MinqingDomain
import Vapor

/// 归入项目 from the case page: the dispatcher puts the case into a project of the select, or takes
/// it out with "in no project", through `CasesCatalogueService.link` as `PUT /api/v1/cases/{id}/project`.
extension CasesPages {
    struct ProjectLinkForm: Content { var project_id: String? }

    /// A project that is not one of the select's (a hand-edited form).
    static let unknownProject = AppError.validation("project_id", zh: "请从列表中选择项目", en: "Choose a project from the list")

    @Sendable func linkProject(req: Request) async throws -> Response {
        let id = CaseID(try req.pathID(notFound: CasesService.notFound))
        let text = (try req.content.decode(ProjectLinkForm.self).project_id ?? "").trimmingCharacters(in: .whitespaces)
        return try await attempt(req, id, form: "project", typed: ["project_id": text]) {
            var project: UUID?
            if !text.isEmpty {
                guard let chosen = UUID(uuidString: text) else { throw Self.unknownProject }
                project = chosen
            }
            try await CasesCatalogueService.link(id, project: project, writer: WriteContext(try req.requireActor(), req), on: req.db)
        }
    }
}
