import Foundation
import MinqingServer
import Vapor

/// The resident app's entry points for `minqing-bench`: the same functions the handlers call.
extension BenchHooks {
    /// The resident's home page (what needs them, what is new, the time bank) as `username` sees
    /// it now; returns its size in bytes.
    public static func residentHome(_ app: Application, _ resident: BenchActor) async throws -> Int {
        try await ResidentHomePages.rendered(for: resident.actor, now: app.services.now(), on: app.db)
    }

    /// A notice to every resident of the staff account's subdistrict, in one transaction; how many
    /// notifications it wrote.
    public static func noticeFanout(_ app: Application, _ staff: BenchActor) async throws -> Int {
        try await Notifications.noticeToResidents(
            under: staff.actor.scope.rootID, title: "停水通知（压力测试）", href: "/",
            writer: WriteContext(actor: staff.actor, now: app.services.now()), on: app.db)
    }
}
