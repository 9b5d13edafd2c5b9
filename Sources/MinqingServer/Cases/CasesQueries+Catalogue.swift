import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// The writes and reads of the catalogue (categories, departments, projects) that
/// `CasesCatalogueService` orchestrates.
extension CasesQueries {
    struct CategoryKey: Decodable { var code: String; var parent_code: String? }

    /// The changes to one category (nil: unchanged); `updateCategory` writes them in this order.
    struct CategoryChange: Sendable {
        var nameZH: String?
        var nameEN: String?
        var limits: [(field: String, value: String)] = []
        var departmentID: UUID?
        var active: Bool?

        var isEmpty: Bool { nameZH == nil && nameEN == nil && limits.isEmpty && departmentID == nil && active == nil }
    }

    /// How many categories (active or not) have `code`.
    static func categoryCodeCount(_ code: String, on db: any Database) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await db.sql.raw("SELECT COUNT(*) AS n FROM case_categories WHERE code = \(bind: code)").first(decoding: N.self)?.n ?? 0
    }

    /// Writes a new active category with its limits (`limitTexts` by field of `CasesCatalogueService.limitFields`; "1d" for a missing one).
    static func insertCategory(
        code: String, parentCode: String?, kind: CaseCategoryKind, nameZH zh: String, nameEN en: String, departmentID: UUID?,
        limitTexts: [String: String], on db: any Database
    ) async throws {
        let limitFields = CasesCatalogueService.limitFields
        try await db.sql.insert(into: "case_categories")
            .columns(["id", "code", "parent_code", "kind", "name_zh", "name_en", "department_id"] + limitFields + ["active", "sort_order"])
            .values(
                [SQLBind(UUID()), SQLBind(code), bindOrNull(parentCode), SQLBind(kind.rawValue), SQLBind(zh), SQLBind(en), bindOrNull(departmentID)]
                    + limitFields.map { SQLBind(limitTexts[$0] ?? "1d") } + [SQLBind(true), SQLBind(10_000)]
            )
            .run()
    }

    /// The code and parent of the category with `code` (active or not), or nil.
    static func categoryKey(code: String, on db: any Database) async throws -> CategoryKey? {
        try await db.sql.raw("SELECT code, parent_code FROM case_categories WHERE code = \(bind: code)")
            .first(decoding: CategoryKey.self)
    }

    /// Writes `change` (not empty) to the category with `code`.
    static func updateCategory(code: String, _ change: CategoryChange, on db: any Database) async throws {
        var sets: [SQLQueryString] = []
        if let zh = change.nameZH { sets.append("name_zh = \(bind: zh)") }
        if let en = change.nameEN { sets.append("name_en = \(bind: en)") }
        for (field, value) in change.limits { sets.append("\(ident: field) = \(bind: value)") }
        if let department = change.departmentID { sets.append("department_id = \(bind: department)") }
        if let active = change.active { sets.append("active = \(bind: active)") }
        var assignments: SQLQueryString = ""
        for (n, set) in sets.enumerated() { assignments = n == 0 ? set : "\(assignments), \(set)" }
        try await db.sql.raw("UPDATE case_categories SET \(assignments) WHERE code = \(bind: code)").run()
    }

    /// The category with `code` whether offered or not, or nil.
    static func categoryRecord(code: String, on db: any Database) async throws -> CaseCategoryRecord? {
        try await db.sql.raw(
            """
            SELECT cc.code, cc.parent_code, cc.kind, cc.name_zh, cc.name_en, d.code AS department_code, cc.limit_file, cc.limit_dispatch,
                   cc.limit_response, cc.limit_handle, cc.limit_verify
            FROM case_categories cc LEFT JOIN departments d ON d.id = cc.department_id WHERE cc.code = \(bind: code)
            """
        ).first(decoding: CaseCategoryRecord.self)
    }

    /// How many departments (active or not) have `code`.
    static func departmentCodeCount(_ code: String, on db: any Database) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await db.sql.raw("SELECT COUNT(*) AS n FROM departments WHERE code = \(bind: code)").first(decoding: N.self)?.n ?? 0
    }

    /// Writes a new active department of `subdistrict`.
    static func insertDepartment(code: String, nameZH zh: String, nameEN en: String, subdistrict: UUID?, on db: any Database) async throws {
        try await db.sql.insert(into: "departments").columns("id", "subdistrict_id", "code", "name_zh", "name_en", "active", "sort_order")
            .values(SQLBind(UUID()), bindOrNull(subdistrict), SQLBind(code), SQLBind(zh), SQLBind(en), SQLBind(true), SQLBind(1000))
            .run()
    }

    /// How many projects have `code`.
    static func projectCodeCount(_ code: String, on db: any Database) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await db.sql.raw("SELECT COUNT(*) AS n FROM case_projects WHERE code = \(bind: code)").first(decoding: N.self)?.n ?? 0
    }

    /// Writes a new project of `subdistrict` (the description cut to 2000 characters).
    static func insertProject(
        id: UUID, subdistrict: UUID?, code: String, nameZH zh: String, nameEN en: String, year: Int, target: Int,
        description: String, on db: any Database
    ) async throws {
        try await db.sql.insert(into: "case_projects").columns("id", "subdistrict_id", "code", "name_zh", "name_en", "year", "target", "description")
            .values(
                SQLBind(id), bindOrNull(subdistrict), SQLBind(code), SQLBind(zh), SQLBind(en), SQLBind(year), SQLBind(target),
                SQLBind(String(description.prefix(2000)))
            )
            .run()
    }

    /// Whether the project `id` exists among those `actor` works with (`projectVisible`).
    static func projectExists(_ id: UUID, for actor: Actor, on db: any Database) async throws -> Bool {
        struct P: Decodable { var id: UUID }
        return try await db.sql.raw("SELECT p.id FROM case_projects p WHERE p.id = \(bind: id) AND \(projectVisible(actor))")
            .first(decoding: P.self) != nil
    }

    /// Puts the case `id`, if the writer sees it, into `project` (or none); whether it did.
    static func setProject(of id: CaseID, to project: UUID?, writer: WriteContext, on db: any Database) async throws -> Bool {
        struct Row: Decodable { var id: CaseID }
        let done = try await db.sql.raw(
            """
            UPDATE cases SET project_id = \(bind: project), updated_at = \(bind: writer.now)
            WHERE id = \(bind: id) AND \(visible(writer.actor, alias: "cases")) RETURNING id
            """
        ).all(decoding: Row.self)
        return !done.isEmpty
    }
}
