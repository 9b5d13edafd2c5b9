import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// 双报到 / 双报告: an in-service member and their work unit register with the home community,
/// claim posts (示范岗, 责任区, 突击队) there and record service; the community reports back to the
/// unit what its people did in a period (`OrganisationsQueries.unitReport`).
extension OrganisationsService {
    static let registrationNotFound = AppError.notFound("报到记录不存在或不在您的范围内", "No such registration in your reach")
    static let alreadyRegistered = AppError.conflict("已经报到过了", "Already registered with a community")

    /// Registers a member: the caller themselves (a resident or volunteer; the community is the
    /// residential area above their node) or, for staff entitled to sensitive data, a person of
    /// the register in scope (`person_id`) or an account in scope (`username`).
    static func register(_ input: DualRegistrationInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        var problems: [FieldError] = []
        if input.service_unit_id == nil {
            problems.append(FieldError(field: "service_unit_id", messageZH: "请从列表中选择工作单位", messageEN: "Choose the work unit from the list"))
        }
        var unit: UnitRow?
        if let id = input.service_unit_id {
            unit = try await OrganisationsQueries.unit(id, for: actor, on: db)
            if unit == nil { problems.append(unitProblem) }
        }
        var accountID: UUID?, personID: UUID?, name = "", anchor: UUID?
        if OrganisationsQueries.selfRegistering.contains(actor.role) {
            accountID = actor.accountID; name = actor.displayName; anchor = actor.scope.rootID
        } else if OrganisationsQueries.managers.contains(actor.role) {
            if let person = input.person_id {
                let target = try await RegistryRecords.target(PersonID(person), actor: actor, on: db)
                name = try await OrganisationsQueries.personName(person, on: db) ?? ""
                personID = target.person.rawValue; anchor = target.node
            } else if let username = input.username, !username.isEmpty {
                guard let row = try await OrganisationsQueries.selfRegisteringAccount(username, actor: actor, on: db) else {
                    throw AppError.validation(
                        "username", zh: "账号不存在、不是居民或志愿者，或不在您的管辖范围内",
                        en: "No such resident or volunteer account in your scope")
                }
                accountID = row.id; name = row.display_name; anchor = row.grid_node_id
            } else {
                problems.append(
                    FieldError(field: "person_id", messageZH: "请选择居民或账号", messageEN: "Choose the person or the account"))
            }
        } else {
            throw AppError.forbidden
        }
        guard problems.isEmpty, let unit, let anchor else { throw AppError.validation(problems) }
        guard let community = try await OrganisationsQueries.residentialArea(above: anchor, on: db) else {
            throw AppError.validation("node", zh: "报到须落在一个居民区内", en: "The member must live inside a residential area")
        }
        let shows = input.shows_identity ?? false
        let today = today(writer)
        let id = UUID()
        let (account, person, memberName) = (accountID, personID, name)
        do {
            try await db.write { db in
                try await OrganisationsQueries.insertRegistration(
                    id: id, community: community, account: account, person: person, memberName: memberName,
                    unitID: unit.id, shows: shows, today: today, writer: writer, on: db)
                try await audit("dual_registration.created", target: id, detail: ["unit": unit.id.uuidString], by: writer, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw alreadyRegistered
        }
        return id
    }

    /// The registration if the caller may act on it: their own, or staff entitled to it in scope.
    static func actionable(_ id: UUID, actor: Actor, on db: any Database) async throws -> OrganisationsQueries.RegistrationRef {
        guard actor.role.seesSensitiveTags || OrganisationsQueries.selfRegistering.contains(actor.role) else { throw AppError.forbidden }
        guard let row = try await OrganisationsQueries.actionableRegistration(id, actor: actor, on: db) else { throw registrationNotFound }
        return row
    }

    /// Claims a current post of the registration's community (once: UNIQUE per post).
    static func claim(_ registration: UUID, _ input: ClaimInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        let reg = try await actionable(registration, actor: writer.actor, on: db)
        let today = today(writer)
        guard let post = input.post_id else { throw AppError.validation("post_id", zh: "请选择岗位", en: "Choose a post") }
        guard try await OrganisationsQueries.currentPost(post, in: reg.grid_node_id, today: today, on: db) != nil else {
            throw AppError.validation("post_id", zh: "岗位不存在、已结束或不在报到社区", en: "No such current post in the member's community")
        }
        let id = UUID()
        do {
            try await db.write { db in
                try await OrganisationsQueries.insertClaim(id: id, registration: registration, post: post, today: today, writer: writer, on: db)
                try await audit("dual_registration.claimed", target: registration, detail: ["post": post.uuidString], by: writer, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw AppError.conflict("已认领该岗位", "This post is already claimed by the member")
        }
        return id
    }

    /// Records service: a local date in the past year up to today, 1–720 minutes, what was done,
    /// optionally the claimed post it was for. The record keeps the member's work unit, so the
    /// unit's report counts it.
    static func recordService(_ registration: UUID, _ input: ServiceRecordInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        let reg = try await actionable(registration, actor: writer.actor, on: db)
        let today = today(writer)
        var problems: [FieldError] = []
        let served = day(input.served_on, "served_on", "服务日期", en: "date of service", default: today, into: &problems)
        if served > today || served.daysSince1970 < today.daysSince1970 - 366 {
            problems.append(
                FieldError(
                    field: "served_on", messageZH: "服务日期须在过去一年内且不晚于今天",
                    messageEN: "The date of service must lie within the past year, not after today"))
        }
        let minutes = input.minutes ?? 0
        if minutes < 1 || minutes > 720 {
            problems.append(FieldError(field: "minutes", messageZH: "服务时长须为 1–720 分钟", messageEN: "The service lasts 1 to 720 minutes"))
        }
        let description = text(input.description, "description", "服务内容", en: "what you did", max: 500, into: &problems)
        if let post = input.post_id {
            if try await OrganisationsQueries.claimedPost(post, by: registration, on: db) == nil {
                problems.append(FieldError(field: "post_id", messageZH: "只能记录已认领岗位的服务", messageEN: "Record service only for a claimed post"))
            }
        }
        guard problems.isEmpty else { throw AppError.validation(problems) }
        let id = UUID()
        try await db.write { db in
            try await OrganisationsQueries.insertServiceRecord(
                id: id, registration: registration, reg: reg, postID: input.post_id, served: served,
                minutes: minutes, description: description, writer: writer, on: db)
            try await audit("dual_registration.service_recorded", target: registration, detail: ["minutes": String(minutes)], by: writer, on: db)
        }
        return id
    }
}
