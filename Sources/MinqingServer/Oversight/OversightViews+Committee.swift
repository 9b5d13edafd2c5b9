import Foundation
import MinqingDomain
import Plot
import Vapor

/// The owners' committee page and its disclosures, and the resident's own compound.
extension OversightViews {
    // MARK: committee

    /// Yuan typed with at most two decimals ("1234.5") as integer fen, without floating point.
    static func fen(fromYuan text: String) -> Int64? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int64(parts[0]), whole >= 0, whole < 100_000_000_000 else { return nil }
        var cents: Int64 = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard (1...2).contains(digits.count), digits.allSatisfy(\.isASCII), let value = Int64(digits) else { return nil }
            cents = digits.count == 1 ? value * 10 : value
        }
        return whole * 100 + cents
    }

    /// An owners' committee: members (with the party-member share for those who may see it),
    /// corrections and exits, the staff's member and record forms, and the disclosure form. A form
    /// that failed (`posted`) shows again as it was sent, each problem beside its field.
    static func committee(
        _ d: CommitteeDetail, ctx: PageContext, posted: Posted? = nil, flash code: String? = nil,
        candidates: [OversightQueries.Choice]? = nil, search: String? = nil
    ) -> Response {
        let lang = ctx.lang
        return Layout.render(
            ctx, title: d.committee.compound_name + T(" 业委会", " owners' committee")(lang), status: posted?.error.status ?? .ok,
            .p(.a(.href(SiteURL.oversight(.index).path), .text(T("← 6543 小区治理", "← 6543 governance")(lang)))),
            .h1(.text(d.committee.compound_name + T(" 业委会", " owners' committee")(lang))),
            PageParts.errorBox(posted?.error, lang, id: "oversight-error"),
            flash(code, lang),
            .p(
                .class("muted"),
                .text(
                    T(
                        "选举 \(d.committee.elected_on) · 任期至 \(d.committee.term_ends_on)",
                        "Elected \(d.committee.elected_on) · term to \(d.committee.term_ends_on)")(lang))),
            .unwrap(d.party_share) { s in
                .p(
                    .id("party-share"), .class(s.meets_target ? "badge ok" : "badge warn"),
                    .text(
                        T(
                            "党员 \(s.party_members)/\(s.members)（\(s.percent)%），目标 ≥ 50%：" + (s.meets_target ? "已达到" : "未达到"),
                            "Party members \(s.party_members)/\(s.members) (\(s.percent) %), target ≥ 50 %: " + (s.meets_target ? "met" : "not met"))(
                                lang)))
            },
            .h2(.text(T("成员", "Members")(lang))),
            .ul(
                .class("rows"), .id("members"),
                .forEach(d.members) { mbr in
                    .li(
                        .class(mbr.ended_on == nil ? "member" : "member ended"),
                        .text(
                            "\(mbr.name) · " + (OversightService.memberRoles[mbr.role].map { name($0.0, $0.1, lang) } ?? mbr.role)
                                + " · \(mbr.term_starts_on)–\(mbr.term_ends_on)"
                                + (mbr.ended_on.map { T(" · \($0) 退出", " · left \($0)")(lang) } ?? "")),
                        .if(mbr.party_member == true, .span(.class("badge"), .text(T("党员", "Party member")(lang)))))
                }),
            .h2(.text(T("纠错与退出", "Corrections and exits")(lang))),
            .ul(
                .class("rows"), .id("records"),
                .forEach(d.records) { r in
                    .li(
                        .text(
                            "\(r.recorded_on) · " + (OversightService.recordKinds[r.kind].map { name($0.0, $0.1, lang) } ?? r.kind) + " · \(r.reason)"
                        ))
                }),
            .unwrap(candidates) { committeeForms(d, candidates: $0, search: search, posted: posted, ctx: ctx) },
            .h2(.text(T("信息公开", "Disclosures")(lang))),
            disclosureForm(d, posted: posted, ctx: ctx),
            disclosureList(d.disclosures, lang: lang))
    }

    /// Publishes a disclosure to the compound's residents; the amount is typed in yuan.
    private static func disclosureForm(_ d: CommitteeDetail, posted: Posted?, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let f = FormState("disclosure", posted, lang)
        let kinds = OversightService.disclosureKinds.sorted { $0.key < $1.key }.map { (value: $0.key, label: name($0.value.0, $0.value.1, lang)) }
        return postForm(
            "disclosure-form", action: SiteURL.oversight(.committeeDisclosures(.value(d.committee.id))).path, csrf: ctx.csrf,
            submit: T("公示", "Publish")(lang),
            choice(f, "kind", T("类别", "Kind")(lang), kinds),
            field(f, "title", T("标题", "Title")(lang), required: true, maxLength: 120),
            area(f, "body", T("内容", "Text")(lang), required: true, maxLength: 10_000),
            field(f, "amount_yuan", T("金额（元，可选）", "Amount (yuan, optional)")(lang), inputMode: "decimal"))
    }

    static func disclosureList(_ rows: [DisclosureRow], lang: Lang) -> Node<HTML.BodyContext> {
        rows.isEmpty
            ? .p(.class("muted"), .id("disclosures"), .text(T("暂无公示。", "Nothing published yet.")(lang)))
            : .ul(
                .class("rows"), .id("disclosures"),
                .forEach(rows) { r in
                    .li(
                        .class("disclosure"), .id("disclosure-\(r.id.uuidString)".attributeSafe),
                        .strong(.text(r.title)),
                        .text(" · " + (OversightService.disclosureKinds[r.kind].map { name($0.0, $0.1, lang) } ?? r.kind) + " · \(r.published_on)"),
                        .unwrap(r.amount_fen) { .text(" · \(yuan($0))") }, .br(),
                        .span(.class("muted"), .text(r.body)))
                })
    }

    // MARK: resident

    static func myCompound(_ compounds: [MyCompound], ctx: PageContext) -> Response {
        let lang = ctx.lang
        return Layout.render(
            ctx, title: T("我的小区", "My compound")(lang),
            .h1(.text(T("我的小区", "My compound")(lang))),
            compounds.isEmpty
                ? .p(
                    .class("muted"), .id("no-compound"),
                    .text(T("您的账号尚未关联住户，请联系居委会。", "Your account is not linked to a household yet; ask the residents' committee.")(lang)))
                : .group(
                    compounds.map { c in
                        .div(
                            .class("card compound"), .id("compound-\(c.compound_id.uuidString)".attributeSafe),
                            .h2(.text(c.compound_name)),
                            .p(
                                .class("muted"),
                                .text(
                                    (CompoundType(rawValue: c.compound_type).map { name($0.nameZH, $0.nameEN, lang) } ?? c.compound_type)
                                        + T(" · 治理目标：", " · goal: ")(lang) + CompoundType.goal(of: c.compound_type, fallback: c.goal_zh, lang))),
                            .h3(.text(T("物业公司", "Property company")(lang))),
                            .ul(
                                .class("rows"), .id("my-companies"),
                                .forEach(c.companies) { co in
                                    .li(
                                        .strong(.text(co.name)), .text(" "), standingBadge(co.standing, lang), .br(),
                                        .span(
                                            .class("muted"),
                                            .text(
                                                T("信用分 \(co.score) · ", "Score \(co.score) · ")(lang)
                                                    + name(co.standing_reason_zh, co.standing_reason_en, lang))))
                                }),
                            .h3(.text(T("业委会信息公开", "Owners' committee disclosures")(lang))),
                            disclosureList(c.disclosures, lang: lang))
                    }))
    }
}
