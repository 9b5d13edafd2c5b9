import Fluent
import SQLKit
import Vapor

/// Health, metrics, the OpenAPI document and the stylesheet.
struct SystemController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("healthz", use: health)
        routes.get("metrics", use: metrics)
        routes.get("openapi.json", use: openAPI)
        routes.get(.assets(.key), use: asset)
    }

    struct Health: Content { var status: String; var database: String }

    @Sendable func health(req: Request) async throws -> Response {
        let kind = req.services.config.database.kind
        do {
            try await SystemQueries.ping(on: req.db)
            return try await Health(status: "ok", database: kind).encodeResponse(for: req)
        } catch {
            req.logger.error("health check failed: \(String(reflecting: type(of: error)))")
            return try await Health(status: "unavailable", database: kind).encodeResponse(status: .serviceUnavailable, for: req)
        }
    }

    /// Only for a scraper on this host (loopback, and not a request a local proxy passed on) or
    /// one that shows `MINQING_METRICS_TOKEN`; anyone else finds nothing here.
    @Sendable func metrics(req: Request) async throws -> Response {
        guard Self.mayReadMetrics(req) else { throw AppError.notFound() }
        return Observability.render()
    }

    static func mayReadMetrics(_ req: Request) -> Bool {
        if let token = req.services.config.metricsToken, let sent = req.headers.bearerAuthorization?.token {
            return Secrets.constantTimeEquals(sent, token)
        }
        let proxied = req.headers.first(name: "X-Forwarded-For") != nil || req.headers.first(name: "Forwarded") != nil
        guard !proxied, let address = req.remoteAddress?.ipAddress else { return false }
        return address == "127.0.0.1" || address == "::1" || address.hasPrefix("127.") || address == "::ffff:127.0.0.1"
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
