import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PledgerApp
import PledgerCore
import PledgerHTTP
import PledgerStore
import PledgerTestSupport
import PledgerWebhooks
import Testing

@Suite("HTTP routes")
struct RouterTests {
    let pledgeBody =
        #"{"email": "Reader@Example.org", "amount": 500, "currency": "USD", "cadence": "monthly", "source": "article-footer"}"#

    @Test("POST /v1/pledges records a pledge (201) and GET reads it back")
    func createAndRead() async throws {
        let service = try await TestService()
        try await service.application.test(.router) { client in
            let created = try await client.execute(
                uri: "/v1/pledges", method: .post, headers: service.headers(service.writer), body: json(pledgeBody))
            #expect(created.status == .created)
            let pledge = try created.object()
            let id = try #require(pledge["id"] as? String)
            #expect(pledge["status"] as? String == "pending")
            #expect(pledge["email"] as? String == "reader@example.org")
            #expect(pledge["amount"] as? Int == 500)
            #expect(created.headers[HTTPField.Name("X-Request-Id")!] != nil)

            let read = try await client.execute(
                uri: "/v1/pledges/\(id)", method: .get, headers: service.headers(service.writer, json: false))
            #expect(read.status == .ok)
            #expect(try read.object()["id"] as? String == id)
            let missing = try await client.execute(
                uri: "/v1/pledges/pl_nope", method: .get, headers: service.headers(service.writer, json: false))
            #expect(missing.status == .notFound)
            #expect(try missing.errorCode() == "pledge_not_found")
        }
    }

    @Test("GET /v1/pledges pages newest first with a cursor and filters")
    func listing() async throws {
        let service = try await TestService()
        try await service.application.test(.router) { client in
            var ids: [String] = []
            for n in 1...5 {
                let body = #"{"email": "r\#(n)@example.org", "amount": 500, "currency": "USD", "cadence": "one_off"}"#
                let response = try await client.execute(
                    uri: "/v1/pledges", method: .post, headers: service.headers(service.writer), body: json(body))
                ids.append(try #require(try response.object()["id"] as? String))
            }
            let first = try await client.execute(
                uri: "/v1/pledges?limit=2", method: .get, headers: service.headers(service.writer, json: false))
            let page1 = try first.object()
            #expect((page1["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [ids[4], ids[3]])
            let cursor = try #require(page1["next_cursor"] as? String)
            let second = try await client.execute(
                uri: "/v1/pledges?limit=2&cursor=\(cursor)", method: .get,
                headers: service.headers(service.writer, json: false))
            #expect(
                (try second.object()["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [
                    ids[2], ids[1],
                ])
            let last = try await client.execute(
                uri: "/v1/pledges?limit=2&cursor=\(ids[1])", method: .get,
                headers: service.headers(service.writer, json: false))
            let page3 = try last.object()
            #expect((page3["data"] as? [[String: Any]])?.count == 1)
            #expect(page3["next_cursor"] == nil)
            let byEmail = try await client.execute(
                uri: "/v1/pledges?email=r3@example.org", method: .get,
                headers: service.headers(service.writer, json: false))
            #expect((try byEmail.object()["data"] as? [[String: Any]])?.first?["id"] as? String == ids[2])
            let badStatus = try await client.execute(
                uri: "/v1/pledges?status=lost", method: .get, headers: service.headers(service.writer, json: false))
            #expect(badStatus.status == .unprocessableContent)
        }
    }

    @Test("POST /v1/pledges/{id}/cancel cancels; cancelling again is refused with 422")
    func cancel() async throws {
        let service = try await TestService()
        try await service.application.test(.router) { client in
            let created = try await client.execute(
                uri: "/v1/pledges", method: .post, headers: service.headers(service.writer), body: json(pledgeBody))
            let id = try #require(try created.object()["id"] as? String)
            let cancelled = try await client.execute(
                uri: "/v1/pledges/\(id)/cancel", method: .post, headers: service.headers(service.writer, json: false))
            #expect(cancelled.status == .ok)
            #expect(try cancelled.object()["status"] as? String == "cancelled")
            let again = try await client.execute(
                uri: "/v1/pledges/\(id)/cancel", method: .post, headers: service.headers(service.writer, json: false))
            #expect(again.status == .unprocessableContent)
            #expect(try again.errorCode() == "invalid_transition")
        }
    }

    @Test(
        "POST /v1/pledges/{id}/pause pauses (months, an end, or none); resume resumes; bad input is a 422 naming the field"
    )
    func pauseAndResume() async throws {
        let service = try await TestService()
        try await service.application.test(.router) { client in
            let created = try await client.execute(
                uri: "/v1/pledges", method: .post, headers: service.headers(service.writer), body: json(pledgeBody))
            let id = try #require(try created.object()["id"] as? String)
            // A pending pledge has nothing to pause.
            let early = try await client.execute(
                uri: "/v1/pledges/\(id)/pause", method: .post, headers: service.headers(service.writer, json: false))
            #expect(early.status == .unprocessableContent)
            #expect(try early.errorCode() == "invalid_transition")
            _ = try await service.ledger.app.payments.record(
                PaymentRequest(pledgeID: ID(id), amount: usd("5.00"), externalID: "pi_pause"))
            for (body, field) in [
                (#"{"months": 4}"#, "months"), (#"{"resumes_at": "2026-01-01T00:00:00Z"}"#, "resumes_at"),
                (#"{"months": 1, "resumes_at": "2027-01-01T00:00:00Z"}"#, "months"), (#"{"weeks": 2}"#, "weeks"),
            ] {
                let refused = try await client.execute(
                    uri: "/v1/pledges/\(id)/pause", method: .post, headers: service.headers(service.writer),
                    body: json(body))
                #expect(refused.status == .unprocessableContent, "\(body)")
                #expect((try refused.object()["error"] as? [String: Any])?["field"] as? String == field, "\(body)")
            }
            let paused = try await client.execute(
                uri: "/v1/pledges/\(id)/pause", method: .post, headers: service.headers(service.writer),
                body: json(#"{"months": 2}"#))
            #expect(paused.status == .ok)
            let pledge = try paused.object()
            #expect(pledge["status"] as? String == "paused")
            #expect(pledge["resumes_at"] as? String == "2027-01-20T12:00:00Z")
            #expect(pledge["next_due_at"] == nil)
            let resumed = try await client.execute(
                uri: "/v1/pledges/\(id)/resume", method: .post, headers: service.headers(service.writer, json: false))
            #expect(resumed.status == .ok)
            #expect(try resumed.object()["status"] as? String == "active")
            let again = try await client.execute(
                uri: "/v1/pledges/\(id)/resume", method: .post, headers: service.headers(service.writer, json: false))
            #expect(again.status == .unprocessableContent)
            // Paused with no planned end: it stays paused until resumed.
            let open = try await client.execute(
                uri: "/v1/pledges/\(id)/pause", method: .post, headers: service.headers(service.writer, json: false))
            #expect(try open.object()["status"] as? String == "paused")
            #expect(try open.object()["resumes_at"] == nil)
        }
    }

    @Test("Reminders: 201 new, 200 deferred, 422 past the limit; due and sent")
    func reminders() async throws {
        let service = try await TestService()
        try await service.application.test(.router) { client in
            let body = json(#"{"email": "later@example.org", "delay_days": 3}"#)
            let first = try await client.execute(
                uri: "/v1/reminders", method: .post, headers: service.headers(service.writer), body: body)
            #expect(first.status == .created)
            let reminder = try first.object()
            #expect(reminder["due_at"] as? String == "2026-11-23T12:00:00Z")
            #expect(reminder["deferrals"] as? Int == 0)
            let id = try #require(reminder["id"] as? String)
            for expected in 1...3 {
                let deferred = try await client.execute(
                    uri: "/v1/reminders", method: .post, headers: service.headers(service.writer), body: body)
                #expect(deferred.status == .ok)
                #expect(try deferred.object()["deferrals"] as? Int == expected)
                #expect(try deferred.object()["id"] as? String == id)
            }
            let refused = try await client.execute(
                uri: "/v1/reminders", method: .post, headers: service.headers(service.writer), body: body)
            #expect(refused.status == .unprocessableContent)
            #expect(try refused.errorCode() == "deferral_limit_reached")

            let both = try await client.execute(
                uri: "/v1/reminders", method: .post, headers: service.headers(service.writer),
                body: json(#"{"email": "x@example.org", "delay_days": 3, "remind_at": "2026-12-01T09:00:00Z"}"#))
            #expect(both.status == .unprocessableContent)
            #expect(try (both.object()["error"] as? [String: Any])?["field"] as? String == "delay_days")

            // Due now: a reminder asked for on 11-01 fell due on 11-08; the one above is not due before 11-23.
            _ = try await service.ledger.app.reminders.schedule(
                ReminderRequest(email: "due@example.org", at: instant("2026-11-01T00:00:00Z")))
            let due = try await client.execute(
                uri: "/v1/reminders/due", method: .get, headers: service.headers(service.writer, json: false))
            #expect(due.status == .ok)
            #expect(
                (try due.object()["data"] as? [[String: Any]])?.compactMap { $0["email"] as? String } == [
                    "due@example.org"
                ])
            let sent = try await client.execute(
                uri: "/v1/reminders/\(id)/sent", method: .post, headers: service.headers(service.writer, json: false))
            #expect(sent.status == .ok)
            #expect(try sent.object()["status"] as? String == "sent")
            let unknown = try await client.execute(
                uri: "/v1/reminders/rm_nope/sent", method: .post, headers: service.headers(service.writer, json: false))
            #expect(unknown.status == .notFound)
        }
    }

    @Test("Idempotency-Key: same body replays without a second effect; another body is 409")
    func idempotency() async throws {
        let service = try await TestService()
        try await service.application.test(.router) { client in
            let headers = service.headers(service.writer, extra: [HTTPField.Name("Idempotency-Key")!: "order-42"])
            let first = try await client.execute(
                uri: "/v1/pledges", method: .post, headers: headers, body: json(pledgeBody))
            let second = try await client.execute(
                uri: "/v1/pledges", method: .post, headers: headers, body: json(pledgeBody))
            #expect(first.status == .created)
            #expect(second.status == .created)
            #expect(second.text == first.text)
            #expect(second.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(try await service.ledger.app.pledges.list().count == 1)

            let other = try await client.execute(
                uri: "/v1/pledges", method: .post, headers: headers,
                body: json(#"{"email": "other@example.org", "amount": 900, "currency": "USD", "cadence": "monthly"}"#))
            #expect(other.status == .conflict)
            #expect(try other.errorCode() == "idempotency_key_reused")
            #expect(try await service.ledger.app.pledges.list().count == 1)

            // Keys belong to a token: another client's same key is its own.
            let financeWriter = try await service.ledger.app.operations.createToken(
                name: "other-site", scopes: [.pledgesWrite]
            )
            .token
            let otherClient = try await client.execute(
                uri: "/v1/pledges", method: .post,
                headers: service.headers(financeWriter, extra: [HTTPField.Name("Idempotency-Key")!: "order-42"]),
                body: json(pledgeBody))
            #expect(otherClient.status == .created)
            #expect(try await service.ledger.app.pledges.list().count == 2)
        }
    }

    @Test("401 without or with a bad or revoked token; 403 without the scope")
    func authentication() async throws {
        let service = try await TestService()
        try await service.application.test(.router) { client in
            let none = try await client.execute(
                uri: "/v1/pledges", method: .post, headers: service.headers(nil), body: json(pledgeBody))
            #expect(none.status == .unauthorized)
            #expect(try none.errorCode() == "unauthorized")
            let bad = try await client.execute(
                uri: "/v1/pledges", method: .post, headers: service.headers("plg_forged"), body: json(pledgeBody))
            #expect(bad.status == .unauthorized)
            let forbidden = try await client.execute(
                uri: "/v1/pledges", method: .post, headers: service.headers(service.reader), body: json(pledgeBody))
            #expect(forbidden.status == .forbidden)
            #expect(try forbidden.errorCode() == "forbidden")
            #expect(try await service.ledger.app.pledges.list().isEmpty)

            _ = try await service.ledger.app.operations.revokeToken(name: "site")
            let revoked = try await client.execute(
                uri: "/v1/pledges", method: .post, headers: service.headers(service.writer), body: json(pledgeBody))
            #expect(revoked.status == .unauthorized)
        }
    }

    @Test("Errors: 400 malformed JSON, 404 unknown route, 413 too large, 415 wrong type, 422 naming the field")
    func errors() async throws {
        let service = try await TestService(bodyLimit: 2048)
        try await service.application.test(.router) { client in
            let malformed = try await client.execute(
                uri: "/v1/pledges", method: .post, headers: service.headers(service.writer), body: json("{\"email\": "))
            #expect(malformed.status == .badRequest)
            #expect(try malformed.errorCode() == "malformed_json")
            let array = try await client.execute(
                uri: "/v1/pledges", method: .post, headers: service.headers(service.writer), body: json("[1, 2]"))
            #expect(array.status == .badRequest)

            let unknown = try await client.execute(
                uri: "/v1/nothing-here", method: .get, headers: service.headers(service.writer, json: false))
            #expect(unknown.status == .notFound)
            #expect(try unknown.errorCode() == "not_found")

            let huge = String(repeating: "x", count: 4096)
            let tooLarge = try await client.execute(
                uri: "/v1/pledges", method: .post, headers: service.headers(service.writer),
                body: json(#"{"email": "\#(huge)"}"#))
            #expect(tooLarge.status == .contentTooLarge)
            #expect(try tooLarge.errorCode() == "body_too_large")

            var textHeaders = service.headers(service.writer, json: false)
            textHeaders[.contentType] = "text/plain"
            let wrongType = try await client.execute(
                uri: "/v1/pledges", method: .post, headers: textHeaders, body: json(pledgeBody))
            #expect(wrongType.status == .unsupportedMediaType)

            for (body, field) in [
                (#"{"email": "a@example.org", "amount": 5.5, "currency": "USD", "cadence": "monthly"}"#, "amount"),
                (#"{"email": "a@example.org", "amount": -500, "currency": "USD", "cadence": "monthly"}"#, "amount"),
                (#"{"email": "a@example.org", "amount": 500, "currency": "usd", "cadence": "monthly"}"#, "currency"),
                (#"{"email": "a@example.org", "amount": 500, "currency": "XYZ", "cadence": "monthly"}"#, "currency"),
                (#"{"email": "not-an-email", "amount": 500, "currency": "USD", "cadence": "monthly"}"#, "email"),
                (#"{"email": "a@example.org", "amount": 500, "currency": "USD", "cadence": "weekly"}"#, "cadence"),
                (#"{"email": "a@example.org", "amount": 100, "currency": "USD", "cadence": "monthly"}"#, "amount"),
                (#"{"amount": 500, "currency": "USD", "cadence": "monthly"}"#, "email"),
                (
                    #"{"email": "a@example.org", "amount": 500, "currency": "USD", "cadence": "monthly", "sorce": "footer"}"#,
                    "sorce"
                ),
            ] {
                let response = try await client.execute(
                    uri: "/v1/pledges", method: .post, headers: service.headers(service.writer), body: json(body))
                #expect(response.status == .unprocessableContent, "\(body)")
                #expect(try (response.object()["error"] as? [String: Any])?["field"] as? String == field, "\(body)")
                #expect(!response.text.contains("Swift"), "no internals in \(body)")
            }
            #expect(try await service.ledger.app.pledges.list().isEmpty)
        }
    }

    @Test("Webhooks: 200 for accepted outcomes, 400 with the verification code, no token needed")
    func webhooks() async throws {
        let service = try await TestService()
        let pledge = try await service.ledger.app.pledges.record(
            PledgeRequest(email: "w@example.org", amount: usd("25.00"), cadence: .oneOff))
        let body = Array(
            #"""
            {"id": "evt_http_1", "object": "event", "type": "checkout.session.completed", "created": 1795000000,
             "data": {"object": {"id": "cs_1", "mode": "payment", "payment_status": "paid", "amount_total": 2500,
              "currency": "usd", "payment_intent": "pi_http_1", "metadata": {"pledge_id": "\#(pledge.id)"}}}}
            """#.utf8)
        let timestamp = Int64(TestService.now.timeIntervalSince1970)
        var signed = HTTPFields()
        signed[.contentType] = "application/json"
        signed[HTTPField.Name("Stripe-Signature")!] = StripeSignatureScheme.sign(
            body: body, secret: TestService.stripeSecret, timestamp: timestamp)
        let headers = signed
        try await service.application.test(.router) { client in
            let first = try await client.execute(
                uri: "/v1/webhooks/stripe", method: .post, headers: headers, body: ByteBuffer(bytes: body))
            #expect(first.status == .ok)
            #expect(try first.object()["outcome"] as? String == "processed")
            let again = try await client.execute(
                uri: "/v1/webhooks/stripe", method: .post, headers: headers, body: ByteBuffer(bytes: body))
            #expect(try again.object()["outcome"] as? String == "duplicate")

            var forged = headers
            forged[HTTPField.Name("Stripe-Signature")!] = StripeSignatureScheme.sign(
                body: body, secret: "whsec_wrong", timestamp: timestamp)
            let rejected = try await client.execute(
                uri: "/v1/webhooks/stripe", method: .post, headers: forged, body: ByteBuffer(bytes: body))
            #expect(rejected.status == .badRequest)
            #expect(try rejected.errorCode() == "no_matching_signature")
            #expect(!rejected.text.contains(TestService.stripeSecret))

            let unsigned = try await client.execute(
                uri: "/v1/webhooks/standard", method: .post, headers: service.headers(nil), body: json("{}"))
            #expect(unsigned.status == .badRequest)
            #expect(try unsigned.errorCode() == "missing_header")

            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.text.contains(#"pledger_webhook_events_total{provider="stripe",outcome="processed"} 1"#))
            #expect(metrics.text.contains(#"pledger_webhook_events_total{provider="stripe",outcome="rejected"} 1"#))
            #expect(
                metrics.text.contains(
                    #"pledger_http_requests_total{method="POST",route="/v1/webhooks/stripe",status="400"} 1"#))
            #expect(metrics.text.contains("pledger_http_request_duration_seconds_bucket"))
        }
        #expect(try await service.ledger.app.pledges.pledge(id: pledge.id).status == .completed)
    }

    @Test("Reports in JSON and CSV; /healthz; /v1/openapi.yaml")
    func reportsAndOperations() async throws {
        let service = try await TestService()
        let app = service.ledger.app
        let pledge = try await app.pledges.record(
            PledgeRequest(
                email: "r@example.org", amount: usd("5.00"), cadence: .monthly, at: instant("2026-10-03T00:00:00Z")))
        _ = try await app.payments.record(
            PaymentRequest(
                pledgeID: pledge.id, amount: usd("5.00"), fee: usd("0.45"), externalID: "ch_r",
                at: instant("2026-10-03T00:01:00Z")))
        try await service.application.test(.router) { client in
            let report = try await client.execute(
                uri: "/v1/reports/monthly?month=2026-10", method: .get,
                headers: service.headers(service.reader, json: false))
            #expect(report.status == .ok)
            let usdBlock = try #require((try report.object()["currencies"] as? [[String: Any]])?.first)
            #expect((usdBlock["receipts"] as? [String: Any])?["net"] as? Int == 455)
            let csv = try await client.execute(
                uri: "/v1/reports/monthly?month=2026-10&format=csv", method: .get,
                headers: service.headers(service.reader, json: false))
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.text.contains("2026-10,UTC,USD,receipts,net,4.55,USD"))
            let html = try await client.execute(
                uri: "/v1/reports/monthly?month=2026-10&format=html", method: .get,
                headers: service.headers(service.reader, json: false))
            #expect(html.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(html.text.lowercased().hasPrefix("<!doctype html"))
            let table = try await client.execute(
                uri: "/v1/reports/monthly?format=table", method: .get,
                headers: service.headers(service.reader, json: false))
            #expect(table.status == .unprocessableContent)
            let badMonth = try await client.execute(
                uri: "/v1/reports/monthly?month=2026-13", method: .get,
                headers: service.headers(service.reader, json: false))
            #expect(badMonth.status == .unprocessableContent)
            #expect(try (badMonth.object()["error"] as? [String: Any])?["field"] as? String == "month")
            let noScope = try await client.execute(
                uri: "/v1/reports/monthly", method: .get,
                headers: service.headers(
                    try await app.operations.createToken(name: "pledges-only", scopes: [.pledgesRead]).token,
                    json: false))
            #expect(noScope.status == .forbidden)
            // The box funnel is always in the JSON, empty when the box did nothing.
            let funnel = try #require(try report.object()["box_funnel"] as? [String: Any])
            #expect((funnel["campaigns"] as? [Any])?.isEmpty == true)

            let sources = try await client.execute(
                uri: "/v1/reports/sources?month=2026-10", method: .get,
                headers: service.headers(service.reader, json: false))
            #expect(sources.status == .ok)
            #expect(try sources.object()["month"] as? String == "2026-10")
            #expect((try sources.object()["pages"] as? [Any])?.isEmpty == true)
            let sourcesCSV = try await client.execute(
                uri: "/v1/reports/sources?month=2026-10&format=csv", method: .get,
                headers: service.headers(service.reader, json: false))
            #expect(sourcesCSV.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(sourcesCSV.text.hasPrefix("month,time_zone,ranking,rank,source,currency,"))
            let sourcesTable = try await client.execute(
                uri: "/v1/reports/sources?format=table", method: .get,
                headers: service.headers(service.reader, json: false))
            #expect(sourcesTable.status == .unprocessableContent)

            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            #expect(try health.object()["database"] as? String == "ok")
            let openapi = try await client.execute(uri: "/v1/openapi.yaml", method: .get)
            #expect(openapi.status == .ok)
            #expect(openapi.text.hasPrefix("openapi: 3.1"))
        }
    }
}
