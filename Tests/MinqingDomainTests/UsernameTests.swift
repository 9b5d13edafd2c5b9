import Testing

@testable import MinqingDomain

@Suite("Username (用户名)")
struct UsernameTests {
    @Test(
        "accepted names normalise to trimmed lower case",
        arguments: [
            ("admin", "admin"),
            ("Admin", "admin"),
            ("ZHANGSAN", "zhangsan"),
            ("  alice  ", "alice"),
            ("\tBob.Smith_1-x\n", "bob.smith_1-x"),
            ("\u{3000}wang\u{3000}", "wang"), // ideographic space is whitespace
            ("abc", "abc"), // 3: the shortest
            (String(repeating: "a", count: 32), String(repeating: "a", count: 32)), // 32: the longest
            ("a" + String(repeating: "B", count: 31), "a" + String(repeating: "b", count: 31)),
            ("a.b", "a.b"),
            ("a_b", "a_b"),
            ("a-b", "a-b"),
            ("z9.", "z9."),
            ("x__", "x__"),
            ("li.4-_", "li.4-_")
        ])
    func accepted(raw: String, normalized: String) {
        #expect(Username.normalize(raw) == .success(normalized))
    }

    enum Reason: Sendable { case length, characters }

    @Test(
        "refused names",
        arguments: [
            ("", Reason.length),
            ("   ", .length),
            ("ab", .length), // 2
            ("  ab  ", .length), // 2 once trimmed
            (String(repeating: "a", count: 33), .length), // 33
            ("1abc", .characters), // must start with a letter
            ("_abc", .characters),
            (".abc", .characters),
            ("-abc", .characters),
            ("ab cd", .characters), // space inside
            ("ab\tcd", .characters),
            ("张三丰", .characters), // Chinese
            ("ab中cd", .characters),
            ("zhang三", .characters),
            ("ａｄｍｉｎ", .characters), // full-width letters
            ("éclair", .characters), // non-ASCII letter first
            ("abc@def", .characters),
            ("abc+1", .characters),
            ("abc/def", .characters),
            ("abc'; --", .characters)
        ])
    func refused(raw: String, reason: Reason) throws {
        let result = Username.normalize(raw)
        guard case .failure(let error) = result else {
            Issue.record("\(raw.debugDescription) was accepted as \(result)")
            return
        }
        #expect(error.field == "username")
        switch reason {
        case .length: #expect(error.messageEN.contains("3 to 32"))
        case .characters: #expect(error.messageEN.contains("start with a letter"))
        }
    }

    @Test("normalising twice changes nothing", arguments: ["Admin", "  Bob.Smith_1-x ", "li.4-_"])
    func idempotent(raw: String) throws {
        let once = try Username.normalize(raw).get()
        #expect(Username.normalize(once) == .success(once))
    }
}
