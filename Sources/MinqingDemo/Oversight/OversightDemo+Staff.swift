import Fluent
import Foundation
import MinqingDomain
import MinqingServer
import SQLKit

/// The demo's property-company staff: six adults of the register per company, living in the
/// first compound it serves (picked in one windowed statement), 1–4 of them party members so the
/// companies' shares vary around 50 %; every third company also has a former steward whose
/// service ended. Bulk inserts inside the demo's transaction.
extension OversightDemo {
    /// Party members among each company's six current staff, by company index.
    static let staffPartyMembers = [4, 3, 2, 3, 1, 4, 3, 2, 3, 4, 2, 3]
    static let staffRoles = ["manager", "steward", "steward", "cleaner", "security", "security"]

    static func loadStaff(companies: [UUID], firstCompound: [UUID?], today: CivilDate, now: Date, on db: any Database) async throws -> Int {
        let compounds = Array(Set(firstCompound.compactMap { $0 }))
        guard !compounds.isEmpty else { return 0 }
        func day(_ offset: Int) -> String { ((try? today.adding(days: offset)) ?? today).iso8601 }
        let party: SQLQueryString = "CASE WHEN \(OversightQueries.isPartyMember(personColumn: "p.id", today: today.iso8601)) THEN 1 ELSE 0 END"
        struct Candidate: Decodable { var compound_id: UUID; var id: UUID; var party: Int }
        var pools: [UUID: (party: [UUID], other: [UUID])] = [:]
        for row in try await db.sql.raw(
            """
            SELECT compound_id, id, party FROM (
              SELECT d.compound_id, p.id, \(party) AS party,
                     ROW_NUMBER() OVER (PARTITION BY d.compound_id, \(party) ORDER BY p.id) AS rn
              FROM persons p JOIN households h ON h.id = p.household_id JOIN dwellings d ON d.id = h.dwelling_id
              WHERE d.compound_id IN (\(SQLList(compounds.map { SQLBind($0) as any SQLExpression })))
                AND p.birth_date <= \(bind: day(-22 * 365)) AND p.birth_date > \(bind: day(-60 * 365))) ranked
            WHERE rn <= 14 ORDER BY compound_id, party, rn
            """
        ).all(decoding: Candidate.self) {
            if row.party == 1 {
                pools[row.compound_id, default: ([], [])].party.append(row.id)
            } else {
                pools[row.compound_id, default: ([], [])].other.append(row.id)
            }
        }
        var used: [UUID: Int] = [:] // how many of a compound's pool earlier companies took (companies may share a compound)
        var staff = BulkInserter(
            table: "property_company_staff", columns: ["id", "company_id", "person_id", "role", "started_on", "ended_on", "created_at"])
        for (index, company) in companies.enumerated() {
            guard let compound = firstCompound[index], let pool = pools[compound] else { continue }
            let offset = used[compound, default: 0]
            used[compound] = offset + 7
            let wanted = staffPartyMembers[index % staffPartyMembers.count]
            let members = Array(pool.party.dropFirst(offset).prefix(wanted))
            let others = Array(pool.other.dropFirst(offset).prefix(6 - members.count + (index % 3 == 0 ? 1 : 0)))
            for (k, person) in (members + others).enumerated() {
                let former = index % 3 == 0 && k == members.count + others.count - 1
                let role = former ? "steward" : staffRoles[k % staffRoles.count]
                staff.append([
                    SQLBind(UUID()), SQLBind(company), SQLBind(person), SQLBind(role), SQLBind(day(-400 - index * 20 + k * 15)),
                    former ? SQLBind(day(-45)) : SQLLiteral.null, SQLBind(now)
                ])
            }
        }
        try await staff.flush(on: db)
        return staff.written
    }
}
