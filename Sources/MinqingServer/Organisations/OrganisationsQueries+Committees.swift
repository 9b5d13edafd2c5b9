import Fluent
import Foundation
import MinqingDomain

/// Item 7's member shares for the organisations figures: of each owners' committee (P2: at least
/// half party members) and of each property company's staff. Both belong to the oversight
/// capability and are counted there, one way (`OversightQueries.committeePartyShares`,
/// `companyPartyShares`); this only narrows the caller to the node asked for.
extension OrganisationsQueries {
    /// The committees and companies in `scope` (the caller's, or a node inside it); nil for roles
    /// that may not see sensitive tags.
    static func partyShares(
        for actor: Actor, in scope: GridScope, now: Date,
        on db: any Database
    ) async throws -> (committees: OwnersCommitteeShares?, companies: CompanyPartyShares?) {
        var narrowed = actor
        narrowed.scope = scope
        return (
            try await OversightQueries.committeePartyShares(for: narrowed, now: now, on: db),
            try await OversightQueries.companyPartyShares(in: scope, for: actor, now: now, on: db)
        )
    }
}
