import Fluent
import Foundation
import MinqingDomain
import Vapor

/// The staff's volunteer pages: `/services/activities/{id}`, an activity's sign-ups on a phone at
/// the activity, each person checked in with one tap (`VolunteerService.checkIn`, which credits
/// the minutes to their time bank); `/services/teams/{id}`, a team's members, one added by
/// choosing them by name from the residents and volunteers in scope (`TeamService.addMember`) and
/// one leaving with a tap (`TeamService.leave`). The same service functions as the JSON API; a
/// refusal shows the page again with the sentence beside the field or the person.
extension ServicesPages {
    struct CheckInForm: Content { var username: String?; var q: String? }
    struct MemberForm: Content { var username: String?; var role: String?; var joined_on: String?; var q: String? }

    /// People offered on a team page, found by name.
    static let choiceLimit = 50

    func bootVolunteers(_ pages: any RoutesBuilder) {
        let staff = pages.grouped(RequireRole(ServicesController.staff))
        staff.get(.services(.activity(.key)), use: activityPage)
        staff.post(.services(.activityCheckIn(.key)), use: activityCheckIn)
        staff.get(.services(.team(.key)), use: teamPage)
        staff.post(.services(.teamMembers(.key)), use: addTeamMember)
        staff.post(.services(.teamLeave(.key, .key)), use: teamLeave)
    }

    @Sendable func activityPage(req: Request) async throws -> Response {
        try await renderActivity(
            req, id: try req.pathID(notFound: VolunteerService.notFound), query: req.query[String.self, at: "q"] ?? "", error: nil, failed: nil)
    }

    /// An activity and its sign-ups whose name contains `query`; `failed` is the person whose
    /// check-in was refused.
    func renderActivity(_ req: Request, id: UUID, query: String, error: AppError?, failed: String?) async throws -> Response {
        let actor = try req.requireActor()
        guard let activity = try await ServicesQueries.activity(id, for: actor, on: req.db) else { throw VolunteerService.notFound }
        let model = ServicesViews.ActivityModel(
            activity: activity, signups: try await ServicesQueries.signups(id, matching: query, for: actor, on: req.db), query: query,
            error: error, failed: failed, flash: req.query[String.self, at: "done"])
        return ServicesViews.activity(model, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    @Sendable func activityCheckIn(req: Request) async throws -> Response {
        let id = try req.pathID(notFound: VolunteerService.notFound)
        let form = try req.content.decode(CheckInForm.self)
        do {
            _ = try await VolunteerService.checkIn(id, .init(username: form.username), writer: try ServicesController.writer(req), on: req.db)
            return req.redirect(
                to: SiteURL.services(.activity(.value(id))).path([("q", form.q ?? ""), ("done", "checked")]), redirectType: .normal)
        } catch {
            guard let refusal = Self.refusal(error) else { throw error }
            return try await renderActivity(req, id: id, query: form.q ?? "", error: Self.beside(refusal, "username"), failed: form.username)
        }
    }

    @Sendable func teamPage(req: Request) async throws -> Response {
        try await renderTeam(
            req, id: try req.pathID(notFound: TeamService.notFound), query: req.query[String.self, at: "q"] ?? "", error: nil, form: [:],
            failed: nil)
    }

    /// A team, its members and the form adding one; `failed` is `add` or `leave:<username>`.
    func renderTeam(_ req: Request, id: UUID, query: String, error: AppError?, form: [String: String], failed: String?) async throws
        -> Response
    {
        let actor = try req.requireActor()
        guard let team = try await ServicesQueries.team(id, for: actor, on: req.db) else { throw TeamService.notFound }
        let model = ServicesViews.TeamModel(
            team: team, members: try await ServicesQueries.teamMemberNames(id, for: actor, on: req.db),
            choices: try await ServicesQueries.people(
                matching: query, roles: [.resident, .volunteer], for: actor, limit: Self.choiceLimit, offset: 0, on: req.db),
            query: query, error: error, form: form, failed: failed, flash: req.query[String.self, at: "done"])
        return ServicesViews.team(model, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    @Sendable func addTeamMember(req: Request) async throws -> Response {
        let id = try req.pathID(notFound: TeamService.notFound)
        let form = try req.content.decode(MemberForm.self)
        do {
            _ = try await TeamService.addMember(
                id, .init(username: form.username, role: form.role, joined_on: form.joined_on), writer: try ServicesController.writer(req),
                on: req.db)
            return req.redirect(to: SiteURL.services(.team(.value(id))).path([("done", "added")]), redirectType: .normal)
        } catch {
            guard let refusal = Self.refusal(error) else { throw error }
            let typed = ["username": form.username ?? "", "role": form.role ?? "", "joined_on": form.joined_on ?? ""]
            return try await renderTeam(
                req, id: id, query: form.q ?? "", error: Self.beside(refusal, "username"), form: typed, failed: "add")
        }
    }

    @Sendable func teamLeave(req: Request) async throws -> Response {
        let id = try req.pathID(notFound: TeamService.notFound)
        let username = req.parameters.get("username") ?? ""
        do {
            try await TeamService.leave(id, username: username, writer: try ServicesController.writer(req), on: req.db)
            return req.redirect(to: SiteURL.services(.team(.value(id))).path([("done", "left")]), redirectType: .normal)
        } catch {
            guard let refusal = Self.refusal(error) else { throw error }
            return try await renderTeam(
                req, id: id, query: "", error: Self.beside(refusal, "username"), form: [:], failed: "leave:\(username)")
        }
    }
}
