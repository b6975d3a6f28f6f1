import PledgerCore

/// MRR totals a report found at month edges (milliseconds → currency → totals), with the
/// `mrr_epoch` of the snapshot they were read from, to be kept as checkpoints if still current.
public struct MRRCheckpoints: Sendable {
    public let epoch: Int64
    public var totals: [Int64: [String: MRRTotal]] = [:]

    public init(epoch: Int64) {
        self.epoch = epoch
    }
}
