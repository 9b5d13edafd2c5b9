import Fluent
import Foundation
import MinqingDomain
import MinqingServer
import SQLKit

/// The 组织力工程 demo at the seed's scale, inside the demo's load transaction (bulk inserts).
///
/// - 临汾路街道党工委 at the subdistrict; under it the 机关党总支 with the three organ branches
///   (公共管理、公共服务、公共安全), 20 residential-area general branches, the 物业服务企业党建联盟,
///   the 区域化党建联盟, the 加装电梯临时党支部 (17 areas, 56 lifts, ending in half a year) and an
///   epidemic temporary branch that closed at its end date (its members' rows stay, ended).
/// - By place (地缘) 688: the 20 area general branches, 127 micro-grid branches and 541 party
///   groups at building groups (bound to the building's compound); by trade (业缘) 51 branches;
///   by interest (趣缘) 187 party groups. The counts do not depend on the scale (the grid doesn't).
/// - Members: every person holding the register's `id.party_member` tag joins the party group of
///   their building group, else their micro-grid branch (from the tag's start date); some also
///   a trade branch or an interest group; 4,600 × scale member households show their identity.
/// - Mass organisations: 总工会, 自由职业者工会, 妇女议事会 with 318 × scale women representatives,
///   1,436 × scale women building-group leaders (楼组长), 8 青春社区, 2 青年中心; 20 social
///   organisations paired with the areas.
/// - Posts: a 示范岗 per micro-grid, a 责任区 per building-group party group, a 突击队 per area.
/// - 双报到: 600 × scale working-age members registered with their community and a unit (one of
///   the services demo's 41), each claiming a post, with a year of service records.
/// - Staff development: a year of training sessions with attendance per cadre, and rotations
///   (`OrganisationsDemo+Staff.swift`).
enum OrganisationsDemo {
    struct Counts: Sendable {
        var organisations = 0; var members = 0; var posts = 0; var leaders = 0; var registrations = 0; var records = 0; var points = 0
        var trainings = 0; var rotations = 0
    }

    static let trades = ["快递物流", "网约车", "律师", "教师", "医护", "金融", "个体工商", "物业服务", "楼宇企业", "社会工作"]
    static let hobbies = ["书画", "合唱", "太极", "摄影", "编织", "园艺", "棋牌", "舞蹈", "读书", "健步走", "手工", "沪剧"]
    static let teams = ["加装电梯", "平安巡逻", "清洁家园", "交通文明", "垃圾分类", "医护康养", "防疫", "助老", "防汛"]

    struct Node: Decodable { var id: UUID; var code: String; var name: String; var level: String; var subdistrict_id: UUID? }

    static func load(
        scale: Double, seed: UInt64, today: CivilDate, now: Date, progress: @Sendable (String) -> Void,
        on db: any Database
    ) async throws -> Counts {
        var counts = Counts()
        var rng = SeededGenerator(seed: seed ^ 0x0F6A_0000_0010)
        let nodes = try await db.sql.raw(
            """
            SELECT id, code, name, level, subdistrict_id FROM grid_nodes
            WHERE level IN ('subdistrict', 'block', 'residential_area', 'micro_grid', 'building_group') AND code LIKE \(bind: DemoData.subdistrictCode + "%")
            ORDER BY code
            """
        ).all(decoding: Node.self)
        guard let subdistrict = nodes.first(where: { $0.level == GridLevel.subdistrict.rawValue }) else { return counts }
        let sub = subdistrict.id
        let blocks = nodes.filter { $0.level == GridLevel.block.rawValue }
        let areas = nodes.filter { $0.level == GridLevel.residentialArea.rawValue }
        let grids = nodes.filter { $0.level == GridLevel.microGrid.rawValue }
        let groups = nodes.filter { $0.level == GridLevel.buildingGroup.rawValue }
        guard !areas.isEmpty, !grids.isEmpty, !groups.isEmpty else { return counts }
        func parentCode(_ code: String) -> String { String(code[..<(code.lastIndex(of: "-") ?? code.endIndex)]) }
        func areaCode(_ code: String) -> String { code.split(separator: "-").prefix(3).joined(separator: "-") }
        struct Building: Decodable { var grid_node_id: UUID; var compound_id: UUID }
        var compoundOf: [UUID: UUID] = [:]
        for b in try await db.sql.raw("SELECT grid_node_id, compound_id FROM buildings").all(decoding: Building.self)
        where compoundOf[b.grid_node_id] == nil {
            compoundOf[b.grid_node_id] = b.compound_id
        }

        var orgs = BulkInserter(
            table: "organisations",
            columns: [
                "id", "subdistrict_id", "grid_node_id", "name", "kind", "basis", "sensitive", "parent_id",
                "compound_id", "service_unit_id", "purpose", "starts_on", "ends_on", "closed_on",
                "term_ends_on", "created_by", "created_at", "updated_at"
            ])
        var changes = BulkInserter(
            table: "organisation_changes",
            columns: [
                "id", "organisation_id", "seq", "action", "old_value", "new_value", "reason",
                "actor_name", "created_at"
            ])
        let founded = (try? today.adding(days: -3 * 365)) ?? today
        @discardableResult
        func org(
            _ name: String, _ kind: OrganisationKind, _ basis: OrganisationBasis, at node: UUID, parent: UUID?, compound: UUID? = nil,
            purpose: String = "", starts: CivilDate? = nil, ends: CivilDate? = nil, closed: CivilDate? = nil
        ) -> UUID {
            let id = UUID()
            let start = starts ?? founded
            let created = start.startOfDay(in: .shanghai).addingTimeInterval(9 * 3600)
            orgs.append([
                SQLBind(id), SQLBind(sub), SQLBind(node), SQLBind(name), SQLBind(kind.rawValue), SQLBind(basis.rawValue),
                SQLBind(kind.membershipIsSensitive), bindOrNull(parent), bindOrNull(compound), SQLLiteral.null, SQLBind(purpose),
                SQLBind(start.iso8601), bindOrNull(ends?.iso8601), bindOrNull(closed?.iso8601),
                bindOrNull(OrganisationDates.termEnd(kind: kind, start: start)?.iso8601), SQLBind("demo"), SQLBind(created), SQLBind(created)
            ])
            changes.append([
                SQLBind(UUID()), SQLBind(id), SQLBind(1), SQLBind("created"), SQLLiteral.null, SQLBind(name),
                SQLBind(purpose.isEmpty ? "成立" : purpose),
                SQLBind("demo"), SQLBind(created)
            ])
            if let closed {
                changes.append([
                    SQLBind(UUID()), SQLBind(id), SQLBind(2), SQLBind("closed"), SQLLiteral.null, SQLBind(closed.iso8601),
                    SQLBind("临时党支部到期撤销 / temporary branch reached its end date"), SQLBind("demo"),
                    SQLBind(closed.startOfDay(in: .shanghai))
                ])
            }
            counts.organisations += 1
            return id
        }

        // The subdistrict's working committee, the organ branches, alliances and temporary branches.
        let committee = org("临汾路街道党工委", .partyCommittee, .organ, at: sub, parent: nil)
        let organ = org("街道机关党总支", .partyGeneralBranch, .organ, at: sub, parent: committee)
        for name in ["公共管理", "公共服务", "公共安全"] { org("机关\(name)党支部", .partyBranch, .organ, at: sub, parent: organ) }
        org("物业服务企业党建联盟", .alliance, .regional, at: sub, parent: committee, purpose: "党的工作小组、联合党小组、党建指导员，打造“红色家园”")
        org("临汾路街道区域化党建联盟", .alliance, .regional, at: sub, parent: committee, purpose: "41 家驻区单位：问题、资源、项目清单制，契约制，积分制")
        let liftStart = (try? today.adding(days: -300)) ?? today
        let lift = org(
            "加装电梯临时党支部", .temporaryBranch, .project, at: sub, parent: committee,
            purpose: "17 个居民区 56 台电梯批量加装", starts: liftStart, ends: try? today.adding(days: 180))
        let epidemicStart = (try? today.adding(days: -900)) ?? today, epidemicEnd = (try? today.adding(days: -700)) ?? today
        let epidemic = org(
            "疫情防控临时党支部", .temporaryBranch, .project, at: sub, parent: committee, purpose: "疫情防控",
            starts: epidemicStart, ends: epidemicEnd, closed: epidemicEnd)

        // By place: area general branches, micro-grid branches, party groups at 541 building groups.
        var areaBranch: [String: UUID] = [:], gridBranch: [String: UUID] = [:], groupBranch: [String: UUID] = [:]
        for area in areas { areaBranch[area.code] = org("\(area.name)党总支", .partyGeneralBranch, .place, at: area.id, parent: committee) }
        for grid in grids {
            gridBranch[grid.code] = org("\(grid.name)党支部", .partyBranch, .place, at: grid.id, parent: areaBranch[parentCode(grid.code)])
        }
        let placeGroups = 688 - areas.count - grids.count
        for n in 0..<min(placeGroups, groups.count) {
            let group = groups[n * groups.count / max(placeGroups, 1)]
            groupBranch[group.code] = org(
                "\(group.name)党小组", .partyGroup, .place, at: group.id, parent: gridBranch[parentCode(group.code)],
                compound: compoundOf[group.id])
        }
        // By trade: 51 branches across the areas; by interest: 187 groups across the micro-grids.
        var tradeOrgs: [(UUID, String)] = []
        for n in 0..<51 {
            let area = areas[n % areas.count]
            tradeOrgs.append(
                (org("\(area.name)\(trades[n % trades.count])党支部", .partyBranch, .trade, at: area.id, parent: areaBranch[area.code]), area.code))
        }
        var interestOrgs: [(UUID, String)] = []
        for n in 0..<187 {
            let grid = grids[n % grids.count]
            interestOrgs.append(
                (org("\(grid.name)\(hobbies[n % hobbies.count])党小组", .partyGroup, .interest, at: grid.id, parent: gridBranch[grid.code]), grid.code))
        }
        // Mass and social organisations.
        org("临汾路街道总工会", .tradeUnion, .regional, at: sub, parent: committee)
        org("临汾路街道自由职业者工会", .tradeUnion, .trade, at: areas[0].id, parent: committee, purpose: "小区自由职业者工会与职工服务站、户外职工驿站")
        let council = org("临汾路街道妇女议事会", .womensCouncil, .regional, at: sub, parent: committee)
        for n in 0..<min(8, areas.count) {
            org("\(areas[n * areas.count / 8].name)青春社区", .youthLeague, .place, at: areas[n * areas.count / 8].id, parent: committee)
        }
        for n in 0..<min(2, blocks.count) { org("\(blocks[n].name)青年中心", .youthCentre, .place, at: blocks[n].id, parent: committee) }
        for area in areas { org("\(area.name)社区服务社（红色联姻）", .socialOrganisation, .regional, at: area.id, parent: areaBranch[area.code]) }
        try await orgs.flush(on: db)
        try await changes.flush(on: db)

        // Members: the register's party members.
        struct Member: Decodable {
            var person_id: UUID; var grid_node_id: UUID; var household_id: UUID; var starts_on: String; var birth_date: String; var code: String
        }
        let partyMembers = try await db.sql.raw(
            """
            SELECT a.person_id, p.grid_node_id, p.household_id, a.starts_on, p.birth_date, n.code
            FROM tag_assignments a JOIN tags t ON t.id = a.tag_id JOIN persons p ON p.id = a.person_id JOIN grid_nodes n ON n.id = p.grid_node_id
            WHERE t.code = \(bind: OrganisationsService.partyTag) AND (a.ends_on IS NULL OR a.ends_on > \(bind: today.iso8601))
            ORDER BY p.household_id, p.id
            """
        ).all(decoding: Member.self)
        var members = BulkInserter(
            table: "organisation_members",
            columns: [
                "id", "subdistrict_id", "organisation_id", "person_id", "grid_node_id", "role",
                "starts_on", "ends_on", "shows_identity", "shows_identity_on", "created_by", "created_at"
            ])
        let showingHouseholds = Int((4_600 * scale).rounded())
        var shown: Set<UUID> = []
        var secretaries: Set<UUID> = []
        var byArea: [String: [Member]] = [:], byGrid: [String: [Member]] = [:]
        func member(_ org: UUID, _ m: Member, role: MemberRole? = nil, starts: String? = nil, ends: String? = nil, shows: Bool = false) {
            let r = role ?? (secretaries.insert(org).inserted ? .secretary : .member)
            let showsOn = shows ? ((try? today.adding(days: -Int.random(in: 30...900, using: &rng)))?.iso8601) : nil
            members.append([
                SQLBind(UUID()), SQLBind(sub), SQLBind(org), SQLBind(m.person_id), SQLBind(m.grid_node_id), SQLBind(r.rawValue),
                SQLBind(starts ?? m.starts_on), bindOrNull(ends), SQLBind(shows), bindOrNull(showsOn), SQLBind("demo"), SQLBind(now)
            ])
            counts.members += 1
        }
        for m in partyMembers {
            let gridCode = parentCode(m.code)
            guard let home = groupBranch[m.code] ?? gridBranch[gridCode] else { continue }
            if shown.count < showingHouseholds || shown.contains(m.household_id) { shown.insert(m.household_id) }
            member(home, m, shows: shown.contains(m.household_id))
            byArea[areaCode(m.code), default: []].append(m)
            byGrid[gridCode, default: []].append(m)
        }
        for (id, area) in tradeOrgs { for m in (byArea[area] ?? []).shuffled(using: &rng).prefix(5) { member(id, m) } }
        for (id, grid) in interestOrgs { for m in (byGrid[grid] ?? []).shuffled(using: &rng).prefix(6) { member(id, m) } }
        let liftMembers = partyMembers.shuffled(using: &rng).prefix(12)
        for m in liftMembers { member(lift, m, starts: liftStart.iso8601) }
        for m in partyMembers.shuffled(using: &rng).prefix(15) { member(epidemic, m, starts: epidemicStart.iso8601, ends: epidemicEnd.iso8601) }

        // Women: council representatives and building-group leaders.
        struct Woman: Decodable {
            var id: UUID; var grid_node_id: UUID; var household_id: UUID; var code: String; var starts_on: String; var birth_date: String
        }
        let adultBorn = ((try? today.adding(days: -25 * 365)) ?? today).iso8601, oldBorn = ((try? today.adding(days: -75 * 365)) ?? today).iso8601
        let women = try await db.sql.raw(
            """
            SELECT p.id, p.grid_node_id, p.household_id, n.code, \(bind: founded.iso8601) AS starts_on, p.birth_date FROM persons p JOIN grid_nodes n ON n.id = p.grid_node_id
            WHERE p.sex = 'female' AND p.birth_date <= \(bind: adultBorn) AND p.birth_date >= \(bind: oldBorn) ORDER BY p.id
            """
        ).all(decoding: Woman.self)
        var firstWoman: [UUID: Woman] = [:]
        for w in women where firstWoman[w.grid_node_id] == nil { firstWoman[w.grid_node_id] = w }
        var leaders = BulkInserter(
            table: "building_group_leaders",
            columns: [
                "id", "subdistrict_id", "grid_node_id", "person_id", "organisation_id", "starts_on",
                "created_by", "created_at"
            ])
        let leaderTarget = Int((1_436 * scale).rounded())
        var leaderPeople: [Woman] = []
        for group in groups where leaderPeople.count < leaderTarget {
            guard let w = firstWoman[group.id] else { continue }
            leaderPeople.append(w)
            leaders.append([
                SQLBind(UUID()), SQLBind(sub), SQLBind(group.id), SQLBind(w.id), SQLBind(council), SQLBind(founded.iso8601), SQLBind("demo"),
                SQLBind(now)
            ])
        }
        counts.leaders = leaderPeople.count
        let representatives = Int((318 * scale).rounded())
        for (n, w) in leaderPeople.prefix(representatives).enumerated() {
            member(
                council,
                Member(
                    person_id: w.id, grid_node_id: w.grid_node_id, household_id: w.household_id, starts_on: w.starts_on,
                    birth_date: w.birth_date, code: w.code), role: n == 0 ? .leader : .representative)
        }
        try await members.flush(on: db)
        try await leaders.flush(on: db)
        progress(
            "organisations: \(counts.organisations) organisations, \(counts.members) memberships, \(shown.count) member households show identity, \(counts.leaders) building-group leaders"
        )

        // Posts.
        var posts = BulkInserter(
            table: "organisation_posts",
            columns: [
                "id", "subdistrict_id", "grid_node_id", "organisation_id", "kind", "name", "mission",
                "starts_on", "ends_on", "created_by", "created_at"
            ])
        var postsByArea: [String: [UUID]] = [:]
        func post(_ kind: OrganisationPostKind, _ name: String, _ mission: String, at node: Node, org: UUID?) {
            let id = UUID()
            posts.append([
                SQLBind(id), SQLBind(sub), SQLBind(node.id), bindOrNull(org), SQLBind(kind.rawValue), SQLBind(name), SQLBind(mission),
                SQLBind(founded.iso8601), SQLLiteral.null, SQLBind("demo"), SQLBind(now)
            ])
            postsByArea[areaCode(node.code), default: []].append(id)
            counts.posts += 1
        }
        for grid in grids { post(.modelPost, "\(grid.name)党员示范岗", "亮身份、作表率，每周接待居民", at: grid, org: gridBranch[grid.code]) }
        for group in groups where groupBranch[group.code] != nil {
            post(.responsibilityArea, "\(group.name)党员责任区", "楼道整洁、邻里守望、民情收集", at: group, org: groupBranch[group.code])
        }
        for (n, area) in areas.enumerated() {
            post(
                .commandoTeam, "\(area.name)\(teams[n % teams.count])党员突击队", "\(teams[n % teams.count])：急难险重任务随叫随到", at: area,
                org: areaBranch[area.code])
        }
        try await posts.flush(on: db)

        // 双报到: working-age members with a unit of the services demo.
        struct Unit: Decodable { var id: UUID }
        let units = try await db.sql.raw("SELECT id FROM service_units WHERE subdistrict_id = \(bind: sub) ORDER BY name").all(decoding: Unit.self)
        let areaByCode = Dictionary(areas.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        if !units.isEmpty {
            var registrations = BulkInserter(
                table: "dual_registrations",
                columns: [
                    "id", "subdistrict_id", "grid_node_id", "person_id", "member_name",
                    "service_unit_id", "shows_identity", "shows_identity_on", "registered_on",
                    "created_by", "created_at"
                ])
            var claims = BulkInserter(table: "post_claims", columns: ["id", "registration_id", "post_id", "claimed_on", "created_at"])
            var records = BulkInserter(
                table: "dual_service_records",
                columns: [
                    "id", "subdistrict_id", "grid_node_id", "registration_id", "service_unit_id",
                    "post_id", "served_on", "minutes", "description", "recorded_by", "created_at"
                ])
            struct Named: Decodable { var id: UUID; var name: String }
            let working = partyMembers.filter { m in
                guard let born = try? CivilDate(parsing: m.birth_date) else { return false }
                let age = born.age(on: today)
                return age >= 23 && age <= 58
            }.shuffled(using: &rng).prefix(Int((600 * scale).rounded()))
            var names: [UUID: String] = [:]
            let ids = working.map(\.person_id)
            for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
                for row in try await db.sql.raw("SELECT id, name FROM persons WHERE id IN (\(binds: chunk))").all(decoding: Named.self) {
                    names[row.id] = row.name
                }
            }
            let registeredOn = (try? today.adding(days: -400)) ?? today
            var memberMinutes: [(registration: UUID, node: UUID, minutes: Int)] = []
            for m in working {
                guard let area = areaByCode[areaCode(m.code)] else { continue }
                let reg = UUID(), unit = units[Int.random(in: 0..<units.count, using: &rng)].id
                let shows = Bool.random(using: &rng)
                registrations.append([
                    SQLBind(reg), SQLBind(sub), SQLBind(area.id), SQLBind(m.person_id), SQLBind(names[m.person_id] ?? ""), SQLBind(unit),
                    SQLBind(shows), bindOrNull(shows ? registeredOn.iso8601 : nil), SQLBind(registeredOn.iso8601), SQLBind("demo"), SQLBind(now)
                ])
                counts.registrations += 1
                let areaPosts = postsByArea[area.code] ?? []
                let claimed = areaPosts.isEmpty ? nil : areaPosts[Int.random(in: 0..<areaPosts.count, using: &rng)]
                if let claimed {
                    claims.append([SQLBind(UUID()), SQLBind(reg), SQLBind(claimed), SQLBind(registeredOn.iso8601), SQLBind(now)])
                }
                var served = 0
                for month in 0..<12 where Int.random(in: 0..<3, using: &rng) > 0 {
                    guard let day = try? today.adding(days: -(month * 30) - Int.random(in: 1...28, using: &rng)) else { continue }
                    let minutes = [60, 90, 120, 180][Int.random(in: 0..<4, using: &rng)]
                    served += minutes
                    records.append([
                        SQLBind(UUID()), SQLBind(sub), SQLBind(area.id), SQLBind(reg), SQLBind(unit), bindOrNull(claimed), SQLBind(day.iso8601),
                        SQLBind(minutes),
                        SQLBind(["楼道清洁", "平安巡逻", "助老陪伴", "垃圾分类引导", "政策宣传"][month % 5]), SQLBind("demo"), SQLBind(now)
                    ])
                    counts.records += 1
                }
                memberMinutes.append((reg, area.id, served))
            }
            try await registrations.flush(on: db)
            try await claims.flush(on: db)
            try await records.flush(on: db)
            counts.points = try await loadCoBuilding(
                units: units.map(\.id), areas: areas, sub: sub, memberMinutes: memberMinutes,
                today: today, now: now, rng: &rng, on: db)
        }
        progress(
            "organisations: \(counts.posts) posts, \(counts.registrations) in-service members (双报到), \(counts.records) service records, \(counts.points) points entries"
        )
        let staff = try await loadStaffDevelopment(sub: sub, areas: areas, today: today, now: now, rng: &rng, on: db)
        counts.trainings = staff.trainings
        counts.rotations = staff.rotations
        progress("organisations: \(staff.trainings) training sessions, \(staff.attendance) attendance records, \(staff.rotations) rotations (挂职)")
        return counts
    }

    /// 清单制、契约制、积分制 for the units: three list items each, a year's contract with two unit
    /// commitments (one in five missed) and one community commitment, all checked; points under
    /// the published rules for the resources each unit opened (services demo), each checked unit
    /// commitment, the completed projects, and the in-service members' full hours of service.
    static func loadCoBuilding(
        units: [UUID], areas: [Node], sub: UUID, memberMinutes: [(registration: UUID, node: UUID, minutes: Int)],
        today: CivilDate, now: Date, rng: inout SeededGenerator, on db: any Database
    ) async throws -> Int {
        struct Opened: Decodable { var unit_id: UUID; var n: Int }
        var opened: [UUID: Int] = [:]
        for row in try await db.sql.raw("SELECT unit_id, COUNT(*) AS n FROM service_resources GROUP BY unit_id").all(decoding: Opened.self) {
            opened[row.unit_id] = row.n
        }
        var items = BulkInserter(
            table: "cobuild_items",
            columns: [
                "id", "subdistrict_id", "grid_node_id", "service_unit_id", "list_kind", "title", "detail",
                "status", "created_by", "created_at"
            ])
        var contracts = BulkInserter(
            table: "cobuild_contracts",
            columns: [
                "id", "subdistrict_id", "grid_node_id", "service_unit_id", "title", "starts_on",
                "ends_on", "created_by", "created_at"
            ])
        var commitments = BulkInserter(
            table: "cobuild_commitments",
            columns: [
                "id", "contract_id", "side", "content", "due_on", "delivered", "checked_on",
                "checked_by"
            ])
        var points = BulkInserter(
            table: "cobuild_points",
            columns: [
                "id", "subdistrict_id", "grid_node_id", "holder_kind", "service_unit_id", "registration_id",
                "rule_code", "quantity", "points", "explanation", "reason", "earned_on", "created_by",
                "created_at"
            ])
        var count = 0
        func award(unit: UUID?, registration: UUID?, node: UUID, rule: String, quantity: Int, reason: String, on day: CivilDate) {
            guard quantity > 0, let entry = try? CoBuildingPoints.entry(rule: rule, quantity: quantity) else { return }
            points.append([
                SQLBind(UUID()), SQLBind(sub), SQLBind(node), SQLBind(unit != nil ? "unit" : "member"), bindOrNull(unit), bindOrNull(registration),
                SQLBind(rule), SQLBind(quantity), SQLBind(entry.points), SQLBind(entry.explanationZH), SQLBind(reason), SQLBind(day.iso8601),
                SQLBind("demo"), SQLBind(now)
            ])
            count += 1
        }
        let start = (try? today.adding(days: -330)) ?? today, end = (try? start.adding(days: 364)) ?? today
        let checked = (try? today.adding(days: -30)) ?? today
        let problems = ["停车难", "楼道堆物", "老人助餐", "夜间照明", "垃圾分类点位"], resources = ["会议室", "篮球场", "食堂", "停车位", "培训教室"]
        let projects = ["爱心暑托班", "助老助餐点", "楼道微更新", "健康义诊", "法律进社区"]
        for (n, unit) in units.enumerated() {
            let area = areas[n % areas.count]
            for (kind, title) in [("problem", problems[n % 5]), ("resource", resources[n % 5]), ("project", projects[n % 5])] {
                items.append([
                    SQLBind(UUID()), SQLBind(sub), SQLBind(area.id), SQLBind(unit), SQLBind(kind), SQLBind(title), SQLBind(""),
                    SQLBind(kind == "project" && n % 3 != 0 ? "done" : "open"), SQLBind("demo"), SQLBind(now)
                ])
            }
            let contract = UUID()
            contracts.append([
                SQLBind(contract), SQLBind(sub), SQLBind(area.id), SQLBind(unit), SQLBind("\(today.year) 年区域化党建共建契约"), SQLBind(start.iso8601),
                SQLBind(end.iso8601), SQLBind("demo"), SQLBind(now)
            ])
            for (side, content) in [("unit", "向社区开放\(resources[n % 5])"), ("unit", "在职党员参与\(projects[n % 5])"), ("community", "协调场地与志愿者")] {
                let delivered = side == "community" || Int.random(in: 0..<5, using: &rng) > 0
                commitments.append([
                    SQLBind(UUID()), SQLBind(contract), SQLBind(side), SQLBind(content), SQLBind(checked.iso8601), SQLBind(delivered),
                    SQLBind(checked.iso8601), SQLBind("demo")
                ])
                if side == "unit" {
                    award(
                        unit: unit, registration: nil, node: area.id, rule: delivered ? "commitment_delivered" : "commitment_missed", quantity: 1,
                        reason: content, on: checked)
                }
            }
            award(unit: unit, registration: nil, node: area.id, rule: "resource_opened", quantity: opened[unit] ?? 0, reason: "临汾共享开放资源", on: start)
            if n % 3 != 0 {
                award(unit: unit, registration: nil, node: area.id, rule: "project_completed", quantity: 1, reason: projects[n % 5], on: checked)
            }
        }
        for member in memberMinutes {
            award(
                unit: nil, registration: member.registration, node: member.node, rule: "service_hour",
                quantity: CoBuildingPoints.fullHours(minutes: member.minutes),
                reason: "一年来在社区服务 \(member.minutes) 分钟", on: today)
        }
        try await items.flush(on: db)
        try await contracts.flush(on: db)
        try await commitments.flush(on: db)
        try await points.flush(on: db)
        return count
    }
}
