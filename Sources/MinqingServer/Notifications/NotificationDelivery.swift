import Crypto
import Fluent
import Foundation
import MinqingDomain
import Vapor

/// Sends the outbox to the phone gateway. Each message is one `POST` of JSON to the configured
/// webhook with
/// - `Idempotency-Key`: the outbox row's id, the same on every try, so a gateway that saw a try
///   whose answer was lost does not send the text twice;
/// - `X-Minqing-Timestamp` (Unix seconds) and `X-Minqing-Signature: sha256=<hex>`, the HMAC-SHA256
///   of `timestamp + "." + body` under the shared secret, so the gateway can refuse forgeries and
///   replays.
/// A 2xx answer marks it sent; anything else (or no answer within 10 s) waits for the next try
/// (`DeliveryBackoff`), and after the last one it is a dead letter that staff see and may send
/// again. `minqing notifications deliver` runs one pass; `serve` runs one every 15 seconds while
/// a gateway is configured.
enum NotificationDelivery {
    static let batch = 50
    /// How long a claimed message is kept from other passes while it is being sent.
    static let lease: TimeInterval = 120
    static let interval: Duration = .seconds(15)
    /// The webhook body: keys sorted, so the signed bytes are stable.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    struct Payload: Content {
        var id: UUID
        var kind: String
        var to: String
        var title: String
        var detail: String
        var path: String
        var urgent: Bool
        var created_at: Date
    }

    struct Pass: Sendable, Equatable {
        var sent = 0
        var failed = 0
        var dead = 0
        var expired = 0
        var purged = 0
    }

    /// One pass at `now`: drops notifications past keeping, expires phone messages a day late,
    /// then sends what is due.
    static func deliver(_ app: Application, now: Date) async throws -> Pass {
        var pass = Pass()
        pass.purged = try await NotificationQueries.purge(before: Notifications.keptSince(now), limit: 5_000, on: app.db)
        guard let gateway = app.services.config.notifyGateway, let url = URL(string: gateway.url) else { return pass }
        pass.expired = try await NotificationQueries.expire(dueBefore: now.addingTimeInterval(-Notifications.expireAfter), on: app.db)
        let due = try await NotificationQueries.claimDue(now: now, lease: now.addingTimeInterval(lease), limit: batch, on: app.db)
        let key = SymmetricKey(data: Data(gateway.secret.utf8))
        for message in due {
            let attempts = message.attempts + 1
            let problem: String?
            do {
                problem = try await send(message, to: url, key: key, app: app, now: now)
            } catch {
                problem = String(String(describing: error).prefix(200))
            }
            if let problem {
                let wait = DeliveryBackoff.wait(afterFailures: attempts)
                try await NotificationQueries.markFailed(
                    message.id, attempts: attempts, error: problem, next: wait.map { now.addingTimeInterval(Double($0)) }, now: now, on: app.db)
                if wait == nil { pass.dead += 1 } else { pass.failed += 1 }
            } else {
                try await NotificationQueries.markSent(message.id, attempts: attempts, now: now, on: app.db)
                pass.sent += 1
            }
        }
        return pass
    }

    /// One try; nil when the gateway took it, else what went wrong.
    private static func send(_ message: NotificationQueries.DueRow, to url: URL, key: SymmetricKey, app: Application, now: Date) async throws
        -> String?
    {
        guard let cipher = message.phone_cipher else { return "no mobile number" }
        let payload = Payload(
            id: message.id, kind: message.kind, to: try app.services.vault.open(cipher, kind: .phone), title: message.title_zh,
            detail: message.detail, path: message.href, urgent: message.urgent, created_at: message.created_at)
        return try await post(payload, to: url, key: key, app: app, now: now)
    }

    /// Sends one message at once, outside the outbox (a sign-in code: nothing to retry, never
    /// stored); nil when the gateway took it, else what went wrong.
    static func sendNow(_ payload: Payload, app: Application, now: Date) async throws -> String? {
        guard let gateway = app.services.config.notifyGateway, let url = URL(string: gateway.url) else { return "no gateway" }
        return try await post(payload, to: url, key: SymmetricKey(data: Data(gateway.secret.utf8)), app: app, now: now)
    }

    /// The signed `POST` of one payload.
    private static func post(_ payload: Payload, to url: URL, key: SymmetricKey, app: Application, now: Date) async throws -> String? {
        let body = try encoder.encode(payload)
        let timestamp = String(Int64(now.timeIntervalSince1970))
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.add(name: "Idempotency-Key", value: payload.id.uuidString)
        headers.add(name: "X-Minqing-Timestamp", value: timestamp)
        headers.add(name: "X-Minqing-Signature", value: "sha256=" + signature(body: body, timestamp: timestamp, key: key))
        let response = try await app.client.post(URI(string: url.absoluteString), headers: headers) { request in
            request.body = ByteBuffer(data: body)
        }
        return (200..<300).contains(response.status.code) ? nil : "HTTP \(response.status.code)"
    }

    /// The hex HMAC-SHA256 of `timestamp.body`.
    static func signature(body: Data, timestamp: String, key: SymmetricKey) -> String {
        var signed = Data(timestamp.utf8)
        signed.append(UInt8(ascii: "."))
        signed.append(body)
        return HMAC<SHA256>.authenticationCode(for: signed, using: key).map { String(format: "%02x", $0) }.joined()
    }

    /// The pass every `interval` while the server runs, when a gateway is configured; nil otherwise.
    static func startLoop(_ app: Application) -> Task<Void, Never>? {
        guard app.services.config.notifyGateway != nil else { return nil }
        return Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { break }
                do {
                    let pass = try await deliver(app, now: app.services.now())
                    if pass.sent + pass.failed + pass.dead + pass.expired > 0 {
                        app.logger.info(
                            "notifications: sent \(pass.sent), failed \(pass.failed), dead \(pass.dead), expired \(pass.expired)")
                    }
                } catch {
                    app.logger.warning("notifications: the delivery pass failed: \(String(describing: error).prefix(300))")
                }
            }
        }
    }
}
