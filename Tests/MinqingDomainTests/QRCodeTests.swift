import Foundation
import MinqingDomain
import Testing

@Suite("QR codes, base32 and TOTP steps")
struct QRCodeTests {
    /// Reads the 15 format bits back from the first copy and checks them against the second.
    static func formatBits(_ code: QRCode) -> (first: Int, second: Int) {
        let m = code.modules, size = code.size
        var first = 0, second = 0
        func bit(_ v: Bool) -> Int { v ? 1 : 0 }
        let a: [(Int, Int)] = (0...5).map { (8, $0) } + [(8, 7), (8, 8), (7, 8)] + (9..<15).map { (14 - $0, 8) }
        for (i, (x, y)) in a.enumerated() { first |= bit(m[y][x]) << i }
        let b: [(Int, Int)] = (0..<8).map { (size - 1 - $0, 8) } + (8..<15).map { (8, size - 15 + $0) }
        for (i, (x, y)) in b.enumerated() { second |= bit(m[y][x]) << i }
        return (first, second)
    }

    @Test(
        "the version grows with the text, finder patterns sit in three corners, both format copies agree and decode",
        arguments: [
            ("otpauth://totp/Minqing:admin?secret=JBSWY3DPEHPK3PXP&issuer=Minqing", 5),
            ("https://minqing.example/join?code=ABCD-EFGH", 4), ("A", 1),
            (String(repeating: "x", count: 200), 10)
        ])
    func structure(text: String, version: Int) throws {
        let code = try QRCode(text: text)
        #expect(code.version == version)
        #expect(code.size == 17 + 4 * version)
        for (cx, cy) in [(3, 3), (code.size - 4, 3), (3, code.size - 4)] {
            #expect(code.modules[cy][cx] && code.modules[cy - 3][cx - 3] && !code.modules[cy - 2][cx - 2])
        }
        let bits = Self.formatBits(code)
        #expect(bits.first == bits.second)
        // Unmasking and BCH: level M (00) and the mask the encoder chose.
        let data = (bits.first ^ 0x5412) >> 10
        #expect(data == code.mask)
        #expect(code.modules[code.size - 8][8], "the dark module")
        #expect(code.svg().hasPrefix("<svg"))
    }

    @Test("more than version 10 holds at level M is refused")
    func tooLong() {
        #expect(throws: QRCode.Failure.tooLong(bytes: 214)) { try QRCode(text: String(repeating: "y", count: 214)) }
    }

    @Test("writes the modules of a few codes for the decoder check (QR_DUMP set)")
    func dump() throws {
        guard let folder = ProcessInfo.processInfo.environment["QR_DUMP"] else { return }
        for (i, text) in [
            "otpauth://totp/Minqing:admin?secret=JBSWY3DPEHPK3PXP&issuer=Minqing&algorithm=SHA1&digits=6&period=30",
            "https://minqing.example/join?code=ABCD-EFGH", "民情 Minqing 二维码", String(repeating: "z", count: 150)
        ].enumerated() {
            let code = try QRCode(text: text)
            let rows = code.modules.map { String($0.map { $0 ? "1" : "0" }) }.joined(separator: "\n")
            try (text + "\n" + rows).write(toFile: "\(folder)/qr\(i).txt", atomically: true, encoding: .utf8)
        }
    }

    @Test("base32 round-trips and reads the RFC 4648 example")
    func base32() {
        #expect(Base32.encode(Array("foobar".utf8)) == "MZXW6YTBOI")
        #expect(Base32.decode("MZXW 6YTB-OI") == Array("foobar".utf8))
        #expect(Base32.decode("mzxw6ytboi") == Array("foobar".utf8))
        #expect(Base32.decode("MZXW1") == nil)
        var bytes: [UInt8] = []
        for n in 0..<40 {
            #expect(Base32.decode(Base32.encode(bytes)) == bytes)
            bytes.append(UInt8(n * 37 % 256))
        }
    }

    @Test("TOTP steps: 30 seconds, one either side, never a step already used; codes typed with spaces or full width")
    func steps() {
        #expect(TOTPWindow.step(at: 59) == 1)
        #expect(TOTPWindow.candidates(at: 59, lastUsed: nil) == [1, 0, 2])
        #expect(TOTPWindow.candidates(at: 59, lastUsed: 1) == [2])
        #expect(TOTPWindow.normalise("287 082") == "287082")
        #expect(TOTPWindow.normalise("２８７０８２") == "287082")
        #expect(TOTPWindow.normalise("28708") == nil)
        #expect(TOTPWindow.normalise("28708a") == nil)
    }
}
