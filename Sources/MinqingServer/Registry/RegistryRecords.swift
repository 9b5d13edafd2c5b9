import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Register writes on a person: tags given and ended (history stays), help requests (求助) and
/// aid records (the ledger behind the cumulative amounts). Each write is one transaction with its
/// audit row; the person must lie inside the caller's scope.
enum RegistryRecords {
    struct TagRequest: Content { var code: String?; var starts_on: String?; var source: String? }
    struct EndTagRequest: Content { var ends_on: String? }
    struct HelpRequest: Content { var category: String?; var description: String?; var requested_on: String? }
    struct AidRequest: Content {
        var programme: String?; var kind: String?; var amount_fen: Int64?; var quantity: Int64?; var unit: String?
        var minutes: Int64?; var description: String?; var given_on: String?; var help_request_id: UUID?
    }
    struct Created: Content { var id: UUID }

    static let sources: Set<String> = ["manual", "visit", "import", "self_report", "system"]

    struct Target { var person: PersonID; var household: HouseholdID; var node: UUID; var subdistrict: UUID? }

    /// The person inside the caller's scope, with where their rows go.
    static func target(_ id: PersonID?, actor: Actor, on db: any Database) async throws -> Target {
        guard let id, let found = try await RegistryQueries.recordTarget(id, actor: actor, on: db) else {
            throw AppError.notFound("居民不存在或不在您的管辖范围内", "No such person in your scope")
        }
        return found
    }

    static func date(_ raw: String?, field: String, default value: CivilDate, into problems: inout [FieldError]) -> CivilDate {
        guard let raw, !raw.isEmpty else { return value }
        if let date = try? CivilDate(parsing: raw) { return date }
        problems.append(FieldError(field: field, messageZH: "请填写有效的日期（年-月-日）", messageEN: "Enter a real date (year-month-day)"))
        return value
    }

    static func addTag(_ body: TagRequest, person: PersonID?, writer: WriteContext, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        let target = try await target(person, actor: actor, on: db)
        var problems: [FieldError] = []
        let today = CivilDate.today(now: writer.now)
        let start = date(body.starts_on, field: "starts_on", default: today, into: &problems)
        let source = body.source ?? "manual"
        if !sources.contains(source) {
            problems.append(
                FieldError(
                    field: "source", messageZH: "来源无效，可选：\(sources.sorted().joined(separator: ", "))",
                    messageEN: "Unknown source; one of \(sources.sorted().joined(separator: ", "))"))
        }
        // The tag by its code or by its name (a person types 独居老人, not id.elderly.alone).
        var chosen: (id: UUID, code: String)?
        switch try await visibleTag(named: body.code ?? "", role: actor.role, on: db) {
        case .tag(let id, let code): chosen = (id, code)
        case .ambiguous:
            problems.append(
                FieldError(
                    field: "code", messageZH: "有多个标签叫这个名称，请从标签列表中选择",
                    messageEN: "Several tags have this name; choose one from the tag list"))
        case .unknown: problems.append(FieldError(field: "code", messageZH: "未知标签，请从标签列表中选择", messageEN: "Unknown tag; choose one from the tag list"))
        }
        guard problems.isEmpty, let chosen else { throw AppError.validation(problems) }
        let (tag, code) = chosen
        // One current assignment per tag and person: a second is refused, not duplicated.
        let id = try await db.write { db in
            try await insertTag(target, tagID: tag, code: code, start: start, source: source, today: today, by: writer, on: db)
        }
        return id
    }

    static func endTag(_ body: EndTagRequest, person: PersonID?, assignment: UUID?, writer: WriteContext, on db: any Database) async throws {
        let target = try await target(person, actor: writer.actor, on: db)
        var problems: [FieldError] = []
        let end = date(body.ends_on, field: "ends_on", default: CivilDate.today(now: writer.now), into: &problems)
        guard problems.isEmpty else { throw AppError.validation(problems) }
        guard let assignment else { throw AppError.notFound() }
        try await db.write { db in
            try await endTagAssignment(target, assignment: assignment, end: end, by: writer, on: db)
        }
    }

    static func addHelpRequest(_ body: HelpRequest, person: PersonID?, writer: WriteContext, on db: any Database) async throws -> UUID {
        let target = try await target(person, actor: writer.actor, on: db)
        var problems: [FieldError] = []
        let category = (body.category ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let text = (body.description ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !(1...40).contains(category.count) {
            problems.append(
                FieldError(field: "category", messageZH: "请选择或填写求助类别（最多 40 字）", messageEN: "Choose or write the kind of help (at most 40 characters)")
            )
        }
        if !(1...2000).contains(text.count) {
            problems.append(
                FieldError(field: "description", messageZH: "请填写求助内容（最多 2000 字）", messageEN: "Say what help is needed (at most 2,000 characters)"))
        }
        let on = date(body.requested_on, field: "requested_on", default: CivilDate.today(now: writer.now), into: &problems)
        guard problems.isEmpty else { throw AppError.validation(problems) }
        let id = try await db.write { db in
            try await insertHelpRequest(target, category: category, description: text, requestedOn: on, by: writer, on: db)
        }
        return id
    }

    /// An aid record: cash needs `amount_fen` > 0, in kind `quantity` > 0 and a `unit`, a service
    /// `minutes` > 0; the other amount fields must be absent, so the ledger never mixes units.
    static func addAid(_ body: AidRequest, person: PersonID?, writer: WriteContext, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        let target = try await target(person, actor: actor, on: db)
        var problems: [FieldError] = []
        let programme = (body.programme ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !(1...60).contains(programme.count) {
            problems.append(
                FieldError(field: "programme", messageZH: "请填写救助项目名称（最多 60 字）", messageEN: "Name the aid programme (at most 60 characters)"))
        }
        let kind = AidKind(rawValue: body.kind ?? "")
        let unit = (body.unit ?? "").trimmingCharacters(in: .whitespaces)
        switch kind {
        case .cash?:
            if !AidAmountRange.fen.contains(body.amount_fen ?? 0) {
                problems.append(
                    FieldError(
                        field: "amount_fen", messageZH: "现金金额须在 0.01 元到 100 万元之间",
                        messageEN: "A cash amount must be from ¥0.01 to ¥1,000,000"))
            }
            if body.quantity != nil || body.minutes != nil || !unit.isEmpty {
                problems.append(
                    FieldError(field: "kind", messageZH: "现金救助只填金额，不填数量、单位或时长", messageEN: "Cash aid takes an amount only, no quantity, unit or time")
                )
            }
        case .inKind?:
            if !AidAmountRange.quantity.contains(body.quantity ?? 0) {
                problems.append(
                    FieldError(field: "quantity", messageZH: "实物数量须为 1 到 1,000,000", messageEN: "In-kind aid needs a quantity from 1 to 1,000,000"))
            }
            if unit.isEmpty {
                problems.append(FieldError(field: "unit", messageZH: "实物须填单位（如 袋、桶、件）", messageEN: "In-kind aid needs a unit (bag, bottle, piece…)"))
            }
            if unit.count > 10 {
                problems.append(FieldError(field: "unit", messageZH: "单位最多 10 个字", messageEN: "The unit may have at most 10 characters"))
            }
            if body.amount_fen != nil || body.minutes != nil {
                problems.append(
                    FieldError(
                        field: "kind", messageZH: "实物救助只填数量和单位，不填金额或时长", messageEN: "In-kind aid takes a quantity and a unit only, no amount or time")
                )
            }
        case .service?:
            if !AidAmountRange.minutes.contains(body.minutes ?? 0) {
                problems.append(
                    FieldError(field: "minutes", messageZH: "服务时长须为 1 到 100,000 分钟", messageEN: "A service needs a time from 1 to 100,000 minutes"))
            }
            if body.amount_fen != nil || body.quantity != nil || !unit.isEmpty {
                problems.append(
                    FieldError(field: "kind", messageZH: "服务救助只填时长，不填金额、数量或单位", messageEN: "A service takes a time only, no amount, quantity or unit")
                )
            }
        case nil:
            problems.append(FieldError(field: "kind", messageZH: "请选择救助类型：现金、实物或服务", messageEN: "Choose the kind of aid: cash, in kind or a service"))
        }
        let given = date(body.given_on, field: "given_on", default: CivilDate.today(now: writer.now), into: &problems)
        if let help = body.help_request_id {
            let n = try await RegistryQueries.helpRequestCount(help, person: target.person, on: db)
            if n == 0 {
                problems.append(FieldError(field: "help_request_id", messageZH: "该居民没有这条求助", messageEN: "No such help request for this person"))
            }
        }
        guard problems.isEmpty, let kind else { throw AppError.validation(problems) }
        let id = UUID()
        let now = writer.now
        let address = writer.address
        let description = (body.description ?? programme).trimmingCharacters(in: .whitespacesAndNewlines)
        let storedUnit: String? = kind == .inKind ? unit : nil
        try await db.write { db in
            try await RegistryQueries.insertAid(
                id, target: target, helpRequest: body.help_request_id, programme: programme, kind: kind,
                amountFen: body.amount_fen, quantity: body.quantity, unit: storedUnit, minutes: body.minutes,
                description: String(description.prefix(500)), givenOn: given, recordedBy: actor.username,
                now: now, on: db)
            try await AidProgrammeQueries.ensure(programme, now: now, on: db)
            try await AidRollupQueries.add(
                node: target.node, programme: programme, kind: kind, unit: storedUnit, givenOn: given,
                fen: body.amount_fen, quantity: body.quantity, minutes: body.minutes, on: db)
            try await AuditLog.append(
                AuditEntry(
                    action: "aid.recorded", actorID: actor.accountID, actorName: actor.username,
                    targetType: "person", targetID: target.person.uuidString,
                    detail: ["aid": id.uuidString, "kind": kind.rawValue, "programme": programme], clientAddress: address), at: now, on: db)
        }
        return id
    }
}

/// Routes for register records on a person.
struct RegistryRecordsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let person = routes.grouped("api", "v1", "registry", "persons", ":id")
            .grouped(RequireSignIn(), RequireRole(RegistryController.readers))
        person.post("tags", use: addTag)
        person.post("tags", ":assignment", "end", use: endTag)
        person.post("help-requests", use: addHelp)
        person.post("aid", use: addAid)
        person.post("departure", use: departure)
    }

    @Sendable func addTag(req: Request) async throws -> Response {
        let id = try await RegistryRecords.addTag(
            try req.content.decode(RegistryRecords.TagRequest.self),
            person: Self.person(req), writer: try req.writeContext(), on: req.db)
        return try await RegistryRecords.Created(id: id).encodeResponse(status: .created, for: req)
    }

    /// The person named by the path, if the path holds a UUID (`RegistryRecords.target` answers 404 otherwise).
    static func person(_ req: Request) -> PersonID? {
        req.parameters.get("id", as: UUID.self).map { PersonID($0) }
    }

    @Sendable func endTag(req: Request) async throws -> HTTPStatus {
        try await RegistryRecords.endTag(
            try req.content.decode(RegistryRecords.EndTagRequest.self), person: Self.person(req),
            assignment: req.parameters.get("assignment", as: UUID.self), writer: try req.writeContext(), on: req.db)
        return .noContent
    }

    @Sendable func addHelp(req: Request) async throws -> Response {
        let id = try await RegistryRecords.addHelpRequest(
            try req.content.decode(RegistryRecords.HelpRequest.self),
            person: Self.person(req), writer: try req.writeContext(), on: req.db)
        return try await RegistryRecords.Created(id: id).encodeResponse(status: .created, for: req)
    }

    /// The person moved out or died (`RegistryRecords.recordDeparture`).
    @Sendable func departure(req: Request) async throws -> RegistryRecords.Departed {
        try await RegistryRecords.recordDeparture(
            try req.content.decode(RegistryRecords.DepartureRequest.self), person: Self.person(req),
            writer: try req.writeContext(), on: req.db)
    }

    @Sendable func addAid(req: Request) async throws -> Response {
        let id = try await RegistryRecords.addAid(
            try req.content.decode(RegistryRecords.AidRequest.self),
            person: Self.person(req), writer: try req.writeContext(), on: req.db)
        return try await RegistryRecords.Created(id: id).encodeResponse(status: .created, for: req)
    }
}

/// The tag catalogue is data: administrators and subdistrict staff add tags (a code never
/// changes once given; names may be corrected), nested under a parent of the same kind.
enum TagCatalogue {
    struct NewTag: Content {
        var code: String?; var name_zh: String?; var name_en: String?; var kind: String?; var parent: String?; var sensitive: Bool?
    }

    static func create(_ body: NewTag, writer: WriteContext, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        guard actor.role.managesAccounts else { throw AppError.forbidden }
        var problems: [FieldError] = []
        let code = (body.code ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        if !(2...64).contains(code.count) || !code.allSatisfy({ allowed.contains($0) }) || code.hasPrefix(".") || code.hasSuffix(".") {
            problems.append(
                FieldError(
                    field: "code", messageZH: "编码须为 2–64 个小写字母、数字、点、下划线或连字符",
                    messageEN: "code must be 2 to 64 lower-case letters, digits, '.', '_' or '-'"))
        }
        let zh = (body.name_zh ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let en = (body.name_en ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !(1...40).contains(zh.count) {
            problems.append(FieldError(field: "name_zh", messageZH: "中文名称须为 1–40 个字符", messageEN: "name_zh must have 1 to 40 characters"))
        }
        if !(1...80).contains(en.count) {
            problems.append(FieldError(field: "name_en", messageZH: "英文名称须为 1–80 个字符", messageEN: "name_en must have 1 to 80 characters"))
        }
        let kind = TagKind(rawValue: body.kind ?? "")
        if kind == nil {
            problems.append(
                FieldError(field: "kind", messageZH: "类别须为 identity、service 或 management", messageEN: "kind must be identity, service or management"))
        }
        var parent: RegistryQueries.Parent?
        if let raw = body.parent, !raw.isEmpty {
            parent = try await RegistryQueries.parentTag(code: raw, on: db)
            if parent == nil {
                problems.append(FieldError(field: "parent", messageZH: "上级标签不存在", messageEN: "No such parent tag"))
            } else if let kind, parent!.kind != kind {
                problems.append(FieldError(field: "parent", messageZH: "上级标签须为同一类别", messageEN: "The parent tag must be of the same kind"))
            }
        }
        guard problems.isEmpty, let kind else { throw AppError.validation(problems) }
        // A child of a sensitive tag is sensitive too (a 佛教 tag under 宗教信仰 reveals the same).
        let sensitive = (body.sensitive ?? false) || (parent?.sensitive ?? false)
        let id = UUID()
        let now = writer.now
        let address = writer.address
        let parentID = parent?.id
        do {
            try await db.write { db in
                let order = try await RegistryQueries.tagCount(on: db)
                try await RegistryQueries.insertCatalogueTag(
                    id, code: code, zh: zh, en: en, kind: kind, parent: parentID, sensitive: sensitive,
                    order: order, now: now, on: db)
                try await AuditLog.append(
                    AuditEntry(
                        action: "tag.created", actorID: actor.accountID, actorName: actor.username,
                        targetType: "tag", targetID: code, detail: ["kind": kind.rawValue, "sensitive": String(sensitive)],
                        clientAddress: address), at: now, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw AppError.validation("code", zh: "该编码已被使用", en: "The code is taken")
        }
        return id
    }
}

/// `POST /api/v1/registry/tags`.
struct TagCatalogueController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped("api", "v1", "registry", "tags").grouped(RequireSignIn(), RequireRole(.admin, .subdistrictStaff))
            .post(use: create)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let id = try await TagCatalogue.create(try req.content.decode(TagCatalogue.NewTag.self), writer: try req.writeContext(), on: req.db)
        return try await RegistryRecords.Created(id: id).encodeResponse(status: .created, for: req)
    }
}
