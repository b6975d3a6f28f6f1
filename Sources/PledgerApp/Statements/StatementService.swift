import Foundation
import PledgerCore
import PledgerStoreInterface

/// Giving statements per supporter and fiscal year, and the lapsed supporters report. The rules
/// (which money counts in which year, what nets, who has lapsed) are Core's; this reads the ledger
/// once per request and hands the rows to them.
public struct StatementService: Sendable {
    let store: any TransactionalStore
    let clock: WallClock

    /// The statement of the supporter with `email` for `year`.
    /// - Throws: `PledgerError` (not found, field `email`) when no supporter has the e-mail.
    public func statement(email text: String, year: FiscalYear) async throws -> GivingStatement {
        let email = try EmailAddress(text)
        let now = clock.now
        return try await store.snapshot { session in
            guard let supporter = try session.supporter(email: email.value) else {
                throw PledgerError.supporterNotFound(email: "\(email)")
            }
            return try Self.statement(session, supporter: supporter, year: year, now: now)
        }
    }

    /// One supporter's statement, read inside `session` (the supporter's page reads it this way too).
    static func statement(_ session: any StoreTransaction, supporter: SupporterRecord, year: FiscalYear, now: Date)
        throws -> GivingStatement
    {
        let (start, end) = year.interval
        let entries = try session.statementEntries(supporterID: supporter.id, from: start, to: end)
        return try GivingStatement.build(
            supporterID: supporter.id, email: supporter.email, year: year, entries: entries.map(\.entry),
            generatedAt: now)
    }

    /// A statement for every supporter with money booked in `year` (a payment, or a refund or
    /// chargeback of an earlier one), by supporter id, so that together they hold all the year's
    /// giving.
    public func statements(year: FiscalYear) async throws -> [GivingStatement] {
        let now = clock.now
        let (start, end) = year.interval
        let rows = try await store.snapshot { session in
            try session.statementEntries(supporterID: nil, from: start, to: end)
        }
        var groups: [(id: ID<Supporter>, email: String?, entries: [GivingStatement.Entry])] = []
        for row in rows {
            if groups.last?.id == row.supporterID {
                groups[groups.count - 1].entries.append(row.entry)
            } else {
                groups.append((row.supporterID, row.email, [row.entry]))
            }
        }
        var statements: [GivingStatement] = []
        statements.reserveCapacity(groups.count)
        for group in groups {
            statements.append(
                try GivingStatement.build(
                    supporterID: group.id, email: group.email, year: year, entries: group.entries, generatedAt: now))
        }
        return statements
    }

    /// LYBUNT and SYBUNT supporters for `year`, per currency.
    /// - Throws: `PledgerError.invalid` (field `year`) for a year that has not started.
    public func lapsed(year: FiscalYear) async throws -> LapsedReport {
        let now = clock.now
        guard year.interval.start <= now else {
            throw PledgerError.invalid("year", "\(year) has not started yet")
        }
        let nets = try await store.snapshot { session -> [LapsedReport.YearNet] in
            guard let first = try session.firstPaymentAt() else { return [] }
            var years: [(year: Int, start: Date, end: Date)] = []
            var current = FiscalYear.containing(first, startMonth: year.startMonth)
            while current <= year {
                let (start, end) = current.interval
                years.append((current.year, start, end))
                current = current.next
            }
            return try session.netsByYear(years)
        }
        return try LapsedReport.build(year: year, nets: nets, generatedAt: now)
    }
}
