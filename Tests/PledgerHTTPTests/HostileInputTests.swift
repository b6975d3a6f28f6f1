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

/// Thousands of malformed requests to every POST route: the service never crashes, never answers
/// 5xx, and no table gains or loses a row.
@Suite("Hostile input")
struct HostileInputTests {
    /// Bodies that must all be refused, from a fixed seed so a failure replays exactly.
    static func hostileBodies(seed: UInt64, count: Int) -> [[UInt8]] {
        var rng = SeededGenerator(seed: seed)
        // Well formed but refused everywhere (amount below the minimum, delay_days 0); the
        // mutations below only add structural characters, so none of them becomes acceptable.
        let nearlyValid = Array(
            #"{"email": "a@example.org", "amount": 100, "currency": "USD", "cadence": "monthly", "delay_days": 0}"#.utf8
        )
        // Each is refused on every route; pledge-shaped ones carry an invalid delay_days so they
        // are not an acceptable reminder either.
        var bodies: [[UInt8]] = [
            [], Array("null".utf8), Array("[]".utf8), Array("\"text\"".utf8), Array("{}".utf8),
            Array(String(repeating: "[", count: 100_000).utf8),
            Array(String(repeating: "{\"a\":", count: 50_000).utf8),
            [0xFF, 0xFE, 0x7B, 0x7D], Array("{\"email\": \"\u{0}\"}".utf8) + [0xC3, 0x28],
            Array(
                #"{"email": "a@example.org", "amount": 1e400, "currency": "USD", "cadence": "monthly", "delay_days": 0}"#
                    .utf8),
            Array(
                #"{"email": "a@example.org", "amount": 99999999999999999999999, "currency": "USD", "cadence": "monthly", "delay_days": 0}"#
                    .utf8),
            Array(
                #"{"email": "a@example.org", "amount": 5.5, "currency": "USD", "cadence": "monthly", "delay_days": 0}"#
                    .utf8),
            Array(
                #"{"email": "a@example.org", "amount": 0, "currency": "USD", "cadence": "monthly", "delay_days": 0}"#
                    .utf8),
            Array(
                #"{"email": "a@example.org", "amount": -500, "currency": "USD", "cadence": "monthly", "delay_days": 0}"#
                    .utf8),
            Array(
                #"{"email": "a@example.org", "amount": 500, "currency": "ZZZ", "cadence": "monthly", "delay_days": 0}"#
                    .utf8),
            Array(
                #"{"email": ["a@example.org"], "amount": "500", "currency": 840, "cadence": null, "delay_days": "3"}"#
                    .utf8),
            Array(#"{"email": "a@example.org", "delay_days": 3.5}"#.utf8),
            Array(#"{"email": "a@example.org", "delay_days": -1}"#.utf8),
            Array(#"{"email": "a@example.org", "remind_at": "2026-02-30T10:00:00Z"}"#.utf8),
        ]
        while bodies.count < count {
            switch rng.next(upTo: 4) {
            case 0:  // random bytes
                bodies.append((0..<Int(rng.next(upTo: 200))).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
            case 1:  // cut short
                bodies.append(Array(nearlyValid.prefix(Int(rng.next(upTo: UInt64(nearlyValid.count - 1))))))
            case 2:  // one byte changed into a structural character
                var body = nearlyValid
                body[Int(rng.next(upTo: UInt64(body.count)))] = Array("{}[],:\"\\".utf8)[Int(rng.next(upTo: 8))]
                bodies.append(body)
            default:  // deep but finite nesting
                let depth = Int(1 + rng.next(upTo: 3000))
                bodies.append(Array((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8))
            }
        }
        return bodies
    }

    @Test("Malformed bodies and headers on every POST route: no 5xx, no row changes")
    func hostile() async throws {
        let service = try await TestService(bodyLimit: 64 * 1024)
        let pledge = try await service.ledger.app.pledges.record(
            PledgeRequest(email: "keep@example.org", amount: usd("5.00"), cadence: .monthly))
        let before = try await service.ledger.store.read { try $0.rowCounts() }
        let routes = [
            "/v1/pledges", "/v1/reminders", "/v1/pledges/\(pledge.id)x/cancel", "/v1/reminders/rm_nope/sent",
            "/v1/webhooks/stripe", "/v1/webhooks/standard",
        ]
        let bodies = Self.hostileBodies(seed: 0xBAD_1D_2026, count: 400)
        let oversized = [UInt8](repeating: UInt8(ascii: "a"), count: 65 * 1024)
        let served = try await service.application.test(.router) { client in
            var served = 0
            for route in routes {
                for (index, body) in bodies.enumerated() {
                    var headers = service.headers(service.writer)
                    switch index % 5 {
                    case 1: headers[.contentType] = "application/x-www-form-urlencoded"
                    case 2:
                        headers[HTTPField.Name("Stripe-Signature")!] = "t=\(String(repeating: "9", count: 40)),v1=zz"
                    case 3:
                        headers.append(HTTPField(name: HTTPField.Name("webhook-id")!, value: "a"))
                        headers.append(HTTPField(name: HTTPField.Name("webhook-id")!, value: "b"))
                        headers[HTTPField.Name("webhook-timestamp")!] = "-1"
                        headers[HTTPField.Name("webhook-signature")!] = "v1," + String(repeating: "=", count: 10_000)
                    case 4: headers[HTTPField.Name("Idempotency-Key")!] = String(repeating: "k", count: 5000)
                    default: break
                    }
                    let response = try await client.execute(
                        uri: route, method: .post, headers: headers, body: ByteBuffer(bytes: body))
                    #expect(response.status.code < 500, "\(route) answered \(response.status) to body #\(index)")
                    #expect(
                        response.status.code >= 400,
                        "\(route) accepted body #\(index): \(String(decoding: body.prefix(200), as: UTF8.self))")
                    served += 1
                }
                let tooBig = try await client.execute(
                    uri: route, method: .post, headers: service.headers(service.writer),
                    body: ByteBuffer(bytes: oversized))
                #expect(tooBig.status == .contentTooLarge || tooBig.status == .notFound, "\(route): \(tooBig.status)")
            }
            return served
        }
        #expect(served == routes.count * bodies.count)
        let after = try await service.ledger.store.read { try $0.rowCounts() }
        #expect(after == before, "changed: \(after.filter { before[$0.key] != $0.value })")
        #expect(try await service.ledger.app.operations.verify().holds)
    }
}
