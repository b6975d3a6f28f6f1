import Foundation
import GRDB
import PledgerCore
import PledgerStoreInterface

/// The ledger's core and its hash chain (migrations 0005 and 0021): each transaction carries the
/// SHA-256 of the hash before it and its own canonical text, written with it and re-computed by verify.
extension StoreSession {
    /// The hash before the first entry.
    static let genesisHash = String(repeating: "0", count: 64)

    /// Writes balanced transactions, their postings and their chain hashes, in the order given,
    /// with a few multi-row statements: the hashes are computed from the values in hand.
    /// - Returns: the `seq` of the first of them; the others follow it one by one.
    @discardableResult
    func writeLedgerTransactions(
        _ items: [(id: ID<LedgerTransaction>, transaction: LedgerTransaction)], recordedAt: Int64
    ) throws -> Int64 {
        let accounts = try accountIDs(Set(items.flatMap { $0.transaction.postings.map(\.account) }))
        var (seq, previous) = try chainHead()
        let first = seq + 1
        guard !items.isEmpty else { return first }
        for start in stride(from: 0, to: items.count, by: Self.rowsPerStatement) {
            let part = items[start..<min(items.count, start + Self.rowsPerStatement)]
            var transactions: [DatabaseValue] = []
            var postings: [DatabaseValue] = []
            var postingRows = 0
            for (id, transaction) in part {
                seq += 1
                let occurred = ms(transaction.occurredAt)
                let lines = transaction.postings.enumerated().map { line, posting in
                    (
                        line: Int64(line + 1), account: posting.account, currency: posting.amount.currency.code,
                        amount: posting.amount.minorUnits
                    )
                }
                let hash = Self.chainHash(
                    previous: previous,
                    content: Self.canonical(
                        id: id.rawValue, kind: transaction.kind.rawValue, processor: transaction.processor,
                        externalID: transaction.externalID, occurredAt: occurred, recordedAt: recordedAt,
                        postings: lines))
                previous = Hex.encode(hash)
                transactions += [
                    seq.databaseValue, id.rawValue.databaseValue, transaction.kind.rawValue.databaseValue,
                    transaction.processor.databaseValue, transaction.externalID.databaseValue,
                    occurred.databaseValue, recordedAt.databaseValue, Data(hash).databaseValue,
                ]
                for line in lines {
                    guard let account = accounts[line.account] else {
                        throw StoreError.database("account \(line.account) is not in ledger_accounts")
                    }
                    postings += [
                        seq.databaseValue, line.line.databaseValue, account.databaseValue,
                        line.currency.databaseValue, line.amount.databaseValue,
                    ]
                    postingRows += 1
                }
            }
            try exec(
                sql: """
                    INSERT INTO ledger_transactions (seq, id, kind, processor, external_id, occurred_at, recorded_at, hash)
                    VALUES \(Self.marks(8, rows: part.count))
                    """,
                arguments: StatementArguments(transactions))
            if postingRows > 0 {
                try exec(
                    sql: """
                        INSERT INTO ledger_postings (transaction_seq, line, account_id, currency, amount)
                        VALUES \(Self.marks(5, rows: postingRows))
                        """,
                    arguments: StatementArguments(postings))
            }
        }
        return first
    }

    /// Names `accounts` in `ledger_accounts`, each once, and gives their keys: a posting names its
    /// account by key, looked up once per call rather than once per posting row.
    private func accountIDs(_ accounts: Set<String>) throws -> [String: Int64] {
        guard !accounts.isEmpty else { return [:] }
        let names = accounts.sorted()
        try exec(
            sql: "INSERT OR IGNORE INTO ledger_accounts (name) VALUES "
                + Array(repeating: "(?)", count: names.count).joined(separator: ", "),
            arguments: StatementArguments(names))
        let rows = try fetchRows(
            sql: "SELECT id, name FROM ledger_accounts WHERE name IN \(Self.marks(1, rows: names.count))",
            arguments: StatementArguments(names))
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["name"], $0["id"]) })
    }

    /// The newest transaction's `seq` (0 in an empty ledger) and its hash, in hex.
    private func chainHead() throws -> (seq: Int64, hash: String) {
        guard let row = try fetchRow(sql: "SELECT seq, hash FROM ledger_transactions ORDER BY seq DESC LIMIT 1")
        else { return (0, Self.genesisHash) }
        let hash: Data? = row["hash"]
        return (row["seq"], hash.map { Hex.encode(Array($0)) } ?? Self.genesisHash)
    }

    /// Whether the newest transaction is unchained — O(1), so opening a large ledger stays fast.
    /// Transactions are chained in the order they are written, so the newest tells for all.
    func hasUnchained() throws -> Bool {
        try fetchOne(Bool.self, sql: "SELECT hash IS NULL FROM ledger_transactions ORDER BY seq DESC LIMIT 1")
            ?? false
    }

    /// Chains transactions written before the chain existed, in the order they were written.
    func chainUnchained() throws -> Int {
        // Hashed in one pass, written after it: the cursor does not read rows it has changed.
        var hashes: [(seq: Int64, hash: [UInt8])] = []
        try walkChain { seq, _, stored, content, previous in
            if let stored { return Hex.encode(Array(stored)) }
            let hash = Self.chainHash(previous: previous, content: content)
            hashes.append((seq, hash))
            return Hex.encode(hash)
        }
        for (seq, hash) in hashes {
            try exec(sql: "UPDATE ledger_transactions SET hash = ? WHERE seq = ?", arguments: [Data(hash), seq])
        }
        return hashes.count
    }

    /// The first break in the chain, or nil when every transaction is chained and every hash
    /// recomputes: one pass over the transactions and their postings, in chain order.
    public func chainBreach() throws -> String? {
        var breach: String?
        var expectedSeq: Int64 = 1
        try walkChain { seq, id, stored, content, previous in
            guard seq == expectedSeq else {
                breach =
                    "hash chain entry \(seq) (ledger transaction \(id)) does not follow the entry before it: an entry was removed or reordered"
                return nil
            }
            expectedSeq += 1
            guard let stored else {
                breach = "ledger transaction \(id) is not in the hash chain: it was added behind Pledger's back"
                return nil
            }
            guard Self.chainHash(previous: previous, content: content) == Array(stored) else {
                breach =
                    "ledger transaction \(id) no longer matches its hash chain entry \(seq): its rows were changed after they were written"
                return nil
            }
            return Hex.encode(Array(stored))
        }
        return breach
    }

    /// Calls `body` with each transaction in chain order: its seq, id, stored hash, canonical text
    /// and the hash before it (hex). `body` returns this entry's hash in hex to go on, nil to stop.
    private func walkChain(
        _ body: (_ seq: Int64, _ id: String, _ hash: Data?, _ content: String, _ previous: String) throws -> String?
    ) throws {
        var previous = Self.genesisHash
        try forEachStoredTransaction { header, postings in
            let text = Self.canonical(
                id: header.id, kind: header.kind, processor: header.processor, externalID: header.externalID,
                occurredAt: header.occurredAt, recordedAt: header.recordedAt, postings: postings)
            guard let next = try body(header.seq, header.id, header.hash, text, previous) else { return false }
            previous = next
            return true
        }
    }

    /// A ledger transaction's row as stored.
    struct StoredTransaction {
        let seq: Int64
        let id: String
        let kind: String
        let processor: String
        let externalID: String
        let occurredAt: Int64
        let recordedAt: Int64
        let hash: Data?
    }

    /// Calls `body` with each transaction in `seq` order and its postings in line order (account
    /// names resolved); `body` returns false to stop. Two sequential scans merged here, rather than
    /// a join that would seek the postings once per transaction.
    func forEachStoredTransaction(
        _ body: (
            _ transaction: StoredTransaction,
            _ postings: [(line: Int64, account: String, currency: String, amount: Int64)]
        ) throws -> Bool
    ) throws {
        let accounts = Dictionary(
            uniqueKeysWithValues: try fetchRows(sql: "SELECT id, name FROM ledger_accounts").map {
                ($0[0] as Int64, $0[1] as String)
            })
        let transactions = try Row.fetchCursor(
            db,
            sql: """
                SELECT seq, id, kind, processor, external_id, occurred_at, recorded_at, hash
                FROM ledger_transactions ORDER BY seq
                """)
        let postings = try Row.fetchCursor(
            db,
            sql: """
                SELECT transaction_seq, line, account_id, currency, amount FROM ledger_postings
                ORDER BY transaction_seq, line
                """)
        var pending = try postings.next()
        var lines: [(line: Int64, account: String, currency: String, amount: Int64)] = []
        while let row = try transactions.next() {
            let transaction = StoredTransaction(
                seq: row[0], id: row[1], kind: row[2], processor: row[3], externalID: row[4], occurredAt: row[5],
                recordedAt: row[6], hash: row[7])
            lines.removeAll(keepingCapacity: true)
            // Postings of no transaction (only a hand edit makes them) are passed over here;
            // the foreign-key check names them.
            while let posting = pending, (posting[0] as Int64) <= transaction.seq {
                if (posting[0] as Int64) == transaction.seq {
                    let accountID: Int64 = posting[2]
                    lines.append((posting[1], accounts[accountID] ?? "?", posting[3], posting[4]))
                }
                pending = try postings.next()
            }
            guard try body(transaction, lines) else { return }
        }
    }

    /// One unambiguous text for a transaction: fields separated by newlines, postings in line
    /// order, tab-separated. Built the same way from rows (verify) and from what was just written.
    static func canonical(
        id: String, kind: String, processor: String, externalID: String, occurredAt: Int64, recordedAt: Int64,
        postings: [(line: Int64, account: String, currency: String, amount: Int64)]
    ) -> String {
        var text = "\(id)\n\(kind)\n\(processor)\n\(externalID)\n\(occurredAt)\n\(recordedAt)\n"
        for posting in postings {
            text += "\(posting.line)\t\(posting.account)\t\(posting.currency)\t\(posting.amount)\n"
        }
        return text
    }

    /// The chain's hash: SHA-256 over the hash before (hex), a newline and the canonical text.
    static func chainHash(previous: String, content: String) -> [UInt8] {
        sha256(previous + "\n" + content)
    }
}
