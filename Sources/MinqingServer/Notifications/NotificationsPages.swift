import Foundation
import MinqingDomain
import Vapor

/// `/notifications` (a person's messages: open one, mark all read), `/account/notifications` (what
/// goes to their phone) and `/notifications/outbox` (staff: messages the gateway did not take, sent
/// again on request). The JSON twins are under `/api/v1/me/notifications`,
/// `/api/v1/me/notification-choices` and `/api/v1/notifications/outbox` (docs/notifications.md).
struct NotificationsPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(RequireSignIn())
        signedIn.get(.notifications(.index), use: page)
        signedIn.post(.notifications(.read), use: readForm)
        signedIn.post(.notifications(.open(.key)), use: openForm)
        signedIn.get(.account(.notifications), use: choicesPage)
        signedIn.post(.account(.notifications), use: choicesForm)
        signedIn.get("api", "v1", "me", "notifications", use: list)
        signedIn.post("api", "v1", "me", "notifications", "read", use: read)
        signedIn.get("api", "v1", "me", "notification-choices", use: choices)
        signedIn.post("api", "v1", "me", "notification-choices", use: setChoices)
        let staff = routes.grouped(RequireSignIn(), RequireRole(NotificationsService.outboxRoles))
        staff.get(.notifications(.outbox), use: outboxPage)
        staff.post(.notifications(.outboxRetry(.key)), use: retryForm)
        staff.get("api", "v1", "notifications", "outbox", use: outbox)
        staff.post("api", "v1", "notifications", "outbox", ":id", "retry", use: retry)
    }

    // MARK: the inbox

    @Sendable func list(req: Request) async throws -> NotificationsService.Inbox {
        let page = try NotificationsService.page(req.query[Int.self, at: "page"])
        return try await NotificationsService.inbox(
            for: try req.requireActor(), page: page, unreadOnly: req.query[String.self, at: "unread"] == "1", lang: req.lang, now: req.now,
            on: req.db)
    }

    @Sendable func page(req: Request) async throws -> Response {
        let page = (try? NotificationsService.page(req.query[Int.self, at: "page"])) ?? 1
        let unread = req.query[String.self, at: "unread"] == "1"
        let inbox = try await NotificationsService.inbox(
            for: try req.requireActor(), page: page, unreadOnly: unread, lang: req.lang, now: req.now, on: req.db)
        return NotificationsViews.inbox(inbox, unreadOnly: unread, ctx: req.pageContext)
    }

    struct ReadInput: Content { var ids: [UUID]? }
    struct Marked: Content { var marked: Int }

    @Sendable func read(req: Request) async throws -> Marked {
        let actor = try req.requireActor()
        let input = try req.content.decode(ReadInput.self)
        if let ids = input.ids, ids.count > 500 {
            throw AppError.validation("ids", zh: "一次最多标记 500 条", en: "At most 500 at a time")
        }
        return Marked(marked: try await NotificationQueries.markRead(account: actor.accountID, ids: input.ids, now: req.now, on: req.db))
    }

    @Sendable func readForm(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        _ = try await NotificationQueries.markRead(account: actor.accountID, ids: nil, now: req.now, on: req.db)
        return req.redirect(to: SiteURL.notifications(.index).path, redirectType: .normal)
    }

    /// Marks the notification read and goes to its page.
    @Sendable func openForm(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let notFound = AppError.notFound("没有这条消息", "No such notification")
        let id = try req.pathID(notFound: notFound)
        guard let href = try await NotificationQueries.open(id, account: actor.accountID, now: req.now, on: req.db) else { throw notFound }
        return req.redirect(to: safeLocalPath(href) ?? SiteURL.notifications(.index).path, redirectType: .normal)
    }

    // MARK: choices

    @Sendable func choices(req: Request) async throws -> [NotificationsService.Choice] {
        try await NotificationsService.choices(for: try req.requireActor(), lang: req.lang, on: req.db)
    }

    struct ChoicesInput: Content { var to_phone: [String: Bool]? }

    @Sendable func setChoices(req: Request) async throws -> [NotificationsService.Choice] {
        let writer = try req.writeContext()
        guard let map = try req.content.decode(ChoicesInput.self).to_phone else {
            throw AppError.validation("to_phone", zh: "请逐类说明是否发到手机", en: "Say for each kind whether it goes to your phone")
        }
        try await NotificationsService.setChoices(Set(map.filter(\.value).keys), writer: writer, on: req.db)
        return try await NotificationsService.choices(for: writer.actor, lang: req.lang, on: req.db)
    }

    @Sendable func choicesPage(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        return NotificationsViews.choices(
            try await NotificationsService.choices(for: actor, lang: req.lang, on: req.db),
            phoneOnFile: try await NotificationQueries.hasPhone(account: actor.accountID, on: req.db),
            saved: req.query[String.self, at: "saved"] == "1", ctx: req.pageContext)
    }

    @Sendable func choicesForm(req: Request) async throws -> Response {
        let writer = try req.writeContext()
        // Checked boxes arrive as `phone=<kind>`, one per kind; unchecked ones do not arrive.
        struct Form: Content { var phone: [String]? }
        let form = (try? req.content.decode(Form.self)) ?? Form()
        try await NotificationsService.setChoices(Set(form.phone ?? []), writer: writer, on: req.db)
        return req.redirect(to: SiteURL.account(.notifications).path([("saved", "1")]), redirectType: .normal)
    }

    // MARK: the outbox (staff)

    @Sendable func outbox(req: Request) async throws -> NotificationsService.Outbox {
        try await NotificationsService.outbox(
            for: try req.requireActor(), state: req.query[String.self, at: "state"],
            page: try NotificationsService.page(req.query[Int.self, at: "page"]),
            configured: req.services.config.notifyGateway != nil, on: req.db)
    }

    @Sendable func outboxPage(req: Request) async throws -> Response {
        let state = req.query[String.self, at: "state"].flatMap { NotificationsService.outboxStates.contains($0) ? $0 : nil }
        let outbox = try await NotificationsService.outbox(
            for: try req.requireActor(), state: state, page: (try? NotificationsService.page(req.query[Int.self, at: "page"])) ?? 1,
            configured: req.services.config.notifyGateway != nil, on: req.db)
        return NotificationsViews.outbox(outbox, retried: req.query[String.self, at: "retried"] == "1", ctx: req.pageContext)
    }

    @Sendable func retry(req: Request) async throws -> HTTPStatus {
        let id = try req.pathID(notFound: NotificationsService.noSuchLetter)
        try await NotificationsService.retry(id, writer: try req.writeContext(), on: req.db)
        return .noContent
    }

    @Sendable func retryForm(req: Request) async throws -> Response {
        let id = try req.pathID(notFound: NotificationsService.noSuchLetter)
        try await NotificationsService.retry(id, writer: try req.writeContext(), on: req.db)
        return req.redirect(to: SiteURL.notifications(.outbox).path([("retried", "1")]), redirectType: .normal)
    }
}
