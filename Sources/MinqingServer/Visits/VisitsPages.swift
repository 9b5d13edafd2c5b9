import Fluent
import Foundation
import MinqingDomain
import Plot
import Vapor

/// The visit log's pages: "today" (bookings, must-visits due, my visits), the phone-first entry
/// form, a visit, the overdue list, the compliance dashboard; the slots page of staff and the
/// booking page of residents (VisitsPages+Booking.swift); the settings and postings
/// (VisitsPages+Settings.swift); linking resident accounts to households
/// (VisitsPages+Residents.swift). Views are in VisitsViews*.swift.
/// Every read goes through the scoped queries; forms carry the CSRF token.
struct VisitsPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireSignIn())
        let staff = pages.grouped(RequireRole(VisitsController.staff))
        pages.grouped(RequireRole(VisitsController.bookingParties)).get(.visits(.index), use: today)
        staff.get(.visits(.new), use: entry)
        staff.post(.visits(.new), use: save)
        staff.get(.visits(.record(.key)), use: visit)
        staff.get(.visits(.overdue), use: overdue)
        staff.get(.visits(.compliance), use: compliance)
        staff.get(.visits(.slots), use: slots)
        staff.post(.visits(.slots), use: offer)
        staff.post(.visits(.bookingConfirm(.key)), use: confirm)
        staff.post(.visits(.bookingPropose(.key)), use: propose)
        staff.get(.visits(.settings), use: settings)
        staff.post(.visits(.settingsCategory(.key)), use: setFrequency)
        staff.post(.visits(.settingsQuota(.key)), use: setQuota)
        staff.get(.visits(.settingsPosting(.key)), use: posting)
        staff.post(.visits(.settingsPosting(.key)), use: setPosting)
        staff.get(.visits(.residents), use: residents)
        staff.get(.visits(.resident(.key)), use: resident)
        staff.post(.visits(.resident(.key)), use: linkResident)
        pages.grouped(RequireRole(VisitsController.bookingParties)).post(.visits(.bookingCancel(.key)), use: cancel)
        let residentPages = pages.grouped(RequireRole(.resident))
        residentPages.get(.visits(.booking), use: bookingPage)
        residentPages.post(.visits(.booking), use: book)
        residentPages.post(.visits(.bookingAccept(.key)), use: accept)
    }

    static let notFound = AppError.notFound("走访记录不存在或不在您的管辖范围内", "No such visit in your scope")

    // MARK: today

    @Sendable func today(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        if actor.role == .resident { return req.redirect(to: SiteURL.visits(.booking)) }
        let today = CivilDate.today(now: req.now)
        let mine = try await VisitsQueries.list(
            .init(from: today, to: today, visitor: actor.accountID), in: actor.scope,
            limit: 20, offset: 0, on: req.db)
        // The figure counts visits that met the household; the list below shows attempts too.
        let done = try await VisitsQueries.list(
            .init(from: today, to: today, visitor: actor.accountID, outcome: .met), in: actor.scope,
            limit: 1, offset: 0, on: req.db
        ).total
        let quota = try await VisitSettingsService.quotas(on: req.db).first { $0.role == actor.role }
        let due = try await MustVisitQueries.report(
            actor: actor, node: nil, category: nil, status: .due, today: today,
            limit: 10, offset: 0, on: req.db)
        let bookings = try await BookingQueries.bookings(for: actor, active: true, limit: 20, on: req.db)
        let model = VisitsViews.TodayModel(
            today: today, isWorkingDay: req.services.calendar.isWorkingDay(today), quota: quota,
            mine: mine, doneToday: done, due: due, bookings: bookings)
        return VisitsViews.today(model, ctx: req.pageContext)
    }

    // MARK: the entry form

    @Sendable func entry(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        var model = try await entryModel(
            req, actor: actor, household: req.query[UUID.self, at: "household"],
            booking: req.query[UUID.self, at: "booking"])
        model.query = req.query[String.self, at: "q"] ?? ""
        // From the 十必访 lists the household comes with its kind and category chosen.
        model.form = VisitsViews.EntryForm.prefilled(kind: req.query[String.self, at: "kind"], category: req.query[String.self, at: "category"])
        let text = model.query.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty {
            model.hits = try await VisitsQueries.searchHouseholds(String(text.prefix(50)), in: actor.scope, limit: 20, on: req.db)
        }
        return VisitsViews.entry(model, ctx: req.pageContext)
    }

    /// The form's model: the chosen household (or the booking's) with its members and tags.
    /// Shown again after an error (`strict` false), a household or booking out of reach is left out
    /// instead of answering 404, so the error itself is what the page shows.
    func entryModel(_ req: Request, actor: Actor, household: UUID?, booking: UUID?, strict: Bool = true) async throws -> VisitsViews.EntryModel {
        let today = CivilDate.today(now: req.now)
        var model = VisitsViews.EntryModel(
            now: req.now, categories: try await MustVisitQueries.categories(on: req.db),
            tags: try await RegistryQueries.catalogue(role: actor.role, on: req.db))
        if let booking {
            let row = try await BookingQueries.booking(booking, for: actor, on: req.db)
            if row == nil, strict { throw BookingService.notFound }
            model.booking = row
        }
        if let id = household ?? model.booking?.household_id {
            guard let found = try await RegistryQueries.household(id: HouseholdID(id), in: actor.scope, on: req.db) else {
                if strict { throw RegistryPages.householdNotFound }
                return model
            }
            model.household = found
            model.members = try await VisitsQueries.memberTags(household: id, role: actor.role, in: actor.scope, today: today, on: req.db)
            model.recent = try await VisitsQueries.list(.init(household: id), in: actor.scope, limit: 5, offset: 0, on: req.db).items
            model.coVisitors = try await VisitsQueries.coVisitors(household: id, excluding: actor.accountID, in: actor.scope, limit: 60, on: req.db)
        }
        return model
    }

    @Sendable func save(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let form = try req.content.decode(VisitsViews.EntryForm.self)
        let input = form.input(now: req.now)
        do {
            let id: UUID
            if let booking = form.booking {
                id = try await BookingService.done(booking, input, writer: WriteContext(actor, req), vault: req.services.vault, on: req.db)
            } else {
                id = try await VisitsService.record(input, writer: WriteContext(actor, req), vault: req.services.vault, on: req.db)
            }
            return req.redirect(to: SiteURL.visits(.record(.value(id))).path([("saved", "1")]), redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            var model = try await entryModel(req, actor: actor, household: form.household, booking: form.booking, strict: false)
            model.form = form
            model.error = error
            return VisitsViews.entry(model, ctx: req.pageContext, status: error.status)
        }
    }

    // MARK: a visit, the overdue list, the dashboard

    @Sendable func visit(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        guard let id = req.parameters.get("id", as: UUID.self),
            let visit = try await VisitsQueries.detail(id, in: actor.scope, on: req.db)
        else { throw Self.notFound }
        let categories = try await MustVisitQueries.categories(on: req.db)
        return VisitsViews.visit(visit, saved: req.query[String.self, at: "saved"] != nil, categories: categories, ctx: req.pageContext)
    }

    @Sendable func overdue(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let page = RegistryPages.pageNumber(req)
        let category = req.query[String.self, at: "category"].flatMap { $0.isEmpty ? nil : $0 }
        let report = try await MustVisitQueries.report(
            actor: actor, node: nil, category: category, status: .overdue,
            today: CivilDate.today(now: req.now), limit: RegistryPages.pageSize,
            offset: (page - 1) * RegistryPages.pageSize, on: req.db)
        return VisitsViews.overdue(report, category: category, page: page, pageSize: RegistryPages.pageSize, ctx: req.pageContext)
    }

    @Sendable func compliance(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let scope = try await VisitsController.scope(req, actor: actor)
        let kind = ComplianceQueries.PeriodKind(rawValue: req.query[String.self, at: "period"] ?? "") ?? .month
        let today = CivilDate.today(now: req.now)
        let date = (try? VisitsController.date(req, "date")) ?? today
        let report = try await ComplianceQueries.report(
            in: scope, kind: kind, date: date, today: today,
            calendar: req.services.calendar, on: req.db)
        return VisitsViews.compliance(report, kind: kind, date: date, scope: scope, ctx: req.pageContext)
    }
}
