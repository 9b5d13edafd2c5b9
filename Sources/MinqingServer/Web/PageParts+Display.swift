import Foundation
import MinqingDomain
import Plot

extension PageParts {
    /// The button that switches the account's pages to large, high-contrast type (适老化), or back;
    /// after it the browser returns to `back`.
    static func displaySwitch(_ ctx: PageContext, back: String) -> Node<HTML.BodyContext> {
        let large = ctx.user?.largeText == true
        return .form(
            .class("inline"), .id("display-form"), .method(.post), .action(SiteURL.account(.display).path),
            Layout.csrfField(ctx.csrf),
            .input(.type(.hidden), .name("large_text"), .value(large ? "off" : "on")),
            .input(.type(.hidden), .name("back"), .value(back.attributeSafe)),
            .button(
                .type(.submit), .id("display-switch"),
                .text(large ? T("恢复标准字号", "Standard type")(ctx.lang) : T("大字模式（字大、对比强）", "Large type, high contrast")(ctx.lang))))
    }
}
