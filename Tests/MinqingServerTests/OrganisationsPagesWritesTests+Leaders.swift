import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// Building-group leaders (楼组长) and the organisations' export from the pages.
extension OrganisationsPagesWritesTests {
    struct LeaderRowSQL: Decodable, Equatable {
        var grid_node_id: UUID; var subdistrict_id: UUID?; var organisation_id: UUID?; var starts_on: String; var ends_on: String?
        var created_by: String?
    }

    @Test("building-group leaders from their page: found by name, the API's row, grid staff only, refusals said beside the fields")
    func leaders() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let sql = world.sql
            let first = try await world.household(1).person, second = try await world.household(2).person
            let grid = TestClient(app)
            try await grid.signInAPI("gridworker")
            _ = try await grid.jsonObject(
                .POST, "/api/v1/organisations/building-group-leaders", ["person_id": first.uuidString, "starts_on": "2026-11-01"]
            ).createdID()
            let (web, csrf) = try await Self.browser(app, "gridworker")
            let found = try await web.get(
                "/organisations/building-group-leaders?who=\("住户".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
            // The one who leads already is not offered again; the other is, by name.
            #expect(found.status == .ok && found.body.string.contains("leader-add") && found.body.string.contains("value=\"\(second.uuidString)\""))
            #expect(!found.body.string.contains("value=\"\(first.uuidString)\""))
            let saved = try await web.form(
                "/organisations/building-group-leaders", ["person_id": second.uuidString, "starts_on": "2026-11-01", "who": "住户", "csrf": csrf])
            #expect(saved.status == .seeOther && saved.headers.first(name: .location) == "/organisations/building-group-leaders?done=leader")
            let rows = try await sql.raw(
                """
                SELECT grid_node_id, subdistrict_id, organisation_id, starts_on, ends_on, created_by FROM building_group_leaders
                WHERE person_id IN (\(bind: first), \(bind: second)) ORDER BY created_at, id
                """
            ).all(decoding: LeaderRowSQL.self)
            #expect(rows.count == 2 && rows[0] == rows[1] && rows[0].created_by == "gridworker", "\(rows)")
            #expect(try await web.get("/organisations/building-group-leaders?done=leader").body.string.contains("住户2"))
            // Roles outside grid staff are refused; a person outside the caller's area is not found.
            let third = try await world.household(3).person
            let (handler, handlerCSRF) = try await Self.browser(app, "handler")
            #expect(
                try await handler.form("/organisations/building-group-leaders", ["person_id": third.uuidString, "csrf": handlerCSRF]).status
                    == .forbidden)
            let (other, otherCSRF) = try await Self.browser(app, "cadre2")
            #expect(
                try await other.form("/organisations/building-group-leaders", ["person_id": third.uuidString, "csrf": otherCSRF]).status == .notFound)
            #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM building_group_leaders WHERE person_id = \(bind: third)") == 0)
            // Nobody chosen, a day that does not exist: sentences beside both, the search kept.
            let bad = try await web.form(
                "/organisations/building-group-leaders", ["person_id": "", "starts_on": "2026-02-30", "who": "住户", "csrf": csrf])
            Self.expectRefused(bad, beside: ["person_id", "starts_on"], box: "leaders-error", names: ["person_id", "starts_on", "organisation_id"])
            #expect(bad.body.string.contains("value=\"2026-02-30\"") && bad.body.string.contains("value=\"\(third.uuidString)\""))
            #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM building_group_leaders WHERE created_by = 'gridworker'") == 2)
        }
    }

    @Test("the organisations' export from the page: the API's CSV and audit entry; party members only for entitled roles with a purpose")
    func export() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let sql = world.sql
            let branch = try await world.cadre.jsonObject(
                .POST, "/api/v1/organisations", ["name": "临汾第一党支部", "kind": "party_committee", "node": Self.area]
            ).createdID()
            let council = try await world.cadre.jsonObject(
                .POST, "/api/v1/organisations", ["name": "临汾妇女小组", "kind": "womens_council", "node": Self.area]
            ).createdID()
            let member = try await world.household(1, born: "19700101").person, woman = try await world.household(2, born: "19800101").person
            _ = try await world.cadre.jsonObject(.POST, "/api/v1/organisations/\(branch)/members", ["person_id": member.uuidString]).createdID()
            _ = try await world.cadre.jsonObject(.POST, "/api/v1/organisations/\(council)/members", ["person_id": woman.uuidString]).createdID()
            let api = try await world.cadre.jsonObject(.POST, "/api/v1/organisations/export", ["node": Self.area])
            let (web, csrf) = try await Self.browser(app, "cadre")
            #expect(try await web.get("/organisations").body.string.contains("org-export-sensitive"))
            let page = try await web.form("/organisations/export", ["node": Self.area, "csrf": csrf])
            #expect(page.status == .ok && page.headers.contentType?.subType == "csv")
            #expect(page.body.string == api.body.string && page.body.string.contains("住户2") && !page.body.string.contains("住户1"))
            #expect(try await Self.audits(sql, "organisations.exported") == 2)
            // Party members: a purpose first; then the same file as the API's.
            let bad = try await web.form("/organisations/export", ["node": Self.area, "sensitive": "true", "csrf": csrf])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("export-error-purpose"))
            let refusal = Self.text(bad.body.string, after: "id=\"export-error-purpose\">", until: "</p>") ?? ""
            #expect(!refusal.isEmpty && !refusal.contains("purpose"))
            let sensitiveForm = Self.text(bad.body.string, after: "id=\"org-export-sensitive\"", until: "</form>") ?? ""
            #expect(Self.chosen(sensitiveForm, Self.area), "the grid area chosen is kept")
            #expect(try await Self.audits(sql, "organisations.exported") == 2)
            let stated = ["sensitive": "true", "purpose": "verification", "purpose_detail": "换届核对"]
            let full = try await web.form("/organisations/export", stated.merging(["csrf": csrf]) { a, _ in a })
            let fullAPI = try await world.cadre.jsonObject(
                .POST, "/api/v1/organisations/export", ["sensitive": true, "purpose": "verification", "purpose_detail": "换届核对"])
            #expect(full.status == .ok && full.body.string == fullAPI.body.string && full.body.string.contains("住户1"))
            #expect(try await Self.audits(sql, "organisations.exported") == 4)
            // A grid worker exports without party members only; a department handler not at all.
            let (grid, gridCSRF) = try await Self.browser(app, "gridworker")
            let gridHome = try await grid.get("/organisations").body.string
            #expect(gridHome.contains("org-export") && !gridHome.contains("org-export-sensitive"))
            #expect(try await grid.form("/organisations/export", stated.merging(["csrf": gridCSRF]) { a, _ in a }).status == .forbidden)
            let (handler, handlerCSRF) = try await Self.browser(app, "handler")
            #expect(try await handler.form("/organisations/export", ["csrf": handlerCSRF]).status == .forbidden)
            #expect(try await Self.audits(sql, "organisations.exported") == 4)
        }
    }
}
