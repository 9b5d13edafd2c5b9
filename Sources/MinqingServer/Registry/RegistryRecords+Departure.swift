import Fluent
import Foundation
import MinqingDomain
import Vapor

/// Why a person left their household on the register (迁出 or 死亡).
enum DepartureReason: String, Codable, Sendable, CaseIterable {
    /// 迁出: moved away.
    case movedOut = "moved_out"
    /// 死亡: died.
    case died

    var name: T {
        switch self {
        case .movedOut: T("迁出", "Moved out")
        case .died: T("死亡", "Died")
        }
    }
}

/// A person leaving their household (迁出、死亡): the end of their time on the register, kept as
/// history (the record stays until retention erases it, `Retention.swift`). The day is
/// `persons.moved_out_on`, and for a death `died_on` too; their open tags end on it, so 十必访
/// lists and smart groups stop counting them, and smart groups leave out whoever has left.
extension RegistryRecords {
    struct DepartureRequest: Content { var reason: String?; var on: String? }

    /// What `POST /api/v1/registry/persons/{id}/departure` answers.
    struct Departed: Content, Equatable {
        var person_id: UUID
        var reason: DepartureReason
        var on: String
        /// How many open tags were ended on the day.
        var tags_ended: Int
    }

    /// A departure as the pages and the API show it: the reason and the day (as the role may see it).
    struct Departure: Content, Equatable {
        var reason: DepartureReason
        var on: String

        init?(_ row: RegistryQueries.DepartureRow?) {
            guard let row, let day = row.died_on ?? row.moved_out_on else { return nil }
            reason = row.died_on == nil ? .movedOut : .died
            on = day
        }
    }

    static let alreadyLeft = AppError.conflict(
        "该居民已登记迁出或死亡", "This person is already recorded as moved out or deceased")

    /// Records that the person moved out or died on a day (today when none is given; not in the
    /// future, not before their birth). A person who has left already is refused (409); the
    /// write is one conditional update, audited as `person.departed`.
    static func recordDeparture(_ body: DepartureRequest, person: PersonID?, writer: WriteContext, on db: any Database) async throws
        -> Departed
    {
        let target = try await target(person, actor: writer.actor, on: db)
        guard let life = try await RegistryQueries.life(of: target.person, on: db) else {
            throw AppError.notFound("居民不存在或不在您的管辖范围内", "No such person in your scope")
        }
        guard life.moved_out_on == nil, life.died_on == nil else { throw alreadyLeft }
        var problems: [FieldError] = []
        let reason = DepartureReason(rawValue: (body.reason ?? "").trimmingCharacters(in: .whitespaces))
        if reason == nil {
            problems.append(FieldError(field: "reason", messageZH: "请选择迁出还是死亡", messageEN: "Choose whether the person moved out or died"))
        }
        let today = writer.today
        let day = date(body.on, field: "on", default: today, into: &problems)
        if day > today {
            problems.append(FieldError(field: "on", messageZH: "日期不能晚于今天", messageEN: "The date cannot be later than today"))
        } else if let birth = try? CivilDate(parsing: life.birth_date), day < birth {
            problems.append(FieldError(field: "on", messageZH: "日期不能早于出生日期", messageEN: "The date cannot be before the birth date"))
        }
        guard problems.isEmpty, let reason else { throw AppError.validation(problems) }
        let ended = try await db.write { db -> Int in
            guard try await RegistryQueries.recordDeparture(target.person, day: day, died: reason == .died, by: writer, on: db) else {
                throw alreadyLeft
            }
            let count = try await RegistryQueries.endOpenAssignments(person: target.person, day: day, by: writer, on: db)
            try await AuditLog.append(
                AuditEntry(
                    action: "person.departed", actorID: writer.actor.accountID, actorName: writer.actor.username,
                    targetType: "person", targetID: target.person.uuidString,
                    detail: ["reason": reason.rawValue, "on": day.iso8601, "tags_ended": String(count)],
                    clientAddress: writer.address),
                at: writer.now, on: db)
            return count
        }
        return Departed(person_id: target.person.rawValue, reason: reason, on: day.iso8601, tags_ended: ended)
    }
}
