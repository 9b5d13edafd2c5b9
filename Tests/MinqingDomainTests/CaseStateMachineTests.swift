import Foundation
import Testing

@testable import MinqingDomain

@Suite("Case state machine (案件流转)")
struct CaseStateMachineTests {
    /// Every allowed transition, written out by hand from BRIEF §2 and issue 5: reported → filed
    /// or rejected → dispatched (→ returned) → in progress (→ extension, suspended) → handled →
    /// verifying (→ rework) → closed → evaluated; merge at intake; transfer; the resident's reopen.
    static let allowed: [(CaseState, CaseAction, CaseState)] = [
        (.reported, .file, .filed),
        (.reported, .reject, .rejected),
        (.reported, .merge, .merged),
        (.filed, .merge, .merged),
        (.filed, .dispatch, .dispatched),
        (.returned, .dispatch, .dispatched),
        (.dispatched, .transfer, .dispatched),
        (.inProgress, .transfer, .dispatched),
        (.dispatched, .giveBack, .returned),
        (.dispatched, .accept, .inProgress),
        (.inProgress, .requestExtension, .extensionRequested),
        (.extensionRequested, .approveExtension, .inProgress),
        (.extensionRequested, .refuseExtension, .inProgress),
        (.inProgress, .suspend, .suspended),
        (.suspended, .resume, .inProgress),
        (.inProgress, .handle, .handled),
        (.handled, .verify, .verifying),
        (.verifying, .rework, .inProgress),
        (.verifying, .close, .closed),
        (.closed, .evaluate, .evaluated),
        (.closed, .reopen, .inProgress)
    ]

    /// Every state × every action: allowed exactly when the table above says so, to its target;
    /// every other pair is refused with the state and action named.
    @Test("every pair of state and action", arguments: CaseState.allCases)
    func everyPair(state: CaseState) throws {
        for action in CaseAction.allCases {
            let expected = Self.allowed.first { $0.0 == state && $0.1 == action }?.2
            if let expected {
                #expect(try CaseStateMachine.next(from: state, by: action) == expected, "\(state) \(action)")
                #expect(CaseStateMachine.allows(action, from: state))
            } else {
                #expect(throws: CaseStateMachine.Refusal.notAllowed(action, from: state), "\(state) \(action) must be refused") {
                    try CaseStateMachine.next(from: state, by: action)
                }
                #expect(!CaseStateMachine.allows(action, from: state))
            }
        }
    }

    @Test("the table has no pair twice, and 21 transitions in all")
    func tableSize() {
        let pairs = Set(Self.allowed.map { "\($0.0.rawValue) \($0.1.rawValue)" })
        #expect(pairs.count == Self.allowed.count)
        let all = CaseState.allCases.flatMap { s in CaseAction.allCases.filter { CaseStateMachine.allows($0, from: s) } }
        #expect(all.count == 21)
    }

    @Test("terminal states allow nothing; every non-terminal state has a way on")
    func terminals() {
        for state in [CaseState.rejected, .merged, .evaluated] {
            #expect(CaseStateMachine.actions(from: state).isEmpty, "\(state)")
        }
        for state in CaseState.allCases where ![.rejected, .merged, .evaluated].contains(state) {
            #expect(!CaseStateMachine.actions(from: state).isEmpty, "\(state)")
        }
    }

    @Test("who acts: the department cannot file, the dispatcher cannot accept, only the resident rates")
    func parties() {
        #expect(CaseStateMachine.actions(from: .reported, by: .dispatcher) == [.file, .reject, .merge])
        #expect(CaseStateMachine.actions(from: .reported, by: .department).isEmpty)
        #expect(CaseStateMachine.actions(from: .dispatched, by: .department) == [.giveBack, .accept])
        #expect(CaseStateMachine.actions(from: .dispatched, by: .dispatcher) == [.transfer])
        #expect(CaseStateMachine.actions(from: .inProgress, by: .department) == [.requestExtension, .suspend, .handle])
        #expect(CaseStateMachine.actions(from: .closed, by: .resident) == [.evaluate, .reopen])
        #expect(CaseStateMachine.actions(from: .closed, by: .dispatcher).isEmpty)
    }

    @Test("reasons are required to reject, return, extend, suspend, rework and transfer")
    func reasons() {
        let needing = Set(CaseAction.allCases.filter(\.needsReason))
        #expect(needing == [.reject, .giveBack, .requestExtension, .refuseExtension, .suspend, .rework, .transfer])
    }

    @Test("open or closed for Open311")
    func openness() {
        #expect(CaseState.allCases.filter { !$0.isOpen } == [.rejected, .merged, .closed, .evaluated])
        #expect(CaseState.openStates.count == CaseState.allCases.count - 4)
    }

    /// The first unsatisfied verdict reopens the case; a second one stands and goes to supervision.
    @Test(
        "verdicts",
        arguments: [
            (CaseVerdict.satisfied, 0, CaseAction.evaluate, false),
            (.basicallySatisfied, 0, .evaluate, false),
            (.unsatisfied, 0, .reopen, false),
            (.unsatisfied, 1, .evaluate, true),
            (.unsatisfied, 2, .evaluate, true),
            (.satisfied, 1, .evaluate, false)
        ])
    func verdicts(verdict: CaseVerdict, reopens: Int, action: CaseAction, supervise: Bool) {
        let outcome = verdict.outcome(previousReopens: reopens)
        #expect(outcome.action == action)
        #expect(outcome.supervise == supervise)
    }

    @Test("case numbers")
    func numbers() {
        #expect(CaseNumber.format(year: 2026, sequence: 123) == "2026-000123")
        #expect(CaseNumber.format(year: 2026, sequence: 1_234_567) == "2026-1234567")
        #expect(CaseNumber.parse("2026-000123")! == (2026, 123))
        for bad in ["2026-123", "26-000123", "2026-00012a", "2026-000000", "", "2026000123", "2026-000123-1"] {
            #expect(CaseNumber.parse(bad) == nil, "\(bad)")
        }
    }
}
