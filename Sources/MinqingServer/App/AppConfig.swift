import Foundation
import MinqingDomain

/// Where the data lives.
public enum DatabaseSetting: Sendable, Equatable {
    /// The embedded default: one SQLite file in WAL mode.
    case sqliteFile(path: String)
    /// A throwaway SQLite database (tests): a file in the temporary folder, deleted at shutdown.
    case sqliteMemory(identifier: String)
    /// A PostgreSQL server; `schema`, when set, is created if missing and put first on the
    /// search path (tests use one schema each so that suites can run in parallel).
    case postgres(url: String, schema: String?)

    /// `"sqlite"` or `"postgresql"`, as `/healthz` reports it.
    public var kind: String {
        switch self {
        case .sqliteFile, .sqliteMemory: "sqlite"
        case .postgres: "postgresql"
        }
    }
}

/// The configuration, parsed once at start from the environment into typed values. A bad setting
/// stops start-up with a message that names the variable.
public struct AppConfig: Sendable {
    /// The data folder: the SQLite file and the key file live here.
    public var dataDirectory: String
    public var database: DatabaseSetting
    /// The master key for the PII vault, if given by `MINQING_SECRET_KEY`; otherwise the key file
    /// in the data folder is used (and created on first start).
    public var secretKey: [UInt8]?
    /// The password for demo accounts (`MINQING_DEMO_PASSWORD`); a random one when nil.
    public var demoPassword: String?
    /// Bcrypt cost for password hashes (`MINQING_BCRYPT_COST`, 4–31, default 12).
    public var bcryptCost: Int
    /// Whether session cookies carry `Secure` (`MINQING_SECURE_COOKIES=1` behind HTTPS).
    public var secureCookies: Bool
    /// Lifetime of a web session and of an API token, seconds.
    public var sessionLifetime: Int64
    public var tokenLifetime: Int64
    /// PostgreSQL connections per event loop (`MINQING_PG_CONNECTIONS`, default 4).
    public var postgresConnectionsPerEventLoop: Int
    /// A folder of extra holiday files (`MINQING_CALENDAR_DIR`): each `cn-YYYY.txt` there adds
    /// a year or replaces the shipped one, so a new year's State Council notice needs no rebuild.
    public var calendarDirectory: String?
    /// The key file of the PII vault (`MINQING_KEY_FILE`); nil: `defaultKeyFile`, kept apart
    /// from the data folder so that a copy of the data is not also the key to it.
    public var keyFile: String?
    /// The bearer token that lets a scraper other than the local host read `/metrics`
    /// (`MINQING_METRICS_TOKEN`, 16–200 characters); without it only loopback may.
    public var metricsToken: String?
    /// A web session ends after this many seconds without a request (`MINQING_IDLE_TIMEOUT_MINUTES`,
    /// 5–720, default 30: 等保 level 3 asks for a session timeout).
    public var idleTimeout: Int64
    /// The roles that must sign in with a second factor (`MINQING_REQUIRE_2FA`: role names
    /// separated by commas, or `none`; default administrators and subdistrict staff).
    public var secondFactorRoles: Set<Role>
    /// Years after a person moved out or died until `minqing retention run` erases them
    /// (`MINQING_RETENTION_YEARS`, 1–30, default 3).
    public var retentionYears: Int
    /// The phone gateway notifications go out through (an HTTP webhook), if any.
    public var notifyGateway: NotifyGateway?

    public static let defaultSecondFactorRoles: Set<Role> = [.admin, .subdistrictStaff]

    public init(
        dataDirectory: String, database: DatabaseSetting, secretKey: [UInt8]? = nil,
        demoPassword: String? = nil, bcryptCost: Int = 12, secureCookies: Bool = true,
        sessionLifetime: Int64 = 12 * 3600, tokenLifetime: Int64 = 30 * 24 * 3600,
        postgresConnectionsPerEventLoop: Int = 4, calendarDirectory: String? = nil, keyFile: String? = nil,
        metricsToken: String? = nil, idleTimeout: Int64 = 30 * 60,
        secondFactorRoles: Set<Role> = AppConfig.defaultSecondFactorRoles, retentionYears: Int = 3,
        notifyGateway: NotifyGateway? = nil
    ) {
        self.dataDirectory = dataDirectory
        self.database = database
        self.secretKey = secretKey
        self.demoPassword = demoPassword
        self.bcryptCost = bcryptCost
        self.secureCookies = secureCookies
        self.sessionLifetime = sessionLifetime
        self.tokenLifetime = tokenLifetime
        self.postgresConnectionsPerEventLoop = postgresConnectionsPerEventLoop
        self.calendarDirectory = calendarDirectory
        self.keyFile = keyFile
        self.metricsToken = metricsToken
        self.idleTimeout = idleTimeout
        self.secondFactorRoles = secondFactorRoles
        self.retentionYears = retentionYears
        self.notifyGateway = notifyGateway
    }

    /// `$XDG_CONFIG_HOME/minqing/secret.key`, else `~/.config/minqing/secret.key`: outside the
    /// data folder, so that a copy or backup of the data does not carry its key.
    public static func defaultKeyFile(_ env: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base =
            env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()) as NSString).appendingPathComponent(".config")
        return ((base as NSString).appendingPathComponent("minqing") as NSString).appendingPathComponent("secret.key")
    }

    /// A setting that cannot be used; the message names the variable and says what is expected.
    public struct Problem: Error, CustomStringConvertible, Sendable {
        public let variable: String
        public let message: String
        public var description: String { "配置错误 / configuration error: \(variable): \(message)" }
    }

    /// Parses the environment. Unknown `MINQING_*` variables are ignored.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws(Problem) -> AppConfig {
        let dataDir = env["MINQING_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "./minqing-data"
        let database: DatabaseSetting
        if let raw = env["MINQING_DATABASE_URL"], !raw.isEmpty {
            database = try parseDatabaseURL(raw, variable: "MINQING_DATABASE_URL")
        } else {
            database = .sqliteFile(path: (dataDir as NSString).appendingPathComponent("minqing.sqlite"))
        }
        var key: [UInt8]?
        if let raw = env["MINQING_SECRET_KEY"], !raw.isEmpty {
            guard let bytes = decodeKey(raw), bytes.count == 32 else {
                throw Problem(
                    variable: "MINQING_SECRET_KEY",
                    message: "须为 32 字节密钥的 base64 或 64 位十六进制 / must be 32 bytes as base64 or 64 hex digits")
            }
            key = bytes
        }
        var cost = 12
        if let raw = env["MINQING_BCRYPT_COST"], !raw.isEmpty {
            guard let value = Int(raw), (4...31).contains(value) else {
                throw Problem(variable: "MINQING_BCRYPT_COST", message: "须为 4 到 31 的整数 / must be an integer from 4 to 31")
            }
            cost = value
        }
        var secure = true
        if let raw = env["MINQING_SECURE_COOKIES"], !raw.isEmpty {
            switch raw.lowercased() {
            case "1", "true", "yes", "on": secure = true
            case "0", "false", "no", "off": secure = false
            default: throw Problem(variable: "MINQING_SECURE_COOKIES", message: "须为 true 或 false / must be true or false")
            }
        }
        var connections = 4
        if let raw = env["MINQING_PG_CONNECTIONS"], !raw.isEmpty {
            guard let value = Int(raw), (1...64).contains(value) else {
                throw Problem(variable: "MINQING_PG_CONNECTIONS", message: "须为 1 到 64 的整数 / must be an integer from 1 to 64")
            }
            connections = value
        }
        let demo = env["MINQING_DEMO_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        let calendarDir = env["MINQING_CALENDAR_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        if let calendarDir {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: calendarDir, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw Problem(variable: "MINQING_CALENDAR_DIR", message: "须为存在的文件夹 / must be an existing folder")
            }
        }
        let keyFile = env["MINQING_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        var metricsToken: String?
        if let raw = env["MINQING_METRICS_TOKEN"], !raw.isEmpty {
            guard (16...200).contains(raw.count), raw.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw Problem(
                    variable: "MINQING_METRICS_TOKEN", message: "须为 16–200 个不含空格的 ASCII 字符 / must be 16 to 200 ASCII characters without spaces")
            }
            metricsToken = raw
        }
        var idle: Int64 = 30 * 60
        if let raw = env["MINQING_IDLE_TIMEOUT_MINUTES"], !raw.isEmpty {
            guard let minutes = Int64(raw), (5...720).contains(minutes) else {
                throw Problem(variable: "MINQING_IDLE_TIMEOUT_MINUTES", message: "须为 5 到 720 的整数 / must be an integer from 5 to 720")
            }
            idle = minutes * 60
        }
        var secondFactor = defaultSecondFactorRoles
        if let raw = env["MINQING_REQUIRE_2FA"], !raw.isEmpty {
            if raw.lowercased() == "none" {
                secondFactor = []
            } else {
                let names = raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                let roles = names.compactMap(Role.init(rawValue:))
                guard roles.count == names.count else {
                    throw Problem(
                        variable: "MINQING_REQUIRE_2FA",
                        message:
                            "须为逗号分隔的角色名（如 admin,subdistrict_staff）或 none / must be role names separated by commas (e.g. admin,subdistrict_staff) or none"
                    )
                }
                secondFactor = Set(roles)
            }
        }
        var retention = 3
        if let raw = env["MINQING_RETENTION_YEARS"], !raw.isEmpty {
            guard let years = Int(raw), (1...30).contains(years) else {
                throw Problem(variable: "MINQING_RETENTION_YEARS", message: "须为 1 到 30 的整数 / must be an integer from 1 to 30")
            }
            retention = years
        }
        let gateway = try NotifyGateway.fromEnvironment(env)
        return AppConfig(
            dataDirectory: dataDir, database: database, secretKey: key,
            demoPassword: demo, bcryptCost: cost, secureCookies: secure,
            postgresConnectionsPerEventLoop: connections, calendarDirectory: calendarDir, keyFile: keyFile,
            metricsToken: metricsToken, idleTimeout: idle, secondFactorRoles: secondFactor, retentionYears: retention,
            notifyGateway: gateway)
    }

    /// `sqlite:///abs/path`, `sqlite://relative/path`, `sqlite::memory:`, `postgres://…`, `postgresql://…`.
    public static func parseDatabaseURL(_ raw: String, variable: String) throws(Problem) -> DatabaseSetting {
        if raw == "sqlite::memory:" { return .sqliteMemory(identifier: UUID().uuidString) }
        if raw.hasPrefix("sqlite://") {
            let path = String(raw.dropFirst("sqlite://".count))
            guard !path.isEmpty else {
                throw Problem(variable: variable, message: "缺少 SQLite 文件路径 / the SQLite file path is missing (sqlite:///path/to/file.sqlite)")
            }
            return .sqliteFile(path: path)
        }
        if raw.hasPrefix("postgres://") || raw.hasPrefix("postgresql://") {
            guard let url = URL(string: raw), let host = url.host, !host.isEmpty else {
                throw Problem(
                    variable: variable, message: "无法解析的 PostgreSQL 地址 / not a valid PostgreSQL URL (postgres://user:password@host:5432/database)")
            }
            guard url.user != nil, url.path.count > 1 else {
                throw Problem(variable: variable, message: "PostgreSQL 地址须含用户名和数据库名 / the PostgreSQL URL must name a user and a database")
            }
            return .postgres(url: raw, schema: nil)
        }
        throw Problem(variable: variable, message: "须以 sqlite:// 或 postgres:// 开头 / must start with sqlite:// or postgres://")
    }

    static func decodeKey(_ raw: String) -> [UInt8]? {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.count == 64, text.allSatisfy(\.isHexDigit) {
            var bytes: [UInt8] = []
            var index = text.startIndex
            while index < text.endIndex {
                let next = text.index(index, offsetBy: 2)
                guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
                bytes.append(byte)
                index = next
            }
            return bytes
        }
        return Data(base64Encoded: text).map { Array($0) }
    }
}

/// The webhook that carries notifications to phones (the form an SMS or WeChat template-message
/// gateway takes): `MINQING_NOTIFY_WEBHOOK_URL` (http or https) and `MINQING_NOTIFY_WEBHOOK_SECRET`
/// (at least 16 characters), which signs every request. Off unless both are set.
public struct NotifyGateway: Sendable, Equatable {
    public var url: String
    public var secret: String

    public init(url: String, secret: String) {
        self.url = url
        self.secret = secret
    }

    static func fromEnvironment(_ env: [String: String]) throws(AppConfig.Problem) -> NotifyGateway? {
        let url = env["MINQING_NOTIFY_WEBHOOK_URL"] ?? ""
        let secret = env["MINQING_NOTIFY_WEBHOOK_SECRET"] ?? ""
        if url.isEmpty && secret.isEmpty { return nil }
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
            throw AppConfig.Problem(
                variable: "MINQING_NOTIFY_WEBHOOK_URL", message: "须为 http:// 或 https:// 开头的网址 / must be an http:// or https:// address")
        }
        guard (16...200).contains(secret.count) else {
            throw AppConfig.Problem(
                variable: "MINQING_NOTIFY_WEBHOOK_SECRET", message: "须为 16–200 个字符的签名密钥 / must be a signing secret of 16 to 200 characters")
        }
        return NotifyGateway(url: url, secret: secret)
    }
}
