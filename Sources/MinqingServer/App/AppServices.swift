import Foundation
import MinqingDomain
import Vapor

/// The application's shared services, set once in `configure`.
public struct AppServices: Sendable {
    public var config: AppConfig
    public var vault: PIIVault
    /// The clock; tests replace it. Store UTC, show Asia/Shanghai.
    public var now: @Sendable () -> Date
    /// A Bcrypt hash (at the configured cost) that matches no password, checked when a username
    /// is unknown so that a wrong username costs as much time as a wrong password.
    public var decoyHash: String
    /// The one working-day calendar of the platform (weekends, holidays, 调休), used by visit
    /// quotas and case deadlines alike.
    public var calendar: WorkingCalendar

    struct Key: StorageKey { typealias Value = AppServices }
}

extension Application {
    public var services: AppServices {
        get {
            guard let services = storage[AppServices.Key.self] else {
                fatalError("configure(_:config:) has not run") // start-up only
            }
            return services
        }
        set { storage[AppServices.Key.self] = newValue }
    }
}

extension Request {
    public var services: AppServices { application.services }
    public var now: Date { application.services.now() }
    /// The client's address as the server saw it (no proxy headers are trusted).
    public var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }
}

/// Times for display: stored in UTC, shown in Asia/Shanghai.
enum DisplayTime {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!

    static func format(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    static func format(milliseconds: Int64) -> String {
        format(Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}
