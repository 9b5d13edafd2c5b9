import Testing

@testable import MinqingDomain

@Suite("FloorArea (专有面积, cm²)")
struct FloorAreaTests {
    @Test(
        "square metres read exactly into square centimetres",
        arguments: [
            ("89.57", Int64(895_700)),
            ("89.5", 895_000),
            ("89.50", 895_000),
            ("89", 890_000),
            ("089.05", 890_500),
            ("0.01", 100),
            ("0.1", 1_000),
            ("89.5712", 895_712), // what the export writes for a surveyed area
            ("0.0001", 1),
            ("1", 10_000),
            // Values that binary floating point cannot hold exactly: 0.29 × 10000 = 2899.9999…
            ("0.29", 2_900),
            ("1.15", 11_500),
            ("4.35", 43_500),
            ("99999.99", 999_999_900),
            ("100000", 1_000_000_000),
            ("  76.30 ", 763_000),
            ("76.30平方米", 763_000),
            ("76.30 平米", 763_000),
            ("76.30㎡", 763_000),
            ("76.30 m²", 763_000),
            ("76.30M2", 763_000),
            ("７６．３０", 763_000) // full-width digits and point
        ])
    func valid(text: String, squareCentimetres: Int64) throws {
        #expect(try FloorArea(parsingSquareMetres: text).squareCentimetres == squareCentimetres)
    }

    @Test("what the export writes reads back to the same area")
    func roundTrip() throws {
        for cm2 in [Int64(1), 99, 100, 895_712, 895_700, 1_000_000_000, 123_456_789] {
            let area = FloorArea(squareCentimetres: cm2)
            #expect(try FloorArea(parsingSquareMetres: area.squareMetresText) == area)
        }
    }

    @Test("every two-decimal value from 0.01 to 300.00 m² converts exactly")
    func exhaustive() throws {
        for cents in 1...30_000 {
            let text = "\(cents / 100).\(cents % 100 < 10 ? "0" : "")\(cents % 100)"
            #expect(try FloorArea(parsingSquareMetres: text).squareCentimetres == Int64(cents) * 100, "\(text)")
        }
    }

    @Test(
        "rejected input names the reason",
        arguments: [
            ("", FloorArea.ParseError.empty),
            ("   ", .empty),
            ("平方米", .empty),
            ("89.57125", .tooManyDecimals),
            ("0.00001", .tooManyDecimals),
            ("0", .notPositive),
            ("0.00", .notPositive),
            ("-12.5", .notPositive),
            ("100000.01", .tooLarge),
            ("99999999", .tooLarge),
            ("123456.78", .tooLarge),
            ("1,234.5", .notANumber),
            ("1.2.3", .notANumber),
            ("89.", .notANumber),
            (".5", .notANumber),
            ("8e1", .notANumber),
            ("八十九", .notANumber),
            ("89.5亩", .notANumber),
            ("+89", .notANumber)
        ])
    func invalid(text: String, error: FloorArea.ParseError) {
        #expect(throws: error) { try FloorArea(parsingSquareMetres: text) }
        #expect(!error.messageZH.isEmpty && !error.messageEN.isEmpty)
    }

    @Test(
        "written back with two decimals, or more when the value needs them",
        arguments: [
            (Int64(895_700), "89.57"),
            (895_000, "89.50"),
            (890_000, "89.00"),
            (895_712, "89.5712"),
            (895_710, "89.571"),
            (100, "0.01"),
            (1, "0.0001")
        ])
    func written(squareCentimetres: Int64, text: String) throws {
        let area = FloorArea(squareCentimetres: squareCentimetres)
        #expect(area.squareMetresText == text)
        if squareCentimetres % 100 == 0 {
            #expect(try FloorArea(parsingSquareMetres: text) == area)
        }
    }
}
