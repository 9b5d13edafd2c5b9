import Foundation

/// The speed bars the issues set, checked against a run's results, and the Markdown section
/// `--markdown FILE` writes into docs/benchmarks.md (between markers, one section per scale, the
/// rest of the file kept as it is).
struct Bar {
    enum Stat: String { case p95, p99, value }
    var stat: Stat
    var atMost: Double?
    var atLeast: Double?
    /// Only on these databases (nil: every one).
    var databases: Set<String>? = nil

    var text: String {
        let bound = atMost.map { "≤ \(Self.number($0))" } ?? atLeast.map { "≥ \(Self.number($0))" } ?? ""
        let on = databases.map { " (\($0.sorted().joined(separator: ", ")))" } ?? ""
        return stat == .value ? "\(bound)\(on)" : "\(stat.rawValue) \(bound)\(on)"
    }

    static func number(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(v) }

    /// The issues' bars for a measure at a scale (nil: no bar).
    static func of(_ name: String, scale: Double) -> Bar? {
        guard scale == 1 || scale == 10 else { return nil } // the issues set bars at these two scales only
        if scale == 10 {
            // Issue 7: at scale 10 on PostgreSQL, every report p95 ≤ 500 ms.
            if name.hasPrefix("dashboard."), !name.hasPrefix("dashboard.http"), !name.hasPrefix("dashboard.page") {
                return Bar(stat: .p95, atMost: 500, databases: ["postgresql"])
            }
            return nil
        }
        switch name {
        case "registry.demo_load": return Bar(stat: .value, atMost: 60, databases: ["sqlite"])
        case "registry.id_lookup": return Bar(stat: .p95, atMost: 5)
        case "registry.smart_group": return Bar(stat: .p95, atMost: 20)
        case "registry.search": return Bar(stat: .p95, atMost: 20)
        case "registry.import_persons": return Bar(stat: .value, atMost: 30)
        case "visits.compliance_year": return Bar(stat: .p95, atMost: 50)
        case "visits.record": return Bar(stat: .p99, atMost: 50)
        case "voting.cast": return Bar(stat: .p99, atMost: 100)
        case "voting.tally": return Bar(stat: .p95, atMost: 100)
        case "cases.indicators_year": return Bar(stat: .p95, atMost: 50)
        case "cases.board": return Bar(stat: .p95, atMost: 50)
        case "residents.home": return Bar(stat: .p95, atMost: 50)
        case "notifications.fanout": return Bar(stat: .value, atMost: 10)
        case "notifications.fanout_home": return Bar(stat: .p95, atMost: 100)
        case "residents.signup": return Bar(stat: .p99, atMost: 500)
        case "open311.requests_vs_healthz": return Bar(stat: .value, atLeast: 0.3)
        case "services.reservation_rush": return Bar(stat: .p99, atMost: 250)
        case "server.rss_mb": return Bar(stat: .value, atMost: 300)
        default:
            // Issue 21 item 6 (was 200 and 50 in issue 7): the page with the added panels, and every panel.
            if name == "dashboard.page" || name == "dashboard.page.area" { return Bar(stat: .p95, atMost: 100) }
            if name.hasPrefix("dashboard.page_") { return nil } // the page's halves apart
            if name.hasPrefix("dashboard."), !name.hasPrefix("dashboard.http") { return Bar(stat: .p95, atMost: 25) }
            return nil
        }
    }

    /// "met", "missed" or "" when the bar does not apply to the result.
    func verdict(_ r: Result) -> String {
        if let databases, !databases.contains(r.database) { return "" }
        let v: Double?
        switch stat {
        case .p95: v = r.p95
        case .p99: v = r.p99
        case .value: v = r.value
        }
        guard let v else { return "" }
        if let atMost, v > atMost { return "**missed**" }
        if let atLeast, v < atLeast { return "**missed**" }
        return "met"
    }
}

/// What the run was made on, for the report's header.
struct RunContext {
    var started = Date()
    var command = CommandLine.arguments.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
    var loads: [String: (before: String, after: String)] = [:]
    var versions: [String: String] = [:]
    /// Read when the run starts (a scale-10 run lasts half an hour; commits made meanwhile are
    /// not what the binary was built from).
    var commit = RunContext.commit()

    static func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
    }

    static func machine() -> String {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model =
            cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }?.split(separator: ":", maxSplits: 1).last?
            .trimmingCharacters(in: .whitespaces) ?? "?"
        let osRelease = (try? String(contentsOfFile: "/etc/os-release", encoding: .utf8)) ?? ""
        let os =
            osRelease.split(separator: "\n").first { $0.hasPrefix("PRETTY_NAME=") }?.dropFirst("PRETTY_NAME=".count)
            .trimmingCharacters(in: CharacterSet(charactersIn: "\"")) ?? ProcessInfo.processInfo.operatingSystemVersionString
        let memory = Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824
        return "\(ProcessInfo.processInfo.activeProcessorCount) × \(model), \(String(format: "%.1f", memory)) GiB RAM, \(os)"
    }

    /// The commit the binary was built from, when run inside the repository.
    static func commit() -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = ["rev-parse", "--short", "HEAD"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "?" }
        process.waitUntilExit()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, !text.isEmpty else { return "?" }
        let dirty = Process()
        dirty.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        dirty.arguments = ["diff", "--quiet", "HEAD", "--", "Sources", "Package.swift"]
        dirty.standardError = FileHandle.nullDevice
        guard (try? dirty.run()) != nil else { return text }
        dirty.waitUntilExit()
        return dirty.terminationStatus == 0 ? text : text + " (with uncommitted changes)"
    }
}

enum MarkdownReport {
    #if DEBUG
        static let buildKind = "**debug build: not comparable with the bars**"
    #else
        static let buildKind = "release build"
    #endif

    static func section(results: [Result], scale: Double, databases: [String], context: RunContext) -> String {
        let iso = ISO8601DateFormatter()
        let finished = Date()
        var lines: [String] = []
        lines.append("### Scale \(Bar.number(scale)) — \(databases.joined(separator: " and ")) (written by minqing-bench)")
        lines.append("")
        lines.append(
            "- Run: \(iso.string(from: context.started)) to \(iso.string(from: finished)), commit \(context.commit) when it started, \(buildKind).")
        lines.append("- Command: `\(context.command)`")
        lines.append("- Machine: \(RunContext.machine()).")
        for db in databases {
            let load = context.loads[db].map { "load average \($0.before) before, \($0.after) after" } ?? ""
            lines.append("- \(db): \(context.versions[db] ?? "?"); \(load).")
        }
        let missed = results.filter { r in Bar.of(r.name, scale: scale).map { $0.verdict(r) == "**missed**" } ?? false }
        let barred = results.filter { r in Bar.of(r.name, scale: scale).map { !$0.verdict(r).isEmpty } ?? false }
        lines.append(
            "- Bars: \(barred.count - missed.count) of \(barred.count) met"
                + (missed.isEmpty ? "." : "; missed: " + missed.map { "\($0.name) (\($0.database))" }.joined(separator: ", ") + "."))
        lines.append("")
        lines.append("| measure | database | unit | n | p50 | p95 | p99 | value | bar | |")
        lines.append("|---|---|---|---|---|---|---|---|---|---|")
        func f(_ v: Double?) -> String {
            guard let v else { return "" }
            // Ratios and other values below 1 keep three decimals, so 0.298 does not read as 0.30.
            return abs(v) >= 100 ? String(format: "%.0f", v) : abs(v) < 1 ? String(format: "%.3f", v) : String(format: "%.2f", v)
        }
        for r in results.sorted(by: { ($0.name, $0.database) < ($1.name, $1.database) }) {
            let bar = Bar.of(r.name, scale: scale)
            let verdict = bar?.verdict(r) ?? ""
            lines.append(
                "| \(r.name) | \(r.database) | \(r.unit) | \(r.n) | \(f(r.p50)) | \(f(r.p95)) | \(f(r.p99)) | \(f(r.value)) | "
                    + "\(verdict.isEmpty ? "" : bar?.text ?? "") | \(verdict) |")
        }
        return lines.joined(separator: "\n")
    }

    /// Replaces (or appends) the section of this scale in `path`, between its markers.
    static func write(_ section: String, scale: Double, to path: String) throws {
        let begin = "<!-- minqing-bench scale=\(Bar.number(scale)) begin -->"
        let end = "<!-- minqing-bench scale=\(Bar.number(scale)) end -->"
        var text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "# Benchmarks\n"
        let block = "\(begin)\n\(section)\n\(end)"
        if let a = text.range(of: begin), let b = text.range(of: end, range: a.upperBound..<text.endIndex) {
            text.replaceSubrange(a.lowerBound..<b.upperBound, with: block)
        } else {
            text += (text.hasSuffix("\n") ? "\n" : "\n\n") + block + "\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
