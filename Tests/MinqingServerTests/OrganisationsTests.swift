import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingDemo
@testable import MinqingServer

/// 组织力工程 over HTTP on a real database (SQLite, or PostgreSQL with `MINQING_TEST_POSTGRES_URL`).
@Suite("Organisations: 组织力工程, 双报到, co-building")
struct OrganisationsTests {
    static let area = "310106019-1-01"
    static let microGrid = "310106019-1-01-1"

    /// Two units (驻区单位) of the demo subdistrict, as the services capability keeps them.
    static func units(_ world: VisitWorld) async throws -> (UUID, UUID) {
        struct Node: Decodable { var id: UUID; var subdistrict_id: UUID? }
        let node = try await world.sql.raw("SELECT id, subdistrict_id FROM grid_nodes WHERE code = \(bind: area)").first(decoding: Node.self)!
        let a = UUID(), b = UUID()
        try await world.sql.raw(
            """
            INSERT INTO service_units (id, subdistrict_id, grid_node_id, name, unit_kind) VALUES
            (\(bind: a), \(bind: node.subdistrict_id), \(bind: node.id), '临汾路小学', '学校'),
            (\(bind: b), \(bind: node.subdistrict_id), \(bind: node.id), '市北医院', '医院')
            """
        ).run()
        return (a, b)
    }

    static func staff(_ app: Application, _ username: String) async throws -> TestClient {
        let client = TestClient(app)
        try await client.signInAPI(username)
        return client
    }

    struct N: Decodable { var n: Int }

    @Test("kinds and parents are checked; history is kept; a temporary branch closes at its end date and its members' rows stay")
    func lifecycle() async throws {
        let clock = TestClock()
        try await withApp(demo: true, now: { clock.now }) { app in
            let world = try await VisitWorld.make(app)
            let staff = try await Self.staff(app, "staff")
            let today = CivilDate(clock.now, in: .shanghai)
            let committee = try await staff.jsonObject(
                .POST, "/api/v1/organisations",
                [
                    "name": "临汾路街道党工委", "kind": "party_committee", "basis": "organ",
                    "node": "310106019"
                ]
            ).createdID()
            // A temporary branch needs an end date and a project; a branch needs a parent; a group may not hang under a committee.
            let noEnd = try await staff.jsonObject(
                .POST, "/api/v1/organisations",
                [
                    "name": "加装电梯临时党支部", "kind": "temporary_branch",
                    "parent_id": committee.uuidString, "purpose": "加装电梯"
                ])
            #expect(noEnd.status == .unprocessableEntity && noEnd.body.string.contains("ends_on"))
            let orphan = try await staff.jsonObject(.POST, "/api/v1/organisations", ["name": "孤立支部", "kind": "party_branch", "node": Self.microGrid])
            #expect(orphan.status == .unprocessableEntity && orphan.body.string.contains("parent_id"))
            let wrong = try await staff.jsonObject(
                .POST, "/api/v1/organisations", ["name": "错挂小组", "kind": "party_group", "parent_id": committee.uuidString])
            #expect(wrong.status == .unprocessableEntity && wrong.body.string.contains("parent_id"))
            let ends = try today.adding(days: 10)
            let lift = try await staff.jsonObject(
                .POST, "/api/v1/organisations",
                [
                    "name": "加装电梯临时党支部", "kind": "temporary_branch", "node": Self.area,
                    "parent_id": committee.uuidString, "purpose": "17 个居民区 56 台电梯",
                    "ends_on": ends.iso8601
                ]
            ).createdID()
            let branch = try await staff.jsonObject(
                .POST, "/api/v1/organisations",
                [
                    "name": "临汾第一微网格党支部", "kind": "party_branch", "node": Self.microGrid,
                    "parent_id": committee.uuidString
                ]
            ).createdID()
            // A member: the register's party tag comes with it, in the same transaction.
            let person = try await world.household(1, born: "19800101").person
            let member = try await staff.jsonObject(
                .POST, "/api/v1/organisations/\(lift)/members",
                [
                    "person_id": person.uuidString, "role": "member",
                    "shows_identity": true
                ]
            ).createdID()
            _ = try await staff.jsonObject(.POST, "/api/v1/organisations/\(branch)/members", ["person_id": person.uuidString, "role": "secretary"])
                .createdID()
            let tags = try await world.sql.raw(
                """
                SELECT COUNT(*) AS n FROM tag_assignments a JOIN tags t ON t.id = a.tag_id WHERE a.person_id = \(bind: person) AND t.code = 'id.party_member'
                """
            ).first(decoding: N.self)!.n
            #expect(tags == 1, "the second party membership does not give the tag twice")
            let again = try await staff.jsonObject(.POST, "/api/v1/organisations/\(lift)/members", ["person_id": person.uuidString])
            #expect(again.status == .conflict)
            // Rename: the history row says who, what and why.
            let renamed = try await staff.jsonObject(
                .POST, "/api/v1/organisations/\(lift)/changes",
                [
                    "action": "rename", "name": "加装电梯临时党支部（第一批）",
                    "reason": "分批推进"
                ])
            #expect(renamed.status == .ok)
            let detail = try renamed.decode(OrganisationDetail.self)
            #expect(detail.history.map(\.action) == ["created", "renamed"])
            #expect(detail.history[1].old_value == "加装电梯临时党支部" && detail.history[1].reason == "分批推进" && detail.history[1].actor_name == "staff")
            #expect(detail.open && detail.organisation.members == 1)
            // Nothing changes on the end date's eve; on the end date the branch closes.
            clock.advance(9 * 86_400)
            #expect(
                try await staff.jsonObject(.POST, "/api/v1/organisations/close-expired", [:]).decode(OrganisationsController.Closed.self).closed == 0)
            clock.advance(86_400)
            #expect(
                try await staff.jsonObject(.POST, "/api/v1/organisations/close-expired", [:]).decode(OrganisationsController.Closed.self).closed == 1)
            let closed = try await staff.get("/api/v1/organisations/\(lift)").decode(OrganisationDetail.self)
            #expect(!closed.open && closed.organisation.closed_on == ends.iso8601)
            #expect(closed.history.map(\.action) == ["created", "renamed", "closed"])
            #expect(try await staff.get("/api/v1/organisations/\(lift)/members").decode([MemberRow].self).isEmpty)
            let history = try await staff.get("/api/v1/organisations/\(lift)/members?ended=true").decode([MemberRow].self)
            #expect(history.map(\.id) == [member] && history[0].ends_on == ends.iso8601 && history[0].shows_identity)
            #expect(try await staff.jsonObject(.POST, "/api/v1/organisations/\(lift)/members", ["person_id": person.uuidString]).status == .conflict)
            #expect(
                try await staff.jsonObject(.POST, "/api/v1/organisations/\(lift)/changes", ["action": "close", "reason": "再撤"]).status == .conflict)
            // The history is append-only in the database too.
            await #expect(throws: (any Error).self) {
                try await world.sql.raw("DELETE FROM organisation_changes WHERE organisation_id = \(bind: lift)").run()
            }
            // The branch's member stays a party member (the tag) and in the branch.
            #expect(try await staff.get("/api/v1/organisations/\(branch)/members").decode([MemberRow].self).count == 1)
            #expect(try await OrganisationsQueries.partyMembers(among: [person], today: CivilDate(clock.now, in: .shanghai), on: app.db) == [person])
        }
    }

    @Test("party membership is invisible to roles without the right, and leaves in an export only when allowed and asked (audited)")
    func sensitive() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let cadre = world.cadre
            let grid = try await Self.staff(app, "gridworker")
            let committee = try await cadre.jsonObject(
                .POST, "/api/v1/organisations", ["name": "临汾居民区党委", "kind": "party_committee", "node": Self.area]
            ).createdID()
            let branch = try await cadre.jsonObject(
                .POST, "/api/v1/organisations",
                [
                    "name": "第一微网格党支部", "kind": "party_branch", "node": Self.microGrid,
                    "parent_id": committee.uuidString
                ]
            ).createdID()
            let council = try await cadre.jsonObject(
                .POST, "/api/v1/organisations", ["name": "第一微网格妇女小组", "kind": "womens_council", "node": Self.microGrid]
            ).createdID()
            let member = try await world.household(2, born: "19700101").person
            let woman = try await world.household(3, born: "19750101").person
            _ = try await cadre.jsonObject(.POST, "/api/v1/organisations/\(branch)/members", ["person_id": member.uuidString]).createdID()
            _ = try await cadre.jsonObject(
                .POST, "/api/v1/organisations/\(council)/members", ["person_id": woman.uuidString, "role": "representative"]
            ).createdID()
            // The grid worker sees both organisations, the council's member, not the branch's.
            let list = try await grid.get("/api/v1/organisations").decode([OrganisationRow].self)
            #expect(Set(list.map(\.id)) == [branch, council])
            #expect(list.first { $0.id == branch }?.members == 0 && list.first { $0.id == council }?.members == 1)
            let hidden = try await grid.get("/api/v1/organisations/\(branch)/members")
            #expect(hidden.status == .forbidden && hidden.body.string.contains("sensitive"))
            #expect(try await grid.get("/api/v1/organisations/\(council)/members").decode([MemberRow].self).map(\.person_id) == [woman])
            #expect(
                try await grid.jsonObject(.POST, "/api/v1/organisations/\(branch)/members", ["person_id": member.uuidString]).status == .forbidden)
            // The web page says so instead of listing names.
            let web = TestClient(app)
            _ = try await web.signInWeb("gridworker")
            let page = try await web.get("/organisations/\(branch)").body.string
            #expect(page.contains("members-hidden") && !page.contains("住户2"))
            // Exports: without asking, no party rows even for the cadre; asking needs the role and a purpose.
            let plain = try await cadre.jsonObject(.POST, "/api/v1/organisations/export", ["node": Self.area]).body.string
            #expect(plain.contains("住户3") && !plain.contains("住户2"))
            let gridPlain = try await grid.jsonObject(.POST, "/api/v1/organisations/export", [:]).body.string
            #expect(gridPlain.contains("住户3") && !gridPlain.contains("住户2"))
            #expect(
                try await grid.jsonObject(
                    .POST, "/api/v1/organisations/export", ["sensitive": true, "purpose": "verification", "purpose_detail": "换届核对"]
                ).status == .forbidden)
            #expect(try await cadre.jsonObject(.POST, "/api/v1/organisations/export", ["sensitive": true]).status == .unprocessableEntity)
            let full = try await cadre.jsonObject(
                .POST, "/api/v1/organisations/export",
                ["sensitive": true, "purpose": "verification", "purpose_detail": "换届核对"]
            ).body.string
            #expect(full.contains("住户2") && full.contains("住户3"))
            struct Entry: Decodable { var actor_name: String?; var detail: String }
            let audits = try await world.sql.raw("SELECT actor_name, detail FROM audit_log WHERE action = 'organisations.exported' ORDER BY seq")
                .all(decoding: Entry.self)
            #expect(audits.count == 3)
            #expect(audits.last?.detail.contains("\"sensitive\":\"true\"") == true && audits.last?.detail.contains("换届核对") == true)
        }
    }

    @Test("双报告: a unit's report equals the service its members recorded in the period, in the caller's scope")
    func dualReport() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let (school, hospital) = try await Self.units(world)
            let cadre = world.cadre
            let resident = try await Self.staff(app, "resident")
            // A post in the resident's community, and one in another community.
            let post = try await cadre.jsonObject(
                .POST, "/api/v1/organisations/posts",
                [
                    "kind": "responsibility_area", "name": "1 号楼党员责任区",
                    "node": VisitWorld.group
                ]
            ).createdID()
            let far = try await Self.staff(app, "cadre2")
            let farPost = try await far.jsonObject(
                .POST, "/api/v1/organisations/posts",
                [
                    "kind": "model_post", "name": "汾西示范岗",
                    "node": "310106019-1-02-1"
                ]
            ).createdID()
            // The resident registers themselves; the cadre registers a person of the register.
            let mine = try await resident.jsonObject(
                .POST, "/api/v1/dual/registrations", ["service_unit_id": school.uuidString, "shows_identity": true]
            ).createdID()
            #expect(try await resident.jsonObject(.POST, "/api/v1/dual/registrations", ["service_unit_id": school.uuidString]).status == .conflict)
            let person = try await world.household(4, born: "19850101").person
            let theirs = try await cadre.jsonObject(
                .POST, "/api/v1/dual/registrations", ["service_unit_id": school.uuidString, "person_id": person.uuidString]
            ).createdID()
            let other = try await world.household(5, born: "19860101").person
            let nurse = try await cadre.jsonObject(
                .POST, "/api/v1/dual/registrations", ["service_unit_id": hospital.uuidString, "person_id": other.uuidString]
            ).createdID()
            // Claims: once; only posts of the member's own community.
            _ = try await resident.jsonObject(.POST, "/api/v1/dual/registrations/\(mine)/claims", ["post_id": post.uuidString]).createdID()
            #expect(
                try await resident.jsonObject(.POST, "/api/v1/dual/registrations/\(mine)/claims", ["post_id": post.uuidString]).status == .conflict)
            #expect(
                try await resident.jsonObject(.POST, "/api/v1/dual/registrations/\(mine)/claims", ["post_id": farPost.uuidString]).status
                    == .unprocessableEntity)
            // Another resident's registration is not the resident's to use.
            #expect(
                try await resident.jsonObject(.POST, "/api/v1/dual/registrations/\(theirs)/service", ["minutes": 60, "description": "x"]).status
                    == .notFound)
            let today = CivilDate.today(now: TestClock.pinnedNow())
            let from = try today.adding(days: -40), to = try today.adding(days: -10)
            var expected: [UUID: Int] = [:]
            var records = 0
            for (n, (reg, client)) in [(mine, resident), (theirs, cadre), (nurse, cadre), (mine, resident)].enumerated() {
                for offset in [-50, -40, -25, -10, -3] {
                    let day = try today.adding(days: offset)
                    let minutes = 30 + n * 15 + (offset + 60)
                    var body: [String: Any] = ["served_on": day.iso8601, "minutes": minutes, "description": "楼道清洁 \(n)"]
                    if reg == mine { body["post_id"] = post.uuidString }
                    _ = try await client.jsonObject(.POST, "/api/v1/dual/registrations/\(reg)/service", body).createdID()
                    if reg != nurse && day >= from && day <= to { expected[reg, default: 0] += minutes; records += 1 }
                }
            }
            #expect(
                try await resident.jsonObject(
                    .POST, "/api/v1/dual/registrations/\(mine)/service",
                    ["served_on": try today.adding(days: 1).iso8601, "minutes": 60, "description": "明天"]
                ).status == .unprocessableEntity)
            #expect(
                try await resident.jsonObject(.POST, "/api/v1/dual/registrations/\(mine)/service", ["minutes": 0, "description": "零"]).status
                    == .unprocessableEntity)
            let report = try await cadre.get("/api/v1/dual/units/\(school)/report?from=\(from.iso8601)&to=\(to.iso8601)").decode(UnitReport.self)
            #expect(Dictionary(uniqueKeysWithValues: report.lines.map { ($0.registration_id, $0.minutes) }) == expected)
            #expect(report.minutes == expected.values.reduce(0, +) && report.records == records)
            // The same from the rows themselves, by SQL.
            struct Sum: Decodable { var n: Int? }
            let raw = try await world.sql.raw(
                """
                SELECT CAST(SUM(minutes) AS BIGINT) AS n FROM dual_service_records WHERE service_unit_id = \(bind: school)
                AND served_on >= \(bind: from.iso8601) AND served_on <= \(bind: to.iso8601)
                """
            ).first(decoding: Sum.self)?.n
            #expect(raw == report.minutes)
            // Another community's cadre sees none of it; residents and grid workers do not get reports.
            #expect(
                try await far.get("/api/v1/dual/units/\(school)/report?from=\(from.iso8601)&to=\(to.iso8601)").decode(UnitReport.self).lines.isEmpty)
            #expect(try await resident.get("/api/v1/dual/units/\(school)/report").status == .forbidden)
            #expect(try await Self.staff(app, "gridworker").get("/api/v1/dual/registrations").status == .forbidden)
            // The resident sees their own registration only; the cadre all three.
            #expect(try await resident.get("/api/v1/dual/registrations").decode([DualRegistrationRow].self).map(\.id) == [mine])
            #expect(try await cadre.get("/api/v1/dual/registrations").decode([DualRegistrationRow].self).count == 3)
            let posts = try await resident.get("/api/v1/organisations/posts").decode([PostRow].self)
            #expect(posts.map(\.id) == [post] && posts[0].claims == 1)
            let figures = try await cadre.get("/api/v1/organisations/figures").decode(OrganisationFigures.self)
            #expect(figures.dual_registered == 3 && figures.dual_serving == 3 && figures.responsibility_areas == 1)
        }
    }

    @Test("co-building: lists, a contract's commitments checked once, points entries each explained, totals their sums")
    func coBuilding() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let (school, hospital) = try await Self.units(world)
            let cadre = world.cadre
            for (kind, title) in [("problem", "学校门口停车难"), ("resource", "篮球场周末开放"), ("project", "共建爱心暑托班")] {
                _ = try await cadre.jsonObject(
                    .POST, "/api/v1/cobuilding/items", ["service_unit_id": school.uuidString, "list_kind": kind, "title": title]
                ).createdID()
            }
            #expect(
                try await cadre.jsonObject(
                    .POST, "/api/v1/cobuilding/items", ["service_unit_id": school.uuidString, "list_kind": "wish", "title": "x"]
                )
                .status == .unprocessableEntity)
            let bad = try await cadre.jsonObject(
                .POST, "/api/v1/cobuilding/contracts",
                [
                    "service_unit_id": school.uuidString, "title": "共建契约",
                    "commitments": [["side": "neighbour", "content": "x"]]
                ])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("commitments[0].side"))
            _ = try await cadre.jsonObject(
                .POST, "/api/v1/cobuilding/contracts",
                [
                    "service_unit_id": school.uuidString, "title": "2026 年共建契约",
                    "commitments": [
                        ["side": "unit", "content": "周末开放篮球场"], ["side": "unit", "content": "暑托班师资"],
                        ["side": "community", "content": "提供场地管理志愿者"]
                    ]
                ]
            ).createdID()
            var file = try await cadre.get("/api/v1/cobuilding/units/\(school)").decode(UnitCoBuilding.self)
            #expect(file.items.count == 3 && file.contracts.count == 1 && file.contracts[0].commitments.count == 3)
            let commitments = file.contracts[0].commitments
            let unitSide = commitments.filter { $0.side == "unit" }, communitySide = commitments.filter { $0.side == "community" }
            #expect(
                try await cadre.jsonObject(.POST, "/api/v1/cobuilding/commitments/\(unitSide[0].id)/check", ["delivered": true]).status == .noContent)
            #expect(
                try await cadre.jsonObject(.POST, "/api/v1/cobuilding/commitments/\(unitSide[0].id)/check", ["delivered": false]).status == .conflict)
            #expect(
                try await cadre.jsonObject(.POST, "/api/v1/cobuilding/commitments/\(unitSide[1].id)/check", ["delivered": false]).status == .noContent
            )
            #expect(
                try await cadre.jsonObject(.POST, "/api/v1/cobuilding/commitments/\(communitySide[0].id)/check", ["delivered": true]).status
                    == .noContent)
            #expect(
                try await cadre.jsonObject(
                    .POST, "/api/v1/cobuilding/points",
                    [
                        "service_unit_id": school.uuidString, "rule": "resource_opened",
                        "quantity": 3, "reason": "开放篮球场、会议室、食堂"
                    ]
                ).status == .created)
            #expect(
                try await cadre.jsonObject(
                    .POST, "/api/v1/cobuilding/points",
                    [
                        "service_unit_id": school.uuidString, "rule": "bonus",
                        "reason": "x"
                    ]
                ).status == .unprocessableEntity)
            #expect(
                try await cadre.jsonObject(
                    .POST, "/api/v1/cobuilding/points",
                    [
                        "service_unit_id": hospital.uuidString, "rule": "project_completed",
                        "reason": "义诊"
                    ]
                ).status == .created)
            file = try await cadre.get("/api/v1/cobuilding/units/\(school)").decode(UnitCoBuilding.self)
            // Every entry: the rule's points × quantity, its explanation, its reason; the total is their sum.
            #expect(file.points.map(\.rule_code).sorted() == ["commitment_delivered", "commitment_missed", "resource_opened"])
            // The explanations written out here from the published rules, not through the production rule.
            #expect(
                Dictionary(file.points.map { ($0.rule_code, $0.explanation) }, uniquingKeysWith: { a, _ in a })
                    == [
                        "commitment_delivered": "契约承诺兑现：20 分 × 1（每项承诺）= 20 分",
                        "commitment_missed": "契约承诺未兑现：-10 分 × 1（每项承诺）= -10 分",
                        "resource_opened": "向社区开放资源：10 分 × 3（每项资源）= 30 分"
                    ])
            #expect(file.points.map(\.quantity).sorted() == [1, 1, 3] && file.points.allSatisfy { !$0.reason.isEmpty })
            #expect(file.points.first { $0.rule_code == "resource_opened" }?.points == 30)
            // By hand from the published rules (公布的积分规则): one commitment delivered 20 × 1, one
            // missed −10 × 1, three resources opened 10 × 3.
            #expect(
                Dictionary(file.points.map { ($0.rule_code, $0.points) }, uniquingKeysWith: +)
                    == ["commitment_delivered": 20, "commitment_missed": -10, "resource_opened": 30])
            #expect(file.points.first { $0.rule_code == "resource_opened" }?.explanation == "向社区开放资源：10 分 × 3（每项资源）= 30 分")
            #expect(file.points_total == file.points.reduce(0) { $0 + $1.points } && file.points_total == 20 - 10 + 30)
            #expect(file.contracts[0].commitments.filter { $0.delivered != nil }.count == 3)
            #expect(try await cadre.get("/api/v1/cobuilding/units/\(hospital)").decode(UnitCoBuilding.self).points_total == 30)
            // A member's points: service hours, explained; the member sees their own.
            let resident = try await Self.staff(app, "resident")
            let mine = try await resident.jsonObject(.POST, "/api/v1/dual/registrations", ["service_unit_id": school.uuidString]).createdID()
            #expect(
                try await cadre.jsonObject(
                    .POST, "/api/v1/cobuilding/points",
                    [
                        "registration_id": mine.uuidString, "rule": "service_hour", "quantity": 5,
                        "reason": "五月楼道清洁"
                    ]
                ).status == .created)
            let points = try await resident.get("/api/v1/cobuilding/members/\(mine)/points").decode(MemberPoints.self)
            #expect(points.points.map(\.points) == [5] && points.points_total == 5 && points.points[0].explanation.contains("1 分 × 5"))
            // The points are append-only.
            await #expect(throws: (any Error).self) { try await world.sql.raw("UPDATE cobuild_points SET points = 1000").run() }
            let page = TestClient(app)
            _ = try await page.signInWeb("cadre")
            let html = try await page.get("/cobuilding/units/\(school)").body.string
            #expect(html.contains("合计 40 分") && html.contains("周末开放篮球场") && html.contains("已兑现"))
        }
    }

    @Test("the demo: the seed's organisations, members consistent with the register's party tag, points sums")
    func demo() async throws {
        try await withApp(demo: true, demoPeople: 0.02) { app in
            let sql = app.db.sql
            struct KB: Decodable { var kind: String; var basis: String; var n: Int }
            let rows = try await sql.raw("SELECT kind, basis, COUNT(*) AS n FROM organisations GROUP BY kind, basis").all(decoding: KB.self)
            func n(_ basis: String, party: Bool = true) -> Int {
                rows.filter { $0.basis == basis && (OrganisationKind(rawValue: $0.kind)?.isParty ?? false) == party }.reduce(0) { $0 + $1.n }
            }
            #expect(n("place") == 688 && n("trade") == 51 && n("interest") == 187)
            #expect(rows.first { $0.kind == "party_branch" && $0.basis == "organ" }?.n == 3)
            #expect(rows.first { $0.kind == "youth_league" }?.n == 8 && rows.first { $0.kind == "youth_centre" }?.n == 2)
            #expect(rows.filter { $0.kind == "alliance" }.reduce(0) { $0 + $1.n } == 2)
            struct Temp: Decodable { var name: String; var ends_on: String?; var closed_on: String? }
            let temps = try await sql.raw("SELECT name, ends_on, closed_on FROM organisations WHERE kind = 'temporary_branch' ORDER BY name").all(
                decoding: Temp.self)
            #expect(temps.count == 2 && temps.allSatisfy { $0.ends_on != nil })
            #expect(temps.first { $0.name.contains("电梯") }?.closed_on == nil && temps.first { $0.name.contains("疫情") }?.closed_on != nil)
            let today = CivilDate.today(now: TestClock.pinnedNow())
            // Every current member of a party organisation holds the register's party tag.
            let untagged = try await sql.raw(
                """
                SELECT COUNT(*) AS n FROM organisation_members m JOIN organisations o ON o.id = m.organisation_id
                WHERE o.sensitive = \(bind: true) AND (m.ends_on IS NULL OR m.ends_on > \(bind: today.iso8601))
                AND NOT EXISTS (
                    SELECT 1 FROM tag_assignments pa JOIN tags pt ON pt.id = pa.tag_id
                    WHERE pa.person_id = m.person_id AND pt.code = 'id.party_member' AND (pa.ends_on IS NULL OR pa.ends_on > \(bind: today.iso8601)))
                """
            ).first(decoding: N.self)!.n
            #expect(untagged == 0)
            let representatives = try await sql.raw(
                """
                SELECT COUNT(*) AS n FROM organisation_members m JOIN organisations o ON o.id = m.organisation_id WHERE o.kind = 'womens_council'
                """
            ).first(decoding: N.self)!.n
            #expect(representatives == Int((318 * 0.02).rounded()))
            let root = try #require(try await GridQueries.node(code: DemoData.subdistrictCode, on: app.db))
            let figures = try await OrganisationsQueries.figures(
                in: GridQueries.scope(rootedAt: root),
                today: today, on: app.db)
            #expect(figures.households_showing_identity == Int((4_600 * 0.02).rounded()))
            #expect(figures.micro_grids_covered == 127 && figures.micro_grids == 127 && figures.dual_registered > 0)
            #expect(figures.building_group_leaders == Int((1_436 * 0.02).rounded()))
            // Points totals are sums of their entries, and every entry matches its rule.
            struct P: Decodable { var rule_code: String; var quantity: Int; var points: Int }
            // The published rules' points per unit, written out here rather than taken from the code that awards them.
            let perUnit = ["resource_opened": 10, "commitment_delivered": 20, "commitment_missed": -10, "project_completed": 30, "service_hour": 1]
            let entries = try await sql.raw("SELECT rule_code, quantity, points FROM cobuild_points").all(decoding: P.self)
            #expect(!entries.isEmpty)
            for p in entries {
                #expect(p.points == perUnit[p.rule_code].map { $0 * p.quantity }, "\(p.rule_code) × \(p.quantity)")
            }
            // Staff development: a year of sessions (24 of the subdistrict, 4 per area, 2 ahead), attendance only for those held,
            // the status and the old flag agree, rotations within their rules.
            struct Count: Decodable { var n: Int }
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM staff_trainings").first(decoding: Count.self)!.n == 24 + 4 * 20 + 2)
            #expect(
                try await sql.raw(
                    """
                    SELECT COUNT(*) AS n FROM training_attendance a JOIN staff_trainings t ON t.id = a.training_id WHERE t.held_on >= \(bind: today.iso8601)
                    """
                ).first(decoding: Count.self)!.n == 0)
            #expect(
                try await sql.raw("SELECT COUNT(*) AS n FROM training_attendance WHERE (status = 'present') <> attended").first(decoding: Count.self)!
                    .n == 0)
            let staffRoot = try #require(try await GridQueries.node(code: DemoData.subdistrictCode, on: app.db))
            let staffActor = Actor(
                accountID: UUID(), username: "demo-check", displayName: "", role: .subdistrictStaff, subdistrictID: staffRoot.id,
                scope: GridQueries.scope(rootedAt: staffRoot), sessionID: UUID(), via: "api", csrfToken: "", mustChangePassword: false)
            let report = try await StaffDevelopmentQueries.cadreAttendance(for: staffActor, from: try today.adding(days: -400), to: today, on: app.db)
            #expect(report.cadres.count > 2 && report.cadres.allSatisfy { ($0.rate_percent ?? 0) <= 100 })
            let overall =
                AttendanceRate(
                    present: report.cadres.reduce(0) { $0 + $1.present }, absent: report.cadres.reduce(0) { $0 + $1.absent },
                    excused: report.cadres.reduce(0) { $0 + $1.excused }
                ).percent ?? 0
            #expect(overall >= 75 && overall <= 95, "mostly present: \(overall) %")
            let rotations = try await StaffDevelopmentQueries.rotations(for: staffActor, current: nil, limit: 100, offset: 0, on: app.db)
            #expect(
                !rotations.isEmpty && rotations.allSatisfy { $0.ends_on > $0.starts_on && ($0.from_code != $0.to_code || $0.from_unit_name != nil) })
        }
    }

    @Test("a member's household on the member rows follows the register (added, person moved), and the figure counts it")
    func memberHouseholds() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            let sql = app.db.sql
            struct N: Decodable { var n: Int }
            func mismatches() async throws -> Int {
                try await sql.raw(
                    """
                    SELECT COUNT(*) AS n FROM organisation_members m JOIN persons p ON p.id = m.person_id
                    WHERE m.household_id IS NULL OR m.household_id <> p.household_id
                    """
                ).first(decoding: N.self)!.n
            }
            let today = CivilDate.today(now: TestClock.pinnedNow())
            let root = try #require(try await GridQueries.node(code: DemoData.subdistrictCode, on: app.db))
            /// Member households showing identity, counted through the persons.
            func recount() async throws -> Int {
                try await sql.raw(
                    """
                    SELECT COUNT(DISTINCT p.household_id) AS n FROM organisation_members m JOIN organisations o ON o.id = m.organisation_id
                    JOIN persons p ON p.id = m.person_id
                    WHERE o.sensitive = \(bind: true) AND o.closed_on IS NULL AND (o.ends_on IS NULL OR o.ends_on > \(bind: today.iso8601))
                      AND (m.ends_on IS NULL OR m.ends_on > \(bind: today.iso8601)) AND m.shows_identity = \(bind: true)
                    """
                ).first(decoding: N.self)!.n
            }
            func figure() async throws -> Int {
                try await OrganisationsQueries.figures(in: GridQueries.scope(rootedAt: root), today: today, coverage: false, on: app.db)
                    .households_showing_identity
            }
            #expect(try await recount() > 1)
            #expect(try await mismatches() == 0)
            #expect(try await figure() == recount())

            // Two members showing identity move into one household: one household fewer.
            struct Member: Decodable { var person_id: UUID; var household_id: UUID }
            let two = try await sql.raw(
                """
                SELECT m.person_id, p.household_id FROM organisation_members m JOIN organisations o ON o.id = m.organisation_id
                JOIN persons p ON p.id = m.person_id
                WHERE o.sensitive = \(bind: true) AND o.closed_on IS NULL AND m.ends_on IS NULL AND m.shows_identity = \(bind: true)
                ORDER BY p.household_id LIMIT 40
                """
            ).all(decoding: Member.self)
            let first = try #require(two.first), other = try #require(two.first { $0.household_id != first.household_id })
            let before = try await recount()
            try await sql.raw("UPDATE persons SET household_id = \(bind: first.household_id) WHERE household_id = \(bind: other.household_id)").run()
            #expect(try await mismatches() == 0)
            #expect(try await recount() == before - 1)
            #expect(try await figure() == recount())
        }
    }
}
