import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

// The checks that span rows (households, building groups, duplicates, the register) and the
// one-transaction write of a persons import.
extension PersonImport {
    /// The household's building group and address come from its rows: later rows may leave
    /// them empty, but may not contradict the first row that gave them.
    static func takeHouseholdValues(of line: Int, node: String, address: String, into household: inout Household, errors: inout ErrorList) {
        if !node.isEmpty {
            if let known = household.nodeCode {
                if known != node {
                    errors.add(
                        line, PersonColumn.node.rawValue, "与同户第\(household.nodeLine)行的楼组编码不一致",
                        "The building group differs from line \(household.nodeLine) of the same household")
                }
            } else {
                household.nodeCode = node
                household.nodeLine = line
            }
        }
        if !address.isEmpty {
            if let known = household.address {
                if known != address {
                    errors.add(
                        line, PersonColumn.address.rawValue, "与同户第\(household.addressLine)行的地址不一致",
                        "The address differs from line \(household.addressLine) of the same household")
                }
            } else if address.count > 200 {
                errors.add(line, PersonColumn.address.rawValue, "地址最长 200 个字符", "An address has at most 200 characters")
            } else {
                household.address = address
                household.addressLine = line
            }
        }
    }

    /// Every household has a building group, an address, 1–30 members and exactly one head.
    static func checkHouseholds(_ households: [Household], rows: [Row], into errors: inout ErrorList) {
        for household in households {
            if household.nodeCode == nil {
                errors.add(
                    household.firstLine, PersonColumn.node.rawValue, "本户没有楼组编码（第\(household.firstLine)行起）",
                    "The household (from line \(household.firstLine)) has no building group code")
            }
            if household.address == nil {
                errors.add(
                    household.firstLine, PersonColumn.address.rawValue, "本户没有地址（第\(household.firstLine)行起）",
                    "The household (from line \(household.firstLine)) has no address")
            }
            if household.rows.count > maxMembers {
                errors.add(
                    household.firstLine, PersonColumn.householdKey.rawValue, "本户有 \(household.rows.count) 人，每户最多 \(maxMembers) 人",
                    "The household has \(household.rows.count) members; at most \(maxMembers)")
            }
            let members = household.rows.map { rows[$0] }
            // A member whose relation could not be read is already reported; do not also call
            // the household headless because of it.
            guard members.allSatisfy({ $0.relation != nil }) else { continue }
            let heads = members.filter { $0.relation == .head }
            if heads.isEmpty {
                errors.add(
                    household.firstLine, PersonColumn.relation.rawValue, "本户没有户主：须有一人的与户主关系为“户主”",
                    "The household has no head: one member's relation must be “head”")
            }
            for extra in heads.dropFirst() {
                errors.add(
                    extra.line, PersonColumn.relation.rawValue, "本户已有户主（第\(heads[0].line)行），每户只能有一名户主",
                    "The household already has a head (line \(heads[0].line)); a household has exactly one")
            }
        }
    }

    /// Looks up every building-group code of the file at once, inside the authority's scope.
    static func resolveNodes(
        _ households: inout [Household], authority: RegisterAuthority, on db: any Database,
        into errors: inout ErrorList
    ) async throws {
        let codes = Array(Set(households.compactMap(\.nodeCode)))
        var nodes: [String: GridNodeSummary] = [:]
        for batch in ImportBatch.slices(codes, of: 1_000) {
            let found = try await RegistryQueries.importNodes(codes: Array(batch), authority: authority, on: db)
            for node in found { nodes[node.code] = node }
        }
        for index in households.indices {
            guard let code = households[index].nodeCode else { continue }
            let line = households[index].nodeLine
            guard let node = nodes[code] else {
                errors.add(
                    line, PersonColumn.node.rawValue, "楼组编码不存在或不在您的管辖范围内",
                    "No such building group in your scope")
                continue
            }
            guard node.level == .buildingGroup else {
                errors.add(
                    line, PersonColumn.node.rawValue, "该编码是\(node.level.nameZH)，户须挂在楼组上",
                    "The code is a \(node.level.nameEN.lowercased()); a household must sit at a building group")
                continue
            }
            households[index].node = node
        }
    }

    /// The second and later rows with an ID number already in the file.
    static func checkDuplicateIDs(_ rows: [Row], into errors: inout ErrorList) {
        var first: [String: Int] = [:]
        first.reserveCapacity(rows.count)
        for row in rows {
            guard let id = row.id else { continue }
            if let line = first[id.normalized] {
                errors.add(
                    row.line, PersonColumn.idNumber.rawValue, "与第\(line)行的身份证号码相同（同一人不能登记两次）",
                    "Same ID number as line \(line) (a person is registered once)")
            } else {
                first[id.normalized] = row.line
            }
        }
    }

    /// A row's numbers as the vault gives them back.
    struct Sealed: Sendable {
        var idIndex: String
        var id: SealedPII?
        var phone: SealedPII?
    }

    /// For each row with a readable ID number: the sealed ID and phone number (a real run), or
    /// the ID number's blind index alone (`numbersOnly`). Work is spread over the processor's cores.
    static func seal(_ rows: [Row], numbersOnly: Bool, vault: PIIVault) async throws -> [Sealed?] {
        let workers = max(1, min(8, ProcessInfo.processInfo.activeProcessorCount))
        let size = max(1_000, (rows.count + workers - 1) / workers)
        let batches = ImportBatch.slices(rows, of: size)
        return try await withThrowingTaskGroup(of: (Int, [Sealed?]).self) { group in
            for (number, batch) in batches.enumerated() {
                group.addTask {
                    let sealed = try batch.map { row -> Sealed? in
                        guard let id = row.id else { return nil }
                        if numbersOnly { return Sealed(idIndex: vault.blindIndex(id.normalized, kind: .idNumber)) }
                        let sealedID = try vault.seal(id.normalized, masked: id.masked, kind: .idNumber)
                        let phone = try row.phone.map { try vault.seal($0.normalized, masked: $0.masked, kind: .phone) }
                        return Sealed(idIndex: sealedID.blindIndex, id: sealedID, phone: phone)
                    }
                    return (number, sealed)
                }
            }
            var parts = [[Sealed?]](repeating: [], count: batches.count)
            for try await (number, sealed) in group { parts[number] = sealed }
            return parts.flatMap { $0 }
        }
    }

    /// Rows whose ID number is already in the register inside the authority's scope are
    /// reported; the indexes registered only outside it are returned, never reported: those rows
    /// are written under an identity hold (`IdentityHolds`), so that the answer is the same
    /// whether or not a number exists where the caller cannot see.
    static func checkRegistered(
        _ rows: [Row], sealed: [Sealed?], authority: RegisterAuthority, on db: any Database,
        into errors: inout ErrorList
    ) async throws -> Set<String> {
        let indexes = sealed.compactMap { $0?.idIndex }
        guard !indexes.isEmpty else { return [] }
        let inScope = try await IdentityHoldQueries.personsInScope(indexes, authority: authority, on: db)
        for (row, seal) in zip(rows, sealed) {
            if let index = seal?.idIndex, inScope[index] != nil {
                errors.add(
                    row.line, PersonColumn.idNumber.rawValue, "该身份证号码已在您的管辖范围内登记",
                    "This ID number is already in the register in your scope")
            }
        }
        return try await IdentityHoldQueries.personsAnywhere(indexes.filter { inScope[$0] == nil }, on: db)
    }

    // MARK: Writing

    static let householdColumns = ["id", "subdistrict_id", "grid_node_id", "address", "moved_in_on", "created_at", "updated_at"]

    /// Households, then persons, then one audit entry, in one transaction.
    static func write(
        _ rows: [Row], households: [Household], sealed: [Sealed?], elsewhere: Set<String>, authority: RegisterAuthority,
        encoding: String, now: Date, on db: any Database
    ) async throws {
        var householdRows: [[any SQLExpression]] = []
        householdRows.reserveCapacity(households.count)
        var householdIDs: [UUID] = []
        householdIDs.reserveCapacity(households.count)
        for household in households {
            guard let node = household.node else {
                throw AppError(.internalServerError, code: "import_state", zh: "导入状态错误", en: "Import state error")
            }
            let id = UUID()
            householdIDs.append(id)
            // The household came when its first member did.
            let movedIn = household.rows.compactMap { rows[$0].movedIn }.min()
            householdRows.append([
                SQLBind(id), bindOrNull(node.subdistrictID), SQLBind(node.id), SQLBind(household.address ?? ""),
                bindOrNull(movedIn?.iso8601), SQLBind(now), SQLBind(now)
            ])
        }
        var personRows: [[any SQLExpression]] = []
        personRows.reserveCapacity(rows.count)
        var holds: [IdentityHolds.NewHold] = []
        for (row, seal) in zip(rows, sealed) {
            guard let seal, let sealedID = seal.id, let name = row.name, let sex = row.sex, let birth = row.birthDate,
                let relation = row.relation, let residence = row.residence, let household = row.household,
                let node = households[household].node
            else {
                throw AppError(.internalServerError, code: "import_state", zh: "导入状态错误", en: "Import state error")
            }
            let person = UUID()
            var index = sealedID.blindIndex
            if elsewhere.contains(index) {
                let hold = IdentityHolds.NewHold(kind: .person, recordID: person, idIndex: index, subdistrictID: node.subdistrictID, nodeID: node.id)
                holds.append(hold)
                index = IdentityHolds.placeholder(hold.id)
            }
            personRows.append(
                personValues(
                    id: person, node: node, household: householdIDs[household], name: name, sex: sex, birth: birth,
                    number: sealedID, index: index, phone: seal.phone, relation: relation, residence: residence,
                    movedIn: row.movedIn, now: now))
        }
        try await insert(
            households: householdRows, columns: householdColumns, persons: personRows, holds: holds, authority: authority,
            audit: [
                "kind": "persons", "rows": String(personRows.count), "households": String(householdRows.count),
                "encoding": encoding
            ], now: now, on: db)
    }

    /// One `persons` row in `RegistryService.personColumns` order, numbers already sealed.
    /// `index` is the blind index to store: the number's own, or an identity hold's placeholder.
    static func personValues(
        id: UUID, node: GridNodeSummary, household: UUID, name: String, sex: Sex, birth: CivilDate, number: SealedPII,
        index: String, phone: SealedPII?, relation: HouseholdRelation, residence: ResidenceStatus, movedIn: CivilDate?,
        now: Date
    ) -> [any SQLExpression] {
        [
            SQLBind(id), bindOrNull(node.subdistrictID), SQLBind(node.id), SQLBind(household),
            SQLBind(name), SQLBind(sex.rawValue), SQLBind(birth.iso8601),
            SQLBind(number.ciphertext), SQLBind(index), SQLBind(number.masked),
            bindOrNull(phone?.ciphertext), bindOrNull(phone?.blindIndex), bindOrNull(phone?.masked),
            SQLBind(relation.rawValue), SQLBind(residence.rawValue), bindOrNull(movedIn?.iso8601),
            SQLBind(now), SQLBind(now)
        ]
    }

    /// Households, then persons, then one `registry.imported` audit entry, in one transaction.
    static func insert(
        households: [[any SQLExpression]], columns: [String], persons: [[any SQLExpression]], holds: [IdentityHolds.NewHold],
        authority: RegisterAuthority, audit detail: [String: String], now: Date, on db: any Database
    ) async throws {
        try await db.write { db in
            try await RegistryQueries.insertImported(households: households, columns: columns, persons: persons, on: db)
            try await IdentityHoldQueries.insert(holds, by: authority.actorName, at: now, on: db)
            try await AuditLog.append(
                AuditEntry(
                    action: "registry.imported", actorID: authority.actorID, actorName: authority.actorName,
                    targetType: "grid_node", targetID: authority.scopeCode, detail: detail,
                    clientAddress: authority.clientAddress), at: now, on: db)
        }
    }
}
