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

    /// Checks one member with the same rules as a CSV row (`PersonImport.readRow`: ID check
    /// character, birth date and sex agreeing with the ID number, phone, relation and residence
    /// by code or Chinese label); every problem is named by its field, e.g. `members[1].id_number`.
    static func validate(_ member: NewMember, at index: Int, today: CivilDate, into errors: inout [FieldError]) -> ValidMember? {
        func text(_ value: String?) -> String { (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        var labels = PersonImport.LabelCache()
        var found = ErrorList()
        let row = PersonImport.readRow(line: index, cell: { column in
            switch column {
            case .name: text(member.name)
            case .sex: text(member.sex)
            case .birthDate: text(member.birth_date)
            case .idNumber: text(member.id_number)
            case .phone: text(member.phone)
            case .relation: text(member.relation)
            case .residenceStatus: text(member.residence_status)
            case .householdKey, .node, .address, .movedInOn: ""
            }
        }, today: today, labels: &labels, into: &found)
        errors += found.items.map { FieldError(field: "members[\(index)].\($0.field)", messageZH: $0.message, messageEN: $0.message_en) }
        guard found.isEmpty, let name = row.name, let sex = row.sex, let birth = row.birthDate, let id = row.id,
              let relation = row.relation, let residence = row.residence else { return nil }
        return ValidMember(name: name, sex: sex, birthDate: birth, id: id, phone: row.phone, relation: relation, residence: residence)
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
        // Already registered? One query over the members' blind indexes (whole deployment: one
        // person, one record).
        let indexes = members.map { vault.blindIndex($0.id.normalized, kind: .idNumber) }
        if !indexes.isEmpty {
            struct Found: Decodable { var id_index: String }
            let registered = Set(try await request.db.sql.raw("SELECT id_index FROM persons WHERE id_index IN (\(binds: indexes))")
                .all(decoding: Found.self).map(\.id_index))
            for (index, blind) in indexes.enumerated() where registered.contains(blind) {
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
        struct Cipher: Decodable { var id_cipher: String; var phone_cipher: String? }
        guard let cipher = try await request.db.sql.raw("""
            SELECT id_cipher, phone_cipher FROM persons
            WHERE id = \(bind: person) AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "persons")))
            """).first(decoding: Cipher.self) else {
            throw AppError.notFound("居民不存在或不在您的管辖范围内", "No such person in your scope")
        }
        guard let sealed = kind == .idNumber ? cipher.id_cipher : cipher.phone_cipher else {
            throw AppError.notFound("未登记该号码", "No such number on record")
        }
        let now = request.now
        let clientAddress = request.clientAddress
        try await request.db.write { db in
            try await AuditLog.append(AuditEntry(action: "pii.revealed", actorID: actor.accountID, actorName: actor.username,
                                                 targetType: "person", targetID: person.uuidString,
                                                 detail: ["field": field, "purpose": reason], clientAddress: clientAddress),
                                      at: now, on: db)
        }
        return try request.services.vault.open(sealed, kind: kind)
    }
}
