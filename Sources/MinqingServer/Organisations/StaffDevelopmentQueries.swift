import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// Reads of staff development (item 6: 干部培训、挂职), scoped in SQL.
///
/// - A session is visible when its organiser node lies in the caller's subtree, or when the
///   caller's own attendance is recorded at it (a grid worker sees the subdistrict's sessions
///   they attended).
/// - Attendance rows name cadres: only those whose account node lies in the caller's subtree,
///   and the caller's own. The counts of a session cover everyone recorded (figures, no names).
/// - A rotation is visible when the cadre, the node they come from or the node they go to lies
///   in the caller's subtree, or it is the caller's own.
package enum StaffDevelopmentQueries {
    /// Cadres: the staff accounts whose training and rotation the subdistrict records.
    package static let cadreRoles: [Role] = [.subdistrictStaff, .areaCadre, .gridWorker]
    /// Roles that read sessions, attendance and rotations (their scope decides what).
    static let readers: Set<Role> = OrganisationsQueries.readers
    /// Roles that organise sessions, record attendance and rotations.
    static let managers: Set<Role> = OrganisationsQueries.managers

    static func trainingVisible(_ actor: Actor) -> SQLQueryString {
        """
        (\(actor.scope.contains(SQLColumn("grid_node_id", table: "t"))) OR EXISTS (SELECT 1 FROM training_attendance va \
        WHERE va.training_id = t.id AND va.account_id = \(bind: actor.accountID)))
        """
    }

    /// Account `a` is a cadre the caller may see by name.
    static func cadreVisible(_ actor: Actor) -> SQLQueryString {
        "(\(actor.scope.contains(SQLColumn("grid_node_id", table: "a"))) OR a.id = \(bind: actor.accountID))"
    }

    static let trainingColumns = """
        t.id, t.title, t.held_on, t.place, t.minutes, n.code AS grid_code, n.name AS grid_name,
        (SELECT COUNT(*) FROM training_attendance x WHERE x.training_id = t.id AND x.status = 'present') AS present,
        (SELECT COUNT(*) FROM training_attendance x WHERE x.training_id = t.id AND x.status = 'absent') AS absent,
        (SELECT COUNT(*) FROM training_attendance x WHERE x.training_id = t.id AND x.status = 'excused') AS excused
        """

    struct TrainingFigures: Decodable {
        var id: UUID; var title: String; var held_on: String; var place: String; var minutes: Int; var grid_code: String; var grid_name: String
        var present: Int; var absent: Int; var excused: Int
        var row: TrainingRow {
            TrainingRow(
                id: id, title: title, held_on: held_on, place: place, minutes: minutes, grid_code: grid_code, grid_name: grid_name,
                present: present, absent: absent, excused: excused,
                rate_percent: AttendanceRate(present: present, absent: absent, excused: excused).percent)
        }
    }

    static func period(_ from: CivilDate?, _ to: CivilDate?) -> SQLQueryString {
        let fromFilter: SQLQueryString = from.map { "AND t.held_on >= \(bind: $0.iso8601)" } ?? ""
        let toFilter: SQLQueryString = to.map { "AND t.held_on <= \(bind: $0.iso8601)" } ?? ""
        return "\(fromFilter) \(toFilter)"
    }

    /// Sessions visible to the caller in a period, newest first, with their attendance figures.
    static func trainings(for actor: Actor, from: CivilDate?, to: CivilDate?, limit: Int, offset: Int, on db: any Database) async throws
        -> [TrainingRow]
    {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: trainingColumns) FROM staff_trainings t JOIN grid_nodes n ON n.id = t.grid_node_id
            WHERE \(trainingVisible(actor)) \(period(from, to)) ORDER BY t.held_on DESC, t.title, t.id LIMIT \(count: limit) OFFSET \(count: offset)
            """
        ).all(decoding: TrainingFigures.self).map(\.row)
    }

    static func trainingCount(for actor: Actor, from: CivilDate?, to: CivilDate?, on db: any Database) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await db.sql.raw(
            """
            SELECT COUNT(*) AS n FROM staff_trainings t WHERE \(trainingVisible(actor)) \(period(from, to))
            """
        ).first(decoding: N.self)?.n ?? 0
    }

    static func training(_ id: UUID, for actor: Actor, on db: any Database) async throws -> TrainingRow? {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: trainingColumns) FROM staff_trainings t JOIN grid_nodes n ON n.id = t.grid_node_id
            WHERE t.id = \(bind: id) AND \(trainingVisible(actor))
            """
        ).first(decoding: TrainingFigures.self)?.row
    }

    /// A session the caller organises or may record for: its organiser node in their subtree.
    static func organisedTraining(_ id: UUID, for actor: Actor, on db: any Database) async throws -> TrainingRow? {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: trainingColumns) FROM staff_trainings t JOIN grid_nodes n ON n.id = t.grid_node_id
            WHERE t.id = \(bind: id) AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "t")))
            """
        ).first(decoding: TrainingFigures.self)?.row
    }

    /// The attendance of a session: the cadres the caller may see by name.
    static func attendance(of training: UUID, for actor: Actor, on db: any Database) async throws -> [AttendanceRow] {
        try await db.sql.raw(
            """
            SELECT a.id AS account_id, a.username, a.display_name, a.role, n.name AS grid_name, ta.status, ta.recorded_by
            FROM training_attendance ta JOIN accounts a ON a.id = ta.account_id JOIN grid_nodes n ON n.id = a.grid_node_id
            WHERE ta.training_id = \(bind: training) AND \(cadreVisible(actor))
            ORDER BY n.path, a.username LIMIT 2000
            """
        ).all(decoding: AttendanceRow.self)
    }

    /// Cadres in the caller's subtree (enabled accounts of a cadre role), for the forms.
    static func cadres(for actor: Actor, limit: Int = 1_000, on db: any Database) async throws -> [CadreRow] {
        try await db.sql.raw(
            """
            SELECT a.id, a.username, a.display_name, a.role, n.name AS grid_name FROM accounts a JOIN grid_nodes n ON n.id = a.grid_node_id
            WHERE a.role IN (\(binds: cadreRoles.map(\.rawValue))) AND a.disabled = \(flag: false)
              AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "a")))
            ORDER BY n.path, a.username LIMIT \(count: limit)
            """
        ).all(decoding: CadreRow.self)
    }

    /// Each cadre's attendance at the sessions held in the period (those with at least one
    /// record), cadres in the caller's subtree only. Every session counts, wherever organised.
    static func cadreAttendance(
        for actor: Actor, from: CivilDate, to: CivilDate, limit: Int = 2_000,
        on db: any Database
    ) async throws -> CadreAttendanceReport {
        struct Row: Decodable {
            var account_id: UUID; var username: String; var display_name: String; var role: Role; var grid_code: String; var grid_name: String
            var present: Int; var absent: Int; var excused: Int
        }
        let rows = try await db.sql.raw(
            """
            SELECT a.id AS account_id, a.username, a.display_name, a.role, n.code AS grid_code, n.name AS grid_name,
                   COUNT(CASE WHEN ta.status = 'present' THEN 1 END) AS present, COUNT(CASE WHEN ta.status = 'absent' THEN 1 END) AS absent,
                   COUNT(CASE WHEN ta.status = 'excused' THEN 1 END) AS excused
            FROM training_attendance ta JOIN staff_trainings t ON t.id = ta.training_id JOIN accounts a ON a.id = ta.account_id
            JOIN grid_nodes n ON n.id = a.grid_node_id
            WHERE \(cadreVisible(actor)) AND t.held_on >= \(bind: from.iso8601) AND t.held_on <= \(bind: to.iso8601)
            GROUP BY a.id, a.username, a.display_name, a.role, n.code, n.name, n.path ORDER BY n.path, a.username LIMIT \(count: limit)
            """
        ).all(decoding: Row.self)
        return CadreAttendanceReport(
            from: from.iso8601, to: to.iso8601,
            cadres: rows.map {
                CadreAttendanceRow(
                    account_id: $0.account_id, username: $0.username, display_name: $0.display_name, role: $0.role, grid_code: $0.grid_code,
                    grid_name: $0.grid_name, present: $0.present, absent: $0.absent, excused: $0.excused,
                    rate_percent: AttendanceRate(present: $0.present, absent: $0.absent, excused: $0.excused).percent)
            })
    }

    static let rotationColumns = """
        r.id, r.account_id, a.username, a.display_name, fn.code AS from_code, fn.name AS from_name, fu.name AS from_unit_name,
        tn.code AS to_code, tn.name AS to_name, tu.name AS to_unit_name, r.post, r.purpose, r.starts_on, r.ends_on
        """
    static let rotationJoins = """
        staff_rotations r JOIN accounts a ON a.id = r.account_id JOIN grid_nodes fn ON fn.id = r.from_node_id JOIN grid_nodes tn ON tn.id = r.to_node_id
        LEFT JOIN service_units fu ON fu.id = r.from_unit_id LEFT JOIN service_units tu ON tu.id = r.to_unit_id
        """

    static func rotationVisible(_ actor: Actor) -> SQLQueryString {
        """
        (\(actor.scope.contains(SQLColumn("grid_node_id", table: "a"))) OR \(actor.scope.contains(SQLColumn("from_node_id", table: "r"))) \
        OR \(actor.scope.contains(SQLColumn("to_node_id", table: "r"))) OR r.account_id = \(bind: actor.accountID))
        """
    }

    /// Rotations visible to the caller; `current` keeps those not ended by `today`.
    static func rotations(for actor: Actor, current today: CivilDate?, limit: Int, offset: Int, on db: any Database) async throws -> [RotationRow] {
        let currentFilter: SQLQueryString = today.map { "AND r.ends_on >= \(bind: $0.iso8601)" } ?? ""
        return try await db.sql.raw(
            """
            SELECT \(unsafeRaw: rotationColumns) FROM \(unsafeRaw: rotationJoins)
            WHERE \(rotationVisible(actor)) \(currentFilter) ORDER BY r.starts_on DESC, a.username, r.id LIMIT \(count: limit) OFFSET \(count: offset)
            """
        ).all(decoding: RotationRow.self)
    }

    static func rotation(_ id: UUID, for actor: Actor, on db: any Database) async throws -> RotationRow? {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: rotationColumns) FROM \(unsafeRaw: rotationJoins) WHERE r.id = \(bind: id) AND \(rotationVisible(actor))
            """
        ).first(decoding: RotationRow.self)
    }
}
