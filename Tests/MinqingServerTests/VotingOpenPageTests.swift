import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// Opening a drafted owners' ballot on the organiser's page (issue 21, item 1): the same
/// electorate as `POST /api/v1/voting/ballots/{id}/open` takes, recounted from the rows; a
/// resident gets 403 and nothing is written; a ballot past its closing time comes back with the
/// sentence beside the closing time.
@Suite("Voting: opening a drafted ballot on its page")
struct VotingOpenPageTests {
    /// A drafted stairwell-1 ballot of the fixture's building, set up by `cadre` through the API.
    static func draft(_ app: Application, _ f: VotingFixture, closesAt: Date) async throws -> UUID {
        let cadre = try await VotingFixture.client(app, "cadre")
        let created = try await cadre.jsonObject(
            .POST, "/api/v1/voting/ballots",
            [
                "compound_id": f.compound.uuidString, "building_id": f.building.uuidString, "stairwell": "1", "title": "1号楼加装电梯",
                "rule_code": "lift_installation", "closes_at": ISO8601DateFormatter().string(from: closesAt)
            ])
        guard created.status == .created else { throw TestFailure("create: \(created.status) \(created.body.string)") }
        struct C: Decodable { var id: UUID }
        return try created.decode(C.self).id
    }

    struct Elector: Decodable, Equatable { var elector_key: String; var area_cm2: Int64; var heads: Int64; var is_developer: Bool }
    struct Totals: Decodable, Equatable { var status: String; var total_area_cm2: Int64?; var total_heads: Int64? }

    static func electors(_ app: Application, _ ballot: UUID) async throws -> [Elector] {
        try await app.db.sql.raw(
            "SELECT elector_key, area_cm2, heads, is_developer FROM ballot_electors WHERE ballot_id = \(bind: ballot) ORDER BY elector_key"
        ).all(decoding: Elector.self)
    }

    static func totals(_ app: Application, _ ballot: UUID) async throws -> Totals? {
        try await app.db.sql.raw("SELECT status, total_area_cm2, total_heads FROM owners_ballots WHERE id = \(bind: ballot)")
            .first(decoding: Totals.self)
    }

    @Test("an organiser opens a draft on its page with the electorate the API takes; a resident may not; a passed closing time is said beside it")
    func openOnPage() async throws {
        let clock = TestClock()
        try await withApp(demo: true, now: { clock.now }) { app in
            let f = try await VotingFixture.make(app)
            let viaAPI = try await Self.draft(app, f, closesAt: clock.now.addingTimeInterval(86_400))
            let viaPage = try await Self.draft(app, f, closesAt: clock.now.addingTimeInterval(86_400))
            let late = try await Self.draft(app, f, closesAt: clock.now.addingTimeInterval(3_600))
            let api = try await VotingFixture.client(app, "cadre")
            #expect(try await api.send(.POST, "/api/v1/voting/ballots/\(viaAPI)/open").status == .ok)

            // A resident, an owner in the stairwell, may not open it, nor see the organiser's page.
            let (resident, residentCSRF) = try await TopicBoardFlowTests.web(app, "resident")
            #expect(try await resident.get("/voting/ballots/\(viaPage)/open").status == .forbidden)
            #expect(try await resident.form("/voting/ballots/\(viaPage)/open", ["csrf": residentCSRF]).status == .forbidden)
            #expect(try await Self.totals(app, viaPage)?.status == "draft")
            #expect(try await Self.electors(app, viaPage).isEmpty)

            let (cadre, csrf) = try await TopicBoardFlowTests.web(app, "cadre")
            let page = try await cadre.get("/voting/ballots/\(viaPage)/open")
            #expect(page.status == .ok && page.body.string.contains("id=\"open-form\"") && page.body.string.contains("1号楼加装电梯"))
            let opened = try await cadre.form("/voting/ballots/\(viaPage)/open", ["csrf": csrf])
            #expect(opened.status == .seeOther && opened.headers.first(name: .location) == "/voting/ballots/\(viaPage.uuidString)")
            // The same electors and totals as the API's opening of the same draft, row for row.
            let byAPI = try await Self.electors(app, viaAPI), byPage = try await Self.electors(app, viaPage)
            #expect(!byPage.isEmpty && byPage == byAPI)
            let totalsByAPI = try await Self.totals(app, viaAPI), totalsByPage = try await Self.totals(app, viaPage)
            #expect(totalsByPage?.status == "open" && totalsByPage == totalsByAPI)
            #expect(try await VotingFormErrorsTests.count(app, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'ballot.opened'") == 2)

            // Open already: the page says so, and a second post is refused with the reason.
            #expect(try await cadre.get("/voting/ballots/\(viaPage)/open").body.string.contains("id=\"already-open\""))
            let again = try await cadre.form("/voting/ballots/\(viaPage)/open", ["csrf": csrf])
            #expect(again.status == .conflict && again.body.string.contains("表决已经开始或已经结束"))
            #expect(try await Self.electors(app, viaPage) == byAPI)

            // Past its closing time: 422, the sentence beside the closing time, still a draft with no electors.
            clock.advance(2 * 3_600)
            let (later, laterCSRF) = try await TopicBoardFlowTests.web(app, "cadre")
            let refused = try await later.form("/voting/ballots/\(late)/open", ["csrf": laterCSRF])
            #expect(refused.status == .unprocessableEntity)
            #expect(VotingFormErrorsTests.beside(refused.body.string, "closes_at")?.contains("截止时间已过") == true)
            VotingFormErrorsTests.noInputNames(refused.body.string, "open")
            #expect(try await Self.totals(app, late)?.status == "draft")
            #expect(try await Self.electors(app, late).isEmpty)
        }
    }
}
