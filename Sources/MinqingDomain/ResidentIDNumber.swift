import Foundation

/// A resident ID number (公民身份号码, GB 11643-1999), checked and in canonical 18-character form.
///
/// Layout: 6-digit area code (地址码) + birth date YYYYMMDD (出生日期码) + 3-digit sequence
/// (顺序码; odd = male) + check character (校验码, ISO 7064 MOD 11-2, `0`–`9` or `X`).
/// Legacy 15-digit numbers (first-generation cards) have a YYMMDD date in the 1900s and no check
/// character; they are accepted and upgraded to 18 characters.
///
/// The same layout and check are used by the residence permits of Hong Kong, Macao and Taiwan
/// residents (港澳台居民居住证: area 810000, 820000, 830000) and by the 2023 foreigners' permanent
/// residence ID card (外国人永久居留身份证: first digit 9, then a province code); see `kind`.
///
/// Equality and hashing use `normalized`, so a legacy number equals its upgraded form.
/// `description` is the masked form: interpolating the value into a log line does not leak it.
public struct ResidentIDNumber: Sendable, Hashable {
    /// The canonical 18-character form (ASCII digits, upper-case `X`): what is encrypted, hashed
    /// for the blind index and compared.
    public let normalized: String
    /// The date of birth (出生日期).
    public let birthDate: CivilDate
    /// Whether the input was a legacy 15-digit number (一代证号码).
    public let wasLegacy15: Bool

    /// Which document family the number belongs to, told by its leading digits.
    public enum Kind: Sendable, Hashable, CaseIterable {
        /// 公民身份号码 of a PRC citizen.
        case citizen
        /// 港澳台居民居住证: area code 810000 (Hong Kong), 820000 (Macao), 830000 (Taiwan).
        case residencePermit
        /// 外国人永久居留身份证 (2023 edition): `9` + province code + 3-digit nationality code.
        case foreignPermanentResident
    }

    /// Parses and checks a number as a person or a form typed it.
    ///
    /// Accepts surrounding whitespace, full-width digits (`０`–`９`), and `x`, `Ｘ`, `ｘ` for the check
    /// character. Rejects inner spaces and any other character.
    /// - Parameter today: the day the birth date must not be after (inject it in tests).
    public init(parsing text: String, today: CivilDate = .today()) throws(ResidentIDNumber.Error) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .empty }

        // Fold full-width forms and lower-case x; every character must then be a digit or X.
        var folded: [Character] = []
        folded.reserveCapacity(18)
        for (offset, raw) in trimmed.enumerated() {
            var c = HalfWidth.fold(raw)
            if c == "x" { c = "X" }
            guard c == "X" || HalfWidth.digitValue(c) != nil else {
                throw .invalidCharacter(raw, position: offset + 1)
            }
            folded.append(c)
        }
        guard folded.count == 18 || folded.count == 15 else { throw .wrongLength(folded.count) }
        // X may only be the 18th character.
        let lastDigitIndex = folded.count == 18 ? 16 : 14
        if let xIndex = folded[0...lastDigitIndex].firstIndex(of: "X") {
            throw .invalidCharacter(Array(trimmed)[xIndex], position: xIndex + 1)
        }

        let legacy = folded.count == 15
        let digits = String(folded)
        let body: String // the 17 digits before the check character
        if legacy {
            body = String(digits.prefix(6)) + "19" + String(digits.dropFirst(6))
        } else {
            body = String(digits.prefix(17))
        }

        let area = String(body.prefix(6))
        guard ResidentIDNumber.kind(ofAreaCode: area) != nil else { throw .badAreaCode(area) }

        let dateDigits =
            legacy
            ? String(digits.dropFirst(6).prefix(6))
            : String(digits.dropFirst(6).prefix(8))
        guard let birth = try? CivilDate(parsing: String(body.dropFirst(6).prefix(8))) else {
            throw .badBirthDate(dateDigits)
        }
        guard birth.year >= 1900 else { throw .birthDateBefore1900(birth) }
        guard birth <= today else { throw .birthDateInFuture(birth) }

        // Body is 17 ASCII digits by now, so the check character always exists.
        let expected = ResidentIDNumber.checkCharacter(for: body) ?? "?"
        if !legacy, let found = folded.last, found != expected {
            throw .wrongCheckCharacter(expected: expected, found: found)
        }

        self.normalized = body + String(expected)
        self.birthDate = birth
        self.wasLegacy15 = legacy
    }

    // MARK: Parts

    /// The 6-digit area code (地址码) where the number was first issued.
    public var areaCode: String { String(normalized.prefix(6)) }

    /// The 3-digit sequence code (顺序码), e.g. `"002"`.
    public var sequenceCode: String { String(normalized.dropFirst(14).prefix(3)) }

    /// Sex from the sequence code's parity (odd = male, even = female).
    public var sex: Sex {
        let last = normalized.dropFirst(16).first.flatMap(HalfWidth.digitValue) ?? 0
        return last % 2 == 1 ? .male : .female
    }

    /// The check character (校验码), `0`–`9` or `X`.
    public var checkCharacter: Character { normalized.last ?? "?" }

    /// The document family; see `Kind`.
    public var kind: Kind { ResidentIDNumber.kind(ofAreaCode: areaCode) ?? .citizen }

    /// The 18-character form of the number: the same as `normalized`. For a legacy 15-digit input
    /// it is the upgrade (`19` inserted before the year, check character appended).
    public var upgradedTo18: String { normalized }

    /// For display (脱敏): the first and the last character only, e.g. `1****************X`.
    /// The common 6 + 4 form hides exactly the birth date, which registers show beside it, so
    /// together they were the whole number; this form leaves area, date and sequence unknown.
    public var masked: String {
        String(normalized.prefix(1)) + String(repeating: "*", count: 16) + String(normalized.suffix(1))
    }

    /// Completed years (周岁) on `date`; the PIPL treats anyone under 14 as sensitive data.
    public func age(on date: CivilDate) -> Int { birthDate.age(on: date) }

    public static func == (lhs: ResidentIDNumber, rhs: ResidentIDNumber) -> Bool {
        lhs.normalized == rhs.normalized
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(normalized)
    }

    // MARK: Rules

    /// ISO 7064 MOD 11-2 weights for the first 17 digits (2^(18-i) mod 11).
    public static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

    /// The check character for Σ(digit × weight) mod 11 = 0, 1, 2, …, 10.
    static let checkCharacters: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    /// The check character for the first 17 digits (ASCII or full-width), or nil if `body` is not
    /// exactly 17 digits.
    public static func checkCharacter(for body: some StringProtocol) -> Character? {
        var sum = 0
        var count = 0
        for character in body {
            guard count < 17, let digit = HalfWidth.digitValue(character) else { return nil }
            sum += digit * weights[count]
            count += 1
        }
        guard count == 17 else { return nil }
        return checkCharacters[sum % 11]
    }

    /// Province-level codes (GB/T 2260) that begin a citizen's number; 71 is Taiwan in the
    /// standard, though numbers for Taiwan residents are issued under 83.
    static let provinceCodes: Set<String> = [
        "11", "12", "13", "14", "15",
        "21", "22", "23",
        "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46",
        "50", "51", "52", "53", "54",
        "61", "62", "63", "64", "65",
        "71"
    ]

    /// The kind of number a 6-digit area code begins, or nil when the code cannot begin one.
    /// Only the province level is checked; county codes change every year and need a table.
    static func kind(ofAreaCode area: String) -> Kind? {
        let prefix2 = String(area.prefix(2))
        if provinceCodes.contains(prefix2) { return .citizen }
        if ["81", "82", "83"].contains(prefix2) { return .residencePermit }
        if area.hasPrefix("9"), provinceCodes.contains(String(area.dropFirst().prefix(2))) {
            return .foreignPermanentResident
        }
        return nil
    }
}

extension ResidentIDNumber: CustomStringConvertible, CustomDebugStringConvertible {
    /// The masked form, so that string interpolation and logs never show the full number.
    public var description: String { masked }
    /// The masked form.
    public var debugDescription: String { "ResidentIDNumber(\(masked))" }
}

/// Sex (性别) as the resident ID number encodes it.
public enum Sex: String, Sendable, Hashable, CaseIterable, Codable {
    case male
    case female

    /// 男 / 女
    public var labelZH: String {
        switch self {
        case .male: return "男"
        case .female: return "女"
        }
    }

    /// Male / Female
    public var labelEN: String {
        switch self {
        case .male: return "Male"
        case .female: return "Female"
        }
    }
}
