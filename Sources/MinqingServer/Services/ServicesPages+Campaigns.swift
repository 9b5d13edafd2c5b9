import Fluent
import Foundation
import MinqingDomain
import Vapor

/// The campaign page `/services/campaigns/{id}`: a resident fills in a registration form once
/// (or sees their answers, numbers masked); staff see the live counts per choice in their scope
/// and export the entries as CSV (masked, or plain with a stated purpose where the role may).
extension ServicesPages {
    func bootCampaigns(_ pages: any RoutesBuilder) {
        pages.grouped(RequireRole(ServicesController.staff.union([.resident]))).get(.services(.campaign(.key)), use: campaign)
        pages.grouped(RequireRole(.resident)).post(.services(.campaignEntries(.key)), use: submitEntry)
        pages.grouped(RequireRole(ServicesController.staff)).post(.services(.campaignEntriesExport(.key)), use: exportEntries)
        pages.grouped(RequireRole(.resident)).post(.services(.campaignCheckin(.key)), use: checkIn)
        pages.grouped(RequireRole(.resident)).post(.services(.campaignEnrol(.key)), use: selfEnrol)
        pages.grouped(RequireRole(ServicesController.staff)).post(.services(.campaignRoster(.key)), use: enrolRoster)
        pages.grouped(RequireRole(ServicesController.staff)).post(.services(.campaignRemind(.key)), use: remind)
    }

    @Sendable func campaign(req: Request) async throws -> Response {
        try await renderCampaign(req, id: try req.pathID(), error: nil, values: [:])
    }

    func renderCampaign(_ req: Request, id: UUID, error: AppError?, values: [String: String]) async throws -> Response {
        let actor = try req.requireActor()
        let head = try await CampaignFormService.head(id, for: actor, on: req.db)
        var model = ServicesViews.CampaignModel(
            id: id, kind: head.kind, title: head.title, description: head.description ?? "",
            status: head.status, staff: actor.role.isGridStaff,
            mayReveal: actor.role.mayRevealPersonalNumbers, error: error, values: values,
            flash: req.query[String.self, at: "done"])
        switch head.kind {
        case .registration: model.form = try await CampaignFormService.view(id, for: actor, on: req.db)
        case .checkin:
            if actor.role.isGridStaff {
                model.days = try await CheckinService.days(id, for: actor, now: req.now, on: req.db)
                let date = req.query[String.self, at: "date"] ?? model.days?.first?.date
                if let date {
                    model.missedDate = date
                    model.missedNode = req.query[String.self, at: "node"].flatMap { $0.isEmpty ? nil : $0 }
                    model.missed = try await CheckinService.missed(id, on: date, node: model.missedNode, for: actor, on: req.db)
                    model.groups = try await CheckinService.missedByGroup(id, on: date, for: actor, on: req.db)
                    model.alerts = try await CheckinService.alerts(id, on: date, for: actor, on: req.db)
                }
                model.rosterQuery = values["q"] ?? req.query[String.self, at: "q"] ?? ""
                model.roster = try await ServicesQueries.people(
                    matching: model.rosterQuery, roles: [.resident], for: actor, limit: Self.choiceLimit, offset: 0, roster: id, on: req.db)
                model.enrolled = req.query[Int.self, at: "enrolled"]
                model.reminded = req.query[Int.self, at: "reminded"]
            } else {
                model.mine = try await CheckinService.mine(id, for: actor, now: req.now, on: req.db)
            }
        default: model.figures = try await CampaignService.figures(id, for: actor, on: req.db)
        }
        return ServicesViews.campaign(model, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    /// The plain-number export from the campaign page: the CSV, or the page again with the
    /// purpose fields' errors.
    @Sendable func exportEntries(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        guard actor.role.mayRevealPersonalNumbers else { throw AppError.forbidden }
        let id = try req.pathID()
        let input = try req.content.decode(ServicesController.PlainExportInput.self)
        do {
            let purpose = try StatedPurpose.required(purpose: input.purpose, detail: input.purpose_detail)
            let csv = try await CampaignFormService.csv(
                id, plain: true, purpose: purpose, writer: try ServicesController.writer(req),
                vault: req.services.vault, lang: req.fileLang, on: req.db)
            return RegistryTransferController.csvResponse(csv, name: "entries", node: id.uuidString.prefix(8).description)
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await renderCampaign(
                req, id: id, error: error,
                values: ["purpose": input.purpose ?? "", "purpose_detail": input.purpose_detail ?? ""])
        }
    }

    /// The form's inputs are `f_<field id>` (one value) or `f_<field id>_<n>` (the n-th option of
    /// a multiple choice, ticked).
    static func answers(_ form: [String: String]) -> [String: [String]] {
        var answers: [String: [String]] = [:]
        for (key, value) in form where key.hasPrefix("f_") {
            let rest = key.dropFirst(2)
            let parts = rest.split(separator: "_", maxSplits: 1)
            answers[String(parts[0]), default: []].append(value)
        }
        return answers
    }

    @Sendable func checkIn(req: Request) async throws -> Response {
        let id = try req.pathID()
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        let input = CheckinService.CheckinInput(note: form["note"], answers: Self.answers(form))
        do {
            let done = try await CheckinService.checkIn(id, input, writer: try ServicesController.writer(req), on: req.db)
            return req.redirect(
                to: SiteURL.services(.campaign(.value(id))).path([("done", done.alert ? "checked_alert" : "checked")]), redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await renderCampaign(req, id: id, error: error, values: form.filter { $0.key != "csrf" })
        }
    }

    struct RosterForm: Content { var node: String?; var usernames: [String]?; var q: String? }

    /// Staff put residents on a check-in roster (`CheckinService.enrol`): those under a grid node
    /// and those ticked by name; a refusal shows the campaign again with the sentence by the field.
    /// 提醒: who has not checked in today hears of it (once a day each).
    @Sendable func remind(req: Request) async throws -> Response {
        let id = try req.pathID()
        do {
            let done = try await CheckinService.remind(id, writer: try ServicesController.writer(req), on: req.db)
            return req.redirect(
                to: SiteURL.services(.campaign(.value(id))).path([("done", "reminded"), ("reminded", String(done.reminded))]), redirectType: .normal)
        } catch {
            guard let refusal = Self.refusal(error) else { throw error }
            return try await renderCampaign(req, id: id, error: refusal, values: [:])
        }
    }

    @Sendable func enrolRoster(req: Request) async throws -> Response {
        let id = try req.pathID()
        let form = try req.content.decode(RosterForm.self)
        do {
            let done = try await CheckinService.enrol(
                id, .init(node: form.node, usernames: form.usernames), writer: try ServicesController.writer(req), on: req.db)
            return req.redirect(
                to: SiteURL.services(.campaign(.value(id))).path([("done", "roster"), ("enrolled", String(done.enrolled)), ("q", form.q ?? "")]),
                redirectType: .normal)
        } catch {
            guard let refusal = Self.refusal(error) else { throw error }
            return try await renderCampaign(req, id: id, error: refusal, values: ["node": form.node ?? "", "q": form.q ?? ""])
        }
    }

    @Sendable func selfEnrol(req: Request) async throws -> Response {
        let id = try req.pathID()
        do {
            try await CheckinService.selfEnrol(id, writer: try ServicesController.writer(req), on: req.db)
            return req.redirect(to: SiteURL.services(.campaign(.value(id))).path([("done", "enrolled")]), redirectType: .normal)
        } catch let error as AppError where error.status == .conflict {
            return try await renderCampaign(req, id: id, error: error, values: [:])
        }
    }

    @Sendable func submitEntry(req: Request) async throws -> Response {
        let id = try req.pathID()
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        do {
            _ = try await CampaignFormService.submit(
                id, Self.answers(form), writer: try ServicesController.writer(req),
                vault: req.services.vault, on: req.db)
            return req.redirect(to: SiteURL.services(.campaign(.value(id))).path([("done", "registered")]), redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await renderCampaign(req, id: id, error: error, values: form)
        }
    }
}
