import Foundation
import MinqingDomain
import Plot
import Vapor

/// Views of the 6543 oversight pages (see OversightPages). Phone-first: one column of cards;
/// the credit ledger is a list whose every line shows the points, the reason and the date.
enum OversightViews {
    static func name(_ zh: String, _ en: String, _ lang: Lang) -> String { lang == .zh ? zh : en }

    static func standingBadge(_ standing: ListStanding, _ lang: Lang, id: String? = nil) -> Node<HTML.BodyContext> {
        let css = standing == .redList ? "badge ok" : (standing == .blackList ? "badge warn" : "badge")
        return .span(
            .class(css), .unwrap(id) { .id($0.attributeSafe) },
            .text(name(standing.nameZH, standing.nameEN, lang)))
    }

    static func points(_ n: Int) -> String { n > 0 ? "+\(n)" : "\(n)" }

    static func yuan(_ fen: Int64) -> String {
        let sign = fen < 0 ? "-" : ""
        let v = abs(fen)
        return "\(sign)¥\(v / 100).\(String(format: "%02d", Int(v % 100)))"
    }

    static func sourceName(_ source: CreditSource, _ lang: Lang) -> String {
        name(source.nameZH, source.nameEN, lang)
    }

    static func flash(_ code: String?, _ lang: Lang) -> Node<HTML.BodyContext> {
        .unwrap(code) { code in
            let text = flashText(code)
            return .div(.class("flash-ok"), .id("oversight-done"), .attribute(named: "role", value: "status"), .text(text(lang)))
        }
    }

    // MARK: overview

    struct OverviewModel {
        var companies: [CompanyRow]
        var committees: [CommitteeRow]
        var partyShare: OversightQueries.PartyShareSummary?
        var checklists: [ChecklistRow]
        var programmes: [ProgrammeRow]
        var shops: [ShopRow]
        var shopCounts: OversightQueries.ShopCounts
        var flash: String? = nil
        /// Administrators and subdistrict staff register companies here: the form, its default
        /// subdistrict code (the caller's own subdistrict, else blank), and the form that failed.
        var companyForm = false
        var defaultNode = ""
        var posted: Posted? = nil
    }

    static func overview(_ m: OverviewModel, ctx: PageContext) -> Response {
        let lang = ctx.lang
        return Layout.render(
            ctx, title: T("6543 小区治理", "6543 compound governance")(lang), status: m.posted?.error.status ?? .ok,
            .h1(.text(T("6543 小区治理", "6543 compound governance")(lang))),
            PageParts.errorBox(m.posted?.error, lang, id: "oversight-error"),
            flash(m.flash, lang),
            .h2(.text(T("物业公司红黑榜", "Property companies: red and black list")(lang))),
            m.companies.isEmpty
                ? .p(.class("muted"), .id("companies"), .text(T("暂无物业公司。", "No property companies yet.")(lang)))
                : .ul(
                    .class("rows"), .id("companies"),
                    .forEach(m.companies) { c in
                        .li(
                            .class("company"), .id("company-\(c.id.uuidString)".attributeSafe),
                            .a(.href(SiteURL.oversight(.company(.value(c.id))).path.attributeSafe), .strong(.text(c.name))), .text(" "),
                            standingBadge(c.standing, lang), .br(),
                            .span(
                                .class("muted"),
                                .text(
                                    T("信用分 \(c.score) · 服务 \(c.compounds) 个小区 · ", "Score \(c.score) · \(c.compounds) compounds · ")(lang)
                                        + name(c.standing_reason_zh, c.standing_reason_en, lang))))
                    }),
            .if(m.companyForm, companyRegistration(m, ctx: ctx)),
            .h2(.text(T("业委会", "Owners' committees")(lang))),
            .unwrap(m.partyShare) { s in
                .p(
                    .id("party-share-summary"),
                    .text(
                        T(
                            "党员比例达到 50% 的业委会：\(s.meeting_target)/\(s.committees)（成员 \(s.members) 人，其中党员 \(s.party_members) 人）",
                            "Committees meeting the 50 % party-member target: \(s.meeting_target)/\(s.committees) (\(s.party_members) of \(s.members) members)"
                        )(lang)))
            },
            .ul(
                .class("rows"), .id("committees"),
                .forEach(m.committees.prefix(30)) { c in
                    .li(
                        .a(.href(SiteURL.oversight(.committee(.value(c.id))).path.attributeSafe), .text(c.compound_name)),
                        .span(
                            .class("muted"),
                            .text(" · " + T("成员 \(c.members) 人 · 任期至 \(c.term_ends_on)", "\(c.members) members · term to \(c.term_ends_on)")(lang))))
                }),
            .h2(.text(T("五大关切", "The five concerns")(lang))),
            .ul(
                .class("rows"), .id("programmes"),
                .forEach(m.programmes) { p in
                    .li(
                        .class("programme"), .strong(.text(name(p.name_zh, p.name_en, lang))), .br(),
                        .span(
                            .class("muted"),
                            .text(
                                T(
                                    "项目 \(p.projects) 个 · 预算 \(yuan(p.budget_fen)) · 已支出 \(yuan(p.spent_fen)) · 节点 \(p.milestones_done)/\(p.milestones)",
                                    "\(p.projects) projects · budget \(yuan(p.budget_fen)) · spent \(yuan(p.spent_fen)) · milestones \(p.milestones_done)/\(p.milestones)"
                                )(lang))),
                        .ul(
                            .forEach(p.items.prefix(5)) { item in
                                .li(
                                    .a(.href(SiteURL.oversight(.project(.value(item.id))).path.attributeSafe), .text(item.name)),
                                    .text(" · \(item.department) · \(item.leader_name)"))
                            }))
                }),
            .h2(.text(T("分类治理清单", "Checklists by compound type")(lang))),
            .ul(
                .class("rows"), .id("checklists"),
                .forEach(m.checklists) { c in
                    .li(
                        .class("checklist"),
                        .a(.href(SiteURL.oversight(.compound(.value(c.compound_id))).path.attributeSafe), .strong(.text(c.compound_name))),
                        .text(" · "),
                        .text(CompoundType(rawValue: c.compound_type).map { name($0.nameZH, $0.nameEN, lang) } ?? c.compound_type),
                        .text(" · " + T("目标：", "Goal: ")(lang) + CompoundType.goal(of: c.compound_type, fallback: c.goal_zh, lang)), .br(),
                        .span(
                            .class("muted"),
                            .text(
                                T("进度 \(c.done)/\(c.total)（\(c.percent)%）", "Progress \(c.done)/\(c.total) (\(c.percent) %)")(lang)
                                    + (c.lead_department.map { " · " + T("牵头：", "Lead: ")(lang) + $0 + " " + (c.leader_name ?? "") } ?? ""))),
                        .ul(
                            .forEach(c.measures) { measure in
                                .li(
                                    .text(
                                        "\(name(measure.name_zh, measure.name_en, lang))："
                                            + name(measure.status.nameZH, measure.status.nameEN, lang)))
                            }))
                }),
            .h2(.text(T("一店一档 · 门责制", "Shop files · frontage pledges")(lang))),
            .p(
                .id("shop-counts"),
                .text(
                    T(
                        "商户 \(m.shopCounts.shops) 家，已签门责制 \(m.shopCounts.pledged) 家 · ",
                        "\(m.shopCounts.shops) shops, \(m.shopCounts.pledged) pledged · ")(lang)),
                .a(.id("all-shops"), .href(SiteURL.oversight(.shops).path), .text(T("全部商户、建档", "All shops, register one")(lang)))),
            .ul(
                .class("rows"), .id("shops"),
                .forEach(m.shops) { s in
                    .li(
                        .a(.href(SiteURL.oversight(.shop(.value(s.id))).path.attributeSafe), .strong(.text(s.name))),
                        .text(" · \(s.category) · \(s.address)"), .br(),
                        .span(
                            .class("muted"),
                            .text(
                                "\(s.contact_name) \(s.phone_masked ?? "") · \(s.grid_name)"
                                    + (s.pledged_on.map { " · " + T("门责制 \($0)", "pledged \($0)")(lang) } ?? ""))))
                }))
    }

    /// Registers a property company (administrators and subdistrict staff); it then opens with
    /// its credit file, where its account is linked.
    private static func companyRegistration(_ m: OverviewModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let f = FormState("company", m.posted, lang)
        return .group(
            .h2(.text(T("登记物业公司", "Register a property company")(lang))),
            postForm(
                "company-form", action: SiteURL.oversight(.companies).path, csrf: ctx.csrf, submit: T("登记", "Register")(lang),
                field(f, "name", T("公司名称", "Company name")(lang), required: true, maxLength: 100),
                field(f, "licence_code", T("统一社会信用代码", "Licence code")(lang), required: true, maxLength: 40),
                field(f, "manager_name", T("负责人", "Manager")(lang), maxLength: 50),
                field(
                    f, "node", T("所在街道的网格编码（默认您所在的街道）", "The subdistrict's grid code (default: your own)")(lang),
                    value: m.defaultNode, inputMode: "numeric", maxLength: 60)))
    }
}
