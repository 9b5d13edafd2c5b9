import Foundation
import MinqingDomain
import Testing
import VaporTesting

@testable import MinqingServer

/// The register search's rows of the access matrix (issue 21): the page, its form and the API.
/// The fixture persons are called 住户R01, 住户R02, 住户near and 住户far; each reach's outside home is
/// one of them, so a search for 住户 must list only the caller's own (the matrix's leak check on
/// the GET page), and a search by an outside home's ID number answers as a miss.
extension AccessMatrixTests {
    static let registrySearchProbes: [Probe] = [
        // Inside: a name prefix of the fixtures; outside: a shorter one that also fits the
        // outside home's person, who must not be listed.
        Probe(
            method: .GET, route: "/registry/search", web: true,
            request: { _, w, _, _ in (SiteURL.registry(.search).path([("q", w == .inside ? "住户R0" : "住户")]), nil) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 303),
        // By ID number: the person inside opens their page (303); outside, nobody found (200).
        Probe(
            method: .POST, route: "/registry/search", web: true,
            request: { r, w, _, f in ("/registry/search", ["q": f.idNumbers[w == .inside ? r.homeIn : r.homeOut]!]) },
            expect: "303|200 303|200 303|200 303|200 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/api/v1/registry/search", web: false,
            request: { r, w, _, f in ("/api/v1/registry/search", ["q": f.idNumbers[w == .inside ? r.homeIn : r.homeOut]!, "page": 1]) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 401)
    ]
}

/// The register's everyday writes (issue 21): a new household from a node page, a person added
/// to a household (API and page), a help request, aid, moving out or a death (API and page), and
/// the node's CSV export. They come last in the matrix: the page records the inside fixture
/// person as moved out (or finds them moved out by an identity hold's decision), so the API's
/// departure after it answers 409 inside (a departure is recorded once).
extension AccessMatrixTests {
    /// A valid ID number for these rows, born 2000-01-01, apart from `matrixIDNumber`'s (1980).
    static func registryWriteIDNumber(_ n: Int) -> String {
        let body = "31010620000101" + String(format: "%03d", n % 1000)
        return body + String(ResidentIDNumber.checkCharacter(for: body)!)
    }

    static let registryWriteProbes: [Probe] = [
        Probe(
            method: .GET, route: "/registry/nodes/:code/new-household", web: true,
            request: { r, w, _, _ in ("/registry/nodes/\(w == .inside ? r.nodeIn : r.nodeOut)/new-household", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/registry/nodes/:code/new-household", web: true,
            request: { r, w, n, _ in
                (
                    "/registry/nodes/\(w == .inside ? r.nodeIn : r.nodeOut)/new-household",
                    [
                        "node": w == .inside ? r.buildingGroupIn : r.buildingGroupOut, "address": "矩阵新户 \(n) 号",
                        "members[0][name]": "矩阵户主", "members[0][id_number]": registryWriteIDNumber(n),
                        "members[0][relation]": "head", "members[0][residence_status]": "registered"
                    ]
                )
            },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        // Plain numbers with a purpose: the roles that may reveal numbers get the CSV.
        Probe(
            method: .POST, route: "/registry/nodes/:code/export", web: true,
            request: { r, w, _, _ in
                (
                    "/registry/nodes/\(w == .inside ? r.nodeIn : r.nodeOut)/export",
                    ["plain": "1", "purpose": "verification", "purpose_detail": "权限矩阵测试", "lang": "zh"]
                )
            },
            expect: "200|404 200|404 200|404 403 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/registry/households/:id/members", web: true,
            request: { r, w, n, f in
                (
                    "/registry/households/\(f.households[w == .inside ? r.homeIn : r.homeOut]!)/members",
                    [
                        "joined": "moved_in", "name": "矩阵成员", "id_number": registryWriteIDNumber(n), "relation": "son",
                        "residence_status": "registered"
                    ]
                )
            },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/api/v1/registry/households/:id/members", web: false,
            request: { r, w, n, f in
                (
                    "/api/v1/registry/households/\(f.households[w == .inside ? r.homeIn : r.homeOut]!)/members",
                    ["name": "矩阵成员", "id_number": registryWriteIDNumber(n), "relation": "daughter", "residence_status": "resident"]
                )
            },
            expect: "201|404 201|404 201|404 201|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/registry/persons/:id/help-requests", web: true,
            request: { r, w, _, f in
                (
                    "/registry/persons/\(f.persons[w == .inside ? r.homeIn : r.homeOut]!)/help-requests",
                    ["category": "就医求助", "description": "网页矩阵测试", "requested_on": ""]
                )
            },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/registry/persons/:id/aid", web: true,
            request: { r, w, _, f in
                (
                    "/registry/persons/\(f.persons[w == .inside ? r.homeIn : r.homeOut]!)/aid",
                    ["programme": "临时救助", "kind": "cash", "amount": "500", "given_on": ""]
                )
            },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/registry/persons/:id/departure", web: true,
            request: { r, w, _, f in
                ("/registry/persons/\(f.persons[w == .inside ? r.homeIn : r.homeOut]!)/departure", ["reason": "moved_out", "on": ""])
            },
            // Inside, the three roles that resolve identity holds find the fixture person gone
            // already: the hold's "same person" decision (securityProbes) moved them out (409).
            expect: "409|404 409|404 409|404 303|404 403 403 403 403 403", anonymous: 403),
        // After the page's row the inside person has moved out already: recorded once (409).
        Probe(
            method: .POST, route: "/api/v1/registry/persons/:id/departure", web: false,
            request: { r, w, _, f in
                ("/api/v1/registry/persons/\(f.persons[w == .inside ? r.homeIn : r.homeOut]!)/departure", ["reason": "died"])
            },
            expect: "409|404 409|404 409|404 409|404 403 403 403 403 403", anonymous: 401)
    ]
}
