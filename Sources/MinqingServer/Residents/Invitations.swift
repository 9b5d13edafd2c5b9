import Fluent
import Foundation
import MinqingDomain
import Vapor

/// Getting residents on (issue 22): the 居委 prints an invitation letter per household of a
/// building group, with a one-time code; a resident signs up on a phone with the code, their name
/// and ID number (checked through the blind index against a current member of that household), a
/// mobile number, a username and a password. A sign-up that does not match says only that the
/// three do not match, whether the number belongs to someone elsewhere or to no one; it counts
/// against the address (`signupBudget`) and against the letter, which is revoked by itself after
/// `maxFailures`. Codes are stored only as keyed hashes and shown once, when issued.
package enum Invitations {
    /// Letters are valid this many days unless the issuer says otherwise (1…90).
    static let defaultValidDays = 30
    static let validDays = 1...90
    /// Sign-ups that do not match a letter's household before the letter is revoked by itself.
    static let maxFailures = 5
    /// Sign-up attempts from one address: a 居委 office helping residents shares one address.
    static let signupBudget = LoginThrottlePolicy(maxFailures: 30, windowSeconds: 3600, lockSeconds: 3600)
    /// Who issues and revokes letters: the 居委 and the subdistrict (and the administrator).
    static let issuers: Set<Role> = [.admin, .subdistrictStaff, .areaCadre]

    /// A printed letter: the code is here in plain for the one page that prints it.
    struct Letter: Content, Equatable {
        var id: UUID; var household_id: HouseholdID; var address: String; var code: String; var expires_at: Date
    }

    struct IssueInput: Content { var node: String?; var valid_days: Int?; var household_id: UUID? }

    /// The building group a letter page is about, inside the caller's scope; nil → 404.
    static func buildingGroup(_ code: String?, actor: Actor, on db: any Database) async throws -> GridNodeSummary? {
        guard let code = code?.trimmingCharacters(in: .whitespaces), !code.isEmpty,
            let node = try await GridQueries.node(code: code, in: actor.scope, on: db), node.level == .buildingGroup
        else { return nil }
        return node
    }

    /// New letters for the households of a building group that have no account and no usable
    /// letter (or for one household of it, again, e.g. after a letter was lost and revoked).
    static func issue(_ input: IssueInput, writer: WriteContext, vault: PIIVault, on db: any Database) async throws -> [Letter] {
        let actor = writer.actor
        guard issuers.contains(actor.role) else { throw AppError.forbidden }
        let days = input.valid_days ?? defaultValidDays
        guard validDays.contains(days) else {
            throw AppError.validation(
                "valid_days", zh: "有效天数须在 \(validDays.lowerBound)–\(validDays.upperBound) 天之间",
                en: "Valid for \(validDays.lowerBound) to \(validDays.upperBound) days")
        }
        guard let node = try await buildingGroup(input.node, actor: actor, on: db) else {
            throw AppError.notFound("找不到该楼组", "No such building group")
        }
        let households = try await InvitationQueries.households(of: node.id, now: writer.now, on: db)
        let chosen: [InvitationQueries.Household]
        if let one = input.household_id {
            guard let household = households.first(where: { $0.id.rawValue == one }) else {
                throw AppError.notFound("找不到该户", "No such household")
            }
            guard household.letter_id == nil else {
                throw AppError.conflict("这一户还有未用的邀请函，请先作废再补发", "This household still has an unused letter; revoke it first")
            }
            chosen = [household]
        } else {
            chosen = households.filter { $0.accounts == 0 && $0.letter_id == nil }
        }
        let expires = writer.now.addingTimeInterval(TimeInterval(days) * 86_400)
        var generator = SystemRandomNumberGenerator()
        var letters: [Letter] = []
        var rows: [InvitationQueries.NewInvitation] = []
        for household in chosen {
            let code = InvitationCode(using: &generator)
            let id = UUID()
            letters.append(Letter(id: id, household_id: household.id, address: household.address, code: code.description, expires_at: expires))
            rows.append(
                .init(
                    id: id, subdistrict: node.subdistrictID, node: node.id, household: household.id,
                    codeHash: vault.pseudonym("invitation:" + code.normalized), kind: "letter", issuedBy: actor.username,
                    issuedByAccount: actor.accountID, expiresAt: expires))
        }
        guard !rows.isEmpty else { return [] }
        let newRows = rows
        try await db.write { db in
            try await InvitationQueries.insert(newRows, now: writer.now, on: db)
            try await AuditLog.append(
                AuditEntry(
                    action: "invitation.issued", actorID: actor.accountID, actorName: actor.username, targetType: "grid_node",
                    targetID: node.code, detail: ["letters": String(newRows.count), "valid_days": String(days)], clientAddress: writer.address),
                at: writer.now, on: db)
        }
        return letters
    }

    struct RevokeInput: Content { var reason: String? }

    /// Revokes a letter not yet used; the same 404 for one used, expired, revoked or elsewhere.
    static func revoke(_ id: UUID, _ input: RevokeInput, writer: WriteContext, on db: any Database) async throws {
        guard issuers.contains(writer.actor.role) else { throw AppError.forbidden }
        let reason = (input.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(reason.count) else {
            throw AppError.validation("reason", zh: "请写明作废原因（不超过 200 字）", en: "Say why it is revoked (at most 200 characters)")
        }
        try await db.write { db in
            guard try await InvitationQueries.revoke(id, in: writer.actor.scope, by: writer.actor.username, reason: reason, now: writer.now, on: db)
            else { throw AppError.notFound("找不到可作废的邀请函", "No letter that can be revoked") }
            try await AuditLog.append(
                AuditEntry(
                    action: "invitation.revoked", actorID: writer.actor.accountID, actorName: writer.actor.username,
                    targetType: "invitation", targetID: id.uuidString, detail: ["reason": reason], clientAddress: writer.address),
                at: writer.now, on: db)
        }
    }

    struct SignupInput: Content, Equatable {
        var code: String?; var name: String?; var id_number: String?; var phone: String?; var username: String?; var password: String?
        var confirm_password: String?
    }

    struct SignedUp: Content { var account_id: UUID; var username: String }

    /// The person's part of a sign-up (here or at the desk), checked field by field.
    struct CheckedPerson {
        var name: String; var idNumber: ResidentIDNumber?; var phone: MobileNumber?; var username: String; var problems: [FieldError]
    }

    static func checkPerson(name rawName: String?, idNumber rawID: String?, phone rawPhone: String?, username rawUsername: String?, now: Date)
        -> CheckedPerson
    {
        var problems: [FieldError] = []
        let name = (rawName ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !(1...40).contains(name.count) {
            problems.append(FieldError(field: "name", messageZH: "请填写身份证上的姓名", messageEN: "Enter the name as on the ID card"))
        }
        var idNumber: ResidentIDNumber?
        do { idNumber = try ResidentIDNumber(parsing: rawID ?? "", today: CivilDate.today(now: now)) } catch { problems.append(error.fieldError) }
        var phone: MobileNumber?
        do { phone = try MobileNumber(parsing: rawPhone ?? "") } catch { problems.append(error.fieldError) }
        var username = ""
        switch Username.normalize(rawUsername ?? "") {
        case let .success(name): username = name
        case let .failure(problem): problems.append(problem)
        }
        return CheckedPerson(name: name, idNumber: idNumber, phone: phone, username: username, problems: problems)
    }

    /// The answer to a sign-up whose code, name and number do not fit together: never which.
    static let mismatch = AppError.validation(
        "code", zh: "邀请码、姓名和身份证号码对不上。请核对邀请函和身份证；多次不符后邀请码会作废，可到居委会补发。",
        en:
            "The code, name and ID number do not match. Check the letter and the ID card; after several misses the code is revoked and the residents' committee can issue a new one."
    )

    /// A resident signs up with a letter. Field errors for what is malformed; one sentence for a
    /// letter, name and number that do not fit together; nothing written unless all is well.
    static func signUp(_ input: SignupInput, now: Date, address: String, app: Application, on db: any Database) async throws -> SignedUp {
        let vault = app.services.vault
        var problems: [FieldError] = []
        let code = InvitationCode(typed: input.code ?? "")
        if code == nil {
            problems.append(
                FieldError(
                    field: "code", messageZH: "请填写邀请函上的 10 位邀请码（如 K9QM3-XPA4H）",
                    messageEN: "Enter the 10-character code on the letter (e.g. K9QM3-XPA4H)"))
        }
        let person = checkPerson(name: input.name, idNumber: input.id_number, phone: input.phone, username: input.username, now: now)
        problems += person.problems
        let (name, username) = (person.name, person.username)
        let password = input.password ?? ""
        if let problem = PasswordPolicy.problem(with: password, username: username.isEmpty ? (input.username ?? "") : username) {
            problems.append(problem)
        } else if let confirm = input.confirm_password, confirm != password {
            problems.append(FieldError(field: "confirm_password", messageZH: "两次输入的密码不一致", messageEN: "The two passwords differ"))
        }
        guard problems.isEmpty, let code, let idNumber = person.idNumber, let phone = person.phone else { throw AppError.validation(problems) }

        // Every well-formed attempt counts against the address, matched or not.
        try await ImportChecks.charge("signup:\(address)", policy: signupBudget, now: now, what: ("注册尝试", "sign-up attempts"), on: db)
        let hash = vault.pseudonym("invitation:" + code.normalized)
        guard let letter = try await InvitationQueries.usable(codeHash: hash, now: now, on: db) else { throw mismatch }
        let idIndex = vault.blindIndex(idNumber.normalized, kind: .idNumber)
        guard let person = try await InvitationQueries.member(of: letter.household_id, idIndex: idIndex, name: name, on: db) else {
            try await db.write { db in
                try await InvitationQueries.recordFailure(letter.id, limit: maxFailures, now: now, on: db)
                try await AuditLog.append(
                    AuditEntry(
                        action: "invitation.mismatch", targetType: "invitation", targetID: letter.id.uuidString, clientAddress: address),
                    at: now, on: db)
            }
            throw mismatch
        }
        if try await InvitationQueries.hasAccount(person: person, on: db) {
            throw AppError.conflict(
                "您已经注册过了，请直接登录；忘记密码可到居委会重置", "You have signed up already: sign in; the residents' committee can reset a forgotten password")
        }
        let sealed = try vault.seal(phone.normalized, masked: phone.masked, kind: .phone)
        let hashValue = try await AccessService.hashPassword(password, app)
        let account = Account(
            subdistrictID: letter.subdistrict_id, username: username, displayName: name, role: .resident, gridNodeID: letter.grid_node_id,
            passwordHash: hashValue, mustChangePassword: false)
        let id = account.id!
        let chosen = username
        do {
            try await db.write { db in
                try await account.create(on: db)
                guard try await InvitationQueries.markUsed(letter.id, account: id, now: now, on: db) else { throw mismatch }
                try await InvitationQueries.insertResidentAccount(
                    account: id, subdistrict: letter.subdistrict_id, node: letter.grid_node_id, household: letter.household_id, person: person,
                    phone: sealed, via: "invitation", invitation: letter.id, now: now, on: db)
                try await AuditLog.append(
                    AuditEntry(
                        action: "resident.signed_up", actorID: id, actorName: chosen, targetType: "invitation", targetID: letter.id.uuidString,
                        detail: ["kind": letter.kind], clientAddress: address), at: now, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // The username, or the person signing up twice at once.
            throw AppError.validation("username", zh: "用户名已被使用，请换一个", en: "The username is taken; choose another")
        }
        return SignedUp(account_id: id, username: username)
    }
}
