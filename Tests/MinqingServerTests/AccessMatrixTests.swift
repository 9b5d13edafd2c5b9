import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// Every route × every role × a resource inside and outside the caller's scope → the expected
/// status. Each capability adds its routes to `cases`; a completeness check fails when a route
/// is registered without a row here.
@Suite("Access matrix")
struct AccessMatrixTests {
    enum Where: String, CaseIterable { case inside, outside }

    /// What each demo account may reach and what lies just outside its subtree.
    struct Reach {
        var username: String
        var role: Role
        var nodeIn: String
        var nodeOut: String
        var userIn: String
        var userOut: String
        /// Keys of the fixture households inside and outside the scope (see `addOutside`).
        var homeIn: String = "R01"
        var homeOut: String = "R02"
        var buildingGroupIn: String { AccessMatrixTests.homes[homeIn]! }
        var buildingGroupOut: String { AccessMatrixTests.homes[homeOut]! }
    }

    /// The building group of each fixture household.
    static let homes = [
        "R01": "310106019-1-01-1-01", "R02": "310106019-1-02-1-01",
        "near": "310106020-1-01-1-01", "far": "320100001-1-01-1-01"
    ]

    /// Households (one person each) made for the matrix, by key.
    struct Fixtures: Sendable {
        var households: [String: UUID] = [:]
        var persons: [String: UUID] = [:]
        var idNumbers: [String: String] = [:]
        var groups: [String: UUID] = [:]
        /// A current tag assignment on each fixture person (one per role run: the end probe ends it).
        var assignments: [String: UUID] = [:]
        /// Another one, for the person page's end form.
        var webAssignments: [String: UUID] = [:]
        /// A file waiting in the import wizard for each demo account and for `far_staff`, by username.
        var uploads: [String: String] = [:]
        /// Further ids by key, e.g. the visit log's `visit.R01`, `slot.open.R01`, `booking.confirm.R01`.
        var extra: [String: UUID] = [:]
    }

    static let reaches: [Reach] = [
        Reach(
            username: "admin", role: .admin, nodeIn: "310106019-1-01", nodeOut: "320000", userIn: "cadre2", userOut: "far_staff", homeIn: "R01",
            homeOut: "far"),
        Reach(
            username: "staff", role: .subdistrictStaff, nodeIn: "310106019-1-01", nodeOut: "310106020", userIn: "cadre2", userOut: "near_staff",
            homeIn: "R01", homeOut: "near"),
        Reach(username: "cadre", role: .areaCadre, nodeIn: "310106019-1-01-1", nodeOut: "310106019-1-02", userIn: "gridworker", userOut: "cadre2"),
        Reach(
            username: "gridworker", role: .gridWorker, nodeIn: "310106019-1-01-1-01", nodeOut: "310106019-1-01-2", userIn: "resident",
            userOut: "cadre"),
        Reach(username: "handler", role: .departmentHandler, nodeIn: "310106019-1-01", nodeOut: "310106020", userIn: "cadre", userOut: "near_staff"),
        Reach(
            username: "property", role: .propertyCompany, nodeIn: "310106019-1-01-1", nodeOut: "310106019-1-02", userIn: "committee",
            userOut: "cadre2"),
        Reach(
            username: "committee", role: .ownersCommittee, nodeIn: "310106019-1-01-1", nodeOut: "310106019-1-02", userIn: "property",
            userOut: "cadre2"),
        Reach(username: "volunteer", role: .volunteer, nodeIn: "310106019-1-01-1", nodeOut: "310106019-1-02", userIn: "resident", userOut: "cadre2"),
        Reach(
            username: "resident", role: .resident, nodeIn: "310106019-1-01-1-01", nodeOut: "310106019-1-01-1-02", userIn: "resident", userOut: "cadre"
        )
    ]

    /// The roles in the order of a probe's `expect` literal.
    static let roleOrder: [Role] = [
        .admin, .subdistrictStaff, .areaCadre, .gridWorker, .departmentHandler,
        .propertyCompany, .ownersCommittee, .volunteer, .resident
    ]

    /// One probe: a request and the status each role must get, inside and outside its scope.
    struct Probe: Sendable {
        var method: HTTPMethod
        /// The route as registered, e.g. `/api/v1/grid/nodes/:code`.
        var route: String
        var web: Bool
        var request: @Sendable (Reach, Where, Int, Fixtures) -> (path: String, body: [String: Any]?)
        /// The status each role gets, written out: nine cells in `roleOrder` (admin, subdistrict
        /// staff, area cadre, grid worker, department handler, property company, owners'
        /// committee, volunteer, resident), each `inside|outside` or one status for both. A
        /// literal, not a production role set: widening who may reach a route fails here.
        var expect: String
        /// Without signing in.
        var anonymous: UInt
        /// A web form sent as `multipart/form-data`; the body's `file` member is the file part.
        var multipart = false

        /// The expected status of `role` at `place`, from `expect`.
        func expected(_ role: Role, _ place: Where) -> UInt {
            let cells = expect.split(separator: " ")
            precondition(cells.count == 9, "\(route): expect needs nine cells")
            let cell = cells[AccessMatrixTests.roleOrder.firstIndex(of: role)!].split(separator: "|")
            return UInt(place == .inside ? cell[0] : cell[cell.count - 1])!
        }

        /// Whether the route as registered matches `path` (`:name` one segment, `**` the rest).
        func resolves(_ path: String) -> Bool {
            let pattern = route.split(separator: "/"),
                parts = path.split(separator: "?")[0].split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            let given = Array(parts.filter { !$0.isEmpty })
            if pattern.last == "**" {
                return given.count >= pattern.count - 1 && zip(pattern, given).allSatisfy { $0 == "**" || $0.hasPrefix(":") || $0 == $1 }
            }
            return pattern.count == given.count && zip(pattern, given).allSatisfy { $0.hasPrefix(":") ? !$1.isEmpty : $0 == $1 }
        }
    }

    /// Text that only the fixtures outside `reach`'s scope carry: a list answering 200 inside the
    /// scope must hold none of it (a leak of another area's rows would pass a status check).
    static func outsideMarkers(_ reach: Reach, _ fixtures: Fixtures) -> [String] {
        let home = reach.homeOut
        var markers = ["住户\(home)", "\(home) 1 号"]
        for id in [fixtures.households[home], fixtures.persons[home], fixtures.groups[home]].compactMap({ $0 }) {
            markers += [id.uuidString, id.uuidString.lowercased()]
        }
        for (key, id) in fixtures.extra where key.hasSuffix(".\(home)") {
            // Shared across the subdistrict by design: the units' resources, activities, teams
            // and rewards (临汾共享) and the units residents register with (双报到).
            if home == "R02", subdistrictShared.contains(where: { key.hasPrefix($0) }) { continue }
            markers += [id.uuidString, id.uuidString.lowercased()]
        }
        return markers
    }

    /// Fixtures every account of the subdistrict may see, whatever area they lie in.
    static let subdistrictShared = [
        "service.resource.", "service.team.", "service.reward.", "service.activity.", "service.wactivity.",
        "service.checkin.", "org.unit."
    ]

    /// GET probes whose answer may carry an outside fixture's text, and why.
    static let outsideVisible: [String: String] = [
        "GET /admin/audit": "the audit trail covers the whole deployment; only an administrator at a root node reads it",
        "GET /api/v1/audit": "the audit trail covers the whole deployment; only an administrator at a root node reads it"
    ]

    /// Sends a probe's web form, as multipart with its `file` member as the file when asked.
    static func sendForm(_ client: TestClient, _ probe: Probe, _ path: String, _ fields: [String: String]) async throws -> TestingHTTPResponse {
        guard probe.multipart else { return try await client.form(path, fields) }
        var text = fields
        let file = text.removeValue(forKey: "file") ?? ""
        return try await client.multipart(path, fields: text, files: ["file": ("matrix.csv", Array(file.utf8))])
    }

    static func staff(_ role: Role) -> Bool { role.isGridStaff }
    static func managers(_ role: Role) -> Bool { role.managesAccounts }

    static let probes: [Probe] =
        [
            Probe(
                method: .GET, route: "/api/v1/me", web: false, request: { _, _, _, _ in ("/api/v1/me", nil) },
                expect: "200 200 200 200 200 200 200 200 200", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/grid/scope", web: false, request: { _, _, _, _ in ("/api/v1/grid/scope", nil) },
                expect: "200 200 200 200 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/grid/nodes/:code", web: false,
                request: { r, w, _, _ in ("/api/v1/grid/nodes/\(w == .inside ? r.nodeIn : r.nodeOut)", nil) },
                expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/accounts", web: false, request: { _, _, _, _ in ("/api/v1/accounts", nil) },
                expect: "200 200 403 403 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/accounts/:username", web: false,
                request: { r, w, _, _ in ("/api/v1/accounts/\(w == .inside ? r.userIn : r.userOut)", nil) },
                expect: "200|404 200|404 403 403 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .PATCH, route: "/api/v1/accounts/:username", web: false,
                request: { r, w, _, _ in ("/api/v1/accounts/\(w == .inside ? r.userIn : r.userOut)", ["disabled": false]) },
                expect: "200|404 200|404 403 403 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/accounts", web: false,
                request: { r, w, n, _ in
                    (
                        "/api/v1/accounts",
                        [
                            "username": "m\(n)", "display_name": "测试", "role": "subdistrict_staff",
                            "scope": w == .inside ? r.nodeIn : r.nodeOut
                        ]
                    )
                },
                expect: "201|422 201|422 403 403 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/audit", web: false, request: { _, _, _, _ in ("/api/v1/audit", nil) },
                expect: "200 403 403 403 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/audit/verify", web: false, request: { _, _, _, _ in ("/api/v1/audit/verify", nil) },
                expect: "200 403 403 403 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .PUT, route: "/api/v1/me/password", web: false,
                request: { _, _, _, _ in ("/api/v1/me/password", ["current_password": "not-it-123", "new_password": "Another-Pass-9"]) },
                expect: "422 422 422 422 422 422 422 422 422", anonymous: 401),
            Probe(
                method: .GET, route: "/", web: true, request: { _, _, _, _ in ("/", nil) }, expect: "200 200 200 200 200 200 200 200 200",
                anonymous: 303),
            Probe(
                method: .GET, route: "/account/password", web: true, request: { _, _, _, _ in ("/account/password", nil) },
                expect: "200 200 200 200 200 200 200 200 200", anonymous: 303),
            Probe(
                method: .POST, route: "/account/password", web: true,
                request: { _, _, _, _ in
                    ("/account/password", ["current_password": "not-it-123", "new_password": "Another-Pass-9", "confirm_password": "Another-Pass-9"])
                },
                expect: "422 422 422 422 422 422 422 422 422", anonymous: 403),
            Probe(
                method: .GET, route: "/grid", web: true, request: { _, _, _, _ in ("/grid", nil) },
                expect: "303 303 303 303 403 403 403 403 403", anonymous: 303),
            Probe(
                method: .GET, route: "/grid/:code", web: true,
                request: { r, w, _, _ in ("/grid/\(w == .inside ? r.nodeIn : r.nodeOut)", nil) },
                expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 303),
            Probe(
                method: .GET, route: "/admin/accounts", web: true, request: { _, _, _, _ in ("/admin/accounts", nil) },
                expect: "200 200 403 403 403 403 403 403 403", anonymous: 303),
            Probe(
                method: .POST, route: "/admin/accounts", web: true,
                request: { r, w, n, _ in
                    (
                        "/admin/accounts",
                        [
                            "username": "w\(n)", "display_name": "测试", "role": "subdistrict_staff",
                            "scope": w == .inside ? r.nodeIn : r.nodeOut
                        ]
                    )
                },
                expect: "201|422 201|422 403 403 403 403 403 403 403", anonymous: 403),
            Probe(
                method: .POST, route: "/admin/accounts/:username/disabled", web: true,
                request: { r, w, _, _ in ("/admin/accounts/\(w == .inside ? r.userIn : r.userOut)/disabled", ["disabled": "0"]) },
                expect: "303|404 303|404 403 403 403 403 403 403 403", anonymous: 403),
            Probe(
                method: .GET, route: "/admin/audit", web: true, request: { _, _, _, _ in ("/admin/audit", nil) },
                expect: "200 403 403 403 403 403 403 403 403", anonymous: 303),
            Probe(
                method: .GET, route: "/registry", web: true, request: { _, _, _, _ in ("/registry", nil) },
                expect: "303 303 303 303 403 403 403 403 403", anonymous: 303),
            Probe(
                method: .GET, route: "/registry/nodes/:code", web: true,
                request: { r, w, _, _ in ("/registry/nodes/\(w == .inside ? r.nodeIn : r.nodeOut)", nil) },
                expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 303),
            Probe(
                method: .GET, route: "/registry/compounds", web: true,
                request: { r, w, _, _ in ("/registry/compounds?node=\(w == .inside ? r.nodeIn : r.nodeOut)", nil) },
                expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 303),
            Probe(
                method: .GET, route: "/registry/compounds/:id", web: true,
                request: { r, w, _, f in ("/registry/compounds/\(f.extra["compound.\(w == .inside ? r.homeIn : r.homeOut)"]!)", nil) },
                expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 303),
            Probe(
                method: .GET, route: "/api/v1/registry/compounds", web: false,
                request: { r, w, _, _ in ("/api/v1/registry/compounds?node=\(w == .inside ? r.nodeIn : r.nodeOut)", nil) },
                expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/registry/compounds/:id", web: false,
                request: { r, w, _, f in ("/api/v1/registry/compounds/\(f.extra["compound.\(w == .inside ? r.homeIn : r.homeOut)"]!)", nil) },
                expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/registry/compounds/:id/dwellings", web: false,
                request: { r, w, _, f in ("/api/v1/registry/compounds/\(f.extra["compound.\(w == .inside ? r.homeIn : r.homeOut)"]!)/dwellings", nil)
                },
                expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .GET, route: "/registry/households/:id", web: true,
                request: { r, w, _, f in ("/registry/households/\(f.households[w == .inside ? r.homeIn : r.homeOut]!)", nil) },
                expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 303),
            Probe(
                method: .GET, route: "/registry/persons/:id", web: true,
                request: { r, w, _, f in ("/registry/persons/\(f.persons[w == .inside ? r.homeIn : r.homeOut]!)", nil) },
                expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 303),
            Probe(
                method: .POST, route: "/registry/persons/:id/reveal", web: true,
                request: { r, w, _, f in
                    (
                        "/registry/persons/\(f.persons[w == .inside ? r.homeIn : r.homeOut]!)/reveal",
                        ["field": "phone", "purpose": "verification", "purpose_detail": "权限矩阵测试"]
                    )
                },
                expect: "200|404 200|404 200|404 403 403 403 403 403 403", anonymous: 403),
            Probe(
                method: .GET, route: "/registry/tags", web: true, request: { _, _, _, _ in ("/registry/tags", nil) },
                expect: "200 200 200 200 403 403 403 403 403", anonymous: 303),
            Probe(
                method: .GET, route: "/registry/import", web: true, request: { _, _, _, _ in ("/registry/import", nil) },
                expect: "200 200 200 200 403 403 403 403 403", anonymous: 303),
            Probe(
                method: .POST, route: "/registry/import", web: true,
                request: { r, w, n, _ in
                    (
                        "/registry/import",
                        [
                            "kind": "households", "encoding": "auto",
                            "file": "楼组编码,地址\n\(w == .inside ? r.buildingGroupIn : r.buildingGroupOut),矩阵向导 \(n) 号\n"
                        ]
                    )
                },
                expect: "200|422 200|422 200|422 200|422 403 403 403 403 403", anonymous: 403, multipart: true),
            // Each account confirms its own waiting file; another account's token is unknown to it.
            Probe(
                method: .POST, route: "/registry/import/confirm", web: true,
                request: { r, w, _, f in ("/registry/import/confirm", ["token": f.uploads[w == .inside ? r.username : "far_staff"]!]) },
                expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 403),
            Probe(
                method: .GET, route: "/registry/import/template/:kind", web: true,
                request: { _, w, _, _ in ("/registry/import/template/\(w == .inside ? "dwellings" : "nothing")", nil) },
                expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 303),
            Probe(
                method: .POST, route: "/registry/tags", web: true,
                request: { _, w, n, _ in
                    (
                        "/registry/tags",
                        [
                            "code": w == .inside ? "web.matrix\(n)" : "BAD CODE", "name_zh": "网页测试",
                            "name_en": "Web test", "kind": "management"
                        ]
                    )
                },
                expect: "303|422 303|422 403 403 403 403 403 403 403", anonymous: 403),
            Probe(
                method: .POST, route: "/registry/persons/:id/tags", web: true,
                request: { r, w, _, f in
                    (
                        "/registry/persons/\(f.persons[w == .inside ? r.homeIn : r.homeOut]!)/tags",
                        ["code": "mgmt.matrix_web", "source": "manual"]
                    )
                },
                expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
            Probe(
                method: .POST, route: "/registry/persons/:id/tags/:assignment/end", web: true,
                request: { r, w, _, f in
                    (
                        "/registry/persons/\(f.persons[w == .inside ? r.homeIn : r.homeOut]!)/tags/\(f.webAssignments[w == .inside ? r.homeIn : r.homeOut]!)/end",
                        ["ends_on": ""]
                    )
                },
                expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
            Probe(
                method: .GET, route: "/registry/smart-groups", web: true,
                request: { r, w, _, _ in ("/registry/smart-groups?node=\(w == .inside ? r.buildingGroupIn : r.buildingGroupOut)&min_age=18", nil) },
                expect: "200|422 200|422 200|422 200|422 403 403 403 403 403", anonymous: 303),
            Probe(
                method: .POST, route: "/registry/smart-groups", web: true,
                request: { r, w, n, _ in
                    (
                        "/registry/smart-groups",
                        [
                            "name": "网页分组\(n)", "node": w == .inside ? r.buildingGroupIn : r.buildingGroupOut,
                            "min_age": "18"
                        ]
                    )
                },
                expect: "303|422 303|422 303|422 303|422 403 403 403 403 403", anonymous: 403),
            Probe(
                method: .GET, route: "/registry/smart-groups/:id", web: true,
                request: { r, w, _, f in ("/registry/smart-groups/\(f.groups[w == .inside ? r.homeIn : r.homeOut]!)", nil) },
                expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 303),
            Probe(
                method: .GET, route: "/api/v1/registry/summary", web: false, request: { _, _, _, _ in ("/api/v1/registry/summary", nil) },
                expect: "200 200 200 200 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/registry/tags", web: false, request: { _, _, _, _ in ("/api/v1/registry/tags", nil) },
                expect: "200 200 200 200 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/registry/households/:id", web: false,
                request: { r, w, _, f in ("/api/v1/registry/households/\(f.households[w == .inside ? r.homeIn : r.homeOut]!)", nil) },
                expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/registry/persons/:id", web: false,
                request: { r, w, _, f in ("/api/v1/registry/persons/\(f.persons[w == .inside ? r.homeIn : r.homeOut]!)", nil) },
                expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/registry/persons/lookup", web: false,
                request: { r, w, _, f in ("/api/v1/registry/persons/lookup", ["id_number": f.idNumbers[w == .inside ? r.homeIn : r.homeOut]!]) },
                expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/registry/persons/:id/reveal", web: false,
                request: { r, w, _, f in
                    (
                        "/api/v1/registry/persons/\(f.persons[w == .inside ? r.homeIn : r.homeOut]!)/reveal",
                        ["field": "phone", "purpose": "verification", "purpose_detail": "权限矩阵测试"]
                    )
                },
                expect: "200|404 200|404 200|404 403 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/registry/households", web: false,
                request: { r, w, n, _ in
                    (
                        "/api/v1/registry/households",
                        [
                            "node": w == .inside ? r.buildingGroupIn : r.buildingGroupOut, "address": "测试地址 \(n) 号",
                            "members": [["name": "测试", "id_number": matrixIDNumber(n), "relation": "head", "residence_status": "registered"]]
                        ]
                    )
                },
                expect: "201|422 201|422 201|422 201|422 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/registry/tags", web: false,
                request: { _, _, n, _ in
                    ("/api/v1/registry/tags", ["code": "test.matrix\(n)", "name_zh": "测试", "name_en": "Test", "kind": "management"])
                },
                expect: "201 201 403 403 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/registry/persons/:id/tags", web: false,
                request: { r, w, _, f in
                    ("/api/v1/registry/persons/\(f.persons[w == .inside ? r.homeIn : r.homeOut]!)/tags", ["code": "id.newcomer", "source": "manual"])
                },
                expect: "201|404 201|404 201|404 201|404 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/registry/persons/:id/tags/:assignment/end", web: false,
                request: { r, w, _, f in
                    (
                        "/api/v1/registry/persons/\(f.persons[w == .inside ? r.homeIn : r.homeOut]!)/tags/\(f.assignments[w == .inside ? r.homeIn : r.homeOut]!)/end",
                        ["ends_on": ""]
                    )
                },
                expect: "204|404 204|404 204|404 204|404 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/registry/persons/:id/help-requests", web: false,
                request: { r, w, _, f in
                    (
                        "/api/v1/registry/persons/\(f.persons[w == .inside ? r.homeIn : r.homeOut]!)/help-requests",
                        ["category": "就医求助", "description": "需要陪诊"]
                    )
                },
                expect: "201|404 201|404 201|404 201|404 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/registry/persons/:id/aid", web: false,
                request: { r, w, _, f in
                    (
                        "/api/v1/registry/persons/\(f.persons[w == .inside ? r.homeIn : r.homeOut]!)/aid",
                        ["programme": "临时救助", "kind": "cash", "amount_fen": 50000]
                    )
                },
                expect: "201|404 201|404 201|404 201|404 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/registry/smart-groups/preview", web: false,
                request: { r, w, _, _ in
                    (
                        "/api/v1/registry/smart-groups/preview",
                        ["criteria": ["node": w == .inside ? r.buildingGroupIn : r.buildingGroupOut, "min_age": 18]]
                    )
                },
                expect: "200|422 200|422 200|422 200|422 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/registry/smart-groups", web: false, request: { _, _, _, _ in ("/api/v1/registry/smart-groups", nil) },
                expect: "200 200 200 200 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/registry/smart-groups", web: false,
                request: { r, w, n, _ in
                    (
                        "/api/v1/registry/smart-groups",
                        ["name": "分组\(n)", "criteria": ["node": w == .inside ? r.buildingGroupIn : r.buildingGroupOut]]
                    )
                },
                expect: "201|422 201|422 201|422 201|422 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/registry/smart-groups/:id/members", web: false,
                request: { r, w, _, f in ("/api/v1/registry/smart-groups/\(f.groups[w == .inside ? r.homeIn : r.homeOut]!)/members", nil) },
                expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/registry/smart-groups/:id/export", web: false,
                request: { r, w, _, f in ("/api/v1/registry/smart-groups/\(f.groups[w == .inside ? r.homeIn : r.homeOut]!)/export", nil) },
                expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/registry/import/persons", web: false,
                request: { r, w, n, _ in
                    (
                        "/api/v1/registry/import/persons?dry_run=true",
                        [
                            "csv":
                                "户号,楼组编码,地址,姓名,身份证号,与户主关系,居住状态\nM\(n),\(w == .inside ? r.buildingGroupIn : r.buildingGroupOut),测试地址,测试,\(matrixIDNumber(n)),户主,户籍\n"
                        ]
                    )
                },
                expect: "200|422 200|422 200|422 200|422 403 403 403 403 403", anonymous: 401),
            // The demo grid has no tag catalogue, so readers get 422 (unknown tag) inside and outside;
            // RegistryImportTests covers the scope of tag imports.
            Probe(
                method: .POST, route: "/api/v1/registry/import/tags", web: false,
                request: { r, w, _, f in
                    (
                        "/api/v1/registry/import/tags?dry_run=true",
                        ["csv": "身份证号,标签\n\(f.idNumbers[w == .inside ? r.homeIn : r.homeOut]!),alone\n"]
                    )
                },
                expect: "422 422 422 422 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/registry/import/households", web: false,
                request: { r, w, n, _ in
                    (
                        "/api/v1/registry/import/households?dry_run=true",
                        ["csv": "楼组编码,地址\n\(w == .inside ? r.buildingGroupIn : r.buildingGroupOut),矩阵测试地址 \(n) 号\n"]
                    )
                },
                expect: "200|422 200|422 200|422 200|422 403 403 403 403 403", anonymous: 401),
            // Each fixture home's residential area has a compound `C-<home>` (see `addOutside`).
            Probe(
                method: .POST, route: "/api/v1/registry/import/dwellings", web: false,
                request: { r, w, n, _ in
                    (
                        "/api/v1/registry/import/dwellings?dry_run=true",
                        [
                            "csv":
                                "小区编码,楼组编码,室号,登记面积\nC-\(w == .inside ? r.homeIn : r.homeOut),\(w == .inside ? r.buildingGroupIn : r.buildingGroupOut),\(n),60.25\n"
                        ]
                    )
                },
                expect: "200|422 200|422 200|422 200|422 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/registry/export/dwellings", web: false,
                request: { r, w, _, _ in ("/api/v1/registry/export/dwellings?node=\(w == .inside ? r.nodeIn : r.nodeOut)", nil) },
                expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/registry/export/persons", web: false,
                request: { r, w, _, _ in ("/api/v1/registry/export/persons?node=\(w == .inside ? r.nodeIn : r.nodeOut)", nil) },
                expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/registry/export/persons", web: false,
                request: { r, w, _, _ in
                    (
                        "/api/v1/registry/export/persons",
                        ["node": w == .inside ? r.nodeIn : r.nodeOut, "plain": true, "purpose": "verification", "purpose_detail": "权限矩阵测试"]
                    )
                },
                expect: "200|404 200|404 200|404 403 403 403 403 403 403", anonymous: 401)
        ] + visitProbes + votingProbes + caseProbes + serviceProbes + topicProbes + open311Probes + dashboardProbes + organisationProbes
        + oversightProbes
        + securityProbes + registrySearchProbes + registryWriteProbes + residentProbes + notificationProbes

    /// Routes open to everybody, and the two that end the session (probed last, separately).
    static let publicRoutes: Set<String> = [
        "GET /healthz", "GET /metrics", "GET /openapi.json", "GET /assets/:file",
        "GET /login", "POST /login", "GET /lang/:lang", "POST /api/v1/auth/token",
        "GET /login/second-factor", "POST /login/second-factor", "GET /privacy",
        "GET /signup", "POST /signup", "POST /api/v1/residents/signup",
        "GET /password/forgot", "POST /password/forgot", "GET /password/reset", "POST /password/reset",
        "POST /api/v1/auth/password-code", "POST /api/v1/auth/password-reset"
    ]
    static let sessionEnders: Set<String> = ["POST /logout", "DELETE /api/v1/auth/token"]

    /// Adds what lies outside the demo's scopes (a second subdistrict and a second city, each
    /// with staff and a building group), and one household of one person at each fixture home.
    static func addOutside(_ app: Application) async throws -> Fixtures {
        var nodes: [NewGridNode] = [
            NewGridNode(code: "310106020", name: "彭浦新村街道", level: .subdistrict, parentCode: "310106", sortOrder: 1),
            NewGridNode(code: "320000", name: "江苏省", level: .city, parentCode: nil, sortOrder: 1),
            NewGridNode(code: "320100", name: "玄武区", level: .district, parentCode: "320000", sortOrder: 0),
            NewGridNode(code: "320100001", name: "梅园新村街道", level: .subdistrict, parentCode: "320100", sortOrder: 0)
        ]
        for root in ["310106020", "320100001"] {
            nodes += [
                NewGridNode(code: "\(root)-1", name: "一街区", level: .block, parentCode: root, sortOrder: 0),
                NewGridNode(code: "\(root)-1-01", name: "一居民区", level: .residentialArea, parentCode: "\(root)-1", sortOrder: 0),
                NewGridNode(code: "\(root)-1-01-1", name: "一微网格", level: .microGrid, parentCode: "\(root)-1-01", sortOrder: 0),
                NewGridNode(code: "\(root)-1-01-1-01", name: "1号", level: .buildingGroup, parentCode: "\(root)-1-01-1", sortOrder: 0)
            ]
        }
        let all = nodes
        try await app.db.write { db in try await GridWriter.insert(all, on: db) }
        _ = try await AccountService.create(
            NewAccount(
                username: "near_staff", displayName: "邻街", role: "subdistrict_staff",
                scopeCode: "310106020", password: "Outside-Pass-1", mustChangePassword: false),
            by: .console, app: app, on: app.db, now: TestClock.pinnedNow())
        _ = try await AccountService.create(
            NewAccount(
                username: "far_staff", displayName: "外省", role: "subdistrict_staff",
                scopeCode: "320000", password: "Outside-Pass-1", mustChangePassword: false),
            by: .console, app: app, on: app.db, now: TestClock.pinnedNow())
        let admin = TestClient(app)
        try await admin.signInAPI("admin")
        var fixtures = Fixtures()
        let farStaff = TestClient(app)
        try await farStaff.signInAPI("far_staff", password: "Outside-Pass-1")
        for (index, key) in ["R01", "R02", "near", "far"].enumerated() {
            let idNumber = matrixIDNumber(900 + index)
            let registrar = key == "far" ? farStaff : admin
            let response = try await registrar.jsonObject(
                .POST, "/api/v1/registry/households",
                [
                    "node": homes[key]!, "address": "\(key) 1 号",
                    "members": [
                        [
                            "name": "住户\(key)", "id_number": idNumber, "phone": "1380013800\(index)",
                            "relation": "head", "residence_status": "registered"
                        ]
                    ]
                ])
            guard response.status == .created else { throw TestFailure("fixture \(key): \(response.status) \(response.body.string)") }
            struct Created: Decodable { var id: UUID }
            let household = try response.decode(Created.self).id
            struct Detail: Decodable { struct P: Decodable { var id: UUID }; var members: [P] }
            let detail = try await registrar.get("/api/v1/registry/households/\(household)").decode(Detail.self)
            fixtures.households[key] = household
            fixtures.persons[key] = detail.members[0].id
            fixtures.idNumbers[key] = idNumber
        }
        for key in ["R01", "R02", "near", "far"] {
            let saver = TestClient(app)
            switch key {
            case "near": try await saver.signInAPI("near_staff", password: "Outside-Pass-1")
            case "far": try await saver.signInAPI("far_staff", password: "Outside-Pass-1")
            default: try await saver.signInAPI("admin")
            }
            let response = try await saver.jsonObject(
                .POST, "/api/v1/registry/smart-groups",
                ["name": "住户 \(key)", "criteria": ["node": homes[key]!]])
            guard response.status == .created else { throw TestFailure("group \(key): \(response.status) \(response.body.string)") }
            struct Created: Decodable { var id: UUID }
            fixtures.groups[key] = try response.decode(Created.self).id
        }
        // A compound in each fixture home's residential area, for dwelling imports.
        // Each has one building at the home's building group, so that callers bound below the
        // residential area see the compound through it (the compound pages' probes).
        for (key, group) in homes {
            let compoundID = UUID()
            try await app.db.sql.raw(
                """
                INSERT INTO compounds (id, subdistrict_id, grid_node_id, code, name, compound_type, address)
                SELECT \(bind: compoundID), a.subdistrict_id, a.id, \(bind: "C-\(key)"), '矩阵小区', 'old_residential', '矩阵路 1 号'
                FROM grid_nodes g JOIN grid_closure c ON c.descendant_id = g.id JOIN grid_nodes a ON a.id = c.ancestor_id
                WHERE g.code = \(bind: group) AND a.level = 'residential_area'
                """
            ).run()
            try await app.db.sql.raw(
                """
                INSERT INTO buildings (id, subdistrict_id, compound_id, grid_node_id, name, floors)
                SELECT \(bind: UUID()), g.subdistrict_id, \(bind: compoundID), g.id, '矩阵楼', 6 FROM grid_nodes g WHERE g.code = \(bind: group)
                """
            ).run()
            fixtures.extra["compound.\(key)"] = compoundID
        }
        // A tag on each fixture person, to end.
        let sql = app.db.sql
        let tagID = UUID()
        try await sql.raw(
            """
            INSERT INTO tags (id, code, name_zh, name_en, kind, sensitive, sort_order) VALUES
            (\(bind: tagID), 'id.elderly', '老年人', 'Older person', 'identity', \(bind: false), 1),
            (\(bind: UUID()), 'id.newcomer', '新迁入居民', 'Newcomer', 'identity', \(bind: false), 2)
            """
        ).run()
        // For the person page's forms: a tag to give, and another already given, to end.
        let endTagID = UUID()
        try await sql.raw(
            """
            INSERT INTO tags (id, code, name_zh, name_en, kind, sensitive, sort_order) VALUES
            (\(bind: UUID()), 'mgmt.matrix_web', '网页测试', 'Web test', 'management', \(bind: false), 3),
            (\(bind: endTagID), 'id.matrix_end', '网页结束测试', 'Web end test', 'identity', \(bind: false), 4)
            """
        ).run()
        for (key, person) in fixtures.persons {
            let assignment = UUID()
            try await sql.raw(
                """
                INSERT INTO tag_assignments (id, person_id, tag_id, grid_node_id, starts_on, source)
                SELECT \(bind: assignment), p.id, \(bind: endTagID), p.grid_node_id, '2020-01-01', 'manual' FROM persons p WHERE p.id = \(bind: person)
                """
            ).run()
            fixtures.webAssignments[key] = assignment
        }
        for (key, person) in fixtures.persons {
            let assignment = UUID()
            try await sql.raw(
                """
                INSERT INTO tag_assignments (id, person_id, tag_id, grid_node_id, starts_on, source)
                SELECT \(bind: assignment), p.id, \(bind: tagID), p.grid_node_id, '2020-01-01', 'manual' FROM persons p WHERE p.id = \(bind: person)
                """
            ).run()
            fixtures.assignments[key] = assignment
        }
        // A clean households file waiting in the import wizard for every demo account and far_staff.
        struct Account: Decodable { var id: UUID; var username: String }
        let accounts = try await sql.raw("SELECT id, username FROM accounts").all(decoding: Account.self)
        for account in accounts where reaches.contains(where: { $0.username == account.username }) || account.username == "far_staff" {
            let csv = "楼组编码,地址\n\(homes["R01"]!),向导确认 \(account.username) 号\n"
            fixtures.uploads[account.username] = try await ImportUploads.store(
                Array(csv.utf8), kind: .households, encoding: .utf8,
                fileName: "matrix.csv", rows: 1, account: account.id,
                vault: app.services.vault, now: TestClock.pinnedNow(), on: app.db)
        }
        try await addVisitFixtures(app, &fixtures)
        try await addVotingFixtures(app, &fixtures)
        try await addTopicFixtures(app, &fixtures)
        try await addCaseFixtures(app, &fixtures)
        try await addServiceFixtures(app, &fixtures)
        try await addOversightFixtures(app, &fixtures)
        try await addOpen311Fixtures(app, &fixtures)
        try await addOrganisationFixtures(app, &fixtures)
        try await addSecurityFixtures(app, &fixtures)
        try await addResidentFixtures(app, &fixtures)
        try await addNotificationFixtures(app, &fixtures)
        try await admin.send(.DELETE, "/api/v1/auth/token")
        return fixtures
    }

    @Test("every route is in the matrix")
    func complete() async throws {
        try await withApp { app in
            let covered = Set(Self.probes.map { "\($0.method.rawValue) \($0.route)" }).union(Self.publicRoutes).union(Self.sessionEnders)
            let registered = Set(
                app.routes.all.map { route in
                    "\(route.method.rawValue) /"
                        + route.path.map { component -> String in
                            if case let .parameter(name) = component { return ":\(name)" }
                            return component.description
                        }.joined(separator: "/")
                })
            #expect(registered.subtracting(covered).sorted() == [], "routes with no row in the access matrix")
            #expect(covered.subtracting(registered).sorted() == [], "matrix rows with no route")
        }
    }

    @Test("each role gets the expected status inside and outside its scope", arguments: reaches.map(\.username))
    func matrix(username: String) async throws {
        let reach = Self.reaches.first { $0.username == username }!
        try await withApp(demo: true) { app in
            let fixtures = try await Self.addOutside(app)
            let api = TestClient(app)
            try await api.signInAPI(reach.username)
            let web = TestClient(app)
            #expect(try await web.signInWeb(reach.username).status == .seeOther)
            let csrf = try #require(TestClient.csrf(in: try await web.get("/account/password").body.string))
            var counter = 0
            let markers = Self.outsideMarkers(reach, fixtures)
            for probe in Self.probes {
                for place in Where.allCases {
                    counter += 1
                    let (path, body) = probe.request(reach, place, counter, fixtures)
                    #expect(probe.resolves(path), "\(probe.route) probes \(path), which is another route")
                    let response: TestingHTTPResponse
                    if probe.web && probe.method != .GET {
                        // A forged form: the session's cookie without its token changes nothing.
                        var fields = (body ?? [:]).mapValues { "\($0)" }
                        fields["csrf"] = "forged-" + csrf
                        let forged = try await Self.sendForm(web, probe, path, fields)
                        #expect(forged.status == .forbidden, "\(reach.username) \(probe.method) \(path) with a forged token → \(forged.status.code)")
                    }
                    if probe.web {
                        if let body {
                            var fields = body.mapValues { "\($0)" }
                            fields["csrf"] = csrf
                            response = try await Self.sendForm(web, probe, path, fields)
                        } else {
                            response = try await web.send(probe.method, path)
                        }
                    } else if let body {
                        response = try await api.jsonObject(probe.method, path, body)
                    } else {
                        response = try await api.send(probe.method, path)
                    }
                    let expected = probe.expected(reach.role, place)
                    #expect(
                        response.status.code == expected,
                        "\(reach.username) \(probe.method) \(path) (\(place)) → \(response.status.code), expected \(expected): \(response.body.string.prefix(300))"
                    )
                    if probe.method == .GET, response.status == .ok, Self.outsideVisible["\(probe.method.rawValue) \(probe.route)"] == nil {
                        let text = response.body.string
                        let leaked = markers.filter { text.contains($0) }
                        #expect(leaked.isEmpty, "\(reach.username) GET \(path) (\(place)) shows rows from outside the scope: \(leaked)")
                    }
                    if !probe.web, (200..<300).contains(response.status.code),
                        response.headers.contentType?.subType == "json"
                    {
                        let camel = Self.camelCaseKeys(Data(buffer: response.body))
                        #expect(camel != nil, "\(probe.method) \(path) says JSON but its body does not parse: \(response.body.string.prefix(300))")
                        #expect(camel?.isEmpty != false, "\(probe.method) \(path) answers with keys that are not snake_case: \(camel ?? [])")
                    }
                }
            }
            #expect(try await api.send(.DELETE, "/api/v1/auth/token").status == .noContent)
            #expect(try await web.form("/logout", ["csrf": csrf]).status == .seeOther)
            #expect(try await web.get("/").status == .seeOther)
        }
    }

    /// The object keys of a JSON answer written in camelCase (`quorumArea`); the API's keys are
    /// snake_case (docs/api-conventions.md). Keys that are data (codes with dots, ids, Chinese
    /// names) are not names and are not checked. nil when the answer is not JSON at all, so that
    /// an unreadable body cannot pass as one without camelCase keys.
    static func camelCaseKeys(_ data: Data) -> [String]? {
        var found = Set<String>()
        func walk(_ value: Any) {
            if let object = value as? [String: Any] {
                for (key, inner) in object {
                    if key.wholeMatch(of: /[a-z]+[A-Z][A-Za-z0-9]*/) != nil { found.insert(key) }
                    walk(inner)
                }
            } else if let array = value as? [Any] {
                array.forEach(walk)
            }
        }
        guard let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return nil }
        walk(json)
        return found.sorted()
    }

    @Test("the key check finds camelCase and passes snake_case and data keys")
    func keyCheck() {
        let text = #"{"quorum_area":1,"list":[{"ruleSet":{"areaCM2":2}}],"counts":{"id.elderly.alone":3,"E621E1F8-C36C":4,"独居":5}}"#
        #expect(Self.camelCaseKeys(Data(text.utf8)) == ["areaCM2", "ruleSet"])
        #expect(Self.camelCaseKeys(Data(#"{"quorum_area":1,"rule_set":{"area_cm2":2}}"#.utf8)) == [])
        #expect(Self.camelCaseKeys(Data("<html>not json</html>".utf8)) == nil)
    }

    @Test("without signing in: 401 for the API, the login page for browsers")
    func anonymous() async throws {
        try await withApp(demo: true) { app in
            let fixtures = try await Self.addOutside(app)
            let client = TestClient(app)
            _ = try await client.get("/login")
            let csrf = client.cookies["minqing_csrf"] ?? ""
            var counter = 0
            for probe in Self.probes {
                counter += 1
                let (path, body) = probe.request(Self.reaches[1], .inside, counter, fixtures)
                let response: TestingHTTPResponse
                if let body {
                    if probe.web {
                        var fields = body.mapValues { "\($0)" }
                        fields["csrf"] = "x" + csrf
                        response = try await Self.sendForm(client, probe, path, fields)
                    } else {
                        response = try await client.jsonObject(probe.method, path, body)
                    }
                } else {
                    response = try await client.send(probe.method, path)
                }
                #expect(response.status.code == probe.anonymous, "anonymous \(probe.method) \(path) → \(response.status.code)")
                if probe.anonymous == 303 {
                    #expect(response.headers.first(name: .location)?.hasPrefix("/login") == true)
                }
            }
            #expect(try await client.send(.DELETE, "/api/v1/auth/token").status == .unauthorized)
        }
    }
}

/// A valid ID number for test fixtures, different for each `n` (0–999).
func matrixIDNumber(_ n: Int) -> String {
    let body = "31010619800101" + String(format: "%03d", n % 1000)
    return body + String(ResidentIDNumber.checkCharacter(for: body)!)
}
