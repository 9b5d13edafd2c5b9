import Fluent
import Foundation
import SQLKit

/// The SQL of the import wizard's file store (`ImportUploads`).
extension RegistryQueries {
    /// Deletes the stored files that expired by `now`.
    static func deleteExpiredUploads(now: Date, on db: any Database) async throws {
        try await db.sql.raw("DELETE FROM import_uploads WHERE expires_at <= \(bind: now)").run()
    }

    /// Deletes all but the newest `keep` stored files of `account`.
    static func trimUploads(account: UUID, keep: Int, on db: any Database) async throws {
        try await db.sql.raw(
            """
            DELETE FROM import_uploads WHERE account_id = \(bind: account) AND id NOT IN
              (SELECT k.id FROM (SELECT id FROM import_uploads WHERE account_id = \(bind: account)
                                 ORDER BY created_at DESC, id LIMIT \(literal: keep)) k)
            """
        ).run()
    }

    /// Writes the stored file `id` (sealed) of `account`, found by the hash of its token until `expiresAt`.
    static func insertUpload(
        _ id: UUID, tokenHash: String, account: UUID, kind: ImportKind, encoding: ImportEncoding, fileName: String, rows: Int,
        sealed: Data, now: Date, expiresAt: Date, on db: any Database
    ) async throws {
        try await db.sql.insert(into: "import_uploads")
            .columns("id", "token_hash", "account_id", "kind", "encoding", "file_name", "rows", "sealed", "created_at", "expires_at")
            .values(
                SQLBind(id), SQLBind(tokenHash), SQLBind(account), SQLBind(kind.rawValue), SQLBind(encoding.rawValue),
                SQLBind(fileName), SQLBind(rows), SQLBind(sealed), SQLBind(now), SQLBind(expiresAt)
            )
            .run()
    }

    /// A stored file as taken out of the store.
    struct Upload: Decodable, Sendable {
        var id: UUID; var kind: ImportKind; var encoding: ImportEncoding; var file_name: String; var rows: Int; var sealed: Data; var expires_at: Date
    }

    /// Deletes the stored file of `account` whose token hashes to `tokenHash` and returns it; nil when there is none.
    static func takeUpload(tokenHash: String, account: UUID, on db: any Database) async throws -> Upload? {
        try await db.sql.raw(
            """
            DELETE FROM import_uploads WHERE token_hash = \(bind: tokenHash) AND account_id = \(bind: account)
            RETURNING id, kind, encoding, file_name, rows, sealed, expires_at
            """
        ).first(decoding: Upload.self)
    }
}
