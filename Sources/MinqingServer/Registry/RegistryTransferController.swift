import Fluent
import Foundation
import MinqingDomain
import Vapor

/// JSON/CSV API of register import and export (导入导出), inside the caller's subtree.
///
/// - `POST /api/v1/registry/import/persons?dry_run=true|false&encoding=auto|utf-8|gb18030`: the
///   CSV file as the body (`text/csv`, up to 64 MB), or JSON `{"csv": "…"}`. Answers
///   `{"dry_run","encoding","rows","households","errors":[{"line","field","message","message_en"}]}`:
///   200 for a clean dry run, 201 when written, 422 when anything is wrong (nothing written).
///   `dry_run` defaults to true, so a client that forgets it writes nothing.
/// - `POST /api/v1/registry/import/tags?…`: tag assignments (person by ID number, tag by code or
///   name, start, end, source), the same way.
/// - `POST /api/v1/registry/import/households?…`: households (building group, address, optional
///   dwelling by unit and room, optional head), the same way.
/// - `POST /api/v1/registry/import/dwellings?…`: dwellings with compound, building, unit, room,
///   areas in m² (stored as cm²), flags and owners (one owner a row), the same way.
/// - `GET /api/v1/registry/export/persons?node=CODE&lang=zh|en`: masked CSV.
/// - `GET /api/v1/registry/export/dwellings?node=CODE&lang=zh|en`: dwellings and owners, masked CSV.
/// - `POST /api/v1/registry/export/persons` `{"node","plain","purpose","purpose_detail","lang"}`:
///   plain numbers for roles that may reveal them, with a stated purpose.
/// The files are in `lang` when given, else in the caller's language (`Request.fileLang`).
struct RegistryTransferController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let registry = routes.grouped("api", "v1", "registry").grouped(RequireSignIn(), RequireRole(RegistryController.readers))
        registry.on(.POST, "import", "persons", body: .collect(maxSize: "64mb"), use: importPersons)
        registry.on(.POST, "import", "tags", body: .collect(maxSize: "64mb"), use: importTags)
        registry.on(.POST, "import", "households", body: .collect(maxSize: "64mb"), use: importHouseholds)
        registry.on(.POST, "import", "dwellings", body: .collect(maxSize: "64mb"), use: importDwellings)
        registry.get("export", "persons", use: exportMasked)
        registry.post("export", "persons", use: export)
        registry.get("export", "dwellings", use: exportDwellings)
    }

    struct TextBody: Decodable { var csv: String }

    @Sendable func importPersons(req: Request) async throws -> Response {
        try await Self.runImport(req, ImportChecks.audited(PersonImport.run, kind: "persons"))
    }

    @Sendable func importTags(req: Request) async throws -> Response {
        try await Self.runImport(req, ImportChecks.audited(TagAssignmentImport.run, kind: "tags"))
    }

    @Sendable func importHouseholds(req: Request) async throws -> Response {
        try await Self.runImport(req, ImportChecks.audited(HouseholdImport.run, kind: "households"))
    }

    @Sendable func importDwellings(req: Request) async throws -> Response {
        try await Self.runImport(req, ImportChecks.audited(DwellingImport.run, kind: "dwellings"))
    }

    typealias Importer = @Sendable (ImportInput, Bool, RegisterAuthority, PIIVault, Date, any Database) async throws -> ImportReport

    /// Reads the options and the body, runs `importer`, answers 200 (clean dry run), 201 (written)
    /// or 422 (problems; nothing written).
    static func runImport(_ req: Request, _ importer: Importer) async throws -> Response {
        let actor = try req.requireActor()
        let dryRun = try flag(req.query[String.self, at: "dry_run"], field: "dry_run", default: true)
        let input: ImportInput
        if req.headers.contentType == .json {
            input = .text(try req.content.decode(TextBody.self).csv)
        } else {
            // The query names the encoding; else a charset on the content type that we know; else auto.
            let encoding: ImportEncoding
            if let named = req.query[String.self, at: "encoding"] {
                guard let chosen = ImportEncoding(option: named) else { throw AppError.validation([ImportEncoding.optionError]) }
                encoding = chosen
            } else {
                encoding = req.headers.contentType?.parameters["charset"].flatMap(ImportEncoding.init(option:)) ?? .auto
            }
            input = .bytes(req.body.data.map { Array($0.readableBytesView) } ?? [], encoding)
        }
        let report = try await importer(input, dryRun, .actor(actor, clientAddress: req.clientAddress), req.services.vault, req.now, req.db)
        let status: HTTPResponseStatus = !report.errors.isEmpty ? .unprocessableEntity : (report.written ? .created : .ok)
        return try await report.encodeResponse(status: status, for: req)
    }

    @Sendable func exportMasked(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        return try await Self.respond(
            req, actor: actor, node: req.query[String.self, at: "node"], plain: false, purpose: nil, lang: req.fileLang)
    }

    /// Dwellings with their owners inside a node, owners' numbers masked.
    @Sendable func exportDwellings(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let result = try await DwellingExport.export(
            node: req.query[String.self, at: "node"], lang: req.fileLang,
            authority: .actor(actor, clientAddress: req.clientAddress), now: req.now, on: req.db)
        return Self.csvResponse(result.csv, name: "dwellings", node: result.nodeCode)
    }

    /// `text/csv` as an attachment named `<kind>-<node>.csv`, never cached.
    static func csvResponse(_ csv: String, name kind: String, node: String?) -> Response {
        let name = (node ?? "all").filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(kind)-\(name).csv\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: csv))
    }

    struct ExportRequest: Content {
        var node: String?
        var plain: Bool?
        var purpose: String?
        var purpose_detail: String?
        var lang: String?
    }

    @Sendable func export(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let body = try req.content.decode(ExportRequest.self)
        let plain = body.plain ?? false
        if plain, !actor.role.mayRevealPersonalNumbers { throw AppError.forbidden }
        let stated = plain ? try StatedPurpose.required(purpose: body.purpose, detail: body.purpose_detail) : nil
        return try await Self.respond(
            req, actor: actor, node: body.node, plain: plain, purpose: stated, lang: Lang(option: body.lang) ?? req.fileLang)
    }

    static func respond(_ req: Request, actor: Actor, node: String?, plain: Bool, purpose: StatedPurpose?, lang: Lang) async throws -> Response {
        let result = try await PersonExport.export(
            node: node, plain: plain, purpose: purpose, lang: lang,
            authority: .actor(actor, clientAddress: req.clientAddress),
            vault: req.services.vault, now: req.now, on: req.db)
        return csvResponse(result.csv, name: "persons", node: result.nodeCode)
    }

    /// `true`/`false` (also `1`/`0`, `yes`/`no`), or `fallback` when absent.
    static func flag(_ raw: String?, field: String, default fallback: Bool) throws -> Bool {
        guard let raw else { return fallback }
        switch raw.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default:
            throw AppError.validation(field, zh: "\(field) 须为 true 或 false", en: "\(field) must be true or false")
        }
    }
}
