import Foundation
import MinqingDomain
import Plot
import Vapor

/// The inbox (phone-first: each message one tap to its page, read as it opens), the choices of
/// what reaches the phone, and the staff's outbox page.
enum NotificationsViews {
    static func inbox(_ inbox: NotificationsService.Inbox, unreadOnly: Bool, ctx: PageContext) -> Response {
        let lang = ctx.lang
        let base = SiteURL.notifications(.index).path
        return Layout.render(
            ctx, title: T("消息", "Notifications")(lang),
            .h1(.text(T("消息", "Notifications")(lang))),
            .p(
                .id("inbox-counts"), .class("muted"),
                .text(
                    T(
                        "近 \(Notifications.keepDays) 天 \(inbox.total) 条，未读 \(inbox.unread) 条",
                        "\(inbox.total) in the last \(Notifications.keepDays) days, \(inbox.unread) unread")(lang)),
                .text(" · "),
                unreadOnly
                    ? .a(.id("inbox-all"), .href(base), .text(T("看全部", "Show all")(lang)))
                    : .a(.id("inbox-unread"), .href(base + "?unread=1"), .text(T("只看未读", "Unread only")(lang)))),
            .if(
                inbox.unread > 0,
                .form(
                    .class("inline"), .id("read-all-form"), .method(.post), .action(SiteURL.notifications(.read).path),
                    Layout.csrfField(ctx.csrf),
                    .button(.type(.submit), .id("read-all"), .text(T("全部标为已读", "Mark all read")(lang))))),
            inbox.items.isEmpty
                ? .p(.class("muted"), .id("inbox-none"), .text(T("没有消息。", "No notifications.")(lang)))
                : .ul(
                    .class("rows home-items"), .id("inbox"),
                    .forEach(inbox.items) { item in
                        .li(
                            .class(item.read ? "note read" : "note unread"), .id("note-\(item.id.uuidString)"),
                            .form(
                                .method(.post), .action(SiteURL.notifications(.open(.value(item.id))).path),
                                Layout.csrfField(ctx.csrf),
                                .button(
                                    .type(.submit), .class("link-button"),
                                    .if(!item.read, .span(.class("badge"), .text(T("未读", "new")(lang)))), .text(" "),
                                    .strong(.text(item.title)), .br(),
                                    .span(
                                        .class("muted"),
                                        .text([LocalTime.short(item.created_at), item.detail].filter { !$0.isEmpty }.joined(separator: " · "))))))
                    }),
            PageParts.pager(
                id: "inbox-pages", page: inbox.page, pageSize: inbox.page_size, total: unreadOnly ? inbox.unread : inbox.total, lang: lang,
                link: { base + "?page=\($0)" + (unreadOnly ? "&unread=1" : "") }),
            .p(.a(.id("choices-link"), .href(SiteURL.account(.notifications).path), .text(T("设置哪些消息发到手机", "Choose what reaches my phone")(lang))))
        )
    }

    static func choices(_ choices: [NotificationsService.Choice], phoneOnFile: Bool, saved: Bool, ctx: PageContext) -> Response {
        let lang = ctx.lang
        return Layout.render(
            ctx, title: T("消息设置", "Notification settings")(lang),
            .h1(.text(T("哪些消息发到手机", "What reaches my phone")(lang))),
            .if(
                saved,
                .p(.class("flash-ok"), .id("choices-saved"), .attribute(named: "role", value: "status"), .text(T("已保存。", "Saved.")(lang)))),
            .p(
                .class("muted"),
                .text(
                    T(
                        "所有消息都在“消息”页里。勾选的类别同时发短信到您注册时留的手机号；晚 22 点到早 7 点不发，紧急通知除外。",
                        "Every notification is on the Notifications page. The kinds you tick also go by text to the mobile number you signed up with; nothing is sent from 22:00 to 07:00 except urgent notices."
                    )(lang))),
            .if(
                !phoneOnFile,
                .p(
                    .class("flash-error"), .id("choices-no-phone"),
                    .text(
                        T(
                            "您的账号没有登记手机号，消息目前只在网站上；用居委会的邀请函注册的居民账号才有手机号。",
                            "Your account has no mobile number on file, so notifications stay on the site; resident accounts made with the committee's letter have one."
                        )(lang)))),
            .form(
                .id("choices-form"), .method(.post), .action(SiteURL.account(.notifications).path),
                Layout.csrfField(ctx.csrf),
                .fieldset(
                    .element(named: "legend", text: T("发到手机", "To my phone")(lang)),
                    .forEach(choices) { choice in
                        .div(
                            .class("check"),
                            .label(
                                .input(
                                    .type(.checkbox), .id("phone-\(choice.kind)"), .name("phone[]"), .value(choice.kind),
                                    .checked(choice.to_phone)),
                                .text(" " + choice.name)))
                    }),
                .button(.type(.submit), .id("choices-save"), .text(T("保存", "Save")(lang)))),
            .p(.a(.href(SiteURL.notifications(.index).path), .text(T("返回消息", "Back to notifications")(lang))))
        )
    }

    static func stateName(_ state: String, _ lang: Lang) -> String {
        switch state {
        case "pending": T("待发送", "waiting")(lang)
        case "sent": T("已发送", "sent")(lang)
        case "dead": T("发送失败（死信）", "failed (dead letter)")(lang)
        case "expired": T("过期未发", "expired unsent")(lang)
        default: state
        }
    }

    static func outbox(_ outbox: NotificationsService.Outbox, retried: Bool, ctx: PageContext) -> Response {
        let lang = ctx.lang
        let base = SiteURL.notifications(.outbox).path
        return Layout.render(
            ctx, title: T("短信发送", "Phone messages")(lang),
            .h1(.text(T("短信发送", "Phone messages")(lang))),
            .if(
                retried,
                .p(.class("flash-ok"), .id("retried"), .attribute(named: "role", value: "status"), .text(T("已重新排队发送。", "Queued again.")(lang)))),
            .p(
                .id("gateway-state"), .class(outbox.gateway_configured ? "muted" : "flash-error"),
                .text(
                    outbox.gateway_configured
                        ? T("已配置短信网关，每 15 秒发送一次。", "A gateway is configured; messages go out every 15 seconds.")(lang)
                        : T(
                            "未配置短信网关（MINQING_NOTIFY_WEBHOOK_URL），消息只在网站上，不会发到手机。",
                            "No gateway is configured (MINQING_NOTIFY_WEBHOOK_URL): notifications stay on the site.")(lang))),
            .div(
                .class("grid-cards"), .id("outbox-counts"),
                .forEach(NotificationsService.outboxStates) { state in
                    .a(
                        .class("stat"), .href(base + "?state=\(state)"),
                        .div(.class("n"), .id("outbox-\(state)"), .text(String(outbox.counts[state] ?? 0))),
                        .div(.class("l"), .text(stateName(state, lang))))
                }),
            .h2(
                .id("outbox-heading"),
                .text(outbox.state.map { stateName($0, lang) } ?? T("失败与重试中", "Failed and retrying")(lang))),
            .if(outbox.state != nil, .p(.a(.href(base), .text(T("只看失败与重试中的", "Only failed and retrying")(lang))))),
            outbox.items.isEmpty
                ? .p(.class("muted"), .id("outbox-none"), .text(T("没有发送失败的消息。", "No failed messages.")(lang)))
                : PageParts.table(
                    id: "outbox",
                    headers: [
                        .init(T("收件人", "To")(lang)), .init(T("消息", "Message")(lang)), .init(T("状态", "State")(lang)),
                        .num(T("已试", "Tries")(lang)), .init(T("原因", "Why")(lang)), .init("")
                    ],
                    rows: outbox.items
                ) { row in
                    .tr(
                        .td(.text(row.recipient)), .td(.text(lang == .zh ? row.title_zh : row.title_en)), .td(.text(stateName(row.state, lang))),
                        .td(.class("num"), .text(String(row.attempts))), .td(.text(row.last_error ?? "")),
                        .td(
                            row.state == "dead"
                                ? .form(
                                    .class("inline"), .method(.post), .action(SiteURL.notifications(.outboxRetry(.value(row.id))).path),
                                    Layout.csrfField(ctx.csrf),
                                    .button(.type(.submit), .id("retry-\(row.id.uuidString)"), .text(T("重新发送", "Send again")(lang))))
                                : row.state == "pending"
                                    ? .text(T("下次 \(LocalTime.short(row.next_attempt_at))", "next \(LocalTime.short(row.next_attempt_at))")(lang))
                                    : .text(LocalTime.short(row.created_at))))
                },
            .unwrap(outbox.state) { state in
                PageParts.pager(
                    id: "outbox-pages", page: outbox.page, pageSize: outbox.page_size, total: outbox.counts[state] ?? 0, lang: lang,
                    link: { base + "?state=\(state)&page=\($0)" })
            }
        )
    }
}
