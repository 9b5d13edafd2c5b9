import Foundation
import MinqingDomain
import Testing

@testable import MinqingServer

@Suite("PII vault")
struct PIIVaultTests {
    let key = [UInt8](repeating: 42, count: 32)

    @Test("seal and open round trip; the ciphertext holds no trace of the value")
    func roundTrip() throws {
        let vault = try PIIVault(masterKeys: [1: key])
        let id = try ResidentIDNumber(parsing: "11010519491231002X")
        let sealed = try vault.seal(id.normalized, masked: id.masked, kind: .idNumber)
        #expect(sealed.masked == "1****************X")
        #expect(sealed.keyVersion == 1)
        #expect(!sealed.ciphertext.contains("11010519491231002X"))
        #expect(!sealed.blindIndex.contains("1949"))
        #expect(try vault.open(sealed.ciphertext, kind: .idNumber) == "11010519491231002X")
        let again = try vault.seal(id.normalized, masked: id.masked, kind: .idNumber)
        #expect(again.ciphertext != sealed.ciphertext, "a fresh nonce every time")
        #expect(again.blindIndex == sealed.blindIndex, "the blind index is deterministic")
    }

    @Test("a ciphertext of one kind cannot be opened as another, nor after tampering")
    func bindingAndTampering() throws {
        let vault = try PIIVault(masterKeys: [1: key])
        let sealed = try vault.seal("13800138000", masked: "138****8000", kind: .phone)
        #expect(throws: (any Error).self) { try vault.open(sealed.ciphertext, kind: .idNumber) }
        var bytes = Array(Data(base64Encoded: String(sealed.ciphertext.dropFirst(3)))!)
        bytes[bytes.count / 2] ^= 1
        #expect(throws: (any Error).self) { try vault.open("v1:" + Data(bytes).base64EncodedString(), kind: .phone) }
        #expect(vault.blindIndex("13800138000", kind: .phone) != vault.blindIndex("13800138000", kind: .idNumber))
        let other = try PIIVault(masterKeys: [1: [UInt8](repeating: 1, count: 32)])
        #expect(throws: (any Error).self) { try other.open(sealed.ciphertext, kind: .phone) }
        #expect(other.blindIndex("13800138000", kind: .phone) != vault.blindIndex("13800138000", kind: .phone))
    }

    @Test("a sealed file opens only under its own context and key; after rotation the old one still opens")
    func files() throws {
        let vault = try PIIVault(masterKeys: [1: key])
        let text = Array("身份证号\n11010519491231002X\n".utf8)
        let sealed = try vault.sealFile(text, context: "upload-1")
        #expect(!String(decoding: sealed, as: UTF8.self).contains("11010519491231002X"))
        #expect(try vault.openFile(sealed, context: "upload-1") == text)
        #expect(throws: (any Error).self) { try vault.openFile(sealed, context: "upload-2") }
        var tampered = sealed
        tampered[tampered.count - 1] ^= 1
        #expect(throws: (any Error).self) { try vault.openFile(tampered, context: "upload-1") }
        let rotated = try PIIVault(masterKeys: [1: key, 2: [UInt8](repeating: 7, count: 32)])
        #expect(try rotated.openFile(sealed, context: "upload-1") == text)
        #expect(Array(try rotated.sealFile(text, context: "x").prefix(4)) == [0, 0, 0, 2])
    }

    @Test("key rotation: new values use the newest key, old ones still open, lookups keep working")
    func rotation() throws {
        let old = try PIIVault(masterKeys: [1: key])
        let sealedOld = try old.seal("13800138000", masked: "138****8000", kind: .phone)
        let rotated = try PIIVault(masterKeys: [1: key, 2: [UInt8](repeating: 9, count: 32)])
        let sealedNew = try rotated.seal("13800138000", masked: "138****8000", kind: .phone)
        #expect(sealedNew.keyVersion == 2)
        #expect(try rotated.open(sealedOld.ciphertext, kind: .phone) == "13800138000")
        #expect(sealedNew.blindIndex == sealedOld.blindIndex)
    }

    @Test("the key file is created with mode 0600 outside the data folder, reused, and refused when others can read it")
    func keyFile() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vault-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let data = root + "/data", path = root + "/keys/secret.key"
        let first = try PIIVault.load(secretKey: nil, keyFile: path, dataDirectory: data)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(!FileManager.default.fileExists(atPath: data + "/secret.key"))
        let sealed = try first.seal("13912345678", masked: "139****5678", kind: .phone)
        let second = try PIIVault.load(secretKey: nil, keyFile: path, dataDirectory: data)
        #expect(try second.open(sealed.ciphertext, kind: .phone) == "13912345678")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(throws: (any Error).self) { try PIIVault.load(secretKey: nil, keyFile: path, dataDirectory: data) }
    }

    @Test("the default key file lies outside the data folder; a key an earlier version left in the data folder is still used")
    func keyFileDefaultAndLegacy() throws {
        let home = "/home/somebody"
        #expect(AppConfig.defaultKeyFile(["HOME": home]) == home + "/.config/minqing/secret.key")
        #expect(AppConfig.defaultKeyFile(["HOME": home, "XDG_CONFIG_HOME": "/etc/xdg"]) == "/etc/xdg/minqing/secret.key")
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("vault-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let legacy = data + "/secret.key"
        #expect(!PIIVault.legacyKeyInDataFolder(keyFile: nil, secretKey: nil, dataDirectory: data))
        let line = "1:" + Data([UInt8](repeating: 3, count: 32)).base64EncodedString() + "\n"
        #expect(FileManager.default.createFile(atPath: legacy, contents: Data(line.utf8), attributes: [.posixPermissions: 0o600]))
        #expect(try PIIVault.keyFilePath(keyFile: nil, dataDirectory: data) == legacy)
        #expect(PIIVault.legacyKeyInDataFolder(keyFile: nil, secretKey: nil, dataDirectory: data))
        let vault = try PIIVault.load(secretKey: nil, keyFile: nil, dataDirectory: data)
        let same = try PIIVault(masterKeys: [1: [UInt8](repeating: 3, count: 32)])
        #expect(vault.blindIndex("13912345678", kind: .phone) == same.blindIndex("13912345678", kind: .phone))
        // A key file named explicitly wins over the legacy one.
        #expect(try PIIVault.keyFilePath(keyFile: "/elsewhere/secret.key", dataDirectory: data) == "/elsewhere/secret.key")
    }

    @Test("a key file's version must be 1–1,000,000 (a larger one would trap when a file is sealed)")
    func keyVersionRange() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vault-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/secret.key"
        let line = "99999999999:" + Data([UInt8](repeating: 3, count: 32)).base64EncodedString() + "\n"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(line.utf8), attributes: [.posixPermissions: 0o600]))
        #expect(throws: (any Error).self) { try PIIVault.load(secretKey: nil, keyFile: path, dataDirectory: dir) }
    }
}
