import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// The co-building forms of a unit's page: lists, contracts, a commitment's check, points.
extension OrganisationsPagesWritesTests {
    struct ItemSQL: Decodable, Equatable {
        var subdistrict_id: UUID?; var grid_node_id: UUID; var list_kind: String; var title: String; var detail: String; var status: String
        var created_by: String?
    }

    struct ContractSQL: Decodable, Equatable {
        var grid_node_id: UUID; var title: String; var starts_on: String; var ends_on: String; var created_by: String?
    }

    struct CommitmentSQL: Decodable, Hashable { var side: String; var content: String; var due_on: String }

    @Test("co-building lists and contracts from the unit's page: the API's rows, managers only, each refusal beside its field or row")
    func listsAndContracts() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let sql = world.sql
            let (school, _) = try await OrganisationsTests.units(world)
            let item = ["list_kind": "resource", "title": "篮球场周末开放", "detail": "周六、周日 8:00–18:00"]
            var apiItem: [String: Any] = item
            apiItem["service_unit_id"] = school.uuidString
            _ = try await world.cadre.jsonObject(.POST, "/api/v1/cobuilding/items", apiItem).createdID()
            let (web, csrf) = try await Self.browser(app, "cadre")
            #expect(try await web.get("/cobuilding/units/\(school)").body.string.contains("item-add"))
            let saved = try await web.form("/cobuilding/units/\(school)/items", item.merging(["csrf": csrf]) { a, _ in a })
            #expect(saved.status == .seeOther && saved.headers.first(name: .location) == "/cobuilding/units/\(school)?done=item")
            let items = try await sql.raw(
                """
                SELECT subdistrict_id, grid_node_id, list_kind, title, detail, status, created_by FROM cobuild_items
                WHERE service_unit_id = \(bind: school) ORDER BY created_at, id
                """
            ).all(decoding: ItemSQL.self)
            #expect(items.count == 2 && items[0] == items[1], "\(items)")
            // Not a list, no title: sentences beside both; a grid worker is refused; nothing more written.
            let badItem = try await web.form("/cobuilding/units/\(school)/items", ["list_kind": "wish", "title": " ", "csrf": csrf])
            Self.expectRefused(
                badItem, beside: ["list_kind", "title"], box: "cobuilding-error", names: ["list_kind", "title", "detail", "service_unit_id"])
            let (grid, gridCSRF) = try await Self.browser(app, "gridworker")
            #expect(try await grid.form("/cobuilding/units/\(school)/items", item.merging(["csrf": gridCSRF]) { a, _ in a }).status == .forbidden)
            #expect(try await web.form("/cobuilding/units/\(UUID())/items", item.merging(["csrf": csrf]) { a, _ in a }).status == .notFound)
            #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM cobuild_items WHERE service_unit_id = \(bind: school)") == 2)
            // A contract: the API's and the page's rows and commitments are the same.
            _ = try await world.cadre.jsonObject(
                .POST, "/api/v1/cobuilding/contracts",
                [
                    "service_unit_id": school.uuidString, "title": "2027 年共建契约", "starts_on": "2027-01-01", "ends_on": "2027-12-31",
                    "commitments": [["side": "unit", "content": "周末开放篮球场"], ["side": "community", "content": "场地管理志愿者", "due_on": "2027-03-31"]]
                ]
            ).createdID()
            let contract = [
                "title": "2027 年共建契约", "starts_on": "2027-01-01", "ends_on": "2027-12-31", "side_0": "unit", "content_0": "周末开放篮球场",
                "side_1": "community", "content_1": "场地管理志愿者", "due_on_1": "2027-03-31", "side_2": "unit", "content_2": "", "csrf": csrf
            ]
            let signed = try await web.form("/cobuilding/units/\(school)/contracts", contract)
            #expect(signed.status == .seeOther && signed.headers.first(name: .location) == "/cobuilding/units/\(school)?done=contract")
            let contracts = try await sql.raw(
                """
                SELECT grid_node_id, title, starts_on, ends_on, created_by FROM cobuild_contracts WHERE service_unit_id = \(bind: school)
                ORDER BY created_at, id
                """
            ).all(decoding: ContractSQL.self)
            #expect(contracts.count == 2 && contracts[0] == contracts[1], "\(contracts)")
            struct Row: Decodable { var id: UUID }
            var sets: [[CommitmentSQL: Int]] = []
            for c in try await sql.raw("SELECT id FROM cobuild_contracts WHERE service_unit_id = \(bind: school)").all(decoding: Row.self) {
                let rows = try await sql.raw("SELECT side, content, due_on FROM cobuild_commitments WHERE contract_id = \(bind: c.id)")
                    .all(decoding: CommitmentSQL.self)
                sets.append(Dictionary(rows.map { ($0, 1) }, uniquingKeysWith: +))
            }
            let expected: [CommitmentSQL: Int] = [
                CommitmentSQL(side: "unit", content: "周末开放篮球场", due_on: "2027-12-31"): 1,
                CommitmentSQL(side: "community", content: "场地管理志愿者", due_on: "2027-03-31"): 1
            ]
            #expect(sets == [expected, expected])
            // No title; the third row's day does not exist (the second row left empty): each sentence at its own row.
            var bad = contract
            bad["title"] = ""
            bad["content_1"] = ""
            bad["due_on_1"] = ""
            bad["content_2"] = "暑托班师资"
            bad["due_on_2"] = "2027-02-30"
            let refused = try await web.form("/cobuilding/units/\(school)/contracts", bad)
            let names = ["title", "node", "starts_on", "ends_on", "commitments", "side", "content", "due_on", "service_unit_id"]
            Self.expectRefused(refused, beside: ["title", "commitments[2]"], box: "cobuilding-error", names: names)
            #expect(Self.besideField(refused.body.string, "commitments[1]") == nil && Self.besideField(refused.body.string, "commitments[0]") == nil)
            #expect(refused.body.string.contains("value=\"2027-02-30\"") && refused.body.string.contains("value=\"暑托班师资\""))
            // No commitment at all: said at the first row.
            let empty = try await web.form(
                "/cobuilding/units/\(school)/contracts", ["title": "空契约", "side_0": "unit", "content_0": "", "csrf": csrf])
            Self.expectRefused(empty, beside: ["commitments[0]"], box: "cobuilding-error", names: names)
            #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM cobuild_contracts WHERE service_unit_id = \(bind: school)") == 2)
        }
    }

    struct PointsSQL: Decodable, Equatable {
        var holder_kind: String; var service_unit_id: UUID?; var registration_id: UUID?; var rule_code: String; var quantity: Int
        var points: Int; var explanation: String; var reason: String; var earned_on: String; var grid_node_id: UUID; var created_by: String?
    }

    static func points(_ sql: any SQLDatabase, reason: String) async throws -> [PointsSQL] {
        try await sql.raw(
            """
            SELECT holder_kind, service_unit_id, registration_id, rule_code, quantity, points, explanation, reason, earned_on, grid_node_id, created_by
            FROM cobuild_points WHERE reason = \(bind: reason) ORDER BY created_at, id
            """
        ).all(decoding: PointsSQL.self)
    }

    @Test("a commitment's check and points from the unit's page: the API's rows and points, managers only, refusals said")
    func checksAndPoints() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let sql = world.sql
            let (school, _) = try await OrganisationsTests.units(world)
            _ = try await world.cadre.jsonObject(
                .POST, "/api/v1/cobuilding/contracts",
                [
                    "service_unit_id": school.uuidString, "title": "共建契约",
                    "commitments": [["side": "unit", "content": "开放会议室"], ["side": "unit", "content": "开放食堂"], ["side": "unit", "content": "开放操场"]]
                ]
            ).createdID()
            struct C: Decodable { var id: UUID; var content: String }
            let all = try await sql.raw("SELECT id, content FROM cobuild_commitments ORDER BY content").all(decoding: C.self)
            let byContent = Dictionary(uniqueKeysWithValues: all.map { ($0.content, $0.id) })
            let (viaAPI, viaPage, untouched) = (byContent["开放会议室"]!, byContent["开放食堂"]!, byContent["开放操场"]!)
            #expect(
                try await world.cadre.jsonObject(.POST, "/api/v1/cobuilding/commitments/\(viaAPI)/check", ["delivered": true]).status == .noContent)
            let (web, csrf) = try await Self.browser(app, "cadre")
            #expect(try await web.get("/cobuilding/units/\(school)").body.string.contains("delivered-\(viaPage.uuidString)"))
            let checked = try await web.form("/cobuilding/commitments/\(viaPage)/check", ["delivered": "true", "csrf": csrf])
            #expect(checked.status == .seeOther && checked.headers.first(name: .location) == "/cobuilding/units/\(school)?done=checked")
            struct Check: Decodable, Equatable { var delivered: Bool?; var checked_on: String?; var checked_by: String? }
            func check(_ id: UUID) async throws -> Check {
                try await sql.raw("SELECT delivered, checked_on, checked_by FROM cobuild_commitments WHERE id = \(bind: id)").first(
                    decoding: Check.self)!
            }
            let (apiCheck, pageCheck) = (try await check(viaAPI), try await check(viaPage))
            #expect(apiCheck == pageCheck && pageCheck.delivered == true)
            // Each delivered unit commitment earned the published 20 points, explained alike.
            let (apiPoints, pagePoints) = (try await Self.points(sql, reason: "开放会议室"), try await Self.points(sql, reason: "开放食堂"))
            #expect(apiPoints.count == 1 && pagePoints.count == 1 && pagePoints.first?.points == 20)
            // The same entry but for its reason (the commitment's own words).
            var sameButReason = try #require(apiPoints.first)
            sameButReason.reason = "开放食堂"
            #expect(sameButReason == pagePoints.first && sameButReason.rule_code == "commitment_delivered")
            // Checked once only; no answer; a grid worker: refused, nothing written.
            let twice = try await web.form("/cobuilding/commitments/\(viaPage)/check", ["delivered": "false", "csrf": csrf])
            #expect(twice.status == .conflict && Self.text(twice.body.string, after: "role=\"alert\">", until: "</div>")?.contains("该承诺已核验") == true)
            let blank = try await web.form("/cobuilding/commitments/\(untouched)/check", ["csrf": csrf])
            let blankBox = Self.text(blank.body.string, after: "role=\"alert\">", until: "</div>") ?? ""
            #expect(blank.status == .unprocessableEntity && blankBox.contains("未兑现") && !blankBox.contains("delivered"))
            let (grid, gridCSRF) = try await Self.browser(app, "gridworker")
            #expect(try await grid.form("/cobuilding/commitments/\(untouched)/check", ["delivered": "true", "csrf": gridCSRF]).status == .forbidden)
            #expect(try await check(untouched) == Check(delivered: nil, checked_on: nil, checked_by: nil))
            #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM cobuild_points") == 2)
            // Points by hand: to the unit as the API does; to a registered member of it.
            let award = ["rule": "resource_opened", "quantity": "3", "reason": "开放篮球场、会议室、食堂", "earned_on": "2026-11-01"]
            #expect(
                try await world.cadre.jsonObject(
                    .POST, "/api/v1/cobuilding/points",
                    [
                        "service_unit_id": school.uuidString, "rule": "resource_opened", "quantity": 3, "reason": "开放篮球场、会议室、食堂",
                        "earned_on": "2026-11-01"
                    ]
                ).status == .created)
            let awarded = try await web.form("/cobuilding/units/\(school)/points", award.merging(["csrf": csrf]) { a, _ in a })
            #expect(awarded.status == .seeOther && awarded.headers.first(name: .location) == "/cobuilding/units/\(school)?done=points")
            let unitRows = try await Self.points(sql, reason: "开放篮球场、会议室、食堂")
            #expect(unitRows.count == 2 && unitRows[0] == unitRows[1] && unitRows[0].points == 30 && unitRows[0].holder_kind == "unit")
            let resident = TestClient(app)
            try await resident.signInAPI("resident")
            let registration = try await resident.jsonObject(.POST, "/api/v1/dual/registrations", ["service_unit_id": school.uuidString]).createdID()
            let served = ["registration_id": registration.uuidString, "rule": "service_hour", "quantity": "5", "reason": "五月楼道清洁", "csrf": csrf]
            #expect(try await web.form("/cobuilding/units/\(school)/points", served).status == .seeOther)
            let memberRows = try await Self.points(sql, reason: "五月楼道清洁")
            #expect(memberRows.count == 1 && memberRows.first?.holder_kind == "member" && memberRows.first?.registration_id == registration)
            #expect(memberRows.first?.service_unit_id == nil && memberRows.first?.points == 5)
            // No rule, a quantity that is no number, no reason: sentences beside each; a grid worker refused; nothing written.
            let refused = try await web.form(
                "/cobuilding/units/\(school)/points", ["rule": "", "quantity": "三", "reason": "", "csrf": csrf])
            Self.expectRefused(
                refused, beside: ["rule", "quantity", "reason"], box: "cobuilding-error",
                names: ["rule", "quantity", "reason", "earned_on", "registration_id", "service_unit_id"])
            #expect(refused.body.string.contains("value=\"三\""))
            #expect(try await grid.form("/cobuilding/units/\(school)/points", award.merging(["csrf": gridCSRF]) { a, _ in a }).status == .forbidden)
            #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM cobuild_points") == 5)
        }
    }
}
