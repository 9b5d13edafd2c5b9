import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Reads for Open311: jurisdictions, keys, services and the public list of requests. The public
/// list selects only what a stranger may see (no submitter, no household) and, for cases not
/// handed in for the public, not their words or exact place either (`Open311.disclosesDetail`).
enum Open311Queries {
    struct Jurisdiction: Decodable, Sendable { var id: UUID; var code: String; var name: String }

    /// The subdistricts this endpoint serves (grid nodes of level subdistrict), at most two: enough
    /// to tell whether `jurisdiction_id` may be left out.
    static func jurisdictions(on db: any Database) async throws -> [Jurisdiction] {
        try await db.sql.raw("SELECT id, code, name FROM grid_nodes WHERE level = \(bind: GridLevel.subdistrict.rawValue) ORDER BY code LIMIT 2")
            .all(decoding: Jurisdiction.self)
    }

    static func jurisdiction(code: String, on db: any Database) async throws -> Jurisdiction? {
        try await db.sql.raw("SELECT id, code, name FROM grid_nodes WHERE code = \(bind: code) AND level = \(bind: GridLevel.subdistrict.rawValue)")
            .first(decoding: Jurisdiction.self)
    }

    struct Client: Decodable, Sendable { var id: UUID; var subdistrict_id: UUID; var name: String }

    /// The live client whose key hashes to `keyHash`.
    static func client(keyHash: String, on db: any Database) async throws -> Client? {
        try await db.sql.raw("SELECT id, subdistrict_id, name FROM open311_clients WHERE key_hash = \(bind: keyHash) AND revoked_at IS NULL")
            .first(decoding: Client.self)
    }

    /// Clients of the subdistricts inside `scope` (never their keys); every client for the console (nil).
    static func clients(in scope: GridScope?, on db: any Database) async throws -> [Open311ClientRecord] {
        let inScope: SQLQueryString = scope.map { $0.contains(SQLColumn("subdistrict_id", table: "c")) } ?? "1 = 1"
        return try await db.sql.raw(
            """
            SELECT c.id, c.name, g.code AS jurisdiction_id, c.key_hint, c.created_by, c.created_at, c.revoked_at
            FROM open311_clients c JOIN grid_nodes g ON g.id = c.subdistrict_id
            WHERE \(inScope) ORDER BY g.code, c.name
            """
        ).all(decoding: Open311ClientRecord.self)
    }

    struct ServiceRow: Decodable, Sendable {
        var code: String; var kind: CaseCategoryKind; var name_zh: String; var name_en: String; var group_zh: String?; var group_en: String?
        var department_zh: String?; var limit_handle: String; var attributes: Int
    }

    /// The public sub-categories, in catalogue order, each with its number of attributes.
    static func services(code: String? = nil, on db: any Database) async throws -> [ServiceRow] {
        let only: SQLQueryString = code.map { (c: String) -> SQLQueryString in "AND cc.code = \(bind: c)" } ?? ""
        return try await db.sql.raw(
            """
            SELECT cc.code, cc.kind, cc.name_zh, cc.name_en, p.name_zh AS group_zh, p.name_en AS group_en, d.name_zh AS department_zh,
                   cc.limit_handle, (SELECT COUNT(*) FROM case_category_attributes a WHERE a.category_code = cc.code) AS attributes
            FROM case_categories cc LEFT JOIN case_categories p ON p.code = cc.parent_code LEFT JOIN departments d ON d.id = cc.department_id
            WHERE cc.active = \(flag: true) AND cc.parent_code IS NOT NULL AND cc.open311_public = \(flag: true) \(only)
            ORDER BY cc.sort_order, cc.code
            """
        ).all(decoding: ServiceRow.self)
    }

    /// A service's attributes with their values, in order.
    static func attributes(of code: String, on db: any Database) async throws -> [Open311.Attribute] {
        struct Row: Decodable {
            var id: UUID; var code: String; var datatype: String; var required: Bool; var variable: Bool
            var description_zh: String; var description_en: String
        }
        struct ValueRow: Decodable { var attribute_id: UUID; var key: String; var name: String }
        let rows = try await db.sql.raw(
            """
            SELECT id, code, datatype, required, variable, description_zh, description_en FROM case_category_attributes
            WHERE category_code = \(bind: code) ORDER BY sort_order, code
            """
        ).all(decoding: Row.self)
        guard !rows.isEmpty else { return [] }
        let values = try await db.sql.raw(
            """
            SELECT v.attribute_id, v.key, v.name FROM case_category_attribute_values v
            JOIN case_category_attributes a ON a.id = v.attribute_id WHERE a.category_code = \(bind: code) ORDER BY v.sort_order, v.key
            """
        ).all(decoding: ValueRow.self)
        let byAttribute = Dictionary(grouping: values, by: \.attribute_id)
        return rows.map { row in
            Open311.Attribute(
                code: row.code, datatype: Open311.Datatype(rawValue: row.datatype) ?? .string, required: row.required,
                variable: row.variable, descriptionZH: row.description_zh, descriptionEN: row.description_en,
                values: (byAttribute[row.id] ?? []).map { (key: $0.key, name: $0.name) })
        }
    }

    /// What `GET requests` filters by (already checked).
    struct RequestFilter: Sendable {
        var numbers: [String] = []
        var serviceCodes: [String] = []
        var open: Bool?
        var from: Date?
        var before: Date?
        var limit = Open311.maxRequests
        var offset = 0
    }

    /// One public request in one language, with whether its detail may be shown.
    struct RequestRow: Sendable {
        var number: String; var state: CaseState; var category_code: String; var service_name: String; var description: String
        var address: String; var node_name: String; var address_id: String?; var lat_e6: Int64?; var long_e6: Int64?; var media_url: String?
        var department: String?; var limit_handle: String
        var reported_at: Date; var updated_at: Date; var due_at: Date?; var closed_at: Date?
        /// `Open311.disclosesDetail` of the case, computed in the statement.
        var shown: Bool

        /// The row as the public may see it: a case not handed in for the public keeps only its
        /// category's name and its grid node.
        var disclosed: RequestRow {
            guard !shown else { return self }
            var cut = self
            cut.description = service_name
            cut.address = node_name
            cut.address_id = nil; cut.lat_e6 = nil; cut.long_e6 = nil; cut.media_url = nil
            return cut
        }
    }

    /// The names the public list shows beside each case (sub-categories, departments), and which
    /// sub-categories are public: small tables, read at most every few seconds by the controller
    /// (`Open311Controller.catalogue`), so the list's statement reads `cases` alone — on
    /// PostgreSQL, planning the four-table join cost more than running it (0.6 vs 0.13 ms).
    struct Catalogue: Sendable {
        struct Category: Sendable { var nameZH: String; var nameEN: String; var limitHandle: String; var isPublic: Bool }
        var categories: [String: Category]
        var departments: [UUID: (zh: String, en: String)]
        /// The public sub-categories' codes, sorted.
        var publicCodes: [String]

        static func load(on db: any Database) async throws -> Catalogue {
            struct C: Decodable { var code: String; var name_zh: String; var name_en: String; var limit_handle: String; var open311_public: Bool }
            struct D: Decodable { var id: UUID; var name_zh: String; var name_en: String }
            let categories = try await db.sql.raw(
                """
                SELECT code, name_zh, name_en, limit_handle, open311_public FROM case_categories
                """
            ).all(decoding: C.self)
            let departments = try await db.sql.raw("SELECT id, name_zh, name_en FROM departments").all(decoding: D.self)
            return Catalogue(
                categories: Dictionary(
                    categories.map {
                        (
                            $0.code,
                            Category(
                                nameZH: $0.name_zh, nameEN: $0.name_en, limitHandle: $0.limit_handle,
                                isPublic: $0.open311_public)
                        )
                    }, uniquingKeysWith: { a, _ in a }),
                departments: Dictionary(departments.map { ($0.id, (zh: $0.name_zh, en: $0.name_en)) }, uniquingKeysWith: { a, _ in a }),
                publicCodes: categories.filter(\.open311_public).map(\.code).sorted())
        }
    }

    /// One case of the public list as `cases` holds it (names are added from the catalogue).
    struct CaseRow: Sendable {
        var number: String; var state: CaseState; var category_code: String; var description: String; var address: String
        var grid_node_id: UUID; var address_id: String?; var lat_e6: Int64?; var long_e6: Int64?; var media_url: String?
        var department_id: UUID?; var reported_at: Date; var updated_at: Date; var due_at: Date?; var closed_at: Date?
        var shown: Bool

        init(
            number: String, state: CaseState, category_code: String, description: String, address: String, grid_node_id: UUID,
            address_id: String?, lat_e6: Int64?, long_e6: Int64?, media_url: String?, department_id: UUID?, reported_at: Date,
            updated_at: Date, due_at: Date?, closed_at: Date?, shown: Bool
        ) {
            self.number = number; self.state = state; self.category_code = category_code; self.description = description
            self.address = address; self.grid_node_id = grid_node_id; self.address_id = address_id; self.lat_e6 = lat_e6
            self.long_e6 = long_e6; self.media_url = media_url; self.department_id = department_id; self.reported_at = reported_at
            self.updated_at = updated_at; self.due_at = due_at; self.closed_at = closed_at; self.shown = shown
        }

        /// The case's state from its column; one the code does not know reads as `reported`.
        static func parseState(_ raw: String) -> CaseState { CaseState(rawValue: raw) ?? .reported }

        /// Reads the row column by column (the public list's hot path: a Decodable row costs a
        /// keyed container and three look-ups per optional column).
        init(row: some SQLRow) throws {
            func text(_ c: String) throws -> String { try row.decode(column: c, as: String.self) }
            func optionalText(_ c: String) throws -> String? { try row.decodeNil(column: c) ? nil : row.decode(column: c, as: String.self) }
            func optionalInt(_ c: String) throws -> Int64? { try row.decodeNil(column: c) ? nil : row.decode(column: c, as: Int64.self) }
            func optionalDate(_ c: String) throws -> Date? { try row.decodeNil(column: c) ? nil : row.decode(column: c, as: Date.self) }
            number = try text("number"); state = try Self.parseState(text("state")); category_code = try text("category_code")
            description = try text("description"); address = try text("address")
            grid_node_id = try row.decode(column: "grid_node_id", as: UUID.self); address_id = try optionalText("address_id")
            lat_e6 = try optionalInt("lat_e6"); long_e6 = try optionalInt("long_e6"); media_url = try optionalText("media_url")
            department_id = try row.decodeNil(column: "department_id") ? nil : row.decode(column: "department_id", as: UUID.self)
            reported_at = try row.decode(column: "reported_at", as: Date.self); updated_at = try row.decode(column: "updated_at", as: Date.self)
            due_at = try optionalDate("due_at"); closed_at = try optionalDate("closed_at")
            shown = try row.decode(column: "shown", as: Bool.self)
        }

        /// Reads an SQLite row by position, in `listColumns`' order: text as text, times as the
        /// seconds SQLiteKit stores, ids through `UUID(text:)`; any other storage through
        /// SQLiteKit's decoder, as SQLKit would.
        init(sqlite row: SQLiteRow) throws {
            let c = row.columns
            guard c.count == 16 else { throw SQLiteRowError(column: "count \(c.count)") }
            func value<T: Decodable>(_ i: Int, _ fast: (SQLiteData) -> T?) throws -> T {
                if let v = fast(c[i].data) { return v }
                do { return try SQLiteDataDecoder().decode(T.self, from: c[i].data) } catch { throw SQLiteRowError(column: c[i].name) }
            }
            func optional<T: Decodable>(_ i: Int, _ fast: (SQLiteData) -> T?) throws -> T? {
                if case .null = c[i].data { return nil }
                return try value(i, fast)
            }
            let text: (SQLiteData) -> String? = { if case .text(let s) = $0 { s } else { nil } }
            let int: (SQLiteData) -> Int64? = { if case .integer(let n) = $0 { Int64(n) } else { nil } }
            let id: (SQLiteData) -> UUID? = { if case .text(let s) = $0 { UUID(text: s) } else { nil } }
            let time: (SQLiteData) -> Date? = {
                switch $0 {
                case .float(let t): Date(timeIntervalSince1970: t)
                case .integer(let t): Date(timeIntervalSince1970: Double(t))
                default: nil
                }
            }
            let flag: (SQLiteData) -> Bool? = { if case .integer(let n) = $0 { n != 0 } else { nil } }
            number = try value(0, text); state = try Self.parseState(value(1, text)); category_code = try value(2, text)
            description = try value(3, text); address = try value(4, text); grid_node_id = try value(5, id)
            address_id = try optional(6, text); lat_e6 = try optional(7, int); long_e6 = try optional(8, int)
            media_url = try optional(9, text); department_id = try optional(10, id); reported_at = try value(11, time)
            updated_at = try value(12, time); due_at = try optional(13, time); closed_at = try optional(14, time)
            shown = try value(15, flag)
        }
    }

    struct SQLiteRowError: Error, CustomStringConvertible {
        var column: String
        var description: String { "cannot read the Open311 list's column \(column)" }
    }

    /// One statement on `cases` alone: the jurisdiction's public requests matching `filter`,
    /// newest first, in the public sub-categories only (`catalogue.publicCodes`); then each is
    /// named from the catalogue and `nodeNames`, and cut to what may be disclosed
    /// (`RequestRow.disclosed`): a case not handed in for the public shows its category's name as
    /// its description and its grid node as its place, without address id, coordinates or
    /// picture. Staff's transition reasons are not selected: they are written for colleagues, not
    /// for the public.
    static func requests(
        _ filter: RequestFilter, jurisdiction: UUID, english: Bool, catalogue: Catalogue,
        nodeNames: @Sendable ([UUID]) async throws -> [UUID: String], on db: any Database
    ) async throws -> [RequestRow] {
        var codes = catalogue.publicCodes
        if filter.numbers.isEmpty && !filter.serviceCodes.isEmpty {
            let asked = Set(filter.serviceCodes)
            codes = codes.filter { asked.contains($0) }
        }
        guard !codes.isEmpty else { return [] }
        let cases: [CaseRow]
        if filter.numbers.isEmpty, codes.count == 1, let from = filter.from, let before = filter.before, let pg = db as? any PostgresDatabase {
            // PostgreSQL, one service (the common request): a statement prepared once per connection.
            let limit = max(1, min(filter.limit, Open311.maxRequests)), offset = max(0, filter.offset), code = codes[0]
            cases = try await pg.withConnection { connection in
                connection.eventLoop.makeFutureWithTask {
                    func run<S: PublicListStates>(_: S.Type) async throws -> [CaseRow] {
                        let statement = PublicList<S>(subdistrict: jurisdiction, code: code, from: from, before: before, limit: limit, offset: offset)
                        return try await connection.execute(statement, logger: db.logger).reduce(into: [CaseRow]()) { $0.append($1) }
                    }
                    switch filter.open {
                    case true?: return try await run(OpenStates.self)
                    case false?: return try await run(ClosedStates.self)
                    case nil: return try await run(AnyStates.self)
                    }
                }
            }.get()
        } else {
            cases = try await generalList(filter, codes: codes, jurisdiction: jurisdiction, on: db)
        }
        guard !cases.isEmpty else { return [] }
        let nodes = try await nodeNames(Array(Set(cases.map(\.grid_node_id))))
        return cases.map { c in
            let category = catalogue.categories[c.category_code]
            let department = c.department_id.flatMap { catalogue.departments[$0] }
            return RequestRow(
                number: c.number, state: c.state, category_code: c.category_code,
                service_name: (english ? category?.nameEN : category?.nameZH) ?? c.category_code, description: c.description,
                address: c.address, node_name: nodes[c.grid_node_id] ?? "", address_id: c.address_id, lat_e6: c.lat_e6,
                long_e6: c.long_e6, media_url: c.media_url, department: english ? department?.en : department?.zh,
                limit_handle: category?.limitHandle ?? "", reported_at: c.reported_at, updated_at: c.updated_at,
                due_at: c.due_at, closed_at: c.closed_at, shown: c.shown
            ).disclosed
        }
    }

    /// Whether the case was handed in for the public (`Open311.disclosesDetail`), as SQL. The
    /// channels are the code's own constants (never input), written as literals so the prepared
    /// statement's text can hold them.
    static let shownSQL =
        "(c.household_id IS NULL AND (c.client_name IS NOT NULL OR c.channel IN ("
        + Open311.publicChannels.map { "'\($0)'" }.joined(separator: ", ") + ")))"

    /// The list's columns, in the order `PublicList.decodeRow` reads them by position (and
    /// `CaseRow(row:)` by name), for both statements.
    static let listColumns = """
        c.number, c.state, c.category_code, c.description, c.address, c.grid_node_id, c.address_id, c.lat_e6, c.long_e6, \
        c.media_url, c.department_id, c.reported_at, c.updated_at, c.due_at, c.closed_at, \(shownSQL) AS shown
        """

    /// Which states a prepared list reads, as SQL over the code's own constants (never input).
    protocol PublicListStates { static var name: String { get }; static var sql: String { get } }
    enum OpenStates: PublicListStates {
        static let name = "minqing_open311_list_open"
        static let sql = PublicListSQL.make(states: CaseState.allCases.filter(\.isOpen))
    }
    enum ClosedStates: PublicListStates {
        static let name = "minqing_open311_list_closed"
        static let sql = PublicListSQL.make(states: CaseState.allCases.filter { !$0.isOpen })
    }
    enum AnyStates: PublicListStates {
        static let name = "minqing_open311_list_any"
        static let sql = PublicListSQL.make(states: nil)
    }
    enum PublicListSQL {
        static func make(states: [CaseState]?) -> String {
            let inStates = states.map { " AND c.state IN (" + $0.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")" } ?? ""
            return """
                SELECT \(listColumns)
                FROM cases c
                WHERE c.subdistrict_id = $1 AND c.category_code = $2\(inStates) AND c.reported_at >= $3 AND c.reported_at <= $4
                ORDER BY c.reported_at DESC, c.id DESC LIMIT $5 OFFSET $6
                """
        }
    }

    /// The list's statement on PostgreSQL for one service, prepared: the public list is the hot
    /// path, and parsing and planning cost PostgreSQL more than running it (and reading the rows
    /// through SQLKit by column name cost the server 15 % of its time). The same filters as
    /// `generalList`. The states are literals and the service a single `=` so that the plan
    /// PostgreSQL keeps for every call (its generic plan) reads `cases_category_reported_state`;
    /// with `= ANY($n)` arrays it chose to walk the subdistrict's cases instead (3.9 vs 0.24 ms).
    struct PublicList<States: PublicListStates>: PostgresPreparedStatement {
        static var name: String { States.name }
        static var sql: String { States.sql }
        var subdistrict: UUID; var code: String; var from: Date; var before: Date; var limit: Int; var offset: Int

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 6)
            b.append(subdistrict); b.append(code); b.append(from); b.append(before); b.append(limit); b.append(offset)
            return b
        }

        func decodeRow(_ row: PostgresRow) throws -> CaseRow {
            let r = row.makeRandomAccess()
            return CaseRow(
                number: try r[0].decode(String.self), state: CaseRow.parseState(try r[1].decode(String.self)),
                category_code: try r[2].decode(String.self), description: try r[3].decode(String.self), address: try r[4].decode(String.self),
                grid_node_id: try r[5].decode(UUID.self), address_id: try r[6].decode(String?.self),
                lat_e6: try r[7].decode(Int64?.self), long_e6: try r[8].decode(Int64?.self), media_url: try r[9].decode(String?.self),
                department_id: try r[10].decode(UUID?.self), reported_at: try r[11].decode(Date.self),
                updated_at: try r[12].decode(Date.self), due_at: try r[13].decode(Date?.self), closed_at: try r[14].decode(Date?.self),
                shown: try r[15].decode(Bool.self))
        }
    }

    /// The list's statement through SQLKit: SQLite (run by `sqliteList`), and on PostgreSQL a list
    /// of request numbers or of several services.
    static func generalList(_ filter: RequestFilter, codes: [String], jurisdiction: UUID, on db: any Database) async throws -> [CaseRow] {
        let query = generalListQuery(filter, codes: codes, jurisdiction: jurisdiction)
        if let sqlite = db as? any SQLiteDatabase { return try await sqliteList(query, sql: db.sql, on: sqlite) }
        return try await db.sql.raw(query).all().map { try CaseRow(row: $0) }
    }

    /// Runs the list's statement on an SQLite connection directly and reads each row by position
    /// on the thread that stepped it. Through SQLKit, SQLiteNIO hands every row to the event loop
    /// as a task of its own and SQLKit decodes each column through a dynamic cast (with the
    /// statement's parse, the list's main costs on SQLite; perf, issue 5). The binds are encoded
    /// by SQLiteKit's own encoder, as every other statement's.
    static func sqliteList(_ query: SQLQueryString, sql: any SQLDatabase, on sqlite: any SQLiteDatabase) async throws -> [CaseRow] {
        let (text, encodables) = sql.serialize(query)
        let encoder = SQLiteDataEncoder()
        let binds = try encodables.map { try encoder.encode($0) }
        return try await sqlite.withConnection { connection in
            let rows = RowCollector()
            try await connection.query(text, binds) { row in rows.add { try CaseRow(sqlite: row) } }
            return try rows.result()
        }
    }

    /// Collects the rows SQLiteNIO hands to a non-throwing closure on its thread, and the first error.
    final class RowCollector: @unchecked Sendable {
        private var rows: [CaseRow] = []
        private var error: (any Error)?
        private let lock = NSLock()
        func add(_ make: () throws -> CaseRow) {
            lock.lock(); defer { lock.unlock() }
            guard error == nil else { return }
            do { rows.append(try make()) } catch { self.error = error }
        }
        func result() throws -> [CaseRow] {
            lock.lock(); defer { lock.unlock() }
            if let error { throw error }
            return rows
        }
    }

    static func generalListQuery(_ filter: RequestFilter, codes: [String], jurisdiction: UUID) -> SQLQueryString {
        var conditions: [SQLQueryString] = [CasesQueries.publicly(subdistrict: jurisdiction), "c.category_code IN (\(binds: codes))"]
        if !filter.numbers.isEmpty {
            conditions.append("c.number IN (\(binds: filter.numbers))")
        } else {
            if let open = filter.open {
                conditions.append("c.state IN (\(binds: CaseState.allCases.filter { $0.isOpen == open }.map(\.rawValue)))")
            }
            if let from = filter.from { conditions.append("c.reported_at >= \(bind: from)") }
            if let before = filter.before { conditions.append("c.reported_at <= \(bind: before)") }
        }
        return """
            SELECT \(unsafeRaw: listColumns)
            FROM cases c WHERE \(conditions.joined(separator: " AND "))
            ORDER BY c.reported_at DESC, c.id DESC LIMIT \(count: max(1, min(filter.limit, Open311.maxRequests))) OFFSET \(count: max(0, filter.offset))
            """
    }

    /// Grid nodes' names by id.
    static func nodeNames(_ ids: [UUID], on db: any Database) async throws -> [UUID: String] {
        struct N: Decodable { var id: UUID; var name: String }
        guard !ids.isEmpty else { return [:] }
        return Dictionary(
            try await db.sql.raw("SELECT id, name FROM grid_nodes WHERE id IN (\(binds: ids))").all(decoding: N.self)
                .map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
    }
}

/// An Open311 client as staff see it (never the key).
struct Open311ClientRecord: Content, Sendable {
    var id: UUID
    var name: String
    var jurisdiction_id: String
    var key_hint: String
    var created_by: String
    var created_at: Date
    var revoked_at: Date?
}
