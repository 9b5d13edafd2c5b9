import Fluent
import Foundation
import MinqingDomain
import Vapor

/// 走访设置 on the pages: 十必访 frequencies and quotas by role (administrators), and each staff
/// member's posting (account managers, for the staff in their scope). Every form goes through the
/// service the API calls (`VisitSettingsService.setFrequency`, `setQuota`, `setPosting`), which
/// also checks the role; a form that fails comes back with 422, what was typed and the reason
/// beside the field; one that succeeds redirects (303).
extension VisitsPages {
    struct FrequencyForm: Content, Sendable { var frequency_days: String? }
    struct QuotaForm: Content, Sendable { var households: String?; var period: String? }
    struct PostingForm: Content, Sendable { var workload_percent: String?; var first_day: String?; var last_day: String? }

    /// A number typed into a form: nil when left empty, 0 (which every range here refuses, with
    /// the range's own sentence) when it is not a whole number.
    static func number(_ raw: String?) -> Int? {
        let text = (raw ?? "").trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        return Int(text) ?? 0
    }

    /// The settings page's problem, when a form failed: the 422 (domain errors mapped as the API
    /// maps them); anything else is thrown on.
    static func formFailure(_ error: any Error) throws -> AppError {
        let failure = AppError.from(error)
        guard failure.status == .unprocessableEntity else { throw error }
        return failure
    }

    @Sendable func settings(req: Request) async throws -> Response {
        try await renderSettings(req, actor: try req.requireActor())
    }

    func renderSettings(_ req: Request, actor: Actor, failure: VisitsViews.SettingsFailure? = nil) async throws -> Response {
        let page = RegistryPages.pageNumber(req)
        let size = RegistryPages.pageSize
        var staff: [VisitsQueries.PostingRow] = []
        if VisitSettingsService.setsPostings(actor.role) {
            staff = try await VisitsQueries.postings(in: actor.scope, excluding: actor.accountID, limit: size, offset: (page - 1) * size, on: req.db)
        }
        let model = VisitsViews.SettingsModel(
            role: actor.role, categories: try await MustVisitQueries.categories(on: req.db),
            quotas: try await VisitSettingsService.quotas(on: req.db), staff: staff, page: page, pageSize: size,
            saved: req.query[String.self, at: "saved"], failure: failure)
        var ctx = req.pageContext
        ctx.path = SiteURL.visits(.settings).path
        return VisitsViews.settings(model, ctx: ctx, status: failure?.error.status ?? .ok)
    }

    @Sendable func setFrequency(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let code = req.parameters.get("code") ?? ""
        let form = try req.content.decode(FrequencyForm.self)
        do {
            _ = try await VisitSettingsService.setFrequency(
                code: code, .init(frequency_days: Self.number(form.frequency_days)), writer: WriteContext(actor, req), on: req.db)
            return req.redirect(to: SiteURL.visits(.settings).path([("saved", "category")]) + "#categories", redirectType: .normal)
        } catch {
            let failure = try Self.formFailure(error)
            return try await renderSettings(
                req, actor: actor,
                failure: .init(form: "category-\(code)", typed: ["frequency_days": form.frequency_days ?? ""], error: failure))
        }
    }

    @Sendable func setQuota(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let role = req.parameters.get("role") ?? ""
        let form = try req.content.decode(QuotaForm.self)
        do {
            _ = try await VisitSettingsService.setQuota(
                role: role, .init(households: Self.number(form.households), period: form.period), writer: WriteContext(actor, req),
                on: req.db)
            return req.redirect(to: SiteURL.visits(.settings).path([("saved", "quota")]) + "#quotas", redirectType: .normal)
        } catch {
            let failure = try Self.formFailure(error)
            return try await renderSettings(
                req, actor: actor,
                failure: .init(
                    form: "quota-\(role)", typed: ["households": form.households ?? "", "period": form.period ?? ""], error: failure))
        }
    }

    // MARK: a staff member's posting

    @Sendable func posting(req: Request) async throws -> Response {
        try await renderPosting(req, actor: try req.requireActor())
    }

    /// The posting form of an account in the caller's scope (404 outside it); only account
    /// managers reach it, as only they may set one.
    func renderPosting(_ req: Request, actor: Actor, form: PostingForm? = nil, error: AppError? = nil) async throws -> Response {
        guard VisitSettingsService.setsPostings(actor.role) else { throw AppError.forbidden }
        let username = req.parameters.get("username") ?? ""
        guard let row = try await VisitsQueries.posting(username: username, in: actor.scope, on: req.db) else {
            throw AppError.notFound("账号不存在或不在您的管辖范围内", "No such account in your scope")
        }
        let model = VisitsViews.PostingModel(
            account: row, own: row.username == actor.username, form: form, error: error,
            saved: req.query[String.self, at: "saved"] != nil)
        var ctx = req.pageContext
        ctx.path = SiteURL.visits(.settingsPosting(.value(row.username))).path
        return VisitsViews.posting(model, ctx: ctx, status: error?.status ?? .ok)
    }

    @Sendable func setPosting(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let username = req.parameters.get("username") ?? ""
        let form = try req.content.decode(PostingForm.self)
        let input = VisitSettingsService.PostingInput(
            workload_percent: Self.number(form.workload_percent), first_day: form.first_day, last_day: form.last_day)
        do {
            try await VisitSettingsService.setPosting(username: username, input, writer: WriteContext(actor, req), on: req.db)
            return req.redirect(to: SiteURL.visits(.settingsPosting(.value(username.lowercased()))).path([("saved", "1")]), redirectType: .normal)
        } catch {
            return try await renderPosting(req, actor: actor, form: form, error: try Self.formFailure(error))
        }
    }
}
