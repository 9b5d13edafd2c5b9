import Fluent
import Foundation
import MinqingDemo
import MinqingDomain
import MinqingServer
import SQLKit
import Vapor

/// Owners' voting's entry points for `minqing-bench` (`voting.cast`, `voting.tally`): the same
/// service and query functions the handlers call.
extension BenchHooks {
    /// A bench ballot: an open whole-compound ballot and one bound resident actor per elector.
    public struct VotingBench: Sendable {
        public let ballot: BallotID
        let voters: [Actor]
        public var count: Int { voters.count }
    }

    /// Builds a compound of `dwellings` dwellings (100 a building, one owner each) in the `cadre`
    /// account's residential area, a resident account bound to each owner, and opens a matter (4)
    /// ballot of the whole compound as `cadre` (snapshot included).
    public static func votingSetUp(_ app: Application, dwellings: Int = 5000) async throws -> VotingBench {
        guard let cadre = try await accountActor(app, username: "cadre") else { throw AppError.notFound() }
        let db = app.db
        let groups = try await db.sql.raw(
            """
            SELECT n.id FROM grid_nodes n WHERE n.level = 'building_group' AND \(cadre.actor.scope.contains(SQLColumn("id", table: "n")))
            ORDER BY n.code LIMIT 200
            """
        ).all(decoding: IDRow.self)
        guard !groups.isEmpty else { throw AppError.notFound() }
        var summaries: [UUID: GridNodeSummary] = [:]
        for group in groups { summaries[group.id] = try await GridQueries.node(id: group.id, on: db) }
        let compound = UUID()
        let now = app.services.now()
        let subdistrict = cadre.actor.subdistrictID
        let nodes = summaries
        let voters: [Actor] = try await db.write { db in
            var voters: [Actor] = []
            try await db.sql.raw(
                """
                INSERT INTO compounds (id, subdistrict_id, grid_node_id, code, name, compound_type, address)
                VALUES (\(bind: compound), \(bindOrNull(subdistrict)), \(bind: cadre.actor.scope.rootID), \(bind: "BENCH-\(compound.uuidString.prefix(8))"),
                        '表决压测小区', 'commodity_housing', '压测路 1 号')
                """
            ).run()
            var buildings = BulkInserter(table: "buildings", columns: ["id", "subdistrict_id", "compound_id", "grid_node_id", "name", "floors"])
            var rows = BulkInserter(
                table: "dwellings",
                columns: [
                    "id", "subdistrict_id", "compound_id", "building_id", "grid_node_id", "stairwell", "room",
                    "area_register_cm2", "developer_held", "unsold", "undelivered"
                ])
            var owners = BulkInserter(table: "owners", columns: ["id", "subdistrict_id", "kind", "name"])
            var links = BulkInserter(table: "dwelling_owners", columns: ["dwelling_id", "owner_id"])
            var accounts = BulkInserter(
                table: "accounts",
                columns: [
                    "id", "subdistrict_id", "username", "display_name", "role", "grid_node_id",
                    "password_hash", "must_change_password", "disabled", "created_at"
                ])
            var bound = BulkInserter(table: "owner_accounts", columns: ["account_id", "owner_id", "created_by", "created_at"])
            var building = UUID()
            for n in 0..<dwellings {
                let group = groups[(n / 100) % groups.count].id
                if n % 100 == 0 {
                    building = UUID()
                    buildings.append([
                        SQLBind(building), bindOrNull(subdistrict), SQLBind(compound), SQLBind(group), SQLBind("压测\(n / 100 + 1)号楼"), SQLBind(18)
                    ])
                }
                let dwelling = UUID(), owner = UUID(), account = UUID()
                rows.append([
                    SQLBind(dwelling), bindOrNull(subdistrict), SQLBind(compound), SQLBind(building), SQLBind(group),
                    SQLBind(String(n % 100 / 50 + 1)),
                    SQLBind("\(n % 100)"), SQLBind(Int64(60_0000 + (n * 7919) % 90_0000)), SQLBind(false), SQLBind(false), SQLBind(false)
                ])
                owners.append([SQLBind(owner), bindOrNull(subdistrict), SQLBind("person"), SQLBind("压测业主\(n)")])
                links.append([SQLBind(dwelling), SQLBind(owner)])
                let username = "vb\(compound.uuidString.prefix(4).lowercased())\(n)"
                accounts.append([
                    SQLBind(account), bindOrNull(subdistrict), SQLBind(username), SQLBind(username), SQLBind(Role.resident.rawValue),
                    SQLBind(group), SQLBind("!"), SQLBind(false), SQLBind(false), SQLBind(now)
                ])
                bound.append([SQLBind(account), SQLBind(owner), SQLBind("bench"), SQLBind(now)])
                if let node = nodes[group] {
                    voters.append(
                        Actor(
                            accountID: account, username: username, displayName: username, role: .resident, subdistrictID: subdistrict,
                            scope: GridQueries.scope(rootedAt: node), sessionID: UUID(), via: "api", csrfToken: "", mustChangePassword: false))
                }
            }
            try await buildings.flush(on: db)
            try await rows.flush(on: db)
            try await owners.flush(on: db)
            try await links.flush(on: db)
            try await accounts.flush(on: db)
            try await bound.flush(on: db)
            return voters
        }
        if db.dialectName == "postgresql" {
            for table in ["dwellings", "owners", "dwelling_owners", "accounts", "owner_accounts"] {
                try await db.sql.raw("ANALYZE \(ident: table)").run()
            }
        }
        let writer = WriteContext(actor: cadre.actor, now: now, address: "bench")
        let ballot = try await VotingService.create(
            NewBallotInput(
                compound_id: compound, title: "压测表决", rule_code: "civil_code_278_4",
                closes_at: now.addingTimeInterval(30 * 86_400)), writer: writer, on: db)
        try await VotingService.open(ballot, writer: writer, on: db)
        if db.dialectName == "postgresql" {
            for table in ["ballot_electors", "ballot_elector_owners", "ballot_elector_dwellings"] {
                try await db.sql.raw("ANALYZE \(ident: table)").run()
            }
        }
        return VotingBench(ballot: ballot, voters: voters)
    }

    /// Voter `index` casts online, as `POST /api/v1/voting/ballots/{id}/votes` does.
    public static func votingCast(_ app: Application, _ bench: VotingBench, voter index: Int) async throws {
        let actor = bench.voters[index]
        let choice: OwnersVoteChoice = index % 5 == 0 ? .disagree : index % 11 == 0 ? .abstain : .agree
        _ = try await VotingService.cast(
            bench.ballot, CastInput(choice: choice.rawValue, channel: "online"),
            writer: .init(actor: actor, now: app.services.now(), address: "bench"),
            queue: app.voteCastQueue, on: app.db)
    }

    /// The tally from the raw votes; returns the participating headcount.
    public static func votingTally(_ app: Application, _ bench: VotingBench) async throws -> Int64 {
        struct Row: Decodable { var rule_json: String }
        guard let row = try await app.db.sql.raw("SELECT rule_json FROM owners_ballots WHERE id = \(bind: bench.ballot)").first(decoding: Row.self)
        else {
            throw AppError.notFound()
        }
        let rule = try JSONDecoder().decode(OwnersVoteRuleSet.self, from: Data(row.rule_json.utf8))
        return try await VotingQueries.tally(ballot: bench.ballot, rule: rule, on: app.db).participating.heads
    }
}
