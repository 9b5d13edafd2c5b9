import Foundation
import MinqingDomain
import Plot
import Vapor

/// Views of the staff development pages (see StaffDevelopmentPages). Phone-first: one column,
/// each field with its own error under it, Chinese first.
enum StaffDevelopmentViews {
    static func statusName(_ status: AttendanceStatus, _ lang: Lang) -> String {
        lang == .zh ? status.nameZH : status.nameEN
    }

    static func rate(_ percent: Int?, _ lang: Lang) -> String {
        percent.map { "\($0)%" } ?? T("未登记", "not recorded")(lang)
    }

    static func hours(_ minutes: Int, _ lang: Lang) -> String {
        T("\(StaffDevelopmentRules.hours(minutes: minutes)) 学时", "\(StaffDevelopmentRules.hours(minutes: minutes)) h")(lang)
    }

    /// A labelled input with the field's error beside it.
    static func field(
        _ id: String, _ label: T, _ lang: Lang, error: AppError?, type: HTMLInputType = .text, value: String = "",
        required: Bool = false
    ) -> Node<HTML.FormContext> {
        OrganisationsViews.input(id, label, lang, error: error, type: type, value: value, required: required)
    }

    static func select(_ id: String, _ label: T, _ lang: Lang, error: AppError?, options: [(String, String)], selected: String = "") -> Node<
        HTML.FormContext
    > {
        OrganisationsViews.choice(id, label, lang, error: error, options: options, selected: selected)
    }

    static func flash(_ code: String?, _ lang: Lang) -> Node<HTML.BodyContext> {
        .unwrap(code) { code in
            let text: T =
                switch code {
                case "training": T("培训已建立。", "Training session created.")
                case "attendance": T("出勤已登记。", "Attendance recorded.")
                case "rotation": T("挂职已登记。", "Rotation recorded.")
                default: T("已处理。", "Done.")
                }
            return .div(.class("flash-ok"), .id("staff-done"), .attribute(named: "role", value: "status"), .text(text(lang)))
        }
    }

    static func subnav(_ ctx: PageContext) -> Node<HTML.BodyContext> {
        let items: [(String, T)] = [
            (SiteURL.organisations(.index).path, T("组织力工程", "Organisations")),
            (SiteURL.staff(.index).path, T("培训与挂职", "Training and rotations")),
            (SiteURL.staff(.attendance).path, T("出勤率", "Attendance rates"))
        ]
        return .nav(
            .class("subnav"), .attribute(named: "aria-label", value: T("干部队伍", "Cadres")(ctx.lang)),
            .forEach(items) { path, text in .a(.href(path), .text(text(ctx.lang)), .if(ctx.path == path, .class("active"))) })
    }

    struct HomeModel {
        var trainings: [TrainingRow]
        var page: Int
        var pageSize: Int
        var total: Int
        var rotations: [RotationRow]
        var cadres: [CadreRow]
        var units: [UnitRow]
        var manager: Bool
        var error: AppError?
        var flash: String?
        var today: String
        /// What the failed form held, to show it again.
        var form: [String: String] = [:]
    }

    static func home(_ m: HomeModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        let error = m.error
        return Layout.render(
            ctx, title: T("干部培训与挂职", "Staff development")(lang), status: status,
            subnav(ctx),
            .h1(.text(T("干部培训与挂职", "Staff development")(lang))),
            PageParts.errorBox(m.error, lang, id: "organisations-error"),
            flash(m.flash, lang),
            .h2(.text(T("培训", "Training sessions")(lang))),
            m.trainings.isEmpty
                ? .p(.class("muted"), .id("trainings"), .text(T("暂无培训。", "No training sessions.")(lang)))
                : .ul(
                    .class("rows"), .id("trainings"),
                    .forEach(m.trainings) { t in
                        .li(
                            .class("training"),
                            .a(.href(SiteURL.staff(.training(.value(t.id))).path.attributeSafe), .strong(.text(t.title))), .br(),
                            .span(.class("muted"), .text("\(t.held_on) · \(t.grid_name) · \(hours(t.minutes, lang))")), .br(),
                            .span(
                                .class("rate"),
                                .text(
                                    T("出勤率 ", "Attendance ")(lang) + rate(t.rate_percent, lang)
                                        + T(
                                            "（出席 \(t.present) · 缺席 \(t.absent) · 请假 \(t.excused)）",
                                            " (present \(t.present) · absent \(t.absent) · excused \(t.excused))")(lang))))
                    }),
            PageParts.pager(id: "trainings-pager", page: m.page, pageSize: m.pageSize, total: m.total, lang: lang) {
                SiteURL.staff(.index).path([("page", "\($0)")])
            },
            .if(
                m.manager,
                .group(
                    .h2(.text(T("新建培训", "New training session")(lang))),
                    .form(
                        .id("training-create"), .class("stack"), .method(.post), .action(SiteURL.staff(.trainings).path), Layout.csrfField(ctx.csrf),
                        field("title", T("培训主题", "Title"), lang, error: error, value: m.form["title"] ?? "", required: true),
                        field("held_on", T("培训日期", "Date"), lang, error: error, type: .date, value: m.form["held_on"] ?? m.today, required: true),
                        field(
                            "node", T("主办网格编码（默认本级）", "Organised at (grid code; default your own)"), lang, error: error, value: m.form["node"] ?? ""
                        ),
                        field(
                            "minutes", T("时长（分钟）", "Length (minutes)"), lang, error: error, type: .number, value: m.form["minutes"] ?? "",
                            required: true),
                        field("place", T("地点", "Place"), lang, error: error, value: m.form["place"] ?? ""),
                        .button(.type(.submit), .id("training-create-submit"), .text(T("建立", "Create")(lang)))))),
            .h2(.text(T("挂职", "Rotations")(lang))),
            m.rotations.isEmpty
                ? .p(.class("muted"), .id("rotations"), .text(T("暂无挂职。", "No rotations.")(lang)))
                : .ul(
                    .class("rows"), .id("rotations"),
                    .forEach(m.rotations) { r in
                        .li(
                            .class("rotation"),
                            .strong(.text(r.display_name)), .text(" (\(r.username)) · \(r.post)"), .br(),
                            .span(
                                .class("muted"),
                                .text(
                                    (r.from_unit_name ?? r.from_name) + " → " + (r.to_unit_name ?? r.to_name)
                                        + " · \(r.starts_on) – \(r.ends_on)")),
                            .unwrap(r.purpose) { .group(.br(), .span(.class("muted"), .text($0))) })
                    }),
            .if(m.manager, rotationForm(m, error: error, ctx: ctx)))
    }

    static func rotationForm(_ m: HomeModel, error: AppError?, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let cadres = m.cadres.map { ($0.id.uuidString, "\($0.display_name)（\($0.username)）· \($0.grid_name)") }
        let units = [("", T("（不限单位）", "(no unit)")(lang))] + m.units.map { ($0.id.uuidString, $0.name) }
        return .group(
            .h2(.text(T("登记挂职", "Record a rotation")(lang))),
            .form(
                .id("rotation-create"), .class("stack"), .method(.post), .action(SiteURL.staff(.rotations).path), Layout.csrfField(ctx.csrf),
                select("account_id", T("干部", "Cadre"), lang, error: error, options: cadres, selected: m.form["account_id"] ?? ""),
                select(
                    "from_unit_id", T("原单位（可选；默认干部所在网格）", "From unit (optional; default the cadre's own node)"), lang, error: error,
                    options: units, selected: m.form["from_unit_id"] ?? ""),
                field("to_node", T("挂职去向网格编码", "To (grid code)"), lang, error: error, value: m.form["to_node"] ?? ""),
                select(
                    "to_unit_id", T("挂职去向单位（可选）", "To unit (optional)"), lang, error: error, options: units, selected: m.form["to_unit_id"] ?? ""),
                field("post", T("挂职岗位", "Post held"), lang, error: error, value: m.form["post"] ?? "", required: true),
                field("purpose", T("挂职目的", "Purpose"), lang, error: error, value: m.form["purpose"] ?? "", required: true),
                field("starts_on", T("开始日期", "Starts on"), lang, error: error, type: .date, value: m.form["starts_on"] ?? m.today, required: true),
                field("ends_on", T("结束日期", "Ends on"), lang, error: error, type: .date, value: m.form["ends_on"] ?? "", required: true),
                .button(.type(.submit), .id("rotation-create-submit"), .text(T("登记", "Record")(lang)))))
    }

    struct TrainingModel {
        var training: TrainingRow
        var attendance: [AttendanceRow]
        /// The cadres the caller may record (empty when they may not, or the session lies ahead).
        var cadres: [CadreRow]
        var recordable: Bool
        var error: AppError?
        var flash: String?
    }

    static func training(_ m: TrainingModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        let t = m.training
        let recorded = Dictionary(m.attendance.map { ($0.account_id, $0.status) }, uniquingKeysWith: { a, _ in a })
        return Layout.render(
            ctx, title: t.title, status: status,
            .p(.a(.href(SiteURL.staff(.index).path), .text(T("← 干部培训与挂职", "← Staff development")(lang)))),
            .h1(.text(t.title)),
            PageParts.errorBox(m.error, lang, id: "organisations-error"),
            flash(m.flash, lang),
            .div(
                .class("card"), .id("training-info"),
                .p(.text("\(t.held_on) · \(t.grid_name) (\(t.grid_code)) · \(hours(t.minutes, lang))" + (t.place.isEmpty ? "" : " · \(t.place)"))),
                .p(
                    .id("training-rate"), .strong(.text(T("出勤率 ", "Attendance ")(lang) + rate(t.rate_percent, lang))),
                    .text(
                        T(
                            " · 出席 \(t.present) · 缺席 \(t.absent) · 请假 \(t.excused)",
                            " · present \(t.present) · absent \(t.absent) · excused \(t.excused)")(lang)))),
            .h2(.text(T("出勤", "Attendance")(lang))),
            m.attendance.isEmpty
                ? .p(.class("muted"), .id("attendance"), .text(T("尚未登记出勤。", "No attendance recorded yet.")(lang)))
                : .ul(
                    .class("rows"), .id("attendance"),
                    .forEach(m.attendance) { a in
                        .li(
                            .class("attendee \(a.status.rawValue)".attributeSafe), .strong(.text(a.display_name)),
                            .text(" (\(a.username)) · \(a.grid_name) · "),
                            .span(.class(a.status == .present ? "badge ok" : "badge bad"), .text(statusName(a.status, lang))))
                    }),
            .if(
                m.recordable && !m.cadres.isEmpty,
                .group(
                    .h2(.text(T("登记出勤", "Record attendance")(lang))),
                    .form(
                        .id("attendance-form"), .class("stack"), .method(.post),
                        .action(SiteURL.staff(.trainingAttendance(.value(t.id))).path.attributeSafe),
                        Layout.csrfField(ctx.csrf),
                        PageParts.fieldError(m.error, "records", lang: lang),
                        .forEach(m.cadres) { c in
                            .fieldset(
                                .class("attendance"), .id("cadre-\(c.id.uuidString)".attributeSafe),
                                .element(named: "legend", text: "\(c.display_name)（\(c.username)）· \(c.grid_name)"),
                                .forEach(AttendanceStatus.allCases) { s in
                                    .label(
                                        .class("choice"),
                                        .input(
                                            .type(.radio), .name("status[\(c.id.uuidString)]".attributeSafe), .value(s.rawValue),
                                            .id("status-\(c.id.uuidString)-\(s.rawValue)".attributeSafe),
                                            .checked(recorded[c.id] == s)),
                                        .text(lang == .zh ? s.nameZH : s.nameEN))
                                })
                        },
                        .button(.type(.submit), .id("attendance-submit"), .text(T("保存出勤", "Save attendance")(lang)))))))
    }

    static func attendanceReport(_ r: CadreAttendanceReport, ctx: PageContext) -> Response {
        let lang = ctx.lang
        let present = r.cadres.reduce(0) { $0 + $1.present }, absent = r.cadres.reduce(0) { $0 + $1.absent }
        let excused = r.cadres.reduce(0) { $0 + $1.excused }
        let overall = AttendanceRate(present: present, absent: absent, excused: excused).percent
        return Layout.render(
            ctx, title: T("干部出勤率", "Cadres' attendance")(lang),
            subnav(ctx),
            .h1(.text(T("干部出勤率", "Cadres' attendance")(lang))),
            .form(
                .id("period"), .class("inline"), .method(.get), .action(SiteURL.staff(.attendance).path),
                OrganisationsViews.field("from", T("从", "From"), lang, type: .date, value: r.from),
                OrganisationsViews.field("to", T("到", "To"), lang, type: .date, value: r.to),
                .button(.type(.submit), .text(T("查看", "Show")(lang)))),
            .p(
                .id("overall-rate"),
                .text(
                    T("合计出勤率 ", "Overall ")(lang) + rate(overall, lang)
                        + T("（出席 \(present) · 缺席 \(absent) · 请假 \(excused)）", " (present \(present) · absent \(absent) · excused \(excused))")(lang))),
            r.cadres.isEmpty
                ? .p(.class("muted"), .id("cadres"), .text(T("该期间没有出勤记录。", "No attendance in this period.")(lang)))
                : PageParts.table(
                    id: "cadres",
                    headers: [
                        .init(T("干部", "Cadre")(lang)), .init(T("网格", "Node")(lang)), .num(T("出席", "Present")(lang)),
                        .num(T("缺席", "Absent")(lang)), .num(T("请假", "Excused")(lang)), .num(T("出勤率", "Rate")(lang))
                    ],
                    rows: r.cadres
                ) { c in
                    .tr(
                        .class("cadre"), .id("cadre-\(c.username)".attributeSafe),
                        .td(.text("\(c.display_name)（\(c.username)）")), .td(.text(c.grid_name)),
                        .td(.class("num"), .text("\(c.present)")),
                        .td(.class("num"), .text("\(c.absent)")), .td(.class("num"), .text("\(c.excused)")),
                        .td(.class("num"), .text(rate(c.rate_percent, lang))))
                })
    }
}
