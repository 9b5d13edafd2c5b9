import Foundation
import MinqingDomain
import Testing

@Suite("trimmingSpaces")
struct TextSpacesTests {
    @Test(
        "removes what Foundation's .whitespaces removes, and nothing else",
        arguments: [
            "", " ", "\t", "abc", " abc ", "\tE0301\t", "\u{3000}临汾路\u{3000}", " a b ", "\u{00A0}x\u{2003}", "\nline\n", " \n x \n ",
            "open,closed", "  310106019", "末尾  ", "\u{200B}zero-width\u{200B}", "é\u{0301} "
        ])
    func sameAsFoundation(_ text: String) {
        #expect(text.trimmingSpaces() == text.trimmingCharacters(in: .whitespaces))
        #expect(text[...].trimmingSpaces() == text.trimmingCharacters(in: .whitespaces))
    }
}
