import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Reads of 组织力工程, every one scoped in SQL. Organisations are visible to grid staff when
/// they are built at a node inside the caller's subtree. Membership of a party organisation is
/// a specific identity (PIPL art. 28): it is read only by the roles that may see the register's
/// sensitive tags (`Role.seesSensitiveTags`, the same rule as `RegistryQueries.sensitiveFilter`),
/// and so are 双报到 registrations (they say who is a party member), except a member's own.
enum OrganisationsQueries {
    /// Roles that create and change organisations, members, posts and co-building records:
    /// those entitled to see party membership.
    static let managers: Set<Role> = Set(Role.allCases.filter(\.seesSensitiveTags))
    /// Roles that read organisations (membership of party ones only if `seesSensitiveTags`).
    static let readers: Set<Role> = Set(Role.allCases.filter(\.isGridStaff))
    /// Roles that register themselves as in-service members (双报到).
    static let selfRegistering: Set<Role> = [.resident, .volunteer]

    /// `o` (organisations) lies inside the caller's scope.
    static func visible(_ actor: Actor, alias: String = "o") -> SQLQueryString {
        actor.scope.contains(SQLColumn("grid_node_id", table: alias))
    }

    /// Leaves out sensitive organisations' memberships for roles that may not see them: the
    /// register's own rule (`RegistryQueries.sensitiveFilter`) applied to `organisations.sensitive`.
    static func sensitiveFilter(_ role: Role, alias: String = "o") -> SQLQueryString {
        RegistryQueries.sensitiveFilter(role, tagAlias: alias)
    }

    static func current(_ alias: String, today: CivilDate) -> SQLQueryString {
        "(\(ident: alias).ends_on IS NULL OR \(ident: alias).ends_on > \(bind: today.iso8601))"
    }

    /// The SQL condition "the person in `personColumn` is a party member today": a current
    /// `id.party_member` tag in the register. Party organisations keep it true for their members
    /// (adding a member gives the tag in the same transaction); a member whose organisational
    /// relation lies elsewhere (an in-service member) carries the tag without a membership here.
    /// For the oversight capability's owners'-committee member share (P2, ≥ 50 %) and the
    /// dashboard. The caller must itself be entitled to sensitive data or aggregate the result.
    static func partyMemberCondition(personColumn: any SQLExpression, today: CivilDate) -> SQLQueryString {
        """
        EXISTS (SELECT 1 FROM tag_assignments pa JOIN tags pt ON pt.id = pa.tag_id
                WHERE pa.person_id = \(personColumn) AND pt.code = \(bind: OrganisationsService.partyTag)
                  AND (pa.ends_on IS NULL OR pa.ends_on > \(bind: today.iso8601)))
        """
    }

    /// Which of `personIDs` are party members today (see `partyMemberCondition`).
    static func partyMembers(among personIDs: [UUID], today: CivilDate, on db: any Database) async throws -> Set<UUID> {
        guard !personIDs.isEmpty else { return [] }
        struct Row: Decodable { var id: UUID }
        var found: Set<UUID> = []
        for chunk in stride(from: 0, to: personIDs.count, by: 500).map({ Array(personIDs[$0..<min($0 + 500, personIDs.count)]) }) {
            let rows = try await db.sql.raw(
                """
                SELECT p.id FROM persons p WHERE p.id IN (\(binds: chunk))
                AND \(partyMemberCondition(personColumn: SQLColumn("id", table: "p"), today: today))
                """
            ).all(decoding: Row.self)
            found.formUnion(rows.map(\.id))
        }
        return found
    }

    static func memberCount(_ role: Role, today: CivilDate) -> SQLQueryString {
        let count: SQLQueryString = "(SELECT COUNT(*) FROM organisation_members m WHERE m.organisation_id = o.id AND \(current("m", today: today)))"
        return role.seesSensitiveTags ? count : "CASE WHEN o.sensitive = \(flag: true) THEN 0 ELSE \(count) END"
    }

    static let columns = """
        o.id, o.name, o.kind, o.basis, o.sensitive, n.code AS grid_code, n.name AS grid_name, o.parent_id, p.name AS parent_name,
        o.service_unit_id, u.name AS unit_name, o.compound_id, o.purpose, o.starts_on, o.ends_on, o.closed_on, o.term_ends_on
        """
    static let joins = """
        organisations o JOIN grid_nodes n ON n.id = o.grid_node_id LEFT JOIN organisations p ON p.id = o.parent_id
        LEFT JOIN service_units u ON u.id = o.service_unit_id
        """

    static func list(
        for actor: Actor, kind: String?, node: GridNodeSummary?, openOnly: Bool, limit: Int, offset: Int, today: CivilDate,
        on db: any Database
    ) async throws -> [OrganisationRow] {
        let kindFilter: SQLQueryString = kind.map { "AND o.kind = \(bind: $0)" } ?? ""
        let nodeFilter: SQLQueryString =
            node.map {
                "AND o.grid_node_id IN (SELECT descendant_id FROM grid_closure WHERE ancestor_id = \(bind: $0.id))"
            } ?? ""
        let openFilter: SQLQueryString = openOnly ? "AND o.closed_on IS NULL AND \(current("o", today: today))" : ""
        return try await db.sql.raw(
            """
            SELECT \(unsafeRaw: columns), \(memberCount(actor.role, today: today)) AS members FROM \(unsafeRaw: joins)
            WHERE \(visible(actor)) \(kindFilter) \(nodeFilter) \(openFilter)
            ORDER BY n.path, o.kind, o.name, o.id LIMIT \(count: limit) OFFSET \(count: offset)
            """
        ).all(decoding: OrganisationRow.self)
    }

    /// How many organisations `list` would page through (the same filters, no limit).
    static func count(
        for actor: Actor, kind: String?, node: GridNodeSummary?, openOnly: Bool, today: CivilDate,
        on db: any Database
    ) async throws -> Int {
        let kindFilter: SQLQueryString = kind.map { "AND o.kind = \(bind: $0)" } ?? ""
        let nodeFilter: SQLQueryString =
            node.map {
                "AND o.grid_node_id IN (SELECT descendant_id FROM grid_closure WHERE ancestor_id = \(bind: $0.id))"
            } ?? ""
        let openFilter: SQLQueryString = openOnly ? "AND o.closed_on IS NULL AND \(current("o", today: today))" : ""
        struct N: Decodable { var n: Int }
        return try await db.sql.raw(
            """
            SELECT COUNT(*) AS n FROM organisations o WHERE \(visible(actor)) \(kindFilter) \(nodeFilter) \(openFilter)
            """
        ).first(decoding: N.self)?.n ?? 0
    }

    static func organisation(_ id: UUID, for actor: Actor, today: CivilDate, on db: any Database) async throws -> OrganisationRow? {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: columns), \(memberCount(actor.role, today: today)) AS members FROM \(unsafeRaw: joins)
            WHERE o.id = \(bind: id) AND \(visible(actor))
            """
        ).first(decoding: OrganisationRow.self)
    }

    static func detail(_ id: UUID, for actor: Actor, today: CivilDate, on db: any Database) async throws -> OrganisationDetail? {
        guard let row = try await organisation(id, for: actor, today: today, on: db) else { return nil }
        let history = try await db.sql.raw(
            """
            SELECT action, old_value, new_value, reason, actor_name, created_at FROM organisation_changes
            WHERE organisation_id = \(bind: id) ORDER BY seq
            """
        ).all(decoding: OrganisationChangeRow.self)
        let children = try await db.sql.raw(
            """
            SELECT \(unsafeRaw: columns), \(memberCount(actor.role, today: today)) AS members FROM \(unsafeRaw: joins)
            WHERE o.parent_id = \(bind: id) AND \(visible(actor)) ORDER BY o.kind, o.name, o.id LIMIT 500
            """
        ).all(decoding: OrganisationRow.self)
        let open = OrganisationDates.isOpen(
            closedOn: row.closed_on.flatMap { try? CivilDate(parsing: $0) },
            endsOn: row.ends_on.flatMap { try? CivilDate(parsing: $0) }, on: today)
        let terms = try await db.sql.raw(
            """
            SELECT seq, starts_on, ends_on, closed_on, reason, created_by FROM organisation_terms WHERE organisation_id = \(bind: id) ORDER BY seq
            """
        ).all(decoding: TermRow.self)
        return OrganisationDetail(organisation: row, open: open, history: history, children: children, terms: terms)
    }

    /// The members of an organisation whose persons lie in the caller's scope; nil when the
    /// organisation is sensitive and the role may not see its members (the caller answers 403).
    static func members(
        of org: OrganisationRow, for actor: Actor, today: CivilDate, includeEnded: Bool, limit: Int = 1_000,
        on db: any Database
    ) async throws -> [MemberRow]? {
        if org.sensitive && !actor.role.seesSensitiveTags { return nil }
        let endedFilter: SQLQueryString = includeEnded ? "" : "AND \(current("m", today: today))"
        return try await db.sql.raw(
            """
            SELECT m.id, m.person_id, p.name, n.code AS grid_code, m.role, m.starts_on, m.ends_on, m.shows_identity, m.shows_identity_on
            FROM organisation_members m JOIN organisations o ON o.id = m.organisation_id JOIN persons p ON p.id = m.person_id
            JOIN grid_nodes n ON n.id = m.grid_node_id
            WHERE m.organisation_id = \(bind: org.id) AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "m")))
              \(sensitiveFilter(actor.role)) \(endedFilter)
            ORDER BY m.ends_on IS NOT NULL, m.role, p.name, m.id LIMIT \(count: limit)
            """
        ).all(decoding: MemberRow.self)
    }

    static func posts(for actor: Actor, node: GridNodeSummary?, kind: String?, limit: Int, on db: any Database) async throws -> [PostRow] {
        let scope: SQLQueryString
        if actor.role.isGridStaff {
            scope = actor.scope.contains(SQLColumn("grid_node_id", table: "t"))
        } else {
            let community = try await homeCommunity(of: actor, on: db)?.id ?? UUID()
            scope = "t.grid_node_id IN (SELECT descendant_id FROM grid_closure WHERE ancestor_id = \(bind: community))"
        }
        let nodeFilter: SQLQueryString =
            node.map { "AND t.grid_node_id IN (SELECT descendant_id FROM grid_closure WHERE ancestor_id = \(bind: $0.id))" } ?? ""
        let kindFilter: SQLQueryString = kind.map { "AND t.kind = \(bind: $0)" } ?? ""
        return try await db.sql.raw(
            """
            SELECT t.id, t.kind, t.name, t.mission, n.code AS grid_code, n.name AS grid_name, o.name AS organisation_name, t.starts_on, t.ends_on,
                   (SELECT COUNT(*) FROM post_claims c WHERE c.post_id = t.id) AS claims
            FROM organisation_posts t JOIN grid_nodes n ON n.id = t.grid_node_id LEFT JOIN organisations o ON o.id = t.organisation_id
            WHERE \(scope) \(nodeFilter) \(kindFilter) ORDER BY n.path, t.kind, t.name, t.id LIMIT \(count: limit)
            """
        ).all(decoding: PostRow.self)
    }

    static func leaders(for actor: Actor, node: GridNodeSummary?, today: CivilDate, limit: Int, on db: any Database) async throws -> [LeaderRow] {
        let nodeFilter: SQLQueryString =
            node.map { "AND l.grid_node_id IN (SELECT descendant_id FROM grid_closure WHERE ancestor_id = \(bind: $0.id))" } ?? ""
        return try await db.sql.raw(
            """
            SELECT l.id, l.person_id, p.name, n.code AS grid_code, n.name AS grid_name, l.starts_on, l.ends_on
            FROM building_group_leaders l JOIN persons p ON p.id = l.person_id JOIN grid_nodes n ON n.id = l.grid_node_id
            WHERE \(actor.scope.contains(SQLColumn("grid_node_id", table: "l"))) AND \(current("l", today: today)) \(nodeFilter)
            ORDER BY n.path, l.id LIMIT \(count: limit)
            """
        ).all(decoding: LeaderRow.self)
    }

    /// The residential area (community) above the caller's node, or the node itself.
    static func homeCommunity(of actor: Actor, on db: any Database) async throws -> GridNodeSummary? {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: GridQueries.columns) FROM grid_nodes n JOIN grid_closure c ON c.ancestor_id = n.id
            WHERE c.descendant_id = \(bind: actor.scope.rootID) AND n.level = \(bind: GridLevel.residentialArea.rawValue)
            """
        ).first(decoding: GridNodeSummary.self)
    }

    /// Units (驻区单位, `service_units`) of the caller's subdistrict; for an account above the
    /// subdistricts (an administrator bound to the city), those placed inside its scope.
    static func unitVisible(_ actor: Actor) -> SQLQueryString {
        if let sub = actor.subdistrictID { return "u.subdistrict_id = \(bind: sub)" }
        return actor.scope.contains(SQLColumn("grid_node_id", table: "u"))
    }

    static func units(for actor: Actor, on db: any Database) async throws -> [UnitRow] {
        try await db.sql.raw(
            """
            SELECT u.id, u.name, u.unit_kind FROM service_units u WHERE \(unitVisible(actor)) ORDER BY u.name, u.id LIMIT 500
            """
        ).all(decoding: UnitRow.self)
    }

    static func unit(_ id: UUID, for actor: Actor, on db: any Database) async throws -> UnitRow? {
        try await db.sql.raw(
            """
            SELECT u.id, u.name, u.unit_kind FROM service_units u WHERE u.id = \(bind: id) AND \(unitVisible(actor))
            """
        ).first(decoding: UnitRow.self)
    }

    /// Registrations the caller may read: their own, or (roles entitled to sensitive data) those
    /// with the home community in scope.
    static func registrationVisible(_ actor: Actor) -> SQLQueryString {
        // A registration is filed at the residential area above the member; a cadre bound below
        // the area still sees the registrations of the persons and accounts in their own subtree
        // (else "already registered" would tell them what they cannot read).
        if actor.role.seesSensitiveTags {
            return """
                (\(actor.scope.contains(SQLColumn("grid_node_id", table: "r")))
                 OR r.person_id IN (SELECT rp.id FROM persons rp WHERE \(actor.scope.contains(SQLColumn("grid_node_id", table: "rp"))))
                 OR r.account_id IN (SELECT ra.id FROM accounts ra WHERE \(actor.scope.contains(SQLColumn("grid_node_id", table: "ra")))))
                """
        }
        return "r.account_id = \(bind: actor.accountID)"
    }

    static let registrationColumns = """
        r.id, r.member_name, a.username, n.code AS community_code, n.name AS community_name, r.service_unit_id, u.name AS unit_name,
        r.shows_identity, r.shows_identity_on, r.registered_on,
        CAST(COALESCE((SELECT SUM(s.minutes) FROM dual_service_records s WHERE s.registration_id = r.id), 0) AS BIGINT) AS minutes
        """
    static let registrationJoins = """
        dual_registrations r JOIN grid_nodes n ON n.id = r.grid_node_id JOIN service_units u ON u.id = r.service_unit_id
        LEFT JOIN accounts a ON a.id = r.account_id
        """

    static func registrations(for actor: Actor, unit: UUID?, limit: Int, on db: any Database) async throws -> [DualRegistrationRow] {
        let unitFilter: SQLQueryString = unit.map { "AND r.service_unit_id = \(bind: $0)" } ?? ""
        return try await db.sql.raw(
            """
            SELECT \(unsafeRaw: registrationColumns) FROM \(unsafeRaw: registrationJoins)
            WHERE \(registrationVisible(actor)) AND r.ended_on IS NULL \(unitFilter) ORDER BY n.path, r.member_name, r.id LIMIT \(count: limit)
            """
        ).all(decoding: DualRegistrationRow.self)
    }

    static func registration(_ id: UUID, for actor: Actor, on db: any Database) async throws -> DualRegistrationRow? {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: registrationColumns) FROM \(unsafeRaw: registrationJoins) WHERE r.id = \(bind: id) AND \(registrationVisible(actor))
            """
        ).first(decoding: DualRegistrationRow.self)
    }

    static func ownRegistration(_ actor: Actor, on db: any Database) async throws -> DualRegistrationRow? {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: registrationColumns) FROM \(unsafeRaw: registrationJoins) WHERE r.account_id = \(bind: actor.accountID)
            """
        ).first(decoding: DualRegistrationRow.self)
    }

    static func serviceRecords(of registration: UUID, limit: Int, on db: any Database) async throws -> [ServiceRecordRow] {
        try await db.sql.raw(
            """
            SELECT s.id, s.served_on, s.minutes, s.description, t.name AS post_name, s.recorded_by
            FROM dual_service_records s LEFT JOIN organisation_posts t ON t.id = s.post_id
            WHERE s.registration_id = \(bind: registration) ORDER BY s.served_on DESC, s.id LIMIT \(count: limit)
            """
        ).all(decoding: ServiceRecordRow.self)
    }

    static func claimedPosts(of registration: UUID, on db: any Database) async throws -> Set<UUID> {
        struct Row: Decodable { var post_id: UUID }
        return Set(
            try await db.sql.raw("SELECT post_id FROM post_claims WHERE registration_id = \(bind: registration)")
                .all(decoding: Row.self).map(\.post_id))
    }

    /// 双报告: the service the unit's registered members recorded between `from` and `to`
    /// (local dates, both included) in communities inside the caller's scope, by member; the
    /// totals are the sums of the lines.
    static func unitReport(_ unit: UnitRow, from: CivilDate, to: CivilDate, for actor: Actor, on db: any Database) async throws -> UnitReport {
        let lines = try await db.sql.raw(
            """
            SELECT r.id AS registration_id, r.member_name, n.name AS community_name, COUNT(*) AS records, CAST(SUM(s.minutes) AS BIGINT) AS minutes
            FROM dual_service_records s JOIN dual_registrations r ON r.id = s.registration_id JOIN grid_nodes n ON n.id = r.grid_node_id
            WHERE s.service_unit_id = \(bind: unit.id) AND s.served_on >= \(bind: from.iso8601) AND s.served_on <= \(bind: to.iso8601)
              AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "s")))
            GROUP BY r.id, r.member_name, n.name ORDER BY n.name, r.member_name, r.id
            """
        ).all(decoding: UnitReport.Line.self)
        return UnitReport(
            unit_id: unit.id, unit_name: unit.name, from: from.iso8601, to: to.iso8601, lines: lines,
            records: lines.reduce(0) { $0 + $1.records }, minutes: lines.reduce(0) { $0 + $1.minutes })
    }

    /// A unit's co-building file (lists, contracts and commitments in scope, points entries and their sum).
    static func coBuilding(_ unit: UnitRow, for actor: Actor, on db: any Database) async throws -> UnitCoBuilding {
        let items = try await db.sql.raw(
            """
            SELECT i.id, i.list_kind, i.title, i.detail, i.status FROM cobuild_items i
            WHERE i.service_unit_id = \(bind: unit.id) AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "i")))
            ORDER BY i.list_kind, i.created_at, i.id
            """
        ).all(decoding: CoBuildItemRow.self)
        struct Contract: Decodable { var id: UUID; var title: String; var community: String; var starts_on: String; var ends_on: String }
        let contracts = try await db.sql.raw(
            """
            SELECT c.id, c.title, n.name AS community, c.starts_on, c.ends_on FROM cobuild_contracts c JOIN grid_nodes n ON n.id = c.grid_node_id
            WHERE c.service_unit_id = \(bind: unit.id) AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "c")))
            ORDER BY c.starts_on, c.id
            """
        ).all(decoding: Contract.self)
        struct Commitment: Decodable {
            var contract_id: UUID; var id: UUID; var side: String; var content: String; var due_on: String; var delivered: Bool?;
            var checked_on: String?
        }
        let commitments =
            contracts.isEmpty
            ? []
            : try await db.sql.raw(
                """
                SELECT contract_id, id, side, content, due_on, delivered, checked_on FROM cobuild_commitments
                WHERE contract_id IN (\(binds: contracts.map(\.id))) ORDER BY due_on, id
                """
            ).all(decoding: Commitment.self)
        let points = try await db.sql.raw(
            """
            SELECT x.id, x.rule_code, x.quantity, x.points, x.explanation, x.reason, x.earned_on, x.created_by FROM cobuild_points x
            WHERE x.holder_kind = 'unit' AND x.service_unit_id = \(bind: unit.id) AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "x")))
            ORDER BY x.earned_on, x.created_at, x.id
            """
        ).all(decoding: PointsEntry.self)
        struct Total: Decodable { var total: Int? }
        let total =
            try await db.sql.raw(
                """
                SELECT CAST(SUM(x.points) AS BIGINT) AS total FROM cobuild_points x
                WHERE x.holder_kind = 'unit' AND x.service_unit_id = \(bind: unit.id) AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "x")))
                """
            ).first(decoding: Total.self)?.total ?? 0
        return UnitCoBuilding(
            unit: unit, items: items,
            contracts: contracts.map { c in
                CoBuildContractRow(
                    id: c.id, title: c.title, community: c.community, starts_on: c.starts_on, ends_on: c.ends_on,
                    commitments: commitments.filter { $0.contract_id == c.id }.map {
                        CoBuildCommitmentRow(
                            id: $0.id, side: $0.side, content: $0.content, due_on: $0.due_on, delivered: $0.delivered, checked_on: $0.checked_on)
                    })
            }, points: points, points_total: total)
    }

    /// An in-service member's points entries and their sum (the caller has checked the registration).
    static func memberPoints(_ registration: UUID, on db: any Database) async throws -> MemberPoints {
        let points = try await db.sql.raw(
            """
            SELECT x.id, x.rule_code, x.quantity, x.points, x.explanation, x.reason, x.earned_on, x.created_by FROM cobuild_points x
            WHERE x.holder_kind = 'member' AND x.registration_id = \(bind: registration) ORDER BY x.earned_on, x.created_at, x.id
            """
        ).all(decoding: PointsEntry.self)
        struct Total: Decodable { var total: Int? }
        let total =
            try await db.sql.raw(
                """
                SELECT CAST(SUM(x.points) AS BIGINT) AS total FROM cobuild_points x WHERE x.holder_kind = 'member' AND x.registration_id = \(bind: registration)
                """
            ).first(decoding: Total.self)?.total ?? 0
        return MemberPoints(registration_id: registration, points: points, points_total: total)
    }

    /// Item 7 (the dashboard's 党的建设 and 社会参与 domains): open organisations by kind and
    /// basis; compounds with an open party organisation bound to them; micro-grids with an
    /// open party organisation at or below them; current party-organisation members and those
    /// showing their identity (persons and households); in-service members registered and
    /// those who recorded service in the 365 days up to `today`; posts by kind; current
    /// building-group leaders. Counts only, inside `scope`; no names. `coverage: false` (the
    /// dashboard's party panel, which shows none of them) leaves at 0 the counts of compounds and
    /// micro-grids (covered or not), members showing identity, responsibility areas, commando
    /// teams and building-group leaders.
    static func figures(in scope: GridScope, today: CivilDate, coverage: Bool = true, on db: any Database) async throws
        -> OrganisationFigures
    {
        let open: SQLQueryString = "o.closed_on IS NULL AND \(current("o", today: today))"
        let byKind = try await db.sql.raw(
            """
            SELECT o.kind, o.basis, COUNT(*) AS open FROM organisations o
            WHERE \(scope.contains(SQLColumn("grid_node_id", table: "o"))) AND \(open)
            GROUP BY o.kind, o.basis ORDER BY o.kind, o.basis
            """
        ).all(decoding: OrganisationFigures.KindCount.self)
        let yearAgo = (try? today.adding(days: -365)) ?? today
        struct Counts: Decodable {
            var compounds: Int; var compounds_covered: Int; var micro_grids: Int; var micro_grids_covered: Int
            var dual_registered: Int; var dual_serving: Int; var model_posts: Int; var responsibility_areas: Int; var commando_teams: Int
            var building_group_leaders: Int
        }
        // Counted only with `coverage`.
        func part(_ count: SQLQueryString) -> SQLQueryString { coverage ? count : "0" }
        let compounds = part(
            "(SELECT COUNT(*) FROM compounds k WHERE \(scope.contains(SQLColumn("grid_node_id", table: "k"))))")
        let compoundsCovered = part(
            "(SELECT COUNT(*) FROM compounds k WHERE \(scope.contains(SQLColumn("grid_node_id", table: "k"))) AND EXISTS (SELECT 1 FROM organisations o WHERE o.compound_id = k.id AND o.sensitive = \(flag: true) AND \(open)))"
        )
        let microGrids = part(
            "(SELECT COUNT(*) FROM grid_nodes g WHERE g.level = \(bind: GridLevel.microGrid.rawValue) AND \(scope.contains(SQLColumn("id", table: "g"))))"
        )
        let microGridsCovered = part(
            "(SELECT COUNT(*) FROM grid_nodes g WHERE g.level = \(bind: GridLevel.microGrid.rawValue) AND \(scope.contains(SQLColumn("id", table: "g"))) AND EXISTS (SELECT 1 FROM organisations o JOIN grid_closure gc ON gc.descendant_id = o.grid_node_id WHERE gc.ancestor_id = g.id AND o.sensitive = \(flag: true) AND \(open)))"
        )
        let responsibilityAreas = part(
            "(SELECT COUNT(*) FROM organisation_posts t WHERE \(scope.contains(SQLColumn("grid_node_id", table: "t"))) AND t.kind = 'responsibility_area' AND \(current("t", today: today)))"
        )
        let commandoTeams = part(
            "(SELECT COUNT(*) FROM organisation_posts t WHERE \(scope.contains(SQLColumn("grid_node_id", table: "t"))) AND t.kind = 'commando_team' AND \(current("t", today: today)))"
        )
        let buildingGroupLeaders = part(
            "(SELECT COUNT(*) FROM building_group_leaders l WHERE \(scope.contains(SQLColumn("grid_node_id", table: "l"))) AND \(current("l", today: today)))"
        )
        // The members in one pass over the open party organisations' rows (a covering index;
        // `AddMemberHouseholds` keeps each member's household on the row).
        struct Members: Decodable { var party_members: Int; var members_showing_identity: Int; var households_showing_identity: Int }
        let members = try await db.sql.raw(
            """
            SELECT COUNT(DISTINCT m.person_id) AS party_members,
                   \(part("COUNT(DISTINCT CASE WHEN m.shows_identity = \(flag: true) THEN m.person_id END)")) AS members_showing_identity,
                   COUNT(DISTINCT CASE WHEN m.shows_identity = \(flag: true) THEN m.household_id END) AS households_showing_identity
            FROM organisations o JOIN organisation_members m \(VotingQueries.sqliteIndex("organisation_members_party", db)) ON m.organisation_id = o.id
            WHERE o.sensitive = \(flag: true) AND \(open) AND \(current("m", today: today))
              AND \(scope.rootLevel == .subdistrict ? "m.subdistrict_id = \(bind: scope.rootID)" : scope.contains(SQLColumn("grid_node_id", table: "m")))
            """
        ).first(decoding: Members.self)!
        let c = try await db.sql.raw(
            """
            SELECT
              \(compounds) AS compounds,
              \(compoundsCovered) AS compounds_covered,
              \(microGrids) AS micro_grids,
              \(microGridsCovered) AS micro_grids_covered,
              (SELECT COUNT(*) FROM dual_registrations r WHERE \(scope.contains(SQLColumn("grid_node_id", table: "r"))) AND r.ended_on IS NULL) AS dual_registered,
              (SELECT COUNT(*) FROM dual_registrations r WHERE \(scope.contains(SQLColumn("grid_node_id", table: "r")))
                 AND EXISTS (SELECT 1 FROM dual_service_records s WHERE s.registration_id = r.id
                               AND s.served_on > \(bind: yearAgo.iso8601) AND s.served_on <= \(bind: today.iso8601))) AS dual_serving,
              (SELECT COUNT(*) FROM organisation_posts t WHERE \(scope.contains(SQLColumn("grid_node_id", table: "t"))) AND t.kind = 'model_post' AND \(current("t", today: today))) AS model_posts,
              \(responsibilityAreas) AS responsibility_areas,
              \(commandoTeams) AS commando_teams,
              \(buildingGroupLeaders) AS building_group_leaders
            """
        ).first(decoding: Counts.self)!
        return OrganisationFigures(
            by_kind: byKind, compounds: c.compounds, compounds_covered: c.compounds_covered, micro_grids: c.micro_grids,
            micro_grids_covered: c.micro_grids_covered, party_members: members.party_members,
            members_showing_identity: members.members_showing_identity, households_showing_identity: members.households_showing_identity,
            dual_registered: c.dual_registered, dual_serving: c.dual_serving, model_posts: c.model_posts,
            responsibility_areas: c.responsibility_areas, commando_teams: c.commando_teams,
            building_group_leaders: c.building_group_leaders)
    }
}
