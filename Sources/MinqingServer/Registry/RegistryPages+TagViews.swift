import Foundation
import MinqingDomain
import Plot
import Vapor

extension RegistryViews {
    // MARK: the tag catalogue (标签管理)

    /// A tag code that may wrap after its dots and underscores, so that a long code deep in the
    /// tree does not push a phone's page sideways. `<wbr>` adds no character: a copied code stays exact.
    static func breakableCode(_ code: String) -> Node<HTML.BodyContext> {
        var nodes: [Node<HTML.BodyContext>] = []
        var part = ""
        for ch in code {
            part.append(ch)
            if ch == "." || ch == "_" {
                nodes.append(.text(part))
                nodes.append(.selfClosedElement(named: "wbr"))
                part = ""
            }
        }
        if !part.isEmpty { nodes.append(.text(part)) }
        return .group(nodes)
    }

    struct CatalogueModel {
        /// The tags the role may see (sensitive ones left out in SQL otherwise).
        var rows: [RegistryQueries.CatalogueRow]
        var seesSensitive: Bool
        /// Administrators and subdistrict staff add tags (`TagCatalogue.create`).
        var mayCreate: Bool
        var form = NewTagForm()
        /// The code of the tag just added (after the redirect).
        var created: String?
        /// The aid programmes the role may see; managers mark them sensitive or not and name them
        /// in English.
        var programmes: [AidProgrammes.Row] = []
        /// The English-name form of a programme that failed, with what was typed.
        var programmeForm: ProgrammeForm?
    }

    struct ProgrammeForm {
        var id: UUID
        var nameEN: String
        var error: AppError
    }

    struct NewTagForm {
        var code = ""
        var nameZH = ""
        var nameEN = ""
        var kind = ""
        var parent = ""
        var sensitive = false
        var errors: [FieldError] = []
    }

    static func tags(_ m: CatalogueModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        let rows = m.rows
        let visible = Set(rows.map(\.code))
        let names = TagNames(catalogue: rows)
        var children: [String: [RegistryQueries.CatalogueRow]] = [:]
        var roots: [TagKind: [RegistryQueries.CatalogueRow]] = [:]
        for row in rows {
            // A tag under a parent the caller may not see stands at the top of its kind.
            if let parent = row.parent_code, visible.contains(parent), parent != row.code {
                children[parent, default: []].append(row)
            } else {
                roots[row.kind, default: []].append(row)
            }
        }
        func item(_ row: RegistryQueries.CatalogueRow, depth: Int) -> Node<HTML.ListContext> {
            let below = depth < 8 ? children[row.code] ?? [] : []
            return .li(
                .id("tag-\(row.code)".attributeSafe), .if(row.code == m.created, .class("new")),
                .a(
                    // The builder opens with the tag written as people write it: by its name.
                    .href(
                        SiteURL.registry(.smartGroups).path([
                            ("expression", TagExpression.tag(names.written(row.code, english: lang == .en)).description)
                        ]).attributeSafe),
                    .text(lang == .zh ? row.name_zh : row.name_en)),
                .text(" "), .span(.class("muted mono"), breakableCode(row.code)),
                .if(row.sensitive, .group(.text(" "), sensitiveBadge(lang))),
                .if(!below.isEmpty, .ul(.forEach(below) { item($0, depth: depth + 1) })))
        }
        let heading = T("标签目录", "Tag catalogue")
        return Layout.render(
            ctx, title: pageTitle(heading(lang), title(lang)), status: status,
            .ol(.class("crumbs"), .li(.a(.href(SiteURL.registry(.index).path), .text(title(lang)))), .li(.text(heading(lang)))),
            .h1(.text(heading(lang))),
            .p(
                .class("muted"),
                .text(
                    T(
                        "标签分身份、服务、管理三类，可以嵌套。点标签名可筛选带这个标签的居民；智能分组的表达式直接写标签名称（名称旁是导入文件和接口用的标签代码）。给居民添加或结束标签在居民页上。",
                        "Tags come in three kinds, identity, service and management, and nest. Follow a tag's name to list the residents who carry it; smart-group expressions take the tags' names (the code beside each is for import files and the API). Tags are given and ended on a resident's page."
                    )(lang))),
            .unwrap(m.created) { code in
                .p(
                    .class("flash-ok"), .id("tag-created"), .attribute(named: "role", value: "status"),
                    .text(T("已添加标签：", "Added the tag ")(lang) + (names.name(of: code, english: lang == .en) ?? code)))
            },
            .if(
                m.seesSensitive,
                .p(
                    .id("sensitive-note"), .class("muted"),
                    sensitiveBadge(lang),
                    .text(
                        T(
                            " 的标签涉及健康、宗教信仰、特定身份或未成年人等敏感个人信息（《个人信息保护法》第二十八条），只有部分角色能看到。",
                            " tags concern health, religion, specific identities or minors: sensitive personal information (PIPL art. 28) that only some roles can see."
                        )(lang)))),
            .if(m.mayCreate, newTagForm(m, ctx: ctx)),
            .forEach(TagKind.allCases) { kind in
                let top = roots[kind] ?? []
                let total = rows.filter { $0.kind == kind }.count
                return .section(
                    .id("tags-\(kind.rawValue)"),
                    .h2(.text(T("\(kind.nameZH)标签（\(total)）", "\(kind.nameEN) tags (\(total))")(lang))),
                    top.isEmpty
                        ? .p(.class("muted"), .text(T("这一类还没有标签。", "No tags of this kind yet.")(lang)))
                        : .ul(.class("tag-tree"), .forEach(top) { item($0, depth: 0) }))
            },
            programmesSection(m, ctx: ctx))
    }

    /// 救助项目: the programmes with their sensitive mark (a sensitive programme, like a sensitive
    /// tag, is shown only to roles that may see sensitive data); managers switch the mark.
    private static func programmesSection(_ m: CatalogueModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        return .section(
            .id("aid-programmes"),
            .h2(.text(T("救助项目（\(m.programmes.count)）", "Aid programmes (\(m.programmes.count))")(lang))),
            .p(
                .class("muted"),
                .text(
                    T(
                        "涉及经济困难、健康或残疾的项目为敏感项目，只对能看敏感信息的角色显示；新出现的项目默认敏感。",
                        "Programmes that tell of hardship, health or disability are sensitive and shown only to roles that may see sensitive data; a new programme is sensitive until marked otherwise."
                    )(lang))),
            .ul(
                .class("rows"),
                .forEach(m.programmes) { row in
                    .li(
                        .id("programme-\(row.id.uuidString)"), .span(.class("programme-name"), .text(RegisterFormat.programme(row, lang))),
                        .text(" · \(row.records) "),
                        .text(T("条记录", "records")(lang)),
                        .if(row.sensitive, .group(.text(" "), sensitiveBadge(lang))),
                        .if(
                            m.mayCreate,
                            .group(
                                .form(
                                    .class("inline"), .method(.post),
                                    .action(SiteURL.registry(.aidProgramme(.value(row.id))).path.attributeSafe),
                                    Layout.csrfField(ctx.csrf),
                                    .input(.type(.hidden), .name("sensitive"), .value(row.sensitive ? "false" : "true")),
                                    .button(
                                        .type(.submit), .class("small"),
                                        .text(row.sensitive ? T("改为不敏感", "Mark not sensitive")(lang) : T("标为敏感", "Mark sensitive")(lang)))),
                                programmeNameForm(row, m.programmeForm?.id == row.id ? m.programmeForm : nil, ctx: ctx))))
                }))
    }

    /// A programme's English name (managers): the one it has, or what was typed when it failed,
    /// with the reason beside the field. Empty removes it (the Chinese name is shown then).
    private static func programmeNameForm(_ row: AidProgrammes.Row, _ failed: ProgrammeForm?, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let field = "programme-en-\(row.id.uuidString)"
        return .group(
            PageParts.errorBox(failed?.error, lang, id: "programme-error"),
            .form(
                .class("inline"), .method(.post), .action(SiteURL.registry(.aidProgramme(.value(row.id))).path.attributeSafe),
                Layout.csrfField(ctx.csrf),
                .label(.for(field), .text(T("英文名称", "English name")(lang))),
                .input(
                    .type(.text), .id(field), .name("name_en"), .value((failed?.nameEN ?? row.name_en ?? "").attributeSafe),
                    .attribute(named: "maxlength", value: "\(AidProgrammes.englishNameLength)")),
                PageParts.fieldError(failed?.error, "name_en", lang: lang),
                .button(.type(.submit), .class("small"), .text(Texts.save(lang)))))
    }

    /// 新增标签: code, names, kind, an optional parent of the same kind (a child of a sensitive tag
    /// is sensitive too), the sensitive mark. Open by itself when it comes back with errors.
    private static func newTagForm(_ m: CatalogueModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let f = m.form
        let kinds: [Node<HTML.SelectContext>] =
            [.option(.value(""), .label(T("请选择", "Choose")(lang)), .isSelected(f.kind.isEmpty))]
            + TagKind.allCases.map { kind in
                .option(.value(kind.rawValue), .label(lang == .zh ? kind.nameZH : kind.nameEN), .isSelected(f.kind == kind.rawValue))
            }
        return .details(
            .class("card"), .id("new-tag"), .if(!f.errors.isEmpty, .attribute(named: "open", value: "open")),
            .summary(.text(T("新增标签", "Add a tag")(lang))),
            .form(
                .id("new-tag-form"), .class("stack"), .method(.post), .action(SiteURL.registry(.tags).path),
                Layout.csrfField(ctx.csrf),
                .label(.for("new-tag-kind"), .text(T("类别", "Kind")(lang))),
                .select(
                    .attribute(named: "id", value: "new-tag-kind"), .attribute(named: "name", value: "kind"),
                    .attribute(named: "required", value: "required"), .group(kinds)),
                fieldErrors(f.errors, "kind", lang: lang),
                .label(.for("new-tag-parent"), .text(T("上级标签（可不选）", "Parent tag (optional)")(lang))),
                tagSelect(
                    m.rows, names: TagNames(catalogue: m.rows), id: "new-tag-parent", name: "parent", selected: f.parent,
                    required: false, lang: lang, placeholder: T("无（放在这一类的最上层）", "None (top of its kind)")),
                fieldErrors(f.errors, "parent", lang: lang),
                .label(.for("new-tag-code"), .text(T("标签代码", "Code")(lang))),
                .input(
                    .type(.text), .id("new-tag-code"), .name("code"), .value(f.code.attributeSafe), .required(true),
                    .attribute(named: "maxlength", value: "64"), .attribute(named: "autocomplete", value: "off"),
                    .attribute(named: "autocapitalize", value: "none"),
                    .placeholder(T("如 mgmt.safety.gas（小写字母、数字、点）", "e.g. mgmt.safety.gas (lower case, digits, dots)")(lang))),
                fieldErrors(f.errors, "code", lang: lang),
                .label(.for("new-tag-name-zh"), .text(T("中文名称", "Chinese name")(lang))),
                .input(
                    .type(.text), .id("new-tag-name-zh"), .name("name_zh"), .value(f.nameZH.attributeSafe), .required(true),
                    .attribute(named: "maxlength", value: "40")),
                fieldErrors(f.errors, "name_zh", lang: lang),
                .label(.for("new-tag-name-en"), .text(T("英文名称", "English name")(lang))),
                .input(
                    .type(.text), .id("new-tag-name-en"), .name("name_en"), .value(f.nameEN.attributeSafe), .required(true),
                    .attribute(named: "maxlength", value: "80")),
                fieldErrors(f.errors, "name_en", lang: lang),
                .label(
                    .class("choice"), .for("new-tag-sensitive"),
                    .input(.type(.checkbox), .id("new-tag-sensitive"), .name("sensitive"), .value("true"), .checked(f.sensitive)),
                    .span(
                        .text(
                            T(
                                "敏感标签（健康、宗教、特定身份、未成年人等；只有部分角色能看到）",
                                "Sensitive (health, religion, specific identities, minors…; only some roles see it)")(lang)))),
                .button(.type(.submit), .text(T("添加标签", "Add the tag")(lang)))))
    }
}
