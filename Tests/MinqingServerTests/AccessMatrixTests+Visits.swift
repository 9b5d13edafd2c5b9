import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// The visit log's rows of the access matrix, and their fixtures: a visit at each fixture home,
/// a resident account at each (the demo's `resident` lives at R01), and slots and bookings in
/// the states each probe needs, one set per home so the probes do not step on each other.
extension AccessMatrixTests {
    static func visitKey(_ name: String, _ home: String) -> String { "\(name).\(home)" }

    /// The resident account of each fixture home.
    static let homeResidents = ["R01": "resident", "R02": "res_r02", "near": "res_near", "far": "res_far"]

    static func addVisitFixtures(_ app: Application, _ fixtures: inout Fixtures) async throws {
        let sql = app.db.sql
        for (key, username) in homeResidents where username != "resident" {
            _ = try await AccountService.create(
                NewAccount(
                    username: username, displayName: "住户\(key)", role: "resident",
                    scopeCode: homes[key]!, password: "Outside-Pass-1", mustChangePassword: false),
                by: .console, app: app, on: app.db, now: TestClock.pinnedNow())
        }
        struct Account: Decodable { var id: UUID; var username: String }
        let accounts = Dictionary(
            try await sql.raw("SELECT id, username FROM accounts").all(decoding: Account.self).map { ($0.username, $0.id) },
            uniquingKeysWith: { a, _ in a })
        let now = TestClock.pinnedNow()
        for (key, household) in fixtures.households {
            struct Node: Decodable { var id: UUID }
            let node = try await sql.raw("SELECT id FROM grid_nodes WHERE code = \(bind: homes[key]!)").first(decoding: Node.self)!.id
            let staff = accounts[key == "far" ? "far_staff" : "admin"]!
            let visit = UUID()
            try await sql.raw(
                """
                INSERT INTO visits (id, household_id, grid_node_id, visited_at, local_date, method, kind, summary, recorded_by)
                VALUES (\(bind: visit), \(bind: household), \(bind: node), \(bind: now), \(bind: CivilDate.today(now: TestClock.pinnedNow()).iso8601), 'home', 'routine', '', \(bind: staff))
                """
            ).run()
            try await sql.raw(
                """
                INSERT INTO visit_households (visit_id, household_id, grid_node_id, local_date)
                VALUES (\(bind: visit), \(bind: household), \(bind: node), \(bind: CivilDate.today(now: TestClock.pinnedNow()).iso8601))
                """
            ).run()
            fixtures.extra[visitKey("visit", key)] = visit
            // Free slots (to book, to move to) and booked ones in the states the probes need.
            let plan: [(String, BookingStatus?)] = [
                ("open", nil), ("wopen", nil), ("target", nil), ("wtarget", nil),
                ("confirm", .requested), ("propose", .requested), ("done", .confirmed), ("cancel", .requested), ("accept", .proposed),
                ("wconfirm", .requested), ("wpropose", .requested), ("wcancel", .requested), ("waccept", .proposed)
            ]
            for (offset, (name, status)) in plan.enumerated() {
                let slot = UUID()
                let start = now.addingTimeInterval(Double(2 * 86_400 + offset * 3600))
                try await sql.raw(
                    """
                    INSERT INTO visit_slots (id, grid_node_id, offered_by, starts_at, ends_at, local_date, place, withdrawn)
                    VALUES (\(bind: slot), \(bind: node), \(bind: staff), \(bind: start), \(bind: start.addingTimeInterval(3600)),
                            \(bind: CivilDate(start, in: .shanghai).iso8601), '上门', \(bind: false))
                    """
                ).run()
                fixtures.extra[visitKey("slot." + name, key)] = slot
                guard let status else { continue }
                let booking = UUID()
                try await sql.raw(
                    """
                    INSERT INTO visit_bookings (id, slot_id, slot_hold, account_id, household_id, grid_node_id, status, note)
                    VALUES (\(bind: booking), \(bind: slot), \(bind: slot), \(bind: accounts[homeResidents[key]!]!), \(bind: household),
                            \(bind: node), \(bind: status.rawValue), '')
                    """
                ).run()
                fixtures.extra[visitKey("booking." + name, key)] = booking
            }
        }
    }

    static func staffOnly(_ role: Role, _ w: Where, inside: UInt, outside: UInt) -> UInt {
        role.isGridStaff ? (w == .inside ? inside : outside) : 403
    }

    static func parties(_ role: Role, _ w: Where, inside: UInt, outside: UInt) -> UInt {
        role.isGridStaff || role == .resident ? (w == .inside ? inside : outside) : 403
    }

    static func residentOnly(_ role: Role, _ w: Where, inside: UInt, outside: UInt) -> UInt {
        role == .resident ? (w == .inside ? inside : outside) : 403
    }

    static func home(_ r: Reach, _ w: Where) -> String { w == .inside ? r.homeIn : r.homeOut }
    static func id(_ f: Fixtures, _ name: String, _ r: Reach, _ w: Where) -> String { f.extra[visitKey(name, home(r, w))]!.uuidString }
    static func iso(_ hours: Double) -> String { ISO8601DateFormatter().string(from: TestClock.pinnedNow().addingTimeInterval(hours * 3600)) }
    static func local(_ hours: Double) -> String { LocalTime.value(TestClock.pinnedNow().addingTimeInterval(hours * 3600)) }

    static let visitProbes: [Probe] = [
        // JSON: visits, 十必访, settings, compliance
        Probe(
            method: .POST, route: "/api/v1/visits", web: false,
            request: { r, w, _, f in ("/api/v1/visits", ["households": [f.households[home(r, w)]!.uuidString], "method": "home", "summary": "矩阵"]) },
            expect: "201|422 201|422 201|422 201|422 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/visits", web: false, request: { _, _, _, _ in ("/api/v1/visits", nil) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/visits/:id", web: false, request: { r, w, _, f in ("/api/v1/visits/\(id(f, "visit", r, w))", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/visits/must-visit", web: false,
            request: { r, w, _, _ in ("/api/v1/visits/must-visit?node=\(w == .inside ? r.nodeIn : r.nodeOut)", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/visits/must-visit/categories", web: false,
            request: { _, _, _, _ in ("/api/v1/visits/must-visit/categories", nil) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .PUT, route: "/api/v1/visits/must-visit/categories/:code", web: false,
            request: { _, w, _, _ in ("/api/v1/visits/must-visit/categories/\(w == .inside ? "very_old" : "nothing")", ["frequency_days": 30]) },
            expect: "200|404 403 403 403 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/visits/quotas", web: false, request: { _, _, _, _ in ("/api/v1/visits/quotas", nil) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .PUT, route: "/api/v1/visits/quotas/:role", web: false,
            request: { _, w, _, _ in ("/api/v1/visits/quotas/\(w == .inside ? "area_cadre" : "resident")", ["households": 5, "period": "working_day"])
            },
            expect: "200|404 403 403 403 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .PUT, route: "/api/v1/visits/postings/:username", web: false,
            request: { r, w, _, _ in ("/api/v1/visits/postings/\(w == .inside ? r.userIn : r.userOut)", ["workload_percent": 100]) },
            expect: "204|404 204|404 403 403 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .PUT, route: "/api/v1/visits/residents/:username/household", web: false,
            request: { r, w, _, f in
                (
                    "/api/v1/visits/residents/\(homeResidents[home(r, w)]!)/household",
                    ["household_id": f.households[home(r, w)]!.uuidString]
                )
            },
            expect: "204|404 204|404 204|404 204|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/visits/compliance", web: false,
            request: { r, w, _, _ in ("/api/v1/visits/compliance?period=year&node=\(w == .inside ? r.nodeIn : r.nodeOut)", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
        // JSON: 约走访
        Probe(
            method: .POST, route: "/api/v1/visits/slots", web: false,
            request: { r, w, _, _ in ("/api/v1/visits/slots", ["starts_at": iso(30), "ends_at": iso(31), "node": w == .inside ? r.nodeIn : r.nodeOut])
            },
            expect: "201|422 201|422 201|422 201|422 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/visits/slots", web: false, request: { _, _, _, _ in ("/api/v1/visits/slots", nil) },
            expect: "200 200 200 200 403 403 403 403 200", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/visits/bookings", web: false,
            request: { r, w, _, f in ("/api/v1/visits/bookings", ["slot_id": id(f, "slot.open", r, w)]) },
            expect: "403 403 403 403 403 403 403 403 201|404", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/visits/bookings", web: false, request: { _, _, _, _ in ("/api/v1/visits/bookings", nil) },
            expect: "200 200 200 200 403 403 403 403 200", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/visits/bookings/:id", web: false,
            request: { r, w, _, f in ("/api/v1/visits/bookings/\(id(f, "booking.confirm", r, w))", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 200|404", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/visits/bookings/:id/confirm", web: false,
            request: { r, w, _, f in ("/api/v1/visits/bookings/\(id(f, "booking.confirm", r, w))/confirm", [String: Any]()) },
            expect: "204|404 204|404 204|404 204|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/visits/bookings/:id/propose", web: false,
            request: { r, w, _, f in
                ("/api/v1/visits/bookings/\(id(f, "booking.propose", r, w))/propose", ["slot_id": id(f, "slot.target", r, .inside)])
            },
            expect: "204|404 204|404 204|404 204|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/visits/bookings/:id/accept", web: false,
            request: { r, w, _, f in ("/api/v1/visits/bookings/\(id(f, "booking.accept", r, w))/accept", [String: Any]()) },
            expect: "403 403 403 403 403 403 403 403 204|404", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/visits/bookings/:id/cancel", web: false,
            request: { r, w, _, f in ("/api/v1/visits/bookings/\(id(f, "booking.cancel", r, w))/cancel", [String: Any]()) },
            expect: "204|404 204|404 204|404 204|404 403 403 403 403 204|404", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/visits/bookings/:id/done", web: false,
            request: { r, w, _, f in ("/api/v1/visits/bookings/\(id(f, "booking.done", r, w))/done", ["method": "home", "summary": "预约走访"]) },
            expect: "201|404 201|404 201|404 201|404 403 403 403 403 403", anonymous: 401),
        // Pages
        Probe(
            method: .GET, route: "/visits", web: true, request: { _, _, _, _ in ("/visits", nil) },
            expect: "200 200 200 200 403 403 403 403 303", anonymous: 303),
        Probe(
            method: .GET, route: "/visits/new", web: true,
            request: { r, w, _, f in ("/visits/new?household=\(f.households[home(r, w)]!.uuidString)", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/visits/new", web: true,
            request: { r, w, _, f in
                ("/visits/new", ["household": f.households[home(r, w)]!.uuidString, "method": "phone", "kind": "routine", "summary": "矩阵"])
            },
            expect: "303|422 303|422 303|422 303|422 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .GET, route: "/visits/records/:id", web: true, request: { r, w, _, f in ("/visits/records/\(id(f, "visit", r, w))", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .GET, route: "/visits/overdue", web: true, request: { _, _, _, _ in ("/visits/overdue", nil) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .GET, route: "/visits/compliance", web: true,
            request: { r, w, _, _ in ("/visits/compliance?node=\(w == .inside ? r.nodeIn : r.nodeOut)", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .GET, route: "/visits/slots", web: true, request: { _, _, _, _ in ("/visits/slots", nil) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/visits/slots", web: true,
            request: { r, w, _, _ in ("/visits/slots", ["starts_at": local(40), "ends_at": local(41), "node": w == .inside ? r.nodeIn : r.nodeOut]) },
            expect: "303|422 303|422 303|422 303|422 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/visits/bookings/:id/confirm", web: true,
            request: { r, w, _, f in ("/visits/bookings/\(id(f, "booking.wconfirm", r, w))/confirm", ["x": "1"]) },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/visits/bookings/:id/propose", web: true,
            request: { r, w, _, f in ("/visits/bookings/\(id(f, "booking.wpropose", r, w))/propose", ["slot_id": id(f, "slot.wtarget", r, .inside)])
            },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/visits/bookings/:id/cancel", web: true,
            request: { r, w, _, f in ("/visits/bookings/\(id(f, "booking.wcancel", r, w))/cancel", ["x": "1"]) },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 303|404", anonymous: 403),
        Probe(
            method: .GET, route: "/visits/booking", web: true, request: { _, _, _, _ in ("/visits/booking", nil) },
            expect: "403 403 403 403 403 403 403 403 200", anonymous: 303),
        Probe(
            method: .POST, route: "/visits/booking", web: true,
            request: { r, w, _, f in ("/visits/booking", ["slot_id": id(f, "slot.wopen", r, w)]) },
            expect: "403 403 403 403 403 403 403 403 303|404", anonymous: 403),
        Probe(
            method: .POST, route: "/visits/bookings/:id/accept", web: true,
            request: { r, w, _, f in ("/visits/bookings/\(id(f, "booking.waccept", r, w))/accept", ["x": "1"]) },
            expect: "403 403 403 403 403 403 403 403 303|404", anonymous: 403),
        // Pages: settings (frequencies and quotas by administrators, postings by account managers)
        // and linking resident accounts to households (grid staff), as the API allows.
        Probe(
            method: .GET, route: "/visits/settings", web: true, request: { _, _, _, _ in ("/visits/settings", nil) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/visits/settings/categories/:code", web: true,
            request: { _, w, _, _ in ("/visits/settings/categories/\(w == .inside ? "very_old" : "nothing")", ["frequency_days": "30"]) },
            expect: "303|404 403 403 403 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/visits/settings/quotas/:role", web: true,
            request: { _, w, _, _ in
                ("/visits/settings/quotas/\(w == .inside ? "area_cadre" : "resident")", ["households": "5", "period": "working_day"])
            },
            expect: "303|404 403 403 403 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .GET, route: "/visits/settings/postings/:username", web: true,
            request: { r, w, _, _ in ("/visits/settings/postings/\(w == .inside ? r.userIn : r.userOut)", nil) },
            expect: "200|404 200|404 403 403 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/visits/settings/postings/:username", web: true,
            request: { r, w, _, _ in ("/visits/settings/postings/\(w == .inside ? r.userIn : r.userOut)", ["workload_percent": "100"]) },
            expect: "303|404 303|404 403 403 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .GET, route: "/visits/residents", web: true, request: { _, _, _, _ in ("/visits/residents", nil) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .GET, route: "/visits/residents/:username", web: true,
            request: { r, w, _, _ in ("/visits/residents/\(homeResidents[home(r, w)]!)", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/visits/residents/:username", web: true,
            request: { r, w, _, f in
                ("/visits/residents/\(homeResidents[home(r, w)]!)", ["household_id": f.households[home(r, w)]!.uuidString])
            },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403)
    ]
}
