import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// The plain rows `DashboardTests` recounts every panel from.
extension DashboardTests {
    /// All the rows the recount needs, read plainly (no grouping, no scope in SQL).
    struct World {
        var descendants: [UUID: Set<UUID>] = [:]
        var nodes: [String: (id: UUID, level: String, parent: UUID?, name: String)] = [:]
        var nodeByID: [UUID: (code: String, level: String, parent: UUID?)] = [:]
        var persons: [UUID] = []
        var households: [UUID] = []
        /// The grid node of each household with a resident account linked (once per household).
        var signedUp: [UUID] = []
        struct Assignment: Decodable { var tag_id: UUID; var grid_node_id: UUID; var ends_on: String? }
        var assignments: [Assignment] = []
        struct Tag: Decodable { var id: UUID; var code: String; var kind: String; var sensitive: Bool }
        var tags: [UUID: Tag] = [:]
        struct Aid: Decodable {
            var grid_node_id: UUID; var person_id: UUID; var programme: String; var kind: String; var unit: String?
            var amount_fen: Int64?; var quantity: Int64?; var minutes: Int64?; var given_on: String
        }
        var aid: [Aid] = []
        /// The aid programmes marked not sensitive.
        var openProgrammes: Set<String> = []
        struct Case: Decodable {
            var grid_node_id: UUID; var state: String; var reported_on: String; var channel: String; var department_id: UUID?
            var category_code: String; var due_at: Date?
        }
        var cases: [Case] = []
        struct VisitHousehold: Decodable { var grid_node_id: UUID; var local_date: String }
        var visits: [VisitHousehold] = []
        struct Booking: Decodable { var status: String; var grid_node_id: UUID; var local_date: String }
        var bookings: [Booking] = []
        struct Vote: Decodable { var what: String; var status: String; var grid_node_id: UUID; var compound_id: UUID? }
        var votes: [Vote] = []
        var compoundBuildings: [UUID: [UUID]] = [:]
        /// Department code → id.
        var departments: [String: UUID] = [:]

        static func read(_ app: Application) async throws -> World {
            let sql = app.db.sql
            var w = World()
            struct C: Decodable { var ancestor_id: UUID; var descendant_id: UUID }
            for c in try await sql.raw("SELECT ancestor_id, descendant_id FROM grid_closure").all(decoding: C.self) {
                w.descendants[c.ancestor_id, default: []].insert(c.descendant_id)
            }
            struct N: Decodable { var id: UUID; var code: String; var level: String; var parent_id: UUID?; var name: String }
            for n in try await sql.raw("SELECT id, code, level, parent_id, name FROM grid_nodes").all(decoding: N.self) {
                w.nodes[n.code] = (n.id, n.level, n.parent_id, n.name)
                w.nodeByID[n.id] = (n.code, n.level, n.parent_id)
            }
            struct G: Decodable { var grid_node_id: UUID }
            w.persons = try await sql.raw("SELECT grid_node_id FROM persons").all(decoding: G.self).map(\.grid_node_id)
            w.households = try await sql.raw("SELECT grid_node_id FROM households").all(decoding: G.self).map(\.grid_node_id)
            w.signedUp = try await sql.raw(
                "SELECT h.grid_node_id FROM households h WHERE EXISTS (SELECT 1 FROM resident_households rh WHERE rh.household_id = h.id)"
            ).all(decoding: G.self).map(\.grid_node_id)
            w.assignments = try await sql.raw("SELECT tag_id, grid_node_id, ends_on FROM tag_assignments").all(decoding: Assignment.self)
            for t in try await sql.raw("SELECT id, code, kind, sensitive FROM tags").all(decoding: Tag.self) { w.tags[t.id] = t }
            w.aid = try await sql.raw(
                "SELECT grid_node_id, person_id, programme, kind, unit, amount_fen, quantity, minutes, given_on FROM aid_records"
            ).all(decoding: Aid.self)
            struct P: Decodable { var name: String }
            w.openProgrammes = Set(
                try await sql.raw("SELECT name FROM aid_programmes WHERE sensitive = \(flag: false)").all(decoding: P.self).map(\.name))
            w.cases = try await sql.raw("SELECT grid_node_id, state, reported_on, channel, department_id, category_code, due_at FROM cases").all(
                decoding: Case.self)
            // Only visits that met the household count (a nobody-home attempt is no visit).
            w.visits = try await sql.raw("SELECT grid_node_id, local_date FROM visit_households WHERE outcome = 'met'").all(
                decoding: VisitHousehold.self)
            w.bookings = try await sql.raw(
                """
                SELECT b.status, r.grid_node_id, s.local_date FROM service_bookings b JOIN service_resources r ON r.id = b.resource_id
                JOIN service_slots s ON s.id = b.slot_id
                """
            ).all(decoding: Booking.self)
            w.votes = try await sql.raw(
                """
                SELECT 'ballot' AS what, status, grid_node_id, compound_id FROM owners_ballots
                UNION ALL SELECT 'poll' AS what, status, grid_node_id, NULL AS compound_id FROM polls
                UNION ALL SELECT 'topic' AS what, status, grid_node_id, NULL AS compound_id FROM topics
                """
            ).all(decoding: Vote.self)
            struct B: Decodable { var compound_id: UUID; var grid_node_id: UUID }
            for b in try await sql.raw("SELECT compound_id, grid_node_id FROM buildings").all(decoding: B.self) {
                w.compoundBuildings[b.compound_id, default: []].append(b.grid_node_id)
            }
            struct D: Decodable { var id: UUID; var code: String }
            for d in try await sql.raw("SELECT id, code FROM departments").all(decoding: D.self) { w.departments[d.code] = d.id }
            return w
        }

        func under(_ code: String) -> Set<UUID> { descendants[nodes[code]!.id] ?? [] }
        /// The cells of a node as the panels define them: its children, or its micro-grids.
        func cells(_ code: String, microGrids: Bool) -> [(code: String, nodes: Set<UUID>)] {
            let node = nodes[code]!
            let below = under(code)
            let picked = nodes.filter { _, n in
                if microGrids, GridLevel(rawValue: node.level)! < .microGrid {
                    return n.level == GridLevel.microGrid.rawValue && below.contains(n.id)
                }
                return n.parent == node.id
            }
            return picked.map { ($0.key, descendants[$0.value.id] ?? []) }
        }
        /// The cells of a node at `level`: the nodes of that level under it, or its children when it
        /// lies at or below that level.
        func cells(_ code: String, level: GridLevel) -> [(code: String, nodes: Set<UUID>)] {
            let node = nodes[code]!
            let below = under(code)
            let picked = nodes.filter { _, n in
                GridLevel(rawValue: node.level)! < level ? n.level == level.rawValue && below.contains(n.id) : n.parent == node.id
            }
            return picked.map { ($0.key, descendants[$0.value.id] ?? []) }
        }
    }
}
