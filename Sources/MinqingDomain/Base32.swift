/// RFC 4648 base32 (A–Z, 2–7), as authenticator apps take a TOTP secret. Decoding ignores
/// spaces, hyphens and case and refuses anything else.
public enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    /// Without padding.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var buffer = 0, bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return String(decoding: out, as: UTF8.self)
    }

    public static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer = 0, bits = 0
        for scalar in text.uppercased().unicodeScalars {
            if scalar == " " || scalar == "-" || scalar == "=" { continue }
            guard scalar.isASCII, let value = alphabet.firstIndex(of: UInt8(scalar.value)) else { return nil }
            buffer = ((buffer << 5) | value) & 0xFFFF
            bits += 5
            if bits >= 8 {
                out.append(UInt8((buffer >> (bits - 8)) & 0xFF))
                bits -= 8
            }
        }
        return out
    }
}

/// The time steps of RFC 6238 (TOTP): 30 seconds from the Unix epoch; a code is accepted for
/// the current step and one step either side (clock drift), and never twice.
public enum TOTPWindow {
    public static let period: Int64 = 30
    public static let digits = 6

    public static func step(at unixSeconds: Int64) -> Int64 { unixSeconds / period }

    /// The steps to try for a code entered at `unixSeconds`, newest first, after `lastUsed`
    /// (a step once used is refused: a code overheard cannot be played again).
    public static func candidates(at unixSeconds: Int64, lastUsed: Int64?) -> [Int64] {
        let now = step(at: unixSeconds)
        return [now, now - 1, now + 1].filter { $0 > (lastUsed ?? Int64.min) }
    }

    /// A code as typed: six digits, spaces and full-width digits allowed.
    public static func normalise(_ text: String) -> String? {
        let digits = String(
            text.compactMap { ch -> Character? in
                if ch == " " { return nil }
                return HalfWidth.fold(ch)
            })
        guard digits.count == self.digits, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return digits
    }
}
