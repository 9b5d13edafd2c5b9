import Foundation
@testable import MinqingServer
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

/// The 6543 oversight rows of the access matrix, and their fixtures: at each fixture home's
/// compound (`compound.<home>`, see `addOutside`) a property company of the home's subdistrict
/// with a contract, two open rectifications (one for the API, one for the page), an owners'
/// committee with a disclosure, a second compound without a committee, and a shop.
extension AccessMatrixTests {
    static func addOversightFixtures(_ app: Application, _ fixtures: inout Fixtures) async throws {
        let sql = app.db as! any SQLDatabase
        let today = CivilDate.today().iso8601
        let due = try CivilDate.today().adding(days: 30).iso8601
        for (index, (key, group)) in homes.sorted(by: { $0.key < $1.key }).enumerated() {
            struct Node: Decodable { var id: UUID; var subdistrict_id: UUID?; var area: UUID }
            let node = try await sql.raw("""
                SELECT g.id, g.subdistrict_id, a.id AS area FROM grid_nodes g JOIN grid_closure c ON c.descendant_id = g.id
                JOIN grid_nodes a ON a.id = c.ancestor_id WHERE g.code = \(bind: group) AND a.level = 'residential_area'
                """).first(decoding: Node.self)!
            let compound = fixtures.extra["compound.\(key)"]!
            let company = UUID(), committee = UUID(), disclosure = UUID(), shop = UUID(), second = UUID()
            try await sql.raw("""
                INSERT INTO property_companies (id, subdistrict_id, name, licence_code, manager_name)
                VALUES (\(bind: company), \(bind: node.subdistrict_id), \(bind: "矩阵物业\(key)"), \(bind: "MATRIX-\(index)"), '经理')
                """).run()
            try await sql.raw("""
                INSERT INTO property_contracts (id, company_id, compound_id, starts_on, ends_on, fee_fen_per_m2)
                VALUES (\(bind: UUID()), \(bind: company), \(bind: compound), '2020-01-01', '2099-12-31', 150)
                """).run()
            for name in ["rect", "wrect"] {
                let id = UUID()
                try await sql.raw("""
                    INSERT INTO rectifications (id, company_id, reason_zh, reason_en, opened_on, due_on, status)
                    VALUES (\(bind: id), \(bind: company), '消防通道', 'Fire lane', \(bind: today), \(bind: due), 'open')
                    """).run()
                fixtures.extra["oversight.\(name).\(key)"] = id
            }
            try await sql.raw("""
                INSERT INTO owners_committees (id, subdistrict_id, compound_id, elected_on, term_ends_on, status)
                VALUES (\(bind: committee), \(bind: node.subdistrict_id), \(bind: compound), '2024-01-01', '2029-01-01', 'active')
                """).run()
            try await sql.raw("""
                INSERT INTO committee_disclosures (id, committee_id, compound_id, kind, title, body, published_on, published_by)
                VALUES (\(bind: disclosure), \(bind: committee), \(bind: compound), 'minutes', '会议纪要', '矩阵', \(bind: today), 'committee')
                """).run()
            try await sql.raw("""
                INSERT INTO compounds (id, subdistrict_id, grid_node_id, code, name, compound_type, address)
                VALUES (\(bind: second), \(bind: node.subdistrict_id), \(bind: node.area), \(bind: "C2-\(key)"), '矩阵二区', 'commodity_housing', '矩阵路 2 号')
                """).run()
            // Its building stands at the next building group of the micro-grid (where there is one),
            // so that grid workers see it and the home's own group keeps one building.
            try await sql.raw("""
                INSERT INTO buildings (id, subdistrict_id, compound_id, grid_node_id, name, floors)
                SELECT \(bind: UUID()), g.subdistrict_id, \(bind: second), g.id, '矩阵二楼', 6 FROM grid_nodes g
                WHERE g.code = \(bind: String(group.dropLast(2)) + "02")
                """).run()
            try await sql.raw("""
                INSERT INTO shops (id, subdistrict_id, grid_node_id, name, licence_code, category, address, contact_name)
                VALUES (\(bind: shop), \(bind: node.subdistrict_id), \(bind: node.id), '矩阵小店', \(bind: "SHOP-\(index)"), '零售', '矩阵路', '店主')
                """).run()
            fixtures.extra["oversight.company.\(key)"] = company
            fixtures.extra["oversight.committee.\(key)"] = committee
            fixtures.extra["oversight.disclosure.\(key)"] = disclosure
            fixtures.extra["oversight.compound2.\(key)"] = second
            fixtures.extra["oversight.shop.\(key)"] = shop
        }
    }

    static func ovID(_ f: Fixtures, _ name: String, _ r: Reach, _ w: Where) -> String {
        f.extra["oversight.\(name).\(w == .inside ? r.homeIn : r.homeOut)"]!.uuidString
    }

    static func ovCompound(_ f: Fixtures, _ r: Reach, _ w: Where) -> String {
        f.extra["compound.\(w == .inside ? r.homeIn : r.homeOut)"]!.uuidString
    }

    static func committeeReader(_ role: Role) -> Bool { staff(role) || role == .ownersCommittee }

    /// The subdistrict each manager may and may not register a company in.
    static func ovSubdistrict(_ r: Reach, _ w: Where) -> String {
        w == .inside ? "310106019" : (r.role == .admin ? "320100001" : "310106020")
    }

    static let oversightProbes: [Probe] = [
        Probe(method: .GET, route: "/api/v1/oversight/companies", web: false, request: { _, _, _, _ in ("/api/v1/oversight/companies", nil) },
              expected: { role, _ in staff(role) ? 200 : 403 }, anonymous: 401),
        Probe(method: .POST, route: "/api/v1/oversight/companies", web: false,
              request: { r, w, n, _ in ("/api/v1/oversight/companies", ["name": "物业\(n)", "licence_code": "LIC-\(n)", "node": ovSubdistrict(r, w)]) },
              expected: { role, w in managers(role) ? (w == .inside ? 201 : 422) : 403 }, anonymous: 401),
        Probe(method: .GET, route: "/api/v1/oversight/companies/:id", web: false,
              request: { r, w, _, f in ("/api/v1/oversight/companies/\(ovID(f, "company", r, w))", nil) },
              expected: { role, w in staff(role) ? (w == .inside ? 200 : 404) : 403 }, anonymous: 401),
        Probe(method: .POST, route: "/api/v1/oversight/companies/:id/contracts", web: false,
              request: { r, w, _, f in ("/api/v1/oversight/companies/\(ovID(f, "company", r, w))/contracts", ["compound_id": ovCompound(f, r, w)]) },
              expected: { role, w in staff(role) ? (w == .inside ? 201 : 404) : 403 }, anonymous: 401),
        Probe(method: .POST, route: "/api/v1/oversight/companies/:id/inspections", web: false,
              request: { r, w, _, f in ("/api/v1/oversight/companies/\(ovID(f, "company", r, w))/inspections",
                                        ["compound_id": ovCompound(f, r, w), "outcome": "minor", "finding": "楼道堆物"]) },
              expected: { role, w in staff(role) ? (w == .inside ? 201 : 404) : 403 }, anonymous: 401),
        Probe(method: .POST, route: "/api/v1/oversight/companies/:id/surveys", web: false,
              request: { r, w, _, f in ("/api/v1/oversight/companies/\(ovID(f, "company", r, w))/surveys",
                                        ["compound_id": ovCompound(f, r, w), "respondents": 10, "satisfied": 9]) },
              expected: { role, w in staff(role) ? (w == .inside ? 201 : 404) : 403 }, anonymous: 401),
        Probe(method: .POST, route: "/api/v1/oversight/companies/:id/complaints", web: false,
              request: { r, w, _, f in ("/api/v1/oversight/companies/\(ovID(f, "company", r, w))/complaints", ["case_id": cid(f, "closed", r, w), "upheld": true]) },
              expected: { role, w in staff(role) ? (w == .inside ? 201 : 404) : 403 }, anonymous: 401),
        Probe(method: .POST, route: "/api/v1/oversight/rectifications/:id/close", web: false,
              request: { r, w, _, f in ("/api/v1/oversight/rectifications/\(ovID(f, "rect", r, w))/close", ["note": "已整改"]) },
              expected: { role, w in staff(role) ? (w == .inside ? 200 : 404) : 403 }, anonymous: 401),
        Probe(method: .GET, route: "/api/v1/oversight/committees", web: false, request: { _, _, _, _ in ("/api/v1/oversight/committees", nil) },
              expected: { role, _ in committeeReader(role) ? 200 : 403 }, anonymous: 401),
        Probe(method: .POST, route: "/api/v1/oversight/committees", web: false,
              request: { r, w, _, f in ("/api/v1/oversight/committees", ["compound_id": ovID(f, "compound2", r, w)]) },
              expected: { role, w in staff(role) ? (w == .inside ? 201 : 422) : 403 }, anonymous: 401),
        Probe(method: .GET, route: "/api/v1/oversight/committees/:id", web: false,
              request: { r, w, _, f in ("/api/v1/oversight/committees/\(ovID(f, "committee", r, w))", nil) },
              expected: { role, w in committeeReader(role) ? (w == .inside ? 200 : 404) : 403 }, anonymous: 401),
        Probe(method: .POST, route: "/api/v1/oversight/committees/:id/members", web: false,
              request: { r, w, _, f in ("/api/v1/oversight/committees/\(ovID(f, "committee", r, w))/members",
                                        ["person_id": f.persons[w == .inside ? r.homeIn : r.homeOut]!.uuidString, "role": "member"]) },
              expected: { role, w in staff(role) ? (w == .inside ? 201 : 404) : 403 }, anonymous: 401),
        Probe(method: .POST, route: "/api/v1/oversight/committees/:id/records", web: false,
              request: { r, w, _, f in ("/api/v1/oversight/committees/\(ovID(f, "committee", r, w))/records", ["kind": "correction", "reason": "补充公示"]) },
              expected: { role, w in staff(role) ? (w == .inside ? 201 : 404) : 403 }, anonymous: 401),
        Probe(method: .POST, route: "/api/v1/oversight/committees/:id/disclosures", web: false,
              request: { r, w, _, f in ("/api/v1/oversight/committees/\(ovID(f, "committee", r, w))/disclosures",
                                        ["kind": "notice", "title": "停水通知", "body": "周三停水"]) },
              expected: { role, w in committeeReader(role) ? (w == .inside ? 201 : 404) : 403 }, anonymous: 401),
        // A resident reads the disclosures of their own compound only (the matrix resident lives at R01).
        Probe(method: .GET, route: "/api/v1/oversight/disclosures/:id", web: false,
              request: { r, w, _, f in ("/api/v1/oversight/disclosures/\(ovID(f, "disclosure", r, w))", nil) },
              expected: { role, w in (committeeReader(role) || role == .resident) ? (w == .inside ? 200 : 404) : 403 }, anonymous: 401),
        Probe(method: .GET, route: "/api/v1/oversight/my-compound", web: false, request: { _, _, _, _ in ("/api/v1/oversight/my-compound", nil) },
              expected: { role, _ in role == .resident ? 200 : 403 }, anonymous: 401),
        Probe(method: .GET, route: "/api/v1/oversight/shops", web: false, request: { _, _, _, _ in ("/api/v1/oversight/shops", nil) },
              expected: { role, _ in staff(role) ? 200 : 403 }, anonymous: 401),
        Probe(method: .POST, route: "/api/v1/oversight/shops", web: false,
              request: { r, w, n, _ in ("/api/v1/oversight/shops", ["name": "店\(n)", "licence_code": "S\(n)", "category": "餐饮", "address": "临汾路",
                                                                    "phone": "13900139000", "node": w == .inside ? r.nodeIn : r.nodeOut]) },
              expected: { role, w in staff(role) ? (w == .inside ? 201 : 422) : 403 }, anonymous: 401),
        Probe(method: .POST, route: "/api/v1/oversight/shops/:id/pledges", web: false,
              request: { r, w, _, f in ("/api/v1/oversight/shops/\(ovID(f, "shop", r, w))/pledges", ["signed_by": "店主"]) },
              expected: { role, w in staff(role) ? (w == .inside ? 201 : 404) : 403 }, anonymous: 401),
        Probe(method: .POST, route: "/api/v1/oversight/shops/:id/inspections", web: false,
              request: { r, w, _, f in ("/api/v1/oversight/shops/\(ovID(f, "shop", r, w))/inspections", ["outcome": "minor", "finding": "占道经营"]) },
              expected: { role, w in staff(role) ? (w == .inside ? 201 : 404) : 403 }, anonymous: 401),
        Probe(method: .GET, route: "/api/v1/oversight/checklists", web: false, request: { _, _, _, _ in ("/api/v1/oversight/checklists", nil) },
              expected: { role, _ in staff(role) ? 200 : 403 }, anonymous: 401),
        Probe(method: .PUT, route: "/api/v1/oversight/checklists/:compound/:measure", web: false,
              request: { r, w, _, f in ("/api/v1/oversight/checklists/\(ovCompound(f, r, w))/old.renovation", ["status": "done"]) },
              expected: { role, w in staff(role) ? (w == .inside ? 200 : 404) : 403 }, anonymous: 401),
        Probe(method: .GET, route: "/api/v1/oversight/programmes", web: false, request: { _, _, _, _ in ("/api/v1/oversight/programmes", nil) },
              expected: { role, _ in staff(role) ? 200 : 403 }, anonymous: 401),
        Probe(method: .GET, route: "/oversight", web: true, request: { _, _, _, _ in ("/oversight", nil) },
              expected: { role, _ in staff(role) ? 200 : 403 }, anonymous: 303),
        Probe(method: .GET, route: "/oversight/companies/:id", web: true,
              request: { r, w, _, f in ("/oversight/companies/\(ovID(f, "company", r, w))", nil) },
              expected: { role, w in staff(role) ? (w == .inside ? 200 : 404) : 403 }, anonymous: 303),
        Probe(method: .POST, route: "/oversight/companies/:id/inspections", web: true,
              request: { r, w, _, f in ("/oversight/companies/\(ovID(f, "company", r, w))/inspections",
                                        ["compound_id": ovCompound(f, r, w), "outcome": "pass", "finding": "", "case_category": ""]) },
              expected: { role, w in staff(role) ? (w == .inside ? 303 : 404) : 403 }, anonymous: 403),
        Probe(method: .POST, route: "/oversight/rectifications/:id/close", web: true,
              request: { r, w, _, f in ("/oversight/rectifications/\(ovID(f, "wrect", r, w))/close", ["note": "已整改"]) },
              expected: { role, w in staff(role) ? (w == .inside ? 303 : 404) : 403 }, anonymous: 403),
        Probe(method: .GET, route: "/oversight/committees/:id", web: true,
              request: { r, w, _, f in ("/oversight/committees/\(ovID(f, "committee", r, w))", nil) },
              expected: { role, w in committeeReader(role) ? (w == .inside ? 200 : 404) : 403 }, anonymous: 303),
        Probe(method: .POST, route: "/oversight/committees/:id/disclosures", web: true,
              request: { r, w, _, f in ("/oversight/committees/\(ovID(f, "committee", r, w))/disclosures",
                                        ["kind": "notice", "title": "停电通知", "body": "周四停电", "amount_yuan": "12.5"]) },
              expected: { role, w in committeeReader(role) ? (w == .inside ? 303 : 404) : 403 }, anonymous: 403),
        Probe(method: .GET, route: "/oversight/my-compound", web: true, request: { _, _, _, _ in ("/oversight/my-compound", nil) },
              expected: { role, _ in role == .resident ? 200 : 403 }, anonymous: 303),
    ]
}
