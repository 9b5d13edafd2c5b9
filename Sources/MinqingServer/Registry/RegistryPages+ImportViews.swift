import Foundation
import MinqingDomain
import Plot
import Vapor

/// The import wizard's views: plain values in, HTML out. The uploaded file's content never
/// appears in a page; only its name, its counts and the problems found (which never quote ID or
/// phone numbers).
enum ImportViews {
    static let title = T("导入向导", "Import wizard")

    struct Start {
        var kind: ImportKind?
        var encoding: ImportEncoding = .auto
        var errors: [FieldError] = []
    }

    struct Result {
        var kind: ImportKind
        var fileName: String
        var report: ImportReport?
        /// The clean file waits under this token for the confirmation.
        var token: String?
        /// The real run was refused as a whole (something was registered meanwhile).
        var failure: AppError?
    }

    // MARK: step 1

    static func start(_ m: Start, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        return Layout.render(
            ctx, title: RegistryViews.pageTitle(title(lang), RegistryViews.title(lang)), status: status,
            crumbs(lang),
            .h1(.text(title(lang))),
            steps(1, lang: lang),
            .p(
                .class("muted"),
                .text(
                    T(
                        "先检查，再导入：检查不写入任何数据；确认后所有行在一次事务中写入，只要有一行出错就一行也不写入。只能导入您管辖范围内的数据。",
                        "Check first, then import: the check writes nothing; on confirmation every row is written in one transaction, and if any row is wrong none is. Only data inside your scope can be imported."
                    )(lang))),
            .if(
                !m.errors.isEmpty && m.errors.contains { !["kind", "file", "encoding"].contains($0.field) },
                .p(.class("flash-error"), .text(T("请改正下面标出的问题。", "Please correct the problems marked below.")(lang)))),
            .div(.class("card"), uploadForm(kind: m.kind, encoding: m.encoding, errors: m.errors, ctx: ctx)))
    }

    static func uploadForm(kind: ImportKind?, encoding: ImportEncoding, errors: [FieldError], ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let encodings: [(ImportEncoding, T)] = [
            (.auto, T("自动识别（UTF-8 或 GB18030）", "Detect (UTF-8 or GB18030)")),
            (.utf8, T("UTF-8（Excel “CSV UTF-8”，WPS）", "UTF-8 (Excel “CSV UTF-8”, WPS)")),
            (.gb18030, T("GB18030 / GBK（Excel “CSV（逗号分隔）”）", "GB18030 / GBK (Excel “CSV (comma delimited)”)"))
        ]
        let options: [Node<HTML.SelectContext>] = encodings.map { value, label in
            .option(.value(value.rawValue), .label(label(lang)), .isSelected(value == encoding))
        }
        return .form(
            .id("import-form"), .class("stack"), .method(.post), .action(SiteURL.registry(.import).path),
            .attribute(named: "enctype", value: "multipart/form-data"),
            Layout.csrfField(ctx.csrf),
            .fieldset(
                .class("choices"),
                .element(named: "legend", text: T("① 数据类型", "① What the file holds")(lang)),
                .forEach(ImportKind.allCases) { choice in
                    .label(
                        .class("choice"), .for("kind-\(choice.rawValue)"),
                        .input(
                            .type(.radio), .id("kind-\(choice.rawValue)"), .name("kind"), .value(choice.rawValue),
                            .checked(choice == kind)),
                        .span(
                            .strong(.text(choice.title(lang))), .br(),
                            .span(.class("muted"), .text(choice.summary(lang))), .text(" "),
                            .a(
                                .id("template-\(choice.rawValue)"), .href(SiteURL.registry(.importTemplate(.value(choice.rawValue))).path),
                                .text(T("下载模板", "Template")(lang)))))
                }),
            RegistryViews.fieldErrors(errors, "kind", lang: lang),
            .label(.for("import-file"), .text(T("② CSV 文件", "② The CSV file")(lang))),
            .input(.type(.file), .id("import-file"), .name("file"), .attribute(named: "accept", value: ".csv,text/csv"), .required(true)),
            .p(
                .class("muted hint"),
                .text(
                    T(
                        "表头可用中文或英文；Excel 另存的“CSV（逗号分隔）”或“CSV UTF-8”均可；最大 \(ImportUploads.maxBytes >> 20) MB。",
                        "Chinese or English headers; Excel's “CSV (comma delimited)” or “CSV UTF-8” both work; up to \(ImportUploads.maxBytes >> 20) MB."
                    )(lang))),
            RegistryViews.fieldErrors(errors, "file", lang: lang),
            .label(.for("import-encoding"), .text(T("文件编码", "Encoding")(lang))),
            .select(.attribute(named: "id", value: "import-encoding"), .attribute(named: "name", value: "encoding"), .group(options)),
            RegistryViews.fieldErrors(errors, "encoding", lang: lang),
            .button(.type(.submit), .id("import-check"), .text(T("检查文件（不写入）", "Check the file (writes nothing)")(lang))))
    }

    // MARK: step 2

    static func checked(_ m: Result, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        let report = m.report ?? ImportReport(dry_run: true, encoding: nil, rows: 0, households: nil, errors: [])
        let badLines = Set(report.errors.map(\.line).filter { $0 > 1 }).count
        let fileLevel = report.errors.contains { $0.line <= 1 || $0.field == "file" || $0.field == "header" }
        return Layout.render(
            ctx, title: RegistryViews.pageTitle(T("检查结果", "Check")(lang), title(lang)), status: status,
            crumbs(lang),
            .h1(.text(title(lang))),
            steps(2, lang: lang),
            fileFacts(m, report: report, lang: lang),
            report.errors.isEmpty
                ? .group(
                    .div(
                        .class("flash-ok"), .id("check-ok"), .attribute(named: "role", value: "status"),
                        .p(.strong(.text(T("检查通过", "All rows are good")(lang))), .text(T("：", ": ")(lang) + counts(report, lang: lang))),
                        .p(.text(T("尚未写入任何数据。确认后全部写入。", "Nothing has been written yet. Confirm to write it all.")(lang)))),
                    .form(
                        .id("confirm-form"), .class("stack"), .method(.post), .action(SiteURL.registry(.importConfirm).path),
                        Layout.csrfField(ctx.csrf),
                        .input(.type(.hidden), .name("token"), .value((m.token ?? "").attributeSafe)),
                        .button(
                            .type(.submit), .id("import-confirm"),
                            .text(T("确认导入 \(RegisterFormat.count(report.rows)) 行", "Import \(RegisterFormat.count(report.rows)) rows")(lang)))),
                    .p(
                        .a(
                            .id("import-restart"), .href(SiteURL.registry(.import).path + "?kind=\(m.kind.rawValue)"),
                            .text(T("换一个文件", "Use another file")(lang)))))
                : .group(
                    .div(
                        .class("flash-error"), .id("check-failed"), .attribute(named: "role", value: "alert"),
                        .p(
                            .strong(
                                .text(
                                    T("发现 \(report.errors.count) 处问题，未写入任何数据。", "\(report.errors.count) problems found; nothing was written.")(lang)))
                        ),
                        .if(
                            !fileLevel,
                            .p(
                                .id("good-rows"),
                                .text(
                                    T(
                                        "共 \(RegisterFormat.count(report.rows)) 行，其中 \(RegisterFormat.count(max(0, report.rows - badLines))) 行无误、\(badLines) 行有问题。请改正后重新上传整个文件。",
                                        "\(RegisterFormat.count(max(0, report.rows - badLines))) of \(RegisterFormat.count(report.rows)) rows are good and \(badLines) have problems. Correct them and upload the whole file again."
                                    )(lang))))),
                    errorTable(report.errors, kind: m.kind, lang: lang),
                    .h2(.text(T("重新上传", "Upload again")(lang))),
                    .div(.class("card"), uploadForm(kind: m.kind, encoding: .auto, errors: [], ctx: ctx))))
    }

    // MARK: step 3

    static func done(_ m: Result, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        let report = m.report ?? ImportReport(dry_run: false, encoding: nil, rows: 0, households: nil, errors: [])
        let restart = SiteURL.registry(.import).path + "?kind=\(m.kind.rawValue)"
        return Layout.render(
            ctx, title: RegistryViews.pageTitle(T("导入结果", "Result")(lang), title(lang)), status: status,
            crumbs(lang),
            .h1(.text(title(lang))),
            steps(3, lang: lang),
            fileFacts(m, report: report, lang: lang),
            .unwrap(
                m.failure,
                { failure in
                    .div(
                        .class("flash-error"), .id("import-failed"), .attribute(named: "role", value: "alert"),
                        .p(.text(failure.message(lang))),
                        .p(.a(.href(restart), .text(T("重新上传并检查", "Upload and check again")(lang)))))
                },
                else: report.written
                    ? .group(
                        .div(
                            .class("flash-ok"), .id("import-done"), .attribute(named: "role", value: "status"),
                            .p(.strong(.text(T("已导入", "Imported")(lang))), .text(T("：", ": ")(lang) + counts(report, lang: lang))),
                            .p(.text(T("已记入审计日志。", "Written to the audit trail.")(lang)))),
                        .p(
                            .a(.class("button"), .href(SiteURL.registry(.index).path), .text(T("查看居民库", "Open the register")(lang))), .text(" "),
                            .a(.id("import-another"), .href(SiteURL.registry(.import).path), .text(T("继续导入", "Import another file")(lang)))))
                    : .group(
                        .div(
                            .class("flash-error"), .id("import-failed"), .attribute(named: "role", value: "alert"),
                            .p(
                                .text(
                                    T(
                                        "检查之后数据有了变化，导入时发现 \(report.errors.count) 处问题，未写入任何数据。",
                                        "The register changed after the check: \(report.errors.count) problems were found on import, and nothing was written."
                                    )(lang)))),
                        errorTable(report.errors, kind: m.kind, lang: lang),
                        .p(.a(.href(restart), .text(T("重新上传并检查", "Upload and check again")(lang)))))))
    }

    static func expired(ctx: PageContext) -> Response {
        let lang = ctx.lang
        return Layout.render(
            ctx, title: RegistryViews.pageTitle(title(lang), RegistryViews.title(lang)), status: .notFound,
            crumbs(lang),
            .h1(.text(title(lang))),
            .div(
                .class("flash-error"), .id("import-expired"),
                .p(
                    .text(
                        T(
                            "这次上传已经过期（保留一小时）、已经导入，或不是用您的账号上传的。请重新上传并检查。",
                            "This upload has expired (uploads are kept for an hour), was already imported, or was not made by your account. Upload and check the file again."
                        )(lang)))),
            .p(.a(.class("button"), .href(SiteURL.registry(.import).path), .text(T("重新上传", "Upload again")(lang)))))
    }

    // MARK: parts

    private static func crumbs(_ lang: Lang) -> Node<HTML.BodyContext> {
        .ol(.class("crumbs"), .li(.a(.href(SiteURL.registry(.index).path), .text(RegistryViews.title(lang)))), .li(.text(title(lang))))
    }

    /// ① 上传 › ② 检查 › ③ 导入, the current step marked.
    private static func steps(_ current: Int, lang: Lang) -> Node<HTML.BodyContext> {
        let names = [T("选择并上传", "Choose and upload"), T("检查", "Check"), T("导入", "Import")]
        return .ol(
            .class("steps"), .id("import-steps"),
            .forEach(Array(names.enumerated())) { index, name in
                .li(
                    .if(index + 1 == current, .class("current")),
                    .if(index + 1 == current, .attribute(named: "aria-current", value: "step")),
                    .text(name(lang)))
            })
    }

    private static func fileFacts(_ m: Result, report: ImportReport, lang: Lang) -> Node<HTML.BodyContext> {
        .p(
            .class("muted"), .id("import-file-facts"),
            .text(T("文件：", "File: ")(lang)), .span(.class("mono"), .text(m.fileName)),
            .text(T(" · 类型：", " · kind: ")(lang) + m.kind.title(lang)),
            .unwrap(report.encoding) { .text(T(" · 编码：", " · encoding: ")(lang) + $0) })
    }

    /// "12 行、5 户" / "12 rows, 5 households".
    static func counts(_ r: ImportReport, lang: Lang) -> String {
        var parts = [T("\(RegisterFormat.count(r.rows)) 行", "\(RegisterFormat.count(r.rows)) rows")]
        if let n = r.households { parts.append(T("\(RegisterFormat.count(n)) 户", "\(RegisterFormat.count(n)) households")) }
        if let n = r.persons { parts.append(T("\(RegisterFormat.count(n)) 名户主", "\(RegisterFormat.count(n)) heads")) }
        if let n = r.dwellings { parts.append(T("\(RegisterFormat.count(n)) 套房屋", "\(RegisterFormat.count(n)) dwellings")) }
        if let n = r.owners { parts.append(T("\(RegisterFormat.count(n)) 位业主", "\(RegisterFormat.count(n)) owners")) }
        return parts.map { $0(lang) }.joined(separator: lang == .zh ? "、" : ", ")
    }

    /// Every problem: line, column (Chinese header and API name), reason. The reason is in the
    /// reader's language; the other language's words stay in a `title` for a colleague.
    static func errorTable(_ errors: [ImportRowError], kind: ImportKind, lang: Lang) -> Node<HTML.BodyContext> {
        .div(
            .class("table-wrap"),
            .table(
                .id("import-errors"),
                .thead(
                    .tr(
                        .th(.class("num"), .text(T("行", "Line")(lang))), .th(.text(T("列", "Column")(lang))),
                        .th(.text(T("原因", "Reason")(lang))))),
                .tbody(
                    .forEach(errors) { error in
                        let label = kind.fieldLabel(error.field)
                        return .tr(
                            .td(.class("num mono"), .text("\(error.line)")),
                            .td(
                                .text(label(lang)),
                                .if(lang == .zh && label.zh != label.en, .group(.br(), .span(.class("muted mono"), .text(label.en))))),
                            .td(
                                .text(lang == .zh ? error.message : error.message_en),
                                .attribute(named: "title", value: (lang == .zh ? error.message_en : error.message).attributeSafe)))
                    })))
    }
}
