import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// Staff development (item 6), re-election (换届), the owners' committees' party-member share and
/// the paged organisations page, over HTTP on a real database.
@Suite("Organisations: staff development, re-election, committee shares, paging")
struct OrganisationsStaffTests {
    struct ID: Decodable { var id: UUID }

    /// A cadre account (grid worker) at `code`, for attendance and rotations; returns its id.
    static func cadreAccount(_ sql: any SQLDatabase, _ username: String, at code: String) async throws -> UUID {
        struct Node: Decodable { var id: UUID; var subdistrict_id: UUID? }
        let node = try await sql.raw("SELECT id, subdistrict_id FROM grid_nodes WHERE code = \(bind: code)").first(decoding: Node.self)!
        let id = UUID()
        try await sql.raw(
            """
            INSERT INTO accounts (id, subdistrict_id, username, display_name, role, grid_node_id, password_hash, must_change_password, disabled)
            VALUES (\(bind: id), \(bind: node.subdistrict_id), \(bind: username), \(bind: "干部\(username)"), 'grid_worker', \(bind: node.id), 'x',
                    \(bind: false), \(bind: false))
            """
        ).run()
        return id
    }

    static func accountID(_ sql: any SQLDatabase, _ username: String) async throws -> UUID {
        try await sql.raw("SELECT id FROM accounts WHERE username = \(bind: username)").first(decoding: ID.self)!.id
    }

    static func fields(_ response: TestingHTTPResponse) -> Set<String> {
        struct Body: Decodable { struct E: Decodable { struct F: Decodable { var field: String }; var fields: [F]? }; var error: E }
        return Set((try? JSONDecoder().decode(Body.self, from: Data(buffer: response.body)))?.error.fields?.map(\.field) ?? [])
    }

    @Test(
        "training sessions: bad input names the field; attendance per cadre in scope, re-recorded; rates per session and per cadre; scope refused",
        arguments: TestClock.testDays)
    func trainings(day: Date) async throws {
        let clock = TestClock(day)
        try await withApp(demo: true, now: { clock.now }) { app in
            let sql = app.db.sql
            let staff = try await OrganisationsTests.staff(app, "staff")
            let cadre = try await OrganisationsTests.staff(app, "cadre")
            let cadre2 = try await OrganisationsTests.staff(app, "cadre2")
            let grid = try await OrganisationsTests.staff(app, "gridworker")
            let today = CivilDate.today(now: clock.now)
            let lastWeek = try today.adding(days: -7).iso8601
            // Bad input: every field named.
            let bad = try await staff.jsonObject(
                .POST, "/api/v1/staff/trainings", ["title": " ", "held_on": "2026-02-30", "minutes": 5, "node": "999"])
            #expect(bad.status == .unprocessableEntity)
            #expect(Self.fields(bad) == ["title", "held_on", "minutes", "node"])
            let missing = try await staff.jsonObject(.POST, "/api/v1/staff/trainings", ["title": "x"])
            #expect(Self.fields(missing) == ["held_on", "minutes"])
            #expect(
                try await staff.jsonObject(.POST, "/api/v1/staff/trainings", ["title": "x", "held_on": "2010-01-01", "minutes": 60]).status
                    == .unprocessableEntity)
            // Scope: an area cadre organises in their own area only; a grid worker not at all.
            let far = try await cadre.jsonObject(
                .POST, "/api/v1/staff/trainings", ["title": "汾西培训", "held_on": lastWeek, "minutes": 90, "node": "310106019-1-02"])
            #expect(far.status == .unprocessableEntity && Self.fields(far) == ["node"])
            #expect(
                try await grid.jsonObject(.POST, "/api/v1/staff/trainings", ["title": "x", "held_on": lastWeek, "minutes": 60]).status == .forbidden)
            #expect(try await OrganisationsTests.staff(app, "resident").get("/api/v1/staff/trainings").status == .forbidden)

            let gw2 = try await Self.cadreAccount(sql, "gw2", at: "310106019-1-01-2")
            let ids = (
                cadre: try await Self.accountID(sql, "cadre"), cadre2: try await Self.accountID(sql, "cadre2"),
                grid: try await Self.accountID(sql, "gridworker")
            )
            let subdistrict = try await staff.jsonObject(
                .POST, "/api/v1/staff/trainings",
                [
                    "title": "基层党建专题培训", "held_on": lastWeek, "minutes": 180,
                    "place": "街道党群服务中心"
                ]
            ).createdID()
            var recorded = try await staff.jsonObject(
                .POST, "/api/v1/staff/trainings/\(subdistrict)/attendance",
                [
                    "records": [
                        ["account_id": ids.cadre.uuidString, "status": "present"], ["username": "cadre2", "status": "excused"],
                        ["account_id": ids.grid.uuidString, "status": "absent"], ["account_id": gw2.uuidString, "status": "present"]
                    ]
                ])
            #expect(recorded.status == .ok)
            var row = try recorded.decode(AttendanceRecorded.self).training
            #expect(row.present == 2 && row.absent == 1 && row.excused == 1 && row.rate_percent == 50)
            // The grid worker came after all: the last word counts, one row per cadre.
            recorded = try await staff.jsonObject(
                .POST, "/api/v1/staff/trainings/\(subdistrict)/attendance",
                ["records": [["account_id": ids.grid.uuidString, "status": "present"]]])
            row = try recorded.decode(AttendanceRecorded.self).training
            #expect(row.present == 3 && row.absent == 0 && row.excused == 1 && row.rate_percent == 75)
            struct N: Decodable { var n: Int }
            #expect(
                try await sql.raw("SELECT COUNT(*) AS n FROM training_attendance WHERE training_id = \(bind: subdistrict)").first(decoding: N.self)!.n
                    == 4)
            // Bad attendance: unknown status, a cadre named twice, nobody, an account that is not a cadre; nothing is written.
            let wrong = try await staff.jsonObject(
                .POST, "/api/v1/staff/trainings/\(subdistrict)/attendance",
                [
                    "records": [
                        ["account_id": ids.cadre.uuidString, "status": "late"], ["account_id": ids.cadre2.uuidString, "status": "absent"],
                        ["account_id": ids.cadre2.uuidString, "status": "absent"], ["username": "resident", "status": "present"]
                    ]
                ])
            #expect(wrong.status == .unprocessableEntity)
            #expect(Self.fields(wrong) == ["records[0].status", "records[2].account_id", "records[3].account_id"])
            #expect(
                try await staff.jsonObject(.POST, "/api/v1/staff/trainings/\(subdistrict)/attendance", ["records": []]).status == .unprocessableEntity
            )
            #expect(try await staff.get("/api/v1/staff/trainings/\(subdistrict)").decode(TrainingDetail.self).training.rate_percent == 75)

            // The area cadre's own session: cadre2 lies outside the area (refused); the subdistrict's session is not theirs to record.
            let area = try await cadre.jsonObject(.POST, "/api/v1/staff/trainings", ["title": "网格员业务培训", "held_on": lastWeek, "minutes": 90])
                .createdID()
            let outside = try await cadre.jsonObject(
                .POST, "/api/v1/staff/trainings/\(area)/attendance",
                ["records": [["account_id": ids.cadre2.uuidString, "status": "present"]]])
            #expect(outside.status == .unprocessableEntity && Self.fields(outside) == ["records[0].account_id"])
            _ = try await cadre.jsonObject(
                .POST, "/api/v1/staff/trainings/\(area)/attendance",
                [
                    "records": [
                        ["account_id": ids.grid.uuidString, "status": "present"], ["account_id": gw2.uuidString, "status": "absent"]
                    ]
                ])
            #expect(
                try await cadre.jsonObject(
                    .POST, "/api/v1/staff/trainings/\(subdistrict)/attendance",
                    ["records": [["account_id": ids.grid.uuidString, "status": "present"]]]
                ).status == .notFound)
            let other = try await cadre2.jsonObject(.POST, "/api/v1/staff/trainings", ["title": "汾西居民区培训", "held_on": lastWeek, "minutes": 60])
                .createdID()
            // A session ahead cannot have attendance yet.
            let ahead = try await staff.jsonObject(
                .POST, "/api/v1/staff/trainings",
                [
                    "title": "下月培训", "held_on": try today.adding(days: 20).iso8601,
                    "minutes": 60
                ]
            ).createdID()
            #expect(
                try await staff.jsonObject(
                    .POST, "/api/v1/staff/trainings/\(ahead)/attendance",
                    ["records": [["account_id": ids.cadre.uuidString, "status": "present"]]]
                ).status == .conflict)

            // What each sees: the grid worker the two sessions they attended, not cadre2's; names only in scope.
            #expect(Set(try await grid.get("/api/v1/staff/trainings").decode([TrainingRow].self).map(\.id)) == [subdistrict, area])
            #expect(try await grid.get("/api/v1/staff/trainings/\(other)").status == .notFound)
            let seen = try await cadre.get("/api/v1/staff/trainings/\(subdistrict)").decode(TrainingDetail.self)
            #expect(Set(seen.attendance.map(\.username)) == ["cadre", "gridworker", "gw2"], "cadre2 lies outside the area cadre's scope")
            #expect(seen.training.present == 3 && seen.training.excused == 1, "the figures count everyone")
            #expect(try await staff.get("/api/v1/staff/trainings/\(subdistrict)").decode(TrainingDetail.self).attendance.count == 4)

            // Rates per cadre since last week (early in January that is last year): sums of their rows, in scope only.
            let report = try await staff.get("/api/v1/staff/attendance?from=\(lastWeek)").decode(CadreAttendanceReport.self)
            let byName = Dictionary(uniqueKeysWithValues: report.cadres.map { ($0.username, $0) })
            #expect(byName["gridworker"]?.present == 2 && byName["gridworker"]?.rate_percent == 100)
            #expect(byName["gw2"]?.present == 1 && byName["gw2"]?.absent == 1 && byName["gw2"]?.rate_percent == 50)
            #expect(byName["cadre2"]?.excused == 1 && byName["cadre2"]?.rate_percent == 0)
            #expect(byName["staff"] == nil, "nobody recorded staff")
            let areaReport = try await cadre.get("/api/v1/staff/attendance?from=\(lastWeek)").decode(CadreAttendanceReport.self)
            #expect(Set(areaReport.cadres.map(\.username)) == ["cadre", "gridworker", "gw2"])
            #expect(
                try await grid.get("/api/v1/staff/attendance?from=\(lastWeek)").decode(CadreAttendanceReport.self).cadres.map(\.username) == [
                    "gridworker"
                ])
            #expect(try await staff.get("/api/v1/staff/attendance?from=2026-13-01").status == .unprocessableEntity)
            // Audited.
            #expect(
                try await sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'staff_training.attendance_recorded'").first(decoding: N.self)!
                    .n == 3)
        }
    }

    @Test("rotations (挂职): in scope, checked, no overlap, seen by those whose scope they touch")
    func rotations() async throws {
        try await withApp(demo: true) { app in
            let sql = app.db.sql
            let staff = try await OrganisationsTests.staff(app, "staff")
            let cadre = try await OrganisationsTests.staff(app, "cadre")
            let cadre2 = try await OrganisationsTests.staff(app, "cadre2")
            let (school, _) = try await OrganisationsTests.units(try await VisitWorld.make(app))
            let today = CivilDate.today(now: TestClock.pinnedNow())
            let starts = try today.adding(days: -30).iso8601, ends = try today.adding(days: 335).iso8601
            let bad = try await staff.jsonObject(
                .POST, "/api/v1/staff/rotations",
                [
                    "username": "gridworker", "to_node": "310106019-1-02", "post": "",
                    "starts_on": starts, "ends_on": starts
                ])
            #expect(bad.status == .unprocessableEntity && Self.fields(bad) == ["post", "purpose", "ends_on"])
            let nobody = try await staff.jsonObject(
                .POST, "/api/v1/staff/rotations", ["username": "resident", "post": "x", "purpose": "y", "ends_on": ends])
            #expect(Self.fields(nobody) == ["account_id", "to_node"])
            let long = try await staff.jsonObject(
                .POST, "/api/v1/staff/rotations",
                [
                    "username": "gridworker", "to_node": "310106019-1-02", "post": "x",
                    "purpose": "y", "starts_on": starts, "ends_on": "2031-01-01"
                ])
            #expect(Self.fields(long) == ["ends_on"])
            let id = try await staff.jsonObject(
                .POST, "/api/v1/staff/rotations",
                [
                    "username": "gridworker", "to_node": "310106019-1-02", "post": "汾西居民区党总支副书记（挂职）", "purpose": "跨居民区交流，学习加装电梯经验",
                    "starts_on": starts, "ends_on": ends
                ]
            ).createdID()
            #expect(
                try await staff.jsonObject(
                    .POST, "/api/v1/staff/rotations",
                    [
                        "username": "gridworker", "to_node": "310106019-1-02", "post": "x",
                        "purpose": "y", "starts_on": ends, "ends_on": try today.adding(days: 400).iso8601
                    ]
                )
                .status == .conflict)
            // From a unit (驻区单位) to the area: cadre2 comes to the subdistrict's party office.
            let unitID = try await staff.jsonObject(
                .POST, "/api/v1/staff/rotations",
                [
                    "username": "cadre2", "from_unit_id": school.uuidString, "to_node": "310106019", "post": "街道党建办科员（挂职）", "purpose": "机关与基层双向交流",
                    "starts_on": starts, "ends_on": ends
                ]
            ).createdID()
            // An area cadre may not rotate someone outside their area, nor to a node outside it.
            let refused = try await cadre.jsonObject(
                .POST, "/api/v1/staff/rotations",
                [
                    "username": "cadre2", "to_node": "310106019-1-01", "post": "x",
                    "purpose": "y", "ends_on": ends
                ])
            #expect(refused.status == .unprocessableEntity && Self.fields(refused) == ["account_id"])
            let away = try await cadre.jsonObject(
                .POST, "/api/v1/staff/rotations",
                [
                    "username": "gridworker", "to_node": "310106019-1-02", "post": "x",
                    "purpose": "y", "ends_on": ends
                ])
            #expect(Self.fields(away) == ["to_node"])
            // A grid worker of area 2 goes to the subdistrict: nothing of it lies in area 1.
            _ = try await Self.cadreAccount(sql, "gw_far", at: "310106019-1-02-1")
            let farID = try await staff.jsonObject(
                .POST, "/api/v1/staff/rotations",
                [
                    "username": "gw_far", "to_node": "310106019", "post": "街道网格中心",
                    "purpose": "跟班学习", "starts_on": starts, "ends_on": ends
                ]
            ).createdID()
            // Who sees which: the grid worker's rotation touches both areas; cadre2's the unit's area (1), area 2 and the subdistrict.
            #expect(Set(try await staff.get("/api/v1/staff/rotations").decode([RotationRow].self).map(\.id)) == [id, unitID, farID])
            #expect(Set(try await cadre.get("/api/v1/staff/rotations").decode([RotationRow].self).map(\.id)) == [id, unitID])
            let seen2 = try await cadre2.get("/api/v1/staff/rotations").decode([RotationRow].self)
            #expect(Set(seen2.map(\.id)) == [id, unitID, farID])
            #expect(seen2.first { $0.id == unitID }?.from_unit_name == "临汾路小学" && seen2.first { $0.id == id }?.purpose == "跨居民区交流，学习加装电梯经验")
            #expect(try await OrganisationsTests.staff(app, "gridworker").get("/api/v1/staff/rotations").decode([RotationRow].self).map(\.id) == [id])
            struct N: Decodable { var n: Int }
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'staff_rotation.created'").first(decoding: N.self)!.n == 3)
        }
    }

    @Test("the staff pages: forms with CSRF, field-named errors in Chinese and English, attendance per cadre, rates")
    func pages() async throws {
        try await withApp(demo: true) { app in
            let web = TestClient(app)
            #expect(try await web.signInWeb("cadre").status == .seeOther)
            var page = try await web.get("/staff")
            #expect(page.status == .ok && page.body.string.contains("training-create") && page.body.string.contains("rotation-create"))
            let csrf = try #require(TestClient.csrf(in: page.body.string))
            let lastWeek = try CivilDate.today(now: TestClock.pinnedNow()).adding(days: -7).iso8601
            // Without the token: refused.
            #expect(try await web.form("/staff/trainings", ["title": "x", "held_on": lastWeek, "minutes": "60"]).status == .forbidden)
            var bad = try await web.form("/staff/trainings", ["title": "", "held_on": lastWeek, "minutes": "五十", "csrf": csrf])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("error-minutes") && bad.body.string.contains("时长须为整数分钟"))
            bad = try await web.form("/staff/trainings", ["title": "", "held_on": lastWeek, "minutes": "5", "csrf": csrf])
            #expect(bad.body.string.contains("error-title") && bad.body.string.contains("请填写培训主题") && bad.body.string.contains("error-minutes"))
            web.cookies["minqing_lang"] = "en"
            bad = try await web.form("/staff/trainings", ["title": "", "held_on": lastWeek, "minutes": "5", "csrf": csrf])
            #expect(bad.body.string.contains("Please fill in the title") && bad.body.string.contains("The length must be between 15 and 2400"))
            web.cookies["minqing_lang"] = "zh"
            let created = try await web.form(
                "/staff/trainings",
                [
                    "title": "楼组长工作方法", "held_on": lastWeek, "minutes": "90", "place": "居民区活动室",
                    "csrf": csrf
                ])
            #expect(created.status == .seeOther)
            let location = try #require(created.headers.first(name: .location))
            page = try await web.get(location)
            #expect(page.body.string.contains("培训已建立") && page.body.string.contains("attendance-form") && page.body.string.contains("1.5 学时"))
            let grid = try await Self.accountID(app.db.sql, "gridworker"), me = try await Self.accountID(app.db.sql, "cadre")
            let path = String(location.prefix { $0 != "?" })
            let saved = try await web.form(
                "\(path)/attendance", ["status[\(grid.uuidString)]": "present", "status[\(me.uuidString)]": "excused", "csrf": csrf])
            #expect(saved.status == .seeOther)
            page = try await web.get("\(path)?done=attendance")
            let html = page.body.string
            #expect(html.contains("出勤已登记") && html.contains("出勤率 50%") && html.contains("status-\(grid.uuidString)-present\" checked"))
            #expect(try await web.form("\(path)/attendance", ["csrf": csrf]).body.string.contains("error-records"))
            let rates = try await web.get("/staff/attendance").body.string
            #expect(rates.contains("cadre-gridworker") && rates.contains("100%"))
            // A rotation through the form; an error keeps what was typed.
            let badRotation = try await web.form(
                "/staff/rotations",
                [
                    "account_id": grid.uuidString, "to_node": "310106019-1-01", "post": "居民区书记助理",
                    "purpose": "", "ends_on": "", "csrf": csrf
                ])
            #expect(
                badRotation.status == .unprocessableEntity && badRotation.body.string.contains("error-purpose")
                    && badRotation.body.string.contains("error-ends_on") && badRotation.body.string.contains("居民区书记助理"))
            let rotation = try await web.form(
                "/staff/rotations",
                [
                    "account_id": grid.uuidString, "to_node": "310106019-1-01", "post": "居民区书记助理",
                    "purpose": "培养后备干部", "ends_on": try CivilDate.today(now: TestClock.pinnedNow()).adding(days: 180).iso8601, "csrf": csrf
                ])
            #expect(rotation.status == .seeOther)
            #expect(try await web.get("/staff?done=rotation").body.string.contains("培养后备干部"))
            // A grid worker reads, without forms.
            let gw = TestClient(app)
            _ = try await gw.signInWeb("gridworker")
            let theirs = try await gw.get("/staff").body.string
            #expect(theirs.contains("楼组长工作方法") && !theirs.contains("training-create"))
            let detail = try await gw.get(path).body.string
            #expect(detail.contains("training-rate") && !detail.contains("attendance-form"))
        }
    }

    @Test("换届: the term closes, the next opens with the same length, roles change by new rows and the old ones stay")
    func reElection() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let cadre = world.cadre
            let today = CivilDate.today(now: TestClock.pinnedNow())
            let founded = try today.adding(days: -1000)
            let committee = try await cadre.jsonObject(
                .POST, "/api/v1/organisations", ["name": "临汾居民区党委", "kind": "party_committee", "node": OrganisationsTests.area]
            ).createdID()
            let branch = try await cadre.jsonObject(
                .POST, "/api/v1/organisations",
                [
                    "name": "第一微网格党支部", "kind": "party_branch", "node": OrganisationsTests.microGrid,
                    "parent_id": committee.uuidString, "starts_on": founded.iso8601
                ]
            ).createdID()
            var people: [UUID] = []
            var members: [UUID] = []
            for (n, role) in ["secretary", "committee_member", "member", "member"].enumerated() {
                let person = try await world.household(10 + n, born: "19700101").person
                people.append(person)
                members.append(
                    try await cadre.jsonObject(
                        .POST, "/api/v1/organisations/\(branch)/members",
                        [
                            "person_id": person.uuidString, "role": role,
                            "starts_on": founded.iso8601
                        ]
                    ).createdID())
            }
            let before = try await cadre.get("/api/v1/organisations/\(branch)").decode(OrganisationDetail.self)
            #expect(before.terms.isEmpty)
            // By hand: founded Thursday 2024-02-22 (the pinned 2026-11-18 less 1000 days); a branch
            // committee serves three years (党支部委员会每届任期三年), so the term ends the day
            // before 2027-02-22.
            #expect(founded.iso8601 == "2024-02-22" && before.organisation.term_ends_on == "2027-02-21")
            // Bad input: the field is named; nothing changes.
            let bad = try await cadre.jsonObject(
                .POST, "/api/v1/organisations/\(branch)/terms",
                [
                    "elected_on": try today.adding(days: 1).iso8601,
                    "roles": [["member_id": members[2].uuidString, "role": "king"], ["member_id": UUID().uuidString, "role": "member"]]
                ])
            #expect(bad.status == .unprocessableEntity && Self.fields(bad) == ["elected_on", "roles[0].role", "roles[1].member_id"])
            let early = try await cadre.jsonObject(
                .POST, "/api/v1/organisations/\(branch)/terms", ["elected_on": try founded.adding(days: -1).iso8601])
            #expect(Self.fields(early) == ["elected_on"])
            #expect(
                try await OrganisationsTests.staff(app, "gridworker").jsonObject(.POST, "/api/v1/organisations/\(branch)/terms", [:]).status
                    == .forbidden)
            #expect(
                try await OrganisationsTests.staff(app, "cadre2").jsonObject(.POST, "/api/v1/organisations/\(branch)/terms", [:]).status == .notFound)
            let lift = try await cadre.jsonObject(
                .POST, "/api/v1/organisations",
                [
                    "name": "加装电梯临时党支部", "kind": "temporary_branch", "node": OrganisationsTests.area,
                    "parent_id": committee.uuidString, "purpose": "加装电梯",
                    "ends_on": try today.adding(days: 30).iso8601
                ]
            ).createdID()
            #expect(Self.fields(try await cadre.jsonObject(.POST, "/api/v1/organisations/\(lift)/terms", [:])) == ["kind"])

            // The election: the third person becomes secretary; the old secretary and committee member were not confirmed.
            let elected = try today.adding(days: -2)
            let response = try await cadre.jsonObject(
                .POST, "/api/v1/organisations/\(branch)/terms",
                [
                    "elected_on": elected.iso8601, "reason": "支部委员会换届选举", "roles": [["member_id": members[2].uuidString, "role": "secretary"]]
                ])
            #expect(response.status == .ok)
            let after = try response.decode(OrganisationDetail.self)
            // By hand, not through the production term rule: elected Monday 2026-11-16 (two days
            // before the pinned day); three years on is 2029-11-16, so the new term ends the day
            // before, 2029-11-15 (three years less a day, as the first term).
            #expect(elected.iso8601 == "2026-11-16")
            let newEnd = "2029-11-15"
            #expect(after.organisation.term_ends_on == newEnd)
            #expect(after.terms.map(\.seq) == [1, 2])
            #expect(
                after.terms[0].starts_on == founded.iso8601 && after.terms[0].closed_on == elected.iso8601
                    && after.terms[0].ends_on == "2027-02-21")
            #expect(after.terms[1].starts_on == elected.iso8601 && after.terms[1].ends_on == newEnd && after.terms[1].closed_on == nil)
            #expect(OrganisationKind.partyBranch.termYears == 3)
            #expect(after.history.last?.action == "new_term" && after.history.last?.reason == "支部委员会换届选举")
            let current = try await cadre.get("/api/v1/organisations/\(branch)/members").decode([MemberRow].self)
            #expect(
                Dictionary(uniqueKeysWithValues: current.map { ($0.person_id, $0.role) })
                    == [people[0]: .member, people[1]: .member, people[2]: .secretary, people[3]: .member])
            let all = try await cadre.get("/api/v1/organisations/\(branch)/members?ended=true").decode([MemberRow].self)
            #expect(all.count == 7, "three roles changed: three old rows ended, three new rows; the fourth member's row continues")
            let ended = all.filter { $0.ends_on != nil }
            #expect(Set(ended.map(\.id)) == [members[0], members[1], members[2]] && ended.allSatisfy { $0.ends_on == elected.iso8601 })
            #expect(Set(ended.map(\.role)) == [.secretary, .committeeMember, .member])
            #expect(all.first { $0.id == members[3] }?.ends_on == nil)
            #expect(after.organisation.members == 4)
            // A second election on or before the new term's start is refused; a later one opens term 3.
            #expect(
                Self.fields(try await cadre.jsonObject(.POST, "/api/v1/organisations/\(branch)/terms", ["elected_on": elected.iso8601])) == [
                    "elected_on"
                ])
            let third = try await cadre.jsonObject(.POST, "/api/v1/organisations/\(branch)/terms", [:]).decode(OrganisationDetail.self)
            #expect(third.terms.map(\.seq) == [1, 2, 3] && third.terms[1].closed_on == today.iso8601)
            // The page shows the terms and the form.
            let web = TestClient(app)
            _ = try await web.signInWeb("cadre")
            let html = try await web.get("/organisations/\(branch)").body.string
            #expect(html.contains("org-term") && html.contains("第 3 届") && html.contains("换届"))
            let csrf = try #require(TestClient.csrf(in: html))
            let refused = try await web.form("/organisations/\(branch)/terms", ["elected_on": today.iso8601, "csrf": csrf])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("error-elected_on"))
            // Closed organisations have no more elections.
            _ = try await cadre.jsonObject(.POST, "/api/v1/organisations/\(branch)/changes", ["action": "close", "reason": "合并"])
            #expect(try await cadre.jsonObject(.POST, "/api/v1/organisations/\(branch)/terms", [:]).status == .conflict)
        }
    }

    @Test("item 7: each owners' committee's party-member share on the figures, only for roles that see sensitive tags")
    func committeeShares() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let sql = world.sql
            let cadre = world.cadre
            struct Node: Decodable { var id: UUID; var subdistrict_id: UUID? }
            let area = try await sql.raw("SELECT id, subdistrict_id FROM grid_nodes WHERE code = \(bind: OrganisationsTests.area)").first(
                decoding: Node.self)!
            let far = try await sql.raw("SELECT id, subdistrict_id FROM grid_nodes WHERE code = '310106019-1-02'").first(decoding: Node.self)!
            var committees: [UUID] = []
            for (n, node) in [area, area, far].enumerated() {
                let compound = UUID(), committee = UUID()
                try await sql.raw(
                    """
                    INSERT INTO compounds (id, subdistrict_id, grid_node_id, code, name, compound_type, address)
                    VALUES (\(bind: compound), \(bind: node.subdistrict_id), \(bind: node.id), \(bind: "C-T\(n)"), \(bind: "测试小区\(n)"), 'commodity_housing', '临汾路')
                    """
                ).run()
                try await sql.raw(
                    """
                    INSERT INTO owners_committees (id, subdistrict_id, compound_id, elected_on, term_ends_on, status)
                    VALUES (\(bind: committee), \(bind: node.subdistrict_id), \(bind: compound), '2024-01-01', '2028-12-31', 'active')
                    """
                ).run()
                committees.append(committee)
            }
            // Committee 0: 2 of 3 party members (67 %, meets); committee 1: 1 of 3 (33 %); committee 2 lies in area 2.
            let committee = try await cadre.jsonObject(
                .POST, "/api/v1/organisations", ["name": "临汾居民区党委", "kind": "party_committee", "node": OrganisationsTests.area]
            ).createdID()
            for (n, (index, party)) in [(0, true), (0, true), (0, false), (1, true), (1, false), (1, false), (2, true)].enumerated() {
                let person = try await world.household(30 + n, born: "19700101").person
                if party {
                    _ = try await cadre.jsonObject(.POST, "/api/v1/organisations/\(committee)/members", ["person_id": person.uuidString]).createdID()
                }
                try await sql.raw(
                    """
                    INSERT INTO committee_members (id, committee_id, person_id, role, term_starts_on, term_ends_on)
                    VALUES (\(bind: UUID()), \(bind: committees[index]), \(bind: person), 'member', '2024-01-01', '2028-12-31')
                    """
                ).run()
            }
            let figures = try await cadre.get("/api/v1/organisations/figures").decode(OrganisationFigures.self)
            let shares = try #require(figures.owners_committees)
            #expect(shares.committees == 2 && shares.meeting_target == 1 && shares.members == 6 && shares.party_members == 3)
            #expect(shares.rows.map(\.committee_id) == [committees[0], committees[1]])
            #expect(shares.rows.map(\.percent) == [67, 33] && shares.rows.map(\.meets_target) == [true, false] && shares.rows[0].target_percent == 50)
            let staffShares = try #require(
                try await OrganisationsTests.staff(app, "staff").get("/api/v1/organisations/figures").decode(OrganisationFigures.self)
                    .owners_committees)
            #expect(staffShares.committees == 3 && staffShares.rows.count == 3)
            // Narrowed to a node: area 2's committee only.
            let narrowed = try await OrganisationsTests.staff(app, "staff").get("/api/v1/organisations/figures?node=310106019-1-02").decode(
                OrganisationFigures.self)
            #expect(narrowed.owners_committees?.rows.map(\.committee_id) == [committees[2]])
            // A grid worker gets the figures without the share: not in the JSON, not on the page.
            let grid = try await OrganisationsTests.staff(app, "gridworker")
            let gridFigures = try await grid.get("/api/v1/organisations/figures")
            #expect(gridFigures.status == .ok && !gridFigures.body.string.contains("owners_committees"))
            #expect(try gridFigures.decode(OrganisationFigures.self).owners_committees == nil)
            let web = TestClient(app)
            _ = try await web.signInWeb("gridworker")
            let page = try await web.get("/organisations").body.string
            #expect(!page.contains("committee-shares") && !page.contains("committee-summary"))
            let cadreWeb = TestClient(app)
            _ = try await cadreWeb.signInWeb("cadre")
            let cadrePage = try await cadreWeb.get("/organisations").body.string
            #expect(
                cadrePage.contains("committee-shares") && cadrePage.contains("测试小区0") && cadrePage.contains("67%") && !cadrePage.contains("测试小区2"))
        }
    }

    @Test("the organisations page pages through every organisation, keeping the kind and open filters in its links")
    func paging() async throws {
        try await withApp(demo: true) { app in
            let sql = app.db.sql
            struct Node: Decodable { var id: UUID; var subdistrict_id: UUID? }
            let node = try await sql.raw("SELECT id, subdistrict_id FROM grid_nodes WHERE code = \(bind: OrganisationsTests.microGrid)").first(
                decoding: Node.self)!
            var rows = BulkInserter(
                table: "organisations",
                columns: [
                    "id", "subdistrict_id", "grid_node_id", "name", "kind", "basis", "sensitive", "purpose",
                    "starts_on", "closed_on"
                ])
            for n in 0..<123 {
                rows.append([
                    SQLBind(UUID()), SQLBind(node.subdistrict_id), SQLBind(node.id), SQLBind(String(format: "青春社区%03d", n)), SQLBind("youth_league"),
                    SQLBind("place"), SQLBind(false), SQLBind(""), SQLBind("2024-01-01"), n < 3 ? SQLBind("2025-01-01") : SQLLiteral.null
                ])
            }
            for n in 0..<7 {
                rows.append([
                    SQLBind(UUID()), SQLBind(node.subdistrict_id), SQLBind(node.id), SQLBind("工会\(n)"), SQLBind("trade_union"), SQLBind("place"),
                    SQLBind(false), SQLBind(""), SQLBind("2024-01-01"), SQLLiteral.null
                ])
            }
            try await rows.flush(on: app.db)
            let web = TestClient(app)
            _ = try await web.signInWeb("cadre")
            func names(_ html: String) -> [String] {
                html.components(separatedBy: "<strong>").dropFirst().map { String($0.prefix { $0 != "<" }) }.filter {
                    $0.hasPrefix("青春社区") || $0.hasPrefix("工会")
                }
            }
            var seen: [String] = []
            for page in 1...3 {
                let html = try await web.get("/organisations?kind=youth_league&page=\(page)").body.string
                #expect(html.contains("第 \(page) / 3 页"))
                if page < 3 { #expect(html.contains("/organisations?kind=youth_league&amp;page=\(page + 1)")) }
                seen += names(html)
            }
            #expect(seen.count == 123 && Set(seen).count == 123 && seen.allSatisfy { $0.hasPrefix("青春社区") })
            // Open only: 120 of them; the filter stays in the page links and the kind chips.
            let open = try await web.get("/organisations?kind=youth_league&open=1&page=3").body.string
            #expect(open.contains("第 3 / 3 页") && names(open).count == 20 && open.contains("/organisations?kind=youth_league&amp;open=1&amp;page=2"))
            #expect(open.contains("/organisations?kind=trade_union&amp;open=1"))
            // A page past the end shows the last one.
            #expect(names(try await web.get("/organisations?kind=youth_league&page=99").body.string).count == 23)
            #expect(names(try await web.get("/organisations?kind=trade_union").body.string).count == 7)
        }
    }
}
