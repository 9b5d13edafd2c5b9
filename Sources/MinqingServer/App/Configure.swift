import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import NIOSSL
import SQLKit
import Vapor

/// Sets up an application: database, services, middleware, routes and commands.
/// Migrations are not run here: `serve` and `migrate` run them, tests call `autoMigrate()`.
public func configure(_ app: Application, config: AppConfig, now: @escaping @Sendable () -> Date = { Date() }) async throws {
    Observability.bootstrap()
    app.http.server.configuration.serverName = "minqing"
    app.routes.defaultMaxBodySize = "2mb"
    // JSON out: keys sorted (stable answers), dates in ISO 8601 UTC. JSON in: ISO 8601 dates.
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    ContentConfiguration.global.use(encoder: encoder, for: .json)
    ContentConfiguration.global.use(decoder: decoder, for: .json)

    switch config.database {
    case let .sqliteFile(path):
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        }
        app.databases.use(.sqlite(.file(path), sqlLogLevel: nil), as: .sqlite)
    case let .sqliteMemory(identifier):
        // SQLiteKit's `.memory` is a file in the temporary folder that it never deletes (its SQLite
        // is built without shared cache): 650 test apps left ~10 GB per run and filled the disk.
        // The store is a file of ours instead, deleted when the application shuts down.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("minqing-memory-\(identifier).sqlite3").path
        app.databases.use(.sqlite(.file(path), sqlLogLevel: nil), as: .sqlite)
        app.lifecycle.use(RemoveFilesOnShutdown(paths: [path, path + "-journal", path + "-wal", path + "-shm"]))
    case let .postgres(url, schema):
        var pg = try SQLPostgresConfiguration(url: url)
        if let schema { pg.searchPath = [schema] }
        // Short OLTP statements: JIT compilation (on by default) can cost seconds on a statement
        // whose estimate is large (a 十必访 list with 29 tag terms: 3.5 s of JIT for 33 ms of work).
        pg.coreConfiguration.options.additionalStartupParameters.append(("jit", "off"))
        app.databases.use(
            .postgres(
                configuration: pg, maxConnectionsPerEventLoop: config.postgresConnectionsPerEventLoop, connectionPoolTimeout: .seconds(30),
                sqlLogLevel: .trace), as: .psql) // never written: the log floor is info
    }
    try await prepareDatabase(app, config: config)

    let vault = try PIIVault.load(secretKey: config.secretKey, keyFile: config.keyFile, dataDirectory: config.dataDirectory)
    if PIIVault.legacyKeyInDataFolder(keyFile: config.keyFile, secretKey: config.secretKey, dataDirectory: config.dataDirectory) {
        app.logger.warning(
            "密钥文件在数据文件夹里，备份数据时会一并带走密钥；请移到数据文件夹之外并设置 MINQING_KEY_FILE / the key file lies in the data folder, so a copy of the data carries its key: move it out and set MINQING_KEY_FILE"
        )
    }
    let cost = config.bcryptCost
    let decoy = try await app.threadPool.runIfActive { try Bcrypt.hash(UUID().uuidString, cost: cost) }
    let calendar = try PlatformCalendar.load(extraDirectory: config.calendarDirectory)
    app.services = AppServices(config: config, vault: vault, now: now, decoyHash: decoy, calendar: calendar)
    app.storage[VoteCastQueue.Key.self] = VoteCastQueue.make()
    app.storage[ReservationQueue.Key.self] = ReservationQueue.make()

    for migration in MigrationList.all { app.migrations.add(migration) }
    // The phone gateway is the only outbound HTTP: a slow one must not hold a delivery pass.
    app.http.client.configuration.timeout = .init(connect: .seconds(5), read: .seconds(10))

    app.middleware = Middlewares()
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(AppErrorMiddleware())
    app.middleware.use(AuthenticationMiddleware())
    app.middleware.use(CSRFMiddleware())

    try routes(app)
    registerCommands(app)
}

/// Per-database settings that must hold before anything else runs: WAL and synchronous=NORMAL
/// on SQLite (foreign keys are switched on per connection by the driver); on PostgreSQL the
/// test schema, when one is named.
private func prepareDatabase(_ app: Application, config: AppConfig) async throws {
    switch config.database {
    case .sqliteFile, .sqliteMemory:
        if case .sqliteFile = config.database {
            try await DatabaseSetupQueries.enableWAL(on: app.db)
        }
        // One connection per event loop: set the per-connection pragmas on each. busy_timeout
        // makes a waiting writer sleep instead of spinning.
        for eventLoop in app.eventLoopGroup.makeIterator() {
            guard let db = app.databases.database(.sqlite, logger: app.logger, on: eventLoop), db is any SQLDatabase else { continue }
            try await DatabaseSetupQueries.setConnectionPragmas(on: db)
        }
    case let .postgres(_, schema):
        if let schema {
            try await DatabaseSetupQueries.createSchema(schema, on: app.db)
        }
    }
}

/// Headers that every response carries: no framing, no sniffing, a strict content policy.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        if response.headers.contentType == .html {
            response.headers.replaceOrAdd(
                name: "Content-Security-Policy",
                value:
                    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
            )
        }
        return response
    }
}

/// Deletes files when the application shuts down (the store behind `sqlite::memory:`). Unlinking
/// a file that a connection still holds open is safe on POSIX: its space is freed on close.
private struct RemoveFilesOnShutdown: LifecycleHandler {
    let paths: [String]
    func shutdown(_ application: Application) {
        for path in paths { try? FileManager.default.removeItem(atPath: path) }
    }
}
