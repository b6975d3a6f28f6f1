import Foundation
import PledgerCore

/// How hard a commit waits for the disk.
public enum LedgerDurability: Sendable {
    /// A committed write survives a power cut. The default for a ledger.
    case full
    /// Commits do not wait for the disk: only for throwaway ledgers such as `pledger demo`'s.
    case scratch
}
