/// The states of a case (案件) through GB/T 30428's seven steps: 信息收集 (reported), 案卷建立
/// (filed or rejected), 任务派遣 (dispatched, or returned to the dispatcher), 任务处理 (in progress,
/// with extension requests and suspension), 处理反馈 (handled), 核实结案 (verifying, rework,
/// closed) and 综合评价 (evaluated). `merged` is a duplicate folded into its primary at intake.
public enum CaseState: String, CaseIterable, Sendable, Codable, Hashable {
    /// 上报 / 受理: taken in, waiting to be filed.
    case reported
    /// 立案
    case filed
    /// 不予立案
    case rejected
    /// 合并: a duplicate pointing at its primary case.
    case merged
    /// 已派遣
    case dispatched
    /// 退回派遣: the department returned it to the dispatcher with a reason.
    case returned
    /// 处置中
    case inProgress = "in_progress"
    /// 申请延期: the department asked for more time.
    case extensionRequested = "extension_requested"
    /// 挂起
    case suspended
    /// 已处置: the lead department reports it done.
    case handled
    /// 核查中
    case verifying
    /// 已结案
    case closed
    /// 已评价: the resident gave a verdict (or the follow-up recorded one).
    case evaluated

    public var nameZH: String {
        switch self {
        case .reported: "已受理"
        case .filed: "已立案"
        case .rejected: "不予立案"
        case .merged: "已合并"
        case .dispatched: "已派遣"
        case .returned: "退回待派"
        case .inProgress: "处置中"
        case .extensionRequested: "申请延期"
        case .suspended: "已挂起"
        case .handled: "已处置"
        case .verifying: "核查中"
        case .closed: "已结案"
        case .evaluated: "已评价"
        }
    }

    public var nameEN: String {
        switch self {
        case .reported: "Reported"
        case .filed: "Filed"
        case .rejected: "Rejected"
        case .merged: "Merged"
        case .dispatched: "Dispatched"
        case .returned: "Returned to dispatcher"
        case .inProgress: "In progress"
        case .extensionRequested: "Extension requested"
        case .suspended: "Suspended"
        case .handled: "Handled"
        case .verifying: "Verifying"
        case .closed: "Closed"
        case .evaluated: "Evaluated"
        }
    }

    /// Open311's two-valued status: `closed` once the case is closed, rejected or merged.
    public var isOpen: Bool {
        switch self {
        case .rejected, .merged, .closed, .evaluated: false
        default: true
        }
    }

    /// States in which the department's handling deadline runs and a case can be overdue (a
    /// suspended case's clock stands still; a handled one waits for the dispatcher).
    public var deadlineRuns: Bool {
        switch self {
        case .dispatched, .returned, .inProgress, .extensionRequested: true
        default: false
        }
    }

    /// The states that count as open, for `IN (…)` lists in SQL.
    public static var openStates: [CaseState] { allCases.filter(\.isOpen) }
}

/// Who performs an action on a case.
public enum CaseParty: String, Sendable, CaseIterable, Codable {
    /// The intake desk and dispatcher: grid staff inside whose scope the case lies.
    case dispatcher
    /// The department the case is sent to (its accounts).
    case department
    /// The resident who reported it.
    case resident
    /// The platform itself (the clock, a verdict's consequence).
    case system
}

/// What can be done to a case. Each action moves it from some states to one state; everything
/// else is refused (409, nothing changed).
public enum CaseAction: String, CaseIterable, Sendable, Codable, Hashable {
    /// 立案
    case file
    /// 不予立案 (with a reason)
    case reject
    /// 合并到主案件
    case merge
    /// 派遣 (to one department, or 吹哨: a lead department and co-handlers)
    case dispatch
    /// 转派: the dispatcher sends it to another department.
    case transfer
    /// 退回: the department returns it to the dispatcher with a reason.
    case giveBack = "return"
    /// 签收: the department accepts and starts.
    case accept
    /// 申请延期
    case requestExtension = "request_extension"
    /// 批准延期
    case approveExtension = "approve_extension"
    /// 驳回延期
    case refuseExtension = "refuse_extension"
    /// 挂起
    case suspend
    /// 恢复
    case resume
    /// 处置完毕 (the lead department; all co-handlers must have reported)
    case handle
    /// 开始核查
    case verify
    /// 返工
    case rework
    /// 结案
    case close
    /// 评价 (the resident's verdict; satisfied or basically satisfied, or a second unsatisfied)
    case evaluate
    /// 不满意重办: the first unsatisfied verdict sends the case back to rework.
    case reopen

    /// The state an allowed action leads to.
    public var target: CaseState {
        switch self {
        case .file: .filed
        case .reject: .rejected
        case .merge: .merged
        case .dispatch, .transfer: .dispatched
        case .giveBack: .returned
        case .accept, .approveExtension, .refuseExtension, .resume, .rework, .reopen: .inProgress
        case .requestExtension: .extensionRequested
        case .suspend: .suspended
        case .handle: .handled
        case .verify: .verifying
        case .close: .closed
        case .evaluate: .evaluated
        }
    }

    /// The states the action may start from.
    public var sources: Set<CaseState> {
        switch self {
        case .file, .reject: [.reported]
        case .merge: [.reported, .filed]
        case .dispatch: [.filed, .returned]
        case .transfer: [.dispatched, .inProgress]
        case .giveBack: [.dispatched]
        case .accept: [.dispatched]
        case .requestExtension, .suspend, .handle: [.inProgress]
        case .approveExtension, .refuseExtension: [.extensionRequested]
        case .resume: [.suspended]
        case .verify: [.handled]
        case .rework, .close: [.verifying]
        case .evaluate, .reopen: [.closed]
        }
    }

    /// Who may perform it.
    public var party: CaseParty {
        switch self {
        case .file, .reject, .merge, .dispatch, .transfer, .approveExtension, .refuseExtension, .verify, .rework, .close: .dispatcher
        case .giveBack, .accept, .requestExtension, .suspend, .resume, .handle: .department
        case .evaluate, .reopen: .resident
        }
    }

    /// Whether the action needs a stated reason (退回、不予立案、延期、挂起、返工 must be explained).
    public var needsReason: Bool {
        switch self {
        case .reject, .giveBack, .requestExtension, .refuseExtension, .suspend, .rework, .transfer: true
        default: false
        }
    }

    public var nameZH: String {
        switch self {
        case .file: "立案"
        case .reject: "不予立案"
        case .merge: "合并"
        case .dispatch: "派遣"
        case .transfer: "转派"
        case .giveBack: "退回"
        case .accept: "签收"
        case .requestExtension: "申请延期"
        case .approveExtension: "批准延期"
        case .refuseExtension: "驳回延期"
        case .suspend: "挂起"
        case .resume: "恢复"
        case .handle: "处置完毕"
        case .verify: "核查"
        case .rework: "返工"
        case .close: "结案"
        case .evaluate: "评价"
        case .reopen: "不满意重办"
        }
    }

    public var nameEN: String {
        switch self {
        case .file: "File"
        case .reject: "Reject"
        case .merge: "Merge"
        case .dispatch: "Dispatch"
        case .transfer: "Transfer"
        case .giveBack: "Return to dispatcher"
        case .accept: "Accept"
        case .requestExtension: "Request extension"
        case .approveExtension: "Approve extension"
        case .refuseExtension: "Refuse extension"
        case .suspend: "Suspend"
        case .resume: "Resume"
        case .handle: "Report handled"
        case .verify: "Verify"
        case .rework: "Send back for rework"
        case .close: "Close"
        case .evaluate: "Rate"
        case .reopen: "Reopen (unsatisfied)"
        }
    }
}

/// The transition table (流转规则) of ``CaseState`` under ``CaseAction``.
public enum CaseStateMachine {
    /// Why a transition was refused.
    public enum Refusal: Swift.Error, Sendable, Equatable {
        /// The action is not allowed from the case's state.
        case notAllowed(CaseAction, from: CaseState)

        public var messageZH: String {
            switch self {
            case let .notAllowed(action, state): "案件当前为「\(state.nameZH)」，不能\(action.nameZH)"
            }
        }

        public var messageEN: String {
            switch self {
            case let .notAllowed(action, state): "The case is \(state.nameEN.lowercased()); it cannot be given “\(action.nameEN)”."
            }
        }
    }

    /// The state `action` leads to from `state`, or the refusal.
    public static func next(from state: CaseState, by action: CaseAction) throws(Refusal) -> CaseState {
        guard action.sources.contains(state) else { throw .notAllowed(action, from: state) }
        return action.target
    }

    /// Whether `action` is allowed from `state`.
    public static func allows(_ action: CaseAction, from state: CaseState) -> Bool {
        action.sources.contains(state)
    }

    /// The actions allowed from `state`, in declaration order (for the pages' buttons).
    public static func actions(from state: CaseState) -> [CaseAction] {
        CaseAction.allCases.filter { $0.sources.contains(state) }
    }

    /// The actions a party may take from `state`.
    public static func actions(from state: CaseState, by party: CaseParty) -> [CaseAction] {
        actions(from: state).filter { $0.party == party }
    }
}

/// The resident's verdict (评价).
public enum CaseVerdict: String, CaseIterable, Sendable, Codable {
    /// 满意
    case satisfied
    /// 基本满意
    case basicallySatisfied = "basically_satisfied"
    /// 不满意
    case unsatisfied

    public var nameZH: String {
        switch self {
        case .satisfied: "满意"
        case .basicallySatisfied: "基本满意"
        case .unsatisfied: "不满意"
        }
    }

    public var nameEN: String {
        switch self {
        case .satisfied: "Satisfied"
        case .basicallySatisfied: "Basically satisfied"
        case .unsatisfied: "Unsatisfied"
        }
    }

    /// What a verdict does to a closed case. The first unsatisfied verdict sends it back to
    /// rework (``CaseAction/reopen``); a second one stands as the verdict and puts the case under
    /// the subdistrict's supervision (督办) instead of reopening it again.
    public struct Outcome: Sendable, Equatable {
        public var action: CaseAction
        public var supervise: Bool
    }

    /// The outcome of this verdict when the resident has reopened the case `reopens` times before.
    public func outcome(previousReopens reopens: Int) -> Outcome {
        switch self {
        case .satisfied, .basicallySatisfied: Outcome(action: .evaluate, supervise: false)
        case .unsatisfied: reopens == 0 ? Outcome(action: .reopen, supervise: false) : Outcome(action: .evaluate, supervise: true)
        }
    }
}

/// The discovery channels of the one intake (一口汇集).
public enum CaseChannel: String, CaseIterable, Sendable, Codable {
    /// 走访发现
    case visit
    /// 要留言 (resident message)
    case residentMessage = "resident_message"
    /// 12345 热线转办
    case hotline12345 = "hotline_12345"
    /// 网格巡查
    case gridPatrol = "grid_patrol"
    /// 居民 App (including Open311 clients)
    case app
    /// 商户
    case shop
    /// 单位
    case unit
    /// 志愿者
    case volunteer
    /// 一网统管城市平台
    case cityPlatform = "city_platform"

    public var nameZH: String {
        switch self {
        case .visit: "走访发现"
        case .residentMessage: "居民留言"
        case .hotline12345: "12345 热线"
        case .gridPatrol: "网格巡查"
        case .app: "居民 App"
        case .shop: "商户"
        case .unit: "单位"
        case .volunteer: "志愿者"
        case .cityPlatform: "一网统管平台"
        }
    }

    public var nameEN: String {
        switch self {
        case .visit: "Visit finding"
        case .residentMessage: "Resident message"
        case .hotline12345: "12345 hotline"
        case .gridPatrol: "Grid patrol"
        case .app: "Resident app"
        case .shop: "Shop"
        case .unit: "Unit"
        case .volunteer: "Volunteer"
        case .cityPlatform: "City platform"
        }
    }
}

/// 事件 or 部件 (GB/T 30428: events happen, components are public facilities that break).
public enum CaseCategoryKind: String, CaseIterable, Sendable, Codable {
    case event
    case component

    public var nameZH: String { self == .event ? "事件" : "部件" }
    public var nameEN: String { self == .event ? "Event" : "Component" }
}
