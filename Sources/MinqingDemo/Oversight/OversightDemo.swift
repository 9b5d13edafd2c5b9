import Fluent
import Foundation
import MinqingDomain
import MinqingServer
import SQLKit

/// The 6543 demo, inside the demo's load transaction (bulk inserts): every compound's checklist
/// with some progress and a lead department and leader for the model compounds; the five concerns'
/// projects with budgets and milestones; 12 property companies with contracts over the compounds
/// and a year of inspections, surveys, rectifications and credit entries (three on the red list,
/// one on the black list with a rectification running); an owners' committee for each 商品房
/// compound (and the demo resident's) with members, a correction, an exit and disclosures; and
/// the seed's 773 shop files with their 门责制 pledges.
enum OversightDemo {
    struct Counts: Sendable {
        var companies = 0; var contracts = 0; var entries = 0; var committees = 0; var shops = 0; var projects = 0; var staff = 0
    }

    static let companyNames = [
        "金广安物业", "红叶物业", "临汾物业", "汾阳置业物业", "静安城市服务", "彭浦物业", "绿苑物业", "安居物业",
        "万福物业", "华庭物业", "申城物业", "鑫达物业"
    ]
    static let managers = ["周国强", "吴文静", "郑海峰", "王丽华", "冯志明", "陈晓燕", "褚建平", "卫红", "蒋立新", "沈玉梅", "韩志刚", "杨建军"]
    static let departments = ["区住建局", "区房管局", "区财政局", "区城管执法局", "区公安分局", "街道社区办"]
    static let leaders = ["区委常委 张明", "副区长 李华", "区人大副主任 王强", "区政协副主席 赵敏", "区委组织部部长 刘洋", "副区长 陈刚"]
    static let minorFindings = ["楼道堆物未及时清理", "绿化养护不到位", "公共照明损坏未修", "垃圾分类驳运不及时", "门岗登记不规范", "电梯年检标识过期"]
    static let seriousFindings = ["消防通道被占用，消防设施缺失", "电动车楼道充电未制止", "二次供水水箱未清洗", "监控系统长期失灵"]
    static let shopCategories = ["餐饮", "零售", "美容美发", "维修服务", "教育培训", "医药", "生活服务", "驻区单位"]
    static let shopWords = ["老王", "好邻居", "阿英", "东方", "鑫鑫", "宏达", "康乐", "新民", "永和", "大众", "百姓", "光明"]
    static let shopKinds = ["面馆", "便利店", "理发店", "修车铺", "培训中心", "大药房", "洗衣店", "物流站"]

    /// Per company: 0 good (red list), 1 average, 2 poor, 3 the black-listed one.
    static func tier(_ index: Int) -> Int { index < 3 ? 0 : (index < 9 ? 1 : (index < 11 ? 2 : 3)) }

    static func load(seed: UInt64, now: Date, vault: PIIVault, progress: @Sendable (String) -> Void, on db: any Database) async throws -> Counts {
        var counts = Counts()
        var rng = SeededGenerator(seed: seed ^ 0x6543_0000_0009)
        let today = CivilDate(now, in: .shanghai)
        func day(_ offset: Int) -> String { ((try? today.adding(days: offset)) ?? today).iso8601 }
        struct Compound: Decodable { var id: UUID; var subdistrict_id: UUID?; var grid_node_id: UUID; var compound_type: String; var name: String }
        let compounds = try await db.sql.raw("SELECT id, subdistrict_id, grid_node_id, compound_type, name FROM compounds ORDER BY code")
            .all(decoding: Compound.self)
        guard let subdistrict = compounds.first?.subdistrict_id else { return counts }

        // Checklists, and a lead department and leader for every third (model) compound.
        var measures = BulkInserter(
            table: "compound_measures", columns: ["compound_id", "measure_code", "status", "note", "updated_on", "updated_by"])
        var leads = BulkInserter(table: "compound_leads", columns: ["compound_id", "department", "leader_name"])
        for (index, compound) in compounds.enumerated() {
            guard let type = CompoundType(rawValue: compound.compound_type) else { continue }
            for measure in type.checklist {
                let roll = Int.random(in: 0..<20, using: &rng)
                let status: MeasureStatus = roll < 8 ? .done : (roll < 15 ? .inProgress : .notStarted)
                guard status != .notStarted else { continue }
                measures.append([
                    SQLBind(compound.id), SQLBind(measure.code), SQLBind(status.rawValue),
                    SQLBind(status == .done ? "已完成并验收" : "推进中"), SQLBind(day(-Int.random(in: 5...300, using: &rng))), SQLBind("staff")
                ])
            }
            if index % 3 == 0 {
                leads.append([SQLBind(compound.id), SQLBind(departments[index / 3 % departments.count]), SQLBind(leaders[index / 3 % leaders.count])])
            }
        }
        try await measures.flush(on: db)
        try await leads.flush(on: db)

        // The five concerns' programmes.
        var projects = BulkInserter(
            table: "governance_projects",
            columns: [
                "id", "subdistrict_id", "concern", "name", "compound_id", "department",
                "leader_name", "budget_fen", "spent_fen", "status", "created_at"
            ])
        var milestones = BulkInserter(table: "governance_milestones", columns: ["id", "project_id", "name", "due_on", "done_on"])
        func project(
            _ concern: GovernanceConcern, _ name: String, compound: UUID?, department: String, budgetYuan: Int64, share: Int, steps: [String]
        ) {
            let id = UUID()
            let spent = budgetYuan * 100 * Int64(share) / 100
            projects.append([
                SQLBind(id), SQLBind(subdistrict), SQLBind(concern.rawValue), SQLBind(name), bindOrNull(compound), SQLBind(department),
                SQLBind(leaders[counts.projects % leaders.count]), SQLBind(budgetYuan * 100), SQLBind(spent),
                SQLBind(share >= 100 ? "completed" : "in_progress"), SQLBind(now)
            ])
            for (n, step) in steps.enumerated() {
                let due = -240 + n * 120
                let done = due < 0 && n * 100 / max(1, steps.count) < share
                milestones.append([SQLBind(UUID()), SQLBind(id), SQLBind(step), SQLBind(day(due)), done ? SQLBind(day(due - 3)) : SQLLiteral.null])
            }
            counts.projects += 1
        }
        let commodity = compounds.filter { $0.compound_type == CompoundType.commodityHousing.rawValue }
        for c in commodity.prefix(3) {
            project(
                .propertyCertificates, "\(c.name) 房产证延迟办理“百日攻坚”", compound: c.id, department: "区住建局", budgetYuan: 0, share: 100,
                steps: ["梳理遗留问题", "补办规划验收", "集中发证"])
        }
        project(
            .propertyService, "物业服务质量专项整治", compound: nil, department: "区房管局", budgetYuan: 200_000, share: 60,
            steps: ["制定《物业服务质量标准》", "考核评分", "约谈整改"])
        project(
            .propertyService, "物业公司红黑榜与信用档案", compound: nil, department: "区房管局", budgetYuan: 80_000, share: 75,
            steps: ["建立信用档案", "季度公布红黑榜", "年度信用评价"])
        project(
            .committeeOversight, "业委会财务审计与公示", compound: nil, department: "街道社区办", budgetYuan: 120_000, share: 50,
            steps: ["委托审计", "审计结果公示", "整改复核"])
        project(
            .committeeOversight, "“优秀业委会”评选", compound: nil, department: "街道社区办", budgetYuan: 30_000, share: 30,
            steps: ["推荐申报", "评审", "表彰"])
        for c in compounds.filter({ $0.compound_type == CompoundType.oldResidential.rawValue }) {
            project(
                .oldFacilities, "\(c.name) 老旧小区改造", compound: c.id, department: "区住建局",
                budgetYuan: Int64(Int.random(in: 200...600, using: &rng)) * 10_000, share: Int.random(in: 10...100, using: &rng),
                steps: ["方案公示", "供气供水改造", "下水道和化粪池改造", "竣工验收"])
        }
        project(
            .environment, "“街长制”道路风貌改造", compound: nil, department: "区城管执法局", budgetYuan: 4_500_000, share: 70,
            steps: ["临汾路段", "汾西路段", "阳曲路段"])
        project(
            .environment, "背街小巷整治", compound: nil, department: "街道管理办", budgetYuan: 900_000, share: 45,
            steps: ["排查建档", "整治施工", "“门长制”常态管理"])
        project(
            .environment, "生活垃圾分类与电动车充电设施", compound: nil, department: "街道管理办", budgetYuan: 350_000, share: 80,
            steps: ["投放点改造", "充电桩建设", "消防通道排查"])
        try await projects.flush(on: db)
        try await milestones.flush(on: db)

        // Property companies, contracts, a year of inspections, surveys and credit entries.
        var companies = BulkInserter(
            table: "property_companies", columns: ["id", "subdistrict_id", "name", "licence_code", "manager_name", "created_at"])
        var contracts = BulkInserter(
            table: "property_contracts", columns: ["id", "company_id", "compound_id", "starts_on", "ends_on", "fee_fen_per_m2", "created_at"])
        var entries = BulkInserter(
            table: "credit_entries",
            columns: [
                "id", "company_id", "points", "rule_code", "reason_zh", "reason_en", "entry_date",
                "source", "source_id", "recorded_by", "created_at"
            ])
        var rectifications = BulkInserter(
            table: "rectifications",
            columns: [
                "id", "company_id", "reason_zh", "reason_en", "opened_on", "due_on", "status",
                "closed_on", "closing_note", "closed_by", "created_at"
            ])
        var inspections = BulkInserter(
            table: "oversight_inspections",
            columns: [
                "id", "subdistrict_id", "grid_node_id", "company_id", "compound_id",
                "inspected_on", "outcome", "finding", "credit_entry_id",
                "rectification_id", "inspector_name", "created_at"
            ])
        var surveys = BulkInserter(
            table: "satisfaction_surveys",
            columns: [
                "id", "company_id", "compound_id", "surveyed_on", "respondents", "satisfied",
                "credit_entry_id", "recorded_by", "created_at"
            ])
        var running: [UUID: Int] = [:] // each company's score so far
        func entry(_ e: CreditEntry, company: UUID, source: UUID) -> UUID {
            let id = UUID()
            running[company, default: PropertyCredit.base] += e.points
            entries.append([
                SQLBind(id), SQLBind(company), SQLBind(e.points), SQLBind(e.ruleCode), SQLBind(e.reasonZH), SQLBind(e.reasonEN),
                SQLBind(e.date), SQLBind(e.source.rawValue), SQLBind(source), SQLBind("staff"), SQLBind(now)
            ])
            return id
        }
        var served: [Int: [Compound]] = [:]
        for (index, compound) in compounds.enumerated() { served[index % companyNames.count, default: []].append(compound) }
        var companyIDs: [UUID] = []
        for (index, name) in companyNames.enumerated() {
            let id = UUID()
            companyIDs.append(id)
            companies.append([
                SQLBind(id), SQLBind(subdistrict), SQLBind(name), SQLBind(String(format: "91310106MA1K%06d", 4_321 + index * 97)),
                SQLBind(managers[index]), SQLBind(now)
            ])
            let mine = served[index] ?? []
            for compound in mine {
                contracts.append([
                    SQLBind(UUID()), SQLBind(id), SQLBind(compound.id), SQLBind(day(-730 + index * 15)), SQLBind(day(365 + index * 30)),
                    SQLBind(compound.compound_type == CompoundType.commodityHousing.rawValue ? 250 : 90), SQLBind(now)
                ])
            }
            guard !mine.isEmpty else { continue }
            let tier = tier(index)
            var openRectification: (id: UUID, due: String)?
            for month in 0..<12 {
                let compound = mine[month % mine.count]
                // The black-listed company's last serious finding is recent: its rectification is still running.
                let inspected = tier == 3 && month == 11 ? -10 : -(12 - month) * 30 + Int.random(in: 0..<10, using: &rng) - 15
                let roll = Int.random(in: 0..<10, using: &rng)
                var outcome: InspectionOutcome
                switch tier {
                case 0: outcome = roll < 9 ? .pass : .minor
                case 1: outcome = roll < 6 ? .pass : (roll < 9 ? .minor : (month % 4 == 1 ? .serious : .minor))
                case 2: outcome = roll < 5 ? .pass : (roll < 9 ? .minor : .serious)
                default: outcome = month % 3 == 0 || month == 11 ? .serious : (roll < 3 ? .pass : .minor)
                }
                // Only the black-listed company sinks below 80 (the others recover with passed inspections).
                if tier < 3, running[id, default: PropertyCredit.base] < 80 { outcome = .pass }
                let finding =
                    switch outcome {
                    case .pass: "检查合格"
                    case .minor: minorFindings[Int.random(in: 0..<minorFindings.count, using: &rng)]
                    case .serious: seriousFindings[Int.random(in: 0..<seriousFindings.count, using: &rng)]
                    }
                let inspectionID = UUID()
                let date = day(inspected)
                let detail = outcome == .pass ? compound.name : "\(compound.name) \(finding)"
                let credit = entry(
                    CreditEntry(rule: PropertyCredit.rule(for: outcome), detailZH: detail, detailEN: detail, date: date),
                    company: id, source: inspectionID)
                var rectification: UUID?
                if outcome == .serious {
                    let rid = UUID()
                    let due = day(inspected + PropertyCredit.rectificationDays)
                    rectification = rid
                    let late = tier >= 2 && roll % 2 == 0
                    // Closed by yesterday at the latest: only the black-listed company's last one is still running.
                    let closedOffset = min(inspected + (late ? PropertyCredit.rectificationDays + 10 : 20), -1)
                    if tier == 3 && month == 11 {
                        openRectification = (rid, due) // still running
                        rectifications.append([
                            SQLBind(rid), SQLBind(id), SQLBind("\(compound.name)：\(finding)"), SQLBind("\(compound.name): \(finding)"),
                            SQLBind(date), SQLBind(due), SQLBind("open"), SQLLiteral.null, SQLLiteral.null, SQLLiteral.null, SQLBind(now)
                        ])
                    } else {
                        let closed = day(closedOffset)
                        rectifications.append([
                            SQLBind(rid), SQLBind(id), SQLBind("\(compound.name)：\(finding)"), SQLBind("\(compound.name): \(finding)"),
                            SQLBind(date), SQLBind(due), SQLBind("completed"), SQLBind(closed), SQLBind("已整改到位，复查合格"),
                            SQLBind("staff"), SQLBind(now)
                        ])
                        let rule = PropertyCredit.rule(forClosing: closed, due: due)
                        _ = entry(
                            CreditEntry(rule: rule, detailZH: "\(compound.name)：\(finding)", detailEN: "due \(due)", date: closed), company: id,
                            source: rid)
                    }
                }
                inspections.append([
                    SQLBind(inspectionID), SQLBind(subdistrict), SQLBind(compound.grid_node_id), SQLBind(id), SQLBind(compound.id),
                    SQLBind(date), SQLBind(outcome.rawValue), SQLBind(finding), SQLBind(credit), bindOrNull(rectification),
                    SQLBind("网格巡查员"), SQLBind(now)
                ])
            }
            for quarter in 0..<4 {
                let compound = mine[quarter % mine.count]
                let respondents = Int.random(in: 60...200, using: &rng)
                var percent = [
                    Int.random(in: 90...98, using: &rng), Int.random(in: 65...92, using: &rng),
                    Int.random(in: 55...75, using: &rng), Int.random(in: 35...58, using: &rng)
                ][tier]
                if tier < 3, running[id, default: PropertyCredit.base] < 80 { percent = max(percent, 70) }
                let satisfied = respondents * percent / 100
                let surveyID = UUID()
                let date = day(-(4 - quarter) * 90 + 20)
                let credit = PropertyCredit.rule(forSurvey: satisfied, of: respondents).map {
                    entry(
                        CreditEntry(
                            rule: $0, detailZH: "\(compound.name) \(satisfied)/\(respondents)",
                            detailEN: "\(compound.name) \(satisfied)/\(respondents)",
                            date: date), company: id, source: surveyID)
                }
                surveys.append([
                    SQLBind(surveyID), SQLBind(id), SQLBind(compound.id), SQLBind(date), SQLBind(respondents), SQLBind(satisfied),
                    bindOrNull(credit), SQLBind("staff"), SQLBind(now)
                ])
            }
            _ = openRectification
        }
        try await companies.flush(on: db)
        try await contracts.flush(on: db)
        try await rectifications.flush(on: db)
        try await entries.flush(on: db)
        try await inspections.flush(on: db)
        try await surveys.flush(on: db)
        counts.companies = companies.written
        counts.contracts = contracts.written
        counts.entries = entries.written

        // Complaints: the demo's property-service cases (E0401), each linked to a company.
        struct CaseRow: Decodable { var id: UUID; var number: String; var state: String; var reported_on: String }
        let complaintCases = try await db.sql.raw(
            """
            SELECT id, number, state, reported_on FROM cases WHERE category_code = 'E0401' ORDER BY number LIMIT 24
            """
        ).all(decoding: CaseRow.self)
        var complaints = BulkInserter(
            table: "company_complaints", columns: ["id", "company_id", "case_id", "upheld", "credit_entry_id", "recorded_by", "created_at"])
        for (n, row) in complaintCases.enumerated() {
            let company = companyIDs[(n * 5) % companyIDs.count]
            let upheld = (row.state == "closed" || row.state == "evaluated") && n % 2 == 0
            let credit =
                upheld
                ? entry(
                    CreditEntry(
                        rule: PropertyCredit.complaintUpheld, detailZH: "案件 \(row.number)",
                        detailEN: "case \(row.number)", date: row.reported_on), company: company, source: row.id) : nil
            complaints.append([
                SQLBind(UUID()), SQLBind(company), SQLBind(row.id), SQLBind(upheld), bindOrNull(credit), SQLBind("staff"), SQLBind(now)
            ])
        }
        try await entries.flush(on: db)
        try await complaints.flush(on: db)
        counts.entries = entries.written
        counts.staff = try await loadStaff(
            companies: companyIDs, firstCompound: companyNames.indices.map { served[$0]?.first?.id },
            today: today, now: now, on: db)
        progress("oversight: \(counts.companies) property companies, \(counts.entries) credit entries")

        // Owners' committees: every 商品房 compound, and the demo resident's.
        struct Home: Decodable { var compound_id: UUID? }
        let residentCompound = try await db.sql.raw(
            """
            SELECT d.compound_id FROM accounts a JOIN resident_households rh ON rh.account_id = a.id JOIN households h ON h.id = rh.household_id
            JOIN dwellings d ON d.id = h.dwelling_id WHERE a.username = 'resident'
            """
        ).first(decoding: Home.self)?.compound_id
        let committeeCompounds = compounds.filter { $0.compound_type == CompoundType.commodityHousing.rawValue || $0.id == residentCompound }
        var committees = BulkInserter(
            table: "owners_committees", columns: ["id", "subdistrict_id", "compound_id", "elected_on", "term_ends_on", "status", "created_at"])
        var members = BulkInserter(
            table: "committee_members", columns: ["id", "committee_id", "person_id", "role", "term_starts_on", "term_ends_on", "ended_on"])
        var records = BulkInserter(
            table: "committee_records", columns: ["id", "committee_id", "kind", "member_id", "reason", "recorded_on", "recorded_by", "created_at"])
        var disclosures = BulkInserter(
            table: "committee_disclosures",
            columns: [
                "id", "committee_id", "compound_id", "kind", "title", "body", "amount_fen",
                "published_on", "published_by", "created_at"
            ])
        let adult = day(-25 * 365)
        // Up to eight adults per committee compound in one statement (one scan of the households);
        // half the committees favour party members (they meet the 50 % target), half do not look.
        let favoured = committeeCompounds.enumerated().filter { $0.offset % 2 == 0 }.map { SQLBind($0.element.id) as any SQLExpression }
        let all = committeeCompounds.map { SQLBind($0.id) as any SQLExpression }
        struct Candidate: Decodable { var compound_id: UUID; var id: UUID }
        var candidates: [UUID: [UUID]] = [:]
        if !all.isEmpty {
            let favour: SQLQueryString =
                favoured.isEmpty
                ? "1"
                : """
                CASE WHEN d.compound_id IN (\(SQLList(favoured))) AND \(OversightQueries.isPartyMember(personColumn: "p.id", today: today.iso8601)) \
                THEN 0 ELSE 1 END
                """
            for row in try await db.sql.raw(
                """
                SELECT compound_id, id FROM (
                  SELECT d.compound_id, p.id, ROW_NUMBER() OVER (PARTITION BY d.compound_id ORDER BY \(favour), p.id) AS rn
                  FROM persons p JOIN households h ON h.id = p.household_id JOIN dwellings d ON d.id = h.dwelling_id
                  WHERE d.compound_id IN (\(SQLList(all))) AND p.birth_date <= \(bind: adult)) ranked
                WHERE rn <= 8 ORDER BY compound_id, rn
                """
            ).all(decoding: Candidate.self) {
                candidates[row.compound_id, default: []].append(row.id)
            }
        }
        for (n, compound) in committeeCompounds.enumerated() {
            let committee = UUID()
            let elected = day(-700 + n * 20), ends = day(-700 + n * 20 + 5 * 365)
            committees.append([
                SQLBind(committee), bindOrNull(compound.subdistrict_id), SQLBind(compound.id), SQLBind(elected), SQLBind(ends),
                SQLBind("active"), SQLBind(now)
            ])
            let people = candidates[compound.id] ?? []
            var memberIDs: [UUID] = []
            for (k, person) in people.enumerated() {
                let id = UUID()
                let leaves = k == 7 && n % 3 == 0
                memberIDs.append(id)
                members.append([
                    SQLBind(id), SQLBind(committee), SQLBind(person), SQLBind(k == 0 ? "director" : (k == 1 ? "deputy" : "member")),
                    SQLBind(elected), SQLBind(ends), leaves ? SQLBind(day(-60)) : SQLLiteral.null
                ])
                if leaves {
                    records.append([
                        SQLBind(UUID()), SQLBind(committee), SQLBind("exit"), SQLBind(id), SQLBind("违规履职，经业主大会决定退出"),
                        SQLBind(day(-60)), SQLBind("staff"), SQLBind(now)
                    ])
                }
            }
            if n % 4 == 1 {
                records.append([
                    SQLBind(UUID()), SQLBind(committee), SQLBind("correction"), SQLLiteral.null,
                    SQLBind("未按规定公示维修资金使用情况，已责令补充公示"), SQLBind(day(-120)), SQLBind("staff"), SQLBind(now)
                ])
            }
            func disclose(_ kind: String, _ title: String, _ body: String, amount: Int64?, on offset: Int) {
                disclosures.append([
                    SQLBind(UUID()), SQLBind(committee), SQLBind(compound.id), SQLBind(kind), SQLBind(title), SQLBind(body),
                    bindOrNull(amount), SQLBind(day(offset)), SQLBind("committee"), SQLBind(now)
                ])
            }
            disclose(
                "financial_audit", "\(today.year - 1) 年度业委会财务审计报告", "委托会计师事务所审计，收支相符，无违规支出。",
                amount: Int64(Int.random(in: 5...30, using: &rng)) * 1_000_000, on: -200)
            for quarter in 0..<4 {
                disclose(
                    "maintenance_fund", "第 \(quarter + 1) 季度维修资金使用公示", "屋面防水、电梯维保等维修项目，经业主表决后支出。",
                    amount: Int64(Int.random(in: 20...300, using: &rng)) * 100_000, on: -(4 - quarter) * 90 + 10)
            }
            disclose("minutes", "业主委员会会议纪要", "讨论停车管理、物业费调整与外墙维修议题，形成决议三项。", amount: nil, on: -30)
        }
        try await committees.flush(on: db)
        try await members.flush(on: db)
        try await records.flush(on: db)
        try await disclosures.flush(on: db)
        counts.committees = committees.written

        // 一店一档: the seed's 773 shops and units along the streets, each with a 门责制 pledge.
        struct Node: Decodable { var id: UUID; var subdistrict_id: UUID?; var name: String }
        let groups = try await db.sql.raw(
            """
            SELECT id, subdistrict_id, name FROM grid_nodes WHERE level = 'building_group' AND subdistrict_id = \(bind: subdistrict) ORDER BY code
            """
        ).all(decoding: Node.self)
        guard !groups.isEmpty else { return counts }
        var shops = BulkInserter(
            table: "shops",
            columns: [
                "id", "subdistrict_id", "grid_node_id", "name", "licence_code", "category", "address",
                "contact_name", "phone_cipher", "phone_index", "phone_masked", "created_at"
            ])
        var pledges = BulkInserter(table: "shop_pledges", columns: ["id", "shop_id", "signed_on", "duties", "signed_by", "created_at"])
        let surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"]
        let duties = OversightService.defaultDuties.joined(separator: "；")
        for n in 0..<773 {
            let node = groups[(n * 7) % groups.count]
            let kind = n % shopKinds.count
            let name = "\(shopWords[(n / shopKinds.count) % shopWords.count])\(shopKinds[kind])（\(n + 1)）"
            let contact = surnames[n % surnames.count] + ["先生", "女士"][n % 2]
            let phone = String(format: "139%08d", 10_000_000 + n * 7_919 % 89_999_999)
            let sealed = try MobileNumber(parsing: phone).normalized
            let pii = try vault.seal(sealed, masked: try MobileNumber(parsing: phone).masked, kind: .phone)
            let id = UUID()
            shops.append([
                SQLBind(id), bindOrNull(node.subdistrict_id), SQLBind(node.id), SQLBind(name), SQLBind(String(format: "92310106MA%08d", 100_000 + n)),
                SQLBind(shopCategories[kind]), SQLBind("\(DemoData.streets[n % DemoData.streets.count]) \(n % 900 + 1) 号"), SQLBind(contact),
                SQLBind(pii.ciphertext), SQLBind(pii.blindIndex), SQLBind(pii.masked), SQLBind(now)
            ])
            pledges.append([
                SQLBind(UUID()), SQLBind(id), SQLBind(day(-Int.random(in: 10...700, using: &rng))), SQLBind(duties), SQLBind(contact), SQLBind(now)
            ])
        }
        try await shops.flush(on: db)
        try await pledges.flush(on: db)
        counts.shops = shops.written
        progress("oversight: \(counts.committees) owners' committees, \(counts.shops) shops, \(counts.projects) projects")
        return counts
    }
}
