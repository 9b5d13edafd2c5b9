import Foundation

extension UUID {
    /// Reads the 36-character form `8-4-4-4-12` (hex digits of either case), as databases store
    /// ids as text; nil for anything else. The same as `UUID(uuidString:)`, without the C
    /// library's `sscanf` that form costs: the public Open311 list reads two ids per row.
    public init?(text: String) {
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed: Bool? = text.utf8.withContiguousStorageIfAvailable { chars -> Bool in
            guard chars.count == 36 else { return false }
            func nibble(_ c: UInt8) -> UInt8? {
                switch c {
                case 0x30...0x39: c - 0x30
                case 0x41...0x46: c - 0x41 + 10
                case 0x61...0x66: c - 0x61 + 10
                default: nil
                }
            }
            var i = 0
            return withUnsafeMutableBytes(of: &bytes) { out -> Bool in
                for n in 0..<16 {
                    if i == 8 || i == 13 || i == 18 || i == 23 {
                        guard chars[i] == 0x2D else { return false }
                        i += 1
                    }
                    guard let high = nibble(chars[i]), let low = nibble(chars[i + 1]) else { return false }
                    out[n] = high << 4 | low
                    i += 2
                }
                return true
            }
        }
        guard let parsed else { // a bridged string without contiguous UTF-8
            guard let slow = UUID(uuidString: text) else { return nil }
            self = slow
            return
        }
        guard parsed else { return nil }
        self.init(uuid: bytes)
    }
}
