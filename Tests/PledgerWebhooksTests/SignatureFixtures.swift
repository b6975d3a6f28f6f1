import Foundation
import PledgerCore
import PledgerWebhooks

/// One case of `Fixtures/signatures/stripe.json` or `standard.json`.
struct SignatureVectorCase: Decodable, Sendable, CustomStringConvertible {
    let name: String
    let secrets: [String]
    let tolerance: Int
    /// An absent key stands for a missing header.
    let headers: [String: String]
    let body: String
    let now: Int64
    /// "ok" or a `SignatureError` code.
    let expected: String
    let expectedHeader: String?
    let expectedTimestamp: Int64?
    let expectedId: String?

    var description: String { name }
    var bodyBytes: [UInt8] { Array(body.utf8) }
    var clock: Date { Date(timeIntervalSince1970: TimeInterval(now)) }
    var isConfigurationError: Bool { expected == "bad_secret" || expected == "bad_tolerance" }
}

/// One case of `Fixtures/signatures/hmac.json`.
struct HMACVectorCase: Decodable, Sendable, CustomStringConvertible {
    let name: String
    let keyHex: String
    let messageHex: String
    let macHex: String

    var description: String { name }
}

/// Reads the committed vectors; the repository root is found from this file's path.
enum SignatureFixtures {
    private struct File<Case: Decodable>: Decodable {
        let cases: [Case]
    }

    static func directory(filePath: String = #filePath) throws -> URL {
        var url = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url.appendingPathComponent("Fixtures/signatures")
            }
            url = url.deletingLastPathComponent()
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Package.swift above \(filePath)"])
    }

    static func load<Case: Decodable>(_ name: String, as _: Case.Type = Case.self) throws -> [Case] {
        let data = try Data(contentsOf: directory().appendingPathComponent(name))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(File<Case>.self, from: data).cases
    }

    static func stripe() throws -> [SignatureVectorCase] { try load("stripe.json") }
    static func standard() throws -> [SignatureVectorCase] { try load("standard.json") }
    static func hmac() throws -> [HMACVectorCase] { try load("hmac.json") }

    /// The case called `name` in `cases` (the fixtures are the single source of the test data).
    static func named(_ name: String, in cases: [SignatureVectorCase]) throws -> SignatureVectorCase {
        guard let found = cases.first(where: { $0.name == name }) else {
            throw CocoaError(.coderValueNotFound, userInfo: [NSDebugDescriptionErrorKey: "no case \(name)"])
        }
        return found
    }
}

/// Core's seeded generator, so "random" tests replay exactly.

extension SeededGenerator {
    mutating func bytes(count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &self) }
    }
}

/// What an error's text must never show: secrets, keys and signatures.
enum SignatureLeakCheck {
    /// Strings of secret material for a case: the secrets, their decoded keys in hex and
    /// Base64, every signature in its headers, and the MAC each secret would give.
    static func forbiddenStrings(for testCase: SignatureVectorCase, standard: Bool) -> [String] {
        var forbidden: [String] = []
        for secret in testCase.secrets {
            forbidden.append(secret)
            forbidden.append(secret.trimmingCharacters(in: .whitespacesAndNewlines))
            let bare = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
            forbidden.append(bare)
            var keys: [[UInt8]] = [Array(secret.utf8)]
            if standard, let key = Base64.decode(bare) { keys.append(key) }
            for key in keys {
                forbidden.append(Hex.encode(key))
                forbidden.append(Base64.encode(key))
                for message in candidateMessages(for: testCase, standard: standard) {
                    let mac = HMACSHA256.mac(key: key, message: message)
                    forbidden.append(Hex.encode(mac))
                    forbidden.append(Base64.encode(mac))
                    // A prefix is a leak too (a truncated log line).
                    forbidden.append(String(Hex.encode(mac).prefix(16)))
                    forbidden.append(String(Base64.encode(mac).prefix(16)))
                }
            }
        }
        for value in testCase.headers.values {
            for token in value.split(whereSeparator: { " ,=\t".contains($0) }) where token.count >= 16 {
                forbidden.append(String(token))
            }
        }
        // Short strings ("", "   ", "v1") occur in any text by accident; they hold no secret.
        return forbidden.filter { $0.count >= 12 }
    }

    /// What a verifier would sign for this case (when its headers can be read).
    private static func candidateMessages(for testCase: SignatureVectorCase, standard: Bool) -> [[UInt8]] {
        if standard {
            guard let id = testCase.headers["webhook-id"], let ts = testCase.headers["webhook-timestamp"] else {
                return []
            }
            let trimmed = ts.trimmingCharacters(in: .whitespaces)
            return [Array("\(id).\(trimmed).".utf8) + testCase.bodyBytes]
        }
        guard let header = testCase.headers["Stripe-Signature"] else { return [] }
        return header.split(separator: ",").compactMap { part -> [UInt8]? in
            let pieces = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pieces.count == 2, pieces[0] == "t" else { return nil }
            return Array("\(pieces[1]).".utf8) + testCase.bodyBytes
        }
    }

    /// Any run of 16+ hex digits or 20+ Base64 characters: the shape of key or MAC material.
    static func looksLikeSecretMaterial(_ text: String) -> Bool {
        text.range(of: "[0-9a-fA-F]{16,}", options: .regularExpression) != nil
            || text.range(of: "[A-Za-z0-9+/]{20,}", options: .regularExpression) != nil
    }
}
