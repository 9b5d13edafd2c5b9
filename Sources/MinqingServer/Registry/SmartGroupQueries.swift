import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Smart groups (智能分组): a tag expression with grid, age and sex filters, evaluated inside the
/// caller's scope every time it is read, so a group is never stale (no cache to invalidate).
package enum SmartGroupQueries {
    /// What a smart group selects, validated.
    package struct Criteria: Content, Equatable {
        package var expression: String?
        /// A grid node code inside the caller's scope, narrowing it further.
        package var node: String?
        package var min_age: Int?
        package var max_age: Int?
        package var sex: String?

        package init(expression: String? = nil, node: String? = nil, min_age: Int? = nil, max_age: Int? = nil, sex: String? = nil) {
            self.expression = expression
            self.node = node
            self.min_age = min_age
            self.max_age = max_age
            self.sex = sex
        }
    }

    /// Compiles the criteria into a WHERE clause over `persons p`, resolving tag codes and names
    /// to ids (tags the caller may not see count as unknown) and ages to birth-date bounds.
    static func compile(_ criteria: Criteria, actor: Actor, today: CivilDate, on db: any Database) async throws -> (
        where: SQLQueryString, scope: GridScope
    ) {
        var problems: [FieldError] = []
        var scope = actor.scope
        if let code = criteria.node, !code.isEmpty {
            if let node = try await GridQueries.node(code: code, in: actor.scope, on: db) {
                scope = GridQueries.scope(rootedAt: node)
            } else {
                problems.append(FieldError(field: "node", messageZH: "网格节点不存在或不在您的管辖范围内", messageEN: "No such grid node in your scope"))
            }
        }
        var expression: TagExpression?
        if let text = criteria.expression, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            do { expression = try TagExpression(parsing: text) } catch { problems.append(error.fieldError) }
        }
        var tagIDs: [String: UUID] = [:]
        if let written = expression {
            // Codes or names (独居老人), as the role sees the catalogue (`SmartGroupQueries+Names`).
            do {
                let resolved = try await resolveTags(written, role: actor.role, on: db)
                expression = resolved.expression
                tagIDs = resolved.tagIDs
            } catch let error as AppError where error.status == .unprocessableEntity {
                problems += error.fields
            }
        }
        for (field, value) in [("min_age", criteria.min_age), ("max_age", criteria.max_age)] {
            if let value, !(0...150).contains(value) {
                problems.append(FieldError(field: field, messageZH: "年龄须在 0–150 之间", messageEN: "Ages must be from 0 to 150"))
            }
        }
        if let low = criteria.min_age, let high = criteria.max_age, low > high {
            problems.append(FieldError(field: "max_age", messageZH: "最大年龄不能小于最小年龄", messageEN: "The maximum age is below the minimum age"))
        }
        if let sex = criteria.sex, !sex.isEmpty, Sex(rawValue: sex) == nil {
            problems.append(FieldError(field: "sex", messageZH: "性别须为男或女", messageEN: "Choose male or female"))
        }
        guard problems.isEmpty else { throw AppError.validation(problems) }

        // The scope as a list of its grid nodes when it is small enough: both planners then
        // read only the scope's rows of each tag (`tag_assignments (tag_id, grid_node_id)`)
        // instead of the whole subdistrict's, which on PostgreSQL was 5–8× slower for a
        // residential area. A large scope (a whole subdistrict or more) keeps the closure
        // sub-select: it covers most rows anyway.
        let nodes = try await scopeNodeIDs(scope, on: db)
        let inScope: (String) -> SQLQueryString = { alias in
            if let nodes { return "\(SQLColumn("grid_node_id", table: alias)) IN (\(binds: nodes))" }
            return "\(scope.contains(SQLColumn("grid_node_id", table: alias)))"
        }
        // Whoever has moved out or died (`RegistryRecords.recordDeparture`) is in no group.
        var clause: SQLQueryString = "\(inScope("p")) AND p.moved_out_on IS NULL AND p.died_on IS NULL"
        if let expression {
            clause = "\(clause) AND \(sql(expression, tagIDs: tagIDs, today: today, assignmentScope: nodes == nil ? nil : inScope("a")))"
        }
        // Age a on `today` ⇔ birth date in (today − (a+1) years, today − a years].
        if let low = criteria.min_age {
            clause = "\(clause) AND p.birth_date <= \(bind: shifted(today, years: -low).iso8601)"
        }
        if let high = criteria.max_age {
            clause = "\(clause) AND p.birth_date > \(bind: shifted(today, years: -(high + 1)).iso8601)"
        }
        if let sex = criteria.sex, !sex.isEmpty {
            clause = "\(clause) AND p.sex = \(bind: sex)"
        }
        return (clause, scope)
    }

    /// The same calendar day `years` later (29 February becomes 28 February in common years).
    static func shifted(_ date: CivilDate, years: Int) -> CivilDate {
        let year = date.year + years
        let day = min(date.day, CivilDate.daysInMonth(year: year, month: date.month))
        return (try? CivilDate(year: year, month: date.month, day: day)) ?? date
    }

    /// The largest scope passed to the database as a list of node ids (a block of Linfen's
    /// shape has about 500 nodes, the subdistrict 2,064).
    static let nodeListLimit = 600

    /// The ids of the scope's grid nodes, or nil when there are more than `nodeListLimit`.
    static func scopeNodeIDs(_ scope: GridScope, on db: any Database) async throws -> [UUID]? {
        struct Row: Decodable { var descendant_id: UUID }
        let rows = try await db.sql.raw(
            """
            SELECT descendant_id FROM grid_closure WHERE ancestor_id = \(bind: scope.rootID) LIMIT \(count: nodeListLimit + 1)
            """
        ).all(decoding: Row.self)
        return rows.count > nodeListLimit ? nil : rows.map(\.descendant_id)
    }

    /// A tag holds when the person has a current assignment of it. Positive terms become
    /// `p.id IN (…)` so both databases can drive the query from the tag's assignments.
    /// `assignmentScope` narrows each term to the assignments made inside the scope
    /// (`tag_assignments.grid_node_id` is the person's node, written with the assignment);
    /// it only narrows work: the person's own node is checked by the caller as well.
    static func sql(
        _ expression: TagExpression, tagIDs: [String: UUID], today: CivilDate,
        assignmentScope: SQLQueryString? = nil
    ) -> SQLQueryString {
        switch expression {
        case let .tag(code):
            let narrowed: SQLQueryString = assignmentScope.map { " AND \($0)" } ?? ""
            return """
                p.id IN (SELECT a.person_id FROM tag_assignments a WHERE a.tag_id = \(bind: tagIDs[code]!)\(narrowed) \
                AND (a.ends_on IS NULL OR a.ends_on > \(bind: today.iso8601)))
                """
        case let .not(inner):
            return "NOT (\(sql(inner, tagIDs: tagIDs, today: today, assignmentScope: assignmentScope)))"
        case let .and(parts):
            return "(" + join(parts.map { sql($0, tagIDs: tagIDs, today: today, assignmentScope: assignmentScope) }, with: " AND ") + ")"
        case let .or(parts):
            // Any of several tags (every 十必访 category): one read of their holders, which both
            // planners drive from the tag index, instead of an OR of sub-selects, which SQLite
            // answered by testing every person in scope against each (~600 ms for the categories).
            let codes = parts.compactMap { part -> String? in if case let .tag(code) = part { code } else { nil } }
            if codes.count == parts.count, codes.count > 1 {
                let narrowed: SQLQueryString = assignmentScope.map { " AND \($0)" } ?? ""
                return """
                    p.id IN (SELECT a.person_id FROM tag_assignments a WHERE a.tag_id IN (\(binds: codes.map { tagIDs[$0]! }))\(narrowed) \
                    AND (a.ends_on IS NULL OR a.ends_on > \(bind: today.iso8601)))
                    """
            }
            return "(" + join(parts.map { sql($0, tagIDs: tagIDs, today: today, assignmentScope: assignmentScope) }, with: " OR ") + ")"
        }
    }

    private static func join(_ parts: [SQLQueryString], with separator: String) -> SQLQueryString {
        var result: SQLQueryString = ""
        for (index, part) in parts.enumerated() {
            if index > 0 { result = "\(result)\(unsafeRaw: separator)" }
            result = "\(result)\(part)"
        }
        return result
    }

    package struct Page: Content { var items: [RegistryQueries.PersonRow]; package var total: Int; var limit: Int; var offset: Int }

    /// One page of the members, ordered by name then id, with the total.
    package static func members(_ criteria: Criteria, actor: Actor, today: CivilDate, limit: Int, offset: Int, on db: any Database) async throws
        -> Page
    {
        let (clause, _) = try await compile(criteria, actor: actor, today: today, on: db)
        // The total comes with the page (a window count over the same evaluation) instead of a
        // second pass; only a page past the end needs the separate count.
        struct Row: Decodable {
            var total: Int
            var person: RegistryQueries.PersonRow
            init(from decoder: any Decoder) throws {
                total = try decoder.container(keyedBy: Key.self).decode(Int.self, forKey: .total)
                person = try RegistryQueries.PersonRow(from: decoder)
            }
            enum Key: String, CodingKey { case total }
        }
        let rows = try await db.sql.raw(
            """
            SELECT \(RegistryQueries.personColumns(actor.role)), COUNT(*) OVER () AS total
            FROM persons p JOIN grid_nodes n ON n.id = p.grid_node_id
            WHERE \(clause) ORDER BY p.name, p.id LIMIT \(count: limit) OFFSET \(count: offset)
            """
        ).all(decoding: Row.self)
        let items = rows.map(\.person)
        var total = rows.first?.total ?? 0
        if rows.isEmpty && offset > 0 {
            struct N: Decodable { var n: Int }
            total = try await db.sql.raw("SELECT COUNT(*) AS n FROM persons p WHERE \(clause)").first(decoding: N.self)!.n
        }
        return Page(items: items, total: total, limit: limit, offset: offset)
    }

    /// Saves a group at the root of the scope it selects in, audited in the same transaction
    /// (used by the API and the builder page alike).
    static func save(
        name: String, criteria: SmartGroupQueries.Criteria, scope: GridScope,
        actor: Actor, request: Request
    ) async throws -> UUID {
        let id = UUID()
        let json = String(decoding: try JSONEncoder().encode(criteria), as: UTF8.self)
        let now = request.now
        let address = request.clientAddress
        try await request.db.write { db in
            try await db.sql.insert(into: "smart_groups")
                .columns("id", "subdistrict_id", "grid_node_id", "name", "criteria", "created_by", "created_at")
                .values(
                    SQLBind(id), bindOrNull(actor.subdistrictID), SQLBind(scope.rootID), SQLBind(name), SQLBind(json),
                    SQLBind(actor.username), SQLBind(now)
                )
                .run()
            try await AuditLog.append(
                AuditEntry(
                    action: "smart_group.saved", actorID: actor.accountID, actorName: actor.username,
                    targetType: "smart_group", targetID: id.uuidString, detail: ["name": name],
                    clientAddress: address), at: now, on: db)
        }
        return id
    }
}
