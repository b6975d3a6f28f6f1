import Foundation

/// What caused a ledger transaction.
public enum LedgerKind: String, Sendable, Codable, CaseIterable {
    case payment, refund, chargeback, adjustment
}
