import Foundation
@testable import MinqingServer
import MinqingDomain
import Testing

@Suite("PII vault")
struct PIIVaultTests {
    let key = [UInt8](repeating: 42, count: 32)

    @Test("seal and open round trip; the ciphertext holds no trace of the value")
    func roundTrip() throws {
        let vault = try PIIVault(masterKeys: [1: key])
        let id = try ResidentIDNumber(parsing: "11010519491231002X")
        let sealed = try vault.seal(id.normalized, masked: id.masked, kind: .idNumber)
        #expect(sealed.masked == "110105********002X")
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

    @Test("the key file is created with mode 0600, reused, and refused when others can read it")
    func keyFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vault-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try PIIVault.load(secretKey: nil, dataDirectory: dir)
        let path = dir + "/secret.key"
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let sealed = try first.seal("13912345678", masked: "139****5678", kind: .phone)
        let second = try PIIVault.load(secretKey: nil, dataDirectory: dir)
        #expect(try second.open(sealed.ciphertext, kind: .phone) == "13912345678")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(throws: (any Error).self) { try PIIVault.load(secretKey: nil, dataDirectory: dir) }
    }
}
