/// The step of a case whose time limit runs (环节时限), each set by one of its category's five
/// limits: 立案 (`limit_file`) from intake, 派遣 (`limit_dispatch`) from filing or a return, 签收
/// (`limit_response`) and 处置 (`limit_handle`) from the dispatch, 核查 (`limit_verify`) from the
/// department's report that it is handled until the case is closed or sent back.
public enum CaseStage: String, Sendable, CaseIterable, Codable, Hashable {
    case filing = "file"
    case dispatching = "dispatch"
    case responding = "response"
    case handling = "handle"
    case verifying = "verify"

    /// The stage a case in `state` is in; nil once it is finished (closed, rated, rejected, merged).
    public init?(state: CaseState) {
        switch state {
        case .reported: self = .filing
        case .filed, .returned: self = .dispatching
        case .dispatched: self = .responding
        case .inProgress, .extensionRequested, .suspended: self = .handling
        case .handled, .verifying: self = .verifying
        case .rejected, .merged, .closed, .evaluated: return nil
        }
    }

    /// Whether the intake desk (the dispatcher) works this stage: its deadline is the case's
    /// `stage_due_at`; the department's stages have `response_due_at` and `due_at`.
    public var isDispatchers: Bool {
        switch self {
        case .filing, .dispatching, .verifying: true
        case .responding, .handling: false
        }
    }

    /// The category's limit when it has none stored (the catalogue service's defaults).
    public var defaultLimit: CaseTimeLimit {
        switch self {
        case .filing, .dispatching: CaseTimeLimit(unchecked: 2, unit: .workingHours)
        case .responding: CaseTimeLimit(unchecked: 4, unit: .workingHours)
        case .handling: CaseTimeLimit(unchecked: 5, unit: .workingDays)
        case .verifying: CaseTimeLimit(unchecked: 1, unit: .workingDays)
        }
    }

    /// 立案期限, 派遣期限 …: the name of the stage's deadline.
    public var deadlineNameZH: String {
        switch self {
        case .filing: "立案期限"
        case .dispatching: "派遣期限"
        case .responding: "签收期限"
        case .handling: "处置期限"
        case .verifying: "核查期限"
        }
    }

    public var deadlineNameEN: String {
        switch self {
        case .filing: "Filing due"
        case .dispatching: "Dispatch due"
        case .responding: "Acceptance due"
        case .handling: "Handling due"
        case .verifying: "Verification due"
        }
    }
}

/// What a transition does to the dispatcher's stage deadline (`stage_due_at`).
public enum CaseStageClock: Sendable, Equatable {
    /// A dispatcher's stage starts now: its deadline runs from the transition with the stage's limit.
    case start(CaseStage)
    /// The case leaves the dispatcher's hands or is finished: no dispatcher deadline.
    case clear
    /// Unchanged (a step inside the same stage, or one the department takes).
    case keep
}

extension CaseAction {
    /// How the action moves the dispatcher's stage deadline: filing and a return start 派遣, the
    /// department's report starts 核查; dispatching, rejecting, merging, closing and sending back
    /// for rework end it; everything else (starting the check, the department's own steps, the
    /// resident's verdict) leaves it.
    public var stageClock: CaseStageClock {
        switch self {
        case .file, .giveBack: .start(.dispatching)
        case .handle: .start(.verifying)
        case .dispatch, .transfer, .reject, .merge, .close, .rework: .clear
        case .accept, .requestExtension, .approveExtension, .refuseExtension, .suspend, .resume, .verify, .evaluate, .reopen: .keep
        }
    }
}
