import ConsoleKit
import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// Imports of households and of dwellings with their owners (the register's places, beside the
/// persons and tag imports of RegistryImportTests).
@Suite("Register: households and dwellings import")
struct RegistryPlaceImportTests {
    static func id(_ body17: String) -> String { body17 + String(ResidentIDNumber.checkCharacter(for: body17)!) }

    static let area = "310106019-1-01"
    static let group1 = "310106019-1-01-1-01"
    static let group2 = "310106019-1-01-1-02"
    /// In the cadre's residential area, outside the grid worker's micro-grid.
    static let otherGrid = "310106019-1-01-2-01"
    /// Outside the cadre's residential area.
    static let outside = "310106019-1-02-1-01"

    static let owner1 = id("31010619560312001") // male, 1956
    static let owner2 = id("31010619580720002") // female, 1958
    static let owner3 = id("11010519800101003")

    static let dwellingHeader = "小区编码,小区名称,小区类型,小区地址,楼组编码,楼栋,总层数,单元,室号,登记面积（平方米）,实测面积（平方米）,合同面积（平方米）,开发商持有,未售,未交付,业主姓名,业主类型,业主身份证号,业主手机号"
    static let householdHeader = "楼组编码,地址,单元,室号,迁入日期,户主姓名,户主身份证号,户主手机号,户主居住状态"

    /// A new compound with three dwellings at two building groups: two owners of the first (the
    /// second on a continuation row), the first owner again on the second, a developer on the
    /// third. Areas chosen so that floating point would get them wrong (0.29 × 10,000).
    static let dwellingsCSV = """
        \(dwellingHeader)
        C-FX,汾西小区,老旧,汾西路261弄,\(group1),,6,1,101,89.57,89.6,,否,否,否,王建国,个人,\(owner1),13800138000
        ,,,,,,,,,,,,,,,李秀英,个人,\(owner2),
        C-FX,,,,\(group1),,,1,102,0.29,,1.15,,,,王建国,,\(owner1),
        C-FX,,,,\(group2),,18,1,301,120.00,,121.5,是,是,是,上海汾西置业有限公司,开发商,,

        """

    func count(_ app: Application, _ table: String) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await app.db.sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first(decoding: N.self)!.n
    }

    func send(_ client: TestClient, _ kind: String, _ csv: String, dryRun: Bool) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv")
        return try await client.send(.POST, "/api/v1/registry/import/\(kind)?dry_run=\(dryRun)", headers: headers, body: ByteBuffer(string: csv))
    }

    func errors(_ response: TestingHTTPResponse) throws -> [String] {
        try response.decode(ImportReport.self).errors.map { "\($0.line) \($0.field)" }
    }

    // MARK: Dwellings

    @Test(
        "dwellings: the compound, buildings, dwellings and owners are written; areas exact in cm²; one owner for several dwellings; numbers only through the vault"
    )
    func dwellings() async throws {
        try await withApp(demo: true) { app in
            let cadre = TestClient(app)
            try await cadre.signInAPI("cadre")
            // The first owner also lives here: the owner row is linked to the resident.
            let household = try await cadre.jsonObject(
                .POST, "/api/v1/registry/households",
                [
                    "node": Self.group1, "address": "汾西路261弄1号101室",
                    "members": [["name": "王建国", "id_number": Self.owner1, "relation": "head", "residence_status": "registered"]]
                ])
            #expect(household.status == .created)

            let dry = try await send(cadre, "dwellings", Self.dwellingsCSV, dryRun: true)
            #expect(dry.status == .ok, "\(dry.body.string)")
            let dryReport = try dry.decode(ImportReport.self)
            #expect(dryReport.rows == 4)
            #expect(dryReport.dwellings == 3)
            #expect(dryReport.owners == 3)
            #expect(try await count(app, "dwellings") == 0)

            let real = try await send(cadre, "dwellings", Self.dwellingsCSV, dryRun: false)
            #expect(real.status == .created, "\(real.body.string)")
            #expect(try await count(app, "compounds") == 1)
            #expect(try await count(app, "buildings") == 2)
            #expect(try await count(app, "dwellings") == 3)
            #expect(try await count(app, "owners") == 3)
            #expect(try await count(app, "dwelling_owners") == 4)

            let sql = app.db.sql
            struct Area: Decodable, Equatable {
                var room: String; var area_register_cm2: Int64?; var area_surveyed_cm2: Int64?; var area_contract_cm2: Int64?
                var developer_held: Bool; var unsold: Bool; var undelivered: Bool
            }
            let areas = try await sql.raw(
                """
                SELECT room, area_register_cm2, area_surveyed_cm2, area_contract_cm2, developer_held, unsold, undelivered FROM dwellings ORDER BY room
                """
            ).all(decoding: Area.self)
            #expect(
                areas == [
                    Area(
                        room: "101", area_register_cm2: 895_700, area_surveyed_cm2: 896_000, area_contract_cm2: nil, developer_held: false,
                        unsold: false, undelivered: false),
                    Area(
                        room: "102", area_register_cm2: 2_900, area_surveyed_cm2: nil, area_contract_cm2: 11_500, developer_held: false,
                        unsold: false, undelivered: false),
                    Area(
                        room: "301", area_register_cm2: 1_200_000, area_surveyed_cm2: nil, area_contract_cm2: 1_215_000, developer_held: true,
                        unsold: true, undelivered: true)
                ])
            struct Compound: Decodable { var name: String; var compound_type: String; var level: String }
            let compound = try #require(
                try await sql.raw(
                    """
                    SELECT c.name, c.compound_type, n.level FROM compounds c JOIN grid_nodes n ON n.id = c.grid_node_id
                    """
                ).first(decoding: Compound.self))
            #expect(compound.name == "汾西小区" && compound.compound_type == "old_residential" && compound.level == "residential_area")
            struct Floors: Decodable { var floors: Int? }
            #expect(try await sql.raw("SELECT floors FROM buildings ORDER BY floors").all(decoding: Floors.self).map(\.floors) == [6, 18])

            // Owners: the person's numbers sealed, masked, indexed; linked to the resident; held twice.
            struct OwnerRow: Decodable {
                var name: String; var kind: String; var person_id: UUID?; var id_cipher: String?; var id_masked: String?
                var phone_masked: String?; var held: Int
            }
            let owners = try await sql.raw(
                """
                SELECT o.name, o.kind, o.person_id, o.id_cipher, o.id_masked, o.phone_masked,
                       (SELECT COUNT(*) FROM dwelling_owners x WHERE x.owner_id = o.id) AS held
                FROM owners o ORDER BY o.name
                """
            ).all(decoding: OwnerRow.self)
            let wang = try #require(owners.first { $0.name == "王建国" })
            #expect(wang.held == 2)
            #expect(wang.person_id != nil)
            #expect(wang.id_masked?.hasPrefix("3****************") == true)
            #expect(wang.phone_masked == "138****8000")
            #expect(try app.services.vault.open(try #require(wang.id_cipher), kind: .idNumber) == Self.owner1)
            let developer = try #require(owners.first { $0.kind == "developer" })
            #expect(developer.id_cipher == nil && developer.held == 1)
            let dump = owners.map { "\($0.name) \($0.id_cipher ?? "") \($0.id_masked ?? "")" }.joined()
            #expect(!dump.contains(Self.owner1) && !dump.contains(Self.owner2) && !dump.contains("13800138000"))

            // A second file: a new dwelling in the known compound, the same developer (reused by
            // name) and an owner who already holds a dwelling; the dwellings of the first file are refused.
            let second = """
                \(Self.dwellingHeader)
                C-FX,,,,\(Self.group2),,,1,302,99.99,,,是,是,否,上海汾西置业有限公司,开发商,,
                C-FX,,,,\(Self.group2),,,1,303,75,,,,,,李秀英,个人,\(Self.owner2),
                """
            let more = try await send(cadre, "dwellings", second, dryRun: false)
            #expect(more.status == .created, "\(more.body.string)")
            #expect(try await count(app, "owners") == 3)
            #expect(try await count(app, "buildings") == 2)
            #expect(try await count(app, "dwellings") == 5)
            let again = try await send(cadre, "dwellings", Self.dwellingsCSV, dryRun: true)
            #expect(again.status == .unprocessableEntity)
            #expect(try errors(again) == ["2 room", "4 room", "5 room"])

            // Export: masked numbers, exact areas, one owner a row; audited.
            let export = try await cadre.get("/api/v1/registry/export/dwellings?node=\(Self.area)")
            #expect(export.status == .ok)
            #expect(export.headers.first(name: .contentDisposition)?.contains("dwellings-\(Self.area).csv") == true)
            let table = try CSVTable(parsing: export.body.string)
            #expect(table.header == DwellingColumn.allCases.map(\.headerZH))
            #expect(table.rows.count == 6)
            let text = export.body.string
            #expect(text.contains("89.57") && text.contains("0.29") && text.contains("1.15") && text.contains("99.99") && text.contains("75.00"))
            #expect(!text.contains(Self.owner1) && !text.contains("13800138000") && text.contains("138****8000"))
            let english = try CSVTable(parsing: try await cadre.get("/api/v1/registry/export/dwellings?lang=en").body.string)
            #expect(english.header.first == "compound_code")
            #expect(english.rows.contains { $0.fields.contains("developer") && $0.fields.contains("yes") })
            struct Audit: Decodable { var detail: String }
            let audits = try await sql.raw("SELECT detail FROM audit_log WHERE action IN ('registry.imported', 'registry.exported') ORDER BY seq")
                .all(decoding: Audit.self)
            #expect(audits.count == 4)
            #expect(audits.allSatisfy { !$0.detail.contains(Self.owner1) })
        }
    }

    @Test("dwellings: a file with bad rows is refused with every line and field named, dry run or not, and nothing is written")
    func dwellingsBadRows() async throws {
        try await withApp(demo: true) { app in
            let cadre = TestClient(app)
            try await cadre.signInAPI("cadre")
            var wrongCheck = Self.id("31010619700101011")
            let last = wrongCheck.removeLast()
            wrongCheck.append(last == "0" ? "1" : "0")
            let numbers = [wrongCheck, Self.owner3, Self.owner1, "1380013800"]
            let csv = """
                \(Self.dwellingHeader)
                C-NEW,新小区,,,\(Self.group1),,,1,101,89.57125,,,否,否,否,,,,
                C-NEW,,,,\(Self.group1),,,1,102,,,,,,,张三,个人,\(Self.owner1),
                C-NEW,,,,\(Self.group1),,,1,103,50,,,是,,,张三,个人,\(wrongCheck),
                C-NEW,,,,\(Self.outside),,,1,104,50,,,,,,,,,
                C-NEW,,,,\(Self.group1),,,1,105,-3,,,,,,,,,
                C-NEW,,,,\(Self.group1),,,1,106,50,,,,,,上海某置业公司,开发商,\(Self.owner3),
                ,,,,,,,,,,,,,,,李四,,,1380013800
                C-NEW,,,,\(Self.group1),,,1,107,八十,,,也许,,,,,,
                C-NEW,,,,\(Self.group1),,,1,108,50,,,,,,王五,个人,\(Self.owner1),
                C-NEW,,,,\(Self.group1),,,1,101,89.50,,,是,,,,,,
                C-NEW,,,,\(Self.group1),,,1,109,50,,,,,,张三,个人,\(Self.owner1),
                ,,,,,,,,,,,,,,,张三,,\(Self.owner1),
                C-OTHER,,,,\(Self.group1),,,1,109,50,,,,,,,,,
                """
            let expected = [
                "2 compound_type", "2 compound_address", "2 area_register_m2",
                "3 area_register_m2",
                "4 developer_held", "4 owner_id_number",
                "5 node",
                "6 area_register_m2",
                "7 owner_id_number",
                "8 owner_id_number", "8 owner_phone",
                "9 area_register_m2", "9 developer_held",
                "10 owner_name",
                "11 developer_held",
                "13 owner_id_number",
                "14 compound_code", "14 compound_name", "14 compound_type", "14 compound_address"
            ]
            let audits = try await count(app, "audit_log")
            for dryRun in [true, false] {
                let response = try await send(cadre, "dwellings", csv, dryRun: dryRun)
                #expect(response.status == .unprocessableEntity)
                let report = try response.decode(ImportReport.self)
                #expect(report.dry_run == dryRun)
                #expect(report.rows == 13)
                #expect(
                    report.errors.map { "\($0.line) \($0.field)" } == expected, "\(report.errors.map { "\($0.line) \($0.field): \($0.message)" })")
                #expect(report.errors.allSatisfy { !$0.message.isEmpty && !$0.message_en.isEmpty })
                for number in numbers { #expect(!response.body.string.contains(number), "a number was echoed") }
                for table in ["compounds", "buildings", "dwellings", "owners", "dwelling_owners"] {
                    #expect(try await count(app, table) == 0, "\(table)")
                }
                #expect(try await count(app, "audit_log") == audits + 1, "only the dry run's own check is audited")
            }
        }
    }

    @Test("dwellings: rows outside the scope are refused; a grid worker adds dwellings in their micro-grid to a compound but creates none")
    func dwellingsScope() async throws {
        try await withApp(demo: true) { app in
            let cadre = TestClient(app)
            try await cadre.signInAPI("cadre")
            let worker = TestClient(app)
            try await worker.signInAPI("gridworker")
            let newCompound = """
                \(Self.dwellingHeader)
                C-W,汾西小区,商品房,汾西路1号,\(Self.group1),,,,201,50,,,,,,,,,
                """
            let refused = try await send(worker, "dwellings", newCompound, dryRun: true)
            #expect(try errors(refused) == ["2 compound_code"])
            #expect(try await send(cadre, "dwellings", newCompound, dryRun: false).status == .created)
            let mixed = """
                \(Self.dwellingHeader)
                C-W,,,,\(Self.group1),,,,202,50,,,,,,,,,
                C-W,,,,\(Self.otherGrid),,,,203,50,,,,,,,,,
                C-W,,,,\(Self.outside),,,,204,50,,,,,,,,,
                """
            #expect(try errors(try await send(worker, "dwellings", mixed, dryRun: false)) == ["3 node", "4 node"])
            #expect(try errors(try await send(cadre, "dwellings", mixed, dryRun: true)) == ["4 node"])
            #expect(try await count(app, "dwellings") == 1)
            let inside = """
                \(Self.dwellingHeader)
                C-W,,,,\(Self.group1),,,,202,50,,,,,,,,,
                """
            #expect(try await send(worker, "dwellings", inside, dryRun: false).status == .created)
            #expect(try await count(app, "dwellings") == 2)
            // A building group of another residential area cannot join the compound, even for staff.
            let staff = TestClient(app)
            try await staff.signInAPI("staff")
            let elsewhere = """
                \(Self.dwellingHeader)
                C-W,,,,\(Self.outside),,,,205,50,,,,,,,,,
                """
            #expect(try errors(try await send(staff, "dwellings", elsewhere, dryRun: true)) == ["2 node"])
            // The grid worker's export holds only their micro-grid's dwellings.
            let export = try CSVTable(parsing: try await worker.get("/api/v1/registry/export/dwellings").body.string)
            #expect(export.rows.count == 2)
            #expect(try await worker.get("/api/v1/registry/export/dwellings?node=\(Self.otherGrid)").status == .notFound)
        }
    }

    // MARK: Households

    @Test("households: a file with bad rows is refused with every line and field named, dry run or not, and nothing is written")
    func householdsBadRows() async throws {
        try await withApp(demo: true) { app in
            let cadre = TestClient(app)
            try await cadre.signInAPI("cadre")
            var wrongCheck = Self.id("31010619700101011")
            let last = wrongCheck.removeLast()
            wrongCheck.append(last == "0" ? "1" : "0")
            let csv = """
                \(Self.householdHeader)
                \(Self.group1),汾西路1号,,,,,,,
                \(Self.group1),,,,,,,,
                \(Self.outside),灵石路1号,,,,,,,
                \(Self.group1),汾西路2号,,,2999-01-01,,,,
                \(Self.group1),汾西路3号,,,,王五,\(wrongCheck),,户籍
                \(Self.group1),汾西路1号,,,,,,,
                \(Self.group1),汾西路4号,1,999,,,,,
                \(Self.group1),汾西路5号,,,,赵六,\(Self.owner1),12345,
                \(Self.group1),汾西路6号,,,,,\(Self.owner1),,户籍
                310106019-1-01-1,汾西路7号,,,,,,,
                """
            let expected = [
                "3 address", "4 node", "5 moved_in_on", "6 head_id_number", "7 address", "8 room",
                "9 head_phone", "9 head_residence_status", "10 head_name", "10 head_id_number", "11 node"
            ]
            let audits = try await count(app, "audit_log")
            for dryRun in [true, false] {
                let response = try await send(cadre, "households", csv, dryRun: dryRun)
                #expect(response.status == .unprocessableEntity)
                let report = try response.decode(ImportReport.self)
                #expect(report.rows == 10)
                #expect(report.households == 10)
                #expect(
                    report.errors.map { "\($0.line) \($0.field)" } == expected, "\(report.errors.map { "\($0.line) \($0.field): \($0.message)" })")
                for number in [wrongCheck, Self.owner1, "12345"] { #expect(!response.body.string.contains(number)) }
                #expect(try await count(app, "households") == 0)
                #expect(try await count(app, "persons") == 0)
                #expect(try await count(app, "audit_log") == audits + 1, "only the dry run's own check is audited")
            }
        }
    }

    @Test("households: written with their heads and dwellings in one go; found again; the same file twice is refused")
    func households() async throws {
        try await withApp(demo: true) { app in
            let cadre = TestClient(app)
            try await cadre.signInAPI("cadre")
            #expect(try await send(cadre, "dwellings", Self.dwellingsCSV, dryRun: false).status == .created)
            let csv = """
                \(Self.householdHeader)
                \(Self.group1),汾西路261弄1号101室,1,101,2001/5/1,王建国,\(Self.owner1),13800138000,户籍
                \(Self.group1),汾西路261弄1号102室,,102,,,,,
                \(Self.group2),汾西路261弄2号301室,,,,李秀英,\(Self.owner2),,常住
                """
            let response = try await send(cadre, "households", csv, dryRun: false)
            #expect(response.status == .created, "\(response.body.string)")
            let report = try response.decode(ImportReport.self)
            #expect(report.households == 3 && report.persons == 2)
            #expect(try await count(app, "households") == 3)
            #expect(try await count(app, "persons") == 2)
            let found = try await cadre.jsonObject(.POST, "/api/v1/registry/persons/lookup", ["id_number": Self.owner1])
            let head = try found.decode(RegistryQueries.PersonRow.self)
            #expect(head.relation == .head && head.sex == .male && head.birth_date == "1956-03-12" && head.phone_masked == "138****8000")
            struct Household: Decodable { var address: String; var room: String?; var moved_in_on: String? }
            let rows = try await app.db.sql.raw(
                """
                SELECT h.address, d.room, h.moved_in_on FROM households h LEFT JOIN dwellings d ON d.id = h.dwelling_id ORDER BY h.address
                """
            ).all(decoding: Household.self)
            #expect(
                rows.map { "\($0.address) \($0.room ?? "-") \($0.moved_in_on ?? "-")" } == [
                    "汾西路261弄1号101室 101 2001-05-01", "汾西路261弄1号102室 102 -", "汾西路261弄2号301室 - -"
                ])
            struct Audit: Decodable { var detail: String }
            let audit = try #require(
                try await app.db.sql
                    .raw("SELECT detail FROM audit_log WHERE action = 'registry.imported' ORDER BY seq DESC").first(decoding: Audit.self))
            #expect(audit.detail.contains("households") && !audit.detail.contains(Self.owner1))
            let again = try await send(cadre, "households", csv, dryRun: true)
            #expect(try errors(again) == ["2 address", "2 head_id_number", "3 address", "4 address", "4 head_id_number"])
        }
    }

    // MARK: Command line

    @Test("the command line imports households and dwellings, refuses bad files, and exports dwellings")
    func commandLine() async throws {
        try await withApp(demo: true) { app in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("minqing-place-import-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            func run(_ command: some AsyncCommand, _ arguments: [String]) async throws {
                var context = CommandContext(console: Terminal(), input: CommandInput(arguments: ["minqing"] + arguments))
                context.application = app
                try await command.run(using: &context)
            }
            func write(_ name: String, _ text: String) throws -> String {
                let path = folder.appendingPathComponent(name).path
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
                return path
            }
            let bad = try write("bad.csv", "\(Self.dwellingHeader)\nC-1,,,,\(Self.group1),,,,101,1.23456,,,,,,,,,\n")
            do {
                try await run(ImportCommands.kinds["dwellings"]!, [bad, "--dry-run"])
                Issue.record("a dwellings file with bad rows passed")
            } catch let failure as CommandFailure {
                #expect(failure.description.contains("nothing was written"))
            }
            let good = try write("dwellings.csv", Self.dwellingsCSV)
            try await run(ImportCommands.kinds["dwellings"]!, [good, "--dry-run"])
            #expect(try await count(app, "dwellings") == 0)
            do {
                try await run(ImportCommands.kinds["dwellings"]!, [good, "--scope", "310106019-1-02"])
                Issue.record("an import outside --scope succeeded")
            } catch is CommandFailure {}
            try await run(ImportCommands.kinds["dwellings"]!, [good, "--scope", Self.area])
            #expect(try await count(app, "dwellings") == 3)
            let households = try write("households.csv", "\(Self.householdHeader)\n\(Self.group1),汾西路261弄1号101室,1,101,,,,,\n")
            try await run(ImportCommands.kinds["households"]!, [households])
            #expect(try await count(app, "households") == 1)
            let out = folder.appendingPathComponent("out.csv").path
            try await run(ExportDwellingsCommand(), ["--output", out, "--lang", "en"])
            let exported = try CSVTable(parsing: String(decoding: try Data(contentsOf: URL(fileURLWithPath: out)), as: UTF8.self))
            #expect(exported.rows.count == 4)
            #expect(exported.header.contains("area_register_m2"))
        }
    }
}
