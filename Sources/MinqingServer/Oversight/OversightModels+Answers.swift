import Foundation
import MinqingDomain
import Vapor

/// One answer of a property company: to a rectification (its report, with the day the work was
/// done) or to a complaint. Who answered is shown by the account's display name and role.
struct CompanyAnswerRow: Content, Sendable, Equatable {
    var id: UUID
    var rectification_id: UUID?
    var complaint_id: UUID?
    var body: String
    /// The day the rectification's work was done (rectification answers only).
    var done_on: String?
    var answered_on: String
    var answered_by: String
    var answered_by_role: Role
}

/// A property company's report on one of its open rectifications: what was done, and when
/// (default today, never in the future).
struct RectificationAnswerInput: Content, Sendable {
    var body: String?
    var done_on: String?
}

/// A property company's reply to a complaint linked to it.
struct ComplaintAnswerInput: Content, Sendable {
    var body: String?
}
