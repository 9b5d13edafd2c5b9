import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// Owners' committees, shops and checklists (see OversightService).
extension OversightService {
    static func reachableCompound(_ id: UUID?, writer: WriteContext, missing: AppError? = nil, on db: any Database) async throws -> (id: UUID, subdistrict: UUID?, type: String) {
        guard let id else { throw AppError.validation("compound_id", zh: "请选择小区", en: "Choose the compound") }
        struct C: Decodable { var id: UUID; var subdistrict_id: UUID?; var compound_type: String }
        guard let c = try await db.sql.raw("""
            SELECT c.id, c.subdistrict_id, c.compound_type FROM compounds c WHERE c.id = \(bind: id) AND \(CompoundQueries.visible(writer.actor.scope))
            """).first(decoding: C.self) else {
            throw missing ?? AppError.validation("compound_id", zh: "小区不存在或不在您的范围内", en: "No such compound in your scope")
        }
        return (c.id, c.subdistrict_id, c.compound_type)
    }

    static func createCommittee(_ input: CommitteeInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        let compound = try await reachableCompound(input.compound_id, writer: writer, on: db)
        let elected = try date(input.elected_on, "elected_on", default: writer.today.iso8601)
        let ends = try date(input.term_ends_on, "term_ends_on", default: (try? CivilDate(parsing: elected).adding(days: 5 * 365).iso8601) ?? elected)
        guard ends > elected else { throw AppError.validation("term_ends_on", zh: "任期结束须晚于选举日期", en: "The term must end after the election") }
        let id = UUID()
        return try await db.write { db in
            struct Row: Decodable { var id: UUID }
            guard try await db.sql.raw("""
                INSERT INTO owners_committees (id, subdistrict_id, compound_id, elected_on, term_ends_on, status, created_at)
                VALUES (\(bind: id), \(bind: compound.subdistrict), \(bind: compound.id), \(bind: elected), \(bind: ends), 'active', \(bind: writer.now))
                ON CONFLICT (compound_id) DO NOTHING RETURNING id
                """).first(decoding: Row.self) != nil else {
                throw AppError.conflict("该小区已有业委会", "This compound has an owners' committee already")
            }
            try await audit("oversight.committee_created", writer, type: "owners_committee", id: id, on: db)
            return id
        }
    }

    /// Adds a person of the register living in the compound as a member (one current membership each).
    static func addMember(_ committeeID: UUID, _ input: MemberInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        guard let committee = try await OversightQueries.committee(committeeID, for: writer.actor, on: db) else { throw committeeNotFound }
        guard let person = input.person_id else { throw AppError.validation("person_id", zh: "请选择成员", en: "Choose the member") }
        let role = input.role ?? "member"
        guard memberRoles[role] != nil else { throw AppError.validation("role", zh: "职务须为 director、deputy 或 member", en: "role must be director, deputy or member") }
        let starts = try date(input.term_starts_on, "term_starts_on", default: committee.elected_on)
        let ends = try date(input.term_ends_on, "term_ends_on", default: committee.term_ends_on)
        guard ends > starts else { throw AppError.validation("term_ends_on", zh: "任期结束须晚于开始", en: "The term must end after it starts") }
        struct P: Decodable { var id: UUID }
        guard try await db.sql.raw("""
            SELECT p.id FROM persons p JOIN households h ON h.id = p.household_id LEFT JOIN dwellings d ON d.id = h.dwelling_id
            WHERE p.id = \(bind: person) AND \(writer.actor.scope.contains(SQLColumn("grid_node_id", table: "p")))
              AND \(OversightQueries.livesIn(compound: committee.compound_id))
            """).first(decoding: P.self) != nil else {
            throw AppError.validation("person_id", zh: "此人不在该小区居住或不在您的范围内", en: "This person does not live in the compound, or is outside your scope")
        }
        let id = UUID()
        return try await db.write { db in
            struct Row: Decodable { var id: UUID }
            guard try await db.sql.raw("""
                INSERT INTO committee_members (id, committee_id, person_id, role, term_starts_on, term_ends_on)
                SELECT \(bind: id), \(bind: committeeID), \(bind: person), \(bind: role), \(bind: starts), \(bind: ends)
                WHERE NOT EXISTS (SELECT 1 FROM committee_members m WHERE m.committee_id = \(bind: committeeID) AND m.person_id = \(bind: person)
                                  AND m.ended_on IS NULL)
                RETURNING id
                """).first(decoding: Row.self) != nil else {
                throw AppError.conflict("此人已是本届业委会成员", "This person is a current member already")
            }
            try await audit("oversight.member_added", writer, type: "owners_committee", id: committeeID, detail: ["role": role], on: db)
            return id
        }
    }

    /// A correction (纠错) or an exit (退出, ending the member's term by a conditional UPDATE).
    static func addRecord(_ committeeID: UUID, _ input: CommitteeRecordInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        guard try await OversightQueries.committee(committeeID, for: writer.actor, on: db) != nil else { throw committeeNotFound }
        guard let kind = input.kind, recordKinds[kind] != nil else {
            throw AppError.validation("kind", zh: "类别须为 correction（纠错）或 exit（退出）", en: "kind must be correction or exit")
        }
        let reason = try text(input.reason, "reason", max: 2000)
        if kind == "exit", input.member_id == nil { throw AppError.validation("member_id", zh: "退出须指定成员", en: "An exit names the member") }
        if let member = input.member_id {
            struct N: Decodable { var n: Int }
            let known = try await db.sql.raw("""
                SELECT COUNT(*) AS n FROM committee_members WHERE id = \(bind: member) AND committee_id = \(bind: committeeID)
                """).first(decoding: N.self)?.n ?? 0
            if known == 0 { throw AppError.validation("member_id", zh: "该业委会没有这名成员", en: "This committee has no such member") }
        }
        let id = UUID()
        return try await db.write { db in
            if kind == "exit", let member = input.member_id {
                struct Row: Decodable { var id: UUID }
                guard try await db.sql.raw("""
                    UPDATE committee_members SET ended_on = \(bind: writer.today.iso8601)
                    WHERE id = \(bind: member) AND committee_id = \(bind: committeeID) AND ended_on IS NULL RETURNING id
                    """).first(decoding: Row.self) != nil else {
                    throw AppError.conflict("该成员不在任", "This member is not serving")
                }
            }
            try await db.sql.insert(into: "committee_records").columns("id", "committee_id", "kind", "member_id", "reason", "recorded_on", "recorded_by", "created_at")
                .values(SQLBind(id), SQLBind(committeeID), SQLBind(kind), bindOrNull(input.member_id), SQLBind(reason), SQLBind(writer.today.iso8601),
                        SQLBind(writer.actor.username), SQLBind(writer.now)).run()
            try await audit("oversight.committee_\(kind)", writer, type: "owners_committee", id: committeeID, on: db)
            return id
        }
    }

    /// Publishes a disclosure to the compound's residents (staff, or the owners' committee role in scope).
    static func publish(_ committeeID: UUID, _ input: DisclosureInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        guard let committee = try await OversightQueries.committee(committeeID, for: writer.actor, on: db) else { throw committeeNotFound }
        guard let kind = input.kind, disclosureKinds[kind] != nil else {
            throw AppError.validation("kind", zh: "类别须为 financial_audit、minutes、maintenance_fund 或 notice",
                                      en: "kind must be financial_audit, minutes, maintenance_fund or notice")
        }
        let title = try text(input.title, "title", max: 120)
        let body = try text(input.body, "body", max: 10_000)
        if let amount = input.amount_fen, !(0...1_000_000_000_000).contains(amount) {
            throw AppError.validation("amount_fen", zh: "金额须为 0 到 100 亿元（0–1,000,000,000,000 分）", en: "amount_fen must be from 0 to 1,000,000,000,000 fen")
        }
        let id = UUID()
        try await db.write { db in
            try await db.sql.insert(into: "committee_disclosures")
                .columns("id", "committee_id", "compound_id", "kind", "title", "body", "amount_fen", "published_on", "published_by", "created_at")
                .values(SQLBind(id), SQLBind(committeeID), SQLBind(committee.compound_id), SQLBind(kind), SQLBind(title), SQLBind(body),
                        bindOrNull(input.amount_fen), SQLBind(writer.today.iso8601), SQLBind(writer.actor.username), SQLBind(writer.now)).run()
            try await audit("oversight.disclosure_published", writer, type: "owners_committee", id: committeeID, detail: ["kind": kind], on: db)
        }
        return id
    }

    // MARK: shops

    /// 一店一档: a shop's file; the contact phone only through the vault.
    static func registerShop(_ input: ShopInput, writer: WriteContext, vault: PIIVault, on db: any Database) async throws -> UUID {
        let name = try text(input.name, "name", max: 100)
        let licence = try text(input.licence_code, "licence_code", max: 40)
        let category = try text(input.category, "category", max: 40)
        let address = try text(input.address, "address", max: 200)
        let contact = try text(input.contact_name, "contact_name", max: 50, required: false)
        var phone: SealedPII?
        if let text = input.phone?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            do {
                let number = try MobileNumber(parsing: text)
                phone = try vault.seal(number.normalized, masked: number.masked, kind: .phone)
            } catch let error as MobileNumber.Error {
                throw AppError.validation([FieldError(field: "phone", messageZH: error.messageZH, messageEN: error.messageEN)])
            }
        }
        let code = try self.text(input.node, "node", max: 60)
        struct N: Decodable { var id: UUID; var subdistrict_id: UUID? }
        guard let node = try await db.sql.raw("""
            SELECT n.id, n.subdistrict_id FROM grid_nodes n WHERE n.code = \(bind: code) AND \(writer.actor.scope.contains(SQLColumn("id", table: "n")))
            """).first(decoding: N.self) else {
            throw AppError.validation("node", zh: "网格不存在或不在您的范围内", en: "No such grid node in your scope")
        }
        let id = UUID()
        let sealed = phone
        try await db.write { db in
            try await db.sql.insert(into: "shops")
                .columns("id", "subdistrict_id", "grid_node_id", "name", "licence_code", "category", "address", "contact_name",
                         "phone_cipher", "phone_index", "phone_masked", "created_at")
                .values(SQLBind(id), bindOrNull(node.subdistrict_id), SQLBind(node.id), SQLBind(name), SQLBind(licence), SQLBind(category),
                        SQLBind(address), SQLBind(contact), bindOrNull(sealed?.ciphertext), bindOrNull(sealed?.blindIndex), bindOrNull(sealed?.masked),
                        SQLBind(writer.now)).run()
            try await audit("oversight.shop_registered", writer, type: "shop", id: id, on: db)
        }
        return id
    }

    /// 门责制: a signed pledge with its date and duties.
    static func pledge(_ shopID: UUID, _ input: PledgeInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        guard try await OversightQueries.shop(shopID, in: writer.actor.scope, on: db) != nil else { throw shopNotFound }
        let day = try date(input.signed_on, "signed_on", default: writer.today.iso8601)
        let duties = (input.duties ?? defaultDuties).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !duties.isEmpty, duties.count <= 20, duties.allSatisfy({ $0.count <= 60 }) else {
            throw AppError.validation("duties", zh: "请列出 1–20 项责任，每项不超过 60 字", en: "List 1–20 duties of at most 60 characters each")
        }
        let signer = try text(input.signed_by, "signed_by", max: 50)
        let id = UUID()
        try await db.write { db in
            try await db.sql.insert(into: "shop_pledges").columns("id", "shop_id", "signed_on", "duties", "signed_by", "created_at")
                .values(SQLBind(id), SQLBind(shopID), SQLBind(day), SQLBind(duties.joined(separator: "；")), SQLBind(signer), SQLBind(writer.now)).run()
            try await audit("oversight.pledge_signed", writer, type: "shop", id: shopID, on: db)
        }
        return id
    }

    /// An inspection of a shop; with a case category the finding becomes a case in the same transaction.
    static func inspectShop(_ shopID: UUID, _ input: InspectionInput, writer: WriteContext, on db: any Database) async throws -> InspectionResult {
        let (outcome, finding, day, category) = try inspectionFields(input, writer: writer)
        struct S: Decodable { var id: UUID; var grid_node_id: UUID; var subdistrict_id: UUID?; var name: String; var address: String }
        guard let shop = try await db.sql.raw("""
            SELECT s.id, s.grid_node_id, s.subdistrict_id, s.name, s.address FROM shops s
            WHERE s.id = \(bind: shopID) AND \(writer.actor.scope.contains(SQLColumn("grid_node_id", table: "s")))
            """).first(decoding: S.self) else { throw shopNotFound }
        let inspectionID = UUID()
        let draft = try await category.asyncFlatMap {
            try await findingCase(category: $0, finding: "\(shop.name)：\(finding)", node: shop.grid_node_id, subdistrict: shop.subdistrict_id,
                                  compound: nil, address: shop.address, sourceRef: "inspection:\(inspectionID.uuidString.lowercased())",
                                  writer: writer, on: db)
        }
        return try await db.write { db in
            let caseRef = try await draft.asyncFlatMap { try await insertCase($0, writer: writer, on: db) }
            try await db.sql.insert(into: "oversight_inspections")
                .columns("id", "subdistrict_id", "grid_node_id", "shop_id", "inspected_on", "outcome", "finding", "category_code", "case_id",
                         "inspector_id", "inspector_name", "created_at")
                .values(SQLBind(inspectionID), bindOrNull(shop.subdistrict_id), SQLBind(shop.grid_node_id), SQLBind(shop.id), SQLBind(day),
                        SQLBind(outcome.rawValue), SQLBind(finding), bindOrNull(category), bindOrNull(caseRef?.id), SQLBind(writer.actor.accountID),
                        SQLBind(writer.actor.displayName), SQLBind(writer.now)).run()
            try await audit("oversight.shop_inspected", writer, type: "shop", id: shopID, detail: ["outcome": outcome.rawValue], on: db)
            return InspectionResult(id: inspectionID, case_id: caseRef?.id, case_number: caseRef?.number)
        }
    }

    static func shopInspections(_ shopID: UUID, on db: any Database) async throws -> [InspectionRow] {
        try await db.sql.raw("""
            SELECT i.id, i.inspected_on, i.outcome, i.finding, NULL AS compound_name, s.name AS shop_name, i.category_code, i.case_id,
                   cs.number AS case_number, i.credit_entry_id, i.rectification_id, i.inspector_name
            FROM oversight_inspections i JOIN shops s ON s.id = i.shop_id LEFT JOIN cases cs ON cs.id = i.case_id
            WHERE i.shop_id = \(bind: shopID) ORDER BY i.inspected_on DESC, i.created_at DESC LIMIT 50
            """).all(decoding: InspectionRow.self)
    }

    // MARK: checklists

    /// Sets one measure of a compound's checklist (upsert on the compound and measure).
    static func setMeasure(_ compoundID: UUID, code: String, _ input: MeasureInput, writer: WriteContext, on db: any Database) async throws -> ChecklistRow {
        let compound = try await reachableCompound(compoundID, writer: writer,
                                                   missing: AppError.notFound("小区不存在或不在您的范围内", "No such compound in your scope"), on: db)
        guard let type = CompoundType(rawValue: compound.type), type.checklist.contains(where: { $0.code == code }) else {
            throw AppError.notFound("该小区类型没有这项措施", "The compound's type has no such measure")
        }
        guard let status = input.status.flatMap(MeasureStatus.init(rawValue:)) else {
            throw AppError.validation("status", zh: "状态须为 not_started、in_progress 或 done", en: "status must be not_started, in_progress or done")
        }
        let note = try text(input.note, "note", max: 1000, required: false)
        try await db.write { db in
            try await db.sql.raw("""
                INSERT INTO compound_measures (compound_id, measure_code, status, note, updated_on, updated_by)
                VALUES (\(bind: compound.id), \(bind: code), \(bind: status.rawValue), \(bind: note), \(bind: writer.today.iso8601), \(bind: writer.actor.username))
                ON CONFLICT (compound_id, measure_code) DO UPDATE SET status = excluded.status, note = excluded.note,
                  updated_on = excluded.updated_on, updated_by = excluded.updated_by
                """).run()
            try await audit("oversight.measure_set", writer, type: "compound", id: compound.id, detail: ["measure": code, "status": status.rawValue], on: db)
        }
        guard let row = try await OversightQueries.checklists(in: writer.actor.scope, compound: compound.id, on: db).first else {
            throw AppError.notFound()
        }
        return row
    }
}
