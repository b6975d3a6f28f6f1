import Foundation
import GRDB
import PledgerApp
import PledgerCore
import PledgerStore

/// A ledger in a fresh temporary directory, for one test. The directory is removed when the
/// value is released.
public final class TemporaryLedger: Sendable {
    public let directory: URL
    public let path: String
    public let store: LedgerStore
    public let app: Pledger

    /// - Parameters:
    ///   - now: the fixed clock every use case reads.
    ///   - config: the policies; DESIGN's defaults unless given.
    public convenience init(now: Date, config: PledgerConfig = PledgerConfig()) throws {
        try self.init(clock: .fixed(now), config: config)
    }

    /// A ledger whose use cases read `clock` (a ``SettableClock``'s, to walk a schedule).
    public init(clock: WallClock, config: PledgerConfig = PledgerConfig()) throws {
        directory = FileManager.default.temporaryDirectory.appending(path: "pledger-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appending(path: "ledger.sqlite").path
        store = try LedgerStore(path: path)
        app = Pledger(store: store, clock: clock, config: config)
    }

    /// Runs SQL on a connection of its own, past every use case: for tests that must prove the
    /// database itself refuses an edit, or that `verify` finds one made behind Pledger's back.
    public func executeRawSQL(_ sql: String) throws {
        try DatabaseQueue(path: path).write { db in try db.execute(sql: sql) }
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A test instant from ISO 8601 text; a typo in a test is a crash, not a silent default.
public func instant(_ text: String) -> Date {
    do {
        return try Timestamp.parse(text, field: "test")
    } catch {
        fatalError("bad test instant \(text): \(error)")
    }
}

/// Dollars, euros… written as in a test: `usd("10.00")`.
public func usd(_ text: String) -> Money { money(text, .usd) }
public func eur(_ text: String) -> Money { money(text, .eur) }

public func money(_ text: String, _ currency: Currency) -> Money {
    do {
        return try Money.parse(text, currency: currency)
    } catch {
        fatalError("bad test amount \(text): \(error)")
    }
}

/// The repository's `Fixtures/` folder, found from this file's path (tests run from anywhere).
public func fixturesDirectory(file: StaticString = #filePath) -> URL {
    var directory = URL(fileURLWithPath: "\(file)").deletingLastPathComponent()
    while directory.path != "/" {
        if FileManager.default.fileExists(atPath: directory.appending(path: "Package.swift").path) {
            return directory.appending(path: "Fixtures")
        }
        directory = directory.deletingLastPathComponent()
    }
    fatalError("no Package.swift above \(file)")
}

/// SQL that plants a ledger transaction behind Pledger's back, as only a bug or a hand edit with
/// the sqlite3 shell could: unchained, posting `debit` to the manual processor and `credit` (minor
/// units, negative) to one-off donations, in USD.
public func plantedTransactionSQL(id: String, externalID: String, debit: Int64, credit: Int64) -> String {
    """
    INSERT OR IGNORE INTO ledger_accounts (name) VALUES ('assets:processor:manual'), ('income:donations:one_off');
    INSERT INTO ledger_transactions (seq, id, kind, processor, external_id, occurred_at, recorded_at)
    VALUES ((SELECT MAX(seq) + 1 FROM ledger_transactions), '\(id)', 'adjustment', 'manual', '\(externalID)', 0, 0);
    INSERT INTO ledger_postings (transaction_seq, line, account_id, currency, amount)
    SELECT t.seq, 1, a.id, 'USD', \(debit) FROM ledger_transactions t, ledger_accounts a
    WHERE t.id = '\(id)' AND a.name = 'assets:processor:manual';
    INSERT INTO ledger_postings (transaction_seq, line, account_id, currency, amount)
    SELECT t.seq, 2, a.id, 'USD', \(credit) FROM ledger_transactions t, ledger_accounts a
    WHERE t.id = '\(id)' AND a.name = 'income:donations:one_off';
    """
}
