import Foundation
import PledgerCore
import PledgerWebhooks

/// The parsers that read untrusted bytes, fed one input each. The first byte picks the parser;
/// every parser must return or throw, never crash, hang or trap.
enum FuzzTargets {
    static let fixedNow = Date(timeIntervalSince1970: 1_795_000_000)

    static func run(_ input: [UInt8]) {
        guard let selector = input.first else { return }
        let rest = Array(input.dropFirst())
        let text = String(decoding: rest, as: UTF8.self)
        let lines = text.split(separator: "\n", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        switch selector % 10 {
        case 0: for currency in [Currency.usd, .jpy, .kwd, .clf] { _ = try? Money.parse(text, currency: currency) }
        case 1:
            _ = try? Currency.parse(text)
            _ = try? MinimumPledgePolicy.parse(text)
        case 2:
            _ = try? Timestamp.parse(text, field: "at")
            _ = try? ReportMonth.parse(text)
            _ = try? ReminderDelay.parse(text)
        case 3:
            let scheme = try! StripeSignatureScheme(secrets: ["whsec_fuzz"])
            _ = try? scheme.verify(
                header: lines.first, body: Array((lines.dropFirst().joined(separator: "\n")).utf8), now: fixedNow)
        case 4:
            let scheme = try! StandardWebhooksScheme(secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"])
            let field = { (index: Int) in lines.count > index ? lines[index] : nil }
            _ = try? scheme.verify(
                id: field(0), timestamp: field(1), signature: field(2), body: Array((field(3) ?? "").utf8),
                now: fixedNow)
        case 5: _ = try? StripeEvents.decode(rest)
        case 6: _ = try? OwnEvents.decode(rest, id: "msg_fuzz")
        case 7:
            _ = Hex.decode(text)
            _ = Base64.decode(text)
        case 8:
            _ = try? EmailAddress(text)
            _ = try? APIScope.parseList(text)
            _ = try? parseTimeZone(text)
        default: _ = try? JSONValue.parse(rest)
        }
    }
}

#if FUZZING
    /// libFuzzer's entry point (built with `-sanitize=fuzzer -D FUZZING`; libFuzzer provides main).
    @_cdecl("LLVMFuzzerTestOneInput")
    public func pledgerFuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
        FuzzTargets.run(Array(UnsafeBufferPointer(start: data, count: size)))
        return 0
    }
#else
    /// Without libFuzzer: replays every file of the given corpus folders through the parsers, so
    /// the seeds that once found bugs are re-checked by a plain build.
    @main
    struct ReplayCorpus {
        static func main() throws {
            var count = 0
            for folder in CommandLine.arguments.dropFirst() {
                for name in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() {
                    FuzzTargets.run([UInt8](try Data(contentsOf: URL(fileURLWithPath: folder).appending(path: name))))
                    count += 1
                }
            }
            print("replayed \(count) inputs without a crash")
        }
    }
#endif
