import Foundation
import MinqingDomain
import Vapor

/// 代办 (`Proxies`): the forms on My data, and `GET|POST /api/v1/me/proxies`,
/// `POST /api/v1/me/proxies/{id}/end`.
struct ProxyPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let residents = routes.grouped(RequireSignIn(), RequireRole(.resident))
        residents.post(.account(.proxies), use: linkForm)
        residents.post(.account(.proxyEnd(.key)), use: endForm)
        residents.get("api", "v1", "me", "proxies", use: overview)
        residents.post("api", "v1", "me", "proxies", use: link)
        residents.post("api", "v1", "me", "proxies", ":id", "end", use: end)
    }

    struct LinkForm: Content { var person_id: String?; var consent: String? }

    @Sendable func overview(req: Request) async throws -> Proxies.Overview {
        try await Proxies.overview(for: try req.requireActor(), today: CivilDate(req.now, in: .shanghai), on: req.db)
    }

    @Sendable func link(req: Request) async throws -> Response {
        let id = try await Proxies.link(try req.content.decode(Proxies.LinkInput.self), writer: try req.writeContext(), on: req.db)
        return try await RegistryController.Created(id: id).encodeResponse(status: .created, for: req)
    }

    @Sendable func end(req: Request) async throws -> HTTPStatus {
        try await Proxies.end(try req.pathID(), writer: try req.writeContext(), on: req.db)
        return .noContent
    }

    @Sendable func linkForm(req: Request) async throws -> Response {
        let form = (try? req.content.decode(LinkForm.self)) ?? .init()
        let input = Proxies.LinkInput(person_id: form.person_id.flatMap(UUID.init(uuidString:)), consent: form.consent == "true")
        do {
            _ = try await Proxies.link(input, writer: try req.writeContext(), on: req.db)
            return req.redirect(to: SiteURL.account(.data).path([("done", "proxy")]) + "#proxies", redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            let fields = error.fields.isEmpty ? [FieldError(field: "proxy", messageZH: error.messageZH, messageEN: error.messageEN)] : error.fields
            return try await PersonalDataPages().render(req, errors: [], form: .init(), status: error.status, proxyErrors: fields)
        }
    }

    @Sendable func endForm(req: Request) async throws -> Response {
        try await Proxies.end(try req.pathID(), writer: try req.writeContext(), on: req.db)
        return req.redirect(to: SiteURL.account(.data).path + "#proxies", redirectType: .normal)
    }
}
