import Foundation
import PledgerApp
import PledgerCore
import PledgerStore

/// A large made-up history written straight through the store's intention-named operations in
/// big transactions (thousands of supporters each), with Core's bookkeeping rules: what
/// `pledger demo --supporters N --months M --seed S` uses, fast enough for 100k × 24 months.
/// Deterministic for a given seed and end instant.
public struct BulkDemo: Sendable {
    public var supporters: Int
    public var months: Int
    public var seed: UInt64
    /// Supporters written per transaction.
    public var batch = 10_000

    public init(supporters: Int, months: Int = 12, seed: UInt64 = 2026) {
        self.supporters = supporters
        self.months = months
        self.seed = seed
    }

    /// Writes the history ending at `now` and returns what was entered.
    public func generate(into app: Pledger, now: Date) async throws -> DemoHistory.Summary {
        let store = app.store
        var summary = DemoHistory.Summary()
        for first in stride(from: 0, to: supporters, by: batch) {
            let range = first..<min(first + batch, supporters)
            let part = try await store.write { session in
                var part = DemoHistory.Summary()
                for index in range {
                    try self.supporter(index, session: session, now: now, summary: &part)
                }
                return part
            }
            summary.add(part)
        }
        return summary
    }

    private func supporter(_ index: Int, session: StoreSession, now: Date, summary: inout DemoHistory.Summary) throws {
        // One generator per supporter: the same supporter is the same whatever the batch size.
        var rng = SeededGenerator(seed: seed &+ UInt64(index) &* 0x9E37_79B9)
        let span = TimeInterval(months) * 30.4 * 86_400
        let start = now.addingTimeInterval(-span + TimeInterval(rng.next(upTo: UInt64(span))))
        let email = "reader\(index)@example.org"
        let supporterID = ID<Supporter>.make()
        try session.insertSupporter(id: supporterID, email: email, externalRef: nil, at: start)
        summary.supporters += 1
        let roll = rng.next(upTo: 100)
        var pledgeAt = start

        // Some readers ask to be reminded first, defer, get the reminder, and a third of them pledge.
        if roll >= 70 {
            summary.reminders += 1
            var due = start.addingTimeInterval(7 * 86_400)
            let reminderID = ID<Reminder>.make()
            try session.insertReminder(
                Reminder(
                    id: reminderID, supporterID: supporterID, email: email, campaign: Reminder.defaultCampaign,
                    status: .open,
                    dueAt: due, deferrals: 0, createdAt: start, sentAt: nil, convertedAt: nil, convertedPledgeID: nil))
            for deferral in 0..<Int(rng.next(upTo: 3)) {
                let asked = due.addingTimeInterval(-86_400)
                due = asked.addingTimeInterval(TimeInterval(3 + rng.next(upTo: 7)) * 86_400)
                guard due < now else { break }
                try session.deferReminder(reminderID, dueAt: due, deferrals: deferral + 1, at: asked)
            }
            // Most due reminders were sent ten minutes later; some are still waiting for the mailer.
            if due.addingTimeInterval(600) < now, rng.chance(80) {
                try session.markReminderSent(reminderID, at: due.addingTimeInterval(600))
            }
            guard rng.chance(33) else { return }
            pledgeAt = due.addingTimeInterval(TimeInterval(rng.next(upTo: 3 * 86_400)))
            guard pledgeAt < now else { return }
        }

        let currency: Currency = rng.chance(15) ? .eur : .usd
        let cadence = DemoPledgeMix.cadence(roll: roll)
        var amount = DemoPledgeMix.amount(for: cadence, in: currency, rng: &rng)
        var pledge = Pledge(
            id: ID<Pledge>.make(), supporterID: supporterID, email: email, externalRef: nil, cadence: cadence,
            amount: amount,
            status: .pending, source: "article-footer", processor: "stripe", processorRef: nil, createdAt: pledgeAt,
            firstPaidAt: nil, cancelledAt: nil)
        try session.insertPledge(pledge)
        _ = try session.convertReminders(supporterID: supporterID, pledgeID: pledge.id, at: pledgeAt)
        summary.pledges += 1
        if rng.chance(8) { return }  // never paid

        let schedule = RenewalSchedule(start: pledgeAt.addingTimeInterval(120), cadence: cadence)
        let cancelAfter: Int? =
            cadence.isRecurring && rng.chance(25) ? Int(1 + rng.next(upTo: UInt64(max(1, months / 2)))) : nil
        let upgradeAfter: Int? = cadence == .monthly && rng.chance(10) ? Int(1 + rng.next(upTo: 6)) : nil
        // A few monthly supporters pause for one to three months. Their own generator (and each
        // supporter has their own), so a supporter who never pauses has the history they had before.
        var pauseRng = SeededGenerator(seed: seed &+ UInt64(index) &* 0x85EB_CA6B &+ 1)
        let pauseAfter: Int? =
            cadence == .monthly && pauseRng.chance(5) ? Int(1 + pauseRng.next(upTo: UInt64(max(1, months / 2)))) : nil
        var resumesAt: Date?
        var n = 0
        while let due = schedule.renewal(n), due < now {
            if let pauseAfter, n == pauseAfter, pledge.status == .active {
                let at = due.addingTimeInterval(-2 * 86_400)
                let end = try PausePolicy.end(from: at, months: Int(1 + pauseRng.next(upTo: 3)))
                try session.movePledge(
                    pledge.id, from: .active, to: .paused, at: at, setFirstPaidAt: false, setCancelledAt: false)
                try session.setPledgeResumesAt(pledge.id, end)
                pledge.status = .paused
                resumesAt = end
                summary.pauses += 1
            }
            // No renewals while paused; at its end it resumes (what the scheduled jobs do).
            if let end = resumesAt {
                guard end <= due else {
                    n += 1
                    continue
                }
                try session.movePledge(
                    pledge.id, from: .paused, to: .active, at: end, setFirstPaidAt: false, setCancelledAt: false)
                pledge.status = .active
                resumesAt = nil
            }
            if let cancelAfter, n == cancelAfter {
                let at = due.addingTimeInterval(-86_400)
                let next = try pledge.status.move(to: .cancelled, cadence: cadence, pledgeID: pledge.id)
                try session.movePledge(
                    pledge.id, from: pledge.status, to: next, at: at, setFirstPaidAt: false, setCancelledAt: true)
                summary.cancellations += 1
                break
            }
            // A renewal fails now and then: the pledge falls past due; most are paid by a retry three
            // days later, the rest are cancelled a week after.
            var paidAt = due
            if n > 0, rng.chance(3) {
                try session.movePledge(
                    pledge.id, from: pledge.status, to: .pastDue, at: due, setFirstPaidAt: false, setCancelledAt: false)
                pledge.status = .pastDue
                summary.failures += 1
                paidAt = due.addingTimeInterval(3 * 86_400)
                if !rng.chance(70) || paidAt >= now {
                    let at = due.addingTimeInterval(7 * 86_400)
                    guard at < now else { break }
                    try session.movePledge(
                        pledge.id, from: .pastDue, to: .cancelled, at: at, setFirstPaidAt: false, setCancelledAt: true)
                    summary.cancellations += 1
                    break
                }
            }
            if let upgradeAfter, n == upgradeAfter {
                let upgraded = Money(minorUnits: amount.minorUnits + 500, currency: currency)
                try pledge.checkAmountChange(to: upgraded)
                try session.changePledgeTerms(
                    pledge.id, from: (amount, pledge.cadence), to: (upgraded, pledge.cadence),
                    at: due.addingTimeInterval(-3_600))
                amount = upgraded
                pledge.amount = upgraded
            }
            let fee = Money(minorUnits: amount.minorUnits * 29 / 1000 + 30, currency: currency)
            let externalID = "pi_\(seed)_\(index)_\(n)"
            let transaction = try LedgerTransaction(
                kind: .payment, processor: "stripe", externalID: externalID, occurredAt: paidAt,
                postings: try Bookkeeping.payment(gross: amount, fee: fee, cadence: cadence, processor: "stripe"))
            let transactionID = try session.insertLedgerTransaction(transaction, recordedAt: paidAt)
            let payment = Payment(
                id: ID<Payment>.make(), transactionID: transactionID, pledgeID: pledge.id, supporterID: supporterID,
                cadence: cadence,
                processor: "stripe", externalID: externalID, amount: amount, fee: fee, occurredAt: paidAt)
            try session.insertPayment(payment)
            if let next = pledge.status.afterPayment(cadence: cadence) {
                try session.movePledge(
                    pledge.id, from: pledge.status, to: next, at: paidAt, setFirstPaidAt: true, setCancelledAt: false)
                pledge.status = next
            }
            summary.payments += 1
            // A few payments are disputed three weeks later and lost: a chargeback with a 15.00 dispute
            // fee. Some others are refunded two days after.
            if rng.chance(1), paidAt.addingTimeInterval(21 * 86_400) < now {
                try reverse(
                    payment, kind: .chargeback, externalID: "dp_\(seed)_\(index)_\(n)",
                    fee: Money(minorUnits: 1_500, currency: currency),
                    at: paidAt.addingTimeInterval(21 * 86_400), session: session)
                summary.chargebacks += 1
            } else if rng.chance(3), paidAt.addingTimeInterval(2 * 86_400) < now {
                try reverse(
                    payment, kind: .refund, externalID: "re_\(seed)_\(index)_\(n)", fee: .zero(currency),
                    at: paidAt.addingTimeInterval(2 * 86_400), session: session)
                summary.refunds += 1
            }
            if !cadence.isRecurring { break }
            n += 1
        }
        if let end = resumesAt, end < now, pledge.status == .paused {
            try session.movePledge(
                pledge.id, from: .paused, to: .active, at: end, setFirstPaidAt: false, setCancelledAt: false)
        }
    }
}

extension BulkDemo {
    /// Gives the whole of `payment` back as a refund or chargeback, by Core's bookkeeping rules.
    private func reverse(
        _ payment: Payment, kind: Reversal.Kind, externalID: String, fee: Money, at: Date, session: StoreSession
    ) throws {
        try Bookkeeping.checkReversible(
            payment.amount, paid: payment.amount, alreadyReversed: .zero(payment.amount.currency),
            paymentID: payment.externalID)
        let transaction = try LedgerTransaction(
            kind: kind == .refund ? .refund : .chargeback, processor: payment.processor, externalID: externalID,
            occurredAt: at,
            postings: try Bookkeeping.reversal(
                amount: payment.amount, fee: fee, cadence: payment.cadence, processor: payment.processor))
        try session.insertReversal(
            Reversal(
                id: ID<Reversal>.make(),
                transactionID: try session.insertLedgerTransaction(transaction, recordedAt: at), paymentID: payment.id,
                kind: kind, processor: payment.processor, externalID: externalID, amount: payment.amount, fee: fee,
                occurredAt: at))
    }
}

extension DemoHistory.Summary {
    mutating func add(_ other: DemoHistory.Summary) {
        supporters += other.supporters
        pledges += other.pledges
        payments += other.payments
        refunds += other.refunds
        cancellations += other.cancellations
        pauses += other.pauses
        reminders += other.reminders
        failures += other.failures
        chargebacks += other.chargebacks
    }
}
