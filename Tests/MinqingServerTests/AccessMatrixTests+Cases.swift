import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// The case loop's rows of the access matrix. At each fixture home, cases handed in by the home's
/// resident: one reported, one dispatched to the lead department (房管办 at R01, where the demo's
/// `handler` is bound; 城管 elsewhere), one dispatched to 城管 with 房管办 co-handling at R01 only,
/// and one closed. Department-handler accounts `dh_near` (next subdistrict) and `dh_far` (another
/// province) lie outside the managers' scopes.
extension AccessMatrixTests {
    static func caseKey(_ name: String, _ home: String) -> String { "case.\(name).\(home)" }

    static func addCaseFixtures(_ app: Application, _ fixtures: inout Fixtures) async throws {
        let sql = app.db.sql
        for (username, scope) in [("dh_near", "310106020"), ("dh_far", "320100001")] {
            _ = try await AccountService.create(
                NewAccount(
                    username: username, displayName: username, role: "department_handler", scopeCode: scope,
                    password: "Outside-Pass-1", mustChangePassword: false),
                by: .console, app: app, on: app.db, now: TestClock.pinnedNow())
        }
        struct ID: Decodable { var id: UUID }
        func department(_ code: String) async throws -> UUID {
            try await sql.raw("SELECT id FROM departments WHERE code = \(bind: code)").first(decoding: ID.self)!.id
        }
        let fangguan = try await department("fangguan"), chengguan = try await department("chengguan")
        try await sql.raw(
            "INSERT INTO department_accounts (account_id, department_id) SELECT id, \(bind: fangguan) FROM accounts WHERE username = 'handler'"
        ).run()
        let now = TestClock.pinnedNow()
        var sequence = 0
        for (key, group) in homes {
            struct Node: Decodable { var id: UUID; var subdistrict_id: UUID? }
            let node = try await sql.raw("SELECT id, subdistrict_id FROM grid_nodes WHERE code = \(bind: group)").first(decoding: Node.self)!
            let submitter = try await sql.raw("SELECT id FROM accounts WHERE username = \(bind: homeResidents[key]!)").first(decoding: ID.self)!.id
            let lead = key == "R01" ? fangguan : chengguan
            let plan: [(String, CaseState, UUID?, UUID?)] = [
                ("reported", .reported, nil, nil), ("dispatched", .dispatched, lead, nil),
                ("cohandled", .inProgress, chengguan, key == "R01" ? fangguan : nil), ("closed", .closed, lead, nil)
            ]
            // One set for the JSON probes and one for the pages' (the probes change them).
            for (prefix, (name, state, leadDepartment, coDepartment)) in (plan.map { ("", $0) } + plan.map { ("web", $0) }) {
                sequence += 1
                let id = UUID()
                try await sql.raw(
                    """
                    INSERT INTO cases (id, subdistrict_id, number, intake_token, channel, category_code, title, description, grid_node_id, address,
                                       submitter_account_id, state, department_id, reported_at, reported_on, filed_at, dispatched_at, due_at,
                                       updated_at, extension_days, handled_count, rework_count, reopen_count, escalation_level, supervised, last_seq)
                    VALUES (\(bind: id), \(bind: node.subdistrict_id), \(bind: CaseNumber.format(year: 2026, sequence: 900_000 + sequence)),
                            \(bind: "matrix-token-\(sequence)"), 'resident_message', 'E0404', '矩阵案件', '楼道堆物', \(bind: node.id), '矩阵路 1 号',
                            \(bind: submitter), \(bind: state.rawValue), \(bind: leadDepartment), \(bind: now), \(bind: CivilDate.today(now: TestClock.pinnedNow()).iso8601),
                            \(bind: now), \(bind: leadDepartment == nil ? nil : now), \(bind: now.addingTimeInterval(86_400)), \(bind: now),
                            0, \(bind: state == .closed ? 1 : 0), 0, 0, 0, \(bind: false), 1)
                    """
                ).run()
                for (department, isLead) in [(leadDepartment, true), (coDepartment, false)] {
                    guard let department else { continue }
                    try await sql.raw(
                        """
                        INSERT INTO case_assignments (id, case_id, department_id, lead, active, assigned_at)
                        VALUES (\(bind: UUID()), \(bind: id), \(bind: department), \(bind: isLead), \(bind: true), \(bind: now))
                        """
                    ).run()
                }
                fixtures.extra[caseKey(prefix + name, key)] = id
            }
        }
    }

    static func cid(_ f: Fixtures, _ name: String, _ r: Reach, _ w: Where) -> String {
        f.extra[caseKey(name, home(r, w))]?.uuidString ?? "00000000-0000-0000-0000-000000000000"
    }

    /// Which fixture case a role acts on, and how: staff file a reported case, the department
    /// accepts a dispatched one, the resident rates a closed one, other roles try to file.
    static func caseAction(_ role: Role) -> (fixture: String, action: String, body: [String: Any]) {
        if role.isGridStaff { return ("reported", "file", [:]) }
        if role == .departmentHandler { return ("dispatched", "accept", [:]) }
        if role == .resident { return ("closed", "evaluate", ["verdict": "satisfied", "resolved": true]) }
        return ("reported", "file", [:])
    }

    /// Cases seen: grid staff by scope, the department and the resident their own; other roles none of these.
    static func caseViewer(_ role: Role, _ w: Where, inside: UInt) -> UInt {
        if role.isGridStaff || role == .departmentHandler || role == .resident { return w == .inside ? inside : 404 }
        return 404
    }

    /// The category a role moves the `reported` fixtures to: a different one per grid-staff role,
    /// so that each role's change is a change whatever order the roles run in.
    static func recategoriseBody(_ role: Role) -> [String: Any] {
        let code: String =
            switch role {
            case .subdistrictStaff: "E0102"
            case .areaCadre: "E0201"
            case .gridWorker: "E0202"
            default: "E0101"
            }
        return ["category_code": code, "reason": "矩阵：类别选错了"]
    }

    static let casePageProbes: [Probe] = [
        Probe(
            method: .GET, route: "/cases", web: true, request: { _, _, _, _ in ("/cases", nil) }, expect: "200 200 200 200 200 200 200 200 200",
            anonymous: 303),
        Probe(
            method: .GET, route: "/cases/new", web: true, request: { _, _, _, _ in ("/cases/new", nil) },
            expect: "200 200 200 200 200 200 200 200 200", anonymous: 303),
        Probe(
            method: .POST, route: "/cases/new", web: true,
            request: { r, w, _, _ in
                (
                    "/cases/new",
                    [
                        "channel": "grid_patrol", "category_code": "E0101", "description": "网页矩阵：暴露垃圾",
                        "node": w == .inside ? r.nodeIn : r.nodeOut
                    ]
                )
            },
            expect: "303|422 303|422 303|422 303|422 303|422 303|422 303|422 303|422 303|422", anonymous: 403),
        Probe(
            method: .GET, route: "/cases/supervision", web: true, request: { _, _, _, _ in ("/cases/supervision", nil) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .GET, route: "/cases/indicators", web: true, request: { _, _, _, _ in ("/cases/indicators?by=node", nil) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .GET, route: "/cases/:id", web: true,
            request: { r, w, _, f in ("/cases/\(cid(f, "web" + caseAction(r.role).fixture, r, w))", nil) },
            expect: "200|404 200|404 200|404 200|404 200|404 404 404 404 200|404", anonymous: 303),
        Probe(
            method: .POST, route: "/cases/:id/actions/:action", web: true,
            request: { r, w, _, f in
                let (fixture, action, body) = caseAction(r.role)
                return ("/cases/\(cid(f, "web" + fixture, r, w))/actions/\(action)", body)
            },
            expect: "303|404 303|404 303|404 303|404 303|404 404 404 404 303|404", anonymous: 403),
        Probe(
            method: .POST, route: "/cases/:id/report", web: true,
            request: { r, w, _, f in ("/cases/\(cid(f, "webcohandled", r, w))/report", ["report": "网页协办"]) },
            expect: "403 403 403 403 303|404 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/cases/:id/supervise", web: true,
            request: { r, w, _, f in ("/cases/\(cid(f, "webdispatched", r, w))/supervise", ["note": "网页督办"]) },
            expect: "303|404 303|404 403 403 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/cases/:id/followup", web: true,
            request: { r, w, _, f in ("/cases/\(cid(f, "webclosed", r, w))/followup", ["method": "phone", "reached": "yes", "note": "网页回访"]) },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/cases/:id/category", web: true,
            request: { r, w, _, f in ("/cases/\(cid(f, "webreported", r, w))/category", recategoriseBody(r.role)) },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403)
    ]

    /// The catalogue's and the projects' pages: the subdistrict reads the catalogue and binds
    /// department accounts, administrators change it (as the API); dispatchers see the projects and
    /// put cases into them, the subdistrict sets projects up.
    static let catalogueWebProbes: [Probe] = [
        Probe(
            method: .GET, route: "/cases/catalogue", web: true, request: { _, _, _, _ in ("/cases/catalogue", nil) },
            expect: "200 200 403 403 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/cases/catalogue/categories", web: true,
            request: { _, w, n, _ in
                (
                    "/cases/catalogue/categories",
                    [
                        "code": "W\(n)", "parent_code": w == .inside ? "E06" : "X99", "kind": "event", "name_zh": "网页矩阵类别",
                        "name_en": "Web matrix", "department": "shequban"
                    ]
                )
            },
            expect: "303|422 403 403 403 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/cases/catalogue/categories/:code", web: true,
            request: { _, w, _, _ in ("/cases/catalogue/categories/\(w == .inside ? "E0404" : "E9999")", ["limit_handle": "3d"]) },
            expect: "303|404 403 403 403 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/cases/catalogue/departments", web: true,
            request: { _, w, n, _ in
                ("/cases/catalogue/departments", ["code": w == .inside ? "webmatrix\(n)" : "bad code!", "name_zh": "网页矩阵部门", "name_en": "Web matrix"])
            },
            expect: "303|422 403 403 403 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/cases/catalogue/department-accounts", web: true,
            request: { r, w, _, _ in
                (
                    "/cases/catalogue/department-accounts",
                    ["username": w == .inside ? "handler" : (r.role == .admin ? "dh_far" : "dh_near"), "department": "fangguan"]
                )
            },
            expect: "303|404 303|404 403 403 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .GET, route: "/cases/projects", web: true, request: { _, _, _, _ in ("/cases/projects", nil) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/cases/projects", web: true,
            request: { _, w, n, _ in ("/cases/projects", ["code": "WP-\(n)", "name_zh": "网页矩阵项目", "target": w == .inside ? "10" : "-1"]) },
            expect: "303|422 303|422 403 403 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/cases/:id/project", web: true,
            request: { r, w, _, f in ("/cases/\(cid(f, "webclosed", r, w))/project", ["project_id": ""]) },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403)
    ]

    static let caseProbes: [Probe] =
        casePageProbes + catalogueWebProbes + [
            // Catalogue and projects: administrators keep categories and departments; the subdistrict sets up projects.
            Probe(
                method: .POST, route: "/api/v1/cases/categories", web: false,
                request: { _, w, n, _ in
                    (
                        "/api/v1/cases/categories",
                        [
                            "code": "E99\(n % 10)\(n / 10 % 10)", "parent_code": w == .inside ? "E06" : "X99",
                            "kind": "event", "name_zh": "矩阵类别", "name_en": "Matrix", "department": "shequban"
                        ]
                    )
                },
                expect: "201|422 403 403 403 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .PUT, route: "/api/v1/cases/categories/:code", web: false,
                request: { _, w, _, _ in ("/api/v1/cases/categories/\(w == .inside ? "E0404" : "E9999")", ["limit_handle": "3d"]) },
                expect: "200|404 403 403 403 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/cases/departments", web: false,
                request: { _, w, n, _ in
                    ("/api/v1/cases/departments", ["code": w == .inside ? "matrix\(n)" : "bad code!", "name_zh": "矩阵部门", "name_en": "Matrix"])
                },
                expect: "201|422 403 403 403 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/cases/projects", web: false,
                request: { _, w, n, _ in ("/api/v1/cases/projects", ["code": "PM-\(n)", "name_zh": "矩阵项目", "target": w == .inside ? 10 : -1]) },
                expect: "201|422 201|422 403 403 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .PUT, route: "/api/v1/cases/:id/project", web: false,
                request: { r, w, _, f in ("/api/v1/cases/\(cid(f, "closed", r, w))/project", [:]) },
                expect: "204|404 204|404 204|404 204|404 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/cases/categories", web: false, request: { _, _, _, _ in ("/api/v1/cases/categories", nil) },
                expect: "200 200 200 200 200 200 200 200 200", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/cases/departments", web: false, request: { _, _, _, _ in ("/api/v1/cases/departments", nil) },
                expect: "200 200 200 200 200 200 200 200 200", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/cases", web: false, request: { _, _, _, _ in ("/api/v1/cases?status=open", nil) },
                expect: "200 200 200 200 200 200 200 200 200", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/cases", web: false,
                request: { r, w, _, _ in
                    (
                        "/api/v1/cases",
                        [
                            "channel": "app", "category_code": "E0101", "description": "矩阵：暴露垃圾",
                            "node": w == .inside ? r.nodeIn : r.nodeOut
                        ]
                    )
                },
                expect: "201|422 201|422 201|422 201|422 201|422 201|422 201|422 201|422 201|422", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/cases/indicators", web: false, request: { _, _, _, _ in ("/api/v1/cases/indicators?by=category", nil) },
                expect: "200 200 200 200 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/cases/projects", web: false, request: { _, _, _, _ in ("/api/v1/cases/projects", nil) },
                expect: "200 200 200 200 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .PUT, route: "/api/v1/cases/department-accounts/:username", web: false,
                request: { r, w, _, _ in
                    (
                        "/api/v1/cases/department-accounts/\(w == .inside ? "handler" : (r.role == .admin ? "dh_far" : "dh_near"))",
                        ["department": "fangguan"]
                    )
                },
                expect: "204|404 204|404 403 403 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/cases/:id", web: false,
                request: { r, w, _, f in ("/api/v1/cases/\(cid(f, caseAction(r.role).fixture, r, w))", nil) },
                expect: "200|404 200|404 200|404 200|404 200|404 404 404 404 200|404", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/cases/:id/duplicates", web: false,
                request: { r, w, _, f in ("/api/v1/cases/\(cid(f, "reported", r, w))/duplicates", nil) },
                expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/cases/:id/actions/:action", web: false,
                request: { r, w, _, f in
                    let (fixture, action, body) = caseAction(r.role)
                    return ("/api/v1/cases/\(cid(f, fixture, r, w))/actions/\(action)", body)
                },
                expect: "200|404 200|404 200|404 200|404 200|404 404 404 404 200|404", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/cases/:id/reports", web: false,
                request: { r, w, _, f in ("/api/v1/cases/\(cid(f, "cohandled", r, w))/reports", ["report": "矩阵协办"]) },
                expect: "403 403 403 403 204|404 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/cases/:id/supervision", web: false,
                request: { r, w, _, f in ("/api/v1/cases/\(cid(f, "dispatched", r, w))/supervision", ["note": "请加快处置"]) },
                expect: "204|404 204|404 403 403 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/cases/:id/followups", web: false,
                request: { r, w, _, f in ("/api/v1/cases/\(cid(f, "closed", r, w))/followups", ["method": "phone", "reached": true, "note": "已回访"]) },
                expect: "201|404 201|404 201|404 201|404 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/cases/:id/category", web: false,
                request: { r, w, _, f in ("/api/v1/cases/\(cid(f, "reported", r, w))/category", recategoriseBody(r.role)) },
                expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401)
        ]
}
