import Plot
import Vapor

extension Request {
    /// The shell's view of this request.
    var pageContext: PageContext {
        PageContext(
            lang: lang, user: actor?.shellUser,
            csrf: actor?.csrfToken ?? cookies[SessionCookie.preLoginCSRF]?.string ?? "",
            path: url.path)
    }
}

/// The error page a browser sees: what went wrong in the reader's language, and a way on.
enum ErrorPage {
    /// A form the server could not decode (a value of the wrong kind in a field no person types,
    /// e.g. a tampered hidden id): the API names the field; a page says it in a sentence.
    static let unreadableForm = AppError(
        .badRequest, code: "bad_form", zh: "表单内容无法识别，请返回上一页检查后重新提交",
        en: "The form could not be read; go back, check it and submit again")

    static func render(_ request: Request, error: AppError) -> Response {
        let ctx = request.pageContext
        let lang = ctx.lang
        let title = T("出错了（\(error.status.code)）", "Something went wrong (\(error.status.code))")
        let response = Layout.render(
            ctx, title: title(lang), status: error.status,
            .div(
                .class("card"),
                .h1(.text(title(lang))),
                .p(.class("flash-error"), .text(error.message(lang))),
                .if(
                    !error.fields.isEmpty,
                    .ul(.forEach(error.fields) { field in .li(.text(lang == .zh ? field.messageZH : field.messageEN)) })),
                .p(
                    .a(
                        .href(ctx.user == nil ? SiteURL.login.path : SiteURL.home.path),
                        .text(ctx.user == nil ? Texts.signIn(lang) : Texts.home(lang))))))
        for (name, value) in error.headers { response.headers.replaceOrAdd(name: name, value: value) }
        return response
    }
}
