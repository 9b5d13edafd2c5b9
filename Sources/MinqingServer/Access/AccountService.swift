import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Who is creating or changing an account: a signed-in manager (limited to their subtree and the
/// roles they may assign) or the command line on the server itself (unlimited).
enum AccountAuthority: Sendable {
    case actor(Actor, clientAddress: String)
    case console

    var auditActor: (UUID?, String) {
        switch self {
        case let .actor(actor, _): (actor.accountID, actor.username)
        case .console: (nil, "console")
        }
    }
    var address: String? {
        if case let .actor(_, address) = self { return address }
        return nil
    }
}

/// A new account as submitted; every field is checked before anything is written.
struct NewAccount: Sendable {
    var username: String
    var displayName: String
    var role: String
    var scopeCode: String
    /// nil: a random initial password is generated and must be changed at first sign-in.
    var password: String?
    var mustChangePassword: Bool = true
}

package enum AccountService {
    struct Created: Sendable { var id: UUID; var username: String; var initialPassword: String? }

    static func create(_ input: NewAccount, by authority: AccountAuthority, app: Application, on db: any Database, now: Date) async throws -> Created
    {
        var problems: [FieldError] = []
        var username = ""
        switch Username.normalize(input.username) {
        case let .success(name): username = name
        case let .failure(problem): problems.append(problem)
        }
        let displayName = input.displayName.trimmingCharacters(in: .whitespacesAndNewlines)
        if displayName.isEmpty || displayName.count > 40 {
            problems.append(FieldError(field: "display_name", messageZH: "姓名须为 1–40 个字符", messageEN: "The display name must have 1 to 40 characters"))
        }
        let role = Role(rawValue: input.role)
        if role == nil {
            problems.append(
                FieldError(
                    field: "role", messageZH: "未知角色，可选：\(Role.allCases.map(\.rawValue).joined(separator: ", "))",
                    messageEN: "Unknown role; one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        if let role, case let .actor(actor, _) = authority {
            if !actor.role.managesAccounts {
                throw AppError.forbidden
            }
            if !actor.role.assignableRoles.contains(role) {
                problems.append(
                    FieldError(field: "role", messageZH: "您无权创建“\(role.nameZH)”账号", messageEN: "You may not create \(role.nameEN) accounts"))
            }
        }
        var node: GridNodeSummary?
        switch authority {
        case let .actor(actor, _): node = try await GridQueries.node(code: input.scopeCode, in: actor.scope, on: db)
        case .console: node = try await GridQueries.node(code: input.scopeCode, on: db)
        }
        if node == nil {
            problems.append(
                FieldError(field: "scope", messageZH: "网格节点不存在或不在您的管辖范围内", messageEN: "The grid node does not exist or lies outside your scope"))
        }
        if let node, let role, !role.mayBeScoped(to: node.level) {
            problems.append(
                FieldError(
                    field: "scope", messageZH: "\(role.nameZH)账号不能绑定到\(node.level.nameZH)级节点",
                    messageEN: "A \(role.nameEN) account cannot be bound to a \(node.level.nameEN.lowercased()) node"))
        }
        var initial: String?
        let password: String
        if let given = input.password {
            password = given
            if let problem = PasswordPolicy.problem(with: given, username: username.isEmpty ? input.username : username) {
                problems.append(problem)
            }
        } else {
            password = initialPassword()
            initial = password
        }
        if !username.isEmpty, try await Account.query(on: db).filter(\.$username == username).count() > 0 {
            problems.append(FieldError(field: "username", messageZH: "用户名已被使用", messageEN: "The username is taken"))
        }
        guard problems.isEmpty, let node, let role else { throw AppError.validation(problems) }

        let hash = try await AccessService.hashPassword(password, app)
        let account = Account(
            subdistrictID: node.subdistrictID, username: username, displayName: displayName, role: role,
            gridNodeID: node.id, passwordHash: hash, mustChangePassword: input.password == nil || input.mustChangePassword)
        let (actorID, actorName) = authority.auditActor
        let finalUsername = username
        let address = authority.address
        let id = account.id!
        do {
            try await db.write { db in
                try await account.create(on: db)
                try await AuditLog.append(
                    AuditEntry(
                        action: "account.created", actorID: actorID, actorName: actorName,
                        targetType: "account", targetID: finalUsername,
                        detail: ["role": role.rawValue, "scope": node.code], clientAddress: address),
                    at: now, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw AppError.validation("username", zh: "用户名已被使用", en: "The username is taken")
        }
        return Created(id: id, username: finalUsername, initialPassword: initial)
    }

    /// Enables or disables an account inside the manager's subtree. Disabling ends its sessions.
    static func setDisabled(_ disabled: Bool, username: String, writer: WriteContext, on db: any Database) async throws -> AccountQueries.Row {
        let actor = writer.actor
        guard actor.role.managesAccounts else { throw AppError.forbidden }
        guard let row = try await AccountQueries.find(username: username, in: actor.scope, on: db) else {
            throw AppError.notFound("账号不存在", "No such account")
        }
        if row.id == actor.accountID {
            throw AppError.conflict("不能停用自己的账号", "You cannot disable your own account")
        }
        if !actor.role.assignableRoles.contains(row.role) {
            throw AppError.forbidden
        }
        let now = writer.now
        let address = writer.address
        try await db.write { db in
            try await AccountQueries.setDisabled(row.id, disabled: disabled, now: now, on: db)
            if disabled {
                try await SessionQueries.deleteSessions(account: row.id, on: db)
            }
            try await AuditLog.append(
                AuditEntry(
                    action: disabled ? "account.disabled" : "account.enabled", actorID: actor.accountID,
                    actorName: actor.username, targetType: "account", targetID: row.username,
                    clientAddress: address), at: now, on: db)
        }
        var updated = row
        updated.disabled = disabled
        return updated
    }

    /// A random initial password that satisfies the policy: 16 characters from an unambiguous set.
    package static func initialPassword() -> String {
        let letters = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ")
        let digits = Array("23456789")
        var rng = SystemRandomNumberGenerator()
        var chars = (0..<12).map { _ in letters.randomElement(using: &rng)! } + (0..<4).map { _ in digits.randomElement(using: &rng)! }
        chars.shuffle(using: &rng)
        return String(chars)
    }
}
