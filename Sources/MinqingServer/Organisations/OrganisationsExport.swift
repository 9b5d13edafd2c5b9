import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Organisations and their members as CSV (UTF-8 with BOM), inside the caller's scope. Membership
/// of party organisations (sensitive, PIPL art. 28) is left out unless the caller's role may see
/// it AND asks for it (`sensitive: true`) with a purpose; every export is audited, saying whether
/// sensitive rows were included and how many rows went out. Headers and kinds, bases and roles
/// in `lang` (the caller's, `Request.fileLang`); names as written.
enum OrganisationsExport {
    static func csv(_ input: ExportInput, writer: WriteContext, lang: Lang = .zh, on db: any Database) async throws -> (text: String, node: String) {
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
        let rows = try await OrganisationsQueries.exportRows(under: node.id, for: actor, includeSensitive: wantsSensitive, today: today, on: db)
        let header = [
            T("组织", "Organisation"), T("类型", "Kind"), T("组建方式", "Basis"), T("网格", "Grid"), T("成员", "Member"), T("职务", "Role"),
            T("开始", "Starts on"), T("结束", "Ends on"), T("亮身份", "Shows identity")
        ].map { $0(lang) }
        let lines: [[String]] = rows.map { r in
            [
                r.organisation, r.kind.name(lang), r.basis.name(lang),
                r.grid_code,
                r.name ?? "", r.role?.name(lang) ?? "", r.starts_on ?? "", r.ends_on ?? "",
                r.shows_identity.map { DataNames.yesNo($0, lang) } ?? ""
            ]
        }
        let purposeDetail = stated?.auditDetail ?? [:]
        try await db.write { db in
            try await AuditLog.append(
                AuditEntry(
                    action: "organisations.exported", actorID: actor.accountID, actorName: actor.username,
                    targetType: "grid_node", targetID: node.code,
                    detail: ["sensitive": String(wantsSensitive), "rows": String(lines.count)]
                        .merging(purposeDetail) { a, _ in a },
                    clientAddress: writer.address),
                at: writer.now, on: db)
        }
        return (CSVTable.write(header: header, rows: lines), node.code)
    }
}
