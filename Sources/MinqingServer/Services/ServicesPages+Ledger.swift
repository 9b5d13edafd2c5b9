import Fluent
import Foundation
import MinqingDomain
import Vapor

/// The time-bank pages (时间银行): `/services/ledger`, one's own statement (balances in hours and
/// points, every transfer a page at a time) with the rewards to redeem and the free redemption
/// form; `/services/ledger/people` (staff), the residents and volunteers in scope with their
/// balances and the award form, people chosen by name; `/services/ledger/people/{username}`, a
/// person's statement, for staff with the award form and a reversal button on each transfer
/// they may reverse. Every form posts to the same service function as the JSON API, then
/// redirects; a refusal shows the page again with the sentence beside the field (422 or 409).
extension ServicesPages {
    struct AwardForm: Content {
        var username: String?
        var unit: String?
        var amount: String?
        var memo: String?
        /// `person` when posted from a person's statement (shown again there on a refusal).
        var back: String?
        var q: String?
    }
    struct RedeemForm: Content { var unit: String?; var amount: String?; var reward: String? }
    struct ReverseForm: Content { var person: String? }

    static let statementPageSize = 20
    static let peoplePageSize = 20

    func bootLedger(_ pages: any RoutesBuilder) {
        let staff = pages.grouped(RequireRole(ServicesController.staff))
        pages.get(.services(.ledger), use: myLedger)
        pages.get(.services(.ledgerPerson(.key)), use: personLedger)
        pages.post(.services(.ledgerRedemptions), use: redeemPoints)
        pages.post(.services(.rewardRedeem(.key)), use: redeemReward)
        staff.get(.services(.ledgerPeople), use: ledgerPeople)
        staff.post(.services(.ledgerAwards), use: awardPoints)
        staff.post(.services(.ledgerReverse(.key)), use: reverseTransfer)
    }

    /// The refusal a form shows again (422 or 409, a ledger rule's too), or nil for any other
    /// error, which goes on to the error page.
    static func refusal(_ error: any Error) -> AppError? {
        guard !(error is DecodingError) else { return nil }
        let found = AppError.from(error)
        return [.unprocessableEntity, .conflict].contains(found.status) ? found : nil
    }

    /// `error`, its sentence also set beside `field` when it names no field of its own (a 409
    /// such as "already checked in"), so the page can show it where the person acted.
    static func beside(_ error: AppError, _ field: String) -> AppError {
        guard error.fields.isEmpty else { return error }
        var placed = error
        placed.fields = [FieldError(field: field, messageZH: error.messageZH, messageEN: error.messageEN)]
        return placed
    }

    /// A typed whole number (blank or unreadable is 0, which the ledger refuses beside the field).
    static func amount(_ text: String?) -> Int64 { Int64((text ?? "").trimmingCharacters(in: .whitespaces)) ?? 0 }

    static func page(_ req: Request) -> Int { min(max(1, req.query[Int.self, at: "page"] ?? 1), 100_000) }

    @Sendable func myLedger(req: Request) async throws -> Response {
        try await renderStatement(req, of: nil, error: nil, form: [:], failed: nil)
    }

    @Sendable func personLedger(req: Request) async throws -> Response {
        try await renderStatement(req, of: req.parameters.get("username") ?? "", error: nil, form: [:], failed: nil)
    }

    /// The statement of `username` (nil: the caller's own); `failed` names the form that was
    /// refused (`award`, `redeem`, `reward:<id>`, `reverse:<id>`), shown again with `form`.
    func renderStatement(_ req: Request, of username: String?, error: AppError?, form: [String: String], failed: String?) async throws
        -> Response
    {
        let actor = try req.requireActor()
        let statement = try await LedgerService.statement(
            of: username ?? actor.username, for: actor, page: Self.page(req), pageSize: Self.statementPageSize, on: req.db)
        let mine = statement.person.id == actor.accountID
        let model = ServicesViews.StatementModel(
            statement: statement, mine: mine, staff: actor.role.isGridStaff,
            awardable: !mine && actor.role.isGridStaff && LedgerService.awardable.contains(statement.person.role),
            rewards: mine ? try await RewardService.list(for: actor, on: req.db) : [],
            error: error, form: form, failed: failed, flash: req.query[String.self, at: "done"])
        return ServicesViews.statement(model, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    @Sendable func ledgerPeople(req: Request) async throws -> Response {
        try await renderPeople(req, query: req.query[String.self, at: "q"] ?? "", error: nil, form: [:])
    }

    /// The residents and volunteers in scope matching `query`, a page of them, with the award form.
    func renderPeople(_ req: Request, query: String, error: AppError?, form: [String: String]) async throws -> Response {
        let actor = try req.requireActor()
        let page = Self.page(req)
        let listed = try await LedgerService.people(for: actor, matching: query, page: page, pageSize: Self.peoplePageSize, on: req.db)
        let model = ServicesViews.PeopleModel(
            rows: listed.rows, total: listed.total, page: page, pageSize: Self.peoplePageSize, query: query, error: error, form: form,
            flash: req.query[String.self, at: "done"])
        return ServicesViews.ledgerPeople(model, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    /// Credits a resident or volunteer (`LedgerService.award`), then shows where the form was.
    @Sendable func awardPoints(req: Request) async throws -> Response {
        let form = try req.content.decode(AwardForm.self)
        let username = (form.username ?? "").trimmingCharacters(in: .whitespaces)
        let fromPerson = form.back == "person" && !username.isEmpty
        do {
            _ = try await LedgerService.award(
                AwardInput(username: username, unit: form.unit, amount: Self.amount(form.amount), memo: form.memo),
                writer: try ServicesController.writer(req), on: req.db)
            let target =
                fromPerson
                ? SiteURL.services(.ledgerPerson(.value(username))).path([("done", "awarded")])
                : SiteURL.services(.ledgerPeople).path([("q", form.q ?? ""), ("done", "awarded")])
            return req.redirect(to: target, redirectType: .normal)
        } catch {
            guard let refusal = Self.refusal(error) else { throw error }
            let typed = ["username": username, "unit": form.unit ?? "", "amount": form.amount ?? "", "memo": form.memo ?? ""]
            if fromPerson { return try await renderStatement(req, of: username, error: refusal, form: typed, failed: "award") }
            return try await renderPeople(req, query: form.q ?? "", error: refusal, form: typed)
        }
    }

    /// Redeems one's points for a reward named in the form (`LedgerService.redeem`).
    @Sendable func redeemPoints(req: Request) async throws -> Response {
        let form = try req.content.decode(RedeemForm.self)
        do {
            _ = try await LedgerService.redeem(
                RedeemInput(unit: form.unit, amount: Self.amount(form.amount), reward: form.reward),
                writer: try ServicesController.writer(req), on: req.db)
            return req.redirect(to: SiteURL.services(.ledger).path([("done", "redeemed")]), redirectType: .normal)
        } catch {
            guard let refusal = Self.refusal(error) else { throw error }
            let typed = ["unit": form.unit ?? "", "amount": form.amount ?? "", "reward": form.reward ?? ""]
            return try await renderStatement(req, of: nil, error: refusal, form: typed, failed: "redeem")
        }
    }

    /// Redeems one of a listed reward (`RewardService.redeem`): the stock and the points together.
    @Sendable func redeemReward(req: Request) async throws -> Response {
        let id = try req.pathID(notFound: RewardService.notFound)
        do {
            _ = try await RewardService.redeem(id, writer: try ServicesController.writer(req), on: req.db)
            return req.redirect(to: SiteURL.services(.ledger).path([("done", "reward")]), redirectType: .normal)
        } catch {
            guard let refusal = Self.refusal(error) else { throw error }
            return try await renderStatement(
                req, of: nil, error: Self.beside(refusal, "amount"), form: [:], failed: "reward:\(id.uuidString)")
        }
    }

    /// Reverses a transfer (`LedgerService.reverse`), then shows the person's statement again.
    @Sendable func reverseTransfer(req: Request) async throws -> Response {
        let id = try req.pathID(notFound: LedgerService.transferNotFound)
        let form = (try? req.content.decode(ReverseForm.self)) ?? ReverseForm(person: nil)
        let person = (form.person ?? "").trimmingCharacters(in: .whitespaces)
        do {
            _ = try await LedgerService.reverse(id, writer: try ServicesController.writer(req), on: req.db)
            let target =
                person.isEmpty
                ? SiteURL.services(.ledgerPeople).path([("done", "reversed")])
                : SiteURL.services(.ledgerPerson(.value(person))).path([("done", "reversed")])
            return req.redirect(to: target, redirectType: .normal)
        } catch {
            guard let refusal = Self.refusal(error) else { throw error }
            let placed = Self.beside(refusal, "transfer")
            if person.isEmpty { return try await renderPeople(req, query: "", error: placed, form: [:]) }
            return try await renderStatement(req, of: person, error: placed, form: [:], failed: "reverse:\(id.uuidString)")
        }
    }
}
