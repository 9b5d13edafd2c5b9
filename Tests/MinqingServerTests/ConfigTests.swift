import Foundation
import Testing
import VaporTesting

@testable import MinqingServer

@Suite("Configuration")
struct ConfigTests {
    @Test("defaults: SQLite in ./minqing-data, Bcrypt cost 12")
    func defaults() throws {
        let config = try AppConfig.fromEnvironment([:])
        #expect(config.database == .sqliteFile(path: "./minqing-data/minqing.sqlite"))
        #expect(config.bcryptCost == 12)
        #expect(config.secretKey == nil)
        #expect(config.database.kind == "sqlite")
    }

    @Test(
        "database URLs",
        arguments: [
            ("sqlite:///var/lib/minqing/db.sqlite", DatabaseSetting.sqliteFile(path: "/var/lib/minqing/db.sqlite")),
            ("sqlite://data/x.sqlite", DatabaseSetting.sqliteFile(path: "data/x.sqlite")),
            ("postgres://u:p@127.0.0.1:5432/minqing", DatabaseSetting.postgres(url: "postgres://u:p@127.0.0.1:5432/minqing", schema: nil)),
            ("postgresql://u:p@db.example/minqing", DatabaseSetting.postgres(url: "postgresql://u:p@db.example/minqing", schema: nil))
        ])
    func databaseURLs(raw: String, expected: DatabaseSetting) throws {
        let config = try AppConfig.fromEnvironment(["MINQING_DATABASE_URL": raw])
        #expect(config.database == expected)
    }

    @Test(
        "bad settings stop start-up and name the variable",
        arguments: [
            ("MINQING_DATABASE_URL", "mysql://x@y/z"),
            ("MINQING_DATABASE_URL", "sqlite://"),
            ("MINQING_DATABASE_URL", "postgres://127.0.0.1"),
            ("MINQING_SECRET_KEY", "too-short"),
            ("MINQING_BCRYPT_COST", "3"),
            ("MINQING_BCRYPT_COST", "twelve"),
            ("MINQING_SECURE_COOKIES", "maybe"),
            ("MINQING_PG_CONNECTIONS", "0")
        ])
    func badSettings(variable: String, value: String) {
        do {
            _ = try AppConfig.fromEnvironment([variable: value])
            Issue.record("\(variable)=\(value) was accepted")
        } catch {
            #expect(error.variable == variable)
            #expect(error.description.contains(variable))
        }
    }

    @Test("a secret key is read as 64 hex digits or base64 of 32 bytes")
    func secretKey() throws {
        let hex = String(repeating: "ab", count: 32)
        #expect(try AppConfig.fromEnvironment(["MINQING_SECRET_KEY": hex]).secretKey == [UInt8](repeating: 0xab, count: 32))
        let b64 = Data(repeating: 7, count: 32).base64EncodedString()
        #expect(try AppConfig.fromEnvironment(["MINQING_SECRET_KEY": b64]).secretKey == [UInt8](repeating: 7, count: 32))
    }

    @Test("sqlite::memory: keeps its store in a temporary file that shutdown deletes")
    func throwawayStoreIsDeleted() async throws {
        let identifier = UUID().uuidString
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("minqing-test-\(identifier)").path
        let config = AppConfig(
            dataDirectory: dataDir, database: .sqliteMemory(identifier: identifier), secretKey: [UInt8](repeating: 7, count: 32),
            demoPassword: "x", bcryptCost: 4, secondFactorRoles: [])
        let store = FileManager.default.temporaryDirectory.appendingPathComponent("minqing-memory-\(identifier).sqlite3").path
        do {
            try await configure(app, config: config)
            try await app.autoMigrate()
            #expect(FileManager.default.fileExists(atPath: store))
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
        try? FileManager.default.removeItem(atPath: dataDir)
        #expect(!FileManager.default.fileExists(atPath: store))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
            .filter { $0.contains(identifier) }
        #expect(leftovers.isEmpty, "left in the temporary folder: \(leftovers)")
    }
}
