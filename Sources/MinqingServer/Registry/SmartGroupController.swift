import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// JSON API of smart groups: preview, save, list, members, CSV export (masked).
struct SmartGroupController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let groups = routes.grouped("api", "v1", "registry", "smart-groups")
            .grouped(RequireSignIn(), RequireRole(RegistryController.readers))
        groups.post("preview", use: preview)
        groups.get(use: list)
        groups.post(use: save)
        groups.get(":id", "members", use: members)
        groups.post(":id", "members", use: membersWithPurpose)
        groups.get(":id", "export", use: export)
        groups.post(":id", "export", use: exportWithPurpose)
    }

    struct PreviewRequest: Content { var criteria: SmartGroupQueries.Criteria; var purpose: String?; var purpose_detail: String? }
    struct PurposeRequest: Content { var purpose: String?; var purpose_detail: String? }

    /// A stated purpose when the request carries one (a selection by a sensitive tag needs it).
    static func purpose(_ purpose: String?, _ detail: String?) throws -> StatedPurpose? {
        guard purpose != nil || detail != nil else { return nil }
        return try StatedPurpose.required(purpose: purpose, detail: detail)
    }

    static func writer(_ req: Request) throws -> WriteContext {
        try req.writeContext()
    }

    @Sendable func preview(req: Request) async throws -> SmartGroupQueries.Page {
        let actor = try req.requireActor()
        let body = try req.content.decode(PreviewRequest.self)
        return try await SmartGroupQueries.read(
            body.criteria, actor: actor, purpose: try Self.purpose(body.purpose, body.purpose_detail),
            group: nil, limit: try Paging.limit(req), offset: try Paging.offset(req),
            writer: try Self.writer(req), on: req.db)
    }

    struct SaveRequest: Content { var name: String; var criteria: SmartGroupQueries.Criteria }
    struct GroupView: Content { var id: UUID; var name: String; var criteria: SmartGroupQueries.Criteria; var created_by: String }

    @Sendable func save(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let body = try req.content.decode(SaveRequest.self)
        let name = body.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...60).contains(name.count) else {
            throw AppError.validation("name", zh: "名称须为 1–60 个字符", en: "The name must have 1 to 60 characters")
        }
        let (_, scope) = try await SmartGroupQueries.compile(body.criteria, actor: actor, today: CivilDate.today(now: req.now), on: req.db)
        // Stored over tag codes, whether the expression named its tags by code or by name.
        let criteria = try await SmartGroupQueries.stored(body.criteria, role: actor.role, on: req.db)
        let id = try await SmartGroupQueries.save(name: name, criteria: criteria, scope: scope, actor: actor, request: req)
        return try await GroupView(id: id, name: name, criteria: criteria, created_by: actor.username).encodeResponse(status: .created, for: req)
    }

    /// Saved groups whose node lies inside the caller's scope.
    @Sendable func list(req: Request) async throws -> [GroupView] {
        let actor = try req.requireActor()
        return try await Self.groups(actor: actor, id: nil, on: req.db)
    }

    static func groups(actor: Actor, id: UUID?, on db: any Database) async throws -> [GroupView] {
        let rows = try await SmartGroupQueries.saved(actor: actor, id: id, on: db)
        return rows.compactMap { row in
            guard let criteria = try? JSONDecoder().decode(SmartGroupQueries.Criteria.self, from: Data(row.criteria.utf8)) else { return nil }
            return GroupView(id: row.id, name: row.name, criteria: criteria, created_by: row.created_by)
        }
    }

    static func group(_ req: Request, actor: Actor) async throws -> GroupView {
        guard let id = req.parameters.get("id", as: UUID.self),
            let group = try await groups(actor: actor, id: id, on: req.db).first
        else {
            throw AppError.notFound("分组不存在或不在您的管辖范围内", "No such smart group in your scope")
        }
        return group
    }

    /// The members of a group; a group by a sensitive tag answers `purpose_required` here (read
    /// it with `POST …/members` and a stated purpose).
    @Sendable func members(req: Request) async throws -> SmartGroupQueries.Page {
        let actor = try req.requireActor()
        let group = try await Self.group(req, actor: actor)
        return try await SmartGroupQueries.read(
            group.criteria, actor: actor, purpose: nil, group: group.id,
            limit: try Paging.limit(req), offset: try Paging.offset(req),
            writer: try Self.writer(req), on: req.db)
    }

    @Sendable func membersWithPurpose(req: Request) async throws -> SmartGroupQueries.Page {
        let actor = try req.requireActor()
        let group = try await Self.group(req, actor: actor)
        let body = try req.content.decode(PurposeRequest.self)
        return try await SmartGroupQueries.read(
            group.criteria, actor: actor,
            purpose: try StatedPurpose.required(purpose: body.purpose, detail: body.purpose_detail),
            group: group.id, limit: try Paging.limit(req), offset: try Paging.offset(req),
            writer: try Self.writer(req), on: req.db)
    }

    /// The whole group as CSV (UTF-8 with BOM, masked numbers), audited as an export. A group by
    /// a sensitive tag needs `POST …/export` with a stated purpose. In `?lang=zh|en`, else the
    /// caller's language (`Request.fileLang`): Chinese headers and labels, or English column names
    /// and the API's words.
    @Sendable func export(req: Request) async throws -> Response {
        try await exportCSV(req, purpose: nil)
    }

    @Sendable func exportWithPurpose(req: Request) async throws -> Response {
        let body = try req.content.decode(PurposeRequest.self)
        return try await exportCSV(req, purpose: try StatedPurpose.required(purpose: body.purpose, detail: body.purpose_detail))
    }

    func exportCSV(_ req: Request, purpose: StatedPurpose?) async throws -> Response {
        let actor = try req.requireActor()
        let group = try await Self.group(req, actor: actor)
        if try await SmartGroupQueries.isSensitive(group.criteria, role: actor.role, on: req.db), purpose == nil {
            throw SmartGroupQueries.purposeRequired
        }
        let today = CivilDate.today(now: req.now)
        let lang = req.fileLang
        var rows: [[String]] = []
        var offset = 0
        while true {
            let page = try await SmartGroupQueries.members(group.criteria, actor: actor, today: today, limit: 500, offset: offset, on: req.db)
            rows += page.items.map { Self.csvRow($0, lang: lang) }
            offset += page.items.count
            if page.items.count < 500 || offset >= 100_000 { break }
        }
        let csv = CSVTable.write(header: Self.csvHeader(fullBirthDates: actor.role.seesFullBirthDates, lang: lang), rows: rows)
        let now = req.now
        let address = req.clientAddress
        let count = rows.count
        try await req.db.write { db in
            try await AuditLog.append(
                AuditEntry(
                    action: "smart_group.exported", actorID: actor.accountID, actorName: actor.username,
                    targetType: "smart_group", targetID: group.id.uuidString,
                    detail: ["rows": String(count), "plain": "false"].merging(purpose?.auditDetail ?? [:]) { a, _ in a },
                    clientAddress: address), at: now, on: db)
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"smart-group.csv\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: csv))
    }

    /// The export's columns: `name, sex, birth_date…` in English, 姓名、性别、出生日期… in Chinese.
    static func csvHeader(fullBirthDates: Bool, lang: Lang) -> [String] {
        let birth = fullBirthDates ? T("出生日期", "birth_date") : T("出生年份", "birth_year")
        return [
            T("姓名", "name"), T("性别", "sex"), birth, T("身份证号", "id_number"), T("手机号", "phone"), T("与户主关系", "relation"),
            T("居住状态", "residence_status"), T("网格编码", "grid_code"), T("网格名称", "grid_name")
        ].map { $0(lang) }
    }

    /// A member's row: the vocabulary as Chinese labels, or as the API's words in English.
    static func csvRow(_ p: RegistryQueries.PersonRow, lang: Lang) -> [String] {
        let english = lang == .en
        return [
            p.name, english ? p.sex.rawValue : p.sex.labelZH, p.birth_date ?? String(p.birth_year), p.id_masked, p.phone_masked ?? "",
            english ? p.relation.rawValue : p.relation.nameZH, english ? p.residence_status.rawValue : p.residence_status.nameZH,
            p.grid_code, p.grid_name
        ]
    }
}
