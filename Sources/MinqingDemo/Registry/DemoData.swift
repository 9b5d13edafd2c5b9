import Fluent
import Foundation
import MinqingDomain
import MinqingServer
import SQLKit
import Vapor

#if canImport(Glibc)
    import Glibc
#endif

/// The demo subdistrict: Linfen Road's shape (1 subdistrict, 4 blocks, 20 residential areas,
/// 127 micro-grids, 1,912 building groups) under 上海市 › 静安区, and one account per role.
/// The same seed gives the same demo. The register capability adds households and people.
package enum DemoData {
    package struct Options: Sendable {
        package var scale: Double = 1
        package var seed: UInt64 = 20210405
        /// Whether to fill the register (households, persons, tags, aid); tests of other
        /// capabilities load the grid and accounts only.
        package var people: Bool = true

        package init(scale: Double = 1, seed: UInt64 = 20210405, people: Bool = true) {
            self.scale = scale
            self.seed = seed
            self.people = people
        }
    }

    struct DemoAccount: Sendable { var username: String; var role: Role; var scopeCode: String; var scopeName: String }

    package struct Report: Sendable {
        var levelCounts: [GridLevel: Int]
        var accounts: [DemoAccount]
        var password: String
        var passwordWasGenerated: Bool
        var seconds: Double
        package var register: RegistryDemo.Counts?
    }

    static let cityCode = "310000"
    static let districtCode = "310106"
    package static let subdistrictCode = "310106019"

    /// Whether the database holds no grid and no accounts (the demo only goes into an empty one).
    static func databaseIsEmpty(on db: any Database) async throws -> Bool {
        let nodes = try await GridNode.query(on: db).count()
        let accounts = try await Account.query(on: db).count()
        return nodes == 0 && accounts == 0
    }

    /// Builds the demo in one transaction; `progress` is told each step.
    package static func load(
        _ app: Application, options: Options, password: String?,
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws -> Report {
        guard options.scale > 0, options.scale <= 100 else {
            throw AppError.validation("scale", zh: "规模须大于 0 且不超过 100", en: "The scale must be above 0 and at most 100")
        }
        let started = Date()
        let db = app.db
        guard try await databaseIsEmpty(on: db) else {
            throw AppError.conflict("数据库不是空的，演示数据只能装入空数据库", "The database is not empty; the demo loads into an empty database only")
        }
        var rng = SeededGenerator(seed: options.seed)
        let nodes = gridNodes(using: &rng)
        progress("grid: \(nodes.count) nodes")
        let generated = password == nil
        let demoPassword = password ?? AccountService.initialPassword()
        let hash = try await AccessService.hashPassword(demoPassword, app)
        let accounts = demoAccounts(nodes)
        let now = app.services.now()
        let vault = app.services.vault
        let today = CivilDate.today(now: now)
        let calendar = app.services.calendar
        let register: RegistryDemo.Counts? = try await db.write { db in
            let ids = try await GridWriter.insert(nodes, on: db)
            progress("closure written")
            for (index, demo) in accounts.enumerated() {
                guard let nodeID = ids[demo.scopeCode] else { continue }
                let subdistrictID = demo.scopeCode.hasPrefix(subdistrictCode) ? ids[subdistrictCode] : nil
                let account = Account(
                    subdistrictID: subdistrictID, username: demo.username,
                    displayName: displayName(for: demo.role, index: index), role: demo.role,
                    gridNodeID: nodeID, passwordHash: hash, mustChangePassword: false)
                try await account.create(on: db)
            }
            try await AuditLog.append(
                AuditEntry(
                    action: "demo.loaded", actorName: "console",
                    detail: [
                        "seed": String(options.seed), "scale": String(options.scale),
                        "nodes": String(nodes.count), "accounts": String(accounts.count)
                    ]),
                at: now, on: db)
            progress("accounts: \(accounts.count)")
            guard options.people else { return nil }
            // A load of this size re-reads pages it has just spilled from a small page cache; a
            // large one for this transaction only, set back to the connection's own at its end.
            let sqlite = db.sql.dialect.name == "sqlite"
            if sqlite { try await db.sql.raw("PRAGMA cache_size = -262144").run() }
            // The register in bulk, its dashboard counts made once at the end.
            let counts = try await RegisterRollups.loading(on: db) {
                try await RegistryDemo.load(
                    nodes: nodes, ids: ids, scale: options.scale, seed: options.seed, vault: vault,
                    today: today, now: now, progress: progress, on: db)
            }
            progress("register: rollups counted")
            // The dashboard's aid rollup, before anything else touches the tags the schedule follows.
            let rollups = try await AidRollup.loadDemo(today: today, on: db)
            try await AidProgrammes.catalogueAll(now: now, on: db)
            progress("dashboard: \(rollups) aid rollup rows")
            _ = try await VisitsDemo.load(
                ids: ids, scale: options.scale, seed: options.seed, passwordHash: hash, today: today, now: now,
                calendar: calendar, progress: progress, on: db)
            _ = try await VotingDemo.load(seed: options.seed, now: now, calendar: calendar, progress: progress, on: db)
            _ = try await CasesDemo.load(
                ids: ids, scale: options.scale, seed: options.seed, passwordHash: hash, now: now, calendar: calendar,
                progress: progress, on: db)
            _ = try await ServicesDemo.load(seed: options.seed, now: now, progress: progress, on: db)
            _ = try await OversightDemo.load(seed: options.seed, now: now, vault: vault, progress: progress, on: db)
            _ = try await OrganisationsDemo.load(scale: options.scale, seed: options.seed, today: today, now: now, progress: progress, on: db)
            _ = try await ResidentsDemo.load(passwordHash: hash, now: now, progress: progress, on: db)
            _ = try await NotificationsDemo.load(now: now, progress: progress, on: db)
            if sqlite { try await db.sql.raw("PRAGMA cache_size = -\(unsafeRaw: String(DatabaseSetupQueries.sqliteCacheKiB))").run() }
            return counts
        }
        // Fresh statistics, so both planners use the indexes at once (PostgreSQL's autovacuum
        // would only get to it minutes later).
        if register != nil {
            try await DatabaseSetupQueries.analyzeTables(on: db)
            progress("statistics updated")
        }
        // The load's buffers (the 256 MB page cache above, the rows built in memory) are freed by
        // now, but the C allocator keeps freed pages mapped; hand them back, so a server that loaded
        // the demo in-process (`minqing serve --demo`, the bench) does not hold them for its life.
        #if canImport(Glibc)
            if let symbol = dlsym(nil, "malloc_trim") { // glibc's, not in Swift's Glibc module
                _ = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)(0)
            }
        #endif
        var counts: [GridLevel: Int] = [:]
        for node in nodes { counts[node.level, default: 0] += 1 }
        return Report(
            levelCounts: counts, accounts: accounts, password: demoPassword, passwordWasGenerated: generated,
            seconds: Date().timeIntervalSince(started), register: register)
    }

    /// The residential areas of the demo, named after the Shanxi place names of Linfen Road's streets.
    static let areaNames = [
        "临汾", "汾西", "灵石", "阳曲", "保德", "宁武", "岢岚", "闻喜", "静乐", "平陆",
        "沁水", "襄汾", "偏关", "河曲", "五台", "繁峙", "代县", "忻州", "晋城", "绛县"
    ]
    static let streets = ["临汾路", "汾西路", "阳曲路", "场中路", "岭南路", "灵石路", "闻喜路", "保德路", "共和新路", "平型关路"]
    static let blockNames = ["第一街区", "第二街区", "第三街区", "第四街区"]

    /// The grid, parents before children. Micro-grids per area: 7 for the first 7 areas, 6 for the
    /// other 13 (127); building groups per micro-grid: 16 for the first 7, 15 for the rest (1,912).
    static func gridNodes(using rng: inout SeededGenerator) -> [NewGridNode] {
        var nodes: [NewGridNode] = [
            NewGridNode(code: cityCode, name: "上海市", level: .city, parentCode: nil, sortOrder: 0),
            NewGridNode(code: districtCode, name: "静安区", level: .district, parentCode: cityCode, sortOrder: 0),
            NewGridNode(code: subdistrictCode, name: "临汾路街道", level: .subdistrict, parentCode: districtCode, sortOrder: 0)
        ]
        var microGridIndex = 0
        for block in 0..<4 {
            let blockCode = "\(subdistrictCode)-\(block + 1)"
            nodes.append(NewGridNode(code: blockCode, name: blockNames[block], level: .block, parentCode: subdistrictCode, sortOrder: block))
            for areaInBlock in 0..<5 {
                let area = block * 5 + areaInBlock
                let areaCode = "\(blockCode)-\(String(format: "%02d", area + 1))"
                nodes.append(
                    NewGridNode(
                        code: areaCode, name: areaNames[area] + "居民区", level: .residentialArea,
                        parentCode: blockCode, sortOrder: areaInBlock))
                let street = streets[Int(rng.next() % UInt64(streets.count))]
                let grids = area < 7 ? 7 : 6
                for grid in 0..<grids {
                    let gridCode = "\(areaCode)-\(grid + 1)"
                    nodes.append(
                        NewGridNode(
                            code: gridCode, name: "\(areaNames[area])第\(grid + 1)微网格", level: .microGrid,
                            parentCode: areaCode, sortOrder: grid))
                    let lane = 100 + Int(rng.next() % 900)
                    let groups = microGridIndex < 7 ? 16 : 15
                    for group in 0..<groups {
                        nodes.append(
                            NewGridNode(
                                code: "\(gridCode)-\(String(format: "%02d", group + 1))",
                                name: "\(street)\(lane)弄\(group + 1)号", level: .buildingGroup,
                                parentCode: gridCode, sortOrder: group))
                    }
                    microGridIndex += 1
                }
            }
        }
        return nodes
    }

    static func demoAccounts(_ nodes: [NewGridNode]) -> [DemoAccount] {
        let names = Dictionary(nodes.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let area1 = "\(subdistrictCode)-1-01", area2 = "\(subdistrictCode)-1-02"
        let grid1 = "\(area1)-1", group1 = "\(grid1)-01"
        let plan: [(String, Role, String)] = [
            ("admin", .admin, cityCode),
            ("staff", .subdistrictStaff, subdistrictCode),
            ("cadre", .areaCadre, area1),
            ("cadre2", .areaCadre, area2),
            ("gridworker", .gridWorker, grid1),
            ("handler", .departmentHandler, subdistrictCode),
            ("property", .propertyCompany, area1),
            ("committee", .ownersCommittee, area1),
            ("volunteer", .volunteer, area1),
            ("resident", .resident, group1)
        ]
        return plan.map { DemoAccount(username: $0.0, role: $0.1, scopeCode: $0.2, scopeName: names[$0.2] ?? $0.2) }
    }

    static func displayName(for role: Role, index: Int) -> String {
        let names = ["王建国", "李秀英", "张伟", "刘芳", "陈静", "杨磊", "赵敏", "黄海", "周婷", "吴强", "徐丽"]
        return names[index % names.count]
    }

    /// What `serve --demo` and `demo` print.
    static func describe(_ report: Report) -> String {
        var lines = ["演示数据已载入 / demo loaded in \(String(format: "%.1f", report.seconds)) s:"]
        for level in GridLevel.allCases {
            if let n = report.levelCounts[level] { lines.append("  \(level.nameZH) \(level.nameEN): \(n)") }
        }
        if let r = report.register {
            lines.append("  小区 compounds: \(r.compounds), 楼 buildings: \(r.buildings), 房屋 dwellings: \(r.dwellings), 业主 owners: \(r.owners)")
            lines.append("  户 households: \(r.households), 居民 persons: \(r.persons), 标签 tags: \(r.tags), 标签记录 tag assignments: \(r.tagAssignments)")
            lines.append("  求助 help requests: \(r.helpRequests), 救助记录 aid records: \(r.aidRecords); 记录合计 records in all: \(r.records)")
        }
        lines.append(
            "演示账号 / demo accounts (password: \(report.password)\(report.passwordWasGenerated ? ", generated; set MINQING_DEMO_PASSWORD to choose one" : "")):"
        )
        for account in report.accounts {
            lines.append(
                "  \(account.username.padding(toLength: 11, withPad: " ", startingAt: 0)) \(account.role.nameZH) / \(account.role.nameEN) @ \(account.scopeName) (\(account.scopeCode))"
            )
        }
        return lines.joined(separator: "\n")
    }
}
