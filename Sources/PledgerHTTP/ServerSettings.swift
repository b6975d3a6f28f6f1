import Logging
import PledgerApp

/// How `pledger serve` listens. Flags with environment fallbacks fill it in.
public struct ServerSettings: Sendable {
    public static let defaultBodyLimit = 1 << 20

    public var host: String
    public var port: Int
    /// Request bodies above this many bytes are refused with 413 before they are read whole.
    public var bodyLimit: Int
    public var logger: Logger
    /// Whether `serve` runs the deliverer beside the server (on unless `--no-deliver`).
    public var deliver: Bool
    /// Whether `serve` runs the scheduled jobs every minute (on unless `--no-jobs`).
    public var runJobs: Bool

    public init(
        host: String = "127.0.0.1", port: Int = 8080, bodyLimit: Int = ServerSettings.defaultBodyLimit,
        logger: Logger? = nil, deliver: Bool = true, runJobs: Bool = true
    ) {
        self.host = host
        self.port = port
        self.bodyLimit = bodyLimit
        self.logger = logger ?? Logger(label: "pledger")
        self.deliver = deliver
        self.runJobs = runJobs
    }
}
