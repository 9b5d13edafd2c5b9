import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The administrator's JSON API for Open311 clients: list, issue (the key is in the answer, once),
/// revoke. Only clients of subdistricts inside the administrator's scope.
struct Open311KeysController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let admin = routes.grouped("api", "v1", "open311", "clients").grouped(RequireSignIn()).grouped(RequireRole(.admin))
        admin.get(use: list)
        admin.post(use: issue)
        admin.post(":id", "revoke", use: revoke)
    }

    struct IssueInput: Content { var name: String?; var jurisdiction_id: String? }
    struct Issued: Content { var client: Open311ClientRecord; var api_key: String }

    @Sendable func list(req: Request) async throws -> [Open311ClientRecord] {
        try await Open311Queries.clients(in: req.requireActor().scope, on: req.db)
    }

    @Sendable func issue(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let input = try req.content.decode(IssueInput.self)
        let jurisdiction = try await Self.jurisdiction(input.jurisdiction_id, for: actor, on: req.db)
        let (client, key) = try await Open311Service.issueKey(
            name: input.name ?? "", jurisdiction: jurisdiction, by: actor.auditName,
            actorID: actor.accountID, now: req.services.now(), on: req.db)
        return try await Issued(client: client, api_key: key).encodeResponse(status: .created, for: req)
    }

    @Sendable func revoke(req: Request) async throws -> HTTPStatus {
        let actor = try req.requireActor()
        guard let id = req.parameters.get("id", as: UUID.self) else {
            throw AppError.notFound("客户端不存在或不在您的范围内", "No such client in your scope")
        }
        try await Open311Service.revoke(id, scope: actor.scope, by: actor.auditName, actorID: actor.accountID, now: req.services.now(), on: req.db)
        return .noContent
    }

    /// The subdistrict a key is for: the one named, or the only one in the administrator's scope;
    /// always inside the scope.
    static func jurisdiction(_ code: String?, for actor: Actor, on db: any Database) async throws -> UUID {
        if let code = code?.trimmingCharacters(in: .whitespaces).nilIfEmpty {
            guard let id = try await Open311Queries.subdistrict(code: code, in: actor.scope, on: db) else {
                throw AppError.validation("jurisdiction_id", zh: "须为您范围内某街道的编码", en: "Must be the code of a subdistrict in your scope")
            }
            return id
        }
        let ids = try await Open311Queries.subdistricts(in: actor.scope, on: db)
        guard ids.count == 1, let only = ids.first else {
            throw AppError.validation(
                "jurisdiction_id", zh: "您的范围内有多个街道，请给出街道编码", en: "Several subdistricts are in your scope; give the subdistrict's code")
        }
        return only
    }
}
