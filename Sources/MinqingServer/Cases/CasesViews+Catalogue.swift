import Foundation
import MinqingDomain
import Plot
import Vapor

/// The catalogue page (`/cases/catalogue`): the categories by 大类 with their default department
/// and the time limit of each step, the departments and the department accounts. Administrators
/// get a form to add a category, a change form under each one, and a form to add a department;
/// administrators and subdistrict staff bind a department account. Choices are by name: 大类,
/// departments, and accounts by the person's name with their department. The form that failed
/// opens with what was typed and each problem beside its field; the others show what is stored.
extension CasesViews {
    /// The names of the catalogue page's forms (`FormFailure.form`).
    static let newCategoryForm = "new-category"
    static let newDepartmentForm = "new-department"
    static let bindAccountForm = "bind-account"
    static func editForm(_ code: String) -> String { "category-\(code)" }

    struct CatalogueModel {
        var role: Role
        var categories: [CasesQueries.CatalogueCategory]
        var departments: [CaseDepartment]
        var accounts: [CasesQueries.DepartmentAccount]
        /// The form that was just saved (a 303 back here), if any.
        var saved: String?
        var failure: FormFailure?

        /// Only administrators change the catalogue (as the API).
        var editsCatalogue: Bool { role == .admin }

        func error(_ form: String) -> AppError? { failure?.error(for: form) }

        /// What the form `form` shows in `field`: what was typed when it is the one that failed, else `stored`.
        func value(_ form: String, _ field: String, stored: String) -> String {
            guard let failure, failure.form == form else { return stored }
            return failure.values[field] ?? stored
        }
    }

    /// The input name of a step's limit: `limit_file` … (`CasesCatalogueService.limitFields`).
    static func limitField(_ stage: CaseStage) -> String { "limit_" + stage.rawValue }

    static func limitName(_ stage: CaseStage) -> T {
        switch stage {
        case .filing: T("立案时限", "Filing limit")
        case .dispatching: T("派遣时限", "Dispatch limit")
        case .responding: T("签收时限", "Acceptance limit")
        case .handling: T("处置时限", "Handling limit")
        case .verifying: T("核查时限", "Verification limit")
        }
    }

    /// A stored limit in words (`2 个工作日`), or as stored when it cannot be read.
    static func limitText(_ text: String, _ lang: Lang) -> String {
        guard let limit = try? CaseTimeLimit(parsing: text) else { return text }
        return lang == .zh ? limit.nameZH : limit.nameEN
    }

    static func kindName(_ kind: CaseCategoryKind, _ lang: Lang) -> String { lang == .zh ? kind.nameZH : kind.nameEN }

    static func catalogue(_ m: CatalogueModel, ctx: PageContext, status: HTTPStatus) -> Response {
        let lang = ctx.lang
        let title = T("案件类别与处置部门", "Case categories and departments")
        return Layout.render(
            ctx, title: title(lang), status: status,
            .p(.a(.href(SiteURL.cases(.index).path), .text(T("← 派单台", "← Dispatcher's board")(lang)))),
            .h1(.text(title(lang))),
            .p(
                .class("muted"),
                .text(
                    T(
                        "每个小类有默认处置部门和各环节时限（按工作日历计算）；改动只影响此后的环节。",
                        "Each sub-category has its default department and a time limit per step (on the working-day calendar); a change applies to the steps that follow it."
                    )(lang))),
            .if(
                m.saved != nil,
                .div(.class("flash-ok"), .id("catalogue-saved"), .attribute(named: "role", value: "status"), .text(T("已保存。", "Saved.")(lang)))),
            PageParts.errorBox(m.failure?.error, lang, id: "catalogue-error"),
            categoriesSection(m, ctx: ctx),
            departmentsSection(m, ctx: ctx),
            accountsSection(m, ctx: ctx))
    }

    // MARK: categories

    static func categoriesSection(_ m: CatalogueModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let families: [Node<HTML.BodyContext>] = m.categories.filter { $0.parent_code == nil }.map { major in
            family(major, minors: m.categories.filter { $0.parent_code == major.code }, m, ctx: ctx)
        }
        return .section(
            .id("categories"),
            .h2(.text(T("问题类别", "Categories")(lang))),
            .group(families),
            .if(m.editsCatalogue, addCategoryForm(m, ctx: ctx)))
    }

    /// One 大类: its name, kind and limits, the table of its 小类, and (administrators) a change form for each.
    static func family(
        _ major: CasesQueries.CatalogueCategory, minors: [CasesQueries.CatalogueCategory], _ m: CatalogueModel, ctx: PageContext
    ) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        var headers = [
            PageParts.Column(T("小类", "Sub-category")(lang)), PageParts.Column(T("编码", "Code")(lang)),
            PageParts.Column(T("默认处置部门", "Default department")(lang))
        ]
        headers += CaseStage.allCases.map { PageParts.Column(limitName($0)(lang)) }
        headers.append(PageParts.Column(T("状态", "Status")(lang)))
        let edits: [Node<HTML.BodyContext>] = m.editsCatalogue ? ([major] + minors).map { editCategoryForm($0, m, ctx: ctx) } : []
        return .div(
            .class("card"), .id("family-\(major.code)".attributeSafe),
            .h3(
                .text(name(major.name_zh, major.name_en, lang) + " · " + kindName(major.kind, lang)),
                .if(!major.active, .span(.class("badge bad"), .text(T("停用", "Withdrawn")(lang))))),
            PageParts.table(id: "categories-\(major.code)".attributeSafe, headers: headers, rows: minors) { c in
                .tr(
                    .td(.text(name(c.name_zh, c.name_en, lang))), .td(.class("mono"), .text(c.code)),
                    .td(.text(c.department_name_zh.map { name($0, c.department_name_en, lang) } ?? "—")),
                    .forEach(CaseStage.allCases) { stage in .td(.text(limitText(c.limit(stage), lang))) },
                    .td(.text(c.active ? T("在用", "Offered")(lang) : T("停用", "Withdrawn")(lang))))
            },
            .group(edits))
    }

    /// The change form of one category: names, the default department (小类), each limit, offered or not.
    static func editCategoryForm(_ c: CasesQueries.CatalogueCategory, _ m: CatalogueModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let form = editForm(c.code)
        let error = m.error(form)
        let prefix = "edit-\(c.code)-"
        func text(_ field: String, _ label: T, stored: String) -> Node<HTML.FormContext> {
            textInput(field, id: prefix + field, label: label, value: m.value(form, field, stored: stored), error: error, lang)
        }
        var fields: [Node<HTML.FormContext>] = [
            Layout.csrfField(ctx.csrf), text("name_zh", T("中文名称", "Chinese name"), stored: c.name_zh),
            text("name_en", T("英文名称", "English name"), stored: c.name_en)
        ]
        if c.parent_code != nil {
            fields.append(
                departmentSelect(
                    id: prefix + "department", label: T("默认处置部门", "Default department"),
                    selected: m.value(form, "department", stored: c.department_code ?? ""), m.departments, none: nil, error: error, lang))
        }
        fields += CaseStage.allCases.map { text(limitField($0), limitName($0), stored: c.limit($0)) }
        let active = m.value(form, "active", stored: c.active ? "yes" : "no")
        let tail: [Node<HTML.FormContext>] = [
            .label(.for((prefix + "active").attributeSafe), .text(T("状态", "Status")(lang))),
            .select(
                .id((prefix + "active").attributeSafe), .attribute(named: "name", value: "active"),
                .option(.value("yes"), .label(T("在用（登记案件时可选）", "Offered (cases may be filed under it)")(lang)), .isSelected(active == "yes")),
                .option(.value("no"), .label(T("停用（不再受理新案件）", "Withdrawn (no new cases)")(lang)), .isSelected(active == "no"))),
            PageParts.fieldError(error, "active", lang: lang),
            .button(.type(.submit), .id("save-\(c.code)".attributeSafe), .text(T("保存", "Save")(lang)))
        ]
        fields += tail
        return .details(
            .class("detail"), .id(form.attributeSafe), .if(error != nil, .attribute(named: "open", value: "open")),
            .summary(.text(T("修改：", "Change: ")(lang) + name(c.name_zh, c.name_en, lang))),
            .form(
                .class("stack card"), .method(.post), .action(SiteURL.cases(.catalogueCategory(.value(c.code))).path.attributeSafe),
                .group(fields)))
    }

    /// 新增类别: under a 大类 chosen by name (or a new 大类), its kind, code, names, default department and limits.
    static func addCategoryForm(_ m: CatalogueModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let form = newCategoryForm
        let error = m.error(form)
        func typed(_ field: String) -> String { m.value(form, field, stored: "") }
        let parent = typed("parent_code"), kind = typed("kind")
        let parents: [Node<HTML.SelectContext>] =
            [.option(.value(""), .label(T("不选：作为新的大类", "None: a new major category")(lang)), .isSelected(parent.isEmpty))]
            + m.categories.filter { $0.parent_code == nil }.map { major in
                .option(
                    .value(major.code.attributeSafe),
                    .label((name(major.name_zh, major.name_en, lang) + "（" + kindName(major.kind, lang) + "）").attributeSafe),
                    .isSelected(parent == major.code))
            }
        let kinds: [Node<HTML.FormContext>] = CaseCategoryKind.allCases.map { k in
            .label(
                .class("choice"),
                .input(.type(.radio), .name("kind"), .value(k.rawValue), .id("new-kind-\(k.rawValue)"), .checked(kind == k.rawValue)),
                .text(" " + kindName(k, lang)))
        }
        var fields: [Node<HTML.FormContext>] = [
            Layout.csrfField(ctx.csrf),
            .label(.for("new-parent_code"), .text(T("所属大类", "Major category")(lang))),
            .select(.id("new-parent_code"), .attribute(named: "name", value: "parent_code"), .group(parents)),
            PageParts.fieldError(error, "parent_code", lang: lang),
            .fieldset(.element(named: "legend", text: T("类型（与大类相同）", "Kind (as its major category)")(lang)), .group(kinds)),
            PageParts.fieldError(error, "kind", lang: lang),
            textInput(
                "code", id: "new-code", label: T("编码（字母和数字，如 E0605）", "Code (letters and digits, e.g. E0605)"), value: typed("code"), error: error,
                lang),
            textInput("name_zh", id: "new-name_zh", label: T("中文名称", "Chinese name"), value: typed("name_zh"), error: error, lang),
            textInput("name_en", id: "new-name_en", label: T("英文名称", "English name"), value: typed("name_en"), error: error, lang),
            departmentSelect(
                id: "new-category-department", label: T("默认处置部门（小类必选）", "Default department (needed for a sub-category)"),
                selected: typed("department"), m.departments, none: T("不设", "None"), error: error, lang),
            .p(
                .class("hint"),
                .text(T("时限不填则取默认值；h 为工作时，d 为工作日。", "A limit left empty takes the default; h is working hours, d working days.")(lang)))
        ]
        fields += CaseStage.allCases.map { stage in
            textInput(
                limitField(stage), id: "new-" + limitField(stage), label: limitName(stage), value: typed(limitField(stage)), error: error, lang,
                placeholder: stage.defaultLimit.description)
        }
        fields.append(.button(.type(.submit), .id("add-category"), .text(T("新增类别", "Add the category")(lang))))
        return .details(
            .class("card"), .id("new-category"), .if(error != nil, .attribute(named: "open", value: "open")),
            .summary(.text(T("新增类别", "Add a category")(lang))),
            .form(.id("new-category-form"), .class("stack"), .method(.post), .action(SiteURL.cases(.catalogueCategories).path), .group(fields)))
    }

    /// A text input with its label, the value shown and its problem beside it.
    static func textInput(
        _ field: String, id: String, label: T, value: String, error: AppError?, _ lang: Lang, placeholder: String? = nil
    ) -> Node<HTML.FormContext> {
        .group(
            .label(.for(id.attributeSafe), .text(label(lang))),
            .input(
                .type(.text), .id(id.attributeSafe), .name(field), .value(value.attributeSafe),
                .attribute(named: "placeholder", value: placeholder?.attributeSafe)),
            PageParts.fieldError(error, field, lang: lang))
    }

    /// A select of the departments by name (the input `department`), with a first "none" line when `none` is given.
    static func departmentSelect(
        id: String, label: T, selected: String, _ departments: [CaseDepartment], none: T?, error: AppError?, _ lang: Lang
    ) -> Node<HTML.FormContext> {
        var options: [Node<HTML.SelectContext>] = []
        if let none { options.append(.option(.value(""), .label(none(lang)), .isSelected(selected.isEmpty))) }
        for d in departments {
            options.append(
                .option(.value(d.code.attributeSafe), .label(name(d.name_zh, d.name_en, lang).attributeSafe), .isSelected(d.code == selected)))
        }
        return .group(
            .label(.for(id.attributeSafe), .text(label(lang))),
            .select(.id(id.attributeSafe), .attribute(named: "name", value: "department"), .group(options)),
            PageParts.fieldError(error, "department", lang: lang))
    }
}
