import Fluent
import Foundation
import MinqingDomain
import Vapor

/// The 6543 oversight pages: `/oversight` for staff (the red/black list, committees with the
/// party-member share for those who may see it, the five concerns, checklists, shops), a
/// company's credit file with the inspection form, a committee, and the resident's own compound.
/// Reads go through the scoped queries; writes through the same service as the JSON API.
struct OversightPages: RouteCollection {
    struct InspectForm: Content { var compound_id: UUID?; var outcome: String?; var finding: String?; var case_category: String? }
    struct CloseForm: Content { var note: String? }
    struct DisclosureForm: Content { var kind: String?; var title: String?; var body: String?; var amount_yuan: String? }

    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped("oversight").grouped(RequireSignIn())
        let staff = pages.grouped(RequireRole(OversightController.staff))
        staff.get(use: overview)
        pages.grouped(RequireRole(OversightController.companyReaders)).get("companies", ":id", use: company)
        staff.post("companies", ":id", "inspections", use: inspect)
        staff.post("companies", ":id", "staff", use: addStaff)
        staff.post("companies", ":id", "staff", ":staff", "end", use: endStaff)
        staff.post("companies", ":id", "contracts", use: addContract)
        staff.post("companies", ":id", "surveys", use: addSurvey)
        staff.post("companies", ":id", "complaints", use: addComplaint)
        pages.grouped(RequireRole(OversightController.managers)).post("companies", ":id", "accounts", use: linkAccount)
        pages.grouped(RequireRole(.propertyCompany)).get("my-company", use: myCompany)
        staff.post("rectifications", ":id", "close", use: close)
        staff.get("compounds", ":id", use: compound)
        staff.post("compounds", ":id", "measures", ":measure", use: setMeasure)
        staff.post("committees", use: createCommittee)
        let committees = pages.grouped(RequireRole(OversightController.committeeReaders))
        committees.get("committees", ":id", use: committee)
        committees.post("committees", ":id", "disclosures", use: publish)
        staff.post("committees", ":id", "members", use: addMember)
        staff.post("committees", ":id", "records", use: addRecord)
        staff.get("shops", use: shops)
        staff.post("shops", use: registerShop)
        staff.get("shops", ":id", use: shop)
        staff.post("shops", ":id", "pledges", use: pledge)
        staff.post("shops", ":id", "inspections", use: inspectShop)
        staff.get("projects", ":id", use: project)
        staff.post("projects", ":id", use: updateProject)
        staff.post("projects", ":id", "milestones", use: addMilestone)
        staff.post("milestones", ":id", "done", use: completeMilestone)
        pages.grouped(RequireRole(.resident)).get("my-compound", use: myCompound)
    }

    /// Post/redirect/get: runs a form's write and redirects to `to`; bad input (422) or a
    /// conflict (409) re-renders the form's page with the error naming the field.
    func submit(_ req: Request, to: String, rerender: (AppError) async throws -> Response, _ write: () async throws -> Void) async throws -> Response
    {
        do {
            try await write()
            return req.redirect(to: to, redirectType: .normal)
        } catch let error as AppError where error.status == .unprocessableEntity || error.status == .conflict {
            return try await rerender(error)
        }
    }

    @Sendable func overview(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let shops = try await OversightQueries.shops(in: actor.scope, search: nil, limit: 20, offset: 0, on: req.db)
        let model = OversightViews.OverviewModel(
            companies: try await OversightQueries.companies(in: actor.scope, now: req.now, on: req.db),
            committees: try await OversightQueries.committees(for: actor, on: req.db),
            partyShare: try await OversightQueries.partyShareSummary(for: actor, now: req.now, on: req.db),
            checklists: try await OversightQueries.checklists(in: actor.scope, on: req.db),
            programmes: try await OversightQueries.programmes(in: actor.scope, on: req.db),
            shops: shops.rows,
            shopCounts: try await OversightQueries.shopCounts(in: actor.scope, on: req.db))
        return OversightViews.overview(model, ctx: req.pageContext)
    }

    @Sendable func company(req: Request) async throws -> Response {
        try await renderCompany(req, id: try req.pathID(), error: nil)
    }

    func renderCompany(_ req: Request, id: UUID, error: AppError?) async throws -> Response {
        let actor = try req.requireActor()
        guard let detail = try await OversightQueries.detail(id, for: actor, now: req.now, on: req.db) else {
            throw OversightService.companyNotFound
        }
        let staff = actor.role.isGridStaff
        var model = OversightViews.CompanyModel(
            detail: detail, categories: staff ? try await CasesQueries.categories(on: req.db) : [], error: error,
            flash: req.query[String.self, at: "done"], staffForms: staff,
            compounds: staff ? try await OversightQueries.compoundChoices(in: actor.scope, on: req.db) : [],
            linkedAccounts: actor.role.managesAccounts
                ? try await OversightQueries.linkedAccounts(of: id, in: actor.scope, on: req.db) : nil)
        if staff {
            model.staffSearch = Self.nameSearch(req)
            if let search = model.staffSearch {
                model.staffCandidates = try await OversightQueries.staffCandidates(company: id, in: actor.scope, search: search, on: req.db)
            }
        }
        return OversightViews.company(model, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    @Sendable func inspect(req: Request) async throws -> Response {
        let id = try req.pathID()
        let form = try req.content.decode(InspectForm.self)
        do {
            _ = try await OversightService.inspectCompany(
                id,
                InspectionInput(
                    compound_id: form.compound_id, outcome: form.outcome, finding: form.finding,
                    case_category: form.case_category),
                writer: try OversightController.writer(req), on: req.db)
            return req.redirect(to: "/oversight/companies/\(id.uuidString)?done=inspected", redirectType: .normal)
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await renderCompany(req, id: id, error: error)
        }
    }

    @Sendable func close(req: Request) async throws -> Response {
        let form = try req.content.decode(CloseForm.self)
        let company = try await OversightService.closeRectification(
            try req.pathID(), RectificationCloseInput(note: form.note),
            writer: try OversightController.writer(req), on: req.db)
        return req.redirect(to: "/oversight/companies/\(company.id.uuidString)?done=closed", redirectType: .normal)
    }

    @Sendable func committee(req: Request) async throws -> Response {
        try await renderCommittee(req, id: try req.pathID(), error: nil)
    }

    func renderCommittee(_ req: Request, id: UUID, error: AppError?) async throws -> Response {
        let actor = try req.requireActor()
        guard let detail = try await OversightQueries.committeeDetail(id, for: actor, now: req.now, on: req.db) else {
            throw OversightService.committeeNotFound
        }
        let search = Self.nameSearch(req)
        let candidates =
            actor.role.isGridStaff
            ? try await OversightQueries.memberCandidates(committee: detail.committee, in: actor.scope, search: search, on: req.db) : nil
        return OversightViews.committee(
            detail, ctx: req.pageContext, error: error, flash: req.query[String.self, at: "done"],
            status: error?.status ?? .ok, candidates: candidates, search: search)
    }

    /// The find-by-name text of the committee and company pages (`who`), trimmed, at most the
    /// 20 characters the field allows; nil when empty.
    static func nameSearch(_ req: Request) -> String? {
        req.query[String.self, at: "who"]?.trimmingSpaces().nilIfEmpty.map { String($0.prefix(20)) }
    }

    /// Publishes a disclosure from the committee page; the amount is typed in yuan (two decimals) and kept in fen.
    @Sendable func publish(req: Request) async throws -> Response {
        let id = try req.pathID()
        let form = try req.content.decode(DisclosureForm.self)
        do {
            var amount: Int64?
            if let text = form.amount_yuan?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
                guard let fen = OversightViews.fen(fromYuan: text) else {
                    throw AppError.validation("amount_yuan", zh: "金额须为元，最多两位小数", en: "The amount is in yuan with at most two decimals")
                }
                amount = fen
            }
            _ = try await OversightService.publish(
                id, DisclosureInput(kind: form.kind, title: form.title, body: form.body, amount_fen: amount),
                writer: try OversightController.writer(req), on: req.db)
            return req.redirect(to: "/oversight/committees/\(id.uuidString)?done=published", redirectType: .normal)
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await renderCommittee(req, id: id, error: error)
        }
    }

    @Sendable func myCompound(req: Request) async throws -> Response {
        OversightViews.myCompound(try await OversightQueries.myCompounds(try req.requireActor(), now: req.now, on: req.db), ctx: req.pageContext)
    }
}
