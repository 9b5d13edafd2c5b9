import Foundation
import MinqingDomain
import Plot
import Vapor

/// The catalogue page's departments and department accounts: each department with how many
/// sub-categories it handles by default and how many accounts are bound to it, the form to add
/// one (administrators), and the accounts of the departments in the caller's scope, by the
/// person's name, with the form that binds one to a department.
extension CasesViews {
    static func departmentsSection(_ m: CatalogueModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let headers = [
            PageParts.Column(T("部门", "Department")(lang)), PageParts.Column(T("编码", "Code")(lang)),
            PageParts.Column.num(T("默认处置的小类", "Sub-categories by default")(lang)), PageParts.Column.num(T("部门账号", "Accounts")(lang))
        ]
        return .section(
            .id("departments"),
            .h2(.text(T("处置部门", "Departments")(lang))),
            PageParts.table(id: "department-list", headers: headers, rows: m.departments) { d in
                let categories = m.categories.filter { $0.parent_code != nil && $0.department_code == d.code }.count
                let accounts = m.accounts.filter { $0.department_code == d.code }.count
                return .tr(
                    .td(.text(name(d.name_zh, d.name_en, lang))), .td(.class("mono"), .text(d.code)),
                    .td(.class("num"), .text("\(categories)")), .td(.class("num"), .text("\(accounts)")))
            },
            .if(m.editsCatalogue, addDepartmentForm(m, ctx: ctx)))
    }

    /// 新增部门: code and both names.
    static func addDepartmentForm(_ m: CatalogueModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let form = newDepartmentForm
        let error = m.error(form)
        func typed(_ field: String) -> String { m.value(form, field, stored: "") }
        return .details(
            .class("card"), .id("new-department"), .if(error != nil, .attribute(named: "open", value: "open")),
            .summary(.text(T("新增部门", "Add a department")(lang))),
            .form(
                .id("new-department-form"), .class("stack"), .method(.post), .action(SiteURL.cases(.catalogueDepartments).path),
                Layout.csrfField(ctx.csrf),
                textInput(
                    "code", id: "department-code", label: T("编码（字母、数字和下划线，如 wenming）", "Code (letters, digits and _, e.g. wenming)"),
                    value: typed("code"), error: error, lang),
                textInput("name_zh", id: "department-name_zh", label: T("中文名称", "Chinese name"), value: typed("name_zh"), error: error, lang),
                textInput("name_en", id: "department-name_en", label: T("英文名称", "English name"), value: typed("name_en"), error: error, lang),
                .button(.type(.submit), .id("add-department"), .text(T("新增部门", "Add the department")(lang)))))
    }

    /// A department account as people are shown: the person's name, and (disabled) when it is.
    static func accountName(_ a: CasesQueries.DepartmentAccount, _ lang: Lang) -> String {
        a.display_name + (a.disabled ? T("（已停用）", " (disabled)")(lang) : "")
    }

    static func accountsSection(_ m: CatalogueModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let headers = [PageParts.Column(T("姓名", "Name")(lang)), PageParts.Column(T("所属部门", "Department")(lang))]
        return .section(
            .id("department-accounts"),
            .h2(.text(T("部门账号", "Department accounts")(lang))),
            .p(
                .class("muted"),
                .text(
                    T(
                        "职能部门的人员用绑定了部门的账号在部门收件箱里签收和办理案件。账号在“账号管理”中开设。",
                        "Department staff accept and handle cases in their department's inbox with an account bound to it. Accounts are opened under account management."
                    )(lang))),
            m.accounts.isEmpty
                ? .p(.class("muted"), .id("account-list"), .text(T("您的范围内没有职能部门账号。", "No department accounts in your scope.")(lang)))
                : PageParts.table(id: "account-list", headers: headers, rows: m.accounts) { a in
                    .tr(
                        .td(.text(accountName(a, lang))),
                        .td(.text(a.department_name_zh.map { name($0, a.department_name_en, lang) } ?? T("未绑定", "Not bound")(lang))))
                },
            .if(!m.accounts.isEmpty, accountBindingForm(m, ctx: ctx)))
    }

    /// 绑定部门: an account chosen by name (its department now beside it) and the department.
    static func accountBindingForm(_ m: CatalogueModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let form = bindAccountForm
        let error = m.error(form)
        let chosen = m.value(form, "username", stored: "")
        let accounts: [Node<HTML.SelectContext>] =
            [.option(.value(""), .label(T("请选择", "Choose")(lang)), .isSelected(chosen.isEmpty))]
            + m.accounts.map { a -> Node<HTML.SelectContext> in
                let now = a.department_name_zh.map { name($0, a.department_name_en, lang) } ?? T("未绑定", "not bound")(lang)
                return .option(
                    .value(a.username.attributeSafe), .label((accountName(a, lang) + T("（\(now)）", " (\(now))")(lang)).attributeSafe),
                    .isSelected(a.username == chosen))
            }
        return .form(
            .id("bind-account-form"), .class("stack card"), .method(.post), .action(SiteURL.cases(.catalogueDepartmentAccounts).path),
            Layout.csrfField(ctx.csrf),
            .h3(.text(T("绑定部门", "Bind an account to a department")(lang))),
            .label(.for("bind-username"), .text(T("账号", "Account")(lang))),
            .select(.id("bind-username"), .attribute(named: "name", value: "username"), .group(accounts)),
            PageParts.fieldError(error, "username", lang: lang),
            departmentSelect(
                id: "bind-department", label: T("部门", "Department"), selected: m.value(form, "department", stored: ""), m.departments,
                none: T("请选择", "Choose"), error: error, lang),
            .button(.type(.submit), .id("bind-account"), .text(T("绑定", "Bind")(lang))))
    }
}
