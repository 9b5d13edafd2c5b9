import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// 换届: an organisation elects its next term. The current term closes on the election day and
/// the next one opens that day with the same length (the kind's term, `OrganisationDates.termEnd`).
/// Members' roles are history: a member whose role changes has their membership row ended on the
/// election day and a new row opened with the new role; rows are never overwritten or deleted.
extension OrganisationsService {
    /// Offices that belong to a term and end with it unless the new term confirms them.
    static let termOffices: Set<MemberRole> = [.secretary, .deputySecretary, .committeeMember]

    static func newTerm(_ id: UUID, _ input: NewTermInput, writer: WriteContext, on db: any Database) async throws {
        let actor = writer.actor
        guard OrganisationsQueries.managers.contains(actor.role) else { throw AppError.forbidden }
        let today = today(writer)
        guard let org = try await OrganisationsQueries.organisation(id, for: actor, today: today, on: db) else { throw notFound }
        let open = OrganisationDates.isOpen(
            closedOn: org.closed_on.flatMap { try? CivilDate(parsing: $0) },
            endsOn: org.ends_on.flatMap { try? CivilDate(parsing: $0) }, on: today)
        guard open else { throw closedAlready }
        var problems: [FieldError] = []
        let kind = org.kind
        guard kind.termYears != nil else {
            throw AppError.validation("kind", zh: "该类组织没有任期，无需换届", en: "This kind of organisation has no terms to renew")
        }
        let reason = text(input.reason, "reason", "换届说明", en: "note", max: 500, required: false, into: &problems)
        let elected = day(input.elected_on, "elected_on", "换届选举日期", en: "election day", default: today, into: &problems)
        let current = try await OrganisationsQueries.latestTerm(of: id, on: db)
        let termStart = current?.starts_on ?? org.starts_on
        if elected > today {
            problems.append(FieldError(field: "elected_on", messageZH: "换届日期不能晚于今天", messageEN: "The election day cannot be in the future"))
        } else if elected.iso8601 <= termStart {
            problems.append(
                FieldError(
                    field: "elected_on", messageZH: "换届日期须晚于本届开始日期 \(termStart)",
                    messageEN: "The election day must come after the current term's start (\(termStart))"))
        }
        // The members of the old term (current on the election day) and their roles in the new one.
        let members = try await OrganisationsQueries.termMembers(of: id, electedOn: elected.iso8601, on: db)
        let byID = Dictionary(uniqueKeysWithValues: members.map { ($0.id, $0) })
        var named: [UUID: MemberRole] = [:]
        for (n, entry) in (input.roles ?? []).enumerated() {
            let role = MemberRole(rawValue: entry.role ?? "")
            if role == nil {
                problems.append(FieldError(field: "roles[\(n)].role", messageZH: "请从列表中选择职务", messageEN: "Choose the role from the list"))
            }
            guard let member = entry.member_id, byID[member] != nil else {
                problems.append(
                    FieldError(field: "roles[\(n)].member_id", messageZH: "不是本组织的现任成员", messageEN: "Not a current member of this organisation"))
                continue
            }
            if named[member] != nil {
                problems.append(FieldError(field: "roles[\(n)].member_id", messageZH: "同一成员只能填写一次", messageEN: "The member is named twice"))
            }
            if let role { named[member] = role }
        }
        if named.values.filter({ $0 == .secretary }).count > 1 {
            problems.append(FieldError(field: "roles", messageZH: "新一届只能有一位书记", messageEN: "The new term has one secretary"))
        }
        guard problems.isEmpty, let newEnd = OrganisationDates.termEnd(kind: kind, start: elected) else { throw AppError.validation(problems) }
        let changes: [(OrganisationsQueries.TermMember, MemberRole)] = members.compactMap { member in
            let old = member.role
            let next = named[member.id] ?? (termOffices.contains(old) ? .member : old)
            return next != old ? (member, next) : nil
        }
        let oldEnd = org.term_ends_on
        let electedOn = elected.iso8601
        let termReason = reason.isEmpty ? "换届选举" : reason
        try await db.write { db in
            // Conditional: a second re-election racing this one finds the term moved and gets 409.
            let moved = try await OrganisationsQueries.moveTermEnd(of: id, from: oldEnd, to: newEnd.iso8601, writer: writer, on: db)
            guard moved else { throw AppError.conflict("该组织的任期已被他人变更，请刷新后重试", "The term changed meanwhile; reload and try again") }
            var seq = current?.seq ?? 0
            if current == nil {
                // The first term had no row: write it, closed on the election day.
                seq = 1
                try await OrganisationsQueries.insertFirstTerm(
                    of: id, startsOn: org.starts_on, endsOn: oldEnd, electedOn: electedOn, writer: writer, on: db)
            } else {
                try await OrganisationsQueries.closeTerm(of: id, seq: seq, closedOn: electedOn, on: db)
            }
            try await OrganisationsQueries.insertTerm(
                of: id, seq: seq + 1, electedOn: electedOn, endsOn: newEnd.iso8601, reason: termReason,
                writer: writer, on: db)
            if !changes.isEmpty {
                // A row that began on the election day has no history to keep: its role is corrected.
                let sameDay = changes.filter { $0.0.starts_on == electedOn }
                for (member, role) in sameDay {
                    try await OrganisationsQueries.correctRole(of: member.id, to: role, on: db)
                }
                let ending = changes.filter { $0.0.starts_on != electedOn }
                if !ending.isEmpty {
                    try await OrganisationsQueries.endMemberships(ending.map(\.0.id), on: electedOn, by: writer, on: db)
                    try await OrganisationsQueries.insertRoleRows(of: id, ending, electedOn: electedOn, writer: writer, on: db)
                }
            }
            try await OrganisationsQueries.history(
                id, "new_term", old: oldEnd, new: "\(electedOn) – \(newEnd.iso8601)", reason: termReason, writer: writer, on: db)
            try await audit(
                "organisation.new_term", target: id,
                detail: [
                    "elected_on": electedOn, "term_ends_on": newEnd.iso8601,
                    "roles_changed": String(changes.count)
                ], by: writer, on: db)
        }
    }
}
