/// A dwelling's exclusive floor area (专有部分建筑面积) as the register keeps it: an integer number
/// of square centimetres, so that the owners' vote (《民法典》第二百七十八条: a majority of the
/// area) adds areas exactly.
///
/// Offices write areas in square metres, usually with two decimals (the precision of a property
/// certificate, 0.01 m² = 100 cm²); up to four are read (1 cm², the register's own unit), so
/// any area the register holds survives an export and a re-import. Reading one never goes
/// through floating point: the digits before and after the point are read as integers, so
/// `89.57` is exactly 895,700 cm².
public struct FloorArea: Sendable, Hashable, Comparable, Codable {

    /// The JSON keys: snake_case like the rest of the API (docs/api-conventions.md).
    public enum CodingKeys: String, CodingKey {
        case squareCentimetres = "square_centimetres"
    }
    /// The area in square centimetres (1 m² = 10,000 cm²).
    public let squareCentimetres: Int64

    /// The largest area a single dwelling may have: 100,000 m² (a whole building held by one
    /// developer is still far below).
    public static let maxSquareMetres: Int64 = 100_000
    /// Decimals accepted when reading square metres (four: whole square centimetres).
    public static let maxDecimals = 4

    public init(squareCentimetres: Int64) {
        self.squareCentimetres = squareCentimetres
    }

    public static func < (lhs: FloorArea, rhs: FloorArea) -> Bool { lhs.squareCentimetres < rhs.squareCentimetres }

    /// Why a text is not an area.
    public enum ParseError: Error, Sendable, Equatable {
        case empty
        /// Not digits with at most one decimal point (letters, a comma, an exponent…).
        case notANumber
        /// More than four digits after the point (finer than 1 cm²).
        case tooManyDecimals
        /// Zero or negative.
        case notPositive
        /// Above `maxSquareMetres`.
        case tooLarge

        public var messageZH: String {
            switch self {
            case .empty: "请填写面积（平方米）"
            case .notANumber: "面积须为以平方米计的数字，如 89.57"
            case .tooManyDecimals: "面积最多保留四位小数（1 平方厘米）"
            case .notPositive: "面积须大于 0"
            case .tooLarge: "面积不能超过 \(FloorArea.maxSquareMetres) 平方米"
            }
        }

        public var messageEN: String {
            switch self {
            case .empty: "Enter the area in square metres"
            case .notANumber: "The area must be a number of square metres such as 89.57"
            case .tooManyDecimals: "The area has at most four decimals (1 cm²)"
            case .notPositive: "The area must be above 0"
            case .tooLarge: "The area cannot exceed \(FloorArea.maxSquareMetres) m²"
            }
        }
    }

    /// Unit words an office may leave after the number.
    private static let units = ["平方米", "平米", "㎡", "m²", "m2"]

    /// Reads square metres as offices write them: `89`, `89.5`, `89.57`, `089.50`, full-width
    /// digits (`８９．５７`), optionally followed by a unit (`平方米`, `平米`, `㎡`, `m²`, `m2`) and
    /// surrounded by spaces. At most four decimals; no sign, exponent or thousands separator.
    public init(parsingSquareMetres raw: String) throws(ParseError) {
        var text = String(raw.map(HalfWidth.fold)).trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw .empty }
        for unit in Self.units where text.lowercased().hasSuffix(unit.lowercased()) {
            text = String(text.dropLast(unit.count)).trimmingCharacters(in: .whitespaces)
            break
        }
        guard !text.isEmpty else { throw .empty }
        if text.hasPrefix("-") { throw .notPositive }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty,
            whole.allSatisfy({ $0.isASCII && $0.isNumber })
        else { throw .notANumber }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .notANumber }
        if parts.count == 2, fraction.isEmpty { throw .notANumber }
        guard fraction.count <= Self.maxDecimals else { throw .tooManyDecimals }
        // Leading zeros do not count towards the size; more than seven significant digits is too large anyway.
        let significant = whole.drop { $0 == "0" }
        guard significant.count <= 7, let metres = Int64(significant.isEmpty ? "0" : String(significant)) else { throw .tooLarge }
        // "5" → 5,000 cm² (tenths), "57" → 5,700 cm²: pad the decimals to four places.
        let padded = String(fraction) + String(repeating: "0", count: 4 - fraction.count)
        guard let decimals = Int64(padded) else { throw .notANumber }
        let total = metres * 10_000 + decimals
        guard total > 0 else { throw .notPositive }
        guard total <= Self.maxSquareMetres * 10_000 else { throw .tooLarge }
        squareCentimetres = total
    }

    /// Square metres with at least two decimals and as many more as the value needs to be exact
    /// (`89.57`, `89.50`, `89.5712`): what the export writes.
    public var squareMetresText: String {
        let magnitude = squareCentimetres.magnitude
        var decimals = String(magnitude % 10_000)
        decimals = String(repeating: "0", count: 4 - decimals.count) + decimals
        while decimals.count > 2, decimals.hasSuffix("0") { decimals.removeLast() }
        return (squareCentimetres < 0 ? "-" : "") + "\(magnitude / 10_000).\(decimals)"
    }
}
