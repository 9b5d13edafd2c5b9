import MinqingDomain
import Plot
import Vapor

/// The home page of each role: what the account may reach from here, with live figures of its
/// subtree for staff; a resident's is `ResidentHomePages`.
struct HomePages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(RequireSignIn()).get(.home, use: home)
    }

    @Sendable func home(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        if actor.role == .resident { return try await ResidentHomePages.page(req: req, actor: actor) }
        let ctx = req.pageContext
        let lang = ctx.lang
        let roleName = lang == .zh ? actor.role.nameZH : actor.role.nameEN
        var figures: [(T, Int)] = []
        if actor.role.isGridStaff {
            let counts = try await GridQueries.levelCounts(in: actor.scope, on: req.db)
            for level in GridLevel.allCases where level > actor.scope.rootLevel {
                if let n = counts[level] { figures.append((T(level.nameZH, level.nameEN), n)) }
            }
        }
        if actor.role.managesAccounts {
            figures.append((T("账号", "Accounts"), try await AccountQueries.count(in: actor.scope, on: req.db)))
        }
        let greeting = T("您好，\(actor.displayName)", "Hello, \(actor.displayName)")
        return Layout.render(
            ctx, title: Texts.home(lang),
            .h1(.text(greeting(lang))),
            .div(
                .class("card"), .id("whoami"),
                .p(.strong(.text(Texts.role(lang) + "：")), .text(roleName)),
                .p(
                    .strong(.text(Texts.scope(lang) + "：")), .text(actor.scope.rootName + " "),
                    .span(.class("badge"), .text(lang == .zh ? actor.scope.rootLevel.nameZH : actor.scope.rootLevel.nameEN)),
                    .span(.class("muted mono"), .text(" " + actor.scope.rootCode)))),
            .if(
                !figures.isEmpty,
                .div(
                    .class("grid-cards"), .id("figures"),
                    .forEach(figures) { figure in
                        .div(.class("stat"), .div(.class("n"), .text("\(figure.1)")), .div(.class("l"), .text(figure.0(lang))))
                    })),
            PageParts.displaySwitch(ctx, back: SiteURL.home.path),
            .h2(.text(T("可以做什么", "What you can do here")(lang))),
            .ul(
                .forEach(Layout.navigation(for: actor.role).dropFirst()) { item in
                    .li(.a(.href(item.path.attributeSafe), .text(item.text(lang))))
                },
                .li(.a(.href(SiteURL.account(.data).path), .text(T("我的信息", "My data")(lang)))),
                .li(.a(.href(SiteURL.account(.secondFactor).path), .text(T("动态口令（双因素登录）", "Second factor")(lang)))),
                .li(.a(.href(SiteURL.account(.password).path), .text(Texts.changePassword(lang)))))
        )
    }
}
