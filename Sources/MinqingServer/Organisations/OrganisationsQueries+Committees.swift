import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// Item 7's member share of each owners' committee (P2: at least half party members), for the
/// organisations figures. The owners' committees belong to the oversight capability; this only
/// reads them through its functions (`OversightQueries.partyShareSummary`, `compoundReach`,
/// `isPartyMember`, `partyShare`), so the share is computed one way everywhere.
extension OrganisationsQueries {
    /// The committees whose compound lies in `scope` (the caller's, or a node inside it), each
    /// with its current members and party members; nil for roles that may not see sensitive tags.
    static func committeeShares(for actor: Actor, in scope: GridScope, now: Date, limit: Int = 500,
                                on db: any Database) async throws -> OwnersCommitteeShares? {
        guard actor.role.seesSensitiveTags else { return nil }
        var narrowed = actor
        narrowed.scope = scope
        guard let summary = try await OversightQueries.partyShareSummary(for: narrowed, now: now, on: db) else { return nil }
        struct Row: Decodable { var committee_id: UUID; var compound_id: UUID; var compound_name: String; var members: Int; var party: Int? }
        let today = CivilDate(now, in: .shanghai).iso8601
        let rows = try await db.sql.raw("""
            SELECT oc.id AS committee_id, c.id AS compound_id, c.name AS compound_name, COUNT(m.id) AS members,
                   CAST(SUM(CASE WHEN m.id IS NOT NULL AND \(OversightQueries.isPartyMember(personColumn: "m.person_id", today: today)) THEN 1 ELSE 0 END)
                        AS BIGINT) AS party
            FROM owners_committees oc JOIN compounds c ON c.id = oc.compound_id
            LEFT JOIN committee_members m ON m.committee_id = oc.id AND m.ended_on IS NULL
            WHERE \(OversightQueries.compoundReach(narrowed))
            GROUP BY oc.id, c.id, c.name, c.code ORDER BY c.code, oc.id LIMIT \(count: limit)
            """).all(decoding: Row.self)
        return OwnersCommitteeShares(
            committees: summary.committees, meeting_target: summary.meeting_target, members: summary.members, party_members: summary.party_members,
            rows: rows.map { row in
                let share = OversightQueries.partyShare(CommitteePartyShare(members: row.members, partyMembers: row.party ?? 0))
                return CommitteeShareRow(committee_id: row.committee_id, compound_id: row.compound_id, compound_name: row.compound_name,
                                         members: share.members, party_members: share.party_members, percent: share.percent,
                                         target_percent: share.target_percent, meets_target: share.meets_target)
            })
    }
}

/// Item 7's member share of each property company, beside the committees': the companies and
/// their staff belong to the oversight capability; this reads them through
/// `OversightQueries.companyPartyShares` only, for the same roles.
extension OrganisationsQueries {
    /// The property companies visible in `scope` (the caller's, or a node inside it) with their
    /// current staff and party members; nil for roles that may not see sensitive tags.
    static func companyShares(for actor: Actor, in scope: GridScope, now: Date, on db: any Database) async throws -> CompanyPartyShares? {
        guard actor.role.seesSensitiveTags else { return nil }
        return try await OversightQueries.companyPartyShares(in: scope, for: actor, now: now, on: db)
    }
}
