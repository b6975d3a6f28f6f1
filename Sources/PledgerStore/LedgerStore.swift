import COpenSSL
import Foundation
import GRDB
import PledgerCore
import PledgerStoreInterface

/// The SQLite ledger: opens (and creates) the file, applies the embedded migrations, and runs
/// intention-named transactions through ``StoreSession``. Callers never see SQL.
public final class LedgerStore: Sendable {
    /// How hard a commit waits for the disk.
    public enum Durability: Sendable {
        /// `synchronous=FULL`: a committed write survives a power cut. The default for the ledger.
        case full
        /// `synchronous=OFF`: only for throwaway databases such as `pledger demo`'s, where a
        /// year of history would otherwise wait on thousands of fsyncs.
        case scratch
    }

    let pool: DatabasePool
    let committer: GroupCommitter
    public let path: String
    /// Migrations this open applied (empty when the database was already current).
    public let appliedMigrations: [String]

    /// Opens the database at `path`, creating it and applying pending migrations.
    /// - Throws: `StoreError` when the file cannot be opened or a migration was changed after it was applied.
    public init(path: String, durability: Durability = .full, migrations: [Migration] = Migration.embedded) throws {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        // GRDB 7 opens write transactions IMMEDIATE, so a CLI and the server writing at once wait
        // for each other (the busy timeout) instead of failing when a read would become a write.
        let synchronous = durability == .full ? "FULL" : "OFF"
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
            // SQLite 3.40 (Debian's) has no unhex(); migration 0021 turns the chain's hex into bytes with this.
            db.add(function: Self.unhex)
            // A scratch ledger's huge transactions touch index pages all over the history, and reports
            // revisit index pages (one lookup per pledge that moved): both want more than SQLite's 2 MB
            // default cache. 32 MB per connection, used only as touched.
            try db.execute(sql: "PRAGMA cache_size = \(durability == .scratch ? -262_144 : -32_768)")
            // A month's distinct paying supporters and the MRR changes are sorted in temporary
            // b-trees, which are faster in memory (docs/PERFORMANCE.md). On the writer it keeps the
            // statement journals in memory too: each multi-row INSERT and each grouped write's
            // savepoint copies the pages it changes aside, and past 64 KiB SQLite spilled them to a
            // temporary file (ingestion 2,300 -> 3,400 events/s). It was once kept off the writer
            // because a demo transaction, in a savepoint, grew one huge in-memory journal read from
            // its head; a write alone in its group now has no savepoint (GroupCommitter).
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            // PLEDGER_SQL_PROFILE=1: every statement with its duration on stderr, to find a slow one.
            if ProcessInfo.processInfo.environment["PLEDGER_SQL_PROFILE"] == "1" {
                db.trace(options: .profile) { event in
                    guard case .profile(let statement, let duration) = event else { return }
                    // Past the months table that opens the report's statements, to show what each one reads.
                    let sql = statement.sql.replacingOccurrences(of: "\n", with: " ")
                    let shown = sql.range(of: "SELECT").map { String(sql[$0.lowerBound...]) } ?? sql
                    FileHandle.standardError.write(Data("\(Int(duration * 1000)) ms  \(shown.prefix(200))\n".utf8))
                }
            }
        }
        self.path = path
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: Self.describe(error))
        }
        committer = GroupCommitter(pool: pool)
        do {
            appliedMigrations = try MigrationRunner(migrations: migrations).run(on: pool)
            // The chain lives in ledger_transactions.hash from 0021 on (tests may open older schemas).
            if migrations.contains(where: { $0.name == "0021_compact_ledger.sql" }),
                try pool.read({ db in try StoreSession(db: db).hasUnchained() })
            {
                _ = try pool.write { db in try StoreSession(db: db).chainUnchained() }
            }
        } catch let error as DatabaseError {
            // A damaged file fails here first; say so in words rather than with the statement that met it.
            throw Self.storeError(error, path: path)
        }
    }

    /// Runs `body` in one write transaction (`BEGIN IMMEDIATE`): all of it commits or none of it.
    ///
    /// Concurrent writes are committed together (``GroupCommitter``): each is all-or-nothing on its
    /// own, and none returns before the transaction it was part of has committed.
    public func write<T: Sendable>(_ body: @escaping @Sendable (StoreSession) throws -> T) async throws -> T {
        do {
            return try await committer.write { db in try body(StoreSession(db: db)) }
        } catch let error as DatabaseError {
            throw Self.storeError(error, path: path)
        }
    }

    /// Runs `body` on a read-only snapshot.
    public func read<T: Sendable>(_ body: @escaping @Sendable (StoreSession) throws -> T) async throws -> T {
        do {
            return try await pool.read { db in try body(StoreSession(db: db)) }
        } catch let error as DatabaseError {
            throw Self.storeError(error, path: path)
        }
    }

    /// Copies the whole database to a new file at `path` through SQLite's online backup, a
    /// consistent snapshot even while others write. Refuses to overwrite an existing file.
    public func backup(to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw PledgerError.invalid("to", "\(path) already exists; choose a new file")
        }
        do {
            let destination = try DatabaseQueue(path: path)
            try pool.backup(to: destination)
            try destination.close()
        } catch let error as DatabaseError {
            try? FileManager.default.removeItem(atPath: path)
            throw StoreError.database(Self.describe(error))
        }
    }

    /// Replaces this database's content with `source`'s, through SQLite's backup API.
    public func restore(from source: LedgerStore) throws {
        do {
            try source.pool.backup(to: pool)
        } catch let error as DatabaseError {
            throw StoreError.database(Self.describe(error))
        }
    }

    /// Closes every connection; later calls fail. Called on graceful shutdown.
    public func close() throws {
        try pool.close()
    }

    /// `pledger_unhex(text)`: the bytes a hex text spells, NULL for NULL or anything not hex.
    static let unhex = DatabaseFunction("pledger_unhex", argumentCount: 1, pure: true) { values in
        guard let text = String.fromDatabaseValue(values[0]), let bytes = Hex.decode(text) else { return nil }
        return Data(bytes)
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "SQLite error \(error.resultCode)"
        }
        return "\(error)"
    }
}

/// SHA-256 of a text's UTF-8 through libcrypto.
func sha256(_ text: String) -> [UInt8] {
    var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
    var text = text
    text.withUTF8 { bytes in _ = SHA256(bytes.baseAddress, bytes.count, &digest) }
    return digest
}

/// Hex SHA-256 through libcrypto.
func sha256Hex(_ text: String) -> String {
    Hex.encode(sha256(text))
}
