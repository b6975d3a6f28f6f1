import Foundation

/// Supporters who stopped giving, per currency, for year Y (a fiscal year, UTC, as statements count it):
///
/// * **LYBUNT** ("last year but unfortunately not this"): gave in Y−1, did not give in Y;
/// * **SYBUNT** ("some year but unfortunately not this"): gave in some year before Y−1, and in
///   neither Y−1 nor Y. The two never overlap.
///
/// "Gave in a year, in a currency" means the year's net in that currency — payments less refunds
/// and chargebacks booked in the year, exactly the net of the supporter's giving statement — is
/// above zero. A supporter lapsed in USD may still give in EUR; each currency is judged alone.
public struct LapsedReport: Sendable, Equatable, Codable {
    /// LYBUNT (gave last year, not this) or SYBUNT (gave some earlier year, neither since).
    public enum Category: String, Sendable, Codable, CaseIterable {
        case lybunt, sybunt
    }

    /// One supporter's net in one currency and one fiscal year, in minor units, as the ledger sums it.
    public struct YearNet: Sendable, Equatable {
        public var supporterID: String
        /// Nil once erased.
        public var email: String?
        public var currency: String
        /// The fiscal year's name year.
        public var year: Int
        public var net: Int64

        public init(supporterID: String, email: String?, currency: String, year: Int, net: Int64) {
            self.supporterID = supporterID
            self.email = email
            self.currency = currency
            self.year = year
            self.net = net
        }
    }

    /// A lapsed supporter in one currency.
    public struct Supporter: Sendable, Equatable, Codable {
        public var id: String
        public var email: String?
        public var currency: String
        public var category: Category
        /// The latest fiscal year (by the year it starts in) with a net gift.
        public var lastGiftYear: Int
        /// That year's net, in minor units.
        public var lastGiftYearGiven: Int64
        /// The net of every year through Y, in minor units.
        public var lifetimeGiven: Int64
    }

    /// The totals of one category in one currency, in minor units.
    public struct Group: Sendable, Equatable, Codable {
        public var supporters: Int64 = 0
        public var lastGiftYearGiven: Int64 = 0
        public var lifetimeGiven: Int64 = 0

        public init(supporters: Int64 = 0, lastGiftYearGiven: Int64 = 0, lifetimeGiven: Int64 = 0) {
            self.supporters = supporters
            self.lastGiftYearGiven = lastGiftYearGiven
            self.lifetimeGiven = lifetimeGiven
        }
    }

    /// One currency's lapsed supporters and what they gave.
    public struct CurrencyFigures: Sendable, Equatable, Codable {
        public var currency: String
        public var lybunt = Group()
        public var sybunt = Group()
    }

    public var year: Int
    public var fiscalYearStart: Int
    /// Year Y's first and last day, `YYYY-MM-DD`.
    public var from: String
    public var to: String
    public var timeZone: String
    public var generatedAt: String
    public var basis: String
    public var currencies: [CurrencyFigures]
    /// By currency, LYBUNT first, then by last gift year (latest first) and id.
    public var supporters: [Supporter]

    public static let basisText =
        "LYBUNT: a net gift in the year before, none in this year; SYBUNT: a net gift in some earlier year, "
        + "none in the year before nor in this year. A net gift: payments less refunds and chargebacks booked "
        + "in the fiscal year (UTC), above zero, per currency. Lifetime: the net of every year through this one"

    /// Which category a supporter's yearly nets in one currency put them in for `year`, if any.
    public static func category(nets: [Int: Int64], year: Int) -> Category? {
        func gave(_ y: Int) -> Bool { (nets[y] ?? 0) > 0 }
        if gave(year) { return nil }
        if gave(year - 1) { return .lybunt }
        return nets.contains { $0.key < year - 1 && $0.value > 0 } ? .sybunt : nil
    }

    /// The report for `year` from every supporter's yearly nets through it (later years are ignored).
    public static func build(year: FiscalYear, nets: [YearNet], generatedAt: Date) throws(PledgerError) -> LapsedReport
    {
        struct Key: Hashable {
            let supporter: String
            let currency: String
        }
        var byKey: [Key: (email: String?, nets: [Int: Int64])] = [:]
        for row in nets where row.year <= year.year {
            let key = Key(supporter: row.supporterID, currency: row.currency)
            var value = byKey[key] ?? (row.email, [:])
            value.nets[row.year] = try GivingStatement.add(value.nets[row.year] ?? 0, row.net, row.currency)
            byKey[key] = value
        }
        var supporters: [Supporter] = []
        var figures: [String: CurrencyFigures] = [:]
        for (key, value) in byKey {
            guard let category = category(nets: value.nets, year: year.year) else { continue }
            let last = value.nets.filter { $0.value > 0 }.keys.max()!
            var lifetime: Int64 = 0
            for net in value.nets.values { lifetime = try GivingStatement.add(lifetime, net, key.currency) }
            let supporter = Supporter(
                id: key.supporter, email: value.email, currency: key.currency, category: category, lastGiftYear: last,
                lastGiftYearGiven: value.nets[last]!, lifetimeGiven: lifetime)
            supporters.append(supporter)
            var currency = figures[key.currency] ?? CurrencyFigures(currency: key.currency)
            var group = category == .lybunt ? currency.lybunt : currency.sybunt
            group.supporters += 1
            group.lastGiftYearGiven = try GivingStatement.add(
                group.lastGiftYearGiven, supporter.lastGiftYearGiven, key.currency)
            group.lifetimeGiven = try GivingStatement.add(group.lifetimeGiven, lifetime, key.currency)
            if category == .lybunt { currency.lybunt = group } else { currency.sybunt = group }
            figures[key.currency] = currency
        }
        supporters.sort {
            ($0.currency, $0.category == .lybunt ? 0 : 1, -$0.lastGiftYear, $0.id)
                < ($1.currency, $1.category == .lybunt ? 0 : 1, -$1.lastGiftYear, $1.id)
        }
        return LapsedReport(
            year: year.year, fiscalYearStart: year.startMonth, from: year.firstDay, to: year.lastDay, timeZone: "UTC",
            generatedAt: Timestamp.format(generatedAt), basis: basisText,
            currencies: figures.keys.sorted().map { figures[$0]! }, supporters: supporters)
    }
}
