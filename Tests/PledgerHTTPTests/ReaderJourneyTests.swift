import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PledgerApp
import PledgerCore
import PledgerHTTP
import PledgerTestSupport
import PledgerWebhooks
import Testing

/// The reader's whole loop through the public surfaces, on a settable clock: "remind me later" over
/// the API, the job that makes it due, the signed delivery a mailer receives, the reminder marked
/// sent, the pledge and its payment, and the month's report counting the conversion.
@Suite("The reader's journey")
struct ReaderJourneyTests {
    static let gatewaySecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    func post(_ client: some TestClientProtocol, _ path: String, token: String, _ body: String) async throws
        -> TestResponse
    {
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        headers[.contentType] = "application/json"
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    @Test("Remind me later → reminder.due delivered and verified → sent → pledge and payment → converted in the report")
    func journey() async throws {
        let clock = SettableClock(instant("2026-11-02T10:00:00Z"))
        var config = PledgerConfig()
        config.delivery.addresses.allowInsecure = true
        config.webhooks = WebhookSettings(standardSecrets: [Self.gatewaySecret])
        let ledger = try TemporaryLedger(clock: clock.clock, config: config)
        let app = ledger.app
        let token = try await app.operations.createToken(
            name: "site", scopes: [.pledgesWrite, .remindersWrite, .reportsRead, .endpointsWrite]
        ).token
        var logger = Logger(label: "journey")
        logger.logLevel = .warning
        let service = buildApplication(app: app, settings: ServerSettings(port: 0, logger: logger))

        try await LoopbackReceiver.run(clock: clock.clock) { receiver, base in
            try await service.test(.router) { client in
                // The publisher's mailer subscribes to due reminders.
                let added = try await post(
                    client, "/v1/endpoints", token: token,
                    #"{"url": "\#(base)/mailer", "events": "reminder.due", "description": "mailer"}"#)
                #expect(added.status == .created)
                let secret = try #require(try json(added)["secret"] as? String)
                receiver.expectSecrets([secret], path: "/mailer")

                // "Not ready to support today? Remind me later."
                let asked = try await post(
                    client, "/v1/reminders", token: token,
                    #"{"email": "reader@example.org", "campaign": "winter", "delay_days": 3}"#)
                #expect(asked.status == .created)
                let reminderID = try #require(try json(asked)["id"] as? String)

                // Nothing is due before its time; at its time the job announces it, once.
                clock.set(instant("2026-11-05T09:59:59Z"))
                #expect(try await app.jobs.run().remindersDue == 0)
                clock.set(instant("2026-11-05T10:00:00Z"))
                #expect(try await app.jobs.run().remindersDue == 1)
                #expect(try await app.jobs.run().remindersDue == 0)

                let sender = app.deliveries.makeHTTPSender()
                let summary = try await app.deliveries.deliverDue(sender: sender)
                try await sender.shutdown()
                #expect(summary.delivered == 1)

                // The mailer got it once, signed with its secret, and can send the e-mail from it.
                let got = receiver.received(path: "/mailer")
                #expect(got.count == 1)
                let delivery = try #require(got.first)
                #expect(delivery.verified == true)
                let body = try #require(
                    JSONSerialization.jsonObject(with: Data(delivery.body)) as? [String: Any])
                #expect(body["type"] as? String == "reminder.due")
                #expect(delivery.id == body["id"] as? String)
                let data = try #require(body["data"] as? [String: Any])
                #expect((data["supporter"] as? [String: Any])?["email"] as? String == "reader@example.org")
                #expect((data["reminder"] as? [String: Any])?["campaign"] as? String == "winter")

                // Delivered to a subscribed endpoint: the reminder counts as sent.
                let reminder = try #require(
                    try await app.reminders.list(email: "reader@example.org").first { $0.id.rawValue == reminderID })
                #expect(reminder.status == .sent)
                #expect(reminder.sentAt == instant("2026-11-05T10:00:00Z"))

                // The e-mail worked: the reader pledges monthly, and the gateway reports the payment.
                clock.set(instant("2026-11-06T08:00:00Z"))
                let pledged = try await post(
                    client, "/v1/pledges", token: token,
                    #"{"email": "reader@example.org", "amount": 500, "currency": "USD", "cadence": "monthly", "source": "reminder-email"}"#
                )
                #expect(pledged.status == .created)
                let pledgeID = try #require(try json(pledged)["id"] as? String)
                let event = Array(
                    #"{"type": "pledge.payment_succeeded", "data": {"pledge_id": "\#(pledgeID)", "payment_id": "gw_1", "amount": 500, "currency": "USD", "occurred_at": "2026-11-06T08:01:00Z"}}"#
                        .utf8)
                let timestamp = Int64(clock.now.timeIntervalSince1970)
                var headers = HTTPFields()
                headers[HTTPField.Name("webhook-id")!] = "msg_journey_1"
                headers[HTTPField.Name("webhook-timestamp")!] = "\(timestamp)"
                headers[HTTPField.Name("webhook-signature")!] = try StandardWebhooksScheme.sign(
                    id: "msg_journey_1", timestamp: timestamp, body: event, secret: Self.gatewaySecret)
                let paid = try await client.execute(
                    uri: "/v1/webhooks/standard", method: .post, headers: headers, body: ByteBuffer(bytes: event))
                #expect(paid.status == .ok)

                // November's report: one reminder scheduled, sent and converted; the pledge's MRR.
                clock.set(instant("2026-12-01T09:00:00Z"))
                var auth = HTTPFields()
                auth[.authorization] = "Bearer \(token)"
                let report = try await client.execute(
                    uri: "/v1/reports/monthly?month=2026-11", method: .get, headers: auth)
                #expect(report.status == .ok)
                let figures = try json(report)
                let reminders = try #require(figures["reminders"] as? [String: Any])
                #expect(reminders["scheduled"] as? Int == 1)
                #expect(reminders["sent"] as? Int == 1)
                #expect(reminders["converted"] as? Int == 1)
                #expect(reminders["conversion_rate"] as? String == "100.0%")
                let currency = try #require((figures["currencies"] as? [[String: Any]])?.first)
                #expect((currency["mrr"] as? [String: Any])?["end"] as? Int == 500)
                #expect(try await app.pledges.pledge(id: ID(pledgeID)).status == .active)
            }
        }
    }
}
