import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Export of persons with their households as CSV (居民导出): UTF-8 with BOM, the same columns
/// the import reads (so an export can be read back), ID and phone numbers masked unless the
/// caller may and does ask for the plain values with a stated purpose. Every export is audited.
/// In the caller's language: in Chinese the template's headers and the vocabulary's Chinese
/// labels (户主、户籍), in English the import's English column names and the API's words
/// (`household_key`, `head`, `registered`); the import reads both.
enum PersonExport {
    struct Result: Sendable {
        var csv: String
        var rows: Int
        /// The node the export covers; nil for the whole deployment.
        var nodeCode: String?
    }

    /// Households per page; their members come in one query per page.
    static let pageSize = 1_000

    /// Persons under `node` (or the authority's whole scope), audited as `registry.exported`.
    /// `plain` decrypts the numbers: the caller has checked that the role may, and the stated
    /// purpose is required and recorded.
    static func export(
        node code: String?, plain: Bool, purpose: StatedPurpose?, lang: Lang, authority: RegisterAuthority,
        vault: PIIVault, now: Date, on db: any Database
    ) async throws -> Result {
        // Plain numbers need a stated purpose (the route checked the role and the fields).
        if plain, purpose == nil { throw AppError.validation("purpose", zh: "请选择用途", en: "Choose the purpose") }
        var scoped = authority
        if let code, !code.isEmpty {
            let node: GridNodeSummary?
            if let scope = authority.scope {
                node = try await GridQueries.node(code: code, in: scope, on: db)
            } else {
                node = try await GridQueries.node(code: code, on: db)
            }
            guard let node else {
                throw AppError.notFound("网格节点不存在或不在您的管辖范围内", "No such grid node in your scope")
            }
            scoped.scope = GridQueries.scope(rootedAt: node)
        }
        var result = try await csv(in: scoped, plain: plain, lang: lang, vault: vault, on: db)
        result.nodeCode = scoped.scope?.rootCode
        var detail = ["kind": "persons", "rows": String(result.rows), "plain": plain ? "true" : "false"]
        if plain, let purpose { detail.merge(purpose.auditDetail) { a, _ in a } }
        let entry = AuditEntry(
            action: "registry.exported", actorID: authority.actorID, actorName: authority.actorName,
            targetType: "grid_node", targetID: scoped.scopeCode, detail: detail,
            clientAddress: authority.clientAddress)
        try await db.write { db in try await AuditLog.append(entry, at: now, on: db) }
        return result
    }

    /// The CSV text for everyone inside `authority`'s scope, ordered by building group, household
    /// (head first, then by age). Pages through the households by key (code, id) in SQL.
    static func csv(in authority: RegisterAuthority, plain: Bool, lang: Lang, vault: PIIVault, on db: any Database) async throws -> Result {
        let english = lang == .en
        let header = PersonColumn.allCases.map { english ? $0.rawValue : $0.headerZH }
        var lines: [[String]] = []
        var after: (code: String, id: HouseholdID)?
        while true {
            let households = try await RegistryQueries.exportHouseholds(in: authority, after: after, limit: pageSize, on: db)
            guard let last = households.last else { break }
            after = (last.code, last.id)
            let persons = try await RegistryQueries.exportPersons(of: households.map(\.id), in: authority, plain: plain, on: db)
            var members: [HouseholdID: [RegistryQueries.ExportPersonRow]] = [:]
            for person in persons { members[person.household_id, default: []].append(person) }
            for household in households {
                let sorted = (members[household.id] ?? []).sorted { a, b in
                    let headA = a.relation == .head, headB = b.relation == .head
                    if headA != headB { return headA }
                    return a.birth_date != b.birth_date ? a.birth_date < b.birth_date : a.name < b.name
                }
                for person in sorted {
                    var idNumber = person.id_masked
                    var phone = person.phone_masked ?? ""
                    if plain {
                        if let cipher = person.id_cipher { idNumber = try vault.open(cipher, kind: .idNumber) }
                        if let cipher = person.phone_cipher { phone = try vault.open(cipher, kind: .phone) }
                    }
                    lines.append([
                        household.id.uuidString, household.code, household.address, person.name,
                        english ? person.sex.rawValue : person.sex.labelZH,
                        authority.seesFullBirthDates ? person.birth_date : String(person.birth_date.prefix(4)), idNumber, phone,
                        english ? person.relation.rawValue : person.relation.nameZH,
                        english ? person.residence_status.rawValue : person.residence_status.nameZH,
                        authority.seesFullBirthDates ? person.moved_in_on ?? "" : String((person.moved_in_on ?? "").prefix(7))
                    ])
                }
            }
            if households.count < pageSize { break }
        }
        return Result(csv: CSVTable.write(header: header, rows: lines), rows: lines.count, nodeCode: authority.scope?.rootCode)
    }
}
