import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Register writes and the audited "show the plain number" action.
enum RegistryService {
    /// A member as submitted; validated field by field before anything is written.
    struct NewMember: Content {
        var name: String?
        var sex: String?
        var birth_date: String?
        var id_number: String?
        var phone: String?
        var relation: String?
        var residence_status: String?
    }

    struct NewHousehold: Content {
        /// Code of the building group the household lives in.
        var node: String?
        var address: String?
        var moved_in_on: String?
        var members: [NewMember]?
    }

    /// A member after validation: what goes into the database.
    struct ValidMember: Sendable {
        var name: String
        var sex: Sex
        var birthDate: CivilDate
        var id: ResidentIDNumber
        var phone: MobileNumber?
        var relation: HouseholdRelation
        var residence: ResidenceStatus
    }

    /// Checks one member; every problem is named by its field, e.g. `members[1].id_number`.
    /// The birth date and sex must agree with the ID number (GB 11643).
    static func validate(_ member: NewMember, at index: Int, today: CivilDate, into errors: inout [FieldError]) -> ValidMember? {
        let prefix = "members[\(index)]."
        func fail(_ field: String, _ zh: String, _ en: String) {
            errors.append(FieldError(field: prefix + field, messageZH: zh, messageEN: en))
        }
        let name = (member.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.count > 40 { fail("name", "姓名须为 1–40 个字符", "The name must have 1 to 40 characters") }
        var id: ResidentIDNumber?
        do {
            id = try ResidentIDNumber(parsing: member.id_number ?? "", today: today)
        } catch {
            let problem = error.fieldError
            fail("id_number", problem.messageZH, problem.messageEN)
        }
        var sex: Sex?
        if let raw = member.sex, !raw.isEmpty {
            sex = Sex(rawValue: raw)
            if sex == nil { fail("sex", "性别须为 male 或 female", "sex must be male or female") }
        } else {
            sex = id?.sex
        }
        var birth: CivilDate?
        if let raw = member.birth_date, !raw.isEmpty {
            do { birth = try CivilDate(parsing: raw) } catch {
                fail("birth_date", "出生日期须为 YYYY-MM-DD 的有效日期", "birth_date must be a real date as YYYY-MM-DD")
            }
        } else {
            birth = id?.birthDate
        }
        if let id, let birth, id.birthDate != birth {
            fail("birth_date", "出生日期与身份证号码不一致", "The birth date does not match the ID number")
        }
        if let id, let sex, id.sex != sex {
            fail("sex", "性别与身份证号码不一致", "The sex does not match the ID number")
        }
        var phone: MobileNumber?
        if let raw = member.phone, !raw.trimmingCharacters(in: .whitespaces).isEmpty {
            do { phone = try MobileNumber(parsing: raw) } catch {
                fail("phone", error.fieldError.messageZH, error.fieldError.messageEN)
            }
        }
        let relation = HouseholdRelation(rawValue: member.relation ?? "")
        if relation == nil {
            fail("relation", "与户主关系无效，可选：\(HouseholdRelation.allCases.map(\.rawValue).joined(separator: ", "))",
                 "Unknown relation; one of \(HouseholdRelation.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let residence = ResidenceStatus(rawValue: member.residence_status ?? "")
        if residence == nil {
            fail("residence_status", "居住状态无效，可选：\(ResidenceStatus.allCases.map(\.rawValue).joined(separator: ", "))",
                 "Unknown residence status; one of \(ResidenceStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let id, let sex, let birth, let relation, let residence, !name.isEmpty, name.count <= 40 else { return nil }
        return ValidMember(name: name, sex: sex, birthDate: birth, id: id, phone: phone, relation: relation, residence: residence)
    }

    /// Creates a household with its members in one transaction, audited. Numbers go through the
    /// vault; an ID number already in the register is refused naming the member.
    static func createHousehold(_ input: NewHousehold, actor: Actor, request: Request) async throws -> UUID {
        guard actor.role.readsRegister else { throw AppError.forbidden }
        let today = CivilDate.today(now: request.now)
        var errors: [FieldError] = []
        let node = try await GridQueries.node(code: input.node ?? "", in: actor.scope, on: request.db)
        if node == nil {
            errors.append(FieldError(field: "node", messageZH: "楼组不存在或不在您的管辖范围内", messageEN: "No such building group in your scope"))
        } else if node?.level != .buildingGroup {
            errors.append(FieldError(field: "node", messageZH: "户须挂在楼组上", messageEN: "A household must sit at a building group"))
        }
        let address = (input.address ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if address.isEmpty || address.count > 200 {
            errors.append(FieldError(field: "address", messageZH: "地址须为 1–200 个字符", messageEN: "The address must have 1 to 200 characters"))
        }
        var movedIn: CivilDate?
        if let raw = input.moved_in_on, !raw.isEmpty {
            do { movedIn = try CivilDate(parsing: raw) } catch {
                errors.append(FieldError(field: "moved_in_on", messageZH: "迁入日期须为 YYYY-MM-DD", messageEN: "moved_in_on must be YYYY-MM-DD"))
            }
        }
        let raw = input.members ?? []
        if raw.isEmpty || raw.count > 30 {
            errors.append(FieldError(field: "members", messageZH: "每户须有 1–30 名成员", messageEN: "A household needs 1 to 30 members"))
        }
        let members = raw.enumerated().compactMap { validate($1, at: $0, today: today, into: &errors) }
        if members.filter({ $0.relation == .head }).count != 1, !raw.isEmpty {
            errors.append(FieldError(field: "members", messageZH: "每户须有且只有一名户主", messageEN: "A household needs exactly one head"))
        }
        var seen: [String: Int] = [:]
        for (index, member) in members.enumerated() {
            if let first = seen[member.id.normalized] {
                errors.append(FieldError(field: "members[\(index)].id_number", messageZH: "与第 \(first + 1) 名成员的身份证号码重复",
                                         messageEN: "Same ID number as member \(first + 1)"))
            }
            seen[member.id.normalized] = index
        }
        let vault = request.services.vault
        // Already registered? (exact lookup through the blind index, whole deployment)
        for (index, member) in members.enumerated() {
            let index_ = vault.blindIndex(member.id.normalized, kind: .idNumber)
            if try await request.db.sql.raw("SELECT id FROM persons WHERE id_index = \(bind: index_)").first() != nil {
                errors.append(FieldError(field: "members[\(index)].id_number", messageZH: "该身份证号码已登记在册",
                                         messageEN: "This ID number is already in the register"))
            }
        }
        guard errors.isEmpty, let node else { throw AppError.validation(errors) }

        let householdID = UUID()
        let now = request.now
        var rows: [[any SQLExpression]] = []
        for member in members {
            let id = try vault.seal(member.id.normalized, masked: member.id.masked, kind: .idNumber)
            let phone = try member.phone.map { try vault.seal($0.normalized, masked: $0.masked, kind: .phone) }
            rows.append([SQLBind(UUID()), bindOrNull(node.subdistrictID), SQLBind(node.id), SQLBind(householdID), SQLBind(member.name),
                         SQLBind(member.sex.rawValue), SQLBind(member.birthDate.iso8601), SQLBind(id.ciphertext), SQLBind(id.blindIndex),
                         SQLBind(id.masked), bindOrNull(phone?.ciphertext), bindOrNull(phone?.blindIndex), bindOrNull(phone?.masked),
                         SQLBind(member.relation.rawValue), SQLBind(member.residence.rawValue), bindOrNull(movedIn?.iso8601),
                         SQLBind(now), SQLBind(now)])
        }
        let address_ = address
        let personRows = rows
        let movedIn_ = movedIn
        let clientAddress = request.clientAddress
        do {
            try await request.db.write { db in
                try await db.sql.insert(into: "households")
                    .columns("id", "subdistrict_id", "grid_node_id", "address", "moved_in_on", "created_at", "updated_at")
                    .values(SQLBind(householdID), bindOrNull(node.subdistrictID), SQLBind(node.id), SQLBind(address_),
                            bindOrNull(movedIn_?.iso8601), SQLBind(now), SQLBind(now))
                    .run()
                try await db.sql.insert(into: "persons")
                    .columns(personColumns)
                    .rows(personRows)
                    .run()
                try await AuditLog.append(AuditEntry(action: "household.created", actorID: actor.accountID, actorName: actor.username,
                                                     targetType: "household", targetID: householdID.uuidString,
                                                     detail: ["node": node.code, "members": String(personRows.count)],
                                                     clientAddress: clientAddress), at: now, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw AppError.validation("members", zh: "有成员的身份证号码已登记在册", en: "A member's ID number is already in the register")
        }
        return householdID
    }

    static let personColumns = ["id", "subdistrict_id", "grid_node_id", "household_id", "name", "sex", "birth_date",
                                "id_cipher", "id_index", "id_masked", "phone_cipher", "phone_index", "phone_masked",
                                "relation", "residence_status", "moved_in_on", "created_at", "updated_at"]

    /// Shows a plain ID or phone number: only for roles that may, inside their scope, with a
    /// stated purpose; written to the audit trail before the value is returned.
    static func reveal(person: UUID, field: String, purpose: String, actor: Actor, request: Request) async throws -> String {
        guard actor.role.mayRevealPersonalNumbers else { throw AppError.forbidden }
        let kind: PIIKind
        switch field {
        case "id_number": kind = .idNumber
        case "phone": kind = .phone
        default: throw AppError.validation("field", zh: "只能查看 id_number 或 phone", en: "field must be id_number or phone")
        }
        let reason = purpose.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (4...200).contains(reason.count) else {
            throw AppError.validation("purpose", zh: "请说明用途（4–200 个字符）", en: "State the purpose (4 to 200 characters)")
        }
        guard let row = try await RegistryQueries.person(id: person, in: actor.scope, on: request.db) else {
            throw AppError.notFound("居民不存在或不在您的管辖范围内", "No such person in your scope")
        }
        struct Cipher: Decodable { var id_cipher: String; var phone_cipher: String? }
        let cipher = try await request.db.sql.raw("SELECT id_cipher, phone_cipher FROM persons WHERE id = \(bind: person)")
            .first(decoding: Cipher.self)!
        guard let sealed = kind == .idNumber ? cipher.id_cipher : cipher.phone_cipher else {
            throw AppError.notFound("未登记该号码", "No such number on record")
        }
        let now = request.now
        let clientAddress = request.clientAddress
        try await request.db.write { db in
            try await AuditLog.append(AuditEntry(action: "pii.revealed", actorID: actor.accountID, actorName: actor.username,
                                                 targetType: "person", targetID: row.id.uuidString,
                                                 detail: ["field": field, "purpose": reason], clientAddress: clientAddress),
                                      at: now, on: db)
        }
        return try request.services.vault.open(sealed, kind: kind)
    }
}
