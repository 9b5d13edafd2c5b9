import Crypto
import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The second factor (动态口令, 等保 2.0 level 3: two-factor sign-in for administrators): a TOTP
/// secret (RFC 6238, SHA-1, 6 digits, 30 s) sealed by the vault, enrolled by scanning a QR code or
/// typing the key, confirmed with a first code; ten one-time recovery codes, stored hashed.
/// Required for the roles `AppConfig.secondFactorRoles` names, available to every account.
enum SecondFactor {
    /// The code of `secret` for a time step (RFC 6238 over RFC 4226's dynamic truncation).
    static func code(secret: [UInt8], step: Int64) -> String {
        var counter = UInt64(bitPattern: step).bigEndian
        let message = withUnsafeBytes(of: &counter) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        let value = binary % 1_000_000
        let text = String(value)
        return String(repeating: "0", count: TOTPWindow.digits - text.count) + text
    }

    /// `otpauth://totp/Minqing:<username>?secret=…&issuer=Minqing&…`, what authenticator apps scan.
    static func enrolmentURI(secret: [UInt8], username: String) -> String {
        let account = username.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? username
        return "otpauth://totp/Minqing:\(account)?secret=\(Base32.encode(secret))&issuer=Minqing&algorithm=SHA1&digits=6&period=30"
    }

    struct State: Content, Equatable {
        /// A confirmed secret is in use.
        var enrolled: Bool
        /// The account's role must sign in with it.
        var required: Bool
        /// Recovery codes not used yet.
        var recovery_codes_left: Int
    }

    /// The account's TOTP row, or nil.
    static func row(_ account: UUID, on db: any Database) async throws -> SecondFactorQueries.Row? {
        try await SecondFactorQueries.row(account, on: db)
    }

    static func enrolled(_ account: UUID, on db: any Database) async throws -> Bool {
        try await row(account, on: db)?.confirmed_at != nil
    }

    static func state(_ actor: Actor, config: AppConfig, on db: any Database) async throws -> State {
        let left = try await SecondFactorQueries.recoveryCodesLeft(actor.accountID, on: db)
        return State(
            enrolled: try await enrolled(actor.accountID, on: db), required: config.secondFactorRoles.contains(actor.role),
            recovery_codes_left: left)
    }

    struct Started: Content { var secret: String; var otpauth_uri: String }

    /// A new secret waiting for its first code (replacing any unconfirmed one). An account
    /// already enrolled resets first (`disable`), so a stolen session cannot swap the secret.
    static func start(_ actor: Actor, vault: PIIVault, now: Date, on db: any Database) async throws -> Started {
        if try await enrolled(actor.accountID, on: db) {
            throw AppError.conflict("已绑定动态口令；如需更换，请先解除绑定", "A second factor is set up already; remove it first to replace it")
        }
        var rng = SystemRandomNumberGenerator()
        let secret = (0..<20).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
        let sealed = try vault.seal(Base32.encode(secret), masked: "", kind: .totpSecret)
        try await db.write { db in
            try await SecondFactorQueries.deleteSecret(actor.accountID, on: db)
            try await SecondFactorQueries.insertSecret(actor.accountID, cipher: sealed.ciphertext, now: now, on: db)
        }
        return Started(secret: Base32.encode(secret), otpauth_uri: enrolmentURI(secret: secret, username: actor.username))
    }

    /// The pending secret, for the enrolment page to draw again.
    static func pending(_ actor: Actor, vault: PIIVault, on db: any Database) async throws -> Started? {
        guard let row = try await row(actor.accountID, on: db), row.confirmed_at == nil,
            let secret = Base32.decode(try vault.open(row.secret_cipher, kind: .totpSecret))
        else { return nil }
        return Started(secret: Base32.encode(secret), otpauth_uri: enrolmentURI(secret: secret, username: actor.username))
    }

    static let wrongCode = AppError.validation(
        "code", zh: "动态口令不正确或已用过，请输入验证器上当前的 6 位数字",
        en: "The code is wrong or was used already; enter the 6 digits your authenticator shows now")

    /// Checks a TOTP code for the account (enrolled, or pending when `confirming`), throttled
    /// like sign-in; a step once accepted is never accepted again. True when it matches.
    static func check(code raw: String, account: UUID, confirming: Bool, vault: PIIVault, now: Date, on db: any Database) async throws -> Bool {
        let key = "otp:\(account.uuidString)"
        let nowSeconds = Int64(now.timeIntervalSince1970)
        if let wait = LoginThrottlePolicy.perAccount.retryAfter(try await LoginCounters.load([key], on: db)[key], now: nowSeconds) {
            throw AppError.tooManyAttempts(retryAfter: wait)
        }
        guard let row = try await row(account, on: db), (row.confirmed_at != nil) != confirming,
            let secret = Base32.decode(try vault.open(row.secret_cipher, kind: .totpSecret))
        else { return false }
        if let code = TOTPWindow.normalise(raw) {
            for step in TOTPWindow.candidates(at: nowSeconds, lastUsed: row.last_step)
            where Secrets.constantTimeEquals(Self.code(secret: secret, step: step), code) {
                // Conditional: of two requests with the same code, one wins.
                let taken = try await db.write { db in
                    let won = try await SecondFactorQueries.claimStep(step, account: account, on: db)
                    if won { try await LoginCounters.clear(key, on: db) }
                    return won
                }
                if taken { return true }
            }
        }
        try await db.write { db in try await LoginCounters.recordFailure(key, policy: .perAccount, now: nowSeconds, on: db) }
        return false
    }

    /// A sign-in's second step: six digits are a TOTP code, anything else a recovery code.
    static func verify(_ entered: String, account: UUID, vault: PIIVault, now: Date, on db: any Database) async throws -> Bool {
        if TOTPWindow.normalise(entered) != nil {
            return try await check(code: entered, account: account, confirming: false, vault: vault, now: now, on: db)
        }
        return try await useRecoveryCode(entered, account: account, now: now, on: db)
    }

    /// A recovery code (`XXXX-XXXX`), used once. True when it matched an unused one.
    static func useRecoveryCode(_ raw: String, account: UUID, now: Date, on db: any Database) async throws -> Bool {
        let key = "otp:\(account.uuidString)"
        let nowSeconds = Int64(now.timeIntervalSince1970)
        if let wait = LoginThrottlePolicy.perAccount.retryAfter(try await LoginCounters.load([key], on: db)[key], now: nowSeconds) {
            throw AppError.tooManyAttempts(retryAfter: wait)
        }
        let normalised = raw.uppercased().filter { $0.isLetter || $0.isNumber }
        guard normalised.count == 8 else {
            try await db.write { db in try await LoginCounters.recordFailure(key, policy: .perAccount, now: nowSeconds, on: db) }
            return false
        }
        let used = try await db.write { db in
            let matched = try await SecondFactorQueries.useRecoveryCode(codeHash: Secrets.hash(normalised), account: account, now: now, on: db)
            if !matched {
                try await LoginCounters.recordFailure(key, policy: .perAccount, now: nowSeconds, on: db)
            } else {
                try await LoginCounters.clear(key, on: db)
            }
            return matched
        }
        return used
    }

    /// Ten new recovery codes (the old ones stop working), shown once.
    static func newRecoveryCodes(_ account: UUID, now: Date, on db: any Database) async throws -> [String] {
        let letters = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var rng = SystemRandomNumberGenerator()
        let codes = (0..<10).map { _ in String((0..<8).map { _ in letters[Int.random(in: 0..<letters.count, using: &rng)] }) }
        try await SecondFactorQueries.deleteRecoveryCodes(account, on: db)
        for code in codes {
            try await SecondFactorQueries.insertRecoveryCode(account, codeHash: Secrets.hash(code), now: now, on: db)
        }
        return codes.map { String($0.prefix(4)) + "-" + String($0.suffix(4)) }
    }

    struct Confirmed: Content { var recovery_codes: [String] }

    /// The first code confirms the pending secret; the recovery codes come back once. Audited.
    static func confirm(code: String?, writer: WriteContext, vault: PIIVault, on db: any Database) async throws -> Confirmed {
        let actor = writer.actor
        guard try await row(actor.accountID, on: db)?.confirmed_at == nil, try await row(actor.accountID, on: db) != nil else {
            throw AppError.conflict("没有待确认的动态口令，请重新开始绑定", "No second factor waits for its first code; start again")
        }
        guard
            try await check(
                code: code ?? "", account: actor.accountID, confirming: true, vault: vault,
                now: writer.now, on: db)
        else { throw wrongCode }
        let now = writer.now
        let address = writer.address
        let codes = try await db.write { db in
            try await SecondFactorQueries.confirmSecret(actor.accountID, at: now, on: db)
            let codes = try await newRecoveryCodes(actor.accountID, now: now, on: db)
            try await AuditLog.append(
                AuditEntry(
                    action: "second_factor.enrolled", actorID: actor.accountID, actorName: actor.username,
                    targetType: "account", targetID: actor.username, clientAddress: address), at: now, on: db)
            return codes
        }
        return Confirmed(recovery_codes: codes)
    }

    /// New recovery codes, after a current code. Audited.
    static func regenerate(code: String?, writer: WriteContext, vault: PIIVault, on db: any Database) async throws -> Confirmed {
        let actor = writer.actor
        guard
            try await check(
                code: code ?? "", account: actor.accountID, confirming: false, vault: vault,
                now: writer.now, on: db)
        else { throw wrongCode }
        let now = writer.now
        let address = writer.address
        let codes = try await db.write { db in
            let codes = try await newRecoveryCodes(actor.accountID, now: now, on: db)
            try await AuditLog.append(
                AuditEntry(
                    action: "second_factor.recovery_codes", actorID: actor.accountID, actorName: actor.username,
                    targetType: "account", targetID: actor.username, clientAddress: address), at: now, on: db)
            return codes
        }
        return Confirmed(recovery_codes: codes)
    }

    /// Removes the caller's second factor after a current code (a role that requires one is
    /// then held at enrolment again). Audited.
    static func disable(code: String?, writer: WriteContext, vault: PIIVault, on db: any Database) async throws {
        let actor = writer.actor
        guard
            try await check(
                code: code ?? "", account: actor.accountID, confirming: false, vault: vault,
                now: writer.now, on: db)
        else { throw wrongCode }
        try await remove(actor.accountID, username: actor.username, action: "second_factor.removed", writer: writer, on: db)
    }

    /// A manager removes the second factor of an account in their scope (a lost phone); the
    /// account's sessions end. Audited.
    static func reset(username: String, writer: WriteContext, on db: any Database) async throws {
        let actor = writer.actor
        guard actor.role.managesAccounts else { throw AppError.forbidden }
        guard let row = try await AccountQueries.find(username: username, in: actor.scope, on: db) else {
            throw AppError.notFound("账号不存在或不在您的管辖范围内", "No such account in your scope")
        }
        guard row.id != actor.accountID else {
            throw AppError.validation("username", zh: "不能重置自己的动态口令，请由其他管理员操作", en: "Another manager resets your own second factor")
        }
        try await remove(row.id, username: row.username, action: "second_factor.reset", writer: writer, on: db)
        try await db.write { db in
            try await SessionQueries.deleteSessions(account: row.id, on: db)
        }
    }

    private static func remove(_ account: UUID, username: String, action: String, writer: WriteContext, on db: any Database) async throws {
        let actor = writer.actor
        let now = writer.now
        let address = writer.address
        try await db.write { db in
            try await SecondFactorQueries.deleteSecret(account, on: db)
            try await SecondFactorQueries.deleteRecoveryCodes(account, on: db)
            try await AuditLog.append(
                AuditEntry(
                    action: action, actorID: actor.accountID, actorName: actor.username,
                    targetType: "account", targetID: username, clientAddress: address), at: now, on: db)
        }
    }
}

/// The second factor's tables, and when a web session was last used (the idle timeout).
struct CreateSecondFactor: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("account_totp")
            .field("account_id", .uuid, .identifier(auto: false), .references(Account.schema, .id, onDelete: .cascade))
            .field("secret_cipher", .string, .required)
            .field("confirmed_at", .datetime)
            .field("last_step", .int64)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("account_recovery_codes")
            .id()
            .field("account_id", .uuid, .required, .references(Account.schema, .id, onDelete: .cascade))
            .field("code_hash", .string, .required)
            .field("used_at", .datetime)
            .field("created_at", .datetime, .required)
            .create()
        let sql = database.sql
        try await sql.create(index: "account_recovery_codes_account").on("account_recovery_codes").column("account_id").run()
        try await database.schema(AuthSession.schema).field("last_seen_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuthSession.schema).deleteField("last_seen_at").update()
        try await database.schema("account_recovery_codes").delete()
        try await database.schema("account_totp").delete()
    }
}
