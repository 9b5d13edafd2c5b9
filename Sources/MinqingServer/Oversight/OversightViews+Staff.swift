import Foundation
import MinqingDomain
import Plot
import Vapor

/// The company page's staff section: current staff by name and role, the party-member share
/// (only when the model carries it, i.e. for roles that see sensitive tags), and for grid staff
/// the find-by-name search, the add form and an end button per staff member.
extension OversightViews {
    static func staffRoleName(_ role: String, _ lang: Lang) -> String {
        OversightQueries.staffRoles[role].map { name($0.0, $0.1, lang) } ?? role
    }

    static func companyStaff(_ m: CompanyModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let d = m.detail
        let roles = OversightQueries.staffRoleOrder.map { (value: $0, label: staffRoleName($0, lang)) }
        let staffForm = FormState("staff", m.posted, lang)
        return .group(
            .h2(.id("staff-heading"), .text(T("从业人员", "Staff")(lang))),
            .unwrap(d.party_share) { s in
                .p(
                    .id("staff-party-share"), .class(s.meets_target ? "badge ok" : "badge warn"),
                    .text(
                        T(
                            "党员 \(s.party_members)/\(s.members)（\(s.percent)%），目标 ≥ 50%：" + (s.meets_target ? "已达到" : "未达到"),
                            "Party members \(s.party_members)/\(s.members) (\(s.percent) %), target ≥ 50 %: " + (s.meets_target ? "met" : "not met"))(
                                lang)))
            },
            d.staff.isEmpty
                ? .p(.class("muted"), .id("staff"), .text(T("尚未登记从业人员。", "No staff recorded yet.")(lang)))
                : .ul(
                    .class("rows"), .id("staff"),
                    .forEach(d.staff) { s in
                        .li(
                            .class("staff-member"),
                            .text("\(s.name) · \(staffRoleName(s.role, lang)) · " + T("\(s.started_on) 入职", "since \(s.started_on)")(lang)),
                            .if(
                                m.staffForms,
                                .form(
                                    .class("inline"), .method(.post),
                                    .action(SiteURL.oversight(.companyStaffEnd(.value(d.company.id), .value(s.id))).path.attributeSafe),
                                    Layout.csrfField(ctx.csrf),
                                    .button(
                                        .type(.submit), .class("small"), .id("staff-end-\(s.id.uuidString)".attributeSafe),
                                        .text(T("离职", "End service")(lang))))))
                    }),
            .if(
                m.staffForms,
                .group(
                    .h2(.text(T("添加从业人员", "Add a staff member")(lang))),
                    .form(
                        .class("stack"), .id("staff-search"), .method(.get),
                        .action(SiteURL.oversight(.company(.value(d.company.id))).path.attributeSafe),
                        .label(.for("who"), .text(T("按姓名查找人口库中的人员", "Find a person of the register by name")(lang))),
                        .input(
                            .id("who"), .name("who"), .type(.search), .value((m.staffSearch ?? "").attributeSafe),
                            .attribute(named: "maxlength", value: "20")),
                        .button(.type(.submit), .class("small"), .text(T("查找", "Find")(lang)))),
                    m.staffCandidates.map { found in
                        found.isEmpty
                            ? .p(.class("muted"), .id("no-staff-candidates"), .text(T("没有找到可添加的人员。", "Nobody found to add.")(lang)))
                            : postForm(
                                "staff-form", action: SiteURL.oversight(.companyStaff(.value(d.company.id))).path, csrf: ctx.csrf,
                                submit: T("添加", "Add")(lang),
                                .input(.type(.hidden), .name("who"), .value((m.staffSearch ?? "").attributeSafe)),
                                choice(staffForm, "person_id", T("人员", "Person")(lang), found.map { ($0.id.uuidString, $0.name) }),
                                choice(staffForm, "role", T("岗位", "Role")(lang), roles, selected: "steward"),
                                field(staffForm, "started_on", T("入职日期（默认今天）", "Started (default today)")(lang), type: .date))
                    } ?? .p(.class("muted"), .id("staff-hint"), .text(T("先按姓名查找，再选择人员添加。", "Find the person by name first, then add them.")(lang))))))
    }
}
