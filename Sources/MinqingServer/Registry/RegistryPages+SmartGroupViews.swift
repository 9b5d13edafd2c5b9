import Foundation
import MinqingDomain
import Plot
import Vapor

extension RegistryViews {
    static let smartGroups = T("智能分组", "Smart groups")

    // MARK: the builder

    struct BuilderModel {
        var fields: RegistryPages.GroupFields
        var name: String
        var errors: [FieldError]
        /// The selection's first page, when the criteria were valid and a preview was asked for.
        var preview: SmartGroupQueries.Page?
        var page: Int
        var pageSize: Int
        var groups: [SmartGroupController.GroupView]
        var scopeCode: String
        var today: CivilDate
        /// A selection by a sensitive tag: its size and the purpose form.
        var gate: PurposeGate? = nil
        /// The tags the role may see, for the tag list and to write expressions by name.
        var catalogue: [RegistryQueries.CatalogueRow] = []
        var names: TagNames { TagNames(catalogue: catalogue) }
    }

    /// A list of people by a sensitive tag: how many, and a form that reads the list with a
    /// stated purpose (audited). `hidden` carries the selection along.
    struct PurposeGate {
        var count: Int
        var action: String
        var page: Int
        var hidden: [(String, String)]
        var purpose: String
        var detail: String
        var errors: [FieldError]
    }

    static func purposeGate(_ gate: PurposeGate, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        return .div(
            .class("card"), .id("purpose-gate"),
            .p(
                .id("gate-total"),
                .strong(.text(T("共 \(RegisterFormat.count(gate.count)) 人。", "\(RegisterFormat.count(gate.count)) residents.")(lang))),
                .text(
                    T(
                        "这份名单含敏感标签：查看名单须说明用途，每次查看记入审计日志。",
                        " This list holds a sensitive tag: reading it needs a stated purpose, and every read is written to the audit trail.")(lang))),
            .form(
                .id("purpose-gate-form"), .class("stack"), .method(.post), .action(gate.action.attributeSafe),
                Layout.csrfField(ctx.csrf),
                .group(gate.hidden.map { name, value in .input(.type(.hidden), .name(name), .value(value.attributeSafe)) }),
                .if(
                    gate.count > RegistryPages.pageSize,
                    .group(
                        .label(.for("gate-page"), .text(T("页码（每页 \(RegistryPages.pageSize) 人）", "Page (\(RegistryPages.pageSize) a page)")(lang))),
                        .input(
                            .id("gate-page"), .name("page"), .type(.number), .value("\(gate.page)"), .attribute(named: "min", value: "1"),
                            .attribute(named: "max", value: "\((gate.count + RegistryPages.pageSize - 1) / RegistryPages.pageSize)"))),
                    else: .input(.type(.hidden), .name("page"), .value("1"))),
                PurposeFields.render(purpose: gate.purpose, detail: gate.detail, errors: gate.errors, idPrefix: "gate", lang: lang),
                .button(.type(.submit), .text(T("查看名单", "Show the list")(lang)))))
    }

    static func builder(_ m: BuilderModel, ctx: PageContext, status: HTTPStatus) -> Response {
        let lang = ctx.lang
        // Errors on fields this page has no input for (the name, when the save form is not shown).
        let shown = Set(RegistryPages.GroupFields.keys + (m.preview == nil ? [] : ["name"]))
        let elsewhere = m.errors.filter { !shown.contains($0.field) }
        return Layout.render(
            ctx, title: pageTitle(smartGroups(lang), title(lang)), status: status,
            .h1(.text(smartGroups(lang))),
            .p(
                .class("muted"),
                .text(
                    T(
                        "用标签名称组合条件：且、或、非和括号，例如 ",
                        "Combine tag names with AND, OR, NOT and parentheses (names with spaces in quotes), for example ")(lang)),
                .code(
                    .class("mono"),
                    .text(T("独居老人 且 非 助餐服务", "\"Older person living alone\" AND NOT \"Meal assistance\"")(lang))),
                .text(T("；也可以从表单下方的标签列表添加。标签见", "; or add them from the tag list below the form. Tags are in the ")(lang)),
                .a(.href(SiteURL.registry(.tags).path), .text(T("标签目录", "tag catalogue")(lang))),
                .text(
                    T(
                        "。结果总是按当前数据计算，只包括您管辖范围内的居民。",
                        ". Results are always computed from current data, inside your scope only.")(lang))),
            .if(
                !elsewhere.isEmpty,
                .ul(
                    .class("flash-error"), .id("form-errors"),
                    .forEach(elsewhere) { .li(.text(lang == .zh ? $0.messageZH : $0.messageEN)) })),
            .div(.class("card"), builderForm(m, lang: lang), tagPicker(m.catalogue, names: m.names, lang: lang)),
            .unwrap(m.gate) { purposeGate($0, ctx: ctx) },
            .unwrap(m.preview) { preview(m, $0, ctx: ctx) },
            savedGroups(m.groups, names: m.names, lang: lang))
    }

    private static func builderForm(_ m: BuilderModel, lang: Lang) -> Node<HTML.BodyContext> {
        let f = m.fields
        let sexes: [(String, T)] = [("", T("不限", "Any")), ("male", T("男", "Male")), ("female", T("女", "Female"))]
        let options: [Node<HTML.SelectContext>] = sexes.map { value, label in
            .option(.value(value), .label(label(lang)), .isSelected(f.sex == value))
        }
        return .form(
            .id("smart-group-form"), .class("stack"), .method(.get), .action(SiteURL.registry(.smartGroups).path),
            .label(.for("sg-expression"), .text(T("标签表达式", "Tag expression")(lang))),
            .input(
                .id("sg-expression"), .name("expression"), .type(.text), .value(f.expression.attributeSafe),
                .attribute(named: "maxlength", value: "\(TagExpression.maxLength)"), .attribute(named: "autocomplete", value: "off"),
                .placeholder(T("留空表示不按标签筛选", "Leave empty to ignore tags")(lang))),
            fieldErrors(m.errors, "expression", lang: lang),
            .label(.for("sg-node"), .text(T("网格编码", "Grid node code")(lang))),
            .input(
                .id("sg-node"), .name("node"), .type(.text), .value(f.node.attributeSafe), .attribute(named: "autocomplete", value: "off"),
                .placeholder(T("留空表示整个管辖范围（\(m.scopeCode)）", "Leave empty for your whole scope (\(m.scopeCode))")(lang).attributeSafe)),
            fieldErrors(m.errors, "node", lang: lang),
            .label(.for("sg-min-age"), .text(T("最小年龄", "Minimum age")(lang))),
            .input(
                .id("sg-min-age"), .name("min_age"), .type(.number), .value(f.minAge.attributeSafe),
                .attribute(named: "min", value: "0"), .attribute(named: "max", value: "150"), .attribute(named: "inputmode", value: "numeric")),
            fieldErrors(m.errors, "min_age", lang: lang),
            .label(.for("sg-max-age"), .text(T("最大年龄", "Maximum age")(lang))),
            .input(
                .id("sg-max-age"), .name("max_age"), .type(.number), .value(f.maxAge.attributeSafe),
                .attribute(named: "min", value: "0"), .attribute(named: "max", value: "150"), .attribute(named: "inputmode", value: "numeric")),
            fieldErrors(m.errors, "max_age", lang: lang),
            .label(.for("sg-sex"), .text(T("性别", "Sex")(lang))),
            .select(.attribute(named: "id", value: "sg-sex"), .attribute(named: "name", value: "sex"), .group(options)),
            fieldErrors(m.errors, "sex", lang: lang),
            .button(.type(.submit), .text(T("预览", "Preview")(lang))))
    }

    /// 从标签列表添加: a list of the tags by name (grouped by kind, sensitive ones marked, only those
    /// the role may see) and how to join the chosen one. It stands after the builder's form but
    /// belongs to it (`form="smart-group-form"`): its button sends the form with `add`, and the page
    /// comes back with the tag's name added to the expression, what was typed kept. No script; the
    /// form's own first button stays the one Enter presses (preview).
    private static func tagPicker(_ rows: [RegistryQueries.CatalogueRow], names: TagNames, lang: Lang) -> Node<HTML.BodyContext> {
        let operators: [(String, T)] = [
            ("and", T("且（同时满足）", "AND (both)")), ("or", T("或（满足其一）", "OR (either)")),
            ("and_not", T("且非（排除）", "AND NOT (leave out)"))
        ]
        let operatorOptions: [Node<HTML.SelectContext>] = operators.map { value, label in .option(.value(value), .label(label(lang))) }
        return .div(
            .id("sg-picker"),
            .p(.strong(.text(T("从标签列表添加", "Add from the tag list")(lang)))),
            .div(
                .class("actions"),
                .label(.for("sg-add-op"), .text(T("连接方式", "Join with")(lang))),
                .select(
                    .attribute(named: "id", value: "sg-add-op"), .attribute(named: "name", value: "add_op"),
                    .attribute(named: "form", value: "smart-group-form"), .group(operatorOptions)),
                .label(.for("sg-add-tag"), .text(T("标签", "Tag")(lang))),
                tagSelect(
                    rows, names: names, id: "sg-add-tag", name: "add_tag", selected: "", required: false, lang: lang,
                    form: "smart-group-form"),
                .button(
                    .type(.submit), .class("small"), .name("add"), .value("1"), .attribute(named: "form", value: "smart-group-form"),
                    .text(T("添加到表达式", "Add to the expression")(lang)))))
    }

    /// A `<select>` of tags by name in the reader's language, grouped by kind, sensitive ones
    /// marked; the value sent is the tag's code. A name two visible tags share shows the code, so
    /// that the two can be told apart.
    static func tagSelect<Context: HTML.BodyContext>(
        _ rows: [RegistryQueries.CatalogueRow], names: TagNames, id: String, name: String, selected: String, required: Bool,
        lang: Lang, placeholder: T = T("请选择", "Choose"), form: String? = nil
    ) -> Node<Context> {
        let groups: [Node<HTML.SelectContext>] = TagKind.allCases.compactMap { kind in
            let kindRows = rows.filter { $0.kind == kind }
            guard !kindRows.isEmpty else { return nil }
            let options: [Node<HTML.SelectContext>] = kindRows.map { row in
                let label = names.written(row.code, english: lang == .en) + (row.sensitive ? T("（敏感）", " (sensitive)")(lang) : "")
                return .option(.value(row.code.attributeSafe), .label(label.attributeSafe), .isSelected(selected == row.code))
            }
            return .element(
                named: "optgroup", nodes: [.attribute(named: "label", value: T("\(kind.nameZH)标签", "\(kind.nameEN) tags")(lang))] + options)
        }
        return .select(
            .attribute(named: "id", value: id), .attribute(named: "name", value: name),
            .if(required, .attribute(named: "required", value: "required")),
            .unwrap(form) { .attribute(named: "form", value: $0) },
            .option(.value(""), .label(placeholder(lang)), .isSelected(selected.isEmpty)),
            .group(groups))
    }

    private static func preview(_ m: BuilderModel, _ page: SmartGroupQueries.Page, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let hidden: [Node<HTML.FormContext>] = m.fields.items.map { name, value in
            .input(.type(.hidden), .name(name), .value(value.attributeSafe))
        }
        return .section(
            .id("preview"),
            .h2(
                .id("preview-total"),
                .text(T("预览：共 \(RegisterFormat.count(page.total)) 人", "Preview: \(RegisterFormat.count(page.total)) residents")(lang))),
            page.items.isEmpty
                ? .p(.class("muted"), .text(T("没有符合条件的居民。", "Nobody matches.")(lang)))
                : personTable(page.items, id: "preview-members", today: m.today, lang: lang, showGrid: true),
            // A sensitive list pages through the purpose form again (each page is a read).
            .if(
                m.gate == nil,
                PageParts.pager(id: "preview-pager", page: m.page, pageSize: m.pageSize, total: page.total, lang: lang) { number in
                    SiteURL.registry(.smartGroups).path(m.fields.items + [("page", number > 1 ? "\(number)" : "")])
                }),
            .div(
                .class("card"),
                .h2(.text(T("保存为分组", "Save as a group")(lang))),
                .form(
                    .id("smart-group-save"), .class("stack"), .method(.post), .action(SiteURL.registry(.smartGroups).path),
                    Layout.csrfField(ctx.csrf),
                    .group(hidden),
                    .label(.for("sg-name"), .text(T("分组名称", "Group name")(lang))),
                    .input(
                        .id("sg-name"), .name("name"), .type(.text), .value(m.name.attributeSafe), .required(true),
                        .attribute(named: "maxlength", value: "60")),
                    fieldErrors(m.errors, "name", lang: lang),
                    .button(.type(.submit), .text(T("保存", "Save")(lang))))))
    }

    private static func savedGroups(_ groups: [SmartGroupController.GroupView], names: TagNames, lang: Lang) -> Node<HTML.BodyContext> {
        .section(
            .id("saved-groups"),
            .h2(.text(T("已保存的分组（\(groups.count)）", "Saved groups (\(groups.count))")(lang))),
            groups.isEmpty
                ? .p(.class("muted"), .text(T("还没有保存的分组。", "No saved groups yet.")(lang)))
                : PageParts.table(
                    id: "smart-groups",
                    headers: [.init(Texts.name(lang)), .init(T("条件", "Criteria")(lang)), .init(T("创建人", "Created by")(lang))],
                    rows: groups
                ) { group in
                    .tr(
                        .td(.a(.href(SiteURL.registry(.smartGroup(.value(group.id))).path.attributeSafe), .text(group.name))),
                        .td(.text(criteriaSummary(group.criteria, names: names, lang: lang))),
                        .td(.class("mono"), .text(group.created_by)))
                })
    }

    /// One line: "独居老人 且 残疾人 · 310106019-1-01 · 60–80 岁 · 女", the tags by name.
    static func criteriaSummary(_ c: SmartGroupQueries.Criteria, names: TagNames, lang: Lang) -> String {
        var parts: [String] = []
        if let expression = writtenExpression(c.expression, names: names, lang: lang) { parts.append(expression) }
        if let node = c.node { parts.append(node) }
        switch (c.min_age, c.max_age) {
        case let (low?, high?): parts.append(T("\(low)–\(high) 岁", "aged \(low)–\(high)")(lang))
        case let (low?, nil): parts.append(T("\(low) 岁及以上", "aged \(low) or over")(lang))
        case let (nil, high?): parts.append(T("\(high) 岁及以下", "aged \(high) or under")(lang))
        default: break
        }
        if let sex = c.sex { parts.append(RegisterFormat.sex(sex, lang)) }
        return parts.isEmpty ? T("管辖范围内全部居民", "Everyone in scope")(lang) : parts.joined(separator: " · ")
    }

    /// A stored expression (over codes) written with the tags' names in the reader's language and
    /// its operators in Chinese on a Chinese page (`独居老人 且 非 助餐服务`); as stored when it no
    /// longer parses.
    static func writtenExpression(_ text: String?, names: TagNames, lang: Lang) -> String? {
        guard let text, let expression = try? TagExpression(parsing: text) else { return text }
        let written = expression.written(with: names, english: lang == .en)
        return lang == .en ? written : chineseOperators(written)
    }

    /// The canonical text's operators in Chinese: each whole word AND, OR, NOT outside quotes
    /// (words end at spaces and parentheses) becomes 且, 或, 非; names and codes stay as they are.
    static func chineseOperators(_ text: String) -> String {
        var out = ""
        var word = ""
        var quoted = false
        func flush() {
            switch word {
            case "AND": out += "且"
            case "OR": out += "或"
            case "NOT": out += "非"
            default: out += word
            }
            word = ""
        }
        for character in text {
            if character == "\"" { quoted.toggle() }
            if !quoted, character == " " || character == "(" || character == ")" {
                flush()
                out.append(character)
            } else {
                word.append(character)
            }
        }
        flush()
        return out
    }

    // MARK: one saved group

    struct GroupModel {
        var group: SmartGroupController.GroupView
        var members: SmartGroupQueries.Page?
        var problem: AppError?
        var page: Int
        var pageSize: Int
        var today: CivilDate
        var gate: PurposeGate? = nil
        /// The tags the role may see, to write the criteria by name.
        var names = TagNames([TagNames.Entry]())
    }

    static func group(_ m: GroupModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        let g = m.group
        var fields = RegistryPages.GroupFields(g.criteria)
        fields.expression = writtenExpression(g.criteria.expression, names: m.names, lang: lang) ?? ""
        let edit = SiteURL.registry(.smartGroups).path(fields.items)
        let export: Node<HTML.BodyContext> =
            m.gate.map { gate in
                .form(
                    .id("export-form"), .class("inline"), .method(.post),
                    .action(SiteURL.registry(.smartGroupExport(.value(g.id))).path.attributeSafe),
                    Layout.csrfField(ctx.csrf),
                    PurposeFields.render(purpose: gate.purpose, detail: gate.detail, errors: gate.errors, idPrefix: "export", lang: lang),
                    .button(.type(.submit), .id("export-csv"), .text(T("导出 CSV（号码已遮蔽，记入审计）", "Export CSV (numbers masked, audited)")(lang))))
            }
            ?? .a(
                .id("export-csv"), .class("button"), .href("/api/v1/registry/smart-groups/\(g.id.uuidString)/export".attributeSafe),
                .text(T("导出 CSV（号码已遮蔽）", "Export CSV (numbers masked)")(lang)))
        return Layout.render(
            ctx, title: pageTitle(g.name, smartGroups(lang)), status: status,
            .ol(
                .class("crumbs"), .li(.a(.href(SiteURL.registry(.index).path), .text(title(lang)))),
                .li(.a(.href(SiteURL.registry(.smartGroups).path), .text(smartGroups(lang)))), .li(.text(g.name))),
            .h1(.id("group-name"), .text(g.name)),
            .p(
                .class("muted"), .text(criteriaSummary(g.criteria, names: m.names, lang: lang)),
                .text(T(" · 创建人 ", " · created by ")(lang) + g.created_by)),
            .p(.a(.id("edit-in-builder"), .href(edit.attributeSafe), .text(T("在构建器中修改条件", "Change the criteria in the builder")(lang)))),
            .unwrap(m.gate) { purposeGate($0, ctx: ctx) },
            .unwrap(m.problem) { problem in
                .div(
                    .class("flash-error"), .id("group-problem"),
                    .p(.text(T("这个分组的条件现在无法执行：", "This group's criteria cannot run now: ")(lang))),
                    .ul(.forEach(problem.fields) { .li(.text(lang == .zh ? $0.messageZH : $0.messageEN)) }))
            },
            .unwrap(m.members) { members in
                .section(
                    .id("group-members-section"),
                    .h2(
                        .id("group-total"),
                        .text(T("成员：共 \(RegisterFormat.count(members.total)) 人", "Members: \(RegisterFormat.count(members.total))")(lang))),
                    members.items.isEmpty
                        ? .p(.class("muted"), .text(T("目前没有符合条件的居民。", "Nobody matches at present.")(lang)))
                        : personTable(members.items, id: "group-members", today: m.today, lang: lang, showGrid: true),
                    .if(
                        m.gate == nil,
                        PageParts.pager(id: "group-pager", page: m.page, pageSize: m.pageSize, total: members.total, lang: lang) { number in
                            SiteURL.registry(.smartGroup(.value(g.id))).path([("page", number > 1 ? "\(number)" : "")])
                        }))
            },
            .div(.class("card"), export))
    }
}

extension TagNames {
    /// The catalogue rows the role may see (`RegistryQueries.catalogue`), as names resolve them.
    init(catalogue rows: [RegistryQueries.CatalogueRow]) {
        self.init(rows.map { TagNames.Entry(code: $0.code, nameZH: $0.name_zh, nameEN: $0.name_en) })
    }
}
