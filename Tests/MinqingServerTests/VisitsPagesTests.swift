import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingBenchSupport
@testable import MinqingServer

@Suite("Visits: the pages")
struct VisitsPagesTests {
    @Test("the entry form: search, pick an unvisited household, save a visit with needs, a help request and a tag; see it everywhere")
    func entry() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let home = try await world.household(41)
            let web = TestClient(app)
            #expect(try await web.signInWeb("cadre").status == .seeOther)
            let search = try await web.get("/visits/new?q=%E4%B8%B4%E6%B1%BE%E8%B7%AF%2041") // 临汾路 41
            #expect(search.status == .ok && search.body.string.contains("household=\(home.id.uuidString)"))
            let none = try await web.get("/visits/new?q=%25") // "%" is taken literally, not as a wildcard
            #expect(none.body.string.contains("search-empty"))
            let form = try await web.get("/visits/new?household=\(home.id.uuidString)")
            #expect(form.status == .ok && form.body.string.contains("visit-form") && !form.body.string.contains("entry-last-visit"))
            let csrf = try #require(TestClient.csrf(in: form.body.string))

            // A bad time shows the form again with the error, nothing written.
            let bad = try await web.form(
                "/visits/new",
                [
                    "csrf": csrf, "household": home.id.uuidString, "method": "home",
                    "visited_at": "2001-01-01T10:00", "kind": "routine"
                ])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("visited_at"))
            #expect(try await world.count("visits") == 0)

            let saved = try await web.form(
                "/visits/new",
                [
                    "csrf": csrf, "household": home.id.uuidString, "method": "phone", "kind": "must_visit", "category": "very_old",
                    "visited_at": LocalTime.value(TestClock.pinnedNow().addingTimeInterval(-600)), "summary": "电话问候",
                    "needs[]": "care", "need_note": "需要助餐", "help": "1", "help_person": home.person.uuidString,
                    "tag_person": home.person.uuidString, "tag_code": "id.elderly.alone"
                ])
            #expect(saved.status == .seeOther)
            let location = try #require(saved.headers.first(name: .location))
            let page = try await web.get(location).body.string
            #expect(page.contains("visit-saved") && page.contains("电话") && page.contains("已转求助") && page.contains("id.elderly.alone"))
            #expect(try await world.count("help_requests") == 1)

            #expect(try await web.get("/visits/new?household=\(home.id.uuidString)").body.string.contains("entry-last-visit"))
            let today = try await web.get("/visits").body.string
            #expect(today.contains("id=\"today-done\"") && today.contains(">1<"))
            for path in ["/visits/overdue", "/visits/compliance?period=year", "/visits/compliance?period=week", "/visits/slots"] {
                #expect(try await web.get(path).status == .ok, "\(path)")
            }
            // A duplicate tag is a 409 shown on the form, not an error page.
            let again = try await web.form(
                "/visits/new",
                [
                    "csrf": csrf, "household": home.id.uuidString, "method": "home", "summary": "再次上门",
                    "tag_person": home.person.uuidString, "tag_code": "id.elderly.alone"
                ])
            #expect(again.status == .conflict && again.body.string.contains("visit-form") && again.body.string.contains("该居民已有此标签"))
        }
    }

    @Test("slots and bookings on the pages: offer, book, propose another, accept, confirm, record")
    func bookings() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let home = try await world.household(42)
            #expect(
                try await world.cadre.jsonObject(
                    .PUT, "/api/v1/visits/residents/resident/household",
                    ["household_id": home.id.uuidString]
                ).status == .noContent)
            let cadre = TestClient(app)
            _ = try await cadre.signInWeb("cadre")
            let slots = try await cadre.get("/visits/slots").body.string
            let csrf = try #require(TestClient.csrf(in: slots))
            let tomorrow = TestClock.pinnedNow().addingTimeInterval(86_400)
            for hours in [0.0, 2.0] {
                let offered = try await cadre.form(
                    "/visits/slots",
                    [
                        "csrf": csrf, "starts_at": LocalTime.value(tomorrow.addingTimeInterval(hours * 3600)),
                        "ends_at": LocalTime.value(tomorrow.addingTimeInterval((hours + 1) * 3600))
                    ])
                #expect(offered.status == .seeOther)
            }
            let resident = TestClient(app)
            _ = try await resident.signInWeb("resident")
            let page = try await resident.get("/visits/booking").body.string
            #expect(page.contains(home.id.uuidString) == false && page.contains("临汾路 42 号"), "my household by its address")
            let me = try #require(try await actor(app, "resident"))
            let first = try await BookingQueries.openSlots(for: me, now: TestClock.pinnedNow(), limit: 10, on: app.db)
            #expect(first.count == 2)
            let rcsrf = try #require(TestClient.csrf(in: page))
            #expect(try await resident.form("/visits/booking", ["csrf": rcsrf, "slot_id": first[0].id.uuidString, "note": "请上门"]).status == .seeOther)
            let booking = try #require(try await BookingQueries.bookings(for: me, active: true, limit: 5, on: app.db).first)
            // The cadre moves it to the other slot; the resident accepts; the cadre records the visit.
            let handling = try await cadre.get("/visits/slots").body.string
            #expect(handling.contains("booking-\(booking.id.uuidString)") && handling.contains("请上门"))
            #expect(
                try await cadre.form("/visits/bookings/\(booking.id)/propose", ["csrf": csrf, "slot_id": first[1].id.uuidString]).status == .seeOther)
            #expect(try await resident.form("/visits/bookings/\(booking.id)/accept", ["csrf": rcsrf]).status == .seeOther)
            let entry = try await cadre.get("/visits/new?booking=\(booking.id.uuidString)").body.string
            #expect(entry.contains("entry-booking") && entry.contains("临汾路 42 号"))
            let done = try await cadre.form(
                "/visits/new",
                [
                    "csrf": csrf, "booking": booking.id.uuidString, "household": home.id.uuidString,
                    "method": "home", "summary": "上门讲解政策"
                ])
            #expect(done.status == .seeOther)
            let mine = try await resident.get("/visits/booking").body.string
            #expect(mine.contains("已完成"))
        }
    }

    func actor(_ app: Application, _ username: String) async throws -> Actor? {
        try await BenchHooks.accountActor(app, username: username)?.actor
    }
}
