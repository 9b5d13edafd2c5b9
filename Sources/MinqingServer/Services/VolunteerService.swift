import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Volunteer activities (平安巡逻、清洁家园、交通文明、垃圾分类、医护康养 …): staff post an activity
/// with its team, time, credited minutes and capacity; residents and volunteers sign up (the
/// `signed_up` counter is raised only while below capacity, one sign-up per person by UNIQUE);
/// staff check people in, which credits the minutes to the time bank in the same transaction.
enum VolunteerService {
    static let teams = ["平安巡逻", "清洁家园", "交通文明", "垃圾分类", "医护康养", "为老服务", "文明宣传"]
    static let notFound = AppError.notFound("活动不存在或不在您的范围内", "No such activity in your reach")
    static let full = AppError(.conflict, code: "activity_full", zh: "名额已满或活动已开始。", en: "The activity is full or has begun.")
    static let already = AppError(.conflict, code: "already_signed_up", zh: "您已报名该活动。", en: "You have already signed up.")

    struct Input: Content, Sendable {
        var team: String?; var title: String?; var place: String?; var node: String?
        var starts_at: Date?; var ends_at: Date?; var minutes: Int?; var capacity: Int?
    }
    struct CheckIn: Content, Sendable { var username: String? }

    struct Row: Content, Sendable, Equatable {
        var id: UUID; var team: String; var title: String; var place: String; var starts_at: Date; var ends_at: Date
        var minutes: Int; var capacity: Int; var signed_up: Int
        /// The caller's own sign-up state, if any.
        var my_status: String?
    }

    static func list(for actor: Actor, after: Date, on db: any Database) async throws -> [Row] {
        try await ServicesQueries.activities(for: actor, after: after, on: db)
    }

    static func create(_ input: Input, writer: WriteContext, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        guard actor.role.isGridStaff else { throw AppError.forbidden }
        var problems: [FieldError] = []
        let team = (input.team ?? "").trimmingCharacters(in: .whitespaces)
        if team.isEmpty || team.count > 40 {
            problems.append(FieldError(field: "team", messageZH: "请填写志愿队（最多 40 字）", messageEN: "Enter the team (at most 40 characters)"))
        }
        let title = (input.title ?? "").trimmingCharacters(in: .whitespaces)
        if title.isEmpty || title.count > 100 {
            problems.append(
                FieldError(field: "title", messageZH: "请填写活动名称（最多 100 字）", messageEN: "Enter the activity's title (at most 100 characters)"))
        }
        let place = (input.place ?? "").trimmingCharacters(in: .whitespaces)
        if place.count > 100 {
            problems.append(FieldError(field: "place", messageZH: "地点最多 100 字", messageEN: "The place has at most 100 characters"))
        }
        if let start = input.starts_at, let end = input.ends_at {
            if start <= writer.now {
                problems.append(FieldError(field: "starts_at", messageZH: "开始时间须在将来", messageEN: "The activity must start in the future"))
            }
            if end <= start || end.timeIntervalSince(start) > 86_400 {
                problems.append(
                    FieldError(field: "ends_at", messageZH: "结束须晚于开始，且不超过 24 小时", messageEN: "The end must follow the start within 24 hours"))
            }
        } else {
            problems.append(
                FieldError(
                    field: input.starts_at == nil ? "starts_at" : "ends_at", messageZH: "请填写开始和结束时间", messageEN: "Enter the start and the end")
            )
        }
        let minutes = input.minutes ?? 0
        if minutes < 1 || minutes > 1_440 {
            problems.append(FieldError(field: "minutes", messageZH: "记入时长须为 1–1440 分钟", messageEN: "The minutes credited must be from 1 to 1,440"))
        }
        let capacity = input.capacity ?? 0
        if capacity < 1 || capacity > 10_000 {
            problems.append(FieldError(field: "capacity", messageZH: "名额须为 1–10000", messageEN: "The places must be from 1 to 10,000"))
        }
        let node = try await GridQueries.nodeNamed(input.node, in: actor.scope, problems: &problems, on: db)
        guard problems.isEmpty, let node, let start = input.starts_at, let end = input.ends_at else { throw AppError.validation(problems) }
        let id = UUID()
        try await db.write { db in
            try await ServicesQueries.insertActivity(
                id, node: node, team: team, title: title, place: place, start: start, end: end, minutes: minutes,
                capacity: capacity, writer: writer, on: db)
            try await ServicesService.audit("volunteer_activity.created", target: id, by: writer, on: db)
        }
        return id
    }

    /// Signs the caller up: the counter rises only below capacity and before the start; a
    /// second sign-up hits the UNIQUE index. Either refusal is 409 and changes nothing.
    static func signUp(_ activity: UUID, writer: WriteContext, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        // Volunteering is done by people: time-bank minutes go to residents and volunteers, not
        // to a company's or a committee's account.
        guard actor.role == .resident || actor.role == .volunteer else {
            throw AppError(.forbidden, code: "volunteers_only", zh: "只有居民和志愿者可以报名志愿活动", en: "Only residents and volunteers sign up for activities")
        }
        guard try await ServicesQueries.activityExists(activity, for: actor, on: db) else { throw notFound }
        let id = UUID()
        do {
            try await db.write { db in
                let raised = try await ServicesQueries.raiseActivitySignups(activity, now: writer.now, on: db)
                guard !raised.isEmpty else { throw full }
                try await ServicesQueries.insertActivitySignup(id, activity: activity, writer: writer, on: db)
                try await ServicesService.audit("volunteer_activity.signed_up", target: activity, by: writer, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw already
        }
        return id
    }

    /// Staff check a signed-up person in: the activity's minutes go from the staff's pool to the
    /// person's time-bank account, and the sign-up keeps the transfer. Twice is 409.
    static func checkIn(_ activity: UUID, _ input: CheckIn, writer: WriteContext, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        guard actor.role.isGridStaff else { throw AppError.forbidden }
        guard let found = try await ServicesQueries.activityCredit(activity, for: actor, on: db) else { throw notFound }
        guard let person = try await ServicesQueries.signedUpPerson(activity, username: input.username ?? "", on: db) else {
            throw AppError.validation("username", zh: "此人未报名该活动", en: "This person has not signed up")
        }
        return try await db.write { db in
            let pool = try await LedgerService.account(
                holder: "pool:\(actor.scope.rootID.uuidString.lowercased())", unit: .minutes, kind: "pool",
                name: actor.scope.rootName, node: actor.scope.rootID, subdistrict: actor.subdistrictID,
                owner: nil, on: db)
            let member = try await LedgerService.account(
                holder: "account:\(person.id.uuidString.lowercased())", unit: .minutes, kind: "member",
                name: person.display_name, node: person.grid_node_id, subdistrict: person.subdistrict_id,
                owner: person.id, on: db)
            let transfer = try await LedgerService.post(
                unit: .minutes, from: .init(id: pool, overdraft: true), to: .init(id: member, overdraft: false),
                amount: Int64(found.minutes), memo: found.title, reverses: nil, node: found.grid_node_id,
                subdistrict: found.subdistrict_id, writer: writer, on: db)
            let changed = try await ServicesQueries.checkInSignup(activity, account: person.id, transfer: transfer, now: writer.now, on: db)
            guard !changed.isEmpty else {
                throw AppError.conflict("此人已签到", "This person has already checked in")
            }
            return transfer
        }
    }
}
