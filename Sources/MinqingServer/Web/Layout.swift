import MinqingDomain
import Plot
import Vapor

extension String {
    /// The string made safe inside a double-quoted HTML attribute. Plot escapes text nodes but
    /// writes attribute values as given, so every value that did not come from our own code
    /// (anything a person typed, anything read from the database) goes through this.
    var attributeSafe: String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for ch in unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}

/// What the page shell knows about the signed-in person: plain values, never a Fluent model.
public struct ShellUser: Sendable {
    public var username: String
    public var displayName: String
    public var role: Role
    public var scopeName: String
    /// 适老化: the account reads pages in large, high-contrast type (`body.large`).
    public var largeText = false
}

/// Everything the shell needs to draw a page around its content.
public struct PageContext: Sendable {
    public var lang: Lang
    public var user: ShellUser?
    /// The CSRF token every form carries.
    public var csrf: String
    /// The current path, for the language switch to come back to and to mark the active tab.
    public var path: String

    package init(lang: Lang, user: ShellUser? = nil, csrf: String, path: String) {
        self.lang = lang
        self.user = user
        self.csrf = csrf
        self.path = path
    }
}

/// The layout of every HTML page: header with the product name, the role's navigation, the
/// language switch and sign-out; then the content. Works without JavaScript and on a phone.
enum Layout {
    static func render(
        _ ctx: PageContext, title: String, status: HTTPStatus = .ok,
        _ content: Node<HTML.BodyContext>...
    ) -> Response {
        let lang = ctx.lang
        let html = HTML(
            .attribute(named: "lang", value: lang.htmlTag),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                // Not Plot's `.title()`: it also copies the title into meta attributes unescaped.
                .element(named: "title", text: "\(title) · \(Texts.appName(lang))"),
                .link(.rel(.stylesheet), .href(Styles.path))
            ),
            .body(
                .if(ctx.user?.largeText == true, .class("large")),
                .a(.class("skip"), .href("#main"), .text(Texts.skipToContent(lang))),
                header(ctx),
                .main(.id("main"), .group(content)),
                .footer(
                    .p(
                        .text("\(Texts.appName(lang)) · \(Texts.tagline(lang)) · "),
                        .a(.id("privacy-link"), .href(SiteURL.privacy.path), .text(lang == .zh ? "隐私说明" : "Privacy notice"))))
            )
        )
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: status, headers: headers, body: .init(string: html.render()))
    }

    private static func header(_ ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let back = ctx.path.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? SiteURL.home.path
        return .header(
            .class("top"),
            .div(
                .class("brand"),
                .a(.href(SiteURL.home.path), .strong(.text(Texts.appName(lang))), .span(.class("sub"), .text(" Minqing")))),
            // On a phone the sections fold into a menu (a closed <details>, no script) so the page's
            // own content starts in the first screen; from 760 px the stylesheet shows them in a row.
            .unwrap(ctx.user) { user in
                .details(
                    .class("menu"), .id("menu"),
                    .summary(.text(lang == .zh ? "☰ 菜单" : "☰ Menu")),
                    .nav(
                        .class("tabs"), .attribute(named: "aria-label", value: lang == .zh ? "主导航" : "Main"),
                        .forEach(navigation(for: user.role)) { item in
                            .a(
                                .href(item.path.attributeSafe), .text(item.text(lang)),
                                .if(isActive(item.path, ctx.path), .class("active")))
                        }))
            },
            .div(
                .class("tools"),
                .a(
                    .id("lang-zh"), .href((SiteURL.lang(.value("zh")).path + "?back=\(back)").attributeSafe),
                    .attribute(named: "lang", value: "zh-CN"),
                    .if(lang == .zh, .class("active")), .text("中文")),
                .a(
                    .id("lang-en"), .href((SiteURL.lang(.value("en")).path + "?back=\(back)").attributeSafe),
                    .attribute(named: "lang", value: "en"),
                    .if(lang == .en, .class("active")), .text("English")),
                .unwrap(ctx.user) { user in
                    .group(
                        .a(
                            .class("me"), .href(SiteURL.account(.data).path),
                            .text("\(user.displayName) · \(lang == .zh ? user.role.nameZH : user.role.nameEN)")),
                        .form(
                            .id("logout-form"), .class("inline"), .method(.post), .action(SiteURL.logout.path),
                            csrfField(ctx.csrf),
                            .button(.type(.submit), .text(Texts.signOut(lang))))
                    )
                })
        )
    }

    static func csrfField(_ token: String) -> Node<HTML.FormContext> {
        .input(.type(.hidden), .name("csrf"), .value(token.attributeSafe))
    }

    struct NavItem { let path: String; let text: T }

    static func navigation(for role: Role) -> [NavItem] {
        var items = [
            NavItem(path: SiteURL.home.path, text: Texts.home), NavItem(path: SiteURL.notifications(.index).path, text: T("消息", "Notifications"))
        ]
        if role.isGridStaff { items.append(NavItem(path: SiteURL.grid(.index).path, text: Texts.grid)) }
        if role.isGridStaff { items.append(NavItem(path: SiteURL.dashboard(.index).path, text: T("社区大脑", "Dashboard"))) }
        if role.readsRegister { items.append(NavItem(path: SiteURL.registry(.index).path, text: Texts.register)) }
        if role.isGridStaff { items.append(NavItem(path: SiteURL.visits(.index).path, text: T("民情日志", "Visits"))) }
        if role == .resident { items.append(NavItem(path: SiteURL.visits(.booking).path, text: T("预约走访", "Book a visit"))) }
        if VotingQueries.viewers.contains(role) { items.append(NavItem(path: SiteURL.voting(.index).path, text: T("协商室", "Consult"))) }
        if ServicesController.users.contains(role) { items.append(NavItem(path: SiteURL.services(.index).path, text: T("约空间", "Spaces"))) }
        if OrganisationsQueries.readers.contains(role) {
            items.append(NavItem(path: SiteURL.organisations(.index).path, text: T("组织力", "Organisations")))
        }
        if OrganisationsQueries.selfRegistering.contains(role) {
            items.append(NavItem(path: SiteURL.dual(.index).path, text: T("双报到", "Dual registration")))
        }
        if OversightController.staff.contains(role) {
            items.append(NavItem(path: SiteURL.oversight(.index).path, text: T("6543 治理", "6543 oversight")))
        }
        if role == .resident { items.append(NavItem(path: SiteURL.oversight(.myCompound).path, text: T("我的小区", "My compound"))) }
        if role == .propertyCompany { items.append(NavItem(path: SiteURL.oversight(.myCompany).path, text: T("我的物业公司", "My company"))) }
        items.append(NavItem(path: SiteURL.cases(.index).path, text: role == .resident ? T("我的诉求", "My requests") : T("诉求案件", "Cases")))
        if role.managesAccounts { items.append(NavItem(path: SiteURL.admin(.accounts).path, text: Texts.accounts)) }
        if role == .admin { items.append(NavItem(path: SiteURL.admin(.audit).path, text: Texts.audit)) }
        if role == .admin { items.append(NavItem(path: SiteURL.admin(.open311Clients).path, text: T("接入密钥", "Client keys"))) }
        if NotificationsService.outboxRoles.contains(role) {
            items.append(NavItem(path: SiteURL.notifications(.outbox).path, text: T("短信发送", "Phone messages")))
        }
        if role.mayRevealPersonalNumbers { items.append(NavItem(path: SiteURL.registry(.identityHolds).path, text: T("身份核验", "Identity checks"))) }
        if role.readsRegister { items.append(NavItem(path: SiteURL.registry(.corrections).path, text: T("更正申请", "Corrections"))) }
        if Invitations.issuers.contains(role) {
            items.append(NavItem(path: SiteURL.residents(.invitations).path, text: T("居民注册", "Resident sign-up")))
        }
        return items
    }

    private static func isActive(_ item: String, _ path: String) -> Bool {
        item == SiteURL.home.path ? path == SiteURL.home.path : path.hasPrefix(item)
    }
}
