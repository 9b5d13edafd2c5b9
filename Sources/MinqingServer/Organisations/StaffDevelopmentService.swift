import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Writes of staff development (item 6): training sessions, attendance per cadre, rotations
/// (挂职). Everything is checked first (nodes, units and cadres inside the caller's scope); each
/// write runs in one `db.write` with its audit entry.
enum StaffDevelopmentService {

    static let trainingNotFound = AppError.notFound("培训不存在或不在您的管辖范围内", "No such training session in your scope")

    /// Creates a session organised at a node in scope (default the caller's root).
    static func createTraining(_ input: TrainingInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        guard StaffDevelopmentQueries.managers.contains(actor.role) else { throw AppError.forbidden }
        var problems: [FieldError] = []
        let title = OrganisationsService.text(input.title, "title", "培训主题", en: "title", max: 100, into: &problems)
        let place = OrganisationsService.text(input.place, "place", "培训地点", en: "place", max: 100, required: false, into: &problems)
        let today = OrganisationsService.today(writer)
        var held = today
        if (input.held_on ?? "").isEmpty {
            problems.append(FieldError(field: "held_on", messageZH: "请填写培训日期", messageEN: "Please fill in the date of the session"))
        } else {
            held = OrganisationsService.day(input.held_on, "held_on", "培训日期", en: "date of the session", default: today, into: &problems)
            if let earliest = try? today.adding(days: -5 * 366), let latest = try? today.adding(days: 366), held < earliest || held > latest {
                problems.append(
                    FieldError(field: "held_on", messageZH: "培训日期须在五年前至一年后之间", messageEN: "The date must lie between five years ago and a year ahead")
                )
            }
        }
        problems += StaffDevelopmentRules.checkTraining(minutes: input.minutes).map(OrganisationsService.said)
        var node = try await GridQueries.node(id: actor.scope.rootID, on: db)
        if let code = input.node, !code.isEmpty {
            node = try await GridQueries.node(code: code, in: actor.scope, on: db)
            if node == nil { problems.append(OrganisationsService.nodeProblem()) }
        }
        guard problems.isEmpty, let node, let minutes = input.minutes else { throw AppError.validation(problems) }
        let id = UUID()
        let heldOn = held.iso8601
        try await db.write { db in
            try await StaffDevelopmentQueries.insertTraining(
                id: id, node: node, title: title, heldOn: heldOn, place: place, minutes: minutes,
                writer: writer, on: db)
            try await OrganisationsService.audit("staff_training.created", target: id, detail: ["held_on": heldOn], by: writer, on: db)
        }
        return id
    }

    /// Records attendance at a session the caller organises (its node in their scope), held
    /// already: one row per cadre, a cadre recorded before gets the new status. All rows in one
    /// statement inside one transaction; returns how many were recorded.
    static func recordAttendance(_ trainingID: UUID, _ input: AttendanceInput, writer: WriteContext, on db: any Database) async throws -> Int {
        let actor = writer.actor
        guard StaffDevelopmentQueries.managers.contains(actor.role) else { throw AppError.forbidden }
        guard let training = try await StaffDevelopmentQueries.organisedTraining(trainingID, for: actor, on: db) else { throw trainingNotFound }
        if training.held_on > OrganisationsService.today(writer).iso8601 {
            throw AppError.conflict("培训尚未举行，不能登记出勤", "The session has not taken place yet")
        }
        let entries = input.records ?? []
        var problems: [FieldError] = []
        if entries.isEmpty { problems.append(FieldError(field: "records", messageZH: "请至少登记一人", messageEN: "Mark at least one cadre")) }
        if entries.count > 2_000 {
            problems.append(FieldError(field: "records", messageZH: "一次最多登记 2000 人", messageEN: "At most 2,000 records at once"))
        }
        let found = try await StaffDevelopmentQueries.cadres(
            ids: entries.compactMap(\.account_id), usernames: entries.compactMap { $0.account_id == nil ? $0.username : nil },
            actor: actor, on: db)
        let byID = Dictionary(uniqueKeysWithValues: found.map { ($0.id, $0) })
        let byName = Dictionary(uniqueKeysWithValues: found.map { ($0.username, $0) })
        var rows: [(StaffDevelopmentQueries.Cadre, AttendanceStatus)] = []
        var seen: Set<UUID> = []
        for (n, entry) in entries.enumerated() {
            let status = AttendanceStatus(rawValue: entry.status ?? "")
            if status == nil {
                problems.append(
                    FieldError(field: "records[\(n)].status", messageZH: "出勤状态须为出席、缺席或请假", messageEN: "Mark each cadre present, absent or excused"))
            }
            let cadre = entry.account_id.flatMap { byID[$0] } ?? (entry.account_id == nil ? entry.username.flatMap { byName[$0] } : nil)
            guard let cadre else {
                problems.append(FieldError(field: "records[\(n)].account_id", messageZH: "干部不存在或不在您的管辖范围内", messageEN: "No such cadre in your scope"))
                continue
            }
            if !seen.insert(cadre.id).inserted {
                problems.append(FieldError(field: "records[\(n)].account_id", messageZH: "同一干部只能登记一次", messageEN: "The cadre is named twice"))
            }
            if let status { rows.append((cadre, status)) }
        }
        guard problems.isEmpty else { throw AppError.validation(problems) }
        let recorded = rows
        try await db.write { db in
            try await StaffDevelopmentQueries.upsertAttendance(trainingID, recorded, writer: writer, on: db)
            var counts: [String: String] = ["records": String(recorded.count)]
            for status in AttendanceStatus.allCases { counts[status.rawValue] = String(recorded.filter { $0.1 == status }.count) }
            try await OrganisationsService.audit("staff_training.attendance_recorded", target: trainingID, detail: counts, by: writer, on: db)
        }
        return recorded.count
    }

    struct Place { var node: UUID; var unit: UUID? }

    /// Where a rotation starts or ends: a unit of the caller's subdistrict (its node), else a node
    /// in scope, else `fallback`.
    static func place(
        unit: UUID?, node code: String?, field: String, fallback: UUID?, actor: Actor, problems: inout [FieldError],
        on db: any Database
    ) async throws -> Place? {
        if let unit {
            let row = try await StaffDevelopmentQueries.unitPlace(unit, actor: actor, on: db)
            guard let row else {
                problems.append(FieldError(field: "\(field)_unit_id", messageZH: "请从列表中选择驻区单位", messageEN: "Choose the unit from the list"))
                return nil
            }
            guard let node = row.grid_node_id ?? fallback else {
                problems.append(FieldError(field: "\(field)_node", messageZH: "请填写网格编码", messageEN: "Please fill in the grid code"))
                return nil
            }
            return Place(node: node, unit: row.id)
        }
        if let code, !code.isEmpty {
            guard let node = try await GridQueries.node(code: code, in: actor.scope, on: db) else {
                problems.append(OrganisationsService.nodeProblem("\(field)_node"))
                return nil
            }
            return Place(node: node.id, unit: nil)
        }
        guard let fallback else {
            problems.append(
                FieldError(field: "\(field)_node", messageZH: "请填写挂职去向（网格或单位）", messageEN: "Say where to: a grid area or a unit"))
            return nil
        }
        return Place(node: fallback, unit: nil)
    }

    /// Records a rotation of a cadre in scope. A cadre has one rotation at a time: an
    /// overlapping one answers 409.
    static func createRotation(_ input: RotationInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        guard StaffDevelopmentQueries.managers.contains(actor.role) else { throw AppError.forbidden }
        var problems: [FieldError] = []
        let today = OrganisationsService.today(writer)
        var cadre: StaffDevelopmentQueries.Cadre?
        if input.account_id == nil && (input.username ?? "").isEmpty {
            problems.append(FieldError(field: "account_id", messageZH: "请选择干部", messageEN: "Choose the cadre"))
        } else {
            cadre = try await StaffDevelopmentQueries.cadres(
                ids: input.account_id.map { [$0] } ?? [], usernames: input.account_id == nil ? [input.username ?? ""] : [],
                actor: actor, on: db
            ).first
            if cadre == nil {
                problems.append(FieldError(field: "account_id", messageZH: "干部不存在或不在您的管辖范围内", messageEN: "No such cadre in your scope"))
            }
        }
        let post = OrganisationsService.text(input.post, "post", "挂职岗位", en: "post held", max: 100, into: &problems)
        let purpose = OrganisationsService.text(input.purpose, "purpose", "挂职目的", en: "purpose", max: 500, into: &problems)
        let starts = OrganisationsService.day(input.starts_on, "starts_on", "开始日期", en: "start date", default: today, into: &problems)
        var ends = today
        if (input.ends_on ?? "").isEmpty {
            problems.append(FieldError(field: "ends_on", messageZH: "请填写挂职结束日期", messageEN: "Please fill in the end date"))
        } else {
            ends = OrganisationsService.day(input.ends_on, "ends_on", "结束日期", en: "end date", default: today, into: &problems)
            if problems.allSatisfy({ $0.field != "ends_on" && $0.field != "starts_on" }) {
                problems += StaffDevelopmentRules.checkRotation(starts: starts, ends: ends).map(OrganisationsService.said)
            }
        }
        if let earliest = try? today.adding(days: -5 * 366), let latest = try? today.adding(days: 366), starts < earliest || starts > latest {
            problems.append(
                FieldError(
                    field: "starts_on", messageZH: "开始日期须在五年前至一年后之间", messageEN: "The start date must lie between five years ago and a year ahead"))
        }
        // Without a cadre there is no default origin to name as missing: the cadre's error says it.
        let namedOrigin = input.from_unit_id != nil || !(input.from_node ?? "").isEmpty
        let from =
            cadre == nil && !namedOrigin
            ? nil
            : try await place(
                unit: input.from_unit_id, node: input.from_node, field: "from", fallback: cadre?.grid_node_id, actor: actor,
                problems: &problems, on: db)
        let to = try await place(unit: input.to_unit_id, node: input.to_node, field: "to", fallback: nil, actor: actor, problems: &problems, on: db)
        if let from, let to, from.node == to.node, from.unit == to.unit {
            problems.append(FieldError(field: "to_node", messageZH: "挂职去向不能与原单位相同", messageEN: "Where to must differ from where from"))
        }
        guard problems.isEmpty, let cadre, let from, let to else { throw AppError.validation(problems) }
        let id = UUID()
        let (startsOn, endsOn) = (starts.iso8601, ends.iso8601)
        try await db.write { db in
            // One writer per cadre at a time: SQLite's write lock is taken up front; PostgreSQL locks the account row.
            try await StaffDevelopmentQueries.lockCadre(cadre.id, on: db)
            let overlapping = try await StaffDevelopmentQueries.overlappingRotations(of: cadre.id, startsOn: startsOn, endsOn: endsOn, on: db)
            guard overlapping == 0 else { throw AppError.conflict("该干部在此期间已有挂职安排", "The cadre already has a rotation in that period") }
            try await StaffDevelopmentQueries.insertRotation(
                id: id, cadre: cadre, fromNode: from.node, toNode: to.node, fromUnit: from.unit, toUnit: to.unit,
                post: post, purpose: purpose, startsOn: startsOn, endsOn: endsOn, writer: writer, on: db)
            try await OrganisationsService.audit(
                "staff_rotation.created", target: id,
                detail: [
                    "account": cadre.username, "starts_on": startsOn,
                    "ends_on": endsOn
                ], by: writer, on: db)
        }
        return id
    }
}
