import Foundation

/// A mainland China mobile number (手机号): 11 digits beginning 13–19.
///
/// Parsing accepts what people type: a `+86`, `0086` or `86` country prefix, spaces and dashes
/// anywhere, and full-width digits (`１３８`). Equality and hashing use `normalized`.
/// `description` is the masked form, so the number does not leak into logs.
public struct MobileNumber: Sendable, Hashable {
    /// The 11 national digits, e.g. `13800138000`: what is encrypted, hashed and compared.
    public let normalized: String

    /// Parses a mobile number as a person or a form typed it.
    public init(parsing text: String) throws(MobileNumber.Error) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .empty }

        var digits = ""
        var sawPlus = false
        for (offset, raw) in trimmed.enumerated() {
            let c = HalfWidth.fold(raw)
            if let value = HalfWidth.digitValue(c) {
                digits.append(Character(String(value)))
            } else if c.isWhitespace || MobileNumber.dashes.contains(c) {
                continue
            } else if c == "+", !sawPlus, digits.isEmpty {
                sawPlus = true
            } else {
                throw .invalidCharacter(raw, position: offset + 1)
            }
        }

        if sawPlus || digits.hasPrefix("00") {
            // An international form: only +86 / 0086 (China) is a mainland number.
            let country = sawPlus ? digits : String(digits.dropFirst(2))
            guard country.hasPrefix("86") else { throw .notMainlandCountryCode }
            digits = String(country.dropFirst(2))
        } else if digits.count == 13, digits.hasPrefix("86") {
            // "86" without + or 00; only stripped when 11 digits remain, as a mobile never starts with 8.
            digits = String(digits.dropFirst(2))
        }

        guard digits.count == 11 else { throw .wrongLength(digits.count) }
        let second = digits.dropFirst().first.flatMap(HalfWidth.digitValue) ?? 0
        guard digits.hasPrefix("1"), (3...9).contains(second) else { throw .notMobilePrefix }
        self.normalized = digits
    }

    /// For display (脱敏): first 3 + 4 asterisks + last 4, e.g. `138****8000`.
    public var masked: String {
        String(normalized.prefix(3)) + "****" + String(normalized.suffix(4))
    }

    /// E.164 form for SMS gateways, e.g. `+8613800138000`.
    public var e164: String { "+86" + normalized }

    /// Separators people put between digit groups: ASCII hyphen-minus and the Unicode dashes
    /// (full-width `－` is folded to `-` first).
    static let dashes: Set<Character> = ["-", "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2212}"]
}

extension MobileNumber: CustomStringConvertible, CustomDebugStringConvertible {
    /// The masked form, so that string interpolation and logs never show the full number.
    public var description: String { masked }
    /// The masked form.
    public var debugDescription: String { "MobileNumber(\(masked))" }
}

extension MobileNumber {
    /// Why a mobile number was rejected. Messages never repeat the digits typed.
    public enum Error: FieldErrorConvertible, Sendable, Equatable {
        /// Nothing but whitespace was given.
        case empty
        /// A character that is not a digit, a space, a dash or a leading `+` (1-based position).
        case invalidCharacter(Character, position: Int)
        /// An international prefix other than +86 / 0086.
        case notMainlandCountryCode
        /// Not 11 digits once separators and the +86 prefix are removed (the count found).
        case wrongLength(Int)
        /// 11 digits, but not beginning 13–19 (e.g. a landline or 12…).
        case notMobilePrefix

        /// The form field these errors belong to: `phone`.
        public var field: String { "phone" }

        /// 简体中文 message.
        public var messageZH: String {
            switch self {
            case .empty:
                return "请填写手机号"
            case .invalidCharacter(let c, let position):
                return "手机号第\(position)位“\(c)”无效：只能是数字、空格、短横线和开头的+86"
            case .notMainlandCountryCode:
                return "仅支持中国大陆手机号（+86）"
            case .wrongLength(let count):
                return "手机号应为11位数字，现为\(count)位"
            case .notMobilePrefix:
                return "手机号应以13至19开头"
            }
        }

        /// English message.
        public var messageEN: String {
            switch self {
            case .empty:
                return "Enter the mobile number."
            case .invalidCharacter(let c, let position):
                return "Character \(position) (“\(c)”) is not allowed: use digits, spaces, dashes and a leading +86."
            case .notMainlandCountryCode:
                return "Only mainland China mobile numbers (+86) are accepted."
            case .wrongLength(let count):
                return "A mobile number has 11 digits; this one has \(count)."
            case .notMobilePrefix:
                return "A mobile number begins with 13 to 19."
            }
        }

        /// The error as a form field error on `phone`.
        public var fieldError: FieldError {
            FieldError(field: field, messageZH: messageZH, messageEN: messageEN)
        }
    }
}
