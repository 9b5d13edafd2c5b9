import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// Writes of 6543 oversight. Each checks its input (fields named in Chinese and English), then
/// writes in one `db.write` with its audit entry; the credit ledger only grows (a rule's entry
/// with its reason, date and source), and state changes are conditional UPDATEs answering 409.
package enum OversightService {
    static let companyNotFound = AppError.notFound("物业公司不存在或不在您的范围内", "No such property company in your scope")
    static let committeeNotFound = AppError.notFound("业委会不存在或不在您的范围内", "No such owners' committee in your scope")
    static let shopNotFound = AppError.notFound("商户不存在或不在您的范围内", "No such shop in your scope")

    static let memberRoles: [String: (String, String)] = [
        "director": ("主任", "Director"), "deputy": ("副主任", "Deputy director"),
        "member": ("委员", "Member")
    ]
    static let disclosureKinds: [String: (String, String)] = [
        "financial_audit": ("财务审计", "Financial audit"), "minutes": ("会议纪要", "Minutes"),
        "maintenance_fund": ("维修资金使用", "Maintenance-fund use"), "notice": ("公告", "Notice")
    ]
    static let recordKinds: [String: (String, String)] = ["correction": ("纠错", "Correction"), "exit": ("退出", "Exit")]
    /// 门责制: the duties a shop pledges for the pavement in front of it.
    package static let defaultDuties = ["门前环境卫生", "门前秩序", "门前绿化", "门前安全"]

    // MARK: helpers

    /// Text typed into a field, trimmed, at most `max` characters. `label` is the field as people
    /// call it (`T("店名", "the shop's name")`): the messages are sentences, never an input's name.
    static func text(_ value: String?, _ field: String, _ label: T, max: Int, required: Bool = true) throws -> String {
        let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if trimmed.isEmpty, required { throw AppError.validation(field, zh: "请填写\(label.zh)", en: "Give \(label.en)") }
        if trimmed.count > max {
            throw AppError.validation(field, zh: "\(label.zh)不超过 \(max) 字", en: "\(sentenceCase(label.en)) has at most \(max) characters")
        }
        return trimmed
    }

    /// `the name` → `The name`.
    static func sentenceCase(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }

    /// Runs one field's check and keeps its value, or adds its problems to `errors` and gives nil,
    /// so that a write checks every field before it answers with all of them at once.
    static func collect<Value>(_ errors: inout [FieldError], _ check: () throws -> Value) throws -> Value? {
        do { return try check() } catch let error as AppError where !error.fields.isEmpty {
            errors += error.fields
            return nil
        }
    }

    static func date(_ value: String?, _ field: String, default fallback: String) throws -> String {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return fallback }
        guard let date = try? CivilDate(parsing: value) else {
            throw AppError.validation(field, zh: "请按“年-月-日”填写日期，如 2026-11-18", en: "Write the date as year-month-day, e.g. 2026-11-18")
        }
        return date.iso8601
    }

    static func audit(_ action: String, _ writer: WriteContext, type: String, id: UUID, detail: [String: String] = [:], on db: any Database)
        async throws
    {
        try await AuditLog.append(
            AuditEntry(
                action: action, actorID: writer.actor.accountID, actorName: writer.actor.auditName, targetType: type,
                targetID: id.uuidString, detail: detail, clientAddress: writer.address), at: writer.now, on: db)
    }

    /// Appends a credit entry (the only way the score moves) and returns its id.
    static func appendCredit(_ entry: CreditEntry, company: UUID, sourceID: UUID?, writer: WriteContext, on db: any Database) async throws -> UUID {
        let id = UUID()
        try await OversightQueries.insertCreditEntry(id: id, entry, company: company, sourceID: sourceID, writer: writer, on: db)
        return id
    }

    static func short(_ text: String) -> String { text.count > 60 ? String(text.prefix(60)) + "…" : text }

    // MARK: companies

    /// Registers a property company in a subdistrict of the caller's scope (default: the caller's
    /// own subdistrict); every field is checked first, all problems answered at once.
    static func createCompany(_ input: CompanyInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        var errors: [FieldError] = []
        let checkedName = try collect(&errors) { try text(input.name, "name", T("公司名称", "the company's name"), max: 100) }
        let checkedLicence = try collect(&errors) { try text(input.licence_code, "licence_code", T("统一社会信用代码", "the licence code"), max: 40) }
        let checkedManager = try collect(&errors) {
            try text(input.manager_name, "manager_name", T("负责人姓名", "the manager's name"), max: 50, required: false)
        }
        var checkedSubdistrict = writer.actor.subdistrictID
        if let code = input.node?.trimmingCharacters(in: .whitespaces), !code.isEmpty {
            checkedSubdistrict = try await OversightQueries.subdistrictNode(code: code, in: writer.actor.scope, on: db)
            if checkedSubdistrict == nil {
                errors.append(FieldError(field: "node", messageZH: "街道不存在或不在您的范围内", messageEN: "No such subdistrict in your scope"))
            }
        } else if checkedSubdistrict == nil {
            errors.append(FieldError(field: "node", messageZH: "请填写街道的网格编码", messageEN: "Give the subdistrict's grid code"))
        }
        guard errors.isEmpty, let name = checkedName, let licence = checkedLicence, let manager = checkedManager,
            let subdistrict = checkedSubdistrict
        else { throw AppError.validation(errors) }
        let id = UUID()
        return try await db.write { db in
            let inserted = try await OversightQueries.insertCompany(
                id: id, subdistrict: subdistrict, name: name, licence: licence, manager: manager,
                writer: writer, on: db)
            guard inserted else { throw AppError.conflict("该统一社会信用代码已登记", "A company with this licence code is registered already") }
            try await audit("oversight.company_registered", writer, type: "property_company", id: id, detail: ["name": name], on: db)
            return id
        }
    }

    static func addContract(_ companyID: UUID, _ input: ContractInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        guard let compound = input.compound_id else { throw AppError.validation("compound_id", zh: "请选择小区", en: "Choose the compound") }
        let starts = try date(input.starts_on, "starts_on", default: writer.today.iso8601)
        let ends = try date(input.ends_on, "ends_on", default: (try? CivilDate(parsing: starts).adding(days: 3 * 365).iso8601) ?? starts)
        guard ends >= starts else { throw AppError.validation("ends_on", zh: "结束日期不能早于开始日期", en: "The contract cannot end before it starts") }
        let fee = input.fee_fen_per_m2 ?? 0
        guard (0...100_000).contains(fee) else {
            throw AppError.validation(
                "fee_fen_per_m2", zh: "物业费须在每平方米每月 0 至 1000 元之间", en: "The fee must be from 0 to 1000 yuan per m² and month")
        }
        guard try await OversightQueries.company(companyID, in: writer.actor.scope, now: writer.now, on: db) != nil else { throw companyNotFound }
        guard try await OversightQueries.visibleCompound(compound, in: writer.actor.scope, on: db) != nil else {
            throw AppError.validation("compound_id", zh: "小区不存在或不在您的范围内", en: "No such compound in your scope")
        }
        let id = UUID()
        try await db.write { db in
            try await OversightQueries.insertContract(
                id: id, company: companyID, compound: compound, starts: starts, ends: ends, fee: fee, writer: writer, on: db)
            try await audit(
                "oversight.contract_added", writer, type: "property_company", id: companyID, detail: ["compound": compound.uuidString], on: db)
        }
        return id
    }

    /// Parses an inspection's outcome, finding, date and optional case category.
    static func inspectionFields(_ input: InspectionInput, writer: WriteContext) throws -> (InspectionOutcome, String, String, String?) {
        guard let outcome = input.outcome.flatMap(InspectionOutcome.init(rawValue:)) else {
            throw AppError.validation(
                "outcome", zh: "请选择检查结果：" + InspectionOutcome.allCases.map(\.nameZH).joined(separator: "、"),
                en: "Choose the outcome: " + InspectionOutcome.allCases.map { $0.nameEN.lowercased() }.joined(separator: ", "))
        }
        let finding = try text(input.finding, "finding", T("发现的问题", "what was found"), max: 2000, required: outcome != .pass)
        let day = try date(input.inspected_on, "inspected_on", default: writer.today.iso8601)
        guard day <= writer.today.iso8601 else {
            throw AppError.validation("inspected_on", zh: "检查日期不能晚于今天", en: "The inspection cannot be in the future")
        }
        let category = input.case_category?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        if category != nil, outcome == .pass {
            throw AppError.validation("case_category", zh: "检查合格时不立案", en: "A passed inspection opens no case")
        }
        return (outcome, finding.isEmpty ? outcome.nameZH : finding, day, category)
    }

    /// The finding as a case (channel 网格巡查) at `node`, checked before the transaction.
    static func findingCase(
        category code: String, finding: String, node: UUID, subdistrict: UUID?, compound: UUID?, address: String,
        sourceRef: String, writer: WriteContext, on db: any Database
    ) async throws -> CasesService.Prepared {
        guard let category = try await CasesQueries.category(code: code, on: db), category.parent_code != nil else {
            throw AppError.validation("case_category", zh: "案件小类无效", en: "Unknown case sub-category")
        }
        return CasesService.Prepared(
            subdistrictID: subdistrict, channel: .gridPatrol, sourceRef: sourceRef, categoryCode: category.code,
            title: String(finding.prefix(40)), description: String(finding.prefix(4000)), nodeID: node,
            compoundID: compound, address: address, actorID: writer.actor.accountID, actorName: writer.actor.username,
            actorRole: writer.actor.role.rawValue, now: writer.now)
    }

    /// An inspection of a company at a compound it serves: the credit entry of the outcome's rule,
    /// a rectification for a serious problem, and, with a case category, the finding as a case —
    /// all in one transaction; the inspection keeps the ids.
    static func inspectCompany(_ companyID: UUID, _ input: InspectionInput, writer: WriteContext, on db: any Database) async throws
        -> InspectionResult
    {
        let (outcome, finding, day, category) = try inspectionFields(input, writer: writer)
        guard let compoundID = input.compound_id else {
            throw AppError.validation("compound_id", zh: "请选择检查的小区", en: "Choose the compound inspected")
        }
        guard try await OversightQueries.company(companyID, in: writer.actor.scope, now: writer.now, on: db) != nil else { throw companyNotFound }
        guard let compound = try await OversightQueries.servedCompound(compoundID, company: companyID, in: writer.actor.scope, on: db) else {
            throw AppError.validation(
                "compound_id", zh: "该公司不服务此小区，或小区不在您的范围内", en: "The company does not serve this compound, or it is outside your scope")
        }
        let inspectionID = UUID()
        let draft = try await category.asyncFlatMap {
            try await findingCase(
                category: $0, finding: "\(compound.name)：\(finding)", node: compound.grid_node_id, subdistrict: compound.subdistrict_id,
                compound: compound.id, address: compound.address.isEmpty ? compound.name : compound.address,
                sourceRef: "inspection:\(inspectionID.uuidString.lowercased())", writer: writer, on: db)
        }
        let rule = PropertyCredit.rule(for: outcome)
        let entry = CreditEntry(
            rule: rule, detailZH: outcome == .pass ? compound.name : "\(compound.name) \(short(finding))",
            detailEN: outcome == .pass ? compound.name : "\(compound.name) \(short(finding))", date: day)
        let result = try await db.write { db in
            let caseRef = try await draft.asyncFlatMap { try await CasesService.insertAudited($0, writer: writer, on: db) }
            let creditID = try await appendCredit(entry, company: companyID, sourceID: inspectionID, writer: writer, on: db)
            var rectificationID: UUID?
            if outcome == .serious {
                let id = UUID()
                let due = (try? CivilDate(parsing: day).adding(days: PropertyCredit.rectificationDays).iso8601) ?? day
                try await OversightQueries.insertRectification(
                    id: id, company: companyID, reasonZH: "\(compound.name)：\(finding)",
                    reasonEN: "\(compound.name): \(finding)", openedOn: day, dueOn: due, writer: writer, on: db)
                rectificationID = id
            }
            try await OversightQueries.insertCompanyInspection(
                id: inspectionID, company: companyID, compound: compound, day: day, outcome: outcome,
                finding: finding, category: category, caseID: caseRef?.id, creditID: creditID,
                rectificationID: rectificationID, writer: writer, on: db)
            try await audit(
                "oversight.company_inspected", writer, type: "property_company", id: companyID,
                detail: ["outcome": outcome.rawValue, "points": String(rule.points)].merging(caseRef.map { ["case": $0.number] } ?? [:]) { a, _ in a
                },
                on: db)
            return InspectionResult(
                id: inspectionID, case_id: caseRef?.id, case_number: caseRef?.number, credit_entry_id: creditID,
                rectification_id: rectificationID)
        }
        var answer = result
        if let company = try await OversightQueries.company(companyID, in: writer.actor.scope, now: writer.now, on: db) {
            answer.score = company.score
            answer.standing = company.standing
            answer.standing_reason_zh = company.standing_reason_zh
        }
        return answer
    }

    static func recordSurvey(_ companyID: UUID, _ input: SurveyInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        guard let compoundID = input.compound_id else { throw AppError.validation("compound_id", zh: "请选择小区", en: "Choose the compound") }
        guard let respondents = input.respondents, (1...100_000).contains(respondents) else {
            throw AppError.validation("respondents", zh: "参与人数须在 1 至 100000 之间", en: "The number of respondents must be from 1 to 100000")
        }
        guard let satisfied = input.satisfied, (0...respondents).contains(satisfied) else {
            throw AppError.validation(
                "satisfied", zh: "满意人数须在 0 与参与人数之间", en: "The number satisfied must lie between 0 and the number of respondents")
        }
        let day = try date(input.surveyed_on, "surveyed_on", default: writer.today.iso8601)
        guard try await OversightQueries.company(companyID, in: writer.actor.scope, now: writer.now, on: db) != nil else { throw companyNotFound }
        guard let compound = try await OversightQueries.surveyedCompound(compoundID, company: companyID, in: writer.actor.scope, on: db) else {
            throw AppError.validation(
                "compound_id", zh: "该公司不服务此小区，或小区不在您的范围内", en: "The company does not serve this compound, or it is outside your scope")
        }
        let id = UUID()
        let rule = PropertyCredit.rule(forSurvey: satisfied, of: respondents)
        try await db.write { db in
            let creditID = try await rule.asyncFlatMap {
                try await appendCredit(
                    CreditEntry(
                        rule: $0, detailZH: "\(compound.name) \(satisfied)/\(respondents)",
                        detailEN: "\(compound.name) \(satisfied)/\(respondents)", date: day),
                    company: companyID, sourceID: id, writer: writer, on: db)
            }
            try await OversightQueries.insertSurvey(
                id: id, company: companyID, compound: compound.id, day: day, respondents: respondents, satisfied: satisfied,
                creditID: creditID, writer: writer, on: db)
            try await audit("oversight.survey_recorded", writer, type: "property_company", id: companyID, on: db)
        }
        return id
    }

    /// Links a case as a complaint about the company (once per case); an upheld complaint costs
    /// the company the rule's points.
    static func recordComplaint(_ companyID: UUID, _ input: ComplaintInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        guard let caseID = input.case_id else { throw AppError.validation("case_id", zh: "请指定投诉案件", en: "Name the complaint's case") }
        guard try await OversightQueries.company(companyID, in: writer.actor.scope, now: writer.now, on: db) != nil else { throw companyNotFound }
        guard let found = try await OversightQueries.complaintCase(caseID, for: writer.actor, on: db) else {
            throw AppError.validation("case_id", zh: "案件不存在或不在您的范围内", en: "No such case in your scope")
        }
        let upheld = input.upheld ?? false
        let id = UUID()
        try await db.write { db in
            guard try await OversightQueries.insertComplaint(id: id, company: companyID, caseID: found.id, upheld: upheld, writer: writer, on: db)
            else {
                throw AppError.conflict("该案件已登记为投诉", "This case is recorded as a complaint already")
            }
            if upheld {
                let rule = PropertyCredit.complaintUpheld
                let creditID = try await appendCredit(
                    CreditEntry(rule: rule, detailZH: "案件 \(found.number)", detailEN: "case \(found.number)", date: writer.today.iso8601),
                    company: companyID, sourceID: found.id, writer: writer, on: db)
                try await OversightQueries.setComplaintCredit(id, creditID: creditID, on: db)
            }
            try await audit("oversight.complaint_linked", writer, type: "property_company", id: companyID, detail: ["case": found.number], on: db)
        }
        return id
    }

    /// Completes an open rectification (one conditional UPDATE; 409 when it is not open) and
    /// writes the on-time or late entry.
    static func closeRectification(_ id: UUID, _ input: RectificationCloseInput, writer: WriteContext, on db: any Database) async throws -> CompanyRow
    {
        let note = try text(input.note, "note", T("整改情况", "what was done"), max: 1000)
        let day = try date(input.closed_on, "closed_on", default: writer.today.iso8601)
        guard let owner = try await OversightQueries.rectificationCompany(id, on: db),
            try await OversightQueries.company(owner, in: writer.actor.scope, now: writer.now, on: db) != nil
        else {
            throw AppError.notFound("整改不存在或不在您的范围内", "No such rectification in your scope")
        }
        try await db.write { db in
            guard let closed = try await OversightQueries.completeRectification(id, closedOn: day, note: note, writer: writer, on: db) else {
                throw AppError.conflict("该整改已结束", "This rectification is closed already")
            }
            let rule = PropertyCredit.rule(forClosing: day, due: closed.due_on)
            _ = try await appendCredit(
                CreditEntry(rule: rule, detailZH: short(closed.reason_zh), detailEN: "due \(closed.due_on)", date: day),
                company: closed.company_id, sourceID: id, writer: writer, on: db)
            try await audit("oversight.rectification_closed", writer, type: "rectification", id: id, detail: ["rule": rule.code], on: db)
        }
        guard let company = try await OversightQueries.company(owner, in: writer.actor.scope, now: writer.now, on: db) else { throw companyNotFound }
        return company
    }
}
