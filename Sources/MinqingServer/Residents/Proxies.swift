import Fluent
import Foundation
import MinqingDomain
import Vapor

/// 代办 (issue 22 item 5): a resident records that they act for an elderly member of their own
/// household (sixty or over, `ProxyRule`) who agreed; then, when they leave a message (要留言),
/// they may leave it for that member, and the case records it as done for them by this account
/// (`proxy_acts`; the case page says so). Links are ended, never deleted; both steps are audited.
enum Proxies {
    struct LinkInput: Content, Sendable { var person_id: UUID? = nil; var consent: Bool? = nil }
    struct Link: Content, Sendable, Equatable { var id: UUID; var person_id: UUID; var name: String; var age: Int }
    /// A member the resident may register to act for.
    struct Candidate: Content, Sendable, Equatable { var person_id: UUID; var name: String; var age: Int }
    /// The resident's household as 代办 sees it: who they act for, and who they may.
    struct Overview: Content, Sendable, Equatable { var links: [Link]; var may_link: [Candidate] }

    static let consentText = "本人同意由该家属代办"

    static func overview(for actor: Actor, today: CivilDate, on db: any Database) async throws -> Overview {
        guard actor.role == .resident else { throw AppError.forbidden }
        let members = try await ProxyQueries.members(of: actor.accountID, on: db)
        var links: [Link] = [], may: [Candidate] = []
        for m in members {
            guard let birth = try? CivilDate(parsing: m.birth_date) else { continue }
            let age = birth.age(on: today)
            if let link = m.link_id {
                links.append(Link(id: link, person_id: m.person_id, name: m.name, age: age))
            } else if ProxyRule.refusal(sameHousehold: true, living: true, isSelf: m.is_self, birth: birth, today: today) == nil {
                may.append(Candidate(person_id: m.person_id, name: m.name, age: age))
            }
        }
        return Overview(links: links, may_link: may)
    }

    /// Records that the resident acts for the member, who agreed; one link in force per pair.
    static func link(_ input: LinkInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        guard actor.role == .resident else { throw AppError.forbidden }
        var problems: [FieldError] = []
        if input.consent != true {
            problems.append(
                FieldError(
                    field: "consent", messageZH: "请确认老人本人已同意由您代办", messageEN: "Confirm that your family member agreed to your acting for them"))
        }
        let members = try await ProxyQueries.members(of: actor.accountID, on: db)
        let member = input.person_id.flatMap { id in members.first { $0.person_id == id } }
        if let member, let birth = try? CivilDate(parsing: member.birth_date),
            let refusal = ProxyRule.refusal(sameHousehold: true, living: true, isSelf: member.is_self, birth: birth, today: writer.today)
        {
            problems.append(FieldError(field: "person_id", messageZH: refusal.zh, messageEN: refusal.en))
        } else if member == nil {
            let refusal = ProxyRule.refusal(sameHousehold: false, living: false, isSelf: false, birth: writer.today, today: writer.today)!
            problems.append(FieldError(field: "person_id", messageZH: refusal.zh, messageEN: refusal.en))
        }
        guard problems.isEmpty, let member else { throw AppError.validation(problems) }
        let already = AppError.conflict("您已在为这位家人代办", "You already act for this family member")
        if member.link_id != nil { throw already }
        let id = UUID()
        do {
            try await write(id, member: member, writer: writer, on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw already
        }
        return id
    }

    private static func write(_ id: UUID, member: ProxyQueries.Member, writer: WriteContext, on db: any Database) async throws {
        let actor = writer.actor
        try await db.write { db in
            try await ProxyQueries.insertLink(
                id, account: actor.accountID, subdistrict: actor.subdistrictID, member: member, consent: consentText, now: writer.now, on: db)
            try await AuditLog.append(
                AuditEntry(
                    action: "proxy.linked", actorID: actor.accountID, actorName: actor.username, targetType: "person",
                    targetID: member.person_id.uuidString, clientAddress: writer.address), at: writer.now, on: db)
        }
    }

    /// Ends one of the resident's own links.
    static func end(_ id: UUID, writer: WriteContext, on db: any Database) async throws {
        let actor = writer.actor
        guard actor.role == .resident else { throw AppError.forbidden }
        try await db.write { db in
            guard let person = try await ProxyQueries.endLink(id, account: actor.accountID, by: actor.username, now: writer.now, on: db) else {
                throw AppError.notFound("没有这条代办登记", "No such link")
            }
            try await AuditLog.append(
                AuditEntry(
                    action: "proxy.ended", actorID: actor.accountID, actorName: actor.username, targetType: "person",
                    targetID: person.uuidString, clientAddress: writer.address), at: writer.now, on: db)
        }
    }

    /// The link under which `submitter` acts for `person`, or a field error on `on_behalf_of`.
    static func linkFor(_ person: UUID, by submitter: Actor, on db: any Database) async throws -> UUID {
        guard submitter.role == .resident, let link = try await ProxyQueries.activeLink(account: submitter.accountID, person: person, on: db)
        else {
            throw AppError.validation(
                "on_behalf_of", zh: "您没有登记为这位家人代办，请先在“我的信息”里登记", en: "You are not registered to act for this person: register in My data first")
        }
        return link
    }

    /// Records a case left for the person under `link`, inside the case's transaction.
    static func recordCase(_ caseID: CaseID, link: UUID, subdistrict: UUID?, at: Date, on db: any Database) async throws {
        try await ProxyQueries.insertAct(link: link, subdistrict: subdistrict, target: "case", id: caseID.rawValue, at: at, on: db)
    }
}
