import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

// What every import shares: the authority it acts for, reading the header line, and the report
// of bad rows with their line numbers.

/// On whose authority an import or export runs: a signed-in account, limited to its subtree, or
/// the command line on the server itself (the whole deployment, or the subtree it names).
package struct RegisterAuthority: Sendable {
    /// nil: the whole deployment (console only).
    var scope: GridScope?
    var actorID: UUID?
    var actorName: String
    var clientAddress: String?
    /// Whether tags marked sensitive may be read and given (PIPL art. 28).
    var seesSensitiveTags: Bool
    /// Whether whole birth dates may be read (`Role.seesFullBirthDates`); otherwise the year only.
    var seesFullBirthDates: Bool

    static func actor(_ actor: Actor, clientAddress: String) -> RegisterAuthority {
        RegisterAuthority(
            scope: actor.scope, actorID: actor.accountID, actorName: actor.auditName, clientAddress: clientAddress,
            seesSensitiveTags: actor.role.seesSensitiveTags, seesFullBirthDates: actor.role.seesFullBirthDates)
    }

    package static func console(scope: GridScope?) -> RegisterAuthority {
        RegisterAuthority(
            scope: scope, actorID: nil, actorName: "console", clientAddress: nil, seesSensitiveTags: true,
            seesFullBirthDates: true)
    }

    /// The scope's root code for audit entries; `*` for the whole deployment.
    var scopeCode: String { scope?.rootCode ?? "*" }
}

/// One bad row (or a problem with the whole file) of an import: the physical line, the column by
/// its API name (`id_number`, `relation`…; `file` and `header` for the file itself) and why, in
/// both languages. Messages never repeat ID or phone numbers.
package struct ImportRowError: Content, Sendable, Equatable {
    var line: Int
    var field: String
    var message: String
    var message_en: String

    init(line: Int, field: String, zh: String, en: String) {
        self.line = line
        self.field = field
        self.message = zh
        self.message_en = en
    }

    /// `line N: field: 中文 / English`, as the command line prints it.
    var consoleLine: String { "line \(line): \(field): \(message) / \(message_en)" }
}

/// What an import answers: how many rows (and, for persons, households) the file holds and, in a
/// real run without errors, wrote; and every problem found. Nothing is written when `errors` is
/// not empty.
package struct ImportReport: Content, Sendable, Equatable {
    var dry_run: Bool
    /// The encoding the file was read in (`utf-8` or `gb18030`); nil if it could not be read.
    var encoding: String?
    package var rows: Int
    /// Persons and households files: the households the file holds.
    var households: Int?
    package var errors: [ImportRowError]
    /// Households files: the heads the file names (persons written with their households).
    var persons: Int? = nil
    /// Dwellings files: the dwellings the file holds, and the owners it names (new and known).
    var dwellings: Int? = nil
    var owners: Int? = nil

    /// Whether the rows were written (a real run without errors).
    var written: Bool { !dry_run && errors.isEmpty }
}

/// The problems found so far, in the order found.
struct ErrorList: Sendable {
    private(set) var items: [ImportRowError] = []

    mutating func add(_ line: Int, _ field: String, _ zh: String, _ en: String) {
        items.append(ImportRowError(line: line, field: field, zh: zh, en: en))
    }

    var isEmpty: Bool { items.isEmpty }

    /// By line, then in the order of `columns` (API names; others first), then as found.
    func sorted(columns: [String]) -> [ImportRowError] {
        let order = Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        return items.enumerated().sorted { a, b in
            if a.element.line != b.element.line { return a.element.line < b.element.line }
            let x = order[a.element.field] ?? -1, y = order[b.element.field] ?? -1
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
    }
}

/// The columns of one kind of import file: each has an API name (the raw value, used in error
/// reports and English headers), a Chinese header, and other headers offices write for it.
protocol ImportColumn: RawRepresentable, CaseIterable, Hashable, Sendable where RawValue == String, AllCases == [Self] {
    var headerZH: String { get }
    var synonyms: [String] { get }
    var isRequired: Bool { get }
}

extension ImportColumn {
    /// `户号/household_key`, for messages.
    var bothNames: String { "\(headerZH)/\(rawValue)" }

    /// The column a header names, or nil. Surrounding spaces, `*` required-markers, ASCII case
    /// and spaces or dashes in English names do not matter.
    static func matching(header: String) -> Self? {
        let key = ImportHeader.normalized(header)
        for column in allCases where ([column.rawValue, column.headerZH] + column.synonyms).contains(where: { ImportHeader.normalized($0) == key }) {
            return column
        }
        return nil
    }
}

/// Reading a file's first line and the file itself.
enum ImportHeader {
    static func normalized(_ header: String) -> String {
        header.trimmingCharacters(in: .whitespaces)
            .replacingOccurrences(of: "*", with: "").replacingOccurrences(of: "＊", with: "")
            .replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
            .lowercased()
    }

    /// The position of each known column; errors (on line 1) for unknown, repeated and missing
    /// required columns, and nil if there are any. Unknown columns are refused rather than
    /// skipped so that no data the office meant to load is silently dropped.
    static func read<Column: ImportColumn>(_ header: [String], as _: Column.Type, into errors: inout ErrorList) -> [Column: Int]? {
        var columns: [Column: Int] = [:]
        var ok = true
        for (offset, name) in header.enumerated() {
            guard let column = Column.matching(header: name) else {
                let quoted = ImportCell.quotable(name)
                errors.add(
                    1, "header",
                    "第\(offset + 1)列\(quoted.map { "“\($0)”" } ?? "")不是可识别的列名；可用：\(Column.allCases.map(\.headerZH).joined(separator: "、"))",
                    "Column \(offset + 1)\(quoted.map { " “\($0)”" } ?? "") is not a known column; use: \(Column.allCases.map(\.rawValue).joined(separator: ", "))"
                )
                ok = false
                continue
            }
            if let first = columns[column] {
                errors.add(
                    1, column.rawValue, "第\(first + 1)列和第\(offset + 1)列都是“\(column.bothNames)”",
                    "Columns \(first + 1) and \(offset + 1) are both “\(column.bothNames)”")
                ok = false
            }
            columns[column] = offset
        }
        for column in Column.allCases where column.isRequired && columns[column] == nil {
            errors.add(1, column.rawValue, "缺少必填列“\(column.bothNames)”", "The required column “\(column.bothNames)” is missing")
            ok = false
        }
        return ok ? columns : nil
    }

    /// Decodes and parses the upload and reads its header; on any problem, the report carries it
    /// and the result is nil. At most `maxRows` rows, and at least one.
    static func open<Column: ImportColumn>(
        _ input: ImportInput, as _: Column.Type, maxRows: Int,
        report: inout ImportReport
    ) -> (table: CSVTable, columns: [Column: Int])? {
        var errors = ErrorList()
        defer { report.errors = errors.sorted(columns: Column.allCases.map(\.rawValue)) }
        let text: String
        do {
            let decoded = try input.decoded()
            text = decoded.text
            report.encoding = decoded.encoding.rawValue
        } catch {
            errors.add(error.line ?? 1, "file", error.messageZH, error.messageEN)
            return nil
        }
        let table: CSVTable
        do {
            table = try CSVTable(parsing: text)
        } catch {
            errors.add(error.line, "file", error.messageZH, error.messageEN)
            return nil
        }
        guard let columns = read(table.header, as: Column.self, into: &errors) else { return nil }
        report.rows = table.rows.count
        guard !table.rows.isEmpty, table.rows.count <= maxRows else {
            let (zh, en) =
                table.rows.isEmpty
                ? ("文件只有表头，没有数据行", "The file has a header but no rows")
                : ("一个文件最多 \(maxRows) 行，请分成几个文件导入", "A file may hold at most \(maxRows) rows; split it")
            errors.add(table.rows.first?.line ?? 2, "file", zh, en)
            return nil
        }
        return (table, columns)
    }
}

/// Every check of an import file that writes nothing (a dry run, the wizard's first step) is
/// audited and counted against a budget per account: a file's check reads the register for
/// thousands of numbers at once, so it must leave a trace and cannot be repeated at will.
enum ImportChecks {
    /// 60 checks an hour per account.
    static let budget = LoginThrottlePolicy(maxFailures: 60, windowSeconds: 3600, lockSeconds: 3600)

    static func audited(_ importer: @escaping RegistryTransferController.Importer, kind: String) -> RegistryTransferController.Importer {
        { input, dryRun, authority, vault, now, db in
            guard dryRun else { return try await importer(input, dryRun, authority, vault, now, db) }
            if let account = authority.actorID {
                try await charge("import-check:\(account.uuidString)", policy: budget, now: now, on: db)
            }
            let report = try await importer(input, dryRun, authority, vault, now, db)
            try await db.write { db in
                try await AuditLog.append(
                    AuditEntry(
                        action: "registry.import_checked", actorID: authority.actorID, actorName: authority.actorName,
                        targetType: "grid_node", targetID: authority.scopeCode,
                        detail: ["kind": kind, "rows": String(report.rows), "errors": String(report.errors.count)],
                        clientAddress: authority.clientAddress), at: now, on: db)
            }
            return report
        }
    }

    /// Counts one use of `key` under `policy`; 429 once the budget is spent.
    static func charge(
        _ key: String, policy: LoginThrottlePolicy, now: Date, what: (zh: String, en: String) = ("检查", "checks"), on db: any Database
    ) async throws {
        let seconds = Int64(now.timeIntervalSince1970)
        let wait: Int64? = try await db.write { db in
            let counters = try await LoginCounters.lockAndLoad([key], now: seconds, on: db)
            if let wait = policy.retryAfter(counters[key], now: seconds) { return wait }
            try await LoginCounters.recordFailure(key, policy: policy, now: seconds, on: db)
            return nil
        }
        if let wait {
            let minutes = max(1, (wait + 59) / 60)
            throw AppError(
                .tooManyRequests, code: "too_many_checks", zh: "\(what.zh)次数过多，请 \(minutes) 分钟后再试",
                en: "Too many \(what.en); try again in \(minutes) minute\(minutes == 1 ? "" : "s")", headers: ["Retry-After": "\(wait)"])
        }
    }
}
