import Foundation
import MinqingDomain
import Plot
import Vapor

/// The campaign page (see ServicesPages+Campaigns): one column, phone-first.
extension ServicesViews {
    struct CampaignModel {
        var id: UUID
        var kind: CampaignKind
        var title: String
        var description: String
        var status: String
        var staff: Bool
        var mayReveal: Bool
        var error: AppError?
        var values: [String: String]
        var flash: String?
        var form: CampaignFormService.FormView?
        var figures: CampaignFigures?
        var days: [CheckinService.Day]?
        var missed: [CheckinService.Missed]?
        var missedDate: String?
        var mine: CheckinService.Mine?
        /// Staff: the residents in scope found by `rosterQuery`, each marked when on the roster.
        var roster: [ServicesQueries.PersonChoice]?
        var rosterQuery: String = ""
        /// How many the last roster form added.
        var enrolled: Int?
        /// How many the last reminder reached (after the redirect).
        var reminded: Int?
    }

    static func kindName(_ kind: CampaignKind, _ lang: Lang) -> String {
        switch kind {
        case .reservation: T("限量预约", "Limited stock")(lang)
        case .registration: T("登记", "Registration")(lang)
        case .checkin: T("每日打卡", "Daily check-in")(lang)
        }
    }

    static func campaign(_ m: CampaignModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        return Layout.render(
            ctx, title: m.title, status: status,
            .p(.a(.href(SiteURL.services(.index).path), .text(T("← 返回", "← Back")(lang)))),
            .h1(.text(m.title)),
            .p(.class("muted"), .text(kindName(m.kind, lang) + (m.status == "open" ? "" : T(" · 已结束", " · ended")(lang)))),
            .if(!m.description.isEmpty, .p(.id("campaign-description"), .text(m.description))),
            PageParts.errorBox(m.error, lang, id: "campaign-error"),
            .unwrap(m.flash) { code in
                .div(
                    .class("flash-ok"), .id("campaign-done"), .attribute(named: "role", value: "status"),
                    .text(
                        (code == "checked"
                            ? T("今日已打卡。", "Checked in for today.")
                            : code == "enrolled"
                                ? T("已加入打卡名单。", "You are on the roster.")
                                : code == "roster"
                                    ? T("名单已更新，新加入 \(m.enrolled ?? 0) 人。", "Roster updated: \(m.enrolled ?? 0) added.")
                                    : code == "reminded"
                                        ? T(
                                            "已提醒 \(m.reminded ?? 0) 人（今天还没打卡、今天也还没提醒过的人）。",
                                            "Reminded \(m.reminded ?? 0) (those who have not checked in today and were not reminded today yet).")
                                        : T("已提交。", "Submitted."))(lang)))
            },
            .unwrap(m.days) { days in checkinFigures(days, m, ctx: ctx) },
            .unwrap(m.mine) { mine in checkinMine(mine, m, ctx: ctx) },
            .unwrap(m.form) { form in m.staff ? formFigures(form, m, ctx: ctx) : formEntry(form, m, ctx: ctx) },
            .unwrap(m.figures) { f in
                .div(
                    .class("card"), .id("campaign-figures"),
                    .p(
                        .text(
                            T(
                                "剩余 \(f.remaining)/\(f.stock_total) · 已约 \(f.reserved) · \(f.households) 户 · 每户限 \(f.per_household_limit)",
                                "\(f.remaining)/\(f.stock_total) left · \(f.reserved) reserved · \(f.households) households · \(f.per_household_limit) per household"
                            )(lang))),
                    .p(.text(T("领取：", "Pick up: ")(lang) + f.pickup_place)),
                    .unwrap(f.pickup_slots) { slots in
                        .ul(
                            .class("rows"), .id("pickup-slots"),
                            .forEach(slots) { slot in
                                .li(
                                    .text(
                                        "\(LocalTime.span(slot.starts_at, slot.ends_at)) · \(slot.place) · "
                                            + T("已约 \(slot.taken)/\(slot.capacity)", "\(slot.taken)/\(slot.capacity) taken")(lang)))
                            })
                    },
                    .if(
                        m.staff,
                        .p(
                            .a(
                                .href("/api/v1/services/campaigns/\(m.id.uuidString)/reservations.csv".attributeSafe),
                                .id("reservations-csv"), .text(T("导出预约名单（CSV）", "Export reservations (CSV)")(lang))))))
            })
    }

    /// Staff: each day's roster, check-ins and misses; the missed list of one day.
    static func checkinFigures(_ days: [CheckinService.Day], _ m: CampaignModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let base = SiteURL.services(.campaign(.value(m.id))).path
        return .group(
            .h2(.text(T("每日打卡", "Check-ins per day")(lang))),
            .if(
                m.status == "open",
                ServicesViews.button(
                    SiteURL.services(.campaignRemind(.value(m.id))).path, T("提醒今天未打卡的人", "Remind who has not checked in today"),
                    id: "remind", ctx: ctx)),
            days.isEmpty
                ? .p(.class("muted"), .id("checkin-days"), .text(T("打卡尚未开始。", "Check-ins have not begun.")(lang)))
                : .ul(
                    .class("rows"), .id("checkin-days"),
                    .forEach(days) { d in
                        .li(
                            .a(.href("\(base)?date=\(d.date)".attributeSafe), .text(d.date)),
                            .text(T(" · 名单 \(d.roster) · 已打卡 \(d.checked_in) · ", " · roster \(d.roster) · checked in \(d.checked_in) · ")(lang)),
                            .strong(.class("missed"), .text(T("未打卡 \(d.missed)", "missed \(d.missed)")(lang))))
                    }),
            .unwrap(m.missedDate) { date in
                .group(
                    .h2(.text(T("\(date) 未打卡", "Missed on \(date)")(lang))),
                    (m.missed ?? []).isEmpty
                        ? .p(.class("muted"), .id("missed"), .text(T("无人漏打卡。", "Nobody missed.")(lang)))
                        : .ul(
                            .class("rows"), .id("missed"),
                            .forEach(m.missed ?? []) { p in
                                .li(.strong(.text(p.display_name)), .text(" · \(p.username) · \(p.grid_code)"))
                            }))
            },
            rosterSection(m, ctx: ctx))
    }

    /// A resident: on the roster or not, today's check-in, the days done.
    static func checkinMine(_ mine: CheckinService.Mine, _ m: CampaignModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        guard mine.on_roster else {
            return mine.self_enrol && m.status == "open"
                ? button(SiteURL.services(.campaignEnrol(.value(m.id))).path, T("加入打卡", "Join the check-in"), id: "enrol", ctx: ctx)
                : .p(.class("muted"), .id("not-on-roster"), .text(T("您不在打卡名单中。", "You are not on the roster.")(lang)))
        }
        return .group(
            mine.checked_today
                ? .p(.class("badge ok"), .id("checked-today"), .text(T("今日已打卡", "Checked in today")(lang)))
                : .form(
                    .class("stack"), .id("checkin-form"), .method(.post),
                    .action(SiteURL.services(.campaignCheckin(.value(m.id))).path.attributeSafe), Layout.csrfField(ctx.csrf),
                    .label(.for("note"), .text(T("情况说明（可选，如体温）", "Note (optional, e.g. temperature)")(lang))),
                    .input(.type(.text), .id("note"), .name("note"), .attribute(named: "maxlength", value: "200")),
                    PageParts.fieldError(m.error, "note", lang: lang),
                    .button(.type(.submit), .id("checkin"), .text(T("今日打卡", "Check in today")(lang)))),
            .p(.class("muted"), .id("my-days"), .text(T("已打卡 \(mine.days.count) 天", "\(mine.days.count) days checked in")(lang))))
    }

    /// Staff: entries in scope, counts per option, CSV export.
    static func formFigures(_ form: CampaignFormService.FormView, _ m: CampaignModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let csv = "/api/v1/services/campaigns/\(m.id.uuidString)/entries.csv"
        return .group(
            .p(.id("entry-count"), .strong(.text(T("已登记 \(form.entries ?? 0) 人", "\(form.entries ?? 0) entries")(lang)))),
            .ul(
                .class("rows"), .id("form-fields"),
                .forEach(form.fields) { f in
                    .li(
                        .strong(.text(lang == .zh ? f.label : f.label_en)),
                        .text(
                            " · " + (lang == .zh ? f.type.nameZH : f.type.nameEN)
                                + (f.required ? T(" · 必填", " · required")(lang) : "")),
                        .unwrap(f.counts) { counts in
                            .ul(
                                .class("counts"),
                                .forEach(counts) { c in
                                    .li(.text("\(c.option)："), .strong(.class("count"), .text("\(c.count)")))
                                })
                        })
                }),
            .p(.a(.href(csv.attributeSafe), .id("entries-csv"), .text(T("导出登记（CSV，号码脱敏）", "Export entries (CSV, numbers masked)")(lang)))),
            .if(
                m.mayReveal,
                .form(
                    .class("stack"), .id("plain-export"), .method(.post),
                    .action(SiteURL.services(.campaignEntriesExport(.value(m.id))).path.attributeSafe),
                    Layout.csrfField(ctx.csrf),
                    .p(
                        .class("muted"),
                        .text(T("导出完整号码须说明用途，将记入审计日志。", "Exporting plain numbers needs a stated purpose and is written to the audit trail.")(lang))),
                    PurposeFields.render(
                        purpose: m.values["purpose"] ?? "", detail: m.values["purpose_detail"] ?? "",
                        errors: m.error?.fields ?? [], idPrefix: "export", lang: lang),
                    .button(.type(.submit), .class("small"), .text(T("导出完整号码", "Export plain numbers")(lang))))))
    }

    /// A resident: their answers, or the form.
    static func formEntry(_ form: CampaignFormService.FormView, _ m: CampaignModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        if let mine = form.mine {
            return .group(
                .p(.class("badge ok"), .id("registered"), .text(T("您已登记", "You are registered")(lang))),
                .ul(
                    .class("rows"), .id("my-answers"),
                    .forEach(form.fields) { f in
                        .li(
                            .text((lang == .zh ? f.label : f.label_en) + T("：", ": ")(lang)),
                            .strong(.text(mine.first { $0.field_id == f.id }?.value ?? "")))
                    }))
        }
        guard m.status == "open" else { return .p(.class("muted"), .text(T("登记已结束。", "Registration has ended.")(lang))) }
        return .form(
            .class("stack"), .id("entry-form"), .method(.post), .action(SiteURL.services(.campaignEntries(.value(m.id))).path.attributeSafe),
            Layout.csrfField(ctx.csrf),
            .forEach(form.fields) { f in
                let name = "f_\(f.id.uuidString)"
                let label = (lang == .zh ? f.label : f.label_en) + (f.required ? " *" : "")
                let value = m.values[name] ?? ""
                switch f.type {
                case .choice:
                    return .group(
                        .fieldset(
                            .class("choices"), .element(named: "legend", text: label),
                            .forEach(f.options.enumerated()) { n, option in
                                .label(
                                    .class("chip"),
                                    .input(
                                        .type(.radio), .name(name.attributeSafe), .value(option.attributeSafe), .checked(value == option),
                                        .id("\(name)-\(n)".attributeSafe)), .text(option))
                            }),
                        PageParts.fieldError(m.error, f.id.uuidString, lang: lang))
                case .multiChoice:
                    return .group(
                        .fieldset(
                            .class("choices"), .element(named: "legend", text: label),
                            .forEach(f.options.enumerated()) { n, option in
                                .label(
                                    .class("chip"),
                                    .input(
                                        .type(.checkbox), .name("\(name)_\(n)".attributeSafe), .value(option.attributeSafe),
                                        .checked(m.values["\(name)_\(n)"] == option), .id("\(name)-\(n)".attributeSafe)), .text(option))
                            }),
                        PageParts.fieldError(m.error, f.id.uuidString, lang: lang))
                case let type:
                    let input: Node<HTML.FormContext>
                    switch type {
                    case .number:
                        input = .input(
                            .type(.number), .id(name.attributeSafe), .name(name.attributeSafe), .value(value.attributeSafe),
                            .attribute(named: "inputmode", value: "numeric"))
                    case .date:
                        input = .input(.type(.date), .id(name.attributeSafe), .name(name.attributeSafe), .value(value.attributeSafe))
                    case .mobile:
                        input = .input(
                            .type(.tel), .id(name.attributeSafe), .name(name.attributeSafe), .value(value.attributeSafe),
                            .attribute(named: "autocomplete", value: "off"))
                    default:
                        input = .input(
                            .type(.text), .id(name.attributeSafe), .name(name.attributeSafe), .value(value.attributeSafe),
                            .attribute(named: "autocomplete", value: "off"))
                    }
                    return .group(.label(.for(name.attributeSafe), .text(label)), input, PageParts.fieldError(m.error, f.id.uuidString, lang: lang))
                }
            },
            .button(.type(.submit), .id("submit-entry"), .text(T("提交登记", "Submit")(lang))))
    }
}
