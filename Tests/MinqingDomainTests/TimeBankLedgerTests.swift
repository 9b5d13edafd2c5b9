import Foundation
import MinqingDomain
import Testing

@Suite("Time bank ledger, limited stock and opening hours")
struct TimeBankLedgerTests {
    @Test(
        "a transfer is two movements summing to zero",
        arguments: [
            ("a", "b", Int64(60)), ("pool", "m1", 1), ("x", "y", TimeBankLedger.maxAmount)
        ])
    func transfer(from: String, to: String, amount: Int64) throws {
        let movements = try TimeBankLedger.transfer(from: from, to: to, amount: amount)
        #expect(movements == [.init(account: from, amount: -amount), .init(account: to, amount: amount)])
        #expect(TimeBankLedger.isBalanced(movements))
        #expect(TimeBankLedger.isBalanced(movements + TimeBankLedger.reversal(of: movements)))
        #expect(TimeBankLedger.balances(movements + TimeBankLedger.reversal(of: movements)).values.allSatisfy { $0 == 0 })
    }

    @Test(
        "refused transfers",
        arguments: [
            ("a", "b", Int64(0), TimeBankLedger.Error.amountNotPositive),
            ("a", "b", -5, .amountNotPositive),
            ("a", "b", TimeBankLedger.maxAmount + 1, .amountTooLarge(max: TimeBankLedger.maxAmount)),
            ("a", "a", 10, .sameAccount)
        ])
    func refused(from: String, to: String, amount: Int64, error: TimeBankLedger.Error) {
        #expect(throws: error) { try TimeBankLedger.transfer(from: from, to: to, amount: amount) }
        #expect(!error.fieldError.messageZH.isEmpty && !error.fieldError.messageEN.isEmpty)
    }

    @Test("debits: members never below zero, the pool may issue")
    func debit() throws {
        try TimeBankLedger.checkDebit(balance: 10, amount: 10, overdraft: false)
        #expect(throws: TimeBankLedger.Error.insufficientBalance(balance: 9, wanted: 10)) {
            try TimeBankLedger.checkDebit(balance: 9, amount: 10, overdraft: false)
        }
        try TimeBankLedger.checkDebit(balance: -500, amount: 10, overdraft: true)
    }

    /// Property: seeded random transfers and reversals; the ledger sums to zero, every balance
    /// equals the sum of its movements, and a member's balance never goes negative.
    @Test("property: random transfers and reversals keep the total at zero", arguments: [UInt64(1), 7, 42, 2026, 99_991])
    func property(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let members = (0..<8).map { "m\($0)" }
        var ledger: [[TimeBankLedger.Movement]] = []
        var reversed = Set<Int>()
        var balance: [String: Int64] = [:]
        for _ in 0..<500 {
            let roll = Int.random(in: 0..<10, using: &rng)
            if roll < 2, !ledger.isEmpty {
                let index = Int.random(in: 0..<ledger.count, using: &rng)
                guard !reversed.contains(index) else { continue }
                let undo = TimeBankLedger.reversal(of: ledger[index])
                // A reversal must not leave a member below zero either.
                let fine = undo.allSatisfy { $0.account == "pool" || balance[$0.account, default: 0] + $0.amount >= 0 }
                guard fine else { continue }
                reversed.insert(index)
                ledger.append(undo)
                for m in undo { balance[m.account, default: 0] += m.amount }
            } else {
                let from = roll < 6 ? "pool" : members.randomElement(using: &rng)!
                let to = members.randomElement(using: &rng)!
                let amount = Int64.random(in: -3...240, using: &rng)
                do {
                    let movements = try TimeBankLedger.transfer(from: from, to: to, amount: amount)
                    try TimeBankLedger.checkDebit(balance: balance[from, default: 0], amount: amount, overdraft: from == "pool")
                    ledger.append(movements)
                    for m in movements { balance[m.account, default: 0] += m.amount }
                } catch {
                    #expect(amount <= 0 || from == to || balance[from, default: 0] < amount)
                }
            }
            #expect(TimeBankLedger.isBalanced(ledger.last ?? []))
        }
        let all = ledger.flatMap { $0 }
        #expect(TimeBankLedger.isBalanced(all))
        #expect(TimeBankLedger.balances(all).filter { $0.value != 0 } == balance.filter { $0.value != 0 })
        #expect(members.allSatisfy { balance[$0, default: 0] >= 0 })
        #expect(ledger.count > 300)
    }

    @Test(
        "limited stock: the stock and the household limit bound every claim",
        arguments: [
            (1, 10, 0, 2, LimitedStockRule.Refusal?.none),
            (2, 2, 0, 2, nil),
            (3, 10, 0, 2, .badQuantity),
            (0, 10, 0, 2, .badQuantity),
            (1, 0, 0, 2, .soldOut),
            (2, 1, 0, 2, .soldOut),
            (1, 10, 2, 2, .overHouseholdLimit),
            (2, 10, 1, 2, .overHouseholdLimit)
        ])
    func stock(quantity: Int, remaining: Int, held: Int, limit: Int, refusal: LimitedStockRule.Refusal?) {
        #expect(LimitedStockRule.decide(quantity: quantity, remaining: remaining, held: held, limit: limit) == refusal)
    }

    @Test("opening hours give slots on open days only")
    func openingHours() throws {
        let hours = try ServiceOpeningHours(parsing: "1-5 08:00-12:00,14:00-17:30; 6 09:00-10:00")
        let monday = try CivilDate(year: 2026, month: 11, day: 23)
        #expect(monday.isoWeekday == 1)
        let slots = hours.slots(on: monday, length: 60)
        #expect(slots.count == 4 + 3)
        #expect(slots.first! == (480, 540))
        #expect(slots.last! == (960, 1020))
        #expect(hours.slots(on: try monday.adding(days: 5), length: 30).map(\.start) == [540, 570])
        #expect(hours.slots(on: try monday.adding(days: 6), length: 30).isEmpty)
    }

    @Test(
        "malformed opening hours name the field",
        arguments: ["", "8 08:00-09:00", "1-5 09:00-08:00", "1 08:00", "1-5 08:00-12:00,11:00-13:00", "1 25:00-26:00"])
    func badHours(text: String) {
        #expect(throws: ServiceOpeningHours.ParseError.self) { try ServiceOpeningHours(parsing: text) }
    }
}
