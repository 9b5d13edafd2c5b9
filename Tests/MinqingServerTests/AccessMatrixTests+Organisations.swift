import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// 组织力工程's rows of the access matrix, and their fixtures: at each fixture home a party branch
/// (sensitive) with the home's person as a member twice (one membership to end, one to show the
/// identity), a women's council to join by the API and another by the web form, a unit, two
/// posts, and the home's resident account registered (双报到) with the home's unit.
extension AccessMatrixTests {
    static func addOrganisationFixtures(_ app: Application, _ fixtures: inout Fixtures) async throws {
        let sql = app.db.sql
        struct Node: Decodable { var id: UUID; var subdistrict_id: UUID? }
        struct ID: Decodable { var id: UUID }
        for (key, group) in homes {
            let node = try await sql.raw("SELECT id, subdistrict_id FROM grid_nodes WHERE code = \(bind: group)").first(decoding: Node.self)!
            let area = try await sql.raw(
                """
                SELECT n.id, n.subdistrict_id FROM grid_nodes n JOIN grid_closure c ON c.ancestor_id = n.id
                WHERE c.descendant_id = \(bind: node.id) AND n.level = 'residential_area'
                """
            ).first(decoding: Node.self)!
            let person = fixtures.persons[key]!
            var ids: [String: UUID] = [:]
            for (name, kind) in [("party", "party_branch"), ("join", "womens_council"), ("wjoin", "womens_council")] {
                let id = UUID()
                try await sql.raw(
                    """
                    INSERT INTO organisations (id, subdistrict_id, grid_node_id, name, kind, basis, sensitive, purpose, starts_on)
                    VALUES (\(bind: id), \(bind: node.subdistrict_id), \(bind: node.id), \(bind: "矩阵\(name)\(key)"), \(bind: kind), 'place',
                            \(bind: kind == "party_branch"), '', '2020-01-01')
                    """
                ).run()
                ids[name] = id
                fixtures.extra["org.\(name).\(key)"] = id
            }
            for name in ["end", "identity", "wend", "widentity"] {
                let id = UUID()
                try await sql.raw(
                    """
                    INSERT INTO organisation_members (id, subdistrict_id, organisation_id, person_id, grid_node_id, role, starts_on, shows_identity)
                    VALUES (\(bind: id), \(bind: node.subdistrict_id), \(bind: ids["party"]!), \(bind: person), \(bind: node.id), 'member', '2020-01-01', \(bind: false))
                    """
                ).run()
                fixtures.extra["org.member.\(name).\(key)"] = id
            }
            let unit = UUID()
            try await sql.raw(
                """
                INSERT INTO service_units (id, subdistrict_id, grid_node_id, name, unit_kind)
                VALUES (\(bind: unit), \(bind: node.subdistrict_id), \(bind: node.id), \(bind: "组织矩阵单位\(key)"), '企业')
                """
            ).run()
            fixtures.extra["org.unit.\(key)"] = unit
            for name in ["post", "wpost"] {
                let id = UUID()
                try await sql.raw(
                    """
                    INSERT INTO organisation_posts (id, subdistrict_id, grid_node_id, kind, name, mission, starts_on)
                    VALUES (\(bind: id), \(bind: node.subdistrict_id), \(bind: node.id), 'responsibility_area', \(bind: "矩阵责任区\(name)"), '', '2020-01-01')
                    """
                ).run()
                fixtures.extra["org.\(name).\(key)"] = id
            }
            let account = try await sql.raw("SELECT id FROM accounts WHERE username = \(bind: homeResidents[key]!)").first(decoding: ID.self)!.id
            let registration = UUID()
            try await sql.raw(
                """
                INSERT INTO dual_registrations (id, subdistrict_id, grid_node_id, account_id, member_name, service_unit_id, shows_identity, registered_on)
                VALUES (\(bind: registration), \(bind: area.subdistrict_id), \(bind: area.id), \(bind: account), '矩阵党员', \(bind: unit), \(bind: false), '2020-01-01')
                """
            ).run()
            fixtures.extra["org.registration.\(key)"] = registration
            let contract = UUID()
            try await sql.raw(
                """
                INSERT INTO cobuild_contracts (id, subdistrict_id, grid_node_id, service_unit_id, title, starts_on, ends_on)
                VALUES (\(bind: contract), \(bind: node.subdistrict_id), \(bind: node.id), \(bind: unit), '矩阵契约', '2026-01-01', '2026-12-31')
                """
            ).run()
            let commitment = UUID()
            try await sql.raw(
                """
                INSERT INTO cobuild_commitments (id, contract_id, side, content, due_on)
                VALUES (\(bind: commitment), \(bind: contract), 'unit', '开放会议室', '2026-06-30')
                """
            ).run()
            fixtures.extra["org.commitment.\(key)"] = commitment
            // The page's check (AccessMatrixTests+OrganisationsPages) has a commitment of its own.
            let pageCommitment = UUID()
            try await sql.raw(
                """
                INSERT INTO cobuild_commitments (id, contract_id, side, content, due_on)
                VALUES (\(bind: pageCommitment), \(bind: contract), 'community', '提供志愿者', '2026-06-30')
                """
            ).run()
            fixtures.extra["org.wcommitment.\(key)"] = pageCommitment
            // Staff development: a session held at the home ten days ago and a cadre (grid worker) there.
            let training = UUID()
            let held = (try? CivilDate.today(now: TestClock.pinnedNow()).adding(days: -10))?.iso8601 ?? "2026-01-01"
            try await sql.raw(
                """
                INSERT INTO staff_trainings (id, subdistrict_id, grid_node_id, title, held_on, place, minutes)
                VALUES (\(bind: training), \(bind: node.subdistrict_id), \(bind: node.id), '矩阵培训', \(bind: held), '', 60)
                """
            ).run()
            fixtures.extra["org.training.\(key)"] = training
            let cadre = UUID()
            try await sql.raw(
                """
                INSERT INTO accounts (id, subdistrict_id, username, display_name, role, grid_node_id, password_hash, must_change_password, disabled)
                VALUES (\(bind: cadre), \(bind: node.subdistrict_id), \(bind: "orgcadre_\(key)"), '矩阵干部', 'grid_worker', \(bind: node.id), 'x',
                        \(bind: false), \(bind: false))
                """
            ).run()
            fixtures.extra["org.cadre.\(key)"] = cadre
        }
    }

    static func orgReader(_ role: Role) -> Bool { OrganisationsQueries.readers.contains(role) }
    static func orgManager(_ role: Role) -> Bool { OrganisationsQueries.managers.contains(role) }
    static func orgPostReader(_ role: Role) -> Bool { OrganisationsController.postReaders.contains(role) }
    static func dualUser(_ role: Role) -> Bool { OrganisationsController.dualUsers.contains(role) }

    static func orgID(_ f: Fixtures, _ name: String, _ r: Reach, _ w: Where) -> String {
        f.extra["org.\(name).\(w == .inside ? r.homeIn : r.homeOut)"]!.uuidString
    }

    static func orgNode(_ r: Reach, _ w: Where) -> String { w == .inside ? r.nodeIn : r.nodeOut }

    /// A member's own registration (residents), or for staff the one of the home in reach.
    static func registrationStatus(_ role: Role, _ w: Where, ok: UInt) -> UInt {
        if orgManager(role) || role == .resident { return w == .inside ? ok : 404 }
        return dualUser(role) ? 404 : 403
    }

    /// A unit of the home: found when it lies in the caller's subdistrict (the area cadre's
    /// outside home is in the same subdistrict: its report is there, empty).
    static func reportStatus(_ role: Role, _ w: Where, ok: UInt) -> UInt {
        guard orgManager(role) else { return 403 }
        return w == .inside || role == .areaCadre ? ok : 404
    }

    static func staffReader(_ role: Role) -> Bool { StaffDevelopmentQueries.readers.contains(role) }
    static func staffManager(_ role: Role) -> Bool { StaffDevelopmentQueries.managers.contains(role) }

    static func day(_ offset: Int) -> String {
        ((try? CivilDate.today(now: TestClock.pinnedNow()).adding(days: offset)) ?? CivilDate.today(now: TestClock.pinnedNow())).iso8601
    }

    /// Staff development (item 6) and 换届. The API's rotation and the form's take different periods
    /// (one rotation at a time per cadre).
    static let staffDevelopmentProbes: [Probe] = [
        Probe(
            method: .POST, route: "/api/v1/organisations/:id/terms", web: false,
            request: { r, w, _, f in ("/api/v1/organisations/\(orgID(f, "party", r, w))/terms", ["reason": "矩阵换届"]) },
            expect: "200|404 200|404 200|404 403 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/organisations/:id/terms", web: true,
            request: { r, w, _, f in ("/organisations/\(orgID(f, "join", r, w))/terms", ["reason": "矩阵换届"]) },
            expect: "303|404 303|404 303|404 403 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .GET, route: "/api/v1/staff/trainings", web: false, request: { _, _, _, _ in ("/api/v1/staff/trainings", nil) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/staff/trainings", web: false,
            request: { r, w, n, _ in ("/api/v1/staff/trainings", ["title": "矩阵培训\(n)", "held_on": day(-1), "minutes": 60, "node": orgNode(r, w)]) },
            expect: "201|422 201|422 201|422 403 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/staff/trainings/:id", web: false,
            request: { r, w, _, f in ("/api/v1/staff/trainings/\(orgID(f, "training", r, w))", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/staff/trainings/:id/attendance", web: false,
            request: { r, w, _, f in
                (
                    "/api/v1/staff/trainings/\(orgID(f, "training", r, w))/attendance",
                    ["records": [["account_id": orgID(f, "cadre", r, w), "status": "present"]]]
                )
            },
            expect: "200|404 200|404 200|404 403 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/staff/attendance", web: false, request: { _, _, _, _ in ("/api/v1/staff/attendance", nil) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/staff/rotations", web: false, request: { _, _, _, _ in ("/api/v1/staff/rotations", nil) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/staff/rotations", web: false,
            request: { r, w, _, f in
                (
                    "/api/v1/staff/rotations",
                    [
                        "account_id": orgID(f, "cadre", r, w), "to_node": orgNode(r, w), "post": "矩阵挂职",
                        "purpose": "矩阵", "starts_on": day(0), "ends_on": day(100)
                    ]
                )
            },
            expect: "201|422 201|422 201|422 403 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/staff", web: true, request: { _, _, _, _ in ("/staff", nil) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/staff/trainings", web: true,
            request: { r, w, n, _ in ("/staff/trainings", ["title": "网页矩阵培训\(n)", "held_on": day(-1), "minutes": "60", "node": orgNode(r, w)]) },
            expect: "303|422 303|422 303|422 403 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .GET, route: "/staff/trainings/:id", web: true,
            request: { r, w, _, f in ("/staff/trainings/\(orgID(f, "training", r, w))", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/staff/trainings/:id/attendance", web: true,
            request: { r, w, _, f in ("/staff/trainings/\(orgID(f, "training", r, w))/attendance", ["status[\(orgID(f, "cadre", r, w))]": "excused"])
            },
            expect: "303|404 303|404 303|404 403 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .GET, route: "/staff/attendance", web: true, request: { _, _, _, _ in ("/staff/attendance", nil) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/staff/rotations", web: true,
            request: { r, w, _, f in
                (
                    "/staff/rotations",
                    [
                        "account_id": orgID(f, "cadre", r, w), "to_node": orgNode(r, w), "post": "网页矩阵挂职",
                        "purpose": "矩阵", "starts_on": day(101), "ends_on": day(200)
                    ]
                )
            },
            expect: "303|422 303|422 303|422 403 403 403 403 403 403", anonymous: 403)
    ]

    static let organisationProbes: [Probe] =
        staffDevelopmentProbes + organisationPageWriteProbes + [
            Probe(
                method: .GET, route: "/api/v1/organisations", web: false, request: { _, _, _, _ in ("/api/v1/organisations", nil) },
                expect: "200 200 200 200 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/organisations", web: false,
                request: { r, w, n, _ in ("/api/v1/organisations", ["name": "矩阵妇女组\(n)", "kind": "womens_council", "node": orgNode(r, w)]) },
                expect: "201|422 201|422 201|422 403 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/organisations/figures", web: false,
                request: { r, w, _, _ in ("/api/v1/organisations/figures?node=\(orgNode(r, w))", nil) },
                expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/organisations/close-expired", web: false,
                request: { _, _, _, _ in ("/api/v1/organisations/close-expired", [:]) },
                expect: "200 200 200 403 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/organisations/export", web: false,
                request: { r, w, _, _ in ("/api/v1/organisations/export", ["node": orgNode(r, w)]) },
                expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/organisations/posts", web: false, request: { _, _, _, _ in ("/api/v1/organisations/posts", nil) },
                expect: "200 200 200 200 403 403 403 200 200", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/organisations/posts", web: false,
                request: { r, w, n, _ in ("/api/v1/organisations/posts", ["kind": "model_post", "name": "矩阵示范岗\(n)", "node": orgNode(r, w)]) },
                expect: "201|422 201|422 201|422 403 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/organisations/units", web: false, request: { _, _, _, _ in ("/api/v1/organisations/units", nil) },
                expect: "200 200 200 200 403 403 403 200 200", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/organisations/building-group-leaders", web: false,
                request: { _, _, _, _ in ("/api/v1/organisations/building-group-leaders", nil) },
                expect: "200 200 200 200 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/organisations/building-group-leaders", web: false,
                request: { r, w, _, f in
                    ("/api/v1/organisations/building-group-leaders", ["person_id": f.persons[w == .inside ? r.homeIn : r.homeOut]!.uuidString])
                },
                expect: "201|404 201|404 201|404 201|404 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/organisations/:id", web: false,
                request: { r, w, _, f in ("/api/v1/organisations/\(orgID(f, "party", r, w))", nil) },
                expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/organisations/:id/changes", web: false,
                request: { r, w, n, f in
                    ("/api/v1/organisations/\(orgID(f, "party", r, w))/changes", ["action": "rename", "name": "矩阵更名\(n)", "reason": "矩阵"])
                },
                expect: "200|404 200|404 200|404 403 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/organisations/:id/members", web: false,
                request: { r, w, _, f in ("/api/v1/organisations/\(orgID(f, "party", r, w))/members", nil) },
                expect: "200|404 200|404 200|404 403|404 403 403 403 403 403",
                anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/organisations/:id/members", web: false,
                request: { r, w, _, f in
                    (
                        "/api/v1/organisations/\(orgID(f, "join", r, w))/members",
                        ["person_id": f.persons[w == .inside ? r.homeIn : r.homeOut]!.uuidString, "role": "representative"]
                    )
                },
                expect: "201|404 201|404 201|404 403 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/organisations/:id/members/:member/end", web: false,
                request: { r, w, _, f in ("/api/v1/organisations/\(orgID(f, "party", r, w))/members/\(orgID(f, "member.end", r, w))/end", [:]) },
                expect: "204|404 204|404 204|404 403 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/organisations/:id/members/:member/identity", web: false,
                request: { r, w, _, f in
                    ("/api/v1/organisations/\(orgID(f, "party", r, w))/members/\(orgID(f, "member.identity", r, w))/identity", ["shows": true])
                },
                expect: "204|404 204|404 204|404 403 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/dual/registrations", web: false, request: { _, _, _, _ in ("/api/v1/dual/registrations", nil) },
                expect: "200 200 200 403 403 403 403 200 200", anonymous: 401),
            // Staff register the home's person; a volunteer registers once (then 409); the resident is registered already.
            Probe(
                method: .POST, route: "/api/v1/dual/registrations", web: false,
                request: { r, w, _, f in
                    (
                        "/api/v1/dual/registrations",
                        [
                            "service_unit_id": orgID(f, "unit", r, w),
                            "person_id": f.persons[w == .inside ? r.homeIn : r.homeOut]!.uuidString
                        ]
                    )
                },
                expect: "201|404 201|404 201|404 403 403 403 403 201|409 409",
                anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/dual/registrations/:id/claims", web: false,
                request: { r, w, _, f in ("/api/v1/dual/registrations/\(orgID(f, "registration", r, w))/claims", ["post_id": orgID(f, "post", r, w)])
                },
                expect: "201|404 201|404 201|404 403 403 403 403 404 201|404", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/dual/registrations/:id/service", web: false,
                request: { r, w, _, f in ("/api/v1/dual/registrations/\(orgID(f, "registration", r, w))/service", nil) },
                expect: "200|404 200|404 200|404 403 403 403 403 404 200|404", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/dual/registrations/:id/service", web: false,
                request: { r, w, _, f in
                    ("/api/v1/dual/registrations/\(orgID(f, "registration", r, w))/service", ["minutes": 60, "description": "楼道清洁"])
                },
                expect: "201|404 201|404 201|404 403 403 403 403 404 201|404", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/dual/units/:id/report", web: false,
                request: { r, w, _, f in ("/api/v1/dual/units/\(orgID(f, "unit", r, w))/report", nil) },
                expect: "200|404 200|404 200 403 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/cobuilding/rules", web: false, request: { _, _, _, _ in ("/api/v1/cobuilding/rules", nil) },
                expect: "200 200 200 200 200 200 200 200 200", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/cobuilding/units/:id", web: false,
                request: { r, w, _, f in ("/api/v1/cobuilding/units/\(orgID(f, "unit", r, w))", nil) },
                expect: "200|404 200|404 200 403 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/cobuilding/items", web: false,
                request: { r, w, _, f in
                    (
                        "/api/v1/cobuilding/items",
                        [
                            "service_unit_id": orgID(f, "unit", r, w), "list_kind": "problem", "title": "停车难",
                            "node": orgNode(r, w)
                        ]
                    )
                },
                expect: "201|422 201|422 201|422 403 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/cobuilding/contracts", web: false,
                request: { r, w, _, f in
                    (
                        "/api/v1/cobuilding/contracts",
                        [
                            "service_unit_id": orgID(f, "unit", r, w), "title": "共建契约", "node": orgNode(r, w),
                            "commitments": [["side": "unit", "content": "开放篮球场"]]
                        ]
                    )
                },
                expect: "201|422 201|422 201|422 403 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/cobuilding/commitments/:id/check", web: false,
                request: { r, w, _, f in ("/api/v1/cobuilding/commitments/\(orgID(f, "commitment", r, w))/check", ["delivered": true]) },
                expect: "204|404 204|404 204|404 403 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .POST, route: "/api/v1/cobuilding/points", web: false,
                request: { r, w, _, f in
                    ("/api/v1/cobuilding/points", ["service_unit_id": orgID(f, "unit", r, w), "rule": "project_completed", "reason": "矩阵"])
                },
                expect: "201|404 201|404 201 403 403 403 403 403 403", anonymous: 401),
            Probe(
                method: .GET, route: "/api/v1/cobuilding/members/:id/points", web: false,
                request: { r, w, _, f in ("/api/v1/cobuilding/members/\(orgID(f, "registration", r, w))/points", nil) },
                expect: "200|404 200|404 200|404 403 403 403 403 404 200|404", anonymous: 401),
            Probe(
                method: .GET, route: "/cobuilding/units/:id", web: true,
                request: { r, w, _, f in ("/cobuilding/units/\(orgID(f, "unit", r, w))", nil) },
                expect: "200|404 200|404 200 403 403 403 403 403 403", anonymous: 303),
            Probe(
                method: .GET, route: "/organisations", web: true, request: { _, _, _, _ in ("/organisations", nil) },
                expect: "200 200 200 200 403 403 403 403 403", anonymous: 303),
            Probe(
                method: .POST, route: "/organisations", web: true,
                request: { r, w, n, _ in
                    ("/organisations", ["name": "网页妇女组\(n)", "kind": "womens_council", "basis": "regional", "node": orgNode(r, w)])
                },
                expect: "303|422 303|422 303|422 403 403 403 403 403 403", anonymous: 403),
            Probe(
                method: .GET, route: "/organisations/:id", web: true,
                request: { r, w, _, f in ("/organisations/\(orgID(f, "party", r, w))", nil) },
                expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 303),
            Probe(
                method: .POST, route: "/organisations/:id/members", web: true,
                request: { r, w, _, f in
                    (
                        "/organisations/\(orgID(f, "wjoin", r, w))/members",
                        ["person_id": f.persons[w == .inside ? r.homeIn : r.homeOut]!.uuidString, "role": "member"]
                    )
                },
                expect: "303|404 303|404 303|404 403 403 403 403 403 403", anonymous: 403),
            Probe(
                method: .POST, route: "/organisations/:id/changes", web: true,
                request: { r, w, n, f in
                    ("/organisations/\(orgID(f, "party", r, w))/changes", ["action": "rename", "name": "网页更名\(n)", "reason": "矩阵"])
                },
                expect: "303|404 303|404 303|404 403 403 403 403 403 403", anonymous: 403),
            Probe(
                method: .GET, route: "/dual", web: true, request: { _, _, _, _ in ("/dual", nil) },
                expect: "200 200 200 403 403 403 403 200 200", anonymous: 303),
            Probe(
                method: .POST, route: "/dual/register", web: true,
                request: { r, w, _, f in ("/dual/register", ["service_unit_id": orgID(f, "unit", r, w)]) },
                expect: "403 403 403 403 403 403 403 409 409", anonymous: 403),
            Probe(
                method: .POST, route: "/dual/claims", web: true,
                request: { r, w, _, f in ("/dual/claims", ["post_id": orgID(f, "wpost", r, w)]) },
                expect: "403 403 403 403 403 403 403 303|422 303|422", anonymous: 403),
            Probe(
                method: .POST, route: "/dual/service", web: true,
                request: { _, _, _, _ in ("/dual/service", ["minutes": "30", "description": "网页记录"]) },
                expect: "403 403 403 403 403 403 403 303 303", anonymous: 403),
            Probe(
                method: .GET, route: "/dual/units/:id/report", web: true,
                request: { r, w, _, f in ("/dual/units/\(orgID(f, "unit", r, w))/report", nil) },
                expect: "200|404 200|404 200 403 403 403 403 403 403", anonymous: 303)
        ]
}
