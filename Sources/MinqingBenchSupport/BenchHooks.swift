import Fluent
import Foundation
import MinqingDemo
import MinqingDomain
import MinqingServer
import SQLKit
import Vapor

/// The entry points `minqing-bench` measures. They call the same queries the HTTP handlers
/// call, so the figures are server time without the network.
public enum BenchHooks {
    /// A fresh application on the given database, migrated.
    public static func makeApp(database: DatabaseSetting, dataDirectory: String) async throws -> Application {
        let app = try await Application.make(.production)
        app.logger.logLevel = .warning
        let config = AppConfig(
            dataDirectory: dataDirectory, database: database, secretKey: [UInt8](repeating: 7, count: 32),
            demoPassword: "Bench-Pass-2026", bcryptCost: 4, secondFactorRoles: [])
        try await configure(app, config: config)
        try await app.autoMigrate()
        return app
    }

    /// Loads the demo; returns the number of register records written.
    public static func loadDemo(_ app: Application, scale: Double, seed: UInt64 = 20210405) async throws -> Int {
        // MINQING_BENCH_STEPS=1 prints each step of the load with the seconds since its start.
        let started = Date()
        let steps = ProcessInfo.processInfo.environment["MINQING_BENCH_STEPS"] != nil
        let report = try await DemoData.load(
            app, options: .init(scale: scale, seed: seed, people: true), password: "Bench-Pass-2026",
            progress: { step in if steps { print(String(format: "  %7.1f s  ", Date().timeIntervalSince(started)) + step) } })
        return report.register?.records ?? 0
    }

    /// A subdistrict-staff actor (the whole subdistrict) for queries that need one.
    public static func staffActor(_ app: Application) async throws -> BenchActor {
        guard let node = try await GridQueries.node(code: DemoData.subdistrictCode, on: app.db) else {
            throw AppError.notFound()
        }
        return BenchActor(
            actor: Actor(
                accountID: UUID(), username: "bench", displayName: "bench", role: .subdistrictStaff,
                subdistrictID: node.subdistrictID, scope: GridQueries.scope(rootedAt: node), sessionID: UUID(),
                via: "api", csrfToken: "", mustChangePassword: false))
    }

    /// An opaque actor for the bench program.
    public struct BenchActor: Sendable { let actor: Actor }

    /// Plain ID numbers of `count` persons picked with a seed (the bench opens them with the vault).
    public static func sampleIDNumbers(_ app: Application, count: Int, seed: UInt64) async throws -> [String] {
        struct Row: Decodable { var id_cipher: String }
        let rows = try await app.db.sql.raw("SELECT id_cipher FROM persons ORDER BY id LIMIT 20000").all(decoding: Row.self)
        var rng = SeededGenerator(seed: seed)
        return try (0..<min(count, rows.count)).map { _ in
            try app.services.vault.open(rows[Int(rng.next() % UInt64(rows.count))].id_cipher, kind: .idNumber)
        }
    }

    /// One lookup by ID number through the blind index, inside the actor's scope.
    public static func lookup(_ app: Application, idNumber: String, as actor: BenchActor) async throws -> Bool {
        let id = try ResidentIDNumber(parsing: idNumber)
        let index = app.services.vault.blindIndex(id.normalized, kind: .idNumber)
        return try await RegistryQueries.person(idIndex: index, role: actor.actor.role, in: actor.actor.scope, on: app.db) != nil
    }

    /// Grid node codes of the given level (for picking random scopes).
    public static func nodeCodes(_ app: Application, level: String) async throws -> [String] {
        struct Row: Decodable { var code: String }
        return try await app.db.sql.raw("SELECT code FROM grid_nodes WHERE level = \(bind: level) ORDER BY code").all(decoding: Row.self).map(\.code)
    }

    /// Tag codes that are in use, most common first.
    public static func usedTagCodes(_ app: Application) async throws -> [String] {
        struct Row: Decodable { var code: String }
        return try await app.db.sql.raw(
            """
            SELECT t.code FROM tags t JOIN tag_assignments a ON a.tag_id = t.id GROUP BY t.code ORDER BY COUNT(*) DESC
            """
        ).all(decoding: Row.self).map(\.code)
    }

    /// One smart-group page (50 members and the total) for an expression inside a node.
    public static func smartGroup(_ app: Application, expression: String, node: String, as actor: BenchActor) async throws -> Int {
        let criteria = SmartGroupQueries.Criteria(expression: expression, node: node, min_age: nil, max_age: nil, sex: nil)
        return try await SmartGroupQueries.members(criteria, actor: actor.actor, today: CivilDate.today(), limit: 50, offset: 0, on: app.db).total
    }

    /// The database's name and version, as the server reports it.
    public static func databaseVersion(_ app: Application) async throws -> String {
        struct V: Decodable { var v: String }
        if app.db.dialectName == "postgresql" {
            struct S: Decodable { var server_version: String }
            return "PostgreSQL " + (try await app.db.sql.raw("SHOW server_version").first(decoding: S.self)?.server_version ?? "?")
        }
        return "SQLite " + (try await app.db.sql.raw("SELECT sqlite_version() AS v").first(decoding: V.self)?.v ?? "?")
    }

    /// Drops the PostgreSQL schema a bench run made (its tables with it).
    public static func dropSchema(_ app: Application, _ schema: String) async throws {
        try await app.db.sql.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
    }

    /// Peak resident memory of this process, MB (from /proc/self/status VmHWM).
    public static func peakMemoryMB() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kb = Double(line.split(separator: " ").dropFirst().first(where: { Double($0) != nil }) ?? "")
        else { return 0 }
        return kb / 1024
    }

    /// A persons CSV (UTF-8 with BOM, Chinese headers) of `households` generated households
    /// numbered from `firstNumber` (beyond the demo's, so no ID number repeats), spread over the
    /// demo's building groups.
    public static func personsCSV(_ app: Application, households: Int, firstNumber: Int) async throws -> (csv: String, persons: Int) {
        let groups = try await nodeCodes(app, level: "building_group").filter { $0.hasPrefix(DemoData.subdistrictCode) }
        var rng = SeededGenerator(seed: 77)
        let today = CivilDate.today()
        var rows: [[String]] = []
        for index in 0..<households {
            let household = DemoPopulation.household(number: firstNumber + index, using: &rng, today: today)
            let group = groups[index * groups.count / households]
            for member in household.members {
                rows.append([
                    "H\(index)", group, "\(group) \(index) 号", member.name, member.sex.labelZH, member.birthDate.iso8601,
                    member.idNumber, member.phone ?? "", member.relation.nameZH, household.residence.nameZH, ""
                ])
            }
        }
        let csv = CSVTable.write(
            header: ["户号", "楼组编码", "地址", "姓名", "性别", "出生日期", "身份证号", "手机号", "与户主关系", "居住状态", "迁入日期"],
            rows: rows)
        return (csv, rows.count)
    }

    /// Imports a persons CSV for the whole deployment; returns (rows, errors).
    public static func importPersons(_ app: Application, csv: String) async throws -> (rows: Int, errors: Int) {
        let report = try await PersonImport.run(
            .text(csv), dryRun: false, authority: .console(scope: nil), vault: app.services.vault,
            now: Date(), on: app.db)
        return (report.rows, report.errors.count)
    }
}
