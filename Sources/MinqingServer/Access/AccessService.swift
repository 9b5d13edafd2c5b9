import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Sign-in, sign-out, tokens, passwords and accounts: the logic that spans models.
package enum AccessService {

    struct SignedIn: Sendable {
        var actor: Actor
        var token: String
        var expiresAt: Date
    }

    /// A password accepted for an account with a second factor: a short-lived pending session
    /// (kind `mfa`) that only the second-factor step can turn into a web session.
    struct PendingSecondFactor: Sendable {
        var token: String
        var expiresAt: Date
    }

    enum Outcome: Sendable {
        case signedIn(SignedIn)
        case secondFactor(PendingSecondFactor)
    }

    /// How long the second-factor step may take after the password.
    static let pendingLifetime: TimeInterval = 5 * 60

    static let secondFactorRequired = AppError(
        .unauthorized, code: "second_factor_required",
        zh: "该账号已绑定动态口令：请同时提交验证器上的 6 位数字（otp）", en: "This account has a second factor: send the 6-digit code (otp) too")

    /// Checks a username and password, applying the login throttle, and opens a web session or
    /// issues an API token.
    ///
    /// Attempts are counted before the password is checked, in one write transaction, so a burst
    /// of parallel guesses cannot slip past the limit; a successful sign-in gives its attempt
    /// back. Three counters: the account from this address (5), the account from anywhere (50),
    /// and the address (30). Audit rows name known accounts only; a name that matches no account
    /// (perhaps a password typed into the wrong box) is kept as a keyed hash, never in plain text.
    static func signIn(
        username rawUsername: String, password: String, kind: String, otp: String? = nil,
        request: Request
    ) async throws -> Outcome {
        let now = request.now
        let nowSeconds = Int64(now.timeIntervalSince1970)
        let address = request.clientAddress
        let normalized = try? Username.normalize(rawUsername).get()
        let username = normalized ?? ""
        let pseudonym = request.services.vault.pseudonym(rawUsername.trimmingCharacters(in: .whitespacesAndNewlines).lowercased())
        let who = normalized ?? "#" + pseudonym
        let keys: [(String, LoginThrottlePolicy)] = [
            ("pair:\(who)|\(address)", .perAccount),
            ("account:\(who)", .perAccountEverywhere),
            ("address:\(address)", .perAddress)
        ]
        let db = request.db

        let wait: Int64? = try await db.write { db in
            // Take the counters' rows first (PostgreSQL: FOR UPDATE), then decide: two attempts
            // in flight can never both read the count from before the other.
            let counters = try await LoginCounters.lockAndLoad(keys.map(\.0), now: nowSeconds, on: db)
            let waits = keys.compactMap { $0.1.retryAfter(counters[$0.0], now: nowSeconds) }
            if let wait = waits.max() { return wait }
            var lockStarted = false
            for (key, policy) in keys {
                lockStarted = try await LoginCounters.recordFailure(key, policy: policy, now: nowSeconds, on: db) || lockStarted
            }
            if lockStarted {
                try await AuditLog.append(
                    AuditEntry(
                        action: "login.locked", actorName: normalized, targetType: "account",
                        targetID: normalized, detail: normalized == nil ? ["username_hmac": pseudonym] : [:],
                        clientAddress: address), at: now, on: db)
            }
            return nil
        }
        if let wait {
            Observability.loginAttempts(outcome: "throttled")
            throw AppError.tooManyAttempts(retryAfter: wait)
        }

        let account = normalized == nil ? nil : try await Account.query(on: db).filter(\.$username == username).first()
        let hash = account?.passwordHash ?? request.services.decoyHash
        let matches = try await request.application.threadPool.runIfActive {
            (try? Bcrypt.verify(password, created: hash)) ?? false
        }
        guard let account, matches, !account.disabled, let accountID = account.id else {
            Observability.loginAttempts(outcome: "failed")
            let reason = account == nil ? "unknown_user" : (account!.disabled ? "disabled" : "bad_password")
            var details = ["reason": reason, "via": kind]
            if account == nil { details["username_hmac"] = pseudonym }
            let detail = details
            try await db.write { db in
                try await AuditLog.append(
                    AuditEntry(
                        action: "login.failed", actorID: account?.id, actorName: account?.username,
                        targetType: "account", targetID: account?.username, detail: detail,
                        clientAddress: address), at: now, on: db)
            }
            throw AppError.badCredentials
        }

        // The password was right: its counters go. A second factor, when the account has one,
        // is the next step (a code in the same API request, or the page after the password).
        try await db.write { db in
            try await LoginCounters.clear(keys[0].0, on: db)
            try await LoginCounters.clear(keys[1].0, on: db)
            try await LoginCounters.giveBack(keys[2].0, on: db)
        }
        if try await SecondFactor.enrolled(accountID, on: db) {
            if kind == "api" {
                guard let otp, !otp.isEmpty else { throw secondFactorRequired }
                let ok = try await SecondFactor.verify(otp, account: accountID, vault: request.services.vault, now: now, on: db)
                guard ok else {
                    try await db.write { db in
                        try await AuditLog.append(
                            AuditEntry(
                                action: "login.failed", actorID: accountID, actorName: account.username,
                                targetType: "account", targetID: account.username,
                                detail: ["reason": "bad_second_factor", "via": kind],
                                clientAddress: address), at: now, on: db)
                    }
                    throw AppError(.unauthorized, code: "bad_second_factor", zh: "动态口令不正确", en: "The second-factor code is wrong")
                }
            } else {
                let token = Secrets.token()
                let expires = now.addingTimeInterval(pendingLifetime)
                let pending = AuthSession(
                    tokenHash: Secrets.hash(token), kind: "mfa", accountID: accountID, csrfToken: Secrets.token(),
                    expiresAt: expires, clientAddress: address)
                try await db.write { db in
                    try await SessionQueries.deletePendingSessions(account: accountID, on: db)
                    try await pending.create(on: db)
                }
                return .secondFactor(PendingSecondFactor(token: token, expiresAt: expires))
            }
        }
        return .signedIn(
            try await openSession(
                account: accountID, username: username, kind: kind,
                detail: kind == "api" && otp != nil ? ["second_factor": "yes"] : [:], request: request))
    }

    /// Opens a web session or issues an API token for an account whose credentials were checked.
    static func openSession(
        account accountID: UUID, username: String, kind: String, detail: [String: String],
        request: Request
    ) async throws -> SignedIn {
        let db = request.db
        let now = request.now
        let address = request.clientAddress
        let token = Secrets.token()
        let csrf = Secrets.token()
        let lifetime = kind == "api" ? request.services.config.tokenLifetime : request.services.config.sessionLifetime
        let expires = now.addingTimeInterval(TimeInterval(lifetime))
        let session = AuthSession(
            tokenHash: Secrets.hash(token), kind: kind, accountID: accountID, csrfToken: csrf,
            expiresAt: expires, clientAddress: address)
        try await db.write { db in
            try await session.create(on: db)
            try await AccountQueries.recordLogin(accountID, at: now, on: db)
            try await SessionQueries.deleteExpiredSessions(account: accountID, now: now, on: db)
            try await AuditLog.append(
                AuditEntry(
                    action: kind == "api" ? "token.issued" : "login", actorID: accountID,
                    actorName: username, targetType: "account", targetID: username, detail: detail,
                    clientAddress: address), at: now, on: db)
        }
        Observability.loginAttempts(outcome: "ok")
        guard
            let actor = try await SessionQueries.actor(
                tokenHash: Secrets.hash(token), kind: kind, now: now, config: request.services.config,
                on: db)
        else {
            throw AppError(.internalServerError, code: "internal", zh: "会话创建失败", en: "The session could not be created")
        }
        return SignedIn(actor: actor, token: token, expiresAt: expires)
    }

    /// Ends the caller's session or revokes the token in use.
    static func signOut(writer: WriteContext, on db: any Database) async throws {
        let actor = writer.actor
        try await db.write { db in
            try await AccountQueries.deleteSession(actor.sessionID, on: db)
            try await AuditLog.append(
                AuditEntry(
                    action: actor.via == "api" ? "token.revoked" : "logout",
                    actorID: actor.accountID, actorName: actor.username,
                    clientAddress: writer.address), at: writer.now, on: db)
        }
    }

    /// Changes the caller's password after checking the current one. Every other session and
    /// token of the account ends; the current one stays.
    static func changePassword(
        current: String, new: String, confirm: String?, writer: WriteContext, app: Application, on db: any Database
    ) async throws {
        let actor = writer.actor
        var problems: [FieldError] = []
        if let confirm, confirm != new {
            problems.append(
                FieldError(
                    field: "confirm_password", messageZH: "两次输入的新密码不一致",
                    messageEN: "The two new passwords differ"))
        }
        if let problem = PasswordPolicy.problem(with: new, username: actor.username) {
            problems.append(FieldError(field: "new_password", messageZH: problem.messageZH, messageEN: problem.messageEN))
        }
        guard let account = try await Account.find(actor.accountID, on: db) else { throw AppError.unauthenticated }
        // Guessing the current password through a stolen session is throttled like sign-in.
        let key = "password:\(actor.accountID.uuidString)"
        let nowSeconds = Int64(writer.now.timeIntervalSince1970)
        let wait: Int64? = try await db.write { db in
            if let wait = LoginThrottlePolicy.perAccount.retryAfter(try await LoginCounters.load([key], on: db)[key], now: nowSeconds) {
                return wait
            }
            try await LoginCounters.recordFailure(key, policy: .perAccount, now: nowSeconds, on: db)
            return nil
        }
        if let wait { throw AppError.tooManyAttempts(retryAfter: wait) }
        let hash = account.passwordHash
        let ok = try await app.threadPool.runIfActive { (try? Bcrypt.verify(current, created: hash)) ?? false }
        if !ok {
            problems.insert(
                FieldError(
                    field: "current_password", messageZH: "当前密码不正确",
                    messageEN: "The current password is wrong"), at: 0)
        }
        if new == current, ok {
            problems.append(
                FieldError(
                    field: "new_password", messageZH: "新密码不能与当前密码相同",
                    messageEN: "The new password must differ from the current one"))
        }
        if ok { try await db.write { db in try await LoginCounters.clear(key, on: db) } }
        guard problems.isEmpty else { throw AppError.validation(problems) }
        let newHash = try await hashPassword(new, app)
        let now = writer.now
        try await db.write { db in
            try await AccountQueries.setPassword(actor.accountID, hash: newHash, now: now, on: db)
            try await SessionQueries.deleteOtherSessions(account: actor.accountID, keeping: actor.sessionID, on: db)
            try await AuditLog.append(
                AuditEntry(
                    action: "password.changed", actorID: actor.accountID, actorName: actor.username,
                    targetType: "account", targetID: actor.username,
                    clientAddress: writer.address), at: now, on: db)
        }
    }

    package static func hashPassword(_ password: String, _ app: Application) async throws -> String {
        let cost = app.services.config.bcryptCost
        return try await app.threadPool.runIfActive { try Bcrypt.hash(password, cost: cost) }
    }
}

/// The login-failure counters of the throttle, one row per key.
enum LoginCounters {
    static func load(_ keys: [String], on db: any Database) async throws -> [String: LoginThrottlePolicy.Counter] {
        let rows = try await LoginCounterQueries.rows(keys, on: db)
        var result: [String: LoginThrottlePolicy.Counter] = [:]
        for row in rows {
            result[row.key] = .init(windowStart: row.window_start, failures: row.failures, lockedUntil: row.locked_until)
        }
        return result
    }

    /// Inside a write transaction: makes sure each key has a row, then reads them all locked, in
    /// key order so that two transactions never wait on each other crosswise.
    static func lockAndLoad(_ keys: [String], now: Int64, on db: any Database) async throws -> [String: LoginThrottlePolicy.Counter] {
        for key in keys.sorted() {
            try await LoginCounterQueries.insertIfMissing(key, now: now, on: db)
        }
        let rows = try await LoginCounterQueries.lockedRows(keys, on: db)
        var result: [String: LoginThrottlePolicy.Counter] = [:]
        for row in rows where row.failures > 0 || row.locked_until != nil {
            result[row.key] = .init(windowStart: row.window_start, failures: row.failures, lockedUntil: row.locked_until)
        }
        return result
    }

    /// Inside a write transaction: takes the counter's row (creating it if needed) and writes
    /// the next value, so concurrent failures are all counted.
    @discardableResult
    static func recordFailure(_ key: String, policy: LoginThrottlePolicy, now: Int64, on db: any Database) async throws -> Bool {
        try await LoginCounterQueries.insertIfMissing(key, now: now, on: db)
        let current = try await LoginCounterQueries.lockedRow(key, on: db)
        let counter = current.map { LoginThrottlePolicy.Counter(windowStart: $0.window_start, failures: $0.failures, lockedUntil: $0.locked_until) }
        let next = policy.recordingFailure(counter, now: now)
        try await LoginCounterQueries.update(key, windowStart: next.windowStart, failures: next.failures, lockedUntil: next.lockedUntil, on: db)
        return next.lockedUntil != nil && counter?.lockedUntil != next.lockedUntil
    }

    /// A successful sign-in gives back the attempt it was charged.
    static func giveBack(_ key: String, on db: any Database) async throws {
        try await LoginCounterQueries.giveBack(key, on: db)
    }

    /// Lifts every lock on an account (`minqing user unlock`).
    static func unlock(username: String, on db: any Database) async throws {
        try await LoginCounterQueries.deleteAccountCounters(username: username, on: db)
    }

    static func clear(_ key: String, on db: any Database) async throws {
        try await LoginCounterQueries.delete(key, on: db)
    }
}
