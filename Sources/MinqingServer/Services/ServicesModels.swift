import Foundation
import MinqingDomain
import Vapor

/// A booking's state. `requested` waits for staff when the resource needs approval; the slot is
/// held by every state but `rejected` and `cancelled`.
package enum ServiceBookingStatus: String, CaseIterable, Codable, Sendable {
    case requested, approved, rejected, cancelled, attended
    case noShow = "no_show"

    /// The states that hold the slot (`slot_hold` set).
    static let holding: [ServiceBookingStatus] = [.requested, .approved, .attended, .noShow]
}

/// Who may book a resource.
enum ServiceBookers: String, CaseIterable, Codable, Sendable {
    case residents, organisations, all

    /// Residents book for themselves; volunteers, property companies and owners' committees
    /// book for their organisation.
    func admits(_ role: Role) -> Bool {
        switch self {
        case .residents: role == .resident
        case .organisations: ServicesService.organisationRoles.contains(role)
        case .all: role == .resident || ServicesService.organisationRoles.contains(role)
        }
    }
}

struct ResourceInput: Content, Sendable {
    var unit_name: String?
    var unit_kind: String?
    var name: String?
    var category: String?
    var kind: String?
    var node: String?
    var place: String?
    var capacity: Int?
    var opening_hours: String?
    var slot_minutes: Int?
    var rules: String?
    var bookers: String?
    var needs_approval: Bool?
}

struct SlotsInput: Content, Sendable { var date: String? }
struct ServiceBookInput: Content, Sendable { var slot_id: UUID?; var purpose: String?; var organisation: String?; var attendees: Int? }

struct ResourceRow: Content, Sendable, Equatable {
    var id: UUID
    var unit_name: String
    var name: String
    var category: String
    var kind: String
    var place: String
    var grid_code: String
    var capacity: Int
    var opening_hours: String
    var slot_minutes: Int
    var rules: String
    var bookers: ServiceBookers
    var needs_approval: Bool
}

struct ServiceSlotRow: Content, Sendable, Equatable {
    var id: UUID
    var starts_at: Date
    var ends_at: Date
    var local_date: String
    var taken: Bool
    /// Closed or blocked slots are not offered; `reason` says why a slot is blocked.
    var state: ServiceSlotState
    var reason: String?
}

struct ServiceBookingRow: Content, Sendable, Equatable {
    var id: UUID
    var resource_id: UUID
    var resource_name: String
    var slot_id: UUID
    var starts_at: Date
    var ends_at: Date
    var status: ServiceBookingStatus
    var booker: String
    var booker_name: String
    var organisation: String
    var purpose: String
    var attendees: Int
}

/// What a campaign collects: a limited stock (限量预约), a registration form (登记) or a daily
/// check-in (每日打卡).
enum CampaignKind: String, CaseIterable, Codable, Sendable {
    case reservation, registration, checkin
}

struct CampaignInput: Content, Sendable {
    var kind: String?
    var description: String?
    /// Registration: the form's fields in order.
    var fields: [CampaignFormService.FieldInput]?
    /// Check-in: the period (local dates; default today for 14 days), self-enrolment, and a grid
    /// node whose residents go on the roster at once.
    var starts_on: String?
    var ends_on: String?
    var self_enrol: Bool?
    var roster_node: String?
    /// Check-in: the case sub-category an abnormal check-in opens a case in (none: alerts only).
    var alert_category: String?
    /// Reservation: pick-up slots (at most 50), each with its capacity (reservations).
    var pickup_slots: [PickupSlotInput]?
    var title: String?
    var node: String?
    var stock: Int?
    var per_household_limit: Int?
    var pickup_place: String?
}

struct PickupSlotInput: Content, Sendable { var starts_at: Date?; var ends_at: Date?; var capacity: Int?; var place: String? }
struct PickupSlotRow: Content, Sendable, Equatable {
    var id: UUID; var starts_at: Date; var ends_at: Date; var place: String; var capacity: Int; var taken: Int
}

struct ReserveInput: Content, Sendable { var quantity: Int?; var pickup_slot_id: UUID? }

/// Live figures of a limited-stock campaign.
struct CampaignFigures: Content, Sendable, Equatable {
    var id: UUID
    var title: String
    var status: String
    var stock_total: Int
    var remaining: Int
    var reserved: Int
    var households: Int
    var per_household_limit: Int
    var pickup_place: String
    /// The caller's household's claim (residents only).
    var my_claimed: Int?
    /// Pick-up slots with their capacity and how many reservations each holds.
    var pickup_slots: [PickupSlotRow]?
}

struct AwardInput: Content, Sendable { var username: String?; var unit: String?; var amount: Int64?; var memo: String? }
struct RedeemInput: Content, Sendable { var unit: String?; var amount: Int64?; var reward: String? }

struct LedgerBalance: Content, Sendable, Equatable { var unit: TimeBankLedger.Unit; var balance: Int64 }
struct LedgerLine: Content, Sendable, Equatable {
    var transfer_id: UUID
    var unit: TimeBankLedger.Unit
    var amount: Int64
    var memo: String
    var reverses_id: UUID?
    var created_at: Date
}
struct MyLedger: Content, Sendable, Equatable { var balances: [LedgerBalance]; var movements: [LedgerLine] }
