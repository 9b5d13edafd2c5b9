import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// The topic board's and the staff voting pages' rows of the access matrix: in each fixture
/// home's residential area two topics proposed by the home's resident (one for the pages, one
/// for the API), each with a held comment.
extension AccessMatrixTests {
    static func addTopicFixtures(_ app: Application, _ fixtures: inout Fixtures) async throws {
        for prefix in ["", "api"] { try await addTopics(app, &fixtures, prefix: prefix) }
    }

    static func addTopics(_ app: Application, _ fixtures: inout Fixtures, prefix: String) async throws {
        let sql = app.db.sql
        for (key, group) in homes {
            let area = areaCode(key)
            let topic = UUID(), comment = UUID()
            try await sql.raw(
                """
                INSERT INTO topics (id, grid_node_id, title, body, status, proposed_by, proposer_name, created_at)
                SELECT \(bind: topic), n.id, '矩阵议题', '加装电梯', 'collecting', a.id, a.display_name, \(bind: TestClock.pinnedNow())
                FROM grid_nodes n, accounts a WHERE n.code = \(bind: area) AND a.username = \(bind: homeResidents[key]!)
                """
            ).run()
            try await sql.raw(
                """
                INSERT INTO topic_comments (id, topic_id, account_id, author_name, body, status, created_at)
                SELECT \(bind: comment), \(bind: topic), a.id, a.display_name, '同意', 'held', \(bind: TestClock.pinnedNow()) FROM accounts a
                WHERE a.username = \(bind: homeResidents[key]!)
                """
            ).run()
            fixtures.extra["\(prefix)topic.\(key)"] = topic
            fixtures.extra["\(prefix)topic.comment.\(key)"] = comment
            _ = group
        }
    }

    /// The residential area of a fixture home (its building group's code without micro-grid and group).
    static func areaCode(_ key: String) -> String { homes[key]!.split(separator: "-").prefix(3).joined(separator: "-") }
    /// Organisers who manage topics of the fixture home's area (a grid worker sees them but is bound below the area).
    static func manages(_ role: Role) -> Bool { organisers(role) && role != .gridWorker }
    static func topicPath(_ f: Fixtures, _ r: Reach, _ w: Where, _ rest: String = "") -> String {
        "/voting/topics/\(vid(f, "topic.\(home(r, w))"))\(rest)"
    }
    static func apiTopicPath(_ f: Fixtures, _ r: Reach, _ w: Where, _ rest: String = "") -> String {
        "/api/v1/voting/topics/\(vid(f, "apitopic.\(home(r, w))"))\(rest)"
    }

    static let topicProbes: [Probe] = topicPageProbes + topicAPIProbes

    /// The topic board's API: the same rows as its pages, on a topic of its own.
    static let topicAPIProbes: [Probe] = [
        Probe(
            method: .GET, route: "/api/v1/voting/topics", web: false, request: { _, _, _, _ in ("/api/v1/voting/topics", nil) },
            expect: "200 200 200 200 403 403 200 403 200", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/voting/topics", web: false,
            request: { r, w, _, _ in ("/api/v1/voting/topics", ["title": "矩阵接口提议", "body": "加装电梯", "area": areaCode(home(r, w))]) },
            expect: "201|422 201|422 201 201 403 403 201 403 201", anonymous: 401),
        Probe(
            method: .GET, route: "/api/v1/voting/topics/:id", web: false, request: { r, w, _, f in (apiTopicPath(f, r, w), nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 200|404 403 200|404", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/voting/topics/:id/support", web: false,
            request: { r, w, _, f in (apiTopicPath(f, r, w, "/support"), [:]) },
            expect: "403 403 403 403 403 403 403 403 201|404", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/voting/topics/:id/comments", web: false,
            request: { r, w, _, f in (apiTopicPath(f, r, w, "/comments"), ["body": "矩阵接口评论"]) },
            expect: "201|404 201|404 201|404 201|404 403 403 201|404 403 201|404", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/voting/topics/:id/comments/:comment/moderate", web: false,
            request: { r, w, _, f in
                (
                    apiTopicPath(f, r, w, "/comments/\(vid(f, "apitopic.comment.\(home(r, w))"))/moderate"),
                    ["decision": "hide", "reason": "矩阵隐藏"]
                )
            },
            expect: "204|404 204|404 204|404 404 403 403 204|404 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/voting/topics/:id/meetings", web: false,
            request: { r, w, _, f in
                (
                    apiTopicPath(f, r, w, "/meetings"),
                    ["kind": "hearing", "held_on": "2026-11-20", "place": "居委会", "attendees": "业主代表", "minutes": "同意加装"]
                )
            },
            expect: "204|404 204|404 204|404 404 403 403 204|404 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/voting/topics/:id/link", web: false,
            request: { r, w, _, f in (apiTopicPath(f, r, w, "/link"), ["ballot_id": vid(f, "ballot.open.\(home(r, w))")]) },
            expect: "204|404 204|404 204|404 404 403 403 204|404 403 403", anonymous: 401),
        Probe(
            method: .POST, route: "/api/v1/voting/topics/:id/decision", web: false,
            request: { r, w, _, f in (apiTopicPath(f, r, w, "/decision"), ["outcome": "declined", "text": "矩阵接口结论"]) },
            expect: "204|404 204|404 204|404 404 403 403 204|404 403 403", anonymous: 401)
    ]

    static let topicPageProbes: [Probe] = [
        Probe(
            method: .GET, route: "/voting/topics", web: true, request: { _, _, _, _ in ("/voting/topics", nil) },
            expect: "200 200 200 200 403 403 200 403 200", anonymous: 303),
        // Staff bound above a residential area name one; everyone else proposes in their own.
        Probe(
            method: .POST, route: "/voting/topics", web: true,
            request: { r, w, _, _ in ("/voting/topics", ["title": "矩阵提议", "body": "加装电梯", "area": areaCode(home(r, w))]) },
            expect: "303|422 303|422 303 303 403 403 303 403 303", anonymous: 403),
        Probe(
            method: .GET, route: "/voting/topics/:id", web: true, request: { r, w, _, f in (topicPath(f, r, w), nil) },
            expect: "200|404 200|404 200|404 200|404 403 403 200|404 403 200|404", anonymous: 303),
        Probe(
            method: .POST, route: "/voting/topics/:id/support", web: true, request: { r, w, _, f in (topicPath(f, r, w, "/support"), [:]) },
            expect: "403 403 403 403 403 403 403 403 303|404", anonymous: 403),
        Probe(
            method: .POST, route: "/voting/topics/:id/comments", web: true,
            request: { r, w, _, f in (topicPath(f, r, w, "/comments"), ["body": "矩阵评论"]) },
            expect: "303|404 303|404 303|404 303|404 403 403 303|404 403 303|404", anonymous: 403),
        Probe(
            method: .POST, route: "/voting/topics/:id/comments/:comment/moderate", web: true,
            request: { r, w, _, f in
                (
                    topicPath(f, r, w, "/comments/\(vid(f, "topic.comment.\(home(r, w))"))/moderate"),
                    ["decision": "hide", "reason": "矩阵隐藏"]
                )
            },
            expect: "303|404 303|404 303|404 404 403 403 303|404 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/voting/topics/:id/meetings", web: true,
            request: { r, w, _, f in
                (
                    topicPath(f, r, w, "/meetings"),
                    [
                        "kind": "hearing", "held_on": "2026-11-20", "place": "居委会",
                        "attendees": "业主代表", "minutes": "同意加装"
                    ]
                )
            },
            expect: "303|404 303|404 303|404 404 403 403 303|404 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/voting/topics/:id/link", web: true,
            request: { r, w, _, f in (topicPath(f, r, w, "/link"), ["target": "ballot:\(vid(f, "ballot.open.\(home(r, w))"))"]) },
            expect: "303|404 303|404 303|404 404 403 403 303|404 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/voting/topics/:id/decision", web: true,
            request: { r, w, _, f in (topicPath(f, r, w, "/decision"), ["outcome": "declined", "text": "矩阵结论"]) },
            expect: "303|404 303|404 303|404 404 403 403 303|404 403 403", anonymous: 403),
        // Staff pages of owners' voting.
        Probe(
            method: .GET, route: "/voting/owners", web: true, request: { _, _, _, _ in ("/voting/owners?q=业主", nil) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/voting/owners/bind", web: true,
            request: { r, w, _, f in
                (
                    "/voting/owners/bind",
                    [
                        "username": homeResidents[home(r, w)]!, "owner_id": vid(f, "owner2.\(home(r, w))"),
                        "proof": "房产证原件，本人到场"
                    ]
                )
            },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/voting/ballots/:id/enter", web: true,
            request: { r, w, _, f in
                (
                    "/voting/ballots/\(vid(f, "ballot.webopen.\(home(r, w))"))/enter",
                    ["elector_id": vid(f, "elector2.webopen.\(home(r, w))"), "channel": "paper", "choice": "agree", "paper_ref": "矩阵-纸-1"]
                )
            },
            expect: "303|404 303|404 303|404 303|404 403 403 303|404 403 403", anonymous: 403)
    ]
}
