import Foundation
import MinqingDomain
import Vapor

/// `/signup` (a resident signs up with a letter, on a phone, without an account); a resident's
/// code for their household (`/account/household/invite`); and `/residents/invitations` (the 居委
/// prints letters for a building group, sees who has signed up, revokes a lost letter, signs a
/// resident up at its desk, resets a forgotten password). Each page has its JSON twin under
/// `/api/v1/residents/…` and `/api/v1/me/household/invitations` (docs/residents.md).
struct InvitationPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.signup, use: signupPage)
        routes.post(.signup, use: signupForm)
        routes.post("api", "v1", "residents", "signup", use: signup)
        let residents = routes.grouped(RequireSignIn(), RequireRole(.resident))
        residents.post(.account(.householdInvite), use: inviteForm)
        residents.post("api", "v1", "me", "household", "invitations", use: invite)
        let staff = routes.grouped(RequireSignIn(), RequireRole(Invitations.issuers))
        staff.post(.residents(.desk), use: deskForm)
        staff.post(.residents(.accountReset(.key)), use: resetForm)
        staff.post("api", "v1", "residents", "accounts", ":username", "reset-password", use: reset)
        staff.post("api", "v1", "residents", "desk-signups", use: desk)
        staff.get(.residents(.invitations), use: page)
        staff.post(.residents(.invitations), use: issueForm)
        staff.post(.residents(.invitationRevoke(.key)), use: revokeForm)
        staff.get("api", "v1", "residents", "invitations", use: list)
        staff.post("api", "v1", "residents", "invitations", use: issue)
        staff.post("api", "v1", "residents", "invitations", ":id", "revoke", use: revoke)
    }

    // MARK: sign-up

    @Sendable func signup(req: Request) async throws -> Response {
        let input = try req.content.decode(Invitations.SignupInput.self)
        let done = try await Invitations.signUp(input, now: req.now, address: req.clientAddress, app: req.application, on: req.db)
        return try await done.encodeResponse(status: .created, for: req)
    }

    @Sendable func signupPage(req: Request) async throws -> Response {
        let code = req.query[String.self, at: "code"].map { String($0.prefix(40)) }
        return InvitationViews.signup(req, form: .init(code: code), errors: [], status: .ok)
    }

    @Sendable func signupForm(req: Request) async throws -> Response {
        let input = try req.content.decode(Invitations.SignupInput.self)
        do {
            let done = try await Invitations.signUp(input, now: req.now, address: req.clientAddress, app: req.application, on: req.db)
            let signedIn = try await AccessService.openSession(
                account: done.account_id, username: done.username, kind: "web", detail: [:], request: req)
            let response = req.redirect(to: SiteURL.home.path([("welcome", "1")]), redirectType: .normal)
            response.cookies[SessionCookie.name] = sessionCookie(signedIn.token, req: req, maxAge: Int(req.services.config.sessionLifetime))
            return response
        } catch let error as AppError where [.unprocessableEntity, .conflict, .tooManyRequests].contains(error.status) {
            let fields = error.fields.isEmpty ? [FieldError(field: "code", messageZH: error.messageZH, messageEN: error.messageEN)] : error.fields
            // The ID number and the passwords are not put back into the page.
            let kept = Invitations.SignupInput(code: input.code, name: input.name, phone: input.phone, username: input.username)
            return InvitationViews.signup(req, form: kept, errors: fields, status: error.status)
        }
    }

    // MARK: a resident invites their household

    @Sendable func invite(req: Request) async throws -> Response {
        let letter = try await Invitations.inviteMember(
            actor: try req.requireActor(), vault: req.services.vault, now: req.now, address: req.clientAddress, on: req.db)
        return try await letter.encodeResponse(status: .created, for: req)
    }

    @Sendable func inviteForm(req: Request) async throws -> Response {
        do {
            let letter = try await Invitations.inviteMember(
                actor: try req.requireActor(), vault: req.services.vault, now: req.now, address: req.clientAddress, on: req.db)
            return InvitationViews.memberLetter(letter, origin: Self.origin(req), ctx: req.pageContext)
        } catch let error as AppError where error.status == .conflict {
            return InvitationViews.memberLetterRefused(error, ctx: req.pageContext)
        }
    }

    // MARK: at the desk

    @Sendable func desk(req: Request) async throws -> Response {
        let done = try await Invitations.signUpAtDesk(
            try req.content.decode(Invitations.DeskInput.self), writer: try req.writeContext(), app: req.application, on: req.db)
        return try await done.encodeResponse(status: .created, for: req)
    }

    struct DeskForm: Content {
        var node: String?; var household_id: String?; var name: String?; var id_number: String?; var phone: String?; var username: String?
    }

    @Sendable func deskForm(req: Request) async throws -> Response {
        let form = try req.content.decode(DeskForm.self)
        let input = Invitations.DeskInput(
            household_id: form.household_id.flatMap(UUID.init(uuidString:)), name: form.name, id_number: form.id_number, phone: form.phone,
            username: form.username)
        do {
            let done = try await Invitations.signUpAtDesk(input, writer: try req.writeContext(), app: req.application, on: req.db)
            return InvitationViews.deskDone(done, node: form.node ?? "", ctx: req.pageContext)
        } catch let error as AppError where error.status == .unprocessableEntity || error.status == .conflict {
            let fields =
                error.fields.isEmpty ? [FieldError(field: "id_number", messageZH: error.messageZH, messageEN: error.messageEN)] : error.fields
            var kept = input
            kept.id_number = nil
            return InvitationViews.page(
                try await overview(req, code: form.node), errors: [], desk: (kept, fields), done: nil, ctx: req.pageContext, status: error.status)
        }
    }

    @Sendable func reset(req: Request) async throws -> Invitations.Reset {
        try await Invitations.resetAtDesk(
            username: req.parameters.get("username") ?? "", writer: try req.writeContext(), app: req.application, on: req.db)
    }

    @Sendable func resetForm(req: Request) async throws -> Response {
        struct Form: Content { var node: String? }
        let form = try req.content.decode(Form.self)
        let done = try await Invitations.resetAtDesk(
            username: req.parameters.get("username") ?? "", writer: try req.writeContext(), app: req.application, on: req.db)
        return InvitationViews.resetDone(done, node: form.node ?? "", ctx: req.pageContext)
    }

    // MARK: letters

    struct Overview: Content {
        var node: GridNodeSummary; var children: [InvitationQueries.Coverage]; var households: [InvitationQueries.Household]
        var accounts: [InvitationQueries.ResidentAccount] = []
    }

    /// The node `code` (default: the caller's root): its children's coverage, or a building
    /// group's households.
    func overview(_ req: Request, code: String?) async throws -> Overview {
        let actor = try req.requireActor()
        let code = code?.nilIfEmpty ?? actor.scope.rootCode
        guard let node = try await GridQueries.node(code: code, in: actor.scope, on: req.db) else {
            throw AppError.notFound("找不到该网格节点", "No such grid node")
        }
        if node.level == .buildingGroup {
            return Overview(
                node: node, children: [], households: try await InvitationQueries.households(of: node.id, now: req.now, on: req.db),
                accounts: try await InvitationQueries.residentAccounts(of: node.id, on: req.db))
        }
        return Overview(
            node: node, children: try await InvitationQueries.coverage(under: node.id, in: actor.scope, now: req.now, on: req.db), households: [])
    }

    @Sendable func list(req: Request) async throws -> Overview { try await overview(req, code: req.query[String.self, at: "node"]) }

    @Sendable func issue(req: Request) async throws -> Response {
        let letters = try await Invitations.issue(
            try req.content.decode(Invitations.IssueInput.self), writer: try req.writeContext(), vault: req.services.vault, on: req.db)
        return try await letters.encodeResponse(status: .created, for: req)
    }

    @Sendable func revoke(req: Request) async throws -> HTTPStatus {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw AppError.notFound() }
        try await Invitations.revoke(id, try req.content.decode(Invitations.RevokeInput.self), writer: try req.writeContext(), on: req.db)
        return .noContent
    }

    @Sendable func page(req: Request) async throws -> Response {
        InvitationViews.page(
            try await overview(req, code: req.query[String.self, at: "node"]), errors: [], desk: nil, done: req.query[String.self, at: "done"],
            ctx: req.pageContext, status: .ok)
    }

    struct IssueForm: Content { var node: String?; var valid_days: String?; var household_id: String? }

    @Sendable func issueForm(req: Request) async throws -> Response {
        let form = try req.content.decode(IssueForm.self)
        let days = form.valid_days?.trimmingCharacters(in: .whitespaces)
        let input = Invitations.IssueInput(
            node: form.node, valid_days: days.map { Int($0) ?? -1 }, household_id: form.household_id.flatMap(UUID.init(uuidString:)))
        do {
            let letters = try await Invitations.issue(input, writer: try req.writeContext(), vault: req.services.vault, on: req.db)
            guard let node = try await Invitations.buildingGroup(form.node, actor: try req.requireActor(), on: req.db) else {
                throw AppError.notFound()
            }
            return InvitationViews.letters(letters, node: node, origin: Self.origin(req), ctx: req.pageContext)
        } catch let error as AppError where error.status == .unprocessableEntity || error.status == .conflict {
            return InvitationViews.page(
                try await overview(req, code: form.node),
                errors: error.fields.isEmpty
                    ? [FieldError(field: "valid_days", messageZH: error.messageZH, messageEN: error.messageEN)] : error.fields,
                desk: nil, done: nil, ctx: req.pageContext, status: error.status)
        }
    }

    struct RevokeForm: Content { var reason: String?; var node: String? }

    @Sendable func revokeForm(req: Request) async throws -> Response {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw AppError.notFound() }
        let form = try req.content.decode(RevokeForm.self)
        do {
            try await Invitations.revoke(id, .init(reason: form.reason), writer: try req.writeContext(), on: req.db)
            return req.redirect(to: SiteURL.residents(.invitations).path([("node", form.node ?? ""), ("done", "revoked")]), redirectType: .normal)
        } catch let error as AppError where error.status == .unprocessableEntity {
            return InvitationViews.page(
                try await overview(req, code: form.node), errors: error.fields, desk: nil, done: nil, ctx: req.pageContext, status: error.status)
        }
    }

    /// Where the letters send residents: this site as the staff member reached it.
    static func origin(_ req: Request) -> String {
        let host = req.headers.first(name: .host) ?? "127.0.0.1"
        return (req.services.config.secureCookies ? "https://" : "http://") + host
    }
}
