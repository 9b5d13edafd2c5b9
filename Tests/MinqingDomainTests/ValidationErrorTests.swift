import Testing

@testable import MinqingDomain

@Suite("FieldError and ValidationError")
struct ValidationErrorTests {
    static let sample = FieldError(field: "phone", messageZH: "请填写手机号", messageEN: "Enter the mobile number.")

    @Test(
        "message by language tag, Chinese unless English is asked for",
        arguments: [
            ("zh", "请填写手机号"),
            ("zh-Hans-CN", "请填写手机号"),
            ("", "请填写手机号"),
            ("fr", "请填写手机号"),
            ("en", "Enter the mobile number."),
            ("en-GB", "Enter the mobile number."),
            ("EN", "Enter the mobile number.")
        ])
    func messageByLanguage(tag: String, message: String) {
        #expect(Self.sample.message(languageCode: tag) == message)
    }

    @Test("collect keeps good values and every field error, in order")
    func collect() throws {
        var errors = ValidationError(fields: [])
        let today = CivilDate.fixture("2025-11-26")
        let id = errors.collect { () throws(ResidentIDNumber.Error) in
            try ResidentIDNumber(parsing: "11010519491231002X", today: today)
        }
        let badID = errors.collect { () throws(ResidentIDNumber.Error) in
            try ResidentIDNumber(parsing: "110105194912310021", today: today)
        }
        let phone = errors.collect { () throws(MobileNumber.Error) in
            try MobileNumber(parsing: "12800138000")
        }
        #expect(id?.masked == "1****************X")
        #expect(badID == nil)
        #expect(phone == nil)
        try #require(errors.fields.map(\.field) == ["id_number", "phone"])
        #expect(errors.fields[0] == ResidentIDNumber.Error.wrongCheckCharacter(expected: "X", found: "1").fieldError)
        #expect(errors.fields[1] == MobileNumber.Error.notMobilePrefix.fieldError)
        #expect(!errors.isEmpty)
        #expect(ValidationError.code == "validation")
    }

    @Test("a domain error is usable through the protocol alone", arguments: ["id", "phone"])
    func throughProtocol(kind: String) {
        let error: any Error =
            kind == "id"
            ? ResidentIDNumber.Error.empty as any Error
            : MobileNumber.Error.empty as any Error
        let converted = (error as? any FieldErrorConvertible)?.fieldError
        #expect(converted?.field == (kind == "id" ? "id_number" : "phone"))
    }
}
