import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The register writes on a person as steps inside a caller's write transaction (`db.write`):
/// the register's own handlers run one step in a transaction of its own, a visit runs several in
/// one (so the visit and the changes it made commit together or not at all). Each step appends
/// its own audit entry. The caller has checked the person is inside the actor's scope (`target`).
extension RegistryRecords {
    /// The id of the tag with `code` if the role may see it (sensitive tags are unknown otherwise).
    static func visibleTagID(code: String, role: Role, on db: any Database) async throws -> UUID? {
        try await RegistryQueries.visibleTagID(code: code, role: role, on: db)
    }

    /// A tag as a person typed or chose it: its code, or its Chinese or English name (独居老人).
    enum TagChoice: Sendable, Equatable {
        /// The tag, which the role may see.
        case tag(id: UUID, code: String)
        /// A name several visible tags share: choose from the list, or give the code.
        case ambiguous
        /// No tag the role may see goes by this.
        case unknown
    }

    /// The tag `text` names, as the role sees the catalogue (`TagNames`): a code first (one short
    /// query), then the names. A sensitive tag is unknown to a role that may not see it, by name
    /// as by code.
    static func visibleTag(named text: String, role: Role, on db: any Database) async throws -> TagChoice {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return .unknown }
        if let id = try await RegistryQueries.visibleTagID(code: text, role: role, on: db) { return .tag(id: id, code: text) }
        switch try await RegistryQueries.tagNames(role: role, on: db).resolve(text) {
        case .code(let code):
            guard let id = try await RegistryQueries.visibleTagID(code: code, role: role, on: db) else { return .unknown }
            return .tag(id: id, code: code)
        case .ambiguous: return .ambiguous
        case .unknown: return .unknown
        }
    }

    /// Gives the tag from `start`; refuses (409) a second current assignment of the same tag.
    static func insertTag(
        _ target: Target, tagID: UUID, code: String, start: CivilDate, source: String, today: CivilDate,
        by writer: WriteContext, on db: any Database
    ) async throws -> UUID {
        let current = try await RegistryQueries.currentAssignments(person: target.person, tag: tagID, today: today, on: db)
        guard current == 0 else { throw AppError.conflict("该居民已有此标签", "The person already has this tag") }
        let id = UUID()
        try await RegistryQueries.insertTagAssignment(id, target: target, tagID: tagID, start: start, source: source, by: writer, on: db)
        try await AuditLog.append(
            AuditEntry(
                action: "tag.assigned", actorID: writer.actor.accountID, actorName: writer.actor.username,
                targetType: "person", targetID: target.person.uuidString,
                detail: ["tag": code, "assignment": id.uuidString], clientAddress: writer.address),
            at: writer.now, on: db)
        return id
    }

    /// Ends a current assignment of the person on `end` (history stays); 404 for an assignment
    /// that is not theirs or whose tag the role may not see, 409 if it has ended already.
    /// Returns the tag's code.
    @discardableResult
    static func endTagAssignment(_ target: Target, assignment: UUID, end: CivilDate, by writer: WriteContext, on db: any Database) async throws
        -> String
    {
        guard let row = try await RegistryQueries.tagAssignment(assignment, person: target.person, on: db),
            row.sensitive == false || writer.actor.role.seesSensitiveTags
        else {
            throw AppError.notFound("标签记录不存在", "No such tag assignment")
        }
        guard row.ends_on == nil else { throw AppError.conflict("该标签已结束", "This tag has already ended") }
        guard end.iso8601 >= row.starts_on else {
            throw AppError.validation("ends_on", zh: "结束日期不能早于开始日期", en: "ends_on is before starts_on")
        }
        try await RegistryQueries.endTagAssignment(assignment, end: end, by: writer, on: db)
        try await AuditLog.append(
            AuditEntry(
                action: "tag.ended", actorID: writer.actor.accountID, actorName: writer.actor.username,
                targetType: "person", targetID: target.person.uuidString,
                detail: ["assignment": assignment.uuidString, "ends_on": end.iso8601], clientAddress: writer.address),
            at: writer.now, on: db)
        return row.code
    }

    /// Files an open help request (求助) for the person; the caller has checked the texts.
    static func insertHelpRequest(
        _ target: Target, category: String, description: String, requestedOn: CivilDate,
        by writer: WriteContext, on db: any Database
    ) async throws -> UUID {
        let id = UUID()
        try await RegistryQueries.insertHelpRequest(
            id, target: target, category: category, description: description,
            requestedOn: requestedOn, by: writer, on: db)
        try await AuditLog.append(
            AuditEntry(
                action: "help_request.created", actorID: writer.actor.accountID, actorName: writer.actor.username,
                targetType: "person", targetID: target.person.uuidString,
                detail: ["help_request": id.uuidString, "category": category], clientAddress: writer.address),
            at: writer.now, on: db)
        return id
    }

    /// A correction of a person's details found on a visit: the residence status and/or the
    /// mobile number (sealed through the vault like every number).
    struct DetailsUpdate: Sendable {
        var residence: ResidenceStatus?
        var phone: SealedPII?
    }

    /// Writes the corrected details and audits which fields changed (never the number itself).
    static func updateDetails(_ target: Target, _ update: DetailsUpdate, by writer: WriteContext, on db: any Database) async throws {
        var fields: [String] = []
        if let residence = update.residence {
            try await RegistryQueries.updateResidence(person: target.person, residence, by: writer, on: db)
            fields.append("residence_status")
        }
        if let phone = update.phone {
            try await RegistryQueries.updatePhone(person: target.person, phone, by: writer, on: db)
            fields.append("phone")
        }
        guard !fields.isEmpty else { return }
        try await AuditLog.append(
            AuditEntry(
                action: "person.updated", actorID: writer.actor.accountID, actorName: writer.actor.username,
                targetType: "person", targetID: target.person.uuidString,
                detail: ["fields": fields.joined(separator: ",")], clientAddress: writer.address),
            at: writer.now, on: db)
    }
}
