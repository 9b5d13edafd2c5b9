import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// The visit log's settings and desk pages (issue 21): 十必访 frequencies, quotas, postings and
/// linking a resident account to a household, each through the service the API calls; and people
/// named by their names on the visit pages. Oracles recount the rows by SQL.
@Suite("Visits: the settings and residents pages")
struct VisitsSettingsPagesTests {
    /// A web session of `username` and the CSRF token of its forms.
    static func web(_ app: Application, _ username: String) async throws -> (TestClient, String) {
        let client = TestClient(app)
        #expect(try await client.signInWeb(username).status == .seeOther)
        let html = try await client.get("/account/password").body.string
        return (client, try #require(TestClient.csrf(in: html)))
    }

    /// The opening tag of the element `id`, e.g. an input with its value.
    static func tag(_ id: String, in html: String) -> String? {
        guard let at = html.range(of: "id=\"\(id)\""), let open = html[..<at.lowerBound].lastIndex(of: "<"),
            let close = html[at.upperBound...].firstIndex(of: ">")
        else { return nil }
        return String(html[open...close])
    }

    /// The text inside the element `id`, up to `closing`, tags removed.
    static func text(_ id: String, in html: String, closing: String = "</p>") -> String? {
        guard let at = html.range(of: "id=\"\(id)\""), let open = html[at.upperBound...].firstIndex(of: ">") else { return nil }
        let body = html[html.index(after: open)...]
        let end = body.range(of: closing)?.lowerBound ?? body.endIndex
        return String(body[..<end]).replacing(/<[^>]*>/, with: "")
    }

    static func displayName(_ app: Application, _ username: String) async throws -> String {
        struct Row: Decodable { var display_name: String }
        return try #require(
            try await app.db.sql.raw("SELECT display_name FROM accounts WHERE username = \(bind: username)").first(decoding: Row.self)
        ).display_name
    }

    static func frequency(_ app: Application, _ code: String) async throws -> Int? {
        struct Row: Decodable { var frequency_days: Int }
        return try await app.db.sql.raw("SELECT frequency_days FROM must_visit_categories WHERE code = \(bind: code)")
            .first(decoding: Row.self)?.frequency_days
    }

    struct Quota: Decodable, Equatable { var households: Int; var period: String }

    static func quotas(_ app: Application, _ role: String) async throws -> [Quota] {
        try await app.db.sql.raw("SELECT households, period FROM visit_quotas WHERE role = \(bind: role)").all(decoding: Quota.self)
    }

    struct Posting: Decodable, Equatable { var workload_percent: Int; var first_day: String?; var last_day: String? }

    static func postings(_ app: Application, _ username: String) async throws -> [Posting] {
        try await app.db.sql.raw(
            """
            SELECT p.workload_percent, p.first_day, p.last_day FROM visit_postings p JOIN accounts a ON a.id = p.account_id
            WHERE a.username = \(bind: username)
            """
        ).all(decoding: Posting.self)
    }

    static func linkedHousehold(_ app: Application, _ username: String) async throws -> [UUID] {
        struct Row: Decodable { var household_id: UUID }
        return try await app.db.sql.raw(
            """
            SELECT r.household_id FROM resident_households r JOIN accounts a ON a.id = r.account_id WHERE a.username = \(bind: username)
            """
        ).all(decoding: Row.self).map(\.household_id)
    }

    @Test("an administrator sets a 十必访 frequency and a quota on the settings page; a cadre and a volunteer are refused, nothing changes")
    func frequencyAndQuota() async throws {
        try await withApp(demo: true) { app in
            let before = try #require(try await Self.frequency(app, "very_old"))
            let target = before == 45 ? 46 : 45
            #expect(try await Self.quotas(app, "grid_worker") == [])
            let (admin, csrf) = try await Self.web(app, "admin")
            let page = try await admin.get("/visits/settings").body.string
            #expect(page.contains("每个工作日") && page.contains("居民区书记/社工"), "periods and roles by their Chinese names")

            let saved = try await admin.form("/visits/settings/categories/very_old", ["csrf": csrf, "frequency_days": String(target)])
            #expect(saved.status == .seeOther)
            #expect(try await Self.frequency(app, "very_old") == target)
            let location = try #require(saved.headers.first(name: .location))
            #expect(location.hasSuffix("#categories"), "back to the section")
            let shown = try await admin.get(String(location.split(separator: "#")[0])).body.string
            #expect(shown.contains("settings-saved") && Self.tag("frequency-very_old", in: shown)?.contains("value=\"\(target)\"") == true)

            let set = try await admin.form("/visits/settings/quotas/grid_worker", ["csrf": csrf, "households": "3", "period": "week"])
            #expect(set.status == .seeOther)
            #expect(try await Self.quotas(app, "grid_worker") == [Quota(households: 3, period: "week")])

            // A cadre reads the values without forms and is refused when posting anyway.
            let (cadre, cadreCSRF) = try await Self.web(app, "cadre")
            let readOnly = try await cadre.get("/visits/settings").body.string
            #expect(readOnly.contains("每 \(target) 天") && Self.tag("frequency-very_old", in: readOnly) == nil)
            #expect(try await cadre.form("/visits/settings/categories/very_old", ["csrf": cadreCSRF, "frequency_days": "9"]).status == .forbidden)
            #expect(
                try await cadre.form("/visits/settings/quotas/grid_worker", ["csrf": cadreCSRF, "households": "9", "period": "week"]).status
                    == .forbidden)
            let (volunteer, volunteerCSRF) = try await Self.web(app, "volunteer")
            #expect(try await volunteer.get("/visits/settings").status == .forbidden)
            #expect(
                try await volunteer.form("/visits/settings/categories/very_old", ["csrf": volunteerCSRF, "frequency_days": "9"]).status
                    == .forbidden)
            #expect(try await Self.frequency(app, "very_old") == target)
            #expect(try await Self.quotas(app, "grid_worker") == [Quota(households: 3, period: "week")])
        }
    }

    @Test("a bad frequency or quota comes back 422 with its sentence beside the field, what was typed kept, no input name, nothing written")
    func refusedSettings() async throws {
        try await withApp(demo: true) { app in
            let frequency = try await Self.frequency(app, "very_old")
            let quota = try await Self.quotas(app, "area_cadre")
            let (admin, csrf) = try await Self.web(app, "admin")

            let bad = try await admin.form("/visits/settings/categories/very_old", ["csrf": csrf, "frequency_days": "0"])
            #expect(bad.status == .unprocessableEntity)
            let html = bad.body.string
            #expect(Self.tag("frequency-very_old", in: html)?.contains("value=\"0\"") == true, "what was typed is kept")
            let beside = try #require(Self.text("error-frequency_days", in: html))
            #expect(beside.contains("走访间隔须为 1 至 366 天"))
            let box = try #require(Self.text("settings-error", in: html, closing: "</div>"))
            #expect(!beside.contains("frequency_days") && !box.contains("frequency_days"), "no input name in the text")
            #expect(html.components(separatedBy: "class=\"field-error\"").count == 2, "only the failed form shows an error")

            for typed in ["99", "three"] {
                let refused = try await admin.form(
                    "/visits/settings/quotas/area_cadre", ["csrf": csrf, "households": typed, "period": "working_day"])
                #expect(refused.status == .unprocessableEntity)
                let page = refused.body.string
                #expect(Self.tag("households-area_cadre", in: page)?.contains("value=\"\(typed)\"") == true)
                let sentence = try #require(Self.text("error-households", in: page))
                #expect(sentence.contains("走访户数应在 1 至 50 之间") && !sentence.contains("households"))
            }
            #expect(try await Self.frequency(app, "very_old") == frequency)
            #expect(try await Self.quotas(app, "area_cadre") == quota)
        }
    }

    @Test("an account manager sets a cadre's posting on its page; a bad one is refused beside its field; others are refused or not found")
    func posting() async throws {
        try await withApp(demo: true) { app in
            let (staff, csrf) = try await Self.web(app, "staff")
            let settings = try await staff.get("/visits/settings").body.string
            #expect(settings.contains("id=\"posting-list\"") && settings.contains("/visits/settings/postings/"))
            let form = try await staff.get("/visits/settings/postings/cadre").body.string
            let cadreName = try await Self.displayName(app, "cadre")
            #expect(form.contains("posting-form") && form.contains(cadreName), "the person by name")
            #expect(Self.text("posting-who", in: form)?.contains("居民区书记/社工") == true, "and role")
            let saved = try await staff.form(
                "/visits/settings/postings/cadre", ["csrf": csrf, "workload_percent": "50", "first_day": "2026-09-01", "last_day": ""])
            #expect(saved.status == .seeOther)
            let written = [Posting(workload_percent: 50, first_day: "2026-09-01", last_day: nil)]
            #expect(try await Self.postings(app, "cadre") == written)

            let tooMuch = try await staff.form(
                "/visits/settings/postings/cadre", ["csrf": csrf, "workload_percent": "150", "first_day": "2026-09-10", "last_day": ""])
            #expect(tooMuch.status == .unprocessableEntity)
            #expect(Self.tag("workload_percent", in: tooMuch.body.string)?.contains("value=\"150\"") == true)
            #expect(Self.tag("first_day", in: tooMuch.body.string)?.contains("value=\"2026-09-10\"") == true)
            let share = try #require(Self.text("error-workload_percent", in: tooMuch.body.string))
            #expect(share.contains("工作量比例应在 1% 至 100% 之间") && !share.contains("workload_percent"))
            let backwards = try await staff.form(
                "/visits/settings/postings/cadre", ["csrf": csrf, "workload_percent": "80", "first_day": "2026-09-10", "last_day": "2026-09-01"])
            #expect(backwards.status == .unprocessableEntity)
            let last = try #require(Self.text("error-last_day", in: backwards.body.string))
            #expect(last.contains("离岗日期不能早于到岗日期") && !last.contains("until"))
            #expect(try await Self.postings(app, "cadre") == written)

            // A cadre manages no accounts; a manager of another area does not reach this cadre.
            let worker = try await Self.postings(app, "gridworker")
            let (cadre, cadreCSRF) = try await Self.web(app, "cadre")
            #expect(try await cadre.get("/visits/settings/postings/gridworker").status == .forbidden)
            #expect(try await cadre.form("/visits/settings/postings/gridworker", ["csrf": cadreCSRF, "workload_percent": "10"]).status == .forbidden)
            _ = try await AccountService.create(
                NewAccount(
                    username: "staff2", displayName: "二区干部", role: "subdistrict_staff", scopeCode: "310106019-1-02",
                    password: demoPassword, mustChangePassword: false),
                by: .console, app: app, on: app.db, now: TestClock.pinnedNow())
            let (other, otherCSRF) = try await Self.web(app, "staff2")
            #expect(try await other.get("/visits/settings/postings/cadre").status == .notFound)
            #expect(try await other.form("/visits/settings/postings/cadre", ["csrf": otherCSRF, "workload_percent": "10"]).status == .notFound)
            #expect(try await Self.postings(app, "cadre") == written)
            #expect(try await Self.postings(app, "gridworker") == worker)
        }
    }

    @Test("a cadre links a resident account to a household picked from its building group; a wrong one is refused beside the list")
    func residentLink() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let home = try await world.household(61)
            let elsewhere = try await world.household(62, node: VisitWorld.otherMicroGrid)
            _ = try await AccountService.create(
                NewAccount(
                    username: "resident2", displayName: "邻居", role: "resident", scopeCode: VisitWorld.group,
                    password: demoPassword, mustChangePassword: false),
                by: .console, app: app, on: app.db, now: TestClock.pinnedNow())
            let (cadre, csrf) = try await Self.web(app, "cadre")
            let list = try await cadre.get("/visits/residents?q=resident2&unlinked=1").body.string
            #expect(list.contains("resident-resident2") && list.contains("邻**") && !list.contains("邻居"), "a resident's name masked")
            let page = try await cadre.get("/visits/residents/resident2").body.string
            #expect(Self.tag("household-\(home.id.uuidString)", in: page)?.contains("type=\"radio\"") == true, "picked, not typed")
            #expect(!page.contains(elsewhere.id.uuidString), "only households of the resident's building group are offered")

            let wrong = try await cadre.form("/visits/residents/resident2", ["csrf": csrf, "household_id": elsewhere.id.uuidString])
            #expect(wrong.status == .unprocessableEntity)
            let beside = try #require(Self.text("error-household_id", in: wrong.body.string))
            let box = try #require(Self.text("resident-error", in: wrong.body.string, closing: "</div>"))
            #expect(beside.contains("请从该居民所在楼组的户中选一户") && !beside.contains("household_id") && !box.contains("household_id"))
            #expect(try await Self.linkedHousehold(app, "resident2") == [])

            let linked = try await cadre.form("/visits/residents/resident2", ["csrf": csrf, "household_id": home.id.uuidString])
            #expect(linked.status == .seeOther)
            #expect(try await Self.linkedHousehold(app, "resident2") == [home.id])
            let shown = try await cadre.get(try #require(linked.headers.first(name: .location))).body.string
            #expect(shown.contains("resident-saved") && Self.text("resident-household", in: shown)?.contains("临汾路 61 号") == true)

            // Another area's cadre does not reach the account; a volunteer has no such page.
            let (cadre2, csrf2) = try await Self.web(app, "cadre2")
            #expect(try await cadre2.get("/visits/residents/resident2").status == .notFound)
            #expect(try await cadre2.form("/visits/residents/resident2", ["csrf": csrf2, "household_id": home.id.uuidString]).status == .notFound)
            let (volunteer, volunteerCSRF) = try await Self.web(app, "volunteer")
            #expect(
                try await volunteer.form("/visits/residents/resident2", ["csrf": volunteerCSRF, "household_id": elsewhere.id.uuidString]).status
                    == .forbidden)
            #expect(try await Self.linkedHousehold(app, "resident2") == [home.id])
        }
    }

    @Test("the visit list and a visit name staff by name and role; co-visitors are ticked from the staff covering the household")
    func names() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let home = try await world.household(71)
            let cadreName = try await Self.displayName(app, "cadre")
            let workerName = try await Self.displayName(app, "gridworker")
            let (web, csrf) = try await Self.web(app, "cadre")
            let form = try await web.get("/visits/new?household=\(home.id.uuidString)").body.string
            #expect(Self.tag("visitor-gridworker", in: form)?.contains("value=\"gridworker\"") == true)
            #expect(form.contains("\(workerName)（网格员）"), "offered by name and role")
            #expect(Self.tag("visitor-cadre2", in: form) == nil, "another area's cadre does not cover the household")

            let saved = try await web.form(
                "/visits/new",
                [
                    "csrf": csrf, "household": home.id.uuidString, "method": "home", "kind": "routine", "summary": "一起上门",
                    "visitors[]": "gridworker"
                ])
            #expect(saved.status == .seeOther)
            struct N: Decodable { var n: Int }
            let credited = try await app.db.sql.raw(
                """
                SELECT COUNT(*) AS n FROM visit_credits c JOIN visits v ON v.id = c.visit_id JOIN accounts a ON a.id = c.account_id
                WHERE v.household_id = \(bind: home.id) AND a.username IN ('cadre', 'gridworker')
                """
            ).first(decoding: N.self)?.n
            #expect(credited == 2, "both visitors credited, as the API's usernames would")

            let today = try await web.get("/visits").body.string
            let mine = try #require(Self.text("my-visits", in: today, closing: "</ul>"))
            #expect(mine.contains("临汾路 71 号") && mine.contains("\(cadreName)（居民区书记/社工）"))
            #expect(!mine.contains("cadre"), "no username")
            let detail = try await web.get(try #require(saved.headers.first(name: .location))).body.string
            let visitors = try #require(Self.text("visit-visitors", in: detail, closing: "</td>"))
            #expect(visitors.contains(cadreName) && visitors.contains("\(workerName)（网格员）") && !visitors.contains("gridworker"))
        }
    }

    @Test("recording the visit from a booking on the entry form closes the booking, as POST …/bookings/{id}/done does")
    func bookingDone() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let home = try await world.household(81)
            #expect(
                try await world.cadre.jsonObject(.PUT, "/api/v1/visits/residents/resident/household", ["household_id": home.id.uuidString])
                    .status == .noContent)
            let start = TestClock.pinnedNow().addingTimeInterval(86_400)
            let iso = ISO8601DateFormatter()
            let slot = try await world.cadre.jsonObject(
                .POST, "/api/v1/visits/slots", ["starts_at": iso.string(from: start), "ends_at": iso.string(from: start.addingTimeInterval(3600))]
            ).createdID()
            let resident = TestClient(app)
            try await resident.signInAPI("resident")
            let booking = try await resident.jsonObject(.POST, "/api/v1/visits/bookings", ["slot_id": slot.uuidString]).createdID()

            let (web, csrf) = try await Self.web(app, "cadre")
            #expect(try await web.get("/visits/new?booking=\(booking.uuidString)").body.string.contains("entry-booking"))
            let done = try await web.form(
                "/visits/new",
                ["csrf": csrf, "booking": booking.uuidString, "household": home.id.uuidString, "method": "home", "summary": "上门"])
            #expect(done.status == .seeOther)
            struct Row: Decodable { var status: String; var visit_id: UUID?; var kind: String? }
            let row = try await app.db.sql.raw(
                """
                SELECT b.status, b.visit_id, v.kind FROM visit_bookings b LEFT JOIN visits v ON v.id = b.visit_id AND v.booking_id = b.id
                WHERE b.id = \(bind: booking)
                """
            ).first(decoding: Row.self)
            #expect(row?.status == "done" && row?.visit_id != nil && row?.kind == "booked")
        }
    }
}
