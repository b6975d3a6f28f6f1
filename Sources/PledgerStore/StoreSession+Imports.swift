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
        let first = try writeLedgerTransactions(
            entries.map { ($0.transactionID, $0.transaction) }, recordedAt: recorded)
        try writePayments(entries.map(\.payment), firstSeq: first)
        var refs: [DatabaseValue] = []
        var refRows = 0
        for entry in entries {
            let payment = entry.payment
            for ref in entry.refs {
                refs += [
                    payment.processor.databaseValue, ref.databaseValue,
                    payment.pledgeID?.rawValue.databaseValue ?? .null, payment.id.rawValue.databaseValue,
                    recorded.databaseValue,
                ]
                refRows += 1
                if refRows == Self.rowsPerStatement {
                    try insertProcessorRefs(refs, rows: refRows)
                    (refs, refRows) = ([], 0)
                }
            }
        }
        try insertProcessorRefs(refs, rows: refRows)
    }

    /// Writes payments, each keyed by its ledger transaction's `seq` and naming its pledge and
    /// supporter by theirs (migration 0023). Refuses them all when one names a transaction, pledge
    /// or supporter the ledger lacks, or a transaction of another processor or external id: the
    /// payment's processor and external id are its transaction's, stored once.
    ///
    /// With `firstSeq` (the payments' transactions were just written, in this order, from that
    /// `seq` on), each transaction is found by its key and checked against the payment, instead of
    /// looked up by its text id in an index.
    func writePayments(_ payments: [Payment], firstSeq: Int64? = nil) throws {
        let transaction =
            firstSeq == nil
            ? "t.id = v.transaction_id"
            : "t.seq = v.seq AND t.id = v.transaction_id"
        for start in stride(from: 0, to: payments.count, by: Self.rowsPerStatement) {
            let part = payments[start..<min(payments.count, start + Self.rowsPerStatement)]
            var values: [DatabaseValue] = []
            values.reserveCapacity(part.count * 12)
            for (offset, payment) in zip(start..., part) {
                values += [
                    firstSeq.map { ($0 + Int64(offset)).databaseValue } ?? .null,
                    payment.id.rawValue.databaseValue, payment.transactionID.rawValue.databaseValue,
                    payment.processor.databaseValue, payment.externalID.databaseValue,
                    payment.pledgeID?.rawValue.databaseValue ?? .null,
                    payment.supporterID?.rawValue.databaseValue ?? .null, payment.cadence.rawValue.databaseValue,
                    payment.amount.minorUnits.databaseValue, payment.fee.minorUnits.databaseValue,
                    payment.amount.currency.code.databaseValue, ms(payment.occurredAt).databaseValue,
                ]
            }
            try exec(
                sql: """
                    WITH v(seq, id, transaction_id, processor, external_id, pledge_id, supporter_id, cadence, amount,
                           fee, currency, occurred_at) AS (VALUES \(Self.marks(12, rows: part.count)))
                    INSERT INTO payments (seq, id, pledge_seq, supporter_seq, cadence, amount, fee, currency, occurred_at)
                    SELECT t.seq, v.id, p.seq, s.seq, v.cadence, v.amount, v.fee, v.currency, v.occurred_at
                    FROM v JOIN ledger_transactions t
                        ON \(transaction) AND t.processor = v.processor AND t.external_id = v.external_id
                    LEFT JOIN pledges p ON p.id = v.pledge_id
                    LEFT JOIN supporters s ON s.id = v.supporter_id
                    WHERE (v.pledge_id IS NULL OR p.seq IS NOT NULL) AND (v.supporter_id IS NULL OR s.seq IS NOT NULL)
                    """,
                arguments: StatementArguments(values))
            guard db.changesCount == part.count else {
                throw StoreError.database(
                    "a payment names a transaction, pledge or supporter not in the ledger, or a transaction of another external id"
                )
            }
        }
    }

    public func supporterIDs(processor: String, refs: [String]) throws -> [String: ID<Supporter>] {
        var found: [String: ID<Supporter>] = [:]
        for part in Self.parts(refs) {
            for row in try fetchRows(
                sql:
                    "SELECT ref, supporter_id FROM supporter_refs WHERE processor = ? AND ref IN \(Self.marks(1, rows: part.count))",
                arguments: StatementArguments([processor] + part))
            {
                found[row["ref"]] = ID<Supporter>(row["supporter_id"] as String)
            }
        }
        return found
    }

    public func knownEmails(among emails: [String]) throws -> Set<String> {
        var known: Set<String> = []
        for part in Self.parts(emails) {
            known.formUnion(
                try fetchAll(
                    String.self, sql: "SELECT email FROM supporters WHERE email IN \(Self.marks(1, rows: part.count))",
                    arguments: StatementArguments(part)))
        }
        return known
    }

    public func pledgeRefs(processor: String, among refs: [String]) throws -> Set<String> {
        var named: Set<String> = []
        for part in Self.parts(refs) {
            let marks = Self.marks(1, rows: part.count)
            named.formUnion(
                try fetchAll(
                    String.self,
                    sql: """
                        SELECT ref FROM processor_refs WHERE processor = ? AND ref IN \(marks) AND pledge_seq > 0
                        UNION SELECT processor_ref FROM pledges WHERE processor = ? AND processor_ref IN \(marks)
                        """,
                    arguments: StatementArguments([processor] + part + [processor] + part)))
        }
        return named
    }

    public func insertSupporters(_ entries: [SupporterEntry], processor: String, linkedAt: Date) throws {
        let linked = ms(linkedAt)
        for start in stride(from: 0, to: entries.count, by: Self.rowsPerStatement) {
            let part = entries[start..<min(entries.count, start + Self.rowsPerStatement)]
            var supporters: [DatabaseValue] = []
            var refs: [DatabaseValue] = []
            for entry in part {
                supporters += [
                    entry.id.rawValue.databaseValue, entry.email?.databaseValue ?? .null, DatabaseValue.null,
                    ms(entry.createdAt).databaseValue,
                ]
                refs += [
                    processor.databaseValue, entry.ref.databaseValue, entry.id.rawValue.databaseValue,
                    linked.databaseValue,
                ]
            }
            try exec(
                sql:
                    "INSERT INTO supporters (id, email, external_ref, created_at) VALUES \(Self.marks(4, rows: part.count))",
                arguments: StatementArguments(supporters))
            try exec(
                sql: """
                    INSERT INTO supporter_refs (processor, ref, supporter_id, created_at)
                    VALUES \(Self.marks(4, rows: part.count)) ON CONFLICT DO NOTHING
                    """,
                arguments: StatementArguments(refs))
        }
    }

    public func insertPledges(_ pledges: [Pledge], linkedAt: Date) throws -> [Pledge] {
        guard !pledges.isEmpty else { return [] }
        let linked = ms(linkedAt)
        var seq = try fetchOne(Int64.self, sql: "SELECT COALESCE(MAX(seq), 0) + 1 FROM pledges") ?? 1
        var read: [Pledge] = []
        for start in stride(from: 0, to: pledges.count, by: Self.rowsPerStatement) {
            let part = pledges[start..<min(pledges.count, start + Self.rowsPerStatement)]
            var rows: [DatabaseValue] = []
            var events: [DatabaseValue] = []
            var refs: [DatabaseValue] = []
            var refRows = 0
            for pledge in part {
                let firstPaid: DatabaseValue = pledge.firstPaidAt.map { ms($0).databaseValue } ?? .null
                let cancelled: DatabaseValue = pledge.cancelledAt.map { ms($0).databaseValue } ?? .null
                let source: DatabaseValue = pledge.source?.databaseValue ?? .null
                let processor: DatabaseValue = pledge.processor?.databaseValue ?? .null
                let processorRef: DatabaseValue = pledge.processorRef?.databaseValue ?? .null
                let head: [DatabaseValue] = [
                    pledge.id.rawValue.databaseValue, pledge.supporterID.rawValue.databaseValue,
                    pledge.cadence.rawValue.databaseValue, pledge.amount.minorUnits.databaseValue,
                    pledge.amount.currency.code.databaseValue, pledge.status.rawValue.databaseValue,
                ]
                let tail: [DatabaseValue] = [
                    source, processor, processorRef, ms(pledge.createdAt).databaseValue, firstPaid, cancelled,
                    seq.databaseValue,
                ]
                rows += head
                rows += tail
                seq += 1
                events += [
                    pledge.id.rawValue.databaseValue, "created".databaseValue, ms(pledge.createdAt).databaseValue,
                    DatabaseValue.null, pledge.status.rawValue.databaseValue, pledge.amount.minorUnits.databaseValue,
                    pledge.cadence.rawValue.databaseValue,
                ]
                if let processor = pledge.processor, let ref = pledge.processorRef {
                    refs += [
                        processor.databaseValue, ref.databaseValue, pledge.id.rawValue.databaseValue,
                        DatabaseValue.null,
                        linked.databaseValue,
                    ]
                    refRows += 1
                }
            }
            try exec(
                sql: """
                    INSERT INTO pledges (id, supporter_id, cadence, amount, currency, status, source, processor,
                                         processor_ref, created_at, first_paid_at, cancelled_at, seq)
                    VALUES \(Self.marks(13, rows: part.count))
                    """,
                arguments: StatementArguments(rows))
            try exec(
                sql: """
                    INSERT INTO pledge_events (pledge_id, kind, occurred_at, from_status, to_status, amount, cadence)
                    VALUES \(Self.marks(7, rows: part.count))
                    """,
                arguments: StatementArguments(events))
            try insertProcessorRefs(refs, rows: refRows)
            let byID = Dictionary(
                try fetchRows(
                    sql: Self.pledgeSelect + " WHERE p.id IN \(Self.marks(1, rows: part.count))",
                    arguments: StatementArguments(part.map(\.id.rawValue))
                )
                .map(Self.pledge).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            read += part.compactMap { byID[$0.id] }
        }
        return read
    }

    /// `values` in parts small enough for one `IN (…)` each.
    static func parts(_ values: [String]) -> [[String]] {
        stride(from: 0, to: values.count, by: rowsPerStatement * 4).map {
            Array(values[$0..<min(values.count, $0 + rowsPerStatement * 4)])
        }
    }

    public func swapCacheSize(_ size: Int) throws -> Int {
        let previous = try fetchOne(Int.self, sql: "PRAGMA cache_size") ?? -2_000
        try db.execute(sql: "PRAGMA cache_size = \(size)")
        return previous
    }

    /// Rows per multi-row INSERT: few statements, far below SQLite's limit on bound values.
    static let rowsPerStatement = 64

    /// Links processor references in one statement: `values` holds `rows` rows of (processor,
    /// ref, pledge id, payment id, created at), naming rows just written; a link already there is
    /// left as it is. The ids become keys (migration 0024) by lookup.
    private func insertProcessorRefs(_ values: [DatabaseValue], rows: Int) throws {
        guard rows > 0 else { return }
        try exec(
            sql: """
                WITH v(processor, ref, pledge_id, payment_id, created_at) AS (VALUES \(Self.marks(5, rows: rows)))
                INSERT OR IGNORE INTO processor_refs (processor, ref, pledge_seq, payment_seq, created_at)
                SELECT v.processor, v.ref, IFNULL(p.seq, 0), IFNULL(y.seq, 0), v.created_at
                FROM v LEFT JOIN pledges p ON p.id = v.pledge_id LEFT JOIN payments y ON y.id = v.payment_id
                WHERE (v.pledge_id IS NULL OR p.seq IS NOT NULL) AND (v.payment_id IS NULL OR y.seq IS NOT NULL)
                """,
            arguments: StatementArguments(values))
    }

    /// `(?, ?), (?, ?)` for `rows` rows of `columns` values.
    static func marks(_ columns: Int, rows: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        return columns == 1
            ? "(" + Array(repeating: "?", count: rows).joined(separator: ", ") + ")"
            : Array(repeating: row, count: rows).joined(separator: ", ")
    }
}
