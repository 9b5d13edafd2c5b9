import Fluent
import SQLKit

extension Database {
    /// The SQL view of this database (both drivers are SQL databases).
    package var sql: any SQLDatabase { self as! any SQLDatabase }

    /// `"sqlite"` or `"postgresql"`.
    package var dialectName: String { sql.dialect.name }

    /// Runs `body` in one write transaction: all of it commits or none of it does.
    ///
    /// On SQLite the transaction starts with `BEGIN IMMEDIATE`, taking the write lock up front, so
    /// two writers that read first can never deadlock on the lock upgrade. On PostgreSQL it is an
    /// ordinary transaction. Must not be nested.
    @discardableResult
    package func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        if dialectName == "sqlite" {
            // SQLite has one writer at a time anyway; queueing writers here means none of them
            // spins on the lock (and in-memory shared-cache databases, which report a lock at
            // once instead of waiting, work under concurrency too).
            await SQLiteWriteGate.shared.acquire()
            do {
                let result = try await sqliteTransaction(body)
                await SQLiteWriteGate.shared.release()
                return result
            } catch {
                await SQLiteWriteGate.shared.release()
                throw error
            }
        }
        return try await transaction { try await body($0) }
    }

    private func sqliteTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        do {
            return try await withConnection { conn in
                let sql = conn as! any SQLDatabase
                try await sql.raw("BEGIN IMMEDIATE").run()
                do {
                    let result = try await body(conn)
                    try await sql.raw("COMMIT").run()
                    return result
                } catch {
                    try? await sql.raw("ROLLBACK").run()
                    throw error
                }
            }
        }
    }
}

/// Collects rows for one table and writes them as multi-row INSERTs of a bounded number of
/// bound values (SQLite allows 32,766 per statement, PostgreSQL 65,535). For bulk loads (demo,
/// import) inside a write transaction, instead of one statement per row.
package struct BulkInserter {
    package let table: String
    let columns: [String]
    private var rows: [[any SQLExpression]] = []
    private let rowsPerStatement: Int
    package private(set) var written = 0

    package init(table: String, columns: [String], maxBinds: Int = 30_000) {
        self.table = table
        self.columns = columns
        rowsPerStatement = max(1, maxBinds / max(1, columns.count))
        rows.reserveCapacity(rowsPerStatement)
    }

    /// Adds a row (values in column order: `SQLBind(value)` or `SQLLiteral.null`) and writes
    /// the batch when it is full. Only for tables whose rows reference nothing still buffered;
    /// otherwise `append` and flush parents before children.
    package mutating func add(_ row: [any SQLExpression], on db: any Database) async throws {
        rows.append(row)
        if rows.count >= rowsPerStatement { try await flush(on: db) }
    }

    /// Buffers a row without writing.
    package mutating func append(_ row: [any SQLExpression]) {
        rows.append(row)
    }

    /// Whether a full statement's worth of rows is waiting.
    package var isFull: Bool { rows.count >= rowsPerStatement }

    /// Writes everything buffered, in statements of at most `rowsPerStatement` rows.
    package mutating func flush(on db: any Database) async throws {
        guard !rows.isEmpty else { return }
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + rowsPerStatement)
            try await db.sql.insert(into: table).columns(columns).rows(Array(rows[start..<end])).run()
            start = end
        }
        written += rows.count
        rows.removeAll(keepingCapacity: true)
    }
}

/// A bound value, or SQL NULL for nil.
package func bindOrNull<T: Encodable & Sendable>(_ value: T?) -> any SQLExpression {
    value.map { SQLBind($0) } ?? SQLLiteral.null
}

/// Queues SQLite write transactions in this process (FIFO), so that at most one holds the
/// write lock at a time. Process-wide: it serves every SQLite database the process opens.
actor SQLiteWriteGate {
    static let shared = SQLiteWriteGate()
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}

extension SQLQueryString {
    /// A row count for `LIMIT` / `OFFSET`, written into the statement as an integer literal
    /// (never negative). A *bound* LIMIT makes SQLite re-prepare the statement on every run:
    /// the planner reads the bound value (`sqlite3ExprIsInteger` marks the variable), so binding
    /// it expires the statement and the whole text is parsed and planned twice.
    package mutating func appendInterpolation(count n: Int) {
        appendInterpolation(unsafeRaw: String(max(0, n)))
    }
}

extension SQLQueryString {
    /// The pattern of a "contains" search, for `column LIKE \(containing: text)`: `%text%` bound,
    /// with the text's own `%`, `_` and `\` taken literally (`ESCAPE '\'`, the same on SQLite and
    /// PostgreSQL), so a search for "50%" or "a_b" finds those words and not everything.
    package mutating func appendInterpolation(containing text: String) {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
        appendInterpolation(bind: "%" + escaped + "%")
        appendInterpolation(unsafeRaw: " ESCAPE '\\'")
    }
}

extension SQLQueryString {
    /// A boolean written into the statement as the dialect's literal (TRUE / FALSE). A *bound*
    /// boolean is the integer 0 or 1 on SQLite, and an equality filter on a bound small integer
    /// makes SQLite re-prepare the statement when the value is bound (the planner's row estimate
    /// reads it: `whereLoopOutputAdjust`), so the statement would be parsed twice on every run.
    package mutating func appendInterpolation(flag value: Bool) {
        appendInterpolation(SQLLiteral.boolean(value))
    }
}
