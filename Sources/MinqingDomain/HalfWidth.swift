/// Folding of the full-width forms (全角) that Chinese input methods produce into ASCII.
public enum HalfWidth {
    /// The ASCII form of a full-width character in U+FF01...U+FF5E (e.g. `０` → `0`, `Ｘ` → `X`,
    /// `＋` → `+`); every other character unchanged. Only single-scalar characters are folded.
    public static func fold(_ character: Character) -> Character {
        let scalars = character.unicodeScalars
        guard scalars.count == 1, let scalar = scalars.first,
            (0xFF01...0xFF5E).contains(scalar.value),
            let ascii = Unicode.Scalar(scalar.value - 0xFEE0)
        else { return character }
        return Character(ascii)
    }

    /// The ASCII digit value of `character` after folding, or nil.
    static func digitValue(_ character: Character) -> Int? {
        let folded = fold(character)
        guard let ascii = folded.asciiValue, ascii >= 0x30, ascii <= 0x39 else { return nil }
        return Int(ascii - 0x30)
    }
}
