import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Daily check-in campaigns (每日健康打卡, e.g. people under home observation): a roster of
/// residents (enrolled by staff from a grid node or by name, or self-enrolled where the campaign
/// allows), one check-in per person per day (UNIQUE campaign + account + local date, days in
/// Asia/Shanghai), and for staff the counts per day and the list of who missed a day (an
/// anti-join in SQL, only people inside the caller's scope).
///
/// A check-in may ask typed questions (健康打卡: a temperature, symptoms; the registration form's
/// field types but personal numbers) with an alert rule per field: an answer at or above a
/// threshold, or a chosen option, marks the check-in abnormal, tells the grid workers over the
/// person's building group (the cadres when none) and, when the campaign names a case category,
/// opens a case — all in the check-in's transaction.
enum CheckinService {
    static let notOnRoster = AppError(
        .conflict, code: "not_on_roster", zh: "您不在打卡名单中，或今天不在打卡期内。",
        en: "You are not on the roster, or today is outside the check-in period.")
    static let already = AppError(.conflict, code: "already_checked_in", zh: "今天已打卡。", en: "You have already checked in today.")
    static let noSelfEnrol = AppError(
        .conflict, code: "no_self_enrol", zh: "该打卡需由居委会登记名单。",
        en: "The neighbourhood committee keeps this roster.")

    struct RosterInput: Content, Sendable { var node: String?; var usernames: [String]? }
    struct CheckinInput: Content, Sendable {
        var note: String?
        /// Answers by field id (several values only for a multiple choice).
        var answers: [String: [String]]? = nil
    }
    struct Checked: Content, Sendable { var id: UUID; var alert: Bool }
    struct Answer: Content, Sendable, Equatable { var label: String; var label_en: String; var value: String }
    /// A building group's roster and misses on a day (the missed list's counts by building group).
    struct GroupMissed: Content, Sendable, Equatable { var code: String; var name: String; var roster: Int; var missed: Int }
    /// An abnormal check-in for staff: who, where, the answers, the case it opened.
    struct Alert: Content, Sendable, Equatable {
        var id: UUID; var username: String; var display_name: String; var grid_code: String; var at: Date
        var answers: [Answer]; var case_id: UUID?; var case_number: String?
    }
    struct Enrolled: Content, Sendable { var enrolled: Int; var roster: Int }
    struct Day: Content, Sendable, Equatable { var date: String; var roster: Int; var checked_in: Int; var missed: Int }
    struct Missed: Content, Sendable, Equatable { var username: String; var display_name: String; var grid_code: String }
    /// A resident's state in a check-in campaign.
    struct Mine: Content, Sendable, Equatable {
        var on_roster: Bool; var checked_today: Bool; var days: [String]; var self_enrol: Bool
        /// The questions of the daily check-in, in order (none for a plain check-in).
        var fields: [CampaignFormService.FieldView] = []
        /// Today's answers, once checked in.
        var today: [Answer] = []
    }

    /// The check-in campaign if the actor may see it; 404 otherwise (also for another kind of campaign).
    static func period(_ campaign: UUID, for actor: Actor, on db: any Database) async throws -> ServicesQueries.CheckinPeriod {
        guard let row = try await ServicesQueries.checkinPeriod(campaign, for: actor, on: db),
            row.kind == .checkin
        else { throw CampaignService.notFound }
        return row
    }

    /// Checks a check-in campaign's period: `starts_on` (default today) to `ends_on` (default 14
    /// days), at most 366 days.
    static func checkPeriod(_ input: CampaignInput, today: CivilDate, problems: inout [FieldError]) -> (CivilDate, CivilDate)? {
        let start = input.starts_on.flatMap { try? CivilDate(parsing: $0) } ?? today
        if let text = input.starts_on, !text.isEmpty, (try? CivilDate(parsing: text)) == nil {
            problems.append(FieldError(field: "starts_on", messageZH: "开始日期格式应为 YYYY-MM-DD", messageEN: "Write the first day as YYYY-MM-DD"))
        }
        let end = input.ends_on.flatMap { try? CivilDate(parsing: $0) } ?? ((try? start.adding(days: 13)) ?? start)
        if let text = input.ends_on, !text.isEmpty, (try? CivilDate(parsing: text)) == nil {
            problems.append(FieldError(field: "ends_on", messageZH: "结束日期格式应为 YYYY-MM-DD", messageEN: "Write the last day as YYYY-MM-DD"))
        } else if end < start || end.daysSince1970 - start.daysSince1970 > 365 {
            problems.append(
                FieldError(field: "ends_on", messageZH: "结束日期须在开始日期之后，且不超过一年", messageEN: "The last day must follow the first within a year"))
        }
        return problems.isEmpty ? (start, end) : nil
    }

    /// Staff enrol the residents' accounts under a grid node in their scope and/or named
    /// accounts in their scope; people already on the roster stay (ON CONFLICT DO NOTHING).
    static func enrol(_ campaign: UUID, _ input: RosterInput, writer: WriteContext, on db: any Database) async throws -> Enrolled {
        let actor = writer.actor
        guard actor.role.isGridStaff else { throw AppError.forbidden }
        _ = try await period(campaign, for: actor, on: db)
        var nodeID: UUID?
        if let code = input.node, !code.isEmpty {
            guard let node = try await GridQueries.node(code: code, in: actor.scope, on: db) else {
                throw AppError.validation("node", zh: "网格节点不存在或不在您的管辖范围内", en: "No such grid node in your scope")
            }
            nodeID = node.id
        }
        let names = (input.usernames ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard nodeID != nil || !names.isEmpty else {
            throw AppError.validation("node", zh: "请选择网格节点或填写账号", en: "Name a grid node or some usernames")
        }
        let candidates = try await ServicesQueries.rosterCandidates(for: actor, node: nodeID, usernames: names, on: db)
        // Counted from the rows this call inserted: another grid's enrolments meanwhile stay out.
        let enrolled = try await db.write { db in
            let added = try await ServicesQueries.insertRoster(candidates, campaign: campaign, writer: writer, on: db)
            try await ServicesService.audit("campaign.roster_enrolled", target: campaign, by: writer, on: db)
            return added
        }
        let roster = try await ServicesQueries.rosterCountInScope(campaign, for: actor, on: db)
        return Enrolled(enrolled: enrolled, roster: roster)
    }

    /// A resident puts themself on the roster, where the campaign allows it.
    static func selfEnrol(_ campaign: UUID, writer: WriteContext, on db: any Database) async throws {
        let actor = writer.actor
        guard actor.role == .resident else { throw AppError.forbidden }
        let p = try await period(campaign, for: actor, on: db)
        guard p.self_enrol == true, p.status == "open" else { throw noSelfEnrol }
        try await ServicesQueries.insertSelfEnrolment(campaign, writer: writer, on: db)
    }

    /// Today's check-in: the answers checked against the form (every error at once, by label),
    /// then in one transaction the alert's case when there is one, the row taken from the caller's
    /// roster entry of an open campaign whose period holds today (the UNIQUE index refuses a
    /// second one today), its answers, and the alert to the workers.
    static func checkIn(_ campaign: UUID, _ input: CheckinInput, writer: WriteContext, on db: any Database) async throws -> Checked {
        let actor = writer.actor
        guard actor.role == .resident else { throw AppError.forbidden }
        let p = try await period(campaign, for: actor, on: db)
        let note = (input.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard note.count <= 200 else { throw AppError.validation("note", zh: "备注最多 200 字", en: "The note has at most 200 characters") }
        let fields = try await CampaignFormService.fieldRows(campaign, on: db)
        var answers: [(field: UUID, value: String)] = []
        var abnormal: [String] = []
        if !fields.isEmpty {
            switch CampaignForm.check(input.answers ?? [:], for: fields.map(\.rule), today: writer.today) {
            case .failure(let errors): throw AppError.validation(errors.fields)
            case .success(let checked):
                for field in fields {
                    let answer = checked[field.id.uuidString] ?? .empty
                    switch answer {
                    case .empty: continue
                    case .choices(let chosen): answers += chosen.map { (field.id, $0) }
                    default: answers.append((field.id, answer.display))
                    }
                    if field.rule.raisesAlert(answer) { abnormal.append("\(field.label_zh) \(answer.display)") }
                }
            }
        }
        let today = writer.today.iso8601
        let node = try await ServicesQueries.rosterNode(campaign, account: actor.accountID, on: db)
        let detail = "\(p.title)：\(actor.displayName) \(abnormal.joined(separator: "，"))"
        var draft: CasesService.Prepared?
        if !abnormal.isEmpty, let code = p.alert_category, let node, let place = try await GridQueries.node(id: node, on: db) {
            draft = CasesService.Prepared(
                subdistrictID: place.subdistrictID, channel: .app, sourceRef: "checkin:\(campaign.uuidString.lowercased()):\(today)",
                categoryCode: code, title: String("打卡异常：\(abnormal.joined(separator: "，"))".prefix(40)),
                description: String("\(p.title) \(today) 打卡异常：\(abnormal.joined(separator: "，"))。\(note)".prefix(4000)),
                nodeID: node, address: place.name, submitterAccount: actor.accountID, submitterName: actor.displayName,
                actorID: actor.accountID, actorName: actor.username, actorRole: actor.role.rawValue, now: writer.now)
        }
        let id = UUID()
        let rows = answers
        let alertCase = draft
        let alert = !abnormal.isEmpty
        do {
            try await db.write { db in
                let caseRef = try await alertCase.asyncFlatMap { try await CasesService.insertAudited($0, writer: writer, on: db) }
                let inserted = try await ServicesQueries.insertCheckin(
                    id, campaign: campaign, today: today, note: note, alert: alert, caseID: caseRef?.id, writer: writer, on: db)
                guard !inserted.isEmpty, let node else { throw notOnRoster }
                try await ServicesQueries.insertCheckinAnswers(rows, checkin: id, on: db)
                if alert {
                    try await Notifications.checkinAlert(campaign, node: node, detail: detail, writer: writer, on: db)
                }
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw already
        }
        return Checked(id: id, alert: alert)
    }

    /// The caller's roster state and days checked in.
    static func mine(_ campaign: UUID, for actor: Actor, now: Date, on db: any Database) async throws -> Mine {
        let p = try await period(campaign, for: actor, on: db)
        let on = try await ServicesQueries.isOnRoster(campaign, account: actor.accountID, on: db)
        let days = try await ServicesQueries.checkinDates(campaign, account: actor.accountID, on: db)
        let today = CivilDate(now, in: .shanghai).iso8601
        let checked = days.contains(today)
        return Mine(
            on_roster: on, checked_today: checked, days: days, self_enrol: p.self_enrol == true,
            fields: try await CampaignFormService.fieldViews(campaign, on: db),
            today: checked ? try await ServicesQueries.ownCheckinAnswers(campaign, account: actor.accountID, date: today, on: db) : [])
    }

    /// Per day from the start to the end (or today): the roster in scope that day (enrolled
    /// before its end), how many checked in, how many missed.
    static func days(_ campaign: UUID, for actor: Actor, now: Date, on db: any Database) async throws -> [Day] {
        guard actor.role.isGridStaff else { throw AppError.forbidden }
        let p = try await period(campaign, for: actor, on: db)
        guard let start = p.starts_on.flatMap({ try? CivilDate(parsing: $0) }), let end = p.ends_on.flatMap({ try? CivilDate(parsing: $0) }) else {
            return []
        }
        let last = min(end, CivilDate(now, in: .shanghai))
        guard start <= last else { return [] }
        let enrolled = try await ServicesQueries.rosterEnrolmentTimes(campaign, for: actor, on: db)
        let counts = try await ServicesQueries.checkinCountsByDay(campaign, for: actor, on: db)
        var result: [Day] = []
        var day = start
        while day <= last {
            let close = (try? day.adding(days: 1))?.startOfDay(in: .shanghai) ?? now
            let roster = enrolled.filter { $0 < close }.count
            let checked = counts.first { $0.local_date == day.iso8601 }?.n ?? 0
            result.append(Day(date: day.iso8601, roster: roster, checked_in: checked, missed: max(0, roster - checked)))
            guard let next = try? day.adding(days: 1) else { break }
            day = next
        }
        return result.reversed()
    }

    /// Who on the roster (in scope, enrolled before the day ended, under the building group or
    /// node `node` when given) did not check in on `date`.
    static func missed(_ campaign: UUID, on date: String, node: String? = nil, for actor: Actor, on db: any Database) async throws -> [Missed] {
        let (day, close) = try await staffDay(campaign, date, for: actor, on: db)
        var under: UUID?
        if let node, !node.isEmpty {
            // A node outside the scope lists nobody, as an unknown one: the answer never tells which.
            guard let found = try await GridQueries.node(code: node, in: actor.scope, on: db) else { return [] }
            under = found.id
        }
        return try await ServicesQueries.missedCheckins(campaign, date: day, close: close, under: under, for: actor, on: db)
    }

    /// The missed list's counts by building group on `date`, most misses first.
    static func missedByGroup(_ campaign: UUID, on date: String, for actor: Actor, on db: any Database) async throws -> [GroupMissed] {
        let (day, close) = try await staffDay(campaign, date, for: actor, on: db)
        return try await ServicesQueries.missedByBuildingGroup(campaign, date: day, close: close, for: actor, on: db)
    }

    /// The abnormal check-ins of `date` in the caller's scope.
    static func alerts(_ campaign: UUID, on date: String, for actor: Actor, on db: any Database) async throws -> [Alert] {
        let (day, _) = try await staffDay(campaign, date, for: actor, on: db)
        return try await ServicesQueries.alertCheckins(campaign, date: day, for: actor, on: db)
    }

    /// Staff's campaign and day: the date checked, and the instant the day ends.
    private static func staffDay(_ campaign: UUID, _ date: String, for actor: Actor, on db: any Database) async throws -> (String, Date) {
        guard actor.role.isGridStaff else { throw AppError.forbidden }
        _ = try await period(campaign, for: actor, on: db)
        guard let day = try? CivilDate(parsing: date) else {
            throw AppError.validation("date", zh: "日期格式应为 YYYY-MM-DD", en: "Write the date as YYYY-MM-DD")
        }
        return (day.iso8601, (try? day.adding(days: 1))?.startOfDay(in: .shanghai) ?? Date())
    }

    struct Reminded: Content, Sendable { var reminded: Int }

    /// Reminds who on the roster inside the caller's scope has not checked in today (each at most
    /// once a day); only while the check-in runs. Audited with the count.
    static func remind(_ campaign: UUID, writer: WriteContext, on db: any Database) async throws -> Reminded {
        guard writer.actor.role.isGridStaff else { throw AppError.forbidden }
        let row = try await period(campaign, for: writer.actor, on: db)
        let today = writer.today.iso8601
        guard row.status == "open", (row.starts_on ?? today) <= today, today <= (row.ends_on ?? today) else {
            throw AppError.conflict("今天不在打卡期内，不能提醒", "Today is outside the check-in's period: there is nothing to remind of")
        }
        let n = try await db.write { db in
            let n = try await Notifications.checkinReminder(campaign, title: row.title, writer: writer, on: db)
            try await AuditLog.append(
                AuditEntry(
                    action: "campaign.reminded", actorID: writer.actor.accountID, actorName: writer.actor.username, targetType: "campaign",
                    targetID: campaign.uuidString, detail: ["date": today, "reminded": String(n)], clientAddress: writer.address),
                at: writer.now, on: db)
            return n
        }
        return Reminded(reminded: n)
    }
}
