import Fluent
import SQLKit
import Vapor

/// Health, metrics, the OpenAPI document and the stylesheet.
struct SystemController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("healthz", use: health)
        routes.get("metrics", use: metrics)
        routes.get("openapi.json", use: openAPI)
        routes.get("assets", ":file", use: asset)
    }

    struct Health: Content { var status: String; var database: String }

    @Sendable func health(req: Request) async throws -> Response {
        let kind = req.services.config.database.kind
        do {
            _ = try await req.db.sql.raw("SELECT 1 AS ok").first()
            return try await Health(status: "ok", database: kind).encodeResponse(for: req)
        } catch {
            req.logger.error("health check failed: \(String(reflecting: type(of: error)))")
            return try await Health(status: "unavailable", database: kind).encodeResponse(status: .serviceUnavailable, for: req)
        }
    }

    @Sendable func metrics(req: Request) async throws -> Response {
        Observability.render()
    }

    @Sendable func openAPI(req: Request) async throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: OpenAPIDocument.json))
    }

    @Sendable func asset(req: Request) async throws -> Response {
        guard req.url.path == Styles.path else { throw AppError.notFound() }
        return Styles.response()
    }
}
