import Foundation
import PledgerCore

extension WallClock {
    /// The instant an operation happened: the one given (checked not to lie ahead), or now.
    func instant(_ given: Date?) throws(PledgerError) -> Date {
        let now = self.now
        guard let given else { return now }
        try Timestamp.checkHappened(given, now: now)
        return given
    }
}
