import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// Scoped reads of 6543 oversight. Every query puts the caller's reach in its WHERE clause:
/// a company is visible when its subdistrict lies in the caller's subtree or it serves a compound
/// that does; a compound as `CompoundQueries.visible`; a shop by its grid node; a resident reaches
/// only the compound of their own household (`residentCompounds`).
///
/// Figures for the dashboard (they read only; see docs/oversight.md): `standingCounts`,
/// `partyShareSummary`, `checklistSummary`, `programmeSummaries`, `shopCounts`.
package enum OversightQueries {
    static let partyTag = "id.party_member"

    static func today(_ now: Date) -> String { CivilDate(now, in: .shanghai).iso8601 }

    /// `pc` (a property company) is visible in `scope`.
    static func companyVisible(_ scope: GridScope) -> SQLQueryString {
        """
        (\(scope.contains(SQLColumn("subdistrict_id", table: "pc"))) OR EXISTS (SELECT 1 FROM property_contracts vk \
        JOIN compounds c ON c.id = vk.compound_id WHERE vk.company_id = pc.id AND \(CompoundQueries.visible(scope))))
        """
    }

    /// The compounds of the resident account's own household: its dwelling's compound, else the
    /// compound of the building at its building group. A subquery of compound ids.
    static func residentCompounds(_ account: UUID) -> SQLQueryString {
        """
        SELECT COALESCE(rd.compound_id, rb.compound_id) FROM resident_households rh JOIN households rhh ON rhh.id = rh.household_id \
        LEFT JOIN dwellings rd ON rd.id = rhh.dwelling_id \
        LEFT JOIN buildings rb ON rb.grid_node_id = rhh.grid_node_id AND rhh.dwelling_id IS NULL \
        WHERE rh.account_id = \(bind: account)
        """
    }

    /// Compound `c` (alias `c`) is reachable by `actor`: grid staff and owners' committees by scope,
    /// residents their own compound only, nobody else.
    static func compoundReach(_ actor: Actor) -> SQLQueryString {
        switch actor.role {
        case .resident: return "c.id IN (\(residentCompounds(actor.accountID)))"
        case _ where actor.role.isGridStaff || actor.role == .ownersCommittee: return CompoundQueries.visible(actor.scope)
        default: return "1 = 0"
        }
    }

    // MARK: companies

    struct CompanyFigures: Decodable {
        var id: UUID; var name: String; var licence_code: String; var manager_name: String
        var points: Int?; var open_count: Int; var overdue_count: Int; var compounds: Int
    }

    static func row(_ f: CompanyFigures) -> CompanyRow {
        let score = PropertyCredit.base + (f.points ?? 0)
        let standing = CreditStanding.evaluate(score: score, openRectifications: f.open_count, overdueRectifications: f.overdue_count)
        return CompanyRow(
            id: f.id, name: f.name, licence_code: f.licence_code, manager_name: f.manager_name, score: score,
            standing: standing.standing, standing_reason_zh: standing.reasonZH, standing_reason_en: standing.reasonEN,
            open_rectifications: f.open_count, overdue_rectifications: f.overdue_count, compounds: f.compounds)
    }

    private static func companySelect(today: String) -> SQLQueryString {
        """
        SELECT pc.id, pc.name, pc.licence_code, pc.manager_name,
          (SELECT CAST(SUM(e.points) AS BIGINT) FROM credit_entries e WHERE e.company_id = pc.id) AS points,
          (SELECT COUNT(*) FROM rectifications r WHERE r.company_id = pc.id AND r.status = 'open') AS open_count,
          (SELECT COUNT(*) FROM rectifications r WHERE r.company_id = pc.id AND r.status = 'open' AND r.due_on < \(bind: today)) AS overdue_count,
          (SELECT COUNT(DISTINCT k.compound_id) FROM property_contracts k WHERE k.company_id = pc.id AND k.ends_on >= \(bind: today)) AS compounds
        FROM property_companies pc
        """
    }

    /// The companies visible to `scope` with score and standing, best first.
    static func companies(in scope: GridScope, now: Date, on db: any Database) async throws -> [CompanyRow] {
        try await db.sql.raw("\(companySelect(today: today(now))) WHERE \(companyVisible(scope)) ORDER BY pc.name")
            .all(decoding: CompanyFigures.self).map(row).sorted { ($0.score, $1.name) > ($1.score, $0.name) }
    }

    static func company(_ id: UUID, in scope: GridScope, now: Date, on db: any Database) async throws -> CompanyRow? {
        try await company(id, reach: companyVisible(scope), now: now, on: db)
    }

    /// Company `id` when `reach` (a predicate on `pc`) holds.
    static func company(_ id: UUID, reach: SQLQueryString, now: Date, on db: any Database) async throws -> CompanyRow? {
        try await db.sql.raw("\(companySelect(today: today(now))) WHERE pc.id = \(bind: id) AND \(reach)")
            .first(decoding: CompanyFigures.self).map(row)
    }

    /// `pc` is reachable by `actor`: grid staff by scope (`companyVisible`), a property-company
    /// account only the company it is linked to (`company_accounts`), nobody else.
    static func companyReach(_ actor: Actor) -> SQLQueryString {
        switch actor.role {
        case .propertyCompany: return "pc.id IN (SELECT ca.company_id FROM company_accounts ca WHERE ca.account_id = \(bind: actor.accountID))"
        case _ where actor.role.isGridStaff: return companyVisible(actor.scope)
        default: return "1 = 0"
        }
    }

    /// The companies serving the compounds `compounds` (a subquery of ids, or one bound id) under a contract running today.
    static func companies(serving compounds: SQLQueryString, now: Date, on db: any Database) async throws -> [CompanyRow] {
        let today = today(now)
        return try await db.sql.raw(
            """
            \(companySelect(today: today)) WHERE pc.id IN (SELECT k.company_id FROM property_contracts k
              WHERE k.compound_id IN (\(compounds)) AND k.starts_on <= \(bind: today) AND k.ends_on >= \(bind: today)) ORDER BY pc.name
            """
        ).all(decoding: CompanyFigures.self).map(row)
    }

    /// A company's credit file as `actor` may read it (`companyReach`, in SQL).
    static func detail(_ id: UUID, for actor: Actor, now: Date, on db: any Database) async throws -> CompanyDetail? {
        guard let company = try await company(id, reach: companyReach(actor), now: now, on: db) else { return nil }
        let entries = try await db.sql.raw(
            """
            SELECT id, points, rule_code, reason_zh, reason_en, entry_date, source, source_id, recorded_by FROM credit_entries
            WHERE company_id = \(bind: id) ORDER BY entry_date DESC, created_at DESC
            """
        ).all(decoding: CreditEntryRow.self)
        let contracts = try await db.sql.raw(
            """
            SELECT k.id, k.compound_id, c.name AS compound_name, c.compound_type, k.starts_on, k.ends_on, k.fee_fen_per_m2
            FROM property_contracts k JOIN compounds c ON c.id = k.compound_id WHERE k.company_id = \(bind: id) ORDER BY k.starts_on DESC
            """
        ).all(decoding: ContractRow.self)
        let inspections = try await db.sql.raw(
            """
            SELECT i.id, i.inspected_on, i.outcome, i.finding, c.name AS compound_name, NULL AS shop_name, i.category_code, i.case_id,
                   cs.number AS case_number, i.credit_entry_id, i.rectification_id, i.inspector_name
            FROM oversight_inspections i LEFT JOIN compounds c ON c.id = i.compound_id LEFT JOIN cases cs ON cs.id = i.case_id
            WHERE i.company_id = \(bind: id) ORDER BY i.inspected_on DESC, i.created_at DESC LIMIT 100
            """
        ).all(decoding: InspectionRow.self)
        let rectifications = try await db.sql.raw(
            """
            SELECT id, reason_zh, reason_en, opened_on, due_on, status, closed_on, closing_note FROM rectifications
            WHERE company_id = \(bind: id) ORDER BY opened_on DESC
            """
        ).all(decoding: RectificationRow.self)
        let surveys = try await db.sql.raw(
            """
            SELECT s.id, c.name AS compound_name, s.surveyed_on, s.respondents, s.satisfied, s.credit_entry_id
            FROM satisfaction_surveys s JOIN compounds c ON c.id = s.compound_id WHERE s.company_id = \(bind: id) ORDER BY s.surveyed_on DESC
            """
        ).all(decoding: SurveyRow.self)
        let complaints = try await db.sql.raw(
            """
            SELECT q.id, q.case_id, cs.number AS case_number, cs.state AS case_state, cs.description AS case_description, q.upheld,
                   q.credit_entry_id
            FROM company_complaints q JOIN cases cs ON cs.id = q.case_id WHERE q.company_id = \(bind: id) ORDER BY q.created_at DESC
            """
        ).all(decoding: ComplaintRow.self)
        let staff = try await companyStaff(id, for: actor, now: now, on: db)
        return CompanyDetail(
            company: company, base: PropertyCredit.base, entries: entries, contracts: contracts, inspections: inspections,
            rectifications: rectifications, surveys: surveys, complaints: complaints, staff: staff.staff, party_share: staff.party_share,
            answers: try await companyAnswers(id, for: actor, on: db))
    }

    /// Dashboard figure: how many visible companies stand on each list (red_list, normal, black_list).
    static func standingCounts(in scope: GridScope, now: Date, on db: any Database) async throws -> [String: Int] {
        var counts = Dictionary(uniqueKeysWithValues: ListStanding.allCases.map { ($0.rawValue, 0) })
        for company in try await companies(in: scope, now: now, on: db) { counts[company.standing.rawValue, default: 0] += 1 }
        return counts
    }

    // MARK: owners' committees

    static func committees(for actor: Actor, on db: any Database) async throws -> [CommitteeRow] {
        try await db.sql.raw(
            """
            SELECT oc.id, oc.compound_id, c.name AS compound_name, oc.elected_on, oc.term_ends_on, oc.status,
                   (SELECT COUNT(*) FROM committee_members m WHERE m.committee_id = oc.id AND m.ended_on IS NULL) AS members
            FROM owners_committees oc JOIN compounds c ON c.id = oc.compound_id WHERE \(compoundReach(actor)) ORDER BY c.code
            """
        ).all(decoding: CommitteeRow.self)
    }

    static func committee(_ id: UUID, for actor: Actor, on db: any Database) async throws -> CommitteeRow? {
        try await db.sql.raw(
            """
            SELECT oc.id, oc.compound_id, c.name AS compound_name, oc.elected_on, oc.term_ends_on, oc.status,
                   (SELECT COUNT(*) FROM committee_members m WHERE m.committee_id = oc.id AND m.ended_on IS NULL) AS members
            FROM owners_committees oc JOIN compounds c ON c.id = oc.compound_id WHERE oc.id = \(bind: id) AND \(compoundReach(actor))
            """
        ).first(decoding: CommitteeRow.self)
    }

    /// Whether person `m.person_id` holds the party-member tag today (SQL). Only ever evaluated for
    /// roles that may see sensitive tags.
    package static func isPartyMember(personColumn: String, today: String) -> SQLQueryString {
        """
        EXISTS (SELECT 1 FROM tag_assignments pa JOIN tags pt ON pt.id = pa.tag_id WHERE pa.person_id = \(unsafeRaw: personColumn) \
        AND pt.code = \(bind: partyTag) AND pa.starts_on <= \(bind: today) AND (pa.ends_on IS NULL OR pa.ends_on > \(bind: today)))
        """
    }

    static func committeeDetail(_ id: UUID, for actor: Actor, now: Date, on db: any Database) async throws -> CommitteeDetail? {
        guard let committee = try await committee(id, for: actor, on: db) else { return nil }
        let today = today(now)
        let sensitive = actor.role.seesSensitiveTags
        struct Member: Decodable {
            var id: UUID; var person_id: UUID; var name: String; var role: String; var term_starts_on: String; var term_ends_on: String
            var ended_on: String?; var party: Int?
        }
        let party: SQLQueryString = sensitive ? "CASE WHEN \(isPartyMember(personColumn: "m.person_id", today: today)) THEN 1 ELSE 0 END" : "NULL"
        let members = try await db.sql.raw(
            """
            SELECT m.id, m.person_id, p.name, m.role, m.term_starts_on, m.term_ends_on, m.ended_on, \(party) AS party
            FROM committee_members m JOIN persons p ON p.id = m.person_id WHERE m.committee_id = \(bind: id)
            ORDER BY m.ended_on IS NOT NULL, m.role, p.name
            """
        ).all(decoding: Member.self)
        let rows = members.map {
            CommitteeMemberRow(
                id: $0.id, person_id: $0.person_id, name: $0.name, role: $0.role, term_starts_on: $0.term_starts_on,
                term_ends_on: $0.term_ends_on, ended_on: $0.ended_on, party_member: sensitive ? ($0.party ?? 0) == 1 : nil)
        }
        var share: PartyShareRow?
        if sensitive {
            let current = rows.filter { $0.ended_on == nil }
            share = partyShare(CommitteePartyShare(members: current.count, partyMembers: current.filter { $0.party_member == true }.count))
        }
        let records = try await db.sql.raw(
            """
            SELECT id, kind, member_id, reason, recorded_on, recorded_by FROM committee_records WHERE committee_id = \(bind: id)
            ORDER BY recorded_on DESC, created_at DESC
            """
        ).all(decoding: CommitteeRecordRow.self)
        let disclosures = try await disclosures(for: actor, committee: id, limit: 100, on: db)
        return CommitteeDetail(committee: committee, members: rows, party_share: share, records: records, disclosures: disclosures)
    }

    static func partyShare(_ share: CommitteePartyShare) -> PartyShareRow {
        PartyShareRow(
            members: share.members, party_members: share.partyMembers, percent: share.percent, target_percent: 50,
            meets_target: share.meetsTarget)
    }

    /// Dashboard figure: committees in scope, how many meet the 50 % party-member target, and the
    /// members and party members in all. nil for roles that may not see sensitive tags.
    struct PartyShareSummary: Codable, Sendable { var committees: Int; var meeting_target: Int; var members: Int; var party_members: Int }

    static func partyShareSummary(for actor: Actor, now: Date, on db: any Database) async throws -> PartyShareSummary? {
        guard let shares = try await committeePartyShares(for: actor, now: now, on: db) else { return nil }
        return PartyShareSummary(
            committees: shares.committees, meeting_target: shares.meeting_target, members: shares.members,
            party_members: shares.party_members)
    }

    /// Each owners' committee `actor` reaches (`compoundReach`: their scope) with its current
    /// members and party members, and the totals — one statement; nil for roles that may not see
    /// sensitive tags. The dashboard summary and the organisations figures read it.
    static func committeePartyShares(for actor: Actor, now: Date, on db: any Database) async throws -> OwnersCommitteeShares? {
        guard actor.role.seesSensitiveTags else { return nil }
        struct Row: Decodable { var committee_id: UUID; var compound_id: UUID; var compound_name: String; var members: Int; var party: Int? }
        let rows = try await db.sql.raw(
            """
            SELECT oc.id AS committee_id, c.id AS compound_id, c.name AS compound_name, COUNT(m.id) AS members,
                   CAST(SUM(CASE WHEN m.id IS NOT NULL AND \(isPartyMember(personColumn: "m.person_id", today: today(now))) THEN 1 ELSE 0 END)
                        AS BIGINT) AS party
            FROM owners_committees oc JOIN compounds c ON c.id = oc.compound_id
            LEFT JOIN committee_members m ON m.committee_id = oc.id AND m.ended_on IS NULL
            WHERE \(compoundReach(actor)) GROUP BY oc.id, c.id, c.name, c.code ORDER BY c.code, oc.id
            """
        ).all(decoding: Row.self)
        let shares = rows.map { row in
            let share = partyShare(CommitteePartyShare(members: row.members, partyMembers: row.party ?? 0))
            return CommitteeShareRow(
                committee_id: row.committee_id, compound_id: row.compound_id, compound_name: row.compound_name,
                members: share.members, party_members: share.party_members, percent: share.percent,
                target_percent: share.target_percent, meets_target: share.meets_target)
        }
        return OwnersCommitteeShares(
            committees: shares.count, meeting_target: shares.filter(\.meets_target).count,
            members: shares.reduce(0) { $0 + $1.members }, party_members: shares.reduce(0) { $0 + $1.party_members },
            rows: shares)
    }

    static let disclosureColumns = "d.id, d.compound_id, c.name AS compound_name, d.kind, d.title, d.body, d.amount_fen, d.published_on"

    /// Disclosures the caller may read: a resident those of their own compound only (in SQL).
    static func disclosures(for actor: Actor, committee: UUID? = nil, limit: Int, on db: any Database) async throws -> [DisclosureRow] {
        let only: SQLQueryString = committee.map { "AND d.committee_id = \(bind: $0)" } ?? ""
        return try await db.sql.raw(
            """
            SELECT \(unsafeRaw: disclosureColumns) FROM committee_disclosures d JOIN compounds c ON c.id = d.compound_id
            WHERE \(compoundReach(actor)) \(only) ORDER BY d.published_on DESC, d.created_at DESC LIMIT \(count: limit)
            """
        ).all(decoding: DisclosureRow.self)
    }

    static func disclosure(_ id: UUID, for actor: Actor, on db: any Database) async throws -> DisclosureRow? {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: disclosureColumns) FROM committee_disclosures d JOIN compounds c ON c.id = d.compound_id
            WHERE d.id = \(bind: id) AND \(compoundReach(actor))
            """
        ).first(decoding: DisclosureRow.self)
    }

    /// The resident's own compound(s): type and goal, the companies serving it and its disclosures.
    static func myCompounds(_ actor: Actor, now: Date, on db: any Database) async throws -> [MyCompound] {
        struct C: Decodable { var id: UUID; var name: String; var compound_type: String }
        let compounds = try await db.sql.raw(
            """
            SELECT c.id, c.name, c.compound_type FROM compounds c WHERE c.id IN (\(residentCompounds(actor.accountID))) ORDER BY c.code
            """
        ).all(decoding: C.self)
        var result: [MyCompound] = []
        for c in compounds {
            let companies = try await companies(serving: "\(bind: c.id)", now: now, on: db)
            let disclosures = try await db.sql.raw(
                """
                SELECT \(unsafeRaw: disclosureColumns) FROM committee_disclosures d JOIN compounds c ON c.id = d.compound_id
                WHERE d.compound_id = \(bind: c.id) AND c.id IN (\(residentCompounds(actor.accountID)))
                ORDER BY d.published_on DESC, d.created_at DESC LIMIT 50
                """
            ).all(decoding: DisclosureRow.self)
            let type = CompoundType(rawValue: c.compound_type)
            result.append(
                MyCompound(
                    compound_id: c.id, compound_name: c.name, compound_type: c.compound_type, goal_zh: type?.goalZH ?? "",
                    companies: companies, disclosures: disclosures))
        }
        return result
    }

    // MARK: shops

    static func shops(in scope: GridScope, search: String?, limit: Int, offset: Int, on db: any Database) async throws -> (
        rows: [ShopRow], total: Int
    ) {
        let filter: SQLQueryString = search.map { "AND (s.name LIKE \(containing: $0) OR s.address LIKE \(containing: $0))" } ?? ""
        struct Count: Decodable { var n: Int }
        let total =
            try await db.sql.raw("SELECT COUNT(*) AS n FROM shops s WHERE \(scope.contains(SQLColumn("grid_node_id", table: "s"))) \(filter)")
            .first(decoding: Count.self)?.n ?? 0
        let rows = try await db.sql.raw(
            """
            SELECT s.id, s.name, s.licence_code, s.category, s.address, s.contact_name, s.phone_masked, n.code AS grid_code, n.name AS grid_name,
                   (SELECT MAX(sp.signed_on) FROM shop_pledges sp WHERE sp.shop_id = s.id) AS pledged_on,
                   (SELECT sp.duties FROM shop_pledges sp WHERE sp.shop_id = s.id ORDER BY sp.signed_on DESC LIMIT 1) AS duties
            FROM shops s JOIN grid_nodes n ON n.id = s.grid_node_id
            WHERE \(scope.contains(SQLColumn("grid_node_id", table: "s"))) \(filter) ORDER BY n.code, s.name LIMIT \(count: limit) OFFSET \(count: offset)
            """
        ).all(decoding: ShopRow.self)
        return (rows, total)
    }

    static func shop(_ id: UUID, in scope: GridScope, on db: any Database) async throws -> ShopRow? {
        try await db.sql.raw(
            """
            SELECT s.id, s.name, s.licence_code, s.category, s.address, s.contact_name, s.phone_masked, n.code AS grid_code, n.name AS grid_name,
                   (SELECT MAX(sp.signed_on) FROM shop_pledges sp WHERE sp.shop_id = s.id) AS pledged_on,
                   (SELECT sp.duties FROM shop_pledges sp WHERE sp.shop_id = s.id ORDER BY sp.signed_on DESC LIMIT 1) AS duties
            FROM shops s JOIN grid_nodes n ON n.id = s.grid_node_id WHERE s.id = \(bind: id) AND \(scope.contains(SQLColumn("grid_node_id", table: "s")))
            """
        ).first(decoding: ShopRow.self)
    }

    /// Dashboard figure: shops (一店一档) in scope and how many have signed a 门责制 pledge.
    struct ShopCounts: Codable, Sendable { var shops: Int; var pledged: Int }

    static func shopCounts(in scope: GridScope, on db: any Database) async throws -> ShopCounts {
        try await db.sql.raw(
            """
            SELECT COUNT(*) AS shops, COUNT(DISTINCT sp.shop_id) AS pledged FROM shops s
            LEFT JOIN (SELECT DISTINCT shop_id FROM shop_pledges) sp ON sp.shop_id = s.id
            WHERE \(scope.contains(SQLColumn("grid_node_id", table: "s")))
            """
        ).first(decoding: ShopCounts.self) ?? ShopCounts(shops: 0, pledged: 0)
    }

    // MARK: checklists and programmes

    /// Each visible compound with its type's checklist and the state of every measure.
    static func checklists(in scope: GridScope, compound: UUID? = nil, on db: any Database) async throws -> [ChecklistRow] {
        struct C: Decodable { var id: UUID; var name: String; var compound_type: String; var department: String?; var leader_name: String? }
        struct M: Decodable { var compound_id: UUID; var measure_code: String; var status: MeasureStatus; var note: String; var updated_on: String }
        let only: SQLQueryString = compound.map { "AND c.id = \(bind: $0)" } ?? ""
        let compounds = try await db.sql.raw(
            """
            SELECT c.id, c.name, c.compound_type, l.department, l.leader_name FROM compounds c LEFT JOIN compound_leads l ON l.compound_id = c.id
            WHERE \(CompoundQueries.visible(scope)) \(only) ORDER BY c.code
            """
        ).all(decoding: C.self)
        let measures = try await db.sql.raw(
            """
            SELECT m.compound_id, m.measure_code, m.status, m.note, m.updated_on FROM compound_measures m JOIN compounds c ON c.id = m.compound_id
            WHERE \(CompoundQueries.visible(scope)) \(only)
            """
        ).all(decoding: M.self)
        var byCompound: [UUID: [String: M]] = [:]
        for m in measures { byCompound[m.compound_id, default: [:]][m.measure_code] = m }
        return compounds.compactMap { c in
            guard let type = CompoundType(rawValue: c.compound_type) else { return nil }
            let rows = type.checklist.map { measure -> MeasureRow in
                let state = byCompound[c.id]?[measure.code]
                return MeasureRow(
                    code: measure.code, name_zh: measure.nameZH, name_en: measure.nameEN,
                    status: state?.status ?? .notStarted, note: state?.note ?? "", updated_on: state?.updated_on)
            }
            let progress = ChecklistProgress(done: rows.filter { $0.status == .done }.count, total: rows.count)
            return ChecklistRow(
                compound_id: c.id, compound_name: c.name, compound_type: c.compound_type, goal_zh: type.goalZH,
                main_line_zh: type.mainLineZH, lead_department: c.department, leader_name: c.leader_name,
                done: progress.done, total: progress.total, percent: progress.percent, measures: rows)
        }
    }

    /// Dashboard figure: checklist progress by compound type (measures done / measures) in scope.
    static func checklistSummary(in scope: GridScope, on db: any Database) async throws -> [String: ChecklistProgress] {
        var result: [String: ChecklistProgress] = [:]
        for row in try await checklists(in: scope, on: db) {
            let old = result[row.compound_type] ?? ChecklistProgress(done: 0, total: 0)
            result[row.compound_type] = ChecklistProgress(done: old.done + row.done, total: old.total + row.total)
        }
        return result
    }

    /// `gp` (a governance project) is visible: its compound is, or (no compound) its subdistrict is.
    static func projectVisible(_ scope: GridScope) -> SQLQueryString {
        """
        ((gp.compound_id IS NULL AND \(scope.contains(SQLColumn("subdistrict_id", table: "gp")))) OR gp.compound_id IN \
        (SELECT c.id FROM compounds c WHERE \(CompoundQueries.visible(scope))))
        """
    }

    /// The visible projects (only `project` when given) with their milestones, by concern and name.
    static func projects(in scope: GridScope, only project: UUID? = nil, on db: any Database) async throws -> [ProjectRow] {
        struct P: Decodable {
            var id: UUID; var concern: GovernanceConcern; var name: String; var compound_name: String?; var department: String;
            var leader_name: String
            var budget_fen: Int64; var spent_fen: Int64; var status: String
        }
        struct M: Decodable { var id: UUID; var project_id: UUID; var name: String; var due_on: String; var done_on: String? }
        let only: SQLQueryString = project.map { "AND gp.id = \(bind: $0)" } ?? ""
        let projects = try await db.sql.raw(
            """
            SELECT gp.id, gp.concern, gp.name, c.name AS compound_name, gp.department, gp.leader_name, gp.budget_fen, gp.spent_fen, gp.status
            FROM governance_projects gp LEFT JOIN compounds c ON c.id = gp.compound_id WHERE \(projectVisible(scope)) \(only) ORDER BY gp.concern, gp.name
            """
        ).all(decoding: P.self)
        let milestones = try await db.sql.raw(
            """
            SELECT gm.id, gm.project_id, gm.name, gm.due_on, gm.done_on FROM governance_milestones gm JOIN governance_projects gp ON gp.id = gm.project_id
            WHERE \(projectVisible(scope)) \(only) ORDER BY gm.due_on, gm.name
            """
        ).all(decoding: M.self)
        var byProject: [UUID: [MilestoneRow]] = [:]
        for m in milestones {
            byProject[m.project_id, default: []].append(MilestoneRow(id: m.id, name: m.name, due_on: m.due_on, done_on: m.done_on))
        }
        return projects.map {
            ProjectRow(
                id: $0.id, concern: $0.concern, name: $0.name, compound_name: $0.compound_name, department: $0.department,
                leader_name: $0.leader_name, budget_fen: $0.budget_fen, spent_fen: $0.spent_fen, status: $0.status,
                milestones: byProject[$0.id] ?? [])
        }
    }

    static func project(_ id: UUID, in scope: GridScope, on db: any Database) async throws -> ProjectRow? {
        try await projects(in: scope, only: id, on: db).first
    }

    /// The five concerns as programmes with their projects, budgets and milestones.
    static func programmes(in scope: GridScope, on db: any Database) async throws -> [ProgrammeRow] {
        let projects = try await projects(in: scope, on: db)
        return GovernanceConcern.allCases.map { concern in
            let items = projects.filter { $0.concern == concern }
            let ms = items.flatMap(\.milestones)
            return ProgrammeRow(
                concern: concern, name_zh: concern.nameZH, name_en: concern.nameEN, projects: items.count,
                budget_fen: items.reduce(0) { $0 + $1.budget_fen }, spent_fen: items.reduce(0) { $0 + $1.spent_fen },
                milestones: ms.count, milestones_done: ms.filter { $0.done_on != nil }.count, items: items)
        }
    }

    /// Dashboard figure: per concern, projects, budget and spending (fen), milestones done / all.
    static func programmeSummaries(in scope: GridScope, on db: any Database) async throws -> [ProgrammeRow] {
        try await programmes(in: scope, on: db).map {
            var p = $0; p.items = []; return p
        }
    }
}
