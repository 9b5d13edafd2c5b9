import Foundation
import Testing

@testable import MinqingDomain

@Suite("Notification rules: quiet hours, backoff, kinds")
struct NotificationRulesTests {
    /// 2026-11-18 at `hour`:`minute` in Shanghai (UTC+8).
    func shanghai(_ hour: Int, _ minute: Int = 0, dayOffset: Int = 0) -> Date {
        Date(timeIntervalSince1970: 1_794_931_200 + Double(dayOffset * 86_400 + hour * 3600 + minute * 60))
    }

    @Test("quiet hours hold a message from 22:00 to 07:00 Shanghai time, except an urgent one")
    func quietHours() {
        // Daytime and the edges: 07:00 sends, 21:59 sends, 22:00 waits.
        for (hour, minute) in [(7, 0), (10, 30), (21, 59)] {
            #expect(QuietHours.deliveryTime(createdAt: shanghai(hour, minute), urgent: false) == shanghai(hour, minute), "\(hour):\(minute)")
        }
        #expect(QuietHours.deliveryTime(createdAt: shanghai(22, 0), urgent: false) == shanghai(7, 0, dayOffset: 1))
        #expect(QuietHours.deliveryTime(createdAt: shanghai(23, 45), urgent: false) == shanghai(7, 0, dayOffset: 1))
        // After midnight (the same local day's morning).
        #expect(QuietHours.deliveryTime(createdAt: shanghai(0, 10, dayOffset: 1), urgent: false) == shanghai(7, 0, dayOffset: 1))
        #expect(QuietHours.deliveryTime(createdAt: shanghai(6, 59, dayOffset: 1), urgent: false) == shanghai(7, 0, dayOffset: 1))
        #expect(QuietHours.deliveryTime(createdAt: shanghai(23, 0), urgent: true) == shanghai(23, 0))
    }

    @Test("backoff: longer waits after each failure, then a dead letter after the last try")
    func backoff() {
        let waits = (1...DeliveryBackoff.maxAttempts).map { DeliveryBackoff.wait(afterFailures: $0) }
        #expect(waits.dropLast().allSatisfy { $0 != nil })
        #expect(waits.last == .some(nil))
        let seconds = waits.compactMap { $0 }
        #expect(seconds == seconds.sorted() && Set(seconds).count == seconds.count)
        #expect(DeliveryBackoff.wait(afterFailures: 0) == nil)
    }

    @Test("kinds: residents' and staff's are apart, each named in both languages")
    func kinds() {
        let resident = NotificationKind.kinds(forResident: true)
        let staff = NotificationKind.kinds(forResident: false)
        #expect(Set(resident).isDisjoint(with: staff) && resident.count + staff.count == NotificationKind.allCases.count)
        #expect(resident.contains(.caseUpdate) && staff.contains(.caseAssigned))
        #expect(NotificationKind.allCases.allSatisfy { !$0.nameZH.isEmpty && !$0.nameEN.isEmpty && $0.nameZH != $0.nameEN })
    }
}
