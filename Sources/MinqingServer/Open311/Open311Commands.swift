import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// `minqing open311 key add --name CLIENT [--jurisdiction CODE]` (prints the key, once),
/// `minqing open311 key list`, `minqing open311 key revoke --name CLIENT [--jurisdiction CODE]`.
struct Open311Commands: AsyncCommandGroup {
    var help: String { "Open311 GeoReport v2 clients and their API keys." }
    var commands: [String: any AnyAsyncCommand] { ["key": Open311KeyCommands()] }
}

struct Open311KeyCommands: AsyncCommandGroup {
    var help: String { "Issues, lists and revokes Open311 API keys." }
    var commands: [String: any AnyAsyncCommand] { ["add": Open311KeyAdd(), "list": Open311KeyList(), "revoke": Open311KeyRevoke()] }
}

/// The jurisdiction named, or the only subdistrict there is.
private func commandJurisdiction(_ code: String?, on db: any Database) async throws -> Open311Queries.Jurisdiction {
    do {
        return try await Open311Controller.jurisdiction(code, on: db)
    } catch is Open311Error {
        throw CommandFailure(
            description: code == nil
                ? "有多个街道，请用 --jurisdiction 指定 / several subdistricts: name one with --jurisdiction CODE"
                : "没有该街道 / no subdistrict has that code")
    }
}

struct Open311KeyAdd: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "name", help: "The client's name (an app, a platform).")
        var name: String?
        @Option(name: "jurisdiction", help: "The subdistrict's grid code (defaults to the only one).")
        var jurisdiction: String?
        init() {}
    }
    var help: String { "Issues an API key for a client and prints it (it is shown only this once)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        guard let name = signature.name else { throw CommandFailure(description: "缺少参数 / missing: --name") }
        let jurisdiction = try await commandJurisdiction(signature.jurisdiction, on: app.db)
        let (client, key) = try await Open311Service.issueKey(
            name: name, jurisdiction: jurisdiction.id, by: "console", actorID: nil,
            now: app.services.now(), on: app.db)
        context.console.print("已为「\(client.name)」发放 Open311 密钥（辖区 \(client.jurisdiction_id)），只显示这一次 / key for \(client.name), shown once:")
        context.console.print(key)
    }
}

struct Open311KeyList: AsyncCommand {
    struct Signature: CommandSignature { init() {} }
    var help: String { "Lists the clients (never their keys)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        let rows = try await Open311Queries.clients(in: nil, on: app.db)
        for row in rows {
            context.console.print(
                "\(row.jurisdiction_id)\t\(row.name)\t\(row.key_hint)…\t\(Open311.dateTime(row.created_at))\t\(row.revoked_at == nil ? "有效 / active" : "已停用 / revoked")"
            )
        }
        if rows.isEmpty { context.console.print("没有客户端 / no clients") }
    }
}

struct Open311KeyRevoke: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "name", help: "The client's name.")
        var name: String?
        @Option(name: "jurisdiction", help: "The subdistrict's grid code (defaults to the only one).")
        var jurisdiction: String?
        init() {}
    }
    var help: String { "Revokes a client's key." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        guard let name = signature.name else { throw CommandFailure(description: "缺少参数 / missing: --name") }
        let jurisdiction = try await commandJurisdiction(signature.jurisdiction, on: app.db)
        guard let client = try await Open311Queries.clientID(name: name, jurisdiction: jurisdiction.id, on: app.db) else {
            throw CommandFailure(description: "没有该客户端 / no such client")
        }
        guard let node = try await GridQueries.node(code: jurisdiction.code, on: app.db) else {
            throw CommandFailure(description: "没有该街道 / no such subdistrict")
        }
        let scope = GridQueries.scope(rootedAt: node)
        try await Open311Service.revoke(client, scope: scope, by: "console", actorID: nil, now: app.services.now(), on: app.db)
        context.console.print("已停用「\(name)」的密钥 / revoked")
    }
}
