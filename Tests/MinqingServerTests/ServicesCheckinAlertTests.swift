import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// 健康打卡 (issue 22 item 4): a daily check-in's typed questions, the alert rule that turns an
/// abnormal answer into a notice for the building group's grid worker and a case, and the
/// missed list's counts by building group. Over HTTP on a real database.
@Suite("Services: health check-ins with typed answers and alerts")
struct ServicesCheckinAlertTests {
    struct N: Decodable { var n: Int }

    static var questions: [[String: Any]] {
        [
            ["label": "体温", "label_en": "Temperature", "type": "decimal", "min": 34, "max": 43, "alert_at_least": 37.3],
            ["label": "症状", "label_en": "Symptoms", "type": "multi_choice", "options": ["无", "咳嗽", "发热"], "alert_option": "发热"]
        ]
    }

    func count(_ world: VisitWorld, _ sql: SQLQueryString) async throws -> Int {
        try await world.sql.raw(sql).first(decoding: N.self)?.n ?? -1
    }

    @Test(
        "set-up mistakes are refused by field, nothing written: personal numbers, a foreign alert option, a second decimal place, rules on a registration"
    )
    func refusedSetUps() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let before = try await count(world, "SELECT COUNT(*) AS n FROM service_campaigns")
            let cases: [([String: Any], String, String)] = [
                (["kind": "checkin", "fields": [["label": "身份证", "type": "id_number"]]], "fields[0].type", "不收集身份证号"),
                (
                    ["kind": "checkin", "fields": [["label": "症状", "type": "choice", "options": ["无", "咳嗽"], "alert_option": "发热"]]],
                    "fields[0]", "异常选项须是它的选项之一"
                ),
                (["kind": "checkin", "fields": [["label": "体温", "type": "decimal", "alert_at_least": 37.35]]], "fields[0]", "最多一位小数"),
                (["kind": "checkin", "fields": [["label": "备注", "type": "text", "alert_at_least": 1]]], "fields[0]", "只有数字、小数字段可设异常阈值"),
                (["kind": "registration", "fields": [["label": "体温", "type": "decimal", "alert_at_least": 37.3]]], "fields[0]", "只有每日打卡"),
                (["kind": "registration", "fields": [["label": "姓名", "type": "text"]], "alert_category": "E0404"], "alert_category", "只有每日打卡"),
                (["kind": "checkin", "alert_category": "NOPE"], "alert_category", "案件小类无效")
            ]
            for (body, field, words) in cases {
                var input = body
                input["title"] = "健康打卡"
                let answer = try await world.cadre.jsonObject(.POST, "/api/v1/services/campaigns", input)
                #expect(answer.status == .unprocessableEntity, "\(body): \(answer.body.string)")
                #expect(answer.body.string.contains("\"\(field)\"") && answer.body.string.contains(words), "\(body): \(answer.body.string)")
            }
            #expect(try await count(world, "SELECT COUNT(*) AS n FROM service_campaigns") == before)
        }
    }

    @Test(
        "an abnormal answer tells the grid worker over the building group (not the cadre) and opens a case; a bad answer writes nothing; counts by building group"
    )
    func alerts() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let people = try await ServicesTests.residents(world, count: 3)
            let today = CivilDate(TestClock.pinnedNow(), in: .shanghai)
            let campaign = try await world.cadre.jsonObject(
                .POST, "/api/v1/services/campaigns",
                [
                    "kind": "checkin", "title": "居家健康打卡", "starts_on": today.iso8601, "ends_on": try today.adding(days: 13).iso8601,
                    "roster_node": VisitWorld.group, "fields": Self.questions, "alert_category": "E0404"
                ]
            ).createdID()
            let me = try await people[0].get("/api/v1/services/campaigns/\(campaign)/checkins/me").decode(CheckinService.Mine.self)
            #expect(me.fields.map(\.label) == ["体温", "症状"] && me.fields[0].alert_at_least == "37.3")
            let temperature = me.fields[0].id.uuidString, symptoms = me.fields[1].id.uuidString
            let path = "/api/v1/services/campaigns/\(campaign)/checkins"

            // A temperature that is no number, or out of range: refused by label, nothing written.
            for bad in ["三十七", "37.25", "45"] {
                let answer = try await people[2].jsonObject(.POST, path, ["answers": [temperature: [bad], symptoms: ["无"]]])
                #expect(answer.status == .unprocessableEntity && answer.body.string.contains("体温"), "\(bad): \(answer.body.string)")
            }
            #expect(try await count(world, "SELECT COUNT(*) AS n FROM campaign_checkins WHERE campaign_id = \(bind: campaign)") == 0)

            // Normal: no alert. At 37.3 (the threshold itself) and with 发热: alerts.
            let normal = try await people[0].jsonObject(.POST, path, ["answers": [temperature: ["36.6"], symptoms: ["无"]]])
            #expect(normal.status == .created && normal.body.string.contains("\"alert\":false"), "\(normal.body.string)")
            let fever = try await people[1].jsonObject(.POST, path, ["answers": [temperature: ["３７.３"], symptoms: ["咳嗽"]], "note": "有点头晕"])
            #expect(fever.status == .created && fever.body.string.contains("\"alert\":true"), "\(fever.body.string)")
            let symptom = try await people[2].jsonObject(.POST, path, ["answers": [temperature: ["36.9"], symptoms: ["咳嗽", "发热"]]])
            #expect(symptom.status == .created && symptom.body.string.contains("\"alert\":true"), "\(symptom.body.string)")
            let again = try await people[1].jsonObject(.POST, path, ["answers": [temperature: ["36.6"], symptoms: ["无"]]])
            #expect(again.status == .conflict)

            // The grid worker over the building group hears of both; the area's cadre does not.
            let href = "/services/campaigns/\(campaign)#alerts"
            let heard: SQLQueryString = """
                SELECT COUNT(*) AS n FROM notifications n JOIN accounts a ON a.id = n.account_id
                WHERE n.kind = 'checkin_alert' AND n.href = \(bind: href) AND a.username =
                """
            #expect(try await count(world, heard + " 'gridworker'") == 2)
            #expect(try await count(world, heard + " 'cadre'") == 0)
            #expect(try await count(world, "SELECT COUNT(*) AS n FROM notifications WHERE kind = 'checkin_alert' AND href = \(bind: href)") >= 2)

            // Each alert opened a case of the chosen category, reported by the resident.
            let alerts = try await world.cadre.get("/api/v1/services/campaigns/\(campaign)/alerts").decode([CheckinService.Alert].self)
            #expect(Set(alerts.map(\.username)) == ["svc2", "svc3"])
            let svc2 = try #require(alerts.first { $0.username == "svc2" })
            #expect(svc2.answers.map(\.value) == ["37.3", "咳嗽"] && svc2.case_number != nil)
            struct CaseRow: Decodable { var category_code: String; var submitter_account_id: UUID?; var description: String }
            let made = try #require(
                try await world.sql.raw("SELECT category_code, submitter_account_id, description FROM cases WHERE id = \(bind: svc2.case_id!)")
                    .first(decoding: CaseRow.self))
            #expect(made.category_code == "E0404" && made.description.contains("体温 37.3") && made.submitter_account_id != nil)

            // The grid worker sees the area's check-in, counted inside their grid; another area's cadre does not.
            let worker = TestClient(app)
            try await worker.signInAPI("gridworker")
            let seen = try await worker.get("/api/v1/services/campaigns/\(campaign)/alerts").decode([CheckinService.Alert].self)
            #expect(Set(seen.map(\.username)) == ["svc2", "svc3"])
            let stranger = TestClient(app)
            try await stranger.signInAPI("cadre2")
            #expect(try await stranger.get("/api/v1/services/campaigns/\(campaign)/alerts").status == .notFound)

            // Counts by building group agree with the missed list they link to.
            let groups = try await world.cadre.get("/api/v1/services/campaigns/\(campaign)/missed/by-group").decode([CheckinService.GroupMissed].self)
            let group = try #require(groups.first { $0.code == VisitWorld.group })
            let listed = try await world.cadre.get("/api/v1/services/campaigns/\(campaign)/missed?node=\(VisitWorld.group)")
                .decode([CheckinService.Missed].self)
            #expect(group.missed == listed.count && group.roster == group.missed + 3)
            #expect(!listed.map(\.username).contains("svc1"))
            // A node outside the cadre's area lists nobody, as an unknown one does.
            for node in ["310106019-1-02-1-01", "999"] {
                let other = try await world.cadre.get("/api/v1/services/campaigns/\(campaign)/missed?node=\(node)")
                #expect(other.status == .ok && other.body.string == "[]")
            }

            // Pages: the staff page lists the alerts with their case links and the counts; the
            // resident's form asks the questions and, once done, shows the answers.
            let page = try await world.cadre.get("/services/campaigns/\(campaign)?date=\(today.iso8601)").body.string
            #expect(page.contains("alert-list") && page.contains("居民2") && page.contains("case-link") && page.contains("missed-groups"))
            #expect(page.contains("node=\(VisitWorld.group)"))
            let web = TestClient(app)
            _ = try await web.signInWeb("svc1")
            let own = try await web.get("/services/campaigns/\(campaign)").body.string
            #expect(own.contains("今日已打卡") && own.contains("36.6") && !own.contains("checkin-form"))
            let mine = try await people[1].get("/api/v1/services/campaigns/\(campaign)/checkins/me").decode(CheckinService.Mine.self)
            #expect(mine.today.map(\.value) == ["37.3", "咳嗽"])
        }
    }

    @Test("a bad answer on the page stands by its question with what was typed kept; a good one says an alert was raised")
    func pageForm() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            _ = try await ServicesTests.residents(world, count: 1)
            let today = CivilDate(TestClock.pinnedNow(), in: .shanghai)
            let campaign = try await world.cadre.jsonObject(
                .POST, "/api/v1/services/campaigns",
                [
                    "kind": "checkin", "title": "居家健康打卡", "starts_on": today.iso8601, "ends_on": try today.adding(days: 13).iso8601,
                    "roster_node": VisitWorld.group, "fields": Self.questions
                ]
            ).createdID()
            let web = TestClient(app)
            _ = try await web.signInWeb("svc1")
            let form = try await web.get("/services/campaigns/\(campaign)").body.string
            struct F: Decodable { var id: UUID }
            let ids = try await world.sql.raw("SELECT id FROM campaign_fields WHERE campaign_id = \(bind: campaign) ORDER BY position")
                .all(decoding: F.self).map(\.id.uuidString)
            let temperature = "f_\(ids[0])", symptoms = "f_\(ids[1])"
            #expect(form.contains("name=\"\(temperature)\"") && form.contains("inputmode=\"decimal\""))
            let csrf = try #require(TestClient.csrf(in: form))
            let bad = try await web.form(
                "/services/campaigns/\(campaign)/checkin", ["csrf": csrf, temperature: "hot", "\(symptoms)_0": "无", "note": "早上量的"])
            #expect(bad.status == .unprocessableEntity)
            let page = bad.body.string
            #expect(page.contains("「体温」须为数字，最多一位小数") && page.contains("value=\"hot\"") && page.contains("早上量的"))
            #expect(try await count(world, "SELECT COUNT(*) AS n FROM campaign_checkins WHERE campaign_id = \(bind: campaign)") == 0)
            let good = try await web.form(
                "/services/campaigns/\(campaign)/checkin", ["csrf": csrf, temperature: "38.1", "\(symptoms)_0": "无"])
            #expect(good.status == .seeOther)
            let done = try await web.get(good.headers.first(name: .location) ?? "/").body.string
            #expect(done.contains("已告知网格员") && done.contains("38.1"))
        }
    }
}
