import Foundation
import GRDB
import PledgerCore
import PledgerStoreInterface

extension StoreSession {
    public func supporterID(processor: String, ref: String) throws -> ID<Supporter>? {
        try fetchRow(
            sql: "SELECT supporter_id FROM supporter_refs WHERE processor = ? AND ref = ?", arguments: [processor, ref]
        )
        .map { row in ID<Supporter>(row["supporter_id"] as String) }
    }

    public func linkSupporterRef(processor: String, ref: String, supporterID: ID<Supporter>, at: Date) throws {
        try exec(
            sql:
                "INSERT INTO supporter_refs (processor, ref, supporter_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            arguments: [processor, ref, supporterID, ms(at)])
    }

    public func bookedExternalIDs(processor: String, among externalIDs: [String]) throws -> Set<String> {
        var booked: Set<String> = []
        for start in stride(from: 0, to: externalIDs.count, by: Self.rowsPerStatement * 4) {
            let part = externalIDs[start..<min(externalIDs.count, start + Self.rowsPerStatement * 4)]
            let marks = Self.marks(1, rows: part.count)
            booked.formUnion(
                try fetchAll(
                    String.self,
                    sql: "SELECT external_id FROM ledger_transactions WHERE processor = ? AND external_id IN \(marks)",
                    arguments: StatementArguments([processor] + Array(part))))
        }
        return booked
    }

    public func insertPayments(_ entries: [PaymentEntry], recordedAt: Date) throws {
        guard !entries.isEmpty else { return }
        let recorded = ms(recordedAt)
        var previous =
            try fetchOne(String.self, sql: "SELECT hash FROM ledger_chain ORDER BY seq DESC LIMIT 1")
            ?? Self.genesisHash
        for start in stride(from: 0, to: entries.count, by: Self.rowsPerStatement) {
            let part = entries[start..<min(entries.count, start + Self.rowsPerStatement)]
            var transactions: [DatabaseValue] = []
            var postings: [DatabaseValue] = []
            var postingRows = 0
            var chain: [DatabaseValue] = []
            var payments: [DatabaseValue] = []
            var refs: [DatabaseValue] = []
            var refRows = 0
            for entry in part {
                let transaction = entry.transaction
                let id = entry.transactionID
                let occurred = ms(transaction.occurredAt)
                transactions += [
                    id.rawValue.databaseValue, transaction.kind.rawValue.databaseValue,
                    transaction.processor.databaseValue, transaction.externalID.databaseValue,
                    occurred.databaseValue, recorded.databaseValue,
                ]
                for (line, posting) in transaction.postings.enumerated() {
                    postings += [
                        id.rawValue.databaseValue, (line + 1).databaseValue, posting.account.databaseValue,
                        posting.amount.currency.code.databaseValue, posting.amount.minorUnits.databaseValue,
                    ]
                    postingRows += 1
                }
                let content = Self.canonical(
                    id: id.rawValue, kind: transaction.kind.rawValue, processor: transaction.processor,
                    externalID: transaction.externalID, occurredAt: occurred, recordedAt: recorded,
                    postings: transaction.postings.enumerated().map { line, posting in
                        (Int64(line + 1), posting.account, posting.amount.currency.code, posting.amount.minorUnits)
                    })
                let hash = Self.chainHash(previous: previous, content: content)
                chain += [id.rawValue.databaseValue, previous.databaseValue, hash.databaseValue]
                previous = hash
                let payment = entry.payment
                payments += [
                    payment.id.rawValue.databaseValue, payment.transactionID.rawValue.databaseValue,
                    payment.pledgeID?.rawValue.databaseValue ?? .null,
                    payment.supporterID?.rawValue.databaseValue ?? .null, payment.cadence.rawValue.databaseValue,
                    payment.processor.databaseValue, payment.externalID.databaseValue,
                    payment.amount.minorUnits.databaseValue, payment.fee.minorUnits.databaseValue,
                    payment.amount.currency.code.databaseValue, ms(payment.occurredAt).databaseValue,
                ]
                for ref in entry.refs {
                    refs += [
                        payment.processor.databaseValue, ref.databaseValue,
                        payment.pledgeID?.rawValue.databaseValue ?? .null, payment.id.rawValue.databaseValue,
                        recorded.databaseValue,
                    ]
                    refRows += 1
                }
            }
            try exec(
                sql: """
                    INSERT INTO ledger_transactions (id, kind, processor, external_id, occurred_at, recorded_at)
                    VALUES \(Self.marks(6, rows: part.count))
                    """,
                arguments: StatementArguments(transactions))
            try exec(
                sql: """
                    INSERT INTO ledger_postings (transaction_id, line, account, currency, amount)
                    VALUES \(Self.marks(5, rows: postingRows))
                    """,
                arguments: StatementArguments(postings))
            try exec(
                sql:
                    "INSERT INTO ledger_chain (transaction_id, prev_hash, hash) VALUES \(Self.marks(3, rows: part.count))",
                arguments: StatementArguments(chain))
            try exec(
                sql: """
                    INSERT INTO payments (id, transaction_id, pledge_id, supporter_id, cadence, processor, external_id,
                                          amount, fee, currency, occurred_at)
                    VALUES \(Self.marks(11, rows: part.count))
                    """,
                arguments: StatementArguments(payments))
            if refRows > 0 {
                try exec(
                    sql: """
                        INSERT OR IGNORE INTO processor_refs (processor, ref, pledge_id, payment_id, created_at)
                        VALUES \(Self.marks(5, rows: refRows))
                        """,
                    arguments: StatementArguments(refs))
            }
        }
    }

    public func swapCacheSize(_ size: Int) throws -> Int {
        let previous = try fetchOne(Int.self, sql: "PRAGMA cache_size") ?? -2_000
        try db.execute(sql: "PRAGMA cache_size = \(size)")
        return previous
    }

    /// Rows per multi-row INSERT: few statements, far below SQLite's limit on bound values.
    static let rowsPerStatement = 64

    /// `(?, ?), (?, ?)` for `rows` rows of `columns` values.
    static func marks(_ columns: Int, rows: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        return columns == 1
            ? "(" + Array(repeating: "?", count: rows).joined(separator: ", ") + ")"
            : Array(repeating: row, count: rows).joined(separator: ", ")
    }
}
