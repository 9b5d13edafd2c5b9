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
        /// The building group or node the missed list is narrowed to.
        var missedNode: String?
        /// The missed list's counts by building group, and the day's abnormal check-ins.
        var groups: [CheckinService.GroupMissed]?
        var alerts: [CheckinService.Alert]?
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
                            : code == "checked_alert"
                                ? T(
                                    "今日已打卡。您的回答超出正常范围，已告知网格员，他们会联系您。",
                                    "Checked in for today. Your answers are outside the normal range: your grid worker has been told and will contact you."
                                )
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
                    checkinAlerts(m.alerts ?? [], date: date, lang: lang),
                    missedGroups(m.groups ?? [], date: date, base: base, lang: lang),
                    .h2(
                        .id("missed-title"),
                        .text(
                            m.missedNode.map { T("\(date) 未打卡（\($0)）", "Missed on \(date) (\($0))")(lang) }
                                ?? T("\(date) 未打卡", "Missed on \(date)")(lang))),
                    .unwrap(m.missedNode) { _ in
                        .p(
                            .a(
                                .id("missed-all"), .href("\(base)?date=\(date)#missed-title".attributeSafe),
                                .text(T("看全部楼组", "All building groups")(lang))))
                    },
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

    /// Staff: the day's abnormal check-ins in scope, each with its answers and the case it opened.
    static func checkinAlerts(_ alerts: [CheckinService.Alert], date: String, lang: Lang) -> Node<HTML.BodyContext> {
        .group(
            .h2(.id("alerts"), .text(T("\(date) 打卡异常 \(alerts.count) 人", "Abnormal check-ins on \(date): \(alerts.count)")(lang))),
            alerts.isEmpty
                ? .p(.class("muted"), .id("alert-list"), .text(T("没有异常。", "None.")(lang)))
                : .ul(
                    .class("rows"), .id("alert-list"),
                    .forEach(alerts) { a in
                        .li(
                            .class("alert"),
                            .strong(.text(a.display_name)), .text(" · \(a.grid_code) · \(LocalTime.short(a.at))"),
                            .div(.text(a.answers.map { (lang == .zh ? $0.label : $0.label_en) + " " + $0.value }.joined(separator: " · "))),
                            .unwrap(a.case_id) { id in
                                .a(
                                    .class("case-link"), .href(SiteURL.cases(.detail(.value(CaseID(id)))).path.attributeSafe),
                                    .text(T("案件 ", "Case ")(lang) + (a.case_number ?? "")))
                            })
                    }))
    }

    /// Staff: per building group, the roster and how many missed; each count opens its list.
    static func missedGroups(_ groups: [CheckinService.GroupMissed], date: String, base: String, lang: Lang) -> Node<HTML.BodyContext> {
        .if(
            !groups.isEmpty,
            .group(
                .h2(.text(T("\(date) 各楼组未打卡", "Missed on \(date) by building group")(lang))),
                .table(
                    .id("missed-groups"),
                    .thead(
                        .tr(
                            .th(.text(T("楼组", "Building group")(lang))), .th(.text(T("名单", "Roster")(lang))),
                            .th(.text(T("未打卡", "Missed")(lang))))),
                    .tbody(
                        .forEach(groups) { g in
                            .tr(
                                .td(.text(g.name), .span(.class("muted mono"), .text(" " + g.code))), .td(.text(String(g.roster))),
                                .td(
                                    g.missed == 0
                                        ? .text("0")
                                        : .a(
                                            .class("missed-count"), .href("\(base)?date=\(date)&node=\(g.code)#missed-title".attributeSafe),
                                            .text(String(g.missed)))))
                        }))))
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
                    fieldInputs(mine.fields, m, lang: lang),
                    .label(.for("note"), .text(T("情况说明（可选）", "Note (optional)")(lang))),
                    .input(
                        .type(.text), .id("note"), .name("note"), .value((m.values["note"] ?? "").attributeSafe),
                        .attribute(named: "maxlength", value: "200")),
                    PageParts.fieldError(m.error, "note", lang: lang),
                    .button(.type(.submit), .id("checkin"), .text(T("今日打卡", "Check in today")(lang)))),
            .if(
                !mine.today.isEmpty,
                .ul(
                    .class("rows"), .id("my-answers"),
                    .forEach(mine.today) { a in
                        .li(.text((lang == .zh ? a.label : a.label_en) + T("：", ": ")(lang)), .strong(.text(a.value)))
                    })),
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
            fieldInputs(form.fields, m, lang: lang),
            .button(.type(.submit), .id("submit-entry"), .text(T("提交登记", "Submit")(lang))))
    }

    /// The inputs of a form's fields: `f_<field id>` (one value) or `f_<field id>_<n>` (the n-th
    /// option of a multiple choice), each with its error beside it.
    static func fieldInputs(_ fields: [CampaignFormService.FieldView], _ m: CampaignModel, lang: Lang) -> Node<HTML.FormContext> {
        .forEach(fields) { f in
            let name = "f_\(f.id.uuidString)"
            let label = (lang == .zh ? f.label : f.label_en) + (f.required ? " *" : "")
            let value = m.values[name] ?? ""
            switch f.type {
            case .choice, .multiChoice:
                // A multiple choice posts each ticked option as `f_<id>_<n>`.
                let multi = f.type == .multiChoice
                return .group(
                    .fieldset(
                        .class("choices"), .element(named: "legend", text: label),
                        .forEach(f.options.enumerated()) { n, option in
                            let key = multi ? "\(name)_\(n)" : name
                            return .label(
                                .class("chip"),
                                .input(
                                    .type(multi ? .checkbox : .radio), .name(key.attributeSafe), .value(option.attributeSafe),
                                    .checked((m.values[key] ?? "") == option), .id("\(name)-\(n)".attributeSafe)), .text(option))
                        }),
                    PageParts.fieldError(m.error, f.id.uuidString, lang: lang))
            case let type:
                let input: Node<HTML.FormContext>
                switch type {
                case .number:
                    input = .input(
                        .type(.number), .id(name.attributeSafe), .name(name.attributeSafe), .value(value.attributeSafe),
                        .attribute(named: "inputmode", value: "numeric"))
                case .decimal:
                    input = .input(
                        .type(.text), .id(name.attributeSafe), .name(name.attributeSafe), .value(value.attributeSafe),
                        .attribute(named: "inputmode", value: "decimal"), .attribute(named: "autocomplete", value: "off"))
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
        }
    }
}
