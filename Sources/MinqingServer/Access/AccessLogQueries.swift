import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// The access log's reads and writes (`access_log`): rows are only ever inserted.
enum AccessLogQueries {
    struct Row: Decodable {
        var at: Date; var username: String; var role: String; var kind: String; var subject_type: String; var subject_id: String; var route: String
    }

    /// Writes one access-log row per kind of data shown (call it inside the caller's write transaction); returns nothing.
    static func insert(
        _ kinds: [AccessLog.Kind], subjectType: String, subject: UUID, actor: Actor, route: String, now: Date,
        on db: any Database
    ) async throws {
        var rows: [[any SQLExpression]] = []
        for kind in kinds {
            rows.append([
                SQLBind(UUID()), SQLBind(now), SQLBind(actor.accountID), SQLBind(actor.username), SQLBind(actor.role.rawValue),
                SQLBind(kind.rawValue), SQLBind(subjectType), SQLBind(subject.uuidString), SQLBind(route)
            ])
        }
        try await db.sql.insert(into: "access_log")
            .columns("id", "at", "account_id", "username", "role", "kind", "subject_type", "subject_id", "route")
            .rows(rows).run()
    }

    /// The access-log rows of a period (`from` included, `to` not), in order.
    static func rows(from: Date, to: Date, on db: any Database) async throws -> [Row] {
        try await db.sql.raw(
            """
            SELECT at, username, role, kind, subject_type, subject_id, route FROM access_log
            WHERE at >= \(bind: from) AND at < \(bind: to) ORDER BY at, id
            """
        ).all(decoding: Row.self)
    }
}
