import Fluent
import Foundation
import MinqingDomain
import Vapor

/// The import wizard (导入向导), for the roles that write the register:
///
/// 1. `GET /registry/import`: choose the kind of file (households, residents, dwellings, tag
///    assignments), pick the CSV file and its encoding; templates at `GET /registry/import/template/{kind}`.
/// 2. `POST /registry/import` (multipart): the dry run. Every bad row is listed with its line,
///    column and reason; a clean file is kept in the sealed upload store (`ImportUploads`) under a
///    random token bound to the account, and the page asks for the confirmation. The file's
///    content never goes back to the browser.
/// 3. `POST /registry/import/confirm` (the token): the real run, all rows or none, inside the
///    caller's scope as it is at that moment; the page says what was written.
struct RegistryImportPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireSignIn(), RequireRole(RegistryController.readers))
        pages.get(.registry(.import), use: start)
        pages.on(.POST, SiteURL.registry(.import).components, body: .collect(maxSize: ByteCount(value: CSRFMiddleware.maxUploadBody)), use: upload)
        pages.post(.registry(.importConfirm), use: confirm)
        pages.get(.registry(.importTemplate(.key)), use: template)
    }

    @Sendable func start(req: Request) async throws -> Response {
        _ = try req.requireActor()
        let kind = req.query[String.self, at: "kind"].flatMap(ImportKind.init(rawValue:))
        return ImportViews.start(.init(kind: kind), ctx: req.pageContext)
    }

    struct UploadForm: Content {
        var kind: String?
        var encoding: String?
        var file: File?
    }

    @Sendable func upload(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        // A form that is not multipart (or is damaged) reads as an empty one: every field is named.
        let form = (try? req.content.decode(UploadForm.self)) ?? UploadForm()
        var problems: [FieldError] = []
        let kind = ImportKind(rawValue: form.kind ?? "")
        if kind == nil {
            problems.append(FieldError(field: "kind", messageZH: "请选择要导入的数据类型", messageEN: "Choose what the file holds"))
        }
        let encoding = ImportEncoding(option: form.encoding ?? "auto")
        if encoding == nil { problems.append(ImportEncoding.optionError) }
        let bytes = form.file.map { Array($0.data.readableBytesView) } ?? []
        if bytes.isEmpty {
            problems.append(FieldError(field: "file", messageZH: "请选择要导入的 CSV 文件", messageEN: "Choose the CSV file to import"))
        } else if bytes.count > ImportUploads.maxBytes {
            problems.append(
                FieldError(
                    field: "file", messageZH: "文件超过 \(ImportUploads.maxBytes >> 20) MB：请分成几个文件，或在服务器上用命令行导入",
                    messageEN:
                        "The file is larger than \(ImportUploads.maxBytes >> 20) MB: split it, or import it with the command line on the server"))
        }
        let fileName = Self.displayName(form.file?.filename)
        guard problems.isEmpty, let kind, let encoding else {
            return ImportViews.start(
                .init(kind: kind, encoding: encoding ?? .auto, errors: problems), ctx: req.pageContext,
                status: .unprocessableEntity)
        }
        let authority = RegisterAuthority.actor(actor, clientAddress: req.clientAddress)
        let report = try await kind.importer(.bytes(bytes, encoding), true, authority, req.services.vault, req.now, req.db)
        var model = ImportViews.Result(kind: kind, fileName: fileName, report: report)
        if report.errors.isEmpty {
            // The real run reads the file the way the dry run did.
            let used = report.encoding.flatMap(ImportEncoding.init(rawValue:)) ?? encoding
            model.token = try await ImportUploads.store(
                bytes, kind: kind, encoding: used, fileName: fileName, rows: report.rows,
                account: actor.accountID, vault: req.services.vault, now: req.now, on: req.db)
            return ImportViews.checked(model, ctx: req.pageContext)
        }
        return ImportViews.checked(model, ctx: req.pageContext, status: .unprocessableEntity)
    }

    struct ConfirmForm: Content { var token: String? }

    @Sendable func confirm(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let form = try req.content.decode(ConfirmForm.self)
        guard
            let pending = try await ImportUploads.take(
                token: form.token ?? "", account: actor.accountID,
                vault: req.services.vault, now: req.now, on: req.db)
        else {
            return ImportViews.expired(ctx: req.pageContext)
        }
        let authority = RegisterAuthority.actor(actor, clientAddress: req.clientAddress)
        var model = ImportViews.Result(kind: pending.kind, fileName: pending.fileName)
        do {
            model.report = try await pending.kind.importer(
                .bytes(pending.bytes, pending.encoding), false, authority,
                req.services.vault, req.now, req.db)
        } catch let error as AppError where error.status == .conflict {
            model.failure = error
            return ImportViews.done(model, ctx: req.pageContext, status: .conflict)
        }
        let written = model.report?.written ?? false
        return ImportViews.done(model, ctx: req.pageContext, status: written ? .ok : .unprocessableEntity)
    }

    /// The empty template of a kind: its header line in the caller's language, required columns starred.
    @Sendable func template(req: Request) async throws -> Response {
        _ = try req.requireActor()
        guard let kind = ImportKind(rawValue: req.parameters.get("kind") ?? "") else {
            throw AppError.notFound("没有这种导入模板", "No such import template")
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(kind.rawValue)-template.csv\"")
        return Response(status: .ok, headers: headers, body: .init(string: kind.template(req.fileLang)))
    }

    /// The uploaded file's name as the pages show it: the last path component, at most 80
    /// characters; "upload.csv" when the browser sent none.
    static func displayName(_ raw: String?) -> String {
        let name = (raw ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? "upload.csv" : String(trimmed.prefix(80))
    }
}
