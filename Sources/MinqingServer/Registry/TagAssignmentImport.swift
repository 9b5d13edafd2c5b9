import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The columns of a tag-assignments file (标签导入模板): one assignment a row, the person named by
/// their ID number, the tag by its code or its Chinese name.
enum TagColumn: String, ImportColumn {
    case idNumber = "id_number"
    case tag
    case startsOn = "starts_on"
    case endsOn = "ends_on"
    case source

    var headerZH: String {
        switch self {
        case .idNumber: "身份证号"
        case .tag: "标签"
        case .startsOn: "开始日期"
        case .endsOn: "结束日期"
        case .source: "来源"
        }
    }

    var synonyms: [String] {
        switch self {
        case .idNumber: ["身份证号码", "公民身份号码", "证件号码"]
        case .tag: ["标签编码", "标签名称", "tag_code", "code"]
        case .startsOn: ["起始日期", "开始时间", "start"]
        case .endsOn: ["截止日期", "结束时间", "end"]
        case .source: ["数据来源"]
        }
    }

    var isRequired: Bool { self == .idNumber || self == .tag }
}

/// Imports tag assignments (批量贴标签): every row checked and reported with its line, then all
/// written in one transaction or none. The person must be registered inside the caller's scope
/// (found through the blind index, a few thousand per query); a sensitive tag is unknown to a
/// role that may not see it; a person keeps at most one current assignment of a tag, so a
/// current row is refused when the register or an earlier row of the file already has one.
/// Rows with an end date load history.
enum TagAssignmentImport {
    static let maxRows = 500_000

    /// The `source` values, with the Chinese labels a file may use.
    static let sources: [String: String] = [
        "manual": "manual", "手工": "manual", "手工录入": "manual",
        "visit": "visit", "走访": "visit",
        "import": "import", "导入": "import",
        "self_report": "self_report", "自报": "self_report", "本人申报": "self_report",
        "system": "system", "系统": "system"
    ]

    struct Row: Sendable {
        var line: Int
        var id: ResidentIDNumber?
        var tagText: String
        var startsOn: CivilDate?
        var endsOn: CivilDate?
        var source = "import"
        var idIndex: String?
        var person: Person?
        var tag: UUID?

        /// Still in force on `today` (no end, or an end after today).
        func isCurrent(on today: CivilDate) -> Bool { endsOn.map { $0 > today } ?? true }
    }

    struct Person: Decodable, Sendable { var id: UUID; var id_index: String; var grid_node_id: UUID; var subdistrict_id: UUID? }

    static func run(
        _ input: ImportInput, dryRun: Bool, authority: RegisterAuthority, vault: PIIVault,
        now: Date, on db: any Database
    ) async throws -> ImportReport {
        var report = ImportReport(dry_run: dryRun, encoding: nil, rows: 0, households: nil, errors: [])
        guard let (table, columns) = ImportHeader.open(input, as: TagColumn.self, maxRows: maxRows, report: &report) else {
            return report
        }
        let today = CivilDate.today(now: now)
        var errors = ErrorList()
        var rows: [Row] = []
        rows.reserveCapacity(table.rows.count)
        for record in table.rows {
            func cell(_ column: TagColumn) -> String {
                columns[column].map { ImportCell.trimmed(record.fields[$0]) } ?? ""
            }
            func fail(_ column: TagColumn, _ zh: String, _ en: String) { errors.add(record.line, column.rawValue, zh, en) }
            var row = Row(line: record.line, tagText: cell(.tag))
            do { row.id = try ResidentIDNumber(parsing: cell(.idNumber), today: today) } catch { fail(.idNumber, error.messageZH, error.messageEN) }
            if row.tagText.isEmpty { fail(.tag, "请填写标签编码或名称", "Enter the tag's code or name") }
            let start = cell(.startsOn)
            if start.isEmpty {
                row.startsOn = today
            } else if let date = ImportCell.date(start) {
                if date > today { fail(.startsOn, "开始日期晚于今天", "The start date is in the future") } else { row.startsOn = date }
            } else {
                fail(.startsOn, "开始日期须为有效日期，如 2024-03-01", "The start date must be a real date such as 2024-03-01")
            }
            let end = cell(.endsOn)
            if !end.isEmpty {
                if let date = ImportCell.date(end) {
                    row.endsOn = date
                    if let begun = row.startsOn, date < begun {
                        fail(.endsOn, "结束日期早于开始日期", "The end date is before the start date")
                    }
                } else {
                    fail(.endsOn, "结束日期须为有效日期，如 2025-12-31", "The end date must be a real date such as 2025-12-31")
                }
            }
            let source = cell(.source)
            if !source.isEmpty {
                if let known = sources[source.lowercased()] {
                    row.source = known
                } else {
                    fail(.source, "来源无法识别；可填：手工、走访、导入、自报、系统", "Unknown source; use manual, visit, import, self_report or system")
                }
            }
            rows.append(row)
        }

        try await resolveTags(&rows, authority: authority, on: db, into: &errors)
        try await resolvePersons(&rows, authority: authority, vault: vault, on: db, into: &errors)
        try await checkCurrent(rows, today: today, on: db, into: &errors)

        report.errors = errors.sorted(columns: TagColumn.allCases.map(\.rawValue))
        guard !dryRun, report.errors.isEmpty else { return report }
        do {
            try await write(rows, today: today, authority: authority, encoding: report.encoding ?? "", now: now, on: db)
        } catch let late as LateConflict {
            report.errors = late.errors.sorted(columns: TagColumn.allCases.map(\.rawValue))
        }
        return report
    }

    /// Tags by code, or by Chinese name when no code matches and the name is unique; sensitive
    /// tags only for roles that may see them.
    static func resolveTags(_ rows: inout [Row], authority: RegisterAuthority, on db: any Database, into errors: inout ErrorList) async throws {
        let texts = Array(Set(rows.map(\.tagText).filter { !$0.isEmpty }))
        var byCode: [String: UUID] = [:]
        var byName: [String: [UUID]] = [:]
        for batch in ImportBatch.slices(texts, of: 1_000) {
            let tags = try await RegistryQueries.importTags(matching: Array(batch), seesSensitiveTags: authority.seesSensitiveTags, on: db)
            for tag in tags {
                byCode[tag.code] = tag.id
                if !byName[tag.name_zh, default: []].contains(tag.id) { byName[tag.name_zh, default: []].append(tag.id) }
            }
        }
        for index in rows.indices where !rows[index].tagText.isEmpty {
            let text = rows[index].tagText
            if let id = byCode[text] {
                rows[index].tag = id
            } else if let ids = byName[text], ids.count == 1 {
                rows[index].tag = ids[0]
            } else if let ids = byName[text], ids.count > 1 {
                errors.add(
                    rows[index].line, TagColumn.tag.rawValue, "有多个标签叫这个名称，请填写标签编码",
                    "Several tags have this name; use the tag's code")
            } else {
                let quoted = ImportCell.quotable(text)
                errors.add(
                    rows[index].line, TagColumn.tag.rawValue, "标签\(quoted.map { "“\($0)”" } ?? "")不存在",
                    "No such tag\(quoted.map { " “\($0)”" } ?? "")")
            }
        }
    }

    /// Each row's person, through the blind index, inside the authority's scope.
    static func resolvePersons(
        _ rows: inout [Row], authority: RegisterAuthority, vault: PIIVault, on db: any Database,
        into errors: inout ErrorList
    ) async throws {
        for index in rows.indices {
            if let id = rows[index].id { rows[index].idIndex = vault.blindIndex(id.normalized, kind: .idNumber) }
        }
        let indexes = Array(Set(rows.compactMap(\.idIndex)))
        var persons: [String: Person] = [:]
        for batch in ImportBatch.slices(indexes, of: 2_000) {
            // Persons under an open identity hold are found by the number they were registered with.
            let found = try await RegistryQueries.importPersons(indexes: Array(batch), authority: authority, on: db)
            for person in found { persons[person.id_index] = person }
        }
        for index in rows.indices {
            guard let key = rows[index].idIndex else { continue }
            if let person = persons[key] {
                rows[index].person = person
            } else {
                errors.add(
                    rows[index].line, TagColumn.idNumber.rawValue, "该身份证号码未登记，或不在您的管辖范围内",
                    "No person with this ID number in your scope")
            }
        }
    }

    /// At most one current assignment of a tag per person, counting the register and the file.
    static func checkCurrent(_ rows: [Row], today: CivilDate, on db: any Database, into errors: inout ErrorList) async throws {
        typealias Pair = RegistryQueries.AssignmentPair
        let current = rows.filter { $0.person != nil && $0.tag != nil && $0.isCurrent(on: today) }
        var registered = Set<Pair>()
        for batch in ImportBatch.slices(Array(Set(current.compactMap { $0.person?.id })), of: 2_000) {
            let found = try await RegistryQueries.currentPairs(persons: Array(batch), today: today, on: db)
            registered.formUnion(found)
        }
        var seen: [Pair: Int] = [:]
        for row in current {
            guard let person = row.person?.id, let tag = row.tag else { continue }
            let pair = Pair(person_id: person, tag_id: tag)
            if registered.contains(pair) {
                errors.add(row.line, TagColumn.tag.rawValue, "该居民已有此标签（尚未结束）", "The person already has this tag (not ended)")
            } else if let first = seen[pair] {
                errors.add(
                    row.line, TagColumn.tag.rawValue, "与第\(first)行重复：同一居民的同一标签只能有一条未结束的记录",
                    "Repeats line \(first): a person has at most one current assignment of a tag")
            } else {
                seen[pair] = row.line
            }
        }
    }

    static let columns = [
        "id", "subdistrict_id", "person_id", "tag_id", "grid_node_id", "starts_on", "ends_on", "source",
        "created_by", "ended_by", "created_at"
    ]

    /// Assignments made by someone else between the check and the write (found again under the
    /// write lock): nothing is written, and the rows are reported.
    struct LateConflict: Error { var errors: ErrorList }

    static func write(
        _ rows: [Row], today: CivilDate, authority: RegisterAuthority, encoding: String, now: Date,
        on db: any Database
    ) async throws {
        var values: [[any SQLExpression]] = []
        values.reserveCapacity(rows.count)
        for row in rows {
            guard let person = row.person, let tag = row.tag, let start = row.startsOn else {
                throw AppError(.internalServerError, code: "import_state", zh: "导入状态错误", en: "Import state error")
            }
            values.append([
                SQLBind(UUID()), bindOrNull(person.subdistrict_id), SQLBind(person.id), SQLBind(tag), SQLBind(person.grid_node_id),
                SQLBind(start.iso8601), bindOrNull(row.endsOn?.iso8601), SQLBind(row.source), SQLBind(authority.actorName),
                row.endsOn == nil ? SQLLiteral.null : SQLBind(authority.actorName), SQLBind(now)
            ])
        }
        let prepared = values
        try await db.write { db in
            var late = ErrorList()
            try await checkCurrent(rows, today: today, on: db, into: &late)
            if !late.isEmpty { throw LateConflict(errors: late) }
            try await RegistryQueries.insertTagAssignments(prepared, on: db)
            try await AuditLog.append(
                AuditEntry(
                    action: "registry.imported", actorID: authority.actorID, actorName: authority.actorName,
                    targetType: "grid_node", targetID: authority.scopeCode,
                    detail: ["kind": "tag_assignments", "rows": String(prepared.count), "encoding": encoding],
                    clientAddress: authority.clientAddress), at: now, on: db)
        }
    }
}
