import Fluent
import Foundation
import MinqingDomain
import Vapor

/// The other two ways on: a signed-up resident invites the rest of their household (a `member`
/// letter, valid a week, at most `memberLetters` unused at once), and the 居委 signs a resident up
/// at its desk (the person checked the same way; an initial password to change at first sign-in).
extension Invitations {
    static let memberLetters = 3
    static let memberValidDays = 7

    /// A resident's invitation for a member of their own household; the code is in this answer only.
    static func inviteMember(actor: Actor, vault: PIIVault, now: Date, address: String, on db: any Database) async throws -> Letter {
        guard actor.role == .resident else { throw AppError.forbidden }
        guard let home = try await PersonalDataQueries.home(of: actor.accountID, on: db) else {
            throw AppError.conflict("您的账号还没有关联到户，请先到居委会办理关联", "Your account is not linked to a household yet; ask your residents' committee")
        }
        let open = try await InvitationQueries.usableCount(household: home.household_id, kind: "member", now: now, on: db)
        guard open < memberLetters else {
            throw AppError.conflict(
                "您家已有 \(open) 个未用的邀请码，请等家人用完或过期后再邀请", "Your household has \(open) unused codes; wait until they are used or run out")
        }
        var generator = SystemRandomNumberGenerator()
        let code = InvitationCode(using: &generator)
        let id = UUID()
        let expires = now.addingTimeInterval(TimeInterval(memberValidDays) * 86_400)
        let row = InvitationQueries.NewInvitation(
            id: id, subdistrict: home.subdistrict_id, node: home.grid_node_id, household: home.household_id,
            codeHash: vault.pseudonym("invitation:" + code.normalized), kind: "member", issuedBy: actor.username, issuedByAccount: actor.accountID,
            expiresAt: expires)
        try await db.write { db in
            try await InvitationQueries.insert([row], now: now, on: db)
            try await AuditLog.append(
                AuditEntry(
                    action: "invitation.issued", actorID: actor.accountID, actorName: actor.username, targetType: "household",
                    targetID: home.household_id.uuidString, detail: ["letters": "1", "kind": "member"], clientAddress: address), at: now, on: db)
        }
        return Letter(id: id, household_id: home.household_id, address: "", code: code.description, expires_at: expires)
    }

    struct DeskInput: Content, Equatable {
        var household_id: UUID?; var name: String?; var id_number: String?; var phone: String?; var username: String?
    }

    struct DeskSignedUp: Content { var account_id: UUID; var username: String; var initial_password: String }

    /// The 居委 signs a resident up at its desk: the household in the staff member's scope, the
    /// person matched by name and ID number as on a letter, an initial password shown once.
    static func signUpAtDesk(_ input: DeskInput, writer: WriteContext, app: Application, on db: any Database) async throws -> DeskSignedUp {
        let actor = writer.actor
        guard issuers.contains(actor.role) else { throw AppError.forbidden }
        let vault = app.services.vault
        let person = checkPerson(name: input.name, idNumber: input.id_number, phone: input.phone, username: input.username, now: writer.now)
        var problems = person.problems
        let (name, username) = (person.name, person.username)
        var place: InvitationQueries.Place?
        if let household = input.household_id { place = try await InvitationQueries.household(HouseholdID(household), in: actor.scope, on: db) }
        if place == nil {
            problems.append(FieldError(field: "household_id", messageZH: "请选择本楼组的一户", messageEN: "Choose a household of this building group"))
        }
        guard problems.isEmpty, let idNumber = person.idNumber, let phone = person.phone, let place,
            let householdID = input.household_id.map({ HouseholdID($0) })
        else {
            throw AppError.validation(problems)
        }
        let index = vault.blindIndex(idNumber.normalized, kind: .idNumber)
        guard let person = try await InvitationQueries.member(of: householdID, idIndex: index, name: name, on: db) else {
            throw AppError.validation(
                "id_number", zh: "这一户没有这个姓名和身份证号码的在册成员，请核对或先在居民库登记",
                en: "No current member of this household has this name and ID number; check, or register the person first")
        }
        if try await InvitationQueries.hasAccount(person: person, on: db) {
            throw AppError.conflict("此人已经注册，忘记密码可重置", "This person has signed up already; reset the password if it is forgotten")
        }
        let sealed = try vault.seal(phone.normalized, masked: phone.masked, kind: .phone)
        let initial = AccountService.initialPassword()
        let hash = try await AccessService.hashPassword(initial, app)
        let account = Account(
            subdistrictID: place.subdistrict_id, username: username, displayName: name, role: .resident, gridNodeID: place.grid_node_id,
            passwordHash: hash, mustChangePassword: true)
        let id = account.id!
        let chosen = username
        do {
            try await db.write { db in
                try await account.create(on: db)
                try await InvitationQueries.insertResidentAccount(
                    account: id, subdistrict: place.subdistrict_id, node: place.grid_node_id, household: householdID, person: person, phone: sealed,
                    via: "desk", invitation: nil, now: writer.now, on: db)
                try await AuditLog.append(
                    AuditEntry(
                        action: "resident.signed_up_at_desk", actorID: actor.accountID, actorName: actor.username, targetType: "account",
                        targetID: chosen, clientAddress: writer.address), at: writer.now, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw AppError.validation("username", zh: "用户名已被使用，请换一个", en: "The username is taken; choose another")
        }
        return DeskSignedUp(account_id: id, username: chosen, initial_password: initial)
    }

    struct Reset: Content { var username: String; var initial_password: String }

    /// 居委 resets a resident's forgotten password at its desk: an initial password shown once,
    /// changed at the next sign-in; every session of the account ends and its sign-in locks lift.
    static func resetAtDesk(username: String, writer: WriteContext, app: Application, on db: any Database) async throws -> Reset {
        guard issuers.contains(writer.actor.role) else { throw AppError.forbidden }
        guard let account = try await InvitationQueries.residentAccount(username, in: writer.actor.scope, on: db) else {
            throw AppError.notFound("找不到该居民账号", "No such resident account")
        }
        let initial = AccountService.initialPassword()
        let hash = try await AccessService.hashPassword(initial, app)
        let name = username.lowercased()
        try await db.write { db in
            try await AccountQueries.setPassword(account, hash: hash, mustChange: true, now: writer.now, on: db)
            try await SessionQueries.deleteSessions(account: account, on: db)
            try await LoginCounters.unlock(username: name, on: db)
            try await AuditLog.append(
                AuditEntry(
                    action: "password.reset_at_desk", actorID: writer.actor.accountID, actorName: writer.actor.username, targetType: "account",
                    targetID: name, clientAddress: writer.address), at: writer.now, on: db)
        }
        return Reset(username: name, initial_password: initial)
    }
}
