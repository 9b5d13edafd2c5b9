import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

// The checks of a dwellings import against the register (grid nodes in scope, compounds,
// buildings, dwellings already there, owners already known) and its one-transaction write.
extension DwellingImport {
    struct ExistingCompound: Decodable, Sendable {
        var id: UUID; var code: String; var name: String; var compound_type: String; var address: String
        var grid_node_id: UUID; var subdistrict_id: UUID?
    }

    /// A building a dwelling sits in: found in the register, or made by the import.
    struct Building: Sendable {
        var id: UUID
        var isNew: Bool
        var compoundID: UUID
        var nodeID: UUID
        var subdistrictID: UUID?
        var name: String
        var floors: Int?
        /// The line that made a new building (for messages).
        var line: Int
    }

    /// An owner: found in the register (same ID number, or same kind and name in the subdistrict),
    /// or made by the import.
    struct Owner: Sendable {
        var id: UUID
        var isNew: Bool
        var spec: OwnerSpec
        var idIndex: String?
        var personID: UUID?
        var subdistrictID: UUID?
        /// The building group of the owner's first dwelling in the file.
        var nodeID: UUID?
        /// Registered only outside the caller's scope: written new, under an identity hold.
        var heldElsewhere = false
    }

    /// What the checks found, for the write.
    struct Plan: Sendable {
        var buildings: [Building] = []
        var owners: [String: Owner] = [:]
    }

    /// Checks the file against the register, in order: building groups, their ancestors, compounds,
    /// buildings, dwellings already registered, owners; what the write needs goes into `plan`.
    static func resolve(
        _ parsed: inout Parsed, plan: inout Plan, authority: RegisterAuthority, vault: PIIVault,
        on db: any Database, into errors: inout ErrorList
    ) async throws {
        try await checkBuildingGroups(&parsed, authority: authority, on: db, into: &errors)
        let nodeIDs = Array(Set(parsed.dwellings.compactMap { $0.node?.id }))
        let ancestry = try await loadAncestry(of: nodeIDs, on: db)
        try await checkCompounds(&parsed, ancestry: ancestry, authority: authority, on: db, into: &errors)
        try await checkBuildings(&parsed, plan: &plan, nodeIDs: nodeIDs, on: db, into: &errors)
        try await checkDwellingsAreNew(parsed, plan: plan, on: db, into: &errors)
        try await resolveOwners(parsed, plan: &plan, authority: authority, vault: vault, on: db, into: &errors)
    }

    /// The ancestors of the file's building groups, and the residential area above each.
    private struct Ancestry {
        var ancestors: [UUID: Set<UUID>] = [:]
        var areaOf: [UUID: UUID] = [:]
    }

    /// Building groups, inside the scope: each dwelling's node code must name a building group.
    private static func checkBuildingGroups(
        _ parsed: inout Parsed, authority: RegisterAuthority, on db: any Database, into errors: inout ErrorList
    ) async throws {
        let codes = Array(Set(parsed.dwellings.map(\.nodeCode)))
        var nodes: [String: GridNodeSummary] = [:]
        for batch in ImportBatch.slices(codes, of: 1_000) {
            let found = try await RegistryQueries.importNodes(codes: Array(batch), authority: authority, on: db)
            for node in found { nodes[node.code] = node }
        }
        for index in parsed.dwellings.indices {
            let dwelling = parsed.dwellings[index]
            guard let node = nodes[dwelling.nodeCode] else {
                errors.add(dwelling.firstLine, DwellingColumn.node.rawValue, "楼组编码不存在或不在您的管辖范围内", "No such building group in your scope")
                continue
            }
            guard node.level == .buildingGroup else {
                errors.add(
                    dwelling.firstLine, DwellingColumn.node.rawValue, "该编码是\(node.level.nameZH)，房屋须挂在楼组上",
                    "The code is a \(node.level.nameEN.lowercased()); a dwelling must sit at a building group")
                continue
            }
            parsed.dwellings[index].node = node
        }
    }

    /// The ancestors of those building groups, and the residential area above each.
    private static func loadAncestry(of nodeIDs: [UUID], on db: any Database) async throws -> Ancestry {
        var ancestry = Ancestry()
        for batch in ImportBatch.slices(nodeIDs, of: 1_000) {
            let rows = try await RegistryQueries.ancestors(of: Array(batch), on: db)
            for row in rows {
                ancestry.ancestors[row.descendant_id, default: []].insert(row.ancestor_id)
                if row.level == GridLevel.residentialArea.rawValue { ancestry.areaOf[row.descendant_id] = row.ancestor_id }
            }
        }
        return ancestry
    }

    /// Compounds: known ones by code; new ones need their details and their whole residential area
    /// inside the scope.
    private static func checkCompounds(
        _ parsed: inout Parsed, ancestry: Ancestry, authority: RegisterAuthority, on db: any Database,
        into errors: inout ErrorList
    ) async throws {
        var existing: [String: ExistingCompound] = [:]
        for batch in ImportBatch.slices(parsed.compounds.map(\.code), of: 1_000) {
            let found = try await RegistryQueries.compounds(codes: Array(batch), on: db)
            for compound in found { existing[compound.code] = compound }
        }
        let members = Dictionary(grouping: parsed.dwellings.indices, by: { parsed.dwellings[$0].compound })
        var newAreas: [Int: UUID] = [:]
        for index in parsed.compounds.indices {
            let dwellings = (members[index] ?? []).map { parsed.dwellings[$0] }
            if let known = existing[parsed.compounds[index].code] {
                checkKnownCompound(index, known: known, dwellings: dwellings, in: &parsed, ancestry: ancestry, into: &errors)
            } else if let area = checkNewCompound(index, dwellings: dwellings, in: &parsed, ancestry: ancestry, into: &errors) {
                newAreas[index] = area
            }
        }
        if !newAreas.isEmpty {
            let inScope = Set(try await RegistryQueries.nodesInScope(Array(Set(newAreas.values)), authority: authority, on: db))
            for (index, area) in newAreas where !inScope.contains(area) {
                errors.add(
                    parsed.compounds[index].firstLine, DwellingColumn.compoundCode.rawValue,
                    "小区编码未登记；新建小区须由管辖整个居民区的人员导入",
                    "No compound has this code; a new compound is imported by someone whose scope holds its whole residential area")
            }
        }
    }

    /// A registered compound: the file's details must match it, and its dwellings' building groups
    /// must lie where it is.
    private static func checkKnownCompound(
        _ index: Int, known: ExistingCompound, dwellings: [Dwelling], in parsed: inout Parsed, ancestry: Ancestry,
        into errors: inout ErrorList
    ) {
        let compound = parsed.compounds[index]
        parsed.compounds[index].existing = known
        parsed.compounds[index].id = known.id
        parsed.compounds[index].subdistrictID = known.subdistrict_id
        func differs(_ column: DwellingColumn, _ line: Int) {
            errors.add(line, column.rawValue, "与已登记小区的“\(column.headerZH)”不一致", "Differs from the registered compound's “\(column.rawValue)”")
        }
        if let name = compound.name.value, name != known.name { differs(.compoundName, compound.name.line) }
        if let type = compound.type.value, type.rawValue != known.compound_type { differs(.compoundType, compound.type.line) }
        if let address = compound.address.value, address != known.address { differs(.compoundAddress, compound.address.line) }
        for dwelling in dwellings {
            guard let node = dwelling.node, !(ancestry.ancestors[node.id] ?? []).contains(known.grid_node_id) else { continue }
            errors.add(
                dwelling.firstLine, DwellingColumn.node.rawValue, "该楼组不在这个小区所在的范围内",
                "The building group does not lie where the compound is")
        }
    }

    /// A new compound: it needs name, type and address, and its dwellings' building groups must lie
    /// in one residential area (the first's), which it returns.
    private static func checkNewCompound(
        _ index: Int, dwellings: [Dwelling], in parsed: inout Parsed, ancestry: Ancestry, into errors: inout ErrorList
    ) -> UUID? {
        let compound = parsed.compounds[index]
        for (column, missing) in [
            (DwellingColumn.compoundName, compound.name.value == nil),
            (.compoundType, compound.type.value == nil), (.compoundAddress, compound.address.value == nil)
        ] where missing {
            errors.add(
                compound.firstLine, column.rawValue, "小区编码未登记：新小区须填写“\(column.headerZH)”",
                "The compound code is not registered: a new compound needs “\(column.rawValue)”")
        }
        guard let first = dwellings.first(where: { $0.node != nil }), let node = first.node, let area = ancestry.areaOf[node.id] else { return nil }
        parsed.compounds[index].area = area
        parsed.compounds[index].subdistrictID = node.subdistrictID
        for dwelling in dwellings where dwelling.node != nil && !(ancestry.ancestors[dwelling.node!.id] ?? []).contains(area) {
            errors.add(
                dwelling.firstLine, DwellingColumn.node.rawValue, "与第\(first.firstLine)行同一新小区的楼组不在同一居民区",
                "The building group is in another residential area than line \(first.firstLine) of the same new compound")
        }
        return area
    }

    /// Buildings: the one at the building group (by name when several), or a new one.
    private static func checkBuildings(
        _ parsed: inout Parsed, plan: inout Plan, nodeIDs: [UUID], on db: any Database, into errors: inout ErrorList
    ) async throws {
        var atNode: [UUID: [RegistryQueries.ExistingBuilding]] = [:]
        for batch in ImportBatch.slices(nodeIDs, of: 1_000) {
            let found = try await RegistryQueries.buildings(at: Array(batch), on: db)
            for building in found { atNode[building.grid_node_id, default: []].append(building) }
        }
        var buildingIndex: [String: Int] = [:]
        for index in parsed.dwellings.indices {
            let dwelling = parsed.dwellings[index]
            guard let node = dwelling.node else { continue }
            let compound = parsed.compounds[dwelling.compound]
            let candidates = (atNode[node.id] ?? []).filter { dwelling.building.isEmpty || $0.name == dwelling.building }
            if candidates.count > 1 {
                errors.add(
                    dwelling.firstLine, DwellingColumn.building.rawValue, "该楼组有多栋楼，请填写楼栋名称",
                    "The building group has several buildings; name the building")
                continue
            }
            let reference = planBuilding(candidates.first, for: dwelling, at: node, in: compound, plan: &plan, index: &buildingIndex)
            parsed.dwellings[index].buildingRef = reference
            checkBuildingFits(reference, dwelling: dwelling, compound: compound, plan: &plan, into: &errors)
        }
    }

    /// The building a dwelling is in, as an index into the plan's buildings: the registered one
    /// found, or a new one per building group and name (added on first use).
    private static func planBuilding(
        _ found: RegistryQueries.ExistingBuilding?, for dwelling: Dwelling, at node: GridNodeSummary, in compound: Compound,
        plan: inout Plan, index buildingIndex: inout [String: Int]
    ) -> Int {
        let key: String
        if let found {
            key = found.id.uuidString
            if buildingIndex[key] == nil {
                buildingIndex[key] = plan.buildings.count
                plan.buildings.append(
                    Building(
                        id: found.id, isNew: false, compoundID: found.compound_id, nodeID: node.id,
                        subdistrictID: found.subdistrict_id, name: found.name, floors: found.floors, line: dwelling.firstLine))
            }
        } else {
            key = node.id.uuidString + "\u{1F}" + dwelling.building
            if buildingIndex[key] == nil {
                buildingIndex[key] = plan.buildings.count
                plan.buildings.append(
                    Building(
                        id: UUID(), isNew: true, compoundID: compound.id, nodeID: node.id, subdistrictID: node.subdistrictID,
                        name: dwelling.building.isEmpty ? node.name : dwelling.building, floors: nil, line: dwelling.firstLine))
            }
        }
        return buildingIndex[key]!
    }

    /// The dwelling's compound and floors must agree with its building's (registered, or from an
    /// earlier line); a new building takes the floors first given.
    private static func checkBuildingFits(
        _ reference: Int, dwelling: Dwelling, compound: Compound, plan: inout Plan, into errors: inout ErrorList
    ) {
        let building = plan.buildings[reference]
        if building.compoundID != compound.id {
            errors.add(
                dwelling.firstLine, DwellingColumn.compoundCode.rawValue,
                building.isNew ? "与第\(building.line)行同一楼栋的小区编码不同" : "该楼栋已登记在另一个小区",
                building.isNew
                    ? "Line \(building.line) puts the same building in another compound" : "The building is registered in another compound")
        }
        if let floors = dwelling.floors.value {
            if let known = building.floors, known != floors {
                errors.add(
                    dwelling.floors.line, DwellingColumn.floors.rawValue,
                    building.isNew ? "与第\(building.line)行同一楼栋的总层数不一致" : "与已登记楼栋的总层数不一致",
                    building.isNew
                        ? "Differs from the floors of the same building on line \(building.line)"
                        : "Differs from the registered building's floors")
            } else if building.isNew {
                plan.buildings[reference].floors = floors
                plan.buildings[reference].line = dwelling.floors.line
            }
        }
    }

    /// Dwellings already in the register, or twice in the file once buildings are known.
    private static func checkDwellingsAreNew(_ parsed: Parsed, plan: Plan, on db: any Database, into errors: inout ErrorList) async throws {
        typealias Key = RegistryQueries.DwellingKey
        var registered = Set<Key>()
        let known = plan.buildings.filter { !$0.isNew }.map(\.id)
        for batch in ImportBatch.slices(known, of: 1_000) {
            registered.formUnion(try await RegistryQueries.dwellingKeys(inBuildings: Array(batch), on: db))
        }
        var seen: [Key: Int] = [:]
        for dwelling in parsed.dwellings {
            guard let reference = dwelling.buildingRef else { continue }
            let key = Key(building_id: plan.buildings[reference].id, stairwell: dwelling.stairwell, room: dwelling.room)
            if registered.contains(key) {
                errors.add(dwelling.firstLine, DwellingColumn.room.rawValue, "该房屋已登记在册", "This dwelling is already in the register")
            } else if let first = seen[key] {
                errors.add(dwelling.firstLine, DwellingColumn.room.rawValue, "与第\(first)行是同一房屋", "The same dwelling as line \(first)")
            } else {
                seen[key] = dwelling.firstLine
            }
        }
    }

    /// Owners already registered are reused: persons by the blind index of their ID number when
    /// they own a dwelling in the caller's scope (a different name is refused), developers and
    /// organisations by kind and name in the subdistrict. A person owner who is also a resident
    /// in the caller's scope is linked to them.
    static func resolveOwners(
        _ parsed: Parsed, plan: inout Plan, authority: RegisterAuthority, vault: PIIVault, on db: any Database,
        into errors: inout ErrorList
    ) async throws {
        for row in parsed.rows {
            guard let owner = row.owner else { continue }
            if plan.owners[owner.identity] == nil {
                let index = owner.id.map { vault.blindIndex($0.normalized, kind: .idNumber) }
                let dwelling = row.dwelling.map { parsed.dwellings[$0] }
                plan.owners[owner.identity] = Owner(
                    id: UUID(), isNew: true, spec: owner, idIndex: index, personID: nil,
                    subdistrictID: dwelling?.node?.subdistrictID, nodeID: dwelling?.node?.id)
            }
        }
        let indexes = plan.owners.values.compactMap(\.idIndex)
        // Owners and residents are reused or linked only inside the caller's scope. An owner
        // registered only outside it gets a new record under an identity hold: the import answers
        // the same whether or not the number exists where the caller cannot see.
        let known = try await IdentityHoldQueries.ownersInScope(indexes, authority: authority, on: db)
        let residents = try await IdentityHoldQueries.personsInScope(indexes, authority: authority, on: db)
        let elsewhere = try await IdentityHoldQueries.ownersAnywhere(indexes.filter { known[$0] == nil }, on: db)
        let names = Array(Set(plan.owners.values.filter { $0.spec.kind != .person }.map(\.spec.name)))
        var organisations: [String: UUID] = [:]
        for batch in ImportBatch.slices(names, of: 1_000) {
            let found = try await RegistryQueries.organisationOwners(named: Array(batch), on: db)
            for owner in found {
                let key = "\(owner.kind):\(owner.name):\(owner.subdistrict_id?.uuidString ?? "")"
                if organisations[key] == nil { organisations[key] = owner.id }
            }
        }
        for (identity, owner) in plan.owners {
            if let index = owner.idIndex {
                plan.owners[identity]?.personID = residents[index]
                if let known = known[index] {
                    if known.name != owner.spec.name {
                        errors.add(
                            owner.spec.line, DwellingColumn.ownerName.rawValue, "该身份证号码已登记为业主，但姓名与本行不同",
                            "An owner with this ID number is registered under another name")
                    }
                    plan.owners[identity]?.id = known.id
                    plan.owners[identity]?.isNew = false
                } else if elsewhere.contains(index) {
                    plan.owners[identity]?.heldElsewhere = true
                }
            } else if let id = organisations["\(owner.spec.kind.rawValue):\(owner.spec.name):\(owner.subdistrictID?.uuidString ?? "")"] {
                plan.owners[identity]?.id = id
                plan.owners[identity]?.isNew = false
            }
        }
    }

    // MARK: Writing

    static let dwellingColumns = [
        "id", "subdistrict_id", "compound_id", "building_id", "grid_node_id", "stairwell", "room",
        "area_register_cm2", "area_surveyed_cm2", "area_contract_cm2", "developer_held", "unsold", "undelivered"
    ]
    static let ownerColumns = [
        "id", "subdistrict_id", "kind", "person_id", "name", "created_at",
        "id_cipher", "id_index", "id_masked", "phone_cipher", "phone_index", "phone_masked"
    ]

    /// New compounds, buildings and owners, then the dwellings and who owns them, then one audit
    /// entry, in one transaction. Owners' numbers are sealed here (a real run only).
    static func write(
        _ parsed: Parsed, plan: Plan, authority: RegisterAuthority, vault: PIIVault, encoding: String,
        now: Date, on db: any Database
    ) async throws {
        let stateError = AppError(.internalServerError, code: "import_state", zh: "导入状态错误", en: "Import state error")
        var compounds: [[any SQLExpression]] = []
        for compound in parsed.compounds where compound.existing == nil {
            guard let area = compound.area, let name = compound.name.value, let type = compound.type.value,
                let address = compound.address.value
            else { throw stateError }
            compounds.append([
                SQLBind(compound.id), bindOrNull(compound.subdistrictID), SQLBind(area), SQLBind(compound.code),
                SQLBind(name), SQLBind(type.rawValue), SQLBind(address), SQLBind(now)
            ])
        }
        let buildings: [[any SQLExpression]] = plan.buildings.filter(\.isNew).map { building in
            [
                SQLBind(building.id), bindOrNull(building.subdistrictID), SQLBind(building.compoundID), SQLBind(building.nodeID),
                SQLBind(building.name), bindOrNull(building.floors), SQLBind(now)
            ]
        }
        var owners: [[any SQLExpression]] = []
        var holds: [IdentityHolds.NewHold] = []
        for owner in plan.owners.values.sorted(by: { $0.spec.line < $1.spec.line }) where owner.isNew {
            let id = try owner.spec.id.map { try vault.seal($0.normalized, masked: $0.masked, kind: .idNumber) }
            let phone = try owner.spec.phone.map { try vault.seal($0.normalized, masked: $0.masked, kind: .phone) }
            var index = id?.blindIndex
            if owner.heldElsewhere, let real = index, let node = owner.nodeID {
                let hold = IdentityHolds.NewHold(kind: .owner, recordID: owner.id, idIndex: real, subdistrictID: owner.subdistrictID, nodeID: node)
                holds.append(hold)
                index = IdentityHolds.placeholder(hold.id)
            }
            owners.append([
                SQLBind(owner.id), bindOrNull(owner.subdistrictID), SQLBind(owner.spec.kind.rawValue), bindOrNull(owner.personID),
                SQLBind(owner.spec.name), SQLBind(now), bindOrNull(id?.ciphertext), bindOrNull(index), bindOrNull(id?.masked),
                bindOrNull(phone?.ciphertext), bindOrNull(phone?.blindIndex), bindOrNull(phone?.masked)
            ])
        }
        let ownerHolds = holds
        var dwellings: [[any SQLExpression]] = []
        var holdings: [[any SQLExpression]] = []
        for dwelling in parsed.dwellings {
            guard let node = dwelling.node, let reference = dwelling.buildingRef else { throw stateError }
            let building = plan.buildings[reference]
            let areas = dwelling.areas.map { area -> any SQLExpression in bindOrNull(area.value?.squareCentimetres) }
            dwellings.append(
                [
                    SQLBind(dwelling.id), bindOrNull(node.subdistrictID), SQLBind(building.compoundID), SQLBind(building.id),
                    SQLBind(node.id), SQLBind(dwelling.stairwell), SQLBind(dwelling.room)
                ] + areas + [
                    SQLBind(dwelling.developerHeld.value ?? false), SQLBind(dwelling.unsold.value ?? false),
                    SQLBind(dwelling.undelivered.value ?? false)
                ])
            for row in dwelling.rows {
                guard let spec = parsed.rows[row].owner else { continue }
                guard let owner = plan.owners[spec.identity] else { throw stateError }
                holdings.append([SQLBind(dwelling.id), SQLBind(owner.id)])
            }
        }
        let detail = [
            "kind": "dwellings", "rows": String(parsed.rows.count), "dwellings": String(dwellings.count),
            "owners_new": String(owners.count), "compounds_new": String(compounds.count),
            "buildings_new": String(buildings.count), "encoding": encoding
        ]
        let (newCompounds, newBuildings, newOwners, allDwellings, allHoldings) = (compounds, buildings, owners, dwellings, holdings)
        try await db.write { db in
            try await RegistryQueries.insertDwellingImport(
                compounds: newCompounds, buildings: newBuildings, owners: newOwners,
                dwellings: allDwellings, holdings: allHoldings, on: db)
            try await IdentityHoldQueries.insert(ownerHolds, by: authority.actorName, at: now, on: db)
            try await AuditLog.append(
                AuditEntry(
                    action: "registry.imported", actorID: authority.actorID, actorName: authority.actorName,
                    targetType: "grid_node", targetID: authority.scopeCode, detail: detail,
                    clientAddress: authority.clientAddress), at: now, on: db)
        }
    }
}
