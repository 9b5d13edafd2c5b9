import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The columns of a households file (住户导入模板): one household a row, with its head when the
/// office knows them (the other members come later, by the persons import or by hand).
enum HouseholdColumn: String, ImportColumn {
    case node
    case address
    case stairwell
    case room
    case movedInOn = "moved_in_on"
    case headName = "head_name"
    case headSex = "head_sex"
    case headBirthDate = "head_birth_date"
    case headIDNumber = "head_id_number"
    case headPhone = "head_phone"
    case headResidenceStatus = "head_residence_status"

    var headerZH: String {
        switch self {
        case .node: "楼组编码"
        case .address: "地址"
        case .stairwell: "单元"
        case .room: "室号"
        case .movedInOn: "迁入日期"
        case .headName: "户主姓名"
        case .headSex: "户主性别"
        case .headBirthDate: "户主出生日期"
        case .headIDNumber: "户主身份证号"
        case .headPhone: "户主手机号"
        case .headResidenceStatus: "户主居住状态"
        }
    }

    var synonyms: [String] {
        switch self {
        case .node: ["楼组", "楼组代码", "网格编码", "node_code"]
        case .address: ["住址", "居住地址", "现住址"]
        case .stairwell: ["单元号", "楼梯", "门洞"]
        case .room: ["室", "房号", "房间号"]
        case .movedInOn: ["迁入时间", "入住日期", "moved_in"]
        case .headName: ["户主"]
        case .headSex: ["户主性别（男/女）"]
        case .headBirthDate: ["户主出生年月日"]
        case .headIDNumber: ["户主身份证号码", "户主公民身份号码", "户主证件号码"]
        case .headPhone: ["户主手机号码", "户主手机", "户主联系电话"]
        case .headResidenceStatus: ["户主人口类型", "户主居住类型", "居住状态"]
        }
    }

    var isRequired: Bool { self == .node || self == .address }

    /// The persons-file column a head column is read as (the same rules as a member row).
    var personColumn: PersonColumn? {
        switch self {
        case .headName: .name
        case .headSex: .sex
        case .headBirthDate: .birthDate
        case .headIDNumber: .idNumber
        case .headPhone: .phone
        case .headResidenceStatus: .residenceStatus
        default: nil
        }
    }

    static let heads: [HouseholdColumn] = [.headName, .headSex, .headBirthDate, .headIDNumber, .headPhone, .headResidenceStatus]

    /// The household column a persons-file column was read from.
    static func from(_ person: String) -> HouseholdColumn? {
        heads.first { $0.personColumn?.rawValue == person }
    }
}

/// Imports households (住户批量导入), each at a building group inside the caller's scope, with
/// an address, optionally the dwelling it occupies (unit and room of a dwelling registered at
/// that building group) and the date it moved in, and optionally its head: name, ID number,
/// residence status and the rest, checked exactly as a persons-file member (`PersonImport.readRow`)
/// and stored through the vault. All rows or none. An address already registered at the same
/// building group is refused, so importing the same file twice does not double the register.
enum HouseholdImport {
    static let maxRows = 100_000

    struct Row: Sendable {
        var line: Int
        var nodeCode: String
        var address: String?
        var stairwell: String
        var room: String
        var movedIn: CivilDate?
        /// The head as a persons-file row (relation: head), when any head column is filled.
        var head: PersonImport.Row?
        var node: GridNodeSummary?
        var dwelling: UUID?
    }

    static func run(
        _ input: ImportInput, dryRun: Bool, authority: RegisterAuthority, vault: PIIVault,
        now: Date, on db: any Database
    ) async throws -> ImportReport {
        var report = ImportReport(dry_run: dryRun, encoding: nil, rows: 0, households: 0, errors: [])
        guard let (table, columns) = ImportHeader.open(input, as: HouseholdColumn.self, maxRows: maxRows, report: &report) else {
            return report
        }
        let today = CivilDate.today(now: now)
        var errors = ErrorList()
        var labels = PersonImport.LabelCache()
        var rows: [Row] = []
        rows.reserveCapacity(table.rows.count)
        for record in table.rows {
            let line = record.line
            func cell(_ column: HouseholdColumn) -> String {
                columns[column].map { ImportCell.trimmed(record.fields[$0]) } ?? ""
            }
            func fail(_ column: HouseholdColumn, _ zh: String, _ en: String) { errors.add(line, column.rawValue, zh, en) }
            var row = Row(line: line, nodeCode: cell(.node), stairwell: cell(.stairwell), room: cell(.room))
            if row.nodeCode.isEmpty { fail(.node, "请填写楼组编码", "Enter the building group code") }
            let address = cell(.address)
            if address.isEmpty || address.count > 200 {
                fail(.address, "地址须为 1–200 个字符", "The address must have 1 to 200 characters")
            } else {
                row.address = address
            }
            if row.room.count > 20 { fail(.room, "室号最长 20 个字符", "A room has at most 20 characters") }
            if row.stairwell.count > 20 { fail(.stairwell, "单元最长 20 个字符", "A unit has at most 20 characters") }
            if !row.stairwell.isEmpty, row.room.isEmpty { fail(.room, "填写了单元但没有室号", "A unit is given without a room") }
            if row.stairwell.isEmpty { row.stairwell = "1" }
            let moved = cell(.movedInOn)
            if !moved.isEmpty {
                if let date = ImportCell.date(moved) {
                    if date > today { fail(.movedInOn, "迁入日期晚于今天", "The moving-in date is in the future") } else { row.movedIn = date }
                } else {
                    fail(.movedInOn, "迁入日期须为有效日期，如 2008-05-01", "The moving-in date must be a real date such as 2008-05-01")
                }
            }
            if HouseholdColumn.heads.contains(where: { !cell($0).isEmpty }) {
                // The head is read as a member row: the same checks, errors named by the head columns.
                var found = ErrorList()
                var head = PersonImport.readRow(
                    line: line,
                    cell: { column in
                        switch column {
                        case .relation: HouseholdRelation.head.rawValue
                        default: HouseholdColumn.heads.first { $0.personColumn == column }.map(cell) ?? ""
                        }
                    }, today: today, labels: &labels, into: &found)
                head.movedIn = row.movedIn
                head.household = rows.count
                remap(found, into: &errors)
                row.head = head
            }
            rows.append(row)
        }
        report.households = rows.count
        report.persons = rows.filter { $0.head != nil }.count

        try await resolveNodes(&rows, authority: authority, on: db, into: &errors)
        try await checkAddresses(rows, on: db, into: &errors)
        try await resolveDwellings(&rows, on: db, into: &errors)

        // Heads: no ID number twice in the file, none already registered.
        let heads = rows.compactMap(\.head)
        var found = ErrorList()
        PersonImport.checkDuplicateIDs(heads, into: &found)
        let sealing = !dryRun && errors.isEmpty && found.isEmpty
        let sealed = try await PersonImport.seal(heads, numbersOnly: !sealing, vault: vault)
        let elsewhere = try await PersonImport.checkRegistered(heads, sealed: sealed, authority: authority, on: db, into: &found)
        remap(found, into: &errors)

        report.errors = errors.sorted(columns: HouseholdColumn.allCases.map(\.rawValue))
        guard sealing, report.errors.isEmpty else { return report }
        do {
            try await write(
                rows, heads: heads, sealed: sealed, elsewhere: elsewhere, authority: authority, encoding: report.encoding ?? "", now: now, on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw AppError.conflict(
                "导入期间有户主的身份证号码被登记，未写入任何数据；请重新预检后再导入",
                "A head's ID number was registered meanwhile; nothing was written. Check the file again and retry")
        }
        return report
    }

    /// Errors found with the persons-file rules, named by this file's head columns.
    static func remap(_ found: ErrorList, into errors: inout ErrorList) {
        for error in found.items {
            errors.add(error.line, HouseholdColumn.from(error.field)?.rawValue ?? error.field, error.message, error.message_en)
        }
    }

    /// Every building-group code of the file at once, inside the authority's scope.
    static func resolveNodes(_ rows: inout [Row], authority: RegisterAuthority, on db: any Database, into errors: inout ErrorList) async throws {
        let codes = Array(Set(rows.map(\.nodeCode).filter { !$0.isEmpty }))
        var nodes: [String: GridNodeSummary] = [:]
        for batch in ImportBatch.slices(codes, of: 1_000) {
            let found = try await RegistryQueries.importNodes(codes: Array(batch), authority: authority, on: db)
            for node in found { nodes[node.code] = node }
        }
        for index in rows.indices where !rows[index].nodeCode.isEmpty {
            guard let node = nodes[rows[index].nodeCode] else {
                errors.add(rows[index].line, HouseholdColumn.node.rawValue, "楼组编码不存在或不在您的管辖范围内", "No such building group in your scope")
                continue
            }
            guard node.level == .buildingGroup else {
                errors.add(
                    rows[index].line, HouseholdColumn.node.rawValue, "该编码是\(node.level.nameZH)，户须挂在楼组上",
                    "The code is a \(node.level.nameEN.lowercased()); a household must sit at a building group")
                continue
            }
            rows[index].node = node
        }
    }

    /// One household per address and building group, in the file and in the register.
    static func checkAddresses(_ rows: [Row], on db: any Database, into errors: inout ErrorList) async throws {
        typealias Key = RegistryQueries.HouseholdAddress
        let nodeIDs = Array(Set(rows.compactMap { $0.node?.id }))
        var registered = Set<Key>()
        for batch in ImportBatch.slices(nodeIDs, of: 1_000) {
            registered.formUnion(try await RegistryQueries.householdAddresses(at: Array(batch), on: db))
        }
        var seen: [Key: Int] = [:]
        for row in rows {
            guard let node = row.node, let address = row.address else { continue }
            let key = Key(grid_node_id: node.id, address: address)
            if registered.contains(key) {
                errors.add(row.line, HouseholdColumn.address.rawValue, "该楼组的这个地址已有住户登记", "A household is already registered at this address")
            } else if let first = seen[key] {
                errors.add(row.line, HouseholdColumn.address.rawValue, "与第\(first)行是同一楼组的同一地址", "The same address as line \(first)")
            } else {
                seen[key] = row.line
            }
        }
    }

    /// The dwelling a row names by unit and room: it must be registered at the row's building group.
    static func resolveDwellings(_ rows: inout [Row], on db: any Database, into errors: inout ErrorList) async throws {
        let nodeIDs = Array(Set(rows.filter { !$0.room.isEmpty }.compactMap { $0.node?.id }))
        var dwellings: [String: [UUID]] = [:]
        for batch in ImportBatch.slices(nodeIDs, of: 1_000) {
            for dwelling in try await RegistryQueries.dwellings(at: Array(batch), on: db) {
                dwellings["\(dwelling.grid_node_id)\u{1F}\(dwelling.stairwell)\u{1F}\(dwelling.room)", default: []].append(dwelling.id)
            }
        }
        for index in rows.indices where !rows[index].room.isEmpty {
            guard let node = rows[index].node else { continue }
            let matches = dwellings["\(node.id)\u{1F}\(rows[index].stairwell)\u{1F}\(rows[index].room)"] ?? []
            switch matches.count {
            case 1: rows[index].dwelling = matches[0]
            case 0:
                errors.add(
                    rows[index].line, HouseholdColumn.room.rawValue, "该楼组没有登记这个单元和室号的房屋（可先导入房屋）",
                    "No dwelling with this unit and room is registered at the building group (import dwellings first)")
            default:
                errors.add(
                    rows[index].line, HouseholdColumn.room.rawValue, "该楼组有多栋楼都有这个单元和室号，请在网页上逐户登记",
                    "Several buildings at the building group have this unit and room; register the household by hand")
            }
        }
    }

    static let householdColumns = ["id", "subdistrict_id", "grid_node_id", "dwelling_id", "address", "moved_in_on", "created_at", "updated_at"]

    static func write(
        _ rows: [Row], heads: [PersonImport.Row], sealed: [PersonImport.Sealed?], elsewhere: Set<String>,
        authority: RegisterAuthority, encoding: String, now: Date, on db: any Database
    ) async throws {
        let stateError = AppError(.internalServerError, code: "import_state", zh: "导入状态错误", en: "Import state error")
        var households: [[any SQLExpression]] = []
        var ids: [UUID] = []
        for row in rows {
            guard let node = row.node, let address = row.address else { throw stateError }
            let id = UUID()
            ids.append(id)
            households.append([
                SQLBind(id), bindOrNull(node.subdistrictID), SQLBind(node.id), bindOrNull(row.dwelling), SQLBind(address),
                bindOrNull(row.movedIn?.iso8601), SQLBind(now), SQLBind(now)
            ])
        }
        var persons: [[any SQLExpression]] = []
        var holds: [IdentityHolds.NewHold] = []
        for (head, seal) in zip(heads, sealed) {
            guard let seal, let sealedID = seal.id, let name = head.name, let sex = head.sex, let birth = head.birthDate,
                let residence = head.residence, let index = head.household, let node = rows[index].node
            else { throw stateError }
            let person = UUID()
            var stored = sealedID.blindIndex
            if elsewhere.contains(stored) {
                let hold = IdentityHolds.NewHold(kind: .person, recordID: person, idIndex: stored, subdistrictID: node.subdistrictID, nodeID: node.id)
                holds.append(hold)
                stored = IdentityHolds.placeholder(hold.id)
            }
            persons.append(
                PersonImport.personValues(
                    id: person, node: node, household: ids[index], name: name, sex: sex, birth: birth,
                    number: sealedID, index: stored, phone: seal.phone, relation: .head, residence: residence,
                    movedIn: head.movedIn, now: now))
        }
        try await PersonImport.insert(
            households: households, columns: householdColumns, persons: persons, holds: holds, authority: authority,
            audit: [
                "kind": "households", "rows": String(households.count), "households": String(households.count),
                "persons": String(persons.count), "encoding": encoding
            ], now: now, on: db)
    }
}
