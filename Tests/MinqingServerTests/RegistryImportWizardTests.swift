import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// The import wizard's pages: choose, upload, dry run, confirm; the waiting file sealed, bound
/// to its account, taken once and expiring.
@Suite("Register: import wizard")
struct RegistryImportWizardTests {
    static let group1 = RegistryPlaceImportTests.group1
    static let owner1 = RegistryPlaceImportTests.owner1

    func count(_ app: Application, _ table: String) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await app.db.sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first(decoding: N.self)!.n
    }

    func signIn(_ app: Application, _ username: String = "cadre") async throws -> (client: TestClient, csrf: String) {
        let client = TestClient(app)
        #expect(try await client.signInWeb(username).status == .seeOther)
        let page = try await client.get("/registry/import")
        #expect(page.status == .ok)
        return (client, try #require(TestClient.csrf(in: page.body.string)))
    }

    func upload(
        _ client: TestClient, csrf: String, kind: String?, _ bytes: [UInt8]?, encoding: String = "auto",
        name: String = "房屋.csv"
    ) async throws -> TestingHTTPResponse {
        var fields = ["csrf": csrf, "encoding": encoding]
        if let kind { fields["kind"] = kind }
        return try await client.multipart("/registry/import", fields: fields, files: bytes.map { ["file": (name, $0)] } ?? [:])
    }

    /// The token of the confirmation form on a check page.
    func confirmToken(in html: String) -> String? {
        guard let range = html.range(of: "name=\"token\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    @Test("end to end: choose the kind, upload, see every bad row, upload a clean file, confirm, and it is written once")
    func endToEnd() async throws {
        try await withApp(demo: true) { app in
            let (cadre, csrf) = try await signIn(app)
            let start = try await cadre.get("/registry/import?kind=dwellings").body.string
            #expect(start.contains("导入向导"))
            #expect(start.contains("enctype=\"multipart/form-data\""))
            for kind in ImportKind.allCases { #expect(start.contains("id=\"kind-\(kind.rawValue)\"")) }
            #expect(start.contains("id=\"kind-dwellings\" name=\"kind\" value=\"dwellings\" checked"))
            #expect(start.contains("name=\"csrf\" value=\"\(csrf)\""))

            // A file with bad rows: each listed with line, column and reason; nothing kept, nothing written.
            var wrong = Self.owner1
            wrong.removeLast()
            wrong.append(Self.owner1.last == "0" ? "1" : "0")
            let bad = """
                \(RegistryPlaceImportTests.dwellingHeader)
                C-FX,汾西小区,老旧,汾西路261弄,\(Self.group1),,6,1,101,89.57125,,,,,,王建国,个人,\(wrong),
                C-FX,,,,\(Self.group1),,,1,102,60,,,,,,,,,
                C-FX,,,,310106019-1-02-1-01,,,1,103,60,,,,,,,,,
                """
            let checked = try await upload(cadre, csrf: csrf, kind: "dwellings", Array(bad.utf8))
            #expect(checked.status == .unprocessableEntity)
            let page = checked.body.string
            #expect(page.contains("id=\"check-failed\""))
            #expect(page.contains("id=\"import-errors\""))
            #expect(page.contains("共 3 行，其中 1 行无误、2 行有问题"))
            #expect(page.contains("登记面积（平方米）") && page.contains("面积最多保留四位小数"))
            #expect(page.contains("业主身份证号") && page.contains("楼组编码不存在或不在您的管辖范围内"))
            #expect(!page.contains("id=\"confirm-form\""))
            #expect(!page.contains(wrong))
            #expect(page.contains("房屋.csv"))
            #expect(try await count(app, "import_uploads") == 0)
            #expect(try await count(app, "dwellings") == 0)

            // A clean file: kept sealed under a token, nothing written yet.
            let clean = try await upload(cadre, csrf: csrf, kind: "dwellings", Array(RegistryPlaceImportTests.dwellingsCSV.utf8))
            #expect(clean.status == .ok, "\(clean.body.string)")
            let ok = clean.body.string
            #expect(ok.contains("id=\"check-ok\""))
            #expect(ok.contains("4 行、3 套房屋、3 位业主"))
            #expect(!ok.contains(Self.owner1) && !ok.contains("13800138000") && !ok.contains("汾西路261弄,"))
            let token = try #require(confirmToken(in: ok))
            #expect(try await count(app, "dwellings") == 0)
            struct Sealed: Decodable { var sealed: Data; var token_hash: String }
            let stored = try await app.db.sql.raw("SELECT sealed, token_hash FROM import_uploads").all(decoding: Sealed.self)
            #expect(stored.count == 1)
            #expect(stored[0].token_hash != token)
            #expect(String(decoding: stored[0].sealed, as: UTF8.self).contains(Self.owner1) == false)
            #expect(String(decoding: stored[0].sealed, as: UTF8.self).contains("汾西小区") == false)

            // Confirmed: written, audited, the waiting file gone; a second confirmation imports nothing.
            let done = try await cadre.form("/registry/import/confirm", ["csrf": csrf, "token": token])
            #expect(done.status == .ok, "\(done.body.string)")
            #expect(done.body.string.contains("id=\"import-done\""))
            #expect(try await count(app, "dwellings") == 3)
            #expect(try await count(app, "import_uploads") == 0)
            let again = try await cadre.form("/registry/import/confirm", ["csrf": csrf, "token": token])
            #expect(again.status == .notFound)
            #expect(again.body.string.contains("id=\"import-expired\""))
            #expect(try await count(app, "dwellings") == 3)
            // Without the CSRF token nothing is taken.
            #expect(try await cadre.form("/registry/import/confirm", ["token": token]).status == .forbidden)

            // The same file checked again now fails: the dwellings are registered.
            let twice = try await upload(cadre, csrf: csrf, kind: "dwellings", Array(RegistryPlaceImportTests.dwellingsCSV.utf8))
            #expect(twice.status == .unprocessableEntity)
            #expect(twice.body.string.contains("该房屋已登记在册"))

            // In English.
            cadre.cookies["minqing_lang"] = "en"
            let english = try await cadre.get("/registry/import").body.string
            #expect(english.contains("Import wizard") && english.contains("Dwellings and owners"))
            let englishCheck = try await upload(cadre, csrf: csrf, kind: "dwellings", Array(bad.utf8))
            #expect(englishCheck.body.string.contains("The area has at most four decimals"))
        }
    }

    @Test("a GB18030 households file is detected, checked and written the same way; heads through the vault")
    func gb18030() async throws {
        try await withApp(demo: true) { app in
            let (cadre, csrf) = try await signIn(app)
            let text = "node,address,head_name,head_id_number,head_residence_status\n\(Self.group1),汾西路1号,王建国,\(Self.owner1),户籍\n"
            let bytes = try RegistryImportTests.gb18030(text)
            let checked = try await upload(cadre, csrf: csrf, kind: "households", bytes)
            #expect(checked.status == .ok, "\(checked.body.string)")
            #expect(checked.body.string.contains("gb18030"))
            let token = try #require(confirmToken(in: checked.body.string))
            let done = try await cadre.form("/registry/import/confirm", ["csrf": csrf, "token": token])
            #expect(done.status == .ok)
            let api = TestClient(app)
            try await api.signInAPI("cadre")
            let person = try await api.jsonObject(.POST, "/api/v1/registry/persons/lookup", ["id_number": Self.owner1])
            #expect(try person.decode(RegistryQueries.PersonRow.self).name == "王建国")
        }
    }

    @Test("a waiting file belongs to the account that uploaded it and expires after an hour")
    func binding() async throws {
        let clock = TestClock()
        try await withApp(demo: true, now: { clock.now }) { app in
            let (cadre, csrf) = try await signIn(app)
            let csv = "楼组编码,地址\n\(Self.group1),汾西路2号\n"
            let first = try await upload(cadre, csrf: csrf, kind: "households", Array(csv.utf8))
            let token = try #require(confirmToken(in: first.body.string))
            // Another staff member (here the staff account, whose scope holds the building group) cannot use it.
            let (staff, staffCSRF) = try await signIn(app, "staff")
            let stolen = try await staff.form("/registry/import/confirm", ["csrf": staffCSRF, "token": token])
            #expect(stolen.status == .notFound)
            #expect(try await count(app, "households") == 0)
            #expect(try await count(app, "import_uploads") == 1)
            // After an hour it is gone.
            clock.advance(3_601)
            let (late, lateCSRF) = try await signIn(app)
            let expired = try await late.form("/registry/import/confirm", ["csrf": lateCSRF, "token": token])
            #expect(expired.status == .notFound)
            #expect(try await count(app, "households") == 0)
            // An account keeps at most five waiting files; a new upload clears expired ones.
            for n in 0..<7 {
                let response = try await upload(late, csrf: lateCSRF, kind: "households", Array("楼组编码,地址\n\(Self.group1),汾西路\(10 + n)号\n".utf8))
                #expect(response.status == .ok)
            }
            #expect(try await count(app, "import_uploads") == ImportUploads.perAccount)
        }
    }

    @Test("form problems are named by field; templates download; the register links to the wizard")
    func formAndTemplates() async throws {
        try await withApp(demo: true) { app in
            let (cadre, csrf) = try await signIn(app)
            let empty = try await upload(cadre, csrf: csrf, kind: nil, nil)
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.body.string.contains("id=\"error-kind\"") && empty.body.string.contains("id=\"error-file\""))
            let wrongEncoding = try await upload(cadre, csrf: csrf, kind: "persons", Array("a,b\n1,2\n".utf8), encoding: "latin-1")
            #expect(wrongEncoding.status == .unprocessableEntity)
            #expect(wrongEncoding.body.string.contains("id=\"error-encoding\""))
            // A file that is not a register file at all: the header problems are listed.
            let header = try await upload(cadre, csrf: csrf, kind: "tags", Array("备注\n你好\n".utf8))
            #expect(header.status == .unprocessableEntity)
            #expect(header.body.string.contains("表头"))
            // A hostile file name is escaped.
            let hostile = try await upload(
                cadre, csrf: csrf, kind: "households", Array("楼组编码,地址\n\(Self.group1),汾西路3号\n".utf8),
                name: "\"><script>x</script>.csv")
            #expect(!hostile.body.string.contains("<script>x"))

            for kind in ImportKind.allCases {
                let template = try await cadre.get("/registry/import/template/\(kind.rawValue)")
                #expect(template.status == .ok)
                #expect(Array(template.body.readableBytesView.prefix(3)) == [0xEF, 0xBB, 0xBF])
                let table = try CSVTable(parsing: template.body.string)
                #expect(table.header.count == kind.columns.count)
                #expect(table.rows.isEmpty)
            }
            #expect(try await cadre.get("/registry/import/template/households").body.string.contains("*楼组编码"))
            let node = try await cadre.get("/registry/nodes/310106019-1-01").body.string
            #expect(node.contains("href=\"/registry/import\""))
        }
    }
}
