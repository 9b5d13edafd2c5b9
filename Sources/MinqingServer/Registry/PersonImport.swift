import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The columns of a persons file (居民导入模板), one person a row. Headers may be Chinese or
/// English; rows with the same 户号 form one household.
enum PersonColumn: String, ImportColumn {
    case householdKey = "household_key"
    case node
    case address
    case name
    case sex
    case birthDate = "birth_date"
    case idNumber = "id_number"
    case phone
    case relation
    case residenceStatus = "residence_status"
    case movedInOn = "moved_in_on"

    /// The Chinese header the template and the export use.
    var headerZH: String {
        switch self {
        case .householdKey: "户号"
        case .node: "楼组编码"
        case .address: "地址"
        case .name: "姓名"
        case .sex: "性别"
        case .birthDate: "出生日期"
        case .idNumber: "身份证号"
        case .phone: "手机号"
        case .relation: "与户主关系"
        case .residenceStatus: "居住状态"
        case .movedInOn: "迁入日期"
        }
    }

    /// Other headers offices write for the same column.
    var synonyms: [String] {
        switch self {
        case .householdKey: ["户编号", "户代码", "household"]
        case .node: ["楼组", "楼组代码", "网格编码", "node_code"]
        case .address: ["住址", "居住地址", "现住址"]
        case .name: []
        case .sex: ["gender"]
        case .birthDate: ["出生年月日", "birthday"]
        case .idNumber: ["身份证号码", "公民身份号码", "证件号码"]
        case .phone: ["手机号码", "手机", "联系电话", "mobile"]
        case .relation: ["关系", "relation_to_head"]
        case .residenceStatus: ["人口类型", "居住类型"]
        case .movedInOn: ["迁入时间", "入住日期", "moved_in"]
        }
    }

    /// Columns without which no row can be read. The others may be missing or empty: sex and birth
    /// date then come from the ID number.
    var isRequired: Bool {
        switch self {
        case .sex, .birthDate, .phone, .movedInOn: false
        default: true
        }
    }
}

/// Imports persons with their households from a CSV file (居民批量导入): every row is checked,
/// every problem reported with its line; then all rows are written in one transaction, or none.
///
/// Checks per row: name; the ID number (GB 11643 check character, 15-digit legacy numbers, x/Ｘ);
/// birth date and sex, when given, against the ID number; mobile number; relation to the head and
/// residence status (Chinese or English labels); dates. Per household (rows sharing a 户号; an
/// empty 户号 continues the household of the row above, as merged cells in Excel leave it): one
/// building group inside the caller's scope, one address, exactly one head, 1–30 members. Across
/// the file and the register: no ID number twice, none already registered (looked up in batches
/// through the blind index; the unique index refuses any that slip in at the same time).
package enum PersonImport {
    /// Most rows one file may hold (the demo subdistrict has ~90,000 people).
    static let maxRows = 200_000
    static let maxMembers = 30

    /// A row after reading; nil fields were missing or wrong (and an error names them).
    struct Row: Sendable {
        var line: Int
        /// Index into the file's households; nil when the row's 户号 could not be read.
        var household: Int?
        var name: String?
        var sex: Sex?
        var birthDate: CivilDate?
        var id: ResidentIDNumber?
        var phone: MobileNumber?
        var relation: HouseholdRelation?
        var residence: ResidenceStatus?
        var movedIn: CivilDate?
    }

    /// A household of the file: its key and rows, its building group and address.
    struct Household: Sendable {
        var key: String
        var firstLine: Int
        var rows: [Int] = []
        var nodeCode: String?
        var nodeLine: Int = 0
        var address: String?
        var addressLine: Int = 0
        var node: GridNodeSummary?
    }

    /// Reads, checks and, unless `dryRun` or anything is wrong, writes the file.
    package static func run(
        _ input: ImportInput, dryRun: Bool, authority: RegisterAuthority, vault: PIIVault,
        now: Date, on db: any Database
    ) async throws -> ImportReport {
        var report = ImportReport(dry_run: dryRun, encoding: nil, rows: 0, households: 0, errors: [])
        guard let (table, columns) = ImportHeader.open(input, as: PersonColumn.self, maxRows: maxRows, report: &report) else {
            return report
        }
        var errors = ErrorList()
        let today = CivilDate.today(now: now)
        var rows: [Row] = []
        rows.reserveCapacity(table.rows.count)
        var households: [Household] = []
        var householdIndex: [String: Int] = [:]
        var labels = LabelCache()
        for record in table.rows {
            func cell(_ column: PersonColumn) -> String {
                guard let index = columns[column] else { return "" }
                return ImportCell.trimmed(record.fields[index])
            }
            var row = readRow(line: record.line, cell: cell, today: today, labels: &labels, into: &errors)
            // The household: by key, or the one of the row above when the key is empty.
            let key = cell(.householdKey)
            var index: Int?
            if key.isEmpty {
                if let previous = rows.last {
                    index = previous.household // nil if that row's key was bad (already reported)
                } else {
                    errors.add(
                        record.line, PersonColumn.householdKey.rawValue, "请填写户号（同户成员填同一户号）",
                        "Enter the household key (the same for all members of a household)")
                }
            } else if key.count > 64 {
                errors.add(record.line, PersonColumn.householdKey.rawValue, "户号最长 64 个字符", "A household key has at most 64 characters")
            } else if let known = householdIndex[key] {
                index = known
            } else {
                index = households.count
                householdIndex[key] = households.count
                households.append(Household(key: key, firstLine: record.line))
            }
            if let index {
                row.household = index
                households[index].rows.append(rows.count)
                takeHouseholdValues(of: record.line, node: cell(.node), address: cell(.address), into: &households[index], errors: &errors)
            }
            rows.append(row)
        }
        report.households = households.count

        checkHouseholds(households, rows: rows, into: &errors)
        try await resolveNodes(&households, authority: authority, on: db, into: &errors)
        checkDuplicateIDs(rows, into: &errors)

        // The blind indexes, for the register check. A real run with nothing wrong so far seals
        // now (the seal holds the same index); otherwise the index alone is enough.
        let sealing = !dryRun && errors.isEmpty
        let sealed = try await seal(rows, numbersOnly: !sealing, vault: vault)
        let elsewhere = try await checkRegistered(rows, sealed: sealed, authority: authority, on: db, into: &errors)

        report.errors = errors.sorted(columns: PersonColumn.allCases.map(\.rawValue))
        guard sealing, report.errors.isEmpty else { return report }
        do {
            try await write(
                rows, households: households, sealed: sealed, elsewhere: elsewhere, authority: authority,
                encoding: report.encoding ?? "", now: now, on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw AppError.conflict(
                "导入期间有身份证号码被登记，未写入任何数据；请重新预检后再导入",
                "An ID number in the file was registered meanwhile; nothing was written. Check the file again and retry")
        }
        return report
    }

    // MARK: Reading

    /// Labels already looked up: a file holds a handful of spellings thousands of times.
    struct LabelCache {
        var relations: [String: HouseholdRelation?] = [:]
        var residences: [String: ResidenceStatus?] = [:]

        mutating func relation(_ text: String) -> HouseholdRelation? {
            if let known = relations[text] { return known }
            let value = HouseholdRelation(label: text)
            relations[text] = .some(value)
            return value
        }

        mutating func residence(_ text: String) -> ResidenceStatus? {
            if let known = residences[text] { return known }
            let value = ResidenceStatus(label: text)
            residences[text] = .some(value)
            return value
        }
    }

    static func readRow(
        line: Int, cell: (PersonColumn) -> String, today: CivilDate, labels: inout LabelCache,
        into errors: inout ErrorList
    ) -> Row {
        var row = Row(line: line)
        func fail(_ column: PersonColumn, _ zh: String, _ en: String) {
            errors.add(line, column.rawValue, zh, en)
        }
        let name = cell(.name)
        if name.isEmpty || name.count > 40 { fail(.name, "姓名须为 1–40 个字符", "The name must have 1 to 40 characters") } else { row.name = name }

        do {
            row.id = try ResidentIDNumber(parsing: cell(.idNumber), today: today)
        } catch {
            fail(.idNumber, error.messageZH, error.messageEN)
        }
        let sexText = cell(.sex)
        if sexText.isEmpty {
            row.sex = row.id?.sex
        } else if let sex = ImportCell.sex(sexText) {
            row.sex = sex
            if let id = row.id, id.sex != sex { fail(.sex, "性别与身份证号码不一致", "The sex does not match the ID number") }
        } else {
            fail(.sex, "性别须为“男”或“女”", "Sex must be 男/male or 女/female")
        }
        let birthText = cell(.birthDate)
        if birthText.isEmpty {
            row.birthDate = row.id?.birthDate
        } else if let birth = ImportCell.date(birthText) {
            row.birthDate = birth
            if let id = row.id, id.birthDate != birth {
                fail(.birthDate, "出生日期与身份证号码不一致", "The birth date does not match the ID number")
            }
        } else {
            fail(
                .birthDate, "出生日期须为有效日期，如 1956-03-12、1956/3/12 或 1956年3月12日",
                "The birth date must be a real date such as 1956-03-12, 1956/3/12 or 1956年3月12日")
        }
        let phoneText = cell(.phone)
        if !phoneText.isEmpty {
            do { row.phone = try MobileNumber(parsing: phoneText) } catch { fail(.phone, error.messageZH, error.messageEN) }
        }
        let relationText = cell(.relation)
        if let relation = labels.relation(relationText) {
            row.relation = relation
        } else {
            fail(
                .relation, relationText.isEmpty ? "请填写与户主关系" : "与户主关系无法识别；可填：\(HouseholdRelation.allCases.map(\.nameZH).joined(separator: "、"))",
                relationText.isEmpty
                    ? "Enter the relation to the head"
                    : "Unknown relation to the head; use one of: \(HouseholdRelation.allCases.map(\.nameEN).joined(separator: ", "))")
        }
        let residenceText = cell(.residenceStatus)
        if let residence = labels.residence(residenceText) {
            row.residence = residence
        } else {
            fail(
                .residenceStatus, residenceText.isEmpty ? "请填写居住状态" : "居住状态无法识别；可填：\(ResidenceStatus.allCases.map(\.nameZH).joined(separator: "、"))",
                residenceText.isEmpty
                    ? "Enter the residence status"
                    : "Unknown residence status; use one of: \(ResidenceStatus.allCases.map(\.nameEN).joined(separator: ", "))")
        }
        let movedText = cell(.movedInOn)
        if !movedText.isEmpty {
            if let moved = ImportCell.date(movedText) {
                if moved > today { fail(.movedInOn, "迁入日期晚于今天", "The moving-in date is in the future") } else { row.movedIn = moved }
            } else {
                fail(.movedInOn, "迁入日期须为有效日期，如 2008-05-01", "The moving-in date must be a real date such as 2008-05-01")
            }
        }
        return row
    }
}
