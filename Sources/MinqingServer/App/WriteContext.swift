import Foundation
import MinqingDomain
import Vapor

/// Who writes, when and from where: what every write puts in its rows and its audit entry. Services
/// take one of these instead of the `Request`, so a command, a demo load or a test can write too.
package struct WriteContext: Sendable {
    var actor: Actor
    var now: Date
    var address: String

    package init(actor: Actor, now: Date, address: String = "") {
        self.actor = actor
        self.now = now
        self.address = address
    }

    init(_ actor: Actor, _ request: Request) {
        self.init(actor: actor, now: request.now, address: request.clientAddress)
    }

    /// The calendar day of `now` in Asia/Shanghai.
    var today: CivilDate { CivilDate(now, in: .shanghai) }
}

extension Request {
    /// The signed-in caller writing now from this request's address; 401 when signed out.
    func writeContext() throws -> WriteContext { WriteContext(try requireActor(), self) }

    /// The UUID in the path parameter `name`; `notFound` (404) when it is missing or not a UUID,
    /// the same answer as for a row outside the caller's scope.
    func pathID(_ name: String = "id", notFound: AppError = .notFound()) throws -> UUID {
        guard let id = parameters.get(name, as: UUID.self) else { throw notFound }
        return id
    }
}
