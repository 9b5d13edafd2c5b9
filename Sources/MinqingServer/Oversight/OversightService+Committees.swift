import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// Owners' committees, shops and checklists (see OversightService).
extension OversightService {
    static func reachableCompound(_ id: UUID?, writer: WriteContext, missing: AppError? = nil, on db: any Database) async throws -> (
        id: UUID, subdistrict: UUID?, type: String
    ) {
        guard let id else { throw AppError.validation("compound_id", zh: "请选择小区", en: "Choose the compound") }
        guard let c = try await OversightQueries.compoundRef(id, in: writer.actor.scope, on: db) else {
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
            guard
                try await OversightQueries.insertCommittee(
                    id: id, subdistrict: compound.subdistrict, compound: compound.id, elected: elected, ends: ends,
                    writer: writer, on: db)
            else {
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
        guard memberRoles[role] != nil else {
            throw AppError.validation("role", zh: "请选择职务：主任、副主任或委员", en: "Choose the role: director, deputy director or member")
        }
        let starts = try date(input.term_starts_on, "term_starts_on", default: committee.elected_on)
        let ends = try date(input.term_ends_on, "term_ends_on", default: committee.term_ends_on)
        guard ends > starts else { throw AppError.validation("term_ends_on", zh: "任期结束须晚于开始", en: "The term must end after it starts") }
        guard try await OversightQueries.residentOf(compound: committee.compound_id, person: person, in: writer.actor.scope, on: db) != nil else {
            throw AppError.validation("person_id", zh: "此人不在该小区居住或不在您的范围内", en: "This person does not live in the compound, or is outside your scope")
        }
        let id = UUID()
        return try await db.write { db in
            guard
                try await OversightQueries.insertCommitteeMember(
                    id: id, committee: committeeID, person: person, role: role, starts: starts, ends: ends,
                    on: db)
            else {
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
            throw AppError.validation("kind", zh: "请选择类别：纠错或退出", en: "Choose the kind: a correction or an exit")
        }
        let reason = try text(input.reason, "reason", T("原因", "the reason"), max: 2000)
        if kind == "exit", input.member_id == nil { throw AppError.validation("member_id", zh: "退出须指定成员", en: "An exit names the member") }
        if let member = input.member_id {
            let known = try await OversightQueries.committeeMemberCount(member, committee: committeeID, on: db)
            if known == 0 { throw AppError.validation("member_id", zh: "该业委会没有这名成员", en: "This committee has no such member") }
        }
        let id = UUID()
        return try await db.write { db in
            if kind == "exit", let member = input.member_id {
                guard try await OversightQueries.endCommitteeMember(member, committee: committeeID, writer: writer, on: db) else {
                    throw AppError.conflict("该成员不在任", "This member is not serving")
                }
            }
            try await OversightQueries.insertCommitteeRecord(
                id: id, committee: committeeID, kind: kind, member: input.member_id, reason: reason,
                writer: writer, on: db)
            try await audit("oversight.committee_\(kind)", writer, type: "owners_committee", id: committeeID, on: db)
            return id
        }
    }

    /// Publishes a disclosure to the compound's residents (staff, or the owners' committee role in scope).
    static func publish(_ committeeID: UUID, _ input: DisclosureInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        guard let committee = try await OversightQueries.committee(committeeID, for: writer.actor, on: db) else { throw committeeNotFound }
        guard let kind = input.kind, disclosureKinds[kind] != nil else {
            throw AppError.validation(
                "kind", zh: "请选择类别：财务审计、会议纪要、维修资金使用或公告",
                en: "Choose the kind: a financial audit, minutes, maintenance-fund use or a notice")
        }
        let title = try text(input.title, "title", T("标题", "the title"), max: 120)
        let body = try text(input.body, "body", T("内容", "the text"), max: 10_000)
        if let amount = input.amount_fen, !(0...1_000_000_000_000).contains(amount) {
            throw AppError.validation("amount_fen", zh: "金额须在 0 至 100 亿元之间", en: "The amount must be from 0 to 10 billion yuan")
        }
        let id = UUID()
        try await db.write { db in
            try await OversightQueries.insertDisclosure(
                id: id, committee: committeeID, compound: committee.compound_id, kind: kind, title: title, body: body,
                amountFen: input.amount_fen, writer: writer, on: db)
            try await audit("oversight.disclosure_published", writer, type: "owners_committee", id: committeeID, detail: ["kind": kind], on: db)
            try await Notifications.noticePublished(compound: committee.compound_id, title: title, writer: writer, on: db)
        }
        return id
    }

    // MARK: shops

    /// 一店一档: a shop's file; the contact phone only through the vault. Every field is checked
    /// before anything is written, and all problems are answered at once.
    static func registerShop(_ input: ShopInput, writer: WriteContext, vault: PIIVault, on db: any Database) async throws -> UUID {
        var errors: [FieldError] = []
        let checkedName = try collect(&errors) { try text(input.name, "name", T("店名", "the shop's name"), max: 100) }
        let checkedLicence = try collect(&errors) { try text(input.licence_code, "licence_code", T("营业执照号", "the licence code"), max: 40) }
        let checkedCategory = try collect(&errors) { try text(input.category, "category", T("业态", "the category"), max: 40) }
        let checkedAddress = try collect(&errors) { try text(input.address, "address", T("地址", "the address"), max: 200) }
        let checkedContact = try collect(&errors) {
            try text(input.contact_name, "contact_name", T("联系人", "the contact's name"), max: 50, required: false)
        }
        var phone: SealedPII?
        if let typed = input.phone?.trimmingCharacters(in: .whitespaces), !typed.isEmpty {
            do {
                let number = try MobileNumber(parsing: typed)
                phone = try vault.seal(number.normalized, masked: number.masked, kind: .phone)
            } catch let error as MobileNumber.Error {
                errors.append(FieldError(field: "phone", messageZH: error.messageZH, messageEN: error.messageEN))
            }
        }
        var checkedNode: OversightQueries.ShopNode?
        if let code = try collect(&errors, { try text(input.node, "node", T("所在网格编码", "the grid code of where the shop stands"), max: 60) }) {
            checkedNode = try await OversightQueries.shopNode(code: code, in: writer.actor.scope, on: db)
            if checkedNode == nil {
                errors.append(FieldError(field: "node", messageZH: "网格不存在或不在您的范围内", messageEN: "No such grid node in your scope"))
            }
        }
        guard errors.isEmpty, let name = checkedName, let licence = checkedLicence, let category = checkedCategory, let address = checkedAddress,
            let contact = checkedContact, let node = checkedNode
        else { throw AppError.validation(errors) }
        let id = UUID()
        let sealed = phone
        try await db.write { db in
            try await OversightQueries.insertShop(
                id: id, node: node, name: name, licence: licence, category: category, address: address, contact: contact,
                sealed: sealed, writer: writer, on: db)
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
        let signer = try text(input.signed_by, "signed_by", T("签订人", "who signed"), max: 50)
        let id = UUID()
        try await db.write { db in
            try await OversightQueries.insertPledge(id: id, shop: shopID, day: day, duties: duties, signer: signer, writer: writer, on: db)
            try await audit("oversight.pledge_signed", writer, type: "shop", id: shopID, on: db)
        }
        return id
    }

    /// An inspection of a shop; with a case category the finding becomes a case in the same transaction.
    static func inspectShop(_ shopID: UUID, _ input: InspectionInput, writer: WriteContext, on db: any Database) async throws -> InspectionResult {
        let (outcome, finding, day, category) = try inspectionFields(input, writer: writer)
        guard let shop = try await OversightQueries.inspectedShop(shopID, in: writer.actor.scope, on: db) else { throw shopNotFound }
        let inspectionID = UUID()
        let draft = try await category.asyncFlatMap {
            try await findingCase(
                category: $0, finding: "\(shop.name)：\(finding)", node: shop.grid_node_id, subdistrict: shop.subdistrict_id,
                compound: nil, address: shop.address, sourceRef: "inspection:\(inspectionID.uuidString.lowercased())",
                writer: writer, on: db)
        }
        return try await db.write { db in
            let caseRef = try await draft.asyncFlatMap { try await CasesService.insertAudited($0, writer: writer, on: db) }
            try await OversightQueries.insertShopInspection(
                id: inspectionID, shop: shop, day: day, outcome: outcome, finding: finding, category: category,
                caseID: caseRef?.id, writer: writer, on: db)
            try await audit("oversight.shop_inspected", writer, type: "shop", id: shopID, detail: ["outcome": outcome.rawValue], on: db)
            return InspectionResult(id: inspectionID, case_id: caseRef?.id, case_number: caseRef?.number)
        }
    }

    // MARK: checklists

    /// Sets one measure of a compound's checklist (upsert on the compound and measure).
    static func setMeasure(_ compoundID: UUID, code: String, _ input: MeasureInput, writer: WriteContext, on db: any Database) async throws
        -> ChecklistRow
    {
        let compound = try await reachableCompound(
            compoundID, writer: writer,
            missing: AppError.notFound("小区不存在或不在您的范围内", "No such compound in your scope"), on: db)
        guard let type = CompoundType(rawValue: compound.type), type.checklist.contains(where: { $0.code == code }) else {
            throw AppError.notFound("该小区类型没有这项措施", "The compound's type has no such measure")
        }
        guard let status = input.status.flatMap(MeasureStatus.init(rawValue:)) else {
            throw AppError.validation(
                "status", zh: "请选择状态：" + MeasureStatus.allCases.map(\.nameZH).joined(separator: "、"),
                en: "Choose the status: " + MeasureStatus.allCases.map { $0.nameEN.lowercased() }.joined(separator: ", "))
        }
        let note = try text(input.note, "note", T("说明", "the note"), max: 1000, required: false)
        try await db.write { db in
            try await OversightQueries.upsertMeasure(compound: compound.id, code: code, status: status, note: note, writer: writer, on: db)
            try await audit(
                "oversight.measure_set", writer, type: "compound", id: compound.id, detail: ["measure": code, "status": status.rawValue], on: db)
        }
        guard let row = try await OversightQueries.checklists(in: writer.actor.scope, compound: compound.id, on: db).first else {
            throw AppError.notFound()
        }
        return row
    }
}
