import Foundation
import PledgerCore
import PledgerWebhooks
import Testing

/// Any single-byte change of what is signed, or of the signature itself, is refused.
///
/// Positions are iterated exhaustively; replacement values too (every other byte for
/// bodies, every other ASCII character for header text). Failures are collected and
/// reported once so a regression prints a readable list instead of thousands of lines.
@Suite("Tamper properties")
struct TamperPropertyTests {
    /// Every ASCII character except `original`.
    private static func replacements(for original: UInt8) -> [UInt8] {
        (0...0x7F).map(UInt8.init).filter { $0 != original }
    }

    /// `text` with the UTF-8 byte at `offset` replaced by `byte` (ASCII only, so still valid).
    private static func replacing(_ text: String, at offset: Int, with byte: UInt8) -> String {
        var bytes = Array(text.utf8)
        bytes[offset] = byte
        return String(decoding: bytes, as: UTF8.self)
    }

    /// UTF-8 offsets of `needle` inside `text`.
    private static func range(of needle: String, in text: String) throws -> Range<Int> {
        let range = try #require(text.range(of: needle))
        let start = text.utf8.distance(from: text.startIndex, to: range.lowerBound)
        return start..<start + needle.utf8.count
    }

    // MARK: Stripe

    private func stripeSetup() throws -> (scheme: StripeSignatureScheme, vector: SignatureVectorCase, header: String) {
        let vector = try SignatureFixtures.named("good", in: SignatureFixtures.stripe())
        let scheme = try StripeSignatureScheme(secrets: vector.secrets)
        return (scheme, vector, try #require(vector.headers["Stripe-Signature"]))
    }

    @Test func stripeEveryBodyByteChangeIsRefused() throws {
        let (scheme, vector, header) = try stripeSetup()
        let body = vector.bodyBytes
        #expect(try scheme.verify(header: header, body: body, now: vector.clock) == vector.expectedTimestamp)
        var tried = 0
        var accepted: [String] = []
        for position in body.indices {
            for mask in UInt8(1)...UInt8(255) {
                var changed = body
                changed[position] ^= mask
                tried += 1
                if (try? scheme.verify(header: header, body: changed, now: vector.clock)) != nil {
                    accepted.append("byte \(position) ^ \(mask)")
                }
            }
        }
        #expect(tried == body.count * 255)
        #expect(accepted.isEmpty, "accepted: \(accepted.prefix(10))")
    }

    @Test func stripeEveryTimestampDigitChangeIsRefused() throws {
        let (scheme, vector, header) = try stripeSetup()
        let digits = try Self.range(of: "\(try #require(vector.expectedTimestamp))", in: header)
        var accepted: [String] = []
        for offset in digits {
            for byte in Self.replacements(for: Array(header.utf8)[offset]) {
                let changed = Self.replacing(header, at: offset, with: byte)
                if (try? scheme.verify(header: changed, body: vector.bodyBytes, now: vector.clock)) != nil {
                    accepted.append(changed)
                }
            }
        }
        #expect(digits.count == 10)
        #expect(accepted.isEmpty, "accepted: \(accepted.prefix(5))")
    }

    @Test func stripeEverySignatureCharacterChangeIsRefused() throws {
        let (scheme, vector, header) = try stripeSetup()
        let hex = try #require(header.split(separator: "v1=").last).description
        let positions = try Self.range(of: hex, in: header)
        var accepted: [String] = []
        for offset in positions {
            for byte in Self.replacements(for: Array(header.utf8)[offset]) {
                let changed = Self.replacing(header, at: offset, with: byte)
                if (try? scheme.verify(header: changed, body: vector.bodyBytes, now: vector.clock)) != nil {
                    accepted.append(changed)
                }
            }
        }
        #expect(positions.count == 64)
        #expect(accepted.isEmpty, "accepted: \(accepted.prefix(5))")
    }

    // MARK: Standard Webhooks

    private func standardSetup() throws -> (scheme: StandardWebhooksScheme, vector: SignatureVectorCase) {
        let vector = try SignatureFixtures.named("good", in: SignatureFixtures.standard())
        return (try StandardWebhooksScheme(secrets: vector.secrets), vector)
    }

    private func standardAccepts(
        _ scheme: StandardWebhooksScheme, _ vector: SignatureVectorCase,
        id: String? = nil, timestamp: String? = nil, signature: String? = nil, body: [UInt8]? = nil
    ) -> Bool {
        (try? scheme.verify(
            id: id ?? vector.headers["webhook-id"],
            timestamp: timestamp ?? vector.headers["webhook-timestamp"],
            signature: signature ?? vector.headers["webhook-signature"],
            body: body ?? vector.bodyBytes,
            now: vector.clock
        )) != nil
    }

    @Test func standardEveryBodyByteChangeIsRefused() throws {
        let (scheme, vector) = try standardSetup()
        #expect(standardAccepts(scheme, vector))
        let body = vector.bodyBytes
        var accepted: [String] = []
        for position in body.indices {
            for mask in UInt8(1)...UInt8(255) {
                var changed = body
                changed[position] ^= mask
                if standardAccepts(scheme, vector, body: changed) {
                    accepted.append("byte \(position) ^ \(mask)")
                }
            }
        }
        #expect(accepted.isEmpty, "accepted: \(accepted.prefix(10))")
    }

    @Test func standardEveryTimestampAndIdChangeIsRefused() throws {
        let (scheme, vector) = try standardSetup()
        let timestamp = try #require(vector.headers["webhook-timestamp"])
        let id = try #require(vector.headers["webhook-id"])
        var accepted: [String] = []
        for offset in 0..<timestamp.utf8.count {
            for byte in Self.replacements(for: Array(timestamp.utf8)[offset]) {
                let changed = Self.replacing(timestamp, at: offset, with: byte)
                if standardAccepts(scheme, vector, timestamp: changed) { accepted.append("timestamp \(changed)") }
            }
        }
        for offset in 0..<id.utf8.count {
            for byte in Self.replacements(for: Array(id.utf8)[offset]) {
                let changed = Self.replacing(id, at: offset, with: byte)
                if standardAccepts(scheme, vector, id: changed) { accepted.append("id \(changed)") }
            }
        }
        #expect(accepted.isEmpty, "accepted: \(accepted.prefix(5))")
    }

    @Test func standardEverySignatureCharacterChangeIsRefused() throws {
        let (scheme, vector) = try standardSetup()
        let signature = try #require(vector.headers["webhook-signature"])
        #expect(signature.hasPrefix("v1,") && signature.utf8.count == 3 + 44)
        var accepted: [String] = []
        // Every character of the Base64 part, padding included.
        for offset in 3..<signature.utf8.count {
            for byte in Self.replacements(for: Array(signature.utf8)[offset]) {
                let changed = Self.replacing(signature, at: offset, with: byte)
                if standardAccepts(scheme, vector, signature: changed) { accepted.append(changed) }
            }
        }
        #expect(accepted.isEmpty, "accepted: \(accepted.prefix(5))")
    }

    // MARK: Seeded random deliveries

    /// Random secrets, bodies and instants from a fixed seed: each signs and verifies,
    /// and one random byte flip in the body is refused.
    @Test func seededRoundTripsAndFlips() throws {
        var rng = SeededGenerator(seed: 0x5EED_2026_0001)
        for round in 0..<300 {
            let body = rng.bytes(count: Int.random(in: 0...300, using: &rng))
            let t = Int64.random(in: 1_000_000_000...4_000_000_000, using: &rng)
            let now = Date(timeIntervalSince1970: TimeInterval(t + Int64.random(in: -300...300, using: &rng)))

            let stripeSecret = "whsec_" + Hex.encode(rng.bytes(count: 16))
            let stripe = try StripeSignatureScheme(secrets: [stripeSecret])
            let header = StripeSignatureScheme.sign(body: body, secret: stripeSecret, timestamp: t)
            #expect(try stripe.verify(header: header, body: body, now: now) == t, "round \(round)")

            let key = rng.bytes(count: Int.random(in: 16...64, using: &rng))
            let standardSecret = "whsec_" + Base64.encode(key)
            let standard = try StandardWebhooksScheme(secrets: [standardSecret])
            let id = "msg_" + Hex.encode(rng.bytes(count: 8))
            let signature = try StandardWebhooksScheme.sign(id: id, timestamp: t, body: body, secret: standardSecret)
            let verified = try standard.verify(id: id, timestamp: "\(t)", signature: signature, body: body, now: now)
            #expect(verified.id == id && verified.timestamp == t, "round \(round)")

            guard !body.isEmpty else { continue }
            var changed = body
            changed[Int.random(in: body.indices, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
            #expect(throws: SignatureError.self, "round \(round)") {
                try stripe.verify(header: header, body: changed, now: now)
            }
            #expect(throws: SignatureError.self, "round \(round)") {
                try standard.verify(id: id, timestamp: "\(t)", signature: signature, body: changed, now: now)
            }
        }
    }
}
