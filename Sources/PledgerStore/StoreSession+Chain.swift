import Foundation
import GRDB
import PledgerCore

/// The ledger's hash chain (migration 0005): written with every transaction, re-computed by verify.
extension StoreSession {
    /// The hash before the first entry.
    static let genesisHash = String(repeating: "0", count: 64)

    /// Appends `transactionID` to the chain, hashing its rows as they are stored.
    func chain(_ transactionID: String) throws {
        let previous = try fetchOne(String.self, sql: "SELECT hash FROM ledger_chain ORDER BY seq DESC LIMIT 1") ?? Self.genesisHash
        let content = try canonicalContent(transactionID)
        try exec(
            sql: "INSERT INTO ledger_chain (transaction_id, prev_hash, hash) VALUES (?, ?, ?)",
            arguments: [transactionID, previous, Self.chainHash(previous: previous, content: content)])
    }

    /// Whether the newest transaction is unchained — O(1), so opening a large ledger stays fast.
    /// Transactions are chained in the order they are written, so the newest tells for all.
    func hasUnchained() throws -> Bool {
        let newest = try fetchOne(String.self, sql: "SELECT id FROM ledger_transactions ORDER BY rowid DESC LIMIT 1")
        guard let newest else { return false }
        return try fetchOne(Bool.self, sql: "SELECT NOT EXISTS (SELECT 1 FROM ledger_chain WHERE transaction_id = ?)", arguments: [newest]) ?? true
    }

    /// Chains transactions written before the chain existed, in the order they were written.
    func chainUnchained() throws -> Int {
        let ids = try fetchAll(String.self,
            sql: """
                SELECT t.id FROM ledger_transactions t LEFT JOIN ledger_chain c ON c.transaction_id = t.id
                WHERE c.seq IS NULL ORDER BY t.rowid
                """)
        for id in ids { try chain(id) }
        return ids.count
    }

    /// The first break in the chain, or nil when every transaction is chained and every hash
    /// recomputes: walks the chain in order, one transaction at a time.
    public func chainBreach() throws -> String? {
        let entries = try Row.fetchCursor(db, sql: "SELECT seq, transaction_id, prev_hash, hash FROM ledger_chain ORDER BY seq")
        var expectedPrevious = Self.genesisHash
        while let entry = try entries.next() {
            let id: String = entry["transaction_id"]
            let seq: Int64 = entry["seq"]
            guard entry["prev_hash"] == expectedPrevious else {
                return "hash chain entry \(seq) (ledger transaction \(id)) does not follow the entry before it: an entry was removed or reordered"
            }
            let stored: String = entry["hash"]
            guard Self.chainHash(previous: expectedPrevious, content: try canonicalContent(id)) == stored else {
                return "ledger transaction \(id) no longer matches its hash chain entry \(seq): its rows were changed after they were written"
            }
            expectedPrevious = stored
        }
        if let unchained = try fetchOne(String.self,
            sql: """
                SELECT t.id FROM ledger_transactions t LEFT JOIN ledger_chain c ON c.transaction_id = t.id
                WHERE c.seq IS NULL ORDER BY t.rowid LIMIT 1
                """) {
            return "ledger transaction \(unchained) is not in the hash chain: it was added behind Pledger's back"
        }
        return nil
    }

    /// The transaction and its postings as one unambiguous text: fields separated by newlines,
    /// postings in line order, tab-separated.
    private func canonicalContent(_ transactionID: String) throws -> String {
        guard let row = try fetchRow(
            sql: "SELECT id, kind, processor, external_id, occurred_at, recorded_at FROM ledger_transactions WHERE id = ?",
            arguments: [transactionID]) else { return "missing \(transactionID)" }
        var text = "\(row["id"] as String)\n\(row["kind"] as String)\n\(row["processor"] as String)\n\(row["external_id"] as String)\n"
        text += "\(row["occurred_at"] as Int64)\n\(row["recorded_at"] as Int64)\n"
        for posting in try fetchRows(
            sql: "SELECT line, account, currency, amount FROM ledger_postings WHERE transaction_id = ? ORDER BY line",
            arguments: [transactionID]) {
            text += "\(posting["line"] as Int64)\t\(posting["account"] as String)\t\(posting["currency"] as String)\t\(posting["amount"] as Int64)\n"
        }
        return text
    }

    static func chainHash(previous: String, content: String) -> String {
        sha256Hex(previous + "\n" + content)
    }
}
