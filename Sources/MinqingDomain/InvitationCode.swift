/// A one-time sign-up code printed on a household's invitation letter (邀请码): ten characters
/// from an alphabet without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B), shown in two groups,
/// e.g. `K9QM3-XPA4H`. 24 letters and digits over ten places give ~46 bits; with the attempts
/// limited per address and per letter, guessing is out of reach. Only a keyed hash is stored.
public struct InvitationCode: Sendable, Hashable, CustomStringConvertible {
    public static let alphabet = Array("ACDEFGHJKMNPQRTUVWXY3469")
    public static let length = 10

    /// The ten characters, upper case, without the dash: what is hashed and compared.
    public let normalized: String

    /// A fresh code from `random` (a system generator in production, a seeded one in the demo).
    public init<R: RandomNumberGenerator>(using random: inout R) {
        normalized = String((0..<Self.length).map { _ in Self.alphabet[Int(random.next(upperBound: UInt64(Self.alphabet.count)))] })
    }

    /// A code as a person typed it: dashes, spaces and case do not matter; full-width letters and
    /// digits are folded. Nil when it cannot be a code.
    public init?(typed text: String) {
        var kept = ""
        for raw in text {
            let c = HalfWidth.fold(raw)
            if c == "-" || c.isWhitespace { continue }
            let upper = Character(c.uppercased())
            guard Self.alphabet.contains(upper) else { return nil }
            kept.append(upper)
        }
        guard kept.count == Self.length else { return nil }
        normalized = kept
    }

    /// The printed form, `K9QM3-XPA4H`.
    public var description: String { String(normalized.prefix(5)) + "-" + String(normalized.suffix(5)) }
}
