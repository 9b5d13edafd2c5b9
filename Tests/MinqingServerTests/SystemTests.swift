import Foundation
import Testing
import VaporTesting

@testable import MinqingServer

@Suite("System endpoints")
struct SystemTests {
    @Test("healthz names the database it runs on")
    func health() async throws {
        try await withApp { app in
            let response = try await TestClient(app).get("/healthz")
            #expect(response.status == .ok)
            struct Health: Decodable { var status: String; var database: String }
            let health = try response.decode(Health.self)
            #expect(health.status == "ok")
            #expect(health.database == testDatabaseKind)
        }
    }

    @Test("metrics are in Prometheus text format and count requests and sign-ins; only for loopback or the token")
    func metrics() async throws {
        let token = "metrics-token-0123456789"
        try await withApp(demo: true, settings: { $0.metricsToken = token }) { app in
            let client = TestClient(app)
            try await client.signInAPI("staff")
            // In-process requests come from no address: not loopback, so only the token opens it,
            // and a signed-in account's own token does not.
            #expect(try await client.get("/metrics").status == .notFound)
            #expect(try await TestClient(app).get("/metrics").status == .notFound)
            let wrong = TestClient(app)
            wrong.bearer = "metrics-token-9999999999"
            #expect(try await wrong.get("/metrics").status == .notFound)
            let scraper = TestClient(app)
            scraper.bearer = token
            let response = try await scraper.get("/metrics")
            #expect(response.status == .ok)
            #expect(response.headers.first(name: .contentType)?.hasPrefix("text/plain") == true)
            let text = response.body.string
            #expect(text.contains("# TYPE minqing_login_attempts_total counter"))
            #expect(text.contains("minqing_login_attempts_total{outcome=\"ok\"}"))
            #expect(text.contains("http_requests_total"))
        }
    }

    @Test("the OpenAPI document describes exactly the registered /api/v1 routes")
    func openAPIMatchesRoutes() async throws {
        try await withApp { app in
            let response = try await TestClient(app).get("/openapi.json")
            #expect(response.status == .ok)
            let document = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
            #expect(document?["openapi"] as? String == "3.1.0")
            let paths = document?["paths"] as? [String: [String: Any]] ?? [:]
            var documented = Set<String>()
            for (path, operations) in paths {
                for method in operations.keys { documented.insert("\(method.uppercased()) \(path)") }
            }
            var registered = Set<String>()
            for route in app.routes.all {
                let path =
                    "/"
                    + route.path.map { component -> String in
                        switch component {
                        case let .constant(value): value
                        case let .parameter(name): "{\(name)}"
                        case .anything: "*"
                        case .catchall: "**"
                        }
                    }.joined(separator: "/")
                if path.hasPrefix("/api/v1/") { registered.insert("\(route.method.rawValue) \(path)") }
            }
            #expect(!registered.isEmpty)
            #expect(registered.subtracting(documented).sorted() == [], "routes missing from openapi.json")
            #expect(documented.subtracting(registered).sorted() == [], "documented operations with no route")
        }
    }

    @Test("the stylesheet is served under its content hash and cached")
    func stylesheet() async throws {
        try await withApp { app in
            let client = TestClient(app)
            let response = try await client.get(Styles.path)
            #expect(response.status == .ok)
            #expect(response.body.string.contains("@media"))
            #expect(response.headers.first(name: .cacheControl)?.contains("immutable") == true)
            #expect(try await client.get("/assets/app-000000.css").status == .notFound)
        }
    }

    @Test("pages carry the security headers; unknown pages get a bilingual 404 page")
    func headersAndNotFound() async throws {
        try await withApp { app in
            let client = TestClient(app)
            let login = try await client.get("/login")
            #expect(login.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
            #expect(login.headers.first(name: "X-Content-Type-Options") == "nosniff")
            let missing = try await client.get("/no/such/page")
            #expect(missing.status == .notFound)
            #expect(missing.body.string.contains("找不到"))
            client.cookies["minqing_lang"] = "en"
            let english = try await client.get("/no/such/page")
            #expect(english.body.string.contains("Not found"))
            #expect(english.body.string.contains("<html lang=\"en\">"))
            let api = try await client.get("/api/v1/nothing")
            #expect(api.status == .notFound)
            #expect(api.headers.contentType == .json)
        }
    }
}
