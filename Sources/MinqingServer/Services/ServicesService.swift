import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// 约空间 / 临汾共享: staff register units and their resources and open slots from the opening
/// hours; residents and organisations book a slot; staff approve or reject, record attendance or
/// a no-show; the booker or staff cancel.
///
/// As in 约走访 (`BookingService`), a slot is held by `service_bookings.slot_hold` under a UNIQUE
/// index: racing bookers both INSERT, the database keeps one, the other gets 409 `slot_taken`.
/// Every change of state is one conditional UPDATE; a refused one changes nothing and answers 409.
enum ServicesService {
    static let organisationRoles: Set<Role> = [.volunteer, .propertyCompany, .ownersCommittee]

    static let slotTaken = AppError(
        .conflict, code: "slot_taken",
        zh: "该时段刚刚已被预约，请选择其他时段。",
        en: "This time slot has just been booked; please choose another.")
    static let notFound = AppError.notFound("预约不存在或不在您的范围内", "No such booking in your reach")
    static let resourceNotFound = AppError.notFound("资源不存在或不在您的范围内", "No such resource in your reach")
    static let wrongState = AppError.conflict(
        "该预约当前状态不允许此操作（可能已被审批、取消或完成）",
        "The booking's state does not allow this (it may have been decided, cancelled or done)")

    /// Registers a resource (and its unit, found or created by name at the same node).
    static func createResource(_ input: ResourceInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        guard actor.role.isGridStaff else { throw AppError.forbidden }
        var problems: [FieldError] = []
        func text(_ value: String?, _ field: String, _ zh: String, _ en: String, max: Int, required: Bool = true) -> String {
            let value = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if required && value.isEmpty { problems.append(FieldError(field: field, messageZH: "请填写\(zh)", messageEN: "Enter the \(en)")) }
            if value.count > max {
                problems.append(FieldError(field: field, messageZH: "\(zh)最多 \(max) 字", messageEN: "The \(en) has at most \(max) characters"))
            }
            return value
        }
        let unitName = text(input.unit_name, "unit_name", "驻区单位", "unit's name", max: 100)
        let unitKind = text(input.unit_kind, "unit_kind", "单位类型", "unit's kind", max: 40, required: false)
        let name = text(input.name, "name", "资源名称", "resource's name", max: 100)
        let category = text(input.category, "category", "资源类别", "category", max: 40)
        let kind = text(input.kind, "kind", "资源种类", "kind of resource", max: 40)
        let place = text(input.place, "place", "地点", "place", max: 100)
        let rules = text(input.rules, "rules", "使用规则", "rules", max: 1_000, required: false)
        let capacity = input.capacity ?? 0
        if capacity < 1 || capacity > 10_000 {
            problems.append(FieldError(field: "capacity", messageZH: "容纳人数须为 1–10000", messageEN: "It holds from 1 to 10,000 people"))
        }
        let slotMinutes = input.slot_minutes ?? 60
        if slotMinutes < 10 || slotMinutes > 480 {
            problems.append(FieldError(field: "slot_minutes", messageZH: "时段长度须为 10–480 分钟", messageEN: "A slot lasts from 10 to 480 minutes"))
        }
        let hoursText = (input.opening_hours ?? "").trimmingCharacters(in: .whitespaces)
        do { _ = try ServiceOpeningHours(parsing: hoursText) } catch { problems.append(error.fieldError) }
        let bookers = ServiceBookers(rawValue: input.bookers ?? "all")
        if bookers == nil {
            problems.append(
                FieldError(
                    field: "bookers", messageZH: "请选择可预约对象：居民、组织或全部",
                    messageEN: "Choose who may book: residents, organisations or everyone"))
        }
        let node = try await GridQueries.nodeNamed(input.node, in: actor.scope, problems: &problems, on: db)
        guard problems.isEmpty, let node, let bookers else { throw AppError.validation(problems) }
        let id = UUID()
        try await db.write { db in
            try await ServicesQueries.insertServiceUnit(node: node, name: unitName, kind: unitKind, writer: writer, on: db)
            try await ServicesQueries.insertServiceResource(
                id, node: node, unitName: unitName, name: name, category: category, kind: kind, place: place,
                capacity: capacity, openingHours: hoursText, slotMinutes: slotMinutes, rules: rules,
                bookers: bookers, needsApproval: input.needs_approval, writer: writer, on: db)
            try await audit("service_resource.created", target: id, by: writer, on: db)
        }
        return id
    }

    /// Opens the slots of one local day from the resource's opening hours; slots already open
    /// stay as they are (UNIQUE per resource and start). Returns how many are open that day.
    static func openSlots(_ resource: UUID, _ input: SlotsInput, writer: WriteContext, on db: any Database) async throws -> Int {
        guard writer.actor.role.isGridStaff else { throw AppError.forbidden }
        guard let row = try await ServicesQueries.resource(resource, for: writer.actor, on: db) else { throw resourceNotFound }
        let date: CivilDate
        do { date = try CivilDate(parsing: input.date ?? "") } catch {
            throw AppError.validation("date", zh: "日期格式应为 YYYY-MM-DD", en: "Write the date as YYYY-MM-DD")
        }
        let today = CivilDate(writer.now, in: .shanghai)
        guard date >= today, date.daysSince1970 - today.daysSince1970 <= 90 else {
            throw AppError.validation("date", zh: "只能开放今天起 90 天内的时段", en: "Slots open for today up to 90 days ahead")
        }
        let hours = try ServiceOpeningHours(parsing: row.opening_hours)
        let midnight = date.startOfDay(in: .shanghai)
        let slots: [(Date, Date)] = hours.slots(on: date, length: row.slot_minutes).map { slot in
            (midnight.addingTimeInterval(Double(slot.start * 60)), midnight.addingTimeInterval(Double(slot.end * 60)))
        }
        guard !slots.isEmpty else {
            // Nothing to open: saying it was opened would be a lie (and the audit row with it).
            throw AppError.validation(
                "date", zh: "这一天不在开放时间内，没有可开放的时段", en: "The opening hours have no slots on this day; nothing was opened")
        }
        try await db.write { db in
            try await ServicesQueries.insertServiceSlots(slots, resource: resource, localDate: date.iso8601, on: db)
            try await audit("service_slots.opened", target: resource, by: writer, on: db)
        }
        return try await ServicesQueries.slots(resource, on: date.iso8601, for: writer.actor, on: db).count
    }

    /// Books a slot. The INSERT checks the slot (its resource admits the caller's role, lies in
    /// their subdistrict, has not begun); the UNIQUE `slot_hold` refuses a second holder.
    static func book(_ input: ServiceBookInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        guard actor.role == .resident || organisationRoles.contains(actor.role) else { throw AppError.forbidden }
        var problems: [FieldError] = []
        let purpose = (input.purpose ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if purpose.count > 200 {
            problems.append(FieldError(field: "purpose", messageZH: "用途最多 200 字", messageEN: "The purpose has at most 200 characters"))
        }
        let organisation = (input.organisation ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if organisation.count > 100 {
            problems.append(
                FieldError(field: "organisation", messageZH: "组织名称最多 100 字", messageEN: "The organisation's name has at most 100 characters"))
        }
        if actor.role != .resident && organisation.isEmpty {
            problems.append(FieldError(field: "organisation", messageZH: "以组织名义预约须填写组织名称", messageEN: "Name the organisation you book for"))
        }
        let attendees = input.attendees ?? 1
        if !(1...10_000).contains(attendees) {
            problems.append(FieldError(field: "attendees", messageZH: "人数须为 1 到 10,000", messageEN: "The number of people must be from 1 to 10,000"))
        }
        if input.slot_id == nil { problems.append(FieldError(field: "slot_id", messageZH: "请选择时段", messageEN: "Choose a slot")) }
        guard problems.isEmpty, let slot = input.slot_id else { throw AppError.validation(problems) }
        let roles = ServiceBookers.allCases.filter { $0.admits(actor.role) }.map(\.rawValue)
        let id = UUID()
        do {
            try await db.write { db in
                let inserted = try await ServicesQueries.insertServiceBooking(
                    id, slot: slot, organisation: organisation, purpose: purpose,
                    attendees: attendees, roles: roles, writer: writer, on: db)
                guard !inserted.isEmpty else { throw try await bookingRefusal(slot, actor: actor, on: db) }
                try await audit("service_booking.requested", target: id, by: writer, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw slotTaken
        }
        return id
    }

    /// Why a booking found no slot: the slot is closed or blocked (409, saying so), or there is no
    /// such slot open to the caller, not begun, holding that many people (404).
    static func bookingRefusal(_ slot: UUID, actor: Actor, on db: any Database) async throws -> AppError {
        guard let row = try await ServicesQueries.bookableSlot(slot, for: actor, on: db), row.state != .open else {
            return AppError.notFound("该时段不存在、已开始、人数超出容量或不对您开放", "No such open slot for you (or too many people for it)")
        }
        if row.state == .blocked {
            let reason = row.reason ?? ""
            return AppError(
                .conflict, code: "slot_blocked", zh: "该时段已被占用（\(reason)），不能预约，请选择其他时段。",
                en: "This slot is taken (\(reason)), so it cannot be booked; please choose another.")
        }
        return AppError(.conflict, code: "slot_closed", zh: "该时段已关闭，不能预约，请选择其他时段。", en: "This slot is closed; please choose another.")
    }

    /// The actions on a booking: who may take each, from which states, to which state.
    enum Action: String, CaseIterable, Sendable {
        case approve, reject, cancel, attended
        case noShow = "no-show"

        var from: [ServiceBookingStatus] {
            switch self {
            case .approve, .reject: [.requested]
            case .cancel: [.requested, .approved]
            case .attended, .noShow: [.approved]
            }
        }
        var to: ServiceBookingStatus {
            switch self {
            case .approve: .approved
            case .reject: .rejected
            case .cancel: .cancelled
            case .attended: .attended
            case .noShow: .noShow
            }
        }
        /// Whether the slot is free again afterwards.
        var releases: Bool { to == .rejected || to == .cancelled }
        func allowed(_ role: Role) -> Bool {
            self == .cancel ? (role.isGridStaff || role == .resident || organisationRoles.contains(role)) : role.isGridStaff
        }
    }

    /// One conditional state change: 404 when the booking is not the caller's to change, 409 when
    /// its state does not allow the action (nothing changes).
    static func act(_ booking: UUID, _ action: Action, writer: WriteContext, on db: any Database) async throws {
        let actor = writer.actor
        guard action.allowed(actor.role) else { throw AppError.forbidden }
        try await db.write { db in
            let changed = try await ServicesQueries.changeServiceBooking(booking, action, writer: writer, on: db)
            guard !changed.isEmpty else {
                throw try await ServicesQueries.booking(booking, for: actor, on: db) == nil ? notFound : wrongState
            }
            try await audit("service_booking.\(action.rawValue)", target: booking, by: writer, on: db)
            try await Notifications.serviceBookingDecided(booking, action: action.rawValue, writer: writer, on: db)
        }
    }

    static func audit(_ action: String, target: UUID, by writer: WriteContext, on db: any Database) async throws {
        try await AuditLog.append(
            AuditEntry(
                action: action, actorID: writer.actor.accountID, actorName: writer.actor.username,
                targetType: String(action.prefix { $0 != "." }), targetID: target.uuidString,
                clientAddress: writer.address),
            at: writer.now, on: db)
    }
}
