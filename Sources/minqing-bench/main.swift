import Foundation
import MinqingServer

/// `minqing-bench [--scale S] [--database sqlite|postgresql] [--postgres-url URL] [--only PREFIX] [--json FILE]`
///
/// Loads the demo into a fresh database, measures, prints a table, and with `--json` writes
/// `{"machine": {...}, "results": [{"name","database","unit","n","p50","p95","p99","value"}]}`.
/// Times are server time in milliseconds, measured around the same query functions the
/// handlers call. Build it in release: `swift build -c release --product minqing-bench`.

struct Options {
    var scale = 1.0
    var database = "sqlite"
    var postgresURL = ProcessInfo.processInfo.environment["MINQING_BENCH_POSTGRES_URL"]
    var only: String?
    var json: String?
}

func parseOptions() -> Options {
    var options = Options()
    var args = CommandLine.arguments.dropFirst().makeIterator()
    while let arg = args.next() {
        switch arg {
        case "--scale": options.scale = args.next().flatMap(Double.init) ?? options.scale
        case "--database": options.database = args.next() ?? options.database
        case "--postgres-url": options.postgresURL = args.next()
        case "--only": options.only = args.next()
        case "--json": options.json = args.next()
        case "--help", "-h":
            print("usage: minqing-bench [--scale S] [--database sqlite|postgresql] [--postgres-url URL] [--only PREFIX] [--json FILE]")
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
/// Records the percentiles of `times` (any order: sorted here, as concurrent samples arrive unsorted).
@MainActor func record(_ name: String, unit: String = "ms", times: [Double]) {
    let times = times.sorted()
    results.append(Result(name: name, database: options.database, unit: unit, n: times.count,
                          p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), value: nil))
}
@MainActor func record(_ name: String, unit: String, value: Double) {
    results.append(Result(name: name, database: options.database, unit: unit, n: 1, p50: nil, p95: nil, p99: nil, value: value))
}
@MainActor func wanted(_ name: String) -> Bool { options.only.map { name.hasPrefix($0) } ?? true }

let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("minqing-bench-\(UUID().uuidString)").path
let database: DatabaseSetting
switch options.database {
case "sqlite": database = .sqliteFile(path: dataDir + "/minqing.sqlite")
case "postgresql":
    guard let url = options.postgresURL else {
        FileHandle.standardError.write(Data("--database postgresql needs --postgres-url or MINQING_BENCH_POSTGRES_URL\n".utf8))
        exit(2)
    }
    database = .postgres(url: url, schema: "bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased())
default:
    FileHandle.standardError.write(Data("--database must be sqlite or postgresql\n".utf8))
    exit(2)
}

do {
    let app = try await BenchHooks.makeApp(database: database, dataDirectory: dataDir)
    print("minqing-bench: \(options.database), scale \(options.scale)")
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
        var nodes = [try await BenchHooks.nodeCodes(app, level: "subdistrict"), try await BenchHooks.nodeCodes(app, level: "block"),
                     try await BenchHooks.nodeCodes(app, level: "residential_area"), try await BenchHooks.nodeCodes(app, level: "micro_grid")]
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
    // The visit log's measures run on the demo as loaded, before the import adds 30,000 households.
    try await benchVisits(app: app)
    try await benchVoting(app: app)
    try await benchCases(app: app)
    try await benchOpen311(app: app)
    try await benchDashboard(app: app)
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
    try await app.asyncShutdown()
} catch {
    FileHandle.standardError.write(Data("bench failed: \(error)\n".utf8))
    exit(1)
}
try? FileManager.default.removeItem(atPath: dataDir)

print("")
print("name".padding(toLength: 30, withPad: " ", startingAt: 0) + "db          unit      n      p50      p95      p99    value")
for r in results {
    func f(_ v: Double?) -> String { v.map { String(format: "%8.2f", $0) } ?? "       -" }
    print(r.name.padding(toLength: 30, withPad: " ", startingAt: 0) + r.database.padding(toLength: 12, withPad: " ", startingAt: 0)
          + r.unit.padding(toLength: 6, withPad: " ", startingAt: 0) + String(format: "%5d", r.n) + " " + f(r.p50) + " " + f(r.p95) + " " + f(r.p99) + " " + f(r.value))
}
if let path = options.json {
    struct Machine: Codable { var cpus: Int; var memory_gb: Double; var os: String }
    struct Report: Codable { var machine: Machine; var results: [Result] }
    let machine = Machine(cpus: ProcessInfo.processInfo.activeProcessorCount,
                          memory_gb: (Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824 * 10).rounded() / 10,
                          os: ProcessInfo.processInfo.operatingSystemVersionString)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(Report(machine: machine, results: results)).write(to: URL(fileURLWithPath: path))
    print("wrote \(path)")
}
