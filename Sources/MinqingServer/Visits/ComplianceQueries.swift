import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The compliance report (走访指标完成情况) by person, team (residential area) and period. The
/// database reads the counts in one query (distinct households per visitor per local date, from
/// `visit_day_tallies`, which the visit writer keeps); `VisitQuota.compliance` applies the rules with the platform's
/// working-day calendar and each person's posting. Staff are those bound inside the caller's
/// scope whose role has a quota. Only visits that met the household are in the tallies
/// (`VisitsQueries.recountDayTallies`): a nobody-home attempt is no visit toward a quota.
package enum ComplianceQueries {
    package enum PeriodKind: String, Sendable, CaseIterable, Codable {
        case week, month, year

        var name: T {
            switch self {
            case .week: T("周", "Week")
            case .month: T("月", "Month")
            case .year: T("年", "Year")
            }
        }
    }

    /// The days a report covers: the week, month or year holding `date`, cut at today.
    struct Period: Sendable, Equatable {
        var kind: PeriodKind
        var first: CivilDate
        var last: CivilDate
        /// The period's last day counted (`last` or today, whichever is earlier).
        var to: CivilDate
        /// `2026`, `2026-03` or `2026-W10`.
        var label: String

        init(kind: PeriodKind, containing date: CivilDate, today: CivilDate) {
            self.kind = kind
            switch kind {
            case .week:
                let week = ISOWeek(containing: date)
                first = week.monday
                last = week.sunday
                label = week.description
            case .month:
                first = (try? CivilDate(year: date.year, month: date.month, day: 1)) ?? date
                last = (try? CivilDate(year: date.year, month: date.month, day: CivilDate.daysInMonth(year: date.year, month: date.month))) ?? date
                label = String(first.iso8601.prefix(7))
            case .year:
                first = (try? CivilDate(year: date.year, month: 1, day: 1)) ?? date
                last = (try? CivilDate(year: date.year, month: 12, day: 31)) ?? date
                label = String(date.year)
            }
            to = min(last, today)
        }
    }

    package struct PersonRow: Content, Sendable, Equatable {
        var username: String
        var display_name: String
        var role: Role
        var team_code: String
        var team_name: String
        var quota_households: Int
        var quota_period: VisitQuota.Period
        var workload_percent: Int
        var working_days: Int
        var required: Int
        var done: Int
        var shortfall: Int
        var met: Bool
        /// Days (daily quota) or weeks (weekly quota) that owed something, and those met on their own.
        var units_owed: Int
        var units_met: Int
    }

    struct TeamRow: Content, Sendable, Equatable {
        var code: String; var name: String; var people: Int; var people_met: Int; var required: Int; var done: Int; var shortfall: Int
    }

    package struct Report: Content, Sendable {
        var period: PeriodKind
        var label: String
        var from: String
        var to: String
        /// Years of the period with no holiday file: their figures count weekends only.
        var years_without_calendar: [Int]
        package var people: [PersonRow]
        var teams: [TeamRow]
        var people_total: Int
        var people_met: Int
        var required: Int
        var done: Int
    }

    struct Staff: Decodable, Sendable {
        var id: UUID; var username: String; var display_name: String; var role: Role
        var households: Int; var period: VisitQuota.Period
        var workload_percent: Int?; var first_day: String?; var last_day: String?
        var team_code: String?; var team_name: String?; var own_code: String; var own_name: String
    }

    /// Staff with a quota bound inside `scope`, with their team and posting.
    static func staff(in scope: GridScope, on db: any Database) async throws -> [Staff] {
        try await db.sql.raw(
            """
            SELECT a.id, a.username, a.display_name, a.role, q.households, q.period,
                   po.workload_percent, po.first_day, po.last_day, own.code AS own_code, own.name AS own_name,
                   (SELECT t.code FROM grid_closure tc JOIN grid_nodes t ON t.id = tc.ancestor_id
                     WHERE tc.descendant_id = a.grid_node_id AND t.level = 'residential_area') AS team_code,
                   (SELECT t.name FROM grid_closure tc JOIN grid_nodes t ON t.id = tc.ancestor_id
                     WHERE tc.descendant_id = a.grid_node_id AND t.level = 'residential_area') AS team_name
            FROM accounts a JOIN visit_quotas q ON q.role = a.role JOIN grid_nodes own ON own.id = a.grid_node_id
            LEFT JOIN visit_postings po ON po.account_id = a.id
            WHERE a.disabled = \(flag: false) AND \(scope.contains(SQLColumn("grid_node_id", table: "a")))
            ORDER BY a.username
            """
        ).all(decoding: Staff.self)
    }

    /// Distinct households per visitor per local date, for the staff bound inside `scope` (the
    /// accounts `staff(in:)` reads: enabled, of a role with a quota — not the residents' accounts,
    /// which outnumber staff a thousand to one once households sign in), from
    /// `visit_day_tallies` (kept by the visit writer). The database packs each visitor's days
    /// into one text (`date:n,…`), so a year comes back as one row per person instead of one
    /// per person-day, read along the tallies' primary key.
    static func tallies(in scope: GridScope, from: CivilDate, to: CivilDate, on db: any Database) async throws -> [UUID: [VisitTally]] {
        let pack: SQLQueryString =
            db.dialectName == "postgresql"
            ? "string_agg(t.local_date || ':' || CAST(t.households AS TEXT), ',')"
            : "group_concat(t.local_date || ':' || CAST(t.households AS TEXT), ',')"
        struct Row: Decodable { var id: UUID; var days: String? }
        let rows = try await db.sql.raw(
            """
            SELECT a.id, (SELECT \(pack) FROM visit_day_tallies t
                          WHERE t.account_id = a.id AND t.local_date >= \(bind: from.iso8601) AND t.local_date <= \(bind: to.iso8601)) AS days
            FROM accounts a JOIN visit_quotas q ON q.role = a.role
            WHERE a.disabled = \(flag: false) AND \(scope.contains(SQLColumn("grid_node_id", table: "a")))
            """
        ).all(decoding: Row.self)
        // The period's days by their text, so each entry is a dictionary look-up, not a parse.
        var days: [Substring: CivilDate] = [:]
        var n = from.daysSince1970
        while n <= to.daysSince1970, let day = try? CivilDate(daysSince1970: n) {
            days[Substring(day.iso8601)] = day
            n += 1
        }
        var result: [UUID: [VisitTally]] = [:]
        for row in rows {
            guard let packed = row.days else { continue }
            var tallies: [VisitTally] = []
            for entry in packed.split(separator: ",") {
                guard let colon = entry.firstIndex(of: ":"), let day = days[entry[..<colon]],
                    let count = Int(entry[entry.index(after: colon)...])
                else { continue }
                tallies.append(VisitTally(date: day, households: count))
            }
            result[row.id] = tallies
        }
        return result
    }

    /// The report for the period of `kind` holding `date`, inside `scope`.
    package static func report(
        in scope: GridScope, kind: PeriodKind, date: CivilDate, today: CivilDate, calendar: WorkingCalendar,
        on db: any Database
    ) async throws -> Report {
        let period = Period(kind: kind, containing: date, today: today)
        let staff = try await staff(in: scope, on: db)
        let tallies = period.first <= period.to ? try await tallies(in: scope, from: period.first, to: period.to, on: db) : [:]
        var people: [PersonRow] = []
        var teams: [String: TeamRow] = [:]
        for member in staff {
            guard let quota = try? VisitQuota(households: member.households, per: member.period) else { continue }
            let posting =
                (try? StaffPosting(
                    workloadPercent: member.workload_percent ?? 100,
                    firstDay: member.first_day.flatMap { try? CivilDate(parsing: $0) },
                    lastDay: member.last_day.flatMap { try? CivilDate(parsing: $0) })) ?? .fullTime
            let result = quota.compliance(
                from: period.first, to: period.to, calendar: calendar, posting: posting,
                visits: tallies[member.id] ?? [])
            let teamCode = member.team_code ?? member.own_code
            let teamName = member.team_name ?? member.own_name
            people.append(
                PersonRow(
                    username: member.username, display_name: member.display_name, role: member.role,
                    team_code: teamCode, team_name: teamName, quota_households: quota.households,
                    quota_period: quota.period, workload_percent: posting.workloadPercent,
                    working_days: result.workingDaysInPost, required: result.required, done: result.done,
                    shortfall: result.shortfall, met: result.isMet, units_owed: result.unitsOwed, units_met: result.unitsMet))
            var team = teams[teamCode] ?? TeamRow(code: teamCode, name: teamName, people: 0, people_met: 0, required: 0, done: 0, shortfall: 0)
            team.people += 1
            team.people_met += result.isMet ? 1 : 0
            team.required += result.required
            team.done += result.done
            team.shortfall += result.shortfall
            teams[teamCode] = team
        }
        people.sort { ($0.team_code, $0.username) < ($1.team_code, $1.username) }
        return Report(
            period: kind, label: period.label, from: period.first.iso8601, to: period.to.iso8601,
            years_without_calendar: calendar.yearsWithoutData(from: period.first, to: period.last),
            people: people, teams: teams.values.sorted { $0.code < $1.code },
            people_total: people.count, people_met: people.count(where: \.met),
            required: people.reduce(0) { $0 + $1.required }, done: people.reduce(0) { $0 + $1.done })
    }
}
