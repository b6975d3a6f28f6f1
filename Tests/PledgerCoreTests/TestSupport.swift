import Foundation
import Testing

@testable import PledgerCore

/// A fixed instant, parsed independently of `Timestamp` so the parser under test is not its own oracle.
func at(_ iso: String) -> Date {
    try! Date(iso, strategy: Date.ISO8601FormatStyle())
}

/// The `PledgerError` `body` throws; records an issue (and returns nil) when it does not throw.
func thrown<T>(
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws(PledgerError) -> T
) -> PledgerError? {
    do {
        let value = try body()
        Issue.record("expected a PledgerError, got \(value)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}
