import Foundation
import MinqingDomain
import Plot
import Vapor

/// The roster form of a daily check-in campaign, for staff (see ServicesPages+Campaigns): the
/// residents under a grid node, and residents found by name and ticked, those already on the
/// roster marked instead of ticked.
extension ServicesViews {
    static func rosterSection(_ m: CampaignModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        guard let roster = m.roster else { return .empty }
        let lang = ctx.lang
        let rows: [Node<HTML.FormContext>] = roster.map { (p) -> Node<HTML.FormContext> in
            let label = personLabel(p.name, p.role, p.grid_name, lang)
            guard !p.listed else {
                return .p(
                    .id("roster-\(p.username)".attributeSafe), .text(label + " "), .span(.class("badge ok"), .text(T("已在名单", "On the roster")(lang))))
            }
            return .label(
                .class("check"), .for("roster-\(p.username)".attributeSafe),
                .input(.type(.checkbox), .id("roster-\(p.username)".attributeSafe), .name("usernames[]"), .value(p.username.attributeSafe)),
                .span(.text(label)))
        }
        return .div(
            .class("card"), .id("roster"),
            .h2(.text(T("打卡名单", "The roster")(lang))),
            nameSearch(SiteURL.services(.campaign(.value(m.id))).path, query: m.rosterQuery, id: "roster-search", lang: lang),
            .form(
                .class("stack"), .id("roster-form"), .method(.post), .action(SiteURL.services(.campaignRoster(.value(m.id))).path.attributeSafe),
                Layout.csrfField(ctx.csrf), .input(.type(.hidden), .name("q"), .value(m.rosterQuery.attributeSafe)),
                .label(.for("roster-node"), .text(T("该网格节点下的全部居民（填节点编码，可选）", "Every resident under a grid node (its code, optional)")(lang))),
                .input(.type(.text), .id("roster-node"), .name("node"), .value((m.values["node"] ?? "").attributeSafe)),
                PageParts.fieldError(m.error, "node", lang: lang),
                roster.isEmpty
                    ? .p(.class("muted"), .text(T("没有找到居民。", "No residents found.")(lang)))
                    : .fieldset(.element(named: "legend", text: T("按姓名勾选居民", "Tick residents by name")(lang)), .group(rows)),
                PageParts.fieldError(m.error, "usernames", lang: lang),
                .button(.type(.submit), .id("enrol-roster"), .text(T("加入名单", "Add to the roster")(lang)))))
    }
}
