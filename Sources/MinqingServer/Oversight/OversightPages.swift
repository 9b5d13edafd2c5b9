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
        let pages = routes.grouped(RequireSignIn())
        let staff = pages.grouped(RequireRole(OversightController.staff))
        staff.get(.oversight(.index), use: overview)
        pages.grouped(RequireRole(OversightController.companyReaders)).get(.oversight(.company(.key)), use: company)
        staff.post(.oversight(.companyInspections(.key)), use: inspect)
        staff.post(.oversight(.companyStaff(.key)), use: addStaff)
        staff.post(.oversight(.companyStaffEnd(.key, .key)), use: endStaff)
        staff.post(.oversight(.companyContracts(.key)), use: addContract)
        staff.post(.oversight(.companySurveys(.key)), use: addSurvey)
        staff.post(.oversight(.companyComplaints(.key)), use: addComplaint)
        pages.grouped(RequireRole(OversightController.managers)).post(.oversight(.companyAccounts(.key)), use: linkAccount)
        pages.grouped(RequireRole(.propertyCompany)).get(.oversight(.myCompany), use: myCompany)
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
            return req.redirect(to: SiteURL.oversight(.company(.value(id))).path([("done", "inspected")]), redirectType: .normal)
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await renderCompany(req, id: id, error: error)
        }
    }

    @Sendable func close(req: Request) async throws -> Response {
        let form = try req.content.decode(CloseForm.self)
        let company = try await OversightService.closeRectification(
            try req.pathID(), RectificationCloseInput(note: form.note),
            writer: try OversightController.writer(req), on: req.db)
        return req.redirect(to: SiteURL.oversight(.company(.value(company.id))).path([("done", "closed")]), redirectType: .normal)
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
            return req.redirect(to: SiteURL.oversight(.committee(.value(id))).path([("done", "published")]), redirectType: .normal)
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await renderCommittee(req, id: id, error: error)
        }
    }

    @Sendable func myCompound(req: Request) async throws -> Response {
        OversightViews.myCompound(try await OversightQueries.myCompounds(try req.requireActor(), now: req.now, on: req.db), ctx: req.pageContext)
    }
}
