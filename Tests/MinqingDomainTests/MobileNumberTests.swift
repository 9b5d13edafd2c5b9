import Testing

@testable import MinqingDomain

@Suite("MobileNumber (手机号)")
struct MobileNumberTests {
    @Test(
        "accepted forms normalise to 11 digits",
        arguments: [
            ("13800138000", "13800138000"),
            ("+8613800138000", "13800138000"),
            ("+86 138 0013 8000", "13800138000"),
            ("+86-138-0013-8000", "13800138000"),
            ("0086 13800138000", "13800138000"),
            ("008613800138000", "13800138000"),
            ("8613800138000", "13800138000"),
            ("86 138 0013 8000", "13800138000"),
            ("138-0013-8000", "13800138000"),
            ("138 0013 8000", "13800138000"),
            ("138－0013－8000", "13800138000"), // full-width hyphen
            ("138–0013–8000", "13800138000"), // en dash
            ("１３８００１３８０００", "13800138000"), // full-width digits
            ("＋８６\u{3000}１３８ ００１３ ８０００", "13800138000"),
            ("８６１３８００１３８０００", "13800138000"),
            ("  19912345678\n", "19912345678"),
            ("16612345678", "16612345678"),
            ("14700000000", "14700000000"),
            ("15012345678", "15012345678"),
            ("17012345678", "17012345678"),
            ("18612345678", "18612345678")
        ])
    func valid(input: String, normalized: String) throws {
        let number = try MobileNumber(parsing: input)
        #expect(number.normalized == normalized)
        #expect(number.e164 == "+86" + normalized)
    }

    @Test(
        "rejected input names the reason",
        arguments: [
            ("", MobileNumber.Error.empty),
            ("   ", .empty),
            ("138001380001", .wrongLength(12)),
            ("1380013800", .wrongLength(10)),
            ("861380013800", .wrongLength(12)), // 86 is only a prefix when 11 digits follow
            ("+86 1380013800", .wrongLength(10)),
            ("+86", .wrongLength(0)),
            ("12800138000", .notMobilePrefix), // starts 12
            ("11800138000", .notMobilePrefix),
            ("10800138000", .notMobilePrefix),
            ("23800138000", .notMobilePrefix),
            ("01012345678", .notMobilePrefix), // a Beijing landline
            ("+86 12800138000", .notMobilePrefix),
            ("+85261234567", .notMainlandCountryCode),
            ("00852 6123 4567", .notMainlandCountryCode),
            ("+1 415 555 0100", .notMainlandCountryCode),
            ("1380013800a", .invalidCharacter("a", position: 11)),
            ("138.0013.8000", .invalidCharacter(".", position: 4)),
            ("138+00138000", .invalidCharacter("+", position: 4)),
            ("++8613800138000", .invalidCharacter("+", position: 2)),
            ("(+86) 13800138000", .invalidCharacter("(", position: 1)),
            ("138OO138000", .invalidCharacter("O", position: 4)), // letter O for zero
            ("手机13800138000", .invalidCharacter("手", position: 1))
        ])
    func invalid(input: String, expected: MobileNumber.Error) {
        let error = #expect(throws: MobileNumber.Error.self) { try MobileNumber(parsing: input) }
        #expect(error == expected)
        #expect(error?.field == "phone")
        #expect(error?.fieldError.field == "phone")
        #expect(error?.fieldError.messageZH == error?.messageZH)
        #expect(error?.fieldError.messageEN == error?.messageEN)
    }

    @Test(
        "messages name the count and never repeat the digits",
        arguments: [
            ("138001380001", "现为12位", "has 12"),
            ("12800138000", "13至19", "13 to 19"),
            ("1380013800a", "第11位", "Character 11")
        ])
    func messages(input: String, zh: String, en: String) {
        let error = #expect(throws: MobileNumber.Error.self) { try MobileNumber(parsing: input) }
        #expect(error?.messageZH.contains(zh) == true)
        #expect(error?.messageEN.contains(en) == true)
        #expect(error?.messageZH.contains(String(input.prefix(7))) == false)
        #expect(error?.messageEN.contains(String(input.prefix(7))) == false)
    }

    @Test(
        "masking shows the first 3 and the last 4",
        arguments: [
            ("13800138000", "138****8000"),
            ("+86 199 1234 5678", "199****5678")
        ])
    func masking(input: String, masked: String) throws {
        let number = try MobileNumber(parsing: input)
        #expect(number.masked == masked)
        #expect("\(number)" == masked)
        #expect(!String(reflecting: number).contains(number.normalized))
    }

    @Test("the same number written two ways is equal")
    func equality() throws {
        let a = try MobileNumber(parsing: "+86 138-0013-8000")
        let b = try MobileNumber(parsing: "13800138000")
        let c = try MobileNumber(parsing: "13800138001")
        #expect(a == b)
        #expect(a != c)
        #expect(Set([a, b, c]).count == 2)
    }
}
