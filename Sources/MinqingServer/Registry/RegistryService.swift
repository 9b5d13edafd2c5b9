import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Register writes and the audited "show the plain number" action.
package enum RegistryService {
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
        let row = PersonImport.readRow(
            line: index,
            cell: { column in
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
            let relation = row.relation, let residence = row.residence
        else { return nil }
        return ValidMember(name: name, sex: sex, birthDate: birth, id: id, phone: row.phone, relation: relation, residence: residence)
    }

    /// Creates a household with its members in one transaction, audited. Numbers go through the
    /// vault; an ID number already in the register is refused naming the member.
    static func createHousehold(_ input: NewHousehold, writer: WriteContext, vault: PIIVault, on db: any Database) async throws -> HouseholdID {
        let actor = writer.actor
        guard actor.role.readsRegister else { throw AppError.forbidden }
        let today = CivilDate.today(now: writer.now)
        var errors: [FieldError] = []
        let node = try await GridQueries.node(code: input.node ?? "", in: actor.scope, on: db)
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
                errors.append(
                    FieldError(
                        field: "members[\(index)].id_number", messageZH: "与第 \(first + 1) 名成员的身份证号码重复",
                        messageEN: "Same ID number as member \(first + 1)"))
            }
            seen[member.id.normalized] = index
        }
        // Registered inside the caller's scope already: said so, by member. Registered only
        // outside it: written all the same, under an identity hold (the caller is not told).
        let indexes = members.map { vault.blindIndex($0.id.normalized, kind: .idNumber) }
        let authority = RegisterAuthority.actor(actor, clientAddress: writer.address)
        var elsewhere = Set<String>()
        if !indexes.isEmpty {
            let inScope = try await IdentityHoldQueries.personsInScope(indexes, authority: authority, on: db)
            for (index, blind) in indexes.enumerated() where inScope[blind] != nil {
                errors.append(
                    FieldError(
                        field: "members[\(index)].id_number", messageZH: "该身份证号码已在您的管辖范围内登记",
                        messageEN: "This ID number is already in the register in your scope"))
            }
            elsewhere = try await IdentityHoldQueries.personsAnywhere(indexes.filter { inScope[$0] == nil }, on: db)
        }
        guard errors.isEmpty, let node else { throw AppError.validation(errors) }

        let householdID = HouseholdID()
        let now = writer.now
        let personIDs = members.map { _ in UUID() }
        let (stored, holds) = IdentityHolds.plan(
            indexes: indexes, registeredElsewhere: elsewhere, recordIDs: personIDs,
            nodes: members.map { _ in (node.id, node.subdistrictID) }, kind: .person)
        var rows: [[any SQLExpression]] = []
        for (position, member) in members.enumerated() {
            let id = try vault.seal(member.id.normalized, masked: member.id.masked, kind: .idNumber)
            let phone = try member.phone.map { try vault.seal($0.normalized, masked: $0.masked, kind: .phone) }
            rows.append([
                SQLBind(personIDs[position]), bindOrNull(node.subdistrictID), SQLBind(node.id), SQLBind(householdID), SQLBind(member.name),
                SQLBind(member.sex.rawValue), SQLBind(member.birthDate.iso8601), SQLBind(id.ciphertext),
                SQLBind(stored[position] ?? id.blindIndex),
                SQLBind(id.masked), bindOrNull(phone?.ciphertext), bindOrNull(phone?.blindIndex), bindOrNull(phone?.masked),
                SQLBind(member.relation.rawValue), SQLBind(member.residence.rawValue), bindOrNull(movedIn?.iso8601),
                SQLBind(now), SQLBind(now)
            ])
        }
        let address_ = address
        let personRows = rows
        let movedIn_ = movedIn
        let clientAddress = writer.address
        do {
            try await db.write { db in
                try await RegistryQueries.insertHousehold(householdID, node: node, address: address_, movedIn: movedIn_, now: now, on: db)
                try await RegistryQueries.insertPersons(personRows, on: db)
                try await IdentityHoldQueries.insert(holds, by: actor.username, at: now, on: db)
                try await AuditLog.append(
                    AuditEntry(
                        action: "household.created", actorID: actor.accountID, actorName: actor.username,
                        targetType: "household", targetID: householdID.uuidString,
                        detail: ["node": node.code, "members": String(personRows.count)],
                        clientAddress: clientAddress), at: now, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Another write took a number between the check and this one: nothing was written.
            throw AppError.conflict(
                "刚有人同时登记了相同的身份证号码，未写入任何数据，请重试",
                "The same ID number was registered at the same moment; nothing was written. Try again")
        }
        return householdID
    }

    package static let personColumns = [
        "id", "subdistrict_id", "grid_node_id", "household_id", "name", "sex", "birth_date",
        "id_cipher", "id_index", "id_masked", "phone_cipher", "phone_index", "phone_masked",
        "relation", "residence_status", "moved_in_on", "created_at", "updated_at"
    ]

    /// Shows a plain ID or phone number: only for roles that may, inside their scope, with a
    /// stated purpose; written to the audit trail before the value is returned.
    static func reveal(
        person: PersonID, field: String, purpose: String?, detail: String?, writer: WriteContext, vault: PIIVault, on db: any Database
    ) async throws -> String {
        let actor = writer.actor
        guard actor.role.mayRevealPersonalNumbers else { throw AppError.forbidden }
        var problems: [FieldError] = []
        var kind = PIIKind.idNumber
        switch field {
        case "id_number": kind = .idNumber
        case "phone": kind = .phone
        default: problems.append(FieldError(field: "field", messageZH: "请选择要查看的号码", messageEN: "Choose the number to show"))
        }
        var stated: StatedPurpose?
        switch StatedPurpose.check(purpose: purpose, detail: detail) {
        case .success(let value): stated = value
        case .failure(let errors): problems += errors.fields
        }
        guard problems.isEmpty, let stated else { throw AppError.validation(problems) }
        guard let cipher = try await RegistryQueries.personCiphers(person, actor: actor, on: db) else {
            throw AppError.notFound("居民不存在或不在您的管辖范围内", "No such person in your scope")
        }
        guard let sealed = kind == .idNumber ? cipher.id_cipher : cipher.phone_cipher else {
            throw AppError.notFound("未登记该号码", "No such number on record")
        }
        let now = writer.now
        let clientAddress = writer.address
        try await db.write { db in
            try await AuditLog.append(
                AuditEntry(
                    action: "pii.revealed", actorID: actor.accountID, actorName: actor.username,
                    targetType: "person", targetID: person.uuidString,
                    detail: ["field": field].merging(stated.auditDetail) { a, _ in a },
                    clientAddress: clientAddress),
                at: now, on: db)
        }
        return try vault.open(sealed, kind: kind)
    }
}
