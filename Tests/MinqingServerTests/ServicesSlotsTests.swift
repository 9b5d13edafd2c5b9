import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// 约空间 that works (issue 21): slots generated weeks ahead from the opening hours, staff who
/// open, close and block them, and the resident's page showing what can be booked first. Over
/// HTTP on a real database; the expected slots are worked out by hand from the opening hours.
@Suite("Services: 约空间 slots")
struct ServicesSlotsTests {
    struct N: Decodable { var n: Int }
    struct SlotRow: Decodable { var id: UUID; var starts_at: Date; var ends_at: Date; var local_date: String; var state: String; var reason: String? }

    /// `yyyy-MM-dd HH:mm` (or another pattern) of an instant in Shanghai.
    static func local(_ date: Date, _ pattern: String = "yyyy-MM-dd HH:mm") -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }

    /// The resource's slots as stored, in time order.
    static func stored(_ world: VisitWorld, _ resource: UUID) async throws -> [SlotRow] {
        try await world.sql.raw(
            "SELECT id, starts_at, ends_at, local_date, state, reason FROM service_slots WHERE resource_id = \(bind: resource) ORDER BY starts_at"
        ).all(decoding: SlotRow.self)
    }

    /// `2026-11-18 14:00-15:00` for each slot.
    static func spans(_ rows: [SlotRow]) -> [String] {
        rows.map { local($0.starts_at) + "-" + local($0.ends_at, "HH:mm") }
    }

    /// A resource registered by the cadre with these opening hours and hour-long slots.
    static func resource(_ world: VisitWorld, name: String, hours: String) async throws -> UUID {
        try await world.cadre.jsonObject(
            .POST, "/api/v1/services/resources",
            [
                "unit_name": "临汾路社区中心", "unit_kind": "机关", "name": name, "category": "场地空间", "kind": "活动室", "place": "二楼",
                "capacity": 20, "opening_hours": hours, "slot_minutes": 60, "bookers": "all", "needs_approval": false
            ]
        ).createdID()
    }

    static func generate(_ world: VisitWorld, _ resource: UUID, weeks: Int) async throws -> SlotsGenerated {
        let response = try await world.cadre.jsonObject(.POST, "/api/v1/services/resources/\(resource)/generate", ["weeks": weeks])
        #expect(response.status == .ok, "\(response.body.string)")
        return try response.decode(SlotsGenerated.self)
    }

    @Test("generation from the opening hours gives exactly the worked week's slots, and running it again adds none")
    func workedWeek() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let resource = try await Self.resource(world, name: "党群活动室", hours: "1-5 09:00-11:00,14:00-16:30; 6 09:00-10:00")
            #expect(try await Self.stored(world, resource).isEmpty, "no slots before they are asked for or the resource is viewed")
            let first = try await Self.generate(world, resource, weeks: 1)
            // Worked by hand. The clock stands at Wednesday 18 November 2026, just after 10:00 in
            // Shanghai; one week is Wednesday 18 to Tuesday 24 November, no holiday in it. Monday to
            // Friday give 09:00 and 10:00 (09:00–11:00) and 14:00 and 15:00 (the half hour to 16:30
            // is too short for a slot); Saturday gives 09:00; Sunday is closed. Today's 09:00 and
            // 10:00 have begun, so they are not made.
            let weekday = { (day: String) in ["\(day) 09:00-10:00", "\(day) 10:00-11:00", "\(day) 14:00-15:00", "\(day) 15:00-16:00"] }
            let expected =
                ["2026-11-18 14:00-15:00", "2026-11-18 15:00-16:00"] + weekday("2026-11-19") + weekday("2026-11-20")
                + ["2026-11-21 09:00-10:00"] + weekday("2026-11-23") + weekday("2026-11-24")
            let rows = try await Self.stored(world, resource)
            #expect(Self.spans(rows) == expected)
            #expect(rows.allSatisfy { $0.state == "open" && Self.local($0.starts_at, "yyyy-MM-dd") == $0.local_date })
            #expect(first.created == 19 && first.through == "2026-11-24")
            // Again, and for more weeks: the first week's slots are not made twice.
            #expect(try await Self.generate(world, resource, weeks: 1).created == 0)
            #expect(try await Self.stored(world, resource).count == 19)
            let two = try await Self.generate(world, resource, weeks: 2)
            #expect(two.created == 21 && two.through == "2026-12-01")
            let count = try await world.sql.raw("SELECT COUNT(*) AS n FROM service_slots WHERE resource_id = \(bind: resource)").first(
                decoding: N.self)
            #expect(count?.n == 40)
            let distinct = try await world.sql.raw(
                "SELECT COUNT(*) AS n FROM (SELECT DISTINCT starts_at FROM service_slots WHERE resource_id = \(bind: resource)) x"
            ).first(decoding: N.self)
            #expect(distinct?.n == 40)
            // Out of range: 422 naming no input, nothing written.
            let bad = try await world.cadre.jsonObject(.POST, "/api/v1/services/resources/\(resource)/generate", ["weeks": 13])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("1 to 12 weeks"))
        }
    }

    @Test("a working-week resource gets no slots on public holidays; one open every day keeps them")
    func holidays() async throws {
        // Wednesday 30 September 2026, 08:00 in Shanghai; National Day rests 1–7 October.
        let start = (try CivilDate(year: 2026, month: 9, day: 30)).startOfDay(in: .shanghai).addingTimeInterval(8 * 3600)
        try await withApp(demo: true, now: { start }) { app in
            let world = try await VisitWorld.make(app)
            let office = try await Self.resource(world, name: "会议室", hours: "1-5 09:00-11:00")
            let daily = try await Self.resource(world, name: "活动室", hours: "1-7 09:00-11:00")
            #expect(try await Self.generate(world, office, weeks: 1).created == 2)
            #expect(try await Self.generate(world, daily, weeks: 1).created == 14)
            // The office opens on Wednesday 30 September only: 1, 2, 5 and 6 October are holidays,
            // 3 and 4 October a weekend it never opens.
            #expect(Self.spans(try await Self.stored(world, office)) == ["2026-09-30 09:00-10:00", "2026-09-30 10:00-11:00"])
            // The daily one opens every day, holidays too: 30 September to 6 October, two a day.
            let days = try await Self.stored(world, daily).map(\.local_date)
            #expect(days == ["2026-09-30", "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06"].flatMap { [$0, $0] })
            // Staff may still open a holiday by hand, from the opening hours.
            let opened = try await world.cadre.jsonObject(.POST, "/api/v1/services/resources/\(office)/slots", ["date": "2026-10-05"])
            #expect(opened.status == .ok)
            #expect(try await Self.stored(world, office).filter { $0.local_date == "2026-10-05" }.count == 2)
        }
    }

    @Test("a closed or blocked slot cannot be booked (409 saying why); closing or blocking a booked slot is refused and changes nothing")
    func closedAndBlocked() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let resident = try await ServicesTests.residents(world, count: 1)[0]
            let resource = try await ServicesTests.resource(world, approval: false)
            let tomorrow = try CivilDate.today(now: TestClock.pinnedNow()).adding(days: 1).iso8601
            // Viewing the week generates its slots: 08:00 to 19:00 every day (1-7 08:00-20:00).
            let week = try await world.cadre.get("/api/v1/services/resources/\(resource)/week?date=\(tomorrow)").decode(ServiceSlotWeek.self)
            let day = week.slots.filter { $0.local_date == tomorrow }
            #expect(day.map { Self.local($0.starts_at, "HH:mm") } == (8...19).map { String(format: "%02d:00", $0) })
            let (closed, blocked, booked) = (day[0].id, day[1].id, day[2].id)
            func act(_ slot: UUID, _ action: String, _ body: [String: Any] = [:]) async throws -> TestingHTTPResponse {
                try await world.cadre.jsonObject(.POST, "/api/v1/services/slots/\(slot)/\(action)", body)
            }
            #expect(try await act(closed, "close").decode(ManagedSlotRow.self).state == .closed)
            let noReason = try await act(blocked, "block")
            #expect(noReason.status == .unprocessableEntity && noReason.body.string.contains("\"field\":\"reason\""))
            let block = try await act(blocked, "block", ["reason": "活动占用"]).decode(ManagedSlotRow.self)
            #expect(block.state == .blocked && block.reason == "活动占用")
            #expect(try await resident.jsonObject(.POST, "/api/v1/services/slots/\(closed)/open", [:]).status == .forbidden)

            // The resident cannot book either, and is told why.
            for (slot, code, words) in [(closed, "slot_closed", "已关闭"), (blocked, "slot_blocked", "活动占用")] {
                let refused = try await resident.jsonObject(.POST, "/api/v1/services/bookings", ["slot_id": slot.uuidString])
                #expect(refused.status == .conflict)
                let error = try refused.decode(ServicesTests.ErrorBody.self).error
                #expect(error.code == code && error.message.contains(words), "\(error.message)")
            }
            let none = try await world.sql.raw(
                "SELECT COUNT(*) AS n FROM service_bookings WHERE slot_id IN (\(bind: closed), \(bind: blocked))"
            ).first(decoding: N.self)
            #expect(none?.n == 0)

            // A booked slot: staff may neither close nor block it; it stays open and booked.
            #expect(try await resident.jsonObject(.POST, "/api/v1/services/bookings", ["slot_id": booked.uuidString]).status == .created)
            let attempts: [(String, [String: Any])] = [("close", [:]), ("block", ["reason": "活动占用"])]
            for (action, body) in attempts {
                let refused = try await act(booked, action, body)
                #expect(refused.status == .conflict)
                let error = try refused.decode(ServicesTests.ErrorBody.self).error
                #expect(error.code == "slot_booked" && error.message.contains("已有人预约"), "\(error.message)")
            }
            #expect(try await Self.stored(world, resource).first { $0.id == booked }?.state == "open")

            // Reopened, the closed slot can be booked; generating again never reopens the blocked one.
            #expect(try await act(closed, "open").decode(ManagedSlotRow.self).state == .open)
            #expect(try await resident.jsonObject(.POST, "/api/v1/services/bookings", ["slot_id": closed.uuidString]).status == .created)
            _ = try await Self.generate(world, resource, weeks: 4)
            let after = try await Self.stored(world, resource).first { $0.id == blocked }
            #expect(after?.state == "blocked" && after?.reason == "活动占用")
            #expect(try await act(blocked, "block", ["reason": "再占"]).status == .conflict)
        }
    }

    @Test("the resident's page shows what can be booked first, then bookings to come, then past ones folded away")
    func residentPage() async throws {
        let clock = TestClock()
        try await withApp(demo: true, now: { clock.now }) { app in
            let world = try await VisitWorld.make(app)
            let resident = try await ServicesTests.residents(world, count: 1)[0]
            let resource = try await ServicesTests.resource(world, approval: false)
            let today = CivilDate.today(now: clock.now)
            func slot(_ days: Int, _ index: Int) async throws -> UUID {
                let date = try today.adding(days: days).iso8601
                return try await resident.get("/api/v1/services/resources/\(resource)/slots?date=\(date)").decode([ServiceSlotRow].self)[index].id
            }
            let first = try await slot(1, 1), later = try await slot(5, 2)
            let earlier = try await resident.jsonObject(.POST, "/api/v1/services/bookings", ["slot_id": first.uuidString]).createdID()
            let coming = try await resident.jsonObject(.POST, "/api/v1/services/bookings", ["slot_id": later.uuidString]).createdID()
            clock.advance(3 * 86_400) // the first booking is now past
            let web = TestClient(app)
            #expect(try await web.signInWeb("svc1").status == .seeOther)
            let page = try await web.get("/services").body.string
            let available = try #require(page.range(of: "id=\"available\""))
            let open = try #require(page.range(of: "id=\"open-\(resource.uuidString)\""))
            let upcoming = try #require(page.range(of: "id=\"booking-\(coming.uuidString)\""))
            let past = try #require(page.range(of: "<details id=\"past-bookings\">"))
            let pastBooking = try #require(page.range(of: "id=\"booking-\(earlier.uuidString)\""))
            #expect(available.lowerBound < open.lowerBound && open.lowerBound < upcoming.lowerBound)
            #expect(upcoming.lowerBound < past.lowerBound && past.lowerBound < pastBooking.lowerBound)
            #expect(page.contains("过去的预约（1）"))
            // The open times link to the resource's day; the open list offers today's (the first day with any).
            #expect(page.contains("\(SiteURL.services(.resource(.value(resource))).path)?date=\(CivilDate.today(now: clock.now).iso8601)"))
        }
    }

    @Test("forms come back with what was typed and the problem beside the field: booking, blocking, generating")
    func fieldErrors() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            _ = try await ServicesTests.residents(world, count: 1)
            let resource = try await ServicesTests.resource(world, approval: false)
            let tomorrow = try CivilDate.today(now: TestClock.pinnedNow()).adding(days: 1).iso8601
            let resident = TestClient(app)
            #expect(try await resident.signInWeb("svc1").status == .seeOther)
            let day = try await resident.get("/services/resources/\(resource)?date=\(tomorrow)").body.string
            let csrf = try #require(TestClient.csrf(in: day))
            let slots = try await world.cadre.get("/api/v1/services/resources/\(resource)/slots?date=\(tomorrow)").decode([ServiceSlotRow].self)
            let tooMany = try await resident.form(
                "/services/bookings",
                [
                    "csrf": csrf, "slot_id": slots[0].id.uuidString, "resource_id": resource.uuidString, "date": tomorrow, "purpose": "楼组议事",
                    "attendees": "0"
                ])
            #expect(tooMany.status == .unprocessableEntity)
            let body = tooMany.body.string
            #expect(body.contains("id=\"error-attendees\"") && body.contains("人数须为 1 到 10,000") && body.contains("value=\"楼组议事\""))
            #expect(!body.contains(">attendees<") && !body.contains("attendees："), "the page names no input")

            let cadre = TestClient(app)
            #expect(try await cadre.signInWeb("cadre").status == .seeOther)
            let week = try await cadre.get("/services/resources/\(resource)/week?date=\(tomorrow)")
            #expect(week.status == .ok && week.body.string.contains("id=\"week-slots\""))
            let token = try #require(TestClient.csrf(in: week.body.string))
            let noReason = try await cadre.form("/services/slots/\(slots[0].id)/block", ["csrf": token, "reason": " "])
            #expect(noReason.status == .unprocessableEntity && noReason.body.string.contains("id=\"error-reason\""))
            let blocked = try await cadre.form("/services/slots/\(slots[0].id)/block", ["csrf": token, "reason": "活动占用"])
            #expect(blocked.status == .seeOther)
            let back = try #require(blocked.headers.first(name: .location))
            #expect(try await cadre.get(back).body.string.contains("已占用：活动占用"))
            let weeks = try await cadre.form("/services/resources/\(resource)/generate", ["csrf": token, "weeks": "13"])
            #expect(
                weeks.status == .unprocessableEntity && weeks.body.string.contains("id=\"error-weeks\"") && weeks.body.string.contains("value=\"13\"")
            )
            #expect(try await cadre.form("/services/resources/\(resource)/generate", ["csrf": token, "weeks": "2"]).status == .seeOther)
        }
    }

    @Test(
        "demo: every resource has open slots in the coming days from its opening hours, and working-week ones none on holidays",
        arguments: [TestClock.pinned, TestClock.hostileDays[2]])
    func demo(day: Date) async throws {
        try await withApp(demo: true, demoPeople: 0.01, now: { day }) { app in
            let sql = app.db.sql
            let today = CivilDate(day, in: .shanghai)
            struct Open: Decodable { var id: UUID; var opening_hours: String; var n: Int }
            let open = try await sql.raw(
                """
                SELECT r.id, r.opening_hours, COUNT(s.id) AS n FROM service_resources r
                LEFT JOIN service_slots s ON s.resource_id = r.id AND s.state = 'open' AND s.starts_at > \(bind: day)
                     AND s.starts_at < \(bind: day.addingTimeInterval(14 * 86_400))
                     AND NOT EXISTS (SELECT 1 FROM service_bookings b WHERE b.slot_hold = s.id)
                GROUP BY r.id, r.opening_hours
                """
            ).all(decoding: Open.self)
            #expect(open.count == 84 && open.allSatisfy { $0.n > 0 })
            // A daily resource has tomorrow's twelve hours, and slots up to 27 days ahead, no further.
            let daily = try #require(open.first { $0.opening_hours == "1-7 08:00-20:00" }?.id)
            let tomorrow = try today.adding(days: 1).iso8601
            let times = try await sql.raw(
                "SELECT id, starts_at, ends_at, local_date, state, reason FROM service_slots WHERE resource_id = \(bind: daily) AND local_date = \(bind: tomorrow) ORDER BY starts_at"
            ).all(decoding: SlotRow.self).map { Self.local($0.starts_at, "HH:mm") }
            #expect(times == (8...19).map { String(format: "%02d:00", $0) })
            struct Last: Decodable { var last: String? }
            let last = try await sql.raw("SELECT MAX(local_date) AS last FROM service_slots WHERE resource_id = \(bind: daily)").first(
                decoding: Last.self)
            #expect(last?.last == (try today.adding(days: 27)).iso8601)
            // Working-week resources rest on National Day (1–7 October) and open again on the 8th.
            struct C: Decodable { var n: Int }
            func officeSlots(_ from: String, _ to: String) async throws -> Int {
                try await sql.raw(
                    """
                    SELECT COUNT(*) AS n FROM service_slots s JOIN service_resources r ON r.id = s.resource_id
                    WHERE r.opening_hours LIKE '1-5 %' AND s.local_date >= \(bind: from) AND s.local_date <= \(bind: to)
                    """
                ).first(decoding: C.self)?.n ?? -1
            }
            if today.iso8601 == "2026-10-01" {
                #expect(try await officeSlots("2026-10-01", "2026-10-07") == 0)
                #expect(try await officeSlots("2026-10-08", "2026-10-08") > 0)
            }
            // Three slots blocked for an event, and running the generation again adds nothing.
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM service_slots WHERE state = 'blocked'").first(decoding: C.self)?.n == 3)
            let before = try await sql.raw("SELECT COUNT(*) AS n FROM service_slots").first(decoding: C.self)?.n
            let calendar = app.services.calendar
            let again = try await app.db.write { db in try await SlotService.generateAll(weeks: 4, now: day, calendar: calendar, on: db) }
            #expect(again == 0)
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM service_slots").first(decoding: C.self)?.n == before)
            // The demo resident sees what to book first, and their two bookings to come.
            let resident = TestClient(app)
            #expect(try await resident.signInWeb("resident").status == .seeOther)
            let page = try await resident.get("/services").body.string
            #expect(page.contains("id=\"open-slots\"") && page.contains("class=\"open-resource\""))
            let mine = try #require(page.range(of: "id=\"bookings\""))
            let end = page.range(of: "<details id=\"past-bookings\"") ?? page.range(of: "<details id=\"all-resources\"")
            let upcoming = page[mine.upperBound..<(end?.lowerBound ?? page.endIndex)]
            #expect(upcoming.components(separatedBy: "class=\"booking\"").count - 1 == 2, "the demo resident's two bookings to come")
        }
    }
}
