import Foundation
import MinqingDomain
import Testing
import VaporTesting

@testable import MinqingServer

/// The access-matrix rows of the time-bank pages and statement, the volunteer pages and the
/// roster form (`serviceProbes` takes them in; fixtures in AccessMatrixTests+Services).
extension AccessMatrixTests {
    /// The person whose statement a probe asks for: the demo resident (R01, inside every staff
    /// scope; the resident themself), or the resident of the home outside the caller's scope.
    static func statementOf(_ r: Reach, _ w: Where) -> String { w == .inside ? "resident" : homeResidents[r.homeOut]! }

    /// The time bank's pages and statement, the volunteer pages and the roster form: a statement
    /// is one's own or, for staff, a person's in scope (404 otherwise, the same as nobody); the
    /// rest are the staff's, like their JSON routes.
    static let timeBankProbes: [Probe] = [
        Probe(
            method: .GET, route: "/services/ledger", web: true, request: { _, _, _, _ in ("/services/ledger", nil) },
            expect: "200 200 200 200 403 200 200 200 200", anonymous: 303),
        Probe(
            method: .GET, route: "/services/ledger/people", web: true, request: { _, _, _, _ in ("/services/ledger/people", nil) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .GET, route: "/services/ledger/people/:username", web: true,
            request: { r, w, _, _ in ("/services/ledger/people/\(statementOf(r, w))", nil) },
            expect: "200|404 200|404 200|404 200|404 403 404 404 404 200|404", anonymous: 303),
        Probe(
            method: .GET, route: "/api/v1/services/ledger/people/:username", web: false,
            request: { r, w, _, _ in ("/api/v1/services/ledger/people/\(statementOf(r, w))", nil) },
            expect: "200|404 200|404 200|404 200|404 403 404 404 404 200|404", anonymous: 401),
        Probe(
            method: .POST, route: "/services/ledger/awards", web: true,
            request: { r, w, _, _ in ("/services/ledger/awards", ["username": statementOf(r, w), "unit": "points", "amount": "5", "memo": "巡逻"]) },
            expect: "303|422 303|422 303|422 303|422 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/services/ledger/redemptions", web: true,
            request: { _, _, _, _ in ("/services/ledger/redemptions", ["unit": "green", "amount": "5", "reward": "环保袋"]) },
            expect: "409 409 409 409 403 409 409 409 409", anonymous: 403),
        Probe(
            method: .POST, route: "/services/ledger/transfers/:id/reverse", web: true,
            request: { r, w, _, f in ("/services/ledger/transfers/\(serviceID(f, "wtransfer", r, w))/reverse", ["person": "resident"]) },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/services/rewards/:id/redeem", web: true,
            request: { r, w, _, f in ("/services/rewards/\(serviceID(f, "reward", r, w))/redeem", ["x": "1"]) },
            expect: "409|404 409|404 409|404 409|404 403 409 409 409 409", anonymous: 403),
        Probe(
            method: .GET, route: "/services/activities/:id", web: true,
            request: { r, w, _, f in ("/services/activities/\(serviceID(f, "checkin", r, w))", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/services/activities/:id/check-in", web: true,
            request: { r, w, _, f in
                (
                    "/services/activities/\(serviceID(f, "checkin.web", r, w))/check-in",
                    ["username": homeResidents[w == .inside ? r.homeIn : r.homeOut]!]
                )
            },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .GET, route: "/services/teams/:id", web: true,
            request: { r, w, _, f in ("/services/teams/\(serviceID(f, "team.\(r.role.rawValue)", r, w))", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/services/teams/:id/members", web: true,
            request: { r, w, _, f in
                ("/services/teams/\(serviceID(f, "team.web-\(r.role.rawValue)", r, w))/members", ["username": "resident", "role": "member"])
            },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/services/teams/:id/members/:username/leave", web: true,
            request: { r, w, _, f in
                ("/services/teams/\(serviceID(f, "team.web-\(r.role.rawValue)", r, w))/members/resident/leave", ["x": "1"])
            },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/services/campaigns/:id/remind", web: true,
            request: { r, w, _, f in ("/services/campaigns/\(serviceID(f, "wcheckin-c", r, w))/remind", [:]) },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/services/campaigns/:id/roster", web: true,
            request: { r, w, _, f in
                ("/services/campaigns/\(serviceID(f, "wcheckin-c", r, w))/roster", ["node": w == .inside ? r.nodeIn : r.nodeOut])
            },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403)
    ]
}
