import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Volunteer teams as records (志愿服务队: 平安巡逻、清洁家园、交通文明、垃圾分类、医护康养 …): a
/// team has a kind, the grid node it serves and a leader; membership says who (an account),
/// which team, what role, joined and left (a person is in a team at most once at a time: a
/// partial UNIQUE index over the rows not yet left). Staff keep them inside their scope.
///
/// 双报到 (in-service party members registering with their home community) is not here: it lives
/// with the organisations (`Sources/MinqingServer/Organisations/`, issue 10).
enum TeamService {
    static let notFound = AppError.notFound("志愿队不存在或不在您的范围内", "No such team in your reach")
    static let alreadyMember = AppError(.conflict, code: "already_member", zh: "此人已在该志愿队。", en: "This person is already in the team.")
    static let notMember = AppError(.conflict, code: "not_member", zh: "此人不在该志愿队（或已退出）。", en: "This person is not (or no longer) in the team.")

    struct Input: Content, Sendable { var name: String?; var kind: String?; var node: String?; var leader: String? }
    struct MemberInput: Content, Sendable { var username: String?; var role: String?; var joined_on: String? }
    struct Row: Content, Sendable, Equatable {
        var id: UUID; var name: String; var kind: String; var grid_code: String; var leader: String?; var members: Int
    }
    struct Member: Content, Sendable, Equatable {
        var username: String; var display_name: String; var role: String; var joined_on: String; var left_on: String?
    }
    struct Detail: Content, Sendable, Equatable { var team: Row; var members: [Member] }

    static let roles = ["leader", "member"]

    static func list(for actor: Actor, on db: any Database) async throws -> [Row] {
        try await ServicesQueries.teams(for: actor, on: db)
    }

    static func detail(_ team: UUID, for actor: Actor, on db: any Database) async throws -> Detail {
        guard let row = try await ServicesQueries.team(team, for: actor, on: db) else { throw notFound }
        let members = try await ServicesQueries.teamMembers(team, on: db)
        return Detail(team: row, members: members)
    }

    /// An account inside the staff's scope, by username.
    static func account(_ username: String?, field: String, in actor: Actor, on db: any Database) async throws -> UUID {
        guard let found = try await ServicesQueries.scopedAccountID(username: username ?? "", in: actor, on: db) else {
            throw AppError.validation(field, zh: "账号不存在或不在您的管辖范围内", en: "No such account in your scope")
        }
        return found
    }

    static func create(_ input: Input, writer: WriteContext, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        guard actor.role.isGridStaff else { throw AppError.forbidden }
        var problems: [FieldError] = []
        let name = (input.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.count > 60 {
            problems.append(FieldError(field: "name", messageZH: "请填写队名（最多 60 字）", messageEN: "Enter the team's name (at most 60 characters)"))
        }
        let kind = (input.kind ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if kind.isEmpty || kind.count > 40 {
            problems.append(FieldError(field: "kind", messageZH: "请填写服务类别（最多 40 字）", messageEN: "Enter the kind of service (at most 40 characters)"))
        }
        let node = try await GridQueries.nodeNamed(input.node, in: actor.scope, problems: &problems, on: db)
        var leader: UUID?
        if let username = input.leader, !username.isEmpty {
            do { leader = try await account(username, field: "leader", in: actor, on: db) } catch let e as AppError { problems += e.fields }
        }
        guard problems.isEmpty, let node else { throw AppError.validation(problems) }
        let id = UUID()
        let today = CivilDate(writer.now, in: .shanghai).iso8601
        let leaderID = leader
        do {
            try await db.write { db in
                try await ServicesQueries.insertTeam(id, node: node, name: name, kind: kind, leader: leaderID, writer: writer, on: db)
                if let leader = leaderID {
                    try await ServicesQueries.insertTeamLeader(team: id, account: leader, joinedOn: today, writer: writer, on: db)
                }
                try await ServicesService.audit("volunteer_team.created", target: id, by: writer, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw AppError.validation("name", zh: "该网格已有同名志愿队", en: "A team of that name already serves this grid node")
        }
        return id
    }

    /// Adds a member (joined today unless a date is given); a current member is 409.
    static func addMember(_ team: UUID, _ input: MemberInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        guard actor.role.isGridStaff else { throw AppError.forbidden }
        _ = try await detail(team, for: actor, on: db)
        let role = input.role ?? "member"
        guard roles.contains(role) else { throw AppError.validation("role", zh: "角色须为队长或队员", en: "The role must be leader or member") }
        var joined = CivilDate(writer.now, in: .shanghai)
        if let text = input.joined_on, !text.isEmpty {
            guard let date = try? CivilDate(parsing: text), date <= joined else {
                throw AppError.validation("joined_on", zh: "加入日期须为今天或以前（YYYY-MM-DD）", en: "The joining date must be today or earlier (YYYY-MM-DD)")
            }
            joined = date
        }
        let person = try await account(input.username, field: "username", in: actor, on: db)
        let id = UUID()
        let joinedOn = joined.iso8601
        do {
            try await db.write { db in
                try await ServicesQueries.insertTeamMember(id, team: team, account: person, role: role, joinedOn: joinedOn, writer: writer, on: db)
                if role == "leader" {
                    try await ServicesQueries.setTeamLeader(team, account: person, on: db)
                }
                try await ServicesService.audit("volunteer_team.member_added", target: team, by: writer, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw alreadyMember
        }
        return id
    }

    /// A member leaves today: one conditional UPDATE of the current membership; none is 409.
    static func leave(_ team: UUID, username: String, writer: WriteContext, on db: any Database) async throws {
        let actor = writer.actor
        guard actor.role.isGridStaff else { throw AppError.forbidden }
        _ = try await detail(team, for: actor, on: db)
        let person = try await account(username, field: "username", in: actor, on: db)
        try await db.write { db in
            let changed = try await ServicesQueries.endTeamMembership(
                team, account: person, leftOn: CivilDate(writer.now, in: .shanghai).iso8601, on: db)
            guard !changed.isEmpty else { throw notMember }
            try await ServicesQueries.clearTeamLeader(team, account: person, on: db)
            try await ServicesService.audit("volunteer_team.member_left", target: team, by: writer, on: db)
        }
    }
}
