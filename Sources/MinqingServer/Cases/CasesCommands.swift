import Fluent
import Foundation
import MinqingDomain
import Vapor

/// `minqing cases escalate`: the overdue pass (超期升级督办), for a timer (cron, systemd). The same
/// pass runs whenever the supervision page is read; it is idempotent, so both may run.
struct CasesCommands: AsyncCommandGroup {
    var help: String { "The case loop (一口汇集、一口派单、一口督办)." }
    var commands: [String: any AnyAsyncCommand] { ["escalate": CasesEscalateCommand()] }
}

struct CasesEscalateCommand: AsyncCommand {
    struct Signature: CommandSignature { init() {} }

    var help: String { "Escalates every case past its deadline one level up, once per missed deadline; prints how many." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        let n = try await CasesSupervision.escalateOverdue(now: app.services.now(), on: app.db)
        context.console.print("升级督办 \(n) 件 / escalated \(n) case\(n == 1 ? "" : "s")")
    }
}
