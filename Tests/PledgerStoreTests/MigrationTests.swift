import Foundation
import GRDB
import PledgerCore
import PledgerTestSupport
import Testing

@testable import PledgerStore

@Suite("Migrations")
struct MigrationTests {
    private func temporaryPath() throws -> (URL, String) {
        let directory = FileManager.default.temporaryDirectory.appending(path: "pledger-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return (directory, directory.appending(path: "ledger.sqlite").path)
    }

    @Test("The binary carries migrations/ in file-name order")
    func embedded() throws {
        let names = Migration.embedded.map(\.name)
        #expect(names.first == "0001_initial.sql")
        #expect(names == names.sorted())
        #expect(Migration.embedded.first?.sql.contains("CREATE TABLE ledger_postings") == true)
    }

    @Test("Migrations apply once, recorded with their checksum")
    func applyOnce() throws {
        let (directory, path) = try temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try LedgerStore(path: path)
        #expect(first.appliedMigrations == Migration.embedded.map(\.name))
        let second = try LedgerStore(path: path)
        #expect(second.appliedMigrations == [])
        let recorded = try second.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT name, checksum FROM schema_migrations ORDER BY name")
                .map { "\($0["name"] as String)=\($0["checksum"] as String)" }
        }
        #expect(recorded == Migration.embedded.map { "\($0.name)=\($0.checksum)" })
        // SHA-256 through libcrypto, checked against a known digest.
        #expect(
            Migration(name: "x", sql: "abc").checksum
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("An applied migration whose text changed is refused, naming it")
    func changedMigrationRefused() throws {
        let (directory, path) = try temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try LedgerStore(path: path)
        let edited = Migration.embedded.map { Migration(name: $0.name, sql: $0.sql + "\n-- edited afterwards\n") }
        #expect {
            try LedgerStore(path: path, migrations: edited)
        } throws: { error in
            guard case .migrationChanged(let name, _, _) = error as? StoreError else { return false }
            return name == "0001_initial.sql" && "\(error)".contains("was changed after it was applied")
        }
    }

    @Test("A failing migration is rolled back whole and not recorded")
    func failingMigrationRolledBack() throws {
        let (directory, path) = try temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let broken =
            Migration.embedded + [
                Migration(name: "0999_broken.sql", sql: "CREATE TABLE half_done (x); SELECT * FROM no_such_table;")
            ]
        #expect {
            try LedgerStore(path: path, migrations: broken)
        } throws: { error in
            guard case .migrationFailed(let name, _) = error as? StoreError else { return false }
            return name == "0999_broken.sql"
        }
        let store = try LedgerStore(path: path)
        #expect(store.appliedMigrations == [])
        let tables = try store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        #expect(!tables.contains("half_done"))
        #expect(tables.contains("ledger_postings"))
    }

    @Test("A database migrated by a newer build is refused")
    func unknownMigrationRefused() throws {
        let (directory, path) = try temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try LedgerStore(
            path: path,
            migrations: Migration.embedded + [Migration(name: "9999_future.sql", sql: "CREATE TABLE future (x);")])
        #expect(throws: StoreError.unknownMigration(name: "9999_future.sql")) {
            try LedgerStore(path: path)
        }
    }

    @Test(
        "A ledger made before pauses keeps its pledges and requests through the table rebuild; foreign keys are on again"
    )
    func pausedMigrationRebuildsTables() throws {
        let (directory, path) = try temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let before = Migration.embedded.filter { $0.name < "0019" }
        do {
            let old = try LedgerStore(path: path, migrations: before)
            try old.pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO supporters (id, email, created_at) VALUES ('sp_1', 'a@example.org', 0);
                        INSERT INTO pledges (id, supporter_id, cadence, amount, currency, status, created_at,
                                             first_paid_at, seq)
                            VALUES ('pl_1', 'sp_1', 'monthly', 500, 'USD', 'active', 0, 1, 1);
                        INSERT INTO pledge_events (pledge_id, kind, occurred_at, to_status, amount)
                            VALUES ('pl_1', 'created', 0, 'pending', 500);
                        INSERT INTO supporter_requests (id, pledge_id, kind, months, requested_at)
                            VALUES ('sr_1', 'pl_1', 'pause', 2, 5);
                        """)
            }
        }
        let store = try LedgerStore(path: path)
        #expect(store.appliedMigrations.first == "0019_paused.sql")
        try store.pool.write { db in
            #expect(try String.fetchOne(db, sql: "SELECT status FROM pledges WHERE id = 'pl_1'") == "active")
            #expect(try String.fetchOne(db, sql: "SELECT kind FROM supporter_requests WHERE id = 'sr_1'") == "pause")
            #expect(try Int.fetchOne(db, sql: "PRAGMA foreign_keys") == 1)
            #expect(try Row.fetchOne(db, sql: "PRAGMA foreign_key_check") == nil)
            // The new state and request kind are allowed; the old CHECKs still refuse nonsense.
            try db.execute(sql: "UPDATE pledges SET status = 'paused', resumes_at = 10 WHERE id = 'pl_1'")
            try db.execute(
                sql:
                    "INSERT INTO supporter_requests (id, pledge_id, kind, requested_at) VALUES ('sr_2', 'pl_1', 'resume', 6)"
            )
            #expect(throws: (any Error).self) {
                try db.execute(sql: "UPDATE pledges SET status = 'sleeping' WHERE id = 'pl_1'")
            }
            #expect(throws: (any Error).self) {
                try db.execute(sql: "UPDATE pledges SET status = 'active' WHERE id = 'pl_1'")  // resumes_at stays
            }
            // The rebuilt pledges table still refuses a pledge of an unknown supporter.
            #expect(throws: (any Error).self) {
                try db.execute(
                    sql: """
                        INSERT INTO pledges (id, supporter_id, cadence, amount, currency, status, created_at, seq)
                        VALUES ('pl_2', 'sp_missing', 'monthly', 500, 'USD', 'pending', 0, 2)
                        """)
            }
        }
    }

    @Test(
        "A ledger made at 0019 migrates: its created and amount events get their pledge's cadence; the table stays append-only"
    )
    func cadenceMigrationBackfills() throws {
        let (directory, path) = try temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let before = Migration.embedded.filter { $0.name < "0020" }
        do {
            let old = try LedgerStore(path: path, migrations: before)
            try old.pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO supporters (id, email, created_at) VALUES ('sp_1', 'a@example.org', 0);
                        INSERT INTO pledges (id, supporter_id, cadence, amount, currency, status, created_at,
                                             first_paid_at, seq)
                            VALUES ('pl_1', 'sp_1', 'monthly', 700, 'USD', 'active', 0, 1, 1),
                                   ('pl_2', 'sp_1', 'annual', 5000, 'USD', 'active', 0, 1, 2),
                                   ('pl_3', 'sp_1', 'one_off', 900, 'USD', 'completed', 0, 1, 3);
                        INSERT INTO pledge_events (pledge_id, kind, occurred_at, to_status, amount, old_amount)
                            VALUES ('pl_1', 'created', 0, 'pending', 500, NULL),
                                   ('pl_1', 'status', 1, 'active', NULL, NULL),
                                   ('pl_1', 'amount', 5, NULL, 700, 500),
                                   ('pl_2', 'created', 0, 'pending', 5000, NULL),
                                   ('pl_3', 'created', 0, 'pending', 900, NULL);
                        """)
            }
        }
        let store = try LedgerStore(path: path)
        #expect(store.appliedMigrations.first == "0020_cadence.sql")
        try store.pool.write { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT pledge_id, kind, cadence, old_cadence FROM pledge_events ORDER BY seq"
            ).map {
                "\($0["pledge_id"] as String) \($0["kind"] as String) \($0["cadence"] as String?) \($0["old_cadence"] as String?)"
            }
            #expect(
                rows == [
                    "pl_1 created Optional(\"monthly\") nil", "pl_1 status nil nil",
                    "pl_1 amount Optional(\"monthly\") Optional(\"monthly\")", "pl_2 created Optional(\"annual\") nil",
                    "pl_3 created Optional(\"one_off\") nil",
                ])
            // Still append-only, and the new columns refuse a cadence Pledger does not know.
            #expect(throws: (any Error).self) {
                try db.execute(sql: "UPDATE pledge_events SET cadence = 'annual' WHERE pledge_id = 'pl_1'")
            }
            #expect(throws: (any Error).self) {
                try db.execute(
                    sql: """
                        INSERT INTO pledge_events (pledge_id, kind, occurred_at, amount, cadence)
                        VALUES ('pl_1', 'amount', 9, 800, 'weekly')
                        """)
            }
            // The reads that weigh each amount by its cadence stay on the covering index.
            let plan = try Row.fetchAll(
                db,
                sql: """
                    EXPLAIN QUERY PLAN SELECT amount, cadence FROM pledge_events
                    WHERE pledge_id = 'pl_1' AND kind IN ('created', 'amount') AND occurred_at < 10
                    ORDER BY occurred_at DESC, seq DESC LIMIT 1
                    """
            ).map { $0["detail"] as String }.joined(separator: "; ")
            #expect(plan.contains("COVERING INDEX pledge_events_amounts"), "\(plan)")
        }
    }

    @Test(
        "A ledger made at 0020 is compacted: hashes carried over and recomputing, postings by integer keys, an unchained transaction chained on open"
    )
    func compactLedgerMigration() throws {
        let (directory, path) = try temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let before = Migration.embedded.filter { $0.name < "0021" }
        // Two transactions as the 0020 build wrote them, chained, and a third from before the chain.
        let postings: [(line: Int64, account: String, currency: String, amount: Int64)] = [
            (1, "assets:processor:stripe", "USD", 500), (2, "income:donations:monthly", "USD", -500),
        ]
        let first = StoreSession.canonical(
            id: "tx_a", kind: "payment", processor: "stripe", externalID: "ch_a", occurredAt: 10, recordedAt: 11,
            postings: postings)
        let second = StoreSession.canonical(
            id: "tx_b", kind: "payment", processor: "stripe", externalID: "ch_b", occurredAt: 5, recordedAt: 12,
            postings: postings)
        let hashA = Hex.encode(StoreSession.chainHash(previous: StoreSession.genesisHash, content: first))
        let hashB = Hex.encode(StoreSession.chainHash(previous: hashA, content: second))
        do {
            let old = try LedgerStore(path: path, migrations: before)
            try old.pool.write { db in
                for (id, external, occurred, recorded) in [
                    ("tx_a", "ch_a", 10, 11), ("tx_b", "ch_b", 5, 12), ("tx_c", "ch_c", 7, 13),
                ] {
                    try db.execute(
                        sql: """
                            INSERT INTO ledger_transactions (id, kind, processor, external_id, occurred_at, recorded_at)
                            VALUES (?, 'payment', 'stripe', ?, ?, ?)
                            """, arguments: [id, external, occurred, recorded])
                    for posting in postings {
                        try db.execute(
                            sql: """
                                INSERT INTO ledger_postings (transaction_id, line, account, currency, amount)
                                VALUES (?, ?, ?, ?, ?)
                                """, arguments: [id, posting.line, posting.account, posting.currency, posting.amount])
                    }
                }
                try db.execute(
                    sql: "INSERT INTO ledger_chain (transaction_id, prev_hash, hash) VALUES (?, ?, ?), (?, ?, ?)",
                    arguments: ["tx_a", StoreSession.genesisHash, hashA, "tx_b", hashA, hashB])
            }
        }
        let store = try LedgerStore(path: path)
        #expect(store.appliedMigrations.first == "0021_compact_ledger.sql")
        try store.pool.read { db in
            let session = StoreSession(db: db)
            #expect(try session.chainBreach() == nil)
            let rows = try Row.fetchAll(
                db, sql: "SELECT seq, id, hex(hash) AS hash FROM ledger_transactions ORDER BY seq")
            #expect(rows.map { "\($0["seq"] as Int64) \($0["id"] as String)" } == ["1 tx_a", "2 tx_b", "3 tx_c"])
            // The carried-over hashes are the 0020 build's, byte for byte; tx_c was chained on open.
            #expect(rows.prefix(2).map { ($0["hash"] as String).lowercased() } == [hashA, hashB])
            #expect((rows[2]["hash"] as String?)?.count == 64)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ledger_postings") == 6)
            #expect(
                try String.fetchAll(db, sql: "SELECT name FROM ledger_accounts ORDER BY id") == [
                    "assets:processor:stripe", "income:donations:monthly",
                ])
            #expect(try Row.fetchOne(db, sql: "PRAGMA foreign_key_check") == nil)
            #expect(try Int.fetchOne(db, sql: "PRAGMA foreign_keys") == 1)
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
            #expect(!tables.contains("ledger_chain"))
        }
        // Still append-only; the hash, once set, is frozen like the rest.
        #expect(throws: (any Error).self) {
            try store.pool.write { db in try db.execute(sql: "UPDATE ledger_transactions SET hash = NULL WHERE seq = 1")
            }
        }
        #expect(throws: (any Error).self) {
            try store.pool.write { db in try db.execute(sql: "UPDATE ledger_postings SET amount = 0") }
        }
        #expect(throws: (any Error).self) {
            try store.pool.write { db in try db.execute(sql: "DELETE FROM ledger_accounts") }
        }
    }

    @Test("A ledger whose payment names another external id than its transaction is refused by 0023, unchanged")
    func compactPaymentsRefusesDisagreement() throws {
        let (directory, path) = try temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let old = try LedgerStore(path: path, migrations: Migration.embedded.filter { $0.name < "0023" })
            try old.pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO supporters (id, email, created_at) VALUES ('sp_1', 'a@example.org', 0);
                        INSERT INTO pledges (id, supporter_id, cadence, amount, currency, status, created_at, seq)
                        VALUES ('pl_1', 'sp_1', 'monthly', 500, 'USD', 'active', 0, 1);
                        INSERT INTO ledger_transactions (seq, id, kind, processor, external_id, occurred_at, recorded_at)
                        VALUES (1, 'tx_1', 'payment', 'stripe', 'ch_1', 10, 11);
                        INSERT INTO payments (id, transaction_id, pledge_id, supporter_id, cadence, processor,
                                              external_id, amount, currency, occurred_at)
                        VALUES ('py_1', 'tx_1', 'pl_1', 'sp_1', 'monthly', 'stripe', 'ch_other', 500, 'USD', 10);
                        """)
            }
        }
        #expect {
            try LedgerStore(path: path)
        } throws: { error in
            guard case .migrationFailed(let name, let reason) = error as? StoreError else { return false }
            return name == "0023_compact_payments.sql"
                && reason.contains("payments_and_reversals_carry_their_transactions_external_ids")
        }
        let old = try LedgerStore(path: path, migrations: Migration.embedded.filter { $0.name < "0023" })
        let kept = try old.pool.read { db in
            try String.fetchOne(db, sql: "SELECT external_id FROM payments WHERE id = 'py_1'")
        }
        #expect(kept == "ch_other")
    }

    @Test("A ledger with a processor reference to a pledge it lacks is refused by 0024, unchanged")
    func compactRefsRefusesDanglingLink() throws {
        let (directory, path) = try temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let old = try LedgerStore(path: path, migrations: Migration.embedded.filter { $0.name < "0024" })
            // Foreign keys kept such a link out; a ledger written with them off could still hold one.
            try old.pool.writeWithoutTransaction { db in
                try db.execute(
                    sql: """
                        PRAGMA foreign_keys = OFF;
                        INSERT INTO processor_refs (processor, ref, pledge_id, payment_id, created_at)
                        VALUES ('stripe', 'sub_1', 'pl_missing', NULL, 0);
                        """)
            }
        }
        #expect {
            try LedgerStore(path: path)
        } throws: { error in
            guard case .migrationFailed(let name, let reason) = error as? StoreError else { return false }
            return name == "0024_compact_refs.sql"
                && reason.contains("processor_refs_name_pledges_and_payments_the_ledger_holds")
        }
        let old = try LedgerStore(path: path, migrations: Migration.embedded.filter { $0.name < "0024" })
        let kept = try old.pool.read { db in
            try String.fetchOne(db, sql: "SELECT pledge_id FROM processor_refs WHERE ref = 'sub_1'")
        }
        #expect(kept == "pl_missing")
    }

    @Test("WAL, synchronous=FULL and foreign keys are on")
    func pragmas() throws {
        let ledger = try TemporaryLedger(now: instant("2026-11-01T00:00:00Z"))
        let (journal, synchronous, foreignKeys) = try ledger.store.pool.read { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"),
                try Int.fetchOne(db, sql: "PRAGMA foreign_keys")
            )
        }
        #expect(journal == "wal")
        #expect(synchronous == 2)  // FULL
        #expect(foreignKeys == 1)
    }
}
