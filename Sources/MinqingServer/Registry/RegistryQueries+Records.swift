import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

// MARK: - Records on a person (`RegistryRecords`)

extension RegistryQueries {
    /// The person `id` inside `actor`'s scope, with where their rows go; nil outside it.
    static func recordTarget(_ id: PersonID, actor: Actor, on db: any Database) async throws -> RegistryRecords.Target? {
        struct Row: Decodable { var id: PersonID; var household_id: HouseholdID; var grid_node_id: UUID; var subdistrict_id: UUID? }
        return try await db.sql.raw(
            """
            SELECT p.id, p.household_id, p.grid_node_id, p.subdistrict_id FROM persons p
            WHERE p.id = \(bind: id) AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "p")))
            """
        ).first(decoding: Row.self).map {
            RegistryRecords.Target(person: $0.id, household: $0.household_id, node: $0.grid_node_id, subdistrict: $0.subdistrict_id)
        }
    }

    /// How many help requests with `id` the person `person` has (0 or 1).
    static func helpRequestCount(_ id: UUID, person: PersonID, on db: any Database) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await db.sql.raw("SELECT COUNT(*) AS n FROM help_requests WHERE id = \(bind: id) AND person_id = \(bind: person)")
            .first(decoding: N.self)!.n
    }

    /// Writes an aid record `id` for the target person (inside the caller's transaction).
    static func insertAid(
        _ id: UUID, target: RegistryRecords.Target, helpRequest: UUID?, programme: String, kind: AidKind,
        amountFen: Int64?, quantity: Int64?, unit: String?, minutes: Int64?, description: String, givenOn: CivilDate,
        recordedBy: String, now: Date, on db: any Database
    ) async throws {
        try await db.sql.insert(into: "aid_records")
            .columns(
                "id", "subdistrict_id", "grid_node_id", "person_id", "household_id", "help_request_id", "programme", "kind",
                "amount_fen", "quantity", "unit", "minutes", "description", "given_on", "recorded_by", "created_at"
            )
            .values(
                SQLBind(id), bindOrNull(target.subdistrict), SQLBind(target.node), SQLBind(target.person), SQLBind(target.household),
                bindOrNull(helpRequest), SQLBind(programme), SQLBind(kind.rawValue), bindOrNull(amountFen),
                bindOrNull(quantity), bindOrNull(unit), bindOrNull(minutes), SQLBind(description),
                SQLBind(givenOn.iso8601), SQLBind(recordedBy), SQLBind(now)
            )
            .run()
    }

    /// The id of the tag with `code` if the role may see it (sensitive tags are unknown otherwise).
    static func visibleTagID(code: String, role: Role, on db: any Database) async throws -> UUID? {
        struct Tag: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            SELECT t.id FROM tags t WHERE t.code = \(bind: code) \(sensitiveFilter(role, tagAlias: "t"))
            """
        ).first(decoding: Tag.self)?.id
    }

    /// How many assignments of tag `tag` the person `person` has in force on `today`.
    static func currentAssignments(person: PersonID, tag: UUID, today: CivilDate, on db: any Database) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await db.sql.raw(
            """
            SELECT COUNT(*) AS n FROM tag_assignments WHERE person_id = \(bind: person) AND tag_id = \(bind: tag)
            AND (ends_on IS NULL OR ends_on > \(bind: today.iso8601))
            """
        ).first(decoding: N.self)?.n ?? 0
    }

    /// Writes the assignment `id` of tag `tagID` to the target person from `start`, made by `writer`.
    static func insertTagAssignment(
        _ id: UUID, target: RegistryRecords.Target, tagID: UUID, start: CivilDate, source: String,
        by writer: WriteContext, on db: any Database
    ) async throws {
        try await db.sql.insert(into: "tag_assignments")
            .columns("id", "subdistrict_id", "person_id", "tag_id", "grid_node_id", "starts_on", "source", "created_by", "created_at")
            .values(
                SQLBind(id), bindOrNull(target.subdistrict), SQLBind(target.person), SQLBind(tagID), SQLBind(target.node),
                SQLBind(start.iso8601), SQLBind(source), SQLBind(writer.actor.username), SQLBind(writer.now)
            )
            .run()
    }

    /// A tag assignment with its tag's code and sensitivity.
    struct AssignmentRow: Decodable, Sendable { var starts_on: String; var ends_on: String?; var sensitive: Bool; var code: String }

    /// The assignment `assignment` if it is the person `person`'s, nil otherwise.
    static func tagAssignment(_ assignment: UUID, person: PersonID, on db: any Database) async throws -> AssignmentRow? {
        try await db.sql.raw(
            """
            SELECT a.starts_on, a.ends_on, t.sensitive, t.code FROM tag_assignments a JOIN tags t ON t.id = a.tag_id
            WHERE a.id = \(bind: assignment) AND a.person_id = \(bind: person)
            """
        ).first(decoding: AssignmentRow.self)
    }

    /// Ends the assignment `assignment` on `end`, by `writer`; writes the assignment.
    static func endTagAssignment(_ assignment: UUID, end: CivilDate, by writer: WriteContext, on db: any Database) async throws {
        try await db.sql.raw(
            """
            UPDATE tag_assignments SET ends_on = \(bind: end.iso8601), ended_by = \(bind: writer.actor.username) WHERE id = \(bind: assignment)
            """
        ).run()
    }

    /// Writes the open help request `id` for the target person, filed by `writer`.
    static func insertHelpRequest(
        _ id: UUID, target: RegistryRecords.Target, category: String, description: String, requestedOn: CivilDate,
        by writer: WriteContext, on db: any Database
    ) async throws {
        try await db.sql.insert(into: "help_requests")
            .columns(
                "id", "subdistrict_id", "grid_node_id", "person_id", "household_id", "category", "description", "status", "requested_on",
                "created_by", "created_at"
            )
            .values(
                SQLBind(id), bindOrNull(target.subdistrict), SQLBind(target.node), SQLBind(target.person), SQLBind(target.household),
                SQLBind(category), SQLBind(description), SQLBind("open"), SQLBind(requestedOn.iso8601), SQLBind(writer.actor.username),
                SQLBind(writer.now)
            )
            .run()
    }

    /// Writes the person's residence status (updated at the writer's time).
    static func updateResidence(person: PersonID, _ residence: ResidenceStatus, by writer: WriteContext, on db: any Database) async throws {
        try await db.sql.raw(
            """
            UPDATE persons SET residence_status = \(bind: residence.rawValue), updated_at = \(bind: writer.now) WHERE id = \(bind: person)
            """
        ).run()
    }

    /// Writes the person's sealed mobile number (updated at the writer's time).
    static func updatePhone(person: PersonID, _ phone: SealedPII, by writer: WriteContext, on db: any Database) async throws {
        try await db.sql.raw(
            """
            UPDATE persons SET phone_cipher = \(bind: phone.ciphertext), phone_index = \(bind: phone.blindIndex),
                   phone_masked = \(bind: phone.masked), updated_at = \(bind: writer.now) WHERE id = \(bind: person)
            """
        ).run()
    }
}

// MARK: - The tag catalogue (`TagCatalogue`)

extension RegistryQueries {
    /// A tag as a parent of a new one.
    struct Parent: Decodable, Sendable { var id: UUID; var kind: TagKind; var sensitive: Bool }

    /// The tag with `code` as a parent, nil when there is none.
    static func parentTag(code: String, on db: any Database) async throws -> Parent? {
        try await db.sql.raw("SELECT id, kind, sensitive FROM tags WHERE code = \(bind: code)").first(decoding: Parent.self)
    }

    /// How many tags the catalogue holds.
    static func tagCount(on db: any Database) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await db.sql.raw("SELECT COUNT(*) AS n FROM tags").first(decoding: N.self)!.n
    }

    /// Writes the tag `id` into the catalogue at position `order`.
    static func insertCatalogueTag(
        _ id: UUID, code: String, zh: String, en: String, kind: TagKind, parent: UUID?, sensitive: Bool,
        order: Int, now: Date, on db: any Database
    ) async throws {
        try await db.sql.insert(into: "tags")
            .columns("id", "code", "name_zh", "name_en", "kind", "parent_id", "sensitive", "sort_order", "created_at")
            .values(
                SQLBind(id), SQLBind(code), SQLBind(zh), SQLBind(en), SQLBind(kind.rawValue), bindOrNull(parent),
                SQLBind(sensitive), SQLBind(order), SQLBind(now)
            )
            .run()
    }
}

// MARK: - Households created by hand, plain numbers (`RegistryService`)

extension RegistryQueries {
    /// Writes the household `id` at `node` (inside the caller's transaction).
    static func insertHousehold(
        _ id: HouseholdID, node: GridNodeSummary, address: String, movedIn: CivilDate?, now: Date,
        on db: any Database
    ) async throws {
        try await db.sql.insert(into: "households")
            .columns("id", "subdistrict_id", "grid_node_id", "address", "moved_in_on", "created_at", "updated_at")
            .values(
                SQLBind(id), bindOrNull(node.subdistrictID), SQLBind(node.id), SQLBind(address),
                bindOrNull(movedIn?.iso8601), SQLBind(now), SQLBind(now)
            )
            .run()
    }

    /// Writes `rows` (values in `RegistryService.personColumns` order) into `persons` in one statement.
    static func insertPersons(_ rows: [[any SQLExpression]], on db: any Database) async throws {
        try await db.sql.insert(into: "persons")
            .columns(RegistryService.personColumns)
            .rows(rows)
            .run()
    }

    /// A person's sealed numbers.
    struct Cipher: Decodable, Sendable { var id_cipher: String; var phone_cipher: String? }

    /// The sealed numbers of person `person` inside `actor`'s scope; nil outside it.
    static func personCiphers(_ person: PersonID, actor: Actor, on db: any Database) async throws -> Cipher? {
        try await db.sql.raw(
            """
            SELECT id_cipher, phone_cipher FROM persons
            WHERE id = \(bind: person) AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "persons")))
            """
        ).first(decoding: Cipher.self)
    }
}
