import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// `minqing ballot tally ID`: recomputes an owners' ballot's result from the raw votes.
struct BallotCommands: AsyncCommandGroup {
    var help: String { "Owners' ballots (业主表决)." }
    var commands: [String: any AnyAsyncCommand] { ["tally": BallotTallyCommand()] }
}

struct BallotTallyCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "id", help: "The ballot's id")
        var id: String
        init() {}
    }

    var help: String { "Recomputes a ballot's tally from the raw votes and compares it with the published one; exits non-zero if they differ." }

    struct Report: Sendable {
        var title: String
        var status: BallotStatus
        var tally: OwnersVoteTally
        /// Whether the recount equals the stored result (true while the ballot is still open).
        var matches: Bool
    }

    /// The recount, and whether it equals what was published at the close.
    static func report(_ id: BallotID, on db: any Database) async throws -> Report {
        guard let row = try await VotingQueries.stored(ballot: id, on: db) else {
            throw CommandFailure(description: "没有这个表决 / no such ballot: \(id)")
        }
        let rule = try JSONDecoder().decode(OwnersVoteRuleSet.self, from: Data(row.rule_json.utf8))
        let tally = try await VotingQueries.tally(ballot: id, rule: rule, on: db)
        let stored = try row.tally_json.map { try JSONDecoder().decode(OwnersVoteTally.self, from: Data($0.utf8)) }
        return Report(title: row.title, status: row.status, tally: tally, matches: stored.map { $0 == tally } ?? true)
    }

    static func lines(_ report: Report) -> [String] {
        let t = report.tally
        var out = ["\(report.title) — \(t.ruleSet.nameZH) / \(t.ruleSet.nameEN)", "依据 / basis: \(t.ruleSet.basisZH)"]
        out.append("总计 total: \(t.total.areaCM2) cm², \(t.total.heads) 人 heads")
        out.append("参与 participating: \(t.participating.areaCM2) cm², \(t.participating.heads) 人")
        out.append(
            "同意 agree: \(t.agree.areaCM2) cm², \(t.agree.heads) 人; 反对 disagree: \(t.disagree.areaCM2) cm², \(t.disagree.heads) 人; 弃权 abstain: \(t.abstain.areaCM2) cm², \(t.abstain.heads) 人"
        )
        for check in t.checks {
            out.append("\(check.passed ? "✓" : "✗") \(check.ruleZH) / \(check.ruleEN): \(check.formula)")
        }
        out.append("结果 outcome: \(t.outcome.nameZH) / \(t.outcome.nameEN)")
        return out
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let id = BallotID(uuidString: signature.id) else { throw CommandFailure(description: "表决编号无效 / not a ballot id: \(signature.id)") }
        let report = try await Self.report(id, on: context.application.db)
        for line in Self.lines(report) { context.console.print(line) }
        guard report.matches else {
            throw CommandFailure(description: "重新计票与公布结果不一致 / the recount differs from the published result")
        }
        context.console.print(
            report.status == .closed ? "与公布结果一致 / matches the published result" : "表决尚未结束 / the ballot is not closed yet")
    }
}
