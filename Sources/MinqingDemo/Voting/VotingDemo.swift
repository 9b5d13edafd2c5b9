import Fluent
import Foundation
import MinqingDomain
import MinqingServer
import SQLKit

/// The voting demo, inside the demo's load transaction: in the compound of the demo resident's
/// building, a closed lift-installation ballot of stairwell 1 (electorate snapshot, about nine
/// in ten owners voting, mostly on paper entered by the area cadre, the resident online), its
/// published tally; the resident's account bound to an owner there; and an open secret poll
/// for the residential area. Cheap: one stairwell.
enum VotingDemo {
    struct Counts: Sendable { var ballots = 0; var electors = 0; var votes = 0; var polls = 0; var topics = 0 }

    static func load(
        seed: UInt64, now: Date, calendar: WorkingCalendar, progress: @Sendable (String) -> Void,
        on db: any Database
    ) async throws -> Counts {
        var counts = Counts()
        var rng = SeededGenerator(seed: seed ^ 0x7157_0000_0006)
        struct Account: Decodable { var id: UUID; var grid_node_id: UUID }
        guard let resident = try await db.sql.raw("SELECT id, grid_node_id FROM accounts WHERE username = 'resident'").first(decoding: Account.self),
            let cadre = try await db.sql.raw("SELECT id, grid_node_id FROM accounts WHERE username = 'cadre'").first(decoding: Account.self)
        else {
            return counts
        }
        struct Place: Decodable {
            var building_id: UUID; var compound_id: UUID; var subdistrict_id: UUID?; var grid_node_id: UUID; var area_node: UUID
        }
        guard
            let place = try await db.sql.raw(
                """
                SELECT b.id AS building_id, b.compound_id, b.subdistrict_id, b.grid_node_id, c.grid_node_id AS area_node
                FROM buildings b JOIN compounds c ON c.id = b.compound_id
                WHERE b.grid_node_id = \(bind: resident.grid_node_id) AND EXISTS (SELECT 1 FROM dwellings d WHERE d.building_id = b.id AND d.stairwell = '1')
                ORDER BY b.id LIMIT 1
                """
            ).first(decoding: Place.self)
        else { return counts }

        let snapshot: (electorate: OwnersElectorate, names: [UUID: String])
        do {
            snapshot = try await VotingService.snapshot(compound: place.compound_id, building: place.building_id, stairwell: "1", on: db)
        } catch {
            return counts // a register the snapshot refuses: no voting demo
        }
        // The resident speaks for the first person-owner of the stairwell.
        let personal = snapshot.electorate.electors.first { !$0.isDeveloper && $0.ownerIDs.count == 1 }
        if let owner = personal?.ownerIDs.first {
            try await db.sql.insert(into: "owner_accounts").columns("account_id", "owner_id", "created_by", "created_at", "proof")
                .values(SQLBind(resident.id), SQLBind(owner), SQLBind("demo"), SQLBind(now), SQLBind("演示数据：房产证原件核验，本人到场")).run()
        }

        let ballot = BallotID()
        let rule = OwnersVoteRuleSet.liftInstallation
        let opened = now.addingTimeInterval(-16 * 86_400), closed = now.addingTimeInterval(-86_400)
        try await db.sql.insert(into: "owners_ballots")
            .columns(
                "id", "subdistrict_id", "compound_id", "building_id", "stairwell", "scope_kind", "grid_node_id", "title", "description",
                "rule_code", "rule_json", "status", "results_live", "closes_at", "opened_at", "total_area_cm2", "total_heads",
                "created_by", "created_at"
            )
            .values(
                SQLBind(ballot), bindOrNull(place.subdistrict_id), SQLBind(place.compound_id), SQLBind(place.building_id), SQLBind("1"),
                SQLBind(OwnersBallotScope.stairwell.rawValue), SQLBind(place.grid_node_id), SQLBind("1 单元加装电梯"),
                SQLBind("本单元拟加装一部电梯，费用按楼层分摊，详见公示方案。"), SQLBind(rule.code),
                SQLBind(String(decoding: try JSONEncoder().encode(rule), as: UTF8.self)), SQLBind(BallotStatus.open.rawValue),
                SQLBind(false), SQLBind(closed), SQLBind(opened), SQLBind(snapshot.electorate.totalAreaCM2),
                SQLBind(snapshot.electorate.totalHeads), SQLBind(cadre.id), SQLBind(opened)
            )
            .run()
        try await VotingService.writeElectorate(snapshot.electorate, names: snapshot.names, ballot: ballot, on: db)
        struct Elector: Decodable { var id: UUID; var elector_key: String }
        let electors = try await db.sql.raw("SELECT id, elector_key FROM ballot_electors WHERE ballot_id = \(bind: ballot) ORDER BY elector_key")
            .all(decoding: Elector.self)
        var votes = BulkInserter(
            table: "owners_votes",
            columns: [
                "id", "ballot_id", "elector_id", "choice", "channel", "owner_id", "recorded_by",
                "proxy_name", "authorisation_ref", "paper_ref", "cast_at"
            ])
        let residentKey = personal?.key
        for (n, elector) in electors.enumerated() {
            let own = elector.elector_key == residentKey
            guard own || rng.next() % 10 != 0 else { continue } // about one in ten stays away
            let roll = rng.next() % 20
            let choice: OwnersVoteChoice = own ? .agree : roll < 16 ? .agree : roll < 18 ? .disagree : .abstain
            let at = opened.addingTimeInterval(Double(3600 + n * 1800))
            let owner: any SQLExpression = own ? bindOrNull(personal?.ownerIDs.first) : SQLLiteral.null
            votes.append([
                SQLBind(UUID()), SQLBind(ballot), SQLBind(elector.id), SQLBind(choice.rawValue),
                SQLBind((own ? VoteChannel.online : .paper).rawValue), owner, SQLBind(own ? resident.id : cadre.id),
                SQLLiteral.null, SQLLiteral.null, own ? SQLLiteral.null : SQLBind("纸质表决票 \(n + 1)"), SQLBind(at)
            ])
        }
        try await votes.flush(on: db)
        let tally = try await VotingQueries.tally(ballot: ballot, rule: rule, on: db)
        let published = CivilDate(closed, in: .shanghai)
        let deadline = try OwnersDecisionDeadlines.appealDeadline(publishedOn: published, calendar: calendar)
        try await db.sql.raw(
            """
            UPDATE owners_ballots SET status = \(bind: BallotStatus.closed.rawValue), closed_at = \(bind: closed), outcome = \(bind: tally.outcome.rawValue),
                   tally_json = \(bind: String(decoding: try JSONEncoder().encode(tally), as: UTF8.self)),
                   published_on = \(bind: published.iso8601), appeal_deadline = \(bind: deadline.iso8601)
            WHERE id = \(bind: ballot)
            """
        ).run()
        counts.ballots = 1
        counts.electors = electors.count
        counts.votes = votes.written
        counts.topics = try await loadTopics(
            ballot: ballot, outcome: tally.outcome, residentID: resident.id, cadreID: cadre.id,
            areaNode: place.area_node, subdistrict: place.subdistrict_id, now: now, on: db)

        let poll = UUID()
        try await db.sql.insert(into: "polls")
            .columns(
                "id", "subdistrict_id", "grid_node_id", "title", "description", "unit", "secrecy", "status", "results_live", "closes_at",
                "created_by", "created_at"
            )
            .values(
                SQLBind(poll), bindOrNull(place.subdistrict_id), SQLBind(place.area_node), SQLBind("小区增设电动自行车充电棚选址"),
                SQLBind("三个备选位置，不记名投票，一户一票，结果供居民区议事会参考。"), SQLBind(ResidentPollRules.Unit.household.rawValue),
                SQLBind(ResidentPollRules.Secrecy.secret.rawValue), SQLBind(BallotStatus.open.rawValue), SQLBind(false),
                SQLBind(now.addingTimeInterval(14 * 86_400)), SQLBind(cadre.id), SQLBind(now)
            )
            .run()
        for (order, label) in ["东门绿化带旁", "3 号楼北侧", "地下车库入口"].enumerated() {
            try await db.sql.insert(into: "poll_options").columns("id", "poll_id", "label", "sort_order", "votes")
                .values(SQLBind(UUID()), SQLBind(poll), SQLBind(label), SQLBind(order), SQLBind(Int64(0))).run()
        }
        counts.polls = 1
        progress(
            "voting: \(counts.ballots) ballot (\(counts.electors) electors, \(counts.votes) votes, \(tally.outcome.rawValue)), \(counts.polls) poll, \(counts.topics) topics"
        )
        return counts
    }
}
