import Foundation
import PledgerCore

extension Views {
    /// What `pledger jobs run --format json` prints.
    public struct JobRunView: Codable, Sendable, Equatable {
        public var at: String
        public var remindersDue: Int
        public var renewalsUpcoming: Int
        public var pledgesExpired: Int
        public var reminderRequestsPurged: Int
        public var pledgesResumed: Int
    }

    public static func jobRun(_ run: JobRun) -> JobRunView {
        JobRunView(
            at: Timestamp.format(run.at), remindersDue: run.remindersDue, renewalsUpcoming: run.renewalsUpcoming,
            pledgesExpired: run.pledgesExpired, reminderRequestsPurged: run.reminderRequestsPurged,
            pledgesResumed: run.pledgesResumed)
    }
}
