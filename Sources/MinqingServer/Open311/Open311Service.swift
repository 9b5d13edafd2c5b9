import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Open311 writes: issuing and revoking clients' API keys, and `POST requests` handed to the
/// one intake (`CasesService.submit`) as the client, with the service's attribute answers in the
/// same transaction.
enum Open311Service {
    /// Issues a key for a client of one jurisdiction; the key is returned once and only its hash is kept.
    static func issueKey(
        name rawName: String, jurisdiction: UUID, by actorName: String, actorID: UUID?, now: Date,
        on db: any Database
    ) async throws -> (client: Open311ClientRecord, key: String) {
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 100, !name.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) else {
            throw AppError.validation("name", zh: "客户端名称须为 1 至 100 个字符", en: "The client name has 1 to 100 characters")
        }
        let key = Secrets.token()
        let id = UUID()
        try await db.write { db in
            if try await Open311Queries.clientID(name: name, jurisdiction: jurisdiction, on: db) != nil {
                throw AppError(
                    .conflict, code: "name_taken", zh: "该辖区已有同名客户端", en: "This jurisdiction already has a client of that name",
                    fields: [FieldError(field: "name", messageZH: "名称已被使用", messageEN: "The name is taken")])
            }
            try await Open311Queries.insertClient(
                id: id, jurisdiction: jurisdiction, name: name, keyHash: Secrets.hash(key), keyHint: String(key.prefix(6)),
                createdBy: actorName, at: now, on: db)
            try await AuditLog.append(
                AuditEntry(
                    action: "open311.key_issued", actorID: actorID, actorName: actorName, targetType: "open311_client",
                    targetID: id.uuidString, detail: ["name": name]), at: now, on: db)
        }
        let code = try await Open311Queries.nodeCode(jurisdiction, on: db) ?? ""
        return (
            Open311ClientRecord(
                id: id, name: name, jurisdiction_id: code, key_hint: String(key.prefix(6)), created_by: actorName,
                created_at: now, revoked_at: nil), key
        )
    }

    /// Revokes a client's key: one conditional UPDATE inside `scope`; 404 outside it, 409 when already revoked.
    static func revoke(_ id: UUID, scope: GridScope, by actorName: String, actorID: UUID?, now: Date, on db: any Database) async throws {
        try await db.write { db in
            guard let row = try await Open311Queries.client(id, in: scope, on: db) else {
                throw AppError.notFound("客户端不存在或不在您的范围内", "No such client in your scope")
            }
            guard row.revokedAt == nil else { throw AppError.conflict("该密钥已停用", "This key is already revoked") }
            try await Open311Queries.revokeClient(id, at: now, on: db)
            try await AuditLog.append(
                AuditEntry(
                    action: "open311.key_revoked", actorID: actorID, actorName: actorName, targetType: "open311_client",
                    targetID: id.uuidString), at: now, on: db)
        }
    }

    /// Open311's names for the intake's fields, for error messages.
    static let wireName = [
        "category_code": "service_code", "address": "address_string", "submitter_email": "email", "submitter_phone": "phone",
        "submitter_name": "first_name", "client_account_id": "account_id", "node": "jurisdiction_id"
    ]

    /// `POST requests`: the form's fields (already parsed, repeated keys kept) from an authenticated
    /// client. Returns the case number and the service's notice.
    static func submit(
        form: [String: [String]], client: Open311Queries.Client, services: AppServices, now: Date, clientAddress: String,
        on db: any Database
    ) async throws -> (number: String, notice: String) {
        func value(_ name: String) -> String? { form[name]?.first?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty }
        guard let code = value("service_code") else { throw Open311Error.missing("service_code") }
        guard let service = try await Open311Queries.services(code: code, on: db).first else { throw Open311Error.notFound("service_code") }
        var problems: [FieldError] = []
        var lat: Double?, long: Double?
        switch (value("lat"), value("long")) {
        case (nil, nil): break
        case let (a?, b?):
            lat = Double(a); long = Double(b)
            if lat == nil || long == nil {
                problems.append(FieldError(field: "lat", messageZH: "经纬度须为数字", messageEN: "lat and long must be numbers"))
            }
        default:
            problems.append(
                FieldError(
                    field: value("lat") == nil ? "lat" : "long", messageZH: "lat 与 long 须同时给出",
                    messageEN: "lat and long must both be sent"))
        }
        if value("lat") == nil && value("address_string") == nil && value("address_id") == nil {
            problems.append(
                FieldError(
                    field: "address_string", messageZH: "须给出位置：lat 与 long、address_string 或 address_id 之一",
                    messageEN: "A location is required: lat and long, address_string or address_id"))
        }
        var answers: [String: [String]] = [:]
        for (key, values) in form where key.hasPrefix("attribute[") {
            // attribute[CODE] or attribute[CODE][] (a multivaluelist).
            var inner = key.dropFirst("attribute[".count)
            if inner.hasSuffix("[]") { inner = inner.dropLast(2) }
            guard inner.hasSuffix("]") else { continue }
            answers[String(inner.dropLast()), default: []].append(contentsOf: values)
        }
        var stored: [String: String] = [:]
        switch Open311.checkAttributes(answers, against: try await Open311Queries.attributes(of: code, on: db)) {
        case .success(let values): stored = values
        case .failure(let failure):
            problems += failure.problems.map { FieldError(field: $0.field, messageZH: $0.messageZH, messageEN: $0.messageEN) }
        }
        if !problems.isEmpty { throw AppError.validation(problems) }
        let name = [value("first_name"), value("last_name")].compactMap { $0 }.joined(separator: " ").nilIfEmpty
        let input = CaseIntakeInput(
            channel: CaseChannel.app.rawValue, category_code: code, title: nil,
            description: value("description") ?? service.name_zh, node: nil, compound_id: nil, household_id: nil,
            address: value("address_string"), address_id: value("address_id"), lat: lat, long: long,
            media_url: value("media_url"), submitter_name: name, submitter_email: value("email"),
            submitter_phone: value("phone"), device_id: value("device_id"), client_account_id: value("account_id"))
        let answersToStore = stored
        let result = try await CasesService.submit(
            input, by: .client(name: client.name, jurisdiction: client.subdistrict_id), services: services,
            now: now, address: clientAddress, on: db
        ) { caseID, db in
            try await Open311Queries.insertAttributeAnswers(case: caseID, answersToStore, on: db)
        }
        let limit = (try? CaseTimeLimit(parsing: service.limit_handle)) ?? CaseTimeLimit.fallback
        let notice = "已受理，\(service.department_zh.map { "由\($0)" } ?? "")在 \(limit.nameZH)内处置 / Accepted; to be handled within \(limit.nameEN)"
        return (result.number, notice)
    }
}

/// An error in Open311's terms: the status and the description the client shows.
struct Open311Error: Error, Sendable {
    var status: HTTPResponseStatus
    var descriptions: [String]

    static func missing(_ field: String) -> Open311Error {
        Open311Error(status: .badRequest, descriptions: ["\(field) was not provided / 缺少 \(field)"])
    }
    static func notFound(_ field: String) -> Open311Error {
        Open311Error(status: .notFound, descriptions: ["\(field) not found / 找不到 \(field)"])
    }
    static let badKey = Open311Error(status: .forbidden, descriptions: ["Missing or invalid api_key / api_key 缺失或无效"])
    static let wrongJurisdiction = Open311Error(
        status: .forbidden, descriptions: ["The api_key is not valid for this jurisdiction_id / 该 api_key 不适用于此辖区"])
}
