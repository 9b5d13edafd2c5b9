import Fluent
import Foundation
import MinqingDomain
import Vapor

/// `minqing services slots [--weeks N]`: every 约空间 resource's slots for the next N weeks (default
/// 4, at most 12) from its opening hours, for a timer (cron, systemd). Views of a resource top
/// its slots up too; generation only adds what is missing, so both may run.
struct ServicesCommands: AsyncCommandGroup {
    var help: String { "约空间 and the other services (智慧临小二)." }
    var commands: [String: any AnyAsyncCommand] { ["slots": ServicesSlotsCommand()] }
}

struct ServicesSlotsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "weeks", help: "Weeks ahead, today included (1–12, default 4).")
        var weeks: Int?
        init() {}
    }

    var help: String { "Generates every resource's slots for the coming weeks from its opening hours; prints how many were new." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let weeks = signature.weeks ?? SlotService.defaultWeeks
        guard SlotService.weeks.contains(weeks) else {
            throw CommandFailure(description: "周数须为 1 到 12 / --weeks must be from 1 to 12")
        }
        try await app.autoMigrate()
        let now = app.services.now(), calendar = app.services.calendar
        let created = try await app.db.write { db in
            try await SlotService.generateAll(weeks: weeks, now: now, calendar: calendar, on: db)
        }
        context.console.print(
            "新增时段 \(created) 个（\(weeks) 周）/ \(created) new slot\(created == 1 ? "" : "s") for \(weeks) week\(weeks == 1 ? "" : "s")")
    }
}
