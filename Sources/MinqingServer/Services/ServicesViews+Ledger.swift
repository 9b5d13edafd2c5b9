import Foundation
import MinqingDomain
import Plot
import Vapor

/// A time-bank statement (see ServicesPages+Ledger): the balances in hours and points, then for
/// oneself the rewards to redeem and the redemption form, for staff the award form, then every
/// transfer a page at a time with its reversal button where the reader may reverse it.
extension ServicesViews {
    struct StatementModel {
        var statement: LedgerService.Statement
        /// The reader's own statement.
        var mine: Bool
        var staff: Bool
        /// Staff may credit this person (a resident or volunteer in scope, not themselves).
        var awardable: Bool
        /// The rewards the reader may redeem (their own statement only).
        var rewards: [RewardService.Row]
        var error: AppError?
        /// What was typed in the form that was refused.
        var form: [String: String]
        /// Which form was refused: `award`, `redeem`, `reward:<id>` or `reverse:<id>`.
        var failed: String?
        var flash: String?

        /// The error of the form `name`, if it is the one refused.
        func refusal(of name: String) -> AppError? { failed == name ? error : nil }
    }

    /// `12 小时 30 分钟`, `120 积分`: an amount as people read it (service time in hours and minutes).
    static func amountText(_ amount: Int64, _ unit: TimeBankLedger.Unit, _ lang: Lang, signed: Bool = false) -> String {
        let sign = amount < 0 ? "−" : (signed && amount > 0 ? "+" : "")
        let value = amount.magnitude
        switch unit {
        case .minutes:
            let hours = value / 60, minutes = value % 60
            if hours == 0 { return sign + T("\(minutes) 分钟", "\(minutes) min")(lang) }
            if minutes == 0 { return sign + T("\(hours) 小时", "\(hours) h")(lang) }
            return sign + T("\(hours) 小时 \(minutes) 分钟", "\(hours) h \(minutes) min")(lang)
        case .points: return sign + T("\(value) 积分", "\(value) points")(lang)
        case .green: return sign + T("\(value) 绿色积分", "\(value) green points")(lang)
        }
    }

    /// A unit's short name: 服务时长, 积分, 绿色账户积分.
    static func unitShort(_ unit: TimeBankLedger.Unit, _ lang: Lang) -> String {
        switch unit {
        case .minutes: T("服务时长", "Service time")(lang)
        case .points: T("积分", "Points")(lang)
        case .green: T("绿色账户积分", "Green points")(lang)
        }
    }

    /// A person as the staff's pages name them: `王**（志愿者）· 1号楼组`.
    static func personLabel(_ name: String, _ role: Role, _ grid: String, _ lang: Lang) -> String {
        (lang == .zh ? "\(name)（\(role.nameZH)）" : "\(name) (\(role.nameEN))") + " · \(grid)"
    }

    static func ledgerFlash(_ code: String) -> T {
        switch code {
        case "awarded": T("已记入。", "Credited.")
        case "redeemed", "reward": T("兑换成功。", "Redeemed.")
        case "reversed": T("已冲正。", "Reversed.")
        default: T("已处理。", "Done.")
        }
    }

    static func statement(_ m: StatementModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        let person = m.statement.person
        let title = m.mine ? T("我的时间银行", "My time bank")(lang) : T("时间银行：", "Time bank: ")(lang) + person.name
        return Layout.render(
            ctx, title: title, status: status,
            .p(
                m.mine
                    ? .a(.href(SiteURL.services(.index).path), .text(T("← 约空间与志愿服务", "← Spaces and volunteering")(lang)))
                    : .a(.href(SiteURL.services(.ledgerPeople).path), .text(T("← 居民与志愿者", "← Residents and volunteers")(lang)))),
            .h1(.text(title)),
            .if(!m.mine, .p(.class("muted"), .id("statement-person"), .text(personLabel(person.name, person.role, person.grid_name, lang)))),
            .unwrap(m.flash) { code in
                .div(.class("flash-ok"), .id("ledger-done"), .attribute(named: "role", value: "status"), .text(ledgerFlash(code)(lang)))
            },
            PageParts.errorBox(m.error, lang, id: "ledger-error"),
            balancesCard(m.statement.balances, lang),
            .if(
                m.mine && m.staff,
                .p(
                    .a(
                        .href(SiteURL.services(.ledgerPeople).path), .id("ledger-people"),
                        .text(T("居民与志愿者的时间银行 →", "Residents' and volunteers' time banks →")(lang))))),
            .if(m.mine, rewardsSection(m, ctx: ctx)),
            .if(m.mine, redeemForm(m, ctx: ctx)),
            .if(
                m.awardable,
                awardForm(
                    choices: [], fixed: person.username, query: "", error: m.refusal(of: "award"), form: m.failed == "award" ? m.form : [:],
                    ctx: ctx)),
            transfersSection(m, ctx: ctx))
    }

    /// The balance in every unit, each with its figure as `data-amount`.
    static func balancesCard(_ balances: [LedgerBalance], _ lang: Lang) -> Node<HTML.BodyContext> {
        .div(
            .class("card"),
            .ul(
                .class("rows"), .id("statement-balances"),
                .forEach(balances) { b in
                    .li(
                        .text(unitShort(b.unit, lang) + T("：", ": ")(lang)),
                        .strong(
                            .id("balance-\(b.unit.rawValue)".attributeSafe), .attribute(named: "data-amount", value: "\(b.balance)"),
                            .text(amountText(b.balance, b.unit, lang))))
                }))
    }

    /// The listed rewards with a button each (while in stock); a refusal stands beside its reward.
    static func rewardsSection(_ m: StatementModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        return .group(
            .h2(.text(T("积分兑换", "Redeem a reward")(lang))),
            m.rewards.isEmpty
                ? .p(.class("muted"), .id("rewards"), .text(T("暂无可兑换的奖品。", "No rewards listed yet.")(lang)))
                : .ul(
                    .class("rows"), .id("rewards"),
                    .forEach(m.rewards) { w in
                        .li(
                            .id("reward-\(w.id.uuidString)".attributeSafe), .strong(.text(w.name)),
                            .text(" · " + amountText(w.price, w.unit, lang) + " · " + T("余 \(w.remaining)", "\(w.remaining) left")(lang)),
                            .if(
                                w.remaining > 0,
                                button(
                                    SiteURL.services(.rewardRedeem(.value(w.id))).path, T("兑换", "Redeem"), id: "redeem-\(w.id.uuidString)",
                                    ctx: ctx)),
                            PageParts.fieldError(m.refusal(of: "reward:\(w.id.uuidString)"), "amount", "transfer", lang: lang))
                    }))
    }

    /// The free redemption form: what for, the unit and the amount.
    static func redeemForm(_ m: StatementModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let error = m.refusal(of: "redeem")
        let typed = m.failed == "redeem" ? m.form : [:]
        return .details(
            .attribute(named: "open", value: error != nil ? "open" : ""),
            .summary(.text(T("其他兑换（服务或线下奖品）", "Another redemption (a service or an item)")(lang))),
            .form(
                .class("stack"), .id("redeem-form"), .method(.post), .action(SiteURL.services(.ledgerRedemptions).path),
                Layout.csrfField(ctx.csrf),
                .label(.for("redeem-reward"), .text(T("兑换内容", "What for")(lang))),
                .input(
                    .type(.text), .id("redeem-reward"), .name("reward"), .value((typed["reward"] ?? "").attributeSafe),
                    .attribute(named: "maxlength", value: "200")),
                PageParts.fieldError(error, "reward", lang: lang),
                unitSelect("redeem-unit", chosen: typed["unit"], lang: lang),
                PageParts.fieldError(error, "unit", lang: lang),
                amountInput("redeem-amount", typed: typed["amount"], lang: lang),
                PageParts.fieldError(error, "amount", lang: lang),
                .button(.type(.submit), .id("redeem"), .text(T("兑换", "Redeem")(lang)))))
    }

    /// The unit to choose (`name="unit"`), `chosen` selected.
    static func unitSelect(_ id: String, chosen: String?, lang: Lang) -> Node<HTML.FormContext> {
        let options: [Node<HTML.SelectContext>] = TimeBankLedger.Unit.allCases.map { unit in
            .option(.value(unit.rawValue), .label(unitShort(unit, lang).attributeSafe), .isSelected(chosen == unit.rawValue))
        }
        return .group(
            .label(.for(id.attributeSafe), .text(T("单位", "Unit")(lang))),
            .select(.id(id.attributeSafe), .attribute(named: "name", value: "unit"), .group(options)))
    }

    /// The amount (`name="amount"`): a whole number, service time in minutes.
    static func amountInput(_ id: String, typed: String?, lang: Lang) -> Node<HTML.FormContext> {
        .group(
            .label(.for(id.attributeSafe), .text(T("数量（服务时长按分钟计）", "Amount (service time in minutes)")(lang))),
            .input(
                .type(.number), .id(id.attributeSafe), .name("amount"), .value((typed ?? "").attributeSafe),
                .attribute(named: "min", value: "1"), .attribute(named: "max", value: "\(TimeBankLedger.maxAmount)"),
                .attribute(named: "inputmode", value: "numeric")))
    }
}
