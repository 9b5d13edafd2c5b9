import Fluent
import Foundation
import MinqingDomain
import MinqingServer
import SQLKit

/// Staff development in the demo (item 6), inside the demo's load transaction (bulk inserts):
///
/// - The subdistrict's sessions for all its cadres, twice a month over the past year (party
///   building, grass-roots governance, the register, emergency drills…), 2–4 hours each; every
///   residential area's own quarterly session for the cadres bound inside it; two sessions
///   planned for the coming month (no attendance yet).
/// - Attendance of each cadre account (subdistrict staff, area cadres, grid workers): mostly
///   present, about one in twelve excused and one in twenty-five absent; a few cadres miss more.
/// - Rotations (挂职): organ cadres sent down to residential areas, area cadres up to the organ,
///   and people of the units (驻区单位) to the areas, half a year to a year each.
extension OrganisationsDemo {
    struct StaffCounts: Sendable { var trainings = 0; var attendance = 0; var rotations = 0 }

    static let trainingTitles = [
        "基层党建工作专题培训", "“一居一库”数据维护", "民情日志与十必访", "12345 与“一口派单”", "业委会指导与物业监管",
        "应急处置与防汛演练", "社区协商议事方法", "群众工作方法", "个人信息保护法解读", "加装电梯政策解读",
        "居民区书记讲党课", "区域化党建与共建项目"
    ]
    static let rotationPurposes = [
        "机关干部下沉居民区，熟悉群众工作", "居民区干部到机关跟班学习", "驻区单位干部到社区挂职，推动共建项目",
        "培养后备干部，跨居民区交流"
    ]

    static func loadStaffDevelopment(
        sub: UUID, areas: [Node], today: CivilDate, now: Date, rng: inout SeededGenerator,
        on db: any Database
    ) async throws -> StaffCounts {
        var counts = StaffCounts()
        struct Cadre: Decodable { var id: UUID; var username: String; var role: String; var grid_node_id: UUID; var code: String }
        let cadres = try await db.sql.raw(
            """
            SELECT a.id, a.username, a.role, a.grid_node_id, n.code FROM accounts a JOIN grid_nodes n ON n.id = a.grid_node_id
            WHERE a.role IN (\(binds: StaffDevelopmentQueries.cadreRoles.map(\.rawValue))) AND n.code LIKE \(bind: DemoData.subdistrictCode + "%")
            ORDER BY a.username
            """
        ).all(decoding: Cadre.self)
        guard !cadres.isEmpty else { return counts }
        var trainings = BulkInserter(
            table: "staff_trainings",
            columns: [
                "id", "subdistrict_id", "grid_node_id", "title", "held_on", "place", "minutes",
                "created_by", "created_at"
            ])
        var attendance = BulkInserter(
            table: "training_attendance", columns: ["training_id", "account_id", "attended", "status", "recorded_by", "recorded_at"])
        // One cadre in ten is less diligent: absent or excused more often.
        let lax = Set(cadres.filter { _ in Int.random(in: 0..<10, using: &rng) == 0 }.map(\.id))
        func status(_ cadre: UUID) -> AttendanceStatus {
            let draw = Int.random(in: 0..<100, using: &rng)
            if lax.contains(cadre) { return draw < 60 ? .present : draw < 80 ? .excused : .absent }
            return draw < 88 ? .present : draw < 96 ? .excused : .absent
        }
        func session(_ title: String, at node: UUID, on day: CivilDate, minutes: Int, place: String, by organiser: String, attendees: [Cadre]) {
            let id = UUID()
            trainings.append([
                SQLBind(id), SQLBind(sub), SQLBind(node), SQLBind(title), SQLBind(day.iso8601), SQLBind(place), SQLBind(minutes),
                SQLBind(organiser), SQLBind(now)
            ])
            counts.trainings += 1
            guard day < today else { return }
            let recordedAt = day.startOfDay(in: .shanghai).addingTimeInterval(18 * 3600)
            for cadre in attendees {
                let s = status(cadre.id)
                attendance.append([
                    SQLBind(id), SQLBind(cadre.id), SQLBind(s == .present), SQLBind(s.rawValue), SQLBind(organiser), SQLBind(recordedAt)
                ])
                counts.attendance += 1
            }
        }
        // The subdistrict's sessions: twice a month for a year, and two ahead.
        for n in 0..<24 {
            guard let day = try? today.adding(days: -(n * 15) - 3) else { continue }
            session(
                trainingTitles[n % trainingTitles.count], at: sub, on: day, minutes: [120, 180, 240][n % 3], place: "街道党群服务中心",
                by: "staff", attendees: cadres)
        }
        for n in 0..<2 {
            guard let day = try? today.adding(days: 10 + n * 14) else { continue }
            session(trainingTitles[(n + 5) % trainingTitles.count], at: sub, on: day, minutes: 180, place: "街道党群服务中心", by: "staff", attendees: [])
        }
        // Each area's quarterly session for its own cadres.
        for area in areas {
            let own = cadres.filter { $0.code.hasPrefix(area.code) }
            for quarter in 0..<4 {
                guard let day = try? today.adding(days: -(quarter * 91) - 20 - Int.random(in: 0..<20, using: &rng)) else { continue }
                session(
                    "\(area.name)\(["网格工作例会培训", "居民区工作方法交流", "楼组长工作指导", "群众工作案例研讨"][quarter])", at: area.id, on: day,
                    minutes: [90, 120][quarter % 2], place: "\(area.name)居民区活动室", by: own.first?.username ?? "staff", attendees: own)
            }
        }
        try await trainings.flush(on: db)
        try await attendance.flush(on: db)

        // Rotations: organ cadres down to areas, area cadres up to the organ, unit people to areas.
        var rotations = BulkInserter(
            table: "staff_rotations",
            columns: [
                "id", "subdistrict_id", "account_id", "from_node_id", "to_node_id", "from_unit_id",
                "to_unit_id", "post", "purpose", "starts_on", "ends_on", "created_by", "created_at"
            ])
        func rotate(_ cadre: Cadre, from: UUID, to: UUID, fromUnit: UUID? = nil, post: String, purpose: String, startsAgo: Int, days: Int) {
            guard let starts = try? today.adding(days: -startsAgo), let ends = try? starts.adding(days: days) else { return }
            rotations.append([
                SQLBind(UUID()), SQLBind(sub), SQLBind(cadre.id), SQLBind(from), SQLBind(to), bindOrNull(fromUnit), SQLLiteral.null,
                SQLBind(post), SQLBind(purpose), SQLBind(starts.iso8601), SQLBind(ends.iso8601), SQLBind("staff"), SQLBind(now)
            ])
            counts.rotations += 1
        }
        let organ = cadres.filter { $0.role == Role.subdistrictStaff.rawValue && $0.username != "staff" }
        let areaCadres = cadres.filter { $0.role == Role.areaCadre.rawValue && $0.username != "cadre" && $0.username != "cadre2" }
        for (n, cadre) in organ.prefix(6).enumerated() {
            let area = areas[(n * 3) % areas.count]
            rotate(
                cadre, from: sub, to: area.id, post: "\(area.name)居民区党总支副书记（挂职）", purpose: rotationPurposes[0],
                startsAgo: 60 + n * 45, days: n % 2 == 0 ? 182 : 365)
        }
        for (n, cadre) in areaCadres.prefix(4).enumerated() {
            rotate(
                cadre, from: cadre.grid_node_id, to: sub, post: ["街道党建办", "街道自治办", "街道网格中心", "街道社区服务办"][n] + "（跟班学习）",
                purpose: rotationPurposes[1], startsAgo: 30 + n * 60, days: 182)
        }
        // Grid workers take turns at the subdistrict's grid centre.
        for (n, cadre) in cadres.filter({ $0.role == Role.gridWorker.rawValue }).prefix(2).enumerated() {
            rotate(cadre, from: cadre.grid_node_id, to: sub, post: "街道网格化管理中心（跟班）", purpose: rotationPurposes[3], startsAgo: 200 + n * 30, days: 91)
        }
        // From a unit (驻区单位): the unit's node is where the rotation comes from, as the service records it.
        struct Unit: Decodable { var id: UUID; var grid_node_id: UUID }
        let units = try await db.sql.raw("SELECT id, grid_node_id FROM service_units WHERE subdistrict_id = \(bind: sub) ORDER BY name LIMIT 3")
            .all(decoding: Unit.self)
        for (n, (cadre, unit)) in zip(areaCadres.dropFirst(4), units).enumerated() {
            let area = areas[(n * 5 + 1) % areas.count]
            rotate(
                cadre, from: unit.grid_node_id, to: area.id, fromUnit: unit.id, post: "\(area.name)居民区共建联络员", purpose: rotationPurposes[2],
                startsAgo: 90, days: 365)
        }
        try await rotations.flush(on: db)
        return counts
    }
}
