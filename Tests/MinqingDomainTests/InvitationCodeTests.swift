import MinqingDomain
import Testing

@Suite("Invitation codes (邀请码)")
struct InvitationCodeTests {
    @Test("a fresh code has ten characters from the alphabet, printed in two groups of five")
    func fresh() {
        var random = SeededGenerator(seed: 7)
        var seen: Set<String> = []
        for _ in 0..<500 {
            let code = InvitationCode(using: &random)
            #expect(code.normalized.count == 10)
            #expect(code.normalized.allSatisfy { InvitationCode.alphabet.contains($0) })
            let printed = code.description
            #expect(printed.count == 11 && printed.dropFirst(5).first == "-")
            seen.insert(code.normalized)
        }
        #expect(seen.count == 500, "no repeats in 500 draws")
    }

    @Test("look-alike characters are not in the alphabet", arguments: Array("0O1IL2Z5S8B"))
    func noLookAlikes(character: Character) {
        #expect(!InvitationCode.alphabet.contains(character))
    }

    @Test(
        "a typed code: case, dashes, spaces and full-width forms do not matter",
        arguments: [("K9QM3-XPA4H", "K9QM3XPA4H"), ("k9qm3 xpa4h", "K9QM3XPA4H"), ("Ｋ９ＱＭ３－ＸＰＡ４Ｈ", "K9QM3XPA4H"), (" K9QM3XPA4H ", "K9QM3XPA4H")])
    func typed(text: String, normalized: String) {
        #expect(InvitationCode(typed: text)?.normalized == normalized)
    }

    @Test("what cannot be a code is refused", arguments: ["", "K9QM3-XPA4", "K9QM3-XPA4HH", "K7QM3-XPA4H", "K9QM3-XPA4!", "邀请码XPA4H"])
    func refused(text: String) {
        #expect(InvitationCode(typed: text) == nil)
    }
}
