import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// 区域化党建 co-building with the units (驻区单位, `service_units`): each unit's problem, resource
/// and project lists (清单制); contracts with what each side commits and whether it delivered
/// (契约制); points under the published rules (积分制, `CoBuildingPoints`), every entry a row
/// with its rule, quantity, points, explanation, reason and date (append-only); a total is the
/// sum of its entries.
extension OrganisationsService {
    static let listKinds = ["problem", "resource", "project"]
    static let unitNotFound = AppError.notFound("驻区单位不存在", "No such unit")
    static let unitProblem = FieldError(field: "service_unit_id", messageZH: "请从列表中选择驻区单位", messageEN: "Choose the unit from the list")

    /// The community (grid node in scope) a co-building record belongs to: `node`, else the
    /// caller's own node.
    static func communityNode(_ code: String?, actor: Actor, on db: any Database, into problems: inout [FieldError]) async throws -> GridNodeSummary?
    {
        guard let code, !code.isEmpty else { return try await GridQueries.node(id: actor.scope.rootID, on: db) }
        let node = try await GridQueries.node(code: code, in: actor.scope, on: db)
        if node == nil { problems.append(nodeProblem()) }
        return node
    }

    static func addItem(_ input: CoBuildItemInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        guard OrganisationsQueries.managers.contains(actor.role) else { throw AppError.forbidden }
        var problems: [FieldError] = []
        let kind = input.list_kind ?? ""
        if !listKinds.contains(kind) {
            problems.append(
                FieldError(
                    field: "list_kind", messageZH: "请选择清单：问题清单、资源清单或项目清单", messageEN: "Choose the list: problems, resources or projects"))
        }
        let title = text(input.title, "title", "标题", en: "title", max: 200, into: &problems)
        let detail = text(input.detail, "detail", "内容", en: "details", max: 2_000, required: false, into: &problems)
        let node = try await communityNode(input.node, actor: actor, on: db, into: &problems)
        if input.service_unit_id == nil {
            problems.append(unitProblem)
        }
        guard problems.isEmpty, let node, let unitID = input.service_unit_id else { throw AppError.validation(problems) }
        guard try await OrganisationsQueries.unit(unitID, for: actor, on: db) != nil else { throw unitNotFound }
        let id = UUID()
        try await db.write { db in
            try await OrganisationsQueries.insertItem(
                id: id, node: node, unitID: unitID, kind: kind, title: title, detail: detail, writer: writer, on: db)
            try await audit("cobuild_item.created", target: id, detail: ["unit": unitID.uuidString, "list": kind], by: writer, on: db)
        }
        return id
    }

    static func createContract(_ input: CoBuildContractInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        guard OrganisationsQueries.managers.contains(actor.role) else { throw AppError.forbidden }
        var problems: [FieldError] = []
        let title = text(input.title, "title", "契约名称", en: "title of the contract", max: 200, into: &problems)
        let today = today(writer)
        let starts = day(input.starts_on, "starts_on", "开始日期", en: "start date", default: today, into: &problems)
        let ends = day(input.ends_on, "ends_on", "结束日期", en: "end date", default: (try? starts.adding(days: 364)) ?? starts, into: &problems)
        if ends < starts {
            problems.append(FieldError(field: "ends_on", messageZH: "结束日期不能早于开始日期", messageEN: "The end date cannot be before the start date"))
        }
        let node = try await communityNode(input.node, actor: actor, on: db, into: &problems)
        let commitments = input.commitments ?? []
        if commitments.isEmpty {
            problems.append(FieldError(field: "commitments", messageZH: "请至少写明一项承诺", messageEN: "Write down at least one commitment"))
        }
        var rows: [(side: String, content: String, due: CivilDate)] = []
        for (n, c) in commitments.enumerated() {
            let side = c.side ?? ""
            if side != "unit" && side != "community" {
                problems.append(
                    FieldError(
                        field: "commitments[\(n)].side", messageZH: "请选择承诺方：驻区单位或社区", messageEN: "Choose who commits: the unit or the community"))
            }
            let content = text(c.content, "commitments[\(n)].content", "承诺内容", en: "commitment", max: 500, into: &problems)
            let due = day(c.due_on, "commitments[\(n)].due_on", "兑现期限", en: "due date", default: ends, into: &problems)
            rows.append((side, content, due))
        }
        if input.service_unit_id == nil {
            problems.append(unitProblem)
        }
        guard problems.isEmpty, let node, let unitID = input.service_unit_id else { throw AppError.validation(problems) }
        guard try await OrganisationsQueries.unit(unitID, for: actor, on: db) != nil else { throw unitNotFound }
        let id = UUID()
        let commitmentRows = rows
        try await db.write { db in
            try await OrganisationsQueries.insertContract(
                id: id, node: node, unitID: unitID, title: title, starts: starts, ends: ends, writer: writer, on: db)
            for row in commitmentRows {
                try await OrganisationsQueries.insertCommitment(contract: id, side: row.side, content: row.content, due: row.due, on: db)
            }
            try await audit("cobuild_contract.created", target: id, detail: ["unit": unitID.uuidString], by: writer, on: db)
        }
        return id
    }

    /// Records whether a commitment was delivered, once (a conditional UPDATE: 409 if checked
    /// already). A unit's own commitment earns (or loses) its points under the published rule in
    /// the same transaction.
    static func checkCommitment(_ id: UUID, delivered: Bool, writer: WriteContext, on db: any Database) async throws {
        let actor = writer.actor
        guard OrganisationsQueries.managers.contains(actor.role) else { throw AppError.forbidden }
        guard let row = try await OrganisationsQueries.commitment(id, actor: actor, on: db) else {
            throw AppError.notFound("承诺不存在或不在您的管辖范围内", "No such commitment in your scope")
        }
        let today = today(writer)
        try await db.write { db in
            let changed = try await OrganisationsQueries.checkCommitment(id, delivered: delivered, today: today, actor: actor, on: db)
            guard changed else { throw AppError.conflict("该承诺已核验", "This commitment has been checked already") }
            if row.side == "unit" {
                try await insertPoints(
                    unit: row.service_unit_id, registration: nil, node: row.grid_node_id, subdistrict: row.subdistrict_id,
                    rule: delivered ? "commitment_delivered" : "commitment_missed", quantity: 1,
                    reason: row.content, earned: today, writer: writer, on: db)
            }
            try await audit("cobuild_commitment.checked", target: id, detail: ["delivered": String(delivered)], by: writer, on: db)
        }
    }

    static func insertPoints(
        unit: UUID?, registration: UUID?, node: UUID, subdistrict: UUID?, rule: String, quantity: Int, reason: String,
        earned: CivilDate, writer: WriteContext, on db: any Database
    ) async throws {
        let entry = try CoBuildingPoints.entry(rule: rule, quantity: quantity)
        try await OrganisationsQueries.insertPoints(
            unit: unit, registration: registration, node: node, subdistrict: subdistrict, rule: rule, quantity: quantity,
            points: entry.points, explanation: entry.explanationZH, reason: reason, earned: earned, writer: writer, on: db)
    }

    /// Awards points to a unit (`service_unit_id`) or an in-service member (`registration_id`)
    /// under a published rule, with a reason.
    static func awardPoints(_ input: PointsInput, writer: WriteContext, on db: any Database) async throws {
        let actor = writer.actor
        guard OrganisationsQueries.managers.contains(actor.role) else { throw AppError.forbidden }
        var problems: [FieldError] = []
        let reason = text(input.reason, "reason", "积分事由", en: "reason", max: 500, into: &problems)
        let quantity = input.quantity ?? 1
        do { _ = try CoBuildingPoints.entry(rule: input.rule ?? "", quantity: quantity) } catch { problems.append(pointsProblem(error)) }
        if CoBuildingPoints.rule(input.rule ?? "") == nil, let known = CoBuildingPoints.rules.first {
            // The rule's check stops at an unknown rule; the quantity is checked all the same, so every problem shows at once.
            do { _ = try CoBuildingPoints.entry(rule: known.code, quantity: quantity) } catch { problems.append(pointsProblem(error)) }
        }
        let today = today(writer)
        let earned = day(input.earned_on, "earned_on", "积分日期", en: "date", default: today, into: &problems)
        if earned > today { problems.append(FieldError(field: "earned_on", messageZH: "日期不能晚于今天", messageEN: "The date cannot be after today")) }
        if (input.service_unit_id == nil) == (input.registration_id == nil) {
            problems.append(
                FieldError(
                    field: "service_unit_id", messageZH: "请指定一个驻区单位或一名报到党员，二者选一",
                    messageEN: "Choose either one unit or one registered member"))
        }
        guard problems.isEmpty else { throw AppError.validation(problems) }
        var node = actor.scope.rootID
        var subdistrict = actor.subdistrictID
        if let unit = input.service_unit_id {
            guard try await OrganisationsQueries.unit(unit, for: actor, on: db) != nil else { throw unitNotFound }
        }
        if let registration = input.registration_id {
            let reg = try await actionable(registration, actor: actor, on: db)
            node = reg.grid_node_id; subdistrict = reg.subdistrict_id
        }
        let (target, where_, sub) = (input.service_unit_id, node, subdistrict)
        try await db.write { db in
            try await insertPoints(
                unit: target, registration: input.registration_id, node: where_, subdistrict: sub, rule: input.rule ?? "",
                quantity: quantity, reason: reason, earned: earned, writer: writer, on: db)
            try await audit(
                "cobuild_points.awarded", target: target ?? input.registration_id ?? UUID(), detail: ["rule": input.rule ?? ""], by: writer, on: db)
        }
    }
}
