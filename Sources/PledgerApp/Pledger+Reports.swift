import Foundation
import PledgerCore
import PledgerStore

extension Pledger {
    /// Builds the monthly revenue report for `month` (default: the last complete month) in `timeZone`.
    public func monthlyReport(month: ReportMonth? = nil, timeZone: TimeZone = .gmt) async throws -> MonthlyReport {
        let now = clock.now
        let month = month ?? ReportMonth.lastComplete(at: now, in: timeZone)
        let (start, end) = month.interval(in: timeZone)
        let (receipts, pledges, mrr, reminders) = try await store.read { session in
            (try session.receipts(from: start, to: end), try session.pledgeCounts(from: start, to: end),
             try session.supporterMRR(start: start, end: end), try session.reminderCounts(from: start, to: end))
        }
        var figures: [MonthlyReport.CurrencyFigures] = []
        for code in Set(receipts.keys).union(pledges.keys).union(mrr.keys).sorted() {
            var currencyReceipts = receipts[code] ?? MonthlyReport.Receipts()
            try currencyReceipts.computeNet()
            let movement = try MRRMovement.classify(mrr[code] ?? [])
            let (arr, overflow) = movement.end.multipliedReportingOverflow(by: 12)
            guard !overflow else {
                throw PledgerError(.refused, code: "amount_overflow", message: "ARR in \(code) exceeds the largest amount Pledger can hold")
            }
            figures.append(MonthlyReport.CurrencyFigures(
                currency: code, receipts: currencyReceipts, pledges: pledges[code] ?? MonthlyReport.Pledges(), mrr: movement, arr: arr))
        }
        return MonthlyReport(month: month, timeZone: timeZone, generatedAt: now, currencies: figures, reminders: reminders)
    }
}

/// The outcome of `pledger verify`.
public struct Verification: Sendable, Equatable {
    public var transactionsChecked = 0
    public var paymentsWithReversalsChecked = 0
    /// Every breach found, first one first; empty when all invariants hold.
    public var breaches: [String] = []

    public var holds: Bool { breaches.isEmpty }
}

extension Pledger {
    /// Re-checks every ledger invariant: storage integrity, append-only triggers, every
    /// transaction balanced per currency (Core's rule), no payment reversed beyond its amount.
    public func verify() async throws -> Verification {
        try await store.read { session in
            var result = Verification()
            result.breaches += try session.storageBreaches()
            try session.forEachTransaction({ id, postings in
                result.transactionsChecked += 1
                do throws(PledgerError) {
                    try LedgerTransaction.checkBalanced(postings)
                } catch {
                    result.breaches.append("ledger transaction \(id): \(error.message)")
                }
            }, unknownCurrency: { id, code in
                result.breaches.append("ledger transaction \(id) has a posting in unknown currency \(code)")
            })
            try session.forEachReversedPayment { payment, reversed, mismatch in
                result.paymentsWithReversalsChecked += 1
                if mismatch {
                    result.breaches.append("payment \(payment.externalID) has a reversal in another currency")
                    return
                }
                do throws(PledgerError) {
                    try Bookkeeping.checkReversible(
                        reversed, paid: payment.amount, alreadyReversed: .zero(reversed.currency), paymentID: payment.externalID)
                } catch {
                    result.breaches.append("payment \(payment.externalID): \(error.message)")
                }
            }
            return result
        }
    }
}
