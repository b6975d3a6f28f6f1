import Foundation

/// The reader's box funnel of one month, per campaign and in total (docs/box.md "The funnel and
/// the sources report"): shown → continued → pledged → paid, and remind-later → confirmed →
/// converted, each step also as a rate of the step before.
///
/// For month M read in the report's time zone, `[start, end)`:
/// - **shown**, **continued**, **remind later**: the box's anonymous counters summed over the UTC
///   days whose date falls in M (the counters are kept per UTC day, so they cannot follow a local
///   midnight; see ``counterDays(_:)``);
/// - **pledged**: pledges made from the box in `[start, end)`;
/// - **paid**: of those, the ones whose first payment came before `end`;
/// - **confirmed**: box "remind me later" requests made in `[start, end)` and confirmed before `end`;
/// - **converted**: of those, the ones whose reminder was converted by a pledge before `end`.
///
/// Every step counts up to the month's end and no later, so the figures of a past month never change.
public struct BoxFunnel: Sendable, Equatable, Codable {
    /// One line's counts.
    public struct Counts: Sendable, Equatable {
        public var shown: Int64 = 0
        public var continued: Int64 = 0
        public var pledged: Int64 = 0
        public var paid: Int64 = 0
        public var remindLater: Int64 = 0
        public var confirmed: Int64 = 0
        public var converted: Int64 = 0

        public init(
            shown: Int64 = 0, continued: Int64 = 0, pledged: Int64 = 0, paid: Int64 = 0, remindLater: Int64 = 0,
            confirmed: Int64 = 0, converted: Int64 = 0
        ) {
            self.shown = shown
            self.continued = continued
            self.pledged = pledged
            self.paid = paid
            self.remindLater = remindLater
            self.confirmed = confirmed
            self.converted = converted
        }

        /// Every count, in funnel order.
        var all: [Int64] { [shown, continued, pledged, paid, remindLater, confirmed, converted] }

        /// Nothing happened on this line.
        public var isEmpty: Bool { all.allSatisfy { $0 == 0 } }

        /// The two lines added, count by count (counts cannot overflow: each is a row count).
        public static func + (lhs: Counts, rhs: Counts) -> Counts {
            Counts(
                shown: lhs.shown + rhs.shown, continued: lhs.continued + rhs.continued,
                pledged: lhs.pledged + rhs.pledged, paid: lhs.paid + rhs.paid,
                remindLater: lhs.remindLater + rhs.remindLater, confirmed: lhs.confirmed + rhs.confirmed,
                converted: lhs.converted + rhs.converted)
        }
    }

    /// Each step as a rate of the step before, in tenths of a percent (``Percent``); nil when the
    /// step before is zero. `pledged` can pass 100% (a reader's browser may block the beacon).
    public struct Rates: Sendable, Equatable {
        /// continued ÷ shown.
        public var continued: Int64?
        /// pledged ÷ continued.
        public var pledged: Int64?
        /// paid ÷ pledged.
        public var paid: Int64?
        /// confirmed ÷ remind later.
        public var confirmed: Int64?
        /// converted ÷ confirmed.
        public var converted: Int64?

        public init(_ counts: Counts) {
            continued = Percent.permille(counts.continued, of: counts.shown)
            pledged = Percent.permille(counts.pledged, of: counts.continued)
            paid = Percent.permille(counts.paid, of: counts.pledged)
            confirmed = Percent.permille(counts.confirmed, of: counts.remindLater)
            converted = Percent.permille(counts.converted, of: counts.confirmed)
        }
    }

    /// One campaign's line, or the total line (no campaign).
    public struct Line: Sendable, Equatable, Codable {
        public var campaign: String?
        public var counts: Counts
        public var rates: Rates { Rates(counts) }

        public init(campaign: String?, counts: Counts) {
            self.campaign = campaign
            self.counts = counts
        }

        private enum CodingKeys: String, CodingKey {
            case campaign, shown, continued, pledged, paid, remindLater, confirmed, converted, rates
        }

        private enum RateKeys: String, CodingKey {
            case continued, pledged, paid, confirmed, converted
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            campaign = try container.decodeIfPresent(String.self, forKey: .campaign)
            counts = Counts(
                shown: try container.decode(Int64.self, forKey: .shown),
                continued: try container.decode(Int64.self, forKey: .continued),
                pledged: try container.decode(Int64.self, forKey: .pledged),
                paid: try container.decode(Int64.self, forKey: .paid),
                remindLater: try container.decode(Int64.self, forKey: .remindLater),
                confirmed: try container.decode(Int64.self, forKey: .confirmed),
                converted: try container.decode(Int64.self, forKey: .converted))
        }

        /// The counts, and `rates` as text ("40.0%"), `null` where the step before is zero.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(campaign, forKey: .campaign)
            try container.encode(counts.shown, forKey: .shown)
            try container.encode(counts.continued, forKey: .continued)
            try container.encode(counts.pledged, forKey: .pledged)
            try container.encode(counts.paid, forKey: .paid)
            try container.encode(counts.remindLater, forKey: .remindLater)
            try container.encode(counts.confirmed, forKey: .confirmed)
            try container.encode(counts.converted, forKey: .converted)
            let rates = self.rates
            var nested = container.nestedContainer(keyedBy: RateKeys.self, forKey: .rates)
            try nested.encode(Percent.plainText(permille: rates.continued), forKey: .continued)
            try nested.encode(Percent.plainText(permille: rates.pledged), forKey: .pledged)
            try nested.encode(Percent.plainText(permille: rates.paid), forKey: .paid)
            try nested.encode(Percent.plainText(permille: rates.confirmed), forKey: .confirmed)
            try nested.encode(Percent.plainText(permille: rates.converted), forKey: .converted)
        }
    }

    /// How the funnel is counted, stated in the report.
    public var basis: String
    /// All campaigns together.
    public var total: Line
    /// One line per campaign with any activity in the month, by campaign name.
    public var campaigns: [Line]

    public static let basisText =
        "shown, continued and remind later are the box's counters summed over the UTC days dated in the month; "
        + "pledged counts box pledges made in the month, paid those of them first paid before its end; "
        + "confirmed counts box reminder requests made in the month and confirmed before its end, "
        + "converted those of them whose reminder a pledge converted before its end"

    /// The funnel from each campaign's counts; campaigns with no activity are left out.
    public init(campaigns counts: [String: Counts]) {
        basis = Self.basisText
        campaigns = counts.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map {
            Line(campaign: $0.key, counts: $0.value)
        }
        total = Line(campaign: nil, counts: campaigns.reduce(Counts()) { $0 + $1.counts })
    }

    /// A month in which the box did nothing.
    public static let empty = BoxFunnel(campaigns: [:])

    /// Whether the box did anything at all in the month.
    public var isEmpty: Bool { campaigns.isEmpty }

    /// The UTC days whose date falls in `month`, as `[first, after)` in `YYYY-MM-DD`: the counters
    /// (`box_counts.day`) a month's funnel sums, whatever the report's time zone.
    public static func counterDays(_ month: ReportMonth) -> (first: String, after: String) {
        (month.description + "-01", month.next.description + "-01")
    }

    /// The counter day (`YYYY-MM-DD`, UTC) a beacon or a request at `instant` adds to.
    public static func counterDay(_ instant: Date) -> String { String(Timestamp.format(instant).prefix(10)) }
}
