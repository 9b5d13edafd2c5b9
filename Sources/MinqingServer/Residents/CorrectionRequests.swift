import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Correction requests (更正申请, PIPL art. 46): a resident says what in their household's record
/// is wrong and what it should be; grid staff whose scope holds the household handle it in a
/// queue (done, with what they changed, or refused with the reason), and the resident sees the
/// answer on their data page. A corrected mobile number is sealed by the vault like every other.
enum CorrectionRequests {
    /// What a request may be about.
    enum Field: String, CaseIterable, Codable, Sendable {
        case name, sex, birthDate = "birth_date", idNumber = "id_number", phone, relation, residence, address, other

        var nameZH: String {
            switch self {
            case .name: "姓名"
            case .sex: "性别"
            case .birthDate: "出生日期"
            case .idNumber: "身份证号码"
            case .phone: "手机号码"
            case .relation: "与户主关系"
            case .residence: "居住状态"
            case .address: "地址"
            case .other: "其他"
            }
        }

        var nameEN: String {
            switch self {
            case .name: "Name"
            case .sex: "Sex"
            case .birthDate: "Date of birth"
            case .idNumber: "ID number"
            case .phone: "Mobile number"
            case .relation: "Relation to the head"
            case .residence: "Residence"
            case .address: "Address"
            case .other: "Other"
            }
        }

        /// Numbers the request carries sealed, shown masked.
        var isPersonalNumber: Bool { self == .idNumber || self == .phone }
    }

    enum Status: String, Codable, Sendable, CaseIterable {
        case open, done, refused

        func name(_ lang: Lang) -> String {
            switch self {
            case .open: T("待处理", "Open")(lang)
            case .done: T("已更正", "Corrected")(lang)
            case .refused: T("未更正", "Not corrected")(lang)
            }
        }
    }

    struct Input: Content, Sendable { var person_id: UUID?; var field: String?; var requested: String?; var note: String? }

    /// A request as its resident sees it.
    struct Mine: Content, Equatable {
        var id: UUID; var subject: String; var field: String; var requested: String; var status: Status; var reply: String?; var created_at: Date
    }

    /// A request as staff see it in the queue.
    struct Row: Content, Equatable {
        var id: UUID; var household_id: HouseholdID; var address: String; var grid_code: String; var person_id: PersonID?; var person_name: String?
        var field: Field; var requested: String; var note: String; var status: Status; var reply: String?
        var submitted_by: String; var created_at: Date; var handled_by: String?
    }

    /// A resident asks for a correction of their household's record (one person in it, or the
    /// household itself). Audited.
    static func submit(_ input: Input, actor: Actor, vault: PIIVault, now: Date, address: String, on db: any Database) async throws -> UUID {
        guard actor.role == .resident else { throw AppError.forbidden }
        guard let home = try await PersonalDataQueries.home(of: actor.accountID, on: db) else {
            throw AppError.conflict("您的账号还没有关联到户，请先到居委会办理关联", "Your account is not linked to a household yet; ask your residents' committee")
        }
        var problems: [FieldError] = []
        let field = Field(rawValue: input.field ?? "")
        if field == nil { problems.append(FieldError(field: "field", messageZH: "请选择要更正的内容", messageEN: "Choose what is wrong")) }
        let requested = (input.requested ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !(1...200).contains(requested.count) {
            problems.append(
                FieldError(field: "requested", messageZH: "请写明正确的内容（1–200 字）", messageEN: "Write what it should be (1 to 200 characters)"))
        }
        let note = (input.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if note.count > 500 { problems.append(FieldError(field: "note", messageZH: "说明最多 500 字", messageEN: "The note has at most 500 characters")) }
        let person = input.person_id.map { PersonID($0) }
        if let person {
            let n = try await PersonalDataQueries.memberCount(person: person, household: home.household_id, on: db)
            if n == 0 { problems.append(FieldError(field: "person_id", messageZH: "请选择您户内的成员", messageEN: "Choose a member of your household")) }
        }
        var shown = requested
        var sealed: SealedPII?
        if let field, field.isPersonalNumber, problems.isEmpty {
            do {
                if field == .idNumber {
                    let id = try ResidentIDNumber(parsing: requested)
                    sealed = try vault.seal(id.normalized, masked: id.masked, kind: .idNumber)
                } else {
                    let phone = try MobileNumber(parsing: requested)
                    sealed = try vault.seal(phone.normalized, masked: phone.masked, kind: .phone)
                }
                shown = sealed!.masked
            } catch let error as any FieldErrorConvertible {
                let e = error.fieldError
                problems.append(FieldError(field: "requested", messageZH: e.messageZH, messageEN: e.messageEN))
            }
        }
        guard problems.isEmpty, let field else { throw AppError.validation(problems) }
        let id = UUID()
        let (value, cipher) = (shown, sealed?.ciphertext)
        try await db.write { db in
            try await PersonalDataQueries.insertCorrection(
                id, home: home, person: person, account: actor.accountID, field: field.rawValue,
                requested: value, cipher: cipher, note: note, now: now, on: db)
            try await AuditLog.append(
                AuditEntry(
                    action: "correction.requested", actorID: actor.accountID, actorName: actor.username,
                    targetType: "household", targetID: home.household_id.uuidString, detail: ["field": field.rawValue],
                    clientAddress: address), at: now, on: db)
        }
        return id
    }

    static func mine(_ actor: Actor, on db: any Database) async throws -> [Mine] {
        try await PersonalDataQueries.corrections(of: actor.accountID, on: db).map {
            Mine(
                id: $0.id, subject: $0.person_name ?? "户", field: $0.field.nameZH, requested: $0.requested,
                status: $0.status, reply: $0.reply, created_at: $0.created_at)
        }
    }

    /// The requests of households in the caller's scope, open ones first (grid staff).
    static func queue(for actor: Actor, status: Status?, on db: any Database) async throws -> [Row] {
        guard actor.role.readsRegister else { throw AppError.forbidden }
        return try await PersonalDataQueries.correctionQueue(for: actor, status: status, on: db)
    }

    struct Answer: Content, Sendable { var status: String?; var reply: String? }

    /// Staff close a request: done (saying what they changed) or refused (saying why). Once.
    static func answer(_ id: UUID, _ input: Answer, writer: WriteContext, on db: any Database) async throws {
        guard writer.actor.role.readsRegister else { throw AppError.forbidden }
        var problems: [FieldError] = []
        let status = Status(rawValue: input.status ?? "")
        if status == nil || status == .open {
            problems.append(FieldError(field: "status", messageZH: "请选择“已更正”或“不予更正”", messageEN: "Choose done or refused"))
        }
        let reply = (input.reply ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !(2...500).contains(reply.count) {
            problems.append(
                FieldError(
                    field: "reply", messageZH: "请写明答复（2–500 字）：改了什么，或为什么不改",
                    messageEN: "Write the reply (2 to 500 characters): what was changed, or why not"))
        }
        guard problems.isEmpty, let status else { throw AppError.validation(problems) }
        try await db.write { db in
            guard try await PersonalDataQueries.answerCorrection(id, status: status, reply: reply, by: writer, on: db) else {
                throw AppError.notFound("更正申请不存在、已处理或不在您的管辖范围内", "No such open request in your scope")
            }
            try await AuditLog.append(
                AuditEntry(
                    action: "correction.answered", actorID: writer.actor.accountID, actorName: writer.actor.username,
                    targetType: "correction_request", targetID: id.uuidString, detail: ["status": status.rawValue],
                    clientAddress: writer.address), at: writer.now, on: db)
        }
    }
}

/// Correction requests (PIPL art. 46) and the access log of sensitive reads.
struct CreateCorrectionRequests: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("correction_requests")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("household_id", .uuid, .required, .references("households", .id))
            .field("person_id", .uuid, .references("persons", .id))
            .field("account_id", .uuid, .required, .references(Account.schema, .id))
            .field("field", .string, .required)
            // The correct value as the resident wrote it; a number only masked, with its cipher.
            .field("requested", .string, .required)
            .field("requested_cipher", .string)
            .field("note", .string, .required)
            .field("status", .string, .required)
            .field("reply", .string)
            .field("handled_by", .string)
            .field("handled_at", .datetime)
            .field("created_at", .datetime, .required)
            .create()
        let sql = database.sql
        try await sql.create(index: "correction_requests_node").on("correction_requests").column("grid_node_id").column("status").run()
        try await sql.create(index: "correction_requests_account").on("correction_requests").column("account_id").run()
        try await database.schema("access_log")
            .id()
            .field("at", .datetime, .required)
            .field("account_id", .uuid, .required)
            .field("username", .string, .required)
            .field("role", .string, .required)
            // `sensitive_tags` or `aid`.
            .field("kind", .string, .required)
            .field("subject_type", .string, .required)
            .field("subject_id", .string, .required)
            .field("route", .string, .required)
            .create()
        try await sql.create(index: "access_log_at").on("access_log").column("at").run()
        try await sql.create(index: "access_log_subject").on("access_log").column("subject_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("access_log").delete()
        try await database.schema("correction_requests").delete()
    }
}
