import Foundation
import PledgerApp
import PledgerCore
import PledgerTestSupport
import Testing

/// The peer's own verifier: the `standardwebhooks` package from PyPI (which `.ci/run` installs)
/// checks what Pledger sent, so the signatures are Standard Webhooks' and not only our reading of it.
enum PeerVerifier {
    static let python = AccountingTool.python
    static let available: Bool = {
        guard let python else { return false }
        return (try? AccountingTool.run(python, ["-c", "import standardwebhooks"]).status) == 0
    }()

    /// Verifies each delivery with `secret` through `standardwebhooks.Webhook.verify`; the
    /// timestamps are checked against the real clock, as a receiver would.
    static func verify(_ deliveries: [LoopbackReceiver.Received], secret: String) throws -> (Int32, String) {
        let cases = deliveries.map { received in
            [
                "id": received.id ?? "", "timestamp": received.timestamp ?? "",
                "signature": received.signature ?? "", "body": received.bodyText,
            ]
        }
        let file = FileManager.default.temporaryDirectory.appending(path: "peer-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: ["secret": secret, "cases": cases]).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
            import json, sys
            from standardwebhooks.webhooks import Webhook
            spec = json.load(open(sys.argv[1]))
            hook = Webhook(spec["secret"])
            for c in spec["cases"]:
                hook.verify(c["body"], {"webhook-id": c["id"], "webhook-timestamp": c["timestamp"],
                                        "webhook-signature": c["signature"]})
            print("verified", len(spec["cases"]))
            """
        let result = try AccountingTool.run(python!, ["-c", script, file.path])
        return (result.status, result.stdout + result.stderr)
    }
}

@Suite("Deliveries checked by the peer's verifier")
struct DeliveryPeerVerifierTests {
    @Test(
        "standardwebhooks from PyPI verifies every delivery, and both signatures during a rotation",
        .enabled(if: PeerVerifier.available, "python3 -m pip install standardwebhooks"))
    func peerVerifies() async throws {
        // The peer checks timestamps against the real time, so this clock starts there (and stays).
        let clock = SettableClock(Date())
        var config = PledgerConfig()
        config.delivery.addresses.allowInsecure = true
        let ledger = try TemporaryLedger(clock: clock.clock, config: config)
        let app = ledger.app
        try await LoopbackReceiver.run(clock: clock.clock) { receiver, base in
            let added = try await app.endpoints.add(EndpointRequest(url: base + "/peer", events: "*"))
            try await DeliveryFixture.events(app, 3)
            _ = try await DeliveryFixture.deliver(app)
            let rotated = try await app.endpoints.rotateSecret(added.endpoint.id)
            try await DeliveryFixture.events(app, 1, from: 3)
            _ = try await DeliveryFixture.deliver(app)
            let received = receiver.received()
            #expect(received.count == 4)
            let before = try PeerVerifier.verify(Array(received.prefix(3)), secret: added.secret)
            #expect(before.0 == 0, "\(before.1)")
            #expect(before.1.contains("verified 3"))
            // During the overlap, either secret alone verifies the two-signature header.
            for secret in [added.secret, rotated.secret] {
                let during = try PeerVerifier.verify([received[3]], secret: secret)
                #expect(during.0 == 0, "\(during.1)")
            }
        }
    }
}
