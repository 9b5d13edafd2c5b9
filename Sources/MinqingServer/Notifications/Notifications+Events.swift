import Fluent
import Foundation
import MinqingDomain

/// The events that notify, one function each, called inside the event's transaction by the
/// capability that writes it.
extension Notifications {
    /// A step on a case: its reporter hears of the steps that concern them; the departments it
    /// was dispatched or transferred to (the lead and any co-handlers) hear that it is theirs.
    static func caseMoved(_ id: CaseID, action raw: String, department: UUID?, writer: WriteContext, on db: any Database) async throws {
        guard let action = CaseAction(rawValue: raw), let label = try await NotificationQueries.caseLabel(id, on: db) else { return }
        let href = SiteURL.cases(.detail(.value(id))).path
        if action.toldToReporter {
            try await send(
                Message(
                    kind: .caseUpdate, title: .caseStep(action), detail: label.title,
                    href: href),
                to: .caseSubmitter(id), except: writer.actor.accountID, now: writer.now, on: db)
        }
        if department != nil, action == .dispatch || action == .transfer {
            try await send(
                Message(
                    kind: .caseAssigned, titleZH: "新派案件，请签收", titleEN: "A case was dispatched to your department", detail: label.title, href: href),
                to: .caseAssignees(id), except: writer.actor.accountID, now: writer.now, on: db)
        }
    }

    /// A step on a visit booking: a resident's booking reaches the cadre who offered the slot; the
    /// cadre's answer reaches the resident.
    static func visitBookingChanged(_ booking: UUID, action: String, writer: WriteContext, on db: any Database) async throws {
        guard let label = try await NotificationQueries.visitBookingLabel(booking, on: db) else { return }
        let when = label.at.map { DisplayTime.format($0).prefix(16) + " " } ?? ""
        let detail = when + label.title
        let step: (zh: String, en: String)
        switch action {
        case "visit_booking.requested": step = ("居民预约了您的走访", "A resident booked a visit with you")
        case "visit_booking.accepted": step = ("居民接受了您改约的时间", "The resident accepted the time you proposed")
        case "visit_booking.confirmed": step = ("您预约的走访已确认", "Your visit is confirmed")
        case "visit_booking.proposed": step = ("社工为您的走访改约了时间，请确认", "Another time was proposed for your visit: please answer")
        case "visit_booking.cancelled": step = ("走访预约已取消", "The visit booking was cancelled")
        default: return
        }
        let residentActs = writer.actor.role == .resident
        try await send(
            Message(
                kind: residentActs ? .visitBooked : .booking, titleZH: step.zh, titleEN: step.en, detail: detail,
                href: residentActs ? SiteURL.visits(.slots).path : SiteURL.visits(.booking).path + "#booking-\(booking.uuidString)"),
            to: residentActs ? .visitOfferer(booking) : .visitBooker(booking), except: writer.actor.accountID, now: writer.now, on: db)
    }

    /// Staff's decision on a space booking reaches the one who booked.
    static func serviceBookingDecided(_ booking: UUID, action: String, writer: WriteContext, on db: any Database) async throws {
        let step: (zh: String, en: String)
        switch action {
        case "approve": step = ("您预约的空间已通过", "Your space booking is approved")
        case "reject": step = ("您预约的空间未通过", "Your space booking was declined")
        case "cancel": step = ("您预约的空间已被取消", "Your space booking was cancelled")
        default: return
        }
        guard writer.actor.role != .resident, let label = try await NotificationQueries.serviceBookingLabel(booking, on: db) else { return }
        let when = label.at.map { DisplayTime.format($0).prefix(16) + " " } ?? ""
        try await send(
            Message(
                kind: .booking, titleZH: step.zh, titleEN: step.en, detail: when + label.title,
                href: SiteURL.services(.index).path + "#booking-\(booking.uuidString)"),
            to: .serviceBooker(booking), except: writer.actor.accountID, now: writer.now, on: db)
    }

    /// An owners' ballot opened: every owner on its roll with an account.
    static func ballotOpened(_ id: BallotID, title: String, writer: WriteContext, on db: any Database) async throws {
        try await send(
            Message(
                kind: .voteOpened, titleZH: "业主表决开始，请投票", titleEN: "An owners' ballot is open: please vote", detail: title,
                href: SiteURL.voting(.ballot(.value(id))).path),
            to: .ballotElectors(id.rawValue), except: writer.actor.accountID, now: writer.now, on: db)
    }

    /// A residents' poll opened: every resident under its node.
    static func pollOpened(_ id: UUID, title: String, node: UUID, writer: WriteContext, on db: any Database) async throws {
        try await send(
            Message(
                kind: .voteOpened, title: .pollOpened, detail: title,
                href: SiteURL.voting(.poll(.value(id))).path),
            to: .residentsUnder(node), except: writer.actor.accountID, now: writer.now, on: db)
    }

    /// A case of the department's is past its deadline and went up a level, or the subdistrict
    /// marked it 督办: the leading department's accounts hear of it.
    static func caseSupervised(_ id: CaseID, escalatedTo level: Int?, actor: UUID?, now: Date, on db: any Database) async throws {
        guard let label = try await NotificationQueries.caseLabel(id, on: db) else { return }
        let title: (zh: String, en: String) =
            level.map { ("案件已超期，升级督办（第 \($0) 级）", "A case is overdue and escalated (level \($0))") }
            ?? ("案件被督办，请尽快办理", "A case was marked for supervision: please act on it")
        try await send(
            Message(kind: .caseOverdue, titleZH: title.zh, titleEN: title.en, detail: label.title, href: SiteURL.cases(.detail(.value(id))).path),
            to: .caseLead(id), except: actor, now: now, on: db)
    }

    /// A registration, check-in or reservation campaign opened: the residents under its node.
    static func campaignOpened(_ id: UUID, title: String, node: UUID, writer: WriteContext, on db: any Database) async throws {
        try await send(
            Message(
                kind: .campaign, title: .campaignOpened, detail: title,
                href: SiteURL.services(.campaign(.value(id))).path),
            to: .residentsUnder(node), except: writer.actor.accountID, now: writer.now, on: db)
    }

    /// An owners' committee published a disclosure: the residents of its compound.
    static func noticePublished(compound: UUID, title: String, writer: WriteContext, on db: any Database) async throws {
        try await send(
            Message(
                kind: .notice, titleZH: "小区有新的公示", titleEN: "A new notice of your compound", detail: title,
                href: SiteURL.oversight(.myCompound).path),
            to: .residentsOfCompound(compound), except: writer.actor.accountID, now: writer.now, on: db)
    }

    /// An owners' ballot closed and its result is published: the owners on its roll.
    static func ballotClosed(
        _ id: BallotID, title: String, outcome: OwnersVoteTally.Outcome, writer: WriteContext, on db: any Database
    ) async throws {
        try await send(
            Message(
                kind: .voteResult, titleZH: "业主表决结果：\(outcome.nameZH)", titleEN: "Owners' ballot result: \(outcome.nameEN)", detail: title,
                href: SiteURL.voting(.ballot(.value(id))).path),
            to: .ballotElectors(id.rawValue), except: writer.actor.accountID, now: writer.now, on: db)
    }

    /// A residents' poll closed: the residents under its node may read the result.
    static func pollClosed(_ id: UUID, writer: WriteContext, on db: any Database) async throws {
        guard let poll = try await NotificationQueries.pollLabel(id, on: db) else { return }
        try await send(
            Message(
                kind: .voteResult, titleZH: "居民投票已结束，请看结果", titleEN: "A residents' poll closed: see the result", detail: poll.title,
                href: SiteURL.voting(.poll(.value(id))).path),
            to: .residentsUnder(poll.grid_node_id), except: writer.actor.accountID, now: writer.now, on: db)
    }

    /// Staff remind who on the check-in's roster (in their scope) has not checked in today; a
    /// person is reminded at most once a day per campaign. How many were reminded.
    static func checkinReminder(_ campaign: UUID, title: String, writer: WriteContext, on db: any Database) async throws -> Int {
        let href = SiteURL.services(.campaign(.value(campaign))).path
        return try await send(
            Message(kind: .reminder, titleZH: "您今天还没有打卡", titleEN: "You have not checked in today", detail: title, href: href),
            to: .checkinMissing(
                campaign: campaign, date: writer.today.iso8601, scope: writer.actor.scope, remindedSince: writer.today.startOfDay(in: .shanghai),
                href: href),
            except: writer.actor.accountID, now: writer.now, on: db)
    }

    /// An abnormal check-in: the grid workers over the person's building group, or its cadres
    /// when no grid worker covers it.
    static func checkinAlert(_ campaign: UUID, node: UUID, detail: String, writer: WriteContext, on db: any Database) async throws {
        let message = Message(
            kind: .checkinAlert, titleZH: "居民打卡异常，请跟进", titleEN: "A resident's check-in is abnormal: please follow up", detail: detail,
            href: SiteURL.services(.campaign(.value(campaign))).path + "#alerts")
        for role in [Role.gridWorker, .areaCadre] {
            let n = try await send(message, to: .staffOver(node, role: role), except: writer.actor.accountID, now: writer.now, on: db)
            if n > 0 { return }
        }
    }

    /// A notice to every resident under a node (the subdistrict: every signed-up household): a
    /// fan-out job written at once, then expanded chunk by chunk (`expandFanout`); how many
    /// received it. Issue 23's publications will call this; today `minqing-bench`'s
    /// `notifications.fanout` measures it.
    package static func noticeToResidents(under node: UUID, title: String, href: String, writer: WriteContext, on db: any Database) async throws
        -> Int
    {
        let id = UUID()
        let message = Message(kind: .notice, titleZH: "社区通知", titleEN: "A notice of your community", detail: title, href: href)
        let subdistrict = try await GridQueries.node(id: node, on: db)?.subdistrictID
        try await db.write { db in
            try await NotificationQueries.insertFanout(
                id, node: node, subdistrict: subdistrict, message: message, except: writer.actor.accountID, now: writer.now, on: db)
        }
        return try await expandFanout(id, on: db)
    }

    /// Recipients per transaction of a fan-out: a read waits for one chunk at most.
    static let fanoutChunk = 1_000

    /// Writes the job's notifications from its cursor on, `chunk` recipients per transaction, each
    /// with the cursor's move (compare-and-set: a chunk another expander wrote is not written
    /// twice); how many this call wrote.
    @discardableResult
    static func expandFanout(_ id: UUID, chunk: Int = fanoutChunk, on db: any Database) async throws -> Int {
        // The notifications keep the event's time; `done_at` is when the last chunk was written.
        guard let job = try await NotificationQueries.fanout(id, on: db), job.done_at == nil,
            let kind = NotificationKind(rawValue: job.kind)
        else { return 0 }
        let message = Message(
            kind: kind, titleZH: job.title_zh, titleEN: job.title_en, detail: job.detail, href: job.href, urgent: job.urgent)
        var cursor = job.after_account
        var written = 0
        while true {
            let next = try await NotificationQueries.recipients(
                .residentsUnder(job.grid_node_id), kind: kind, except: job.except_account, after: cursor, limit: chunk, on: db)
            let from = cursor
            let moved = try await db.write { db in
                guard
                    try await NotificationQueries.advanceFanout(
                        id, from: from, to: next.last?.id, n: next.count, done: next.count < chunk, now: Date(), on: db)
                else { return false }
                try await write(message, to: next, now: job.created_at, on: db)
                return true
            }
            guard moved else { return written }
            written += next.count
            cursor = next.last?.id ?? cursor
            if next.count < chunk { return written }
        }
    }

    /// Finishes the fan-outs a stopped server left unfinished (run when `serve` starts).
    static func resumeFanouts(on db: any Database) async throws -> Int {
        var written = 0
        for id in try await NotificationQueries.openFanouts(on: db) { written += try await expandFanout(id, on: db) }
        return written
    }
}
