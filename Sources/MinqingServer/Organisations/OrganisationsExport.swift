import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Organisations and their members as CSV (UTF-8 with BOM), inside the caller's scope. Membership
/// of party organisations (sensitive, PIPL art. 28) is left out unless the caller's role may see
/// it AND asks for it (`sensitive: true`) with a purpose; every export is audited, saying whether
/// sensitive rows were included and how many rows went out.
enum OrganisationsExport {
    static func csv(_ input: ExportInput, writer: WriteContext, on db: any Database) async throws -> (text: String, node: String) {
        let actor = writer.actor
        let wantsSensitive = input.sensitive ?? false
        var stated: StatedPurpose?
        if wantsSensitive {
            guard actor.role.seesSensitiveTags else { throw OrganisationsService.membersHidden }
            stated = try StatedPurpose.required(purpose: input.purpose, detail: input.purpose_detail)
        }
        var node = try await GridQueries.node(id: actor.scope.rootID, on: db)
        if let code = input.node, !code.isEmpty {
            node = try await GridQueries.node(code: code, in: actor.scope, on: db)
            guard node != nil else { throw AppError.notFound("网格节点不存在或不在您的管辖范围内", "No such grid node in your scope") }
        }
        guard let node else { throw AppError.notFound() }
        let today = CivilDate(writer.now, in: .shanghai)
        let hide: SQLQueryString = wantsSensitive ? "" : "AND o.sensitive = \(flag: false)"
        struct Row: Decodable {
            var organisation: String; var kind: String; var basis: String; var grid_code: String
            var name: String?; var role: String?; var starts_on: String?; var ends_on: String?; var shows_identity: Bool?
        }
        let rows = try await db.sql.raw("""
            SELECT o.name AS organisation, o.kind, o.basis, n.code AS grid_code, p.name, m.role, m.starts_on, m.ends_on, m.shows_identity
            FROM organisations o JOIN grid_nodes n ON n.id = o.grid_node_id
            LEFT JOIN organisation_members m ON m.organisation_id = o.id AND \(OrganisationsQueries.current("m", today: today))
                 AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "m"))) \(hide)
            LEFT JOIN persons p ON p.id = m.person_id
            WHERE o.grid_node_id IN (SELECT descendant_id FROM grid_closure WHERE ancestor_id = \(bind: node.id))
              AND \(OrganisationsQueries.visible(actor))
            ORDER BY n.path, o.kind, o.name, p.name
            """).all(decoding: Row.self)
        let header = ["组织 organisation", "类型 kind", "组建方式 basis", "网格 grid", "成员 member", "职务 role", "开始 starts_on", "结束 ends_on", "亮身份 shows_identity"]
        let lines: [[String]] = rows.map { r in
            [r.organisation, OrganisationKind(rawValue: r.kind)?.nameZH ?? r.kind, OrganisationBasis(rawValue: r.basis)?.nameZH ?? r.basis, r.grid_code,
             r.name ?? "", r.role.flatMap { MemberRole(rawValue: $0)?.nameZH } ?? (r.role ?? ""), r.starts_on ?? "", r.ends_on ?? "",
             r.shows_identity.map { $0 ? "是" : "否" } ?? ""]
        }
        let purposeDetail = stated?.auditDetail ?? [:]
        try await db.write { db in
            try await AuditLog.append(AuditEntry(action: "organisations.exported", actorID: actor.accountID, actorName: actor.username,
                                                 targetType: "grid_node", targetID: node.code,
                                                 detail: ["sensitive": String(wantsSensitive), "rows": String(lines.count)]
                                                    .merging(purposeDetail) { a, _ in a },
                                                 clientAddress: writer.address),
                                      at: writer.now, on: db)
        }
        return (CSVTable.write(header: header, rows: lines), node.code)
    }
}
