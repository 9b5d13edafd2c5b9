import Testing

@testable import MinqingDomain

/// Check characters below were computed with the MOD 11-2 rule and cross-checked in Python:
/// `W=[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]; "10X98765432"[sum(int(c)*w for c,w in zip(b,W))%11]`.
@Suite("ResidentIDNumber (公民身份号码, GB 11643)")
struct ResidentIDNumberTests {
    /// A fixed "today" so the future-date rule does not depend on the clock.
    static let today = CivilDate.fixture("2025-11-26")

    static func parse(_ text: String) throws(ResidentIDNumber.Error) -> ResidentIDNumber {
        try ResidentIDNumber(parsing: text, today: today)
    }

    // MARK: Valid numbers

    @Test(
        "valid 18-character numbers",
        arguments: [
            // number, birth date, sex, kind
            ("11010519491231002X", "1949-12-31", Sex.female, ResidentIDNumber.Kind.citizen), // the brief's example
            ("110105194912310011", "1949-12-31", .male, .citizen),
            ("31010419900307123X", "1990-03-07", .male, .citizen),
            ("440306200002294560", "2000-02-29", .female, .citizen), // 2000 is a leap year
            ("511602198506153016", "1985-06-15", .male, .citizen),
            ("610104202402290072", "2024-02-29", .male, .citizen), // 2024 is a leap year
            ("110105190001010036", "1900-01-01", .male, .citizen), // the earliest date allowed
            ("110105202511260022", "2025-11-26", .female, .citizen), // born today
            ("650102201012319992", "2010-12-31", .male, .citizen),
            ("710000197001010032", "1970-01-01", .male, .citizen), // 71: Taiwan in GB/T 2260
            ("810000199501010023", "1995-01-01", .female, .residencePermit), // Hong Kong residents
            ("830000200101010058", "2001-01-01", .male, .residencePermit), // Taiwan residents
            ("931060199001010013", "1990-01-01", .male, .foreignPermanentResident) // 9 + Shanghai
        ])
    func valid18(number: String, birth: String, sex: Sex, kind: ResidentIDNumber.Kind) throws {
        let id = try Self.parse(number)
        #expect(id.normalized == number)
        #expect(id.upgradedTo18 == number)
        #expect(id.birthDate == CivilDate.fixture(birth))
        #expect(id.sex == sex)
        #expect(id.kind == kind)
        #expect(id.areaCode == String(number.prefix(6)))
        #expect(id.sequenceCode == String(number.dropFirst(14).prefix(3)))
        #expect(id.checkCharacter == number.last)
        #expect(id.wasLegacy15 == false)
    }

    @Test("the brief's worked example, part by part")
    func workedExample() throws {
        let id = try Self.parse("11010519491231002X")
        #expect(id.areaCode == "110105")
        #expect(id.birthDate == CivilDate.fixture("1949-12-31"))
        #expect(id.sequenceCode == "002")
        #expect(id.sex == .female)
        #expect(id.checkCharacter == "X")
        #expect(id.age(on: CivilDate.fixture("2024-12-30")) == 74)
        #expect(id.age(on: CivilDate.fixture("2024-12-31")) == 75)
    }

    @Test(
        "input forms people type are folded to the canonical form",
        arguments: [
            ("11010519491231002x", "11010519491231002X"), // lower-case x
            ("11010519491231002Ｘ", "11010519491231002X"), // full-width X
            ("11010519491231002ｘ", "11010519491231002X"), // full-width x
            ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"), // all full-width
            ("１１０１０５1949１２３１００２x", "11010519491231002X"), // mixed widths
            ("  11010519491231002X\n", "11010519491231002X"), // surrounding whitespace
            ("\u{3000}11010519491231002X\u{3000}", "11010519491231002X"), // ideographic spaces
            ("\t110105194912310011 ", "110105194912310011")
        ])
    func normalisation(input: String, normalized: String) throws {
        #expect(try Self.parse(input).normalized == normalized)
    }

    // MARK: Check character

    @Test(
        "a wrong check character names the expected and the found one",
        arguments: [
            ("110105194912310021", Character("X"), Character("1")),
            ("110105194912310010", "1", "0"),
            ("310104199003071231", "X", "1"),
            ("440306200002294561", "0", "1"),
            ("11010519491231001X", "1", "X"),
            ("11010519491231001x", "1", "X") // found is reported after folding
        ])
    func wrongCheckCharacter(number: String, expected: Character, found: Character) {
        let error = #expect(throws: ResidentIDNumber.Error.self) { try Self.parse(number) }
        #expect(error == .wrongCheckCharacter(expected: expected, found: found))
        #expect(error?.messageZH.contains("应为“\(expected)”") == true)
        #expect(error?.messageEN.contains("should be “\(expected)”") == true)
        #expect(error?.messageEN.contains("not “\(found)”") == true)
    }

    @Test(
        "check character for 17 digits",
        arguments: [
            ("11010519491231002", Character?("X")),
            ("32031119770706001", "8"), // by hand: Σ = 235, 235 mod 11 = 4 → "8"
            ("44030119561107423", "4"),
            ("１１０１０５１９４９１２３１００２", "X"), // full-width digits count as digits
            ("1101051949123100", nil), // 16 digits
            ("110105194912310021", nil), // 18 digits
            ("1101051949123100A", nil),
            ("", nil)
        ])
    func checkCharacterFor(body: String, expected: Character?) {
        #expect(ResidentIDNumber.checkCharacter(for: body) == expected)
    }

    // MARK: Birth date

    @Test(
        "a birth date that is not a real calendar date",
        arguments: [
            ("110105194902300020", "19490230"), // no 30 February
            ("110105202302290022", "20230229"), // 2023 is not a leap year
            ("110105190002290025", "19000229"), // 1900 is not a leap year
            ("110105194913010029", "19491301"), // month 13
            ("110105194900000024", "19490000"), // month 0
            ("11010519490132002X", "19490132"), // 32 January
            ("110105490230002", "490230") // legacy: 1949-02-30
        ])
    func badBirthDate(number: String, digits: String) {
        // Each number has the right check character, so only the date rule can reject it.
        let error = #expect(throws: ResidentIDNumber.Error.self) { try Self.parse(number) }
        #expect(error == .badBirthDate(digits))
        #expect(error?.messageZH.contains("第7–\(6 + digits.count)位") == true)
    }

    @Test(
        "a birth date after today is rejected; today itself is accepted",
        arguments: [
            ("110105202511270028", "2025-11-27", true),
            ("110105210001010023", "2100-01-01", true),
            ("110105202511260022", "2025-11-26", false),
            ("11010520240229002X", "2024-02-29", false)
        ])
    func futureBirthDate(number: String, birth: String, rejected: Bool) {
        do throws(ResidentIDNumber.Error) {
            let id = try Self.parse(number)
            #expect(!rejected, "accepted a birth date after today")
            #expect(id.birthDate == CivilDate.fixture(birth))
        } catch {
            #expect(rejected, "rejected a birth date not after today: \(error)")
            #expect(error == .birthDateInFuture(CivilDate.fixture(birth)))
        }
    }

    @Test("today is injected, not read from the clock")
    func todayIsInjected() throws {
        let number = "110105202511270028" // born 2025-11-27
        #expect(throws: ResidentIDNumber.Error.birthDateInFuture(CivilDate.fixture("2025-11-27"))) {
            try ResidentIDNumber(parsing: number, today: CivilDate.fixture("2025-11-26"))
        }
        #expect(try ResidentIDNumber(parsing: number, today: CivilDate.fixture("2025-11-27")).sex == .female)
    }

    @Test("born before 1900")
    func before1900() {
        #expect(throws: ResidentIDNumber.Error.birthDateBefore1900(CivilDate.fixture("1899-12-31"))) {
            try Self.parse("110105189912310023")
        }
    }

    // MARK: Legacy 15-digit numbers

    @Test(
        "legacy 15-digit numbers upgrade to 18",
        arguments: [
            ("110105491231002", "11010519491231002X", "1949-12-31", Sex.female),
            // By hand: 32031119770706001 → Σ 3·7+2·9+0·10+3·5+1·8+1·4+1·2+9·1+7·6+7·3+0·7+7·9+0·10+6·5+0·8+0·4+1·2
            // = 235; 235 mod 11 = 4 → "8".
            ("320311770706001", "320311197707060018", "1977-07-06", .male),
            ("440301561107423", "440301195611074234", "1956-11-07", .male),
            ("１１０１０５４９１２３１００２", "11010519491231002X", "1949-12-31", .female)
        ])
    func legacy15(legacy: String, upgraded: String, birth: String, sex: Sex) throws {
        let id = try Self.parse(legacy)
        #expect(id.wasLegacy15)
        #expect(id.upgradedTo18 == upgraded)
        #expect(id.normalized == upgraded)
        #expect(id.birthDate == CivilDate.fixture(birth))
        #expect(id.sex == sex)
        // A legacy number and its 18-character form are the same number.
        let modern = try Self.parse(upgraded)
        #expect(id == modern)
        #expect(Set([id, modern]).count == 1)
    }

    @Test("X is not allowed in a 15-digit number")
    func legacyWithX() {
        #expect(throws: ResidentIDNumber.Error.invalidCharacter("X", position: 15)) {
            try Self.parse("11010549123100X")
        }
    }

    // MARK: Shape

    @Test(
        "wrong lengths",
        arguments: [
            ("1", 1),
            ("11010519491231", 14),
            ("1101051949123100", 16),
            ("11010519491231002", 17),
            ("11010519491231002X1", 19),
            ("１１０１０５１９４９１２３１００２", 17) // full-width, still counted by characters
        ])
    func wrongLength(number: String, count: Int) {
        #expect(throws: ResidentIDNumber.Error.wrongLength(count)) { try Self.parse(number) }
    }

    @Test("empty input", arguments: ["", "   ", "\n\t", "\u{3000}"])
    func empty(text: String) {
        #expect(throws: ResidentIDNumber.Error.empty) { try Self.parse(text) }
    }

    @Test(
        "invalid characters, with their 1-based position",
        arguments: [
            ("110105A9491231002X", Character("A"), 7),
            ("1101051949X231002X", "X", 11), // X only as the 18th character
            ("11010519491231002Y", "Y", 18),
            ("11010519491231 002X", " ", 15), // inner spaces are not accepted
            ("110105-19491231-002X", "-", 7),
            ("1101051949一231002X", "一", 11),
            ("11010519491231002X ｘ", " ", 19), // trailing junk after trimming
            ("١١٠١٠٥١٩٤٩١٢٣١٠٠٢X", "١", 1) // Arabic-Indic digits are not digits here
        ])
    func invalidCharacter(number: String, character: Character, position: Int) {
        let error = #expect(throws: ResidentIDNumber.Error.self) { try Self.parse(number) }
        #expect(error == .invalidCharacter(character, position: position))
        #expect(error?.messageZH.contains("第\(position)位") == true)
    }

    @Test(
        "area codes that cannot begin a number",
        arguments: [
            "010105194912310026", // first digit 0
            "100105194912310028", // 10 is no province
            "190105194912310024",
            "240105194912310029",
            "470105194912310021",
            "560105194912310023",
            "660105194912310027",
            "720105194912310023",
            "800000194912310026",
            "840000194912310023",
            "900105194912310027", // 9 + "00" is no province
            "910105194912310029", // 9 + "10" is no province
            "991060194912310023"
        ])
    func badAreaCode(number: String) {
        // Right check characters: only the area rule can reject these.
        #expect(throws: ResidentIDNumber.Error.badAreaCode(String(number.prefix(6)))) {
            try Self.parse(number)
        }
    }

    // MARK: Sex

    @Test(
        "sex from the parity of the 17th digit",
        arguments: [
            ("110105194912310003", Sex.female),
            ("110105194912310011", .male),
            ("11010519491231002X", .female),
            ("110105194912310038", .male),
            ("110105194912310046", .female),
            ("110105194912310054", .male),
            ("110105194912310062", .female),
            ("110105194912310070", .male),
            ("110105194912310089", .female),
            ("110105194912310097", .male)
        ])
    func sexFromSequence(number: String, sex: Sex) throws {
        #expect(try Self.parse(number).sex == sex)
    }

    @Test(
        "sex labels, Chinese first",
        arguments: [
            (Sex.male, "男", "Male"),
            (.female, "女", "Female")
        ])
    func sexLabels(sex: Sex, zh: String, en: String) {
        #expect(sex.labelZH == zh)
        #expect(sex.labelEN == en)
    }

    // MARK: Masking and privacy

    @Test(
        "masking shows the first 6 and the last 4",
        arguments: [
            ("11010519491231002X", "1****************X"),
            ("110105194912310011", "1****************1"),
            ("110105491231002", "1****************X"), // legacy: masked in its 18-character form
            ("931060199001010013", "9****************3")
        ])
    func masking(number: String, masked: String) throws {
        let id = try Self.parse(number)
        #expect(id.masked == masked)
        // Interpolation and debug output show only the masked form.
        #expect("\(id)" == masked)
        #expect(!String(reflecting: id).contains(id.normalized))
    }

    @Test(
        "every error belongs to the id_number field and never repeats the number",
        arguments: [
            "",
            "11010519491231002",
            "110105A9491231002X",
            "010105194912310026",
            "110105194902300020",
            "110105202511270028",
            "110105189912310023",
            "110105194912310021"
        ])
    func errorsAreFieldErrors(number: String) {
        let error = #expect(throws: ResidentIDNumber.Error.self) { try Self.parse(number) }
        guard let error else { return }
        #expect(error.field == "id_number")
        #expect(error.fieldError == FieldError(field: "id_number", messageZH: error.messageZH, messageEN: error.messageEN))
        #expect(!error.messageZH.isEmpty && !error.messageEN.isEmpty)
        if number.count >= 14 {
            // Neither the area + birth date nor the birth date + sequence appear in a message.
            for part in [String(number.prefix(14)), String(number.dropFirst(6).prefix(8))] {
                #expect(!error.messageZH.contains(part))
                #expect(!error.messageEN.contains(part))
            }
        }
    }
}

extension CivilDate {
    /// A date from a literal in a test table; a typo in the table fails loudly.
    static func fixture(_ text: String) -> CivilDate {
        do {
            return try CivilDate(parsing: text)
        } catch {
            Issue.record("bad fixture date \(text): \(error)")
            return CivilDate.today()
        }
    }
}
