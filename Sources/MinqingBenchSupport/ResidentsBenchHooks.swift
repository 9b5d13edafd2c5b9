import Foundation
import MinqingServer
import Vapor

/// The resident app's entry points for `minqing-bench`: the same functions the handlers call.
extension BenchHooks {
    /// The resident's home page (what needs them, what is new, the time bank) as `username` sees
    /// it now; returns its size in bytes.
    public static func residentHome(_ app: Application, _ resident: BenchActor) async throws -> Int {
        try await ResidentHomePages.rendered(for: resident.actor, now: app.services.now(), on: app.db)
    }

    /// A notice to every resident of the staff account's subdistrict, a fan-out in chunks; how many
    /// notifications it wrote.
    public static func noticeFanout(_ app: Application, _ staff: BenchActor) async throws -> Int {
        try await Notifications.noticeToResidents(
            under: staff.actor.scope.rootID, title: "停水通知（压力测试）", href: "/",
            writer: WriteContext(actor: staff.actor, now: app.services.now()), on: app.db)
    }
}

extension BenchHooks {
    /// What `residents.signup` measured: each sign-up's milliseconds, how many failed, and whether
    /// a used code was refused the second time and every code served once.
    public struct SignupWave: Sendable {
        public var times: [Double]
        public var failed: Int
        public var usedOnce: Bool
        /// What the first few failures said.
        public var failures: [String]
    }

    /// `count` households without an account each get a letter (issued by the staff account, as
    /// the 居委 prints them), then their heads all sign up at once, each from an address of its
    /// own (the per-address budget is for one office); then each code is tried again.
    public static func signupWave(_ app: Application, _ staff: BenchActor, count: Int) async throws -> SignupWave {
        struct Head: Decodable { var name: String; var id_cipher: String; var household_id: UUID; var code: String }
        let heads = try await app.db.sql.raw(
            """
            SELECT p.name, p.id_cipher, p.household_id, n.code FROM persons p JOIN households h ON h.id = p.household_id
            JOIN grid_nodes n ON n.id = h.grid_node_id
            WHERE p.relation = 'head' AND p.moved_out_on IS NULL
              AND NOT EXISTS (SELECT 1 FROM resident_households rh WHERE rh.household_id = h.id)
              AND NOT EXISTS (SELECT 1 FROM resident_accounts ra WHERE ra.person_id = p.id)
            ORDER BY n.code, p.household_id LIMIT \(literal: count)
            """
        ).all(decoding: Head.self)
        let vault = app.services.vault
        let writer = WriteContext(actor: staff.actor, now: app.services.now())
        var codes: [UUID: String] = [:]
        for group in Set(heads.map(\.code)).sorted() {
            for letter in try await Invitations.lettersForBench(node: group, writer: writer, app: app) { codes[letter.household] = letter.code }
        }
        struct Input: Sendable { var code: String; var name: String; var idNumber: String; var phone: String }
        var inputs: [Input] = []
        for (n, head) in heads.enumerated() {
            guard let code = codes[head.household_id] else { continue }
            inputs.append(
                Input(code: code, name: head.name, idNumber: try vault.open(head.id_cipher, kind: .idNumber), phone: String(format: "139%08d", n)))
        }
        let now = app.services.now()
        let results = try await withThrowingTaskGroup(of: (Int, Double?, String?).self) { group in
            for (n, input) in inputs.enumerated() {
                group.addTask {
                    let start = DispatchTime.now().uptimeNanoseconds
                    do {
                        try await Invitations.signUpForBench(
                            code: input.code, name: input.name, idNumber: input.idNumber, phone: input.phone, username: "wave\(n)", now: now,
                            address: "bench-\(n)", app: app)
                    } catch {
                        return (n, nil, String(String(describing: error).prefix(200)))
                    }
                    return (n, Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000, nil)
                }
            }
            var all: [(Int, Double?, String?)] = []
            for try await result in group { all.append(result) }
            return all
        }
        var usedOnce = true
        let succeeded = Set(results.filter { $0.1 != nil }.map(\.0))
        for (n, input) in inputs.enumerated() where succeeded.contains(n) {
            let again: Void? = try? await Invitations.signUpForBench(
                code: input.code, name: input.name, idNumber: input.idNumber, phone: input.phone, username: "again\(n)", now: now,
                address: "bench-again-\(n)", app: app)
            if again != nil { usedOnce = false }
        }
        return SignupWave(
            times: results.compactMap(\.1), failed: results.filter { $0.1 == nil }.count, usedOnce: usedOnce,
            failures: Array(results.compactMap(\.2).prefix(3)))
    }
}
