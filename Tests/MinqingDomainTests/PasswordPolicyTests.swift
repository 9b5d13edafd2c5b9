import Testing

@testable import MinqingDomain

@Suite("PasswordPolicy (密码规则)")
struct PasswordPolicyTests {
    /// Which rule refused a password, read from the English message.
    enum Reason: String, Sendable {
        case tooShort, tooLong, oneClass, containsUsername, unknown

        init(_ error: FieldError) {
            let m = error.messageEN
            if m.contains("at least 10 characters") {
                self = .tooShort
            } else if m.contains("at most 72 bytes") {
                self = .tooLong
            } else if m.contains("at least two of letters, digits and symbols") {
                self = .oneClass
            } else if m.contains("may not contain the username") {
                self = .containsUsername
            } else {
                self = .unknown
            }
        }
    }

    @Test("the limits")
    func limits() {
        #expect(PasswordPolicy.minimumLength == 10)
        #expect(PasswordPolicy.maximumLength == 72)
    }

    @Test(
        "acceptable passwords",
        arguments: [
            "abcdefgh12", // exactly 10, letters + digits
            "abcd1234efgh",
            "correct horse", // letters + a space (a symbol)
            "12345-67890", // digits + symbols
            "!!!!!!!!!a", // symbols + letter
            "密码密码密码密码12", // Chinese letters + digits, 10 characters
            "我的密码是很长的一句话！", // Chinese letters + a full-width symbol
            "Zz9" + String(repeating: "x", count: 69), // exactly 72 bytes
            "Pässwörter1"
        ])
    func accepted(password: String) {
        #expect(PasswordPolicy.problem(with: password, username: "zhangsan") == nil)
    }

    @Test(
        "refused passwords name the rule",
        arguments: [
            ("", "zhangsan", Reason.tooShort),
            ("abcdefg12", "zhangsan", .tooShort), // 9 characters
            ("密码密码密码密码1", "zhangsan", .tooShort), // 9 characters
            ("a1" + String(repeating: "x", count: 71), "zhangsan", .tooLong), // 73 bytes
            ("9" + String(repeating: "汉", count: 24), "zhangsan", .tooLong), // 25 characters, 73 bytes
            ("a1" + String(repeating: "x", count: 300), "zhangsan", .tooLong),
            ("abcdefghij", "zhangsan", .oneClass), // letters only
            ("ABCDEFGHIJKLMNOP", "zhangsan", .oneClass),
            ("1234567890", "zhangsan", .oneClass), // digits only
            ("!@#$%^&*()", "zhangsan", .oneClass), // symbols only
            ("密码密码密码密码密码", "zhangsan", .oneClass), // Chinese counts as letters only
            ("zhangsan2024", "zhangsan", .containsUsername),
            ("my-Zhangsan-1", "zhangsan", .containsUsername), // case-insensitive
            ("MY-ZHANGSAN-1", "zhangsan", .containsUsername),
            ("xx1ZhangSanxx", "ZhangSan", .containsUsername),
            ("2024.admin.ok", "admin", .containsUsername)
        ])
    func refused(password: String, username: String, reason: Reason) throws {
        let problem = try #require(PasswordPolicy.problem(with: password, username: username))
        #expect(problem.field == "password")
        #expect(Reason(problem) == reason)
        #expect(!problem.messageZH.isEmpty)
        #expect(!problem.messageZH.contains(password) || password.isEmpty)
    }

    @Test(
        "a password near the username but not containing it is fine",
        arguments: [
            ("zhang-san-2024", "zhangsan"),
            ("admi-n-12345", "admin"),
            ("abcdefgh12", "") // no username: nothing to compare
        ])
    func notContainingUsername(password: String, username: String) {
        #expect(PasswordPolicy.problem(with: password, username: username) == nil)
    }
}
