extension ResidentIDNumber {
    /// Why a resident ID number was rejected. The messages name the reason and the positions,
    /// never the digits the person typed (only the check characters, which identify no one).
    public enum Error: FieldErrorConvertible, Sendable, Equatable {
        /// Nothing but whitespace was given.
        case empty
        /// Neither 18 nor 15 characters (the count after trimming).
        case wrongLength(Int)
        /// A character other than a digit, or `X` anywhere but the 18th place (1-based position).
        case invalidCharacter(Character, position: Int)
        /// The first six digits cannot begin a number (the province part is not a real one).
        case badAreaCode(String)
        /// The birth date digits (YYYYMMDD, or YYMMDD in a 15-digit number) are not a real date.
        case badBirthDate(String)
        /// Born before 1900-01-01.
        case birthDateBefore1900(CivilDate)
        /// Born after the day of checking.
        case birthDateInFuture(CivilDate)
        /// The 18th character is not the one the first 17 digits require.
        case wrongCheckCharacter(expected: Character, found: Character)

        /// The form field these errors belong to: `id_number`.
        public var field: String { "id_number" }

        /// 简体中文 message.
        public var messageZH: String {
            switch self {
            case .empty:
                return "请填写身份证号"
            case .wrongLength(let count):
                return "身份证号应为18位（旧版为15位），现为\(count)位"
            case .invalidCharacter(let c, let position):
                return "身份证号第\(position)位“\(c)”无效：只能是数字，第18位可以是X"
            case .badAreaCode:
                return "身份证号前6位不是有效的地址码"
            case .badBirthDate(let digits):
                return "身份证号第7–\(6 + digits.count)位不是有效的出生日期"
            case .birthDateBefore1900:
                return "身份证号中的出生日期早于1900年"
            case .birthDateInFuture:
                return "身份证号中的出生日期晚于今天"
            case .wrongCheckCharacter(let expected, let found):
                return "身份证号校验码错误：第18位应为“\(expected)”，现为“\(found)”，请核对号码"
            }
        }

        /// English message.
        public var messageEN: String {
            switch self {
            case .empty:
                return "Enter the resident ID number."
            case .wrongLength(let count):
                return "A resident ID number has 18 characters (old numbers have 15); this one has \(count)."
            case .invalidCharacter(let c, let position):
                return "Character \(position) (“\(c)”) is not allowed: only digits, and X as the 18th character."
            case .badAreaCode:
                return "The first six digits are not a valid area code."
            case .badBirthDate(let digits):
                return "Characters 7–\(6 + digits.count) are not a valid date of birth."
            case .birthDateBefore1900:
                return "The date of birth in the ID number is before 1900."
            case .birthDateInFuture:
                return "The date of birth in the ID number is in the future."
            case .wrongCheckCharacter(let expected, let found):
                return "Wrong check character: the 18th character should be “\(expected)”, not “\(found)”; please check the number."
            }
        }

        /// The error as a form field error on `id_number`.
        public var fieldError: FieldError {
            FieldError(field: field, messageZH: messageZH, messageEN: messageEN)
        }
    }
}
