import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Categories, departments and projects are data: administrators add and change categories
/// (names, default department, the time limit of each step) and departments; the subdistrict
/// sets up projects (十大民生实事) and staff put cases into them.
enum CasesCatalogueService {
    struct CategoryInput: Content, Sendable {
        var code: String?; var parent_code: String?; var kind: String?; var name_zh: String?; var name_en: String?; var department: String?
        var limit_file: String?; var limit_dispatch: String?; var limit_response: String?; var limit_handle: String?; var limit_verify: String?
        var active: Bool?
    }
    struct DepartmentInput: Content, Sendable { var code: String?; var name_zh: String?; var name_en: String? }
    struct ProjectInput: Content, Sendable {
        var code: String?; var name_zh: String?; var name_en: String?; var year: Int?; var target: Int?; var description: String?
    }
    struct ProjectLink: Content, Sendable { var project_id: UUID? }

    static let limitFields = ["limit_file", "limit_dispatch", "limit_response", "limit_handle", "limit_verify"]

    /// A department code that is not one of the active departments.
    static let unknownDepartment = FieldError(field: "department", messageZH: "请从列表中选择部门", messageEN: "Choose a department from the list")

    static func audit(_ action: String, _ target: String, writer: WriteContext, on db: any Database) async throws {
        try await AuditLog.append(
            AuditEntry(
                action: action, actorID: writer.actor.accountID, actorName: writer.actor.username, targetType: "case_catalogue",
                targetID: target, clientAddress: writer.address), at: writer.now, on: db)
    }

    static func code(_ text: String?, _ field: String, pattern: (Character) -> Bool, max: Int, errors: inout [FieldError]) -> String? {
        let value = (text ?? "").trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty, value.count <= max, value.allSatisfy(pattern) else {
            errors.append(FieldError(field: field, messageZH: "编码只能由字母、数字组成，不超过 \(max) 位", messageEN: "A code is letters and digits, at most \(max)"))
            return nil
        }
        return value
    }

    static func name(_ text: String?, _ field: String, required: Bool, errors: inout [FieldError]) -> String? {
        let value = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if value.isEmpty && !required { return nil }
        guard !value.isEmpty, value.count <= 100 else {
            errors.append(
                FieldError(field: field, messageZH: "名称不能为空，且不超过 100 字", messageEN: "The name must not be empty or longer than 100 characters"))
            return nil
        }
        return value
    }

    /// Adds a 小类 under an existing 大类, or a 大类 (no parent).
    static func createCategory(_ input: CategoryInput, writer: WriteContext, on db: any Database) async throws {
        guard writer.actor.role == .admin else { throw AppError.forbidden }
        var errors: [FieldError] = []
        let code = code(input.code, "code", pattern: { $0.isASCII && ($0.isLetter || $0.isNumber) }, max: 10, errors: &errors)
        let kind = input.kind.flatMap(CaseCategoryKind.init(rawValue:))
        if kind == nil {
            errors.append(FieldError(field: "kind", messageZH: "请选择事件类或部件类", messageEN: "Choose event or component"))
        }
        let zh = name(input.name_zh, "name_zh", required: true, errors: &errors)
        let en = name(input.name_en, "name_en", required: true, errors: &errors)
        var limits: [String: String] = [:]
        for (field, value) in zip(limitFields, [input.limit_file, input.limit_dispatch, input.limit_response, input.limit_handle, input.limit_verify])
        {
            do {
                limits[field] = try CaseTimeLimit(
                    parsing: value ?? (field == "limit_handle" ? "5d" : field == "limit_verify" ? "1d" : field == "limit_response" ? "4h" : "2h"),
                    field: field
                ).description
            } catch { errors.append(error.fieldError) }
        }
        var parent: String?
        if let p = input.parent_code?.nilIfEmpty {
            let major = try await CasesQueries.category(code: p, on: db)
            if major == nil || major?.parent_code != nil {
                errors.append(FieldError(field: "parent_code", messageZH: "上级须为已有的大类", messageEN: "The parent must be an existing major category"))
            } else if major?.kind != kind {
                errors.append(FieldError(field: "kind", messageZH: "小类须与大类同为事件或部件", messageEN: "A sub-category has its major category's kind"))
            }
            parent = p
        }
        let department = try await input.department?.nilIfEmpty.asyncFlatMap { try await CasesQueries.department(code: $0, on: db) }
        if input.department?.nilIfEmpty != nil, department == nil { errors.append(unknownDepartment) }
        if parent != nil, input.department?.nilIfEmpty == nil {
            errors.append(FieldError(field: "department", messageZH: "小类须有默认处置部门", messageEN: "A sub-category needs its default department"))
        }
        if !errors.isEmpty { throw AppError.validation(errors) }
        guard let code, let kind, let zh, let en else { throw AppError.validation(errors) }
        let (parentCode, limitTexts) = (parent, limits)
        let departmentID = department?.id
        try await db.write { db in
            let taken = try await CasesQueries.categoryCodeCount(code, on: db)
            guard taken == 0 else { throw AppError.conflict("该分类编码已存在", "That category code exists already") }
            try await CasesQueries.insertCategory(
                code: code, parentCode: parentCode, kind: kind, nameZH: zh, nameEN: en, departmentID: departmentID,
                limitTexts: limitTexts, on: db)
            try await audit("case_category.created", code, writer: writer, on: db)
        }
    }

    /// Changes a category's names, default department, limits or whether it is offered.
    static func updateCategory(_ code: String, _ input: CategoryInput, writer: WriteContext, on db: any Database) async throws -> CaseCategoryRecord {
        guard writer.actor.role == .admin else { throw AppError.forbidden }
        guard let existing = try await CasesQueries.categoryKey(code: code, on: db) else { throw AppError.notFound("分类不存在", "No such category") }
        var errors: [FieldError] = []
        var change = CasesQueries.CategoryChange()
        if let zh = name(input.name_zh, "name_zh", required: false, errors: &errors) { change.nameZH = zh }
        if let en = name(input.name_en, "name_en", required: false, errors: &errors) { change.nameEN = en }
        for (field, value) in zip(limitFields, [input.limit_file, input.limit_dispatch, input.limit_response, input.limit_handle, input.limit_verify])
        {
            guard let value else { continue }
            do {
                let limit = try CaseTimeLimit(parsing: value, field: field).description
                change.limits.append((field: field, value: limit))
            } catch { errors.append(error.fieldError) }
        }
        if let departmentCode = input.department?.nilIfEmpty {
            if let department = try await CasesQueries.department(code: departmentCode, on: db) {
                change.departmentID = department.id
            } else {
                errors.append(unknownDepartment)
            }
        }
        if let active = input.active { change.active = active }
        if !errors.isEmpty { throw AppError.validation(errors) }
        if !change.isEmpty {
            let finalChange = change
            try await db.write { db in
                try await CasesQueries.updateCategory(code: existing.code, finalChange, on: db)
                try await audit("case_category.updated", code, writer: writer, on: db)
            }
        }
        return try await CasesQueries.categoryRecord(code: code, on: db).orThrow(AppError.notFound())
    }

    static func createDepartment(_ input: DepartmentInput, writer: WriteContext, on db: any Database) async throws {
        guard writer.actor.role == .admin else { throw AppError.forbidden }
        var errors: [FieldError] = []
        let code = code(input.code, "code", pattern: { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }, max: 30, errors: &errors)
        let zh = name(input.name_zh, "name_zh", required: true, errors: &errors)
        let en = name(input.name_en, "name_en", required: true, errors: &errors)
        if !errors.isEmpty { throw AppError.validation(errors) }
        guard let code, let zh, let en else { throw AppError.validation(errors) }
        try await db.write { db in
            guard try await CasesQueries.departmentCodeCount(code, on: db) == 0 else {
                throw AppError.conflict("该部门编码已存在", "That department code exists already")
            }
            try await CasesQueries.insertDepartment(code: code, nameZH: zh, nameEN: en, subdistrict: writer.actor.subdistrictID, on: db)
            try await audit("department.created", code, writer: writer, on: db)
        }
    }

    /// A project of the caller's subdistrict (十大民生实事 …).
    static func createProject(_ input: ProjectInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        guard CasesQueries.supervisors.contains(writer.actor.role) else { throw AppError.forbidden }
        var errors: [FieldError] = []
        let code = code(input.code, "code", pattern: { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }, max: 30, errors: &errors)
        let zh = name(input.name_zh, "name_zh", required: true, errors: &errors)
        let en = name(input.name_en, "name_en", required: false, errors: &errors)
        let year = input.year ?? CivilDate(writer.now, in: .shanghai).year
        if !(2000...2100).contains(year) {
            errors.append(FieldError(field: "year", messageZH: "年份应为 2000 至 2100 之间的整数", messageEN: "The year is a whole number from 2000 to 2100"))
        }
        let target = input.target ?? 0
        if !(0...100_000).contains(target) {
            errors.append(
                FieldError(field: "target", messageZH: "目标件数应为 0 至 100000 之间的整数", messageEN: "The target is a whole number from 0 to 100000"))
        }
        if !errors.isEmpty { throw AppError.validation(errors) }
        guard let code, let zh else { throw AppError.validation(errors) }
        let id = UUID()
        let description = input.description ?? ""
        try await db.write { db in
            guard try await CasesQueries.projectCodeCount(code, on: db) == 0 else {
                throw AppError.conflict("该项目编码已存在", "That project code exists already")
            }
            try await CasesQueries.insertProject(
                id: id, subdistrict: writer.actor.subdistrictID, code: code, nameZH: zh, nameEN: en ?? zh, year: year,
                target: target, description: description, on: db)
            try await audit("case_project.created", code, writer: writer, on: db)
        }
        return id
    }

    /// Puts a case in the caller's scope into a project (or takes it out with no project).
    static func link(_ id: CaseID, project: UUID?, writer: WriteContext, on db: any Database) async throws {
        guard writer.actor.role.isGridStaff else { throw AppError.forbidden }
        if let project {
            guard try await CasesQueries.projectExists(project, for: writer.actor, on: db) else {
                throw AppError.validation("project_id", zh: "请从列表中选择项目", en: "Choose a project from the list")
            }
        }
        try await db.write { db in
            let done = try await CasesQueries.setProject(of: id, to: project, writer: writer, on: db)
            guard done else { throw CasesService.notFound }
            try await audit("case.project", id.uuidString, writer: writer, on: db)
        }
    }
}
