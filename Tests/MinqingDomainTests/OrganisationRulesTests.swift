import Foundation
import Testing

@testable import MinqingDomain

@Suite("Organisation rules (组织力工程)")
struct OrganisationRulesTests {
    static func d(_ s: String) -> CivilDate { try! CivilDate(parsing: s) }

    @Test(
        "which parent each kind may have",
        arguments: [
            (OrganisationKind.partyCommittee, nil as OrganisationKind?, true),
            (.partyCommittee, .partyCommittee, true),
            (.partyCommittee, .partyBranch, false),
            (.partyGeneralBranch, .partyCommittee, true),
            (.partyGeneralBranch, nil, false),
            (.partyBranch, .partyCommittee, true),
            (.partyBranch, .partyGeneralBranch, true),
            (.partyBranch, .partyBranch, false),
            (.partyBranch, nil, false),
            (.partyGroup, .partyBranch, true),
            (.partyGroup, .temporaryBranch, true),
            (.partyGroup, .partyCommittee, false),
            (.temporaryBranch, .partyCommittee, true),
            (.temporaryBranch, .partyGeneralBranch, true),
            (.temporaryBranch, .partyBranch, false),
            (.temporaryBranch, nil, false),
            (.womensCouncil, nil, true),
            (.womensCouncil, .partyCommittee, true),
            (.youthCentre, .partyBranch, false),
            (.alliance, .partyCommittee, true),
            (.socialOrganisation, .partyGroup, false)
        ])
    func parents(kind: OrganisationKind, parent: OrganisationKind?, allowed: Bool) {
        #expect(kind.admits(parent: parent) == allowed)
    }

    @Test("party kinds are political: membership is sensitive")
    func sensitive() {
        #expect(
            OrganisationKind.allCases.filter(\.membershipIsSensitive) == [
                .partyCommittee, .partyGeneralBranch, .partyBranch, .partyGroup, .temporaryBranch
            ])
        #expect(!OrganisationKind.womensCouncil.membershipIsSensitive)
        #expect(OrganisationKind.tradeUnion.isMass && !OrganisationKind.alliance.isMass)
    }

    @Test("a temporary branch needs an end date after its start, within three years; others none")
    func dates() {
        let start = Self.d("2026-03-01")
        #expect(OrganisationDates.check(kind: .temporaryBranch, starts: start, ends: nil).map(\.field) == ["ends_on"])
        #expect(OrganisationDates.check(kind: .temporaryBranch, starts: start, ends: start).map(\.field) == ["ends_on"])
        #expect(OrganisationDates.check(kind: .temporaryBranch, starts: start, ends: Self.d("2027-12-31")).isEmpty)
        #expect(OrganisationDates.check(kind: .temporaryBranch, starts: start, ends: Self.d("2029-06-01")).map(\.field) == ["ends_on"])
        #expect(OrganisationDates.check(kind: .partyBranch, starts: start, ends: Self.d("2027-01-01")).map(\.field) == ["ends_on"])
        #expect(OrganisationDates.check(kind: .partyBranch, starts: start, ends: nil).isEmpty)
    }

    @Test(
        "terms: a committee five years, a branch three, the day before the anniversary",
        arguments: [
            (OrganisationKind.partyCommittee, "2021-04-05", "2026-04-04" as String?),
            (.partyBranch, "2024-01-01", "2026-12-31"),
            (.partyGeneralBranch, "2024-02-29", "2027-02-27"),
            (.partyGroup, "2024-01-01", nil),
            (.temporaryBranch, "2024-01-01", nil)
        ])
    func terms(kind: OrganisationKind, start: String, end: String?) {
        #expect(OrganisationDates.termEnd(kind: kind, start: Self.d(start))?.iso8601 == end)
    }

    @Test("open until closed, a temporary branch until (not on) its end date")
    func open() {
        let end = Self.d("2026-06-30")
        #expect(OrganisationDates.isOpen(closedOn: nil, endsOn: end, on: Self.d("2026-06-29")))
        #expect(!OrganisationDates.isOpen(closedOn: nil, endsOn: end, on: end))
        #expect(!OrganisationDates.isOpen(closedOn: Self.d("2026-05-01"), endsOn: nil, on: Self.d("2026-05-01")))
        #expect(OrganisationDates.isOpen(closedOn: Self.d("2026-05-01"), endsOn: nil, on: Self.d("2026-04-30")))
    }

    @Test("points: each entry explained, rule × quantity; unknown rules and bad quantities refused")
    func points() throws {
        let delivered = try CoBuildingPoints.entry(rule: "commitment_delivered", quantity: 2)
        #expect(delivered.points == 40)
        #expect(delivered.explanationZH == "契约承诺兑现：20 分 × 2（每项承诺）= 40 分")
        #expect(delivered.explanationEN == "Delivered a contract commitment: 20 × 2 (per commitment) = 40 points")
        #expect(try CoBuildingPoints.entry(rule: "commitment_missed", quantity: 1).points == -10)
        #expect(throws: FieldError.self) { try CoBuildingPoints.entry(rule: "nope", quantity: 1) }
        #expect(throws: FieldError.self) { try CoBuildingPoints.entry(rule: "service_hour", quantity: 0) }
        #expect(CoBuildingPoints.fullHours(minutes: 179) == 2)
        #expect(CoBuildingPoints.fullHours(minutes: -5) == 0)
        #expect(Set(CoBuildingPoints.rules.map(\.code)).count == CoBuildingPoints.rules.count)
    }
}
