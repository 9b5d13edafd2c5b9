import Fluent
import SQLKit

/// Re-masks every stored ID number to its first and last character (`1****************X`).
/// The earlier 6 + 4 form hid exactly the birth date, which the register shows beside it, so the
/// two together were the whole number. The ciphertexts and blind indexes are untouched.
struct MaskIDNumbersToEnds: AsyncMigration {
    static let stars = String(repeating: "*", count: 16)

    func prepare(on database: any Database) async throws {
        let sql = database.sql
        // Every stored masked ID number is 18 characters (legacy numbers are kept upgraded).
        func remask(_ column: String) -> SQLQueryString {
            "substr(\(ident: column), 1, 1) || \(bind: Self.stars) || substr(\(ident: column), 18, 1)"
        }
        try await sql.raw("UPDATE persons SET id_masked = \(remask("id_masked")) WHERE length(id_masked) = 18").run()
        try await sql.raw("UPDATE owners SET id_masked = \(remask("id_masked")) WHERE id_masked IS NOT NULL AND length(id_masked) = 18").run()
        try await sql.raw(
            """
            UPDATE campaign_answers SET value = \(remask("value"))
            WHERE pii_cipher IS NOT NULL AND length(value) = 18
              AND field_id IN (SELECT id FROM campaign_fields WHERE field_type = 'id_number')
            """
        ).run()
    }

    func revert(on database: any Database) async throws {}
}
