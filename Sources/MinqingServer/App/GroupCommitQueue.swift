import Fluent
import Foundation

/// Group commit, one queue per kind of write and application: an item waits while a batch is
/// being written, and every item that arrived meanwhile goes into the next batch together; `write`
/// writes a batch in one transaction and answers one outcome per item, in order. With one writer
/// at a time (SQLite), or one hot row (a campaign's stock, the audit chain's head on PostgreSQL),
/// a burst costs a few transactions instead of one each in a row. Used by the owners' votes
/// (`VoteCastQueue`) and limited-stock reservations (`ReservationQueue`).
package actor GroupCommitQueue<Item: Sendable, Outcome: Sendable> {
    typealias Write = @Sendable ([Item], any Database) async throws -> [Outcome]

    /// At most this many items a transaction.
    let batchLimit: Int
    private let write: Write
    private var pending: [(Item, CheckedContinuation<Outcome, any Error>)] = []
    private var draining = false

    init(batchLimit: Int, write: @escaping Write) {
        self.batchLimit = batchLimit
        self.write = write
    }

    /// Queues an item and returns once its batch has committed, with what became of it; a batch
    /// that fails fails every item in it.
    func submit(_ item: Item, on db: any Database) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            pending.append((item, continuation))
            if !draining {
                draining = true
                Task { await self.drain(on: db) }
            }
        }
    }

    private func drain(on db: any Database) async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(batchLimit))
            pending.removeFirst(batch.count)
            do {
                let outcomes = try await write(batch.map(\.0), db)
                for (index, item) in batch.enumerated() { item.1.resume(returning: outcomes[index]) }
            } catch {
                for item in batch { item.1.resume(throwing: error) }
            }
        }
        draining = false
    }
}
