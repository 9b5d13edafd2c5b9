import ConsoleKit
import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

@Suite("Register: CSV import and export")
struct RegistryImportTests {
    static func id(_ body17: String) -> String { body17 + String(ResidentIDNumber.checkCharacter(for: body17)!) }

    static let group1 = "310106019-1-01-1-01"
    static let group2 = "310106019-1-01-1-02"
    static let header = "户号,楼组编码,地址,姓名,性别,出生日期,身份证号,手机号,与户主关系,居住状态,迁入日期"

    static let head = id("31010619560312001") // male, 1956-03-12
    static let spouse = id("31010619580720002") // female, 1958-07-20
    static let third = id("31010619900101003") // male, 1990-01-01
    static let fourth = id("31010620150610004") // female, 2015-06-10

    /// Two households in two building groups: English headers, Chinese labels and names (one
    /// with a character outside the BMP, 𠮷), an Excel-style date, and the register's spellings
    /// of relations (妻, 本人, 女).
    static let familyCSV = """
        household_key,node,address,name,sex,birth_date,id_number,phone,relation,residence_status,moved_in_on
        A1,\(group1),汾西路261弄3号,王建国,男,1956/3/12,\(head),13800138000,户主,户籍,1998-05-01
        A1,,,李秀英,女,,\(spouse),,妻,户籍,
        A2,\(group2),灵石路100弄1号,刘䶮,男,,\(third),,本人,流动,
        A2,,,王𠮷,女,,\(fourth),,女,流动,

        """

    /// GB18030 bytes of the Chinese characters in `familyCSV`, as Python's codec gives them
    /// (`"王".encode("gb18030")` = CD F5); 𠮷 (U+20BB7) takes four bytes.
    static let gb18030Table: [Character: [UInt8]] = [
        "汾": [0xB7, 0xDA], "西": [0xCE, 0xF7], "路": [0xC2, 0xB7], "弄": [0xC5, 0xAA], "号": [0xBA, 0xC5],
        "王": [0xCD, 0xF5], "建": [0xBD, 0xA8], "国": [0xB9, 0xFA], "男": [0xC4, 0xD0], "李": [0xC0, 0xEE],
        "秀": [0xD0, 0xE3], "英": [0xD3, 0xA2], "女": [0xC5, 0xAE], "户": [0xBB, 0xA7], "主": [0xD6, 0xF7],
        "妻": [0xC6, 0xDE], "籍": [0xBC, 0xAE], "刘": [0xC1, 0xF5], "䶮": [0xFE, 0x9F], "灵": [0xC1, 0xE9],
        "石": [0xCA, 0xAF], "本": [0xB1, 0xBE], "人": [0xC8, 0xCB], "流": [0xC1, 0xF7], "动": [0xB6, 0xAF],
        "𠮷": [0x95, 0x34, 0xB2, 0x35]
    ]

    static func gb18030(_ text: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        for character in text {
            if let ascii = character.asciiValue {
                bytes.append(ascii)
            } else if let encoded = gb18030Table[character] {
                bytes += encoded
            } else {
                throw TestFailure("no GB18030 bytes for \(character)")
            }
        }
        return bytes
    }

    func count(_ app: Application, _ table: String) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await app.db.sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first(decoding: N.self)!.n
    }

    struct AuditRow: Decodable { var action: String; var actor_name: String?; var detail: String }

    func audit(_ app: Application, _ action: String) async throws -> [AuditRow] {
        try await app.db.sql
            .raw("SELECT action, actor_name, detail FROM audit_log WHERE action = \(bind: action) ORDER BY seq")
            .all(decoding: AuditRow.self)
    }

    func importCSV(_ client: TestClient, _ bytes: [UInt8], dryRun: Bool, encoding: String? = nil) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv")
        let query = "dry_run=\(dryRun)" + (encoding.map { "&encoding=\($0)" } ?? "")
        return try await client.send(.POST, "/api/v1/registry/import/persons?\(query)", headers: headers, body: ByteBuffer(bytes: bytes))
    }

    func lookup(_ client: TestClient, _ idNumber: String) async throws -> RegistryQueries.PersonRow? {
        let response = try await client.jsonObject(.POST, "/api/v1/registry/persons/lookup", ["id_number": idNumber])
        return response.status == .ok ? try response.decode(RegistryQueries.PersonRow.self) : nil
    }

    // MARK: Encodings

    @Test("UTF-8 with and without BOM and GB18030 read as the same rows; GB18030 is recognised without being named")
    func encodings() async throws {
        let gbBytes = try Self.gb18030(Self.familyCSV)
        // iconv reads the hand-made bytes back as the original text.
        #expect(try ImportText.decode(gbBytes, as: .gb18030).text == Self.familyCSV)
        #expect(try ImportText.decode(gbBytes, as: .auto).encoding == .gb18030)
        try await withApp(demo: true) { app in
            let cadre = TestClient(app)
            try await cadre.signInAPI("cadre")
            let variants: [(String, [UInt8], String?, String)] = [
                ("UTF-8", Array(Self.familyCSV.utf8), nil, "utf-8"),
                ("UTF-8 with BOM", [0xEF, 0xBB, 0xBF] + Array(Self.familyCSV.utf8), "auto", "utf-8"),
                ("GB18030, detected", gbBytes, "auto", "gb18030"),
                ("GB18030, named", gbBytes, "gb18030", "gb18030"),
                ("GBK, named", gbBytes, "gbk", "gb18030")
            ]
            for (label, bytes, encoding, expected) in variants {
                let response = try await importCSV(cadre, bytes, dryRun: true, encoding: encoding)
                #expect(response.status == .ok, "\(label): \(response.body.string)")
                let report = try response.decode(ImportReport.self)
                #expect(report.rows == 4, "\(label)")
                #expect(report.households == 2, "\(label)")
                #expect(report.errors == [], "\(label)")
                #expect(report.encoding == expected, "\(label)")
            }
            // GB18030 bytes declared as UTF-8 are refused, naming the line of the first bad byte.
            let declared = try await importCSV(cadre, gbBytes, dryRun: true, encoding: "utf-8")
            #expect(declared.status == .unprocessableEntity)
            let refused = try declared.decode(ImportReport.self)
            #expect(refused.errors.map(\.field) == ["file"])
            #expect(refused.errors.first?.line == 2)
            #expect(try await importCSV(cadre, gbBytes, dryRun: true, encoding: "latin-1").status == .unprocessableEntity)
            #expect(try await count(app, "persons") == 0)

            // The GB18030 file, written: names, labels and dates arrive intact.
            let written = try await importCSV(cadre, gbBytes, dryRun: false)
            #expect(written.status == .created, "\(written.body.string)")
            #expect(try await count(app, "persons") == 4)
            #expect(try await count(app, "households") == 2)
            let head = try #require(try await lookup(cadre, Self.head))
            #expect(head.name == "王建国")
            #expect(head.birth_date == "1956-03-12")
            #expect(head.relation == .head)
            #expect(head.residence_status == .registered)
            #expect(head.phone_masked == "138****8000")
            #expect(head.grid_code == Self.group1)
            let spouse = try #require(try await lookup(cadre, Self.spouse))
            #expect(spouse.relation == .spouse)
            #expect(spouse.household_id == head.household_id)
            let third = try #require(try await lookup(cadre, Self.third))
            #expect(third.name == "刘䶮")
            #expect(third.residence_status == .floating)
            #expect(third.grid_code == Self.group2)
            let fourth = try #require(try await lookup(cadre, Self.fourth))
            #expect(fourth.name == "王𠮷")
            #expect(fourth.sex == .female)
            #expect(fourth.relation == .daughter)
            #expect(fourth.household_id == third.household_id)

            // The same rows once more: every one is already registered, and nothing is written.
            let again = try await importCSV(cadre, Array(Self.familyCSV.utf8), dryRun: false)
            #expect(again.status == .unprocessableEntity)
            let repeated = try again.decode(ImportReport.self)
            #expect(repeated.errors.map(\.line) == [2, 3, 4, 5])
            #expect(repeated.errors.allSatisfy { $0.field == "id_number" && $0.message_en.contains("already in the register") })
            #expect(try await count(app, "persons") == 4)
        }
    }

    @Test(
        "decoding and cell readings",
        arguments: [
            ("1956-03-12", "1956-03-12"), ("19560312", "1956-03-12"), ("1956/3/12", "1956-03-12"), ("1956.03.12", "1956-03-12"),
            ("1956年3月12日", "1956-03-12"), ("1956/3/12 0:00:00", "1956-03-12"), ("2024-2-29", "2024-02-29"),
            ("2023-2-29", nil), ("56/3/12", nil), ("1956/3/12 8:30", nil), ("1956//3", nil), ("三月", nil), ("", nil)
        ] as [(String, String?)])
    func cells(text: String, expected: String?) {
        #expect(ImportCell.date(text)?.iso8601 == expected, "\(text)")
    }

    @Test("encoding options, UTF-16 and broken bytes")
    func decoding() throws {
        #expect(ImportEncoding(option: " UTF8 ") == .utf8)
        #expect(ImportEncoding(option: "GBK") == .gb18030)
        #expect(ImportEncoding(option: "") == .auto)
        #expect(ImportEncoding(option: "big5") == nil)
        // A UTF-8 byte-order mark wins over a GB18030 label.
        #expect(try ImportText.decode([0xEF, 0xBB, 0xBF] + Array("王".utf8), as: .gb18030).encoding == .utf8)
        #expect(throws: ImportText.Failure.self) { try ImportText.decode([0xFF, 0xFE, 0x61, 0x00], as: .auto) }
        // Line 3 holds a byte that is neither UTF-8 nor GB18030 (0xFF).
        let broken: [UInt8] = Array("a,b\n1,2\n".utf8) + [0x33, 0xFF, 0x2C, 0x34, 0x0A]
        do {
            _ = try ImportText.decode(broken, as: .auto)
            Issue.record("broken bytes were read")
        } catch {
            #expect(error.line == 3)
        }
        #expect(ImportText.firstInvalidUTF8Offset(Array("好".utf8)) == nil)
        #expect(ImportText.firstInvalidUTF8Offset([0x61, 0xE5, 0xA5]) == 1) // cut short
        #expect(ImportText.firstInvalidUTF8Offset([0xC0, 0xAF]) == 0) // overlong
        #expect(ImportText.firstInvalidUTF8Offset([0xED, 0xA0, 0x80]) == 0) // surrogate
        #expect(PersonColumn.matching(header: " 身份证号码* ") == .idNumber)
        #expect(PersonColumn.matching(header: "Household-Key") == .householdKey)
        #expect(PersonColumn.matching(header: "备注") == nil)
    }

    // MARK: Bad rows

    @Test("a file with bad rows is refused with every line and field named, in a dry run and a real one, and nothing changes")
    func badRows() async throws {
        try await withApp(demo: true) { app in
            let cadre = TestClient(app)
            try await cadre.signInAPI("cadre")
            let registered = Self.id("31010619700101011")
            let created = try await cadre.jsonObject(
                .POST, "/api/v1/registry/households",
                [
                    "node": Self.group1, "address": "已登记 1 号",
                    "members": [["name": "已登记", "id_number": registered, "relation": "head", "residence_status": "registered"]]
                ])
            #expect(created.status == .created)
            var wrongCheck = Self.id("31010619560312021")
            let last = wrongCheck.removeLast()
            wrongCheck.append(last == "0" ? "1" : "0")
            let duplicate = Self.id("31010619650101061")
            let male = Self.id("31010619670101081")
            let ids = [
                wrongCheck, Self.id("31010619610101022"), Self.id("31010619620101031"), Self.id("31010619630101041"),
                Self.id("31010619640101051"), duplicate, Self.id("31010619660101071"), registered, male, Self.id("31010619680101092")
            ]
            let csv = """
                \(Self.header)
                B1,\(Self.group1),汾西路1号,张三,男,,\(wrongCheck),,户主,户籍,
                B1,,,李四,女,1960-01-01,\(ids[1]),,配偶,户籍,
                B2,310106019-9-99-9-99,某路1号,王五,,,\(ids[2]),,户主,户籍,
                B3,310106019-1-02-1-01,某路2号,赵六,,,\(ids[3]),,户主,户籍,
                B4,310106019-1-01-1,某路3号,钱七,,,\(ids[4]),,户主,户籍,
                B5,\(Self.group1),某路4号,孙八,,,\(duplicate),,户主,户籍,
                B5,,,周九,,,\(duplicate),,配偶,户籍,
                B6,\(Self.group1),某路5号,吴十,,,\(ids[6]),,配偶,户籍,
                B7,\(Self.group1),某路6号,郑一,,,\(registered),,户主,户籍,
                B8,\(Self.group1),某路7号,冯二,女,,\(male),12345,户主,户籍,2099-01-01
                B9,\(Self.group1),某路8号,陈三,,,\(ids[9]),,邻居,外星,
                """
            let expected: [(Int, String)] = [
                (2, "id_number"), (3, "birth_date"), (4, "node"), (5, "node"), (6, "node"), (8, "id_number"), (9, "relation"),
                (10, "id_number"), (11, "sex"), (11, "phone"), (11, "moved_in_on"), (12, "relation"), (12, "residence_status")
            ]
            let persons = try await count(app, "persons")
            let households = try await count(app, "households")
            let audits = try await count(app, "audit_log")
            for dryRun in [true, false] {
                let response = try await importCSV(cadre, Array(csv.utf8), dryRun: dryRun)
                #expect(response.status == .unprocessableEntity)
                let report = try response.decode(ImportReport.self)
                #expect(report.dry_run == dryRun)
                #expect(report.rows == 11)
                #expect(report.households == 9)
                #expect(report.errors.map { "\($0.line) \($0.field)" } == expected.map { "\($0.0) \($0.1)" })
                #expect(report.errors.allSatisfy { !$0.message.isEmpty && !$0.message_en.isEmpty })
                // No ID or phone number is echoed back.
                for number in ids + ["12345"] {
                    #expect(!response.body.string.contains(number), "a number was echoed")
                }
                #expect(try await count(app, "persons") == persons)
                #expect(try await count(app, "households") == households)
                #expect(try await count(app, "audit_log") == audits + 1, "only the dry run's own check is audited")
            }
            // Unknown, missing and repeated columns are named before any row is read.
            let badHeader = try await importCSV(cadre, Array("户号,楼组编码,地址,姓名,身份证号,与户主关系,备注,name\nX,a,b,c,d,e,f,g\n".utf8), dryRun: true)
            #expect(badHeader.status == .unprocessableEntity)
            let headerReport = try badHeader.decode(ImportReport.self)
            #expect(Set(headerReport.errors.map(\.field)) == ["header", "name", "residence_status"])
            #expect(headerReport.errors.allSatisfy { $0.line == 1 })
            // A file without its header line: the first row is read as a header, and its numbers
            // are not repeated back.
            let headless = try await importCSV(
                cadre, Array("B1,\(Self.group1),汾西路1号,张三,男,1956-03-12,\(Self.head),13800138000,户主,户籍,1998-05-01\n".utf8), dryRun: true)
            #expect(headless.status == .unprocessableEntity)
            #expect(try headless.decode(ImportReport.self).errors.contains { $0.line == 1 && $0.field == "header" })
            for number in [Self.head, "13800138000", Self.group1] { #expect(!headless.body.string.contains(number)) }
            // A damaged CSV and an empty body are file errors.
            let damaged = try await importCSV(cadre, Array("\(Self.header)\nB1,\"unclosed\n".utf8), dryRun: true)
            #expect(try damaged.decode(ImportReport.self).errors.map(\.field) == ["file"])
            #expect(try await importCSV(cadre, [], dryRun: true).status == .unprocessableEntity)
            // A row continuing (empty 户号) a household whose key could not be read.
            let longKey = String(repeating: "户", count: 65)
            let continued = try await importCSV(
                cadre,
                Array(
                    """
                    \(Self.header)
                    \(longKey),\(Self.group1),某路1号,甲,,,\(Self.head),,户主,户籍,
                    ,,,乙,,,\(Self.spouse),,配偶,户籍,
                    """.utf8), dryRun: true)
            #expect(try continued.decode(ImportReport.self).errors.map { "\($0.line) \($0.field)" } == ["2 household_key"])
            #expect(try await importCSV(cadre, Array("a".utf8), dryRun: true, encoding: "ebcdic").status == .unprocessableEntity)
        }
    }

    // MARK: A whole file

    /// `households` households of three (head, spouse, child) spread over the first ten building
    /// groups of micro-grid 310106019-1-01-1; members leave 户号, group and address empty, as
    /// merged cells in Excel leave them.
    static func bigFile(households: Int) -> (csv: String, ids: [String]) {
        var lines = [header]
        var ids: [String] = []
        for h in 0..<households {
            let group = "310106019-1-01-1-\(String(format: "%02d", h % 10 + 1))"
            // (year, day) is different for each of the first 1,120 households; the month tells
            // head (01), spouse (02) and child (03) apart.
            let year = 1940 + h % 40
            let day = 1 + (h / 40) % 28
            let dd = String(format: "%02d", day)
            let head = id("310106\(year)01\(dd)001")
            let spouse = id("310106\(year)02\(dd)002")
            let child = id("310106\(year + 25)03\(dd)003")
            ids += [head, spouse, child]
            lines.append("H\(h),\(group),汾西路\(h)号,户主\(h),男,\(year)/1/\(day),\(head),139\(String(format: "%08d", h)),户主,户籍人口,2001年5月1日")
            lines.append(",,,配偶\(h),女,,\(spouse),,妻子,常住,")
            lines.append(",,,子女\(h),,,\(child),,长子,流动人口,")
        }
        return (lines.joined(separator: "\r\n") + "\r\n", ids)
    }

    @Test("a good file is written in one go, every row found again by its ID number, with one audit entry and no number in it")
    func wholeFile() async throws {
        try await withApp(demo: true) { app in
            let cadre = TestClient(app)
            try await cadre.signInAPI("cadre")
            let (csv, ids) = Self.bigFile(households: 200)
            #expect(Set(ids).count == 600)
            let dry = try await importCSV(cadre, Array(csv.utf8), dryRun: true)
            #expect(dry.status == .ok, "\(dry.body.string.prefix(500))")
            #expect(try await count(app, "persons") == 0)
            let response = try await importCSV(cadre, Array(csv.utf8), dryRun: false)
            #expect(response.status == .created, "\(response.body.string.prefix(500))")
            let report = try response.decode(ImportReport.self)
            #expect(report.rows == 600)
            #expect(report.households == 200)
            #expect(try await count(app, "persons") == 600)
            #expect(try await count(app, "households") == 200)
            for index in [0, 1, 2, 299, 598, 599] {
                let person = try #require(try await lookup(cadre, ids[index]), "row \(index)")
                #expect(person.id_masked == maskedID(ids[index]))
                #expect(person.name.hasSuffix(String(index / 3)))
            }
            let child = try #require(try await lookup(cadre, ids[599]))
            #expect(child.relation == .son)
            #expect(child.residence_status == .floating)
            struct Detail: Decodable { var household: RegistryQueries.HouseholdRow; var members: [RegistryQueries.PersonRow] }
            let detail = try await cadre.get("/api/v1/registry/households/\(child.household_id)").decode(Detail.self)
            #expect(detail.members.map(\.relation) == [.head, .spouse, .son])
            #expect(detail.household.address == "汾西路199号")
            #expect(detail.household.moved_in_on == "2001-05-01")
            let entries = try await audit(app, "registry.imported")
            #expect(entries.count == 1)
            #expect(entries.first?.actor_name == "cadre")
            #expect(entries.first?.detail.contains("\"rows\":\"600\"") == true)
            #expect(entries.first?.detail.contains("\"households\":\"200\"") == true)
            #expect(entries.allSatisfy { entry in ids.allSatisfy { !entry.detail.contains($0) } })
            #expect(try await AuditLog.verify(on: app.db).isIntact)
        }
    }

    // MARK: Export

    @Test("export is masked CSV with a BOM; plain numbers need the role and a purpose, and every export is audited")
    func export() async throws {
        try await withApp(demo: true) { app in
            let cadre = TestClient(app)
            try await cadre.signInAPI("cadre")
            #expect(try await importCSV(cadre, Array(Self.familyCSV.utf8), dryRun: false).status == .created)

            let masked = try await cadre.get("/api/v1/registry/export/persons?node=\(Self.group1)")
            #expect(masked.status == .ok)
            #expect(masked.headers.contentType?.description.hasPrefix("text/csv") == true)
            let text = masked.body.string
            #expect(Array(masked.body.readableBytesView.prefix(3)) == [0xEF, 0xBB, 0xBF])
            #expect(text.hasPrefix("\u{FEFF}" + Self.header + "\r\n"))
            let table = try CSVTable(parsing: text)
            #expect(table.rows.map { $0.fields[3] } == ["王建国", "李秀英"])
            #expect(table.rows[0].fields[6] == maskedID(Self.head))
            #expect(table.rows[0].fields[7] == "138****8000")
            #expect(table.rows[0].fields[8] == "户主")
            #expect(table.rows[1].fields[8] == "配偶")
            for number in [Self.head, Self.spouse, "13800138000"] { #expect(!text.contains(number)) }
            // The whole scope, in English; the file reads back as an import file.
            let english = try await cadre.get("/api/v1/registry/export/persons?lang=en")
            let all = try CSVTable(parsing: english.body.string)
            #expect(all.header == PersonColumn.allCases.map(\.rawValue))
            #expect(all.rows.count == 4)
            #expect(all.rows.first?.fields[8] == "head")
            // Outside the scope: 404.
            #expect(try await cadre.get("/api/v1/registry/export/persons?node=310106019-1-02").status == .notFound)

            // Plain numbers: not for a grid worker, not without a purpose.
            let grid = TestClient(app)
            try await grid.signInAPI("gridworker")
            #expect(try await grid.get("/api/v1/registry/export/persons?node=\(Self.group1)").status == .ok)
            #expect(
                try await grid.jsonObject(
                    .POST, "/api/v1/registry/export/persons",
                    ["node": Self.group1, "plain": true, "purpose": "home_visit", "purpose_detail": "上门走访联系"]
                ).status == .forbidden)
            let noPurpose = try await cadre.jsonObject(.POST, "/api/v1/registry/export/persons", ["node": Self.group1, "plain": true])
            #expect(noPurpose.status == .unprocessableEntity)
            #expect(noPurpose.body.string.contains("\"field\":\"purpose\""))
            let plain = try await cadre.jsonObject(
                .POST, "/api/v1/registry/export/persons",
                ["node": Self.group1, "plain": true, "purpose": "assistance", "purpose_detail": "核对高龄津贴名单"])
            #expect(plain.status == .ok)
            let plainTable = try CSVTable(parsing: plain.body.string)
            #expect(plainTable.rows.map { $0.fields[6] } == [Self.head, Self.spouse])
            #expect(plainTable.rows[0].fields[7] == "13800138000")

            let entries = try await audit(app, "registry.exported")
            #expect(entries.count == 4) // masked ×3 (group, grid worker, English); plain ×1
            #expect(entries.filter { $0.detail.contains("\"plain\":\"true\"") }.count == 1)
            let plainEntry = try #require(entries.first { $0.detail.contains("\"plain\":\"true\"") })
            #expect(plainEntry.detail.contains("核对高龄津贴名单"))
            #expect(plainEntry.detail.contains("\"rows\":\"2\""))
            #expect(entries.allSatisfy { entry in [Self.head, Self.spouse, "13800138000"].allSatisfy { !entry.detail.contains($0) } })
        }
    }

    // MARK: Tag assignments

    func importTags(_ client: TestClient, _ csv: String, dryRun: Bool) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        return try await client.send(.POST, "/api/v1/registry/import/tags?dry_run=\(dryRun)", headers: headers, body: ByteBuffer(string: csv))
    }

    @Test("tag assignments: person by ID number inside the scope, tag by code or name, one current per person and tag, all or none")
    func tagAssignments() async throws {
        try await withApp(demo: true) { app in
            let cadre = TestClient(app)
            try await cadre.signInAPI("cadre")
            #expect(try await importCSV(cadre, Array(Self.familyCSV.utf8), dryRun: false).status == .created)
            let sql = app.db.sql
            for (index, tag) in [("alone", "独居老人", false), ("lowinc", "低保", false), ("religion", "宗教信仰", true)].enumerated() {
                try await sql.raw(
                    """
                    INSERT INTO tags (id, code, name_zh, name_en, kind, sensitive, sort_order)
                    VALUES (\(bind: UUID()), \(bind: tag.0), \(bind: tag.1), \(bind: tag.0), 'identity', \(bind: tag.2), \(bind: index))
                    """
                ).run()
            }
            // Someone in another residential area, outside the cadre's scope.
            let admin = TestClient(app)
            try await admin.signInAPI("admin")
            let outsider = Self.id("31010619750505051")
            #expect(
                try await admin.jsonObject(
                    .POST, "/api/v1/registry/households",
                    [
                        "node": "310106019-1-02-1-01", "address": "外区 1 号",
                        "members": [["name": "外区", "id_number": outsider, "relation": "head", "residence_status": "registered"]]
                    ]
                ).status == .created)
            var wrong = Self.head
            wrong.removeLast()
            wrong.append(Self.head.last == "0" ? "1" : "0")
            let bad = """
                身份证号,标签,开始日期,结束日期,来源
                \(Self.head),alone,2024-01-01,,走访
                \(Self.head),独居老人,2024-02-01,,
                \(outsider),alone,,,
                \(Self.spouse),不存在的标签,,,
                \(Self.spouse),religion,,,
                \(Self.third),lowinc,2024-05-01,2024-04-01,
                \(Self.fourth),低保,2023-01-01,2023-12-31,外星
                \(wrong),alone,,,
                """
            for dryRun in [true, false] {
                let response = try await importTags(cadre, bad, dryRun: dryRun)
                #expect(response.status == .unprocessableEntity)
                let report = try response.decode(ImportReport.self)
                #expect(report.rows == 8)
                #expect(report.households == nil)
                #expect(report.errors.map { "\($0.line) \($0.field)" } == ["3 tag", "4 id_number", "5 tag", "7 ends_on", "8 source", "9 id_number"])
                #expect(!response.body.string.contains(outsider))
                #expect(try await count(app, "tag_assignments") == 0)
            }
            // A grid worker may not see the sensitive tag: to them it does not exist.
            let grid = TestClient(app)
            try await grid.signInAPI("gridworker")
            let sensitive = try await importTags(grid, "身份证号,标签\n\(Self.head),religion\n", dryRun: true)
            #expect(try sensitive.decode(ImportReport.self).errors.map(\.field) == ["tag"])

            let good = """
                id_number,tag,starts_on,ends_on,source
                \(Self.head),alone,2024-01-01,,走访
                \(Self.spouse),religion,,,
                \(Self.third),低保,2020/1/1,2021/1/1,manual
                \(Self.fourth),lowinc,,,
                """
            #expect(try await importTags(cadre, good, dryRun: true).status == .ok)
            let written = try await importTags(cadre, good, dryRun: false)
            #expect(written.status == .created, "\(written.body.string)")
            #expect(try await count(app, "tag_assignments") == 4)
            let head = try #require(try await lookup(cadre, Self.head))
            struct Detail: Decodable { var tags: [RegistryQueries.TagRow] }
            let tags = try await cadre.get("/api/v1/registry/persons/\(head.id)").decode(Detail.self).tags
            #expect(tags.map(\.code) == ["alone"])
            #expect(tags.first?.source == "visit")
            #expect(tags.first?.starts_on == "2024-01-01")
            #expect(tags.first?.created_by == "cadre")
            let third = try #require(try await lookup(cadre, Self.third))
            let history = try await cadre.get("/api/v1/registry/persons/\(third.id)").decode(Detail.self).tags
            #expect(history.first?.ends_on == "2021-01-01")
            let entries = try await audit(app, "registry.imported")
            #expect(entries.last?.detail.contains("\"kind\":\"tag_assignments\"") == true)
            // The same file again: the current ones are already there; the ended one may repeat.
            let again = try await importTags(cadre, good, dryRun: true)
            #expect(try again.decode(ImportReport.self).errors.map { "\($0.line) \($0.field)" } == ["2 tag", "3 tag", "5 tag"])
        }
    }

    // MARK: Command line

    @Test("the command line: a dry run with bad rows prints each and exits non-zero; a good file imports; export writes masked CSV")
    func commandLine() async throws {
        try await withApp(demo: true) { app in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("minqing-import-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            var wrong = Self.head
            wrong.removeLast()
            wrong.append(Self.head.last == "0" ? "1" : "0")
            let bad = """
                \(Self.header)
                C1,\(Self.group1),汾西路1号,张三,,,\(wrong),,户主,户籍,
                C2,310106019-1-02-1-01,汾西路2号,李四,,,\(Self.spouse),,户主,户籍,
                """
            let badPath = folder.appendingPathComponent("bad.csv").path
            try Data(bad.utf8).write(to: URL(fileURLWithPath: badPath))

            func run(_ command: some AsyncCommand, _ arguments: [String]) async throws {
                var context = CommandContext(console: Terminal(), input: CommandInput(arguments: ["minqing"] + arguments))
                context.application = app
                try await command.run(using: &context)
            }

            do {
                try await run(ImportCommands.kinds["persons"]!, [badPath, "--dry-run"])
                Issue.record("a dry run with bad rows succeeded")
            } catch let failure as CommandFailure {
                #expect(failure.description.contains("nothing was written"))
            }
            // What it prints: one line per bad row.
            let report = try await PersonImport.run(
                .bytes(Array(bad.utf8), .auto), dryRun: true, authority: .console(scope: nil),
                vault: app.services.vault, now: TestClock.pinnedNow(), on: app.db)
            let printed = report.consoleLines(seconds: 0)
            #expect(printed.count == 2)
            #expect(printed[0].hasPrefix("line 2: id_number: 身份证号校验码错误"))
            #expect(printed[0].contains(" / Wrong check character"))
            // The console may use any building group unless --scope narrows it.
            let scoped = try await PersonImport.run(
                .bytes(Array(bad.utf8), .auto), dryRun: true,
                authority: .console(scope: GridQueries.scope(rootedAt: try #require(try await GridQueries.node(code: "310106019-1-01", on: app.db)))),
                vault: app.services.vault, now: TestClock.pinnedNow(), on: app.db)
            #expect(scoped.errors.map { "\($0.line) \($0.field)" } == ["2 id_number", "3 node"])
            #expect(try await count(app, "persons") == 0)

            // A good file through the command, in GB18030.
            let goodPath = folder.appendingPathComponent("good.csv").path
            try Data(try Self.gb18030(Self.familyCSV)).write(to: URL(fileURLWithPath: goodPath))
            do {
                try await run(ImportCommands.kinds["persons"]!, [goodPath, "--scope", "310106019-1-02"])
                Issue.record("an import outside --scope succeeded")
            } catch is CommandFailure {}
            #expect(try await count(app, "persons") == 0)
            try await run(ImportCommands.kinds["persons"]!, [goodPath, "--encoding", "gb18030", "--scope", "310106019-1-01"])
            #expect(try await count(app, "persons") == 4)
            #expect(try await audit(app, "registry.imported").first?.actor_name == "console")

            // Export to a file: BOM, masked numbers, every person.
            let outPath = folder.appendingPathComponent("out.csv").path
            try await run(ExportPersonsCommand(), ["--output", outPath])
            let exported = try Data(contentsOf: URL(fileURLWithPath: outPath))
            #expect(Array(exported.prefix(3)) == [0xEF, 0xBB, 0xBF])
            let text = String(decoding: exported, as: UTF8.self)
            #expect(try CSVTable(parsing: text).rows.count == 4)
            #expect(!text.contains(Self.head))
            #expect(text.contains("********"))
            try await run(ExportPersonsCommand(), ["--scope", Self.group2, "--output", outPath, "--lang", "en"])
            let narrow = try CSVTable(parsing: String(decoding: try Data(contentsOf: URL(fileURLWithPath: outPath)), as: UTF8.self))
            #expect(narrow.rows.map { $0.fields[3] } == ["刘䶮", "王𠮷"])
            #expect(try await audit(app, "registry.exported").count == 2)
        }
    }
}
