import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

@Suite("Cases from visit findings (走访发现 → 一口汇集)")
struct CasesFromVisitsTests {
    @Test("a finding marked as a case becomes one in the visit's transaction, linked both ways")
    func findingBecomesCase() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let home = try await world.household(7)
            let visit = try await world.visit(
                [home.id],
                extra: [
                    "findings": [
                        ["need": "safety", "note": "楼道堆满纸箱，堵住了安全出口", "case_category": "E0404"],
                        ["need": "medical", "note": "需要陪同就医", "help_request": true]
                    ]
                ]
            ).createdID()
            let detail = try await world.cadre.get("/api/v1/visits/\(visit)").decode(VisitDetail.self)
            let finding = try #require(detail.findings.first { $0.need == .safety })
            #expect(finding.follow_up_kind == "case")
            let caseID = try #require(finding.follow_up_id)
            struct Row: Decodable {
                var channel: String; var category_code: String; var household_id: UUID?; var state: String; var description: String;
                var number: String
            }
            let row = try #require(
                try await world.sql.raw(
                    "SELECT channel, category_code, household_id, state, description, number FROM cases WHERE id = \(bind: caseID)"
                )
                .first(decoding: Row.self))
            #expect(row.channel == "visit" && row.category_code == "E0404" && row.household_id == home.id && row.state == "reported")
            #expect(row.description == "楼道堆满纸箱，堵住了安全出口")
            #expect(CaseNumber.parse(row.number) != nil)
            // The cadre sees it on the intake desk's list.
            struct S: Decodable { var id: UUID; var channel: String }
            let listed = try await world.cadre.get("/api/v1/cases?state=reported").decode([S].self)
            #expect(listed.contains { $0.id == caseID && $0.channel == "visit" })
        }
    }

    @Test("a bad category, or a finding that is both a help request and a case, writes nothing")
    func badCategory() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let home = try await world.household(8)
            for finding in [
                ["need": "safety", "note": "x", "case_category": "E04"],
                ["need": "safety", "note": "x", "case_category": "E0404", "help_request": true] as [String: Any]
            ] {
                let response = try await world.visit([home.id], extra: ["findings": [finding]])
                #expect(response.status == .unprocessableEntity)
                #expect(response.body.string.contains("findings[0].case_category"))
            }
            struct N: Decodable { var n: Int }
            #expect(try await world.sql.raw("SELECT COUNT(*) AS n FROM cases").first(decoding: N.self)?.n == 0)
            #expect(try await world.sql.raw("SELECT COUNT(*) AS n FROM visits").first(decoding: N.self)?.n == 0)
        }
    }
}
