import Foundation
import MinqingDomain
import MinqingServer
import Vapor

/// The demo's commands: `minqing demo` and `minqing serve --demo`. The `minqing` executable
/// registers them over the server's own `serve` (see `Sources/minqing/main.swift`).
public enum DemoCommands {
    public static func register(_ app: Application) {
        app.asyncCommands.use(ServeWithDemoCommand(), as: "serve", isDefault: true)
        app.asyncCommands.use(DemoCommand(), as: "demo")
    }
}

/// `minqing serve [--hostname H] [--port P] [--demo]`: migrates, optionally loads the demo into
/// an empty database, then serves HTTP until SIGINT or SIGTERM.
struct ServeWithDemoCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "hostname", short: "H", help: "Address to listen on (default 127.0.0.1).")
        var hostname: String?
        @Option(name: "port", short: "p", help: "Port to listen on (default 8080).")
        var port: Int?
        @Flag(name: "demo", help: "Fill an empty database with the demo subdistrict first.")
        var demo: Bool
        @Option(name: "scale", help: "With --demo: size of the demo register (1 = Linfen Road, ~90,000 people; 0.01 for a quick look).")
        var scale: Double?
        init() {}
    }

    var help: String { "Runs the web server (migrations first; --demo loads the demo into an empty database)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        if signature.demo {
            if try await DemoData.databaseIsEmpty(on: app.db) {
                let started = Date()
                let report = try await DemoData.load(app, options: .init(scale: signature.scale ?? 1), password: app.services.config.demoPassword) {
                    step in
                    context.console.print(DemoProgress.line(step, elapsed: Date().timeIntervalSince(started)))
                }
                context.console.print(DemoData.describe(report))
            } else {
                context.console.print("数据库已有数据，跳过演示数据 / the database is not empty; the demo was not loaded again (its accounts keep their passwords)")
            }
        }
        try await ServeCommand.serve(context, hostname: signature.hostname, port: signature.port)
    }
}

/// `minqing demo [--scale S] [--seed N]`: fills an empty database with the demo subdistrict.
struct DemoCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "scale", help: "Size relative to Linfen Road (1 = ~90,000 people; the register uses it).")
        var scale: Double?
        @Option(name: "seed", help: "Random seed; the same seed gives the same demo.")
        var seed: UInt64?
        init() {}
    }
    var help: String { "Loads the demo subdistrict into an empty database." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        var options = DemoData.Options()
        if let scale = signature.scale { options.scale = scale }
        if let seed = signature.seed { options.seed = seed }
        let started = Date()
        let report = try await DemoData.load(app, options: options, password: app.services.config.demoPassword) { step in
            context.console.print(DemoProgress.line(step, elapsed: Date().timeIntervalSince(started)))
        }
        context.console.print(DemoData.describe(report))
    }
}

/// The demo's progress as the console shows it: each step with the seconds so far, and a bar
/// for the steps that count towards a total ("register: 5000/30600 households").
enum DemoProgress {
    static func line(_ step: String, elapsed: Double) -> String {
        let time = String(format: "%5.1f s", elapsed)
        guard let match = step.firstMatch(of: /(\d+)\/(\d+)/), let done = Int(match.1), let total = Int(match.2), total > 0 else {
            return "  \(time)  \(step)"
        }
        let width = 24
        let filled = min(width, done * width / total)
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        return "  \(time)  [\(bar)] \(String(format: "%3d", min(100, done * 100 / total)))%  \(step)"
    }
}
