import Foundation
import MinqingDomain
import Plot
import Vapor

/// 代办 on My data: who the resident acts for (each with 结束代办), and the form to register
/// acting for an elderly member of the household who agreed.
enum ProxyViews {
    static func section(_ o: Proxies.Overview, errors: [FieldError], done: String?, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        func error(_ field: String) -> Node<HTML.FormContext> {
            .forEach(errors.filter { $0.field == field }) {
                .p(.class("field-error"), .id("error-\(field)"), .text(lang == .zh ? $0.messageZH : $0.messageEN))
            }
        }
        let conflict = errors.filter { $0.field == "proxy" }
        return .section(
            .class("card"), .id("proxies"),
            .h2(.text(T("为家中老人代办", "Acting for an elderly family member")(lang))),
            .p(
                .class("muted"),
                .text(
                    T(
                        "家中 \(ProxyRule.minimumAge) 岁及以上、同住一户的老人同意后，您可以代他们要留言；案件上会写明由您代办。",
                        "With their agreement you may leave messages for a member of your household aged \(ProxyRule.minimumAge) or over; the case says you left it for them."
                    )(lang))),
            .if(
                done == "proxy",
                .p(.class("flash-ok"), .id("proxy-done"), .attribute(named: "role", value: "status"), .text(T("已登记。", "Registered.")(lang)))),
            .forEach(conflict) { .p(.class("flash-error"), .id("proxy-conflict"), .text(lang == .zh ? $0.messageZH : $0.messageEN)) },
            o.links.isEmpty
                ? .p(.class("muted"), .id("proxy-none"), .text(T("您还没有为家人代办。", "You do not act for anyone yet.")(lang)))
                : .ul(
                    .class("rows"), .id("proxy-links"),
                    .forEach(o.links) { link in
                        .li(
                            .strong(.text(link.name)), .text(T("（\(link.age) 岁）", " (\(link.age))")(lang)),
                            .form(
                                .class("inline"), .method(.post), .action(SiteURL.account(.proxyEnd(.value(link.id))).path.attributeSafe),
                                Layout.csrfField(ctx.csrf),
                                .button(.type(.submit), .class("small"), .id("end-\(link.id.uuidString)"), .text(T("结束代办", "Stop")(lang)))))
                    }),
            .if(
                !o.may_link.isEmpty,
                .form(
                    .class("stack"), .id("proxy-form"), .method(.post), .action(SiteURL.account(.proxies).path), Layout.csrfField(ctx.csrf),
                    .label(.for("proxy-person"), .text(T("为谁代办", "Act for")(lang))),
                    .select(
                        .id("proxy-person"), .attribute(named: "name", value: "person_id"),
                        .forEach(o.may_link) { m in
                            .option(.value(m.person_id.uuidString), .label(T("\(m.name)（\(m.age) 岁）", "\(m.name) (\(m.age))")(lang).attributeSafe))
                        }),
                    error("person_id"),
                    .label(
                        .class("chip"), .input(.type(.checkbox), .id("proxy-consent"), .name("consent"), .value("true")),
                        .text(T("老人本人已同意由我代办", "My family member agreed that I act for them")(lang))),
                    error("consent"),
                    .button(.type(.submit), .id("proxy-submit"), .text(T("登记代办", "Register")(lang))))))
    }
}
