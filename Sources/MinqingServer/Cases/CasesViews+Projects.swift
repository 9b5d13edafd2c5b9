import Foundation
import MinqingDomain
import Plot
import Vapor

/// Projects (十大民生实事 …): the list with each project's progress (closed cases over the larger of
/// the target and the cases in it), the subdistrict's form to set one up, and on a case's page
/// the form that puts the case into a project or takes it out.
extension CasesViews {
    struct ProjectsModel {
        var projects: [CaseProjectProgress]
        /// Administrators and subdistrict staff set projects up (as the API).
        var createsProjects: Bool
        /// This year in Shanghai: the form's default.
        var year: Int
        var saved: Bool
        /// A refused form as typed, and why.
        var form: CasesCataloguePages.ProjectForm?
        var error: AppError?
    }

    static func projects(_ m: ProjectsModel, ctx: PageContext, status: HTTPStatus) -> Response {
        let lang = ctx.lang
        let title = T("民生实事项目", "Livelihood projects")
        let headers = [
            PageParts.Column(T("项目", "Project")(lang)), PageParts.Column.num(T("年度", "Year")(lang)),
            PageParts.Column.num(T("案件", "Cases")(lang)), PageParts.Column.num(T("已办结", "Closed")(lang)),
            PageParts.Column.num(T("目标", "Target")(lang)), PageParts.Column.num(T("进度", "Progress")(lang))
        ]
        return Layout.render(
            ctx, title: title(lang), status: status,
            .p(.a(.href(SiteURL.cases(.index).path), .text(T("← 派单台", "← Dispatcher's board")(lang)))),
            .h1(.text(title(lang))),
            .p(
                .class("muted"),
                .text(
                    T(
                        "在案件页把案件归入项目；进度为已办结案件数除以目标与案件数中较大者。案件数只计您范围内的案件。",
                        "Put a case into a project on the case's page; progress is the closed cases over the larger of the target and the cases. Only cases in your scope are counted."
                    )(lang))),
            .if(
                m.saved,
                .div(
                    .class("flash-ok"), .id("project-saved"), .attribute(named: "role", value: "status"),
                    .text(T("项目已建立。", "The project is set up.")(lang)))),
            m.projects.isEmpty
                ? .p(.class("muted"), .id("projects"), .text(T("还没有项目。", "No projects yet.")(lang)))
                : PageParts.table(id: "projects", headers: headers, rows: m.projects) { p in
                    .tr(
                        .td(.text(name(p.name_zh, p.name_en, lang))), .td(.class("num"), .text("\(p.year)")),
                        .td(.class("num"), .text("\(p.cases)")), .td(.class("num"), .text("\(p.closed)")),
                        .td(.class("num"), .text("\(p.target)")), .td(.class("num"), .text(p.progress.percentText)))
                },
            PageParts.errorBox(m.error, lang, id: "project-error"),
            .if(m.createsProjects, newProjectForm(m, ctx: ctx)))
    }

    /// 新建项目: code, names, year, target and a description; a refused one as typed, each problem beside its field.
    static func newProjectForm(_ m: ProjectsModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let f = m.form
        let error = m.error
        func number(_ field: String, id: String, label: T, value: String, range: ClosedRange<Int>) -> Node<HTML.FormContext> {
            .group(
                .label(.for(id), .text(label(lang))),
                .input(
                    .type(.number), .id(id), .name(field), .value(value.attributeSafe), .attribute(named: "min", value: "\(range.lowerBound)"),
                    .attribute(named: "max", value: "\(range.upperBound)")),
                PageParts.fieldError(error, field, lang: lang))
        }
        return .form(
            .id("new-project-form"), .class("stack card"), .method(.post), .action(SiteURL.cases(.projects).path),
            Layout.csrfField(ctx.csrf),
            .h2(.text(T("新建项目", "Set up a project")(lang))),
            textInput(
                "code", id: "project-code", label: T("编码（字母、数字和连字符，如 P2026-11）", "Code (letters, digits and -, e.g. P2026-11)"),
                value: f?.code ?? "", error: error, lang),
            textInput("name_zh", id: "project-name_zh", label: T("项目名称", "Name"), value: f?.name_zh ?? "", error: error, lang),
            textInput(
                "name_en", id: "project-name_en", label: T("英文名称（可不填）", "English name (optional)"), value: f?.name_en ?? "", error: error, lang),
            number("year", id: "project-year", label: T("年度", "Year"), value: f?.year ?? "\(m.year)", range: 2000...2100),
            number("target", id: "project-target", label: T("目标件数", "Target (cases)"), value: f?.target ?? "0", range: 0...100_000),
            .label(.for("project-description"), .text(T("说明（可不填）", "Description (optional)")(lang))),
            .textarea(.id("project-description"), .name("description"), .attribute(named: "rows", value: "3"), .text(f?.description ?? "")),
            PageParts.fieldError(error, "description", lang: lang),
            .button(.type(.submit), .id("create-project"), .text(T("建立项目", "Set the project up")(lang))))
    }

    /// The case page's form: the project the case is in (chosen), another one, or none.
    static func projectForm(
        _ id: CaseID, projects: [CasesQueries.ProjectChoice], current: UUID?, failure: FormFailure?, ctx: PageContext
    ) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let form = "project"
        let chosen = (failure?.form == form ? failure?.values["project_id"] : current?.uuidString)?.uppercased() ?? ""
        let options: [Node<HTML.SelectContext>] =
            [.option(.value(""), .label(T("不归入项目", "In no project")(lang)), .isSelected(chosen.isEmpty))]
            + projects.map { p in
                .option(
                    .value(p.id.uuidString.attributeSafe), .label("\(p.year) · \(name(p.name_zh, p.name_en, lang))".attributeSafe),
                    .isSelected(p.id.uuidString == chosen))
            }
        return .form(
            .class("stack card"), .id("project-form"), .method(.post), .action(SiteURL.cases(.project(.value(id))).path.attributeSafe),
            Layout.csrfField(ctx.csrf),
            .h2(.text(T("归入项目", "Project")(lang))),
            .label(.for("project-choice"), .text(T("民生实事项目", "Livelihood project")(lang))),
            .select(.id("project-choice"), .attribute(named: "name", value: "project_id"), .group(options)),
            PageParts.fieldError(failure?.error(for: form), "project_id", lang: lang),
            .button(.type(.submit), .id("project-submit"), .text(T("保存", "Save")(lang))))
    }
}
