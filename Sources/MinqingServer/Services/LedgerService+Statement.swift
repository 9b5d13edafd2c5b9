import Fluent
import Foundation
import MinqingDomain
import Vapor

/// A person's time-bank statement (时间银行明细): their balances in every unit (service time in
/// minutes, points, green points) and every transfer their accounts took part in, a page at a
/// time. A member reads their own; staff read those of the people inside their scope, and see
/// which transfers they may reverse. The staff's list of residents and volunteers with their
/// balances is here too.
extension LedgerService {
    static let personNotFound = AppError.notFound("此人不存在或不在您的范围内", "No such person in your reach")

    /// Whose statement it is: the account, its name as pages show it (a resident's or volunteer's
    /// masked), role and building group.
    struct Person: Content, Sendable, Equatable {
        var id: UUID; var username: String; var name: String; var role: Role; var grid_name: String
    }

    /// One line of a statement: a transfer as it moved this person's balance (`amount` signed:
    /// credited or debited), the other side's kind (`pool` the community's issue, `rewards` a
    /// redemption), who posted it, and whether it was reversed or the reader may reverse it.
    struct StatementLine: Content, Sendable, Equatable {
        var transfer_id: UUID
        var unit: TimeBankLedger.Unit
        var amount: Int64
        var memo: String
        var reverses_id: UUID?
        var created_at: Date
        var counterpart_kind: String
        var counterpart_name: String
        var by_name: String
        var by_role: Role?
        var reversed: Bool
        var reversible: Bool
    }

    /// A statement: the person, the balance in every unit, one page of the transfers (newest
    /// first) and how many there are.
    struct Statement: Content, Sendable, Equatable {
        var person: Person
        var balances: [LedgerBalance]
        var transfers: [StatementLine]
        var total: Int
        var page: Int
        var page_size: Int
    }

    static func holder(_ account: UUID) -> String { "account:\(account.uuidString.lowercased())" }

    /// The statement of `username`: one's own, or for staff a person inside their scope; 404
    /// for anyone else, the same as for nobody.
    static func statement(of username: String, for actor: Actor, page: Int, pageSize: Int, on db: any Database) async throws -> Statement {
        guard let person = try await ServicesQueries.ledgerPerson(username: username, for: actor, on: db) else { throw personNotFound }
        let key = holder(person.id)
        let sums = try await ServicesQueries.ledgerTotals(holder: key, on: db)
        let balances = TimeBankLedger.Unit.allCases.map { unit in
            LedgerBalance(unit: unit, balance: sums.first { $0.unit == unit }?.total ?? 0)
        }
        let page = max(1, page)
        let lines = try await ServicesQueries.statementLines(
            holder: key, for: actor, limit: pageSize, offset: (page - 1) * pageSize, on: db)
        let total = try await ServicesQueries.statementCount(holder: key, on: db)
        return Statement(person: person, balances: balances, transfers: lines, total: total, page: page, page_size: pageSize)
    }

    /// A resident or volunteer in a list of people, with their balance in every unit.
    struct PersonBalances: Sendable, Equatable {
        var person: ServicesQueries.PersonChoice
        var balances: [LedgerBalance]
    }

    /// The residents and volunteers inside the staff's scope whose name contains `text`, one page
    /// of them with their balances, and how many match.
    static func people(
        for actor: Actor, matching text: String, page: Int, pageSize: Int, on db: any Database
    ) async throws -> (rows: [PersonBalances], total: Int) {
        guard actor.role.isGridStaff else { throw AppError.forbidden }
        let page = max(1, page)
        let choices = try await ServicesQueries.people(
            matching: text, roles: Array(awardable), for: actor, limit: pageSize, offset: (page - 1) * pageSize, on: db)
        let totals = try await ServicesQueries.ledgerTotals(holders: choices.map { holder($0.id) }, on: db)
        let rows = choices.map { choice in
            let key = holder(choice.id)
            let balances = TimeBankLedger.Unit.allCases.map { unit in
                LedgerBalance(unit: unit, balance: totals.first { $0.holder_key == key && $0.unit == unit }?.total ?? 0)
            }
            return PersonBalances(person: choice, balances: balances)
        }
        return (rows, choices.first?.total ?? 0)
    }
}
