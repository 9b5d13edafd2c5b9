import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// A property company's staff (see `OversightQueries+Staff`): grid staff who may write the
/// company's file (the company visible in their scope, as for contracts and inspections) add a
/// person of the register found within their scope, and end a staff member's service.
extension OversightService {
    static let staffNotFound = AppError.notFound("该员工不存在或已离职", "No such serving staff member of this company")

    /// Adds a person as the company's staff; one current row per company and person is a partial
    /// unique index, so a second one answers 409 and writes nothing.
    static func addStaff(_ companyID: UUID, _ input: StaffInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        guard try await OversightQueries.company(companyID, in: writer.actor.scope, now: writer.now, on: db) != nil else { throw companyNotFound }
        guard let person = input.person_id else {
            throw AppError.validation("person_id", zh: "请选择人员", en: "Choose the person")
        }
        let role = input.role?.trimmingCharacters(in: .whitespaces).nilIfEmpty ?? "other"
        guard OversightQueries.staffRoles[role] != nil else {
            throw AppError.validation(
                "role", zh: "请选择岗位：" + OversightQueries.staffRoleOrder.compactMap { OversightQueries.staffRoles[$0]?.0 }.joined(separator: "、"),
                en: "Choose the role: "
                    + OversightQueries.staffRoleOrder.compactMap { OversightQueries.staffRoles[$0]?.1.lowercased() }.joined(separator: ", "))
        }
        let starts = try date(input.started_on, "started_on", default: writer.today.iso8601)
        guard starts <= writer.today.iso8601 else {
            throw AppError.validation("started_on", zh: "入职日期不能晚于今天", en: "The start cannot be in the future")
        }
        guard try await OversightQueries.personInScope(person, in: writer.actor.scope, on: db) != nil else {
            throw AppError.validation("person_id", zh: "此人不在人口库中或不在您的范围内", en: "No such person of the register in your scope")
        }
        let id = UUID()
        return try await db.write { db in
            guard
                try await OversightQueries.insertStaff(id: id, company: companyID, person: person, role: role, starts: starts, writer: writer, on: db)
            else {
                throw AppError.conflict("此人已是该公司在职员工", "This person already serves the company")
            }
            try await audit("oversight.staff_added", writer, type: "property_company", id: companyID, detail: ["role": role], on: db)
            return id
        }
    }

    /// Ends a staff member's service (one conditional UPDATE; 409 when not serving).
    static func endStaff(_ companyID: UUID, staff staffID: UUID, _ input: StaffEndInput, writer: WriteContext, on db: any Database) async throws {
        guard try await OversightQueries.company(companyID, in: writer.actor.scope, now: writer.now, on: db) != nil else { throw companyNotFound }
        let ends = try date(input.ended_on, "ended_on", default: writer.today.iso8601)
        guard ends <= writer.today.iso8601 else {
            throw AppError.validation("ended_on", zh: "离职日期不能晚于今天", en: "The end of service cannot be in the future")
        }
        guard let row = try await OversightQueries.staffSpell(staffID, company: companyID, on: db) else { throw staffNotFound }
        guard ends >= row.started_on else {
            throw AppError.validation(
                "ended_on", zh: "离职日期不能早于入职日期 \(row.started_on)", en: "The end of service cannot be before its start, \(row.started_on)")
        }
        try await db.write { db in
            guard try await OversightQueries.endStaff(staffID, company: companyID, endsOn: ends, on: db) else {
                throw AppError.conflict("该员工已离职", "This staff member has left already")
            }
            try await audit("oversight.staff_ended", writer, type: "property_company", id: companyID, on: db)
        }
    }
}
