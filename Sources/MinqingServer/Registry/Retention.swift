import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Retention (PIPL art. 47): a person who moved out or died more than `years` ago is erased from
/// the register — name, numbers (ciphertext, blind index and mask), birth day and month, tags and
/// the words of their help requests and aid records go; what remains (a birth year, the amounts
/// of aid, the visits' existence) counts in figures without naming anyone. Run by
/// `minqing retention run`, after a dry run that only counts; both are audited.
enum Retention {
    /// The name an erased person keeps.
    static let erasedName = "（已删除）"

    struct Outcome: Sendable, Equatable {
        var persons: Int
        var cutoff: String
    }

    /// Counts (dry run) or erases the persons due, `years` after they left; audited either way.
    static func run(years: Int, dryRun: Bool, today: CivilDate, now: Date, on db: any Database) async throws -> Outcome {
        guard (1...30).contains(years), let cutoff = try? today.adding(days: -years * 365) else {
            throw AppError.validation("years", zh: "保存年限须为 1 到 30 年", en: "years must be from 1 to 30")
        }
        let persons = try await RegistryQueries.retentionDue(before: cutoff, on: db)
        try await db.write { db in
            if !dryRun {
                for batch in ImportBatch.slices(persons, of: 500) {
                    let ids = Array(batch)
                    try await RegistryQueries.erase(ids, erasedName: erasedName, now: now, on: db)
                }
            }
            try await AuditLog.append(
                AuditEntry(
                    action: dryRun ? "retention.checked" : "retention.erased", actorName: "console",
                    targetType: "register", targetID: cutoff.iso8601,
                    detail: ["persons": String(persons.count), "years": String(years)]), at: now, on: db)
        }
        return Outcome(persons: persons.count, cutoff: cutoff.iso8601)
    }
}

/// `minqing retention run [--dry-run] [--years N]`.
struct RetentionCommands: AsyncCommandGroup {
    var help: String { "Erases persons who moved out or died longer ago than the retention period (PIPL art. 47)." }
    var commands: [String: any AnyAsyncCommand] { ["run": RetentionRunCommand()] }
}

struct RetentionRunCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "dry-run", help: "Count who is due and write nothing but the audit entry.") var dryRun: Bool
        @Option(name: "years", help: "Years after moving out or death (default MINQING_RETENTION_YEARS, 3).") var years: Int?
        init() {}
    }
    var help: String { "Erases (or with --dry-run counts) the persons whose retention period has ended; audited." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        let now = app.services.now()
        let years = signature.years ?? app.services.config.retentionYears
        let outcome = try await Retention.run(years: years, dryRun: signature.dryRun, today: CivilDate(now, in: .shanghai), now: now, on: app.db)
        if signature.dryRun {
            context.console.print(
                "到期待删除 / due for erasure: \(outcome.persons) 人 / persons (迁出或死亡早于 / left before \(outcome.cutoff))；未作修改 / nothing changed")
        } else {
            context.console.print("已删除 / erased: \(outcome.persons) 人 / persons (迁出或死亡早于 / left before \(outcome.cutoff))")
        }
    }
}
