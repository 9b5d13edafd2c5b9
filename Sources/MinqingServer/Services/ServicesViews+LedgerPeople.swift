import Foundation
import MinqingDomain
import Plot
import Vapor

/// The statement's transfers, the staff's list of residents and volunteers with their balances,
/// and the award form both use (see ServicesPages+Ledger).
extension ServicesViews {
    struct PeopleModel {
        var rows: [LedgerService.PersonBalances]
        var total: Int
        var page: Int
        var pageSize: Int
        var query: String
        var error: AppError?
        var form: [String: String]
        var flash: String?
    }

    /// The other side of a transfer as people read it.
    static func counterpart(_ line: LedgerService.StatementLine, _ lang: Lang) -> String {
        switch line.counterpart_kind {
        case "pool": T("社区发放", "Issued by the community")(lang) + (line.counterpart_name.isEmpty ? "" : " · \(line.counterpart_name)")
        case "rewards": T("兑换", "Redemption")(lang)
        default: T("转账", "Transfer")(lang)
        }
    }

    /// Who posted a transfer: staff by name and role, a resident or volunteer by their masked name.
    static func poster(_ line: LedgerService.StatementLine, _ lang: Lang) -> String {
        guard let role = line.by_role, !line.by_name.isEmpty else { return "—" }
        return lang == .zh ? "\(line.by_name)（\(role.nameZH)）" : "\(line.by_name) (\(role.nameEN))"
    }

    /// Every transfer of the statement, a page at a time; each row carries its transfer's id and
    /// signed amount, and for staff the reversal button where they may reverse it.
    static func transfersSection(_ m: StatementModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let s = m.statement
        let link = { (n: Int) -> String in
            (m.mine ? SiteURL.services(.ledger) : SiteURL.services(.ledgerPerson(.value(s.person.username)))).path([("page", String(n))])
        }
        return .group(
            .h2(.id("transfers-title"), .text(T("明细（共 \(s.total) 笔）", "Transfers (\(s.total))")(lang))),
            s.transfers.isEmpty
                ? .p(.class("muted"), .id("transfers"), .text(T("还没有记录。", "Nothing yet.")(lang)))
                : PageParts.table(
                    id: "transfers",
                    headers: [
                        .init(T("时间", "When")(lang)), .init(T("内容", "What")(lang)), .num(T("数量", "Amount")(lang)),
                        .init(T("经办", "By")(lang)), .init("")
                    ],
                    rows: s.transfers
                ) { line in
                    .tr(
                        .class("ledger-line"), .id("line-\(line.transfer_id.uuidString)".attributeSafe),
                        .attribute(named: "data-amount", value: "\(line.amount)"), .attribute(named: "data-unit", value: line.unit.rawValue),
                        .td(.text(LocalTime.short(line.created_at, year: true))),
                        .td(
                            .text(line.memo.isEmpty ? counterpart(line, lang) : "\(line.memo) · \(counterpart(line, lang))"),
                            .if(line.reverses_id != nil, .span(.class("badge"), .text(T("冲正", "Reversal")(lang))))),
                        .td(.class("num"), .text(amountText(line.amount, line.unit, lang, signed: true))),
                        .td(.text(poster(line, lang))),
                        .td(lineAction(line, m, ctx: ctx)))
                },
            PageParts.pager(id: "statement-pager", page: s.page, pageSize: s.page_size, total: s.total, lang: lang, link: link))
    }

    /// A reversed transfer's badge, or for staff the reversal button (with the refusal beside it).
    static func lineAction(_ line: LedgerService.StatementLine, _ m: StatementModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let id = line.transfer_id.uuidString
        let refusal: Node<HTML.BodyContext> = PageParts.fieldError(m.refusal(of: "reverse:\(id)"), "transfer", "amount", lang: lang)
        if line.reversed { return .group(.span(.class("badge"), .text(T("已冲正", "Reversed")(lang))), refusal) }
        guard line.reversible, !m.mine else { return refusal }
        return .group(
            .form(
                .class("inline"), .method(.post), .action(SiteURL.services(.ledgerReverse(.value(line.transfer_id))).path.attributeSafe),
                Layout.csrfField(ctx.csrf), .input(.type(.hidden), .name("person"), .value(m.statement.person.username.attributeSafe)),
                .button(.type(.submit), .class("small"), .id("reverse-\(id)".attributeSafe), .text(T("冲正", "Reverse")(lang)))),
            refusal)
    }

    /// The award form: the person chosen from `choices` by name (or `fixed`, on their statement),
    /// the unit, the amount and a note; a refusal keeps what was typed, each sentence beside its field.
    static func awardForm(
        choices: [LedgerService.PersonBalances], fixed: String?, query: String, error: AppError?, form: [String: String], ctx: PageContext
    ) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let options: [Node<HTML.SelectContext>] = choices.map { row in
            let p = row.person
            return .option(
                .value(p.username.attributeSafe), .label(personLabel(p.name, p.role, p.grid_name, lang).attributeSafe),
                .isSelected(form["username"] == p.username))
        }
        return .div(
            .class("card"),
            .h2(.text(T("记入时间银行或积分", "Credit service time or points")(lang))),
            .form(
                .class("stack"), .id("award-form"), .method(.post), .action(SiteURL.services(.ledgerAwards).path), Layout.csrfField(ctx.csrf),
                .input(.type(.hidden), .name("q"), .value(query.attributeSafe)),
                .unwrap(fixed) { username in
                    .group(
                        .input(.type(.hidden), .name("username"), .value(username.attributeSafe)),
                        .input(.type(.hidden), .name("back"), .value("person")))
                },
                .if(
                    fixed == nil,
                    .group(
                        .label(.for("award-person"), .text(T("给谁（从上面的名单中选）", "Whom (from the list above)")(lang))),
                        .select(.id("award-person"), .attribute(named: "name", value: "username"), .group(options)))),
                PageParts.fieldError(error, "username", lang: lang),
                unitSelect("award-unit", chosen: form["unit"], lang: lang),
                PageParts.fieldError(error, "unit", lang: lang),
                amountInput("award-amount", typed: form["amount"], lang: lang),
                PageParts.fieldError(error, "amount", lang: lang),
                .label(.for("award-memo"), .text(T("说明（如 平安巡逻 2 小时）", "Note (e.g. two hours' patrol)")(lang))),
                .input(
                    .type(.text), .id("award-memo"), .name("memo"), .value((form["memo"] ?? "").attributeSafe),
                    .attribute(named: "maxlength", value: "200")),
                PageParts.fieldError(error, "memo", lang: lang),
                .button(.type(.submit), .id("award"), .text(T("记入", "Credit")(lang)))))
    }

    /// The residents and volunteers in scope, found by name, with their balances; the award form
    /// offers the people listed.
    static func ledgerPeople(_ m: PeopleModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        let title = T("居民与志愿者的时间银行", "Residents' and volunteers' time banks")(lang)
        return Layout.render(
            ctx, title: title, status: status,
            .p(.a(.href(SiteURL.services(.ledger).path), .text(T("← 我的时间银行", "← My time bank")(lang)))),
            .h1(.text(title)),
            .unwrap(m.flash) { code in
                .div(.class("flash-ok"), .id("ledger-done"), .attribute(named: "role", value: "status"), .text(ledgerFlash(code)(lang)))
            },
            PageParts.errorBox(m.error, lang, id: "ledger-error"),
            .form(
                .id("people-search"), .class("stack"), .method(.get), .action(SiteURL.services(.ledgerPeople).path),
                .label(.for("q"), .text(T("按姓名查找", "Find by name")(lang))),
                .input(.id("q"), .name("q"), .type(.search), .value(m.query.attributeSafe)),
                .button(.type(.submit), .text(T("查找", "Search")(lang)))),
            m.rows.isEmpty
                ? .p(.class("muted"), .id("people"), .text(T("没有找到居民或志愿者。", "No residents or volunteers found.")(lang)))
                : .ul(
                    .class("rows"), .id("people"),
                    .forEach(m.rows) { row in
                        let p = row.person
                        return .li(
                            .a(.href(SiteURL.services(.ledgerPerson(.value(p.username))).path.attributeSafe), .text(p.name)),
                            .text(lang == .zh ? "（\(p.role.nameZH)）· \(p.grid_name)" : " (\(p.role.nameEN)) · \(p.grid_name)"), .br(),
                            .span(
                                .class("muted"),
                                .text(
                                    row.balances.map { unitShort($0.unit, lang) + " " + amountText($0.balance, $0.unit, lang) }.joined(
                                        separator: " · "))))
                    }),
            PageParts.pager(id: "people-pager", page: m.page, pageSize: m.pageSize, total: m.total, lang: lang) { n in
                SiteURL.services(.ledgerPeople).path([("q", m.query), ("page", String(n))])
            },
            .if(!m.rows.isEmpty, awardForm(choices: m.rows, fixed: nil, query: m.query, error: m.error, form: m.form, ctx: ctx)))
    }
}
