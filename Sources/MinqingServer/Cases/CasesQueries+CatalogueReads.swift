import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// The reads behind the catalogue's pages (`/cases/catalogue`, `/cases/projects` and the case
/// page's project form): every category whether offered or not, the department accounts in the
/// caller's scope with their department, and the projects the caller may put a case into.
extension CasesQueries {
    /// A category of the catalogue as its page lists it: limits, default department by name, and
    /// whether it is still offered.
    struct CatalogueCategory: Decodable, Sendable {
        var code: String
        var parent_code: String?
        var kind: CaseCategoryKind
        var name_zh: String
        var name_en: String
        var department_code: String?
        var department_name_zh: String?
        var department_name_en: String?
        var limit_file: String
        var limit_dispatch: String
        var limit_response: String
        var limit_handle: String
        var limit_verify: String
        var active: Bool

        /// The stored limit of `stage` (`limit_file` …, the field names of `CasesCatalogueService.limitFields`).
        func limit(_ stage: CaseStage) -> String {
            switch stage {
            case .filing: limit_file
            case .dispatching: limit_dispatch
            case .responding: limit_response
            case .handling: limit_handle
            case .verifying: limit_verify
            }
        }
    }

    /// A department-handler account and the department it is bound to (nil: none yet).
    struct DepartmentAccount: Decodable, Sendable {
        var username: String
        var display_name: String
        var disabled: Bool
        var department_code: String?
        var department_name_zh: String?
        var department_name_en: String?
    }

    /// A project a case may be put into.
    struct ProjectChoice: Decodable, Sendable {
        var id: UUID
        var code: String
        var name_zh: String
        var name_en: String
        var year: Int
    }

    /// Every category, offered or withdrawn, in the catalogue's order.
    static func catalogue(on db: any Database) async throws -> [CatalogueCategory] {
        try await db.sql.raw(
            """
            SELECT cc.code, cc.parent_code, cc.kind, cc.name_zh, cc.name_en, d.code AS department_code, d.name_zh AS department_name_zh,
                   d.name_en AS department_name_en, cc.limit_file, cc.limit_dispatch, cc.limit_response, cc.limit_handle, cc.limit_verify,
                   cc.active
            FROM case_categories cc LEFT JOIN departments d ON d.id = cc.department_id
            ORDER BY cc.sort_order, cc.code
            """
        ).all(decoding: CatalogueCategory.self)
    }

    /// The department-handler accounts inside `scope`, by name, each with its department.
    static func departmentAccounts(in scope: GridScope, on db: any Database) async throws -> [DepartmentAccount] {
        try await db.sql.raw(
            """
            SELECT a.username, a.display_name, a.disabled, d.code AS department_code, d.name_zh AS department_name_zh,
                   d.name_en AS department_name_en
            FROM accounts a LEFT JOIN department_accounts da ON da.account_id = a.id LEFT JOIN departments d ON d.id = da.department_id
            WHERE a.role = \(bind: Role.departmentHandler.rawValue) AND \(scope.contains(SQLColumn("grid_node_id", table: "a")))
            ORDER BY a.display_name, a.username
            LIMIT 500
            """
        ).all(decoding: DepartmentAccount.self)
    }

    /// The projects `actor` works with: those of the actor's subdistrict, of a subdistrict inside
    /// the actor's scope (an administrator's), and those set up above any subdistrict.
    static func projectVisible(_ actor: Actor, alias p: String = "p") -> SQLQueryString {
        let column = SQLColumn("subdistrict_id", table: p)
        guard let own = actor.subdistrictID else {
            return "(\(ident: p).subdistrict_id IS NULL OR \(actor.scope.contains(column)))"
        }
        return "(\(ident: p).subdistrict_id IS NULL OR \(ident: p).subdistrict_id = \(bind: own) OR \(actor.scope.contains(column)))"
    }

    /// The projects `actor` may put a case into, newest year first.
    static func projectChoices(for actor: Actor, on db: any Database) async throws -> [ProjectChoice] {
        try await db.sql.raw(
            """
            SELECT p.id, p.code, p.name_zh, p.name_en, p.year FROM case_projects p
            WHERE \(projectVisible(actor)) ORDER BY p.year DESC, p.code LIMIT 500
            """
        ).all(decoding: ProjectChoice.self)
    }

    /// The project of the case `id` if `actor` sees the case and it is in one; nil otherwise.
    static func project(of id: CaseID, visibleTo actor: Actor, on db: any Database) async throws -> UUID? {
        struct Row: Decodable { var project_id: UUID? }
        return try await db.sql.raw("SELECT c.project_id FROM cases c WHERE c.id = \(bind: id) AND \(visible(actor))")
            .first(decoding: Row.self)?.project_id
    }
}
