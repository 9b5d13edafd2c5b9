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
                        "用标签代码组合条件：AND（且）、OR（或）、NOT（非）和括号，例如 ",
                        "Combine tag codes with AND, OR, NOT and parentheses, for example ")(lang)),
                .code(.class("mono"), .text("id.elderly.alone AND NOT svc.elderly.meal_aid")),
                .text(T("。标签代码见", ". Tag codes are in the ")(lang)),
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
            .div(.class("card"), builderForm(m, lang: lang)),
            .unwrap(m.gate) { purposeGate($0, ctx: ctx) },
            .unwrap(m.preview) { preview(m, $0, ctx: ctx) },
            savedGroups(m.groups, lang: lang))
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

    private static func savedGroups(_ groups: [SmartGroupController.GroupView], lang: Lang) -> Node<HTML.BodyContext> {
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
                        .td(.text(criteriaSummary(group.criteria, lang: lang))),
                        .td(.class("mono"), .text(group.created_by)))
                })
    }

    /// One line: "id.a AND id.b · 310106019-1-01 · 60–80 岁 · 女".
    static func criteriaSummary(_ c: SmartGroupQueries.Criteria, lang: Lang) -> String {
        var parts: [String] = []
        if let expression = c.expression { parts.append(expression) }
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

    // MARK: one saved group

    struct GroupModel {
        var group: SmartGroupController.GroupView
        var members: SmartGroupQueries.Page?
        var problem: AppError?
        var page: Int
        var pageSize: Int
        var today: CivilDate
        var gate: PurposeGate? = nil
    }

    static func group(_ m: GroupModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        let g = m.group
        let edit = SiteURL.registry(.smartGroups).path(RegistryPages.GroupFields(g.criteria).items)
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
                .class("muted"), .text(criteriaSummary(g.criteria, lang: lang)),
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
