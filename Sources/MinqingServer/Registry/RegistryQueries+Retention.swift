import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// The SQL of retention (`Retention`, PIPL art. 47): who is due, and erasing them.
extension RegistryQueries {
    /// The persons due: moved out or died before `cutoff`, not erased yet.
    static func retentionDue(before cutoff: CivilDate, on db: any Database) async throws -> [PersonID] {
        struct Row: Decodable { var id: PersonID }
        return try await db.sql.raw(
            """
            SELECT id FROM persons
            WHERE COALESCE(died_on, moved_out_on) IS NOT NULL AND COALESCE(died_on, moved_out_on) < \(bind: cutoff.iso8601)
              AND id_index NOT LIKE 'erased:%'
            ORDER BY id
            """
        ).all(decoding: Row.self).map(\.id)
    }

    /// Erases the persons `ids` (inside the caller's transaction): deletes their tags, replaces the
    /// words of their help requests with `erasedName` and of their aid records with nothing, unlinks
    /// them from owners, and leaves of each person `erasedName`, a retired index and the birth year.
    static func erase(_ ids: [PersonID], erasedName: String, now: Date, on db: any Database) async throws {
        try await db.sql.raw("DELETE FROM tag_assignments WHERE person_id IN (\(binds: ids))").run()
        try await db.sql.raw("UPDATE help_requests SET description = \(bind: erasedName) WHERE person_id IN (\(binds: ids))").run()
        try await db.sql.raw("UPDATE aid_records SET description = '' WHERE person_id IN (\(binds: ids))").run()
        try await db.sql.raw("UPDATE owners SET person_id = NULL WHERE person_id IN (\(binds: ids))").run()
        for id in ids {
            try await db.sql.raw(
                """
                UPDATE persons SET name = \(bind: erasedName), id_cipher = '', id_index = \(bind: "erased:" + id.uuidString.lowercased()),
                       id_masked = \(bind: String(repeating: "*", count: 18)), phone_cipher = NULL, phone_index = NULL, phone_masked = NULL,
                       birth_date = SUBSTR(birth_date, 1, 4) || '-01-01', updated_at = \(bind: now)
                WHERE id = \(bind: id)
                """
            ).run()
        }
    }
}
