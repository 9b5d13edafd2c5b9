import Fluent
import SQLKit

/// 协商室 and 业主决策电子投票 (issue 6).
///
/// - `owner_accounts` binds a sign-in account to an owner record of the register, so an owner
///   proves who they are by their login.
/// - `owners_ballots`: scope (a compound, one building, or one stairwell of it), the rule set as
///   JSON (copied from the catalogue at creation, so a later catalogue change cannot change a
///   result), status draft → open → closed, the stored tally and the published decision.
/// - `ballot_electors`, `ballot_elector_dwellings`, `ballot_elector_owners`: the electorate
///   snapshot taken when the ballot opens (one row per voting owner-person with area and head;
///   their dwellings with the area used and its source; the owners who may cast the vote).
/// - `owners_votes`: one row per elector, enforced by UNIQUE (ballot_id, elector_id); online,
///   by proxy (with the authorisation's reference) or on paper (with the scanned sheet's).
/// - `polls`, `poll_options`, `poll_roll`: resident polls. The roll says who voted (UNIQUE per
///   poll and voter: a person or a household). An open poll's roll row names the option; a
///   secret poll's does not, and its ballot box is only the per-option counters in
///   `poll_options`: there is no ballot row at all, so no row, column, rowid, timestamp or
///   transaction id can link a ballot to a voter (each secret vote updates every option row of
///   the poll, so not even PostgreSQL's `xmin` of a counter tells which option the last voter
///   chose).
struct CreateVoting: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("owner_accounts")
            .field("account_id", .uuid, .required, .references(Account.schema, .id, onDelete: .cascade))
            .field("owner_id", .uuid, .required, .references("owners", .id))
            .field("created_by", .string)
            .field("created_at", .datetime)
            .compositeIdentifier(over: "account_id", "owner_id")
            .create()
        try await database.schema("owners_ballots")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("compound_id", .uuid, .required, .references("compounds", .id))
            .field("building_id", .uuid, .references("buildings", .id))
            .field("stairwell", .string)
            .field("scope_kind", .string, .required)
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("rule_code", .string, .required)
            .field("rule_json", .string, .required)
            .field("status", .string, .required)
            .field("results_live", .bool, .required)
            .field("closes_at", .datetime, .required)
            .field("opened_at", .datetime)
            .field("closed_at", .datetime)
            .field("total_area_cm2", .int64)
            .field("total_heads", .int64)
            .field("outcome", .string)
            .field("tally_json", .string)
            .field("published_on", .string)
            .field("appeal_deadline", .string)
            .field("created_by", .uuid, .references(Account.schema, .id))
            .field("created_at", .datetime)
            .create()
        try await database.schema("ballot_electors")
            .id()
            .field("ballot_id", .uuid, .required, .references("owners_ballots", .id))
            .field("elector_key", .string, .required)
            .field("is_developer", .bool, .required)
            .field("area_cm2", .int64, .required)
            .field("heads", .int64, .required)
            .field("label", .string, .required)
            .unique(on: "ballot_id", "elector_key")
            .create()
        try await database.schema("ballot_elector_dwellings")
            .field("ballot_id", .uuid, .required, .references("owners_ballots", .id))
            .field("elector_id", .uuid, .required, .references("ballot_electors", .id))
            .field("dwelling_id", .uuid, .required, .references("dwellings", .id))
            .field("area_cm2", .int64, .required)
            .field("area_source", .string, .required)
            .compositeIdentifier(over: "ballot_id", "dwelling_id")
            .create()
        try await database.schema("ballot_elector_owners")
            .field("ballot_id", .uuid, .required, .references("owners_ballots", .id))
            .field("elector_id", .uuid, .required, .references("ballot_electors", .id))
            .field("owner_id", .uuid, .required, .references("owners", .id))
            .compositeIdentifier(over: "elector_id", "owner_id")
            .create()
        try await database.schema("owners_votes")
            .id()
            .field("ballot_id", .uuid, .required, .references("owners_ballots", .id))
            .field("elector_id", .uuid, .required, .references("ballot_electors", .id))
            .field("choice", .string, .required)
            .field("channel", .string, .required)
            .field("owner_id", .uuid, .references("owners", .id))
            .field("recorded_by", .uuid, .required, .references(Account.schema, .id))
            .field("proxy_name", .string)
            .field("authorisation_ref", .string)
            .field("paper_ref", .string)
            .field("cast_at", .datetime, .required)
            .unique(on: "ballot_id", "elector_id")
            .create()
        try await database.schema("polls")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("unit", .string, .required)
            .field("secrecy", .string, .required)
            .field("status", .string, .required)
            .field("results_live", .bool, .required)
            .field("closes_at", .datetime, .required)
            .field("closed_at", .datetime)
            .field("created_by", .uuid, .references(Account.schema, .id))
            .field("created_at", .datetime)
            .create()
        try await database.schema("poll_options")
            .id()
            .field("poll_id", .uuid, .required, .references("polls", .id))
            .field("label", .string, .required)
            .field("sort_order", .int, .required)
            .field("votes", .int64, .required)
            .create()
        try await database.schema("poll_roll")
            .field("poll_id", .uuid, .required, .references("polls", .id))
            .field("voter_key", .string, .required)
            .field("account_id", .uuid, .required, .references(Account.schema, .id))
            .field("option_id", .uuid, .references("poll_options", .id))
            .field("cast_at", .datetime, .required)
            .compositeIdentifier(over: "poll_id", "voter_key")
            .create()

        let sql = database.sql
        let indexes: [(String, String, [String])] = [
            ("owner_accounts_owner", "owner_accounts", ["owner_id"]),
            ("owners_ballots_grid", "owners_ballots", ["grid_node_id"]),
            ("owners_ballots_compound", "owners_ballots", ["compound_id"]),
            ("ballot_elector_owners_owner", "ballot_elector_owners", ["owner_id", "ballot_id"]),
            ("ballot_elector_dwellings_elector", "ballot_elector_dwellings", ["elector_id"]),
            ("owners_votes_elector", "owners_votes", ["elector_id"]),
            ("polls_grid", "polls", ["grid_node_id"]),
            ("poll_options_poll", "poll_options", ["poll_id"])
        ]
        for (name, table, columns) in indexes {
            var builder = sql.create(index: name).on(table)
            for column in columns { builder = builder.column(column) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in [
            "poll_roll", "poll_options", "polls", "owners_votes", "ballot_elector_owners", "ballot_elector_dwellings",
            "ballot_electors", "owners_ballots", "owner_accounts"
        ] {
            try await database.schema(table).delete()
        }
    }
}

/// The proof staff checked when binding a login account to an owner record (e.g. "房产证原件
/// 沪(2019)静字第001234号，本人到场"), kept with the binding and in its audit entry.
struct AddOwnerAccountProof: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("owner_accounts").field("proof", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("owner_accounts").deleteField("proof").update()
    }
}

/// 议事 (issue 6): residents' topics, one support per account (primary key), moderated comments,
/// meetings with minutes and attendees, and the poll or ballot a topic was taken to (kept on the
/// topic, shown from both sides).
struct CreateTopicBoard: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("topics")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("status", .string, .required)
            .field("proposed_by", .uuid, .required, .references(Account.schema, .id))
            .field("proposer_name", .string, .required)
            .field("poll_id", .uuid, .references("polls", .id))
            .field("ballot_id", .uuid, .references("owners_ballots", .id))
            .field("outcome", .string)
            .field("decided_at", .datetime)
            .field("decided_by", .string)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("topic_supports")
            .field("topic_id", .uuid, .required, .references("topics", .id))
            .field("account_id", .uuid, .required, .references(Account.schema, .id))
            .field("created_at", .datetime, .required)
            .compositeIdentifier(over: "topic_id", "account_id")
            .create()
        try await database.schema("topic_comments")
            .id()
            .field("topic_id", .uuid, .required, .references("topics", .id))
            .field("account_id", .uuid, .required, .references(Account.schema, .id))
            .field("author_name", .string, .required)
            .field("body", .string, .required)
            .field("status", .string, .required)
            .field("reason", .string)
            .field("moderated_by", .string)
            .field("moderated_at", .datetime)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("topic_meetings")
            .id()
            .field("topic_id", .uuid, .required, .references("topics", .id))
            .field("kind", .string, .required)
            .field("held_on", .string, .required)
            .field("place", .string, .required)
            .field("attendees", .string, .required)
            .field("minutes", .string, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        let sql = database.sql
        for (name, table, columns) in [
            ("topics_grid", "topics", ["grid_node_id", "created_at"]), ("topics_poll", "topics", ["poll_id"]),
            ("topics_ballot", "topics", ["ballot_id"]), ("topic_comments_topic", "topic_comments", ["topic_id", "created_at"]),
            ("topic_meetings_topic", "topic_meetings", ["topic_id"])
        ] {
            var builder = sql.create(index: name).on(table)
            for column in columns { builder = builder.column(column) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in ["topic_meetings", "topic_comments", "topic_supports", "topics"] { try await database.schema(table).delete() }
    }
}

/// The rule set and the tally a ballot stores (`rule_json`, `tally_json`) take the API's
/// snake_case keys: the same types are written to both, so the stored text is renamed key by
/// key (a key is always followed by `:` in JSONEncoder's output; values are left alone).
struct SnakeCaseStoredTallies: AsyncMigration {
    static let renames: [(String, String)] = [
        ("nameZH", "name_zh"), ("nameEN", "name_en"), ("basisZH", "basis_zh"), ("basisEN", "basis_en"),
        ("quorumArea", "quorum_area"), ("quorumHeads", "quorum_heads"), ("approvalArea", "approval_area"),
        ("approvalHeads", "approval_heads"), ("approvalBase", "approval_base"), ("areaCM2", "area_cm2"),
        ("ruleZH", "rule_zh"), ("ruleEN", "rule_en"), ("ruleSet", "rule_set")
    ]

    func prepare(on database: any Database) async throws {
        try await rename(Self.renames, on: database)
    }

    func revert(on database: any Database) async throws {
        try await rename(Self.renames.map { ($0.1, $0.0) }, on: database)
    }

    private func rename(_ pairs: [(String, String)], on database: any Database) async throws {
        for (old, new) in pairs {
            let from = "\"\(old)\":", to = "\"\(new)\":"
            try await database.sql.raw(
                """
                UPDATE owners_ballots SET rule_json = REPLACE(rule_json, \(bind: from), \(bind: to)),
                    tally_json = REPLACE(tally_json, \(bind: from), \(bind: to))
                """
            ).run()
        }
    }
}
