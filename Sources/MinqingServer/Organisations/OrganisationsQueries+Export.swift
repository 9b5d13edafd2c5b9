import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// The statement behind the organisations CSV export (`OrganisationsExport`).
extension OrganisationsQueries {
    struct ExportRow: Decodable {
        var organisation: String; var kind: OrganisationKind; var basis: OrganisationBasis; var grid_code: String
        var name: String?; var role: MemberRole?; var starts_on: String?; var ends_on: String?; var shows_identity: Bool?
    }

    /// The organisations built at or below `node` and visible to the caller, each with its current
    /// members in the caller's scope (sensitive organisations' members only when `includeSensitive`).
    static func exportRows(
        under node: UUID, for actor: Actor, includeSensitive wantsSensitive: Bool, today: CivilDate,
        on db: any Database
    ) async throws -> [ExportRow] {
        let hide: SQLQueryString = wantsSensitive ? "" : "AND o.sensitive = \(flag: false)"
        return try await db.sql.raw(
            """
            SELECT o.name AS organisation, o.kind, o.basis, n.code AS grid_code, p.name, m.role, m.starts_on, m.ends_on, m.shows_identity
            FROM organisations o JOIN grid_nodes n ON n.id = o.grid_node_id
            LEFT JOIN organisation_members m ON m.organisation_id = o.id AND \(OrganisationsQueries.current("m", today: today))
                 AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "m"))) \(hide)
            LEFT JOIN persons p ON p.id = m.person_id
            WHERE o.grid_node_id IN (SELECT descendant_id FROM grid_closure WHERE ancestor_id = \(bind: node))
              AND \(OrganisationsQueries.visible(actor))
            ORDER BY n.path, o.kind, o.name, p.name
            """
        ).all(decoding: ExportRow.self)
    }
}
