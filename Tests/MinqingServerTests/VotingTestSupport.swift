import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// A compound for the voting tests, in the demo's residential area 310106019-1-01: one building
/// at the demo resident's building group with two stairwells. Stairwell 1 is the domain tests'
/// worked example (Zhang owns 101 and 102; Wang and Li own 201 together, Wang alone 202; the
/// developer has 301 and 302 unsold; Chen bought 401, not delivered; Zhao owns 402; the housing
/// bureau 501). Stairwell 2: Zhang 2-101, Chen 2-102. Owner accounts: `resident` is Zhang,
/// `o_wang`, `o_li`, `o_zhao`, `o_chen` the others.
struct VotingFixture {
    static let groupCode = "310106019-1-01-1-01"
    let compound = UUID()
    let building = UUID()
    let zhang = UUID(), wang = UUID(), li = UUID(), chen = UUID(), zhao = UUID(), bureau = UUID(), developer = UUID()
    var dwellings:
        [(
            room: String, stairwell: String, register: Int64?, surveyed: Int64?, contract: Int64?, held: Bool, unsold: Bool, undelivered: Bool,
            owners: [UUID]
        )]
    {
        [
            ("101", "1", 100_0000, 101_0000, 102_0000, false, false, false, [zhang]),
            ("102", "1", nil, 80_0000, 85_0000, false, false, false, [zhang]),
            ("201", "1", nil, nil, 90_0000, false, false, false, [wang, li]),
            ("202", "1", 60_0000, nil, nil, false, false, false, [wang]),
            ("301", "1", 70_0000, nil, nil, true, true, false, [developer]),
            ("302", "1", 70_0000, nil, nil, false, true, false, []),
            ("401", "1", 100_0000, nil, nil, false, false, true, [chen]),
            ("402", "1", 60_0000, nil, nil, false, false, false, [zhao]),
            ("501", "1", 50_0000, nil, nil, false, false, false, [bureau]),
            ("2-101", "2", 95_0000, nil, nil, false, false, false, [zhang]),
            ("2-102", "2", 95_0000, nil, nil, false, false, false, [chen])
        ]
    }
    var dwellingIDs: [String: UUID] = [:]

    var kinds: [UUID: OwnerKind] {
        [zhang: .person, wang: .person, li: .person, chen: .person, zhao: .person, bureau: .organisation, developer: .developer]
    }
    var names: [UUID: String] { [zhang: "张三", wang: "王五", li: "李四", chen: "陈六", zhao: "赵七", bureau: "房管局", developer: "临汾置业"] }
    var accounts: [String: UUID] { ["resident": zhang, "o_wang": wang, "o_li": li, "o_zhao": zhao, "o_chen": chen] }

    static func make(_ app: Application) async throws -> VotingFixture {
        var f = VotingFixture()
        for (room, _, _, _, _, _, _, _, _) in f.dwellings { f.dwellingIDs[room] = UUID() }
        let sql = app.db.sql
        try await sql.raw(
            """
            INSERT INTO compounds (id, subdistrict_id, grid_node_id, code, name, compound_type, address)
            SELECT \(bind: f.compound), a.subdistrict_id, a.id, 'VT-1', '表决测试小区', 'old_residential', '测试路 1 号'
            FROM grid_nodes a WHERE a.code = '310106019-1-01'
            """
        ).run()
        try await sql.raw(
            """
            INSERT INTO buildings (id, subdistrict_id, compound_id, grid_node_id, name, floors)
            SELECT \(bind: f.building), g.subdistrict_id, \(bind: f.compound), g.id, '1号楼', 6 FROM grid_nodes g WHERE g.code = \(bind: groupCode)
            """
        ).run()
        for (owner, kind) in f.kinds {
            try await sql.raw("INSERT INTO owners (id, kind, name) VALUES (\(bind: owner), \(bind: kind.rawValue), \(bind: f.names[owner]!))").run()
        }
        for d in f.dwellings {
            let id = f.dwellingIDs[d.room]!
            try await sql.raw(
                """
                INSERT INTO dwellings (id, subdistrict_id, compound_id, building_id, grid_node_id, stairwell, room, area_register_cm2,
                                       area_surveyed_cm2, area_contract_cm2, developer_held, unsold, undelivered)
                SELECT \(bind: id), g.subdistrict_id, \(bind: f.compound), \(bind: f.building), g.id, \(bind: d.stairwell), \(bind: d.room),
                       \(bindOrNull(d.register)), \(bindOrNull(d.surveyed)), \(bindOrNull(d.contract)), \(bind: d.held), \(bind: d.unsold), \(bind: d.undelivered)
                FROM grid_nodes g WHERE g.code = \(bind: groupCode)
                """
            ).run()
            for owner in d.owners {
                try await sql.raw("INSERT INTO dwelling_owners (dwelling_id, owner_id) VALUES (\(bind: id), \(bind: owner))").run()
            }
        }
        for (username, _) in f.accounts where username != "resident" {
            _ = try await AccountService.create(
                NewAccount(
                    username: username, displayName: f.names[f.accounts[username]!]!, role: "resident",
                    scopeCode: groupCode, password: "Owner-Pass-1", mustChangePassword: false),
                by: .console, app: app, on: app.db, now: TestClock.pinnedNow())
        }
        let staff = TestClient(app)
        try await staff.signInAPI("cadre")
        for (username, owner) in f.accounts {
            let response = try await staff.json(
                .PUT, "/api/v1/voting/owner-accounts/\(username)", ["owner_id": owner.uuidString, "proof": "房产证原件，本人到场"])
            guard response.status == .noContent else { throw TestFailure("link \(username): \(response.status) \(response.body.string)") }
        }
        return f
    }

    /// The register of a stairwell (or the building) as the domain's input.
    func domainDwellings(stairwell: String?) -> [ElectorateDwelling] {
        dwellings.filter { stairwell == nil || $0.stairwell == stairwell }.map { d in
            ElectorateDwelling(
                id: dwellingIDs[d.room]!, areaRegisterCM2: d.register, areaSurveyedCM2: d.surveyed, areaContractCM2: d.contract,
                developerHeld: d.held, unsold: d.unsold, undelivered: d.undelivered,
                owners: d.owners.map { .init(id: $0, kind: kinds[$0]!) })
        }
    }

    static func client(_ app: Application, _ username: String) async throws -> TestClient {
        let client = TestClient(app)
        try await client.signInAPI(username, password: username == "resident" || !username.hasPrefix("o_") ? demoPassword : "Owner-Pass-1")
        return client
    }

    /// Creates and opens a ballot as `cadre`; returns its id.
    func ballot(
        _ app: Application, rule: String = "lift_installation", stairwell: String? = "1", closesIn: TimeInterval = 86_400,
        now: Date = TestClock.pinnedNow(), resultsLive: Bool = false
    ) async throws -> UUID {
        let cadre = try await Self.client(app, "cadre")
        var body: [String: Any] = [
            "compound_id": compound.uuidString, "title": "1号楼加装电梯", "rule_code": rule,
            "closes_at": ISO8601DateFormatter().string(from: now.addingTimeInterval(closesIn)),
            "results_live": resultsLive
        ]
        if let stairwell { body["building_id"] = building.uuidString; body["stairwell"] = stairwell }
        let created = try await cadre.jsonObject(.POST, "/api/v1/voting/ballots", body)
        guard created.status == .created else { throw TestFailure("create: \(created.status) \(created.body.string)") }
        struct C: Decodable { var id: UUID }
        let id = try created.decode(C.self).id
        let opened = try await cadre.send(.POST, "/api/v1/voting/ballots/\(id)/open")
        guard opened.status == .ok else { throw TestFailure("open: \(opened.status) \(opened.body.string)") }
        return id
    }

    /// A ballot's figures counted here from its raw rows, without the production tally: the
    /// electors (`ballot_electors`) and the votes (`owners_votes`) are read apart and matched in
    /// the test, so a published result can be checked against an independent recount.
    struct Recount {
        var electors = 0
        var votes = 0
        var total = AreaAndHeads.zero
        /// Area and heads by answer (`agree`, `disagree`, `abstain`).
        var by: [String: AreaAndHeads] = [:]

        func figures(_ choice: String) -> AreaAndHeads { by[choice] ?? .zero }

        /// Everyone who answered, abstentions included (参与表决).
        var participating: AreaAndHeads {
            AreaAndHeads(areaCM2: by.values.reduce(Int64(0)) { $0 + $1.areaCM2 }, heads: by.values.reduce(Int64(0)) { $0 + $1.heads })
        }

        /// The outcome worked out by hand for a rule whose fractions are all "以上" (the bound
        /// included) and whose approval base is the participants: quorum when the participants
        /// hold at least `quorum` of the total area and are at least `quorum` of the heads;
        /// approved when those agreeing hold at least `approval` of the participants' area and
        /// are at least `approval` of their heads. Fractions as (numerator, denominator), compared
        /// by cross-multiplication in integers.
        func outcome(quorum: (Int64, Int64), approval: (Int64, Int64)) -> String {
            let p = participating, a = figures("agree")
            guard p.heads > 0, quorum.1 * p.areaCM2 >= quorum.0 * total.areaCM2, quorum.1 * p.heads >= quorum.0 * total.heads else {
                return "no_quorum"
            }
            return approval.1 * a.areaCM2 >= approval.0 * p.areaCM2 && approval.1 * a.heads >= approval.0 * p.heads ? "approved" : "rejected"
        }
    }

    static func recount(_ ballot: UUID, _ app: Application) async throws -> Recount {
        struct ElectorRow: Decodable { var id: UUID; var area_cm2: Int64; var heads: Int64 }
        struct VoteRow: Decodable { var elector_id: UUID; var choice: String }
        let sql = app.db.sql
        let electors = try await sql.raw("SELECT id, area_cm2, heads FROM ballot_electors WHERE ballot_id = \(bind: ballot)")
            .all(decoding: ElectorRow.self)
        let votes = try await sql.raw("SELECT elector_id, choice FROM owners_votes WHERE ballot_id = \(bind: ballot)")
            .all(decoding: VoteRow.self)
        let choices = Dictionary(votes.map { ($0.elector_id, $0.choice) }, uniquingKeysWith: { first, _ in first })
        #expect(choices.count == votes.count, "one vote per elector")
        #expect(Set(choices.keys).isSubset(of: Set(electors.map(\.id))), "every vote is an elector's")
        var result = Recount()
        result.electors = electors.count
        result.votes = votes.count
        for elector in electors {
            result.total.areaCM2 += elector.area_cm2
            result.total.heads += elector.heads
            if let choice = choices[elector.id] {
                result.by[choice, default: .zero].areaCM2 += elector.area_cm2
                result.by[choice, default: .zero].heads += elector.heads
            }
        }
        return result
    }
}

extension TestClient {
    func vote(_ ballot: UUID, _ choice: String, extra: [String: Any] = [:]) async throws -> TestingHTTPResponse {
        var body = extra
        body["choice"] = choice
        return try await jsonObject(.POST, "/api/v1/voting/ballots/\(ballot)/votes", body)
    }
}
