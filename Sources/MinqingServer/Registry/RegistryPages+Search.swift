import Foundation
import MinqingDomain
import Vapor

/// The search page (居民库搜索, `RegistrySearch`): one box and an optional building, phone-first.
///
/// The box is a POST form with the CSRF field, because it takes whole ID numbers, which must
/// never stand in a URL (issue 19). The POST sorts what was typed: words go on to the results,
/// a GET of their own (`?q=…&building=…&page=N`) that pages, reloads and can be linked (PRG); a
/// number is looked up at once, exactly, and a person found in scope opens their page (303),
/// while nobody found (in scope or not) shows the form again saying so. A GET that carries a
/// number in its address is not looked up and the number is not shown back.
extension RegistryPages {
    struct SearchForm: Content { var q: String?; var building: String? }

    @Sendable func search(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let q = req.query[String.self, at: "q"] ?? ""
        let building = req.query[String.self, at: "building"] ?? ""
        var model = RegistryViews.SearchModel(q: q, building: building, today: CivilDate.today(now: req.now))
        if RegistrySearch.isIDNumber(q) {
            model.q = ""
            model.notice = T(
                "请在搜索框中输入身份证号码后点“搜索”：号码不写进网址。",
                "Type an ID number into the search box and press Search: a number is never put into an address.")
            return RegistryViews.search(model, ctx: req.pageContext)
        }
        do {
            model.result = try await RegistrySearch.run(
                .init(text: q, building: building, page: Self.pageNumber(req)),
                writer: WriteContext(actor, req), vault: req.services.vault, on: req.db)
        } catch let error as AppError where error.status == .unprocessableEntity {
            model.error = error
            return RegistryViews.search(model, ctx: req.pageContext, status: .unprocessableEntity)
        }
        return RegistryViews.search(model, ctx: req.pageContext)
    }

    @Sendable func searchSubmit(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let form = try req.content.decode(SearchForm.self)
        let q = form.q ?? ""
        let building = form.building ?? ""
        guard RegistrySearch.isIDNumber(q) else {
            let query = [("q", RegisterSearchText.normalized(q)), ("building", RegisterSearchText.normalized(building))]
            return req.redirect(to: SiteURL.registry(.search).path(query), redirectType: .normal)
        }
        let query = RegistrySearch.Query(text: q, building: building, page: 1)
        let today = CivilDate.today(now: req.now)
        var model = RegistryViews.SearchModel(q: q, building: building, today: today)
        do {
            let result = try await RegistrySearch.run(query, writer: WriteContext(actor, req), vault: req.services.vault, on: req.db)
            if let hit = result.items.first {
                return req.redirect(to: SiteURL.registry(.person(.value(hit.id))))
            }
            // Nobody in scope: the number is not shown back whole, and the box is left empty.
            model.q = ""
            model.missedNumber = RegistrySearch.check(query, today: today).number?.masked
            model.result = result
        } catch let error as AppError where error.status == .unprocessableEntity {
            model.error = error
            return RegistryViews.search(model, ctx: req.pageContext, status: .unprocessableEntity)
        }
        return RegistryViews.search(model, ctx: req.pageContext)
    }
}
