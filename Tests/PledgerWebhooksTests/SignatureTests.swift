import Foundation
import PledgerCore
import PledgerWebhooks
import Testing

/// The committed vectors (Fixtures/signatures), computed with Python's hmac and the
/// openssl CLI, checked case by case against both schemes.
@Suite("Signature vectors")
struct SignatureVectorTests {
    @Test("HMAC-SHA256 vectors", arguments: try SignatureFixtures.hmac())
    func hmacVector(_ vector: HMACVectorCase) throws {
        let key = try #require(Hex.decode(vector.keyHex))
        let message = try #require(Hex.decode(vector.messageHex))
        #expect(Hex.encode(HMACSHA256.mac(key: key, message: message)) == vector.macHex)
    }

    @Test("Stripe vectors", arguments: try SignatureFixtures.stripe())
    func stripeVector(_ vector: SignatureVectorCase) {
        let scheme: StripeSignatureScheme
        do {
            scheme = try StripeSignatureScheme(secrets: vector.secrets, tolerance: vector.tolerance)
        } catch {
            #expect(vector.isConfigurationError, "configuration refused: \(error)")
            check(error, against: vector, standard: false)
            return
        }
        #expect(!vector.isConfigurationError, "configuration accepted, expected \(vector.expected)")
        do {
            let timestamp = try scheme.verify(
                header: vector.headers["Stripe-Signature"], body: vector.bodyBytes, now: vector.clock)
            #expect(vector.expected == "ok", "verified, expected \(vector.expected)")
            #expect(timestamp == vector.expectedTimestamp)
        } catch {
            check(error, against: vector, standard: false)
        }
    }

    @Test("Standard Webhooks vectors", arguments: try SignatureFixtures.standard())
    func standardVector(_ vector: SignatureVectorCase) {
        let scheme: StandardWebhooksScheme
        do {
            scheme = try StandardWebhooksScheme(secrets: vector.secrets, tolerance: vector.tolerance)
        } catch {
            #expect(vector.isConfigurationError, "configuration refused: \(error)")
            check(error, against: vector, standard: true)
            return
        }
        #expect(!vector.isConfigurationError, "configuration accepted, expected \(vector.expected)")
        do {
            let verified = try scheme.verify(
                id: vector.headers["webhook-id"],
                timestamp: vector.headers["webhook-timestamp"],
                signature: vector.headers["webhook-signature"],
                body: vector.bodyBytes,
                now: vector.clock
            )
            #expect(vector.expected == "ok", "verified, expected \(vector.expected)")
            #expect(verified.id == vector.expectedId)
            #expect(verified.timestamp == vector.expectedTimestamp)
        } catch {
            check(error, against: vector, standard: true)
        }
    }

    /// The error is the one the vector names, and its text leaks nothing secret.
    private func check(_ error: SignatureError, against vector: SignatureVectorCase, standard: Bool) {
        #expect(error.code == vector.expected, "\(error)")
        #expect(error.header == vector.expectedHeader, "\(error)")
        let text = error.description
        #expect(text.contains(error.code))
        #expect(!error.message.isEmpty)
        for forbidden in SignatureLeakCheck.forbiddenStrings(for: vector, standard: standard) {
            #expect(!text.contains(forbidden), "error text leaks secret material: \(text)")
        }
        #expect(!SignatureLeakCheck.looksLikeSecretMaterial(text), "error text looks like key material: \(text)")
    }

    @Test func vectorFilesCoverTheRequiredCases() throws {
        let required = [
            "good", "tampered_body", "tampered_timestamp", "wrong_secret",
            "rotated_secret_signed_with_old", "rotated_secret_signed_with_new", "several_v1_one_good",
            "reordered_and_spaced", "too_old", "too_new", "exactly_at_tolerance_old",
            "exactly_at_tolerance_new", "non_numeric_timestamp", "empty_secret",
        ]
        let stripe = try SignatureFixtures.stripe()
        let standard = try SignatureFixtures.standard()
        for name in required + ["v0_only", "missing_header"] {
            #expect(stripe.contains { $0.name == name }, "stripe.json lacks \(name)")
        }
        for name in required + ["v1a_only", "missing_id", "missing_timestamp", "missing_signature", "public_vector"] {
            #expect(standard.contains { $0.name == name }, "standard.json lacks \(name)")
        }
        #expect(Set(stripe.map(\.name)).count == stripe.count, "duplicate case names")
        #expect(Set(standard.map(\.name)).count == standard.count, "duplicate case names")
    }
}

/// The two public vectors from DESIGN.md, spelled out here rather than read from a file.
@Suite("Public vectors")
struct PublicVectorTests {
    @Test func githubPlainHMAC() {
        let mac = HMACSHA256.mac(
            key: Array("It's a Secret to Everybody".utf8), message: Array("Hello, World!".utf8))
        #expect(Hex.encode(mac) == "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")
    }

    @Test func standardWebhooksSignAndVerify() throws {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        let body = Array(#"{"test": 2432232314}"#.utf8)
        let signature = try StandardWebhooksScheme.sign(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body, secret: secret)
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")

        let scheme = try StandardWebhooksScheme(secrets: [secret])
        let verified = try scheme.verify(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: "1614265330",
            signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            body: body, now: Date(timeIntervalSince1970: 1_614_265_330))
        #expect(verified.id == "msg_p5jXN8AQM9LWM0D4loKWxJek")
        #expect(verified.timestamp == 1_614_265_330)
    }
}

@Suite("Signing")
struct SigningTests {
    /// `sign` reproduces the independently computed header of the "good" vectors.
    @Test func stripeSignMatchesVector() throws {
        let good = try SignatureFixtures.named("good", in: SignatureFixtures.stripe())
        let header = StripeSignatureScheme.sign(
            body: good.bodyBytes, secret: good.secrets[0], timestamp: try #require(good.expectedTimestamp))
        #expect(header == good.headers["Stripe-Signature"])
    }

    @Test func standardSignMatchesVector() throws {
        for name in ["good", "good_unpadded_key", "unicode_body", "empty_body"] {
            let good = try SignatureFixtures.named(name, in: SignatureFixtures.standard())
            let signature = try StandardWebhooksScheme.sign(
                id: try #require(good.expectedId), timestamp: try #require(good.expectedTimestamp),
                body: good.bodyBytes, secret: good.secrets[0])
            #expect(signature == good.headers["webhook-signature"], "\(name)")
        }
    }

    @Test func standardSignRefusesBadInput() {
        #expect(throws: SignatureError.self) {
            try StandardWebhooksScheme.sign(id: "msg_1", timestamp: 1, body: [], secret: "whsec_")
        }
        do {
            _ = try StandardWebhooksScheme.sign(id: "msg_1", timestamp: 1, body: [], secret: "whsec_***")
            Issue.record("an undecodable secret was accepted")
        } catch {
            #expect(error.code == "bad_secret")
            #expect(!error.description.contains("***"))
        }
        do {
            _ = try StandardWebhooksScheme.sign(
                id: "msg_1", timestamp: -1, body: [], secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            Issue.record("a negative timestamp was accepted")
        } catch {
            #expect(error.code == "malformed_header")
            #expect(error.header == "webhook-timestamp")
        }
    }

    @Test func defaults() throws {
        #expect(try StripeSignatureScheme(secrets: ["whsec_x"]).tolerance == 300)
        #expect(try StandardWebhooksScheme(secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]).tolerance == 300)
        #expect(throws: SignatureError.badTolerance(-5)) {
            try StripeSignatureScheme(secrets: ["whsec_x"], tolerance: -5)
        }
    }
}

@Suite("Tolerance edges")
struct ToleranceTests {
    let secret = "whsec_pledger_tolerance"
    let body = Array(#"{"id":"evt_1"}"#.utf8)
    let t: Int64 = 1_767_225_600

    /// Both ways, inclusive, judged on the exact (fractional) clock.
    @Test(arguments: [
        (0.0, true), (300.0, true), (-300.0, true), (299.5, true), (-299.5, true),
        (300.5, false), (-300.5, false), (301.0, false), (-301.0, false), (86_400.0, false),
    ])
    func stripe(offset: Double, passes: Bool) throws {
        let scheme = try StripeSignatureScheme(secrets: [secret])
        let header = StripeSignatureScheme.sign(body: body, secret: secret, timestamp: t)
        let now = Date(timeIntervalSince1970: TimeInterval(t) + offset)
        do {
            #expect(try scheme.verify(header: header, body: body, now: now) == t)
            #expect(passes)
        } catch {
            #expect(!passes)
            #expect(error.code == "timestamp_out_of_tolerance")
            #expect(error.message.contains("\(t)"), "the public timestamp helps spot a skewed clock")
        }
    }

    @Test func outOfToleranceIsCheckedBeforeTheSignature() throws {
        let scheme = try StripeSignatureScheme(secrets: [secret])
        let header = "t=\(t),v1=\(String(repeating: "0", count: 64))"
        let late = Date(timeIntervalSince1970: TimeInterval(t + 301))
        #expect(throws: SignatureError.self) { try scheme.verify(header: header, body: body, now: late) }
        do {
            _ = try scheme.verify(header: header, body: body, now: late)
        } catch {
            #expect(error.code == "timestamp_out_of_tolerance")
        }
    }
}

@Suite("SignatureError")
struct SignatureErrorTests {
    @Test func constructorsCarryTheirCodes() {
        #expect(SignatureError.missingHeader("webhook-id").code == SignatureError.Code.missingHeader)
        #expect(SignatureError.missingHeader("webhook-id").header == "webhook-id")
        #expect(SignatureError.malformedHeader("x", reason: "r").code == "malformed_header")
        #expect(
            SignatureError.timestampOutOfTolerance("x", timestamp: 1, now: 400, tolerance: 300).code
                == "timestamp_out_of_tolerance")
        #expect(SignatureError.noMatchingSignature("x", signatures: 2, secrets: 3).code == "no_matching_signature")
        #expect(SignatureError.badSecret(index: 0, of: 1, reason: "r").code == "bad_secret")
        #expect(SignatureError.noSecrets().code == "bad_secret")
        #expect(SignatureError.badTolerance(0).code == "bad_tolerance")
    }

    @Test func messagesCountWithoutQuoting() {
        let error = SignatureError.noMatchingSignature("Stripe-Signature", signatures: 2, secrets: 3)
        #expect(error.message.contains("2"))
        #expect(error.message.contains("3"))
        #expect(error.description.hasPrefix("no_matching_signature (Stripe-Signature): "))
        #expect(SignatureError.noSecrets().description.hasPrefix("bad_secret: "))
        let future = SignatureError.timestampOutOfTolerance("h", timestamp: 1000, now: 600, tolerance: 300)
        #expect(future.message.contains("400 s in the future"))
    }

    @Test func equality() {
        #expect(SignatureError.missingHeader("a") == SignatureError.missingHeader("a"))
        #expect(SignatureError.missingHeader("a") != SignatureError.missingHeader("b"))
    }
}

@Suite("Constant-time equality")
struct ConstantTimeEqualTests {
    @Test func comparesContentAndLength() {
        #expect(HMACSHA256.constantTimeEqual([], []))
        #expect(HMACSHA256.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!HMACSHA256.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!HMACSHA256.constantTimeEqual([0, 2, 3], [1, 2, 3]))
        // Different lengths are unequal even when one is a prefix of the other.
        #expect(!HMACSHA256.constantTimeEqual([1, 2], [1, 2, 3]))
        #expect(!HMACSHA256.constantTimeEqual([1, 2, 3], [1, 2]))
        #expect(!HMACSHA256.constantTimeEqual([], [0]))
        let mac = HMACSHA256.mac(key: [1], message: [2])
        #expect(!HMACSHA256.constantTimeEqual(mac, Array(mac.dropLast())))
        #expect(HMACSHA256.constantTimeEqual(mac, HMACSHA256.mac(key: [1], message: [2])))
    }

    @Test func macIsThirtyTwoBytes() {
        #expect(HMACSHA256.mac(key: [], message: []).count == 32)
        #expect(HMACSHA256.mac(key: [UInt8](repeating: 7, count: 200), message: [1]).count == 32)
    }
}
