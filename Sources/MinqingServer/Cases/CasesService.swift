import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The one intake (一口汇集): every channel's case is checked here and written in one
/// transaction with its public number, its first transition and its audit entry.
///
/// The seam for other capabilities: `CasesService.submit(_:by:services:now:on:)` (the JSON API,
/// the pages, Open311's `POST requests`) and `insert(_:on:)` inside a caller's own transaction
/// (the visit log turns a finding into a case in the visit's transaction).
enum CasesService {
    static let notFound = AppError.notFound("案件不存在或不在您的范围内", "No such case in your scope")

    /// A checked case, ready to insert.
    struct Prepared: Sendable {
        var id = UUID()
        var subdistrictID: UUID?
        var channel: CaseChannel
        var sourceRef: String?
        var categoryCode: String
        var title: String
        var description: String
        var nodeID: UUID
        var compoundID: UUID?
        var householdID: UUID?
        var address: String
        var addressID: String?
        var latE6: Int64?
        var longE6: Int64?
        var mediaURL: String?
        var submitterAccount: UUID?
        var submitterName: String?
        var submitterEmail: String?
        var phone: SealedPII?
        var deviceID: String?
        var clientAccountID: String?
        var clientName: String?
        var actorID: UUID?
        var actorName: String
        var actorRole: String
        var now: Date
    }

    /// Checks the input, resolves the place inside what the submitter may reach, and writes the case;
    /// `alsoWrite` adds the caller's rows for the new case in the same transaction (Open311's
    /// attribute answers).
    static func submit(_ input: CaseIntakeInput, by submitter: CaseSubmitter, services: AppServices, now: Date,
                       address clientAddress: String = "", on db: any Database,
                       alsoWrite: (@Sendable (UUID, any Database) async throws -> Void)? = nil) async throws -> CaseIntakeResult {
        let prepared = try await prepare(input, by: submitter, vault: services.vault, now: now, on: db)
        let result = try await db.write { db in
            let result = try await insert(prepared, on: db)
            try await alsoWrite?(result.id, db)
            try await AuditLog.append(AuditEntry(action: "case.reported", actorID: prepared.actorID, actorName: prepared.actorName,
                                                 targetType: "case", targetID: prepared.id.uuidString,
                                                 detail: ["number": result.number, "channel": prepared.channel.rawValue],
                                                 clientAddress: clientAddress), at: now, on: db)
            return result
        }
        let visibility: SQLQueryString
        switch submitter {
        case .account(let actor): visibility = CasesQueries.visible(actor)
        case .client(_, let jurisdiction): visibility = CasesQueries.publicly(subdistrict: prepared.subdistrictID ?? jurisdiction)
        }
        let duplicates = try await CasesQueries.duplicates(of: prepared.id, visibility: visibility, now: now, on: db)
        return CaseIntakeResult(id: result.id, number: result.number, token: result.token, state: CaseState.reported.rawValue, duplicates: duplicates)
    }

    /// Validates every field (all problems at once, each named in Chinese and English).
    static func prepare(_ input: CaseIntakeInput, by submitter: CaseSubmitter, vault: PIIVault, now: Date,
                        on db: any Database) async throws -> Prepared {
        var errors: [FieldError] = []
        func problem(_ field: String, _ zh: String, _ en: String) { errors.append(FieldError(field: field, messageZH: zh, messageEN: en)) }
        func text(_ value: String?, _ field: String, max: Int) -> String? {
            let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
            if let trimmed, trimmed.count > max { problem(field, "\(field) 不超过 \(max) 字", "\(field) has at most \(max) characters"); return nil }
            return trimmed
        }
        let channel = input.channel.flatMap(CaseChannel.init(rawValue:))
        if channel == nil {
            problem("channel", "请选择来源渠道（\(CaseChannel.allCases.map(\.rawValue).joined(separator: "、"))）",
                    "Choose the channel (\(CaseChannel.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let category = try await input.category_code.asyncFlatMap { try await CasesQueries.category(code: $0, on: db) }
        if category == nil || category?.parent_code == nil {
            problem("category_code", "请选择有效的小类（案件类别）", "Choose a valid sub-category (service_code)")
        }
        let description = text(input.description, "description", max: 4000)
        if description == nil { problem("description", "请描述问题", "Describe the problem") }
        let title = text(input.title, "title", max: 120)
        let address = text(input.address, "address", max: 300)
        let addressID = text(input.address_id, "address_id", max: 100)
        let mediaURL = text(input.media_url, "media_url", max: 1000)
        if let mediaURL, !(mediaURL.hasPrefix("https://") || mediaURL.hasPrefix("http://")) {
            problem("media_url", "图片链接须以 http:// 或 https:// 开头", "media_url must be an http or https address")
        }
        var latE6: Int64?, longE6: Int64?
        switch (input.lat, input.long) {
        case (nil, nil): break
        case let (lat?, long?) where (-90...90).contains(lat) && (-180...180).contains(long) && lat.isFinite && long.isFinite:
            latE6 = Int64((lat * 1_000_000).rounded())
            longE6 = Int64((long * 1_000_000).rounded())
        default:
            problem(input.lat == nil ? "lat" : "long", "经纬度须成对给出，纬度 -90 至 90，经度 -180 至 180",
                    "lat and long come together: latitude -90 to 90, longitude -180 to 180")
        }
        let name = text(input.submitter_name, "submitter_name", max: 100)
        let email = text(input.submitter_email, "submitter_email", max: 200)
        if let email, !email.contains("@") { problem("submitter_email", "邮箱格式不正确", "The email address is not valid") }
        var phone: SealedPII?
        if let phoneText = input.submitter_phone?.trimmingCharacters(in: .whitespaces).nilIfEmpty {
            do {
                let number = try MobileNumber(parsing: phoneText)
                phone = try vault.seal(number.normalized, masked: number.masked, kind: .phone)
            } catch let error as MobileNumber.Error {
                errors.append(FieldError(field: "submitter_phone", messageZH: error.messageZH, messageEN: error.messageEN))
            }
        }
        let deviceID = text(input.device_id, "device_id", max: 200)
        let clientAccountID = text(input.client_account_id, "client_account_id", max: 200)
        let sourceRef = text(input.source_ref, "source_ref", max: 200)

        // The place: a node the submitter may reach.
        struct Node: Decodable { var id: UUID; var subdistrict_id: UUID?; var name: String }
        var node: Node?
        let nodeCode = input.node?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        switch submitter {
        case .account(let actor):
            if let nodeCode {
                let reach: SQLQueryString = actor.role == .departmentHandler
                    ? "n.subdistrict_id = \(bind: actor.subdistrictID)" : actor.scope.contains(SQLColumn("id", table: "n"))
                node = try await db.sql.raw("SELECT n.id, n.subdistrict_id, n.name FROM grid_nodes n WHERE n.code = \(bind: nodeCode) AND \(reach)")
                    .first(decoding: Node.self)
                if node == nil { problem("node", "网格不存在或不在您的范围内", "No such grid node in your scope") }
            } else {
                node = try await db.sql.raw("SELECT n.id, n.subdistrict_id, n.name FROM grid_nodes n WHERE n.id = \(bind: actor.scope.rootID)")
                    .first(decoding: Node.self)
            }
        case .client(_, let jurisdiction):
            let within: SQLQueryString = "n.id IN (SELECT descendant_id FROM grid_closure WHERE ancestor_id = \(bind: jurisdiction))"
            if let nodeCode {
                node = try await db.sql.raw("SELECT n.id, n.subdistrict_id, n.name FROM grid_nodes n WHERE n.code = \(bind: nodeCode) AND \(within)")
                    .first(decoding: Node.self)
            } else {
                node = try await db.sql.raw("SELECT n.id, n.subdistrict_id, n.name FROM grid_nodes n WHERE n.id = \(bind: jurisdiction)").first(decoding: Node.self)
            }
            if node == nil { problem("node", "地点不在本辖区内", "The place is outside this jurisdiction") }
        }
        var compoundID = input.compound_id
        if let requested = compoundID, let node {
            struct C: Decodable { var id: UUID }
            let compound = try await db.sql.raw("""
                SELECT c.id FROM compounds c WHERE c.id = \(bind: requested) AND c.subdistrict_id IS NOT DISTINCT FROM \(bind: node.subdistrict_id)
                """).first(decoding: C.self)
            if compound == nil { problem("compound_id", "小区不存在或不在本街道", "No such compound in this subdistrict"); compoundID = nil }
        }
        var householdID = input.household_id
        if let requested = householdID {
            var allowed = false
            if case .account(let actor) = submitter {
                struct H: Decodable { var id: UUID }
                let reach: SQLQueryString = actor.role.isGridStaff
                    ? actor.scope.contains(SQLColumn("grid_node_id", table: "h"))
                    : "h.id IN (SELECT household_id FROM resident_households WHERE account_id = \(bind: actor.accountID))"
                allowed = try await db.sql.raw("SELECT h.id FROM households h WHERE h.id = \(bind: requested) AND \(reach)").first(decoding: H.self) != nil
            }
            if !allowed { problem("household_id", "住户不存在或不在您的范围内", "No such household in your scope"); householdID = nil }
        }
        if !errors.isEmpty { throw AppError.validation(errors) }
        guard let channel, let category, let description, let node else { throw AppError.validation(errors) }

        var prepared = Prepared(subdistrictID: node.subdistrict_id, channel: channel, sourceRef: sourceRef, categoryCode: category.code,
                                title: title ?? String(description.prefix(40)), description: description, nodeID: node.id,
                                compoundID: compoundID, householdID: householdID, address: address ?? node.name, addressID: addressID,
                                latE6: latE6, longE6: longE6, mediaURL: mediaURL, submitterName: name, submitterEmail: email, phone: phone,
                                deviceID: deviceID, clientAccountID: clientAccountID, actorName: "", actorRole: "", now: now)
        switch submitter {
        case .account(let actor):
            prepared.actorID = actor.accountID
            prepared.actorName = actor.username
            prepared.actorRole = actor.role.rawValue
            // Staff take in for somebody else; everybody else hands in as themselves.
            if !actor.role.isGridStaff {
                prepared.submitterAccount = actor.accountID
                prepared.submitterName = prepared.submitterName ?? actor.displayName
            }
        case .client(let name, _):
            prepared.clientName = name
            prepared.actorName = "open311:" + name
            prepared.actorRole = "open311_client"
        }
        return prepared
    }

    /// A visit finding as a case (channel `visit`) at the visited household, checked for the visit
    /// log's own transaction; a bad category is reported through `problem` under `field`.
    static func visitFinding(category code: String, field: String, text: String, household: UUID, node: UUID, subdistrict: UUID?,
                             actor: Actor, now: Date, on db: any Database,
                             problem: (String, String, String) -> Void) async throws -> Prepared? {
        guard let category = try await CasesQueries.category(code: code, on: db), category.parent_code != nil else {
            problem(field, "案件小类无效", "Unknown case sub-category")
            return nil
        }
        struct Address: Decodable { var address: String? }
        let address = try await db.sql.raw("SELECT address FROM households WHERE id = \(bind: household)").first(decoding: Address.self)?.address
        return Prepared(subdistrictID: subdistrict, channel: .visit, categoryCode: category.code, title: String(text.prefix(40)),
                        description: String(text.prefix(4000)), nodeID: node, householdID: household, address: address ?? "",
                        actorID: actor.accountID, actorName: actor.username, actorRole: actor.role.rawValue, now: now)
    }

    /// Writes a prepared case inside the caller's transaction: the year's next public number, the
    /// row in state `reported`, and transition 1. Returns the id, number and token.
    static func insert(_ p: Prepared, on db: any Database) async throws -> (id: UUID, number: String, token: String) {
        let year = CivilDate(p.now, in: .shanghai).year
        struct Seq: Decodable { var last_sequence: Int64 }
        guard let seq = try await db.sql.raw("""
            INSERT INTO case_counters (year, last_sequence) VALUES (\(bind: year), 1)
            ON CONFLICT (year) DO UPDATE SET last_sequence = case_counters.last_sequence + 1 RETURNING last_sequence
            """).first(decoding: Seq.self) else { throw AppError.conflict("案件编号分配失败，请重试", "Could not number the case; try again") }
        let number = CaseNumber.format(year: year, sequence: Int(seq.last_sequence))
        let token = Secrets.token()
        try await db.sql.insert(into: "cases")
            .columns("id", "subdistrict_id", "number", "intake_token", "channel", "source_ref", "category_code", "title", "description",
                     "grid_node_id", "compound_id", "household_id", "address", "address_id", "lat_e6", "long_e6", "media_url",
                     "submitter_account_id", "submitter_name", "submitter_email", "submitter_phone_cipher", "submitter_phone_index",
                     "submitter_phone_masked", "device_id", "client_account_id", "client_name", "state", "reported_at", "reported_on",
                     "updated_at", "extension_days", "handled_count", "rework_count", "reopen_count", "escalation_level", "supervised", "last_seq")
            .values(SQLBind(p.id), bindOrNull(p.subdistrictID), SQLBind(number), SQLBind(token), SQLBind(p.channel.rawValue), bindOrNull(p.sourceRef),
                    SQLBind(p.categoryCode), SQLBind(p.title), SQLBind(p.description), SQLBind(p.nodeID), bindOrNull(p.compoundID),
                    bindOrNull(p.householdID), SQLBind(p.address), bindOrNull(p.addressID), bindOrNull(p.latE6), bindOrNull(p.longE6),
                    bindOrNull(p.mediaURL), bindOrNull(p.submitterAccount), bindOrNull(p.submitterName), bindOrNull(p.submitterEmail),
                    bindOrNull(p.phone?.ciphertext), bindOrNull(p.phone?.blindIndex), bindOrNull(p.phone?.masked), bindOrNull(p.deviceID),
                    bindOrNull(p.clientAccountID), bindOrNull(p.clientName), SQLBind(CaseState.reported.rawValue), SQLBind(p.now),
                    SQLBind(CivilDate(p.now, in: .shanghai).iso8601), SQLBind(p.now), SQLBind(0), SQLBind(0), SQLBind(0), SQLBind(0), SQLBind(0),
                    SQLBind(false), SQLBind(1))
            .run()
        try await db.sql.insert(into: "case_transitions")
            .columns("id", "case_id", "seq", "action", "from_state", "to_state", "actor_id", "actor_name", "actor_role", "reason", "at")
            .values(SQLBind(UUID()), SQLBind(p.id), SQLBind(1), SQLBind("report"), SQLLiteral.null, SQLBind(CaseState.reported.rawValue),
                    bindOrNull(p.actorID), SQLBind(p.actorName), SQLBind(p.actorRole), SQLBind(p.channel.nameZH), SQLBind(p.now))
            .run()
        return (p.id, number, token)
    }
}

extension Optional {
    /// `flatMap` with an async throwing transform.
    func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
