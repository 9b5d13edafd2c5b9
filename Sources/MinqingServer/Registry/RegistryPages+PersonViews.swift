import Foundation
import MinqingDomain
import Plot
import Vapor

extension RegistryViews {
    // MARK: a person

    struct PersonModel {
        struct Revealed { var field: String; var value: String }
        var person: RegistryQueries.PersonRow
        var household: RegistryQueries.HouseholdRow?
        var crumbs: [GridNodeSummary]
        /// Current and ended assignments, sensitive ones already left out for roles that may not see them.
        var tags: [RegistryQueries.TagRow]
        var aid: RegistryQueries.AidTotals
        var today: CivilDate
        var mayReveal: Bool
        /// The plain number just shown (this response only).
        var revealed: Revealed? = nil
        /// The reveal form's errors and values when it is shown again.
        var errors: [FieldError] = []
        var field: String = "id_number"
        var purpose: String = ""
    }

    static func person(_ m: PersonModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        let p = m.person
        var trail: [Node<HTML.ListContext>] = []
        if let household = m.household {
            trail.append(.li(.a(.href("/registry/households/\(household.id.uuidString)".attributeSafe), .text(household.address))))
        }
        trail.append(.li(.text(p.name)))
        let today = m.today.iso8601
        let current = m.tags.filter { ($0.ends_on ?? "9999-12-31") > today }
        func fact(_ label: T, _ value: Node<HTML.BodyContext>, id: String? = nil) -> Node<HTML.TableContext> {
            .tr(.th(.text(label(lang))), .td(.unwrap(id) { .id($0) }, value))
        }
        return Layout.render(ctx, title: pageTitle(p.name, title(lang)), status: status,
            crumbs(m.crumbs, current: nil, then: trail),
            .h1(.id("person-name"), .text(p.name)),
            .unwrap(m.revealed) { revealed($0, lang: lang) },
            .div(.class("card table-wrap"),
                 .table(.id("person"),
                        .tbody(fact(T("性别", "Sex"), .text(RegisterFormat.sex(p.sex, lang))),
                               fact(T("出生日期", "Born"), .text(p.birth_date)),
                               fact(T("年龄", "Age"), .text(RegisterFormat.age(p.birth_date, today: m.today))),
                               fact(T("身份证号码", "ID number"), .span(.class("mono"), .text(p.id_masked)), id: "person-id-number"),
                               fact(T("手机号码", "Mobile"), .span(.class("mono"), .text(p.phone_masked ?? "—")), id: "person-phone"),
                               fact(T("与户主关系", "Relation to head"), .text(RegisterFormat.relation(p.relation, lang))),
                               fact(T("居住状态", "Residence"), .text(RegisterFormat.residence(p.residence_status, lang))),
                               fact(T("户", "Household"), .unwrap(m.household, {
                                   .a(.id("person-household"), .href("/registry/households/\($0.id.uuidString)".attributeSafe), .text($0.address))
                               }, else: .text("—"))),
                               fact(T("网格", "Grid"), .a(.href("/registry/nodes/\(p.grid_code)".attributeSafe), .text(p.grid_name)))))),
            .if(m.mayReveal, revealForm(m, ctx: ctx)),
            .h2(.text(T("当前标签", "Current tags")(lang))),
            current.isEmpty
                ? .p(.class("muted"), .id("no-current-tags"), .text(T("没有当前有效的标签。", "No current tags.")(lang)))
                : .ul(.id("current-tags"), .forEach(current) { tag in .li(tagLabel(tag, lang: lang)) }),
            .h2(.text(T("标签记录", "Tag history")(lang))),
            m.tags.isEmpty
                ? .p(.class("muted"), .text(T("没有标签记录。", "No tag records.")(lang)))
                : tagHistory(m.tags, lang: lang),
            .h2(.text(T("累计救助", "Aid received in all")(lang))),
            aidTable(m.aid, lang: lang))
    }

    private static func revealed(_ revealed: PersonModel.Revealed, lang: Lang) -> Node<HTML.BodyContext> {
        .div(.class("flash-ok"), .id("revealed"), .attribute(named: "role", value: "status"),
             .p(.strong(.text(RegisterFormat.numberField(revealed.field, lang) + T("：", ": ")(lang))),
                .code(.class("mono"), .id("revealed-value"), .text(revealed.value))),
             .p(.text(T("本次查看已记入审计日志。完整号码只在这一页显示一次，刷新或离开后不再显示。",
                        "This view has been written to the audit trail. The full number is shown on this page once; it is gone when you reload or leave.")(lang))))
    }

    private static func revealForm(_ m: PersonModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        var fields = ["id_number"]
        if m.person.phone_masked != nil { fields.append("phone") }
        let options: [Node<HTML.SelectContext>] = fields.map { field in
            .option(.value(field), .label(RegisterFormat.numberField(field, lang)), .isSelected(m.field == field))
        }
        return .div(.class("card"), .id("reveal"),
            .h2(.text(T("查看完整号码", "Show a full number")(lang))),
            .p(.class("muted"), .text(T("仅在工作需要时查看，并写明用途；每次查看都记入审计日志。",
                                        "Only when your work needs it, with the purpose stated; every view is written to the audit trail.")(lang))),
            .form(.id("reveal-form"), .class("stack"), .method(.post),
                  .action("/registry/persons/\(m.person.id.uuidString)/reveal".attributeSafe),
                  Layout.csrfField(ctx.csrf),
                  .label(.for("reveal-field"), .text(T("号码", "Number")(lang))),
                  .select(.attribute(named: "id", value: "reveal-field"), .attribute(named: "name", value: "field"), .group(options)),
                  fieldErrors(m.errors, "field", lang: lang),
                  .label(.for("reveal-purpose"), .text(T("用途", "Purpose")(lang))),
                  .input(.id("reveal-purpose"), .name("purpose"), .type(.text), .value(m.purpose.attributeSafe),
                         .required(true), .attribute(named: "maxlength", value: "200"),
                         .placeholder(T("例如：办理高龄津贴", "e.g. old-age allowance application")(lang))),
                  fieldErrors(m.errors, "purpose", lang: lang),
                  .button(.type(.submit), .text(T("查看", "Show")(lang)))))
    }

    private static func tagLabel(_ tag: RegistryQueries.TagRow, lang: Lang) -> Node<HTML.BodyContext> {
        .group(.text(lang == .zh ? tag.name_zh : tag.name_en), .text(" "),
               .span(.class("badge"), .text(RegisterFormat.kind(tag.kind, lang))),
               .if(tag.sensitive, .group(.text(" "), sensitiveBadge(lang))))
    }

    static func sensitiveBadge(_ lang: Lang) -> Node<HTML.BodyContext> {
        .span(.class("badge bad sensitive"), .text(T("敏感", "Sensitive")(lang)))
    }

    private static func tagHistory(_ tags: [RegistryQueries.TagRow], lang: Lang) -> Node<HTML.BodyContext> {
        .div(.class("table-wrap"),
             .table(.id("tag-history"),
                    .thead(.tr(.th(.text(T("标签", "Tag")(lang))), .th(.text(T("开始", "From")(lang))),
                               .th(.text(T("结束", "Until")(lang))), .th(.text(T("来源", "Source")(lang))))),
                    .tbody(.forEach(tags) { tag in
                        .tr(.td(tagLabel(tag, lang: lang)),
                            .td(.class("mono"), .text(tag.starts_on)),
                            .td(.class("mono"), .text(tag.ends_on ?? T("至今", "now")(lang))),
                            .td(.text(RegisterFormat.source(tag.source, lang)),
                                .unwrap(tag.created_by) { .span(.class("muted"), .text(" · " + $0)) }))
                    })))
    }

    // MARK: the tag catalogue

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

    static func tags(_ rows: [RegistryQueries.CatalogueRow], seesSensitive: Bool, ctx: PageContext) -> Response {
        let lang = ctx.lang
        let visible = Set(rows.map(\.code))
        var children: [String: [RegistryQueries.CatalogueRow]] = [:]
        var roots: [String: [RegistryQueries.CatalogueRow]] = [:]
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
            return .li(.a(.href(RegisterFormat.link("/registry/smart-groups", [("expression", row.code)]).attributeSafe),
                          .text(lang == .zh ? row.name_zh : row.name_en)),
                       .text(" "), .span(.class("muted mono"), breakableCode(row.code)),
                       .if(row.sensitive, .group(.text(" "), sensitiveBadge(lang))),
                       .if(!below.isEmpty, .ul(.forEach(below) { item($0, depth: depth + 1) })))
        }
        let heading = T("标签目录", "Tag catalogue")
        return Layout.render(ctx, title: pageTitle(heading(lang), title(lang)),
            .h1(.text(heading(lang))),
            .p(.class("muted"), .text(T("标签分身份、服务、管理三类。点标签名可筛选带这个标签的居民；智能分组的表达式用右侧的标签代码。",
                                        "Tags come in three kinds: identity, service and management. Follow a tag's name to list the residents who carry it; smart-group expressions use the code beside it.")(lang))),
            .if(seesSensitive,
                .p(.id("sensitive-note"), .class("muted"),
                   sensitiveBadge(lang),
                   .text(T(" 的标签涉及健康、宗教信仰、特定身份或未成年人等敏感个人信息（《个人信息保护法》第二十八条），只有部分角色能看到。",
                           " tags concern health, religion, specific identities or minors: sensitive personal information (PIPL art. 28) that only some roles can see.")(lang)))),
            .forEach(TagKind.allCases) { kind in
                let top = roots[kind.rawValue] ?? []
                let total = rows.filter { $0.kind == kind.rawValue }.count
                return .section(.id("tags-\(kind.rawValue)"),
                    .h2(.text(T("\(kind.nameZH)标签（\(total)）", "\(kind.nameEN) tags (\(total))")(lang))),
                    top.isEmpty
                        ? .p(.class("muted"), .text(T("这一类还没有标签。", "No tags of this kind yet.")(lang)))
                        : .ul(.class("tag-tree"), .forEach(top) { item($0, depth: 0) }))
            })
    }
}
