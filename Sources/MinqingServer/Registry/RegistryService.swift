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
        validate(member, fieldPrefix: "members[\(index)].", today: today, into: &errors)
    }

    /// Checks one member; each problem's field is `fieldPrefix` and the input's name (`id_number`).
    static func validate(_ member: NewMember, fieldPrefix: String, today: CivilDate, into errors: inout [FieldError]) -> ValidMember? {
        func text(_ value: String?) -> String { (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        var labels = PersonImport.LabelCache()
        var found = ErrorList()
        let row = PersonImport.readRow(
            line: 1,
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
        errors += found.items.map { FieldError(field: fieldPrefix + $0.field, messageZH: $0.message, messageEN: $0.message_en) }
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
        var errors: [FieldError] = []
        let node = try await buildingGroup(code: input.node, actor: actor, on: db, into: &errors)
        let address = (input.address ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if address.isEmpty || address.count > 200 {
            errors.append(FieldError(field: "address", messageZH: "地址须为 1–200 个字符", messageEN: "The address must have 1 to 200 characters"))
        }
        var movedIn: CivilDate?
        if let raw = input.moved_in_on, !raw.isEmpty {
            do { movedIn = try CivilDate(parsing: raw) } catch {
                errors.append(
                    FieldError(
                        field: "moved_in_on", messageZH: "请填写有效的迁入日期（年-月-日）", messageEN: "Enter a real moving-in date (year-month-day)"))
            }
        }
        let checked = checkMembers(input.members ?? [], today: writer.today, into: &errors)
        let numbers = try await checkRegistered(
            checked.map { $0.member.id }, fields: checked.map { "members[\($0.position)].id_number" }, writer: writer, vault: vault,
            on: db, into: &errors)
        guard errors.isEmpty, let node else { throw AppError.validation(errors) }
        // Nothing is wrong, so every member is valid and in its place.
        let members = checked.map { $0.member }
        let householdID = HouseholdID()
        let now = writer.now
        let personIDs = members.map { _ in UUID() }
        let (stored, holds) = IdentityHolds.plan(
            indexes: numbers.indexes, registeredElsewhere: numbers.elsewhere, recordIDs: personIDs,
            nodes: members.map { _ in (node.id, node.subdistrictID) }, kind: .person)
        var rows: [[any SQLExpression]] = []
        for (position, member) in members.enumerated() {
            rows.append(
                try personRow(
                    member, id: personIDs[position], storedIndex: stored[position], household: householdID,
                    place: (node: node.id, subdistrict: node.subdistrictID), movedIn: movedIn, now: now, vault: vault))
        }
        let personRows = rows
        let movedIn_ = movedIn
        try await writeNumbered {
            try await db.write { db in
                try await RegistryQueries.insertHousehold(householdID, node: node, address: address, movedIn: movedIn_, now: now, on: db)
                try await RegistryQueries.insertPersons(personRows, on: db)
                try await IdentityHoldQueries.insert(holds, by: actor.username, at: now, on: db)
                try await AuditLog.append(
                    AuditEntry(
                        action: "household.created", actorID: actor.accountID, actorName: actor.username,
                        targetType: "household", targetID: householdID.uuidString,
                        detail: ["node": node.code, "members": String(personRows.count)],
                        clientAddress: writer.address), at: now, on: db)
            }
        }
        return householdID
    }

    /// The members of a new household, each checked (`validate`), with their positions in the
    /// list: 1 to 30 members, exactly one head, no ID number twice. The valid ones come back (all
    /// of them when nothing is wrong); each problem is in `errors` under its member's position.
    static func checkMembers(_ raw: [NewMember], today: CivilDate, into errors: inout [FieldError]) -> [(position: Int, member: ValidMember)] {
        if raw.isEmpty || raw.count > 30 {
            errors.append(FieldError(field: "members", messageZH: "每户须有 1–30 名成员", messageEN: "A household needs 1 to 30 members"))
        }
        var valid: [(position: Int, member: ValidMember)] = []
        for (position, member) in raw.enumerated() {
            if let checked = validate(member, at: position, today: today, into: &errors) { valid.append((position, checked)) }
        }
        // Two heads are wrong whatever else is; none only once every member could be read.
        let heads = valid.filter { $0.member.relation == .head }.count
        if !raw.isEmpty, heads > 1 || (heads == 0 && valid.count == raw.count) {
            errors.append(FieldError(field: "members", messageZH: "每户须有且只有一名户主", messageEN: "A household needs exactly one head"))
        }
        var seen: [String: Int] = [:]
        for (position, member) in valid {
            if let first = seen[member.id.normalized] {
                errors.append(
                    FieldError(
                        field: "members[\(position)].id_number", messageZH: "与第 \(first + 1) 名成员的身份证号码重复",
                        messageEN: "Same ID number as member \(first + 1)"))
            } else {
                seen[member.id.normalized] = position
            }
        }
        return valid
    }

    /// The building group a household is placed in, by its code, inside the actor's scope.
    static func buildingGroup(code: String?, actor: Actor, on db: any Database, into errors: inout [FieldError]) async throws
        -> GridNodeSummary?
    {
        let node = try await GridQueries.node(code: code ?? "", in: actor.scope, on: db)
        if node == nil {
            errors.append(FieldError(field: "node", messageZH: "楼组不存在或不在您的管辖范围内", messageEN: "No such building group in your scope"))
        } else if node?.level != .buildingGroup {
            errors.append(FieldError(field: "node", messageZH: "户须挂在楼组上", messageEN: "A household must sit at a building group"))
        }
        return node
    }

    /// The blind indexes of the ID numbers, and which of them the register holds only outside
    /// the actor's scope. One registered inside the scope already is an error on its field
    /// (`fields`, by position): the caller can read that person anyway. One registered only
    /// outside it is written all the same, under an identity hold (the caller is not told).
    static func checkRegistered(
        _ numbers: [ResidentIDNumber], fields: [String], writer: WriteContext, vault: PIIVault, on db: any Database,
        into errors: inout [FieldError]
    ) async throws -> (indexes: [String], elsewhere: Set<String>) {
        let indexes = numbers.map { vault.blindIndex($0.normalized, kind: .idNumber) }
        guard !indexes.isEmpty else { return ([], []) }
        let authority = RegisterAuthority.actor(writer.actor, clientAddress: writer.address)
        let inScope = try await IdentityHoldQueries.personsInScope(indexes, authority: authority, on: db)
        for (position, blind) in indexes.enumerated() where inScope[blind] != nil {
            errors.append(
                FieldError(
                    field: fields[position], messageZH: "该身份证号码已在您的管辖范围内登记",
                    messageEN: "This ID number is already in the register in your scope"))
        }
        let elsewhere = try await IdentityHoldQueries.personsAnywhere(indexes.filter { inScope[$0] == nil }, on: db)
        return (indexes, elsewhere)
    }

    /// One `persons` row in `personColumns` order, the numbers sealed by the vault; `storedIndex`
    /// is the blind index to store (a hold's placeholder), the number's own when nil.
    static func personRow(
        _ member: ValidMember, id: UUID, storedIndex: String?, household: HouseholdID, place: (node: UUID, subdistrict: UUID?),
        movedIn: CivilDate?, now: Date, vault: PIIVault
    ) throws -> [any SQLExpression] {
        let sealed = try vault.seal(member.id.normalized, masked: member.id.masked, kind: .idNumber)
        let phone = try member.phone.map { try vault.seal($0.normalized, masked: $0.masked, kind: .phone) }
        return [
            SQLBind(id), bindOrNull(place.subdistrict), SQLBind(place.node), SQLBind(household), SQLBind(member.name),
            SQLBind(member.sex.rawValue), SQLBind(member.birthDate.iso8601), SQLBind(sealed.ciphertext),
            SQLBind(storedIndex ?? sealed.blindIndex),
            SQLBind(sealed.masked), bindOrNull(phone?.ciphertext), bindOrNull(phone?.blindIndex), bindOrNull(phone?.masked),
            SQLBind(member.relation.rawValue), SQLBind(member.residence.rawValue), bindOrNull(movedIn?.iso8601),
            SQLBind(now), SQLBind(now)
        ]
    }

    /// Runs a write of persons, turning a clash on an ID number (another write took it between
    /// the check and this one) into a 409: nothing was written.
    static func writeNumbered(_ write: () async throws -> Void) async throws {
        do {
            try await write()
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw AppError.conflict(
                "刚有人同时登记了相同的身份证号码，未写入任何数据，请重试",
                "The same ID number was registered at the same moment; nothing was written. Try again")
        }
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
