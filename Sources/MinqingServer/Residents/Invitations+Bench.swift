import Foundation
import Vapor

/// `minqing-bench`'s way in to sign-ups (`residents.signup`): the same functions the pages call.
extension Invitations {
    /// Letters for a building group's households without an account, as the desk prints them.
    package static func lettersForBench(node: String, writer: WriteContext, app: Application) async throws -> [(household: UUID, code: String)] {
        try await issue(.init(node: node, valid_days: 7), writer: writer, vault: app.services.vault, on: app.db).map {
            ($0.household_id.rawValue, $0.code)
        }
    }

    /// One sign-up as `/signup` takes it.
    package static func signUpForBench(
        code: String, name: String, idNumber: String, phone: String, username: String, now: Date, address: String, app: Application
    ) async throws {
        _ = try await signUp(
            .init(code: code, name: name, id_number: idNumber, phone: phone, username: username, password: "Bench-Signup-2026"), now: now,
            address: address, app: app, on: app.db)
    }
}
