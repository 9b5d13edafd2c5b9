import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

@Suite("Visits: recording, scope and 十必访")
struct VisitsTests {
    @Test("a visit with a tag added, a detail corrected and a finding filed as a help request: all linked, one transaction, audited")
    func recordWithChanges() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let home = try await world.household(1)
            let visit = try await world.visit(
                [home.id],
                extra: [
                    "kind": "must_visit", "category": "very_old",
                    "findings": [["need": "medical", "note": "需要陪同就医", "help_request": true], ["need": "safety", "note": "燃气灶老化"]],
                    "tags_added": [["person_id": home.person.uuidString, "code": "id.elderly.alone"]],
                    "person_updates": [["person_id": home.person.uuidString, "residence_status": "resident", "phone": "138 0013 8000"]]
                ]
            ).createdID()

            let detail = try await world.cadre.get("/api/v1/visits/\(visit)").decode(VisitDetail.self)
            #expect(detail.kind == .mustVisit && detail.category == "very_old")
            #expect(detail.households.map(\.id) == [home.id])
            #expect(detail.visitors.map(\.username) == ["cadre"])
            let medical = try #require(detail.findings.first { $0.need == .medical })
            #expect(medical.follow_up_kind == "help_request")
            #expect(detail.findings.first { $0.need == .safety }?.follow_up_kind == nil)
            // The help request exists, for the household's head, with the need's category.
            struct Help: Decodable { var person_id: UUID; var category: String; var description: String }
            let help = try #require(
                try await world.sql.raw("SELECT person_id, category, description FROM help_requests WHERE id = \(bind: medical.follow_up_id!)")
                    .first(decoding: Help.self))
            #expect(help.person_id == home.person && help.category == "就医求助" && help.description == "需要陪同就医")
            // The tag assignment is the one the change row names, given by the visit.
            let added = try #require(detail.changes.first { $0.change == "tag_added" })
            struct Assignment: Decodable { var source: String; var person_id: UUID }
            let assignment = try #require(
                try await world.sql.raw("SELECT source, person_id FROM tag_assignments WHERE id = \(bind: added.tag_assignment_id!)")
                    .first(decoding: Assignment.self))
            #expect(assignment.source == "visit" && assignment.person_id == home.person)
            // Details: the change log holds the masked number only.
            #expect(detail.changes.contains { $0.field == "phone" && $0.value == "138****8000" })
            #expect(detail.changes.contains { $0.field == "residence_status" && $0.value == "resident" })
            let person = try await world.cadre.get("/api/v1/registry/persons/\(home.person)").body.string
            #expect(person.contains("138****8000") && person.contains("\"residence_status\":\"resident\""))
            // Audited, chain intact.
            struct A: Decodable { var action: String }
            let actions = Set(try await world.sql.raw("SELECT action FROM audit_log").all(decoding: A.self).map(\.action))
            #expect(actions.isSuperset(of: ["visit.recorded", "tag.assigned", "help_request.created", "person.updated"]))
            #expect(try await AuditLog.verify(on: app.db).isIntact)
        }
    }

    @Test("a failing part leaves nothing written: the visit, its findings, help requests and audit rows roll back")
    func atomic() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let home = try await world.household(2)
            try await world.tag(home.person, "id.elderly.alone", starts: try CivilDate(parsing: "2025-01-01"))
            let before = try await (world.count("visits"), world.count("help_requests"), world.count("visit_findings"), world.count("audit_log"))
            // The help request is written before the tag, which fails: the person already has it.
            let response = try await world.visit(
                [home.id],
                extra: [
                    "findings": [["need": "care", "note": "需要助餐", "help_request": true]],
                    "tags_added": [["person_id": home.person.uuidString, "code": "id.elderly.alone"]]
                ])
            #expect(response.status == .conflict)
            #expect(response.body.string.contains("该居民已有此标签"))
            let after = try await (world.count("visits"), world.count("help_requests"), world.count("visit_findings"), world.count("audit_log"))
            #expect(before == after)
            #expect(try await world.count("visit_credits") == 0)
            // And bad input is a 422 naming each field, before anything is tried.
            let bad = try await world.cadre.jsonObject(
                .POST, "/api/v1/visits",
                [
                    "households": [home.id.uuidString], "method": "walk", "kind": "booked",
                    "findings": [["need": "luck"]], "tags_added": [["person_id": UUID().uuidString, "code": "id.elderly.alone"]]
                ])
            #expect(bad.status == .unprocessableEntity)
            for field in ["method", "kind", "findings[0].need", "tags_added[0].person_id"] {
                #expect(bad.body.string.contains("\"field\":\"\(field)\""), "\(field)")
            }
        }
    }

    @Test("visits outside the caller's scope are invisible in lists and details; co-visitors must cover the household")
    func scope() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let inGrid = try await world.household(3)
            let otherGrid = try await world.household(4, node: VisitWorld.otherMicroGrid)
            let first = try await world.visit([inGrid.id], extra: ["visitors": ["gridworker"]]).createdID()
            let second = try await world.visit([otherGrid.id]).createdID()
            // The grid worker of micro-grid 1 cannot come along to micro-grid 2.
            let refused = try await world.visit([otherGrid.id], extra: ["visitors": ["gridworker"]])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("\"field\":\"visitors\""))

            let grid = TestClient(app)
            try await grid.signInAPI("gridworker")
            let seen = try await grid.get("/api/v1/visits").decode(VisitPage.self)
            #expect(seen.items.map(\.id) == [first])
            #expect(try await grid.get("/api/v1/visits/\(second)").status == .notFound)
            #expect(try await grid.get("/api/v1/visits?mine=true").decode(VisitPage.self).items.map(\.id) == [first], "credited as a visitor")

            let other = TestClient(app)
            try await other.signInAPI("cadre2")
            #expect(try await other.get("/api/v1/visits").decode(VisitPage.self).total == 0)
            #expect(try await other.get("/api/v1/visits/\(first)").status == .notFound)
            // Recording a visit to a household outside the scope names the field, and reveals nothing.
            let outside = try await world.visit([inGrid.id], as: other)
            #expect(outside.status == .unprocessableEntity && outside.body.string.contains("\"field\":\"households\""))

            let staff = TestClient(app)
            try await staff.signInAPI("staff")
            #expect(Set(try await staff.get("/api/v1/visits").decode(VisitPage.self).items.map(\.id)) == [first, second])
        }
    }

    @Test("十必访: who is due and overdue, per category, inside the scope; sensitive categories stay hidden from grid workers")
    func mustVisit() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let today = CivilDate.today(now: TestClock.pinnedNow())
            let alone = try await world.household(11) // weekly: visited 10 days ago → 3 days late
            let veryOld = try await world.household(12) // monthly: visited 5 days ago → not due
            let newcomer = try await world.household(13, born: "19900101") // monthly: arrived 40 days ago, never visited → 10 late
            let dibao = try await world.household(14, born: "19700101") // quarterly, sensitive: 100 days, never visited → 10 late
            _ = try await world.household(15, born: "19800101") // in no category
            try await world.tag(alone.person, "id.elderly.alone", starts: try today.adding(days: -400))
            try await world.tag(veryOld.person, "id.elderly.very_old", starts: try today.adding(days: -400))
            try await world.tag(newcomer.person, "id.newcomer", starts: try today.adding(days: -40))
            try await world.tag(dibao.person, "id.assistance.dibao", starts: try today.adding(days: -100))
            _ = try await world.visit([alone.id], at: TestClock.pinnedNow().addingTimeInterval(-10 * 86_400)).createdID()
            _ = try await world.visit([veryOld.id], at: TestClock.pinnedNow().addingTimeInterval(-5 * 86_400)).createdID()

            let report = try await world.cadre.get("/api/v1/visits/must-visit?status=overdue").decode(MustVisitQueries.Report.self)
            #expect(report.hidden.isEmpty)
            // Most overdue first; equal lateness by household id.
            #expect(report.items.map(\.household_id) == [newcomer.id, dibao.id].sorted { $0.uuidString < $1.uuidString } + [alone.id])
            #expect(report.items.map(\.days_past_due) == [10, 10, 3])
            func count(_ r: MustVisitQueries.Report, _ code: String) -> [Int] {
                r.counts.first { $0.code == code }.map { [$0.households, $0.due, $0.overdue] } ?? []
            }
            #expect(count(report, "elderly_alone") == [1, 1, 1])
            #expect(count(report, "very_old") == [1, 0, 0])
            #expect(count(report, "newcomer") == [1, 1, 1])
            #expect(count(report, "hardship") == [1, 1, 1])
            let lonely = try #require(report.items.first { $0.household_id == alone.id })
            let threeDaysAgo = try today.adding(days: -3).iso8601
            #expect(lonely.category == "elderly_alone" && lonely.due_date == threeDaysAgo)

            // The grid worker does not see the categories built on sensitive tags.
            let grid = TestClient(app)
            try await grid.signInAPI("gridworker")
            let part = try await grid.get("/api/v1/visits/must-visit?status=overdue").decode(MustVisitQueries.Report.self)
            #expect(part.hidden.contains("hardship") && !part.hidden.contains("elderly_alone"))
            #expect(Set(part.items.map(\.household_id)) == [newcomer.id, alone.id])
            // Another area's cadre sees none of them.
            let other = TestClient(app)
            try await other.signInAPI("cadre2")
            #expect(try await other.get("/api/v1/visits/must-visit?status=all").decode(MustVisitQueries.Report.self).total == 0)

            // A visit today takes the household off the overdue list.
            _ = try await world.visit([alone.id], extra: ["kind": "must_visit", "category": "elderly_alone", "method": "phone"]).createdID()
            let after = try await world.cadre.get("/api/v1/visits/must-visit?status=overdue&category=elderly_alone").decode(
                MustVisitQueries.Report.self)
            #expect(after.items.isEmpty && count(after, "elderly_alone") == [1, 0, 0])
        }
    }
}
