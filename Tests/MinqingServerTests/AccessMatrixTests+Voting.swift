import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// The voting capability's rows of the access matrix, and their fixtures: in each fixture home's
/// compound two dwellings with an owner each (the home's resident account bound to the first),
/// an open ballot, a draft one, an open one past its closing time, and an open poll.
extension AccessMatrixTests {
    static func addVotingFixtures(_ app: Application, _ fixtures: inout Fixtures) async throws {
        let sql = app.db.sql
        let rule = String(decoding: try JSONEncoder().encode(OwnersVoteRuleSet.liftInstallation), as: UTF8.self)
        for (key, group) in homes {
            guard let compound = fixtures.extra["compound.\(key)"] else { continue }
            struct B: Decodable { var id: UUID; var grid_node_id: UUID }
            let building = try await sql.raw("SELECT id, grid_node_id FROM buildings WHERE compound_id = \(bind: compound)").first(decoding: B.self)!
            var owners: [UUID] = []
            var dwellings: [UUID] = []
            for n in 1...2 {
                let owner = UUID(), dwelling = UUID()
                try await sql.raw("INSERT INTO owners (id, kind, name) VALUES (\(bind: owner), 'person', \(bind: "业主\(key)-\(n)"))").run()
                try await sql.raw(
                    """
                    INSERT INTO dwellings (id, compound_id, building_id, grid_node_id, stairwell, room, area_register_cm2, developer_held, unsold, undelivered)
                    VALUES (\(bind: dwelling), \(bind: compound), \(bind: building.id), \(bind: building.grid_node_id), '1', \(bind: "\(n)01"),
                            \(bind: Int64(60_0000 + n)), \(bind: false), \(bind: false), \(bind: false))
                    """
                ).run()
                try await sql.raw("INSERT INTO dwelling_owners (dwelling_id, owner_id) VALUES (\(bind: dwelling), \(bind: owner))").run()
                owners.append(owner)
                dwellings.append(dwelling)
            }
            fixtures.extra["owner.\(key)"] = owners[0]
            fixtures.extra["owner2.\(key)"] = owners[1]
            try await sql.raw(
                """
                INSERT INTO owner_accounts (account_id, owner_id) SELECT id, \(bind: owners[0]) FROM accounts WHERE username = \(bind: homeResidents[key]!)
                """
            ).run()
            for (name, status, closes) in [
                ("open", "open", 86_400.0), ("draft", "draft", 86_400), ("closable", "open", -60),
                ("webopen", "open", 86_400), ("webclosable", "open", -60), ("webdraft", "draft", 86_400)
            ] {
                let ballot = UUID()
                try await sql.raw(
                    """
                    INSERT INTO owners_ballots (id, compound_id, building_id, stairwell, scope_kind, grid_node_id, title, description, rule_code,
                                                rule_json, status, results_live, closes_at, opened_at, total_area_cm2, total_heads)
                    VALUES (\(bind: ballot), \(bind: compound), \(bind: building.id), '1', 'stairwell', \(bind: building.grid_node_id), '矩阵表决', '',
                            'lift_installation', \(bind: rule), \(bind: status), \(bind: false), \(bind: TestClock.pinnedNow().addingTimeInterval(closes)),
                            \(bind: TestClock.pinnedNow()), 1200003, 2)
                    """
                ).run()
                fixtures.extra["ballot.\(name).\(key)"] = ballot
                guard status == "open" else { continue }
                for (n, owner) in owners.enumerated() {
                    let elector = UUID()
                    try await sql.raw(
                        """
                        INSERT INTO ballot_electors (id, ballot_id, elector_key, is_developer, area_cm2, heads, label)
                        VALUES (\(bind: elector), \(bind: ballot), \(bind: owner.uuidString.lowercased()), \(bind: false), \(bind: Int64(60_0001 + n)), 1, \(bind: "业主\(key)-\(n + 1)"))
                        """
                    ).run()
                    try await sql.raw(
                        "INSERT INTO ballot_elector_owners (ballot_id, elector_id, owner_id) VALUES (\(bind: ballot), \(bind: elector), \(bind: owner))"
                    ).run()
                    try await sql.raw(
                        """
                        INSERT INTO ballot_elector_dwellings (ballot_id, elector_id, dwelling_id, area_cm2, area_source)
                        VALUES (\(bind: ballot), \(bind: elector), \(bind: dwellings[n]), \(bind: Int64(60_0001 + n)), 'register')
                        """
                    ).run()
                    if n == 1 { fixtures.extra["elector2.\(name).\(key)"] = elector }
                }
            }
            for name in ["", "web"] {
                let poll = UUID(), option = UUID()
                try await sql.raw(
                    """
                    INSERT INTO polls (id, grid_node_id, title, description, unit, secrecy, status, results_live, closes_at)
                    SELECT \(bind: poll), id, '矩阵投票', '', 'person', 'secret', 'open', \(bind: false), \(bind: TestClock.pinnedNow().addingTimeInterval(86_400))
                    FROM grid_nodes WHERE code = \(bind: group)
                    """
                ).run()
                try await sql.raw(
                    """
                    INSERT INTO poll_options (id, poll_id, label, sort_order, votes) VALUES (\(bind: option), \(bind: poll), '赞成', 0, 0),
                    (\(bind: UUID()), \(bind: poll), '反对', 1, 0)
                    """
                ).run()
                fixtures.extra["\(name)poll.\(key)"] = poll
                fixtures.extra["\(name)poll.option.\(key)"] = option
            }
        }
    }

    static func voters(_ role: Role) -> Bool { VotingQueries.viewers.contains(role) }
    static func organisers(_ role: Role) -> Bool { VotingQueries.organisers.contains(role) }
    static func vid(_ f: Fixtures, _ key: String) -> String { f.extra[key]?.uuidString ?? "00000000-0000-0000-0000-000000000000" }
    static var future: String { ISO8601DateFormatter().string(from: TestClock.pinnedNow().addingTimeInterval(7 * 86_400)) }

    static let votingProbes: [Probe] = [
        Probe(
            method: .GET, route: "/api/v1/voting/rule-sets", web: false, request: { _, _, _, _ in ("/api/v1/voting/rule-sets", nil) },
            expect: "200 200 200 200 403 403 200 403 200", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/voting/ballots", web: false, request: { _, _, _, _ in ("/api/v1/voting/ballots", nil) },
            expect: "200 200 200 200 403 403 200 403 200", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/voting/ballots", web: false,
            request: { r, w, _, f in
                (
                    "/api/v1/voting/ballots",
                    [
                        "compound_id": vid(f, "compound.\(home(r, w))"), "title": "矩阵新表决",
                        "rule_code": "civil_code_278_4", "closes_at": future
                    ]
                )
            },
            expect: "201|422 201|422 201|422 201|422 403 403 201|422 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/voting/ballots/:id", web: false,
            request: { r, w, _, f in ("/api/v1/voting/ballots/\(vid(f, "ballot.open.\(home(r, w))"))", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 200|404 403 200|404", anonymous: 401),
        // The electors still to vote, as the ballot page's entry form lists them: for those who run the ballot.
        Probe(
            method: .GET, route: "/api/v1/voting/ballots/:id/electors", web: false,
            request: { r, w, _, f in ("/api/v1/voting/ballots/\(vid(f, "ballot.open.\(home(r, w))"))/electors", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 200|404 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/voting/ballots/:id/open", web: false,
            request: { r, w, _, f in ("/api/v1/voting/ballots/\(vid(f, "ballot.draft.\(home(r, w))"))/open", [:]) },
            expect: "200|404 200|404 200|404 200|404 403 403 200|404 403 403", anonymous: 401),
        // Staff enter a paper ballot for the second owner; the resident votes online as the first.
        Probe(
            method: .POST, route: "/api/v1/voting/ballots/:id/votes", web: false,
            request: { r, w, _, f in
                let path = "/api/v1/voting/ballots/\(vid(f, "ballot.open.\(home(r, w))"))/votes"
                if r.role == .resident { return (path, ["choice": "agree"]) }
                return (path, ["choice": "agree", "channel": "paper", "paper_ref": "矩阵-1", "elector_id": vid(f, "elector2.open.\(home(r, w))")])
            },
            expect: "201|404 201|404 201|404 201|404 403 403 201|404 403 201|404", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/voting/ballots/:id/close", web: false,
            request: { r, w, _, f in ("/api/v1/voting/ballots/\(vid(f, "ballot.closable.\(home(r, w))"))/close", [:]) },
            expect: "200|404 200|404 200|404 200|404 403 403 200|404 403 403", anonymous: 401),
        Probe(
            method: .PUT, route: "/api/v1/voting/owner-accounts/:username", web: false,
            request: { r, w, _, f in
                ("/api/v1/voting/owner-accounts/\(homeResidents[home(r, w)]!)", ["owner_id": vid(f, "owner.\(home(r, w))"), "proof": "房产证原件，本人到场"])
            },
            expect: "204|404 204|404 204|404 204|404 403 403 403 403 403", anonymous: 401),
        // The owner search of the binding page: owners in scope by name, and the newest bindings.
        Probe(
            method: .GET, route: "/api/v1/voting/owners", web: false, request: { _, _, _, _ in ("/api/v1/voting/owners?q=业主", nil) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/voting/polls", web: false, request: { _, _, _, _ in ("/api/v1/voting/polls", nil) },
            expect: "200 200 200 200 403 403 200 403 200", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/voting/polls", web: false,
            request: { r, w, _, _ in
                (
                    "/api/v1/voting/polls",
                    [
                        "node": w == .inside ? r.nodeIn : r.nodeOut, "title": "矩阵新投票",
                        "options": ["甲", "乙"], "closes_at": future
                    ]
                )
            },
            expect: "201|422 201|422 201|422 201|422 403 403 201|422 403 403", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/voting/polls/:id", web: false,
            request: { r, w, _, f in ("/api/v1/voting/polls/\(vid(f, "poll.\(home(r, w))"))", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 200|404 403 200|404", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/voting/polls/:id/votes", web: false,
            request: { r, w, _, f in
                ("/api/v1/voting/polls/\(vid(f, "poll.\(home(r, w))"))/votes", ["option_id": vid(f, "poll.option.\(home(r, w))")])
            },
            expect: "403 403 403 403 403 403 403 403 201|404", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/voting/polls/:id/close", web: false,
            request: { r, w, _, f in ("/api/v1/voting/polls/\(vid(f, "poll.\(home(r, w))"))/close", [:]) },
            expect: "204|404 204|404 204|404 204|404 403 403 204|404 403 403", anonymous: 401),
        // Pages.
        Probe(
            method: .GET, route: "/voting", web: true, request: { _, _, _, _ in ("/voting", nil) },
            expect: "200 200 200 200 403 403 200 403 200", anonymous: 303),
        Probe(
            method: .GET, route: "/voting/ballots/new", web: true, request: { _, _, _, _ in ("/voting/ballots/new", nil) },
            expect: "200 200 200 200 403 403 200 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/voting/ballots/new", web: true,
            request: { r, w, _, f in
                (
                    "/voting/ballots/new",
                    [
                        "compound_id": vid(f, "compound.\(home(r, w))"), "title": "矩阵网页表决",
                        "rule_code": "civil_code_278_3", "closes_at": local(72)
                    ]
                )
            },
            expect: "303|422 303|422 303|422 303|422 403 403 303|422 403 403", anonymous: 403),
        Probe(
            method: .GET, route: "/voting/ballots/:id", web: true,
            request: { r, w, _, f in ("/voting/ballots/\(vid(f, "ballot.webopen.\(home(r, w))"))", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 200|404 403 200|404", anonymous: 303),
        // Only an owner's bound account votes online: staff get the page again with 403.
        Probe(
            method: .POST, route: "/voting/ballots/:id/vote", web: true,
            request: { r, w, _, f in ("/voting/ballots/\(vid(f, "ballot.webopen.\(home(r, w))"))/vote", ["choice": "agree"]) },
            expect: "403|404 403|404 403|404 403|404 403 403 403|404 403 303|404", anonymous: 403),
        // The organiser's page of a drafted ballot, then the form that opens it.
        Probe(
            method: .GET, route: "/voting/ballots/:id/open", web: true,
            request: { r, w, _, f in ("/voting/ballots/\(vid(f, "ballot.webdraft.\(home(r, w))"))/open", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 200|404 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/voting/ballots/:id/open", web: true,
            request: { r, w, _, f in ("/voting/ballots/\(vid(f, "ballot.webdraft.\(home(r, w))"))/open", [:]) },
            expect: "303|404 303|404 303|404 303|404 403 403 303|404 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/voting/ballots/:id/close", web: true,
            request: { r, w, _, f in ("/voting/ballots/\(vid(f, "ballot.webclosable.\(home(r, w))"))/close", [:]) },
            expect: "303|404 303|404 303|404 303|404 403 403 303|404 403 403", anonymous: 403),
        Probe(
            method: .GET, route: "/voting/polls/:id", web: true,
            request: { r, w, _, f in ("/voting/polls/\(vid(f, "webpoll.\(home(r, w))"))", nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 200|404 403 200|404", anonymous: 303),
        Probe(
            method: .POST, route: "/voting/polls/:id/vote", web: true,
            request: { r, w, _, f in ("/voting/polls/\(vid(f, "webpoll.\(home(r, w))"))/vote", ["option_id": vid(f, "webpoll.option.\(home(r, w))")])
            },
            expect: "403 403 403 403 403 403 403 403 303|404", anonymous: 403),
        Probe(
            method: .GET, route: "/voting/polls/new", web: true, request: { _, _, _, _ in ("/voting/polls/new", nil) },
            expect: "200 200 200 200 403 403 200 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/voting/polls/new", web: true,
            request: { r, w, _, _ in
                (
                    "/voting/polls/new",
                    [
                        "node": w == .inside ? r.nodeIn : r.nodeOut, "title": "矩阵网页投票", "options": "甲\n乙",
                        "unit": "person", "secrecy": "open", "closes_at": local(72)
                    ]
                )
            },
            expect: "303|422 303|422 303|422 303|422 403 403 303|422 403 403", anonymous: 403),
        // Last: it closes the page's poll.
        Probe(
            method: .POST, route: "/voting/polls/:id/close", web: true,
            request: { r, w, _, f in ("/voting/polls/\(vid(f, "webpoll.\(home(r, w))"))/close", [:]) },
            expect: "303|404 303|404 303|404 303|404 403 403 303|404 403 403", anonymous: 403)
    ]
}
