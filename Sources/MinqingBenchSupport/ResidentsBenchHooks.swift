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
}
