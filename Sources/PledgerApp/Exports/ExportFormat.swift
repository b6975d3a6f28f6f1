/// The ledger export formats.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// An hledger journal (also read by Ledger): accounts as Pledger names them.
    case hledger
    /// A Beancount file: accounts capitalised as Beancount requires (`Income:Donations:Monthly`).
    case beancount
    /// One row per posting.
    case csv

    /// Pledger's `income:donations:one_off` as Beancount's `Income:Donations:One-off`: the five
    /// root names capitalised (anything else goes under `Equity`), each part starting with a
    /// capital, `_` and other signs as `-`.
    public static func beancountAccountName(_ account: String) -> String {
        var parts = account.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let roots = [
            "assets": "Assets", "liabilities": "Liabilities", "equity": "Equity", "income": "Income",
            "revenue": "Income", "expenses": "Expenses",
        ]
        if let root = roots[parts[0].lowercased()] {
            parts[0] = root
        } else {
            parts.insert("Equity", at: 0)
        }
        return parts.enumerated().map { index, part in
            guard index > 0 else { return part }
            var component = String(part.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
            if component.isEmpty || !(component.first!.isLetter || component.first!.isNumber) {
                component = "X" + component
            }
            return component.prefix(1).uppercased() + component.dropFirst()
        }.joined(separator: ":")
    }
}
