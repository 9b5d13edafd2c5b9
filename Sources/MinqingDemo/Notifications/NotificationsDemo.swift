import Fluent
import Foundation
import MinqingDomain
import MinqingServer
import SQLKit

/// The demo's notifications: what resident accounts would have received over the last 30 days,
/// made from the demo's own rows after everything else is loaded: a message per step of their
/// cases that the reporter hears of, and one per open poll and campaign where they live. Those
/// older than three days are read, so the demo resident's inbox has something new and a history.
enum NotificationsDemo {
    static let days = 30

    struct Row: Decodable {
        var account_id: UUID
        var subdistrict_id: UUID?
        var target: UUID
        var title: String
        var label: String?
        var at: Date
    }

    static func load(now: Date, progress: @Sendable (String) -> Void, on db: any Database) async throws -> Int {
        let since = now.addingTimeInterval(-Double(days) * 86_400)
        let told = CaseAction.allCases.filter(\.toldToReporter).map { SQLBind($0.rawValue) }
        let steps = try await db.sql.raw(
            """
            SELECT a.id AS account_id, a.subdistrict_id, c.id AS target, c.number || ' ' || c.title AS title, t.action AS label, t.at
            FROM case_transitions t JOIN cases c ON c.id = t.case_id JOIN accounts a ON a.id = c.submitter_account_id
            WHERE a.role = 'resident' AND t.at >= \(bind: since) AND t.at <= \(bind: now) AND t.action IN (\(SQLList(told)))
            """
        ).all(decoding: Row.self)
        let polls = try await db.sql.raw(
            """
            SELECT a.id AS account_id, a.subdistrict_id, p.id AS target, p.title, NULL AS label, p.created_at AS at
            FROM polls p JOIN grid_closure gc ON gc.ancestor_id = p.grid_node_id JOIN accounts a ON a.grid_node_id = gc.descendant_id
            WHERE a.role = 'resident' AND p.status = 'open' AND p.created_at >= \(bind: since)
            """
        ).all(decoding: Row.self)
        let campaigns = try await db.sql.raw(
            """
            SELECT a.id AS account_id, a.subdistrict_id, s.id AS target, s.title, NULL AS label, s.created_at AS at
            FROM service_campaigns s JOIN grid_closure gc ON gc.ancestor_id = s.grid_node_id JOIN accounts a ON a.grid_node_id = gc.descendant_id
            WHERE a.role = 'resident' AND s.status = 'open' AND s.created_at >= \(bind: since) AND s.created_at <= \(bind: now)
            """
        ).all(decoding: Row.self)
        var rows = BulkInserter(
            table: "notifications",
            columns: ["id", "subdistrict_id", "account_id", "kind", "title_zh", "title_en", "detail", "href", "urgent", "created_at", "read_at"])
        let readBefore = now.addingTimeInterval(-3 * 86_400)
        func add(_ row: Row, kind: NotificationKind, title: NotificationTitle, href: String) async throws {
            try await rows.add(
                [
                    SQLBind(UUID()), bindOrNull(row.subdistrict_id), SQLBind(row.account_id),
                    SQLBind(kind.rawValue), SQLBind(title.zh), SQLBind(title.en), SQLBind(row.title), SQLBind(href), SQLBind(false), SQLBind(row.at),
                    bindOrNull(row.at < readBefore ? row.at.addingTimeInterval(3600) : nil)
                ], on: db)
        }
        for step in steps {
            guard let action = step.label.flatMap(CaseAction.init(rawValue:)) else { continue }
            try await add(
                step, kind: .caseUpdate, title: .caseStep(action),
                href: SiteURL.cases(.detail(.value(CaseID(step.target)))).path)
        }
        for poll in polls {
            try await add(
                poll, kind: .voteOpened, title: .pollOpened,
                href: SiteURL.voting(.poll(.value(poll.target))).path)
        }
        for campaign in campaigns {
            try await add(
                campaign, kind: .campaign, title: .campaignOpened,
                href: SiteURL.services(.campaign(.value(campaign.target))).path)
        }
        try await rows.flush(on: db)
        progress("notifications: \(rows.written)")
        return rows.written
    }
}
