import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// Sessions and API tokens (`auth_sessions`): who is calling, and the writes that end sessions.
enum SessionQueries {
    struct Row: Decodable {
        var session_id: UUID; var kind: String; var csrf_token: String; var expires_at: Date; var last_seen_at: Date?
        var account_id: UUID; var username: String; var display_name: String; var role: Role
        var disabled: Bool; var must_change_password: Bool; var subdistrict_id: UUID?
        var node_id: UUID; var node_code: String; var node_name: String; var node_level: GridLevel; var node_depth: Int
        var second_factor: Int; var large_text: Bool
    }

    /// A web session's last use is written at most once a minute (a write per page would be a
    /// write per read).
    static let activityResolution: TimeInterval = 60

    /// The caller of a session or token. A web session unused for longer than the idle timeout
    /// has ended (and is deleted).
    static func actor(tokenHash: String, kind: String, now: Date, config: AppConfig, on db: any Database) async throws -> Actor? {
        guard
            let row = try await db.sql.raw(
                """
                SELECT s.id AS session_id, s.kind, s.csrf_token, s.expires_at, s.last_seen_at,
                       a.id AS account_id, a.username, a.display_name, a.role, a.disabled, a.must_change_password, a.subdistrict_id, a.large_text,
                       n.id AS node_id, n.code AS node_code, n.name AS node_name, n.level AS node_level, n.depth AS node_depth,
                       (SELECT COUNT(*) FROM account_totp t WHERE t.account_id = a.id AND t.confirmed_at IS NOT NULL) AS second_factor
                FROM auth_sessions s JOIN accounts a ON a.id = s.account_id JOIN grid_nodes n ON n.id = a.grid_node_id
                WHERE s.token_hash = \(bind: tokenHash) AND s.kind = \(bind: kind)
                """
            ).first(decoding: Row.self)
        else { return nil }
        guard row.expires_at > now, !row.disabled else { return nil }
        let role = row.role, level = row.node_level
        if kind == "web" {
            let lastSeen = row.last_seen_at ?? .distantPast
            if let seen = row.last_seen_at, now.timeIntervalSince(seen) > TimeInterval(config.idleTimeout) {
                try await db.write { db in
                    try await db.sql.raw("DELETE FROM auth_sessions WHERE id = \(bind: row.session_id)").run()
                }
                return nil
            }
            if now.timeIntervalSince(lastSeen) > activityResolution {
                try await db.write { db in
                    try await db.sql.raw("UPDATE auth_sessions SET last_seen_at = \(bind: now) WHERE id = \(bind: row.session_id)").run()
                }
            }
        }
        var actor = Actor(
            accountID: row.account_id, username: row.username, displayName: row.display_name, role: role,
            subdistrictID: row.subdistrict_id,
            scope: GridScope(
                rootID: row.node_id, rootCode: row.node_code, rootName: row.node_name,
                rootLevel: level, rootDepth: row.node_depth),
            sessionID: row.session_id, via: row.kind, csrfToken: row.csrf_token,
            mustChangePassword: row.must_change_password)
        actor.mustEnrolSecondFactor = row.second_factor == 0 && config.secondFactorRoles.contains(role)
        actor.largeText = row.large_text
        return actor
    }

    /// The account waiting at the second-factor step of a web sign-in (a pending `mfa` session).
    static func pending(tokenHash: String, now: Date, on db: any Database) async throws -> (session: UUID, account: UUID, username: String)? {
        struct P: Decodable { var id: UUID; var account_id: UUID; var username: String; var expires_at: Date; var disabled: Bool }
        guard
            let row = try await db.sql.raw(
                """
                SELECT s.id, s.account_id, a.username, s.expires_at, a.disabled FROM auth_sessions s JOIN accounts a ON a.id = s.account_id
                WHERE s.token_hash = \(bind: tokenHash) AND s.kind = 'mfa'
                """
            ).first(decoding: P.self), row.expires_at > now, !row.disabled
        else { return nil }
        return (row.id, row.account_id, row.username)
    }

    /// Deletes the account's pending second-factor sessions (kind `mfa`); returns nothing.
    static func deletePendingSessions(account: UUID, on db: any Database) async throws {
        try await db.sql.raw("DELETE FROM auth_sessions WHERE account_id = \(bind: account) AND kind = 'mfa'").run()
    }

    /// Deletes the account's sessions and tokens that expired before `now`; returns nothing.
    static func deleteExpiredSessions(account: UUID, now: Date, on db: any Database) async throws {
        try await db.sql.raw("DELETE FROM auth_sessions WHERE account_id = \(bind: account) AND expires_at < \(bind: now)").run()
    }

    /// Deletes every session and token of the account except `keeping`; returns nothing.
    static func deleteOtherSessions(account: UUID, keeping session: UUID, on db: any Database) async throws {
        try await db.sql.raw("DELETE FROM auth_sessions WHERE account_id = \(bind: account) AND id <> \(bind: session)").run()
    }

    /// Deletes every session and token of the account; returns nothing.
    static func deleteSessions(account: UUID, on db: any Database) async throws {
        try await db.sql.raw("DELETE FROM auth_sessions WHERE account_id = \(bind: account)").run()
    }
}
