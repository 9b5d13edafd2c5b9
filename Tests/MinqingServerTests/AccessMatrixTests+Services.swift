import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// The services capability's rows of the access matrix, and their fixtures: at each fixture
/// home a unit's resource (open to everyone, approval needed) with free slots and a requested
/// booking by the home's resident, a limited-stock campaign, and an award in the ledger.
extension AccessMatrixTests {
    static func addServiceFixtures(_ app: Application, _ fixtures: inout Fixtures) async throws {
        let sql = app.db.sql
        struct Node: Decodable { var id: UUID; var subdistrict_id: UUID? }
        struct ID: Decodable { var id: UUID }
        let now = TestClock.pinnedNow()
        for (key, group) in homes {
            let node = try await sql.raw("SELECT id, subdistrict_id FROM grid_nodes WHERE code = \(bind: group)").first(decoding: Node.self)!
            let resident = try await sql.raw("SELECT id FROM accounts WHERE username = \(bind: homeResidents[key]!)").first(decoding: ID.self)!.id
            let unit = UUID(), resource = UUID()
            try await sql.raw(
                """
                INSERT INTO service_units (id, subdistrict_id, grid_node_id, name, unit_kind) VALUES
                (\(bind: unit), \(bind: node.subdistrict_id), \(bind: node.id), \(bind: "矩阵单位\(key)"), '企业')
                """
            ).run()
            try await sql.raw(
                """
                INSERT INTO service_resources (id, subdistrict_id, unit_id, grid_node_id, name, category, kind, place, capacity, opening_hours,
                                               slot_minutes, rules, bookers, needs_approval)
                VALUES (\(bind: resource), \(bind: node.subdistrict_id), \(bind: unit), \(bind: node.id), '会议室', '场地空间', '会议室', '二楼',
                        20, '1-7 08:00-20:00', 60, '', 'all', \(bind: true))
                """
            ).run()
            fixtures.extra["service.resource.\(key)"] = resource
            // Two slots more, open and free, for the staff's slot actions (API and page).
            for (offset, name) in ["book", "wbook", "booked", "wbooked", "close", "wclose"].enumerated() {
                let slot = UUID()
                let start = now.addingTimeInterval(Double(2 * 86_400 + offset * 3600))
                try await sql.raw(
                    """
                    INSERT INTO service_slots (id, resource_id, starts_at, ends_at, local_date)
                    VALUES (\(bind: slot), \(bind: resource), \(bind: start), \(bind: start.addingTimeInterval(3600)), \(bind: CivilDate(start, in: .shanghai).iso8601))
                    """
                ).run()
                fixtures.extra["service.slot.\(name).\(key)"] = slot
                guard name.hasSuffix("booked") else { continue }
                let booking = UUID()
                try await sql.raw(
                    """
                    INSERT INTO service_bookings (id, subdistrict_id, resource_id, slot_id, slot_hold, account_id, booker_node_id, organisation,
                                                  purpose, attendees, status)
                    VALUES (\(bind: booking), \(bind: node.subdistrict_id), \(bind: resource), \(bind: slot), \(bind: slot), \(bind: resident),
                            \(bind: node.id), '', '', 1, 'requested')
                    """
                ).run()
                fixtures.extra["service.\(name == "booked" ? "booking" : "wbooking").\(key)"] = booking
            }
            let campaign = UUID()
            try await sql.raw(
                """
                INSERT INTO service_campaigns (id, subdistrict_id, grid_node_id, kind, title, stock_total, remaining, per_household_limit,
                                               pickup_place, status)
                VALUES (\(bind: campaign), \(bind: node.subdistrict_id), \(bind: node.id), 'reservation', '口罩预约', 100, 100, 5, '居委会', 'open')
                """
            ).run()
            fixtures.extra["service.campaign.\(key)"] = campaign
            // Registration forms (one optional text field): one for the API probes, one for the pages.
            for name in ["form", "wform"] {
                let form = UUID()
                try await sql.raw(
                    """
                    INSERT INTO service_campaigns (id, subdistrict_id, grid_node_id, kind, title, description, stock_total, remaining, per_household_limit,
                                                   pickup_place, status)
                    VALUES (\(bind: form), \(bind: node.subdistrict_id), \(bind: node.id), 'registration', '返沪登记', '', 0, 0, 0, '', 'open')
                    """
                ).run()
                try await sql.raw(
                    """
                    INSERT INTO campaign_fields (id, campaign_id, position, label_zh, label_en, field_type, required, options)
                    VALUES (\(bind: UUID()), \(bind: form), 1, '备注', 'Note', 'text', \(bind: false), '')
                    """
                ).run()
                fixtures.extra["service.\(name).\(key)"] = form
            }
            // Volunteer teams per role (so each role's member probe adds to a team of its own; `web-` for
            // the pages) and a reward too dear for anyone.
            for role in Role.allCases {
                for prefix in ["", "web-"] {
                    let team = UUID()
                    try await sql.raw(
                        """
                        INSERT INTO volunteer_teams (id, subdistrict_id, grid_node_id, name, kind) VALUES
                        (\(bind: team), \(bind: node.subdistrict_id), \(bind: node.id), \(bind: "平安巡逻队\(prefix)\(role.rawValue)"), '平安巡逻')
                        """
                    ).run()
                    fixtures.extra["service.team.\(prefix)\(role.rawValue).\(key)"] = team
                }
            }
            let reward = UUID()
            try await sql.raw(
                """
                INSERT INTO service_rewards (id, subdistrict_id, grid_node_id, name, unit, price, stock, remaining) VALUES
                (\(bind: reward), \(bind: node.subdistrict_id), \(bind: node.id), '环保袋', 'points', 100000, 10, 10)
                """
            ).run()
            fixtures.extra["service.reward.\(key)"] = reward
            // Check-in campaigns with the home's resident on the roster: one for the API, one for the pages.
            for name in ["checkin-c", "wcheckin-c"] {
                let campaign = UUID()
                let today = CivilDate(now, in: .shanghai)
                try await sql.raw(
                    """
                    INSERT INTO service_campaigns (id, subdistrict_id, grid_node_id, kind, title, description, stock_total, remaining, per_household_limit,
                                                   pickup_place, status, starts_on, ends_on, self_enrol)
                    VALUES (\(bind: campaign), \(bind: node.subdistrict_id), \(bind: node.id), 'checkin', '健康打卡', '', 0, 0, 0, '', 'open',
                            \(bind: try today.adding(days: -1).iso8601), \(bind: try today.adding(days: 3).iso8601), \(bind: true))
                    """
                ).run()
                try await sql.raw(
                    """
                    INSERT INTO campaign_roster (id, campaign_id, account_id, grid_node_id, enrolled_by, created_at)
                    VALUES (\(bind: UUID()), \(bind: campaign), \(bind: resident), \(bind: node.id), 'matrix', \(bind: now))
                    """
                ).run()
                fixtures.extra["service.\(name).\(key)"] = campaign
            }
            try await sql.raw(
                """
                INSERT INTO resident_households (id, account_id, household_id) VALUES (\(bind: UUID()), \(bind: resident), \(bind: fixtures.households[key]!))
                ON CONFLICT (account_id) DO NOTHING
                """
            ).run()
            // An award of 30 points from the home's pool to its resident, to reverse.
            let pool = UUID(), member = UUID(), transfer = UUID()
            try await sql.raw(
                """
                INSERT INTO ledger_accounts (id, subdistrict_id, grid_node_id, holder_key, unit, kind, account_id, name) VALUES
                (\(bind: pool), \(bind: node.subdistrict_id), \(bind: node.id), \(bind: "pool:matrix-\(key)"), 'points', 'pool', NULL, '池'),
                (\(bind: member), \(bind: node.subdistrict_id), \(bind: node.id), \(bind: "account:\(resident.uuidString.lowercased())"), 'points', 'member', \(bind: resident), '住户')
                """
            ).run()
            try await sql.raw(
                """
                INSERT INTO ledger_transfers (id, subdistrict_id, grid_node_id, unit, from_account_id, to_account_id, amount, memo, created_at)
                VALUES (\(bind: transfer), \(bind: node.subdistrict_id), \(bind: node.id), 'points', \(bind: pool), \(bind: member), 30, '矩阵', \(bind: now))
                """
            ).run()
            try await sql.raw(
                """
                INSERT INTO ledger_movements (id, transfer_id, ledger_account_id, amount, created_at) VALUES
                (\(bind: UUID()), \(bind: transfer), \(bind: pool), -30, \(bind: now)), (\(bind: UUID()), \(bind: transfer), \(bind: member), 30, \(bind: now))
                """
            ).run()
            fixtures.extra["service.transfer.\(key)"] = transfer
            // Another award, of 10 points, for the statement page's reversal button.
            let wtransfer = UUID()
            try await sql.raw(
                """
                INSERT INTO ledger_transfers (id, subdistrict_id, grid_node_id, unit, from_account_id, to_account_id, amount, memo, created_at)
                VALUES (\(bind: wtransfer), \(bind: node.subdistrict_id), \(bind: node.id), 'points', \(bind: pool), \(bind: member), 10, '矩阵页面', \(bind: now))
                """
            ).run()
            try await sql.raw(
                """
                INSERT INTO ledger_movements (id, transfer_id, ledger_account_id, amount, created_at) VALUES
                (\(bind: UUID()), \(bind: wtransfer), \(bind: pool), -10, \(bind: now)), (\(bind: UUID()), \(bind: wtransfer), \(bind: member), 10, \(bind: now))
                """
            ).run()
            fixtures.extra["service.wtransfer.\(key)"] = wtransfer
            // An activity, and the home's resident signed up for two more (to check in, by the API and on the page).
            for name in ["activity", "wactivity", "checkin", "checkin.web"] {
                let activity = UUID()
                try await sql.raw(
                    """
                    INSERT INTO volunteer_activities (id, subdistrict_id, grid_node_id, team, title, place, starts_at, ends_at, minutes, capacity, signed_up)
                    VALUES (\(bind: activity), \(bind: node.subdistrict_id), \(bind: node.id), '平安巡逻', '夜间巡逻', '小区', \(bind: now.addingTimeInterval(86_400)),
                            \(bind: now.addingTimeInterval(90_000)), 60, 30, \(bind: name.hasPrefix("checkin") ? 1 : 0))
                    """
                ).run()
                fixtures.extra["service.\(name).\(key)"] = activity
                guard name.hasPrefix("checkin") else { continue }
                try await sql.raw(
                    """
                    INSERT INTO activity_signups (id, activity_id, account_id, status) VALUES (\(bind: UUID()), \(bind: activity), \(bind: resident), 'signed_up')
                    """
                ).run()
            }
        }
    }

    static func serviceUser(_ role: Role) -> Bool { role != .departmentHandler }
    static func serviceBooker(_ role: Role) -> Bool { role == .resident || ServicesService.organisationRoles.contains(role) }

    static func serviceID(_ f: Fixtures, _ name: String, _ r: Reach, _ w: Where) -> String {
        f.extra["service.\(name).\(w == .inside ? r.homeIn : r.homeOut)"]!.uuidString
    }

    /// Residents and organisations see and book the resources of their whole subdistrict; the
    /// `outside` home of every booker reach (R02) lies in the same subdistrict.
    static let serviceProbes: [Probe] = serviceCoreProbes + timeBankProbes

    static let serviceCoreProbes: [Probe] = [
        Probe(
            method: .GET, route: "/api/v1/services/resources", web: false, request: { _, _, _, _ in ("/api/v1/services/resources", nil) },
            expect: "200 200 200 200 403 200 200 200 200", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/services/resources", web: false,
            request: { r, w, n, _ in
                (
                    "/api/v1/services/resources",
                    [
                        "unit_name": "单位\(n)", "name": "活动室", "category": "场地空间", "kind": "活动室",
                        "place": "一楼", "capacity": 10, "opening_hours": "1-5 09:00-17:00",
                        "node": w == .inside ? r.nodeIn : r.nodeOut
                    ]
                )
            },
            expect: "201|422 201|422 201|422 201|422 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/services/resources/:id/slots", web: false,
            request: { r, w, _, f in ("/api/v1/services/resources/\(serviceID(f, "resource", r, w))/slots", nil) },
            expect: "200|404 200|404 200|404 200|404 403 200 200 200 200", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/services/resources/:id/slots", web: false,
            request: { r, w, _, f in
                (
                    "/api/v1/services/resources/\(serviceID(f, "resource", r, w))/slots",
                    ["date": (try? CivilDate.today(now: TestClock.pinnedNow()).adding(days: 3))?.iso8601 ?? ""]
                )
            },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/services/bookings", web: false, request: { _, _, _, _ in ("/api/v1/services/bookings", nil) },
            expect: "200 200 200 200 403 200 200 200 200", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/services/bookings", web: false,
            request: { r, w, _, f in ("/api/v1/services/bookings", ["slot_id": serviceID(f, "slot.book", r, w), "organisation": "矩阵志愿队"]) },
            expect: "403 403 403 403 403 201 201 201 201", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/services/bookings/:id/:action", web: false,
            request: { r, w, _, f in ("/api/v1/services/bookings/\(serviceID(f, "booking", r, w))/\(staff(r.role) ? "approve" : "cancel")", [:]) },
            expect: "200|404 200|404 200|404 200|404 403 404 404 404 200|404",
            anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/services/campaigns", web: false,
            request: { r, w, _, _ in
                (
                    "/api/v1/services/campaigns",
                    [
                        "title": "口罩", "stock": 10, "per_household_limit": 2,
                        "node": w == .inside ? r.nodeIn : r.nodeOut
                    ]
                )
            },
            expect: "201|422 201|422 201|422 201|422 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/services/campaigns/:id", web: false,
            request: { r, w, _, f in ("/api/v1/services/campaigns/\(serviceID(f, "campaign", r, w))", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 200|404", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/services/campaigns/:id/reservations.csv", web: false,
            request: { r, w, _, f in ("/api/v1/services/campaigns/\(serviceID(f, "campaign", r, w))/reservations.csv", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/services/campaigns/:id/reservations", web: false,
            request: { r, w, _, f in ("/api/v1/services/campaigns/\(serviceID(f, "campaign", r, w))/reservations", ["quantity": 2]) },
            expect: "403 403 403 403 403 403 403 403 201|404", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/services/campaigns", web: false, request: { _, _, _, _ in ("/api/v1/services/campaigns", nil) },
            expect: "200 200 200 200 403 403 403 403 200", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/services/campaigns/:id/form", web: false,
            request: { r, w, _, f in ("/api/v1/services/campaigns/\(serviceID(f, "form", r, w))/form", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 200|404", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/services/campaigns/:id/entries", web: false,
            request: { r, w, _, f in ("/api/v1/services/campaigns/\(serviceID(f, "form", r, w))/entries", ["answers": [String: [String]]()]) },
            expect: "403 403 403 403 403 403 403 403 201|404", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/services/campaigns/:id/entries.csv", web: false,
            request: { r, w, _, f in ("/api/v1/services/campaigns/\(serviceID(f, "form", r, w))/entries.csv", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/services/campaigns/:id", web: true,
            request: { r, w, _, f in ("/services/campaigns/\(serviceID(f, "wform", r, w))", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 200|404", anonymous: 303),
        Probe(
            method: .POST, route: "/services/campaigns/:id/entries", web: true,
            request: { r, w, _, f in ("/services/campaigns/\(serviceID(f, "wform", r, w))/entries", ["x": "1"]) },
            expect: "403 403 403 403 403 403 403 403 303|404", anonymous: 403),
        Probe(
            method: .POST, route: "/api/v1/services/campaigns/:id/roster", web: false,
            request: { r, w, _, f in ("/api/v1/services/campaigns/\(serviceID(f, "checkin-c", r, w))/roster", ["usernames": [r.userIn]]) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/services/campaigns/:id/days", web: false,
            request: { r, w, _, f in ("/api/v1/services/campaigns/\(serviceID(f, "checkin-c", r, w))/days", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/services/campaigns/:id/remind", web: false,
            request: { r, w, _, f in ("/api/v1/services/campaigns/\(serviceID(f, "checkin-c", r, w))/remind", [:]) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/services/campaigns/:id/missed", web: false,
            request: { r, w, _, f in ("/api/v1/services/campaigns/\(serviceID(f, "checkin-c", r, w))/missed", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/services/campaigns/:id/missed/by-group", web: false,
            request: { r, w, _, f in ("/api/v1/services/campaigns/\(serviceID(f, "checkin-c", r, w))/missed/by-group", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/services/campaigns/:id/alerts", web: false,
            request: { r, w, _, f in ("/api/v1/services/campaigns/\(serviceID(f, "checkin-c", r, w))/alerts", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/services/campaigns/:id/enrol", web: false,
            request: { r, w, _, f in ("/api/v1/services/campaigns/\(serviceID(f, "checkin-c", r, w))/enrol", [:]) },
            expect: "403 403 403 403 403 403 403 403 204|404", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/services/campaigns/:id/checkins", web: false,
            request: { r, w, _, f in ("/api/v1/services/campaigns/\(serviceID(f, "checkin-c", r, w))/checkins", ["note": "36.6"]) },
            expect: "403 403 403 403 403 403 403 403 201|404", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/services/campaigns/:id/checkins/me", web: false,
            request: { r, w, _, f in ("/api/v1/services/campaigns/\(serviceID(f, "checkin-c", r, w))/checkins/me", nil) },
            expect: "403 403 403 403 403 403 403 403 200|404", anonymous: 401),
        Probe(
            method: .POST, route: "/services/campaigns/:id/checkin", web: true,
            request: { r, w, _, f in ("/services/campaigns/\(serviceID(f, "wcheckin-c", r, w))/checkin", ["note": "36.6"]) },
            expect: "403 403 403 403 403 403 403 403 303|404", anonymous: 403),
        Probe(
            method: .POST, route: "/services/campaigns/:id/enrol", web: true,
            request: { r, w, _, f in ("/services/campaigns/\(serviceID(f, "wcheckin-c", r, w))/enrol", ["x": "1"]) },
            expect: "403 403 403 403 403 403 403 403 303|404", anonymous: 403),
        Probe(
            method: .GET, route: "/api/v1/services/teams", web: false, request: { _, _, _, _ in ("/api/v1/services/teams", nil) },
            expect: "200 200 200 200 403 200 200 200 200", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/services/teams", web: false,
            request: { r, w, n, _ in ("/api/v1/services/teams", ["name": "清洁家园队\(n)", "kind": "清洁家园", "node": w == .inside ? r.nodeIn : r.nodeOut]) },
            expect: "201|422 201|422 201|422 201|422 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/services/teams/:id", web: false,
            request: { r, w, _, f in ("/api/v1/services/teams/\(serviceID(f, "team.\(r.role.rawValue)", r, w))", nil) },
            expect: "200|404 200|404 200|404 200|404 403 200 200 200 200", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/services/teams/:id/members", web: false,
            request: { r, w, _, f in ("/api/v1/services/teams/\(serviceID(f, "team.\(r.role.rawValue)", r, w))/members", ["username": r.userIn]) },
            expect: "201|404 201|404 201|404 201|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/services/teams/:id/members/:username/leave", web: false,
            request: { r, w, _, f in ("/api/v1/services/teams/\(serviceID(f, "team.\(r.role.rawValue)", r, w))/members/\(r.username)/leave", [:]) },
            expect: "409|404 409|404 409|404 409|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/services/rewards", web: false, request: { _, _, _, _ in ("/api/v1/services/rewards", nil) },
            expect: "200 200 200 200 403 200 200 200 200", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/services/rewards", web: false,
            request: { r, w, _, _ in
                (
                    "/api/v1/services/rewards",
                    [
                        "name": "环保袋", "unit": "green", "price": 50, "stock": 20,
                        "node": w == .inside ? r.nodeIn : r.nodeOut
                    ]
                )
            },
            expect: "201|422 201|422 201|422 201|422 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/services/rewards/:id/redemptions", web: false,
            request: { r, w, _, f in ("/api/v1/services/rewards/\(serviceID(f, "reward", r, w))/redemptions", [:]) },
            expect: "409|404 409|404 409|404 409|404 403 409 409 409 409", anonymous: 401),
        Probe(
            method: .GET, route: "/services/manage", web: true, request: { _, _, _, _ in ("/services/manage", nil) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/services/manage/:what", web: true,
            request: { r, w, n, _ in ("/services/manage/teams", ["name": "巡逻队\(n)", "kind": "平安巡逻", "node": w == .inside ? r.nodeIn : r.nodeOut]) },
            expect: "303|422 303|422 303|422 303|422 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/api/v1/services/ledger/awards", web: false,
            // Awards go to residents and volunteers: the demo resident lies inside every staff scope.
            request: { r, w, _, _ in
                (
                    "/api/v1/services/ledger/awards",
                    [
                        "username": w == .inside ? "resident" : r.userOut, "unit": "minutes",
                        "amount": 60, "memo": "巡逻"
                    ]
                )
            },
            expect: "201|422 201|422 201|422 201|422 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/services/ledger/transfers/:id/reverse", web: false,
            request: { r, w, _, f in ("/api/v1/services/ledger/transfers/\(serviceID(f, "transfer", r, w))/reverse", [:]) },
            expect: "201|404 201|404 201|404 201|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/services/ledger/redemptions", web: false,
            request: { _, _, _, _ in ("/api/v1/services/ledger/redemptions", ["unit": "green", "amount": 5, "reward": "环保袋"]) },
            expect: "409 409 409 409 403 409 409 409 409", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/services/ledger/me", web: false, request: { _, _, _, _ in ("/api/v1/services/ledger/me", nil) },
            expect: "200 200 200 200 200 200 200 200 200", anonymous: 401),
        Probe(
            method: .GET, route: "/services", web: true, request: { _, _, _, _ in ("/services", nil) },
            expect: "200 200 200 200 403 200 200 200 200", anonymous: 303),
        Probe(
            method: .GET, route: "/services/resources/:id", web: true,
            request: { r, w, _, f in ("/services/resources/\(serviceID(f, "resource", r, w))", nil) },
            expect: "200|404 200|404 200|404 200|404 403 200 200 200 200", anonymous: 303),
        Probe(
            method: .POST, route: "/services/bookings", web: true,
            request: { r, w, _, f in ("/services/bookings", ["slot_id": serviceID(f, "slot.wbook", r, w), "organisation": "矩阵志愿队"]) },
            expect: "403 403 403 403 403 303 303 303 303", anonymous: 403),
        Probe(
            method: .POST, route: "/services/bookings/:id/:action", web: true,
            request: { r, w, _, f in ("/services/bookings/\(serviceID(f, "wbooking", r, w))/\(staff(r.role) ? "approve" : "cancel")", ["x": "1"]) },
            expect: "303|404 303|404 303|404 303|404 403 404 404 404 303|404",
            anonymous: 403),
        Probe(
            method: .POST, route: "/services/campaigns/:id/reserve", web: true,
            request: { r, w, _, f in ("/services/campaigns/\(serviceID(f, "campaign", r, w))/reserve", ["quantity": "1"]) },
            expect: "403 403 403 403 403 403 403 403 303|404", anonymous: 403),
        Probe(
            method: .POST, route: "/services/activities/:id/signup", web: true,
            request: { r, w, _, f in ("/services/activities/\(serviceID(f, "wactivity", r, w))/signup", ["x": "1"]) },
            expect: "403 403 403 403 403 403 403 303 303", anonymous: 403),
        Probe(
            method: .GET, route: "/api/v1/services/activities", web: false, request: { _, _, _, _ in ("/api/v1/services/activities", nil) },
            expect: "200 200 200 200 403 200 200 200 200", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/services/activities", web: false,
            request: { r, w, _, _ in
                (
                    "/api/v1/services/activities",
                    [
                        "team": "清洁家园", "title": "清扫楼道", "minutes": 90, "capacity": 10,
                        "starts_at": ISO8601DateFormatter().string(from: TestClock.pinnedNow().addingTimeInterval(86_400)),
                        "ends_at": ISO8601DateFormatter().string(from: TestClock.pinnedNow().addingTimeInterval(90_000)),
                        "node": w == .inside ? r.nodeIn : r.nodeOut
                    ]
                )
            },
            expect: "201|422 201|422 201|422 201|422 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/services/activities/:id/signups", web: false,
            request: { r, w, _, f in ("/api/v1/services/activities/\(serviceID(f, "activity", r, w))/signups", [:]) },
            expect: "403 403 403 403 403 403 403 201 201", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/services/activities/:id/check-ins", web: false,
            request: { r, w, _, f in
                (
                    "/api/v1/services/activities/\(serviceID(f, "checkin", r, w))/check-ins",
                    ["username": homeResidents[w == .inside ? r.homeIn : r.homeOut]!]
                )
            },
            expect: "201|404 201|404 201|404 201|404 403 403 403 403 403", anonymous: 401),
        // 约空间's slots: the staff who manage a resource (its node in their scope) see its week,
        // generate its slots and open, close or block them; residents and organisations see what
        // they may book across their subdistrict.
        Probe(
            method: .GET, route: "/api/v1/services/resources/:id/week", web: false,
            request: { r, w, _, f in ("/api/v1/services/resources/\(serviceID(f, "resource", r, w))/week", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/services/resources/:id/generate", web: false,
            request: { r, w, _, f in ("/api/v1/services/resources/\(serviceID(f, "resource", r, w))/generate", ["weeks": 2]) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/services/slots/:id/:action", web: false,
            request: { r, w, _, f in ("/api/v1/services/slots/\(serviceID(f, "slot.close", r, w))/close", [:]) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/services/open-slots", web: false, request: { _, _, _, _ in ("/api/v1/services/open-slots", nil) },
            expect: "403 403 403 403 403 200 200 200 200", anonymous: 401),
        Probe(
            method: .GET, route: "/services/resources/:id/week", web: true,
            request: { r, w, _, f in ("/services/resources/\(serviceID(f, "resource", r, w))/week", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/services/resources/:id/generate", web: true,
            request: { r, w, _, f in ("/services/resources/\(serviceID(f, "resource", r, w))/generate", ["weeks": "2"]) },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/services/slots/:id/:action", web: true,
            request: { r, w, _, f in ("/services/slots/\(serviceID(f, "slot.wclose", r, w))/block", ["reason": "活动占用"]) },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403)
    ]
}
