import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The columns of a dwellings file (房屋及业主导入模板): one owner of one dwelling a row. Rows with
/// the same building group, building, unit and room are one dwelling with several owners; a row
/// whose 小区编码, 楼组编码 and 室号 are all empty adds an owner to the dwelling of the row above
/// (as merged cells in Excel leave it).
enum DwellingColumn: String, ImportColumn {
    case compoundCode = "compound_code"
    case compoundName = "compound_name"
    case compoundType = "compound_type"
    case compoundAddress = "compound_address"
    case node
    case building
    case floors
    case stairwell
    case room
    case areaRegister = "area_register_m2"
    case areaSurveyed = "area_surveyed_m2"
    case areaContract = "area_contract_m2"
    case developerHeld = "developer_held"
    case unsold
    case undelivered
    case ownerName = "owner_name"
    case ownerKind = "owner_kind"
    case ownerIDNumber = "owner_id_number"
    case ownerPhone = "owner_phone"

    var headerZH: String {
        switch self {
        case .compoundCode: "小区编码"
        case .compoundName: "小区名称"
        case .compoundType: "小区类型"
        case .compoundAddress: "小区地址"
        case .node: "楼组编码"
        case .building: "楼栋"
        case .floors: "总层数"
        case .stairwell: "单元"
        case .room: "室号"
        case .areaRegister: "登记面积（平方米）"
        case .areaSurveyed: "实测面积（平方米）"
        case .areaContract: "合同面积（平方米）"
        case .developerHeld: "开发商持有"
        case .unsold: "未售"
        case .undelivered: "未交付"
        case .ownerName: "业主姓名"
        case .ownerKind: "业主类型"
        case .ownerIDNumber: "业主身份证号"
        case .ownerPhone: "业主手机号"
        }
    }

    var synonyms: [String] {
        switch self {
        case .compoundCode: ["小区代码"]
        case .compoundName: ["小区"]
        case .compoundType: ["小区类别"]
        case .compoundAddress: []
        case .node: ["楼组", "楼组代码", "网格编码", "node_code"]
        case .building: ["楼号", "幢号", "楼栋名称", "building_name"]
        case .floors: ["层数", "楼层数"]
        case .stairwell: ["单元号", "楼梯", "门洞"]
        case .room: ["室", "房号", "房间号", "门牌号"]
        case .areaRegister: Self.withUnits(["登记面积", "产权面积", "产证面积", "不动产登记面积"]) + ["area_register"]
        case .areaSurveyed: Self.withUnits(["实测面积", "测绘面积"]) + ["area_surveyed"]
        case .areaContract: Self.withUnits(["合同面积", "预售面积"]) + ["area_contract"]
        case .developerHeld: ["建设单位持有", "开发商自持"]
        case .unsold: ["是否未售", "未出售"]
        case .undelivered: ["是否未交付", "未交房"]
        case .ownerName: ["业主", "产权人", "产权人姓名", "owner"]
        case .ownerKind: ["业主类别", "产权人类型"]
        case .ownerIDNumber: ["业主身份证号码", "产权人身份证号", "产权人身份证号码", "业主证件号码"]
        case .ownerPhone: ["业主手机号码", "业主电话", "业主联系电话", "产权人电话"]
        }
    }

    var isRequired: Bool {
        switch self {
        case .compoundCode, .node, .room: true
        default: false
        }
    }

    /// The areas, in the order the owners' vote takes them (the first present counts).
    static let areas: [DwellingColumn] = [.areaRegister, .areaSurveyed, .areaContract]

    /// `登记面积`, `登记面积（平方米）`, `登记面积(㎡)`…
    static func withUnits(_ names: [String]) -> [String] {
        let units = ["（平方米）", "(平方米)", "（㎡）", "(㎡)", "（m2）", "(m2)", "（m²）", "(m²)", "㎡"]
        return names.flatMap { name in [name] + units.map { name + $0 } }
    }
}

/// Imports dwellings with their compounds, buildings and owners (房屋及业主批量导入): every row
/// checked and every problem reported with its line, then everything written in one transaction
/// or nothing.
///
/// Per row: the building group inside the caller's scope; unit and room; areas in square metres
/// with at most four decimals (1 cm²), converted to integer cm² without floating point (`FloorArea`); the
/// developer-held / unsold / undelivered flags (是/否); the owner: a person by name and resident
/// ID number (through the vault: blind index to find them again, ciphertext and masked form to
/// keep), or a developer or organisation by name. Per dwelling: at least one area; a
/// developer-held dwelling has a developer among its owners; no owner twice; not already in the
/// register. Per compound: an existing one is found by its code and its buildings must lie in
/// its residential area; a new one needs name, type and address, and its residential area must
/// be inside the caller's scope. An owner already registered (same ID number, or a developer or
/// organisation of the same name in the same subdistrict) is reused, so one owner holds several
/// dwellings.
enum DwellingImport {
    static let maxRows = 200_000

    /// A dwelling's owner as the row gives it.
    struct OwnerSpec: Sendable {
        var line: Int
        var kind: OwnerKind
        var name: String
        var id: ResidentIDNumber?
        var phone: MobileNumber?

        /// Persons by ID number, others by kind and name.
        var identity: String { id.map { "id:" + $0.normalized } ?? "\(kind.rawValue):\(name)" }
    }

    /// A value several rows may repeat: the first row that gives it sets it.
    struct Taken<Value: Equatable & Sendable>: Sendable {
        var value: Value?
        var line = 0

        /// Takes `value` from `line`; a different value than the one taken is an error on that line.
        mutating func take(_ new: Value?, line: Int, column: DwellingColumn, of what: T, errors: inout ErrorList) {
            guard let new else { return }
            guard let value else {
                self.value = new
                self.line = line
                return
            }
            if value != new {
                errors.add(
                    line, column.rawValue, "与\(what.zh)第\(self.line)行的“\(column.headerZH)”不一致",
                    "“\(column.rawValue)” differs from line \(self.line) of \(what.en)")
            }
        }
    }

    struct Compound: Sendable {
        var code: String
        var firstLine: Int
        var name = Taken<String>()
        var type = Taken<CompoundType>()
        var address = Taken<String>()
        var existing: ExistingCompound?
        /// A new compound's residential area (where it is stored).
        var area: UUID?
        var subdistrictID: UUID?
        var id = UUID()
    }

    struct Dwelling: Sendable {
        var firstLine: Int
        var compound: Int
        var nodeCode: String
        var building: String
        var stairwell: String
        var room: String
        var rows: [Int] = []
        var floors = Taken<Int>()
        var areas = [Taken<FloorArea>](repeating: Taken(), count: 3)
        var developerHeld = Taken<Bool>()
        var unsold = Taken<Bool>()
        var undelivered = Taken<Bool>()
        /// An area cell could not be read (reported): no second message that no area is given.
        var unreadableArea = false
        var node: GridNodeSummary?
        /// Index into the buildings the import resolves or creates.
        var buildingRef: Int?
        var id = UUID()
    }

    struct Row: Sendable {
        var line: Int
        var dwelling: Int?
        var owner: OwnerSpec?
    }

    /// What reading the file gives.
    struct Parsed: Sendable {
        var rows: [Row] = []
        var dwellings: [Dwelling] = []
        var compounds: [Compound] = []
    }

    static func run(
        _ input: ImportInput, dryRun: Bool, authority: RegisterAuthority, vault: PIIVault,
        now: Date, on db: any Database
    ) async throws -> ImportReport {
        var report = ImportReport(dry_run: dryRun, encoding: nil, rows: 0, households: nil, errors: [])
        guard let (table, columns) = ImportHeader.open(input, as: DwellingColumn.self, maxRows: maxRows, report: &report) else {
            return report
        }
        let today = CivilDate.today(now: now)
        var errors = ErrorList()
        var parsed = read(table, columns: columns, today: today, into: &errors)
        checkFile(parsed, into: &errors)
        report.dwellings = parsed.dwellings.count
        report.owners = Set(parsed.rows.compactMap { $0.owner?.identity }).count

        var plan = Plan()
        try await resolve(&parsed, plan: &plan, authority: authority, vault: vault, on: db, into: &errors)

        report.errors = errors.sorted(columns: DwellingColumn.allCases.map(\.rawValue))
        guard !dryRun, report.errors.isEmpty else { return report }
        do {
            try await write(parsed, plan: plan, authority: authority, vault: vault, encoding: report.encoding ?? "", now: now, on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw AppError.conflict(
                "导入期间有房屋、小区或业主被他人登记，未写入任何数据；请重新预检后再导入",
                "A dwelling, compound or owner in the file was registered meanwhile; nothing was written. Check the file again and retry")
        }
        return report
    }

    // MARK: Reading

    /// 是/否 and the other ways a spreadsheet says yes or no; nil for an empty cell.
    static func flag(_ text: String) -> Bool?? {
        switch text.lowercased() {
        case "": .some(nil)
        case "是", "y", "yes", "true", "1", "√", "✓", "有": .some(true)
        case "否", "n", "no", "false", "0", "×", "✗", "无": .some(false)
        default: nil
        }
    }

    static func read(_ table: CSVTable, columns: [DwellingColumn: Int], today: CivilDate, into errors: inout ErrorList) -> Parsed {
        var parsed = Parsed()
        parsed.rows.reserveCapacity(table.rows.count)
        var dwellingIndex: [String: Int] = [:]
        var compoundIndex: [String: Int] = [:]
        for record in table.rows {
            let line = record.line
            func cell(_ column: DwellingColumn) -> String {
                columns[column].map { ImportCell.trimmed(record.fields[$0]) } ?? ""
            }
            func fail(_ column: DwellingColumn, _ zh: String, _ en: String) { errors.add(line, column.rawValue, zh, en) }
            var row = Row(line: line)

            // Which dwelling: by its key, or the one of the row above.
            let code = cell(.compoundCode), nodeCode = cell(.node), room = cell(.room)
            let building = cell(.building), stairwellText = cell(.stairwell)
            if code.isEmpty, nodeCode.isEmpty, room.isEmpty {
                if let previous = parsed.rows.last {
                    row.dwelling = previous.dwelling // nil if that row's dwelling was bad (already reported)
                    if let index = row.dwelling {
                        let dwelling = parsed.dwellings[index]
                        if !building.isEmpty, building != dwelling.building {
                            fail(.building, "续行的楼栋与上一行的房屋不一致", "The building differs from the dwelling of the row above")
                        }
                        if !stairwellText.isEmpty, stairwellText != dwelling.stairwell {
                            fail(.stairwell, "续行的单元与上一行的房屋不一致", "The unit differs from the dwelling of the row above")
                        }
                    }
                } else {
                    fail(.room, "请填写小区编码、楼组编码和室号", "Enter the compound code, building group code and room")
                }
            } else {
                var ok = true
                if code.isEmpty || code.count > 64 {
                    fail(
                        .compoundCode, code.isEmpty ? "请填写小区编码" : "小区编码最长 64 个字符",
                        code.isEmpty ? "Enter the compound code" : "A compound code has at most 64 characters")
                    ok = false
                }
                if nodeCode.isEmpty { fail(.node, "请填写楼组编码", "Enter the building group code"); ok = false }
                if room.isEmpty || room.count > 20 {
                    fail(
                        .room, room.isEmpty ? "请填写室号" : "室号最长 20 个字符",
                        room.isEmpty ? "Enter the room" : "A room has at most 20 characters")
                    ok = false
                }
                if stairwellText.count > 20 { fail(.stairwell, "单元最长 20 个字符", "A unit has at most 20 characters"); ok = false }
                if building.count > 40 { fail(.building, "楼栋名称最长 40 个字符", "A building name has at most 40 characters"); ok = false }
                if ok {
                    let stairwell = stairwellText.isEmpty ? "1" : stairwellText
                    let compound: Int
                    if let known = compoundIndex[code] {
                        compound = known
                    } else {
                        compound = parsed.compounds.count
                        compoundIndex[code] = compound
                        parsed.compounds.append(Compound(code: code, firstLine: line))
                    }
                    let key = [nodeCode, building, stairwell, room].joined(separator: "\u{1F}")
                    if let known = dwellingIndex[key] {
                        row.dwelling = known
                        if parsed.dwellings[known].compound != compound {
                            let first = parsed.dwellings[known].firstLine
                            fail(.compoundCode, "同一房屋在第\(first)行属于另一个小区", "Line \(first) puts the same dwelling in another compound")
                        }
                    } else {
                        row.dwelling = parsed.dwellings.count
                        dwellingIndex[key] = parsed.dwellings.count
                        parsed.dwellings.append(
                            Dwelling(
                                firstLine: line, compound: compound, nodeCode: nodeCode, building: building,
                                stairwell: stairwell, room: room))
                    }
                    readCompound(cell: cell, line: line, into: &parsed.compounds[compound], errors: &errors)
                }
            }
            if let index = row.dwelling {
                parsed.dwellings[index].rows.append(parsed.rows.count)
                readDwelling(cell: cell, line: line, into: &parsed.dwellings[index], errors: &errors)
            }
            row.owner = readOwner(cell: cell, line: line, today: today, errors: &errors)
            parsed.rows.append(row)
        }
        return parsed
    }

    static let ofCompound = T("同一小区", "the same compound")
    static let ofDwelling = T("同一房屋", "the same dwelling")

    static func readCompound(cell: (DwellingColumn) -> String, line: Int, into compound: inout Compound, errors: inout ErrorList) {
        let name = cell(.compoundName)
        if name.count > 60 {
            errors.add(line, DwellingColumn.compoundName.rawValue, "小区名称最长 60 个字符", "A compound name has at most 60 characters")
        } else {
            compound.name.take(name.isEmpty ? nil : name, line: line, column: .compoundName, of: ofCompound, errors: &errors)
        }
        let typeText = cell(.compoundType)
        if !typeText.isEmpty {
            if let type = CompoundType(label: typeText) {
                compound.type.take(type, line: line, column: .compoundType, of: ofCompound, errors: &errors)
            } else {
                errors.add(
                    line, DwellingColumn.compoundType.rawValue,
                    "小区类型无法识别；可填：\(CompoundType.allCases.map(\.nameZH).joined(separator: "、"))",
                    "Unknown compound type; use one of: \(CompoundType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        let address = cell(.compoundAddress)
        if address.count > 200 {
            errors.add(line, DwellingColumn.compoundAddress.rawValue, "小区地址最长 200 个字符", "A compound address has at most 200 characters")
        } else {
            compound.address.take(address.isEmpty ? nil : address, line: line, column: .compoundAddress, of: ofCompound, errors: &errors)
        }
    }

    static func readDwelling(cell: (DwellingColumn) -> String, line: Int, into dwelling: inout Dwelling, errors: inout ErrorList) {
        let floorsText = cell(.floors)
        if !floorsText.isEmpty {
            if let floors = Int(floorsText), (1...200).contains(floors) {
                dwelling.floors.take(floors, line: line, column: .floors, of: ofDwelling, errors: &errors)
            } else {
                errors.add(line, DwellingColumn.floors.rawValue, "总层数须为 1–200 的整数", "Floors must be a whole number from 1 to 200")
            }
        }
        for (slot, column) in DwellingColumn.areas.enumerated() {
            let text = cell(column)
            guard !text.isEmpty else { continue }
            do {
                let area = try FloorArea(parsingSquareMetres: text)
                dwelling.areas[slot].take(area, line: line, column: column, of: ofDwelling, errors: &errors)
            } catch {
                errors.add(line, column.rawValue, error.messageZH, error.messageEN)
                dwelling.unreadableArea = true
            }
        }
        for column in [DwellingColumn.developerHeld, .unsold, .undelivered] {
            guard let value = flag(cell(column)) else {
                errors.add(
                    line, column.rawValue, "“\(column.headerZH)”须填“是”或“否”（或留空表示否）",
                    "“\(column.rawValue)” must be yes or no (empty means no)")
                continue
            }
            switch column {
            case .developerHeld: dwelling.developerHeld.take(value, line: line, column: column, of: ofDwelling, errors: &errors)
            case .unsold: dwelling.unsold.take(value, line: line, column: column, of: ofDwelling, errors: &errors)
            default: dwelling.undelivered.take(value, line: line, column: column, of: ofDwelling, errors: &errors)
            }
        }
    }
}
