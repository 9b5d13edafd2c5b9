import Crypto
import Foundation

/// The kinds of personal number the vault keeps. The kind is bound into every ciphertext
/// (AES-GCM associated data) and every blind index, so a phone ciphertext can never be passed
/// off as an ID number and equal values of different kinds do not share an index.
public enum PIIKind: String, Sendable, CaseIterable {
    case idNumber = "id_number"
    case phone
    /// A second factor's TOTP secret (base32).
    case totpSecret = "totp_secret"
}

/// A personal number as stored: ciphertext, blind index, masked form. The plain value is never
/// stored, logged or shown without the audited "show" action.
public struct SealedPII: Sendable, Equatable, Codable {
    /// `v<key version>:<base64 of nonce ‖ ciphertext ‖ tag>`.
    public var ciphertext: String
    /// Hex HMAC-SHA256 of the normalised value, for exact lookup without decrypting.
    public var blindIndex: String
    /// The display form, e.g. `110105********002X` or `138****8000`.
    public var masked: String

    /// The key version the value was sealed with.
    public var keyVersion: Int? {
        guard ciphertext.hasPrefix("v"), let colon = ciphertext.firstIndex(of: ":") else { return nil }
        return Int(ciphertext[ciphertext.index(after: ciphertext.startIndex)..<colon])
    }
}

/// The PII vault (个人信息保险箱): AES-256-GCM encryption with versioned keys, HMAC blind indexes,
/// masked forms. Keys are derived with HKDF from master keys that live in the data folder's key
/// file (mode 0600, made on first start) or come from `MINQING_SECRET_KEY`.
public struct PIIVault: Sendable {
    /// Encryption keys by version; the highest encrypts, all decrypt (key rotation).
    private let encryptionKeys: [Int: SymmetricKey]
    private let currentVersion: Int
    /// The blind-index key, derived from the oldest master key so that lookups survive rotation.
    private let indexKey: SymmetricKey

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// A vault over master keys by version (each 32 bytes).
    public init(masterKeys: [Int: [UInt8]]) throws(Failure) {
        guard let current = masterKeys.keys.max(), let oldest = masterKeys.keys.min() else {
            throw Failure(description: "no master key")
        }
        var keys: [Int: SymmetricKey] = [:]
        for (version, bytes) in masterKeys {
            guard bytes.count == 32 else { throw Failure(description: "master key v\(version) must be 32 bytes") }
            keys[version] = Self.derive(bytes, info: "minqing-pii-encryption-v\(version)")
        }
        encryptionKeys = keys
        currentVersion = current
        indexKey = Self.derive(masterKeys[oldest]!, info: "minqing-pii-blind-index")
    }

    private static func derive(_ master: [UInt8], info: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: master), salt: Data("minqing".utf8),
            info: Data(info.utf8), outputByteCount: 32)
    }

    /// Seals a normalised value (the caller validates and normalises first) with its masked form.
    public func seal(_ normalized: String, masked: String, kind: PIIKind) throws -> SealedPII {
        let key = encryptionKeys[currentVersion]!
        let box = try AES.GCM.seal(Data(normalized.utf8), using: key, authenticating: Data(kind.rawValue.utf8))
        guard let combined = box.combined else { throw Failure(description: "AES-GCM produced no output") }
        return SealedPII(
            ciphertext: "v\(currentVersion):" + combined.base64EncodedString(),
            blindIndex: blindIndex(normalized, kind: kind), masked: masked)
    }

    /// Opens a sealed value. Callers other than the audited "show" action must not use this.
    public func open(_ ciphertext: String, kind: PIIKind) throws -> String {
        guard ciphertext.hasPrefix("v"), let colon = ciphertext.firstIndex(of: ":"),
            let version = Int(ciphertext[ciphertext.index(after: ciphertext.startIndex)..<colon]),
            let key = encryptionKeys[version],
            let data = Data(base64Encoded: String(ciphertext[ciphertext.index(after: colon)...]))
        else {
            throw Failure(description: "ciphertext is malformed or its key version is unknown")
        }
        let box = try AES.GCM.SealedBox(combined: data)
        let plain = try AES.GCM.open(box, using: key, authenticating: Data(kind.rawValue.utf8))
        guard let text = String(data: plain, encoding: .utf8) else { throw Failure(description: "plaintext is not UTF-8") }
        return text
    }

    /// Seals a whole file that holds personal numbers and must wait somewhere (an import waiting
    /// for its confirmation): `[version: 4 bytes big-endian] ‖ nonce ‖ ciphertext ‖ tag`.
    /// `context` is authenticated with it (e.g. the row's id), so a sealed file cannot be moved
    /// to another row and opened there.
    public func sealFile(_ bytes: [UInt8], context: String) throws -> [UInt8] {
        let key = encryptionKeys[currentVersion]!
        let box = try AES.GCM.seal(Data(bytes), using: key, authenticating: Data("file:\(context)".utf8))
        guard let combined = box.combined else { throw Failure(description: "AES-GCM produced no output") }
        let version = UInt32(currentVersion)
        return [UInt8(version >> 24 & 0xFF), UInt8(version >> 16 & 0xFF), UInt8(version >> 8 & 0xFF), UInt8(version & 0xFF)] + Array(combined)
    }

    /// Opens what `sealFile` sealed under the same `context`.
    public func openFile(_ sealed: [UInt8], context: String) throws -> [UInt8] {
        guard sealed.count > 4 else { throw Failure(description: "sealed file is too short") }
        let version = Int(sealed[0]) << 24 | Int(sealed[1]) << 16 | Int(sealed[2]) << 8 | Int(sealed[3])
        guard let key = encryptionKeys[version] else { throw Failure(description: "the sealed file's key version is unknown") }
        let box = try AES.GCM.SealedBox(combined: Data(sealed[4...]))
        return Array(try AES.GCM.open(box, using: key, authenticating: Data("file:\(context)".utf8)))
    }

    /// The blind index of a normalised value: equal values give equal indexes, and nothing about
    /// the value can be learnt from it without the key.
    public func blindIndex(_ normalized: String, kind: PIIKind) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(kind.rawValue):\(normalized)".utf8), using: indexKey)
        return mac.hexString
    }

    /// A keyed hash of any text (first 16 bytes, hex), for recording *that* the same unknown text
    /// came again without storing it, e.g. a sign-in name that matches no account.
    public func pseudonym(_ text: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("pseudonym:\(text)".utf8), using: indexKey)
        return Array(mac).prefix(16).hexString
    }

    /// The vault for a configuration: `MINQING_SECRET_KEY` when given, else the key file:
    /// `keyFile` (`MINQING_KEY_FILE`) or `AppConfig.defaultKeyFile()`, outside the data folder,
    /// created with mode 0600 on first start. A key file an earlier version made inside the data
    /// folder (`<data>/secret.key`) is still used, and `legacyKeyInDataFolder` says so, so that
    /// start-up can tell the operator to move it. The file holds one line per key version,
    /// `<version>:<base64 key>`; add a line with a higher version to rotate.
    public static func load(secretKey: [UInt8]?, keyFile: String?, dataDirectory: String) throws -> PIIVault {
        if let secretKey { return try PIIVault(masterKeys: [1: secretKey]) }
        let path = try keyFilePath(keyFile: keyFile, dataDirectory: dataDirectory)
        let fm = FileManager.default
        try fm.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        try createKeyFileIfMissing(path)
        let attributes = try fm.attributesOfItem(atPath: path)
        if let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0 {
            throw Failure(description: "the key file \(path) must be readable by its owner only (chmod 600)")
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var keys: [Int: [UInt8]] = [:]
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let version = Int(parts[0]), (1...1_000_000).contains(version),
                let data = Data(base64Encoded: String(parts[1])), data.count == 32
            else {
                throw Failure(description: "the key file \(path) has a bad line; expected <version 1–1000000>:<base64 of 32 bytes>")
            }
            keys[version] = Array(data)
        }
        return try PIIVault(masterKeys: keys)
    }
}

extension PIIVault {
    /// The key file in use: a legacy one in the data folder if there is one, else `keyFile`,
    /// else the default outside the data folder.
    public static func keyFilePath(keyFile: String?, dataDirectory: String) throws -> String {
        let legacy = (dataDirectory as NSString).appendingPathComponent("secret.key")
        if keyFile == nil, FileManager.default.fileExists(atPath: legacy) { return legacy }
        return keyFile ?? AppConfig.defaultKeyFile()
    }

    /// Whether the key in use lies in the data folder (kept for deployments that started so).
    public static func legacyKeyInDataFolder(keyFile: String?, secretKey: [UInt8]?, dataDirectory: String) -> Bool {
        guard secretKey == nil, keyFile == nil else { return false }
        return FileManager.default.fileExists(atPath: (dataDirectory as NSString).appendingPathComponent("secret.key"))
    }

    /// Writes a new random key, only if no file is there: two servers starting at once on the same
    /// key file both end up with the one key that was written first (O_EXCL).
    static func createKeyFileIfMissing(_ path: String) throws {
        var bytes = [UInt8](repeating: 0, count: 32)
        var rng = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = UInt8.random(in: .min ... .max, using: &rng) }
        let line = Array("1:\(Data(bytes).base64EncodedString())\n".utf8)
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        if fd < 0 {
            if errno == EEXIST { return }
            throw Failure(description: "cannot create the key file \(path)")
        }
        defer { Glibc.close(fd) }
        let written = line.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == line.count, fsync(fd) == 0 else { throw Failure(description: "cannot write the key file \(path)") }
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hex, two digits a byte (a table lookup: this runs for every sealed number).
    var hexString: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
