import Foundation
import MinqingDomain
import Plot
import Vapor

/// The person page's record forms, phone-first: moved out or died (with the day), a help request
/// (求助) and an aid record (救助). Each posts to its own address and goes through the API's
/// service; a failed one opens again as it was typed, each sentence beside its field.
extension RegistryViews {
    struct HelpFields: Content {
        var category: String?
        var description: String?
        var requested_on: String?
    }

    struct AidFields: Content {
        var programme: String?
        var kind: String?
        /// Yuan as typed (`500`, `12.50`); the API takes fen.
        var amount: String?
        var quantity: String?
        var unit: String?
        var minutes: String?
        var given_on: String?
        var description: String?
        var help_request: String?
    }

    struct DepartureFields: Content {
        var reason: String?
        var on: String?
    }

    /// The record forms as posted when one of them failed, and why.
    struct PersonForms {
        enum Which: String, Sendable { case help, aid, departure }
        var failed: Which? = nil
        var error: AppError? = nil
        var help = HelpFields()
        var aid = AidFields()
        var departure = DepartureFields()

        func failure(_ which: Which) -> AppError? { failed == which ? error : nil }

        /// What the last record form did (`?done=…` after its redirect).
        static func flash(_ done: String?) -> T? {
            switch done {
            case "help": T("已登记求助。", "The help request was filed.")
            case "aid": T("已登记救助。", "The aid was recorded.")
            case "departure": T("已登记迁出或死亡，当前标签已结束。", "The departure was recorded; current tags were ended.")
            default: nil
            }
        }
    }

    /// Moved out or died: the record when the person has left, else the form (folded).
    static func departureSection(_ m: PersonModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let e = m.forms.failure(.departure)
        if let departure = m.departure {
            return .group(
                PageParts.errorBox(e, lang, id: "departure-error"),
                .p(.class("flash-error"), .id("departure"), .text(departureText(departure, lang: lang))))
        }
        let f = m.forms.departure
        let reasons = DepartureReason.allCases.map { Choice(value: $0.rawValue, label: $0.name(lang)) }
        return .details(
            .class("card"), .id("record-departure"), .if(e != nil, .attribute(named: "open", value: "open")),
            .summary(.text(T("登记迁出或死亡", "Record moving out or a death")(lang))),
            .component(PageParts.errorBox(e, lang, id: "departure-error")),
            .form(
                .id("departure-form"), .class("stack"), .method(.post),
                .action(SiteURL.registry(.personDeparture(.value(m.person.id))).path.attributeSafe),
                Layout.csrfField(ctx.csrf),
                radioField(
                    T("情况", "What happened")(lang), id: "departure-reason", name: "reason", choices: reasons, selected: f.reason ?? "", error: e,
                    lang: lang),
                inputField(
                    T("日期", "On")(lang), id: "departure-on", name: "on", value: f.on ?? m.today.iso8601, type: .date, error: e, lang: lang,
                    .attribute(named: "max", value: m.today.iso8601)),
                .p(
                    .class("muted"),
                    .text(T("登记后其当前标签同日结束，记录保留。", "Their current tags end on that day; the records stay.")(lang))),
                .button(.type(.submit), .class("wide"), .text(T("登记", "Record")(lang)))))
    }

    /// The person's help requests and the form to file one, its kind chosen by name.
    static func helpSection(_ m: PersonModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let e = m.forms.failure(.help)
        let f = m.forms.help
        let kinds = VisitNeed.allCases.map { need in Choice(value: need.helpCategory, label: DataNames.helpCategory(need.helpCategory, lang)) }
        return .group(
            .h2(.id("help-requests"), .text(T("求助", "Help requests")(lang))),
            m.helpRequests.isEmpty
                ? .p(.class("muted"), .id("no-help-requests"), .text(T("没有求助记录。", "No help requests.")(lang)))
                : .ul(
                    .id("help-request-list"),
                    .forEach(m.helpRequests) { row in
                        .li(
                            .strong(.text(DataNames.helpCategory(row.category, lang))), .text(" · "), .span(.class("mono"), .text(row.requested_on)),
                            .text(" · "),
                            .span(.class("badge"), .text(helpStatus(row.status, lang: lang))), .br(), .text(row.description))
                    }),
            .details(
                .class("card"), .id("file-help"), .if(e != nil, .attribute(named: "open", value: "open")),
                .summary(.text(T("登记求助", "File a help request")(lang))),
                .component(PageParts.errorBox(e, lang, id: "help-error")),
                .form(
                    .id("help-form"), .class("stack"), .method(.post),
                    .action(SiteURL.registry(.personHelpRequests(.value(m.person.id))).path.attributeSafe),
                    Layout.csrfField(ctx.csrf),
                    selectField(
                        T("求助类别", "Kind of help")(lang), id: "help-category", name: "category", choices: kinds, selected: f.category ?? "",
                        prompt: T("请选择", "Choose")(lang), error: e, lang: lang),
                    .label(.for("help-description"), .text(T("求助内容", "What help is needed")(lang))),
                    .textarea(
                        .id("help-description"), .name("description"), .attribute(named: "maxlength", value: "2000"),
                        .attribute(named: "rows", value: "3"), .text(f.description ?? "")),
                    PageParts.fieldError(e, "description", lang: lang),
                    inputField(
                        T("求助日期", "Asked on")(lang), id: "help-on", name: "requested_on", value: f.requested_on ?? m.today.iso8601,
                        type: .date, error: e, lang: lang, .attribute(named: "max", value: m.today.iso8601)),
                    .button(.type(.submit), .class("wide"), .text(T("登记求助", "File")(lang))))))
    }

    /// Record aid given to the person: the programme (typed, or picked from those on record), the
    /// kind by name, then the amount in yuan, the quantity and unit, or the time in minutes.
    static func aidSection(_ m: PersonModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let e = m.forms.failure(.aid)
        let f = m.forms.aid
        let kinds = AidKind.allCases.map { Choice(value: $0.rawValue, label: lang == .zh ? $0.nameZH : $0.nameEN) }
        let requests = m.helpRequests.filter { $0.status == "open" }.map { row in
            Choice(value: row.id.uuidString, label: "\(DataNames.helpCategory(row.category, lang)) · \(row.requested_on)")
        }
        let programmes: Node<HTML.FormContext> = .element(
            named: "datalist",
            nodes: [
                .attribute(named: "id", value: "aid-programmes"),
                .forEach(m.programmes) { row in
                    .element(
                        named: "option",
                        nodes: [.attribute(named: "value", value: row.name.attributeSafe), .text(RegisterFormat.programme(row, lang))])
                }
            ])
        return .details(
            .class("card"), .id("record-aid"), .if(e != nil, .attribute(named: "open", value: "open")),
            .summary(.text(T("登记救助", "Record aid")(lang))),
            .component(PageParts.errorBox(e, lang, id: "aid-error")),
            .form(
                .id("aid-form"), .class("stack"), .method(.post),
                .action(SiteURL.registry(.personAid(.value(m.person.id))).path.attributeSafe),
                Layout.csrfField(ctx.csrf),
                inputField(
                    T("救助项目", "Aid programme")(lang), id: "aid-programme", name: "programme", value: f.programme ?? "", error: e, lang: lang,
                    .attribute(named: "list", value: "aid-programmes"), .attribute(named: "maxlength", value: "60"),
                    .placeholder(T("如 临时救助", "e.g. 临时救助")(lang))),
                programmes,
                radioField(
                    T("救助类型", "Kind of aid")(lang), id: "aid-kind", name: "kind", choices: kinds, selected: f.kind ?? "", error: e, lang: lang),
                inputField(
                    T("金额（元，现金填）", "Amount in yuan (cash)")(lang), id: "aid-amount", name: "amount", value: f.amount ?? "", error: e,
                    errorName: "amount_fen", lang: lang, .attribute(named: "inputmode", value: "decimal")),
                inputField(
                    T("数量（实物填）", "Quantity (in kind)")(lang), id: "aid-quantity", name: "quantity", value: f.quantity ?? "", error: e,
                    lang: lang, .attribute(named: "inputmode", value: "numeric")),
                inputField(
                    T("单位（实物填，如 袋、桶）", "Unit (in kind: bag, bottle…)")(lang), id: "aid-unit", name: "unit", value: f.unit ?? "",
                    error: e, lang: lang, .attribute(named: "maxlength", value: "10")),
                inputField(
                    T("时长（分钟，服务填）", "Time in minutes (a service)")(lang), id: "aid-minutes", name: "minutes", value: f.minutes ?? "",
                    error: e, lang: lang, .attribute(named: "inputmode", value: "numeric")),
                inputField(
                    T("发放日期", "Given on")(lang), id: "aid-given-on", name: "given_on", value: f.given_on ?? m.today.iso8601, type: .date,
                    error: e, lang: lang),
                .if(
                    !requests.isEmpty,
                    selectField(
                        T("对应的求助（可不选）", "For a help request (optional)")(lang), id: "aid-help-request", name: "help_request",
                        choices: requests, selected: f.help_request ?? "", prompt: T("不对应", "None")(lang), error: e,
                        errorName: "help_request_id", lang: lang)),
                inputField(
                    T("说明（可不填）", "Note (optional)")(lang), id: "aid-description", name: "description", value: f.description ?? "",
                    error: e, lang: lang, .attribute(named: "maxlength", value: "500")),
                .button(.type(.submit), .class("wide"), .text(T("登记救助", "Record")(lang)))))
    }

    static func helpStatus(_ raw: String, lang: Lang) -> String {
        switch raw {
        case "open": T("待跟进", "Open")(lang)
        case "resolved": T("已解决", "Resolved")(lang)
        default: raw
        }
    }
}
