import Foundation
import MinqingDomain
import Vapor

/// Whether a slot is offered: staff close one, or block it for something else with a reason
/// (活动占用). Generated and opened slots are `open`.
enum ServiceSlotState: String, CaseIterable, Codable, Sendable {
    case open, closed, blocked
}

/// A slot as the staff who manage its resource see it: its state and the booking holding it.
struct ManagedSlotRow: Content, Sendable, Equatable {
    var id: UUID
    var resource_id: UUID
    var starts_at: Date
    var ends_at: Date
    var local_date: String
    var state: ServiceSlotState
    var reason: String?
    var booking_id: UUID?
    var booking_status: ServiceBookingStatus?
    var booker_name: String?
    var organisation: String?
    var attendees: Int?
}

/// A resource's slots over one ISO week (Monday to Sunday, local dates), for the staff page and API.
struct ServiceSlotWeek: Content, Sendable, Equatable {
    var resource_id: UUID
    var starts_on: String
    var ends_on: String
    /// The last local date whose slots have been generated from the opening hours.
    var slots_through: String?
    var slots: [ManagedSlotRow]
}

/// Staff generate the slots of the next `weeks` weeks (1–12, default 4).
struct SlotGenerateInput: Content, Sendable { var weeks: Int? }

/// How many slots a generation added (none when re-run) and the last local date it covers.
struct SlotsGenerated: Content, Sendable, Equatable { var created: Int; var through: String }

/// Why a slot is blocked (required when blocking, 2–60 characters).
struct SlotActionInput: Content, Sendable { var reason: String? }

/// A slot one may book now: open, not held, not begun.
struct OpenSlot: Content, Sendable, Equatable {
    var id: UUID
    var starts_at: Date
    var ends_at: Date
}

/// A resource with slots one may book on a day, and those slots in order.
struct OpenResourceRow: Content, Sendable, Equatable {
    var id: UUID
    var name: String
    var unit_name: String
    var place: String
    var category: String
    var capacity: Int
    var needs_approval: Bool
    var open_count: Int
    var slots: [OpenSlot]
}

/// One of the coming days and how many slots one may book on it.
struct OpenDay: Content, Sendable, Equatable { var date: String; var open: Int }

/// What one may book: the coming seven days with their open slots, and on the chosen day
/// (the first with any, unless asked) the resources with open slots, a page of them.
struct OpenSlotsView: Content, Sendable, Equatable {
    var date: String
    var category: String?
    var days: [OpenDay]
    var categories: [String]
    var total: Int
    var page: Int
    var page_size: Int
    var resources: [OpenResourceRow]
}
