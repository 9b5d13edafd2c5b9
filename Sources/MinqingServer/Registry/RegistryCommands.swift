import Fluent
import Foundation
import MinqingDomain
import Vapor

/// `minqing import …`: loads register files on the server itself (console authority: the whole
/// deployment, or the subtree `--scope` names).
struct ImportCommands: AsyncCommandGroup {
    var help: String { "Imports register files (CSV in UTF-8 or GB18030)." }
    var commands: [String: any AnyAsyncCommand] { Self.kinds }

    /// One `ImportCommand` per kind of register file.
    static let kinds: [String: ImportCommand] = [
        // Persons with their households; rows with the same 户号/household_key form a household.
        "persons": ImportCommand(
            help: "Imports persons with their households from a CSV file; all rows or none.",
            importer: PersonImport.run),
        // Tag assignments (身份证号, 标签, 开始日期, 结束日期, 来源); see `TagAssignmentImport`.
        "tags": ImportCommand(
            help: "Imports tag assignments (person by ID number, tag by code or name) from a CSV file; all rows or none.",
            importer: TagAssignmentImport.run),
        // Households (楼组编码, 地址, optional 单元/室号 of a registered dwelling, 迁入日期, optional head).
        "households": ImportCommand(
            help: "Imports households (with their head, if given) from a CSV file; all rows or none.",
            importer: HouseholdImport.run),
        // Dwellings with compound, building, unit, room, areas in m², flags and owners (one owner a row).
        "dwellings": ImportCommand(
            help: "Imports dwellings with their compounds, buildings and owners from a CSV file; all rows or none.",
            importer: DwellingImport.run)
    ]
}

/// `minqing export …`.
struct ExportCommands: AsyncCommandGroup {
    var help: String { "Exports the register as CSV (UTF-8 with BOM, numbers masked)." }
    var commands: [String: any AnyAsyncCommand] { ["persons": ExportPersonsCommand(), "dwellings": ExportDwellingsCommand()] }
}

/// The console's authority over `--scope CODE`, or the whole deployment without it.
private func consoleAuthority(scope code: String?, on db: any Database) async throws -> RegisterAuthority {
    guard let code, !code.isEmpty else { return .console(scope: nil) }
    guard let node = try await GridQueries.node(code: code, on: db) else {
        throw CommandFailure(description: "网格节点不存在 / no grid node with code \(code)")
    }
    return .console(scope: GridQueries.scope(rootedAt: node))
}

/// `minqing import KIND FILE.csv [--dry-run] [--encoding auto|utf-8|gb18030] [--scope CODE]`:
/// checks every row and writes all or none. Every bad row is printed as
/// `line N: field: 中文 / English`, and the command exits non-zero if there is any.
struct ImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "The CSV file (UTF-8 or GB18030), one record a row, with a header row.")
        var file: String
        @Flag(name: "dry-run", help: "Check every row and report; write nothing.")
        var dryRun: Bool
        @Option(name: "encoding", help: "auto (default: UTF-8 if valid, else GB18030), utf-8 or gb18030.")
        var encoding: String?
        @Option(name: "scope", help: "Code of a grid node: the import is limited to its subtree (default: the whole deployment).")
        var scope: String?
        init() {}
    }

    let help: String
    let importer: RegistryTransferController.Importer

    func run(using context: CommandContext, signature: Signature) async throws {
        try await runImport(
            context, file: signature.file, dryRun: signature.dryRun, encoding: signature.encoding,
            scope: signature.scope, importer)
    }
}

/// Reads the file, runs the importer on the console's authority, prints every bad row and a
/// summary; throws (non-zero exit) when any row is bad.
private func runImport(
    _ context: CommandContext, file: String, dryRun: Bool, encoding option: String?, scope: String?,
    _ importer: RegistryTransferController.Importer
) async throws {
    let app = context.application
    guard let encoding = ImportEncoding(option: option ?? "auto") else {
        throw CommandFailure(description: "\(ImportEncoding.optionError.messageZH) / \(ImportEncoding.optionError.messageEN)")
    }
    let data: Data
    do {
        data = try Data(contentsOf: URL(fileURLWithPath: file))
    } catch {
        throw CommandFailure(description: "无法读取文件 / cannot read \(file)")
    }
    try await app.autoMigrate()
    let authority = try await consoleAuthority(scope: scope, on: app.db)
    let started = Date()
    let report = try await importer(.bytes(Array(data), encoding), dryRun, authority, app.services.vault, app.services.now(), app.db)
    for line in report.consoleLines(seconds: Date().timeIntervalSince(started)) { context.console.print(line) }
    if !report.errors.isEmpty {
        throw CommandFailure(description: "\(report.errors.count) 处错误，未写入任何数据 / \(report.errors.count) problems; nothing was written")
    }
}

extension ImportReport {
    /// What the import commands print: every bad row as `line N: field: 中文 / English`, then a
    /// summary line.
    func consoleLines(seconds: Double) -> [String] {
        var lines = errors.map(\.consoleLine)
        var zh = "\(rows) 行", en = "\(rows) rows"
        if let households {
            zh += " \(households) 户"
            en += ", \(households) households"
        }
        if let persons {
            zh += " \(persons) 人"
            en += ", \(persons) persons"
        }
        if let dwellings {
            zh += " \(dwellings) 套房屋"
            en += ", \(dwellings) dwellings"
        }
        if let owners {
            zh += " \(owners) 位业主"
            en += ", \(owners) owners"
        }
        let read = "\(zh)（\(encoding ?? "?")）/ \(en) (\(encoding ?? "?"))"
        if !errors.isEmpty {
            lines.append("检查未通过，未写入任何数据 / check failed, nothing written: \(read), \(errors.count) problems")
        } else if dry_run {
            lines.append("检查通过，未写入（--dry-run）/ all rows are good, nothing written (--dry-run): \(read)")
        } else {
            lines.append("已导入 / imported \(read) in \(String(format: "%.1f", seconds)) s")
        }
        return lines
    }
}

/// `minqing export persons [--scope CODE] [--output FILE] [--lang zh|en]`: masked CSV of the
/// persons under the node (default: everyone), to standard output or a file. Audited.
struct ExportPersonsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "scope", help: "Code of a grid node; default: the whole deployment.")
        var scope: String?
        @Option(name: "output", short: "o", help: "Write to this file instead of standard output.")
        var output: String?
        @Option(name: "lang", help: "zh (default: Chinese headers and labels) or en (API names and values).")
        var lang: String?
        init() {}
    }

    var help: String { "Exports persons as CSV (UTF-8 with BOM, ID and phone numbers masked)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        let authority = try await consoleAuthority(scope: signature.scope, on: app.db)
        let result = try await PersonExport.export(
            node: nil, plain: false, purpose: nil, lang: Lang(option: signature.lang) ?? .zh,
            authority: authority, vault: app.services.vault, now: app.services.now(), on: app.db)
        let data = Data(result.csv.utf8)
        if let path = signature.output {
            do {
                try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw CommandFailure(description: "无法写入文件 / cannot write \(path)")
            }
            context.console.print("已导出 / exported \(result.rows) persons to \(path)")
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}

/// `minqing export dwellings [--scope CODE] [--output FILE] [--lang zh|en]`: dwellings with their
/// owners as CSV (owners' numbers masked), the columns the dwellings import reads. Audited.
struct ExportDwellingsCommand: AsyncCommand {
    typealias Signature = ExportPersonsCommand.Signature

    var help: String { "Exports dwellings and their owners as CSV (UTF-8 with BOM, owners' numbers masked)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        let authority = try await consoleAuthority(scope: signature.scope, on: app.db)
        let result = try await DwellingExport.export(
            node: nil, lang: Lang(option: signature.lang) ?? .zh, authority: authority,
            now: app.services.now(), on: app.db)
        let data = Data(result.csv.utf8)
        if let path = signature.output {
            do {
                try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw CommandFailure(description: "无法写入文件 / cannot write \(path)")
            }
            context.console.print("已导出 / exported \(result.rows) rows to \(path)")
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}
