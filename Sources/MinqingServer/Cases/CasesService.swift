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
        var id = CaseID()
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
    static func submit(
        _ input: CaseIntakeInput, by submitter: CaseSubmitter, services: AppServices, now: Date,
        address clientAddress: String = "", on db: any Database,
        alsoWrite: (@Sendable (CaseID, any Database) async throws -> Void)? = nil
    ) async throws -> CaseIntakeResult {
        let prepared = try await prepare(input, by: submitter, vault: services.vault, now: now, on: db)
        var proxy: UUID?
        if let person = input.on_behalf_of {
            guard case .account(let actor) = submitter else {
                throw AppError.validation("on_behalf_of", zh: "只有居民可以代办", en: "Only residents act for family")
            }
            proxy = try await Proxies.linkFor(person, by: actor, on: db)
        }
        let deadlines = CaseDeadlines(calendar: services.calendar)
        let link = proxy
        let result = try await db.write { db in
            let result = try await insert(prepared, deadlines: deadlines, on: db)
            try await alsoWrite?(result.id, db)
            if let link { try await Proxies.recordCase(result.id, link: link, subdistrict: prepared.subdistrictID, at: now, on: db) }
            try await AuditLog.append(
                AuditEntry(
                    action: "case.reported", actorID: prepared.actorID, actorName: prepared.actorName,
                    targetType: "case", targetID: prepared.id.uuidString,
                    detail: ["number": result.number, "channel": prepared.channel.rawValue],
                    clientAddress: clientAddress), at: now, on: db)
            return result
        }
        let visibility = CasesQueries.visibility(for: submitter, caseSubdistrict: prepared.subdistrictID)
        let duplicates = try await CasesQueries.duplicates(of: prepared.id, visibility: visibility, now: now, on: db)
        return CaseIntakeResult(id: result.id, number: result.number, token: result.token, state: .reported, duplicates: duplicates)
    }

    /// Validates every field (all problems at once, each named in Chinese and English).
    static func prepare(
        _ input: CaseIntakeInput, by submitter: CaseSubmitter, vault: PIIVault, now: Date,
        on db: any Database
    ) async throws -> Prepared {
        var check = IntakeCheck()
        let channel = check.checkChannel(input.channel)
        let category = try await check.checkCategory(input.category_code, on: db)
        let description = check.text(input.description, "description", max: 4000)
        if description == nil { check.problem("description", "请描述问题", "Describe the problem") }
        let title = check.text(input.title, "title", max: 120)
        let address = check.text(input.address, "address", max: 300)
        let addressID = check.text(input.address_id, "address_id", max: 100)
        let mediaURL = check.checkMediaURL(input.media_url)
        let (latE6, longE6) = check.checkCoordinates(input)
        let name = check.text(input.submitter_name, "submitter_name", max: 100)
        let email = check.text(input.submitter_email, "submitter_email", max: 200)
        if let email, !email.contains("@") { check.problem("submitter_email", "邮箱格式不正确", "The email address is not valid") }
        let phone = try check.checkPhone(input.submitter_phone, vault: vault)
        let deviceID = check.text(input.device_id, "device_id", max: 200)
        let clientAccountID = check.text(input.client_account_id, "client_account_id", max: 200)
        let sourceRef = check.text(input.source_ref, "source_ref", max: 200)

        // The place: a node the submitter may reach.
        let node = try await check.checkNode(input.node, by: submitter, on: db)
        let compoundID = try await check.checkCompound(input.compound_id, in: node, on: db)
        let householdID = try await check.checkHousehold(input.household_id, by: submitter, on: db)
        if !check.errors.isEmpty { throw AppError.validation(check.errors) }
        guard let channel, let category, let description, let node else { throw AppError.validation(check.errors) }

        var prepared = Prepared(
            subdistrictID: node.subdistrict_id, channel: channel, sourceRef: sourceRef, categoryCode: category.code,
            title: title ?? String(description.prefix(40)), description: description, nodeID: node.id,
            compoundID: compoundID, householdID: householdID, address: address ?? node.name, addressID: addressID,
            latE6: latE6, longE6: longE6, mediaURL: mediaURL, submitterName: name, submitterEmail: email, phone: phone,
            deviceID: deviceID, clientAccountID: clientAccountID, actorName: "", actorRole: "", now: now)
        attribute(&prepared, to: submitter)
        return prepared
    }

    /// The problems `prepare`'s checks find, in the order found.
    private struct IntakeCheck {
        var errors: [FieldError] = []

        /// Notes a problem with `field`.
        mutating func problem(_ field: String, _ zh: String, _ en: String) { errors.append(FieldError(field: field, messageZH: zh, messageEN: en)) }

        /// What each text field is called in a sentence (a message never names an input).
        static let labels: [String: T] = [
            "description": T("问题描述", "The description"), "title": T("标题", "The title"), "address": T("地点", "The place"),
            "address_id": T("地址编号", "The address reference"), "media_url": T("图片链接", "The picture's link"),
            "submitter_name": T("反映人姓名", "The name"), "submitter_email": T("邮箱", "The email address"),
            "device_id": T("设备编号", "The device reference"), "client_account_id": T("客户端账号", "The client's account reference"),
            "source_ref": T("来源编号", "The source reference")
        ]

        /// The trimmed text, nil when empty; a problem when longer than `max`.
        mutating func text(_ value: String?, _ field: String, max: Int) -> String? {
            let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
            if let trimmed, trimmed.count > max {
                let label = Self.labels[field] ?? T("这一项", "This entry")
                problem(field, "\(label.zh)不超过 \(max) 字", "\(label.en) has at most \(max) characters")
                return nil
            }
            return trimmed
        }

        /// The channel the case came in by.
        mutating func checkChannel(_ raw: String?) -> CaseChannel? {
            let channel = raw.flatMap(CaseChannel.init(rawValue:))
            if channel == nil {
                problem("channel", "请从列表中选择来源渠道", "Choose the channel from the list")
            }
            return channel
        }

        /// The category, which must be a sub-category (小类).
        mutating func checkCategory(_ code: String?, on db: any Database) async throws -> CaseCategoryRecord? {
            let category = try await code.asyncFlatMap { try await CasesQueries.category(code: $0, on: db) }
            if category == nil || category?.parent_code == nil {
                problem("category_code", "请从列表中选择问题类别", "Choose what kind of problem it is from the list")
            }
            return category
        }

        /// The picture's link, an http or https address.
        mutating func checkMediaURL(_ raw: String?) -> String? {
            let mediaURL = text(raw, "media_url", max: 1000)
            if let mediaURL, !(mediaURL.hasPrefix("https://") || mediaURL.hasPrefix("http://")) {
                problem("media_url", "图片链接须以 http:// 或 https:// 开头", "The picture's link must start with http:// or https://")
            }
            return mediaURL
        }

        /// Latitude and longitude, both or neither, in millionths of a degree.
        mutating func checkCoordinates(_ input: CaseIntakeInput) -> (latE6: Int64?, longE6: Int64?) {
            var latE6: Int64?, longE6: Int64?
            switch (input.lat, input.long) {
            case (nil, nil): break
            case let (lat?, long?) where (-90...90).contains(lat) && (-180...180).contains(long) && lat.isFinite && long.isFinite:
                latE6 = Int64((lat * 1_000_000).rounded())
                longE6 = Int64((long * 1_000_000).rounded())
            default:
                problem(
                    input.lat == nil ? "lat" : "long", "经纬度须成对给出，纬度 -90 至 90，经度 -180 至 180",
                    "Give latitude and longitude together: latitude -90 to 90, longitude -180 to 180")
            }
            return (latE6, longE6)
        }

        /// The submitter's mobile number, sealed.
        mutating func checkPhone(_ raw: String?, vault: PIIVault) throws -> SealedPII? {
            var phone: SealedPII?
            if let phoneText = raw?.trimmingCharacters(in: .whitespaces).nilIfEmpty {
                do {
                    let number = try MobileNumber(parsing: phoneText)
                    phone = try vault.seal(number.normalized, masked: number.masked, kind: .phone)
                } catch let error as MobileNumber.Error {
                    errors.append(FieldError(field: "submitter_phone", messageZH: error.messageZH, messageEN: error.messageEN))
                }
            }
            return phone
        }

        /// The grid node: one the account may reach (its own scope's root by default), or one inside
        /// the Open311 client's jurisdiction.
        mutating func checkNode(_ code: String?, by submitter: CaseSubmitter, on db: any Database) async throws -> CasesQueries.Node? {
            var node: CasesQueries.Node?
            let nodeCode = code?.trimmingCharacters(in: .whitespaces).nilIfEmpty
            switch submitter {
            case .account(let actor):
                if let nodeCode {
                    node = try await CasesQueries.intakeNode(code: nodeCode, reachableBy: actor, on: db)
                    if node == nil { problem("node", "没有这个网格编码，或不在您的管辖范围内", "No such grid code in your area") }
                } else {
                    node = try await CasesQueries.intakeNode(id: actor.scope.rootID, on: db)
                }
            case .client(_, let jurisdiction):
                if let nodeCode {
                    node = try await CasesQueries.intakeNode(code: nodeCode, within: jurisdiction, on: db)
                } else {
                    node = try await CasesQueries.intakeNode(id: jurisdiction, on: db)
                }
                if node == nil { problem("node", "地点不在本辖区内", "The place is outside this jurisdiction") }
            }
            return node
        }

        /// The compound asked for, when it is in the node's subdistrict.
        mutating func checkCompound(_ requested: UUID?, in node: CasesQueries.Node?, on db: any Database) async throws -> UUID? {
            var compoundID = requested
            if let requested = compoundID, let node {
                let compound = try await CasesQueries.compoundExists(requested, subdistrict: node.subdistrict_id, on: db)
                if !compound { problem("compound_id", "小区不存在或不在本街道", "No such compound in this subdistrict"); compoundID = nil }
            }
            return compoundID
        }

        /// The household asked for, when an account may reach it (never for an Open311 client).
        mutating func checkHousehold(_ requested: UUID?, by submitter: CaseSubmitter, on db: any Database) async throws -> UUID? {
            var householdID = requested
            if let requested = householdID {
                var allowed = false
                if case .account(let actor) = submitter {
                    allowed = try await CasesQueries.householdReachable(requested, by: actor, on: db)
                }
                if !allowed { problem("household_id", "住户不存在或不在您的范围内", "No such household in your scope"); householdID = nil }
            }
            return householdID
        }
    }

    /// Who hands the case in: an account (staff take in for somebody else) or an Open311 client.
    private static func attribute(_ prepared: inout Prepared, to submitter: CaseSubmitter) {
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
    }

    /// A visit finding as a case (channel `visit`) at the visited household, checked for the visit
    /// log's own transaction; a bad category is reported through `problem` under `field`.
    static func visitFinding(
        category code: String, field: String, text: String, household: UUID, node: UUID, subdistrict: UUID?,
        actor: Actor, now: Date, on db: any Database,
        problem: (String, String, String) -> Void
    ) async throws -> Prepared? {
        guard let category = try await CasesQueries.category(code: code, on: db), category.parent_code != nil else {
            problem(field, "案件小类无效", "Unknown case sub-category")
            return nil
        }
        let address = try await CasesQueries.householdAddress(household, on: db)
        return Prepared(
            subdistrictID: subdistrict, channel: .visit, categoryCode: category.code, title: String(text.prefix(40)),
            description: String(text.prefix(4000)), nodeID: node, householdID: household, address: address ?? "",
            actorID: actor.accountID, actorName: actor.username, actorRole: actor.role.rawValue, now: now)
    }

    /// Writes a case another capability prepared (an inspection's finding, an abnormal check-in)
    /// inside the caller's transaction, with its `case.reported` audit entry.
    static func insertAudited(_ prepared: Prepared, writer: WriteContext, on db: any Database) async throws -> (id: UUID, number: String) {
        let result = try await insert(prepared, on: db)
        try await AuditLog.append(
            AuditEntry(
                action: "case.reported", actorID: prepared.actorID, actorName: prepared.actorName, targetType: "case",
                targetID: prepared.id.uuidString, detail: ["number": result.number, "channel": prepared.channel.rawValue],
                clientAddress: writer.address), at: writer.now, on: db)
        return (result.id.rawValue, result.number)
    }

    /// Writes a prepared case inside the caller's transaction: the year's next public number, the
    /// row in state `reported`, and transition 1. Returns the id, number and token.
    /// With `deadlines`, the case gets its filing deadline (立案期限) from the category's limit.
    static func insert(
        _ p: Prepared, deadlines: CaseDeadlines? = nil, on db: any Database
    ) async throws -> (id: CaseID, number: String, token: String) {
        let year = CivilDate(p.now, in: .shanghai).year
        guard let lastSequence = try await CasesQueries.nextCaseSequence(year: year, on: db) else {
            throw AppError.conflict("案件编号分配失败，请重试", "Could not number the case; try again")
        }
        let number = CaseNumber.format(year: year, sequence: Int(lastSequence))
        let token = Secrets.token()
        try await CasesQueries.insertCase(p, number: number, token: token, on: db)
        try await CasesQueries.insertReportTransition(p, on: db)
        if let deadlines { try await CasesWorkflow.startFiling(p.id, category: p.categoryCode, at: p.now, deadlines: deadlines, on: db) }
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
