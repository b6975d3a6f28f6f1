import GRDB
import PledgerCore

// Bound as their raw text. Rows are read back through `decode(_:_:as:table:)`, which refuses an
// unknown value instead of trapping.
extension WebhookProvider: DatabaseValueConvertible {}

extension WebhookOutcome: DatabaseValueConvertible {}
