import Foundation
import Testing

@testable import MinqingDomain

@Suite("VisitOutcome (走访结果)")
struct VisitOutcomeTests {
    @Test("only a visit that met the household counts; an absent word means met, an unknown one is refused")
    func counting() {
        #expect(VisitOutcome.met.countsAsVisit)
        #expect(!VisitOutcome.nobodyHome.countsAsVisit)
        #expect(VisitOutcome(requested: nil) == .met)
        #expect(VisitOutcome(requested: "  ") == .met)
        #expect(VisitOutcome(requested: "nobody_home") == .nobodyHome)
        #expect(VisitOutcome(requested: "refused") == nil)
        #expect(VisitOutcome.allCases.map(\.rawValue) == ["met", "nobody_home"])
    }

    /// (outcome, what the visit holds, the fields that fail).
    static let contents: [(VisitOutcome, VisitOutcome.Content, [String])] = [
        // An empty form saved as met: the symptom of issue 21, refused beside the summary.
        (.met, .init(hasSummary: false), ["summary"]),
        (.met, .init(hasSummary: true), []),
        (.met, .init(hasSummary: false, findings: 1), []),
        // Tags alone are no account of a visit.
        (.met, .init(hasSummary: false, tagsAdded: 1), ["summary"]),
        (.nobodyHome, .init(hasSummary: false), []),
        // A note ("the neighbour says she is in hospital") is fine.
        (.nobodyHome, .init(hasSummary: true), []),
        (.nobodyHome, .init(hasSummary: false, findings: 2), ["findings"]),
        (
            .nobodyHome, .init(hasSummary: true, findings: 1, tagsAdded: 1, tagsEnded: 1, personUpdates: 1),
            ["findings", "tags_added", "tags_ended", "person_updates"]
        )
    ]

    @Test("what each outcome must and must not hold: the fields that fail", arguments: VisitOutcomeTests.contents)
    func problems(outcome: VisitOutcome, content: VisitOutcome.Content, fields: [String]) {
        let problems = outcome.problems(content)
        #expect(problems.map(\.field) == fields)
        for problem in problems {
            // Sentences for a person, in both languages, that name no input.
            #expect(problem.messageZH.hasSuffix("。") && problem.messageEN.hasSuffix("."))
            #expect(!problem.messageZH.contains("_") && !problem.messageEN.contains("_"))
        }
    }
}
