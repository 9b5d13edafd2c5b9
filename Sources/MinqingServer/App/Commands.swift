import Fluent
import Foundation
import MinqingDomain
import Vapor

/// The command line: `minqing --help` lists these.
func registerCommands(_ app: Application) {
    app.asyncCommands.use(ServeCommand(), as: "serve", isDefault: true)
    app.asyncCommands.use(MigrateNowCommand(), as: "migrate")
    app.asyncCommands.use(UserCommands(), as: "user")
    app.asyncCommands.use(AuditCommands(), as: "audit")
    app.asyncCommands.use(ImportCommands(), as: "import")
    app.asyncCommands.use(ExportCommands(), as: "export")
    app.asyncCommands.use(BallotCommands(), as: "ballot")
    app.asyncCommands.use(CasesCommands(), as: "cases")
    app.asyncCommands.use(NotificationsCommands(), as: "notifications")
    app.asyncCommands.use(Open311Commands(), as: "open311")
    app.asyncCommands.use(RetentionCommands(), as: "retention")
    app.asyncCommands.use(ServicesCommands(), as: "services")
}

/// A command-line failure: printed, and the process exits non-zero.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
}

/// `minqing serve [--hostname H] [--port P]`: migrates, then serves HTTP until SIGINT or SIGTERM.
/// The `minqing` executable replaces it with the demo target's `serve`, which adds `--demo`.
package struct ServeCommand: AsyncCommand {
    package struct Signature: CommandSignature {
        @Option(name: "hostname", short: "H", help: "Address to listen on (default 127.0.0.1).")
        var hostname: String?
        @Option(name: "port", short: "p", help: "Port to listen on (default 8080).")
        var port: Int?
        package init() {}
    }

    package var help: String { "Runs the web server (migrations first)." }

    package func run(using context: CommandContext, signature: Signature) async throws {
        try await context.application.autoMigrate()
        try await Self.serve(context, hostname: signature.hostname, port: signature.port)
    }

    /// Serves HTTP on the application's server until SIGINT or SIGTERM.
    package static func serve(_ context: CommandContext, hostname: String?, port: Int?) async throws {
        var arguments = ["minqing"]
        if let hostname { arguments += ["--hostname", hostname] }
        if let port { arguments += ["--port", String(port)] }
        var serveContext = context
        serveContext.input = CommandInput(arguments: arguments)
        let serve = await context.application.servers.asyncCommand
        let delivery = NotificationDelivery.startLoop(context.application)
        defer { delivery?.cancel() }
        let app = context.application
        Task {
            do {
                let n = try await Notifications.resumeFanouts(on: app.db)
                if n > 0 { app.logger.info("notifications: \(n) written by fan-outs resumed after a stop") }
            } catch {
                app.logger.warning("notifications: resuming fan-outs failed: \(String(describing: error).prefix(300))")
            }
        }
        try await serve.run(using: &serveContext)
    }
}

/// `minqing migrate`: applies pending migrations without asking.
struct MigrateNowCommand: AsyncCommand {
    struct Signature: CommandSignature { init() {} }
    var help: String { "Applies pending database migrations." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await context.application.autoMigrate()
        context.console.print("迁移完成 / migrations applied (\(MigrationList.all.count) known): \(context.application.services.config.database.kind)")
    }
}

/// `minqing user add …`.
struct UserCommands: AsyncCommandGroup {
    var help: String { "Manages accounts." }
    var commands: [String: any AnyAsyncCommand] {
        ["add": UserAddCommand(), "unlock": UserUnlockCommand(), "reset-second-factor": UserResetSecondFactorCommand()]
    }
}

/// `minqing user add --username U --role R --scope GRIDCODE [--name N] [--password-stdin]`.
struct UserAddCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "username", help: "Login name (3–32 letters, digits, . _ -).")
        var username: String?
        @Option(name: "role", help: "One of: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
        var role: String?
        @Option(name: "scope", help: "Code of the grid node the account is bound to.")
        var scope: String?
        @Option(name: "name", help: "Display name (defaults to the username).")
        var name: String?
        @Flag(
            name: "password-stdin",
            help: "Read the password from standard input; otherwise an initial password is generated and must be changed at first sign-in.")
        var passwordStdin: Bool
        init() {}
    }
    var help: String { "Creates an account bound to a grid node." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        var missing: [String] = []
        if signature.username == nil { missing.append("--username") }
        if signature.role == nil { missing.append("--role") }
        if signature.scope == nil { missing.append("--scope") }
        guard missing.isEmpty else {
            throw CommandFailure(description: "缺少参数 / missing: \(missing.joined(separator: ", "))")
        }
        var password: String?
        if signature.passwordStdin {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw CommandFailure(description: "标准输入中没有密码 / no password on standard input")
            }
            password = line
        }
        let created = try await AccountService.create(
            NewAccount(
                username: signature.username!, displayName: signature.name ?? signature.username!, role: signature.role!,
                scopeCode: signature.scope!, password: password, mustChangePassword: password == nil),
            by: .console, app: app, on: app.db, now: app.services.now())
        context.console.print("已创建账号 / created account \(created.username)")
        if let initial = created.initialPassword {
            context.console.print("初始密码（首次登录须修改）/ initial password (must be changed at first sign-in): \(initial)")
        }
    }
}

/// `minqing user unlock --username U`: lifts the sign-in locks on an account (audited).
struct UserUnlockCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "username", help: "The account to unlock.")
        var username: String?
        init() {}
    }
    var help: String { "Lifts the sign-in throttle's locks on an account." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let raw = signature.username, case let .success(username) = Username.normalize(raw) else {
            throw CommandFailure(description: "缺少或无效的 --username / missing or invalid --username")
        }
        let now = app.services.now()
        try await app.db.write { db in
            try await LoginCounters.unlock(username: username, on: db)
            try await AuditLog.append(
                AuditEntry(
                    action: "account.unlocked", actorName: "console", targetType: "account",
                    targetID: username), at: now, on: db)
        }
        context.console.print("已解除登录限制 / unlocked \(username)")
    }
}

/// `minqing user reset-second-factor --username U`: for the one administrator who lost their
/// phone and their recovery codes (a manager resets other accounts on the accounts page).
struct UserResetSecondFactorCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "username", help: "The account whose second factor goes.")
        var username: String?
        init() {}
    }
    var help: String { "Removes an account's second factor and ends its sessions; it enrols again at its next sign-in (audited)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let raw = signature.username, case let .success(username) = Username.normalize(raw) else {
            throw CommandFailure(description: "缺少或无效的 --username / missing or invalid --username")
        }
        guard let accountID = try await AccountQueries.accountID(username: username, on: app.db) else {
            throw CommandFailure(description: "没有这个账号 / no such account: \(username)")
        }
        let now = app.services.now()
        try await app.db.write { db in
            try await SecondFactorQueries.deleteSecret(accountID, on: db)
            try await SecondFactorQueries.deleteRecoveryCodes(accountID, on: db)
            try await SessionQueries.deleteSessions(account: accountID, on: db)
            try await AuditLog.append(
                AuditEntry(
                    action: "second_factor.reset", actorName: "console", targetType: "account",
                    targetID: username), at: now, on: db)
        }
        context.console.print("已重置动态口令 / second factor reset for \(username)")
    }
}

/// `minqing audit verify`.
struct AuditCommands: AsyncCommandGroup {
    var help: String { "Checks the audit trail." }
    var commands: [String: any AnyAsyncCommand] { ["verify": AuditVerifyCommand(), "export": AuditExportCommand()] }
}

/// `minqing audit export --from YYYY-MM-DD --to YYYY-MM-DD [--log audit|access] [--output FILE]`.
struct AuditExportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "from", help: "First day (YYYY-MM-DD, Asia/Shanghai).") var from: String?
        @Option(name: "to", help: "Last day, included.") var to: String?
        @Option(name: "log", help: "audit (default) or access.") var log: String?
        @Option(name: "output", help: "Write the CSV to this file instead of standard output.") var output: String?
        init() {}
    }
    var help: String { "Exports the audit trail or the access log of a period as CSV (audited)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let period = try AuditExport.period(from: signature.from, to: signature.to, log: signature.log)
        let (text, rows) = try await AuditExport.csv(period, on: app.db)
        let now = app.services.now()
        try await app.db.write { db in
            try await AuditLog.append(
                AuditEntry(
                    action: "audit.exported", actorName: "console", targetType: "log", targetID: period.log.rawValue,
                    detail: ["from": DisplayTime.format(period.from), "to": DisplayTime.format(period.to), "rows": String(rows)]),
                at: now, on: db)
        }
        if let output = signature.output {
            guard FileManager.default.createFile(atPath: output, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw CommandFailure(description: "无法写入 / cannot write \(output)")
            }
            context.console.print("\(rows) 行 / rows → \(output)")
        } else {
            context.console.print(text)
        }
    }
}

struct AuditVerifyCommand: AsyncCommand {
    struct Signature: CommandSignature { init() {} }
    var help: String { "Recomputes the audit hash chain; exits non-zero and names the first bad row if it is broken." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        // No migrations here: checking a restored backup must not change it.
        let result = try await AuditLog.verify(on: app.db)
        if result.isIntact {
            context.console.print("审计链完整 / audit chain intact: \(result.checked) rows checked")
        } else {
            throw CommandFailure(
                description: "审计链被破坏 / audit chain broken at row \(result.firstBadSeq.map(String.init) ?? "?"): \(result.reason ?? "")")
        }
    }
}
