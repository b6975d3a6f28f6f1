import Foundation
import PledgerApp
import PledgerCore

/// A year of made-up but plausible history, entered through the real use cases so the demo
/// exercises the same rules as production: a few hundred supporters, all cadences, fees,
/// upgrades, pauses, refunds, cancellations, and reminders with deferrals, sends and conversions.
public struct DemoHistory: Sendable {
    /// What was entered.
    public struct Summary: Sendable, Equatable {
        public var supporters = 0
        public var pledges = 0
        public var payments = 0
        public var refunds = 0
        public var cancellations = 0
        /// Monthly pledges paused for one to three months (resumed at the end, unless it is still to come).
        public var pauses = 0
        public var reminders = 0
        /// Renewals that failed (the pledge fell past due); the bulk generator's only.
        public var failures = 0
        /// Payments disputed and charged back; the bulk generator's only.
        public var chargebacks = 0
    }

    public var supporters: Int
    public var seed: UInt64

    public init(supporters: Int = 300, seed: UInt64 = 2026) {
        self.supporters = supporters
        self.seed = seed
    }

    /// Enters the history ending at the app's current time.
    public func generate(into app: Pledger) async throws -> Summary {
        var rng = SeededGenerator(seed: seed)
        let now = app.clock.now
        let yearAgo = now.addingTimeInterval(-365 * 86_400)
        let sources = ["article-footer", "homepage-banner", "newsletter", "paywall", "podcast"]
        var summary = Summary()
        // Pauses draw from their own generator, so the supporters before the first pause have the
        // history they had before pauses existed (a pause skips renewals and so their draws).
        var pauseRng = SeededGenerator(seed: seed &+ 15)
        var externalCounter = 0
        func nextExternalID(_ prefix: String) -> String {
            externalCounter += 1
            return "\(prefix)_demo\(String(format: "%06d", externalCounter))"
        }
        func fee(_ amount: Money) -> Money {
            // A card processor's usual 2.9% + 30 minor units, for two-decimal currencies.
            Money(minorUnits: amount.minorUnits * 29 / 1000 + 30, currency: amount.currency)
        }

        for index in 0..<supporters {
            summary.supporters += 1
            let email = "reader\(String(format: "%04d", index))@example.org"
            let currency: Currency = rng.chance(15) ? .eur : .usd
            let start = yearAgo.addingTimeInterval(Double(rng.next(upTo: 360 * 86_400)))
            let roll = rng.next(upTo: 100)
            let source = sources[Int(rng.next(upTo: UInt64(sources.count)))]

            // Some readers ask to be reminded first; a third of those pledge later.
            var pledgeAt = start
            if roll >= 70 {
                summary.reminders += 1
                var asked = start
                let campaign = rng.chance(50) ? "default" : "year-end"
                var reminder = try await app.reminders.schedule(
                    ReminderRequest(email: email, campaign: campaign, at: asked))
                for _ in 0..<rng.next(upTo: 3) {
                    asked = asked.addingTimeInterval(Double(1 + rng.next(upTo: 5)) * 86_400)
                    guard asked < now, asked < reminder.reminder.dueAt else { break }
                    reminder = try await app.reminders.schedule(
                        ReminderRequest(
                            email: email, campaign: campaign, when: .delay(.days(Int64(3 + rng.next(upTo: 7)))),
                            at: asked))
                }
                // Sent ten minutes after it fell due, so only a reminder due that long before now is sent.
                if reminder.reminder.dueAt.addingTimeInterval(600) < now, rng.chance(80) {
                    _ = try await app.reminders.markSent(
                        id: reminder.reminder.id, at: reminder.reminder.dueAt.addingTimeInterval(600))
                }
                guard rng.chance(33) else { continue }
                pledgeAt = reminder.reminder.dueAt.addingTimeInterval(Double(rng.next(upTo: 3 * 86_400)))
                guard pledgeAt < now else { continue }
            }

            let cadence = DemoPledgeMix.cadence(roll: roll)
            let amount = DemoPledgeMix.amount(for: cadence, in: currency, rng: &rng)
            var pledge = try await app.pledges.record(
                PledgeRequest(email: email, amount: amount, cadence: cadence, source: source, at: pledgeAt))
            summary.pledges += 1
            if rng.chance(8) { continue }  // never paid: stays pending

            let schedule = RenewalSchedule(start: pledgeAt.addingTimeInterval(120), cadence: cadence)
            let cancelAfter: Int? = cadence.isRecurring && rng.chance(25) ? Int(1 + rng.next(upTo: 8)) : nil
            let upgradeAfter: Int? = cadence == .monthly && rng.chance(10) ? Int(1 + rng.next(upTo: 6)) : nil
            let pauseAfter: Int? = cadence == .monthly && pauseRng.chance(8) ? Int(1 + pauseRng.next(upTo: 8)) : nil
            var resumesAt: Date?
            var n = 0
            var paidAmount = amount
            while let due = schedule.renewal(n), due < now {
                if let pauseAfter, n == pauseAfter {
                    let months = Int(1 + pauseRng.next(upTo: 3))
                    pledge = try await app.pledges.pause(
                        id: pledge.id, length: .months(months), at: due.addingTimeInterval(-2 * 86_400))
                    resumesAt = pledge.resumesAt
                    summary.pauses += 1
                }
                // No renewals while paused; at its end it resumes (what the scheduled jobs do).
                if let end = resumesAt {
                    if due < end {  // a renewal on the very instant it resumes is paid
                        n += 1
                        continue
                    }
                    pledge = try await app.pledges.resume(id: pledge.id, at: end)
                    resumesAt = nil
                }
                if let cancelAfter, n == cancelAfter {
                    pledge = try await app.pledges.cancel(id: pledge.id, at: due.addingTimeInterval(-86_400))
                    summary.cancellations += 1
                    break
                }
                if let upgradeAfter, n == upgradeAfter {
                    paidAmount = Money(minorUnits: paidAmount.minorUnits + 500, currency: currency)
                    pledge = try await app.pledges.changeAmount(
                        id: pledge.id, amount: paidAmount, at: due.addingTimeInterval(-3_600))
                }
                let externalID = nextExternalID("pi")
                _ = try await app.payments.record(
                    PaymentRequest(
                        pledgeID: pledge.id, amount: paidAmount, fee: fee(paidAmount), processor: "stripe",
                        externalID: externalID, at: due))
                summary.payments += 1
                if rng.chance(3), due.addingTimeInterval(2 * 86_400) < now {
                    _ = try await app.payments.reverse(
                        ReversalRequest(
                            kind: .refund, paymentExternalID: externalID, externalID: nextExternalID("re"),
                            at: due.addingTimeInterval(2 * 86_400)))
                    summary.refunds += 1
                }
                if !cadence.isRecurring { break }
                n += 1
            }
            if let end = resumesAt, end < now {
                _ = try await app.pledges.resume(id: pledge.id, at: end)
            }
        }
        return summary
    }
}
