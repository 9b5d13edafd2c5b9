import Foundation
import MinqingDomain
import Vapor

/// The company page's forms (contracts, surveys, complaints, linking a property-company account)
/// and a property-company account's way to its own company. Each calls the same service as the JSON API.
extension OversightPages {
    struct ContractForm: Content { var compound_id: String?; var starts_on: String?; var ends_on: String?; var fee_yuan: String? }
    struct SurveyForm: Content { var compound_id: String?; var respondents: String?; var satisfied: String?; var surveyed_on: String? }
    struct ComplaintForm: Content { var case_ref: String?; var upheld: String? }
    struct AccountForm: Content { var username: String? }

    /// A whole number typed in a form field; blank is nil, anything else not a number is a sentence
    /// naming the field as people call it (`label`, e.g. `T("参与人数", "The number of respondents")`).
    static func integer(_ text: String?, _ field: String, _ label: T) throws -> Int? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let value = Int(text) else { throw AppError.validation(field, zh: "\(label.zh)须为整数", en: "\(label.en) must be a whole number") }
        return value
    }

    /// Yuan typed with at most two decimals, kept in fen; blank is nil.
    static func fen(_ text: String?, _ field: String) throws -> Int64? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let fen = OversightViews.fen(fromYuan: text) else {
            throw AppError.validation(field, zh: "金额须为元，最多两位小数", en: "The amount is in yuan with at most two decimals")
        }
        return fen
    }

    static func companyPath(_ id: UUID, done: String) -> String { SiteURL.oversight(.company(.value(id))).path([("done", done)]) }

    @Sendable func addContract(req: Request) async throws -> Response {
        let id = try req.pathID()
        let form = try req.content.decode(ContractForm.self)
        return try await submit(
            req, form: "contract", to: Self.companyPath(id, done: "contract"), renames: ["fee_fen_per_m2": "fee_yuan"],
            rerender: { try await renderCompany(req, id: id, posted: $0) }
        ) {
            let fee = try Self.fen(form.fee_yuan, "fee_yuan")
            _ = try await OversightService.addContract(
                id,
                ContractInput(
                    compound_id: Self.chosen(form.compound_id), starts_on: form.starts_on, ends_on: form.ends_on,
                    fee_fen_per_m2: fee.map { Int(clamping: $0) }),
                writer: try OversightController.writer(req), on: req.db)
        }
    }

    @Sendable func addSurvey(req: Request) async throws -> Response {
        let id = try req.pathID()
        let form = try req.content.decode(SurveyForm.self)
        return try await submit(
            req, form: "survey", to: Self.companyPath(id, done: "survey"), rerender: { try await renderCompany(req, id: id, posted: $0) }
        ) {
            let input = SurveyInput(
                compound_id: Self.chosen(form.compound_id),
                respondents: try Self.integer(form.respondents, "respondents", T("参与人数", "The number of respondents")),
                satisfied: try Self.integer(form.satisfied, "satisfied", T("满意人数", "The number satisfied")), surveyed_on: form.surveyed_on)
            _ = try await OversightService.recordSurvey(id, input, writer: try OversightController.writer(req), on: req.db)
        }
    }

    /// Links a case as a complaint; the form takes the case's public number (or its id).
    @Sendable func addComplaint(req: Request) async throws -> Response {
        let id = try req.pathID()
        let form = try req.content.decode(ComplaintForm.self)
        let actor = try req.requireActor()
        return try await submit(
            req, form: "complaint", to: Self.companyPath(id, done: "complaint"), renames: ["case_id": "case_ref"],
            rerender: { try await renderCompany(req, id: id, posted: $0) }
        ) {
            guard let reference = form.case_ref?.trimmingCharacters(in: .whitespaces), !reference.isEmpty else {
                throw AppError.validation("case_ref", zh: "请填写案件编号", en: "Give the case number")
            }
            guard let caseID = try await OversightQueries.visibleCase(reference, for: actor, on: req.db) else {
                throw AppError.validation("case_ref", zh: "案件不存在或不在您的范围内", en: "No such case in your scope")
            }
            _ = try await OversightService.recordComplaint(
                id, ComplaintInput(case_id: caseID, upheld: form.upheld == "1"),
                writer: try OversightController.writer(req), on: req.db)
        }
    }

    @Sendable func linkAccount(req: Request) async throws -> Response {
        let id = try req.pathID()
        let form = try req.content.decode(AccountForm.self)
        guard try await OversightQueries.company(id, in: try req.requireActor().scope, now: req.now, on: req.db) != nil else {
            throw OversightService.companyNotFound
        }
        return try await submit(
            req, form: "account", to: Self.companyPath(id, done: "linked"), rerender: { try await renderCompany(req, id: id, posted: $0) }
        ) {
            try await OversightService.linkAccount(
                username: form.username ?? "", CompanyAccountInput(company_id: id),
                writer: try OversightController.writer(req), on: req.db)
        }
    }

    /// A property-company account's own company (303 to its page), or a note that none is linked yet.
    @Sendable func myCompany(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        if let company = try await OversightQueries.linkedCompany(of: actor.accountID, on: req.db) {
            return req.redirect(to: SiteURL.oversight(.company(.value(company))))
        }
        return OversightViews.noCompany(ctx: req.pageContext)
    }
}
