import Fluent
import Foundation
import SQLKit
import Vapor

/// The SQL of 代办 (`Proxies`): who a resident may act for, their links and what was done so.
enum ProxyQueries {
    struct Member: Content, Sendable, Equatable {
        var person_id: UUID; var name: String; var birth_date: String; var household_id: UUID
        /// The link now in force, if any.
        var link_id: UUID?
        /// Whether this member is the account's own person.
        var is_self: Bool
    }

    /// The living members of the account's household(s), with the link in force for each.
    static func members(of account: UUID, on db: any Database) async throws -> [Member] {
        try await db.sql.raw(
            """
            SELECT p.id AS person_id, p.name, p.birth_date, p.household_id,
                   (SELECT l.id FROM proxy_links l WHERE l.account_id = r.account_id AND l.person_id = p.id AND l.ended_at IS NULL
                    LIMIT 1) AS link_id,
                   CASE WHEN EXISTS (SELECT 1 FROM resident_accounts ra WHERE ra.account_id = r.account_id AND ra.person_id = p.id)
                        THEN \(flag: true) ELSE \(flag: false) END AS is_self
            FROM resident_households r JOIN persons p ON p.household_id = r.household_id
            WHERE r.account_id = \(bind: account) AND p.moved_out_on IS NULL ORDER BY p.birth_date, p.name
            """
        ).all(decoding: Member.self)
    }

    static func insertLink(
        _ id: UUID, account: UUID, subdistrict: UUID?, member: Member, consent: String, now: Date, on db: any Database
    ) async throws {
        try await db.sql.insert(into: "proxy_links")
            .columns("id", "subdistrict_id", "account_id", "person_id", "household_id", "consent", "created_at")
            .values(
                SQLBind(id), bindOrNull(subdistrict), SQLBind(account), SQLBind(member.person_id), SQLBind(member.household_id),
                SQLBind(consent), SQLBind(now)
            ).run()
    }

    /// The link in force from the account to the person, if the person still lives in the
    /// account's household.
    static func activeLink(account: UUID, person: UUID, on db: any Database) async throws -> UUID? {
        struct R: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            SELECT l.id FROM proxy_links l JOIN persons p ON p.id = l.person_id
            JOIN resident_households r ON r.account_id = l.account_id AND r.household_id = p.household_id
            WHERE l.account_id = \(bind: account) AND l.person_id = \(bind: person) AND l.ended_at IS NULL AND p.moved_out_on IS NULL
            """
        ).first(decoding: R.self)?.id
    }

    /// Ends the account's link `id` (still in force); the person's id when it did.
    static func endLink(_ id: UUID, account: UUID, by: String, now: Date, on db: any Database) async throws -> UUID? {
        struct R: Decodable { var person_id: UUID }
        return try await db.sql.raw(
            """
            UPDATE proxy_links SET ended_at = \(bind: now), ended_by = \(bind: by)
            WHERE id = \(bind: id) AND account_id = \(bind: account) AND ended_at IS NULL RETURNING person_id
            """
        ).first(decoding: R.self)?.person_id
    }

    /// Records one thing done for the person under `link`.
    static func insertAct(link: UUID, subdistrict: UUID?, target type: String, id target: UUID, at: Date, on db: any Database) async throws {
        try await db.sql.insert(into: "proxy_acts").columns("id", "subdistrict_id", "link_id", "target_type", "target_id", "at")
            .values(SQLBind(UUID()), bindOrNull(subdistrict), SQLBind(link), SQLBind(type), SQLBind(target), SQLBind(at)).run()
    }

    struct Act: Content, Sendable, Equatable { var person_name: String; var by_name: String }

    /// Who `target` was done for, and by whom, when it was done as 代办: named as the case
    /// timeline names residents (first character and `**`).
    static func act(on type: String, _ target: UUID, on db: any Database) async throws -> Act? {
        try await db.sql.raw(
            """
            SELECT SUBSTR(p.name, 1, 1) || '**' AS person_name, \(CasesQueries.personName(account: "a", fallback: "''")) AS by_name
            FROM proxy_acts x JOIN proxy_links l ON l.id = x.link_id
            JOIN persons p ON p.id = l.person_id JOIN accounts a ON a.id = l.account_id
            WHERE x.target_type = \(bind: type) AND x.target_id = \(bind: target)
            """
        ).first(decoding: Act.self)
    }
}
