/// A QR code (ISO/IEC 18004) of a short text: byte mode, error correction level M, versions 1–10
/// (up to 213 bytes: an `otpauth://` enrolment link or a sign-up link fits). Drawn by the server
/// as SVG (`svg(moduleSize:)`), so no image library and no JavaScript are needed.
public struct QRCode: Sendable, Equatable {
    /// 21 + 4 × (version − 1) modules a side.
    public let size: Int
    public let version: Int
    /// `modules[y][x]`: true is dark.
    public let modules: [[Bool]]
    /// The mask pattern chosen (0–7).
    public let mask: Int

    public enum Failure: Error, Equatable {
        /// The text needs more than version 10 holds at level M (213 bytes).
        case tooLong(bytes: Int)
    }

    /// Data codewords per block, by version (level M): (blocks, data codewords each) groups.
    static let blocksM: [[(count: Int, data: Int)]] = [
        [(1, 16)], [(1, 28)], [(1, 44)], [(2, 32)], [(2, 43)],
        [(4, 27)], [(4, 31)], [(2, 38), (2, 39)], [(3, 36), (2, 37)], [(4, 43), (1, 44)]
    ]
    /// Error-correction codewords per block, by version (level M).
    static let eccPerBlockM = [10, 16, 26, 18, 24, 16, 18, 22, 22, 26]
    /// Alignment-pattern centre coordinates, by version.
    static let alignment: [[Int]] = [[], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50]]

    public init(text: String) throws(Failure) {
        let bytes = Array(text.utf8)
        var chosen: Int?
        for version in 1...10 {
            let capacity = Self.blocksM[version - 1].reduce(0) { $0 + $1.count * $1.data }
            let countBits = version < 10 ? 8 : 16
            if 4 + countBits + bytes.count * 8 <= capacity * 8 { chosen = version; break }
        }
        guard let version = chosen else { throw .tooLong(bytes: bytes.count) }
        self.version = version
        size = 17 + 4 * version
        let codewords = Self.codewords(bytes, version: version)
        var grid = Grid(size: size)
        grid.drawFunctionPatterns(version: version)
        grid.place(codewords)
        var best: (penalty: Int, mask: Int, modules: [[Bool]])?
        for mask in 0..<8 {
            var candidate = grid
            candidate.applyMask(mask)
            candidate.drawFormat(mask: mask)
            let penalty = candidate.penalty()
            if best == nil || penalty < best!.penalty { best = (penalty, mask, candidate.dark) }
        }
        mask = best!.mask
        modules = best!.modules
    }

    /// An SVG of the code with a quiet zone of four modules, `moduleSize` user units a module.
    public func svg(moduleSize: Int = 4, title: String? = nil) -> String {
        let side = (size + 8) * moduleSize
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard modules[y][x] else { x += 1; continue }
                var run = 1
                while x + run < size && modules[y][x + run] { run += 1 }
                path += "M\((x + 4) * moduleSize) \((y + 4) * moduleSize)h\(run * moduleSize)v\(moduleSize)h-\(run * moduleSize)z"
                x += run
            }
        }
        let label = title.map { "<title>\(Self.escape($0))</title>" } ?? ""
        return
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(side) \(side)\" width=\"\(side)\" height=\"\(side)\" role=\"img\" shape-rendering=\"crispEdges\">"
            + label + "<rect width=\"\(side)\" height=\"\(side)\" fill=\"#fff\"/><path fill=\"#000\" d=\"\(path)\"/></svg>"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }

    // MARK: Data and error correction

    /// Mode, count, data, terminator, padding; split into blocks, each with its Reed–Solomon
    /// codewords; interleaved.
    static func codewords(_ bytes: [UInt8], version: Int) -> [UInt8] {
        var bits: [Bool] = []
        func append(_ value: Int, _ count: Int) { for i in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) } }
        append(0b0100, 4)
        append(bytes.count, version < 10 ? 8 : 16)
        for byte in bytes { append(Int(byte), 8) }
        let groups = blocksM[version - 1]
        let capacity = groups.reduce(0) { $0 + $1.count * $1.data }
        append(0, min(4, capacity * 8 - bits.count))
        if bits.count % 8 != 0 { append(0, 8 - bits.count % 8) }
        var data: [UInt8] = stride(from: 0, to: bits.count, by: 8).map { start in
            (0..<8).reduce(UInt8(0)) { $0 << 1 | (bits[start + $1] ? 1 : 0) }
        }
        var pad: UInt8 = 0xEC
        while data.count < capacity { data.append(pad); pad = pad == 0xEC ? 0x11 : 0xEC }
        let ecc = eccPerBlockM[version - 1]
        let divisor = ReedSolomon.divisor(degree: ecc)
        var blocks: [[UInt8]] = []
        var offset = 0
        for group in groups {
            for _ in 0..<group.count {
                blocks.append(Array(data[offset..<offset + group.data]))
                offset += group.data
            }
        }
        let eccBlocks = blocks.map { ReedSolomon.remainder($0, divisor: divisor) }
        var result: [UInt8] = []
        for i in 0..<(blocks.map(\.count).max() ?? 0) { for block in blocks where i < block.count { result.append(block[i]) } }
        for i in 0..<ecc { for block in eccBlocks { result.append(block[i]) } }
        return result
    }

    enum ReedSolomon {
        static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
            var z: Int = 0
            for i in stride(from: 7, through: 0, by: -1) {
                z = (z << 1) ^ ((z >> 7) * 0x11D)
                z ^= Int((y >> UInt8(i)) & 1) * Int(x)
            }
            return UInt8(z & 0xFF)
        }

        static func divisor(degree: Int) -> [UInt8] {
            var result = [UInt8](repeating: 0, count: degree - 1) + [1]
            var root: UInt8 = 1
            for _ in 0..<degree {
                for j in 0..<degree {
                    result[j] = multiply(result[j], root)
                    if j + 1 < degree { result[j] ^= result[j + 1] }
                }
                root = multiply(root, 0x02)
            }
            return result
        }

        static func remainder(_ data: [UInt8], divisor: [UInt8]) -> [UInt8] {
            var result = [UInt8](repeating: 0, count: divisor.count)
            for byte in data {
                let factor = byte ^ result.removeFirst()
                result.append(0)
                for i in result.indices { result[i] ^= multiply(divisor[i], factor) }
            }
            return result
        }
    }

    // MARK: The grid

    struct Grid: Sendable {
        let size: Int
        var dark: [[Bool]]
        var function: [[Bool]]

        init(size: Int) {
            self.size = size
            dark = Array(repeating: Array(repeating: false, count: size), count: size)
            function = dark
        }

        mutating func set(_ x: Int, _ y: Int, _ value: Bool) {
            dark[y][x] = value
            function[y][x] = true
        }

        mutating func drawFunctionPatterns(version: Int) {
            for i in 0..<size {
                set(6, i, i % 2 == 0)
                set(i, 6, i % 2 == 0)
            }
            finder(3, 3)
            finder(size - 4, 3)
            finder(3, size - 4)
            let centres = QRCode.alignment[version - 1]
            for (i, cx) in centres.enumerated() {
                for (j, cy) in centres.enumerated() {
                    let corner = (i == 0 && j == 0) || (i == 0 && j == centres.count - 1) || (i == centres.count - 1 && j == 0)
                    if !corner { alignmentPattern(cx, cy) }
                }
            }
            drawFormat(mask: 0) // reserves the format areas; drawn again with the chosen mask
            if version >= 7 {
                var rem = version
                for _ in 0..<12 { rem = (rem << 1) ^ ((rem >> 11) * 0x1F25) }
                let bits = version << 12 | rem
                for i in 0..<18 {
                    let bit = (bits >> i) & 1 == 1
                    let a = size - 11 + i % 3, b = i / 3
                    set(a, b, bit)
                    set(b, a, bit)
                }
            }
        }

        mutating func finder(_ cx: Int, _ cy: Int) {
            for dy in -4...4 {
                for dx in -4...4 {
                    let x = cx + dx, y = cy + dy
                    guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                    let distance = max(abs(dx), abs(dy))
                    set(x, y, distance != 2 && distance != 4)
                }
            }
        }

        mutating func alignmentPattern(_ cx: Int, _ cy: Int) {
            for dy in -2...2 {
                for dx in -2...2 { set(cx + dx, cy + dy, max(abs(dx), abs(dy)) != 1) }
            }
        }

        /// The 15 format bits (level M, the mask) in both copies, and the dark module.
        mutating func drawFormat(mask: Int) {
            let data = 0b00 << 3 | mask // level M is 00
            var rem = data
            for _ in 0..<10 { rem = (rem << 1) ^ ((rem >> 9) * 0x537) }
            let bits = (data << 10 | rem) ^ 0x5412
            func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
            for i in 0...5 { set(8, i, bit(i)) }
            set(8, 7, bit(6))
            set(8, 8, bit(7))
            set(7, 8, bit(8))
            for i in 9..<15 { set(14 - i, 8, bit(i)) }
            for i in 0..<8 { set(size - 1 - i, 8, bit(i)) }
            for i in 8..<15 { set(8, size - 15 + i, bit(i)) }
            set(8, size - 8, true)
        }

        /// The codewords in the zigzag order, two columns at a time from the bottom right.
        mutating func place(_ codewords: [UInt8]) {
            var i = 0
            var right = size - 1
            while right >= 1 {
                if right == 6 { right = 5 }
                for vertical in 0..<size {
                    for j in 0..<2 {
                        let x = right - j
                        let upward = (right + 1) & 2 == 0
                        let y = upward ? size - 1 - vertical : vertical
                        if !function[y][x] && i < codewords.count * 8 {
                            dark[y][x] = (codewords[i >> 3] >> UInt8(7 - (i & 7))) & 1 == 1
                            i += 1
                        }
                    }
                }
                right -= 2
            }
        }

        mutating func applyMask(_ mask: Int) {
            for y in 0..<size {
                for x in 0..<size where !function[y][x] {
                    let invert: Bool
                    switch mask {
                    case 0: invert = (x + y) % 2 == 0
                    case 1: invert = y % 2 == 0
                    case 2: invert = x % 3 == 0
                    case 3: invert = (x + y) % 3 == 0
                    case 4: invert = (x / 3 + y / 2) % 2 == 0
                    case 5: invert = x * y % 2 + x * y % 3 == 0
                    case 6: invert = (x * y % 2 + x * y % 3) % 2 == 0
                    default: invert = ((x + y) % 2 + x * y % 3) % 2 == 0
                    }
                    if invert { dark[y][x].toggle() }
                }
            }
        }

        /// The standard's penalty (runs, blocks, finder-like patterns, balance): lower reads better.
        func penalty() -> Int {
            var total = 0
            func lines(_ columns: Bool) -> [[Bool]] {
                columns ? (0..<size).map { x in (0..<size).map { dark[$0][x] } } : dark
            }
            for vertical in [false, true] {
                for line in lines(vertical) {
                    var run = 1
                    for i in 1..<size {
                        if line[i] == line[i - 1] {
                            run += 1
                            if i == size - 1, run >= 5 { total += run - 2 }
                        } else {
                            if run >= 5 { total += run - 2 }
                            run = 1
                        }
                    }
                    let pattern: [Bool] = [true, false, true, true, true, false, true]
                    for i in 0...(size - 7) where Array(line[i..<i + 7]) == pattern {
                        let before = i >= 4 && line[(i - 4)..<i].allSatisfy { !$0 }
                        let after = i + 11 <= size && line[(i + 7)..<(i + 11)].allSatisfy { !$0 }
                        if before || after { total += 40 }
                    }
                }
            }
            for y in 0..<(size - 1) {
                for x in 0..<(size - 1) {
                    let c = dark[y][x]
                    if dark[y][x + 1] == c && dark[y + 1][x] == c && dark[y + 1][x + 1] == c { total += 3 }
                }
            }
            let darkCount = dark.reduce(0) { $0 + $1.filter { $0 }.count }
            let percent = darkCount * 100 / (size * size)
            total += abs(percent - 50) / 5 * 10
            return total
        }
    }
}
