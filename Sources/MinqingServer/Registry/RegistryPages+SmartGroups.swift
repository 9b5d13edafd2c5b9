import Foundation
import MinqingDomain
import Plot
import SQLKit
import Vapor

/// The smart-group builder (智能分组): a GET form that previews the selection (paged, with the
/// total), a POST form that saves it under a name, the saved groups in scope, and one group's
/// members with a link to the CSV export. Every selection runs through `SmartGroupQueries`,
/// inside the caller's scope.
extension RegistryPages {
    /// The builder's fields as typed (ages stay text until checked, so a bad one can be shown back).
    struct GroupFields: Sendable {
        static let keys = ["expression", "node", "min_age", "max_age", "sex"]
        var expression = ""
        var node = ""
        var minAge = ""
        var maxAge = ""
        var sex = ""

        init(_ value: (String) -> String?) {
            expression = value("expression") ?? ""
            node = (value("node") ?? "").trimmingCharacters(in: .whitespaces)
            minAge = (value("min_age") ?? "").trimmingCharacters(in: .whitespaces)
            maxAge = (value("max_age") ?? "").trimmingCharacters(in: .whitespaces)
            sex = value("sex") ?? ""
        }

        init(_ criteria: SmartGroupQueries.Criteria) {
            expression = criteria.expression ?? ""
            node = criteria.node ?? ""
            minAge = criteria.min_age.map(String.init) ?? ""
            maxAge = criteria.max_age.map(String.init) ?? ""
            sex = criteria.sex ?? ""
        }

        var items: [(String, String)] {
            [("expression", expression), ("node", node), ("min_age", minAge), ("max_age", maxAge), ("sex", sex)]
        }

        /// The criteria, empty fields left out; an age that is not a whole number is reported.
        func criteria(errors: inout [FieldError]) -> SmartGroupQueries.Criteria {
            func age(_ text: String, _ field: String) -> Int? {
                guard !text.isEmpty else { return nil }
                guard let value = Int(text) else {
                    errors.append(FieldError(field: field, messageZH: "年龄须为 0–150 的整数", messageEN: "Ages must be whole numbers from 0 to 150"))
                    return nil
                }
                return value
            }
            let trimmed = expression.trimmingCharacters(in: .whitespacesAndNewlines)
            return SmartGroupQueries.Criteria(
                expression: trimmed.isEmpty ? nil : trimmed, node: node.isEmpty ? nil : node,
                min_age: age(minAge, "min_age"), max_age: age(maxAge, "max_age"),
                sex: sex.isEmpty ? nil : sex)
        }
    }

    // MARK: handlers

    @Sendable func builder(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        var fields = GroupFields { req.query[String.self, at: $0] }
        let wantsPreview = GroupFields.keys.contains { req.query[String.self, at: $0] != nil }
        // The tag list under the expression (no script): "add" appends the chosen tag by name.
        if req.query[String.self, at: "add"] != nil, let code = req.query[String.self, at: "add_tag"], !code.isEmpty {
            let names = try await RegistryQueries.tagNames(role: actor.role, on: req.db)
            fields.expression = Self.adding(
                code, op: req.query[String.self, at: "add_op"] ?? "and", to: fields.expression, names: names, lang: req.pageContext.lang)
        }
        return try await renderBuilder(req, actor: actor, fields: fields, preview: wantsPreview, name: "", errors: [])
    }

    /// `expression` with the tag `code` joined by `op` (`and`, `or`, `and_not`), the tag written
    /// by its name in the reader's language and the operator too (且 或 非 / AND OR NOT). An
    /// expression whose top is an OR is bracketed first, so that 且 binds what was there. A code
    /// the role may not see leaves the expression as it was.
    static func adding(_ code: String, op: String, to expression: String, names: TagNames, lang: Lang) -> String {
        guard names.name(of: code, english: false) != nil else { return expression }
        let word = TagExpression.tag(names.written(code, english: lang == .en)).description
        let zh = lang == .zh
        let not = zh ? "非" : "NOT"
        var current = expression.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !current.isEmpty else { return op == "and_not" ? "\(not) \(word)" : word }
        if op != "or", case .or? = try? TagExpression(parsing: current) { current = "(\(current))" }
        switch op {
        case "or": return "\(current) \(zh ? "或" : "OR") \(word)"
        case "and_not": return "\(current) \(zh ? "且" : "AND") \(not) \(word)"
        default: return "\(current) \(zh ? "且" : "AND") \(word)"
        }
    }

    struct SaveForm: Content {
        var name: String?; var expression: String?; var node: String?; var min_age: String?; var max_age: String?; var sex: String?
    }

    @Sendable func saveGroup(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let form = try req.content.decode(SaveForm.self)
        let values = ["expression": form.expression, "node": form.node, "min_age": form.min_age, "max_age": form.max_age, "sex": form.sex]
        let fields = GroupFields { values[$0] ?? nil }
        let name = (form.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var errors: [FieldError] = []
        if !(1...60).contains(name.count) {
            errors.append(FieldError(field: "name", messageZH: "名称须为 1–60 个字符", messageEN: "The name must have 1 to 60 characters"))
        }
        let criteria = fields.criteria(errors: &errors)
        var scope: GridScope?
        do {
            scope = try await SmartGroupQueries.compile(criteria, actor: actor, today: CivilDate.today(now: req.now), on: req.db).scope
        } catch let error as AppError where error.status == .unprocessableEntity {
            errors += error.fields
        }
        guard errors.isEmpty, let scope else {
            return try await renderBuilder(
                req, actor: actor, fields: fields, preview: true, name: form.name ?? "", errors: errors,
                status: .unprocessableEntity)
        }
        let stored = try await SmartGroupQueries.stored(criteria, role: actor.role, on: req.db)
        let id = try await SmartGroupQueries.save(name: name, criteria: stored, scope: scope, actor: actor, request: req)
        return req.redirect(to: SiteURL.registry(.smartGroup(.value(id))))
    }

    @Sendable func group(req: Request) async throws -> Response {
        try await renderGroup(req, purposeForm: nil)
    }

    /// The members of a group by a sensitive tag, read with a stated purpose (audited).
    @Sendable func groupWithPurpose(req: Request) async throws -> Response {
        let form = try req.content.decode(PurposeForm.self)
        return try await renderGroup(req, purposeForm: form)
    }

    struct PurposeForm: Content { var purpose: String?; var purpose_detail: String?; var page: String? }

    /// The group page. A group by a sensitive tag shows how many it holds and a purpose form;
    /// its members only in answer to that form (`purposeForm`).
    func renderGroup(_ req: Request, purposeForm: PurposeForm?, exportErrors: [FieldError] = []) async throws -> Response {
        let actor = try req.requireActor()
        let group = try await SmartGroupController.group(req, actor: actor)
        let page = purposeForm?.page.flatMap(Int.init).map { min(max($0, 1), 100_000) } ?? Self.pageNumber(req)
        let today = CivilDate.today(now: req.now)
        var model = RegistryViews.GroupModel(group: group, members: nil, problem: nil, page: page, pageSize: Self.pageSize, today: today)
        model.names = try await RegistryQueries.tagNames(role: actor.role, on: req.db)
        var status = HTTPStatus.ok
        do {
            if try await SmartGroupQueries.isSensitive(group.criteria, role: actor.role, on: req.db) {
                var gate = RegistryViews.PurposeGate(
                    count: try await SmartGroupQueries.count(group.criteria, actor: actor, today: today, on: req.db),
                    action: SiteURL.registry(.smartGroup(.value(group.id))).path, page: page,
                    hidden: [], purpose: purposeForm?.purpose ?? "",
                    detail: purposeForm?.purpose_detail ?? "", errors: exportErrors)
                if let purposeForm {
                    do {
                        let stated = try StatedPurpose.required(purpose: purposeForm.purpose, detail: purposeForm.purpose_detail)
                        model.members = try await SmartGroupQueries.read(
                            group.criteria, actor: actor, purpose: stated, group: group.id,
                            limit: Self.pageSize, offset: (page - 1) * Self.pageSize,
                            writer: try SmartGroupController.writer(req), on: req.db)
                    } catch let error as AppError where error.code == "validation" {
                        gate.errors = error.fields
                        status = .unprocessableEntity
                    }
                }
                if !exportErrors.isEmpty { status = .unprocessableEntity }
                model.gate = gate
            } else {
                model.members = try await SmartGroupQueries.members(
                    group.criteria, actor: actor, today: today,
                    limit: Self.pageSize, offset: (page - 1) * Self.pageSize, on: req.db)
            }
        } catch let error as AppError where error.status == .unprocessableEntity {
            // A saved group whose tag or node has since gone (or left the caller's sight).
            model.problem = error
        }
        var ctx = req.pageContext
        ctx.path = SiteURL.registry(.smartGroup(.value(group.id))).path
        return RegistryViews.group(model, ctx: ctx, status: status)
    }

    /// The CSV of a group by a sensitive tag, with a stated purpose; the page again with the
    /// purpose fields' errors otherwise.
    @Sendable func exportGroup(req: Request) async throws -> Response {
        let form = try req.content.decode(PurposeForm.self)
        do {
            _ = try StatedPurpose.required(purpose: form.purpose, detail: form.purpose_detail)
            return try await SmartGroupController().exportWithPurpose(req: req)
        } catch let error as AppError where error.code == "validation" {
            return try await renderGroup(req, purposeForm: nil, exportErrors: error.fields)
        }
    }

    /// The builder's preview of a selection by a sensitive tag, read with a stated purpose.
    @Sendable func builderWithPurpose(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        struct Form: Content {
            var expression: String?; var node: String?; var min_age: String?; var max_age: String?; var sex: String?
            var purpose: String?; var purpose_detail: String?; var page: String?
        }
        let form = try req.content.decode(Form.self)
        let values = ["expression": form.expression, "node": form.node, "min_age": form.min_age, "max_age": form.max_age, "sex": form.sex]
        let fields = GroupFields { values[$0] ?? nil }
        return try await renderBuilder(
            req, actor: actor, fields: fields, preview: true, name: "", errors: [],
            purposeForm: PurposeForm(purpose: form.purpose, purpose_detail: form.purpose_detail, page: form.page))
    }

    /// The builder page: the form, the preview when asked for, the save form under a valid
    /// preview, and the saved groups in scope.
    private func renderBuilder(
        _ req: Request, actor: Actor, fields: GroupFields, preview: Bool, name: String,
        errors: [FieldError], status: HTTPStatus? = nil, purposeForm: PurposeForm? = nil
    ) async throws -> Response {
        var errors = errors
        var result: SmartGroupQueries.Page?
        var gate: RegistryViews.PurposeGate?
        let page = purposeForm?.page.flatMap(Int.init).map { min(max($0, 1), 100_000) } ?? Self.pageNumber(req)
        let today = CivilDate.today(now: req.now)
        if preview {
            var problems: [FieldError] = []
            let criteria = fields.criteria(errors: &problems)
            do {
                if problems.isEmpty, try await SmartGroupQueries.isSensitive(criteria, role: actor.role, on: req.db) {
                    // A selection by a sensitive tag: its size, and its members only with a purpose.
                    var sensitive = RegistryViews.PurposeGate(
                        count: try await SmartGroupQueries.count(criteria, actor: actor, today: today, on: req.db),
                        action: SiteURL.registry(.smartGroupsList).path, page: page, hidden: fields.items,
                        purpose: purposeForm?.purpose ?? "", detail: purposeForm?.purpose_detail ?? "", errors: [])
                    if let purposeForm {
                        do {
                            let stated = try StatedPurpose.required(purpose: purposeForm.purpose, detail: purposeForm.purpose_detail)
                            result = try await SmartGroupQueries.read(
                                criteria, actor: actor, purpose: stated, group: nil, limit: Self.pageSize,
                                offset: (page - 1) * Self.pageSize,
                                writer: try SmartGroupController.writer(req), on: req.db)
                        } catch let error as AppError where error.code == "validation" {
                            sensitive.errors = error.fields
                        }
                    }
                    gate = sensitive
                } else {
                    let members = try await SmartGroupQueries.members(
                        criteria, actor: actor, today: today,
                        limit: Self.pageSize, offset: (page - 1) * Self.pageSize, on: req.db)
                    if problems.isEmpty { result = members }
                }
            } catch let error as AppError where error.status == .unprocessableEntity {
                problems += error.fields
            }
            for problem in problems where !errors.contains(where: { $0.field == problem.field && $0.messageZH == problem.messageZH }) {
                errors.append(problem)
            }
        }
        let groups = try await SmartGroupController.groups(actor: actor, id: nil, on: req.db)
        var model = RegistryViews.BuilderModel(
            fields: fields, name: name, errors: errors, preview: result, page: page,
            pageSize: Self.pageSize, groups: groups, scopeCode: actor.scope.rootCode,
            today: today, gate: gate)
        model.catalogue = try await RegistryQueries.catalogue(role: actor.role, on: req.db)
        var ctx = req.pageContext
        if purposeForm != nil { ctx.path = SiteURL.registry(.smartGroups).path }
        let failed = !errors.isEmpty || !(gate?.errors.isEmpty ?? true)
        return RegistryViews.builder(model, ctx: ctx, status: status ?? (failed ? .unprocessableEntity : .ok))
    }
}
