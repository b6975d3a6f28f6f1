import Foundation
import GRDB
import PledgerCore
import PledgerStoreInterface

/// The operations available inside one database transaction. Each method is one intention
/// ("insert a pledge", "convert open reminders"); the SQL stays here.
public struct StoreSession {
    let db: Database
}

// MARK: - Supporters

extension StoreSession {
    public func supporter(email: String) throws -> SupporterRecord? {
        try fetchRow(sql: "SELECT id, email, external_ref FROM supporters WHERE email = ?", arguments: [email])
            .map(Self.supporter)
    }

    public func supporter(externalRef: String) throws -> SupporterRecord? {
        try fetchRow(
            sql: "SELECT id, email, external_ref FROM supporters WHERE external_ref = ?", arguments: [externalRef]
        )
        .map(Self.supporter)
    }

    public func insertSupporter(id: ID<Supporter>, email: String?, externalRef: String?, at: Date) throws {
        try exec(
            sql: "INSERT INTO supporters (id, email, external_ref, created_at) VALUES (?, ?, ?, ?)",
            arguments: [id, email, externalRef, ms(at)])
    }

    /// Fills in a missing e-mail or external ref of an existing supporter.
    public func completeSupporter(id: ID<Supporter>, email: String?, externalRef: String?) throws {
        try exec(
            sql:
                "UPDATE supporters SET email = COALESCE(email, ?), external_ref = COALESCE(external_ref, ?) WHERE id = ?",
            arguments: [email, externalRef, id])
    }

    private static func supporter(_ row: Row) -> SupporterRecord {
        SupporterRecord(id: row["id"], email: row["email"], externalRef: row["external_ref"])
    }
}

// MARK: - Pledges

extension StoreSession {
    public func insertPledge(_ pledge: Pledge) throws {
        let seq = try fetchOne(Int64.self, sql: "SELECT COALESCE(MAX(seq), 0) + 1 FROM pledges") ?? 1
        try exec(
            sql: """
                INSERT INTO pledges (id, supporter_id, cadence, amount, currency, status, source, processor,
                                     processor_ref, created_at, first_paid_at, cancelled_at, seq)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                pledge.id, pledge.supporterID, pledge.cadence.rawValue, pledge.amount.minorUnits,
                pledge.amount.currency.code,
                pledge.status.rawValue, pledge.source, pledge.processor, pledge.processorRef, ms(pledge.createdAt),
                pledge.firstPaidAt.map(ms), pledge.cancelledAt.map(ms), seq,
            ])
        try appendPledgeEvent(
            pledge.id, kind: "created", at: pledge.createdAt, to: pledge.status, amount: pledge.amount.minorUnits,
            cadence: pledge.cadence)
    }

    public func pledge(id: ID<Pledge>) throws -> Pledge? {
        try fetchRow(sql: Self.pledgeSelect + " WHERE p.id = ?", arguments: [id]).map(Self.pledge)
    }

    /// Pledges newest first, optionally filtered, optionally only those older than pledge `after`.
    public func pledges(status: PledgeStatus?, email: String?, limit: Int, after: ID<Pledge>? = nil) throws -> [Pledge]
    {
        var filter = ListingFilter()
        filter.add("p.seq < (SELECT seq FROM pledges WHERE id = ?)", after)
        filter.add("p.status = ?", status?.rawValue)
        filter.add("s.email = ?", email)
        return try fetchRows(
            sql: Self.pledgeSelect + filter.whereClause + " ORDER BY p.seq DESC LIMIT ?",
            arguments: filter.arguments + [limit]
        )
        .map(Self.pledge)
    }

    /// Records a status move (already checked by Core) and the instants it sets. A move into
    /// `paused` opens a pause, and a move out of it closes the open one: MRR reads the pauses.
    public func movePledge(
        _ id: ID<Pledge>, from: PledgeStatus, to: PledgeStatus, at: Date, setFirstPaidAt: Bool, setCancelledAt: Bool
    ) throws {
        try exec(
            sql: """
                UPDATE pledges SET status = ?,
                    first_paid_at = CASE WHEN ? THEN COALESCE(first_paid_at, ?) ELSE first_paid_at END,
                    cancelled_at = CASE WHEN ? THEN ? ELSE cancelled_at END,
                    resumes_at = NULL
                WHERE id = ?
                """,
            arguments: [to.rawValue, setFirstPaidAt, ms(at), setCancelledAt, ms(at), id])
        if from == .paused {
            // A move dated before the pause began (a late webhook) ends it where it began.
            try exec(
                sql: """
                    UPDATE pledge_pauses SET resumed_at = MAX(?, paused_at)
                    WHERE pledge_id = ? AND resumed_at IS NULL
                    """,
                arguments: [ms(at), id])
        }
        if to == .paused {
            try exec(sql: "INSERT INTO pledge_pauses (pledge_id, paused_at) VALUES (?, ?)", arguments: [id, ms(at)])
        }
        try appendPledgeEvent(id, kind: "status", at: at, from: from, to: to)
    }

    public func notePauseWord(_ id: ID<Pledge>, at: Date) throws -> Bool {
        try exec(
            sql: "UPDATE pledges SET pause_word_at = ? WHERE id = ? AND (pause_word_at IS NULL OR pause_word_at <= ?)",
            arguments: [ms(at), id, ms(at)])
        return db.changesCount == 1
    }

    public func latestStatusMove(_ id: ID<Pledge>) throws -> Date? {
        try fetchOne(
            Int64.self,
            sql: "SELECT MAX(occurred_at) FROM pledge_events WHERE pledge_id = ? AND kind = 'status'",
            arguments: [id]
        ).map(date)
    }

    /// Sets when a paused pledge resumes by itself (nil: until the processor says so).
    public func setPledgeResumesAt(_ id: ID<Pledge>, _ resumesAt: Date?) throws {
        try exec(
            sql: "UPDATE pledges SET resumes_at = ? WHERE id = ? AND status = 'paused'",
            arguments: [resumesAt.map(ms), id])
    }

    /// Paused pledges whose planned resumption is at or before `instant`, earliest first.
    public func pledgesDueToResume(atOrBefore instant: Date, limit: Int) throws -> [Pledge] {
        try fetchRows(
            sql: Self.pledgeSelect
                + " WHERE p.status = 'paused' AND p.resumes_at <= ? ORDER BY p.resumes_at, p.seq LIMIT ?",
            arguments: [ms(instant), limit]
        ).map(Self.pledge)
    }

    /// Sets the first payment instant of a pledge that was paid without changing state.
    public func markFirstPaid(_ id: ID<Pledge>, at: Date) throws {
        try exec(
            sql: "UPDATE pledges SET first_paid_at = ? WHERE id = ? AND first_paid_at IS NULL", arguments: [ms(at), id])
    }

    /// Records a change of amount and/or cadence; MRR reads the amount and cadence in force at each
    /// instant from these events, and `pledges` keeps the current ones.
    public func changePledgeTerms(
        _ id: ID<Pledge>, from old: (amount: Money, cadence: Cadence), to new: (amount: Money, cadence: Cadence),
        at: Date
    ) throws {
        try exec(
            sql: """
                UPDATE pledges SET amount = ?, cadence = ?, cadence_since = CASE WHEN cadence <> ? THEN ? ELSE cadence_since END
                WHERE id = ?
                """,
            arguments: [new.amount.minorUnits, new.cadence.rawValue, new.cadence.rawValue, ms(at), id])
        try exec(
            sql: """
                INSERT INTO pledge_events (pledge_id, kind, occurred_at, amount, old_amount, cadence, old_cadence)
                VALUES (?, 'amount', ?, ?, ?, ?, ?)
                """,
            arguments: [
                id, ms(at), new.amount.minorUnits, old.amount.minorUnits, new.cadence.rawValue, old.cadence.rawValue,
            ])
    }

    private func appendPledgeEvent(
        _ id: ID<Pledge>, kind: String, at: Date, from: PledgeStatus? = nil, to: PledgeStatus? = nil,
        amount: Int64? = nil, cadence: Cadence? = nil
    ) throws {
        try exec(
            sql: """
                INSERT INTO pledge_events (pledge_id, kind, occurred_at, from_status, to_status, amount, cadence)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [id, kind, ms(at), from?.rawValue, to?.rawValue, amount, cadence?.rawValue])
    }

    static let pledgeSelect = """
        SELECT p.*, s.email, s.external_ref FROM pledges p JOIN supporters s ON s.id = p.supporter_id
        """

    static func pledge(_ row: Row) throws -> Pledge {
        let currency = try decodeCurrency(row, table: "pledges")
        return Pledge(
            id: row["id"], supporterID: row["supporter_id"], email: row["email"], externalRef: row["external_ref"],
            cadence: try decode(row, "cadence", as: Cadence.self, table: "pledges"),
            amount: Money(minorUnits: row["amount"], currency: currency),
            status: try decode(row, "status", as: PledgeStatus.self, table: "pledges"),
            source: row["source"], processor: row["processor"], processorRef: row["processor_ref"],
            createdAt: date(row["created_at"]), firstPaidAt: optionalDate(row["first_paid_at"]),
            cancelledAt: optionalDate(row["cancelled_at"]), resumesAt: optionalDate(row["resumes_at"]),
            cadenceSince: optionalDate(row["cadence_since"]))
    }
}

// MARK: - Reminders

extension StoreSession {
    public func openReminder(supporterID: ID<Supporter>, campaign: String) throws -> Reminder? {
        try fetchRow(
            sql: Self.reminderSelect + " WHERE r.supporter_id = ? AND r.campaign = ? AND r.status = 'open'",
            arguments: [supporterID, campaign]
        ).map(Self.reminder)
    }

    public func reminder(id: ID<Reminder>) throws -> Reminder? {
        try fetchRow(sql: Self.reminderSelect + " WHERE r.id = ?", arguments: [id]).map(Self.reminder)
    }

    public func insertReminder(_ reminder: Reminder) throws {
        try exec(
            sql: """
                INSERT INTO reminders (id, supporter_id, campaign, status, due_at, deferrals, created_at)
                VALUES (?, ?, ?, 'open', ?, 0, ?)
                """,
            arguments: [
                reminder.id, reminder.supporterID, reminder.campaign, ms(reminder.dueAt), ms(reminder.createdAt),
            ])
        try appendReminderEvent(reminder.id, kind: "scheduled", at: reminder.createdAt, dueAt: reminder.dueAt)
    }

    public func deferReminder(_ id: ID<Reminder>, dueAt: Date, deferrals: Int, at: Date) throws {
        try exec(
            sql: "UPDATE reminders SET due_at = ?, deferrals = ? WHERE id = ?", arguments: [ms(dueAt), deferrals, id])
        try appendReminderEvent(id, kind: "deferred", at: at, dueAt: dueAt)
    }

    public func markReminderSent(_ id: ID<Reminder>, at: Date) throws {
        try exec(
            sql: "UPDATE reminders SET status = 'sent', sent_at = ? WHERE id = ? AND status = 'open'",
            arguments: [ms(at), id])
        try appendReminderEvent(id, kind: "sent", at: at, dueAt: nil)
    }

    /// Converts every open or sent reminder of the supporter; returns how many.
    public func convertReminders(supporterID: ID<Supporter>, pledgeID: ID<Pledge>, at: Date) throws -> Int {
        let ids = try fetchAll(
            String.self,
            sql: "SELECT id FROM reminders WHERE supporter_id = ? AND status IN ('open', 'sent')",
            arguments: [supporterID])
        for id in ids {
            try exec(
                sql:
                    "UPDATE reminders SET status = 'converted', converted_at = ?, converted_pledge_id = ? WHERE id = ?",
                arguments: [ms(at), pledgeID, id])
            try appendReminderEvent(ID(id), kind: "converted", at: at, dueAt: nil)
        }
        return ids.count
    }

    /// Open reminders due at `at`, earliest first.
    public func dueReminders(at: Date, limit: Int) throws -> [Reminder] {
        try fetchRows(
            sql: Self.reminderSelect + " WHERE r.status = 'open' AND r.due_at <= ? ORDER BY r.due_at, r.id LIMIT ?",
            arguments: [ms(at), limit]
        ).map(Self.reminder)
    }

    /// Reminders, most recently created first.
    public func reminders(status: ReminderStatus?, email: String?, limit: Int) throws -> [Reminder] {
        var filter = ListingFilter()
        filter.add("r.status = ?", status?.rawValue)
        filter.add("s.email = ?", email)
        return try fetchRows(
            sql: Self.reminderSelect + filter.whereClause + " ORDER BY r.created_at DESC, r.rowid DESC LIMIT ?",
            arguments: filter.arguments + [limit]
        ).map(Self.reminder)
    }

    private func appendReminderEvent(_ id: ID<Reminder>, kind: String, at: Date, dueAt: Date?) throws {
        try exec(
            sql: "INSERT INTO reminder_events (reminder_id, kind, occurred_at, due_at) VALUES (?, ?, ?, ?)",
            arguments: [id, kind, ms(at), dueAt.map(ms)])
    }

    static let reminderSelect = """
        SELECT r.*, s.email FROM reminders r JOIN supporters s ON s.id = r.supporter_id
        """

    static func reminder(_ row: Row) throws -> Reminder {
        try Reminder(
            id: row["id"], supporterID: row["supporter_id"], email: row["email"], campaign: row["campaign"],
            status: decode(row, "status", as: ReminderStatus.self, table: "reminders"), dueAt: date(row["due_at"]),
            deferrals: row["deferrals"], createdAt: date(row["created_at"]), sentAt: optionalDate(row["sent_at"]),
            convertedAt: optionalDate(row["converted_at"]), convertedPledgeID: row["converted_pledge_id"])
    }
}

// MARK: - Ledger

extension StoreSession {
    /// Whether a ledger transaction with this external id is already booked for the processor.
    public func isBooked(processor: String, externalID: String) throws -> Bool {
        try fetchOne(
            Bool.self,
            sql: "SELECT EXISTS (SELECT 1 FROM ledger_transactions WHERE processor = ? AND external_id = ?)",
            arguments: [processor, externalID]) ?? false
    }

    /// Writes a balanced transaction and its postings; returns its id.
    public func insertLedgerTransaction(_ transaction: LedgerTransaction, recordedAt: Date) throws -> ID<
        LedgerTransaction
    > {
        let id = ID<LedgerTransaction>.make()
        try writeLedgerTransactions([(id, transaction)], recordedAt: ms(recordedAt))
        return id
    }

    public func insertPayment(_ payment: Payment) throws {
        try writePayments([payment])
    }

    /// Payments with this external id, across processors.
    public func payments(externalID: String) throws -> [Payment] {
        // Each processor in turn through the (processor, external_id) key: a skip-scan spelled
        // out, a few index probes however large the ledger, with no index on external_id alone.
        try fetchRows(
            sql: """
                WITH RECURSIVE processors(name) AS (
                    SELECT MIN(processor) FROM ledger_transactions
                    UNION ALL
                    SELECT (SELECT MIN(processor) FROM ledger_transactions WHERE processor > name) FROM processors
                    WHERE name IS NOT NULL)
                SELECT y.* FROM processors JOIN payment_facts y ON y.processor = processors.name AND y.external_id = ?
                ORDER BY y.processor
                """, arguments: [externalID]
        )
        .map(Self.payment)
    }

    public func payment(processor: String, externalID: String) throws -> Payment? {
        try fetchRow(
            sql: "SELECT * FROM payment_facts WHERE processor = ? AND external_id = ?",
            arguments: [processor, externalID]
        )
        .map(Self.payment)
    }

    /// Refunded plus charged back so far for a payment, in its currency's minor units.
    public func reversedTotal(of payment: Payment) throws -> Money {
        let total = try fetchOne(
            Int64.self,
            sql: """
                SELECT COALESCE(SUM(r.amount), 0) FROM payments y JOIN reversals r ON r.payment_seq = y.seq
                WHERE y.id = ?
                """,
            arguments: [payment.id])
        return Money(minorUnits: total ?? 0, currency: payment.amount.currency)
    }

    public func insertReversal(_ reversal: Reversal) throws {
        try exec(
            sql: """
                INSERT INTO reversals (seq, id, payment_seq, kind, amount, fee, currency, occurred_at)
                SELECT t.seq, ?, y.seq, ?, ?, ?, ?, ?
                FROM ledger_transactions t, payments y
                WHERE t.id = ? AND t.processor = ? AND t.external_id = ? AND y.id = ?
                """,
            arguments: [
                reversal.id, reversal.kind.rawValue, reversal.amount.minorUnits, reversal.fee.minorUnits,
                reversal.amount.currency.code, ms(reversal.occurredAt), reversal.transactionID, reversal.processor,
                reversal.externalID, reversal.paymentID,
            ])
        guard db.changesCount == 1 else {
            throw StoreError.database(
                "reversal \(reversal.id) names a transaction or payment not in the ledger, or a transaction of another external id"
            )
        }
    }

    public func reversal(processor: String, externalID: String) throws -> Reversal? {
        try fetchRow(
            sql: "SELECT * FROM reversal_facts WHERE processor = ? AND external_id = ?",
            arguments: [processor, externalID]
        )
        .map(Self.reversal)
    }

    static func payment(_ row: Row) throws -> Payment {
        let currency = try decodeCurrency(row, table: "payments")
        return Payment(
            id: row["id"], transactionID: row["transaction_id"], pledgeID: row["pledge_id"],
            supporterID: row["supporter_id"],
            cadence: try decode(row, "cadence", as: Cadence.self, table: "payments"), processor: row["processor"],
            externalID: row["external_id"],
            amount: Money(minorUnits: row["amount"], currency: currency),
            fee: Money(minorUnits: row["fee"], currency: currency),
            occurredAt: date(row["occurred_at"]))
    }

    private static func reversal(_ row: Row) throws -> Reversal {
        let currency = try decodeCurrency(row, table: "reversals")
        return Reversal(
            id: row["id"], transactionID: row["transaction_id"], paymentID: row["payment_id"],
            kind: try decode(row, "kind", as: Reversal.Kind.self, table: "reversals"), processor: row["processor"],
            externalID: row["external_id"],
            amount: Money(minorUnits: row["amount"], currency: currency),
            fee: Money(minorUnits: row["fee"], currency: currency),
            occurredAt: date(row["occurred_at"]))
    }
}

/// A stored value read back as the enum it was written from; anything else is a damaged or
/// newer ledger, refused rather than read as a default.
func decode<T: RawRepresentable>(_ row: Row, _ column: String, as type: T.Type, table: String) throws -> T
where T.RawValue == String {
    let text: String = row[column]
    guard let value = T(rawValue: text) else { throw StoreError.undecodable(table: table, column: column, value: text) }
    return value
}

/// A stored currency code read back as a known currency.
func decodeCurrency(_ row: Row, table: String) throws -> Currency {
    let code: String = row["currency"]
    guard let currency = Currency(code: code) else {
        throw StoreError.undecodable(table: table, column: "currency", value: code)
    }
    return currency
}

func ms(_ date: Date) -> Int64 { Timestamp.millis(date) }
func date(_ millis: Int64) -> Date { Timestamp.date(millis: millis) }
func optionalDate(_ millis: Int64?) -> Date? { millis.map(date) }

extension StoreSession {
    /// Runs `body` in a savepoint: if it throws, its writes are undone and the transaction goes on.
    public func atomically<T>(_ body: () throws -> T) throws -> T {
        var result: T?
        try db.inSavepoint {
            result = try body()
            return .commit
        }
        return result!
    }
}

// MARK: - Privacy

extension StoreSession {
    /// Replaces a supporter's personal data with a tombstone; money records stay. Stored webhook
    /// payloads that mention the e-mail get it replaced by `erased@invalid` (still valid JSON, so
    /// they can be replayed). Returns how many payloads were rewritten.
    public func eraseSupporter(id: ID<Supporter>, email: String?, at: Date) throws -> Int {
        try exec(
            sql: "UPDATE supporters SET email = NULL, external_ref = NULL, erased_at = ? WHERE id = ?",
            arguments: [ms(at), id])
        guard let email, !email.isEmpty else { return 0 }
        let rows = try fetchRows(
            sql:
                "SELECT provider, event_id, payload FROM webhook_events WHERE instr(lower(CAST(payload AS TEXT)), ?) > 0",
            arguments: [email])
        for row in rows {
            let text = String(decoding: (row["payload"] as Data), as: UTF8.self)
            let scrubbed = text.replacingOccurrences(of: email, with: "erased@invalid", options: .caseInsensitive)
            try exec(
                sql: "UPDATE webhook_events SET payload = ?, erased_at = ? WHERE provider = ? AND event_id = ?",
                arguments: [Data(scrubbed.utf8), ms(at), row["provider"] as String, row["event_id"] as String])
        }
        return rows.count
    }
}

// MARK: - Statements

extension StoreSession {
    // Cached prepared statements: the write path runs the same few statements for every event,
    // and preparing each anew cost more than running it.
    func exec(sql: String, arguments: StatementArguments = []) throws {
        try db.cachedStatement(sql: sql).execute(arguments: arguments)
    }

    func fetchRow(sql: String, arguments: StatementArguments = []) throws -> Row? {
        try Row.fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    func fetchRows(sql: String, arguments: StatementArguments = []) throws -> [Row] {
        try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }

    func fetchOne<T: DatabaseValueConvertible & StatementColumnConvertible>(
        _ type: T.Type, sql: String, arguments: StatementArguments = []
    ) throws -> T? {
        try T.fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    func fetchAll<T: DatabaseValueConvertible & StatementColumnConvertible>(
        _ type: T.Type, sql: String, arguments: StatementArguments = []
    ) throws -> [T] {
        try T.fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }
}
