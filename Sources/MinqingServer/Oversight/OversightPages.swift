import Fluent
import Foundation
import MinqingDomain
import Vapor

/// The 6543 oversight pages: `/oversight` for staff (the red/black list, committees with the
/// party-member share for those who may see it, the five concerns, checklists, shops), a
/// company's credit file with the inspection form, a committee, and the resident's own compound.
/// Reads go through the scoped queries; writes through the same service as the JSON API.
struct OversightPages: RouteCollection {
    struct InspectForm: Content { var compound_id: String?; var outcome: String?; var finding: String?; var case_category: String? }
    struct CloseForm: Content { var note: String? }
    struct DisclosureForm: Content { var kind: String?; var title: String?; var body: String?; var amount_yuan: String? }
    struct CompanyForm: Content { var name: String?; var licence_code: String?; var manager_name: String?; var node: String? }

    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireSignIn())
        let staff = pages.grouped(RequireRole(OversightController.staff))
        let managers = pages.grouped(RequireRole(OversightController.managers))
        let ownCompany = pages.grouped(RequireRole(.propertyCompany))
        staff.get(.oversight(.index), use: overview)
        managers.post(.oversight(.companies), use: registerCompany)
        pages.grouped(RequireRole(OversightController.companyReaders)).get(.oversight(.company(.key)), use: company)
        staff.post(.oversight(.companyInspections(.key)), use: inspect)
        staff.post(.oversight(.companyStaff(.key)), use: addStaff)
        staff.post(.oversight(.companyStaffEnd(.key, .key)), use: endStaff)
        staff.post(.oversight(.companyContracts(.key)), use: addContract)
        staff.post(.oversight(.companySurveys(.key)), use: addSurvey)
        staff.post(.oversight(.companyComplaints(.key)), use: addComplaint)
        managers.post(.oversight(.companyAccounts(.key)), use: linkAccount)
        ownCompany.get(.oversight(.myCompany), use: myCompany)
        ownCompany.post(.oversight(.rectificationAnswers(.key)), use: answerRectification)
        ownCompany.post(.oversight(.complaintAnswers(.key)), use: answerComplaint)
        staff.post(.oversight(.rectificationClose(.key)), use: close)
        staff.get(.oversight(.compound(.key)), use: compound)
        staff.post(.oversight(.compoundMeasure(.key, .key)), use: setMeasure)
        staff.post(.oversight(.committees), use: createCommittee)
        let committees = pages.grouped(RequireRole(OversightController.committeeReaders))
        committees.get(.oversight(.committee(.key)), use: committee)
        committees.post(.oversight(.committeeDisclosures(.key)), use: publish)
        staff.post(.oversight(.committeeMembers(.key)), use: addMember)
        staff.post(.oversight(.committeeRecords(.key)), use: addRecord)
        staff.get(.oversight(.shops), use: shops)
        staff.post(.oversight(.shops), use: registerShop)
        staff.get(.oversight(.shop(.key)), use: shop)
        staff.post(.oversight(.shopPledges(.key)), use: pledge)
        staff.post(.oversight(.shopInspections(.key)), use: inspectShop)
        staff.get(.oversight(.project(.key)), use: project)
        staff.post(.oversight(.project(.key)), use: updateProject)
        staff.post(.oversight(.projectMilestones(.key)), use: addMilestone)
        staff.post(.oversight(.milestoneDone(.key)), use: completeMilestone)
        pages.grouped(RequireRole(.resident)).get(.oversight(.myCompound), use: myCompound)
    }

    /// Post/redirect/get: runs a form's write and redirects (303) to `to`; bad input (422) or a
    /// conflict (409) shows the form's page again (`rerender`) with the form (`form`, its id prefix)
    /// as it was sent and each problem as a sentence beside its field. `renames` maps the service's
    /// input names to the form's (`fee_fen_per_m2` → `fee_yuan`).
    func submit(
        _ req: Request, form: String, to: String, renames: [String: String] = [:],
        rerender: (OversightViews.Posted) async throws -> Response, _ write: () async throws -> Void
    ) async throws -> Response {
        do {
            try await write()
            return req.redirect(to: to, redirectType: .normal)
        } catch let error as AppError where error.status == .unprocessableEntity || error.status == .conflict {
            return try await rerender(Self.posted(req, form: form, error: error, renames: renames))
        }
    }

    /// What a failed form sent: every field as typed, and the error with the service's input names
    /// renamed to the form's, so that each sentence stands beside the field it is about.
    static func posted(_ req: Request, form: String, error: AppError, renames: [String: String] = [:]) -> OversightViews.Posted {
        var error = error
        error.fields = error.fields.map { field in
            renames[field.field].map { FieldError(field: $0, messageZH: field.messageZH, messageEN: field.messageEN) } ?? field
        }
        return OversightViews.Posted(form: form, error: error, values: (try? req.content.decode([String: String].self)) ?? [:])
    }

    /// A UUID chosen in a form's select; blank or unreadable is nil (the service then asks for a choice).
    static func chosen(_ text: String?) -> UUID? { text.flatMap { UUID(uuidString: $0.trimmingCharacters(in: .whitespaces)) } }

    @Sendable func overview(req: Request) async throws -> Response {
        try await renderOverview(req, posted: nil)
    }

    func renderOverview(_ req: Request, posted: OversightViews.Posted?) async throws -> Response {
        let actor = try req.requireActor()
        let shops = try await OversightQueries.shops(in: actor.scope, search: nil, limit: 20, offset: 0, on: req.db)
        let model = OversightViews.OverviewModel(
            companies: try await OversightQueries.companies(in: actor.scope, now: req.now, on: req.db),
            committees: try await OversightQueries.committees(for: actor, on: req.db),
            partyShare: try await OversightQueries.partyShareSummary(for: actor, now: req.now, on: req.db),
            checklists: try await OversightQueries.checklists(in: actor.scope, on: req.db),
            programmes: try await OversightQueries.programmes(in: actor.scope, on: req.db),
            shops: shops.rows,
            shopCounts: try await OversightQueries.shopCounts(in: actor.scope, on: req.db),
            flash: req.query[String.self, at: "done"],
            companyForm: actor.role.managesAccounts,
            defaultNode: actor.scope.rootLevel == .subdistrict ? actor.scope.rootCode : "",
            posted: posted)
        return OversightViews.overview(model, ctx: req.pageContext)
    }

    /// Registers a property company from the overview (administrators and subdistrict staff), then opens its credit file.
    @Sendable func registerCompany(req: Request) async throws -> Response {
        let form = try req.content.decode(CompanyForm.self)
        do {
            let id = try await OversightService.createCompany(
                CompanyInput(name: form.name, licence_code: form.licence_code, manager_name: form.manager_name, node: form.node),
                writer: try OversightController.writer(req), on: req.db)
            return req.redirect(to: Self.companyPath(id, done: "company"), redirectType: .normal)
        } catch let error as AppError where error.status == .unprocessableEntity || error.status == .conflict {
            return try await renderOverview(req, posted: Self.posted(req, form: "company", error: error))
        }
    }

    @Sendable func company(req: Request) async throws -> Response {
        try await renderCompany(req, id: try req.pathID(), posted: nil)
    }

    func renderCompany(_ req: Request, id: UUID, posted: OversightViews.Posted?) async throws -> Response {
        let actor = try req.requireActor()
        guard let detail = try await OversightQueries.detail(id, for: actor, now: req.now, on: req.db) else {
            throw OversightService.companyNotFound
        }
        let staff = actor.role.isGridStaff
        var model = OversightViews.CompanyModel(
            detail: detail, categories: staff ? try await CasesQueries.categories(on: req.db) : [], posted: posted,
            flash: req.query[String.self, at: "done"], staffForms: staff, answerForms: actor.role == .propertyCompany,
            compounds: staff ? try await OversightQueries.compoundChoices(in: actor.scope, on: req.db) : [],
            linkedAccounts: actor.role.managesAccounts
                ? try await OversightQueries.linkedAccounts(of: id, in: actor.scope, on: req.db) : nil)
        if staff {
            // A failed staff form comes back with the search it was made from.
            model.staffSearch = Self.nameSearch(req) ?? (posted?.form == "staff" ? Self.nameSearch(posted?.values["who"]) : nil)
            if let search = model.staffSearch {
                model.staffCandidates = try await OversightQueries.staffCandidates(company: id, in: actor.scope, search: search, on: req.db)
            }
        }
        return OversightViews.company(model, ctx: req.pageContext)
    }

    @Sendable func inspect(req: Request) async throws -> Response {
        let id = try req.pathID()
        let form = try req.content.decode(InspectForm.self)
        return try await submit(
            req, form: "inspection", to: Self.companyPath(id, done: "inspected"), rerender: { try await renderCompany(req, id: id, posted: $0) }
        ) {
            _ = try await OversightService.inspectCompany(
                id,
                InspectionInput(
                    compound_id: Self.chosen(form.compound_id), outcome: form.outcome, finding: form.finding,
                    case_category: form.case_category),
                writer: try OversightController.writer(req), on: req.db)
        }
    }

    /// Staff close a rectification with a note on what was done; a problem shows beside the note of
    /// that rectification's form on its company's page.
    @Sendable func close(req: Request) async throws -> Response {
        let id = try req.pathID()
        let form = try req.content.decode(CloseForm.self)
        do {
            let company = try await OversightService.closeRectification(
                id, RectificationCloseInput(note: form.note), writer: try OversightController.writer(req), on: req.db)
            return req.redirect(to: Self.companyPath(company.id, done: "closed"), redirectType: .normal)
        } catch let error as AppError where error.status == .unprocessableEntity || error.status == .conflict {
            guard let company = try await OversightQueries.rectificationCompany(id, on: req.db) else { throw error }
            return try await renderCompany(req, id: company, posted: Self.posted(req, form: "close-\(id.uuidString)", error: error))
        }
    }

    @Sendable func committee(req: Request) async throws -> Response {
        try await renderCommittee(req, id: try req.pathID(), posted: nil)
    }

    func renderCommittee(_ req: Request, id: UUID, posted: OversightViews.Posted?) async throws -> Response {
        let actor = try req.requireActor()
        guard let detail = try await OversightQueries.committeeDetail(id, for: actor, now: req.now, on: req.db) else {
            throw OversightService.committeeNotFound
        }
        let search = Self.nameSearch(req) ?? (posted?.form == "member" ? Self.nameSearch(posted?.values["who"]) : nil)
        let candidates =
            actor.role.isGridStaff
            ? try await OversightQueries.memberCandidates(committee: detail.committee, in: actor.scope, search: search, on: req.db) : nil
        return OversightViews.committee(
            detail, ctx: req.pageContext, posted: posted, flash: req.query[String.self, at: "done"], candidates: candidates, search: search)
    }

    /// The find-by-name text of the committee and company pages (`who`), trimmed, at most the
    /// 20 characters the field allows; nil when empty.
    static func nameSearch(_ req: Request) -> String? { nameSearch(req.query[String.self, at: "who"]) }

    static func nameSearch(_ text: String?) -> String? { text?.trimmingSpaces().nilIfEmpty.map { String($0.prefix(20)) } }

    /// Publishes a disclosure from the committee page; the amount is typed in yuan (two decimals) and kept in fen.
    @Sendable func publish(req: Request) async throws -> Response {
        let id = try req.pathID()
        let form = try req.content.decode(DisclosureForm.self)
        return try await submit(
            req, form: "disclosure", to: SiteURL.oversight(.committee(.value(id))).path([("done", "published")]),
            renames: ["amount_fen": "amount_yuan"], rerender: { try await renderCommittee(req, id: id, posted: $0) }
        ) {
            _ = try await OversightService.publish(
                id, DisclosureInput(kind: form.kind, title: form.title, body: form.body, amount_fen: try Self.fen(form.amount_yuan, "amount_yuan")),
                writer: try OversightController.writer(req), on: req.db)
        }
    }

    @Sendable func myCompound(req: Request) async throws -> Response {
        OversightViews.myCompound(try await OversightQueries.myCompounds(try req.requireActor(), now: req.now, on: req.db), ctx: req.pageContext)
    }
}
