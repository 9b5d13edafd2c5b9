import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// 限量预约 (e.g. the epidemic's mask reservation): staff set up a stock with a per-household
/// limit and a pick-up place; residents of the campaign's area reserve for their household.
///
/// Reservations are decided and written in batches by `ReservationQueue` (group commit): under
/// the campaign row's lock, each in arrival order by `LimitedStockRule`, then one guarded
/// `UPDATE service_campaigns SET remaining = remaining - n WHERE remaining >= n` for the batch.
/// A refusal answers 409: stock never goes below zero and no household gets beyond its limit,
/// however many reserve at once.
enum CampaignService {
    static let notFound = AppError.notFound("活动不存在或不在您的范围内", "No such campaign in your reach")
    static let soldOut = AppError(.conflict, code: "sold_out", zh: "已约满，库存不足。", en: "Sold out: not enough stock left.")
    static let overLimit = AppError(.conflict, code: "household_limit", zh: "您家已达到每户限额。", en: "Your household has reached its limit.")
    static let slotFull = AppError(
        .conflict, code: "pickup_slot_full", zh: "该领取时段已满，请选择其他时段。",
        en: "This pick-up slot is full; choose another.")
    static let noHousehold = AppError(
        .conflict, code: "no_household", zh: "您的账号尚未关联住户，请联系居委会。",
        en: "Your account is not linked to a household; ask the neighbourhood committee.")

    static func create(_ input: CampaignInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        guard actor.role.isGridStaff else { throw AppError.forbidden }
        var problems: [FieldError] = []
        let title = (input.title ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty || title.count > 100 {
            problems.append(FieldError(field: "title", messageZH: "请填写标题（最多 100 字）", messageEN: "Enter a title (at most 100 characters)"))
        }
        guard let kind = CampaignKind(rawValue: input.kind ?? "reservation") else {
            throw AppError.validation(
                "kind", zh: "请选择活动类型：限量预约、登记或每日打卡",
                en: "Choose the kind: limited stock, registration or daily check-in")
        }
        let description = (input.description ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if description.count > 1_000 {
            problems.append(FieldError(field: "description", messageZH: "说明最多 1000 字", messageEN: "The description has at most 1,000 characters"))
        }
        var formFields: [CampaignForm.Field] = []
        // Fields belong to a registration form or a daily check-in, pick-up slots to a
        // reservation: given to another kind they are refused, not ignored (nothing a request
        // sends goes unchecked).
        if kind == .reservation, !(input.fields ?? []).isEmpty {
            problems.append(
                FieldError(field: "fields", messageZH: "只有登记表、每日打卡活动可设字段", messageEN: "Only a registration form or a daily check-in takes fields"))
        }
        var alertCategory: String?
        if let code = input.alert_category, !code.isEmpty {
            if kind != .checkin {
                problems.append(
                    FieldError(
                        field: "alert_category", messageZH: "只有每日打卡活动可设异常转案件", messageEN: "Only a daily check-in turns alerts into cases"))
            } else if let category = try await CasesQueries.category(code: code, on: db), category.parent_code != nil {
                alertCategory = category.code
            } else {
                problems.append(FieldError(field: "alert_category", messageZH: "案件小类无效", messageEN: "Unknown case sub-category"))
            }
        }
        if kind != .reservation, !(input.pickup_slots ?? []).isEmpty {
            problems.append(FieldError(field: "pickup_slots", messageZH: "只有限量预约活动可设领取时段", messageEN: "Only a reservation takes pick-up slots"))
        }
        if kind == .registration || (kind == .checkin && !(input.fields ?? []).isEmpty) {
            let checked = CampaignFormService.fields(input.fields ?? [], checkin: kind == .checkin)
            formFields = checked.fields
            problems += checked.problems
        }
        var period: (CivilDate, CivilDate)?
        if kind == .checkin {
            period = CheckinService.checkPeriod(input, today: CivilDate(writer.now, in: .shanghai), problems: &problems)
        }
        let stock = kind == .reservation ? input.stock ?? 0 : 0
        if kind == .reservation && (stock < 1 || stock > 10_000_000) {
            problems.append(FieldError(field: "stock", messageZH: "库存须为 1–10000000", messageEN: "The stock must be from 1 to 10,000,000"))
        }
        let limit = kind == .reservation ? input.per_household_limit ?? 0 : 0
        if kind == .reservation && (limit < 1 || limit > 1_000) {
            problems.append(
                FieldError(field: "per_household_limit", messageZH: "每户限额须为 1–1000", messageEN: "The limit per household must be from 1 to 1,000"))
        }
        let place = (input.pickup_place ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if place.count > 100 {
            problems.append(FieldError(field: "pickup_place", messageZH: "领取地点最多 100 字", messageEN: "The pick-up place has at most 100 characters"))
        }
        let node = try await GridQueries.nodeNamed(input.node, in: actor.scope, problems: &problems, on: db)
        var slots: [(Date, Date, Int, String)] = []
        if kind == .reservation, let inputs = input.pickup_slots, !inputs.isEmpty {
            if inputs.count > 50 {
                problems.append(FieldError(field: "pickup_slots", messageZH: "领取时段最多 50 个", messageEN: "At most 50 pick-up slots"))
            }
            for (n, slot) in inputs.enumerated() {
                guard let start = slot.starts_at, let end = slot.ends_at, end > start, end.timeIntervalSince(start) <= 86_400 else {
                    problems.append(
                        FieldError(
                            field: "pickup_slots[\(n)]", messageZH: "第 \(n + 1) 个领取时段：结束须晚于开始，且不超过 24 小时",
                            messageEN: "Pick-up slot \(n + 1): the end must follow the start within 24 hours"))
                    continue
                }
                let capacity = slot.capacity ?? 0
                if capacity < 1 || capacity > 100_000 {
                    problems.append(
                        FieldError(
                            field: "pickup_slots[\(n)].capacity", messageZH: "第 \(n + 1) 个领取时段的容量须为 1–100000",
                            messageEN: "Pick-up slot \(n + 1) needs a capacity of 1–100,000"))
                }
                let where_ = (slot.place ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                slots.append((start, end, capacity, String(where_.prefix(100))))
            }
            if Set(slots.map(\.0)).count != slots.count {
                problems.append(FieldError(field: "pickup_slots", messageZH: "领取时段的开始时间不能重复", messageEN: "Two pick-up slots start at the same time"))
            }
        }
        if kind == .checkin, let code = input.roster_node, !code.isEmpty, try await GridQueries.node(code: code, in: actor.scope, on: db) == nil {
            problems.append(FieldError(field: "roster_node", messageZH: "网格节点不存在或不在您的管辖范围内", messageEN: "No such grid node in your scope"))
        }
        guard problems.isEmpty, let node else { throw AppError.validation(problems) }
        let id = UUID()
        let formFieldsToInsert = formFields
        let checkinPeriod = period
        let pickupSlots = slots
        let alertCode = alertCategory
        try await db.write { db in
            try await ServicesQueries.insertCampaign(
                id, node: node, kind: kind, title: title, description: description, stock: stock, limit: limit,
                place: place, period: checkinPeriod, selfEnrol: input.self_enrol, writer: writer, on: db)
            try await ServicesQueries.insertCampaignFields(formFieldsToInsert, campaign: id, on: db)
            if let alertCode { try await ServicesQueries.setAlertCategory(alertCode, campaign: id, on: db) }
            if !pickupSlots.isEmpty {
                try await ServicesQueries.insertPickupSlots(pickupSlots, campaign: id, place: place, on: db)
                try await ServicesQueries.setPickupSlotCount(pickupSlots.count, campaign: id, on: db)
            }
            try await ServicesService.audit("campaign.created", target: id, by: writer, on: db)
            try await Notifications.campaignOpened(id, title: title, node: node.id, writer: writer, on: db)
        }
        if kind == .checkin, let code = input.roster_node, !code.isEmpty {
            _ = try await CheckinService.enrol(id, .init(node: code, usernames: nil), writer: writer, on: db)
        }
        return id
    }

    /// A resident reserves `quantity` for their household. Checks what needs no lock first (the
    /// campaign serves the caller, a household, the limit, a slot chosen, stock left at all), then
    /// hands the reservation to the application's `ReservationQueue`, which decides and writes it
    /// with the others arriving meanwhile in one transaction under the campaign's lock.
    static func reserve(
        _ campaign: UUID, _ input: ReserveInput, writer: WriteContext, queue: ReservationQueue.Queue,
        on db: any Database
    ) async throws -> UUID {
        let actor = writer.actor
        guard actor.role == .resident else { throw AppError.forbidden }
        let quantity = input.quantity ?? 1
        guard quantity >= 1 && quantity <= 1_000 else {
            throw AppError.validation("quantity", zh: "数量须为 1–1000", en: "The quantity must be from 1 to 1,000")
        }
        // One read: the campaign (serving the caller's home), its stock, and the household the
        // caller's account speaks for.
        guard let found = try await ServicesQueries.reservationTarget(campaign, for: actor, on: db) else { throw notFound }
        guard let household = found.household_id else { throw noHousehold }
        guard quantity <= found.per_household_limit else { throw overLimit }
        let hasSlots = (found.pickup_slots ?? 0) > 0
        if hasSlots && input.pickup_slot_id == nil {
            throw AppError.validation("pickup_slot_id", zh: "请选择领取时段", en: "Choose a pick-up slot")
        }
        // Stock only goes down: what this read saw sold out is sold out (no write needed to say so).
        guard found.status == "open" && found.remaining >= quantity else { throw soldOut }
        let id = UUID()
        let item = ReservationQueue.Item(
            id: id, campaign: campaign, household: household, account: actor.accountID, quantity: quantity,
            slot: hasSlots ? input.pickup_slot_id : nil, limit: found.per_household_limit, now: writer.now)
        switch try await queue.submit(item, on: db) {
        case .granted: return id
        case .soldOut: throw soldOut
        case .overLimit: throw overLimit
        case .slotFull: throw slotFull
        }
    }

    /// Live figures, straight from the counters.
    static func figures(_ campaign: UUID, for actor: Actor, on db: any Database) async throws -> CampaignFigures {
        guard let row = try await ServicesQueries.campaignFigures(campaign, for: actor, on: db) else { throw notFound }
        var figures = row
        let slots = try await ServicesQueries.pickupSlots(of: campaign, on: db)
        figures.pickup_slots = slots.isEmpty ? nil : slots
        return figures
    }

    /// The reservations as CSV for staff: households inside the caller's scope only (filtered in
    /// SQL), address, quantity and time in Asia/Shanghai. No personal numbers are in it. Headers
    /// in `lang`.
    static func csv(_ campaign: UUID, for actor: Actor, lang: Lang = .zh, on db: any Database) async throws -> String {
        guard actor.role.isGridStaff else { throw AppError.forbidden }
        _ = try await figures(campaign, for: actor, on: db)
        let rows = try await ServicesQueries.reservationExportRows(campaign, for: actor, on: db)
        return CSVTable.write(
            header: [
                T("地址", "Address"), T("楼组编码", "Building group code"), T("数量", "Quantity"), T("预约时间", "Reserved at"),
                T("领取时段", "Pickup slot")
            ].map { $0(lang) },
            rows: rows.map {
                [
                    $0.address, $0.grid_code, String($0.quantity), LocalTime.short($0.created_at, year: true),
                    $0.pickup_starts_at.map { LocalTime.short($0, year: true) } ?? ""
                ]
            })
    }

    struct Listed: Content, Sendable, Equatable { var id: UUID; var kind: CampaignKind; var title: String; var status: String; var created_at: Date? }

    /// Campaigns the actor may see (staff: in scope; residents: serving their home), newest
    /// first; `open` only those still open.
    static func list(for actor: Actor, kinds: [CampaignKind] = CampaignKind.allCases, openOnly: Bool, on db: any Database) async throws -> [Listed] {
        try await ServicesQueries.campaigns(for: actor, kinds: kinds, openOnly: openOnly, on: db)
    }

    /// The open campaigns serving a resident's home (at most 10), with live figures.
    static func open(for actor: Actor, on db: any Database) async throws -> [CampaignFigures] {
        guard actor.role == .resident else { return [] }
        let ids = try await ServicesQueries.openReservationCampaignIDs(for: actor, on: db)
        var result: [CampaignFigures] = []
        for id in ids { result.append(try await figures(id, for: actor, on: db)) }
        return result
    }
}
