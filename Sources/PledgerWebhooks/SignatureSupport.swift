import Foundation
import PledgerCore

/// Rules shared by the Stripe and Standard Webhooks schemes.
enum SignatureSupport {
    /// `text` without the spaces and tabs HTTP allows around values.
    static func trimmed(_ text: Substring) -> Substring {
        var result = text
        while let first = result.first, first == " " || first == "\t" { result.removeFirst() }
        while let last = result.last, last == " " || last == "\t" { result.removeLast() }
        return result
    }

    /// `range` of `bytes` without the spaces and tabs around it.
    static func trimmed(_ bytes: [UInt8], _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, bytes[lower] == UInt8(ascii: " ") || bytes[lower] == UInt8(ascii: "\t") { lower += 1 }
        while upper > lower, bytes[upper - 1] == UInt8(ascii: " ") || bytes[upper - 1] == UInt8(ascii: "\t") {
            upper -= 1
        }
        return lower..<upper
    }

    /// Unix seconds in plain decimal: digits only, no sign, no leading zero, fits `Int64`.
    ///
    /// One spelling per instant, so the text signed and the number checked agree.
    static func parseTimestamp(_ text: Substring) -> Int64? {
        let utf8 = text.utf8
        guard let first = utf8.first, utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        guard first != UInt8(ascii: "0") || utf8.count == 1 else { return nil }
        return Int64(text)
    }

    /// Throws `timestamp_out_of_tolerance` when `|now - timestamp| > tolerance`.
    static func checkTolerance(_ name: String, timestamp: Int64, now: Date, tolerance: Int) throws(SignatureError) {
        // Compared in Double so a fractional `now` is judged exactly and nothing overflows.
        let nowSeconds = now.timeIntervalSince1970
        let difference = nowSeconds - Double(timestamp)
        guard difference.isNaN || abs(difference) > Double(tolerance) else { return }
        // Round `now` away from the timestamp so the reported distance is never below the limit.
        let shown = difference > 0 ? nowSeconds.rounded(.up) : nowSeconds.rounded(.down)
        let nowWhole = shown.isFinite ? Int64(exactly: shown.clamped(to: -9.0e18...9.0e18)) ?? 0 : 0
        throw .timestampOutOfTolerance(name, timestamp: timestamp, now: nowWhole, tolerance: tolerance)
    }

    /// Throws `bad_secret` for a secret that is empty, blank, or padded with whitespace.
    static func checkSecretText(_ secret: String, index: Int, of count: Int) throws(SignatureError) {
        if secret.isEmpty {
            throw .badSecret(index: index, of: count, reason: "it is empty.")
        }
        if secret.allSatisfy(\.isWhitespace) {
            throw .badSecret(index: index, of: count, reason: "it is blank.")
        }
        if secret.first!.isWhitespace || secret.last!.isWhitespace {
            throw .badSecret(
                index: index, of: count, reason: "it has leading or trailing whitespace (a stray newline?).")
        }
    }

    /// Why a header yielded no usable v1 signature, without quoting it.
    static func noUsableV1Reason(v1Count: Int, otherCount: Int, wellFormed: String) -> String {
        if v1Count == 0 {
            return
                "it carries no v1 signature (\(otherCount) entr\(otherCount == 1 ? "y" : "ies") of other schemes ignored)."
        }
        return "none of its \(v1Count) v1 signature(s) is \(wellFormed)."
    }

    /// Whether any received signature equals any expected one.
    ///
    /// Every pair is compared, without stopping at the first match, so the time taken
    /// does not tell which secret or which position matched.
    static func anyMatch(expected: [[UInt8]], received: [[UInt8]]) -> Bool {
        var matched = false
        for mac in expected {
            for signature in received {
                let equal = HMACSHA256.constantTimeEqual(mac, signature)
                matched = matched || equal
            }
        }
        return matched
    }
}

extension Double {
    fileprivate func clamped(to range: ClosedRange<Double>) -> Double {
        Swift.min(Swift.max(self, range.lowerBound), range.upperBound)
    }
}
