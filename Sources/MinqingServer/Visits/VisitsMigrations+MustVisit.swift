import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// 十必访 kept as rows: `must_visit_households` holds one row per category × household that has a
/// current member (neither moved out nor dead) holding one of the category's tags, ended or
/// not, so that no row depends on the day:
/// - `open_since`: the earliest start among the open-ended assignments (NULL when none);
/// - `finite_until`: the latest end among the assignments with an end (NULL when none);
/// - `last_met_on`: the household's newest visit that met it (`VisitOutcome.met`), any kind;
/// - `subdistrict_id` and `grid_node_id`: where the household is, for the caller's scope.
///
/// A row whose `finite_until` is after today is read live from the assignments
/// (`MustVisitQueries`); every other row says by itself whether the household is in the category
/// today (`open_since` set) and since when. `must_visit_tags` lists each category's tag codes (a
/// category is one tag or an OR of tags, `MustVisitCategory.tagCodes`): by code, so a tag that
/// joins the catalogue later under one of them counts without a rebuild (catalogue codes are
/// never renamed).
///
/// Triggers keep the rows in the writing statement, whoever writes: assignments added, ended or
/// removed; a person moving household, moving out or dying; a household moving; a visit recorded,
/// corrected or removed. On PostgreSQL they are statement-level over transition tables, as the
/// dashboard's rollups are. A bulk load turns them off and rebuilds (`RegisterRollups.loading`).
struct CreateMustVisitHouseholds: AsyncMigration {
    /// The subdistrict above grid node `node` (an SQL expression).
    static func subdistrict(of node: String) -> String {
        """
        (SELECT gc.ancestor_id FROM grid_closure gc JOIN grid_nodes g ON g.id = gc.ancestor_id
         WHERE gc.descendant_id = \(node) AND g.level = '\(GridLevel.subdistrict.rawValue)')
        """
    }

    /// The newest met visit of household `household` (an SQL expression).
    static func lastMet(_ household: String) -> String {
        "(SELECT MAX(vh.local_date) FROM visit_households vh WHERE vh.household_id = \(household) AND vh.outcome = 'met')"
    }

    /// Recomputes the rows of the households that `households` (a sub-select of ids) names.
    static func refresh(_ households: String) -> [String] {
        [
            "DELETE FROM must_visit_households WHERE household_id IN (\(households))",
            fill(where: "p.household_id IN (\(households))")
        ]
    }

    /// Writes the rows of the persons `condition` selects (alias `p`) into the table.
    static func fill(where condition: String) -> String {
        """
        INSERT INTO must_visit_households (category_code, household_id, subdistrict_id, grid_node_id, open_since, finite_until, last_met_on)
        SELECT t.category_code, p.household_id, \(subdistrict(of: "h.grid_node_id")), h.grid_node_id,
               MIN(CASE WHEN a.ends_on IS NULL THEN a.starts_on END), MAX(a.ends_on), \(lastMet("p.household_id"))
        FROM persons p JOIN households h ON h.id = p.household_id JOIN tag_assignments a ON a.person_id = p.id
        JOIN tags tg ON tg.id = a.tag_id JOIN must_visit_tags t ON t.tag_code = tg.code
        WHERE \(condition) AND p.moved_out_on IS NULL AND p.died_on IS NULL
        GROUP BY t.category_code, p.household_id, h.grid_node_id
        """
    }

    /// Sets `last_met_on` of the households `households` (a sub-select of ids).
    static func visited(_ households: String) -> String {
        "UPDATE must_visit_households SET last_met_on = \(lastMet("must_visit_households.household_id")) WHERE household_id IN (\(households))"
    }

    /// Moves the rows of the households `households` (a sub-select of ids) to their node.
    static func moved(_ households: String) -> String {
        """
        UPDATE must_visit_households SET
          grid_node_id = (SELECT h.grid_node_id FROM households h WHERE h.id = must_visit_households.household_id),
          subdistrict_id = \(subdistrict(of: "(SELECT h.grid_node_id FROM households h WHERE h.id = must_visit_households.household_id)"))
        WHERE household_id IN (\(households))
        """
    }

    /// What the triggers on one table do.
    struct Watch: Sendable {
        var table: String
        /// The columns whose change matters to the rows.
        var columns: [String]
        /// The column naming the household (or, through `persons`, the person) a row touches.
        var key: String
        var throughPersons = false
        /// The primary key, to pair old and new rows of an UPDATE on PostgreSQL (nil: no pairing,
        /// every updated row counts).
        var id: String?
        /// On SQLite, whether a row (`OLD`, `NEW`) can matter at all (nil: every row).
        var matters: (@Sendable (String) -> String)? = nil
        var statements: @Sendable (String) -> [String]

        /// The households the rows of `rows` (a FROM item aliased `r`) touch, as a sub-select.
        func households(_ rows: String) -> String {
            throughPersons
                ? "SELECT x.household_id FROM \(rows) JOIN persons x ON x.id = r.\(key)" : "SELECT r.\(key) FROM \(rows)"
        }

        /// The same for one row of a SQLite row trigger (`OLD` or `NEW`).
        func households(row: String) -> String { households("(SELECT \(row).\(key) AS \(key)) r") }
    }

    static let watches: [Watch] = [
        Watch(
            table: "tag_assignments", columns: ["person_id", "tag_id", "starts_on", "ends_on"], key: "person_id", throughPersons: true,
            id: "id", matters: { "EXISTS (SELECT 1 FROM tags t JOIN must_visit_tags mt ON mt.tag_code = t.code WHERE t.id = \($0).tag_id)" },
            statements: refresh),
        Watch(table: "persons", columns: ["household_id", "moved_out_on", "died_on"], key: "household_id", id: "id", statements: refresh),
        Watch(table: "households", columns: ["grid_node_id"], key: "id", id: "id", statements: { [moved($0)] }),
        Watch(table: "visit_households", columns: ["household_id", "outcome", "local_date"], key: "household_id", statements: { [visited($0)] })
    ]

    /// PostgreSQL's trigger functions (one per table, statement-level).
    static func functions(postgres: Bool) -> [String] {
        guard postgres else { return [] }
        return watches.map { w in
            // An UPDATE trigger with transition tables cannot name columns: the old and new rows
            // are paired by id and only those whose watched columns changed count.
            let updated: String
            if let id = w.id {
                let changed = w.columns.map { "o.\($0) IS DISTINCT FROM n.\($0)" }.joined(separator: " OR ")
                updated = """
                    \(w.households("(SELECT o.* FROM old_rows o JOIN new_rows n ON o.\(id) = n.\(id) WHERE \(changed)) r")) \
                    UNION \(w.households("(SELECT n.* FROM old_rows o JOIN new_rows n ON o.\(id) = n.\(id) WHERE \(changed)) r"))
                    """
            } else {
                updated = "\(w.households("old_rows r")) UNION \(w.households("new_rows r"))"
            }
            func body(_ set: String) -> String { w.statements(set).map { "\($0);" }.joined(separator: "\n") }
            return CreateCaseRollups.statementFunction(
                "must_visit_\(w.table)_track", insert: body(w.households("new_rows r")), delete: body(w.households("old_rows r")),
                update: body(updated))
        }
    }

    static func triggers(postgres: Bool) -> (create: [String], drop: [String]) {
        if postgres {
            return (
                watches.flatMap {
                    CreateCaseRollups.statementTriggers(table: $0.table, function: "must_visit_\($0.table)_track", name: "must_visit_\($0.table)")
                },
                watches.flatMap { w in ["insert", "update", "delete"].map { "DROP TRIGGER IF EXISTS must_visit_\(w.table)_\($0) ON \(w.table)" } }
            )
        }
        var create: [String] = []
        for w in watches {
            let changed = w.columns.map { "OLD.\($0) IS NOT NEW.\($0)" }.joined(separator: " OR ")
            func body(_ set: String) -> String { w.statements(set).map { "\($0);" }.joined(separator: " ") }
            func when(_ rows: [String]) -> String {
                guard let matters = w.matters else { return "" }
                return "WHEN " + rows.map(matters).joined(separator: " OR ") + " "
            }
            let update = w.matters.map { "(\(changed)) AND (\($0("OLD")) OR \($0("NEW")))" } ?? changed
            create += [
                "CREATE TRIGGER must_visit_\(w.table)_insert AFTER INSERT ON \(w.table) \(when(["NEW"]))BEGIN \(body(w.households(row: "NEW"))) END",
                "CREATE TRIGGER must_visit_\(w.table)_delete AFTER DELETE ON \(w.table) \(when(["OLD"]))BEGIN \(body(w.households(row: "OLD"))) END",
                """
                CREATE TRIGGER must_visit_\(w.table)_update AFTER UPDATE ON \(w.table) WHEN \(update) BEGIN \
                \(body("\(w.households(row: "OLD")) UNION \(w.households(row: "NEW"))")) END
                """
            ]
        }
        return (create, watches.flatMap { w in ["insert", "delete", "update"].map { "DROP TRIGGER IF EXISTS must_visit_\(w.table)_\($0)" } })
    }

    func prepare(on database: any Database) async throws {
        try await database.schema("must_visit_tags")
            .field("category_code", .string, .required)
            .field("tag_code", .string, .required)
            .compositeIdentifier(over: "tag_code", "category_code")
            .create()
        // Derived rows, rebuilt at will: no foreign keys, so that a household's or a person's
        // removal never waits on them (the triggers remove the rows).
        try await database.schema("must_visit_households")
            .field("category_code", .string, .required)
            .field("household_id", .uuid, .required)
            .field("subdistrict_id", .uuid)
            .field("grid_node_id", .uuid, .required)
            .field("open_since", .string)
            .field("finite_until", .string)
            .field("last_met_on", .string)
            .compositeIdentifier(over: "category_code", "household_id")
            .create()
        let sql = database.sql
        for (name, columns) in [
            ("must_visit_households_subdistrict", ["subdistrict_id", "category_code", "finite_until", "open_since", "last_met_on"]),
            ("must_visit_households_grid", ["grid_node_id", "category_code", "finite_until", "open_since", "last_met_on"]),
            ("must_visit_households_household", ["household_id"]),
            ("must_visit_households_finite", ["finite_until"])
        ] {
            var builder = sql.create(index: name).on("must_visit_households")
            for column in columns { builder = builder.column(column) }
            try await builder.run()
        }
        let postgres = sql.dialect.name == "postgresql"
        try await sql.run(statements: Self.functions(postgres: postgres) + Self.triggers(postgres: postgres).create)
        try await MustVisitQueries.rebuild(on: database)
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        let postgres = sql.dialect.name == "postgresql"
        try await sql.run(statements: Self.triggers(postgres: postgres).drop)
        if postgres {
            try await sql.run(statements: Self.watches.map { "DROP FUNCTION IF EXISTS must_visit_\($0.table)_track()" })
        }
        try await database.schema("must_visit_households").delete()
        try await database.schema("must_visit_tags").delete()
    }
}
