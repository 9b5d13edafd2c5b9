import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The SQL of campaigns (`CampaignService`: 限量预约; `CampaignFormService`: 登记): staff see the
/// campaigns inside their scope, residents those serving their home.
extension ServicesQueries {
    /// The campaign's node is the resident's node or above it (the campaign serves where they live; `c` is `service_campaigns`).
    static func campaignServes(_ actor: Actor) -> SQLQueryString {
        "c.grid_node_id IN (SELECT cl.ancestor_id FROM grid_closure cl WHERE cl.descendant_id = \(bind: actor.scope.rootID))"
    }

    /// Campaigns the actor may see (`c` is `service_campaigns`): staff inside their scope, residents where it serves them.
    /// A daily check-in set up above a staff member's area (e.g. a residential area's, seen by
    /// its grid workers) is theirs too: every figure of it is counted inside their scope.
    static func campaignVisible(to actor: Actor) -> SQLQueryString {
        guard actor.role.isGridStaff else { return campaignServes(actor) }
        return """
            (\(actor.scope.contains(SQLColumn("grid_node_id", table: "c")))
             OR (c.kind = 'checkin' AND c.grid_node_id IN (SELECT ancestor_id FROM grid_closure WHERE descendant_id = \(bind: actor.scope.rootID))))
            """
    }

    /// Writes a new campaign row (status open).
    static func insertCampaign(
        _ id: UUID, node: GridNodeSummary, kind: CampaignKind, title: String, description: String, stock: Int, limit: Int,
        place: String, period checkinPeriod: (CivilDate, CivilDate)?, selfEnrol: Bool?, writer: WriteContext,
        on db: any Database
    ) async throws {
        try await db.sql.raw(
            """
            INSERT INTO service_campaigns (id, subdistrict_id, grid_node_id, kind, title, description, stock_total, remaining, per_household_limit,
                                           pickup_place, status, created_by, created_at, starts_on, ends_on, self_enrol)
            VALUES (\(bind: id), \(bind: node.subdistrictID), \(bind: node.id), \(bind: kind.rawValue), \(bind: title), \(bind: description),
                    \(bind: stock), \(bind: stock), \(bind: limit), \(bind: place.isEmpty && kind == .reservation ? "居委会" : place), 'open',
                    \(bind: writer.actor.accountID), \(bind: writer.now), \(bind: checkinPeriod?.0.iso8601), \(bind: checkinPeriod?.1.iso8601),
                    \(bind: kind == .checkin ? selfEnrol ?? false : nil))
            """
        ).run()
    }

    /// Writes the pick-up slots (start, end, capacity, place) of a new campaign; an empty place is the campaign's `place`.
    static func insertPickupSlots(_ slots: [(Date, Date, Int, String)], campaign id: UUID, place: String, on db: any Database) async throws {
        let rows: [[any SQLExpression]] = slots.map { slot in
            [SQLBind(UUID()), SQLBind(id), SQLBind(slot.0), SQLBind(slot.1), SQLBind(slot.3.isEmpty ? place : slot.3), SQLBind(slot.2), SQLBind(0)]
        }
        try await db.sql.insert(into: "campaign_pickup_slots").columns("id", "campaign_id", "starts_at", "ends_at", "place", "capacity", "taken")
            .rows(rows).run()
    }

    /// Writes the number of pick-up slots on the campaign row.
    static func setPickupSlotCount(_ count: Int, campaign id: UUID, on db: any Database) async throws {
        try await db.sql.raw("UPDATE service_campaigns SET pickup_slots = \(bind: count) WHERE id = \(bind: id)").run()
    }

    /// Writes the fields of a new registration campaign, in order (nothing when there are none).
    static func insertCampaignFields(_ fields: [CampaignForm.Field], campaign: UUID, on db: any Database) async throws {
        guard !fields.isEmpty else { return }
        let rows: [[any SQLExpression]] = fields.enumerated().map { n, f in
            [
                SQLBind(UUID()), SQLBind(campaign), SQLBind(n + 1), SQLBind(f.labelZH), SQLBind(f.labelEN), SQLBind(f.type.rawValue),
                SQLBind(f.required), SQLBind(f.options.joined(separator: "\n")), bindOrNull(f.min), bindOrNull(f.max),
                bindOrNull(f.alertAtLeast), bindOrNull(f.alertOption)
            ]
        }
        try await db.sql.insert(into: "campaign_fields")
            .columns(
                "id", "campaign_id", "position", "label_zh", "label_en", "field_type", "required", "options", "min_value", "max_value",
                "alert_at_least", "alert_option"
            )
            .rows(rows).run()
    }

    struct ReservationTarget: Decodable, Sendable {
        var id: UUID; var status: String; var remaining: Int; var per_household_limit: Int; var pickup_slots: Int?; var household_id: UUID?
    }

    /// The reservation campaign serving the actor's home, its stock, and the household the actor's account speaks for; nil when none.
    static func reservationTarget(_ campaign: UUID, for actor: Actor, on db: any Database) async throws -> ReservationTarget? {
        try await db.sql.raw(
            """
            SELECT c.id, c.status, c.remaining, c.per_household_limit, c.pickup_slots,
                   (SELECT rh.household_id FROM resident_households rh WHERE rh.account_id = \(bind: actor.accountID)) AS household_id
            FROM service_campaigns c WHERE c.id = \(bind: campaign) AND c.kind = 'reservation' AND \(campaignServes(actor))
            """
        ).first(decoding: ReservationTarget.self)
    }

    /// The live figures of a campaign the actor may see (with the resident's own claim), without its slots; nil when none.
    static func campaignFigures(_ campaign: UUID, for actor: Actor, on db: any Database) async throws -> CampaignFigures? {
        let mine: SQLQueryString =
            actor.role == .resident
            ? """
            (SELECT h.claimed FROM campaign_household_claims h JOIN resident_households rh ON rh.household_id = h.household_id
             WHERE h.campaign_id = c.id AND rh.account_id = \(bind: actor.accountID))
            """ : "NULL"
        return try await db.sql.raw(
            """
            SELECT c.id, c.title, c.status, c.stock_total, c.remaining, c.stock_total - c.remaining AS reserved,
                   (SELECT COUNT(*) FROM campaign_household_claims h WHERE h.campaign_id = c.id AND h.claimed > 0) AS households,
                   c.per_household_limit, c.pickup_place, \(mine) AS my_claimed
            FROM service_campaigns c WHERE c.id = \(bind: campaign) AND \(campaignVisible(to: actor))
            """
        ).first(decoding: CampaignFigures.self)
    }

    /// The pick-up slots of a campaign by start, with capacity and how many each holds.
    static func pickupSlots(of campaign: UUID, on db: any Database) async throws -> [PickupSlotRow] {
        try await db.sql.raw(
            """
            SELECT id, starts_at, ends_at, place, capacity, taken FROM campaign_pickup_slots WHERE campaign_id = \(bind: campaign) ORDER BY starts_at
            """
        ).all(decoding: PickupSlotRow.self)
    }

    struct ReservationExportRow: Decodable, Sendable {
        var address: String; var grid_code: String; var quantity: Int; var created_at: Date; var pickup_starts_at: Date?
    }

    /// The reservations of households inside the actor's scope, oldest first, for the CSV.
    static func reservationExportRows(_ campaign: UUID, for actor: Actor, on db: any Database) async throws -> [ReservationExportRow] {
        try await db.sql.raw(
            """
            SELECT h.address, n.code AS grid_code, r.quantity, r.created_at, r.pickup_starts_at
            FROM campaign_reservations r JOIN households h ON h.id = r.household_id JOIN grid_nodes n ON n.id = h.grid_node_id
            WHERE r.campaign_id = \(bind: campaign) AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "h")))
            ORDER BY r.created_at, r.id
            """
        ).all(decoding: ReservationExportRow.self)
    }

    /// Campaigns of `kinds` the actor may see, newest first (at most 50); `openOnly`: only those still open.
    static func campaigns(for actor: Actor, kinds: [CampaignKind], openOnly: Bool, on db: any Database) async throws -> [CampaignService.Listed] {
        let open: SQLQueryString = openOnly ? "AND c.status = 'open'" : ""
        return try await db.sql.raw(
            """
            SELECT c.id, c.kind, c.title, c.status, c.created_at FROM service_campaigns c
            WHERE \(campaignVisible(to: actor)) AND c.kind IN (\(binds: kinds.map(\.rawValue))) \(open) ORDER BY c.created_at DESC, c.id LIMIT 50
            """
        ).all(decoding: CampaignService.Listed.self)
    }

    /// The ids of the open reservation campaigns serving the actor's home, newest first (at most 10).
    static func openReservationCampaignIDs(for actor: Actor, on db: any Database) async throws -> [UUID] {
        struct R: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            SELECT c.id FROM service_campaigns c WHERE c.status = 'open' AND c.kind = 'reservation' AND \(campaignServes(actor))
            ORDER BY c.created_at DESC, c.id LIMIT 10
            """
        ).all(decoding: R.self).map(\.id)
    }

    // MARK: Registration forms (CampaignFormService)

    struct FieldRow: Content, Sendable, Equatable {
        var id: UUID
        var position: Int
        var label_zh: String
        var label_en: String
        var field_type: CampaignForm.FieldType
        var required: Bool
        var options: String
        var min_value: Int?
        var max_value: Int?
        /// A check-in's alert rule: at or above this many tenths, or this option.
        var alert_at_least: Int?
        var alert_option: String?

        var optionList: [String] { options.split(separator: "\n").map(String.init) }
        var rule: CampaignForm.Field {
            CampaignForm.Field(
                key: id.uuidString, labelZH: label_zh, labelEN: label_en, type: field_type,
                required: required, options: optionList, min: min_value, max: max_value, alertAtLeast: alert_at_least,
                alertOption: alert_option)
        }
    }

    /// The fields of a campaign's form, in order.
    static func campaignFieldRows(_ campaign: UUID, on db: any Database) async throws -> [FieldRow] {
        try await db.sql.raw(
            """
            SELECT id, position, label_zh, label_en, field_type, required, options, min_value, max_value, alert_at_least, alert_option
            FROM campaign_fields WHERE campaign_id = \(bind: campaign) ORDER BY position
            """
        ).all(decoding: FieldRow.self)
    }

    struct CampaignHead: Decodable, Sendable { var id: UUID; var kind: CampaignKind; var title: String; var description: String?; var status: String }

    /// The campaign's head if the actor may see it (staff inside their scope, residents where it serves them); nil otherwise.
    static func campaignHead(_ campaign: UUID, for actor: Actor, on db: any Database) async throws -> CampaignHead? {
        try await db.sql.raw(
            """
            SELECT c.id, c.kind, c.title, c.description, c.status FROM service_campaigns c
            WHERE c.id = \(bind: campaign) AND \(campaignVisible(to: actor))
            """
        ).first(decoding: CampaignHead.self)
    }

    struct ChoiceCount: Decodable, Sendable { var field_id: UUID; var value: String; var n: Int }

    /// Per choice field and option: how many answers of entries inside the actor's scope chose it.
    static func campaignChoiceCounts(_ campaign: UUID, for actor: Actor, on db: any Database) async throws -> [ChoiceCount] {
        let inScope = actor.scope.contains(SQLColumn("grid_node_id", table: "e"))
        return try await db.sql.raw(
            """
            SELECT a.field_id, a.value, COUNT(*) AS n FROM campaign_answers a JOIN campaign_entries e ON e.id = a.entry_id
            JOIN campaign_fields f ON f.id = a.field_id
            WHERE e.campaign_id = \(bind: campaign) AND f.field_type IN ('choice', 'multi_choice') AND \(inScope)
            GROUP BY a.field_id, a.value
            """
        ).all(decoding: ChoiceCount.self)
    }

    /// How many entries of people inside the actor's scope the campaign has.
    static func campaignEntryCount(_ campaign: UUID, for actor: Actor, on db: any Database) async throws -> Int {
        struct N: Decodable { var n: Int }
        let inScope = actor.scope.contains(SQLColumn("grid_node_id", table: "e"))
        return try await db.sql.raw(
            """
            SELECT COUNT(*) AS n FROM campaign_entries e WHERE e.campaign_id = \(bind: campaign) AND \(inScope)
            """
        ).first(decoding: N.self)?.n ?? 0
    }

    struct EntryAnswer: Decodable, Sendable { var field_id: UUID; var value: String }

    /// The answers of `account`'s own entry (numbers masked).
    static func ownCampaignAnswers(_ campaign: UUID, account: UUID, on db: any Database) async throws -> [EntryAnswer] {
        try await db.sql.raw(
            """
            SELECT a.field_id, a.value FROM campaign_answers a JOIN campaign_entries e ON e.id = a.entry_id
            WHERE e.campaign_id = \(bind: campaign) AND e.account_id = \(bind: account)
            """
        ).all(decoding: EntryAnswer.self)
    }

    /// Whether `account` has submitted the campaign's form.
    static func hasCampaignEntry(_ campaign: UUID, account: UUID, on db: any Database) async throws -> Bool {
        struct E: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            SELECT id FROM campaign_entries WHERE campaign_id = \(bind: campaign) AND account_id = \(bind: account)
            """
        ).first(decoding: E.self) != nil
    }

    /// Writes the writer's entry of a campaign (at their home node); a second one hits the UNIQUE index.
    static func insertCampaignEntry(_ entry: UUID, campaign: UUID, writer: WriteContext, on db: any Database) async throws {
        try await db.sql.raw(
            """
            INSERT INTO campaign_entries (id, campaign_id, account_id, grid_node_id, created_at)
            VALUES (\(bind: entry), \(bind: campaign), \(bind: writer.actor.accountID), \(bind: writer.actor.scope.rootID), \(bind: writer.now))
            """
        ).run()
    }

    /// One answer value of an entry: a field, its value (masked for a number) and the sealed number, if any.
    struct CampaignAnswer: Sendable { var field: UUID; var value: String; var sealed: SealedPII? }

    /// Writes the answers of an entry.
    static func insertCampaignAnswers(_ answers: [CampaignAnswer], entry: UUID, on db: any Database) async throws {
        let rows: [[any SQLExpression]] = answers.map { a in
            [SQLBind(UUID()), SQLBind(entry), SQLBind(a.field), SQLBind(a.value), bindOrNull(a.sealed?.ciphertext), bindOrNull(a.sealed?.blindIndex)]
        }
        try await db.sql.insert(into: "campaign_answers").columns("id", "entry_id", "field_id", "value", "pii_cipher", "pii_index")
            .rows(rows).run()
    }

    struct CampaignEntryRow: Decodable, Sendable { var id: UUID; var username: String; var code: String; var created_at: Date }

    /// The entries of people inside the actor's scope, oldest first, with account and building group.
    static func campaignEntries(_ campaign: UUID, for actor: Actor, on db: any Database) async throws -> [CampaignEntryRow] {
        let inScope = actor.scope.contains(SQLColumn("grid_node_id", table: "e"))
        return try await db.sql.raw(
            """
            SELECT e.id, a.username, n.code, e.created_at FROM campaign_entries e JOIN accounts a ON a.id = e.account_id
            JOIN grid_nodes n ON n.id = e.grid_node_id
            WHERE e.campaign_id = \(bind: campaign) AND \(inScope) ORDER BY e.created_at, e.id
            """
        ).all(decoding: CampaignEntryRow.self)
    }

    struct CampaignAnswerRow: Decodable, Sendable { var entry_id: UUID; var field_id: UUID; var value: String; var pii_cipher: String? }

    /// The answers of entries inside the actor's scope; the sealed numbers only when `plain`.
    static func campaignAnswers(_ campaign: UUID, plain: Bool, for actor: Actor, on db: any Database) async throws -> [CampaignAnswerRow] {
        let inScope = actor.scope.contains(SQLColumn("grid_node_id", table: "e"))
        let cipher: SQLQueryString = plain ? "a.pii_cipher" : "NULL AS pii_cipher"
        return try await db.sql.raw(
            """
            SELECT a.entry_id, a.field_id, a.value, \(cipher) FROM campaign_answers a JOIN campaign_entries e ON e.id = a.entry_id
            WHERE e.campaign_id = \(bind: campaign) AND \(inScope)
            """
        ).all(decoding: CampaignAnswerRow.self)
    }
}

// MARK: What waits for a resident (the home page)

extension ServicesQueries {
    /// A campaign waiting for the caller: a check-in due today or a registration not yet made.
    struct WaitingCampaign: Decodable, Sendable { var id: UUID; var kind: CampaignKind; var title: String; var ends_on: String? }

    /// Open campaigns serving the resident that wait for them today: daily check-ins whose period
    /// holds `today`, with the resident on the roster and no check-in today; registrations without
    /// their entry. Newest first.
    static func waitingCampaigns(for actor: Actor, today: CivilDate, limit: Int, on db: any Database) async throws -> [WaitingCampaign] {
        let day = today.iso8601
        return try await db.sql.raw(
            """
            SELECT c.id, c.kind, c.title, c.ends_on FROM service_campaigns c
            WHERE c.status = 'open' AND \(campaignServes(actor))
              AND ((c.kind = 'checkin' AND c.starts_on <= \(bind: day) AND c.ends_on >= \(bind: day)
                    AND EXISTS (SELECT 1 FROM campaign_roster r WHERE r.campaign_id = c.id AND r.account_id = \(bind: actor.accountID))
                    AND NOT EXISTS (SELECT 1 FROM campaign_checkins k
                                    WHERE k.campaign_id = c.id AND k.account_id = \(bind: actor.accountID) AND k.local_date = \(bind: day)))
                OR (c.kind = 'registration'
                    AND NOT EXISTS (SELECT 1 FROM campaign_entries e WHERE e.campaign_id = c.id AND e.account_id = \(bind: actor.accountID))))
            ORDER BY c.created_at DESC, c.id LIMIT \(count: limit)
            """
        ).all(decoding: WaitingCampaign.self)
    }
}
