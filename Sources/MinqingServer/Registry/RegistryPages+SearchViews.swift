import Foundation
import MinqingDomain
import Plot
import Vapor

extension RegistryViews {
    static let searchTitle = T("搜索居民", "Find a resident")

    /// The search page: what was typed, and what it found (masked numbers only).
    struct SearchModel {
        var q: String
        var building: String
        var today: CivilDate
        var result: RegistrySearch.Result? = nil
        var error: AppError? = nil
        /// Why nothing was searched (a number in the address).
        var notice: T? = nil
        /// The number looked up, masked, when nobody in scope has it.
        var missedNumber: String? = nil
    }

    static func search(_ m: SearchModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        return Layout.render(
            ctx, title: pageTitle(searchTitle(lang), title(lang)), status: status,
            .ol(.class("crumbs"), .li(.a(.href(SiteURL.registry(.index).path), .text(title(lang)))), .li(.text(searchTitle(lang)))),
            .h1(.text(searchTitle(lang))),
            PageParts.errorBox(m.error, lang, id: "search-error"),
            .unwrap(m.notice) { .p(.class("flash-error"), .id("search-notice"), .attribute(named: "role", value: "alert"), .text($0(lang))) },
            .div(.class("card"), searchForm(q: m.q, building: m.building, error: m.error, ctx: ctx)),
            .unwrap(m.result) { searchResults(m, $0, lang: lang) })
    }

    /// The search box: a POST form (a number typed into it never stands in a URL), a name, an
    /// address or an ID number, and a building to narrow by.
    static func searchForm<Context: HTML.BodyContext>(q: String, building: String, error: AppError?, ctx: PageContext) -> Node<Context> {
        let lang = ctx.lang
        return .form(
            .id("search-form"), .class("stack"), .method(.post), .action(SiteURL.registry(.search).path),
            .attribute(named: "role", value: "search"),
            Layout.csrfField(ctx.csrf),
            .label(.for("search-q"), .text(T("姓名、地址或身份证号码", "Name, address or ID number")(lang))),
            .input(
                .id("search-q"), .name("q"), .type(.search), .value(q.attributeSafe),
                .attribute(named: "maxlength", value: "\(RegisterSearchText.maxLength)"), .attribute(named: "autocomplete", value: "off"),
                .attribute(named: "enterkeyhint", value: "search"),
                .placeholder(T("如 王建国、375弄12号", "e.g. 王建国, 375弄12号")(lang))),
            PageParts.fieldError(error, "q", lang: lang),
            .label(.for("search-building"), .text(T("楼号（可不填）", "Building (optional)")(lang))),
            .input(
                .id("search-building"), .name("building"), .type(.text), .value(building.attributeSafe),
                .attribute(named: "maxlength", value: "\(RegistrySearch.maxBuildingLength)"), .attribute(named: "autocomplete", value: "off"),
                .placeholder(T("如 12号", "e.g. 12号")(lang))),
            PageParts.fieldError(error, "building", lang: lang),
            .button(.type(.submit), .text(T("搜索", "Search")(lang))),
            .p(
                .class("muted"),
                .text(
                    T(
                        "姓名从头匹配（也可只写名字），地址按包含匹配；身份证号码须完整，精确查找并记入审计日志。只显示您管辖范围内的居民。",
                        "Names match from the start (or by the given name alone), addresses anywhere; an ID number must be whole, is looked up exactly and is written to the audit trail. Only residents in your scope are shown."
                    )(lang))))
    }

    private static func searchResults(_ m: SearchModel, _ result: RegistrySearch.Result, lang: Lang) -> Node<HTML.BodyContext> {
        guard result.matched_by != "none" else { return .empty }
        let heading =
            result.matched_by == "id_number"
            ? T("按身份证号码查找", "By ID number")(lang)
            : T("共 \(RegisterFormat.count(result.total)) 人", "\(RegisterFormat.count(result.total)) found")(lang)
        let nobody =
            m.missedNumber.map { T("您的管辖范围内没有身份证号码为 \($0) 的居民。", "Nobody in your scope has the ID number \($0).")(lang) }
            ?? T("您的管辖范围内没有找到符合的居民。", "Nobody in your scope matches.")(lang)
        return .section(
            .id("search-results"),
            .h2(.id("search-total"), .text(heading)),
            result.items.isEmpty
                ? .p(.class("muted"), .id("search-nobody"), .text(nobody))
                : searchTable(result.items, today: m.today, lang: lang),
            PageParts.pager(id: "search-pager", page: result.page, pageSize: result.page_size, total: result.total, lang: lang) { number in
                SiteURL.registry(.search).path([
                    ("q", RegisterSearchText.normalized(m.q)), ("building", RegisterSearchText.normalized(m.building)),
                    ("page", number > 1 ? "\(number)" : "")
                ])
            })
    }

    /// The people found: the name (to their page) over relation and grid, sex and age, the masked
    /// ID number, and the address (to the household's page).
    private static func searchTable(_ hits: [RegistryQueries.SearchHit], today: CivilDate, lang: Lang) -> Node<HTML.BodyContext> {
        PageParts.table(
            id: "search-hits",
            headers: [
                .init(T("姓名", "Name")(lang)), .init(T("性别 · 年龄", "Sex · age")(lang)), .init(T("身份证", "ID")(lang)),
                .init(T("地址", "Address")(lang))
            ],
            rows: hits
        ) { hit in
            let person = hit.person
            return .tr(
                .td(
                    .a(.href(SiteURL.registry(.person(.value(hit.id))).path.attributeSafe), .text(hit.name)), .br(),
                    .span(.class("muted"), .text(RegisterFormat.relation(hit.relation, lang) + " · " + hit.grid_name))),
                .td(.text(RegisterFormat.sex(hit.sex, lang) + " · " + RegisterFormat.age(person, today: today, lang: lang))),
                .td(.span(.class("mono id-masked"), .text(hit.id_masked))),
                .td(.a(.href(SiteURL.registry(.household(.value(hit.household_id))).path.attributeSafe), .text(hit.address))))
        }
    }
}
