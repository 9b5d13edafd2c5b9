import Foundation
import MinqingBenchSupport
import MinqingServer

/// `minqing-bench [--scale S] [--database sqlite|postgresql|sqlite,postgresql] [--postgres-url URL]
///                [--only PREFIX[,PREFIX…]] [--json FILE] [--markdown FILE]`
///
/// For each database in turn: loads the demo into a fresh database (a new SQLite file; a new
/// PostgreSQL schema, dropped afterwards), measures, and prints a table. With `--json` it writes
/// `{"machine": {...}, "results": [{"name","database","unit","n","p50","p95","p99","value"}]}`;
/// with `--markdown` it writes the figures with the issues' bars (met / missed), the machine, the
/// commit and this command into that file's section for this scale (docs/benchmarks.md).
/// Times are server time in milliseconds, measured around the same query functions the
/// handlers call. Build it in release: `swift build -c release --product minqing-bench`.

struct Options {
    var scale = 1.0
    var databases = ["sqlite"]
    var postgresURL = ProcessInfo.processInfo.environment["MINQING_BENCH_POSTGRES_URL"]
    var only: String?
    var json: String?
    var markdown: String?
}

func parseOptions() -> Options {
    var options = Options()
    var args = CommandLine.arguments.dropFirst().makeIterator()
    while let arg = args.next() {
        switch arg {
        case "--scale": options.scale = args.next().flatMap(Double.init) ?? options.scale
        case "--database": options.databases = (args.next() ?? "sqlite").split(separator: ",").map(String.init)
        case "--postgres-url": options.postgresURL = args.next()
        case "--only": options.only = args.next()
        case "--json": options.json = args.next()
        case "--markdown": options.markdown = args.next()
        case "--help", "-h":
            print(
                "usage: minqing-bench [--scale S] [--database sqlite|postgresql|sqlite,postgresql] [--postgres-url URL] [--only PREFIX[,PREFIX…]] [--json FILE] [--markdown FILE]"
            )
            exit(0)
        default:
            FileHandle.standardError.write(Data("unknown option \(arg)\n".utf8))
            exit(2)
        }
    }
    return options
}

struct Result: Codable {
    var name: String
    var database: String
    var unit: String
    var n: Int
    var p50: Double?
    var p95: Double?
    var p99: Double?
    var value: Double?
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
    return sorted[max(0, min(sorted.count - 1, rank))]
}

@MainActor func timed(_ samples: Int, warmup: Int = 20, _ body: (Int) async throws -> Void) async throws -> [Double] {
    for i in 0..<warmup { try await body(i) }
    var times: [Double] = []
    times.reserveCapacity(samples)
    for i in 0..<samples {
        let start = DispatchTime.now().uptimeNanoseconds
        try await body(i + warmup)
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
    }
    return times.sorted()
}

let options = parseOptions()
var results: [Result] = []
/// The database being measured now.
var currentDatabase = options.databases.first ?? "sqlite"
var context = RunContext()
/// Records the percentiles of `times` (any order: sorted here, as concurrent samples arrive unsorted).
@MainActor func record(_ name: String, unit: String = "ms", times: [Double]) {
    let times = times.sorted()
    results.append(
        Result(
            name: name, database: currentDatabase, unit: unit, n: times.count,
            p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), value: nil))
}
@MainActor func record(_ name: String, unit: String, value: Double) {
    results.append(Result(name: name, database: currentDatabase, unit: unit, n: 1, p50: nil, p95: nil, p99: nil, value: value))
}
@MainActor func wanted(_ name: String) -> Bool {
    options.only.map { $0.split(separator: ",").contains { name.hasPrefix($0) } } ?? true
}

/// One database's run: a fresh database, the demo, every wanted measure.
@MainActor func run(on name: String) async throws {
    let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("minqing-bench-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: dataDir) }
    let database: DatabaseSetting
    var schema: String?
    switch name {
    case "sqlite": database = .sqliteFile(path: dataDir + "/minqing.sqlite")
    case "postgresql":
        guard let url = options.postgresURL else {
            FileHandle.standardError.write(Data("--database postgresql needs --postgres-url or MINQING_BENCH_POSTGRES_URL\n".utf8))
            exit(2)
        }
        schema = "bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        database = .postgres(url: url, schema: schema)
    default:
        FileHandle.standardError.write(Data("--database must be sqlite, postgresql or both separated by a comma\n".utf8))
        exit(2)
    }
    let before = RunContext.loadAverage()
    let app = try await BenchHooks.makeApp(database: database, dataDirectory: dataDir)
    context.versions[name] = try await BenchHooks.databaseVersion(app)
    print("minqing-bench: \(name), scale \(options.scale)")
    let loadStart = Date()
    let records = try await BenchHooks.loadDemo(app, scale: options.scale)
    let loadSeconds = Date().timeIntervalSince(loadStart)
    record("registry.demo_load", unit: "s", value: loadSeconds)
    record("registry.demo_records", unit: "count", value: Double(records))
    print(String(format: "  demo loaded: %d register records in %.1f s", records, loadSeconds))

    let actor = try await BenchHooks.staffActor(app)
    if wanted("registry.id_lookup") {
        let ids = try await BenchHooks.sampleIDNumbers(app, count: 1000, seed: 1)
        var found = 0
        let times = try await timed(1000) { i in if try await BenchHooks.lookup(app, idNumber: ids[i % ids.count], as: actor) { found += 1 } }
        guard found > 0 else { throw NSError(domain: "bench", code: 1, userInfo: [NSLocalizedDescriptionKey: "lookups found nobody"]) }
        record("registry.id_lookup", times: times)
    }
    if wanted("registry.smart_group") {
        let tags = try await BenchHooks.usedTagCodes(app)
        var nodes = [
            try await BenchHooks.nodeCodes(app, level: "subdistrict"), try await BenchHooks.nodeCodes(app, level: "block"),
            try await BenchHooks.nodeCodes(app, level: "residential_area"), try await BenchHooks.nodeCodes(app, level: "micro_grid")
        ]
        .flatMap { $0 }.filter { $0.hasPrefix("310106019") }
        nodes.shuffle()
        let operators = [" AND ", " OR ", " AND NOT "]
        var seed: UInt64 = 42
        func next() -> Int { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int(seed >> 33) }
        let expressions: [String] = (0..<200).map { _ in
            let count = 1 + next() % 5
            var text = tags[next() % min(tags.count, 60)]
            for _ in 1..<count { text += operators[next() % operators.count] + tags[next() % min(tags.count, 60)] }
            return text
        }
        let times = try await timed(500) { i in
            _ = try await BenchHooks.smartGroup(app, expression: expressions[i % expressions.count], node: nodes[i % nodes.count], as: actor)
        }
        record("registry.smart_group", times: times)
    }
    // MINQING_BENCH_STEPS=1 also prints the process's resident memory after each phase.
    func memory(after phase: String) {
        guard ProcessInfo.processInfo.environment["MINQING_BENCH_STEPS"] != nil else { return }
        print(String(format: "  resident memory after %@: %.0f MB", phase, BenchHooks.residentMemoryMB()))
    }
    memory(after: "the demo load")
    try await benchRegistry(app: app)
    memory(after: "registry")
    // The visit log's measures run on the demo as loaded, before the import adds 30,000 households.
    try await benchVisits(app: app)
    memory(after: "visits")
    try await benchVoting(app: app)
    memory(after: "voting")
    try await benchCases(app: app)
    memory(after: "cases")
    try await benchOpen311(app: app)
    memory(after: "open311")
    try await benchDashboard(app: app)
    try await benchResidents(app: app)
    try await benchFanout(app: app)
    try await benchSignup(app: app)
    try await benchServices(app: app)
    if wanted("registry.import_persons") {
        let (csv, persons) = try await BenchHooks.personsCSV(app, households: Int(30_000 * options.scale), firstNumber: 500_000)
        let start = Date()
        let (rows, errors) = try await BenchHooks.importPersons(app, csv: csv)
        let seconds = Date().timeIntervalSince(start)
        guard errors == 0, rows == persons else {
            throw NSError(domain: "bench", code: 2, userInfo: [NSLocalizedDescriptionKey: "import: \(errors) errors, \(rows) of \(persons) rows"])
        }
        record("registry.import_persons", unit: "s", value: seconds)
        record("registry.import_persons_rows", unit: "count", value: Double(rows))
        print(String(format: "  imported %d persons in %.1f s", rows, seconds))
    }
    record("server.peak_rss_mb", unit: "MB", value: BenchHooks.peakMemoryMB())
    context.loads[name] = (before, RunContext.loadAverage())
    if let schema { try await BenchHooks.dropSchema(app, schema) }
    try await app.asyncShutdown()
}

struct Machine: Codable { var cpus: Int; var memory_gb: Double; var os: String }
struct Report: Codable {
    var machine: Machine
    var results: [Result]
    var versions: [String: String]?
    var loads: [String: [String]]?
}

/// Several databases: each in its own child process (this program with one `--database` and a
/// `--json` file), so one database's memory and caches do not weigh on the next one's figures.
@MainActor func runChildren() throws {
    for name in options.databases {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("minqing-bench-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        var arguments = ["--scale", String(options.scale), "--database", name, "--json", file]
        if let url = options.postgresURL { arguments += ["--postgres-url", url] }
        if let only = options.only { arguments += ["--only", only] }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        child.arguments = arguments
        try child.run()
        child.waitUntilExit()
        guard child.terminationStatus == 0 else {
            throw NSError(domain: "bench", code: 3, userInfo: [NSLocalizedDescriptionKey: "the \(name) run failed (exit \(child.terminationStatus))"])
        }
        let report = try JSONDecoder().decode(Report.self, from: Data(contentsOf: URL(fileURLWithPath: file)))
        results += report.results
        for (db, version) in report.versions ?? [:] { context.versions[db] = version }
        for (db, load) in report.loads ?? [:] where load.count == 2 { context.loads[db] = (load[0], load[1]) }
    }
}

do {
    if options.databases.count > 1 {
        try runChildren()
    } else {
        for name in options.databases {
            currentDatabase = name
            try await run(on: name)
        }
    }
} catch {
    FileHandle.standardError.write(Data("bench failed: \(error)\n".utf8))
    exit(1)
}

print("")
print("name".padding(toLength: 30, withPad: " ", startingAt: 0) + "db          unit      n      p50      p95      p99    value")
for r in results {
    func f(_ v: Double?) -> String { v.map { String(format: "%8.2f", $0) } ?? "       -" }
    print(
        r.name.padding(toLength: 30, withPad: " ", startingAt: 0) + r.database.padding(toLength: 12, withPad: " ", startingAt: 0)
            + r.unit.padding(toLength: 6, withPad: " ", startingAt: 0) + String(format: "%5d", r.n) + " " + f(r.p50) + " " + f(r.p95) + " " + f(r.p99)
            + " " + f(r.value))
}
if let path = options.json {
    let machine = Machine(
        cpus: ProcessInfo.processInfo.activeProcessorCount,
        memory_gb: (Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824 * 10).rounded() / 10,
        os: ProcessInfo.processInfo.operatingSystemVersionString)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(
        Report(
            machine: machine, results: results, versions: context.versions,
            loads: context.loads.mapValues { [$0.before, $0.after] })
    ).write(to: URL(fileURLWithPath: path))
    print("wrote \(path)")
}
if let path = options.markdown {
    try MarkdownReport.write(
        MarkdownReport.section(results: results, scale: options.scale, databases: options.databases, context: context),
        scale: options.scale, to: path)
    print("wrote \(path) (scale \(options.scale) section)")
}
