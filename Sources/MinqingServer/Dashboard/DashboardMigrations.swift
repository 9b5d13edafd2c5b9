import Fluent
import MinqingDomain
import SQLKit

/// 社区大脑's storage: `aid_rollups`, the register's aid summed per (grid node, programme, kind,
/// unit, month) for every ancestor of the record's node that is not a building group (a
/// building group's dashboard sums its own few hundred records), kept by every aid writer in
/// the same transaction (`AidRollupQueries.add`); and two indexes for the tag panel: current holders
/// per tag of a whole subdistrict (its tenant column) or of a list of grid nodes.
struct CreateDashboardRollups: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("aid_rollups")
            .field("node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("programme", .string, .required)
            .field("kind", .string, .required)
            /// '' for cash and services (a key column cannot be NULL and still conflict).
            .field("unit", .string, .required)
            /// `YYYY-MM` of `given_on`.
            .field("month", .string, .required)
            .field("amount_fen", .int64, .required)
            .field("quantity", .int64, .required)
            .field("minutes", .int64, .required)
            .field("records", .int64, .required)
            .compositeIdentifier(over: "node_id", "programme", "kind", "unit", "month")
            .create()
        let sql = database.sql
        try await sql.create(index: "tag_assignments_subdistrict_tag").on("tag_assignments")
            .column("subdistrict_id").column("tag_id").column("ends_on").run()
        try await sql.create(index: "tag_assignments_grid_tag").on("tag_assignments")
            .column("grid_node_id").column("tag_id").column("ends_on").run()
        // The backfill of the records already there, frozen here (not calling `AidRollup`), so a
        // later change to the writer cannot change what this migration does.
        try await sql.raw(
            """
            INSERT INTO aid_rollups (node_id, subdistrict_id, programme, kind, unit, month, amount_fen, quantity, minutes, records)
            SELECT c.ancestor_id, n.subdistrict_id, a.programme, a.kind, COALESCE(a.unit, ''), SUBSTR(a.given_on, 1, 7),
                   CAST(COALESCE(SUM(a.amount_fen), 0) AS BIGINT), CAST(COALESCE(SUM(a.quantity), 0) AS BIGINT),
                   CAST(COALESCE(SUM(a.minutes), 0) AS BIGINT), COUNT(*)
            FROM aid_records a JOIN grid_closure c ON c.descendant_id = a.grid_node_id JOIN grid_nodes n ON n.id = c.ancestor_id
            WHERE n.level <> 'building_group'
            GROUP BY c.ancestor_id, n.subdistrict_id, a.programme, a.kind, COALESCE(a.unit, ''), SUBSTR(a.given_on, 1, 7)
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        try await sql.drop(index: "tag_assignments_grid_tag").run()
        try await sql.drop(index: "tag_assignments_subdistrict_tag").run()
        try await database.schema("aid_rollups").delete()
    }
}

/// `case_rollups`: the cases counted per (grid node, reporting year, dimension, key, state,
/// filed, closed on time, verdict) for every ancestor of the case's node that is not a building
/// group, the dimensions being the department, the category and the channel. The dashboard's case
/// panels read a node's few hundred rows instead of the year's ~20,000 cases; only the counts
/// that move with the clock (overdue, past the deadline) are read from the cases still open.
///
/// Triggers on `cases` keep it (insert, delete, and every update of a counted column; per row on
/// SQLite, per statement over its transition tables on PostgreSQL), in the
/// same statement as the write, on both databases: every writer of cases — the workflow,
/// Open311, imports, the demo — keeps it exact without knowing it exists. An update applies the
/// old row's −1 and the new row's +1 as one statement in key order, so two transactions on
/// PostgreSQL take the rollup rows' locks in the same order.
struct CreateCaseRollups: AsyncMigration {
    /// The columns of a case that the rollup key reads: a change to any other column leaves it.
    static let counted = [
        "state", "department_id", "category_code", "channel", "grid_node_id", "reported_on", "filed_at", "handled_at", "due_at", "verdict"
    ]
    static let key = "node_id, year, dim, key, state, filed, on_time, verdict"

    /// A case `r`'s three rollup rows (before the ancestors), each carrying `delta`; `from` names
    /// the table `r` is read from (nothing for a trigger's OLD and NEW).
    static func rows(_ r: String, delta: Int, from: String = "") -> String {
        let dims = [
            ("department", "COALESCE(CAST(\(r).department_id AS TEXT), '-')"), ("category", "\(r).category_code"), ("channel", "\(r).channel")
        ]
        return dims.map { dim, key in
            """
            SELECT \(r).grid_node_id AS node, CAST(SUBSTR(\(r).reported_on, 1, 4) AS INTEGER) AS year, '\(dim)' AS dim, \(key) AS key,
                   \(r).state AS state, CASE WHEN \(r).filed_at IS NOT NULL THEN 1 ELSE 0 END AS filed,
                   CASE WHEN \(r).state IN ('closed', 'evaluated') AND \(r).handled_at <= \(r).due_at THEN 1 ELSE 0 END AS on_time,
                   COALESCE(\(r).verdict, '') AS verdict, \(delta) AS delta\(from)
            """
        }.joined(separator: " UNION ALL ")
    }

    /// PostgreSQL's statement-level trigger function `name`: `insert`, `delete` or `update`
    /// (statements, each ending with `;`) by the statement's kind, over its transition tables.
    static func statementFunction(_ name: String, insert: String, delete: String, update: String) -> String {
        """
        CREATE FUNCTION \(name)() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN \(insert)
          ELSIF TG_OP = 'DELETE' THEN \(delete)
          ELSE \(update)
          END IF;
          RETURN NULL;
        END $$
        """
    }

    /// PostgreSQL's three statement-level triggers on `table` calling `function` with the
    /// statement's rows as `new_rows` / `old_rows`.
    static func statementTriggers(table: String, function: String, name: String) -> [String] {
        [("insert", "NEW TABLE AS new_rows"), ("update", "OLD TABLE AS old_rows NEW TABLE AS new_rows"), ("delete", "OLD TABLE AS old_rows")].map {
            event, referencing in
            "CREATE TRIGGER \(name)_\(event) AFTER \(event.uppercased()) ON \(table) REFERENCING \(referencing) FOR EACH STATEMENT EXECUTE FUNCTION \(function)()"
        }
    }

    /// Adds `rows` (a union of `rows(_:delta:)`) to every ancestor's rollup rows.
    static func apply(_ rows: String, postgres: Bool) -> String {
        """
        INSERT INTO case_rollups (\(key), n)
        SELECT gc.ancestor_id, x.year, x.dim, x.key, x.state, x.filed, x.on_time, x.verdict, SUM(x.delta)
        FROM (\(rows)) x JOIN grid_closure gc ON gc.descendant_id = x.node JOIN grid_nodes g ON g.id = gc.ancestor_id
        WHERE g.level <> 'building_group'
        GROUP BY gc.ancestor_id, x.year, x.dim, x.key, x.state, x.filed, x.on_time, x.verdict
        HAVING SUM(x.delta) <> 0
        ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
        ON CONFLICT (\(key)) DO UPDATE SET n = \(postgres ? "case_rollups.n + EXCLUDED.n" : "n + excluded.n")
        """
    }

    func prepare(on database: any Database) async throws {
        try await database.schema("case_rollups")
            .field("node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("year", .int, .required)
            /// department, category or channel.
            .field("dim", .string, .required)
            /// The department's id ('-' for none), the category's code or the channel.
            .field("key", .string, .required)
            .field("state", .string, .required)
            /// 1 when the case was filed (立案).
            .field("filed", .int, .required)
            /// 1 when closed or evaluated with `handled_at <= due_at`.
            .field("on_time", .int, .required)
            /// '' when not rated.
            .field("verdict", .string, .required)
            .field("n", .int64, .required)
            .compositeIdentifier(over: "node_id", "year", "dim", "key", "state", "filed", "on_time", "verdict")
            .create()
        let sql = database.sql
        let postgres = sql.dialect.name == "postgresql"
        // The cases still open past a deadline, read live by the panels (see `DashboardQueries.caseClock`).
        try await sql.raw("CREATE INDEX cases_unclosed_due ON cases (due_at) WHERE state NOT IN ('closed', 'evaluated')").run()
        if postgres {
            // Statement-level, over the statement's transition tables: a bulk insert adds to each
            // rollup row once, where row by row PostgreSQL would chain one new version of the
            // subdistrict's rows per case inside the transaction (quadratic in a large load).
            let inserted = Self.rows("r", delta: 1, from: " FROM new_rows r"), deleted = Self.rows("r", delta: -1, from: " FROM old_rows r")
            let function = Self.statementFunction(
                "case_rollups_track", insert: Self.apply(inserted, postgres: true) + ";", delete: Self.apply(deleted, postgres: true) + ";",
                update: Self.apply(deleted + " UNION ALL " + inserted, postgres: true) + ";")
            try await sql.raw("\(unsafeRaw: function)").run()
            for statement in Self.statementTriggers(table: "cases", function: "case_rollups_track", name: "case_rollups") {
                try await sql.raw("\(unsafeRaw: statement)").run()
            }
        } else {
            let changed = Self.counted.map { "OLD.\($0) IS NOT NEW.\($0)" }.joined(separator: " OR ")
            try await sql.raw(
                "CREATE TRIGGER case_rollups_insert AFTER INSERT ON cases BEGIN \(unsafeRaw: Self.apply(Self.rows("NEW", delta: 1), postgres: false)); END"
            )
            .run()
            try await sql.raw(
                "CREATE TRIGGER case_rollups_delete AFTER DELETE ON cases BEGIN \(unsafeRaw: Self.apply(Self.rows("OLD", delta: -1), postgres: false)); END"
            )
            .run()
            try await sql.raw(
                """
                CREATE TRIGGER case_rollups_update AFTER UPDATE ON cases WHEN \(unsafeRaw: changed)
                BEGIN \(unsafeRaw: Self.apply(Self.rows("OLD", delta: -1) + " UNION ALL " + Self.rows("NEW", delta: 1), postgres: false)); END
                """
            ).run()
        }
        // The cases already there.
        try await sql.raw("\(unsafeRaw: Self.apply(Self.rows("c", delta: 1, from: " FROM cases c"), postgres: postgres))").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        if sql.dialect.name == "postgresql" {
            for event in ["insert", "update", "delete"] {
                try await sql.raw("DROP TRIGGER IF EXISTS case_rollups_\(unsafeRaw: event) ON cases").run()
            }
            try await sql.raw("DROP FUNCTION IF EXISTS case_rollups_track()").run()
        } else {
            for name in ["case_rollups_insert", "case_rollups_delete", "case_rollups_update"] {
                try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: name)").run()
            }
        }
        try await sql.raw("DROP INDEX IF EXISTS cases_unclosed_due").run()
        try await database.schema("case_rollups").delete()
    }
}

/// `grid_counts`: the households and persons under each grid node (its whole subtree, the node's
/// own rows included), for the population and micro-grid panels, which counted the register's
/// ~90,000 persons under each cell on every read. Kept by triggers on `households` and `persons`
/// (insert, delete, a move to another grid node: the old ancestors −1 and the new +1 in one
/// statement, in node order), on both databases, so every writer of the register keeps it. The
/// demo's bulk load counts once instead (`RegisterRollups.loading`).
struct CreateGridCounts: AsyncMigration {
    static let tables = ["households", "persons"]

    /// The rows `r` of `table` adds to (or with `delta` −1 takes from) every ancestor's count:
    /// `changes` are (grid node expression, delta) of a trigger's OLD and NEW.
    static func apply(_ changes: [(String, Int)], column: String, postgres: Bool) -> String {
        applyRows(
            changes.map { node, delta in "SELECT \(node) AS node, \(delta) AS delta" }.joined(separator: " UNION ALL "), column: column,
            postgres: postgres)
    }

    /// `rows` (node, delta) added to every ancestor of each node.
    static func applyRows(_ rows: String, column: String, postgres: Bool) -> String {
        let other = column == "persons" ? "households" : "persons"
        return """
            INSERT INTO grid_counts (node_id, \(column), \(other))
            SELECT gc.ancestor_id, SUM(x.delta), 0 FROM (\(rows)) x JOIN grid_closure gc ON gc.descendant_id = x.node
            WHERE 1 = 1 GROUP BY gc.ancestor_id HAVING SUM(x.delta) <> 0 ORDER BY 1
            ON CONFLICT (node_id) DO UPDATE SET \(column) = \(postgres ? "grid_counts." : "")\(column) + \(postgres ? "EXCLUDED" : "excluded").\(column)
            """
    }

    /// PostgreSQL's trigger functions (created once, with the table), statement-level (see
    /// `CreateCaseRollups`: row by row a bulk load would be quadratic).
    static func functions(postgres: Bool) -> [String] {
        guard postgres else { return [] }
        return tables.map { table in
            let inserted = "SELECT r.grid_node_id AS node, 1 AS delta FROM new_rows r"
            let deleted = "SELECT r.grid_node_id AS node, -1 AS delta FROM old_rows r"
            return CreateCaseRollups.statementFunction(
                "\(table)_grid_counts", insert: applyRows(inserted, column: table, postgres: true) + ";",
                delete: applyRows(deleted, column: table, postgres: true) + ";",
                update: applyRows(deleted + " UNION ALL " + inserted, column: table, postgres: true) + ";")
        }
    }

    /// The statements that create the triggers, and those that drop them.
    static func triggers(postgres: Bool) -> (create: [String], drop: [String]) {
        var create: [String] = [], drop: [String] = []
        for table in tables {
            if postgres {
                create += CreateCaseRollups.statementTriggers(table: table, function: "\(table)_grid_counts", name: "\(table)_grid_counts")
                drop += ["insert", "update", "delete"].map { "DROP TRIGGER IF EXISTS \(table)_grid_counts_\($0) ON \(table)" }
            } else {
                let insert = apply([("NEW.grid_node_id", 1)], column: table, postgres: false)
                let delete = apply([("OLD.grid_node_id", -1)], column: table, postgres: false)
                let move = apply([("OLD.grid_node_id", -1), ("NEW.grid_node_id", 1)], column: table, postgres: false)
                create += [
                    "CREATE TRIGGER \(table)_grid_counts_insert AFTER INSERT ON \(table) BEGIN \(insert); END",
                    "CREATE TRIGGER \(table)_grid_counts_delete AFTER DELETE ON \(table) BEGIN \(delete); END",
                    """
                    CREATE TRIGGER \(table)_grid_counts_move AFTER UPDATE OF grid_node_id ON \(table)
                    WHEN OLD.grid_node_id IS NOT NEW.grid_node_id BEGIN \(move); END
                    """
                ]
                drop += ["insert", "delete", "move"].map { "DROP TRIGGER IF EXISTS \(table)_grid_counts_\($0)" }
            }
        }
        return (create, drop)
    }

    /// Counts the rows there are (into an empty table).
    static let backfill = """
        INSERT INTO grid_counts (node_id, households, persons)
        SELECT gc.ancestor_id, CAST(SUM(x.h) AS BIGINT), CAST(SUM(x.p) AS BIGINT)
        FROM (SELECT grid_node_id, 1 AS h, 0 AS p FROM households UNION ALL SELECT grid_node_id, 0, 1 FROM persons) x
        JOIN grid_closure gc ON gc.descendant_id = x.grid_node_id
        GROUP BY gc.ancestor_id
        """

    func prepare(on database: any Database) async throws {
        try await database.schema("grid_counts")
            .field("node_id", .uuid, .identifier(auto: false), .references(GridNode.schema, .id))
            .field("households", .int64, .required)
            .field("persons", .int64, .required)
            .create()
        let sql = database.sql
        let postgres = sql.dialect.name == "postgresql"
        try await sql.run(statements: Self.functions(postgres: postgres) + Self.triggers(postgres: postgres).create + [Self.backfill])
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        let postgres = sql.dialect.name == "postgresql"
        try await sql.run(statements: Self.triggers(postgres: postgres).drop)
        if postgres {
            for table in Self.tables { try await sql.raw("DROP FUNCTION IF EXISTS \(unsafeRaw: table)_grid_counts()").run() }
        }
        try await database.schema("grid_counts").delete()
    }
}

/// `tag_counts`: the open-ended tag assignments (`ends_on IS NULL`) per tag under each grid node
/// from the micro-grid up to the subdistrict (`levels`), for the tag panel, which grouped a
/// subdistrict's ~170,000 assignments on every read. An assignment with an end date still ahead
/// is counted live (`DashboardQueries.tags`, index `tag_assignments_ending`): the clock, not a
/// write, ends it. Kept by triggers on `tag_assignments` on both databases (an insert, a delete,
/// and a change of its end, tag or grid node: the old row's −1 and the new row's +1 in one
/// statement, in key order); the demo's bulk load counts once instead (`RegisterRollups.loading`).
struct CreateTagCounts: AsyncMigration {
    /// The levels that keep rows; a building group's panel, or a district's, counts live.
    static let levels: [GridLevel] = [.subdistrict, .block, .residentialArea, .microGrid]
    static let counted = ["ends_on", "tag_id", "grid_node_id"]

    /// `changes` are (OLD or NEW, delta) of a row trigger.
    static func apply(_ changes: [(String, Int)], postgres: Bool) -> String {
        applyRows(
            changes.map { r, delta in "SELECT \(r).grid_node_id AS node, \(r).tag_id AS tag, \(r).ends_on AS ends_on, \(delta) AS delta" }
                .joined(separator: " UNION ALL "), postgres: postgres)
    }

    /// `rows` (node, tag, ends_on, delta): the open-ended ones added to every ancestor at `levels`.
    static func applyRows(_ rows: String, postgres: Bool) -> String {
        let levels = Self.levels.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return """
            INSERT INTO tag_counts (node_id, tag_id, n)
            SELECT gc.ancestor_id, x.tag, SUM(x.delta) FROM (\(rows)) x
            JOIN grid_closure gc ON gc.descendant_id = x.node JOIN grid_nodes g ON g.id = gc.ancestor_id
            WHERE x.ends_on IS NULL AND g.level IN (\(levels))
            GROUP BY gc.ancestor_id, x.tag HAVING SUM(x.delta) <> 0 ORDER BY 1, 2
            ON CONFLICT (node_id, tag_id) DO UPDATE SET n = \(postgres ? "tag_counts.n + EXCLUDED.n" : "n + excluded.n")
            """
    }

    /// PostgreSQL's trigger function, statement-level (see `CreateCaseRollups`).
    static func functions(postgres: Bool) -> [String] {
        guard postgres else { return [] }
        let inserted = "SELECT r.grid_node_id AS node, r.tag_id AS tag, r.ends_on AS ends_on, 1 AS delta FROM new_rows r"
        let deleted = "SELECT r.grid_node_id AS node, r.tag_id AS tag, r.ends_on AS ends_on, -1 AS delta FROM old_rows r"
        return [
            CreateCaseRollups.statementFunction(
                "tag_counts_track", insert: applyRows(inserted, postgres: true) + ";", delete: applyRows(deleted, postgres: true) + ";",
                update: applyRows(deleted + " UNION ALL " + inserted, postgres: true) + ";")
        ]
    }

    static func triggers(postgres: Bool) -> (create: [String], drop: [String]) {
        if postgres {
            return (
                CreateCaseRollups.statementTriggers(table: "tag_assignments", function: "tag_counts_track", name: "tag_counts"),
                ["insert", "update", "delete"].map { "DROP TRIGGER IF EXISTS tag_counts_\($0) ON tag_assignments" }
            )
        }
        let changed = counted.map { "OLD.\($0) IS NOT NEW.\($0)" }.joined(separator: " OR ")
        return (
            [
                "CREATE TRIGGER tag_counts_insert AFTER INSERT ON tag_assignments BEGIN \(apply([("NEW", 1)], postgres: false)); END",
                "CREATE TRIGGER tag_counts_delete AFTER DELETE ON tag_assignments BEGIN \(apply([("OLD", -1)], postgres: false)); END",
                "CREATE TRIGGER tag_counts_change AFTER UPDATE ON tag_assignments WHEN \(changed) BEGIN \(apply([("OLD", -1), ("NEW", 1)], postgres: false)); END"
            ],
            ["insert", "delete", "change"].map { "DROP TRIGGER IF EXISTS tag_counts_\($0)" }
        )
    }

    /// Counts the assignments there are (into an empty table).
    static var backfill: String {
        """
        INSERT INTO tag_counts (node_id, tag_id, n)
        SELECT gc.ancestor_id, a.tag_id, COUNT(*) FROM tag_assignments a
        JOIN grid_closure gc ON gc.descendant_id = a.grid_node_id JOIN grid_nodes g ON g.id = gc.ancestor_id
        WHERE a.ends_on IS NULL AND g.level IN (\(levels.map { "'\($0.rawValue)'" }.joined(separator: ", ")))
        GROUP BY gc.ancestor_id, a.tag_id
        """
    }

    func prepare(on database: any Database) async throws {
        try await database.schema("tag_counts")
            .field("node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("tag_id", .uuid, .required, .references("tags", .id))
            .field("n", .int64, .required)
            .compositeIdentifier(over: "node_id", "tag_id")
            .create()
        let sql = database.sql
        let postgres = sql.dialect.name == "postgresql"
        try await sql.create(index: "tag_assignments_ending").on("tag_assignments").column("ends_on").run()
        try await sql.run(statements: Self.functions(postgres: postgres) + Self.triggers(postgres: postgres).create + [Self.backfill])
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        let postgres = sql.dialect.name == "postgresql"
        try await sql.run(statements: Self.triggers(postgres: postgres).drop)
        if postgres { try await sql.raw("DROP FUNCTION IF EXISTS tag_counts_track()").run() }
        try await sql.drop(index: "tag_assignments_ending").run()
        try await database.schema("tag_counts").delete()
    }
}

/// A person's household, grid node and departure read by id from the index alone. Reports join
/// many persons by id for their household (the party panel's member households, every 十必访
/// category's households): through the table each of ~5,000 ids read a page of its own, ~45 MB of
/// persons at scale 1 and beyond SQLite's page cache.
struct AddPersonHouseholdIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.sql.create(index: "persons_household_cover").on("persons")
            .column("id").column("household_id").column("grid_node_id").column("moved_out_on").column("died_on").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(index: "persons_household_cover").run()
    }
}

extension SQLDatabase {
    /// Runs each of the rollup migrations' statements (SQL text built from constants) in turn.
    func run(statements: [String]) async throws {
        for statement in statements { try await raw("\(unsafeRaw: statement)").run() }
    }
}
