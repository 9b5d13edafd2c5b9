import Crypto
import Foundation
import MinqingDomain
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import MinqingBenchSupport
@testable import MinqingServer

/// Notifications (issue 22 item 3): events reach the people they concern and nobody else, read
/// marks, the per-kind choice of what goes to the phone, and delivery through a real webhook
/// receiver on 127.0.0.1 (signature, idempotency key, backoff, dead letter, sent again).
@Suite("Notifications: inbox, choices, outbox and the gateway")
struct NotificationsTests {
    static let group = "310106019-1-01-1-01"
    static let head = InvitationsTests.id("31010619620415003")
    static let phone = "13900139000"

    struct Inbox: Decodable {
        struct Item: Decodable { var id: UUID; var kind: String; var title: String; var detail: String; var href: String; var read: Bool }
        var total: Int; var unread: Int; var items: [Item]
    }

    func api(_ app: Application, _ username: String, password: String = demoPassword) async throws -> TestClient {
        let client = TestClient(app)
        try await client.signInAPI(username, password: password)
        return client
    }

    /// A household at the demo's first building group whose head signs up with a letter (and so
    /// has a mobile number on file); their API client.
    func signedUpResident(_ app: Application) async throws -> TestClient {
        let admin = try await api(app, "admin")
        let made = try await admin.jsonObject(
            .POST, "/api/v1/registry/households",
            [
                "node": Self.group, "address": "消息路 1 号 101 室", "moved_in_on": "2001-01-01",
                "members": [["name": "赵国强", "id_number": Self.head, "relation": "head", "residence_status": "registered"]]
            ])
        let household = try made.createdID()
        let cadre = try await api(app, "cadre")
        struct Letter: Decodable { var household_id: UUID; var code: String }
        let letters = try await cadre.jsonObject(.POST, "/api/v1/residents/invitations", ["node": Self.group, "valid_days": 7]).decode([Letter].self)
        let code = try #require(letters.first { $0.household_id == household }?.code)
        let done = try await TestClient(app).jsonObject(
            .POST, "/api/v1/residents/signup",
            ["code": code, "name": "赵国强", "id_number": Self.head, "phone": Self.phone, "username": "zhaoguoqiang", "password": "Invite-Pass-2026"])
        #expect(done.status == .created, "\(done.body.string)")
        return try await api(app, "zhaoguoqiang", password: "Invite-Pass-2026")
    }

    func count(_ app: Application, _ sql: SQLQueryString) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await app.db.sql.raw(sql).first(decoding: N.self)?.n ?? -1
    }

    @Test("a case's steps reach the resident who reported it and the department it goes to, nobody else; read marks; another's is 404")
    func caseSteps() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            try await CasesFixture.setUp(app)
            let resident = try await signedUpResident(app)
            let made = try await CasesFixture.submit(resident)
            let staff = try await api(app, "staff")
            try await CasesFixture.act(staff, made.id, "file")
            try await CasesFixture.act(staff, made.id, "dispatch", ["department": "chengguan"])

            let inbox = try await resident.get("/api/v1/me/notifications").decode(Inbox.self)
            #expect(inbox.total == 2 && inbox.unread == 2, "\(inbox)")
            #expect(inbox.items.map(\.title) == ["您的案件：\(CaseAction.dispatch.nameZH)", "您的案件：\(CaseAction.file.nameZH)"])
            #expect(
                inbox.items.allSatisfy { $0.href == "/cases/\(made.id.uuidString)" && $0.detail.hasPrefix(made.number) && $0.kind == "case_update" })
            let department = try await api(app, "h_cg")
            let assigned = try await department.get("/api/v1/me/notifications").decode(Inbox.self)
            #expect(assigned.items.map(\.kind) == ["case_assigned"])
            // The other departments and the dispatcher who acted hear nothing.
            for username in ["handler", "h_sw", "staff"] {
                #expect(try await api(app, username).get("/api/v1/me/notifications").decode(Inbox.self).total == 0, "\(username)")
            }
            // The resident has a mobile number and wants case steps on it by default: two phone
            // messages; the department's handler has no number: none.
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM notification_outbox WHERE state = 'pending'") == 2)

            // Opening one on the page marks it read and goes to the case.
            let web = TestClient(app)
            _ = try await web.signInWeb("zhaoguoqiang", password: "Invite-Pass-2026")
            let page = try await web.get("/notifications")
            #expect(page.status == .ok && page.body.string.contains("未读 2 条"))
            let csrf = try #require(TestClient.csrf(in: page.body.string))
            let opened = try await web.form("/notifications/\(inbox.items[1].id)/open", ["csrf": csrf])
            #expect(opened.status == .seeOther && opened.headers.first(name: .location) == "/cases/\(made.id.uuidString)")
            #expect(try await resident.get("/api/v1/me/notifications?unread=1").decode(Inbox.self).items.map(\.id) == [inbox.items[0].id])
            // Someone else's notification is as absent as one that does not exist.
            let otherWeb = TestClient(app)
            _ = try await otherWeb.signInWeb("h_cg")
            let otherCSRF = try #require(TestClient.csrf(in: try await otherWeb.get("/notifications").body.string))
            #expect(try await otherWeb.form("/notifications/\(inbox.items[0].id)/open", ["csrf": otherCSRF]).status == .notFound)
            #expect(
                try await department.jsonObject(.POST, "/api/v1/me/notifications/read", ["ids": [inbox.items[0].id.uuidString]]).decode(Marked.self)
                    .marked == 0)
            // Mark all read.
            #expect(try await resident.jsonObject(.POST, "/api/v1/me/notifications/read", [:]).decode(Marked.self).marked == 1)
            #expect(try await resident.get("/api/v1/me/notifications").decode(Inbox.self).unread == 0)
            #expect(try await resident.get("/api/v1/me/notifications?page=0").status == .unprocessableEntity)
        }
    }

    struct Marked: Decodable { var marked: Int }
    struct Choice: Decodable { var kind: String; var name: String; var to_phone: Bool }

    @Test("choices: a resident turns case steps off for the phone; the next step stays on the site only; staff choose among staff kinds")
    func choices() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            let resident = try await signedUpResident(app)
            let before = try await resident.get("/api/v1/me/notification-choices").decode([Choice].self)
            #expect(Set(before.map(\.kind)) == Set(NotificationKind.kinds(forResident: true).map(\.rawValue)))
            #expect(before.first { $0.kind == "case_update" }?.to_phone == true && before.first { $0.kind == "notice" }?.to_phone == false)
            // On the page: only 'booking' ticked.
            let web = TestClient(app)
            _ = try await web.signInWeb("zhaoguoqiang", password: "Invite-Pass-2026")
            let form = try await web.get("/account/notifications")
            #expect(form.body.string.contains("id=\"phone-case_update\"") && !form.body.string.contains("phone-case_assigned"))
            #expect(!form.body.string.contains("choices-no-phone"), "the signed-up resident has a number on file")
            let csrf = try #require(TestClient.csrf(in: form.body.string))
            let saved = try await web.form("/account/notifications", ["csrf": csrf, "phone[]": "booking"])
            #expect(saved.status == .seeOther)
            let after = try await resident.get("/api/v1/me/notification-choices").decode([Choice].self)
            #expect(after.filter(\.to_phone).map(\.kind) == ["booking"])
            let staff = try await api(app, "staff")
            let made = try await CasesFixture.submit(resident)
            try await CasesFixture.act(staff, made.id, "file")
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM notifications WHERE href = \(bind: "/cases/\(made.id.uuidString)")") == 1)
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM notification_outbox") == 0)
            // An unknown or a staff kind is refused for a resident, and nothing changes.
            let bad = try await resident.jsonObject(.POST, "/api/v1/me/notification-choices", ["to_phone": ["case_assigned": true]])
            #expect(bad.status == .unprocessableEntity)
            #expect(try await resident.get("/api/v1/me/notification-choices").decode([Choice].self).filter(\.to_phone).map(\.kind) == ["booking"])
            let staffChoices = try await staff.get("/api/v1/me/notification-choices").decode([Choice].self)
            #expect(Set(staffChoices.map(\.kind)) == Set(NotificationKind.kinds(forResident: false).map(\.rawValue)))
        }
    }

    @Test("a poll reaches the residents under its node and no one elsewhere; a ballot reaches the owners on its roll")
    func audiences() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            let staff = try await api(app, "staff")
            let closes = ISO8601DateFormatter().string(from: TestClock.pinnedNow().addingTimeInterval(7 * 86_400))
            let poll = try await staff.jsonObject(
                .POST, "/api/v1/voting/polls", ["node": "310106019-1-01", "title": "消息测试投票", "options": ["甲", "乙"], "closes_at": closes]
            ).createdID()
            let under = try await count(
                app,
                """
                SELECT COUNT(*) AS n FROM accounts a WHERE a.role = 'resident' AND a.disabled = \(flag: false)
                  AND a.grid_node_id IN (SELECT descendant_id FROM grid_closure WHERE ancestor_id = (SELECT id FROM grid_nodes WHERE code = '310106019-1-01'))
                """)
            let reached = try await count(
                app, "SELECT COUNT(*) AS n FROM notifications WHERE kind = 'vote_opened' AND href = \(bind: "/voting/polls/\(poll.uuidString)")")
            #expect(under > 0 && reached == under, "\(reached) of \(under)")
            let outside = try await count(
                app,
                """
                SELECT COUNT(*) AS n FROM notifications n JOIN accounts a ON a.id = n.account_id
                WHERE n.href = \(bind: "/voting/polls/\(poll.uuidString)")
                  AND a.grid_node_id NOT IN (SELECT descendant_id FROM grid_closure WHERE ancestor_id = (SELECT id FROM grid_nodes WHERE code = '310106019-1-01'))
                """)
            #expect(outside == 0)
            let resident = try await api(app, "resident")
            let inbox = try await resident.get("/api/v1/me/notifications").decode(Inbox.self)
            #expect(inbox.items.contains { $0.kind == "vote_opened" && $0.detail == "消息测试投票" })
            // Its close reaches the same residents with the result.
            #expect(try await staff.send(.POST, "/api/v1/voting/polls/\(poll)/close").status.code < 300)
            let results = try await count(
                app, "SELECT COUNT(*) AS n FROM notifications WHERE kind = 'vote_result' AND href = \(bind: "/voting/polls/\(poll.uuidString)")")
            #expect(results == under, "\(results) of \(under)")
        }
    }

    @Test("an overdue case and a 督办 mark reach the leading department; a campaign reaches the residents under its node")
    func supervisionAndCampaigns() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            try await CasesFixture.setUp(app)
            let staff = try await api(app, "staff")
            let resident = try await api(app, "resident")
            let made = try await CasesFixture.submit(resident)
            try await CasesFixture.act(staff, made.id, "file")
            try await CasesFixture.act(staff, made.id, "dispatch", ["department": "chengguan", "co_departments": ["shiwu"]])
            let escalated = try await CasesSupervision.escalateOverdue(now: TestClock.pinnedNow().addingTimeInterval(90 * 86_400), on: app.db)
            #expect(escalated >= 1)
            let lead = try await api(app, "h_cg")
            let co = try await api(app, "h_sw")
            let leadKinds = try await lead.get("/api/v1/me/notifications").decode(Inbox.self).items.map(\.kind)
            #expect(leadKinds.contains("case_overdue") && leadKinds.contains("case_assigned"), "\(leadKinds)")
            // Co-handlers (吹哨) hear of the dispatch, not of the lead's deadline.
            let coKinds = try await co.get("/api/v1/me/notifications").decode(Inbox.self).items.filter { $0.href == "/cases/\(made.id.uuidString)" }
                .map(\.kind)
            #expect(coKinds == ["case_assigned"], "\(coKinds)")
            let marked = try await staff.jsonObject(.POST, "/api/v1/cases/\(made.id)/supervision", ["note": "请三天内办结"])
            #expect(marked.status.code < 300, "\(marked.body.string)")
            // The demo's own cases of the department escalate too: count this case's.
            let ours = try await lead.get("/api/v1/me/notifications").decode(Inbox.self).items.filter {
                $0.kind == "case_overdue" && $0.href == "/cases/\(made.id.uuidString)"
            }
            #expect(ours.count == 2, "\(ours.map(\.title))")

            let cadre = try await api(app, "cadre")
            let today = CivilDate(TestClock.pinnedNow(), in: .shanghai)
            let campaign = try await cadre.jsonObject(
                .POST, "/api/v1/services/campaigns",
                [
                    "kind": "checkin", "title": "消息打卡", "node": "310106019-1-01-1-01", "starts_on": today.iso8601,
                    "ends_on": try today.adding(days: 3).iso8601, "self_enrol": true
                ]
            ).createdID()
            let reached = try await count(
                app,
                "SELECT COUNT(*) AS n FROM notifications WHERE kind = 'campaign' AND href = \(bind: "/services/campaigns/\(campaign.uuidString)")")
            let under = try await count(
                app,
                """
                SELECT COUNT(*) AS n FROM accounts a WHERE a.role = 'resident' AND a.disabled = \(flag: false)
                  AND a.grid_node_id IN (SELECT descendant_id FROM grid_closure WHERE ancestor_id = (SELECT id FROM grid_nodes WHERE code = '310106019-1-01-1-01'))
                """)
            #expect(under > 0 && reached == under, "\(reached) of \(under)")

            // The roster: the building group's residents; the demo resident checks in; a reminder
            // reaches the others only, and pressing it again the same day reaches nobody.
            let enrolled = try await cadre.jsonObject(.POST, "/api/v1/services/campaigns/\(campaign)/roster", ["node": "310106019-1-01-1-01"])
            #expect(enrolled.status == .ok, "\(enrolled.body.string)")
            let checked = try await resident.jsonObject(.POST, "/api/v1/services/campaigns/\(campaign)/checkins", ["note": "36.5"])
            #expect(checked.status.code < 300, "\(checked.body.string)")
            let web = TestClient(app)
            _ = try await web.signInWeb("cadre")
            let page = try await web.get("/services/campaigns/\(campaign)")
            #expect(page.body.string.contains("id=\"remind\""))
            let csrf = try #require(TestClient.csrf(in: page.body.string))
            let first = try await web.form("/services/campaigns/\(campaign)/remind", ["csrf": csrf])
            #expect(first.status == .seeOther && first.headers.first(name: .location)?.contains("reminded=\(under - 1)") == true, "\(first.headers)")
            #expect(try await cadre.send(.POST, "/api/v1/services/campaigns/\(campaign)/remind").decode(CheckinService.Reminded.self).reminded == 0)
            let reminders = try await count(app, "SELECT COUNT(*) AS n FROM notifications WHERE kind = 'reminder'")
            #expect(reminders == under - 1)
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'campaign.reminded'") == 2)
        }
    }

    @Test("delivery to a real webhook: signed, one idempotency key per message, backoff, a dead letter staff send again")
    func delivery() async throws {
        let receiver = try await WebhookReceiver.start()
        let secret = "test-gateway-secret-2026"
        do {
            try await withApp(demo: true, demoPeople: 0.01, settings: { $0.notifyGateway = NotifyGateway(url: receiver.url, secret: secret) }) {
                app in
                let resident = try await signedUpResident(app)
                try await CasesFixture.setUp(app)
                let made = try await CasesFixture.submit(resident)
                let staff = try await api(app, "staff")
                try await CasesFixture.act(staff, made.id, "file")
                struct Due: Decodable { var id: UUID; var next_attempt_at: Date }
                let due = try #require(try await app.db.sql.raw("SELECT id, next_attempt_at FROM notification_outbox").all(decoding: Due.self).first)
                var now = due.next_attempt_at.addingTimeInterval(1)
                // The gateway answers 500 every time: each try waits longer; after the last, a dead letter.
                receiver.respond(with: .internalServerError)
                var tries = 0
                while tries < DeliveryBackoff.maxAttempts {
                    if tries > 0 {
                        let early = try await NotificationDelivery.deliver(app, now: now.addingTimeInterval(-2))
                        #expect(early == .init(), "nothing is due before its wait is over: \(early) at try \(tries)")
                    }
                    let pass = try await NotificationDelivery.deliver(app, now: now)
                    tries += 1
                    #expect(pass.failed + pass.dead == 1 && pass.sent == 0, "\(pass)")
                    guard let wait = DeliveryBackoff.wait(afterFailures: tries) else { break }
                    now = now.addingTimeInterval(Double(wait))
                }
                #expect(try await count(app, "SELECT COUNT(*) AS n FROM notification_outbox WHERE state = 'dead' AND attempts = \(bind: tries)") == 1)
                let requests = receiver.requests
                #expect(requests.count == DeliveryBackoff.maxAttempts)
                #expect(Set(requests.map(\.idempotencyKey)) == [due.id.uuidString])
                for request in requests {
                    let expected = NotificationDelivery.signature(
                        body: request.body, timestamp: request.timestamp, key: SymmetricKey(data: Data(secret.utf8)))
                    #expect(request.signature == "sha256=" + expected)
                    let decoder = JSONDecoder()
                    decoder.dateDecodingStrategy = .iso8601
                    let payload = try decoder.decode(NotificationDelivery.Payload.self, from: request.body)
                    #expect(payload.to == Self.phone && payload.kind == "case_update" && payload.path == "/cases/\(made.id.uuidString)")
                }
                // A forged body does not match the signature of the real one.
                let forged = NotificationDelivery.signature(
                    body: Data("{}".utf8), timestamp: requests[0].timestamp, key: SymmetricKey(data: Data(secret.utf8)))
                #expect("sha256=" + forged != requests[0].signature)

                // Staff see the dead letter and send it again; the gateway takes it this time.
                let web = TestClient(app)
                _ = try await web.signInWeb("staff")
                let page = try await web.get("/notifications/outbox")
                #expect(page.status == .ok && page.body.string.contains("retry-\(due.id.uuidString)") && page.body.string.contains("HTTP 500"))
                let csrf = try #require(TestClient.csrf(in: page.body.string))
                #expect(try await web.form("/notifications/outbox/\(due.id)/retry", ["csrf": csrf]).status == .seeOther)
                #expect(
                    try await web.form("/notifications/outbox/\(due.id)/retry", ["csrf": csrf]).status == .notFound,
                    "only a dead letter is sent again")
                receiver.respond(with: .ok)
                let pass = try await NotificationDelivery.deliver(app, now: TestClock.pinnedNow().addingTimeInterval(1))
                #expect(pass.sent == 1, "\(pass)")
                // Each count links to the list it counts, and the two agree.
                let sentPage = try await web.get("/notifications/outbox?state=sent")
                #expect(
                    sentPage.body.string.contains("href=\"/notifications/outbox?state=sent\"")
                        && sentPage.body.string.contains("id=\"outbox-sent\">1<"))
                struct Outbox: Decodable { var counts: [String: Int]; var items: [NotificationQueries.LetterRow] }
                let listed = try await api(app, "staff").get("/api/v1/notifications/outbox?state=sent").decode(Outbox.self)
                #expect(listed.items.map(\.id) == [due.id] && listed.counts["sent"] == 1)
                #expect(receiver.requests.last?.idempotencyKey == due.id.uuidString)
                #expect(try await count(app, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'notification.retried'") == 1)
                // A cadre is not an operator of the gateway.
                let cadre = TestClient(app)
                _ = try await cadre.signInWeb("cadre")
                #expect(try await cadre.get("/notifications/outbox").status == .forbidden)
            }
        } catch {
            await receiver.stop()
            throw error
        }
        await receiver.stop()
    }

    @Test("a message the gateway could not take within a day expires instead of arriving late; notifications past 180 days are dropped")
    func expiryAndKeeping() async throws {
        try await withApp(
            demo: true, demoPeople: 0.01,
            settings: { $0.notifyGateway = NotifyGateway(url: "http://127.0.0.1:9/hook", secret: "x-secret-x-secret-x") }
        ) {
            app in
            let resident = try await signedUpResident(app)
            let staff = try await api(app, "staff")
            let made = try await CasesFixture.submit(resident)
            try await CasesFixture.act(staff, made.id, "file")
            let late = TestClock.pinnedNow().addingTimeInterval(2 * 86_400)
            let pass = try await NotificationDelivery.deliver(app, now: late)
            #expect(pass.expired == 1 && pass.sent == 0)
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM notification_outbox WHERE state = 'expired'") == 1)
            // The demo's own notifications (up to 30 days old) go earlier; this one lasts 180 days.
            let ours: SQLQueryString = "SELECT COUNT(*) AS n FROM notifications WHERE href = \(bind: "/cases/\(made.id.uuidString)")"
            _ = try await NotificationDelivery.deliver(app, now: TestClock.pinnedNow().addingTimeInterval(179 * 86_400))
            #expect(try await count(app, ours) == 1)
            let dropped = try await NotificationDelivery.deliver(app, now: TestClock.pinnedNow().addingTimeInterval(181 * 86_400))
            #expect(dropped.purged >= 1)
            #expect(try await count(app, ours) == 0)
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM notification_outbox") == 0)
        }
    }

    @Test("a notice to a whole subdistrict fans out in chunks: every resident once, resumed after a stop, two expanders write nothing twice")
    func fanout() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            struct Root: Decodable { var id: UUID; var subdistrict_id: UUID? }
            let root = try #require(
                try await app.db.sql.raw("SELECT id, subdistrict_id FROM grid_nodes WHERE level = 'subdistrict'").first(decoding: Root.self))
            let residents = try await count(
                app,
                """
                SELECT COUNT(*) AS n FROM accounts a WHERE a.role = 'resident' AND a.disabled = \(flag: false)
                  AND a.grid_node_id IN (SELECT descendant_id FROM grid_closure WHERE ancestor_id = \(bind: root.id))
                """)
            #expect(residents > 10, "the demo has resident accounts to notify")
            let message = Notifications.Message(kind: .notice, titleZH: "社区通知", titleEN: "A notice", detail: "停水通知", href: "/fanout-test")
            let job = UUID()
            try await NotificationQueries.insertFanout(
                job, node: root.id, subdistrict: root.subdistrict_id, message: message, except: nil, now: TestClock.pinnedNow(), on: app.db)
            // A stop after the first chunk: the cursor has moved, the job is open.
            let chunk = 4
            let first = try await NotificationQueries.recipients(.residentsUnder(root.id), kind: .notice, except: nil, limit: chunk, on: app.db)
            #expect(
                try await NotificationQueries.advanceFanout(
                    job, from: nil, to: first.last?.id, n: chunk, done: false, now: TestClock.pinnedNow(), on: app.db))
            try await Notifications.write(message, to: first, now: TestClock.pinnedNow(), on: app.db)
            // A stale expander's move is refused.
            #expect(
                !(try await NotificationQueries.advanceFanout(
                    job, from: nil, to: first.last?.id, n: chunk, done: false, now: TestClock.pinnedNow(), on: app.db)))
            // Two expanders resume it at once.
            async let a = Notifications.expandFanout(job, chunk: chunk, on: app.db)
            async let b = Notifications.expandFanout(job, chunk: chunk, on: app.db)
            let (x, y) = try await (a, b)
            #expect(x + y == residents - chunk, "\(x) + \(y)")
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM notifications WHERE href = '/fanout-test'") == residents)
            #expect(try await count(app, "SELECT COUNT(DISTINCT account_id) AS n FROM notifications WHERE href = '/fanout-test'") == residents)
            let done = try #require(try await NotificationQueries.fanout(job, on: app.db))
            #expect(done.done_at != nil && done.sent == residents)
            #expect(try await Notifications.resumeFanouts(on: app.db) == 0)
            // Through the function events call: the actor is left out, the rest once each.
            let actor = try #require(try await BenchHooks.accountActor(app, username: "resident")?.actor)
            let n = try await Notifications.noticeToResidents(
                under: root.id, title: "第二则", href: "/fanout-two", writer: WriteContext(actor: actor, now: TestClock.pinnedNow()), on: app.db)
            #expect(n == residents - 1)
            #expect(try await count(app, "SELECT COUNT(DISTINCT account_id) AS n FROM notifications WHERE href = '/fanout-two'") == residents - 1)
        }
    }
}

/// A real HTTP server on 127.0.0.1 standing in for the SMS gateway: it records what it receives
/// and answers with the status it is told to.
final class WebhookReceiver: Sendable {
    struct Received: Sendable { var body: Data; var idempotencyKey: String; var timestamp: String; var signature: String }

    let app: Application
    let url: String
    private let state = NIOLockedValueBox<(status: HTTPStatus, requests: [Received])>((.ok, []))

    private init(app: Application, url: String) {
        self.app = app
        self.url = url
    }

    var requests: [Received] { state.withLockedValue { $0.requests } }
    func respond(with status: HTTPStatus) { state.withLockedValue { $0.status = status } }

    static func start() async throws -> WebhookReceiver {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = 0
        let box = NIOLockedValueBox<WebhookReceiver?>(nil)
        app.post("hook") { req async throws -> Response in
            guard let receiver = box.withLockedValue({ $0 }) else { return Response(status: .serviceUnavailable) }
            let body = req.body.data.map { Data(buffer: $0) } ?? Data()
            let received = Received(
                body: body, idempotencyKey: req.headers.first(name: "Idempotency-Key") ?? "",
                timestamp: req.headers.first(name: "X-Minqing-Timestamp") ?? "", signature: req.headers.first(name: "X-Minqing-Signature") ?? "")
            let status = receiver.state.withLockedValue { state -> HTTPStatus in
                state.requests.append(received)
                return state.status
            }
            return Response(status: status)
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        guard let port = app.http.server.shared.localAddress?.port else { throw TestFailure("the receiver has no port") }
        let receiver = WebhookReceiver(app: app, url: "http://127.0.0.1:\(port)/hook")
        box.withLockedValue { $0 = receiver }
        return receiver
    }

    func stop() async {
        await app.server.shutdown()
        try? await app.asyncShutdown()
    }
}
