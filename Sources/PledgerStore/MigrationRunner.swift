import Foundation
import GRDB

/// Applies migrations in order, each once and in its own transaction, recording a checksum;
/// refuses to run when an applied migration's text has changed.
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
