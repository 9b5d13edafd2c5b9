import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Identity holds (身份核验待办): what happens when a person or an owner is registered with an
/// ID number the register already holds *outside* the registering person's scope.
///
/// The answer must not depend on data the caller may not see, so the new record is written
/// exactly as if the number were new; it only carries a placeholder blind index
/// (`held:<hold id>`, the real index stays unique to one record), and a hold waits for staff
/// whose scope holds the existing record. They decide: the same person (moved: the old record is
/// kept as history, the new one takes the number) or a different one (a wrong number: the new
/// record stays marked unverified for its own staff to check). Numbers already registered
/// *inside* the caller's scope are reported as before: the caller can read those anyway.
enum IdentityHolds {
    enum Kind: String, Codable, Sendable { case person, owner }

    enum Status: String, Codable, Sendable, CaseIterable {
        case open
        case samePerson = "same_person"
        case differentPerson = "different_person"
    }

    /// The index a held record carries until its hold is resolved.
    static func placeholder(_ hold: UUID) -> String { "held:" + hold.uuidString.lowercased() }

    /// A hold to write with its record, in the record's transaction.
    struct NewHold: Sendable {
        var id = UUID()
        var kind: Kind
        var recordID: UUID
        var idIndex: String
        var subdistrictID: UUID?
        var nodeID: UUID
    }

    /// For each new person (by row), the index to store and the hold to write, if any:
    /// `registeredElsewhere` holds the indexes a person outside the scope carries.
    static func plan(
        indexes: [String?], registeredElsewhere: Set<String>, recordIDs: [UUID], nodes: [(UUID, UUID?)],
        kind: Kind
    ) -> (stored: [String?], holds: [NewHold]) {
        var stored: [String?] = []
        var holds: [NewHold] = []
        for (position, index) in indexes.enumerated() {
            guard let index, registeredElsewhere.contains(index) else { stored.append(index); continue }
            let hold = NewHold(
                kind: kind, recordID: recordIDs[position], idIndex: index, subdistrictID: nodes[position].1,
                nodeID: nodes[position].0)
            stored.append(placeholder(hold.id))
            holds.append(hold)
        }
        return (stored, holds)
    }
}
