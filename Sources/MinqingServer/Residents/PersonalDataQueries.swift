import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// Reads that the personal-data pages need (the caller's own records only).
enum PersonalDataQueries {
    struct Member: Decodable, Sendable { var id: PersonID; var name: String }

    /// The people still living in the household(s) linked to the resident account `account`, by name (none without a household).
    static func householdMembers(of account: UUID, on db: any Database) async throws -> [Member] {
        try await db.sql.raw(
            """
            SELECT p.id, p.name FROM resident_households r JOIN persons p ON p.household_id = r.household_id
            WHERE r.account_id = \(bind: account) AND p.moved_out_on IS NULL ORDER BY p.name
            """
        ).all(decoding: Member.self)
    }
}

// MARK: - The copy of one's own data (`PersonalData`)

extension PersonalDataQueries {
    struct AccountRow: Decodable, Sendable {
        var username: String; var display_name: String; var role: Role; var created_at: Date?; var last_login_at: Date?
    }

    /// The account `account` as its holder sees it; nil when there is none.
    static func account(_ account: UUID, on db: any Database) async throws -> AccountRow? {
        try await db.sql.raw(
            """
            SELECT username, display_name, role, created_at, last_login_at FROM accounts WHERE id = \(bind: account)
            """
        ).first(decoding: AccountRow.self)
    }

    struct Event: Decodable, Sendable { var action: String; var at_ms: Int64; var client_address: String? }

    /// What the account `account` did since `since` (milliseconds), newest first (at most 500).
    static func accountEvents(of account: UUID, since: Int64, on db: any Database) async throws -> [Event] {
        try await db.sql.raw(
            """
            SELECT action, at_ms, client_address FROM audit_log
            WHERE actor_id = \(bind: account.uuidString) AND at_ms >= \(bind: since) ORDER BY seq DESC LIMIT 500
            """
        ).all(decoding: Event.self)
    }

    struct Household: Decodable, Sendable { var id: HouseholdID; var address: String; var code: String; var name: String }

    /// The household linked to the resident account `account`, with its building group; nil when there is none.
    static func household(of account: UUID, on db: any Database) async throws -> Household? {
        try await db.sql.raw(
            """
            SELECT h.id, h.address, n.code, n.name FROM resident_households r JOIN households h ON h.id = r.household_id
            JOIN grid_nodes n ON n.id = h.grid_node_id WHERE r.account_id = \(bind: account)
            """
        ).first(decoding: Household.self)
    }

    struct HouseholdMember: Decodable, Sendable {
        var name: String; var relation: HouseholdRelation; var sex: Sex; var birth_date: String; var id_masked: String
        var phone_masked: String?; var residence_status: ResidenceStatus
    }

    /// The people still living in household `household` (numbers masked), the head first, then by birth date.
    static func currentMembers(of household: HouseholdID, on db: any Database) async throws -> [HouseholdMember] {
        try await db.sql.raw(
            """
            SELECT name, relation, sex, birth_date, id_masked, phone_masked, residence_status FROM persons
            WHERE household_id = \(bind: household) AND moved_out_on IS NULL ORDER BY CASE relation WHEN 'head' THEN 0 ELSE 1 END, birth_date
            """
        ).all(decoding: HouseholdMember.self)
    }

    struct Booking: Decodable, Sendable { var starts_at: Date; var place: String; var status: BookingStatus; var created_at: Date? }

    /// The visit bookings of the account `account`, latest slot first (at most 500).
    static func visitBookings(of account: UUID, on db: any Database) async throws -> [Booking] {
        try await db.sql.raw(
            """
            SELECT s.starts_at, s.place, b.status, b.created_at FROM visit_bookings b JOIN visit_slots s ON s.id = b.slot_id
            WHERE b.account_id = \(bind: account) ORDER BY s.starts_at DESC LIMIT 500
            """
        ).all(decoding: Booking.self)
    }

    struct Space: Decodable, Sendable {
        var name: String; var starts_at: Date; var purpose: String; var attendees: Int; var status: ServiceBookingStatus
    }

    /// The space bookings of the account `account`, latest slot first (at most 500).
    static func spaceBookings(of account: UUID, on db: any Database) async throws -> [Space] {
        try await db.sql.raw(
            """
            SELECT r.name, s.starts_at, b.purpose, b.attendees, b.status FROM service_bookings b
            JOIN service_slots s ON s.id = b.slot_id JOIN service_resources r ON r.id = b.resource_id
            WHERE b.account_id = \(bind: account) ORDER BY s.starts_at DESC LIMIT 500
            """
        ).all(decoding: Space.self)
    }

    struct Reservation: Decodable, Sendable { var title: String; var quantity: Int; var created_at: Date? }

    /// The campaign reservations of the account `account`, newest first (at most 500).
    static func reservations(of account: UUID, on db: any Database) async throws -> [Reservation] {
        try await db.sql.raw(
            """
            SELECT c.title, r.quantity, r.created_at FROM campaign_reservations r JOIN service_campaigns c ON c.id = r.campaign_id
            WHERE r.account_id = \(bind: account) ORDER BY r.created_at DESC LIMIT 500
            """
        ).all(decoding: Reservation.self)
    }

    struct Answer: Decodable, Sendable { var title: String; var label_zh: String; var label_en: String; var value: String; var created_at: Date? }

    /// The answers of the account `account`'s campaign registrations, newest first (at most 2,000).
    static func registrationAnswers(of account: UUID, on db: any Database) async throws -> [Answer] {
        try await db.sql.raw(
            """
            SELECT c.title, f.label_zh, f.label_en, a.value, e.created_at FROM campaign_entries e JOIN service_campaigns c ON c.id = e.campaign_id
            JOIN campaign_answers a ON a.entry_id = e.id JOIN campaign_fields f ON f.id = a.field_id
            WHERE e.account_id = \(bind: account) ORDER BY e.created_at DESC, f.position LIMIT 2000
            """
        ).all(decoding: Answer.self)
    }

    struct Checkin: Decodable, Sendable { var title: String; var local_date: String }

    /// The campaign check-ins of the account `account`, latest first (at most 1,000).
    static func checkins(of account: UUID, on db: any Database) async throws -> [Checkin] {
        try await db.sql.raw(
            """
            SELECT c.title, k.local_date FROM campaign_checkins k JOIN service_campaigns c ON c.id = k.campaign_id
            WHERE k.account_id = \(bind: account) ORDER BY k.local_date DESC LIMIT 1000
            """
        ).all(decoding: Checkin.self)
    }

    struct Case: Decodable, Sendable { var number: String; var title: String; var state: CaseState; var reported_at: Date? }

    /// The cases the account `account` submitted, newest first (at most 500).
    static func cases(of account: UUID, on db: any Database) async throws -> [Case] {
        try await db.sql.raw(
            """
            SELECT number, title, state, reported_at FROM cases WHERE submitter_account_id = \(bind: account) ORDER BY reported_at DESC LIMIT 500
            """
        ).all(decoding: Case.self)
    }

    struct Topic: Decodable, Sendable { var title: String; var status: TopicStatus; var created_at: Date }

    /// The topics the account `account` proposed, newest first (at most 500).
    static func topics(of account: UUID, on db: any Database) async throws -> [Topic] {
        try await db.sql.raw(
            """
            SELECT title, status, created_at FROM topics WHERE proposed_by = \(bind: account) ORDER BY created_at DESC LIMIT 500
            """
        ).all(decoding: Topic.self)
    }

    struct Comment: Decodable, Sendable { var title: String; var body: String; var status: TopicCommentStatus; var created_at: Date }

    /// The topic comments of the account `account`, newest first (at most 500).
    static func comments(of account: UUID, on db: any Database) async throws -> [Comment] {
        try await db.sql.raw(
            """
            SELECT t.title, c.body, c.status, c.created_at FROM topic_comments c JOIN topics t ON t.id = c.topic_id
            WHERE c.account_id = \(bind: account) ORDER BY c.created_at DESC LIMIT 500
            """
        ).all(decoding: Comment.self)
    }

    struct Movement: Decodable, Sendable { var unit: TimeBankLedger.Unit; var amount: Int64; var memo: String; var created_at: Date }

    /// The time-bank and points movements of the account `account`'s ledgers, newest first (at most 1,000).
    static func ledgerMovements(of account: UUID, on db: any Database) async throws -> [Movement] {
        try await db.sql.raw(
            """
            SELECT a.unit, m.amount, t.memo, m.created_at FROM ledger_movements m JOIN ledger_accounts a ON a.id = m.ledger_account_id
            JOIN ledger_transfers t ON t.id = m.transfer_id WHERE a.account_id = \(bind: account) ORDER BY m.created_at DESC LIMIT 1000
            """
        ).all(decoding: Movement.self)
    }
}
