import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// A person joining a household already on the register (添加成员): born into it (出生登记) or
/// moving in (迁入). The same checks as a member of a new household (`validate`), the numbers
/// sealed by the vault and an ID number held outside the scope put under an identity hold, as
/// `createHousehold` does.
extension RegistryService {
    /// How a person came to the household.
    enum Joining: String, Codable, Sendable, CaseIterable {
        /// 出生: born into it; their moving-in day is their birth date.
        case birth
        /// 迁入: moved in, on a day given or today.
        case movedIn = "moved_in"

        var name: T {
            switch self {
            case .birth: T("出生", "Born")
            case .movedIn: T("迁入", "Moved in")
            }
        }
    }

    /// `POST /api/v1/registry/households/{id}/members`: a member's fields, how they joined and when.
    struct NewPerson: Content {
        var name: String?
        var sex: String?
        var birth_date: String?
        var id_number: String?
        var phone: String?
        var relation: String?
        var residence_status: String?
        /// `birth` or `moved_in` (the default).
        var joined: String?
        /// The moving-in day (`moved_in`; today when absent). A birth's is the birth date.
        var moved_in_on: String?

        var member: NewMember {
            NewMember(
                name: name, sex: sex, birth_date: birth_date, id_number: id_number, phone: phone, relation: relation,
                residence_status: residence_status)
        }
    }

    static let householdNotFound = AppError.notFound("该户不存在或不在您的管辖范围内", "No such household in your scope")

    /// Adds a person to household `household` (inside the actor's scope, else 404), audited as
    /// `person.added`. A household has one head: a second is refused.
    static func addMember(_ input: NewPerson, household: HouseholdID?, writer: WriteContext, vault: PIIVault, on db: any Database)
        async throws -> PersonID
    {
        let actor = writer.actor
        guard actor.role.readsRegister else { throw AppError.forbidden }
        guard let household, let home = try await RegistryQueries.householdPlace(household, in: actor.scope, on: db) else {
            throw householdNotFound
        }
        guard home.moved_out_on == nil else {
            throw AppError.conflict("该户已迁出，不能再添加成员", "This household has moved out; nobody can be added to it")
        }
        var errors: [FieldError] = []
        let member = validate(input.member, fieldPrefix: "", today: writer.today, into: &errors)
        let movedIn = joiningDay(input, member: member, today: writer.today, into: &errors)
        // Said even when another field is wrong, so that everything comes back at once.
        let relation = HouseholdRelation(label: (input.relation ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
        if relation == .head, try await RegistryQueries.currentHeads(household: household, on: db) > 0 {
            errors.append(
                FieldError(
                    field: "relation", messageZH: "该户已有户主，请选择与户主的关系", messageEN: "The household has a head already; choose the relation to the head"))
        }
        let numbers = try await checkRegistered(
            member.map { [$0.id] } ?? [], fields: ["id_number"], writer: writer, vault: vault, on: db, into: &errors)
        guard errors.isEmpty, let member, let movedIn else { throw AppError.validation(errors) }
        let personID = UUID()
        let (stored, holds) = IdentityHolds.plan(
            indexes: numbers.indexes, registeredElsewhere: numbers.elsewhere, recordIDs: [personID],
            nodes: [(home.grid_node_id, home.subdistrict_id)], kind: .person)
        let row = try personRow(
            member, id: personID, storedIndex: stored.first ?? nil, household: household,
            place: (node: home.grid_node_id, subdistrict: home.subdistrict_id), movedIn: movedIn.day, now: writer.now, vault: vault)
        try await writeNumbered {
            try await db.write { db in
                try await RegistryQueries.insertPersons([row], on: db)
                try await IdentityHoldQueries.insert(holds, by: actor.username, at: writer.now, on: db)
                try await AuditLog.append(
                    AuditEntry(
                        action: "person.added", actorID: actor.accountID, actorName: actor.username,
                        targetType: "person", targetID: personID.uuidString,
                        detail: ["household": household.uuidString, "joined": movedIn.joining.rawValue],
                        clientAddress: writer.address), at: writer.now, on: db)
            }
        }
        return PersonID(personID)
    }

    /// How and when the person joined: a birth on the birth date; a move on the day given (today
    /// when none), neither in the future nor before the birth.
    static func joiningDay(_ input: NewPerson, member: ValidMember?, today: CivilDate, into errors: inout [FieldError]) -> (
        joining: Joining, day: CivilDate
    )? {
        let raw = (input.joined ?? "").trimmingCharacters(in: .whitespaces)
        guard let joining = raw.isEmpty ? Joining.movedIn : Joining(rawValue: raw) else {
            errors.append(FieldError(field: "joined", messageZH: "请选择出生还是迁入", messageEN: "Choose whether the person was born or moved in"))
            return nil
        }
        guard let member else { return nil }
        if joining == .birth { return (joining, member.birthDate) }
        var day = today
        if let text = input.moved_in_on, !text.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let parsed = try? CivilDate(parsing: text.trimmingCharacters(in: .whitespaces)) else {
                errors.append(
                    FieldError(
                        field: "moved_in_on", messageZH: "请填写有效的迁入日期（年-月-日）", messageEN: "Enter a real moving-in date (year-month-day)"))
                return nil
            }
            day = parsed
        }
        if day > today {
            errors.append(FieldError(field: "moved_in_on", messageZH: "迁入日期不能晚于今天", messageEN: "The moving-in date cannot be later than today"))
            return nil
        }
        if day < member.birthDate {
            errors.append(
                FieldError(field: "moved_in_on", messageZH: "迁入日期不能早于出生日期", messageEN: "The moving-in date cannot be before the birth date"))
            return nil
        }
        return (joining, day)
    }
}
