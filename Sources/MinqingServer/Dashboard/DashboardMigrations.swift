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
/// Triggers on `cases` keep it (insert, delete, and every update of a counted column), in the
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
            let changed = Self.counted.map { "OLD.\($0) IS DISTINCT FROM NEW.\($0)" }.joined(separator: " OR ")
            try await sql.raw(
                """
                CREATE FUNCTION case_rollups_track() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP = 'INSERT' THEN
                    \(unsafeRaw: Self.apply(Self.rows("NEW", delta: 1), postgres: true));
                  ELSIF TG_OP = 'DELETE' THEN
                    \(unsafeRaw: Self.apply(Self.rows("OLD", delta: -1), postgres: true));
                  ELSIF \(unsafeRaw: changed) THEN
                    \(unsafeRaw: Self.apply(Self.rows("OLD", delta: -1) + " UNION ALL " + Self.rows("NEW", delta: 1), postgres: true));
                  END IF;
                  RETURN NULL;
                END $$
                """
            ).run()
            try await sql.raw(
                "CREATE TRIGGER case_rollups_track AFTER INSERT OR UPDATE OR DELETE ON cases FOR EACH ROW EXECUTE FUNCTION case_rollups_track()"
            ).run()
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
            try await sql.raw("DROP TRIGGER IF EXISTS case_rollups_track ON cases").run()
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
/// statement, in node order), on both databases, so every writer of the register keeps it.
struct CreateGridCounts: AsyncMigration {
    /// The rows `r` of `table` adds to (or with `delta` −1 takes from) every ancestor's count.
    static func apply(_ changes: [(String, Int)], column: String, postgres: Bool) -> String {
        let union = changes.map { node, delta in
            "SELECT gc.ancestor_id AS node, \(delta) AS delta FROM grid_closure gc WHERE gc.descendant_id = \(node)"
        }.joined(separator: " UNION ALL ")
        let other = column == "persons" ? "households" : "persons"
        return """
            INSERT INTO grid_counts (node_id, \(column), \(other))
            SELECT x.node, SUM(x.delta), 0 FROM (\(union)) x WHERE 1 = 1 GROUP BY x.node HAVING SUM(x.delta) <> 0 ORDER BY 1
            ON CONFLICT (node_id) DO UPDATE SET \(column) = \(postgres ? "grid_counts." : "")\(column) + \(postgres ? "EXCLUDED" : "excluded").\(column)
            """
    }

    func prepare(on database: any Database) async throws {
        try await database.schema("grid_counts")
            .field("node_id", .uuid, .identifier(auto: false), .references(GridNode.schema, .id))
            .field("households", .int64, .required)
            .field("persons", .int64, .required)
            .create()
        let sql = database.sql
        let postgres = sql.dialect.name == "postgresql"
        for (table, column) in [("households", "households"), ("persons", "persons")] {
            let insert = Self.apply([("NEW.grid_node_id", 1)], column: column, postgres: postgres)
            let delete = Self.apply([("OLD.grid_node_id", -1)], column: column, postgres: postgres)
            let move = Self.apply([("OLD.grid_node_id", -1), ("NEW.grid_node_id", 1)], column: column, postgres: postgres)
            if postgres {
                try await sql.raw(
                    """
                    CREATE FUNCTION \(unsafeRaw: table)_grid_counts() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                      IF TG_OP = 'INSERT' THEN \(unsafeRaw: insert);
                      ELSIF TG_OP = 'DELETE' THEN \(unsafeRaw: delete);
                      ELSIF OLD.grid_node_id IS DISTINCT FROM NEW.grid_node_id THEN \(unsafeRaw: move);
                      END IF;
                      RETURN NULL;
                    END $$
                    """
                ).run()
                try await sql.raw(
                    """
                    CREATE TRIGGER \(unsafeRaw: table)_grid_counts AFTER INSERT OR UPDATE OR DELETE ON \(unsafeRaw: table)
                    FOR EACH ROW EXECUTE FUNCTION \(unsafeRaw: table)_grid_counts()
                    """
                ).run()
            } else {
                try await sql.raw(
                    "CREATE TRIGGER \(unsafeRaw: table)_grid_counts_insert AFTER INSERT ON \(unsafeRaw: table) BEGIN \(unsafeRaw: insert); END"
                )
                .run()
                try await sql.raw(
                    "CREATE TRIGGER \(unsafeRaw: table)_grid_counts_delete AFTER DELETE ON \(unsafeRaw: table) BEGIN \(unsafeRaw: delete); END"
                )
                .run()
                try await sql.raw(
                    """
                    CREATE TRIGGER \(unsafeRaw: table)_grid_counts_move AFTER UPDATE OF grid_node_id ON \(unsafeRaw: table)
                    WHEN OLD.grid_node_id IS NOT NEW.grid_node_id BEGIN \(unsafeRaw: move); END
                    """
                ).run()
            }
        }
        // The rows already there.
        try await sql.raw(
            """
            INSERT INTO grid_counts (node_id, households, persons)
            SELECT gc.ancestor_id, CAST(SUM(x.h) AS BIGINT), CAST(SUM(x.p) AS BIGINT)
            FROM (SELECT grid_node_id, 1 AS h, 0 AS p FROM households UNION ALL SELECT grid_node_id, 0, 1 FROM persons) x
            JOIN grid_closure gc ON gc.descendant_id = x.grid_node_id
            GROUP BY gc.ancestor_id
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        for table in ["households", "persons"] {
            if sql.dialect.name == "postgresql" {
                try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: table)_grid_counts ON \(unsafeRaw: table)").run()
                try await sql.raw("DROP FUNCTION IF EXISTS \(unsafeRaw: table)_grid_counts()").run()
            } else {
                for suffix in ["insert", "delete", "move"] {
                    try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: table)_grid_counts_\(unsafeRaw: suffix)").run()
                }
            }
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
/// statement, in key order).
struct CreateTagCounts: AsyncMigration {
    /// The levels that keep rows; a building group's panel, or a district's, counts live.
    static let levels: [GridLevel] = [.subdistrict, .block, .residentialArea, .microGrid]

    static func apply(_ changes: [(String, Int)], postgres: Bool) -> String {
        let levels = Self.levels.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        let union = changes.map { r, delta in
            """
            SELECT gc.ancestor_id AS node, \(r).tag_id AS tag, \(delta) AS delta FROM grid_closure gc JOIN grid_nodes g ON g.id = gc.ancestor_id
            WHERE gc.descendant_id = \(r).grid_node_id AND \(r).ends_on IS NULL AND g.level IN (\(levels))
            """
        }.joined(separator: " UNION ALL ")
        return """
            INSERT INTO tag_counts (node_id, tag_id, n)
            SELECT x.node, x.tag, SUM(x.delta) FROM (\(union)) x WHERE 1 = 1 GROUP BY x.node, x.tag HAVING SUM(x.delta) <> 0 ORDER BY 1, 2
            ON CONFLICT (node_id, tag_id) DO UPDATE SET n = \(postgres ? "tag_counts.n + EXCLUDED.n" : "n + excluded.n")
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
        let insert = Self.apply([("NEW", 1)], postgres: postgres)
        let delete = Self.apply([("OLD", -1)], postgres: postgres)
        let change = Self.apply([("OLD", -1), ("NEW", 1)], postgres: postgres)
        if postgres {
            let changed = ["ends_on", "tag_id", "grid_node_id"].map { "OLD.\($0) IS DISTINCT FROM NEW.\($0)" }.joined(separator: " OR ")
            try await sql.raw(
                """
                CREATE FUNCTION tag_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP = 'INSERT' THEN \(unsafeRaw: insert);
                  ELSIF TG_OP = 'DELETE' THEN \(unsafeRaw: delete);
                  ELSIF \(unsafeRaw: changed) THEN \(unsafeRaw: change);
                  END IF;
                  RETURN NULL;
                END $$
                """
            ).run()
            try await sql.raw(
                "CREATE TRIGGER tag_counts_track AFTER INSERT OR UPDATE OR DELETE ON tag_assignments FOR EACH ROW EXECUTE FUNCTION tag_counts_track()"
            ).run()
        } else {
            let changed = ["ends_on", "tag_id", "grid_node_id"].map { "OLD.\($0) IS NOT NEW.\($0)" }.joined(separator: " OR ")
            try await sql.raw("CREATE TRIGGER tag_counts_insert AFTER INSERT ON tag_assignments BEGIN \(unsafeRaw: insert); END").run()
            try await sql.raw("CREATE TRIGGER tag_counts_delete AFTER DELETE ON tag_assignments BEGIN \(unsafeRaw: delete); END").run()
            try await sql.raw(
                "CREATE TRIGGER tag_counts_change AFTER UPDATE ON tag_assignments WHEN \(unsafeRaw: changed) BEGIN \(unsafeRaw: change); END"
            ).run()
        }
        // The assignments already there.
        let levels = Self.levels.map { SQLBind($0.rawValue) }
        try await sql.raw(
            """
            INSERT INTO tag_counts (node_id, tag_id, n)
            SELECT gc.ancestor_id, a.tag_id, COUNT(*) FROM tag_assignments a
            JOIN grid_closure gc ON gc.descendant_id = a.grid_node_id JOIN grid_nodes g ON g.id = gc.ancestor_id
            WHERE a.ends_on IS NULL AND g.level IN (\(SQLList(levels)))
            GROUP BY gc.ancestor_id, a.tag_id
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        if sql.dialect.name == "postgresql" {
            try await sql.raw("DROP TRIGGER IF EXISTS tag_counts_track ON tag_assignments").run()
            try await sql.raw("DROP FUNCTION IF EXISTS tag_counts_track()").run()
        } else {
            for name in ["tag_counts_insert", "tag_counts_delete", "tag_counts_change"] {
                try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: name)").run()
            }
        }
        try await sql.drop(index: "tag_assignments_ending").run()
        try await database.schema("tag_counts").delete()
    }
}
