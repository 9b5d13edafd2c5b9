import Fluent
import Foundation
import MinqingDomain
import MinqingServer
import SQLKit

/// 约走访 in the demo: `resident` and four neighbours (jm01–jm04) in 临汾 and 汾西 residential
/// areas, each linked to a household of their building group; the areas' first cadres (`cadre`,
/// `cadre2`) offered two slots a week for the last eight weeks — most were booked, most of those
/// became visits (kind booked), some were cancelled — and offer slots for the next ten days, a
/// few already requested, confirmed or moved to another time.
extension VisitsDemo {
    struct Resident { var id: UUID; var username: String; var home: Int }

    /// The demo residents, bound to their household's building group and linked to it.
    static func residentAccounts(homes: [Home], links: inout BulkInserter, add: (String, String, Int) -> UUID) -> [Resident] {
        let areas = [DemoData.subdistrictCode + "-1-01", DemoData.subdistrictCode + "-1-02"]
        var picked: [Int] = []
        for area in areas {
            var groups = Set<String>()
            for (index, home) in homes.enumerated() where home.areaCode == area && groups.insert(home.groupCode).inserted {
                picked.append(index)
                if groups.count == 3 { break }
            }
        }
        // `resident` lives in the first building group of 临汾居民区 (310106019-1-01-1-01).
        guard let own = homes.firstIndex(where: { $0.groupCode == DemoData.subdistrictCode + "-1-01-1-01" }) else { return [] }
        var residents: [Resident] = []
        for (number, index) in ([own] + picked.filter { $0 != own }).prefix(5).enumerated() {
            let username = number == 0 ? "resident" : "jm\(String(format: "%02d", number))"
            let id = add(username, homes[index].groupCode, number)
            links.append([SQLBind(UUID()), SQLBind(id), SQLBind(homes[index].id)])
            residents.append(Resident(id: id, username: username, home: index))
        }
        return residents
    }

    static func loadBookings(
        cadres: [Visitor], residents: [Resident], homes: [Home], today: CivilDate, working: (Int) -> Bool,
        on db: any Database, _ p: inout Pending
    ) async throws {
        for cadre in cadres.prefix(2) {
            guard let area = cadre.areaCode else { continue }
            let nearby = residents.filter { homes[$0.home].areaCode == area }
            guard !nearby.isEmpty else { continue }
            let areaID = try await areaNode(code: area, on: db)
            func slot(day: Int, hour: Double) -> (id: UUID, start: Date) {
                let id = UUID()
                let (start, localDate) = p.day(day)
                let begins = start.addingTimeInterval(hour * 3600)
                p.slots.append([
                    SQLBind(id), bindOrNull(p.subdistrict), SQLBind(areaID), SQLBind(cadre.id), SQLBind(begins),
                    SQLBind(begins.addingTimeInterval(3600)), SQLBind(localDate), SQLBind(Draw.chance(0.7, &p.rng) ? "上门" : "居委会活动室"),
                    SQLBind(false), SQLBind(p.now)
                ])
                return (id, begins)
            }
            func booking(_ slot: UUID, by resident: Resident, status: BookingStatus, visit: UUID? = nil, note: String = "") {
                let home = homes[resident.home]
                p.bookings.append([
                    SQLBind(UUID()), bindOrNull(p.subdistrict), SQLBind(slot), status == .cancelled ? SQLLiteral.null : SQLBind(slot),
                    SQLBind(resident.id), SQLBind(home.id), SQLBind(home.node), SQLBind(status.rawValue), SQLBind(note),
                    bindOrNull(visit), SQLBind(resident.username), SQLBind(p.now), SQLBind(p.now)
                ])
            }
            // The last eight weeks: Tuesday afternoons and Thursday mornings.
            let notes = ["想咨询养老服务补贴", "家里老人腿脚不便，请上门", "反映楼上漏水", "了解居家养老服务", ""]
            for week in 1...8 {
                let monday = today.daysSince1970 - (today.isoWeekday - 1) - 7 * week
                for (offset, hour) in [(1, 14.0), (3, 10.0)] where working(monday + offset) {
                    let (id, _) = slot(day: monday + offset, hour: hour)
                    guard Draw.chance(0.7, &p.rng) else { continue }
                    let resident = Draw.pick(nearby, &p.rng)
                    let note = Draw.pick(notes, &p.rng)
                    if Draw.chance(0.78, &p.rng) {
                        let visit = UUID()
                        let bookingID = UUID()
                        try await VisitsDemo.visit(
                            homes[resident.home], index: resident.home, day: monday + offset, by: cadre.id,
                            kind: (.booked, nil), booking: bookingID, visitID: visit, on: db, &p)
                        let home = homes[resident.home]
                        p.bookings.append([
                            SQLBind(bookingID), bindOrNull(p.subdistrict), SQLBind(id), SQLBind(id), SQLBind(resident.id),
                            SQLBind(home.id), SQLBind(home.node), SQLBind(BookingStatus.done.rawValue), SQLBind(note),
                            SQLBind(visit), SQLBind(cadre.username), SQLBind(p.now), SQLBind(p.now)
                        ])
                    } else {
                        booking(id, by: resident, status: .cancelled, note: note)
                    }
                }
            }
            // The next ten days: two slots a working day; the first few already taken.
            var upcoming: [UUID] = []
            for day in (today.daysSince1970 + 1)...(today.daysSince1970 + 10) where working(day) {
                upcoming.append(slot(day: day, hour: 14).id)
                upcoming.append(slot(day: day, hour: 15.5).id)
            }
            let plan: [(BookingStatus, String)] = [(.requested, "想问问高龄津贴怎么申请"), (.confirmed, "家里老人需要助餐"), (.proposed, "")]
            for (index, (status, note)) in plan.enumerated() where index < upcoming.count && index < nearby.count {
                booking(upcoming[index * 2], by: nearby[index], status: status, note: note)
            }
        }
    }

    static func areaNode(code: String, on db: any Database) async throws -> UUID {
        guard let node = try await GridQueries.node(code: code, on: db) else { throw AppError.notFound() }
        return node.id
    }
}
