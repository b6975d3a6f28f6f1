import Foundation

/// The publisher's chart of accounts: Pledger's accounts (`income:donations:monthly`) mapped to the
/// accountant's codes and names (`4010 Recurring donations`) for the ledger exports.
///
/// A rule names one account or, ending in `*`, every account under a prefix (`income:donations:*`);
/// the exact rule wins, then the longest prefix. A rule may send the postings of refunds or
/// chargebacks elsewhere (a contra-income account). An account no rule covers is an error naming
/// it, never a silent default, and one code always carries one name.
public struct AccountMap: Sendable, Equatable {
    /// An account in the accountant's chart.
    public struct Target: Sendable, Equatable, Hashable {
        public let code: String
        public let name: String

        public init(code: String, name: String) {
            self.code = code
            self.name = name
        }

        /// `4010 Recurring donations`.
        public var label: String { "\(code) \(name)" }
    }

    /// Where the postings of one account (or one prefix) go.
    public struct Rule: Sendable, Equatable {
        public let pattern: String
        public let target: Target
        /// Per ledger transaction kind (`refund`, `chargeback`, `payment`, `opening`): another target.
        public let byKind: [String: Target]

        public init(pattern: String, target: Target, byKind: [String: Target] = [:]) {
            self.pattern = pattern
            self.target = target
            self.byKind = byKind
        }
    }

    /// The transaction kinds a rule may treat apart.
    public static let kinds: Set<String> = ["payment", "refund", "chargeback", "opening"]

    public let rules: [Rule]

    /// - Throws: `PledgerError.invalid` naming the rule at fault: an empty or malformed pattern or
    ///   code, an unknown kind, or one code given two names.
    public init(rules: [Rule]) throws(PledgerError) {
        var names: [String: String] = [:]
        for rule in rules {
            let field = "accounts.\(rule.pattern)"
            let body = rule.pattern.hasSuffix("*") ? String(rule.pattern.dropLast()) : rule.pattern
            guard !body.isEmpty || rule.pattern == "*", !body.contains("*"),
                body.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-:".contains($0)) })
            else {
                throw .invalid(
                    field, "\"\(rule.pattern)\" is not an account or a prefix ending in *, such as income:donations:*")
            }
            for kind in rule.byKind.keys where !Self.kinds.contains(kind) {
                throw .invalid(
                    field,
                    "\"\(kind)\" is not a kind of transaction; use \(Self.kinds.sorted().joined(separator: ", "))")
            }
            for target in [rule.target] + rule.byKind.values {
                guard !target.code.isEmpty,
                    target.code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") })
                else {
                    throw .invalid(field, "code \"\(target.code)\" must be letters, digits, '.' or '-'")
                }
                guard !target.name.trimmingCharacters(in: .whitespaces).isEmpty,
                    !target.name.contains(where: { $0.isNewline || $0 == ";" || $0 == ":" || $0 == "\"" })
                else {
                    throw .invalid(
                        field, "name \"\(target.name)\" must not be empty nor contain ';', ':', '\"' or a line break")
                }
                if let other = names[target.code], other != target.name {
                    throw .invalid(field, "code \(target.code) is named both \"\(other)\" and \"\(target.name)\"")
                }
                names[target.code] = target.name
            }
        }
        self.rules = rules
    }

    /// The rule for `account`: the exact one, else the longest matching prefix.
    public func rule(for account: String) -> Rule? {
        if let exact = rules.first(where: { $0.pattern == account }) { return exact }
        return rules.filter { $0.pattern.hasSuffix("*") && account.hasPrefix(String($0.pattern.dropLast())) }
            .max { $0.pattern.count < $1.pattern.count }
    }

    /// Where a posting to `account` in a transaction of `kind` goes; nil when no rule covers it.
    public func target(for account: String, kind: String) -> Target? {
        guard let rule = rule(for: account) else { return nil }
        return rule.byKind[kind] ?? rule.target
    }

    /// Every target a posting to `account` may go to (its own and its kinds').
    public func targets(for account: String) -> [Target] {
        guard let rule = rule(for: account) else { return [] }
        var seen: Set<Target> = [rule.target]
        return [rule.target]
            + rule.byKind.keys.sorted().compactMap { rule.byKind[$0] }.filter { seen.insert($0).inserted }
    }

    /// Refuses the export when an account no rule covers is used, naming every such account.
    public func check(_ accounts: [String]) throws(PledgerError) {
        let missing = accounts.filter { rule(for: $0) == nil }
        guard missing.isEmpty else {
            throw .invalid(
                "accounts",
                "the chart of accounts does not map \(missing.joined(separator: ", ")); add \(missing.count == 1 ? "it" : "them") or a prefix such as \(Self.prefix(of: missing[0]))"
            )
        }
    }

    /// The account a tool reads for `target`: Pledger's root (`income`) kept so the tool knows its type.
    public static func mappedAccount(root account: String, _ target: Target) -> String {
        let root = account.split(separator: ":").first.map(String.init) ?? account
        let name = target.name.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return "\(root):\(target.code) \(name)"
    }

    private static func prefix(of account: String) -> String {
        let parts = account.split(separator: ":")
        return parts.count > 1 ? parts.dropLast().joined(separator: ":") + ":*" : account
    }
}
