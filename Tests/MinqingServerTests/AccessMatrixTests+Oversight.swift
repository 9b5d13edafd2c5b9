import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// The 6543 oversight rows of the access matrix, and their fixtures: at each fixture home's
/// compound (`compound.<home>`, see `addOutside`) a property company of the home's subdistrict
/// with a contract, two open rectifications (one for the API, one for the page), an owners'
/// committee with a disclosure, a second and a third compound without a committee, a shop, a
/// project with two milestones, a second resident and a complaint about the company (its
/// `webreported` case); the demo's `property` account is linked to the company at R01.
extension AccessMatrixTests {
    static func addOversightFixtures(_ app: Application, _ fixtures: inout Fixtures) async throws {
        let sql = app.db.sql
        let today = CivilDate.today(now: TestClock.pinnedNow()).iso8601
        let due = try CivilDate.today(now: TestClock.pinnedNow()).adding(days: 30).iso8601
        for (index, (key, group)) in homes.sorted(by: { $0.key < $1.key }).enumerated() {
            struct Node: Decodable { var id: UUID; var subdistrict_id: UUID?; var area: UUID }
            let node = try await sql.raw(
                """
                SELECT g.id, g.subdistrict_id, a.id AS area FROM grid_nodes g JOIN grid_closure c ON c.descendant_id = g.id
                JOIN grid_nodes a ON a.id = c.ancestor_id WHERE g.code = \(bind: group) AND a.level = 'residential_area'
                """
            ).first(decoding: Node.self)!
            let compound = fixtures.extra["compound.\(key)"]!
            let company = UUID(), committee = UUID(), disclosure = UUID(), shop = UUID(), second = UUID()
            try await sql.raw(
                """
                INSERT INTO property_companies (id, subdistrict_id, name, licence_code, manager_name)
                VALUES (\(bind: company), \(bind: node.subdistrict_id), \(bind: "矩阵物业\(key)"), \(bind: "MATRIX-\(index)"), '经理')
                """
            ).run()
            try await sql.raw(
                """
                INSERT INTO property_contracts (id, company_id, compound_id, starts_on, ends_on, fee_fen_per_m2)
                VALUES (\(bind: UUID()), \(bind: company), \(bind: compound), '2020-01-01', '2099-12-31', 150)
                """
            ).run()
            for name in ["rect", "wrect"] {
                let id = UUID()
                try await sql.raw(
                    """
                    INSERT INTO rectifications (id, company_id, reason_zh, reason_en, opened_on, due_on, status)
                    VALUES (\(bind: id), \(bind: company), '消防通道', 'Fire lane', \(bind: today), \(bind: due), 'open')
                    """
                ).run()
                fixtures.extra["oversight.\(name).\(key)"] = id
            }
            try await sql.raw(
                """
                INSERT INTO owners_committees (id, subdistrict_id, compound_id, elected_on, term_ends_on, status)
                VALUES (\(bind: committee), \(bind: node.subdistrict_id), \(bind: compound), '2024-01-01', '2029-01-01', 'active')
                """
            ).run()
            try await sql.raw(
                """
                INSERT INTO committee_disclosures (id, committee_id, compound_id, kind, title, body, published_on, published_by)
                VALUES (\(bind: disclosure), \(bind: committee), \(bind: compound), 'minutes', '会议纪要', '矩阵', \(bind: today), 'committee')
                """
            ).run()
            try await sql.raw(
                """
                INSERT INTO compounds (id, subdistrict_id, grid_node_id, code, name, compound_type, address)
                VALUES (\(bind: second), \(bind: node.subdistrict_id), \(bind: node.area), \(bind: "C2-\(key)"), '矩阵二区', 'commodity_housing', '矩阵路 2 号')
                """
            ).run()
            // Its building stands at the next building group of the micro-grid (where there is one),
            // so that grid workers see it and the home's own group keeps one building.
            try await sql.raw(
                """
                INSERT INTO buildings (id, subdistrict_id, compound_id, grid_node_id, name, floors)
                SELECT \(bind: UUID()), g.subdistrict_id, \(bind: second), g.id, '矩阵二楼', 6 FROM grid_nodes g
                WHERE g.code = \(bind: String(group.dropLast(2)) + "02")
                """
            ).run()
            try await sql.raw(
                """
                INSERT INTO shops (id, subdistrict_id, grid_node_id, name, licence_code, category, address, contact_name)
                VALUES (\(bind: shop), \(bind: node.subdistrict_id), \(bind: node.id), '矩阵小店', \(bind: "SHOP-\(index)"), '零售', '矩阵路', '店主')
                """
            ).run()
            // A project of the five concerns at the compound, with one milestone for the API and one for the page;
            // a third compound (no committee) for the committee form; a second resident for the member form.
            let project = UUID()
            try await sql.raw(
                """
                INSERT INTO governance_projects (id, subdistrict_id, concern, name, compound_id, department, leader_name, budget_fen, spent_fen, status)
                VALUES (\(bind: project), \(bind: node.subdistrict_id), 'old_facilities', '矩阵改造', \(bind: compound), '区住建局', '李科长', 100000, 0, 'in_progress')
                """
            ).run()
            for name in ["milestone", "wmilestone"] {
                let id = UUID()
                try await sql.raw(
                    """
                    INSERT INTO governance_milestones (id, project_id, name, due_on) VALUES (\(bind: id), \(bind: project), '方案公示', \(bind: due))
                    """
                ).run()
                fixtures.extra["oversight.\(name).\(key)"] = id
            }
            let third = UUID()
            try await sql.raw(
                """
                INSERT INTO compounds (id, subdistrict_id, grid_node_id, code, name, compound_type, address)
                VALUES (\(bind: third), \(bind: node.subdistrict_id), \(bind: node.area), \(bind: "C3-\(key)"), '矩阵三区', 'commodity_housing', '矩阵路 3 号')
                """
            ).run()
            // At the third building group of the micro-grid (where there is one): the home's own group keeps one building.
            try await sql.raw(
                """
                INSERT INTO buildings (id, subdistrict_id, compound_id, grid_node_id, name, floors)
                SELECT \(bind: UUID()), g.subdistrict_id, \(bind: third), g.id, '矩阵三楼', 6 FROM grid_nodes g
                WHERE g.code = \(bind: String(group.dropLast(2)) + "03")
                """
            ).run()
            let second2 = UUID()
            let idNumber = try ResidentIDNumber(parsing: matrixIDNumber(950 + index))
            let sealed = try app.services.vault.seal(idNumber.normalized, masked: idNumber.masked, kind: .idNumber)
            try await sql.raw(
                """
                INSERT INTO persons (id, subdistrict_id, grid_node_id, household_id, name, sex, birth_date, id_cipher, id_index, id_masked, relation, residence_status)
                VALUES (\(bind: second2), \(bind: node.subdistrict_id), \(bind: node.id), \(bind: fixtures.households[key]!), '矩阵家属', \(bind: idNumber.sex.rawValue), '1980-01-01',
                        \(bind: sealed.ciphertext), \(bind: sealed.blindIndex), \(bind: sealed.masked), 'spouse', 'registered')
                """
            ).run()
            // Two serving staff of the company: one whose service the API ends, one the page ends.
            for (name, person) in [("staff", fixtures.persons[key]!), ("wstaff", second2)] {
                let id = UUID()
                try await sql.raw(
                    """
                    INSERT INTO property_company_staff (id, company_id, person_id, role, started_on) VALUES (\(bind: id), \(bind: company), \(bind: person), 'steward', '2024-01-01')
                    """
                ).run()
                fixtures.extra["oversight.\(name).\(key)"] = id
            }
            if key == "R01" {
                // The demo's property-company account speaks for the company at R01.
                try await sql.raw(
                    """
                    INSERT INTO company_accounts (account_id, company_id, linked_by, linked_at)
                    SELECT id, \(bind: company), 'matrix', \(bind: TestClock.pinnedNow()) FROM accounts WHERE username = 'property'
                    """
                ).run()
            }
            // A complaint about the company (the home's second reported case), for the company's reply.
            let complaint = UUID()
            try await sql.raw(
                """
                INSERT INTO company_complaints (id, company_id, case_id, upheld, recorded_by, created_at)
                VALUES (\(bind: complaint), \(bind: company), \(bind: fixtures.extra[caseKey("webreported", key)]!), \(bind: false), 'matrix', \(bind: TestClock.pinnedNow()))
                """
            ).run()
            fixtures.extra["oversight.complaint.\(key)"] = complaint
            fixtures.extra["oversight.project.\(key)"] = project
            fixtures.extra["oversight.compound3.\(key)"] = third
            fixtures.extra["oversight.person2.\(key)"] = second2
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

    /// Grid staff in scope, and the property-company account for its own company (linked at R01).
    static func companyReader(_ role: Role) -> Bool { staff(role) || role == .propertyCompany }

    /// The subdistrict each manager may and may not register a company in.
    static func ovSubdistrict(_ r: Reach, _ w: Where) -> String {
        w == .inside ? "310106019" : (r.role == .admin ? "320100001" : "310106020")
    }

    static let oversightProbes: [Probe] = [
        Probe(
            method: .GET, route: "/api/v1/oversight/companies", web: false, request: { _, _, _, _ in ("/api/v1/oversight/companies", nil) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/oversight/companies", web: false,
            request: { r, w, n, _ in ("/api/v1/oversight/companies", ["name": "物业\(n)", "licence_code": "LIC-\(n)", "node": ovSubdistrict(r, w)]) },
            expect: "201|422 201|422 403 403 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/oversight/companies/:id", web: false,
            request: { r, w, _, f in ("/api/v1/oversight/companies/\(ovID(f, "company", r, w))", nil) },
            expect: "200|404 200|404 200|404 200|404 403 200|404 403 403 403", anonymous: 401),
        // A company's staff: read as the credit file; ended (the fixture's row) and added (the same person again) by staff in scope.
        Probe(
            method: .GET, route: "/api/v1/oversight/companies/:id/staff", web: false,
            request: { r, w, _, f in ("/api/v1/oversight/companies/\(ovID(f, "company", r, w))/staff", nil) },
            expect: "200|404 200|404 200|404 200|404 403 200|404 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/oversight/companies/:id/staff/:staff/end", web: false,
            request: { r, w, _, f in ("/api/v1/oversight/companies/\(ovID(f, "company", r, w))/staff/\(ovID(f, "staff", r, w))/end", [:]) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/oversight/companies/:id/staff", web: false,
            request: { r, w, _, f in
                (
                    "/api/v1/oversight/companies/\(ovID(f, "company", r, w))/staff",
                    ["person_id": f.persons[w == .inside ? r.homeIn : r.homeOut]!.uuidString, "role": "security"]
                )
            },
            expect: "201|404 201|404 201|404 201|404 403 403 403 403 403", anonymous: 401),
        // Managers link a property-company account (the demo's `property`, inside both their scopes) to a company they see.
        Probe(
            method: .PUT, route: "/api/v1/oversight/company-accounts/:username", web: false,
            request: { r, w, _, f in ("/api/v1/oversight/company-accounts/property", ["company_id": ovID(f, "company", r, w)]) },
            expect: "204|422 204|422 403 403 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .PATCH, route: "/api/v1/oversight/projects/:id", web: false,
            request: { r, w, _, f in ("/api/v1/oversight/projects/\(ovID(f, "project", r, w))", ["status": "in_progress", "spent_fen": 12_345]) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/oversight/projects/:id/milestones", web: false,
            request: { r, w, _, f in ("/api/v1/oversight/projects/\(ovID(f, "project", r, w))/milestones", ["name": "竣工验收", "due_on": "2027-06-30"])
            },
            expect: "201|404 201|404 201|404 201|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/oversight/milestones/:id/done", web: false,
            request: { r, w, _, f in ("/api/v1/oversight/milestones/\(ovID(f, "milestone", r, w))/done", [:]) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/oversight/companies/:id/contracts", web: false,
            request: { r, w, _, f in ("/api/v1/oversight/companies/\(ovID(f, "company", r, w))/contracts", ["compound_id": ovCompound(f, r, w)]) },
            expect: "201|404 201|404 201|404 201|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/oversight/companies/:id/inspections", web: false,
            request: { r, w, _, f in
                (
                    "/api/v1/oversight/companies/\(ovID(f, "company", r, w))/inspections",
                    ["compound_id": ovCompound(f, r, w), "outcome": "minor", "finding": "楼道堆物"]
                )
            },
            expect: "201|404 201|404 201|404 201|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/oversight/companies/:id/surveys", web: false,
            request: { r, w, _, f in
                (
                    "/api/v1/oversight/companies/\(ovID(f, "company", r, w))/surveys",
                    ["compound_id": ovCompound(f, r, w), "respondents": 10, "satisfied": 9]
                )
            },
            expect: "201|404 201|404 201|404 201|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/oversight/companies/:id/complaints", web: false,
            request: { r, w, _, f in
                ("/api/v1/oversight/companies/\(ovID(f, "company", r, w))/complaints", ["case_id": cid(f, "closed", r, w), "upheld": true])
            },
            expect: "201|404 201|404 201|404 201|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/oversight/rectifications/:id/close", web: false,
            request: { r, w, _, f in ("/api/v1/oversight/rectifications/\(ovID(f, "rect", r, w))/close", ["note": "已整改"]) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/oversight/committees", web: false, request: { _, _, _, _ in ("/api/v1/oversight/committees", nil) },
            expect: "200 200 200 200 403 403 200 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/oversight/committees", web: false,
            request: { r, w, _, f in ("/api/v1/oversight/committees", ["compound_id": ovID(f, "compound2", r, w)]) },
            expect: "201|422 201|422 201|422 201|422 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/oversight/committees/:id", web: false,
            request: { r, w, _, f in ("/api/v1/oversight/committees/\(ovID(f, "committee", r, w))", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 200|404 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/oversight/committees/:id/members", web: false,
            request: { r, w, _, f in
                (
                    "/api/v1/oversight/committees/\(ovID(f, "committee", r, w))/members",
                    ["person_id": f.persons[w == .inside ? r.homeIn : r.homeOut]!.uuidString, "role": "member"]
                )
            },
            expect: "201|404 201|404 201|404 201|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/oversight/committees/:id/records", web: false,
            request: { r, w, _, f in ("/api/v1/oversight/committees/\(ovID(f, "committee", r, w))/records", ["kind": "correction", "reason": "补充公示"])
            },
            expect: "201|404 201|404 201|404 201|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/oversight/committees/:id/disclosures", web: false,
            request: { r, w, _, f in
                (
                    "/api/v1/oversight/committees/\(ovID(f, "committee", r, w))/disclosures",
                    ["kind": "notice", "title": "停水通知", "body": "周三停水"]
                )
            },
            expect: "201|404 201|404 201|404 201|404 403 403 201|404 403 403", anonymous: 401),
        // A resident reads the disclosures of their own compound only (the matrix resident lives at R01).
        Probe(
            method: .GET, route: "/api/v1/oversight/disclosures/:id", web: false,
            request: { r, w, _, f in ("/api/v1/oversight/disclosures/\(ovID(f, "disclosure", r, w))", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 200|404 403 200|404", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/oversight/my-compound", web: false, request: { _, _, _, _ in ("/api/v1/oversight/my-compound", nil) },
            expect: "403 403 403 403 403 403 403 403 200", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/oversight/shops", web: false, request: { _, _, _, _ in ("/api/v1/oversight/shops", nil) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/oversight/shops", web: false,
            request: { r, w, n, _ in
                (
                    "/api/v1/oversight/shops",
                    [
                        "name": "店\(n)", "licence_code": "S\(n)", "category": "餐饮", "address": "临汾路",
                        "phone": "13900139000", "node": w == .inside ? r.nodeIn : r.nodeOut
                    ]
                )
            },
            expect: "201|422 201|422 201|422 201|422 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/oversight/shops/:id/pledges", web: false,
            request: { r, w, _, f in ("/api/v1/oversight/shops/\(ovID(f, "shop", r, w))/pledges", ["signed_by": "店主"]) },
            expect: "201|404 201|404 201|404 201|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/oversight/shops/:id/inspections", web: false,
            request: { r, w, _, f in ("/api/v1/oversight/shops/\(ovID(f, "shop", r, w))/inspections", ["outcome": "minor", "finding": "占道经营"]) },
            expect: "201|404 201|404 201|404 201|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/oversight/checklists", web: false, request: { _, _, _, _ in ("/api/v1/oversight/checklists", nil) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .PUT, route: "/api/v1/oversight/checklists/:compound/:measure", web: false,
            request: { r, w, _, f in ("/api/v1/oversight/checklists/\(ovCompound(f, r, w))/old.renovation", ["status": "done"]) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/oversight/programmes", web: false, request: { _, _, _, _ in ("/api/v1/oversight/programmes", nil) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/oversight", web: true, request: { _, _, _, _ in ("/oversight", nil) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .GET, route: "/oversight/companies/:id", web: true,
            request: { r, w, _, f in ("/oversight/companies/\(ovID(f, "company", r, w))", nil) },
            expect: "200|404 200|404 200|404 200|404 403 200|404 403 403 403", anonymous: 303),
        Probe(
            method: .GET, route: "/oversight/my-company", web: true, request: { _, _, _, _ in ("/oversight/my-company", nil) },
            expect: "403 403 403 403 403 303 403 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/oversight/companies/:id/contracts", web: true,
            request: { r, w, _, f in
                (
                    "/oversight/companies/\(ovID(f, "company", r, w))/contracts",
                    ["compound_id": ovCompound(f, r, w), "starts_on": "", "ends_on": "", "fee_yuan": "1.5"]
                )
            },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/oversight/companies/:id/surveys", web: true,
            request: { r, w, _, f in
                (
                    "/oversight/companies/\(ovID(f, "company", r, w))/surveys",
                    ["compound_id": ovCompound(f, r, w), "respondents": "20", "satisfied": "19", "surveyed_on": ""]
                )
            },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/oversight/companies/:id/complaints", web: true,
            request: { r, w, _, f in
                ("/oversight/companies/\(ovID(f, "company", r, w))/complaints", ["case_ref": cid(f, "webclosed", r, w), "upheld": "1"])
            },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/oversight/companies/:id/accounts", web: true,
            request: { r, w, _, f in ("/oversight/companies/\(ovID(f, "company", r, w))/accounts", ["username": "property"]) },
            expect: "303|404 303|404 403 403 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/oversight/companies/:id/staff/:staff/end", web: true,
            request: { r, w, _, f in ("/oversight/companies/\(ovID(f, "company", r, w))/staff/\(ovID(f, "wstaff", r, w))/end", ["ended_on": ""]) },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/oversight/companies/:id/staff", web: true,
            request: { r, w, _, f in
                (
                    "/oversight/companies/\(ovID(f, "company", r, w))/staff",
                    ["person_id": ovID(f, "person2", r, w), "role": "cleaner", "started_on": ""]
                )
            },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .GET, route: "/oversight/compounds/:id", web: true,
            request: { r, w, _, f in ("/oversight/compounds/\(ovCompound(f, r, w))", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/oversight/compounds/:id/measures/:measure", web: true,
            request: { r, w, _, f in
                ("/oversight/compounds/\(ovCompound(f, r, w))/measures/old.renovation", ["status": "in_progress", "note": "方案公示"])
            },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/oversight/committees", web: true,
            request: { r, w, _, f in ("/oversight/committees", ["compound_id": ovID(f, "compound3", r, w), "elected_on": "", "term_ends_on": ""]) },
            expect: "303|422 303|422 303|422 303|422 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/oversight/committees/:id/members", web: true,
            request: { r, w, _, f in
                (
                    "/oversight/committees/\(ovID(f, "committee", r, w))/members",
                    ["person_id": ovID(f, "person2", r, w), "role": "deputy"]
                )
            },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/oversight/committees/:id/records", web: true,
            request: { r, w, _, f in
                ("/oversight/committees/\(ovID(f, "committee", r, w))/records", ["kind": "correction", "member_id": "", "reason": "补充公示"])
            },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .GET, route: "/oversight/shops", web: true, request: { _, _, _, _ in ("/oversight/shops", nil) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/oversight/shops", web: true,
            request: { r, w, n, _ in
                (
                    "/oversight/shops",
                    [
                        "name": "网页店\(n)", "licence_code": "WS\(n)", "category": "零售", "address": "临汾路",
                        "contact_name": "店主", "phone": "13900139000", "node": w == .inside ? r.nodeIn : r.nodeOut
                    ]
                )
            },
            expect: "303|422 303|422 303|422 303|422 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .GET, route: "/oversight/shops/:id", web: true,
            request: { r, w, _, f in ("/oversight/shops/\(ovID(f, "shop", r, w))", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/oversight/shops/:id/pledges", web: true,
            request: { r, w, _, f in
                ("/oversight/shops/\(ovID(f, "shop", r, w))/pledges", ["signed_by": "店主", "signed_on": "", "duties": "门前环境卫生\n门前秩序"])
            },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/oversight/shops/:id/inspections", web: true,
            request: { r, w, _, f in
                (
                    "/oversight/shops/\(ovID(f, "shop", r, w))/inspections",
                    ["outcome": "minor", "finding": "占道经营", "case_category": "", "inspected_on": ""]
                )
            },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .GET, route: "/oversight/projects/:id", web: true,
            request: { r, w, _, f in ("/oversight/projects/\(ovID(f, "project", r, w))", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/oversight/projects/:id", web: true,
            request: { r, w, _, f in
                (
                    "/oversight/projects/\(ovID(f, "project", r, w))",
                    ["status": "in_progress", "spent_yuan": "1234.56", "leader_name": "王科长", "department": "区住建局"]
                )
            },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/oversight/projects/:id/milestones", web: true,
            request: { r, w, _, f in ("/oversight/projects/\(ovID(f, "project", r, w))/milestones", ["name": "竣工验收", "due_on": "2027-06-30"]) },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/oversight/milestones/:id/done", web: true,
            request: { r, w, _, f in ("/oversight/milestones/\(ovID(f, "wmilestone", r, w))/done", ["done_on": ""]) },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/oversight/companies/:id/inspections", web: true,
            request: { r, w, _, f in
                (
                    "/oversight/companies/\(ovID(f, "company", r, w))/inspections",
                    ["compound_id": ovCompound(f, r, w), "outcome": "pass", "finding": "", "case_category": ""]
                )
            },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/oversight/rectifications/:id/close", web: true,
            request: { r, w, _, f in ("/oversight/rectifications/\(ovID(f, "wrect", r, w))/close", ["note": "已整改"]) },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .GET, route: "/oversight/committees/:id", web: true,
            request: { r, w, _, f in ("/oversight/committees/\(ovID(f, "committee", r, w))", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 200|404 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/oversight/committees/:id/disclosures", web: true,
            request: { r, w, _, f in
                (
                    "/oversight/committees/\(ovID(f, "committee", r, w))/disclosures",
                    ["kind": "notice", "title": "停电通知", "body": "周四停电", "amount_yuan": "12.5"]
                )
            },
            expect: "303|404 303|404 303|404 303|404 403 403 303|404 403 403", anonymous: 403),
        Probe(
            method: .GET, route: "/oversight/my-compound", web: true, request: { _, _, _, _ in ("/oversight/my-compound", nil) },
            expect: "403 403 403 403 403 403 403 403 200", anonymous: 303),
        // Managers register a property company from the overview, in a subdistrict of their scope (422 outside it).
        Probe(
            method: .POST, route: "/oversight/companies", web: true,
            request: { r, w, n, _ in
                ("/oversight/companies", ["name": "网页物业\(n)", "licence_code": "WLIC-\(n)", "manager_name": "", "node": ovSubdistrict(r, w)])
            },
            expect: "303|422 303|422 403 403 403 403 403 403 403", anonymous: 403),
        // The company's own account (the demo's `property`, linked to the company at R01) answers its
        // rectifications and complaints; another company's are 404, every other role 403.
        Probe(
            method: .POST, route: "/api/v1/oversight/rectifications/:id/answers", web: false,
            request: { r, w, _, f in ("/api/v1/oversight/rectifications/\(ovID(f, "rect", r, w))/answers", ["body": "已清理消防通道"]) },
            expect: "403 403 403 403 403 201|404 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/oversight/complaints/:id/answers", web: false,
            request: { r, w, _, f in ("/api/v1/oversight/complaints/\(ovID(f, "complaint", r, w))/answers", ["body": "已上门处理"]) },
            expect: "403 403 403 403 403 201|404 403 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/oversight/rectifications/:id/answers", web: true,
            request: { r, w, _, f in ("/oversight/rectifications/\(ovID(f, "wrect", r, w))/answers", ["body": "已清理消防通道", "done_on": ""]) },
            expect: "403 403 403 403 403 303|404 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/oversight/complaints/:id/answers", web: true,
            request: { r, w, _, f in ("/oversight/complaints/\(ovID(f, "complaint", r, w))/answers", ["body": "已上门处理"]) },
            expect: "403 403 403 403 403 303|404 403 403 403", anonymous: 403)
    ]
}
