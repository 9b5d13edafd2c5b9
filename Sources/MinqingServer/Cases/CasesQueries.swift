import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// Reads of cases, always inside what the caller may see, in SQL.
enum CasesQueries {
    /// Who works the intake desk and dispatches: grid staff (inside their subtree).
    static let dispatchers: Set<Role> = Set(Role.allCases.filter(\.isGridStaff))
    /// Who puts a case under supervision (督办): the subdistrict.
    static let supervisors: Set<Role> = [.admin, .subdistrictStaff]
    /// Who hands cases in as themselves (居民、商户、单位、志愿者 and 物业/业委会) and sees their own.
    static let reporters: Set<Role> = [.resident, .propertyCompany, .ownersCommittee, .volunteer]

    /// The cases an actor may see: grid staff by their subtree; a department handler those sent
    /// to their department (an active assignment); everybody else their own.
    static func visible(_ actor: Actor, alias c: String = "c") -> SQLQueryString {
        if actor.role.isGridStaff {
            return actor.scope.contains(SQLColumn("grid_node_id", table: c))
        }
        if actor.role == .departmentHandler {
            return """
                EXISTS (SELECT 1 FROM case_assignments va JOIN department_accounts vd ON vd.department_id = va.department_id
                        WHERE va.case_id = \(ident: c).id AND va.active = \(flag: true) AND vd.account_id = \(bind: actor.accountID))
                """
        }
        return "\(ident: c).submitter_account_id = \(bind: actor.accountID)"
    }

    /// `visible(actor)` for reports over many cases: staff bound to a subdistrict read it by its
    /// tenant column (the same cases: a case carries its node's subdistrict), which the covering
    /// index `cases_indicators` starts with; everybody else as in `visible`.
    static func reportScope(_ actor: Actor, alias c: String = "c") -> SQLQueryString {
        if actor.role.isGridStaff, actor.scope.rootLevel == .subdistrict {
            return "\(ident: c).subdistrict_id = \(bind: actor.scope.rootID)"
        }
        return visible(actor, alias: c)
    }

    /// The jurisdiction's cases for the public Open311 reads: every case of one subdistrict
    /// (merged and rejected ones included; Open311 shows them as closed). Callers select only
    /// `CaseSummary`'s columns, which carry no personal data.
    static func publicly(subdistrict: UUID, alias c: String = "c") -> SQLQueryString {
        "\(ident: c).subdistrict_id = \(bind: subdistrict)"
    }

    static let summaryColumns = """
        c.id, c.number, c.channel, c.category_code, cc.name_zh AS category_name_zh, cc.name_en AS category_name_en, c.title, c.description,
        c.state, c.address, c.address_id, c.lat_e6, c.long_e6, c.media_url, g.code AS node_code, g.name AS node_name,
        d.code AS department_code, d.name_zh AS department_name_zh, d.name_en AS department_name_en, c.reported_at, c.updated_at, c.due_at,
        c.closed_at, c.supervised, c.escalation_level, c.verdict, c.merged_into
        """
    static let summaryFrom = """
        cases c JOIN case_categories cc ON cc.code = c.category_code JOIN grid_nodes g ON g.id = c.grid_node_id
        LEFT JOIN departments d ON d.id = c.department_id
        """

    struct SummaryRow: Decodable {
        var id: CaseID; var number: String; var channel: CaseChannel; var category_code: String; var category_name_zh: String
        var category_name_en: String; var title: String; var description: String; var state: CaseState; var address: String; var address_id: String?
        var lat_e6: Int64?; var long_e6: Int64?; var media_url: String?; var node_code: String; var node_name: String
        var department_code: String?; var department_name_zh: String?; var department_name_en: String?
        var reported_at: Date; var updated_at: Date; var due_at: Date?; var closed_at: Date?; var supervised: Bool; var escalation_level: Int
        var verdict: CaseVerdict?; var merged_into: CaseID?

        func summary(now: Date) -> CaseSummary {
            CaseSummary(
                id: id, number: number, channel: channel, category_code: category_code, category_name_zh: category_name_zh,
                category_name_en: category_name_en, title: title, description: description, state: state, address: address,
                address_id: address_id, lat_e6: lat_e6, long_e6: long_e6, media_url: media_url, node_code: node_code,
                node_name: node_name, department_code: department_code, department_name_zh: department_name_zh,
                department_name_en: department_name_en, reported_at: reported_at, updated_at: updated_at, due_at: due_at,
                closed_at: closed_at, supervised: supervised, escalation_level: escalation_level, verdict: verdict,
                merged_into: merged_into, overdue: state.deadlineRuns && (due_at.map { $0 < now } ?? false))
        }
    }

    /// One page of cases matching `filter` among those `visibility` allows: one SQL statement,
    /// newest first (reported_at, id), on the indexes of `cases`.
    static func list(_ filter: CaseListFilter, visibility: SQLQueryString, now: Date, on db: any Database) async throws -> [CaseSummary] {
        guard let conditions = conditions(filter, visibility: visibility, sqlite: db.dialectName == "sqlite") else { return [] }
        let rows = try await db.sql.raw(
            """
            SELECT \(unsafeRaw: summaryColumns) FROM \(unsafeRaw: summaryFrom)
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY c.reported_at DESC, c.id DESC LIMIT \(count: max(1, min(filter.limit, 1000))) OFFSET \(count: max(0, filter.offset))
            """
        ).all(decoding: SummaryRow.self)
        return rows.map { $0.summary(now: now) }
    }

    static func summary(_ id: CaseID, visibility: SQLQueryString, now: Date, on db: any Database) async throws -> CaseSummary? {
        try await list(CaseListFilter(ids: [id], limit: 1), visibility: visibility, now: now, on: db).first
    }

    /// Possible duplicates of a case (疑似重复): the same category, at the same compound or grid
    /// node or within about 100 m, reported in the `days` before it, not merged or rejected,
    /// inside what the caller sees.
    static func duplicates(of id: CaseID, days: Int = 7, visibility: SQLQueryString, now: Date, on db: any Database) async throws -> [CaseSummary] {
        struct Row: Decodable {
            var category_code: String; var grid_node_id: UUID; var compound_id: UUID?; var lat_e6: Int64?; var long_e6: Int64?; var reported_at: Date
        }
        guard
            let row = try await db.sql.raw(
                """
                SELECT category_code, grid_node_id, compound_id, lat_e6, long_e6, reported_at FROM cases WHERE id = \(bind: id)
                """
            ).first(decoding: Row.self)
        else { return [] }
        var place: [SQLQueryString] = ["c.grid_node_id = \(bind: row.grid_node_id)"]
        if let compound = row.compound_id { place.append("c.compound_id = \(bind: compound)") }
        if let lat = row.lat_e6, let long = row.long_e6 {
            // About 100 m: 0.0009° of latitude, 0.0011° of longitude at Shanghai's latitude.
            place.append(
                "(c.lat_e6 BETWEEN \(bind: lat - 900) AND \(bind: lat + 900) AND c.long_e6 BETWEEN \(bind: long - 1100) AND \(bind: long + 1100))")
        }
        let rows = try await db.sql.raw(
            """
            SELECT \(unsafeRaw: summaryColumns) FROM \(unsafeRaw: summaryFrom)
            WHERE c.category_code = \(bind: row.category_code) AND c.id <> \(bind: id)
              AND c.reported_at >= \(bind: row.reported_at.addingTimeInterval(-Double(days) * 86_400)) AND c.reported_at <= \(bind: row.reported_at.addingTimeInterval(3600))
              AND c.state NOT IN (\(bind: CaseState.merged.rawValue), \(bind: CaseState.rejected.rawValue))
              AND (\(place.joined(separator: " OR "))) AND \(visibility)
            ORDER BY c.reported_at DESC LIMIT 20
            """
        ).all(decoding: SummaryRow.self)
        return rows.map { $0.summary(now: now) }
    }

    /// The case with its timeline and everything around it, if visible.
    static func detail(_ id: CaseID, for actor: Actor, now: Date, on db: any Database) async throws -> CaseDetail? {
        guard let summary = try await summary(id, visibility: visible(actor), now: now, on: db) else { return nil }
        struct Extra: Decodable {
            var intake_token: String; var source_ref: String?; var submitter_name: String?; var submitter_phone_masked: String?
            var response_due_at: Date?; var responded_at: Date?; var filed_at: Date?; var dispatched_at: Date?; var handled_at: Date?
            var rework_count: Int; var reopen_count: Int; var extension_days: Int; var resolved: Bool?; var submitter_account_id: UUID?
            var stage_due_at: Date?
        }
        guard
            let extra = try await db.sql.raw(
                """
                SELECT intake_token, source_ref, submitter_name, submitter_phone_masked, response_due_at, responded_at, filed_at, dispatched_at,
                       handled_at, rework_count, reopen_count, extension_days, resolved, submitter_account_id, stage_due_at
                FROM cases WHERE id = \(bind: id)
                """
            ).first(decoding: Extra.self)
        else { return nil }
        let transitions = try await timeline(of: id, on: db)
        let assignments = try await db.sql.raw(
            """
            SELECT a.department_id, d.code AS department_code, d.name_zh AS department_name_zh, d.name_en AS department_name_en, a.lead, a.active,
                   a.report, a.reported_at
            FROM case_assignments a JOIN departments d ON d.id = a.department_id WHERE a.case_id = \(bind: id) ORDER BY a.assigned_at, a.lead DESC
            """
        ).all(decoding: CaseAssignmentRecord.self)
        let supervisions = try await db.sql.raw(
            """
            SELECT s.kind, s.level, s.note, s.at, \(personName(account: "a", fallback: "NULL")) AS actor_name, a.role AS actor_role
            FROM case_supervisions s LEFT JOIN accounts a ON a.id = s.actor_id WHERE s.case_id = \(bind: id) ORDER BY s.at
            """
        ).all(decoding: CaseSupervisionRecord.self)
        let followups = try await db.sql.raw(
            """
            SELECT f.method, f.reached, f.verdict, f.resolved, f.note, f.at, \(personName(account: "a", fallback: "NULL")) AS actor_name,
                   a.role AS actor_role
            FROM case_followups f LEFT JOIN accounts a ON a.id = f.actor_id WHERE f.case_id = \(bind: id) ORDER BY f.at
            """
        ).all(decoding: CaseFollowUpRecord.self)
        let party = try await CasesWorkflow.party(of: actor, case: id, on: db)
        let staffView = actor.role.isGridStaff || actor.role == .departmentHandler
        var detail = CaseDetail(
            summary: summary, token: extra.submitter_account_id == actor.accountID || staffView ? extra.intake_token : nil,
            source_ref: staffView ? extra.source_ref : nil, submitter_name: extra.submitter_name,
            submitter_phone_masked: extra.submitter_phone_masked, response_due_at: extra.response_due_at,
            responded_at: extra.responded_at, filed_at: extra.filed_at, dispatched_at: extra.dispatched_at,
            handled_at: extra.handled_at, stage_due_at: extra.stage_due_at, rework_count: extra.rework_count, reopen_count: extra.reopen_count,
            extension_days: extra.extension_days, resolved: extra.resolved, transitions: transitions,
            assignments: assignments, supervisions: supervisions, followups: followups,
            actions: party.map { p in CaseStateMachine.actions(from: summary.state, by: p) } ?? [])
        detail.on_behalf_of = try await ProxyQueries.act(on: "case", id.rawValue, on: db)
        return detail
    }

    /// The case's steps in order, each with the person who took it named as people are shown
    /// (`personName`: the account joined, never its username; an Open311 client by its name) and,
    /// for a recategorisation, the categories before and after.
    static func timeline(of id: CaseID, on db: any Database) async throws -> [CaseTransitionRecord] {
        let program: SQLQueryString = """
            CASE WHEN t.actor_role = 'open311_client' AND t.actor_name LIKE 'open311:%' THEN SUBSTR(t.actor_name, 9) ELSE t.actor_name END
            """
        return try await db.sql.raw(
            """
            SELECT t.seq, t.action, t.from_state, t.to_state, \(personName(account: "a", fallback: program)) AS actor_name, t.actor_role,
                   d.code AS department_code, t.reason, t.at, fc.name_zh AS from_category_zh, fc.name_en AS from_category_en,
                   tc.name_zh AS to_category_zh, tc.name_en AS to_category_en
            FROM case_transitions t LEFT JOIN departments d ON d.id = t.department_id LEFT JOIN accounts a ON a.id = t.actor_id
                 LEFT JOIN case_recategorisations r ON r.case_id = t.case_id AND r.seq = t.seq
                 LEFT JOIN case_categories fc ON fc.code = r.from_code LEFT JOIN case_categories tc ON tc.code = r.to_code
            WHERE t.case_id = \(bind: id) ORDER BY t.seq
            """
        ).all(decoding: CaseTransitionRecord.self)
    }

    static func departments(on db: any Database) async throws -> [CaseDepartment] {
        try await db.sql.raw("SELECT id, code, name_zh, name_en FROM departments WHERE active = \(flag: true) ORDER BY sort_order, code")
            .all(decoding: CaseDepartment.self)
    }

    static func department(code: String, on db: any Database) async throws -> CaseDepartment? {
        try await db.sql.raw("SELECT id, code, name_zh, name_en FROM departments WHERE code = \(bind: code) AND active = \(flag: true)")
            .first(decoding: CaseDepartment.self)
    }

    /// The department an account is bound to, if any.
    static func department(of account: UUID, on db: any Database) async throws -> CaseDepartment? {
        try await db.sql.raw(
            """
            SELECT d.id, d.code, d.name_zh, d.name_en FROM department_accounts da JOIN departments d ON d.id = da.department_id
            WHERE da.account_id = \(bind: account)
            """
        ).first(decoding: CaseDepartment.self)
    }

    /// The category catalogue (大类 and 小类), active ones, in order (Open311 `services`).
    static func categories(on db: any Database) async throws -> [CaseCategoryRecord] {
        try await db.sql.raw(
            """
            SELECT cc.code, cc.parent_code, cc.kind, cc.name_zh, cc.name_en, d.code AS department_code, cc.limit_file, cc.limit_dispatch,
                   cc.limit_response, cc.limit_handle, cc.limit_verify
            FROM case_categories cc LEFT JOIN departments d ON d.id = cc.department_id WHERE cc.active = \(flag: true)
            ORDER BY cc.sort_order, cc.code
            """
        ).all(decoding: CaseCategoryRecord.self)
    }

    static func category(code: String, on db: any Database) async throws -> CaseCategoryRecord? {
        try await db.sql.raw(
            """
            SELECT cc.code, cc.parent_code, cc.kind, cc.name_zh, cc.name_en, d.code AS department_code, cc.limit_file, cc.limit_dispatch,
                   cc.limit_response, cc.limit_handle, cc.limit_verify
            FROM case_categories cc LEFT JOIN departments d ON d.id = cc.department_id WHERE cc.code = \(bind: code) AND cc.active = \(flag: true)
            """
        ).first(decoding: CaseCategoryRecord.self)
    }

    /// The case a token finds (Open311 `GET tokens/{token}`) among `visibility`'s: its id and number.
    static func byToken(_ token: String, visibility: SQLQueryString, on db: any Database) async throws -> (id: CaseID, number: String)? {
        struct Row: Decodable { var id: CaseID; var number: String }
        guard
            let row = try await db.sql.raw("SELECT c.id, c.number FROM cases c WHERE c.intake_token = \(bind: token) AND \(visibility)")
                .first(decoding: Row.self)
        else {
            return nil
        }
        return (row.id, row.number)
    }
}
