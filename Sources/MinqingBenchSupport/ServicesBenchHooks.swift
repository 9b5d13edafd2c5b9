import Fluent
import Foundation
import MinqingDemo
import MinqingDomain
import MinqingServer
import NIOCore
import SQLKit
import Vapor

/// Hooks for `minqing-bench services.reservation_rush`: resident accounts with API tokens, each
/// linked to its own demo household (bulk inserts), a limited-stock campaign for the subdistrict,
/// and the real application listening on 127.0.0.1.
extension BenchHooks {
    public struct ReservationRush: Sendable {
        public let campaign: UUID
        public let tokens: [String]
        public let stock: Int
        public let limit: Int
    }

    /// Up to `households` resident accounts (bounded by the demo's households), a campaign of
    /// `stock` items with `limit` per household.
    public static func prepareReservationRush(_ app: Application, households: Int, stock: Int, limit: Int) async throws -> ReservationRush {
        struct H: Decodable { var id: UUID; var grid_node_id: UUID; var subdistrict_id: UUID? }
        let rows = try await app.db.sql.raw(
            """
            SELECT h.id, h.grid_node_id, n.subdistrict_id FROM households h JOIN grid_nodes n ON n.id = h.grid_node_id
            WHERE h.id NOT IN (SELECT household_id FROM resident_households) ORDER BY h.id LIMIT \(count: households)
            """
        ).all(decoding: H.self)
        guard let first = rows.first else { throw AppError.notFound("没有住户", "No households") }
        let hash = try await AccessService.hashPassword(Secrets.token(), app)
        let now = app.services.now()
        let tokens = rows.map { _ in Secrets.token() }
        try await app.db.write { db in
            var accounts = BulkInserter(
                table: Account.schema,
                columns: [
                    "id", "subdistrict_id", "username", "display_name", "role", "grid_node_id",
                    "password_hash", "must_change_password", "disabled", "created_at"
                ])
            var sessions = BulkInserter(
                table: AuthSession.schema, columns: ["id", "token_hash", "kind", "account_id", "csrf_token", "expires_at", "created_at"])
            var links = BulkInserter(table: "resident_households", columns: ["id", "account_id", "household_id"])
            for (n, h) in rows.enumerated() {
                let account = UUID(), token = tokens[n]
                accounts.append([
                    SQLBind(account), bindOrNull(h.subdistrict_id), SQLBind("rush\(n)"), SQLBind("抢购\(n)"), SQLBind(Role.resident.rawValue),
                    SQLBind(h.grid_node_id), SQLBind(hash), SQLBind(false), SQLBind(false), SQLBind(now)
                ])
                sessions.append([
                    SQLBind(UUID()), SQLBind(Secrets.hash(token)), SQLBind("api"), SQLBind(account), SQLBind(Secrets.token()),
                    SQLBind(now.addingTimeInterval(86_400)), SQLBind(now)
                ])
                links.append([SQLBind(UUID()), SQLBind(account), SQLBind(h.id)])
            }
            try await accounts.flush(on: db)
            try await sessions.flush(on: db)
            try await links.flush(on: db)
        }
        let campaign = UUID()
        try await app.db.sql.raw(
            """
            INSERT INTO service_campaigns (id, subdistrict_id, grid_node_id, kind, title, stock_total, remaining, per_household_limit, pickup_place, status, created_at)
            SELECT \(bind: campaign), n.subdistrict_id, COALESCE(n.subdistrict_id, n.id), 'reservation', '口罩预约（压测）', \(bind: stock), \(bind: stock),
                   \(bind: limit), '居委会', 'open', \(bind: now)
            FROM grid_nodes n WHERE n.id = \(bind: first.grid_node_id)
            """
        ).run()
        return ReservationRush(campaign: campaign, tokens: tokens, stock: stock, limit: limit)
    }

    /// Another campaign like `campaign` (same node, stock and limit), for a second run over the
    /// same households.
    public static func cloneRushCampaign(_ app: Application, _ campaign: UUID) async throws -> UUID {
        let id = UUID()
        try await app.db.sql.raw(
            """
            INSERT INTO service_campaigns (id, subdistrict_id, grid_node_id, kind, title, stock_total, remaining, per_household_limit, pickup_place, status, created_at)
            SELECT \(bind: id), subdistrict_id, grid_node_id, kind, title, stock_total, stock_total, per_household_limit, pickup_place, 'open', created_at
            FROM service_campaigns WHERE id = \(bind: campaign)
            """
        ).run()
        return id
    }

    /// An HTTP client for the rush with its own connection pool: up to `connections` at once to
    /// the server (Vapor's shared `app.client` opens at most 8 per host, so 200 requests "in
    /// flight" through it were 8 on the wire and 192 waiting inside the client).
    public final class RushClient: Sendable {
        let client: HTTPClient

        public init(_ app: Application, connections: Int) {
            var config = HTTPClient.Configuration()
            config.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
            client = HTTPClient(eventLoopGroupProvider: .shared(app.eventLoopGroup), configuration: config)
        }

        /// POSTs `json` with a bearer token; the response status code.
        public func post(_ url: String, token: String, json: String) async throws -> UInt {
            var request = try HTTPClient.Request(url: url, method: .POST)
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .string(json)
            return try await client.execute(request: request).get().status.code
        }

        /// GETs `url`; the response status code (the body is read and dropped).
        public func get(_ url: String) async throws -> UInt {
            try await client.execute(request: try HTTPClient.Request(url: url, method: .GET)).get().status.code
        }

        public func shutdown() async throws { try await client.shutdown() }
    }

    /// Starts the application's HTTP server on 127.0.0.1:`port`.
    public static func listen(_ app: Application, port: Int) async throws {
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = port
        try await app.server.start(address: .hostname("127.0.0.1", port: port))
    }

    /// Stops the server `listen` started (before the application shuts down).
    public static func stopListening(_ app: Application) async {
        await app.server.shutdown()
    }

    /// What the database holds after a rush: items granted, the largest household claim, stock left.
    public static func reservationRushOutcome(_ app: Application, campaign: UUID) async throws -> (granted: Int, maxClaim: Int, remaining: Int) {
        struct R: Decodable { var granted: Int64?; var max_claim: Int64?; var remaining: Int64? }
        let row = try await app.db.sql.raw(
            """
            SELECT (SELECT CAST(SUM(quantity) AS BIGINT) FROM campaign_reservations WHERE campaign_id = \(bind: campaign)) AS granted,
                   (SELECT CAST(MAX(claimed) AS BIGINT) FROM campaign_household_claims WHERE campaign_id = \(bind: campaign)) AS max_claim,
                   (SELECT CAST(remaining AS BIGINT) FROM service_campaigns WHERE id = \(bind: campaign)) AS remaining
            """
        ).first(decoding: R.self)
        return (Int(row?.granted ?? 0), Int(row?.max_claim ?? 0), Int(row?.remaining ?? -1))
    }
}
