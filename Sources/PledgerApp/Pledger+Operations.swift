import Foundation
import PledgerCore
import PledgerStore

extension Pledger {
    /// Writes a consistent copy of the ledger to a new file, even while the service writes, and
    /// checks the copy with ``verify()``.
    /// - Returns: the copy's verification.
    public func backup(to path: String) async throws -> Verification {
        try store.backup(to: path)
        let copy = Pledger(store: try LedgerStore(path: path), clock: clock, config: config)
        defer { try? copy.store.close() }
        return try await copy.verify()
    }

    /// Replaces the ledger at `target` with the backup at `source`, after checking the backup.
    /// An existing ledger is overwritten only with `force` (stop the service first).
    public static func restore(from source: String, to target: String, force: Bool, clock: WallClock = .system)
        async throws -> Verification
    {
        guard FileManager.default.fileExists(atPath: source) else {
            throw PledgerError(.notFound, code: "backup_not_found", field: "from", message: "no backup at \(source)")
        }
        guard force || !FileManager.default.fileExists(atPath: target) else {
            throw PledgerError(
                .refused, code: "ledger_exists", field: "db",
                message: "\(target) already holds a ledger; stop the service and pass --force to overwrite it")
        }
        let backup = Pledger(store: try LedgerStore(path: source), clock: clock)
        defer { try? backup.store.close() }
        let check = try await backup.verify()
        guard check.holds else {
            throw PledgerError(
                .refused, code: "backup_breached", field: "from",
                message: "the backup fails verify: \(check.breaches[0])")
        }
        let destination = try LedgerStore(path: target)
        defer { try? destination.close() }
        try destination.restore(from: backup.store)
        return try await Pledger(store: destination, clock: clock).verify()
    }

    /// Erases a supporter's personal data on request: e-mail and external ref become a tombstone
    /// (also inside stored webhook payloads), money records and reports stay as they are, and the
    /// e-mail can no longer be found.
    public func eraseSupporter(email: String) async throws -> (supporterID: String, pledges: Int) {
        // Looked up without the shape rules, so an address stored before them can still be erased.
        let address = try EmailAddress.lookupKey(email)
        let now = clock.now
        return try await store.write { session in
            guard let supporter = try session.supporter(email: address) else {
                throw PledgerError(
                    .notFound, code: "supporter_not_found", field: "email",
                    message: "no supporter with e-mail \(address)")
            }
            let pledges = try session.pledges(status: nil, email: address, limit: 10_000).count
            _ = try session.eraseSupporter(id: supporter.id, email: supporter.email, at: now)
            return (supporter.id, pledges)
        }
    }
}
