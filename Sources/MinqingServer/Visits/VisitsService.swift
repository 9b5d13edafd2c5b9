import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Recording a visit (民情日志): everything is checked first (households and persons inside the
/// caller's scope, visitors who could have made the visit, tags the role may see, numbers that
/// parse), then the visit, its households, visitors' credits, findings, the help requests they
/// become and the register changes it made are written in ONE transaction with their audit
/// entries, through the register's own steps (`RegistryRecords+Transaction`). A failing step
/// leaves nothing written. Only a visit that met the household counts (`VisitOutcome`).
package enum VisitsService {
    /// A household of the visit, inside the caller's scope.
    struct HouseholdRef: Sendable { var id: UUID; var node: UUID; var subdistrict: UUID? }

    struct PreparedFinding: Sendable {
        var need: VisitNeed
        var note: String
        var household: UUID
        var person: RegistryRecords.Target?
        var helpRequest: Bool
        /// The case it becomes, checked (written in the visit's transaction).
        var caseDraft: CasesService.Prepared?
    }

    /// A checked visit, ready to write.
    package struct Prepared: Sendable {
        var id = UUID()
        var households: [HouseholdRef]
        var visitors: [UUID]
        var visitedAt: Date
        var localDate: CivilDate
        var method: VisitMethod
        var kind: VisitKind
        var category: String?
        var followUpOf: UUID?
        var bookingID: UUID?
        var summary: String
        /// Only `met` counts (quota, compliance, 十必访, dashboard); see `VisitOutcome`.
        var outcome: VisitOutcome
        var findings: [PreparedFinding] = []
        var tagsAdded: [(target: RegistryRecords.Target, tagID: UUID, code: String)] = []
        var tagsEnded: [(target: RegistryRecords.Target, assignment: UUID)] = []
        var updates: [(target: RegistryRecords.Target, update: RegistryRecords.DetailsUpdate)] = []
    }

    static let maxHouseholds = 20
    static let maxItems = 10

    /// Checks `input` against the register and the caller's scope; every problem is a field error.
    package static func prepare(
        _ input: VisitInput, actor: Actor, now: Date, vault: PIIVault, booking: UUID? = nil,
        on db: any Database
    ) async throws -> Prepared {
        guard actor.role.isGridStaff else { throw AppError.forbidden }
        var check = VisitCheck(input: input, actor: actor, now: now, db: db)
        let (ids, households) = try await check.checkHouseholds()
        let visitors = try await check.checkVisitors(nodes: Set(households.map(\.node)))
        var prepared = try await check.checkVisit(households: households, visitors: visitors, booking: booking)
        try await check.findMembers(households: ids)
        try await check.prepareFindings(into: &prepared)
        try await check.checkTagsAdded(into: &prepared)
        try await check.checkTagsEnded(into: &prepared)
        try check.checkPersonUpdates(into: &prepared, vault: vault)
        guard check.problems.isEmpty else { throw AppError.validation(check.problems) }
        return prepared
    }

    /// What the steps of `prepare` share: the input and the caller, the problems found so far and
    /// the members of the visited households the input names.
    private struct VisitCheck {
        let input: VisitInput
        let actor: Actor
        let now: Date
        let db: any Database
        var problems: [FieldError] = []
        var members: [UUID: RegistryRecords.Target] = [:]

        /// Notes a problem with `field`.
        mutating func problem(_ field: String, _ zh: String, _ en: String) {
            problems.append(FieldError(field: field, messageZH: zh, messageEN: en))
        }

        /// Households, inside the scope: the ids asked for (each once) and the households found.
        mutating func checkHouseholds() async throws -> (ids: [UUID], households: [HouseholdRef]) {
            var ids: [UUID] = []
            for id in input.households ?? [] where !ids.contains(id) { ids.append(id) }
            var households: [HouseholdRef] = []
            if ids.isEmpty || ids.count > maxHouseholds {
                problem("households", "请选择所访的户（1–\(maxHouseholds) 户）。", "Choose the households visited (1 to \(maxHouseholds)).")
            } else {
                households = try await VisitsQueries.households(ids, in: actor.scope, on: db)
                if households.count != ids.count {
                    problem("households", "所选的户不存在或不在您的管辖范围内。", "A household chosen does not exist or is outside your scope.")
                }
            }
            return (ids, households)
        }

        /// Visitors: the caller, and staff whose own scope holds every household.
        mutating func checkVisitors(nodes: Set<UUID>) async throws -> [UUID] {
            var visitors = [actor.accountID]
            let names = Set(
                (input.visitors ?? []).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty && $0 != actor.username })
            if names.count > 5 {
                problem("visitors", "同行人员最多 5 人。", "At most 5 others can come along.")
            } else if !names.isEmpty, !nodes.isEmpty {
                let found = try await VisitsQueries.coveringStaff(usernames: Array(names), nodes: Array(nodes), on: db)
                if found.count != names.count {
                    problem(
                        "visitors", "同行人员须为在职工作人员，且其管辖范围包含所访的每一户。",
                        "Others who came along must be active staff whose area covers every household visited.")
                }
                visitors += found
            }
            return visitors
        }

        /// When, how, why: the visit to write, still without its findings and register changes.
        mutating func checkVisit(households: [HouseholdRef], visitors: [UUID], booking: UUID?) async throws -> Prepared {
            let visitedAt = input.visited_at ?? now
            if visitedAt > now.addingTimeInterval(300) {
                problem("visited_at", "走访时间不能晚于现在", "The visit cannot be in the future")
            } else if visitedAt < now.addingTimeInterval(-366 * 86_400) {
                problem("visited_at", "只能补录一年以内的走访", "Only visits of the last year can be entered")
            }
            let method = VisitMethod(rawValue: input.method ?? "")
            if method == nil {
                problem("method", "请选择走访方式：入户、电话、线上或其他。", "Choose how the visit was made: a home visit, phone, online or other.")
            }
            var kind = VisitKind(rawValue: input.kind ?? VisitKind.routine.rawValue)
            if booking != nil { kind = .booked }
            if kind == nil || (kind == .booked && booking == nil) {
                problem(
                    "kind", "请选择走访类型：日常走访、十必访或回访（预约走访从预约记录）。",
                    "Choose the kind of visit: routine, must-visit or follow-up (a booked visit is recorded from its booking).")
            }
            let category = try await checkCategory(kind: kind)
            let followUpOf = try await checkFollowUp(kind: kind)
            let summary = (input.summary ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if summary.count > 2000 { problem("summary", "走访情况最多 2000 字", "The summary has at most 2,000 characters") }
            let outcome = checkOutcome(summary: summary, booking: booking)
            return Prepared(
                households: households, visitors: visitors, visitedAt: visitedAt,
                localDate: CivilDate(visitedAt, in: .shanghai), method: method ?? .other, kind: kind ?? .routine,
                category: category, followUpOf: followUpOf, bookingID: booking, summary: summary, outcome: outcome)
        }

        /// What came of the visit, and what it may hold for that (`VisitOutcome.problems`): met
        /// needs a summary or a need found; nobody home records no needs and changes nothing. A
        /// booking closes only with a visit that met the resident.
        mutating func checkOutcome(summary: String, booking: UUID?) -> VisitOutcome {
            guard let outcome = VisitOutcome(requested: input.outcome) else {
                problem("outcome", "请选择走访结果：见到了，或无人在家。", "Choose what happened: you met the household, or nobody was home.")
                return .met
            }
            if outcome == .nobodyHome, booking != nil {
                problem(
                    "outcome", "预约走访须在见到居民后记录；无人在家时请改约或取消预约。",
                    "Record a booked visit once you have met the resident; if nobody was home, propose another time or cancel the booking.")
            }
            let content = VisitOutcome.Content(
                hasSummary: !summary.isEmpty, findings: input.findings?.count ?? 0, tagsAdded: input.tags_added?.count ?? 0,
                tagsEnded: input.tags_ended?.count ?? 0, personUpdates: input.person_updates?.count ?? 0)
            problems += outcome.problems(content)
            return outcome
        }

        /// The 十必访 category of a must-visit.
        mutating func checkCategory(kind: VisitKind?) async throws -> String? {
            var category: String?
            if kind == .mustVisit {
                let code = (input.category ?? "").trimmingCharacters(in: .whitespaces)
                if try await MustVisitQueries.category(code: code, on: db) == nil {
                    problem("category", "十必访请选择类别。", "Choose the must-visit category.")
                } else {
                    category = code
                }
            }
            return category
        }

        /// The earlier visit a follow-up names, inside the scope.
        mutating func checkFollowUp(kind: VisitKind?) async throws -> UUID? {
            var followUpOf: UUID?
            if kind == .followUp {
                if let earlier = input.follow_up_of, try await VisitsQueries.isVisible(earlier, in: actor.scope, on: db) {
                    followUpOf = earlier
                } else {
                    problem("follow_up_of", "回访须指明您管辖范围内的原走访记录", "A follow-up names an earlier visit in your scope")
                }
            }
            return followUpOf
        }

        /// Persons named anywhere must be members of the visited households: finds those that are.
        mutating func findMembers(households ids: [UUID]) async throws {
            let personIDs = Set(
                (input.findings ?? []).compactMap(\.person_id) + (input.tags_added ?? []).compactMap(\.person_id)
                    + (input.tags_ended ?? []).compactMap(\.person_id) + (input.person_updates ?? []).compactMap(\.person_id))
            members = try await VisitsQueries.members(Array(personIDs), households: ids, in: actor.scope, on: db)
        }

        /// The member of a visited household `id` names; a problem with `field` when there is none.
        mutating func member(_ id: UUID?, _ field: String) -> RegistryRecords.Target? {
            guard let id, let found = members[id] else {
                problem(field, "请选择所访户的成员", "Choose a member of a visited household")
                return nil
            }
            return found
        }

        /// Findings: each one's need, note and person, and the help request or case it becomes.
        mutating func prepareFindings(into prepared: inout Prepared) async throws {
            let households = prepared.households
            let findings = input.findings ?? []
            if findings.count > maxItems { problem("findings", "诉求最多 \(maxItems) 条", "At most \(maxItems) findings") }
            for (index, finding) in findings.prefix(maxItems).enumerated() {
                let field = "findings[\(index)]"
                guard let need = VisitNeed(rawValue: finding.need ?? "") else {
                    problem("\(field).need", "诉求类别无效", "Unknown need"); continue
                }
                let note = (finding.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                if note.count > 500 { problem("\(field).note", "说明最多 500 字", "The note has at most 500 characters") }
                var person: RegistryRecords.Target?
                if finding.person_id != nil {
                    person = member(finding.person_id, "\(field).person_id")
                } else if finding.help_request == true, let first = households.first {
                    person = try await VisitsQueries.head(of: first.id, in: actor.scope, on: db)
                    if person == nil { problem("\(field).person_id", "请选择求助人", "Choose who asks for help") }
                }
                let household = person?.household.rawValue ?? households.first?.id ?? UUID()
                let caseDraft = try await prepareCase(finding, field: field, need: need, note: note, household: household, in: households)
                prepared.findings.append(
                    PreparedFinding(
                        need: need, note: note, household: household,
                        person: person, helpRequest: finding.help_request == true, caseDraft: caseDraft))
            }
        }

        /// The case a finding becomes when it names a case category (a help request cannot).
        mutating func prepareCase(
            _ finding: VisitInput.Finding, field: String, need: VisitNeed, note: String, household: UUID,
            in households: [HouseholdRef]
        ) async throws -> CasesService.Prepared? {
            var caseDraft: CasesService.Prepared?
            if let code = finding.case_category?.trimmingCharacters(in: .whitespaces), !code.isEmpty {
                if finding.help_request == true {
                    problem("\(field).case_category", "同一诉求不能既作求助又作案件", "A finding becomes a help request or a case, not both")
                } else if let place = households.first(where: { $0.id == household }) {
                    caseDraft = try await CasesService.visitFinding(
                        category: code, field: "\(field).case_category",
                        text: note.isEmpty ? "走访发现：\(need.name.zh)" : note,
                        household: place.id, node: place.node, subdistrict: place.subdistrict,
                        actor: actor, now: now, on: db, problem: { problem($0, $1, $2) })
                }
            }
            return caseDraft
        }

        /// Tags to add: a tag the role may see, once per person.
        mutating func checkTagsAdded(into prepared: inout Prepared) async throws {
            let added = input.tags_added ?? []
            if added.count > maxItems { problem("tags_added", "一次最多新增 \(maxItems) 个标签", "At most \(maxItems) tags added at once") }
            for (index, item) in added.prefix(maxItems).enumerated() {
                let person = member(item.person_id, "tags_added[\(index)].person_id")
                let code = (item.code ?? "").trimmingCharacters(in: .whitespaces)
                guard let tagID = try await RegistryRecords.visibleTagID(code: code, role: actor.role, on: db) else {
                    problem("tags_added[\(index)].code", "未知标签", "Unknown tag"); continue
                }
                if let person {
                    if prepared.tagsAdded.contains(where: { $0.target.person == person.person && $0.tagID == tagID }) {
                        problem("tags_added[\(index)].code", "同一标签重复", "The same tag twice"); continue
                    }
                    prepared.tagsAdded.append((person, tagID, code))
                }
            }
        }

        /// Tags to end: a current assignment of the person that the role may see.
        mutating func checkTagsEnded(into prepared: inout Prepared) async throws {
            let ended = input.tags_ended ?? []
            if ended.count > maxItems { problem("tags_ended", "一次最多结束 \(maxItems) 个标签", "At most \(maxItems) tags ended at once") }
            for (index, item) in ended.prefix(maxItems).enumerated() {
                guard let person = member(item.person_id, "tags_ended[\(index)].person_id") else { continue }
                guard let assignment = item.assignment_id,
                    try await VisitsQueries.currentAssignment(
                        assignment, person: person.person.rawValue, role: actor.role,
                        today: prepared.localDate, on: db)
                else {
                    problem("tags_ended[\(index)].assignment_id", "该居民没有这条当前标签", "No such current tag on this person"); continue
                }
                prepared.tagsEnded.append((person, assignment))
            }
        }

        /// Person updates: a residence status and a mobile number that parse (the number sealed).
        mutating func checkPersonUpdates(into prepared: inout Prepared, vault: PIIVault) throws {
            let updates = input.person_updates ?? []
            if updates.count > maxItems { problem("person_updates", "一次最多更新 \(maxItems) 人", "At most \(maxItems) persons updated at once") }
            for (index, item) in updates.prefix(maxItems).enumerated() {
                guard let person = member(item.person_id, "person_updates[\(index)].person_id") else { continue }
                var update = RegistryRecords.DetailsUpdate()
                if let raw = item.residence_status, !raw.isEmpty {
                    update.residence = ResidenceStatus(rawValue: raw) ?? ResidenceStatus.allCases.first { $0.nameZH == raw }
                    if update.residence == nil {
                        problem(
                            "person_updates[\(index)].residence_status", "请选择居住状态：户籍、常住、流动或人户分离。",
                            "Choose the residence status: registered, resident, floating or separated.")
                    }
                }
                if let raw = item.phone, !raw.isEmpty {
                    do {
                        let phone = try MobileNumber(parsing: raw)
                        update.phone = try vault.seal(phone.normalized, masked: phone.masked, kind: .phone)
                    } catch let error as MobileNumber.Error {
                        problem("person_updates[\(index)].phone", error.messageZH, error.messageEN)
                    }
                }
                if update.residence != nil || update.phone != nil { prepared.updates.append((person, update)) }
            }
        }
    }

    /// Writes a prepared visit; must run inside `db.write`.
    package static func write(_ p: Prepared, by writer: WriteContext, on db: any Database) async throws {
        guard let first = p.households.first else { throw AppError.validation("households", zh: "请选择所访户", en: "Choose a household") }
        let date = p.localDate.iso8601
        try await VisitsQueries.insertVisit(p, main: first, writer: writer, on: db)
        // An attempt nobody answered is kept (visits, households, who went) but moves no figure.
        if p.outcome.countsAsVisit {
            try await VisitsQueries.recountDayTallies(accounts: p.visitors, date: date, on: db)
            try await VisitsQueries.addMonthCounts(visit: p.id, on: db)
        }
        for finding in p.findings {
            var followUp: UUID?
            if finding.helpRequest, let person = finding.person {
                let text = finding.note.isEmpty ? "走访发现：\(finding.need.name.zh)" : finding.note
                followUp = try await RegistryRecords.insertHelpRequest(
                    person, category: finding.need.helpCategory, description: text,
                    requestedOn: p.localDate, by: writer, on: db)
            }
            var followUpKind = followUp == nil ? nil : "help_request"
            if let draft = finding.caseDraft {
                followUp = try await CasesService.insert(draft, on: db).id.rawValue
                followUpKind = "case"
            }
            try await VisitsQueries.insertFinding(finding, visit: p.id, followUpKind: followUpKind, followUp: followUp, writer: writer, on: db)
        }
        var changes: [VisitsQueries.RegisterChange] = []
        func change(_ person: PersonID, _ kind: String, assignment: UUID? = nil, code: String? = nil, field: String? = nil, value: String? = nil) {
            changes.append(
                VisitsQueries.RegisterChange(person: person.rawValue, kind: kind, assignment: assignment, code: code, field: field, value: value))
        }
        for added in p.tagsAdded {
            let assignment = try await RegistryRecords.insertTag(
                added.target, tagID: added.tagID, code: added.code, start: p.localDate,
                source: "visit", today: p.localDate, by: writer, on: db)
            change(added.target.person, "tag_added", assignment: assignment, code: added.code)
        }
        for ended in p.tagsEnded {
            let code = try await RegistryRecords.endTagAssignment(ended.target, assignment: ended.assignment, end: p.localDate, by: writer, on: db)
            change(ended.target.person, "tag_ended", assignment: ended.assignment, code: code)
        }
        for item in p.updates {
            try await RegistryRecords.updateDetails(item.target, item.update, by: writer, on: db)
            if let residence = item.update.residence {
                change(item.target.person, "person_updated", field: "residence_status", value: residence.rawValue)
            }
            // Only the masked form: the change log is no place for a plain number.
            if let phone = item.update.phone { change(item.target.person, "person_updated", field: "phone", value: phone.masked) }
        }
        if !changes.isEmpty {
            try await VisitsQueries.insertRegisterChanges(changes, visit: p.id, writer: writer, on: db)
        }
        try await AuditLog.append(
            AuditEntry(
                action: "visit.recorded", actorID: writer.actor.accountID, actorName: writer.actor.username,
                targetType: "visit", targetID: p.id.uuidString,
                detail: [
                    "households": String(p.households.count), "kind": p.kind.rawValue, "method": p.method.rawValue,
                    "outcome": p.outcome.rawValue,
                    "findings": String(p.findings.count), "changes": String(changes.count)
                ],
                clientAddress: writer.address), at: writer.now, on: db)
    }

    /// Checks and records a visit in one transaction; returns its id.
    static func record(_ input: VisitInput, writer: WriteContext, vault: PIIVault, on db: any Database) async throws -> UUID {
        let prepared = try await prepare(input, actor: writer.actor, now: writer.now, vault: vault, on: db)
        try await db.write { db in try await write(prepared, by: writer, on: db) }
        return prepared.id
    }
}
