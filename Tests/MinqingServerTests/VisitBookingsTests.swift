import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

@Suite("Visits: 约走访 bookings")
struct VisitBookingsTests {
    /// A slot offered by the cadre for the whole residential area, starting tomorrow; and a
    /// second resident in the demo resident's building group.
    func setUp(_ app: Application) async throws -> (world: VisitWorld, slot: UUID, first: TestClient, second: TestClient) {
        let world = try await VisitWorld.make(app)
        _ = try await AccountService.create(
            NewAccount(
                username: "resident2", displayName: "邻居", role: "resident", scopeCode: VisitWorld.group,
                password: demoPassword, mustChangePassword: false),
            by: .console, app: app, on: app.db, now: TestClock.pinnedNow())
        let start = TestClock.pinnedNow().addingTimeInterval(86_400)
        let formatter = ISO8601DateFormatter()
        let slot = try await world.cadre.jsonObject(
            .POST, "/api/v1/visits/slots",
            [
                "starts_at": formatter.string(from: start), "ends_at": formatter.string(from: start.addingTimeInterval(3600)), "place": "上门"
            ]
        ).createdID()
        let first = TestClient(app)
        try await first.signInAPI("resident")
        let second = TestClient(app)
        try await second.signInAPI("resident2")
        return (world, slot, first, second)
    }

    @Test("two residents book the same slot at the same moment: exactly one wins, the other gets 409 with a clear message")
    func race() async throws {
        try await withApp(demo: true) { app in
            let (world, slot, first, second) = try await setUp(app)
            for round in 0..<3 {
                async let a = first.jsonObject(.POST, "/api/v1/visits/bookings", ["slot_id": slot.uuidString, "note": "甲"])
                async let b = second.jsonObject(.POST, "/api/v1/visits/bookings", ["slot_id": slot.uuidString, "note": "乙"])
                let answers = try await [a, b]
                #expect(answers.map(\.status.code).sorted() == [201, 409], "round \(round)")
                let loser = try #require(answers.first { $0.status == .conflict })
                struct Body: Decodable { struct E: Decodable { var code: String; var message: String; var message_en: String }; var error: E }
                let error = try loser.decode(Body.self).error
                #expect(error.code == "slot_taken")
                #expect(error.message.contains("已被其他居民预约") && error.message_en.contains("has just been booked"))
                struct N: Decodable { var n: Int }
                let active = try await world.sql.raw(
                    """
                    SELECT COUNT(*) AS n FROM visit_bookings WHERE slot_id = \(bind: slot) AND status IN ('requested', 'proposed', 'confirmed')
                    """
                ).first(decoding: N.self)!.n
                #expect(active == 1)
                // The winner cancels: the slot is free for the next round.
                let winner = try #require(answers.first { $0.status == .created }).createdID()
                let canceller = answers[0].status == .created ? first : second
                #expect(try await canceller.jsonObject(.POST, "/api/v1/visits/bookings/\(winner)/cancel", [String: Any]()).status == .noContent)
            }
        }
    }

    @Test("book, propose another slot, accept, record the visit: the booking becomes a visit of kind booked")
    func lifecycle() async throws {
        try await withApp(demo: true) { app in
            let (world, slot, resident, neighbour) = try await setUp(app)
            let home = try await world.household(21)
            #expect(
                try await world.cadre.jsonObject(
                    .PUT, "/api/v1/visits/residents/resident/household",
                    ["household_id": home.id.uuidString]
                ).status == .noContent)
            let open = try await resident.get("/api/v1/visits/slots").decode([BookingQueries.SlotRow].self)
            #expect(open.map(\.id) == [slot])
            let booking = try await resident.jsonObject(.POST, "/api/v1/visits/bookings", ["slot_id": slot.uuidString, "note": "想问问养老补贴"]).createdID()
            #expect(try await neighbour.get("/api/v1/visits/slots").decode([BookingQueries.SlotRow].self).isEmpty, "a taken slot is not offered")
            #expect(try await neighbour.get("/api/v1/visits/bookings/\(booking)").status == .notFound, "another resident's booking is invisible")
            let other = TestClient(app)
            try await other.signInAPI("cadre2")
            #expect(try await other.get("/api/v1/visits/bookings").decode([BookingQueries.BookingRow].self).isEmpty)
            #expect(try await other.jsonObject(.POST, "/api/v1/visits/bookings/\(booking)/confirm", [String: Any]()).status == .notFound)

            // The cadre proposes a new time; the resident accepts; a second accept is a 409.
            let start = TestClock.pinnedNow().addingTimeInterval(2 * 86_400)
            let formatter = ISO8601DateFormatter()
            #expect(
                try await world.cadre.jsonObject(
                    .POST, "/api/v1/visits/bookings/\(booking)/propose",
                    [
                        "starts_at": formatter.string(from: start), "ends_at": formatter.string(from: start.addingTimeInterval(1800))
                    ]
                ).status == .noContent)
            #expect(try await resident.get("/api/v1/visits/bookings/\(booking)").decode(BookingQueries.BookingRow.self).status == .proposed)
            #expect(
                try await neighbour.get("/api/v1/visits/slots").decode([BookingQueries.SlotRow].self).map(\.id) == [slot],
                "the first slot is free again")
            #expect(try await resident.jsonObject(.POST, "/api/v1/visits/bookings/\(booking)/accept", [String: Any]()).status == .noContent)
            #expect(try await resident.jsonObject(.POST, "/api/v1/visits/bookings/\(booking)/accept", [String: Any]()).status == .conflict)

            // Done: the visit is recorded for the linked household, and the booking points at it.
            let visit = try await world.cadre.jsonObject(
                .POST, "/api/v1/visits/bookings/\(booking)/done",
                ["method": "home", "summary": "讲解了养老补贴申请"]
            ).createdID()
            let row = try await resident.get("/api/v1/visits/bookings/\(booking)").decode(BookingQueries.BookingRow.self)
            #expect(row.status == .done && row.visit_id == visit)
            let detail = try await world.cadre.get("/api/v1/visits/\(visit)").decode(VisitDetail.self)
            #expect(detail.kind == .booked && detail.booking_id == booking && detail.households.map(\.id) == [home.id])
            #expect(try await world.cadre.jsonObject(.POST, "/api/v1/visits/bookings/\(booking)/cancel", [String: Any]()).status == .conflict)
            // A resident cannot record visits, nor book for a slot that has begun.
            #expect(
                try await resident.jsonObject(.POST, "/api/v1/visits", ["households": [home.id.uuidString], "method": "home"]).status == .forbidden)
        }
    }

    @Test("the resident's booking page: open slots, book with the form, a lost race shows the message")
    func residentPage() async throws {
        try await withApp(demo: true) { app in
            let (_, slot, _, neighbour) = try await setUp(app)
            let web = TestClient(app)
            #expect(try await web.signInWeb("resident").status == .seeOther)
            let page = try await web.get("/visits/booking")
            #expect(page.status == .ok && page.body.string.contains("book-\(slot.uuidString)"))
            let csrf = try #require(TestClient.csrf(in: page.body.string))
            // The neighbour takes it first (through the API); the page then says so.
            _ = try await neighbour.jsonObject(.POST, "/api/v1/visits/bookings", ["slot_id": slot.uuidString]).createdID()
            let lost = try await web.form("/visits/booking", ["slot_id": slot.uuidString, "csrf": csrf])
            #expect(lost.status == .conflict)
            #expect(lost.body.string.contains("该时段刚刚已被其他居民预约"))
        }
    }
}
