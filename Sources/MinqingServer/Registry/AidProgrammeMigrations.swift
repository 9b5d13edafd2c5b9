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

/// An English name for each aid programme (`aid_programmes.name_en`, empty allowed): English pages
/// and files show it, and the Chinese name only where a programme has none. Filled here for the
/// shipped programmes and the help categories aid is recorded under
/// (`AidProgrammeDefaults.englishNames`); managers give the others theirs on the tags page.
struct AddAidProgrammeEnglishNames: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("aid_programmes").field("name_en", .string).update()
        for (name, english) in AidProgrammeDefaults.englishNames.sorted(by: { $0.key < $1.key }) {
            try await database.sql.raw(
                """
                UPDATE aid_programmes SET name_en = \(bind: english) WHERE name = \(bind: name) AND name_en IS NULL
                """
            ).run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("aid_programmes").deleteField("name_en").update()
    }
}
