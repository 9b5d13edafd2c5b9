import MinqingDomain
import Vapor

/// JSON API for managing accounts within the caller's subtree (administrators, subdistrict staff).
struct AccountController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let accounts = routes.grouped("api", "v1", "accounts")
            .grouped(RequireSignIn(), RequireRole(.admin, .subdistrictStaff))
        accounts.get(use: list)
        accounts.post(use: create)
        accounts.get(":username", use: show)
        accounts.patch(":username", use: update)
    }

    struct Page: Content { var items: [AccountView]; var total: Int; var limit: Int; var offset: Int }

    @Sendable func list(req: Request) async throws -> Page {
        let actor = try req.requireActor()
        let limit = try Paging.limit(req)
        let offset = try Paging.offset(req)
        var role: Role?
        if let raw = req.query[String.self, at: "role"] {
            guard let parsed = Role(rawValue: raw) else {
                throw AppError.validation("role", zh: "未知角色", en: "Unknown role")
            }
            role = parsed
        }
        let rows = try await AccountQueries.list(in: actor.scope, role: role, limit: limit, offset: offset, on: req.db)
        let total = try await AccountQueries.count(in: actor.scope, role: role, on: req.db)
        return Page(items: rows.map(AccountView.init(row:)), total: total, limit: limit, offset: offset)
    }

    struct CreateRequest: Content {
        var username: String
        var display_name: String
        var role: String
        var scope: String
        var password: String?
    }
    struct CreateResponse: Content { var account: AccountView; var initial_password: String? }

    @Sendable func create(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let body = try req.content.decode(CreateRequest.self)
        let created = try await AccountService.create(
            NewAccount(
                username: body.username, displayName: body.display_name, role: body.role, scopeCode: body.scope,
                password: body.password, mustChangePassword: true),
            by: .actor(actor, clientAddress: req.clientAddress), app: req.application, on: req.db, now: req.now)
        guard let row = try await AccountQueries.find(username: created.username, in: actor.scope, on: req.db) else {
            throw AppError.notFound()
        }
        return try await CreateResponse(account: AccountView(row: row), initial_password: created.initialPassword)
            .encodeResponse(status: .created, for: req)
    }

    @Sendable func show(req: Request) async throws -> AccountView {
        let actor = try req.requireActor()
        guard let row = try await AccountQueries.find(username: req.parameters.get("username") ?? "", in: actor.scope, on: req.db) else {
            throw AppError.notFound("账号不存在", "No such account")
        }
        return AccountView(row: row)
    }

    struct UpdateRequest: Content { var disabled: Bool? }

    @Sendable func update(req: Request) async throws -> AccountView {
        let actor = try req.requireActor()
        let body = try req.content.decode(UpdateRequest.self)
        guard let disabled = body.disabled else {
            throw AppError.validation("disabled", zh: "请给出 disabled（true 或 false）", en: "Give disabled (true or false)")
        }
        let row = try await AccountService.setDisabled(
            disabled, username: req.parameters.get("username") ?? "", writer: WriteContext(actor, req), on: req.db)
        return AccountView(row: row)
    }
}

/// `limit` and `offset` query parameters, checked.
enum Paging {
    static func limit(_ req: Request, default value: Int = 50, max: Int = 500) throws -> Int {
        guard let raw = req.query[String.self, at: "limit"] else { return value }
        guard let limit = Int(raw), (1...max).contains(limit) else {
            throw AppError.validation("limit", zh: "limit 须为 1 到 \(max) 的整数", en: "limit must be an integer from 1 to \(max)")
        }
        return limit
    }

    static func offset(_ req: Request) throws -> Int {
        guard let raw = req.query[String.self, at: "offset"] else { return 0 }
        guard let offset = Int(raw), offset >= 0 else {
            throw AppError.validation("offset", zh: "offset 须为非负整数", en: "offset must be a non-negative integer")
        }
        return offset
    }
}
