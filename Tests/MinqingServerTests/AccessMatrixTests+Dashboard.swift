import Foundation
import MinqingDomain
import Testing
import VaporTesting

@testable import MinqingServer

/// 社区大脑's rows of the access matrix: grid staff see the dashboard of any node inside their
/// subtree (404 outside, like a node that does not exist); every other role is refused.
extension AccessMatrixTests {
    static func dashboardExpected(_ role: Role, _ w: Where) -> UInt { role.isGridStaff ? (w == .inside ? 200 : 404) : 403 }

    static let dashboardProbes: [Probe] = [
        Probe(
            method: .GET, route: "/api/v1/dashboard", web: false,
            request: { r, w, _, _ in ("/api/v1/dashboard?node=\(w == .inside ? r.nodeIn : r.nodeOut)", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/dashboard/panels/:panel", web: false,
            request: { r, w, _, _ in ("/api/v1/dashboard/panels/cases?node=\(w == .inside ? r.nodeIn : r.nodeOut)", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/dashboard", web: true,
            request: { r, w, _, _ in ("/dashboard?node=\(w == .inside ? r.nodeIn : r.nodeOut)", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .GET, route: "/dashboard/panels/:panel", web: true,
            request: { r, w, _, _ in ("/dashboard/panels/aid?node=\(w == .inside ? r.nodeIn : r.nodeOut)", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .GET, route: "/dashboard/csv/:panel/:table", web: true,
            request: { r, w, _, _ in ("/dashboard/csv/population/by_child?node=\(w == .inside ? r.nodeIn : r.nodeOut)", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 303)
    ]
}
