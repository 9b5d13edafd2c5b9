import Fluent
import Foundation
import MinqingDomain
import Plot
import Vapor

/// The page forms of the organisation writes the API had alone: a post (示范岗, 责任区, 突击队)
/// of an organisation, ending a membership, recording a member's 亮身份 choice, building-group
/// leaders (楼组长) and the organisations' CSV export. Each through the service the JSON API
/// calls, under the API's role list: managers for posts and members, grid staff for leaders and
/// the export. Registered by `OrganisationsPages`.
///
/// `POST /api/v1/organisations/close-expired` has no form: the same pass runs whenever a manager
/// opens `/organisations`, and reads treat a temporary branch as closed on its end date anyway,
/// so nobody has it to do by hand; the API route stays for schedulers.
struct OrganisationWritePages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireSignIn())
        let readers = pages.grouped(RequireRole(OrganisationsQueries.readers))
        let managers = pages.grouped(RequireRole(OrganisationsQueries.managers))
        managers.post(.organisations(.posts(.key)), use: createPost)
        managers.post(.organisations(.memberEnd(.key, .key)), use: endMember)
        managers.post(.organisations(.memberIdentity(.key, .key)), use: identity)
        readers.get(.organisations(.buildingGroupLeaders), use: leaders)
        readers.post(.organisations(.buildingGroupLeaders), use: addLeader)
        readers.post(.organisations(.export), use: export)
    }

    struct PostForm: Content {
        var kind: String?; var name: String?; var mission: String?; var node: String?; var starts_on: String?; var ends_on: String?
    }

    /// A post of the organisation at its own grid area unless the form names one below.
    @Sendable func createPost(req: Request) async throws -> Response {
        let id = try req.pathID()
        let actor = try req.requireActor()
        guard let org = try await OrganisationsQueries.organisation(id, for: actor, today: OrganisationsController.today(req), on: req.db) else {
            throw OrganisationsService.notFound
        }
        let f = try req.content.decode(PostForm.self)
        let node = (f.node ?? "").trimmingCharacters(in: .whitespaces)
        do {
            _ = try await OrganisationsService.createPost(
                PostInput(
                    kind: f.kind, name: f.name, mission: f.mission, node: node.isEmpty ? org.grid_code : node, organisation_id: org.id,
                    starts_on: f.starts_on, ends_on: f.ends_on),
                writer: try ServicesController.writer(req), on: req.db)
            return req.redirect(to: SiteURL.organisations(.detail(.value(id))).path([("done", "post")]), redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await OrganisationsPages.renderDetail(req, error: error, failed: "post", form: OrganisationsViews.values(f))
        }
    }

    struct EndForm: Content { var ends_on: String? }

    @Sendable func endMember(req: Request) async throws -> Response {
        let id = try req.pathID()
        let member = try req.pathID("member")
        let f = try req.content.decode(EndForm.self)
        do {
            try await OrganisationsService.endMember(
                id, member, EndOrgMemberInput(ends_on: f.ends_on, reason: nil), writer: try ServicesController.writer(req), on: req.db)
            return req.redirect(to: SiteURL.organisations(.detail(.value(id))).path([("done", "ended")]), redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await OrganisationsPages.renderDetail(
                req, error: error, failed: "end:\(member.uuidString)", form: OrganisationsViews.values(f))
        }
    }

    /// `shows`: `true` (the default, as in the API) or `false`.
    struct IdentityForm: Content { var shows: String? }

    @Sendable func identity(req: Request) async throws -> Response {
        let id = try req.pathID()
        let member = try req.pathID("member")
        let shows = try req.content.decode(IdentityForm.self).shows != "false"
        do {
            try await OrganisationsService.setIdentity(id, member, shows: shows, writer: try ServicesController.writer(req), on: req.db)
            return req.redirect(to: SiteURL.organisations(.detail(.value(id))).path([("done", shows ? "shown" : "hidden")]), redirectType: .normal)
        } catch let error as AppError where error.status == .conflict {
            return try await OrganisationsPages.renderDetail(req, error: error, failed: "identity")
        }
    }

    /// The most leaders `/organisations/building-group-leaders` lists at once.
    static let leaderLimit = 300

    @Sendable func leaders(req: Request) async throws -> Response {
        try await Self.renderLeaders(req, error: nil, search: OrganisationsPages.nameSearch(req.query[String.self, at: "who"]))
    }

    static func renderLeaders(_ req: Request, error: AppError?, form: [String: String] = [:], search: String?) async throws -> Response {
        let actor = try req.requireActor()
        let today = OrganisationsController.today(req)
        let area = try await OrganisationsController.node(req, actor)
        var candidates: [OrganisationsQueries.PersonChoice]?
        if let search { candidates = try await OrganisationsQueries.leaderCandidates(for: actor, search: search, today: today, on: req.db) }
        let model = OrganisationsViews.LeadersModel(
            leaders: try await OrganisationsQueries.leaders(for: actor, node: area, today: today, limit: Self.leaderLimit + 1, on: req.db),
            limit: Self.leaderLimit,
            areas: try await OrganisationsQueries.nodeChoices(for: actor, deepest: .microGrid, limit: OrganisationsPages.nodeLimit, on: req.db),
            area: area?.code ?? "",
            candidates: candidates,
            search: search, error: error, form: form, flash: req.query[String.self, at: "done"])
        return OrganisationsViews.leaders(model, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    struct LeaderForm: Content { var person_id: String?; var starts_on: String?; var who: String? }

    @Sendable func addLeader(req: Request) async throws -> Response {
        let f = try req.content.decode(LeaderForm.self)
        do {
            _ = try await OrganisationsService.addLeader(
                LeaderInput(person_id: OrganisationsPages.optionalID(f.person_id), organisation_id: nil, starts_on: f.starts_on),
                writer: try ServicesController.writer(req), on: req.db)
            return req.redirect(to: SiteURL.organisations(.buildingGroupLeaders).path([("done", "leader")]), redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await Self.renderLeaders(req, error: error, form: OrganisationsViews.values(f), search: OrganisationsPages.nameSearch(f.who))
        }
    }

    struct ExportForm: Content { var node: String?; var sensitive: String?; var purpose: String?; var purpose_detail: String? }

    /// The CSV itself (a download, so no redirect), or the organisations page again with the
    /// problems of the purpose.
    @Sendable func export(req: Request) async throws -> Response {
        let f = try req.content.decode(ExportForm.self)
        do {
            let csv = try await OrganisationsExport.csv(
                ExportInput(node: f.node, sensitive: f.sensitive == "true", purpose: f.purpose, purpose_detail: f.purpose_detail),
                writer: try ServicesController.writer(req), lang: req.fileLang, on: req.db)
            return RegistryTransferController.csvResponse(csv.text, name: "organisations", node: csv.node)
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await OrganisationsPages.renderHome(req, error: error, failed: "export", form: OrganisationsViews.values(f))
        }
    }
}
