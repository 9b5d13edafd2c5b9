import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The kinds of register file the import wizard and the API take (导入类型), with their importer,
/// their columns and how the wizard names them.
enum ImportKind: String, CaseIterable, Codable, Sendable {
    case households
    case persons
    case dwellings
    case tags

    var title: T {
        switch self {
        case .households: T("住户", "Households")
        case .persons: T("居民（按户）", "Residents (by household)")
        case .dwellings: T("房屋及业主", "Dwellings and owners")
        case .tags: T("标签记录", "Tag assignments")
        }
    }

    /// What one row of the file is.
    var summary: T {
        switch self {
        case .households:
            T(
                "每行一户：楼组编码、地址，可填房屋的单元和室号、迁入日期和户主信息。",
                "One household a row: building group code and address; optionally the dwelling's unit and room, the moving-in date and the head.")
        case .persons:
            T(
                "每行一人：同户成员填同一户号，每户一名户主；身份证号码必填。",
                "One person a row: members of a household share a household key, one of them the head; ID number required.")
        case .dwellings:
            T(
                "每行一位业主：小区编码、楼组编码、单元、室号、面积（平方米，最多四位小数），开发商持有、未售、未交付；一套房屋多位业主就写多行。",
                "One owner a row: compound code, building group, unit, room, areas (m², at most four decimals), developer-held / unsold / undelivered; one row per owner of a dwelling."
            )
        case .tags:
            T(
                "每行一条标签记录：身份证号码、标签编码或名称、开始和结束日期、来源。",
                "One tag assignment a row: ID number, tag code or name, start and end dates, source.")
        }
    }

    var importer: RegistryTransferController.Importer {
        switch self {
        case .households: ImportChecks.audited(HouseholdImport.run, kind: rawValue)
        case .persons: ImportChecks.audited(PersonImport.run, kind: rawValue)
        case .dwellings: ImportChecks.audited(DwellingImport.run, kind: rawValue)
        case .tags: ImportChecks.audited(TagAssignmentImport.run, kind: rawValue)
        }
    }

    /// The columns in file order: API name and Chinese header.
    var columns: [(name: String, zh: String, required: Bool)] {
        func list<Column: ImportColumn>(_: Column.Type) -> [(name: String, zh: String, required: Bool)] {
            Column.allCases.map { ($0.rawValue, $0.headerZH, $0.isRequired) }
        }
        switch self {
        case .households: return list(HouseholdColumn.self)
        case .persons: return list(PersonColumn.self)
        case .dwellings: return list(DwellingColumn.self)
        case .tags: return list(TagColumn.self)
        }
    }

    /// How a report's `field` reads on the page: the column's Chinese header, or the file itself.
    func fieldLabel(_ field: String) -> T {
        switch field {
        case "file": return T("文件", "file")
        case "header": return T("表头", "header")
        default:
            guard let column = columns.first(where: { $0.name == field }) else { return T(field, field) }
            return T(column.zh, column.name)
        }
    }

    /// The template a person fills in: the header line in `lang` (UTF-8 with BOM, as Excel opens
    /// it; English uses the column names the import reads), required columns marked with `*`
    /// (the reader ignores the mark).
    func template(_ lang: Lang = .zh) -> String {
        CSVTable.write(header: columns.map { ($0.required ? "*" : "") + (lang == .zh ? $0.zh : $0.name) }, rows: [])
    }
}

/// Files that passed the wizard's dry run and wait for the confirmation (导入暂存区), in the
/// `import_uploads` table so that any server of a deployment can finish the import. They hold
/// plain ID numbers, so they are sealed with the vault (bound to their row id); the link between
/// the two steps is a random token of which only the SHA-256 is stored, and only the account that
/// uploaded may use it. A file waits an hour at most; an account keeps at most five; taking one
/// for the real run deletes it in the same statement, so a double submit imports once.
enum ImportUploads {
    static let lifetime: TimeInterval = 60 * 60
    /// The largest file the wizard takes (the API and the command line take larger ones).
    static let maxBytes = 16 << 20
    static let perAccount = 5

    struct Pending: Sendable {
        var kind: ImportKind
        var encoding: ImportEncoding
        var fileName: String
        var rows: Int
        var bytes: [UInt8]
    }

    /// Keeps `bytes` for `account`; returns the token the confirmation sends back.
    static func store(
        _ bytes: [UInt8], kind: ImportKind, encoding: ImportEncoding, fileName: String, rows: Int,
        account: UUID, vault: PIIVault, now: Date, on db: any Database
    ) async throws -> String {
        let token = Secrets.token()
        let id = UUID()
        let sealed = Data(try vault.sealFile(bytes, context: id.uuidString))
        let name = String(fileName.prefix(120))
        try await db.write { db in
            try await RegistryQueries.deleteExpiredUploads(now: now, on: db)
            try await RegistryQueries.trimUploads(account: account, keep: perAccount - 1, on: db)
            try await RegistryQueries.insertUpload(
                id, tokenHash: Secrets.hash(token), account: account, kind: kind, encoding: encoding,
                fileName: name, rows: rows, sealed: sealed, now: now, expiresAt: now.addingTimeInterval(lifetime), on: db)
        }
        return token
    }

    /// Takes the file `token` names for `account` out of the store (deleting it); nil when there
    /// is none: a wrong token, another account's, expired, or already taken.
    static func take(token: String, account: UUID, vault: PIIVault, now: Date, on db: any Database) async throws -> Pending? {
        guard !token.isEmpty, token.count <= 100 else { return nil }
        let row = try await db.write { db in
            try await RegistryQueries.takeUpload(tokenHash: Secrets.hash(token), account: account, on: db)
        }
        guard let row, row.expires_at > now else { return nil }
        let bytes = try vault.openFile(Array(row.sealed), context: row.id.uuidString)
        return Pending(kind: row.kind, encoding: row.encoding, fileName: row.file_name, rows: row.rows, bytes: bytes)
    }
}
