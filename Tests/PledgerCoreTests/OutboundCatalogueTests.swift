import Foundation
import PledgerCore
import Testing

@Suite("Outbound event catalogue")
struct OutboundCatalogueTests {
    @Test("Filters take types, groups and *; a pattern that names nothing is refused with the field")
    func filters() throws {
        let filter = try EventFilter(parsing: " pledge.* , reminder.due,pledge.*")
        #expect(filter.patterns == ["pledge.*", "reminder.due"])
        #expect(filter.matches(.pledgeExpired) && filter.matches(.reminderDue))
        #expect(!filter.matches(.reminderScheduled) && !filter.matches(.paymentSucceeded))
        #expect(EventFilter.all.types == OutboundEventType.allCases)
        for bad in ["pledge.creatd", "pledges.*", "", "pledge.*,,reminder.due", "*.due"] {
            #expect {
                _ = try EventFilter(parsing: bad)
            } throws: { error in
                (error as? PledgerError)?.field == "events"
            }
        }
    }

    @Test("Receipt numbers: year, dash, at least six digits")
    func receiptNumbers() {
        #expect(ReceiptNumber(year: 2026, sequence: 123).description == "2026-000123")
        #expect(ReceiptNumber(year: 2027, sequence: 1_234_567).description == "2027-1234567")
        #expect(ReceiptNumber.year(of: Date(timeIntervalSince1970: 1_798_761_599)) == 2026)  // 2026-12-31T23:59:59Z
        #expect(ReceiptNumber.year(of: Date(timeIntervalSince1970: 1_798_761_600)) == 2027)
    }

    @Test("The retry schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then none")
    func retrySchedule() {
        let failedAt = Date(timeIntervalSince1970: 0)
        let waits = (1...8).map { RetrySchedule.standard.nextAttempt(after: $0, failedAt: failedAt) }
        #expect(waits.map { $0?.timeIntervalSince1970 } == [5, 300, 1800, 7200, 18_000, 36_000, 36_000, nil])
        #expect(RetrySchedule.standard.attempts == 8)
    }

    @Test("Which moves announce what: a one-off's completion is left to payment.succeeded")
    func moves() {
        #expect(OutboundEventType.announcing(move: .active, from: .pending) == .pledgeActivated)
        #expect(OutboundEventType.announcing(move: .active, from: .pastDue) == .pledgeActivated)
        #expect(OutboundEventType.announcing(move: .active, from: .paused) == .pledgeResumed)
        #expect(OutboundEventType.announcing(move: .paused, from: .active) == .pledgePaused)
        #expect(OutboundEventType.announcing(move: .pastDue, from: .active) == .pledgePastDue)
        #expect(OutboundEventType.announcing(move: .cancelled, from: .paused) == .pledgeCancelled)
        #expect(OutboundEventType.announcing(move: .expired, from: .pending) == .pledgeExpired)
        #expect(OutboundEventType.announcing(move: .completed, from: .pending) == nil)
    }

    @Test("A failed charge is news only while the pledge is pending or live")
    func failuresOfPledgesThatAreOver() {
        let at = Date(timeIntervalSince1970: 1_795_000_000)
        for status in PledgeStatus.allCases {
            let pledge = Pledge(
                id: ID("pl_1"), supporterID: ID("sp_1"), email: "a@example.org", externalRef: nil, cadence: .monthly,
                amount: Money(minorUnits: 500, currency: .usd), status: status, source: nil, processor: nil,
                processorRef: nil, createdAt: at, firstPaidAt: nil, cancelledAt: nil)
            let announced = OutboundEventDraft.paymentFailed(pledge, at: at) != nil
            #expect(announced == [.pending, .active, .pastDue].contains(status), "\(status)")
        }
    }

    @Test("An endpoint is disabled by a 410 at once, or after five days of failures, never by a success")
    func disablingRules() {
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        let event = OutboundEvent(
            id: ID("evt_1"), sequence: 1, type: .reminderDue, occurredAt: start, subjects: EventSubjects(), body: "{}")
        func attempt(_ status: Int?, after seconds: TimeInterval) -> DeliveryAttempt {
            DeliveryAttempt.decide(
                endpointID: ID("ep_1"), event: event, at: start.addingTimeInterval(seconds), previousAttempts: 0,
                httpStatus: status, error: nil, schedule: .standard)
        }
        #expect(attempt(410, after: 0).disablingReason(failingSince: start)?.contains("410 Gone") == true)
        #expect(attempt(500, after: Endpoint.failingLimit - 1).disablingReason(failingSince: start) == nil)
        #expect(
            attempt(nil, after: Endpoint.failingLimit).disablingReason(failingSince: start)?.contains("5 days") == true)
        #expect(attempt(204, after: Endpoint.failingLimit * 2).disablingReason(failingSince: start) == nil)
    }
}
