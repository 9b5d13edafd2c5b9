import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Export of dwellings with their owners as CSV (房屋导出): UTF-8 with BOM, the columns the
/// dwellings import reads, one owner a row (a dwelling without owners is one row with the owner
/// columns empty), areas in square metres written exactly, owners' numbers masked. Audited.
/// In the caller's language, as the persons export (`PersonExport`): Chinese headers and labels
/// (是/否), or the import's English column names and the API's words (yes/no).
enum DwellingExport {
    static let pageSize = 1_000

    static func export(
        node code: String?, lang: Lang, authority: RegisterAuthority, now: Date,
        on db: any Database
    ) async throws -> PersonExport.Result {
        var scoped = authority
        if let code, !code.isEmpty {
            let node: GridNodeSummary?
            if let scope = authority.scope {
                node = try await GridQueries.node(code: code, in: scope, on: db)
            } else {
                node = try await GridQueries.node(code: code, on: db)
            }
            guard let node else { throw AppError.notFound("网格节点不存在或不在您的管辖范围内", "No such grid node in your scope") }
            scoped.scope = GridQueries.scope(rootedAt: node)
        }
        let result = try await csv(in: scoped, lang: lang, on: db)
        let entry = AuditEntry(
            action: "registry.exported", actorID: authority.actorID, actorName: authority.actorName,
            targetType: "grid_node", targetID: scoped.scopeCode,
            detail: ["kind": "dwellings", "rows": String(result.rows), "plain": "false"],
            clientAddress: authority.clientAddress)
        try await db.write { db in try await AuditLog.append(entry, at: now, on: db) }
        return result
    }

    static func csv(in authority: RegisterAuthority, lang: Lang, on db: any Database) async throws -> PersonExport.Result {
        let english = lang == .en
        func yesNo(_ value: Bool) -> String { english ? (value ? "yes" : "no") : (value ? "是" : "否") }
        func area(_ cm2: Int64?) -> String { cm2.map { FloorArea(squareCentimetres: $0).squareMetresText } ?? "" }
        let header = DwellingColumn.allCases.map { english ? $0.rawValue : $0.headerZH }
        var lines: [[String]] = []
        var after: (code: String, id: UUID)?
        while true {
            let dwellings = try await RegistryQueries.exportDwellings(in: authority, after: after, limit: pageSize, on: db)
            guard let last = dwellings.last else { break }
            after = (last.node_code, last.id)
            let owners = try await RegistryQueries.exportOwners(of: dwellings.map(\.id), on: db)
            let byDwelling = Dictionary(grouping: owners, by: \.dwelling_id)
            // Within the page: by building, unit and room as people read a list of flats.
            let sorted = dwellings.sorted { a, b in
                (a.node_code, a.building, a.stairwell, a.room.count, a.room) < (b.node_code, b.building, b.stairwell, b.room.count, b.room)
            }
            for d in sorted {
                let dwelling = [
                    d.compound_code, d.compound_name, english ? d.compound_type.rawValue : d.compound_type.nameZH,
                    d.compound_address, d.node_code, d.building, d.floors.map(String.init) ?? "", d.stairwell, d.room,
                    area(d.area_register_cm2), area(d.area_surveyed_cm2), area(d.area_contract_cm2),
                    yesNo(d.developer_held), yesNo(d.unsold), yesNo(d.undelivered)
                ]
                let held = byDwelling[d.id] ?? []
                if held.isEmpty { lines.append(dwelling + ["", "", "", ""]) }
                for owner in held {
                    lines.append(
                        dwelling + [
                            owner.name, english ? owner.kind.rawValue : owner.kind.nameZH,
                            owner.id_masked ?? "", owner.phone_masked ?? ""
                        ])
                }
            }
            if dwellings.count < pageSize { break }
        }
        return PersonExport.Result(csv: CSVTable.write(header: header, rows: lines), rows: lines.count, nodeCode: authority.scope?.rootCode)
    }
}
