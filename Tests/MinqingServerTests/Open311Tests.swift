import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Open311 GeoReport v2 over the wire: form-encoded POSTs with an API key, XML read by element
/// name with Foundation's XMLParser, JSON with JSONSerialization, and the error documents.
@Suite("Open311 GeoReport v2")
struct Open311WireTests {
    // MARK: - Wire helpers

    /// An XML element: name, text, children.
    final class Element {
        let name: String
        var text = ""
        var children: [Element] = []
        init(_ name: String) { self.name = name }
        func all(_ name: String) -> [Element] { children.filter { $0.name == name } }
        func first(_ name: String) -> Element? { children.first { $0.name == name } }
        subscript(_ name: String) -> String? { first(name)?.text }
    }

    final class TreeBuilder: NSObject, XMLParserDelegate {
        var stack: [Element] = [Element("#document")]
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]
        ) {
            let element = Element(name)
            stack.last?.children.append(element)
            stack.append(element)
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last?.text += string }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { stack.removeLast() }
    }

    static func xml(_ response: TestingHTTPResponse) throws -> Element {
        #expect(response.headers.first(name: .contentType) == "text/xml; charset=utf-8")
        let text = response.body.string
        #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"utf-8\"?>"))
        let parser = XMLParser(data: Data(text.utf8))
        let builder = TreeBuilder()
        parser.delegate = builder
        guard parser.parse(), let root = builder.stack.first?.children.first else { throw TestFailure("not XML: \(text.prefix(300))") }
        return root
    }

    static func json(_ response: TestingHTTPResponse) throws -> Any {
        #expect(response.headers.first(name: .contentType) == "application/json; charset=utf-8")
        return try JSONSerialization.jsonObject(with: Data(response.body.string.utf8), options: [.fragmentsAllowed])
    }

    /// A form body as clients send it: `application/x-www-form-urlencoded; charset=utf-8`, keys in order.
    static func post(_ client: TestClient, _ path: String, _ fields: [(String, String)]) async throws -> TestingHTTPResponse {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = fields.map {
            "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }
        .joined(separator: "&")
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/x-www-form-urlencoded; charset=utf-8")
        return try await client.send(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }

    static func errors(_ response: TestingHTTPResponse, _ status: UInt, xml: Bool = true) throws -> [String] {
        #expect(response.status.code == status, "\(response.status.code): \(response.body.string.prefix(300))")
        if xml {
            let root = try Self.xml(response)
            #expect(root.name == "errors")
            #expect(!root.all("error").isEmpty, "no error in \(response.body.string.prefix(300))")
            #expect(root.all("error").allSatisfy { $0["code"] == String(status) })
            return root.all("error").compactMap { $0["description"] }
        }
        let list = try #require(try Self.json(response) as? [[String: Any]], "not a list of errors: \(response.body.string.prefix(300))")
        #expect(!list.isEmpty, "no error in \(response.body.string.prefix(300))")
        #expect(list.allSatisfy { $0["code"] as? Int == Int(status) })
        return list.compactMap { $0["description"] as? String }
    }

    static func key(_ app: Application, name: String = "城市随手拍") async throws -> String {
        let subdistrict = try await Open311Queries.jurisdiction(code: "310106019", on: app.db)!
        return try await Open311Service.issueKey(
            name: name, jurisdiction: subdistrict.id, by: "test", actorID: nil, now: TestClock.pinnedNow(), on: app.db
        ).key
    }

    static func caseCount(_ app: Application) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await app.db.sql.raw("SELECT COUNT(*) AS n FROM cases").first(decoding: N.self)!.n
    }

    // MARK: - Tests

    @Test("discovery lists the v2 endpoint and both formats, in XML and JSON")
    func discovery() async throws {
        try await withApp(demo: true) { app in
            let client = TestClient(app)
            let root = try Self.xml(try await client.get("/open311/v2/discovery.xml"))
            #expect(root.name == "discovery")
            let endpoint = try #require(root.first("endpoints")?.first("endpoint"))
            #expect(endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2")
            #expect(endpoint["url"]?.hasSuffix("/open311/v2") == true)
            #expect(endpoint.first("formats")?.all("format").map(\.text) == ["text/xml", "application/json"])
            let json = try Self.json(try await client.get("/open311/v2/discovery.json")) as? [String: Any]
            let endpoints = json?["endpoints"] as? [[String: Any]]
            #expect(endpoints?.first?["formats"] as? [String] == ["text/xml", "application/json"])
            #expect(json?["key_service"] is String)
        }
    }

    @Test("services: public sub-categories only, metadata where attributes exist; definitions with values")
    func services() async throws {
        try await withApp(demo: true) { app in
            let client = TestClient(app)
            let root = try Self.xml(try await client.get("/open311/v2/services.xml?jurisdiction_id=310106019"))
            #expect(root.name == "services")
            let services = root.all("service")
            let codes = services.compactMap { $0["service_code"] }
            #expect(codes.contains("C0102") && codes.contains("E0404"))
            #expect(!codes.contains { $0.hasPrefix("E06") } && !codes.contains("E0402") && !codes.contains("E04"))
            let light = try #require(services.first { $0["service_code"] == "C0102" })
            #expect(light["service_name"] == "路灯不亮")
            #expect(light["metadata"] == "true" && light["type"] == "realtime" && light["group"] == "公用设施")
            #expect(services.first { $0["service_code"] == "E0404" }?["metadata"] == "false")

            let english = try Self.json(try await client.get("/open311/v2/services.json?locale=en")) as? [[String: Any]] ?? []
            #expect(english.count == services.count)
            #expect(english.first { $0["service_code"] as? String == "C0102" }?["service_name"] as? String == "Street light out")
            #expect(english.first { $0["service_code"] as? String == "C0102" }?["metadata"] as? Bool == true)

            let definition = try Self.xml(try await client.get("/open311/v2/services/C0102.xml"))
            #expect(definition.name == "service_definition" && definition["service_code"] == "C0102")
            let attributes = try #require(definition.first("attributes")).all("attribute")
            #expect(attributes.map { $0["code"] } == ["pole_number", "lights_out"])
            #expect(attributes.map { $0["order"] } == ["1", "2"])
            #expect(attributes[1]["datatype"] == "singlevaluelist" && attributes[1]["required"] == "true" && attributes[1]["variable"] == "true")
            #expect(attributes[1].first("values")?.all("value").compactMap { $0["key"] } == ["one", "several", "street"])
            let json = try Self.json(try await client.get("/open311/v2/services/E0102.json")) as? [String: Any]
            let multi = (json?["attributes"] as? [[String: Any]])?.first
            #expect(multi?["datatype"] as? String == "multivaluelist")
            #expect((multi?["values"] as? [[String: Any]])?.count == 4)

            #expect(try Self.errors(try await client.get("/open311/v2/services/E0601.xml"), 404).first?.contains("service_code") == true)
            #expect(try Self.errors(try await client.get("/open311/v2/services/X9999.json"), 404, xml: false).first?.contains("service_code") == true)
            #expect(
                try Self.errors(try await client.get("/open311/v2/services.xml?jurisdiction_id=999999"), 404).first?.contains("jurisdiction_id")
                    == true)
        }
    }

    @Test("POST requests: form-encoded with an API key becomes a case; the answer, the token and GET requests/{id} agree")
    func postRequest() async throws {
        try await withApp(demo: true) { app in
            let key = try await Self.key(app)
            let client = TestClient(app)
            let response = try await Self.post(
                client, "/open311/v2/requests.xml",
                [
                    ("api_key", key), ("jurisdiction_id", "310106019"), ("service_code", "C0102"), ("lat", "31.271234"), ("long", "121.445678"),
                    ("address_string", "临汾路 375 号门口"), ("email", "zhang@example.cn"), ("device_id", "dev-1"), ("account_id", "acc-9"),
                    ("first_name", "三"), ("last_name", "张"), ("phone", "13812348000"), ("description", "门口两盏路灯都不亮 & 很暗"),
                    ("media_url", "https://img.example.cn/1.jpg"), ("attribute[pole_number]", "LF-0231"), ("attribute[lights_out]", "several")
                ])
            #expect(response.status == .ok, "\(response.body.string)")
            let root = try Self.xml(response)
            #expect(root.name == "service_requests")
            let request = try #require(root.first("request"))
            let number = try #require(request["service_request_id"])
            #expect(number.hasPrefix(String(CivilDate.today(now: TestClock.pinnedNow()).year) + "-"))
            #expect(request.first("token") == nil, "a service_request_id answer carries no token")
            #expect(request["service_notice"]?.contains("working day") == true)
            #expect(request["account_id"] == "acc-9")

            // The case: the app channel, the client as actor, answers stored, the phone sealed.
            struct Row: Decodable {
                var id: UUID; var channel: String; var client_name: String?; var intake_token: String; var submitter_phone_masked: String?
                var submitter_phone_cipher: String?; var lat_e6: Int64?; var state: String
            }
            let sql = app.db.sql
            let row = try #require(
                try await sql.raw(
                    """
                    SELECT id, channel, client_name, intake_token, submitter_phone_masked, submitter_phone_cipher, lat_e6, state FROM cases WHERE number = \(bind: number)
                    """
                ).first(decoding: Row.self))
            #expect(row.channel == "app" && row.client_name == "城市随手拍" && row.state == "reported" && row.lat_e6 == 31_271_234)
            #expect(row.submitter_phone_masked == "138****8000")
            #expect(row.submitter_phone_cipher?.contains("13812348000") == false)
            struct Answer: Decodable { var code: String; var value: String }
            let answers = try await sql.raw("SELECT code, value FROM case_attribute_answers WHERE case_id = \(bind: row.id) ORDER BY code")
                .all(decoding: Answer.self)
            #expect(answers.map { "\($0.code)=\($0.value)" } == ["lights_out=several", "pole_number=LF-0231"])
            struct Actor: Decodable { var actor_name: String }
            #expect(
                try await sql.raw("SELECT actor_name FROM case_transitions WHERE case_id = \(bind: row.id)").first(decoding: Actor.self)?.actor_name
                    == "open311:城市随手拍")

            // tokens/{token} finds the number.
            let token = try Self.xml(try await client.get("/open311/v2/tokens/\(row.intake_token).xml"))
            #expect(token.first("request")?["service_request_id"] == number)
            #expect(token.first("request")?["token"] == row.intake_token)
            #expect(try Self.errors(try await client.get("/open311/v2/tokens/nonsense.json"), 404, xml: false).first?.contains("token") == true)

            // GET requests/{id}: everything the client sent that may be public, nothing personal.
            let list = try Self.json(try await client.get("/open311/v2/requests/\(number).json")) as? [[String: Any]] ?? []
            let item = try #require(list.first)
            #expect(list.count == 1)
            #expect(item["service_request_id"] as? String == number && item["status"] as? String == "open")
            #expect(item["status_notes"] as? String == CaseState.reported.nameZH)
            #expect(item["service_code"] as? String == "C0102" && item["service_name"] as? String == "路灯不亮")
            #expect(item["description"] as? String == "门口两盏路灯都不亮 & 很暗")
            #expect(item["address"] as? String == "临汾路 375 号门口")
            #expect((item["lat"] as? NSNumber)?.doubleValue == 31.271234 && (item["long"] as? NSNumber)?.doubleValue == 121.445678)
            #expect(item["media_url"] as? String == "https://img.example.cn/1.jpg")
            #expect((item["requested_datetime"] as? String)?.hasSuffix("+08:00") == true)
            let body = try await client.get("/open311/v2/requests/\(number).xml").body.string
            for secret in ["13812348000", "zhang@example.cn", "张", "acc-9", "dev-1"] { #expect(!body.contains(secret), "\(secret) leaked") }
            #expect(try Self.errors(try await client.get("/open311/v2/requests/2020-999999.xml"), 404).first?.contains("service_request_id") == true)
        }
    }

    @Test("POST requests refuses what is wrong, in Open311's error format, and writes nothing")
    func postErrors() async throws {
        try await withApp(demo: true) { app in
            let key = try await Self.key(app)
            let revoked = try await Self.key(app, name: "旧客户端")
            let subdistrict = try await Open311Queries.jurisdiction(code: "310106019", on: app.db)!
            let scope = GridQueries.scope(rootedAt: try await GridQueries.node(code: "310106019", on: app.db)!)
            let revokedID = try await Open311Queries.clients(in: scope, on: app.db).first { $0.name == "旧客户端" }!.id
            try await Open311Service.revoke(revokedID, scope: scope, by: "test", actorID: nil, now: TestClock.pinnedNow(), on: app.db)
            _ = subdistrict
            let client = TestClient(app)
            let before = try await Self.caseCount(app)
            let place = [("address_string", "临汾路 1 号")]
            let cases: [([(String, String)], UInt, String)] = [
                ([("service_code", "C0101"), ("attribute[hazard]", "missing")] + place, 403, "api_key"),
                ([("api_key", "not-a-key"), ("service_code", "C0101"), ("attribute[hazard]", "missing")] + place, 403, "api_key"),
                ([("api_key", revoked), ("service_code", "C0101"), ("attribute[hazard]", "missing")] + place, 403, "api_key"),
                ([("api_key", key)] + place, 400, "service_code"),
                ([("api_key", key), ("service_code", "X9999")] + place, 404, "service_code"),
                ([("api_key", key), ("service_code", "E0601"), ("description", "想申请补助")] + place, 404, "service_code"),
                ([("api_key", key), ("service_code", "C0101"), ("attribute[hazard]", "missing")], 400, "address_string"),
                ([("api_key", key), ("service_code", "C0101"), ("lat", "31.2"), ("attribute[hazard]", "missing")], 400, "long"),
                ([("api_key", key), ("service_code", "C0101"), ("lat", "north"), ("long", "east"), ("attribute[hazard]", "missing")], 400, "lat"),
                ([("api_key", key), ("service_code", "C0101")] + place, 400, "attribute[hazard]"),
                ([("api_key", key), ("service_code", "C0101"), ("attribute[hazard]", "gone")] + place, 400, "attribute[hazard]"),
                (
                    [("api_key", key), ("service_code", "E0102"), ("attribute[materials][]", "furniture"), ("attribute[materials][]", "gold")]
                        + place,
                    400, "attribute[materials]"
                ),
                ([("api_key", key), ("service_code", "E0101"), ("email", "not-an-address")] + place, 400, "email"),
                ([("api_key", key), ("service_code", "E0101"), ("phone", "12345")] + place, 400, "phone"),
                ([("api_key", key), ("service_code", "E0101"), ("media_url", "ftp://x")] + place, 400, "media_url"),
                ([("api_key", key), ("service_code", "E0101"), ("jurisdiction_id", "999999")] + place, 404, "jurisdiction_id")
            ]
            for (fields, status, mentions) in cases {
                let json = fields.count % 2 == 0
                let response = try await Self.post(client, json ? "/open311/v2/requests.json" : "/open311/v2/requests.xml", fields)
                let descriptions = try Self.errors(response, status, xml: !json)
                #expect(descriptions.contains { $0.contains(mentions) }, "\(fields.map(\.0)) → \(descriptions)")
            }
            // A JSON body is not the specification's form.
            let wrongType = try await client.jsonObject(
                .POST, "/open311/v2/requests.json", ["api_key": key, "service_code": "E0101", "address_string": "x"])
            _ = try Self.errors(wrongType, 400, xml: false)
            #expect(try await Self.caseCount(app) == before, "a refused request wrote nothing")

            // A multivaluelist with repeated keys is accepted and stored in the definition's order.
            let ok = try await Self.post(
                client, "/open311/v2/requests.json",
                [
                    ("api_key", key), ("service_code", "E0102"),
                    ("attribute[materials][]", "goods"), ("attribute[materials][]", "construction")
                ] + place)
            #expect(ok.status == .ok, "\(ok.body.string)")
            struct V: Decodable { var value: String }
            #expect(
                try await app.db.sql.raw("SELECT value FROM case_attribute_answers WHERE code = 'materials'").first(decoding: V.self)?.value
                    == "construction,goods")
        }
    }

    @Test("GET requests: filters, the default 90-day window, the 90-day limit, and no personal detail for private channels")
    func getRequests() async throws {
        try await withApp(demo: true) { app in
            try await CasesFixture.setUp(app)
            let key = try await Self.key(app)
            let client = TestClient(app)
            func submit(_ code: String, _ extra: [(String, String)] = []) async throws -> String {
                let r = try await Self.post(
                    client, "/open311/v2/requests.json",
                    [
                        ("api_key", key), ("service_code", code),
                        ("address_string", "临汾路 \(code) 号")
                    ] + extra)
                return try #require((try Self.json(r) as? [[String: Any]])?.first?["service_request_id"] as? String)
            }
            let rubbish = try await submit("E0101", [("description", "垃圾没人收")])
            let stairs = try await submit("E0404", [("description", "楼道堆物")])
            // A resident's own message (要留言) in the same jurisdiction: listed, but only as its category and grid node.
            let resident = try await CasesFixture.client(app, "resident")
            let message = try await CasesFixture.submit(
                resident, category: "E0404", extra: ["description": "302 室王阿姨家门口堆满纸箱", "address": "临汾路 380 弄 5 号 302 室"])
            // A closed one, and one reported 100 days ago (outside the default window).
            let sql = app.db.sql
            try await sql.raw("UPDATE cases SET state = 'closed', closed_at = \(bind: TestClock.pinnedNow()) WHERE number = \(bind: stairs)").run()
            let old = try await submit("C0201")
            try await sql.raw(
                "UPDATE cases SET reported_at = \(bind: TestClock.pinnedNow().addingTimeInterval(-100 * 86_400)) WHERE number = \(bind: old)"
            ).run()

            func numbers(_ query: String) async throws -> [String] {
                let root = try Self.xml(try await client.get("/open311/v2/requests.xml?\(query)"))
                #expect(root.name == "service_requests")
                return root.all("request").compactMap { $0["service_request_id"] }
            }
            let all = try await numbers("jurisdiction_id=310106019")
            #expect(Set(all) == Set([rubbish, stairs, message.number]), "the default window holds the last 90 days")
            #expect(all.first == message.number, "newest first")
            #expect(try await numbers("status=open").sorted() == [rubbish, message.number].sorted())
            #expect(try await numbers("status=closed") == [stairs])
            #expect(try await numbers("status=open,closed").count == 3)
            #expect(try await numbers("service_code=E0404").sorted() == [stairs, message.number].sorted())
            #expect(try await numbers("service_code=E0101,C0201") == [rubbish])
            #expect(
                try await numbers("service_request_id=\(old),\(rubbish)&status=closed").sorted() == [old, rubbish].sorted(),
                "service_request_id overrides every other filter")
            let start = Open311.dateTime(TestClock.pinnedNow().addingTimeInterval(-120 * 86_400))
            let end = Open311.dateTime(TestClock.pinnedNow().addingTimeInterval(-80 * 86_400))
            #expect(
                try await numbers(
                    "start_date=\(start.replacingOccurrences(of: "+", with: "%2B"))&end_date=\(end.replacingOccurrences(of: "+", with: "%2B"))") == [
                        old
                    ])
            #expect(try await numbers("start_date=\(start.replacingOccurrences(of: "+", with: "%2B"))") == [old], "start_date alone spans 90 days")
            #expect(try await numbers("page_size=1&page=2").count == 1)
            #expect(try await numbers("page_size=1&page=9").isEmpty)

            // The resident's message: no words, no door number; the client's own reports in full.
            let json = try Self.json(try await client.get("/open311/v2/requests.json?service_code=E0404&status=open")) as? [[String: Any]] ?? []
            let private_ = try #require(json.first { $0["service_request_id"] as? String == message.number })
            #expect(private_["description"] as? String == "楼道堆物", "the category's name, not the resident's words")
            #expect(private_["address"] as? String != "临汾路 380 弄 5 号 302 室")
            #expect(private_["lat"] is NSNull && private_["media_url"] is NSNull)
            let body = try await client.get("/open311/v2/requests.json").body.string
            #expect(!body.contains("王阿姨") && !body.contains("302 室"))
            #expect(body.contains("垃圾没人收"))

            for (query, mentions) in [
                ("start_date=yesterday", "start_date"), ("end_date=2026-02-30", "end_date"), ("status=pending", "status"),
                ("start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", "90 days"),
                ("start_date=2026-06-01T00:00:00Z&end_date=2026-01-01T00:00:00Z", "after"), ("page_size=5000", "page_size"),
                ("jurisdiction_id=000", "jurisdiction_id")
            ] {
                let response = try await client.get("/open311/v2/requests.xml?\(query)")
                let status: UInt = mentions == "jurisdiction_id" ? 404 : 400
                #expect(try Self.errors(response, status).contains { $0.contains(mentions) }, "\(query)")
            }
            // Unknown resources and formats answer in Open311's format too.
            _ = try Self.errors(try await client.get("/open311/v2/requests.html"), 404)
            _ = try Self.errors(try await client.get("/open311/v2/widgets.json"), 404, xml: false)
            _ = try Self.errors(try await client.get("/open311/v2/requests/a/b.json"), 404, xml: false)
        }
    }

    @Test("an endpoint serving several subdistricts needs jurisdiction_id; a key works only for its own")
    func jurisdictions() async throws {
        try await withApp(demo: true) { app in
            _ = try await GridWriter.insert(
                [NewGridNode(code: "310106020", name: "彭浦新村街道", level: .subdistrict, parentCode: "310106", sortOrder: 1)],
                on: app.db)
            let key = try await Self.key(app)
            let client = TestClient(app)
            #expect(try Self.errors(try await client.get("/open311/v2/services.xml"), 400).first?.contains("jurisdiction_id") == true)
            #expect(try await client.get("/open311/v2/services.xml?jurisdiction_id=310106020").status == .ok)
            let elsewhere = try await Self.post(
                client, "/open311/v2/requests.xml",
                [
                    ("api_key", key), ("jurisdiction_id", "310106020"),
                    ("service_code", "E0101"), ("address_string", "x")
                ])
            #expect(try Self.errors(elsewhere, 403).first?.contains("jurisdiction") == true)
            let home = try await Self.post(
                client, "/open311/v2/requests.xml",
                [
                    ("api_key", key), ("jurisdiction_id", "310106019"),
                    ("service_code", "E0101"), ("address_string", "x")
                ])
            #expect(home.status == .ok)
        }
    }

    @Test("administrators issue, list and revoke keys; the key is shown once and only its hash is kept")
    func keysAPI() async throws {
        try await withApp(demo: true) { app in
            let admin = try await CasesFixture.client(app, "admin")
            let issued = try await admin.jsonObject(.POST, "/api/v1/open311/clients", ["name": "一网统管 App"])
            #expect(issued.status == .created, "\(issued.body.string)")
            struct Issued: Decodable {
                struct C: Decodable { var id: UUID; var name: String; var jurisdiction_id: String; var key_hint: String }; var client: C;
                var api_key: String
            }
            let body = try issued.decode(Issued.self)
            #expect(body.client.jurisdiction_id == "310106019" && body.api_key.hasPrefix(body.client.key_hint))
            struct Hash: Decodable { var key_hash: String }
            let stored = try await app.db.sql.raw("SELECT key_hash FROM open311_clients").first(decoding: Hash.self)?.key_hash
            #expect(stored == Secrets.hash(body.api_key) && stored != body.api_key)
            #expect(try await admin.jsonObject(.POST, "/api/v1/open311/clients", ["name": "一网统管 App"]).status == .conflict)
            #expect(try await admin.jsonObject(.POST, "/api/v1/open311/clients", ["name": " "]).status == .unprocessableEntity)
            #expect(
                try await admin.jsonObject(.POST, "/api/v1/open311/clients", ["name": "x", "jurisdiction_id": "320100001"]).status
                    == .unprocessableEntity)
            let list = try await admin.get("/api/v1/open311/clients")
            #expect(list.status == .ok && !list.body.string.contains(body.api_key) && list.body.string.contains("一网统管 App"))

            let client = TestClient(app)
            let form: [(String, String)] = [("api_key", body.api_key), ("service_code", "E0101"), ("address_string", "临汾路")]
            #expect(try await Self.post(client, "/open311/v2/requests.json", form).status == .ok)
            #expect(try await admin.send(.POST, "/api/v1/open311/clients/\(body.client.id)/revoke").status == .noContent)
            #expect(try await admin.send(.POST, "/api/v1/open311/clients/\(body.client.id)/revoke").status == .conflict)
            _ = try Self.errors(try await Self.post(client, "/open311/v2/requests.json", form), 403, xml: false)

            let staff = try await CasesFixture.client(app, "staff")
            #expect(try await staff.jsonObject(.POST, "/api/v1/open311/clients", ["name": "y"]).status == .forbidden)
            struct Audit: Decodable { var action: String }
            let actions = try await app.db.sql.raw("SELECT action FROM audit_log WHERE action LIKE 'open311.%' ORDER BY seq")
                .all(decoding: Audit.self).map(\.action)
            #expect(actions == ["open311.key_issued", "open311.key_revoked"])
        }
    }

    @Test("minqing open311 key add / revoke: one client per name and jurisdiction, audited")
    func command() async throws {
        try await withApp(demo: true) { app in
            func run(_ command: some AsyncCommand, _ arguments: [String]) async throws {
                var context = CommandContext(console: Terminal(), input: CommandInput(arguments: ["minqing"] + arguments))
                context.application = app
                try await command.run(using: &context)
            }
            try await run(Open311KeyAdd(), ["--name", "随申办"])
            struct Row: Decodable { var name: String; var key_hash: String; var revoked_at: Date? }
            let sql = app.db.sql
            var rows = try await sql.raw("SELECT name, key_hash, revoked_at FROM open311_clients").all(decoding: Row.self)
            #expect(rows.map(\.name) == ["随申办"] && rows.first?.key_hash.count == 64 && rows.first?.revoked_at == nil)
            await #expect(throws: AppError.self) { try await run(Open311KeyAdd(), ["--name", "随申办"]) }
            await #expect(throws: CommandFailure.self) { try await run(Open311KeyAdd(), []) }
            await #expect(throws: CommandFailure.self) { try await run(Open311KeyAdd(), ["--name", "x", "--jurisdiction", "999"]) }
            try await run(Open311KeyRevoke(), ["--name", "随申办"])
            rows = try await sql.raw("SELECT name, key_hash, revoked_at FROM open311_clients").all(decoding: Row.self)
            #expect(rows.first?.revoked_at != nil)
            await #expect(throws: CommandFailure.self) { try await run(Open311KeyRevoke(), ["--name", "nobody"]) }
        }
    }
}
