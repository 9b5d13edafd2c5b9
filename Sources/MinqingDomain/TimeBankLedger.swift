import Foundation

/// The time bank (时间银行), points (积分) and the green account (绿色账户) as one double-entry
/// ledger, after TimeOverflow: a transfer is two movements that sum to zero; it is never edited,
/// only corrected by a reversing transfer; a balance is the sum of its movements.
public enum TimeBankLedger {
    /// What a ledger counts. Hours are kept in minutes (integers, never fractions of an hour).
    public enum Unit: String, CaseIterable, Codable, Sendable {
        /// 志愿服务时长 (minutes).
        case minutes
        /// 积分.
        case points
        /// 绿色账户: garbage-sorting points.
        case green

        public var nameZH: String {
            switch self {
            case .minutes: "服务时长（分钟）";
            case .points: "积分";
            case .green: "绿色账户积分"
            }
        }
        public var nameEN: String {
            switch self {
            case .minutes: "Service time (minutes)";
            case .points: "Points";
            case .green: "Green-account points"
            }
        }
    }

    /// One line of the ledger: `amount` added to (positive) or taken from (negative) `account`.
    public struct Movement: Sendable, Equatable, Hashable {
        public var account: String
        public var amount: Int64
        public init(account: String, amount: Int64) { self.account = account; self.amount = amount }
    }

    /// Why a transfer is refused.
    public enum Error: Swift.Error, Sendable, Equatable, FieldErrorConvertible {
        case amountNotPositive
        case amountTooLarge(max: Int64)
        case sameAccount
        case insufficientBalance(balance: Int64, wanted: Int64)
        case alreadyReversed
        case reversalOfReversal

        public var fieldError: FieldError {
            switch self {
            case .amountNotPositive:
                FieldError(field: "amount", messageZH: "数量须为正整数", messageEN: "The amount must be a positive whole number")
            case let .amountTooLarge(max):
                FieldError(field: "amount", messageZH: "单笔数量不能超过 \(max)", messageEN: "One transfer moves at most \(max)")
            case .sameAccount:
                FieldError(field: "to", messageZH: "转出和转入账户不能相同", messageEN: "The two accounts must differ")
            case let .insufficientBalance(balance, wanted):
                FieldError(
                    field: "amount", messageZH: "余额不足：现有 \(balance)，需要 \(wanted)",
                    messageEN: "Not enough balance: \(balance) held, \(wanted) needed")
            case .alreadyReversed:
                FieldError(field: "transfer", messageZH: "该笔转账已被冲正", messageEN: "This transfer has already been reversed")
            case .reversalOfReversal:
                FieldError(field: "transfer", messageZH: "冲正记录不能再冲正，请另行转账", messageEN: "A reversal cannot be reversed; make a new transfer")
            }
        }
    }

    /// The largest amount one transfer may move (a day of service is 1,440 minutes).
    public static let maxAmount: Int64 = 100_000

    /// The two movements of a transfer of `amount` from `from` to `to`.
    public static func transfer(from: String, to: String, amount: Int64) throws(Error) -> [Movement] {
        guard amount > 0 else { throw .amountNotPositive }
        guard amount <= maxAmount else { throw .amountTooLarge(max: maxAmount) }
        guard from != to else { throw .sameAccount }
        return [Movement(account: from, amount: -amount), Movement(account: to, amount: amount)]
    }

    /// The movements that undo `movements`: each line negated, so the pair sums to zero again
    /// and every balance is as before the original transfer.
    public static func reversal(of movements: [Movement]) -> [Movement] {
        movements.map { Movement(account: $0.account, amount: -$0.amount) }
    }

    /// Whether movements sum to zero (every transfer, and so the whole ledger, must).
    public static func isBalanced(_ movements: [Movement]) -> Bool {
        movements.reduce(Int64(0)) { $0 + $1.amount } == 0
    }

    /// Each account's balance: the sum of its movements.
    public static func balances(_ movements: [Movement]) -> [String: Int64] {
        movements.reduce(into: [:]) { $0[$1.account, default: 0] += $1.amount }
    }

    /// A member's account never goes below zero: a debit of `amount` from `balance` is refused
    /// when it would. Issuing accounts (the community's pool) may go negative: their negative
    /// balance is what has been issued.
    public static func checkDebit(balance: Int64, amount: Int64, overdraft: Bool) throws(Error) {
        if !overdraft && balance < amount { throw .insufficientBalance(balance: balance, wanted: amount) }
    }
}

/// 限量预约: the rule of a limited-stock reservation (e.g. masks): a household asks for a
/// quantity; the stock and the household's limit both bound it.
public enum LimitedStockRule {
    public enum Refusal: Sendable, Equatable { case badQuantity, soldOut, overHouseholdLimit }

    /// Whether a household that already holds `held` may take `quantity` more of a stock with
    /// `remaining` items left and a limit of `limit` per household. The database applies the same
    /// rule in two conditional UPDATEs; this is its statement and test oracle.
    public static func decide(quantity: Int, remaining: Int, held: Int, limit: Int) -> Refusal? {
        guard quantity > 0, quantity <= limit else { return .badQuantity }
        guard remaining >= quantity else { return .soldOut }
        guard held + quantity <= limit else { return .overHouseholdLimit }
        return nil
    }
}
