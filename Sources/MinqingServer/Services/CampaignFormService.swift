import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Registration campaigns (登记, e.g. 回沪登记): a staff member defines a form of typed fields
/// (`CampaignForm` holds the rules), residents of the area it serves submit it once each
/// (UNIQUE campaign + account), staff see live counts per choice and export the entries as CSV.
///
/// ID and mobile answers go through the PII vault: stored as ciphertext + blind index with the
/// masked form as the value; the CSV shows them masked unless the role may see plain numbers and
/// asks with a stated purpose (audited either way). Staff see only entries of people inside
/// their scope, filtered in SQL.
enum CampaignFormService {
    static let already = AppError(.conflict, code: "already_registered", zh: "您已提交过这份登记。", en: "You have already submitted this form.")
    static let closed = AppError(.conflict, code: "campaign_closed", zh: "该活动已结束。", en: "This campaign has ended.")

    struct FieldInput: Content, Sendable {
        var label: String?
        var label_en: String?
        var type: String?
        var required: Bool?
        var options: [String]?
        var min: Int?
        var max: Int?
        /// Daily check-ins only: the alert rule — a number at or above this (one decimal place at
        /// most), or this option chosen.
        var alert_at_least: Double?
        var alert_option: String?
    }

    struct OptionCount: Content, Sendable, Equatable { var option: String; var count: Int }
    struct FieldView: Content, Sendable, Equatable {
        var id: UUID; var label: String; var label_en: String; var type: CampaignForm.FieldType; var required: Bool
        var options: [String]; var min: Int?; var max: Int?
        /// A check-in's alert rule: at or above this number, or this option.
        var alert_at_least: String?; var alert_option: String?
        /// Staff only: how many entries in their scope chose each option (choice fields).
        var counts: [OptionCount]?
    }
    struct MyAnswer: Content, Sendable, Equatable { var field_id: UUID; var value: String }
    /// A registration campaign's form and live figures.
    struct FormView: Content, Sendable, Equatable {
        var id: UUID; var kind: CampaignKind; var title: String; var description: String; var status: String
        var fields: [FieldView]
        /// Staff: entries of people in their scope. Residents: nil.
        var entries: Int?
        /// Residents: their own answers (numbers masked), nil before they submit.
        var mine: [MyAnswer]?
    }
    struct EntryInput: Content, Sendable { var answers: [String: [String]]? }

    /// The fields as staff typed them, checked by `CampaignForm`; errors name the row (`fields[n]`).
    /// A daily check-in's form asks no personal numbers and may carry alert rules; a
    /// registration's carries none.
    static func fields(_ inputs: [FieldInput], checkin: Bool = false) -> (fields: [CampaignForm.Field], problems: [FieldError]) {
        var fields: [CampaignForm.Field] = [], problems: [FieldError] = []
        if inputs.isEmpty || inputs.count > CampaignForm.maxFields {
            problems.append(
                FieldError(
                    field: "fields", messageZH: "登记表须有 1–\(CampaignForm.maxFields) 个字段",
                    messageEN: "A form has 1–\(CampaignForm.maxFields) fields"))
        }
        for (n, input) in inputs.enumerated() {
            guard let type = CampaignForm.FieldType(rawValue: input.type ?? "") else {
                problems.append(
                    FieldError(
                        field: "fields[\(n)].type", messageZH: "第 \(n + 1) 个字段的类型无效",
                        messageEN: "Choose a type for field \(n + 1)"))
                continue
            }
            let field = CampaignForm.Field(
                key: "fields[\(n)]", labelZH: (input.label ?? "").trimmingCharacters(in: .whitespaces),
                labelEN: String((input.label_en ?? "").trimmingCharacters(in: .whitespaces).prefix(60)), type: type,
                required: input.required ?? true,
                options: (input.options ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
                min: input.min, max: input.max, alertOption: input.alert_option.flatMap { $0.isEmpty ? nil : $0 })
            var rule = field
            if let at = input.alert_at_least {
                let tenths = (at * 10).rounded()
                if at.isFinite, abs(at * 10 - tenths) < 1e-6, abs(tenths) <= 1e10 {
                    rule.alertAtLeast = Int(tenths)
                } else {
                    problems.append(
                        FieldError(
                            field: "fields[\(n)]", messageZH: "第 \(n + 1) 个字段的异常阈值须为数字，最多一位小数",
                            messageEN: "Field \(n + 1)'s alert threshold must be a number with one decimal place at most"))
                }
            }
            if checkin && type.isPersonalNumber {
                problems.append(
                    FieldError(
                        field: "fields[\(n)].type", messageZH: "打卡表不收集身份证号、手机号（第 \(n + 1) 个字段）",
                        messageEN: "A daily check-in asks for no ID or mobile numbers (field \(n + 1))"))
            }
            if !checkin && (rule.alertAtLeast != nil || rule.alertOption != nil) {
                problems.append(
                    FieldError(
                        field: "fields[\(n)]", messageZH: "只有每日打卡的字段可设异常规则（第 \(n + 1) 个字段）",
                        messageEN: "Only a daily check-in's fields take an alert rule (field \(n + 1))"))
            }
            problems += CampaignForm.check(definition: rule)
            fields.append(rule)
        }
        return (fields, problems)
    }

    /// The fields of the campaign's form, in order.
    static func fieldRows(_ campaign: UUID, on db: any Database) async throws -> [ServicesQueries.FieldRow] {
        try await ServicesQueries.campaignFieldRows(campaign, on: db)
    }

    /// The campaign if the actor may see it: staff inside their scope, residents where it serves them.
    static func head(_ campaign: UUID, for actor: Actor, on db: any Database) async throws -> ServicesQueries.CampaignHead {
        guard let row = try await ServicesQueries.campaignHead(campaign, for: actor, on: db) else { throw CampaignService.notFound }
        return row
    }

    /// The form's fields as shown, in order (no counts).
    static func fieldViews(_ campaign: UUID, on db: any Database) async throws -> [FieldView] {
        try await fieldRows(campaign, on: db).map { fieldView($0, counts: nil) }
    }

    static func fieldView(_ f: ServicesQueries.FieldRow, counts: [OptionCount]?) -> FieldView {
        FieldView(
            id: f.id, label: f.label_zh, label_en: f.label_en, type: f.field_type, required: f.required, options: f.optionList,
            min: f.min_value, max: f.max_value,
            alert_at_least: f.alert_at_least.map { f.field_type == .number ? String($0 / 10) : CampaignForm.decimalText($0) },
            alert_option: f.alert_option,
            counts: counts)
    }

    /// The form with live counts (staff, their scope) or the resident's own answers.
    static func view(_ campaign: UUID, for actor: Actor, on db: any Database) async throws -> FormView {
        let head = try await head(campaign, for: actor, on: db)
        let rows = try await fieldRows(campaign, on: db)
        var counts: [UUID: [String: Int]] = [:]
        var entries: Int?
        var mine: [MyAnswer]?
        if actor.role.isGridStaff {
            for c in try await ServicesQueries.campaignChoiceCounts(campaign, for: actor, on: db) { counts[c.field_id, default: [:]][c.value] = c.n }
            entries = try await ServicesQueries.campaignEntryCount(campaign, for: actor, on: db)
        } else {
            let answers = try await ServicesQueries.ownCampaignAnswers(campaign, account: actor.accountID, on: db)
            if try await ServicesQueries.hasCampaignEntry(campaign, account: actor.accountID, on: db) {
                mine = rows.map { f in MyAnswer(field_id: f.id, value: answers.filter { $0.field_id == f.id }.map(\.value).joined(separator: "；")) }
            }
        }
        let fields = rows.map { f in
            fieldView(
                f,
                counts: actor.role.isGridStaff && f.rule.type.hasOptions
                    ? f.optionList.map { OptionCount(option: $0, count: counts[f.id]?[$0] ?? 0) } : nil)
        }
        return FormView(
            id: head.id, kind: head.kind, title: head.title, description: head.description ?? "", status: head.status,
            fields: fields, entries: entries, mine: mine)
    }

    /// A resident submits the form once: every answer checked (all errors at once, each naming
    /// its field's label), personal numbers sealed, the entry and its answers in one transaction;
    /// a second entry hits the UNIQUE index and answers 409.
    static func submit(
        _ campaign: UUID, _ answers: [String: [String]], writer: WriteContext, vault: PIIVault,
        on db: any Database
    ) async throws -> UUID {
        let actor = writer.actor
        guard actor.role == .resident else { throw AppError.forbidden }
        let head = try await head(campaign, for: actor, on: db)
        guard head.kind == .registration else { throw CampaignService.notFound }
        guard head.status == "open" else { throw closed }
        let rows = try await fieldRows(campaign, on: db)
        let checked: [String: CampaignForm.Answer]
        switch CampaignForm.check(answers, for: rows.map(\.rule), today: CivilDate(writer.now, in: .shanghai)) {
        case .success(let ok): checked = ok
        case .failure(let errors): throw AppError.validation(errors.fields)
        }
        var answerRows: [ServicesQueries.CampaignAnswer] = []
        let entry = UUID()
        for field in rows {
            let answer = checked[field.id.uuidString] ?? .empty
            func row(_ value: String, _ sealed: SealedPII? = nil) -> ServicesQueries.CampaignAnswer {
                ServicesQueries.CampaignAnswer(field: field.id, value: value, sealed: sealed)
            }
            switch answer {
            case .empty: continue
            case .choices(let chosen): for option in chosen { answerRows.append(row(option)) }
            case .idNumber(let id): answerRows.append(row(id.masked, try vault.seal(id.normalized, masked: id.masked, kind: .idNumber)))
            case .mobile(let m): answerRows.append(row(m.masked, try vault.seal(m.normalized, masked: m.masked, kind: .phone)))
            default: answerRows.append(row(answer.display))
            }
        }
        let answerValues = answerRows
        do {
            try await db.write { db in
                try await ServicesQueries.insertCampaignEntry(entry, campaign: campaign, writer: writer, on: db)
                if !answerValues.isEmpty {
                    try await ServicesQueries.insertCampaignAnswers(answerValues, entry: entry, on: db)
                }
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw already
        }
        return entry
    }

    /// The entries of people inside the caller's scope as CSV (filtered in SQL): time, account,
    /// building group, then one column per field. ID and mobile numbers masked, or plain when the
    /// role may see them and asks with a stated purpose (a POST, never a link). Audited as
    /// `campaign.entries_exported`. Headers in `lang` (the fields' own labels in that language);
    /// the answers as given.
    static func csv(
        _ campaign: UUID, plain: Bool, purpose: StatedPurpose?, writer: WriteContext, vault: PIIVault,
        lang: Lang = .zh, on db: any Database
    ) async throws -> String {
        let actor = writer.actor
        guard actor.role.isGridStaff else { throw AppError.forbidden }
        if plain && !actor.role.mayRevealPersonalNumbers { throw AppError.forbidden }
        if plain && purpose == nil { throw AppError.validation("purpose", zh: "请选择用途", en: "Choose the purpose") }
        let head = try await head(campaign, for: actor, on: db)
        let fields = try await fieldRows(campaign, on: db)
        let entries = try await ServicesQueries.campaignEntries(campaign, for: actor, on: db)
        let answers = try await ServicesQueries.campaignAnswers(campaign, plain: plain, for: actor, on: db)
        var byEntry: [UUID: [UUID: [String]]] = [:]
        let types = Dictionary(uniqueKeysWithValues: fields.map { ($0.id, $0.field_type) })
        for a in answers {
            var value = a.value
            if let sealed = a.pii_cipher, let type = types[a.field_id], type.isPersonalNumber {
                value = try vault.open(sealed, kind: type == .idNumber ? .idNumber : .phone)
            }
            byEntry[a.entry_id, default: [:]][a.field_id, default: []].append(value)
        }
        let lines = entries.map { e in
            [LocalTime.short(e.created_at, year: true), e.username, e.code]
                + fields.map { f in (byEntry[e.id]?[f.id] ?? []).joined(separator: "；") }
        }
        var detail = ["kind": "campaign_entries", "rows": String(lines.count), "plain": plain ? "true" : "false", "campaign": head.title]
        if plain, let purpose { detail.merge(purpose.auditDetail) { a, _ in a } }
        let entry = AuditEntry(
            action: "campaign.entries_exported", actorID: actor.accountID, actorName: actor.username,
            targetType: "campaign", targetID: campaign.uuidString, detail: detail, clientAddress: writer.address)
        try await db.write { db in try await AuditLog.append(entry, at: writer.now, on: db) }
        let header = [T("提交时间", "Submitted at"), T("账号", "Account"), T("楼组编码", "Building group code")].map { $0(lang) }
        return CSVTable.write(header: header + fields.map { lang == .zh || $0.label_en.isEmpty ? $0.label_zh : $0.label_en }, rows: lines)
    }
}
