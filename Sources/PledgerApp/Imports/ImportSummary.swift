import Foundation
import PledgerImport

/// What an import did, or would do on a dry run: per kind of record, how many were created, skipped
/// as already imported, and refused; every refused row with its file, line, column and reason.
public struct ImportSummary: Sendable, Equatable, Encodable {
    /// The figures of one kind of record (supporters, pledges, payments…).
    public struct Counts: Sendable, Equatable, Codable {
        public var created = 0
        public var skipped = 0
        public var refused = 0

        public init() {}
    }

    /// The kinds in the order an import writes them.
    public static let kinds = ["supporters", "pledges", "payments", "refunds", "chargebacks", "pledge_states"]

    public var dryRun: Bool
    /// Per kind (see ``kinds``).
    public var counts: [String: Counts]
    /// Charges that took no money (failed, uncaptured): read, never booked.
    public var notPaid = 0
    public var refusals: [ImportRefusal] = []
    /// On a dry run, one line per record that would be created.
    public var planned: [String] = []
    /// How many ledger transactions committed the import (0 on a dry run).
    public var batches = 0

    public init(dryRun: Bool) {
        self.dryRun = dryRun
        counts = Dictionary(uniqueKeysWithValues: Self.kinds.map { ($0, Counts()) })
    }

    public var created: Int { counts.values.reduce(0) { $0 + $1.created } }
    public var skipped: Int { counts.values.reduce(0) { $0 + $1.skipped } }
    /// Rows refused: by the file parser and by the ledger's rules.
    public var refused: Int { refusals.count }

    enum CodingKeys: String, CodingKey {
        case dryRun = "dry_run"
        case created, skipped, refused, counts
        case notPaid = "not_paid"
        case refusals, planned, batches
    }

    /// The totals beside the figures per kind, so a script need not add them up.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(dryRun, forKey: .dryRun)
        try container.encode(created, forKey: .created)
        try container.encode(skipped, forKey: .skipped)
        try container.encode(refused, forKey: .refused)
        try container.encode(counts, forKey: .counts)
        try container.encode(notPaid, forKey: .notPaid)
        try container.encode(refusals, forKey: .refusals)
        try container.encode(planned, forKey: .planned)
        try container.encode(batches, forKey: .batches)
    }

    /// Notes a record a dry run would create; a real run keeps no such list (it may be millions long).
    mutating func plan(_ line: @autoclosure () -> String) {
        if dryRun { planned.append(line()) }
    }

    mutating func count(_ kind: String, _ keyPath: WritableKeyPath<Counts, Int>) {
        counts[kind, default: Counts()][keyPath: keyPath] += 1
    }

    mutating func merge(_ other: ImportSummary) {
        merge(counts: other)
        refusals += other.refusals
        planned += other.planned
    }

    /// Adds the other's figures per kind and its charges not paid, not its refusals or plan.
    mutating func merge(counts other: ImportSummary) {
        for (kind, figures) in other.counts {
            counts[kind, default: Counts()].created += figures.created
            counts[kind, default: Counts()].skipped += figures.skipped
            counts[kind, default: Counts()].refused += figures.refused
        }
        notPaid += other.notPaid
    }
}

/// How far an import has got: rows applied out of all rows, reported after each batch.
public struct ImportProgress: Sendable, Equatable {
    public let done: Int
    public let total: Int
}
