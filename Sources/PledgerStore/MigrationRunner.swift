import Foundation
import GRDB

/// Applies migrations in order, each once and in its own transaction, recording a checksum;
/// refuses to run when an applied migration's text has changed.
///
/// A migration whose first line is `-- pledger: rebuilds-tables` rebuilds tables that others
/// reference (SQLite changes a CHECK no other way): it runs with foreign keys off, as SQLite's
/// documentation prescribes for that, and every foreign key is checked before it commits.
struct MigrationRunner {
    let migrations: [Migration]

    func run(on pool: DatabasePool) throws -> [String] {
        try pool.writeWithoutTransaction { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at INTEGER NOT NULL)
                    """)
            var applied: [String] = []
            for migration in migrations.sorted(by: { $0.name < $1.name }) {
                var didApply = false
                let rebuilds = migration.sql.hasPrefix("-- pledger: rebuilds-tables")
                // Only outside a transaction does SQLite take this pragma.
                if rebuilds { try db.execute(sql: "PRAGMA foreign_keys = OFF") }
                defer { if rebuilds { try? db.execute(sql: "PRAGMA foreign_keys = ON") } }
                try db.inTransaction(.immediate) {
                    // Checked inside the transaction: another process may have just applied it.
                    let recorded = try String.fetchOne(
                        db, sql: "SELECT checksum FROM schema_migrations WHERE name = ?", arguments: [migration.name])
                    if let recorded {
                        guard recorded == migration.checksum else {
                            throw StoreError.migrationChanged(
                                name: migration.name, recorded: recorded, current: migration.checksum)
                        }
                        return .commit
                    }
                    do {
                        try db.execute(sql: migration.sql)
                        if rebuilds, let broken = try Row.fetchOne(db, sql: "PRAGMA foreign_key_check") {
                            let (table, parent) = (broken[0] as String? ?? "?", broken[2] as String? ?? "?")
                            throw StoreError.migrationFailed(
                                name: migration.name, reason: "a row of \(table) names a missing \(parent)")
                        }
                    } catch let error as StoreError {
                        throw error
                    } catch {
                        throw StoreError.migrationFailed(name: migration.name, reason: LedgerStore.describe(error))
                    }
                    try db.execute(
                        sql: "INSERT INTO schema_migrations (name, checksum, applied_at) VALUES (?, ?, ?)",
                        arguments: [migration.name, migration.checksum, Int64(Date().timeIntervalSince1970 * 1000)])
                    didApply = true
                    return .commit
                }
                if didApply { applied.append(migration.name) }
            }
            let known = Set(migrations.map(\.name))
            for name in try String.fetchAll(db, sql: "SELECT name FROM schema_migrations ORDER BY name")
            where !known.contains(name) {
                throw StoreError.unknownMigration(name: name)
            }
            return applied
        }
    }
}
