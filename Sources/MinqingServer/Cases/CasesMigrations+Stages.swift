import Fluent

/// `cases.stage_due_at`: the deadline of the dispatcher's current stage (立案, 派遣, 核查; see
/// `CaseStage`), from the category's `limit_file`, `limit_dispatch` or `limit_verify` on the
/// platform calendar. NULL while the department holds the case (its deadlines are
/// `response_due_at` and `due_at`) and once the case is finished. Cases taken in before this
/// change have none until their next transition that starts a dispatcher's stage.
struct AddCaseStageDeadline: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("cases").field("stage_due_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("cases").deleteField("stage_due_at").update()
    }
}
