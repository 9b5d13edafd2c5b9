import Fluent
import Foundation
import MinqingDomain
import Vapor

/// The resident's home (issue 22 item 2), in the order a resident reads it: what needs them, what
/// is new, the four actions under the seed's names, the time bank. Every part comes from its own
/// capability's reads, each already limited to what the resident may see (their account, their
/// household, the nodes above their building group); the home adds no scope of its own.
struct ResidentHome: Content, Sendable {
    enum NeedKind: String, Codable, Sendable, CaseIterable {
        case ballot, poll, checkin, registration
        case visitBooking = "visit_booking", spaceBooking = "space_booking", caseRating = "case_rating"
    }

    /// Something waiting for the resident, with the page where they do it (one tap).
    struct Need: Content, Sendable {
        var kind: NeedKind
        var id: UUID
        var title: String
        /// When it closes (ballot, poll, campaign), or when the booking starts.
        var at: Date?
        var place: String?
        var status: String?
        var href: String
    }

    enum NewsKind: String, Codable, Sendable { case caseUpdate = "case_update", notice }

    /// Something new for the resident: the latest step others took on one of their cases, or a
    /// notice of their compound.
    struct News: Content, Sendable {
        var kind: NewsKind
        var id: UUID
        var title: String
        var number: String?
        var action: String?
        var state: String?
        var note: String
        var at: Date?
        var published_on: String?
        var href: String
    }

    struct TimeBank: Content, Sendable {
        var minutes: Int64
        var points: Int64
        var statement_href: String
    }

    var needs: [Need]
    var news: [News]
    /// Unread notifications in the resident's inbox (`/notifications`).
    var unread_notifications: Int
    var time_bank: TimeBank

    /// How far back "what is new" reaches.
    static let newsDays = 30
    static let limit = 10

    /// The home's dozen reads on one connection held for all of them: on SQLite, whose one
    /// connection per event loop a long write (a subdistrict's notice, in chunks) shares, the page
    /// then waits for the write at most once instead of once per read.
    static func load(for actor: Actor, now: Date, on db: any Database) async throws -> ResidentHome {
        try await db.withConnection { db in try await gather(for: actor, now: now, on: db) }
    }

    private static func gather(for actor: Actor, now: Date, on db: any Database) async throws -> ResidentHome {
        let account = actor.accountID
        let today = CivilDate.today(now: now)
        var needs: [Need] = []
        for b in try await VotingQueries.waitingForVote(account: account, now: now, limit: limit, on: db) {
            needs.append(Need(kind: .ballot, id: b.id, title: b.title, at: b.closes_at, href: SiteURL.voting(.ballot(.value(BallotID(b.id)))).path))
        }
        let polls = try await PollQueries.waitingForVote(
            for: actor, accountKey: try await PollService.voterKey(actor, unit: .person, on: db) ?? "",
            householdKey: try await PollService.voterKey(actor, unit: .household, on: db), now: now, limit: limit, on: db)
        for p in polls {
            needs.append(
                Need(kind: .poll, id: p.id, title: p.title, at: p.closes_at, place: p.node_name, href: SiteURL.voting(.poll(.value(p.id))).path))
        }
        for c in try await ServicesQueries.waitingCampaigns(for: actor, today: today, limit: limit, on: db) {
            needs.append(
                Need(
                    kind: c.kind == .checkin ? .checkin : .registration, id: c.id, title: c.title,
                    href: SiteURL.services(.campaign(.value(c.id))).path))
        }
        for b in try await BookingQueries.upcoming(for: actor, now: now, limit: limit, on: db) {
            needs.append(
                Need(
                    kind: .visitBooking, id: b.id, title: b.offered_by_name, at: b.starts_at, place: b.place, status: b.status.rawValue,
                    href: SiteURL.visits(.booking).path + "#booking-\(b.id.uuidString)"))
        }
        for b in try await ServicesQueries.activeBookings(for: actor, now: now, limit: limit, on: db) {
            needs.append(
                Need(
                    kind: .spaceBooking, id: b.id, title: b.resource_name, at: b.starts_at, status: b.status.rawValue,
                    href: SiteURL.services(.index).path + "#booking-\(b.id.uuidString)"))
        }
        let toRate = try await CasesQueries.list(
            CaseListFilter(states: [.closed], limit: limit), visibility: CasesQueries.visible(actor), now: now, on: db)
        for c in toRate {
            needs.append(Need(kind: .caseRating, id: c.id.rawValue, title: c.title, href: SiteURL.cases(.detail(.value(c.id))).path + "#rating-form"))
        }

        let since = now.addingTimeInterval(-Double(newsDays) * 86_400)
        // One line per case: its latest step.
        var seen = Set<UUID>()
        let latest = try await CasesQueries.updates(forSubmitter: account, since: since, limit: 5 * limit, on: db)
            .filter { seen.insert($0.case_id).inserted }.prefix(limit)
        var news: [News] = latest.map { u in
            News(
                kind: .caseUpdate, id: u.case_id, title: u.title, number: u.number, action: u.action, state: u.to_state.rawValue,
                note: u.reason, at: u.at, href: SiteURL.cases(.detail(.value(CaseID(u.case_id)))).path)
        }
        let firstDay = ((try? today.adding(days: -newsDays)) ?? today).iso8601
        for d in try await OversightQueries.disclosures(for: actor, limit: 5, on: db) where d.published_on >= firstDay {
            news.append(
                News(
                    kind: .notice, id: d.id, title: d.title, note: d.compound_name, published_on: d.published_on,
                    href: SiteURL.oversight(.myCompound).path))
        }

        let unread = try await NotificationQueries.counts(account: account, since: Notifications.keptSince(now), on: db).unread ?? 0
        let totals = try await ServicesQueries.ledgerTotals(holder: LedgerService.holder(account), on: db)
        func total(_ unit: TimeBankLedger.Unit) -> Int64 { totals.first { $0.unit == unit }?.total ?? 0 }
        return ResidentHome(
            needs: needs, news: news, unread_notifications: unread,
            time_bank: TimeBank(minutes: total(.minutes), points: total(.points), statement_href: SiteURL.services(.ledger).path))
    }
}
