import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Writes of 组织力工程: organisations and their history, members and roles (with the register's
/// `id.party_member` tag kept in step), posts and building-group leaders. Every multi-row write
/// runs in one `db.write` with its audit entry; state changes are conditional UPDATEs that answer
/// 409 and change nothing when refused.
package enum OrganisationsService {
    /// The register's tag for a party member (中共党员, sensitive).
    package static let partyTag = "id.party_member"

    static let notFound = AppError.notFound("组织不存在或不在您的管辖范围内", "No such organisation in your scope")
    static let personProblem = FieldError(field: "person_id", messageZH: "请先按姓名查找，再选择居民", messageEN: "Find the person by name, then choose them")
    static let membersHidden = AppError(
        .forbidden, code: "sensitive",
        zh: "党组织成员属于敏感个人信息，您的角色无权查看。",
        en: "Membership of a party organisation is sensitive personal information your role may not see.")

    static func today(_ writer: WriteContext) -> CivilDate { CivilDate(writer.now, in: .shanghai) }

    /// Creates an organisation at a node in scope, checking the kind's allowed parents and dates.
    static func create(_ input: OrganisationInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        guard OrganisationsQueries.managers.contains(actor.role) else { throw AppError.forbidden }
        var problems: [FieldError] = []
        let name = text(input.name, "name", "组织名称", en: "name of the organisation", max: 100, into: &problems)
        let purpose = text(input.purpose, "purpose", "组建目的", en: "purpose", max: 500, required: false, into: &problems)
        let kind = OrganisationKind(rawValue: input.kind ?? "")
        if kind == nil {
            problems.append(FieldError(field: "kind", messageZH: "请从列表中选择组织类型", messageEN: "Choose the kind of organisation from the list"))
        }
        let basis = OrganisationBasis(rawValue: input.basis ?? (kind == .temporaryBranch ? "project" : "place"))
        if basis == nil { problems.append(FieldError(field: "basis", messageZH: "请从列表中选择组建方式", messageEN: "Choose how it is built from the list")) }
        let today = today(writer)
        let starts = day(input.starts_on, "starts_on", "成立日期", en: "start date", default: today, into: &problems)
        var ends: CivilDate?
        if let raw = input.ends_on, !raw.isEmpty {
            var dateProblems: [FieldError] = []
            let date = day(raw, "ends_on", "结束日期", en: "end date", default: today, into: &dateProblems)
            if dateProblems.isEmpty { ends = date }
            problems += dateProblems
        }
        if let kind { problems += OrganisationDates.check(kind: kind, starts: starts, ends: ends).map(said) }
        if kind == .temporaryBranch && purpose.isEmpty {
            problems.append(FieldError(field: "purpose", messageZH: "临时党支部须写明所为项目", messageEN: "A temporary branch names its project"))
        }
        var node = try await GridQueries.node(id: actor.scope.rootID, on: db)
        if let code = input.node, !code.isEmpty {
            node = try await GridQueries.node(code: code, in: actor.scope, on: db)
            if node == nil { problems.append(nodeProblem()) }
        }
        var parentKind: OrganisationKind?
        if let parentID = input.parent_id {
            if let row = try await OrganisationsQueries.parent(parentID, actor: actor, on: db) {
                parentKind = row.kind
            } else {
                problems.append(parentProblem)
            }
        }
        if let kind, problems.allSatisfy({ $0.field != "parent_id" }), !kind.admits(parent: parentKind) {
            problems.append(
                FieldError(
                    field: "parent_id",
                    messageZH: "\(kind.nameZH)不能隶属于\(parentKind?.nameZH ?? "无上级")",
                    messageEN: "A \(kind.nameEN.lowercased()) cannot stand under \(parentKind?.nameEN.lowercased() ?? "no parent")"))
        }
        if let unit = input.service_unit_id, try await OrganisationsQueries.unit(unit, for: actor, on: db) == nil {
            problems.append(FieldError(field: "service_unit_id", messageZH: "请从列表中选择驻区单位", messageEN: "Choose the unit from the list"))
        }
        if let compound = input.compound_id {
            let found = try await OrganisationsQueries.scopedCompound(compound, actor: actor, on: db)
            if found == nil {
                problems.append(FieldError(field: "compound_id", messageZH: "该小区不在您的管辖范围内", messageEN: "That compound is not in your scope"))
            }
        }
        guard problems.isEmpty, let kind, let basis, let node else { throw AppError.validation(problems) }
        let id = UUID()
        let termEnd = OrganisationDates.termEnd(kind: kind, start: starts)
        let endsOn = ends
        try await db.write { db in
            try await OrganisationsQueries.insertOrganisation(
                id: id, node: node, name: name, kind: kind, basis: basis, parentID: input.parent_id,
                compoundID: input.compound_id, serviceUnitID: input.service_unit_id, purpose: purpose,
                starts: starts, endsOn: endsOn, termEnd: termEnd, writer: writer, on: db)
            try await OrganisationsQueries.history(
                id, "created", old: nil, new: name, reason: purpose.isEmpty ? "成立" : purpose, writer: writer, on: db)
            try await audit("organisation.created", target: id, detail: ["kind": kind.rawValue], by: writer, on: db)
        }
        return id
    }

    static let closedAlready = AppError.conflict("该组织已撤销", "This organisation has already closed")
    static let parentProblem = FieldError(
        field: "parent_id", messageZH: "上级组织不存在或不在您的管辖范围内，请从列表中选择",
        messageEN: "That parent organisation is not in your scope; choose one from the list")

    /// Renames, moves (new parent, checked against the kind's rules) or closes an organisation;
    /// each a conditional UPDATE on an open organisation, with its history row and audit entry.
    static func change(_ id: UUID, _ input: OrganisationChangeInput, writer: WriteContext, on db: any Database) async throws {
        let actor = writer.actor
        guard OrganisationsQueries.managers.contains(actor.role) else { throw AppError.forbidden }
        let today = today(writer)
        guard let org = try await OrganisationsQueries.organisation(id, for: actor, today: today, on: db) else { throw notFound }
        var problems: [FieldError] = []
        let reason = text(input.reason, "reason", "变更原因", en: "reason for the change", max: 500, into: &problems)
        let action = input.action ?? ""
        var setting: OrganisationsQueries.OrganisationChange?
        var oldValue: String?, newValue: String?
        switch action {
        case "rename":
            let name = text(input.name, "name", "新名称", en: "new name", max: 100, into: &problems)
            setting = .name(name)
            oldValue = org.name; newValue = name
        case "move":
            let raw = (input.parent_id ?? "").trimmingCharacters(in: .whitespaces)
            var parentID: UUID?, parentKind: OrganisationKind?
            if !raw.isEmpty {
                if let uuid = UUID(uuidString: raw), uuid != id, let row = try await OrganisationsQueries.parent(uuid, actor: actor, on: db) {
                    parentID = row.id; parentKind = row.kind
                } else {
                    problems.append(parentProblem)
                }
            }
            let kind = org.kind
            if problems.allSatisfy({ $0.field != "parent_id" }), !kind.admits(parent: parentKind) {
                problems.append(
                    FieldError(
                        field: "parent_id", messageZH: "\(kind.nameZH)不能隶属于\(parentKind?.nameZH ?? "无上级")",
                        messageEN: "A \(kind.nameEN.lowercased()) cannot stand under \(parentKind?.nameEN.lowercased() ?? "no parent")"))
            }
            setting = .parent(parentID)
            oldValue = org.parent_id?.uuidString; newValue = parentID?.uuidString
        case "close":
            let closed = day(input.closed_on, "closed_on", "撤销日期", en: "closing date", default: today, into: &problems)
            if closed.iso8601 < org.starts_on {
                problems.append(
                    FieldError(
                        field: "closed_on", messageZH: "撤销日期不能早于成立日期 \(org.starts_on)",
                        messageEN: "The closing date cannot be before the start, \(org.starts_on)"))
            }
            setting = .closedOn(closed.iso8601)
            newValue = closed.iso8601
        default:
            problems.append(
                FieldError(field: "action", messageZH: "请选择变更类型：更名、调整隶属或撤销", messageEN: "Choose the change: rename, change parent or close"))
        }
        guard problems.isEmpty, let setting else { throw AppError.validation(problems) }
        let (set, old, new) = (setting, oldValue, newValue)
        try await db.write { db in
            let changed = try await OrganisationsQueries.applyChange(set, to: id, writer: writer, on: db)
            guard changed else { throw closedAlready }
            if action == "close", let closedOn = new {
                try await OrganisationsQueries.endMemberships(of: id, on: closedOn, by: writer, on: db)
            }
            try await OrganisationsQueries.history(
                id, action == "close" ? "closed" : action == "move" ? "moved" : "renamed", old: old, new: new, reason: reason,
                writer: writer, on: db)
            try await audit("organisation.\(action)", target: id, detail: [:], by: writer, on: db)
        }
    }

    /// Closes every temporary branch whose end date has come (on that date), ending its members'
    /// memberships on the same date; their rows and the history stay. Returns how many closed.
    /// Run by `POST /api/v1/organisations/close-expired` and by the organisations page.
    @discardableResult
    static func closeExpired(writer: WriteContext, on db: any Database) async throws -> Int {
        let today = today(writer)
        return try await db.write { db in
            let due = try await OrganisationsQueries.closeExpiredBranches(today: today, writer: writer, on: db)
            for row in due {
                try await OrganisationsQueries.endMemberships(of: row.id, on: row.ends_on, by: writer, on: db)
                try await OrganisationsQueries.history(
                    row.id, "closed", old: nil, new: row.ends_on, reason: "临时党支部到期撤销 / temporary branch reached its end date",
                    writer: writer, on: db)
                try await audit("organisation.closed", target: row.id, detail: ["ends_on": row.ends_on], by: writer, on: db)
            }
            return due.count
        }
    }

    /// Adds a person of the register (in scope) to an open organisation with a role and a start.
    /// A party organisation's member gets the register's `id.party_member` tag in the same
    /// transaction when they do not hold it already.
    static func addMember(_ orgID: UUID, _ input: OrgMemberInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        guard OrganisationsQueries.managers.contains(actor.role) else { throw AppError.forbidden }
        let today = today(writer)
        guard let org = try await OrganisationsQueries.organisation(orgID, for: actor, today: today, on: db) else { throw notFound }
        var problems: [FieldError] = []
        let role = MemberRole(rawValue: input.role ?? "member")
        if role == nil { problems.append(FieldError(field: "role", messageZH: "请从列表中选择职务", messageEN: "Choose the role from the list")) }
        let starts = day(input.starts_on, "starts_on", "开始日期", en: "start date", default: today, into: &problems)
        if input.person_id == nil { problems.append(personProblem) }
        guard problems.isEmpty, let role else { throw AppError.validation(problems) }
        let target = try await RegistryRecords.target(input.person_id.map { PersonID($0) }, actor: actor, on: db)
        let open = OrganisationDates.isOpen(
            closedOn: org.closed_on.flatMap { try? CivilDate(parsing: $0) },
            endsOn: org.ends_on.flatMap { try? CivilDate(parsing: $0) }, on: today)
        guard open else { throw closedAlready }
        let shows = input.shows_identity ?? false
        let id = UUID()
        try await db.write { db in
            let already = try await OrganisationsQueries.currentMemberships(of: target.person, in: orgID, today: today, on: db)
            guard already == 0 else { throw AppError.conflict("该居民已是本组织成员", "The person is already a member") }
            try await OrganisationsQueries.insertMember(
                id: id, orgID: orgID, target: target, role: role, starts: starts, shows: shows, today: today,
                writer: writer, on: db)
            if org.sensitive, let tag = try await RegistryRecords.visibleTagID(code: partyTag, role: actor.role, on: db) {
                let held = try await OrganisationsQueries.currentTagAssignments(of: target.person, tag: tag, today: today, on: db)
                if held == 0 {
                    _ = try await RegistryRecords.insertTag(
                        target, tagID: tag, code: partyTag, start: min(starts, today), source: "system",
                        today: today, by: writer, on: db)
                }
            }
            try await audit("organisation.member_added", target: orgID, detail: ["member": id.uuidString, "role": role.rawValue], by: writer, on: db)
        }
        return id
    }

    static func memberTarget(_ org: UUID, _ member: UUID, actor: Actor, today: CivilDate, on db: any Database) async throws -> OrganisationRow {
        guard OrganisationsQueries.managers.contains(actor.role) else { throw AppError.forbidden }
        guard let row = try await OrganisationsQueries.organisation(org, for: actor, today: today, on: db) else { throw notFound }
        guard try await OrganisationsQueries.membership(member, of: org, actor: actor, on: db) != nil else {
            throw AppError.notFound("成员记录不存在", "No such membership")
        }
        return row
    }

    /// Ends a membership (the row stays as history); 409 when it has ended already. The
    /// register's party tag is left as it is: leaving a branch (moving away, transferring the
    /// organisational relation) does not end being a party member.
    static func endMember(_ org: UUID, _ member: UUID, _ input: EndOrgMemberInput, writer: WriteContext, on db: any Database) async throws {
        let today = today(writer)
        _ = try await memberTarget(org, member, actor: writer.actor, today: today, on: db)
        var problems: [FieldError] = []
        let ends = day(input.ends_on, "ends_on", "结束日期", en: "end date", default: today, into: &problems)
        guard problems.isEmpty else { throw AppError.validation(problems) }
        try await db.write { db in
            let changed = try await OrganisationsQueries.endMembership(member, endsOn: ends.iso8601, by: writer, on: db)
            guard changed else { throw AppError.conflict("该成员记录已结束或结束日期早于开始日期", "The membership has ended already or the end is before its start") }
            try await audit(
                "organisation.member_ended", target: org, detail: ["member": member.uuidString, "ends_on": ends.iso8601], by: writer, on: db)
        }
    }

    /// Records a member's choice to show (亮身份) or no longer show their identity, with the date.
    static func setIdentity(_ org: UUID, _ member: UUID, shows: Bool, writer: WriteContext, on db: any Database) async throws {
        let today = today(writer)
        _ = try await memberTarget(org, member, actor: writer.actor, today: today, on: db)
        try await db.write { db in
            let changed = try await OrganisationsQueries.setShowsIdentity(member, shows: shows, today: today, on: db)
            guard changed else { throw AppError.conflict("已是该状态", "Already so") }
            try await audit(
                "organisation.identity_\(shows ? "shown" : "hidden")", target: org, detail: ["member": member.uuidString], by: writer, on: db)
        }
    }

    /// Creates a model post, responsibility area or commando team at a node in scope.
    static func createPost(_ input: PostInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        guard OrganisationsQueries.managers.contains(actor.role) else { throw AppError.forbidden }
        var problems: [FieldError] = []
        let kind = OrganisationPostKind(rawValue: input.kind ?? "")
        if kind == nil {
            problems.append(
                FieldError(
                    field: "kind", messageZH: "请选择类型：党员示范岗、党员责任区或党员突击队",
                    messageEN: "Choose the kind: model post, responsibility area or commando team"))
        }
        let name = text(input.name, "name", "岗位名称", en: "name of the post", max: 100, into: &problems)
        let mission = text(input.mission, "mission", "任务", en: "mission", max: 500, required: kind == .commandoTeam, into: &problems)
        let today = today(writer)
        let starts = day(input.starts_on, "starts_on", "开始日期", en: "start date", default: today, into: &problems)
        var parsedEnd: CivilDate?
        if let raw = input.ends_on, !raw.isEmpty {
            parsedEnd = day(raw, "ends_on", "结束日期", en: "end date", default: today, into: &problems)
            if let e = parsedEnd, e <= starts {
                problems.append(FieldError(field: "ends_on", messageZH: "结束日期须晚于开始日期", messageEN: "The end date must come after the start date"))
            }
        }
        let ends = parsedEnd
        let node = try await GridQueries.node(code: input.node ?? "", in: actor.scope, on: db)
        if node == nil { problems.append(nodeProblem()) }
        if let org = input.organisation_id, try await OrganisationsQueries.organisation(org, for: actor, today: today, on: db) == nil {
            problems.append(
                FieldError(field: "organisation_id", messageZH: "该组织不在您的管辖范围内", messageEN: "That organisation is not in your scope"))
        }
        guard problems.isEmpty, let kind, let node else { throw AppError.validation(problems) }
        let id = UUID()
        try await db.write { db in
            try await OrganisationsQueries.insertPost(
                id: id, node: node, organisationID: input.organisation_id, kind: kind, name: name, mission: mission,
                starts: starts, ends: ends, writer: writer, on: db)
            try await audit("organisation_post.created", target: id, detail: ["kind": kind.rawValue], by: writer, on: db)
        }
        return id
    }

    /// Makes a person of the register the leader of their own building group (楼组长).
    static func addLeader(_ input: LeaderInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        guard actor.role.isGridStaff else { throw AppError.forbidden }
        var problems: [FieldError] = []
        let today = today(writer)
        let starts = day(input.starts_on, "starts_on", "开始日期", en: "start date", default: today, into: &problems)
        if input.person_id == nil { problems.append(personProblem) }
        guard problems.isEmpty else { throw AppError.validation(problems) }
        let target = try await RegistryRecords.target(input.person_id.map { PersonID($0) }, actor: actor, on: db)
        let id = UUID()
        try await db.write { db in
            try await OrganisationsQueries.insertLeader(
                id: id, target: target, organisationID: input.organisation_id, starts: starts, writer: writer, on: db)
            try await audit("building_group_leader.added", target: id, detail: [:], by: writer, on: db)
        }
        return id
    }

    static func audit(_ action: String, target: UUID, detail: [String: String], by writer: WriteContext, on db: any Database) async throws {
        try await AuditLog.append(
            AuditEntry(
                action: action, actorID: writer.actor.accountID, actorName: writer.actor.username,
                targetType: String(action.prefix { $0 != "." }), targetID: target.uuidString, detail: detail,
                clientAddress: writer.address),
            at: writer.now, on: db)
    }
}
