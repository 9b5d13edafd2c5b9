import Fluent
import Foundation
import SQLKit

/// Reads that the personal-data pages need (the caller's own records only).
enum PersonalDataQueries {
    struct Member: Decodable, Sendable { var id: UUID; var name: String }

    /// The people still living in the household(s) linked to the resident account `account`, by name (none without a household).
    static func householdMembers(of account: UUID, on db: any Database) async throws -> [Member] {
        try await db.sql.raw("""
            SELECT p.id, p.name FROM resident_households r JOIN persons p ON p.household_id = r.household_id
            WHERE r.account_id = \(bind: account) AND p.moved_out_on IS NULL ORDER BY p.name
            """).all(decoding: Member.self)
    }
}
