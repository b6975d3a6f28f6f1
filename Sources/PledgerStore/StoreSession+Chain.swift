import Foundation
import GRDB
import PledgerCore
import PledgerStoreInterface

/// The ledger's hash chain (migration 0005): written with every transaction, re-computed by verify.
extension StoreSession {
    /// The hash before the first entry.
    static let genesisHash = String(repeating: "0", count: 64)

    /// Appends `transactionID` to the chain, hashing its rows as they are stored.
    func chain(_ transactionID: ID<LedgerTransaction>) throws {
        try chain(transactionID, content: try canonicalContent(transactionID.rawValue))
    }

    /// Appends a transaction whose canonical content the caller already has (it just wrote the rows).
    func chain(_ transactionID: ID<LedgerTransaction>, content: String) throws {
        let previous =
            try fetchOne(String.self, sql: "SELECT hash FROM ledger_chain ORDER BY seq DESC LIMIT 1")
            ?? Self.genesisHash
        try exec(
            sql: "INSERT INTO ledger_chain (transaction_id, prev_hash, hash) VALUES (?, ?, ?)",
            arguments: [transactionID, previous, Self.chainHash(previous: previous, content: content)])
    }

    /// Whether the newest transaction is unchained — O(1), so opening a large ledger stays fast.
    /// Transactions are chained in the order they are written, so the newest tells for all.
    func hasUnchained() throws -> Bool {
        let newest = try fetchOne(String.self, sql: "SELECT id FROM ledger_transactions ORDER BY rowid DESC LIMIT 1")
        guard let newest else { return false }
        return try fetchOne(
            Bool.self, sql: "SELECT NOT EXISTS (SELECT 1 FROM ledger_chain WHERE transaction_id = ?)",
            arguments: [newest]) ?? true
    }

    /// Chains transactions written before the chain existed, in the order they were written.
    func chainUnchained() throws -> Int {
        let ids = try fetchAll(
            String.self,
            sql: """
                SELECT t.id FROM ledger_transactions t LEFT JOIN ledger_chain c ON c.transaction_id = t.id
                WHERE c.seq IS NULL ORDER BY t.rowid
                """)
        for id in ids { try chain(ID(id)) }
        return ids.count
    }

    /// The first break in the chain, or nil when every transaction is chained and every hash
    /// recomputes: walks the chain in order, one transaction at a time.
    public func chainBreach() throws -> String? {
        let entries = try Row.fetchCursor(
            db, sql: "SELECT seq, transaction_id, prev_hash, hash FROM ledger_chain ORDER BY seq")
        var expectedPrevious = Self.genesisHash
        while let entry = try entries.next() {
            let id: String = entry["transaction_id"]
            let seq: Int64 = entry["seq"]
            guard entry["prev_hash"] == expectedPrevious else {
                return
                    "hash chain entry \(seq) (ledger transaction \(id)) does not follow the entry before it: an entry was removed or reordered"
            }
            let stored: String = entry["hash"]
            guard Self.chainHash(previous: expectedPrevious, content: try canonicalContent(id)) == stored else {
                return
                    "ledger transaction \(id) no longer matches its hash chain entry \(seq): its rows were changed after they were written"
            }
            expectedPrevious = stored
        }
        if let unchained = try fetchOne(
            String.self,
            sql: """
                SELECT t.id FROM ledger_transactions t LEFT JOIN ledger_chain c ON c.transaction_id = t.id
                WHERE c.seq IS NULL ORDER BY t.rowid LIMIT 1
                """)
        {
            return "ledger transaction \(unchained) is not in the hash chain: it was added behind Pledger's back"
        }
        return nil
    }

    /// The stored transaction and its postings as one unambiguous text (see ``canonical(id:kind:processor:externalID:occurredAt:recordedAt:postings:)``).
    private func canonicalContent(_ transactionID: String) throws -> String {
        guard
            let row = try fetchRow(
                sql:
                    "SELECT id, kind, processor, external_id, occurred_at, recorded_at FROM ledger_transactions WHERE id = ?",
                arguments: [transactionID])
        else { return "missing \(transactionID)" }
        let postings = try fetchRows(
            sql: "SELECT line, account, currency, amount FROM ledger_postings WHERE transaction_id = ? ORDER BY line",
            arguments: [transactionID]
        ).map {
            (
                line: $0["line"] as Int64, account: $0["account"] as String, currency: $0["currency"] as String,
                amount: $0["amount"] as Int64
            )
        }
        return Self.canonical(
            id: row["id"], kind: row["kind"], processor: row["processor"], externalID: row["external_id"],
            occurredAt: row["occurred_at"], recordedAt: row["recorded_at"], postings: postings)
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

    static func chainHash(previous: String, content: String) -> String {
        sha256Hex(previous + "\n" + content)
    }
}
