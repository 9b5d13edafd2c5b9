import Fluent
import Foundation
import MinqingDomain
import Vapor

/// The register's search (居民库搜索): one box for a name, an address or a whole ID number, and an
/// optional building (楼号), always inside the caller's scope, in SQL.
///
/// A text with the shape of an ID number (`RegisterSearchText.looksLikeIDNumber`) is never matched
/// as words. It is parsed (a wrong one is refused with the parser's reason) and looked up exactly
/// through the blind index under the rules of the lookup by number (issue 19, docs/security.md):
/// it travels in a POST body, never in a URL or an access log; it is charged to the same budget
/// as `POST /api/v1/registry/persons/lookup` (120 an hour per account, one counter for both); and
/// it is audited found or not (`person.looked_up`). No purpose is asked, as for that lookup: the
/// answer is the masked record, and showing a plain number stays the reveal with a purpose. A
/// number names one person, so the building and the page play no part in its lookup.
/// Any other text is matched against names and addresses (`RegistryQueries.search`).
///
/// A person outside the scope and a person who does not exist answer alike: nobody found.
enum RegistrySearch {
    /// People on one page of results.
    static let pageSize = 50
    /// The last page asked for that is read (a number past it is refused).
    static let maxPage = 100_000
    /// The longest building filter, in characters.
    static let maxBuildingLength = 40

    /// What was asked: the search box, the building filter, the page (from 1).
    struct Query: Sendable, Equatable {
        var text: String
        var building: String
        var page: Int
    }

    /// The answer the page and the API give.
    struct Result: Content, Equatable {
        /// `id_number` (an exact lookup), `text` (names and addresses), or `none` (nothing typed).
        var matched_by: String
        var items: [RegistryQueries.SearchHit]
        var total: Int
        var page: Int
        var page_size: Int
    }

    /// The problems of a query, all at once, and the ID number it holds when it holds one.
    static func check(_ query: Query, today: CivilDate) -> (number: ResidentIDNumber?, problems: [FieldError]) {
        var problems: [FieldError] = []
        let text = RegisterSearchText.normalized(query.text)
        if text.count > RegisterSearchText.maxLength {
            problems.append(
                FieldError(
                    field: "q", messageZH: "搜索内容最多 \(RegisterSearchText.maxLength) 个字",
                    messageEN: "Search for at most \(RegisterSearchText.maxLength) characters"))
        }
        if RegisterSearchText.normalized(query.building).count > maxBuildingLength {
            problems.append(
                FieldError(
                    field: "building", messageZH: "楼号最多 \(maxBuildingLength) 个字",
                    messageEN: "Write the building in at most \(maxBuildingLength) characters"))
        }
        if !(1...maxPage).contains(query.page) {
            problems.append(FieldError(field: "page", messageZH: "页码须为 1 到 100000", messageEN: "Pages run from 1 to 100,000"))
        }
        guard RegisterSearchText.looksLikeIDNumber(text) else { return (nil, problems) }
        let digits = RegisterSearchText.compact(text)
        do {
            let number = try ResidentIDNumber(parsing: digits, today: today)
            return (number, problems)
        } catch {
            problems.append(FieldError(field: "q", messageZH: error.messageZH, messageEN: error.messageEN))
            return (nil, problems)
        }
    }

    /// Whether the text would be looked up as an ID number (the page then sends it by POST only).
    static func isIDNumber(_ text: String) -> Bool {
        RegisterSearchText.looksLikeIDNumber(text)
    }

    /// Runs a search for `writer`'s actor: a lookup by number, or one page of names and addresses.
    static func run(_ query: Query, writer: WriteContext, vault: PIIVault, on db: any Database) async throws -> Result {
        let (number, problems) = check(query, today: writer.today)
        guard problems.isEmpty else { throw AppError.validation(problems) }
        if let number {
            let hit = try await lookUp(number, writer: writer, vault: vault, via: "search", on: db)
            return Result(matched_by: "id_number", items: hit.map { [$0] } ?? [], total: hit == nil ? 0 : 1, page: 1, page_size: pageSize)
        }
        let text = RegisterSearchText.normalized(query.text)
        let building = RegisterSearchText.normalized(query.building)
        guard !text.isEmpty || !building.isEmpty else {
            return Result(matched_by: "none", items: [], total: 0, page: 1, page_size: pageSize)
        }
        let actor = writer.actor
        let found = try await RegistryQueries.search(
            text: text, building: building, role: actor.role, in: actor.scope,
            limit: pageSize, offset: (query.page - 1) * pageSize, on: db)
        return Result(matched_by: "text", items: found.items, total: found.total, page: query.page, page_size: pageSize)
    }

    /// A lookup by ID number: charged to the account's lookup budget first (429 once spent), read
    /// inside the scope, then audited whether or not anyone was found. The search (`via` search)
    /// and `POST /api/v1/registry/persons/lookup` (no `via`) both look up through here.
    static func lookUp(
        _ number: ResidentIDNumber, writer: WriteContext, vault: PIIVault, via: String?, on db: any Database
    ) async throws -> RegistryQueries.SearchHit? {
        let actor = writer.actor
        try await chargeLookup(writer, on: db)
        let index = vault.blindIndex(number.normalized, kind: .idNumber)
        let hit = try await RegistryQueries.searchHit(idIndex: index, role: actor.role, in: actor.scope, on: db)
        try await auditLookup(found: hit?.id.rawValue, via: via, writer: writer, on: db)
        return hit
    }

    /// Counts one lookup by number against the account's budget (`RegistryController.lookupBudget`).
    static func chargeLookup(_ writer: WriteContext, on db: any Database) async throws {
        try await ImportChecks.charge(
            "lookup:\(writer.actor.accountID.uuidString)", policy: RegistryController.lookupBudget, now: writer.now, on: db)
    }

    /// The audit entry of a lookup by number (`person.looked_up`): who, and whom when found; never the number.
    static func auditLookup(found person: UUID?, via: String?, writer: WriteContext, on db: any Database) async throws {
        var detail = ["found": person == nil ? "no" : "yes"]
        if let via { detail["via"] = via }
        let entry = AuditEntry(
            action: "person.looked_up", actorID: writer.actor.accountID, actorName: writer.actor.username,
            targetType: "person", targetID: person?.uuidString, detail: detail, clientAddress: writer.address)
        let now = writer.now
        try await db.write { db in try await AuditLog.append(entry, at: now, on: db) }
    }
}
