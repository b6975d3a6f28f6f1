import Foundation
import Logging
import PledgerApp
import ServiceLifecycle

/// Runs the scheduled jobs (reminders due, renewal notices, pending expiry) inside `serve`, once
/// at start and then every `interval`, until the service group shuts down. A failed run is
/// logged and tried again at the next tick: each job is idempotent, so nothing is announced twice.
public struct ScheduledJobsService: Service {
    let jobs: JobService
    let interval: Duration
    let logger: Logger

    public init(jobs: JobService, interval: Duration = .seconds(60), logger: Logger) {
        self.jobs = jobs
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let run = try await jobs.run()
                    if !run.isEmpty {
                        logger.info(
                            "scheduled jobs ran",
                            metadata: [
                                "reminders_due": "\(run.remindersDue)", "renewal_notices": "\(run.renewalsUpcoming)",
                                "pledges_expired": "\(run.pledgesExpired)",
                                "reminder_requests_purged": "\(run.reminderRequestsPurged)",
                                "pledges_resumed": "\(run.pledgesResumed)",
                            ])
                    }
                } catch {
                    logger.error(
                        "scheduled jobs failed; trying again at the next tick", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
