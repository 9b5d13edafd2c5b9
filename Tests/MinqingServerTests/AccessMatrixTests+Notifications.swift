import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// Notifications (issue 22): everyone reads and marks only their own inbox and sets only their own
/// choices (another's notification is as absent as none); the phone outbox is the administrator's
/// and the subdistrict staff's, inside their scope: a dead letter of a recipient outside it is as
/// absent as one that does not exist.
extension AccessMatrixTests {
    /// A dead letter for a demo account at each fixture home's reach: `resident` (R01), `near_staff`
    /// (near) and `far_staff` (far); one for the API probe and one for the page's.
    static func addNotificationFixtures(_ app: Application, _ fixtures: inout Fixtures) async throws {
        let sql = app.db.sql
        struct A: Decodable { var id: UUID }
        for (key, username) in [("R01", "resident"), ("near", "near_staff"), ("far", "far_staff")] {
            guard let account = try await sql.raw("SELECT id FROM accounts WHERE username = \(bind: username)").first(decoding: A.self)?.id else {
                continue
            }
            for name in ["dead", "wdead"] {
                let note = UUID()
                let letter = UUID()
                let now = TestClock.pinnedNow()
                try await sql.raw(
                    """
                    INSERT INTO notifications (id, account_id, kind, title_zh, title_en, detail, href, urgent, created_at)
                    VALUES (\(bind: note), \(bind: account), 'case_update', '矩阵', 'matrix', '', '/', \(flag: false), \(bind: now))
                    """
                ).run()
                try await sql.raw(
                    """
                    INSERT INTO notification_outbox (id, notification_id, account_id, state, attempts, next_attempt_at, last_error, created_at)
                    VALUES (\(bind: letter), \(bind: note), \(bind: account), 'dead', 6, \(bind: now), 'HTTP 500', \(bind: now))
                    """
                ).run()
                fixtures.extra["\(name).\(key)"] = letter
            }
        }
    }

    static let notificationProbes: [Probe] = [
        Probe(
            method: .GET, route: "/api/v1/me/notifications", web: false, request: { _, _, _, _ in ("/api/v1/me/notifications", nil) },
            expect: "200 200 200 200 200 200 200 200 200", anonymous: 401),
        Probe(
            method: .GET, route: "/notifications", web: true, request: { _, _, _, _ in ("/notifications", nil) },
            expect: "200 200 200 200 200 200 200 200 200", anonymous: 303),
        Probe(
            method: .POST, route: "/api/v1/me/notifications/read", web: false,
            request: { _, _, _, _ in ("/api/v1/me/notifications/read", [:]) },
            expect: "200 200 200 200 200 200 200 200 200", anonymous: 401),
        Probe(
            method: .POST, route: "/notifications/read", web: true, request: { _, _, _, _ in ("/notifications/read", [:]) },
            expect: "303 303 303 303 303 303 303 303 303", anonymous: 403),
        // Another account's notification (the fixture's, of `resident`, `near_staff`, `far_staff`)
        // is not found for anyone, its owner's own session aside.
        Probe(
            method: .POST, route: "/notifications/:id/open", web: true,
            request: { _, _, _, _ in ("/notifications/\(UUID())/open", [:]) },
            expect: "404 404 404 404 404 404 404 404 404", anonymous: 403),
        Probe(
            method: .GET, route: "/api/v1/me/notification-choices", web: false,
            request: { _, _, _, _ in ("/api/v1/me/notification-choices", nil) },
            expect: "200 200 200 200 200 200 200 200 200", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/me/notification-choices", web: false,
            request: { _, _, _, _ in ("/api/v1/me/notification-choices", ["to_phone": [String: Bool]()]) },
            expect: "200 200 200 200 200 200 200 200 200", anonymous: 401),
        Probe(
            method: .GET, route: "/account/notifications", web: true, request: { _, _, _, _ in ("/account/notifications", nil) },
            expect: "200 200 200 200 200 200 200 200 200", anonymous: 303),
        Probe(
            method: .POST, route: "/account/notifications", web: true, request: { _, _, _, _ in ("/account/notifications", [:]) },
            expect: "303 303 303 303 303 303 303 303 303", anonymous: 403),
        Probe(
            method: .GET, route: "/api/v1/notifications/outbox", web: false, request: { _, _, _, _ in ("/api/v1/notifications/outbox", nil) },
            expect: "200 200 403 403 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/notifications/outbox", web: true, request: { _, _, _, _ in ("/notifications/outbox", nil) },
            expect: "200 200 403 403 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/api/v1/notifications/outbox/:id/retry", web: false,
            request: { r, w, _, f in ("/api/v1/notifications/outbox/\(vid(f, "dead.\(home(r, w))"))/retry", [:]) },
            expect: "204|404 204|404 403 403 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/notifications/outbox/:id/retry", web: true,
            request: { r, w, _, f in ("/notifications/outbox/\(vid(f, "wdead.\(home(r, w))"))/retry", [:]) },
            expect: "303|404 303|404 403 403 403 403 403 403 403", anonymous: 403)
    ]
}
