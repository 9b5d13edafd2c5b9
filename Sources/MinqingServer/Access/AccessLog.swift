import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The access log (访问日志): every read by staff of a person's sensitive tags or aid records,
/// who, when, whose and by which route (PIPL art. 55 and the Cybersecurity Law's six months of
/// access logs). Not hash-chained (it is written on reads, where the audit trail's single head
/// would serialise every page); rows are only ever inserted, and kept like the audit trail.
enum AccessLog {
    enum Kind: String, Sendable { case sensitiveTags = "sensitive_tags", aid }

    static func record(
        _ kinds: [Kind], subjectType: String, subject: UUID, actor: Actor, route: String, now: Date,
        on db: any Database
    ) async throws {
        guard !kinds.isEmpty else { return }
        try await db.write { db in
            try await AccessLogQueries.insert(kinds, subjectType: subjectType, subject: subject, actor: actor, route: route, now: now, on: db)
        }
    }

    /// What a person page or answer showed, as the access log counts it.
    static func kinds(tags: [RegistryQueries.TagRow], aid: RegistryQueries.AidTotals) -> [Kind] {
        var kinds: [Kind] = []
        if tags.contains(where: \.sensitive) { kinds.append(.sensitiveTags) }
        if aid.records > 0 { kinds.append(.aid) }
        return kinds
    }

    static func rows(from: Date, to: Date, on db: any Database) async throws -> [AccessLogQueries.Row] {
        try await AccessLogQueries.rows(from: from, to: to, on: db)
    }
}

/// The audit trail and the access log as CSV for a period (等保: security events kept and
/// exportable), for administrators at a root node and for `minqing audit export`.
enum AuditExport {
    enum Log: String, CaseIterable, Sendable { case audit, access }

    /// At most a year a file.
    static let longest: TimeInterval = 366 * 86_400

    struct Period: Sendable { var from: Date; var to: Date; var log: Log }

    /// Dates as `YYYY-MM-DD` (Asia/Shanghai), `to` included.
    static func period(from: String?, to: String?, log: String?) throws -> Period {
        var problems: [FieldError] = []
        func day(_ raw: String?, _ field: String) -> CivilDate? {
            guard let raw, let date = try? CivilDate(parsing: raw) else {
                problems.append(FieldError(field: field, messageZH: "须为 YYYY-MM-DD 的日期", messageEN: "must be a date as YYYY-MM-DD"))
                return nil
            }
            return date
        }
        let start = day(from, "from"), end = day(to, "to")
        let which = Log(rawValue: log ?? "audit")
        if which == nil { problems.append(FieldError(field: "log", messageZH: "须为 audit 或 access", messageEN: "log must be audit or access")) }
        if let start, let end {
            let a = start.startOfDay(in: .shanghai), b = (try? end.adding(days: 1))?.startOfDay(in: .shanghai) ?? a
            if b <= a {
                problems.append(FieldError(field: "to", messageZH: "结束日期不能早于开始日期", messageEN: "to is before from"))
            } else if b.timeIntervalSince(a) > longest {
                problems.append(FieldError(field: "to", messageZH: "一次最多导出一年", messageEN: "At most one year a file"))
            }
            if problems.isEmpty, let which { return Period(from: a, to: b, log: which) }
        }
        throw AppError.validation(problems)
    }

    static func csv(_ period: Period, on db: any Database) async throws -> (text: String, rows: Int) {
        switch period.log {
        case .audit:
            let rows = try await AuditLog.between(
                fromMs: Int64(period.from.timeIntervalSince1970 * 1000),
                toMs: Int64(period.to.timeIntervalSince1970 * 1000), on: db)
            let lines = rows.map { r in
                [
                    String(r.seq), DisplayTime.format(milliseconds: r.at_ms), r.actor_name ?? "", r.action, r.target_type ?? "", r.target_id ?? "",
                    r.detail, r.client_address ?? "", r.hash
                ]
            }
            return (
                CSVTable.write(header: ["seq", "time", "actor", "action", "target_type", "target_id", "detail", "address", "hash"], rows: lines),
                lines.count
            )
        case .access:
            let rows = try await AccessLog.rows(from: period.from, to: period.to, on: db)
            let lines = rows.map { [DisplayTime.format($0.at), $0.username, $0.role, $0.kind, $0.subject_type, $0.subject_id, $0.route] }
            return (CSVTable.write(header: ["time", "account", "role", "kind", "subject_type", "subject_id", "route"], rows: lines), lines.count)
        }
    }
}
