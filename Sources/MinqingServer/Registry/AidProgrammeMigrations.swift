import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// The catalogue of aid programmes, seeded with `AidProgrammeDefaults`; programmes already named
/// by aid records join it as sensitive.
struct CreateAidProgrammes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("aid_programmes")
            .id()
            .field("name", .string, .required)
            .field("sensitive", .bool, .required)
            .field("created_at", .datetime)
            .unique(on: "name")
            .create()
        let now = Date()
        for programme in AidProgrammeDefaults.all {
            try await database.sql.raw(
                """
                INSERT INTO aid_programmes (id, name, sensitive, created_at)
                VALUES (\(bind: UUID()), \(bind: programme.name), \(bind: programme.sensitive), \(bind: now))
                """
            ).run()
        }
        try await AidProgrammes.catalogueAll(now: now, on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema("aid_programmes").delete()
    }
}
