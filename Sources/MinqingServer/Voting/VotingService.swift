import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Writes of owners' ballots: set-up, opening with the electorate snapshot, casting (online,
/// proxy, paper), closing with the tally and the published decision. Every write is one
/// transaction with its audit entry; the rules that settle races are database constraints and
/// conditional UPDATEs.
package enum VotingService {
    static let notFound = AppError.notFound("表决不存在或不在您的范围内", "No such ballot in your scope")
    static let alreadyVoted = AppError(.conflict, code: "already_voted", zh: "该业主已经投过票，不能重复投票", en: "This owner has already voted")
    static let notOpen = AppError(
        .conflict, code: "ballot_not_open", zh: "表决未开始或已经结束，不能投票", en: "The ballot is not open; no vote can be cast or changed")
    static let notElector = AppError(
        .forbidden, code: "not_elector", zh: "您的账号未绑定本次表决范围内的业主", en: "Your account is not bound to an owner in this ballot's electorate")

    static func audit(
        _ action: String, target: UUID, type: String = "owners_ballot", detail: [String: String] = [:],
        by writer: WriteContext, on db: any Database
    ) async throws {
        try await AuditLog.append(
            AuditEntry(
                action: action, actorID: writer.actor.accountID, actorName: writer.actor.username,
                targetType: type, targetID: target.uuidString, detail: detail, clientAddress: writer.address),
            at: writer.now, on: db)
    }

    /// `FOR SHARE` on PostgreSQL (casts run side by side, a close waits for them); nothing on
    /// SQLite, whose write transactions are serial already.
    static func share(_ db: any Database) -> String { db.dialectName == "postgresql" ? "FOR SHARE" : "" }
    static func update(_ db: any Database) -> String { db.dialectName == "postgresql" ? "FOR UPDATE" : "" }

    // MARK: set-up

    package static func create(_ input: NewBallotInput, writer: WriteContext, on db: any Database) async throws -> BallotID {
        guard VotingQueries.organisers.contains(writer.actor.role) else { throw AppError.forbidden }
        var errors: [FieldError] = []
        let title = (input.title ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty || title.count > 200 {
            errors.append(
                FieldError(field: "title", messageZH: "标题不能为空，且不超过 200 字", messageEN: "The title must not be empty or longer than 200 characters."))
        }
        let description = (input.description ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if description.count > 5000 {
            errors.append(FieldError(field: "description", messageZH: "说明不超过 5000 字", messageEN: "The description has at most 5000 characters."))
        }
        let rule = input.rule_code.flatMap(OwnersVoteRuleSet.named)
        if rule == nil {
            errors.append(
                FieldError(
                    field: "rule_code", messageZH: "请选择表决事项（民法典第二百七十八条或地方规则）",
                    messageEN: "Choose the matter (Civil Code art. 278 or a local rule set)."))
        }
        if input.closes_at.map({ $0 <= writer.now }) ?? true {
            errors.append(FieldError(field: "closes_at", messageZH: "截止时间应晚于现在", messageEN: "The closing time must be in the future."))
        }
        let stairwell = input.stairwell?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if stairwell != nil, input.building_id == nil {
            errors.append(FieldError(field: "building_id", messageZH: "按单元表决须指定楼栋", messageEN: "A stairwell ballot needs its building."))
        }
        guard let compoundID = input.compound_id else {
            errors.append(FieldError(field: "compound_id", messageZH: "请选择小区", messageEN: "Choose the compound."))
            throw AppError.validation(errors)
        }
        if !errors.isEmpty { throw AppError.validation(errors) }
        guard let rule, let closesAt = input.closes_at else { throw AppError.validation(errors) }

        let compound = try await VotingQueries.compoundPlace(compoundID, for: writer.actor, on: db)
        guard let compound else {
            throw AppError.validation("compound_id", zh: "小区不存在或不在您的管辖范围内", en: "No such compound in your scope")
        }
        var node = compound.grid_node_id
        var kind = OwnersBallotScope.compound
        if let buildingID = input.building_id {
            let building = try await VotingQueries.buildingPlace(buildingID, compound: compoundID, on: db)
            guard let building else {
                throw AppError.validation("building_id", zh: "楼栋不属于该小区", en: "The building is not in this compound")
            }
            node = building.grid_node_id
            kind = .building
            if let stairwell {
                let n = try await VotingQueries.stairwellDwellings(building: buildingID, stairwell: stairwell, on: db)
                guard n > 0 else { throw AppError.validation("stairwell", zh: "该楼栋没有这个单元", en: "The building has no such stairwell") }
                kind = .stairwell
            }
        }
        let ruleJSON = String(decoding: try JSONEncoder().encode(rule), as: UTF8.self)
        let id = BallotID()
        let (ballotNode, ballotKind) = (node, kind)
        try await db.write { db in
            try await VotingQueries.insertBallot(
                id: id, subdistrict: compound.subdistrict_id, compound: compoundID, building: input.building_id,
                stairwell: stairwell, scopeKind: ballotKind, node: ballotNode, title: title,
                description: description, ruleCode: rule.code, ruleJSON: ruleJSON,
                resultsLive: input.results_live ?? false, closesAt: closesAt, writer: writer, on: db)
            try await audit("ballot.created", target: id.rawValue, detail: ["rule": rule.code, "scope": ballotKind.rawValue], by: writer, on: db)
        }
        return id
    }

    // MARK: opening

    /// Opens a draft: takes the electorate snapshot of the scope's dwellings and owners, writes
    /// it and the totals, and marks the ballot open, all in one transaction.
    package static func open(_ id: BallotID, writer: WriteContext, on db: any Database) async throws {
        guard VotingQueries.organisers.contains(writer.actor.role) else { throw AppError.forbidden }
        try await db.write { db in
            guard let ballot = try await VotingQueries.ballotForOpening(id, for: writer.actor, on: db) else { throw notFound }
            guard ballot.status == .draft else {
                throw AppError.conflict("表决已经开始或已经结束", "The ballot has already been opened")
            }
            guard ballot.closes_at > writer.now else {
                throw AppError.validation("closes_at", zh: "截止时间已过，无法开始表决", en: "The closing time has passed")
            }
            let electorate = try await snapshot(compound: ballot.compound_id, building: ballot.building_id, stairwell: ballot.stairwell, on: db)
            try await writeElectorate(electorate.electorate, names: electorate.names, ballot: id, on: db)
            guard
                try await VotingQueries.markOpen(
                    id, totalAreaCM2: electorate.electorate.totalAreaCM2, totalHeads: electorate.electorate.totalHeads,
                    writer: writer, on: db)
            else {
                throw AppError.conflict("表决已经开始或已经结束", "The ballot has already been opened")
            }
            try await audit(
                "ballot.opened", target: id.rawValue,
                detail: ["electors": "\(electorate.electorate.totalHeads)", "area_cm2": "\(electorate.electorate.totalAreaCM2)"],
                by: writer, on: db)
            try await Notifications.ballotOpened(id, title: ballot.title, writer: writer, on: db)
        }
    }

    /// The register's dwellings in a scope, through the domain's snapshot rules; owner names
    /// by owner id for the electors' labels.
    package static func snapshot(compound: UUID, building: UUID?, stairwell: String?, on db: any Database) async throws
        -> (electorate: OwnersElectorate, names: [UUID: String])
    {
        let rows = try await VotingQueries.snapshotRows(compound: compound, building: building, stairwell: stairwell, on: db)
        var order: [UUID] = []
        var first: [UUID: VotingQueries.SnapshotRow] = [:]
        var owners: [UUID: [ElectorateDwelling.Owner]] = [:]
        var names: [UUID: String] = [:]
        for row in rows {
            if first[row.id] == nil { first[row.id] = row; order.append(row.id) }
            if let owner = row.owner_id {
                owners[row.id, default: []].append(.init(id: owner, kind: row.kind ?? .person))
                names[owner] = row.name ?? ""
            }
        }
        let dwellings = order.compactMap { id -> ElectorateDwelling? in
            guard let r = first[id] else { return nil }
            return ElectorateDwelling(
                id: id, areaRegisterCM2: r.area_register_cm2, areaSurveyedCM2: r.area_surveyed_cm2,
                areaContractCM2: r.area_contract_cm2, developerHeld: r.developer_held, unsold: r.unsold,
                undelivered: r.undelivered, owners: owners[id] ?? [])
        }
        do {
            return (try OwnersElectorate(dwellings: dwellings), names)
        } catch {
            throw AppError.validation([error.fieldError])
        }
    }

    /// Writes the ballot's electorate snapshot (`VotingQueries.writeElectorate`).
    package static func writeElectorate(_ electorate: OwnersElectorate, names: [UUID: String], ballot: BallotID, on db: any Database) async throws {
        try await VotingQueries.writeElectorate(electorate, names: names, ballot: ballot, on: db)
    }

    // MARK: closing

    /// Closes an open ballot once its time is up (or everyone has voted): one conditional
    /// UPDATE, then the tally from the raw votes, stored with the publication date and the
    /// appeal deadline, in the same transaction.
    static func close(_ id: BallotID, writer: WriteContext, calendar: WorkingCalendar, on db: any Database) async throws -> OwnersVoteTally {
        guard VotingQueries.organisers.contains(writer.actor.role) else { throw AppError.forbidden }
        return try await db.write { db in
            guard let ballot = try await VotingQueries.ballotForClosing(id, for: writer.actor, on: db) else { throw notFound }
            guard ballot.status == .open else {
                throw AppError.conflict("只有投票中的表决可以结束", "Only an open ballot can be closed")
            }
            let turnout = try await VotingQueries.turnout(ballot: id, on: db)
            guard ballot.closes_at <= writer.now || turnout.voted_heads >= turnout.total_heads else {
                throw AppError(
                    .conflict, code: "not_yet", zh: "截止时间未到，且仍有业主未投票，不能提前结束",
                    en: "The closing time has not come and some owners have not voted yet")
            }
            let rule = try JSONDecoder().decode(OwnersVoteRuleSet.self, from: Data(ballot.rule_json.utf8))
            let tally = try await VotingQueries.tally(ballot: id, rule: rule, on: db)
            let published = CivilDate(writer.now, in: .shanghai)
            let deadline = try OwnersDecisionDeadlines.appealDeadline(publishedOn: published, calendar: calendar)
            let json = String(decoding: try JSONEncoder().encode(tally), as: UTF8.self)
            guard
                try await VotingQueries.markClosed(
                    id, outcome: tally.outcome, tallyJSON: json, publishedOn: published,
                    appealDeadline: deadline, writer: writer, on: db)
            else {
                throw AppError.conflict("只有投票中的表决可以结束", "Only an open ballot can be closed")
            }
            try await audit(
                "ballot.closed", target: id.rawValue,
                detail: [
                    "outcome": tally.outcome.rawValue,
                    "participating_heads": "\(tally.participating.heads)",
                    "agree_heads": "\(tally.agree.heads)"
                ], by: writer, on: db)
            try await Notifications.ballotClosed(id, title: ballot.title, outcome: tally.outcome, writer: writer, on: db)
            return tally
        }
    }

    // MARK: owner accounts

    /// Binds a resident account to an owner record with a dwelling in the caller's scope, noting
    /// the proof staff checked (audited with it).
    static func linkOwner(username: String, owner: OwnerID?, proof: String?, writer: WriteContext, on db: any Database) async throws {
        guard writer.actor.role.isGridStaff else { throw AppError.forbidden }
        var errors: [FieldError] = []
        if username.isEmpty {
            errors.append(FieldError(field: "username", messageZH: "请填写居民的登录账号", messageEN: "Give the resident's username."))
        }
        if owner == nil { errors.append(FieldError(field: "owner_id", messageZH: "请选择业主", messageEN: "Choose the owner.")) }
        let proof = (proof ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if proof.isEmpty || proof.count > 300 {
            errors.append(
                FieldError(
                    field: "proof", messageZH: "请写明核验的凭证（如房产证、购房合同、本人到场或授权委托书），不超过 300 字",
                    messageEN:
                        "State the proof checked (property certificate, purchase contract, owner present, or authorisation), at most 300 characters."
                ))
        }
        guard errors.isEmpty, let owner else { throw AppError.validation(errors) }
        guard let account = try await VotingQueries.account(username: username, for: writer.actor, on: db) else {
            throw AppError.notFound("账号不存在或不在您的管辖范围内", "No such account in your scope")
        }
        // An owner votes online through their own resident account only: a staff, committee or
        // company account bound to an owner would cast the owner's vote.
        guard account.role == .resident, !account.disabled, account.id != writer.actor.accountID else {
            throw AppError.validation("username", zh: "只能绑定业主本人的居民账号", en: "Only the owner's own resident account can be bound.")
        }
        guard try await VotingQueries.ownerInScope(owner, for: writer.actor, on: db) else {
            throw AppError.validation("owner_id", zh: "业主不存在或其房屋不在您的管辖范围内", en: "No such owner with a dwelling in your scope.")
        }
        do {
            try await db.write { db in
                try await VotingQueries.insertOwnerAccount(account: account.id, owner: owner, proof: proof, writer: writer, on: db)
                try await audit(
                    "owner_account.linked", target: owner.rawValue, type: "owner", detail: ["account": account.id.uuidString, "proof": proof],
                    by: writer, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Already bound: nothing to do.
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
