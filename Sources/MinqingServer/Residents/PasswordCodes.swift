import Fluent
import Foundation
import MinqingDomain
import Vapor

/// A resident who forgot their password gets a six-digit code on the mobile number they signed
/// up with, sent through the notification gateway (`NotificationDelivery.sendNow`), and sets a
/// new password with it (issue 22 item 1; the 居委's desk can still reset one, audited).
///
/// - The answer to a request never tells whether the account exists or has a number: the same
///   words, and everything after the address's budget (the lookup, the code, the message) happens
///   in the background, so the time taken says nothing either.
/// - Only a keyed hash of the code is stored; a code lives 10 minutes and takes 5 wrong tries; a
///   new one supersedes the last; an account gets at most one a minute and five a day; each client
///   address a budget of requests and of tries an hour.
/// - Setting the password ends every session of the account and lifts its sign-in locks; both
///   the code sent and the reset are in the audit trail.
enum PasswordCodes {
    static let lifetime: TimeInterval = 600
    static let maxAttempts = 5
    static let perDay = 5
    static let gap: TimeInterval = 60
    static let requestBudget = LoginThrottlePolicy(maxFailures: 20, windowSeconds: 3600, lockSeconds: 3600)
    static let tryBudget = LoginThrottlePolicy(maxFailures: 30, windowSeconds: 3600, lockSeconds: 3600)

    static let wrongCode = AppError.validation(
        "code", zh: "验证码不正确或已过期，请重新获取", en: "The code is wrong or has expired; ask for a new one")
    static let noGateway = AppError(
        .conflict, code: "no_sms_gateway", zh: "本社区尚未开通短信服务，请带身份证到居委会重置密码。",
        en: "Text messages are not set up here: bring your ID card to the residents' committee to reset your password.")

    struct RequestInput: Content, Sendable { var username: String? = nil }
    struct ResetInput: Content, Sendable {
        var username: String? = nil
        var code: String? = nil
        var new_password: String? = nil
        var confirm_password: String? = nil
    }

    /// Whether codes can be sent at all.
    static func available(_ app: Application) -> Bool { app.services.config.notifyGateway != nil }

    /// Sends a code to the account's mobile number when it is a resident's with one, and it has
    /// not had one within the minute or five today; does nothing otherwise. Answers once the
    /// address's budget is charged; the rest runs in the background (`send`).
    static func request(_ input: RequestInput, now: Date, address: String, app: Application, on db: any Database) async throws {
        let username = (input.username ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        guard !username.isEmpty, username.count <= 64 else {
            throw AppError.validation("username", zh: "请填写您的用户名", en: "Enter your username")
        }
        guard available(app) else { throw noGateway }
        try await ImportChecks.charge("password-code:\(address)", policy: requestBudget, now: now, what: ("获取验证码", "code requests"), on: db)
        Task {
            do {
                try await send(to: username, now: now, address: address, app: app)
            } catch {
                app.logger.warning("password code: \(String(describing: error).prefix(200))")
            }
        }
    }

    /// The background half of `request`: the lookup, the code and its message.
    private static func send(to username: String, now: Date, address: String, app: Application) async throws {
        let db = app.db
        guard let target = try await PasswordCodeQueries.target(username, on: db), let cipher = target.phone_cipher else { return }
        let recent = try await PasswordCodeQueries.recent(target.id, since: now.addingTimeInterval(-86_400), on: db)
        guard recent.n < perDay, (recent.latest.map { now.timeIntervalSince($0) >= gap } ?? true) else { return }
        let vault = app.services.vault
        let code = String(format: "%06d", Int.random(in: 0..<1_000_000))
        let id = UUID()
        try await db.write { db in
            try await PasswordCodeQueries.insert(
                id, target: target, hash: hash(code, account: target.id, vault: vault), now: now, expires: now.addingTimeInterval(lifetime),
                address: address, on: db)
            try await AuditLog.append(
                AuditEntry(action: "password.code_sent", targetType: "account", targetID: username, clientAddress: address), at: now, on: db)
        }
        let payload = NotificationDelivery.Payload(
            id: id, kind: "password_code", to: try vault.open(cipher, kind: .phone), title: "民情验证码",
            detail: "您重置密码的验证码是 \(code)，10 分钟内有效。如非本人操作，请忽略本短信。", path: SiteURL.passwordReset.path, urgent: true,
            created_at: now)
        if let problem = try await NotificationDelivery.sendNow(payload, app: app, now: now) {
            app.logger.warning("password code: the gateway refused it: \(problem)")
        }
    }

    /// Sets a new password with the latest live code; every problem named by its field, a wrong
    /// code counted against that code. Nothing changes unless all is well.
    static func reset(_ input: ResetInput, now: Date, address: String, app: Application, on db: any Database) async throws {
        let username = (input.username ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        var problems: [FieldError] = []
        if username.isEmpty || username.count > 64 {
            problems.append(FieldError(field: "username", messageZH: "请填写您的用户名", messageEN: "Enter your username"))
        }
        let code = String((input.code ?? "").map(HalfWidth.fold).filter { !$0.isWhitespace })
        if code.count != 6 || !code.allSatisfy(\.isASCII) || !code.allSatisfy(\.isNumber) {
            problems.append(FieldError(field: "code", messageZH: "请填写短信里的 6 位数字验证码", messageEN: "Enter the 6-digit code from the text message"))
        }
        let password = input.new_password ?? ""
        if var problem = PasswordPolicy.problem(with: password, username: username) {
            problem = FieldError(field: "new_password", messageZH: problem.messageZH, messageEN: problem.messageEN)
            problems.append(problem)
        } else if let confirm = input.confirm_password, confirm != password {
            problems.append(FieldError(field: "confirm_password", messageZH: "两次输入的密码不一致", messageEN: "The two passwords differ"))
        }
        guard problems.isEmpty else { throw AppError.validation(problems) }
        try await ImportChecks.charge("password-reset:\(address)", policy: tryBudget, now: now, what: ("验证码尝试", "code tries"), on: db)
        let vault = app.services.vault
        // Each try is claimed before the comparison (one statement), so parallel tries cannot
        // get past the limit; the code is taken (used) in the transaction that sets the password.
        guard let target = try await PasswordCodeQueries.target(username, on: db),
            let live = try await db.write({ db in try await PasswordCodeQueries.claimTry(target.id, now: now, maxAttempts: maxAttempts, on: db) }),
            live.code_hash == hash(code, account: target.id, vault: vault)
        else { throw wrongCode }
        let newHash = try await AccessService.hashPassword(password, app)
        try await db.write { db in
            guard try await PasswordCodeQueries.take(live.id, now: now, on: db) else { throw wrongCode }
            try await PasswordCodeQueries.supersede(target.id, now: now, on: db)
            try await AccountQueries.setPassword(target.id, hash: newHash, mustChange: false, now: now, on: db)
            try await SessionQueries.deleteSessions(account: target.id, on: db)
            try await LoginCounters.unlock(username: username, on: db)
            try await AuditLog.append(
                AuditEntry(
                    action: "password.reset_by_code", actorID: target.id, actorName: username, targetType: "account", targetID: username,
                    clientAddress: address), at: now, on: db)
        }
    }

    /// The stored form of a code: keyed by the vault and bound to the account.
    static func hash(_ code: String, account: UUID, vault: PIIVault) -> String {
        vault.pseudonym("password-code:\(account.uuidString.lowercased()):\(code)")
    }
}
