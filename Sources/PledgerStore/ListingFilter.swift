import GRDB

/// The WHERE clause of a listing: each condition whose value was given joins with AND.
struct ListingFilter {
    private var conditions: [String] = []
    private(set) var arguments = StatementArguments()

    /// Adds `condition` (one `?`) when `value` is given.
    mutating func add(_ condition: String, _ value: (any DatabaseValueConvertible)?) {
        guard let value else { return }
        conditions.append(condition)
        arguments += [value]
    }

    /// ` WHERE a AND b`, or nothing.
    var whereClause: String { conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ") }
}
