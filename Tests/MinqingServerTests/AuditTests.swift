import ConsoleKit
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

@Suite("Audit trail")
struct AuditTests {
    func sql(_ app: Application) -> any SQLDatabase { app.db.sql }

    @Test("sign-ins, failures and account changes are audited, and the chain verifies")
    func recorded() async throws {
        try await withApp(demo: true) { app in
            let client = TestClient(app)
            _ = try await client.json(.POST, "/api/v1/auth/token", ["username": "staff", "password": "wrong-pass-1"])
            try await client.signInAPI("staff")
            _ = try await client.json(
                .POST, "/api/v1/accounts", ["username": "gw2", "display_name": "网格员二", "role": "grid_worker", "scope": "310106019-1-02-1"])
            struct Row: Decodable { var action: String; var actor_name: String?; var detail: String }
            let rows = try await sql(app).raw("SELECT action, actor_name, detail FROM audit_log ORDER BY seq").all(decoding: Row.self)
            #expect(rows.map(\.action) == ["demo.loaded", "login.failed", "token.issued", "account.created"])
            #expect(rows.allSatisfy { !$0.detail.contains(demoPassword) && !$0.detail.contains("wrong-pass-1") })
            let result = try await AuditLog.verify(on: app.db)
            #expect(result.isIntact)
            #expect(result.checked == 4)
        }
    }

    @Test("the database refuses to update or delete audit rows")
    func appendOnly() async throws {
        try await withApp(demo: true) { app in
            await #expect(throws: (any Error).self) {
                try await self.sql(app).raw("UPDATE audit_log SET action = 'x' WHERE seq = 1").run()
            }
            await #expect(throws: (any Error).self) {
                try await self.sql(app).raw("DELETE FROM audit_log WHERE seq = 1").run()
            }
        }
    }

    /// Removes the append-only triggers, as an intruder with database access could.
    func dropTriggers(_ app: Application) async throws {
        if sql(app).dialect.name == "postgresql" {
            try await sql(app).raw("DROP TRIGGER audit_log_no_change ON audit_log").run()
        } else {
            try await sql(app).raw("DROP TRIGGER audit_log_no_update").run()
            try await sql(app).raw("DROP TRIGGER audit_log_no_delete").run()
        }
    }

    func makeHistory(_ app: Application) async throws {
        let client = TestClient(app)
        for _ in 1...3 { _ = try await client.json(.POST, "/api/v1/auth/token", ["username": "cadre", "password": "wrong-pass-1"]) }
        try await client.signInAPI("cadre")
    }

    @Test("a tampered row is found, named, and `audit verify` fails")
    func tamperedRow() async throws {
        try await withApp(demo: true) { app in
            try await makeHistory(app)
            #expect(try await AuditLog.verify(on: app.db).isIntact)
            try await dropTriggers(app)
            try await sql(app).raw("UPDATE audit_log SET actor_name = 'someone-else' WHERE seq = 3").run()
            let result = try await AuditLog.verify(on: app.db)
            #expect(!result.isIntact)
            #expect(result.firstBadSeq == 3)
            var context = CommandContext(console: Terminal(), input: CommandInput(arguments: ["minqing"]))
            context.application = app
            do {
                try await AuditVerifyCommand().run(using: &context)
                Issue.record("audit verify passed a tampered chain")
            } catch let failure as CommandFailure {
                #expect(failure.description.contains("row 3"))
            }
        }
    }

    @Test("a removed row and a cut-off tail are both found")
    func removedRows() async throws {
        try await withApp(demo: true) { app in
            try await makeHistory(app)
            try await dropTriggers(app)
            try await sql(app).raw("DELETE FROM audit_log WHERE seq = 2").run()
            #expect(try await AuditLog.verify(on: app.db).firstBadSeq == 2)
        }
        try await withApp(demo: true) { app in
            try await makeHistory(app)
            try await dropTriggers(app)
            struct N: Decodable { var n: Int64 }
            let last = try await sql(app).raw("SELECT MAX(seq) AS n FROM audit_log").first(decoding: N.self)!.n
            try await sql(app).raw("DELETE FROM audit_log WHERE seq = \(bind: last)").run()
            let result = try await AuditLog.verify(on: app.db)
            #expect(!result.isIntact)
            #expect(result.firstBadSeq == last)
        }
    }

    @Test("concurrent audited writes keep one unbroken chain")
    func concurrentAppends() async throws {
        try await withApp(demo: true) { app in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        _ = try await TestClient(app).json(.POST, "/api/v1/auth/token", ["username": "user\(index)", "password": "wrong-pass-1"])
                    }
                }
                try await group.waitForAll()
            }
            let result = try await AuditLog.verify(on: app.db)
            #expect(result.isIntact)
            #expect(result.checked == 21)
        }
    }
}
