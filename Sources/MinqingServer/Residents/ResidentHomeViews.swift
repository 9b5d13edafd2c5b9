import Foundation
import MinqingDomain
import Plot
import Vapor

/// The resident's home page, phone-first: what needs them, what is new, the four actions of 智慧临小二
/// (约走访 · 约空间 · 要留言 · 要投票), the time bank, then their own things. Each item is one tap
/// from here to the page where it is done.
enum ResidentHomeViews {
    static func page(_ home: ResidentHome, name: String, welcome: Bool, ctx: PageContext) -> Response {
        let lang = ctx.lang
        return Layout.render(
            ctx, title: Texts.home(lang),
            .h1(.text(T("您好，\(name)", "Hello, \(name)")(lang))),
            .if(
                welcome,
                .p(
                    .class("flash-ok"), .id("welcome"), .attribute(named: "role", value: "status"),
                    .text(T("注册成功，欢迎使用智慧临小二。", "You are signed up: welcome.")(lang)))),
            needs(home.needs, lang: lang),
            news(home.news, unread: home.unread_notifications, lang: lang),
            actions(lang: lang),
            timeBank(home.time_bank, lang: lang),
            .section(
                .class("card"), .id("mine"),
                .h2(.text(T("我的", "Mine")(lang))),
                PageParts.displaySwitch(ctx, back: SiteURL.home.path),
                .ul(
                    .class("links"),
                    .li(.a(.href(SiteURL.cases(.index).path), .text(T("我的诉求", "My messages")(lang)))),
                    .li(.a(.href(SiteURL.oversight(.myCompound).path), .text(T("我的小区", "My compound")(lang)))),
                    .li(.a(.href(SiteURL.dual(.index).path), .text(T("双报到", "Dual registration")(lang)))),
                    .li(.a(.href(SiteURL.account(.data).path), .text(T("我的信息", "My data")(lang)))),
                    .li(.a(.href(SiteURL.account(.password).path), .text(Texts.changePassword(lang)))),
                    .li(.a(.href(SiteURL.account(.secondFactor).path), .text(T("动态口令（双因素登录）", "Second factor")(lang))))))
        )
    }

    static func kindName(_ kind: ResidentHome.NeedKind) -> T {
        switch kind {
        case .ballot: T("业主表决", "Owners' vote")
        case .poll: T("居民投票", "Residents' poll")
        case .checkin: T("今日打卡", "Today's check-in")
        case .registration: T("待登记", "Registration")
        case .visitBooking: T("预约走访", "Booked visit")
        case .spaceBooking: T("约空间", "Space booking")
        case .caseRating: T("待评价", "To rate")
        }
    }

    /// The line under an item's title: when it closes or starts, where, in what state.
    static func detail(_ need: ResidentHome.Need, lang: Lang) -> String {
        var parts: [String] = []
        switch need.kind {
        case .ballot, .poll:
            if let at = need.at { parts.append(T("截止 \(LocalTime.short(at))", "closes \(LocalTime.short(at))")(lang)) }
            parts.append(T("您还没有投票", "you have not voted")(lang))
        case .checkin: parts.append(T("今天还没有打卡", "not checked in today")(lang))
        case .registration: parts.append(T("登记进行中，您还没有登记", "open; you have not registered")(lang))
        case .visitBooking:
            if let at = need.at { parts.append(LocalTime.short(at)) }
            if let status = need.status.flatMap(BookingStatus.init(rawValue:)) { parts.append(status.name(lang)) }
        case .spaceBooking:
            if let at = need.at { parts.append(LocalTime.short(at)) }
            if let status = need.status.flatMap(ServiceBookingStatus.init(rawValue:)) { parts.append(ServicesViews.status(status, lang)) }
        case .caseRating: parts.append(T("已办结，请评价办理结果", "closed: rate how it was handled")(lang))
        }
        if let place = need.place, !place.isEmpty { parts.append(place) }
        return parts.joined(separator: " · ")
    }

    static func needs(_ needs: [ResidentHome.Need], lang: Lang) -> Node<HTML.BodyContext> {
        .section(
            .class("card"), .id("needs"),
            .h2(.text(T("需要您办理", "Needs you")(lang)), .if(!needs.isEmpty, .span(.class("badge"), .text(" \(needs.count)")))),
            needs.isEmpty
                ? .p(.class("muted"), .id("needs-none"), .text(T("现在没有需要您办理的事。", "Nothing needs you right now.")(lang)))
                : .ul(
                    .class("rows home-items"),
                    .forEach(needs) { need in
                        .li(
                            .class("need need-\(need.kind.rawValue)"),
                            .a(
                                .href(need.href.attributeSafe),
                                .span(.class("badge"), .text(kindName(need.kind)(lang))), .text(" "), .strong(.text(need.title)),
                                .br(), .span(.class("muted"), .text(detail(need, lang: lang)))))
                    }))
    }

    static func news(_ news: [ResidentHome.News], unread: Int, lang: Lang) -> Node<HTML.BodyContext> {
        .section(
            .class("card"), .id("news"),
            .h2(.text(T("新消息", "What's new")(lang))),
            .p(
                .a(
                    .id("inbox-link"), .href(SiteURL.notifications(.index).path + (unread > 0 ? "?unread=1" : "")),
                    .text(unread > 0 ? T("消息：\(unread) 条未读", "Notifications: \(unread) unread")(lang) : T("消息", "Notifications")(lang)))),
            news.isEmpty
                ? .p(
                    .class("muted"), .id("news-none"),
                    .text(T("最近 \(ResidentHome.newsDays) 天没有新消息。", "Nothing new in the last \(ResidentHome.newsDays) days.")(lang)))
                : .ul(
                    .class("rows home-items"),
                    .forEach(news) { item in
                        .li(.class("news news-\(item.kind.rawValue)"), .a(.href(item.href.attributeSafe), newsText(item, lang: lang)))
                    }))
    }

    static func newsText(_ item: ResidentHome.News, lang: Lang) -> Node<HTML.AnchorContext> {
        switch item.kind {
        case .caseUpdate:
            let action = item.action.flatMap(CaseAction.init(rawValue:)).map { lang == .zh ? $0.nameZH : $0.nameEN } ?? ""
            let state = item.state.flatMap(CaseState.init(rawValue:)).map { CasesViews.state($0, lang) } ?? ""
            let when = item.at.map { LocalTime.short($0) } ?? ""
            return .group(
                .span(.class("badge"), .text(T("我的诉求", "My message")(lang))), .text(" "), .strong(.text(item.title)), .br(),
                .span(
                    .class("muted"),
                    .text([when, action, state, item.note].filter { !$0.isEmpty }.joined(separator: " · "))))
        case .notice:
            return .group(
                .span(.class("badge"), .text(T("小区公示", "Compound notice")(lang))), .text(" "), .strong(.text(item.title)), .br(),
                .span(.class("muted"), .text([item.published_on ?? "", item.note].filter { !$0.isEmpty }.joined(separator: " · "))))
        }
    }

    /// The four actions under the seed's names, as large tiles.
    static func actions(lang: Lang) -> Node<HTML.BodyContext> {
        let tiles: [(String, T, T)] = [
            (SiteURL.visits(.booking).path, T("约走访", "Book a visit"), T("约社工上门或面谈", "A social worker comes to you")),
            (SiteURL.services(.index).path, T("约空间", "Book a space"), T("活动室、场地与服务", "Rooms, places and services")),
            (SiteURL.cases(.new).path, T("要留言", "Leave a message"), T("反映问题、提建议", "Report a problem or suggest")),
            (SiteURL.voting(.index).path, T("要投票", "Vote"), T("居民投票、业主表决、议事", "Polls, owners' votes, topics"))
        ]
        return .section(
            .id("actions"), .attribute(named: "aria-label", value: T("智慧临小二", "Services")(lang)),
            .div(
                .class("tiles"),
                .forEach(tiles) { href, name, hint in
                    .a(.class("tile"), .href(href.attributeSafe), .strong(.text(name(lang))), .span(.class("muted"), .text(hint(lang))))
                }))
    }

    static func timeBank(_ bank: ResidentHome.TimeBank, lang: Lang) -> Node<HTML.BodyContext> {
        let hours = Double(bank.minutes) / 60
        let hoursText = hours == hours.rounded() ? String(Int64(hours)) : String(format: "%.1f", hours)
        return .section(
            .class("card"), .id("time-bank"),
            .h2(.text(T("时间银行", "Time bank")(lang))),
            .div(
                .class("grid-cards"),
                .div(.class("stat"), .div(.class("n"), .id("bank-hours"), .text(hoursText)), .div(.class("l"), .text(T("小时", "hours")(lang)))),
                .div(
                    .class("stat"), .div(.class("n"), .id("bank-points"), .text(String(bank.points))),
                    .div(.class("l"), .text(T("积分", "points")(lang))))),
            .p(.a(.id("bank-statement"), .href(bank.statement_href.attributeSafe), .text(T("查看明细与兑换", "Statement and redemption")(lang))))
        )
    }
}
