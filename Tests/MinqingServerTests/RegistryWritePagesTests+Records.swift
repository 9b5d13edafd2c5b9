import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// The person page's record forms and the node's export, against the API's rows.
extension RegistryWritePagesTests {
    struct HelpRow: Decodable, Equatable {
        var category: String; var description: String; var status: String; var requested_on: String
        var grid_node_id: UUID; var household_id: UUID; var created_by: String?
    }

    struct AidRow: Decodable, Equatable {
        var programme: String; var kind: String; var amount_fen: Int64?; var quantity: Int64?; var unit: String?; var minutes: Int64?
        var description: String; var given_on: String; var recorded_by: String; var grid_node_id: UUID; var help_request_id: UUID?
    }

    func helpRows(_ app: Application, _ person: UUID) async throws -> [HelpRow] {
        try await app.db.sql.raw(
            """
            SELECT category, description, status, requested_on, grid_node_id, household_id, created_by FROM help_requests
            WHERE person_id = \(bind: person) ORDER BY created_at, description
            """
        ).all(decoding: HelpRow.self)
    }

    func aidRows(_ app: Application, _ person: UUID) async throws -> [AidRow] {
        try await app.db.sql.raw(
            """
            SELECT programme, kind, amount_fen, quantity, unit, minutes, description, given_on, recorded_by, grid_node_id, help_request_id
            FROM aid_records WHERE person_id = \(bind: person) ORDER BY created_at, amount_fen
            """
        ).all(decoding: AidRow.self)
    }

    @Test("on the person page: a help request and aid, written as the API writes them; yuan become fen; problems in place")
    func helpAndAid() async throws {
        try await withApp(demo: true) { app in
            let cadreAPI = try await api(app, "cadre")
            let (_, person) = try await RegistryPagesTests().household(cadreAPI)
            let (cadre, csrf) = try await web(app, "cadre")
            let path = "/registry/persons/\(person)"
            let page = try await cadre.get(path).body.string
            #expect(page.contains("id=\"help-form\"") && page.contains("id=\"aid-form\"") && page.contains("id=\"departure-form\""))
            #expect(page.contains("label=\"就医求助\""), "kinds of help are chosen by their Chinese names")

            let filed = try await cadre.form(
                "\(path)/help-requests", ["csrf": csrf, "category": "就医求助", "description": "需要陪诊", "requested_on": "2026-11-10"])
            #expect(filed.status == .seeOther && filed.headers.first(name: .location) == "\(path)?done=help#help-requests")
            #expect(
                try await cadreAPI.jsonObject(
                    .POST, "/api/v1/registry/persons/\(person)/help-requests",
                    ["category": "就医求助", "description": "需要陪诊", "requested_on": "2026-11-10"]
                ).status == .created)
            let help = try await helpRows(app, person)
            #expect(help.count == 2 && help[0] == help[1])
            #expect(help[0].category == "就医求助" && help[0].status == "open" && help[0].requested_on == "2026-11-10" && help[0].created_by == "cadre")
            let listed = try await cadre.get("\(path)?done=help").body.string
            #expect(listed.contains("id=\"record-flash\"") && listed.contains("id=\"help-request-list\"") && listed.contains("需要陪诊"))

            // ¥12.50 on the page is 1,250 fen through the API.
            let aided = try await cadre.form(
                "\(path)/aid", ["csrf": csrf, "programme": "临时救助", "kind": "cash", "amount": "12.50", "given_on": "2026-11-12"])
            #expect(aided.status == .seeOther && aided.headers.first(name: .location) == "\(path)?done=aid#aid-received")
            #expect(
                try await cadreAPI.jsonObject(
                    .POST, "/api/v1/registry/persons/\(person)/aid",
                    ["programme": "临时救助", "kind": "cash", "amount_fen": 1250, "given_on": "2026-11-12"]
                ).status == .created)
            let inKind = try await cadre.form(
                "\(path)/aid", ["csrf": csrf, "programme": "节日慰问", "kind": "in_kind", "quantity": "2", "unit": "袋", "given_on": ""])
            #expect(inKind.status == .seeOther)
            let aid = try await aidRows(app, person)
            let cash = aid.filter { $0.kind == "cash" }
            #expect(cash.count == 2 && cash[0] == cash[1])
            #expect(cash[0].amount_fen == 1250 && cash[0].quantity == nil && cash[0].unit == nil && cash[0].minutes == nil)
            #expect(cash[0].description == "临时救助" && cash[0].recorded_by == "cadre" && cash[0].given_on == "2026-11-12")
            let goods = try #require(aid.first { $0.kind == "in_kind" })
            #expect(goods.quantity == 2 && goods.unit == "袋" && goods.amount_fen == nil)
            #expect(goods.given_on == CivilDate(TestClock.pinnedNow(), in: .shanghai).iso8601)
            #expect(try await audits(app, "aid.recorded") == 3)
            #expect(try await cadre.get(path).body.string.contains("¥25.00"))

            // Amounts that cannot be read, and in-kind aid without its unit: beside their fields.
            let bad = try await cadre.form(
                "\(path)/aid", ["csrf": csrf, "programme": "临时救助", "kind": "cash", "amount": "12.345", "given_on": ""])
            #expect(bad.status == .unprocessableEntity)
            #expect(Self.element("error-amount_fen", in: bad.body.string)?.contains("元") == true)
            #expect(
                bad.body.string.contains("value=\"12.345\"") && bad.body.string.contains("<details class=\"card\" id=\"record-aid\" open=\"open\">"))
            let noUnit = try await cadre.form("\(path)/aid", ["csrf": csrf, "programme": "节日慰问", "kind": "in_kind", "quantity": "3", "unit": ""])
            #expect(noUnit.status == .unprocessableEntity && Self.element("error-unit", in: noUnit.body.string) != nil)
            let noText = try await cadre.form("\(path)/help-requests", ["csrf": csrf, "category": "", "description": ""])
            #expect(noText.status == .unprocessableEntity)
            #expect(Self.element("error-category", in: noText.body.string) != nil && Self.element("error-description", in: noText.body.string) != nil)
            for html in [bad.body.string, noUnit.body.string, noText.body.string] {
                #expect(Self.inputNames.filter { Self.visibleText(html).contains($0) } == [])
            }
            #expect(try await aidRows(app, person).count == 3)
            #expect(try await helpRows(app, person).count == 2)

            // Linked to the open help request, chosen by its kind and day.
            struct Open: Decodable { var id: UUID }
            let request = try #require(
                try await app.db.sql.raw("SELECT id FROM help_requests WHERE person_id = \(bind: person) ORDER BY created_at LIMIT 1")
                    .first(decoding: Open.self)
            ).id
            #expect(try await cadre.get(path).body.string.contains("value=\"\(request.uuidString)\" label=\"就医求助 · 2026-11-10\""))
            let linked = try await cadre.form(
                "\(path)/aid", ["csrf": csrf, "programme": "陪诊服务", "kind": "service", "minutes": "90", "help_request": request.uuidString])
            #expect(linked.status == .seeOther)
            #expect(try await aidRows(app, person).contains { $0.minutes == 90 && $0.help_request_id == request })

            // Another area's person is not there; a volunteer may not.
            let staff = try await api(app, "staff")
            let (_, outsider) = try await RegistryPagesTests().household(
                staff, address: "外面 1 号", node: Self.outsideGroup, head: RegistryPagesTests.id("31010619700101015"), spouse: nil)
            #expect(
                try await cadre.form("/registry/persons/\(outsider)/aid", ["csrf": csrf, "programme": "临时救助", "kind": "cash", "amount": "1"]).status
                    == .notFound)
            #expect(
                try await cadre.form("/registry/persons/\(outsider)/help-requests", ["csrf": csrf, "category": "其他", "description": "x"]).status
                    == .notFound)
            let (volunteer, volunteerCSRF) = try await web(app, "volunteer")
            #expect(
                try await volunteer.form("\(path)/aid", ["csrf": volunteerCSRF, "programme": "临时救助", "kind": "cash", "amount": "1"]).status
                    == .forbidden)
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM aid_records") == 4)
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM help_requests") == 2)
        }
    }

    @Test("moved out or died: the day recorded, current tags ended, left out of smart groups, recorded once")
    func departure() async throws {
        try await withApp(demo: true) { app in
            let admin = try await api(app, "admin")
            #expect(
                try await admin.jsonObject(
                    .POST, "/api/v1/registry/tags", ["code": "id.elderly", "name_zh": "老年人", "name_en": "Older person", "kind": "identity"]
                ).status == .created)
            let cadreAPI = try await api(app, "cadre")
            let (household, person) = try await RegistryPagesTests().household(cadreAPI)
            #expect(
                try await cadreAPI.jsonObject(.POST, "/api/v1/registry/persons/\(person)/tags", ["code": "老年人", "starts_on": "2024-01-01"]).status
                    == .created)
            struct Page: Decodable { var total: Int }
            func members() async throws -> Int {
                try await cadreAPI.jsonObject(.POST, "/api/v1/registry/smart-groups/preview", ["criteria": ["node": Self.group]])
                    .decode(Page.self).total
            }
            #expect(try await members() == 2)
            let (cadre, csrf) = try await web(app, "cadre")
            let path = "/registry/persons/\(person)"

            let future = try await cadre.form("\(path)/departure", ["csrf": csrf, "reason": "died", "on": "2099-01-01"])
            #expect(future.status == .unprocessableEntity)
            #expect(Self.element("error-on", in: future.body.string)?.contains("今天") == true)
            #expect(future.body.string.contains("value=\"2099-01-01\""))
            let noReason = try await cadre.form("\(path)/departure", ["csrf": csrf, "on": "2026-11-01"])
            #expect(noReason.status == .unprocessableEntity && Self.element("error-reason", in: noReason.body.string) != nil)
            for html in [future.body.string, noReason.body.string] {
                #expect(Self.inputNames.filter { Self.visibleText(html).contains($0) } == [])
            }

            let died = try await cadre.form("\(path)/departure", ["csrf": csrf, "reason": "died", "on": "2026-11-01"])
            #expect(died.status == .seeOther && died.headers.first(name: .location) == "\(path)?done=departure#person-name")
            struct Life: Decodable { var moved_out_on: String?; var died_on: String? }
            let life = try #require(
                try await app.db.sql.raw("SELECT moved_out_on, died_on FROM persons WHERE id = \(bind: person)").first(decoding: Life.self))
            #expect(life.moved_out_on == "2026-11-01" && life.died_on == "2026-11-01")
            struct Ended: Decodable { var ends_on: String?; var ended_by: String? }
            let tags = try await app.db.sql.raw("SELECT ends_on, ended_by FROM tag_assignments WHERE person_id = \(bind: person)")
                .all(decoding: Ended.self)
            #expect(tags.count == 1 && tags[0].ends_on == "2026-11-01" && tags[0].ended_by == "cadre")
            #expect(try await audits(app, "person.departed") == 1)
            #expect(try await members() == 1, "the dead are in no smart group")
            let shown = try await cadre.get("\(path)?done=departure").body.string
            #expect(shown.contains("id=\"departure\"") && shown.contains("已故 2026-11-01") && !shown.contains("id=\"departure-form\""))
            #expect(try await cadre.get("/registry/households/\(household)").body.string.contains("已故 2026-11-01"))

            // Recorded once: the page says so, the API answers 409, nothing changes.
            let again = try await cadre.form("\(path)/departure", ["csrf": csrf, "reason": "moved_out", "on": "2026-11-02"])
            #expect(again.status == .conflict && again.body.string.contains("id=\"departure-error\""))
            #expect(again.body.string.contains("id=\"departure\"") && again.body.string.contains("已故 2026-11-01"))
            let api = try await cadreAPI.jsonObject(.POST, "/api/v1/registry/persons/\(person)/departure", ["reason": "moved_out"])
            #expect(api.status == .conflict)
            #expect(try await audits(app, "person.departed") == 1)

            // The API records a move the same way, today when no day is given.
            let spouse = try #require(
                try await app.db.sql.raw("SELECT id FROM persons WHERE household_id = \(bind: household) AND relation = 'spouse'")
                    .first(decoding: Identified.self)
            ).id
            let moved = try await cadreAPI.jsonObject(.POST, "/api/v1/registry/persons/\(spouse)/departure", ["reason": "moved_out"])
            #expect(moved.status == .ok)
            let today = CivilDate(TestClock.pinnedNow(), in: .shanghai).iso8601
            #expect(try moved.decode(RegistryRecords.Departed.self) == .init(person_id: spouse, reason: .movedOut, on: today, tags_ended: 0))
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM persons WHERE moved_out_on = \(bind: today) AND died_on IS NULL") == 1)
            #expect(try await members() == 0)

            // A grid worker of another building group, a volunteer: nothing written.
            let (volunteer, volunteerCSRF) = try await web(app, "volunteer")
            #expect(try await volunteer.form("\(path)/departure", ["csrf": volunteerCSRF, "reason": "died"]).status == .forbidden)
            #expect(try await audits(app, "person.departed") == 2)
        }
    }

    struct Identified: Decodable { var id: UUID }

    @Test("the node's export: masked for everyone who reads the register, plain numbers only with a purpose and a role that may")
    func export() async throws {
        try await withApp(demo: true) { app in
            let cadreAPI = try await api(app, "cadre")
            _ = try await RegistryPagesTests().household(cadreAPI)
            let (cadre, csrf) = try await web(app, "cadre")
            let path = "/registry/nodes/\(Self.group)/export"
            let node = try await cadre.get("/registry/nodes/\(Self.group)").body.string
            #expect(node.contains("id=\"export-persons-form\"") && node.contains("id=\"export-plain-form\""))

            let masked = try await cadre.form(path, ["csrf": csrf, "lang": "zh"])
            #expect(masked.status == .ok && masked.headers.contentType?.subType == "csv")
            #expect(masked.body.string.contains("138****8000") && !masked.body.string.contains(Self.phone))
            let missing = try await cadre.form(path, ["csrf": csrf, "plain": "1", "purpose": "", "purpose_detail": ""])
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.body.string.contains("id=\"export-error\"") && missing.body.string.contains("id=\"export-error-purpose\""))
            #expect(missing.body.string.contains("<details class=\"card\" id=\"export-persons\" open=\"open\">"))
            let plain = try await cadre.form(
                path, ["csrf": csrf, "plain": "1", "purpose": "verification", "purpose_detail": "核对户籍信息", "lang": "zh"])
            #expect(plain.status == .ok && plain.body.string.contains(Self.phone) && plain.body.string.contains(Self.head))
            struct Entry: Decodable { var detail: String }
            let entries = try await app.db.sql.raw("SELECT detail FROM audit_log WHERE action = 'registry.exported' ORDER BY seq")
                .all(decoding: Entry.self)
            #expect(entries.count == 2)
            #expect(entries.first?.detail.contains("\"plain\":\"false\"") == true && entries.last?.detail.contains("\"plain\":\"true\"") == true)

            // A grid worker exports masked numbers only; another area's node is not there.
            let (worker, workerCSRF) = try await web(app, "gridworker")
            #expect(!(try await worker.get("/registry/nodes/\(Self.group)").body.string.contains("export-plain-form")))
            #expect(try await worker.form(path, ["csrf": workerCSRF]).status == .ok)
            let refused = try await worker.form(path, ["csrf": workerCSRF, "plain": "1", "purpose": "verification", "purpose_detail": "核对"])
            #expect(refused.status == .forbidden && !refused.body.string.contains(Self.phone))
            #expect(try await cadre.form("/registry/nodes/\(Self.outsideGroup)/export", ["csrf": csrf]).status == .notFound)
            #expect(try await audits(app, "registry.exported") == 3)
        }
    }
}
