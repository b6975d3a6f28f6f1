import Foundation

/// The retention table membership teams ask for: recurring supporters grouped by the month of
/// their first recurring payment (their cohort), and how many of each cohort still had a live
/// recurring pledge at the end of the 1st, 2nd, 3rd, 6th and 12th month after it.
public struct CohortReport: Sendable, Equatable, Codable {
    /// How many months after the cohort month retention is measured.
    public static let offsets = [1, 2, 3, 6, 12]

    /// Which pledges make a supporter part of a cohort and count them as still active.
    public enum Scope: String, Sendable, CaseIterable, Codable {
        /// Monthly and annual pledges together.
        case recurring
        case monthly
        case annual

        /// The cadences in scope.
        public var cadences: [Cadence] {
            switch self {
            case .recurring: [.monthly, .annual]
            case .monthly: [.monthly]
            case .annual: [.annual]
            }
        }

        /// Parses `recurring`, `monthly` or `annual` (what `--cadence` takes).
        public static func parse(_ text: String, field: String = "cadence") throws(PledgerError) -> Scope {
            switch text.trimmingCharacters(in: .whitespaces).lowercased() {
            case "recurring", "all": return .recurring
            case "monthly": return .monthly
            case "annual", "yearly": return .annual
            default:
                throw .invalid(field, "\"\(text)\" is not a cohort cadence; use monthly, annual or recurring (both)")
            }
        }
    }

    /// One cohort's retention after `afterMonths` months.
    public struct Retention: Sendable, Equatable, Codable {
        public var afterMonths: Int
        /// Cohort members with a live (paid, not cancelled, not paused) pledge in scope at the end
        /// of month cohort + `afterMonths`;
        /// nil while that month has not ended.
        public var active: Int64?
        /// `active ÷ supporters` as text ("83.3%"); nil while unknown.
        public var share: String?

        public init(afterMonths: Int, active: Int64?, of size: Int64) {
            self.afterMonths = afterMonths
            self.active = active
            self.share = active.flatMap { Percent.plainText(permille: Percent.permille($0, of: size)) }
        }

        private enum CodingKeys: String, CodingKey { case afterMonths, active, share }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            afterMonths = try container.decode(Int.self, forKey: .afterMonths)
            active = try container.decodeIfPresent(Int64.self, forKey: .active)
            share = try container.decodeIfPresent(String.self, forKey: .share)
        }

        /// Writes unknown figures as `null` rather than leaving the keys out: the shape stays the same.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(afterMonths, forKey: .afterMonths)
            try container.encode(active, forKey: .active)
            try container.encode(share, forKey: .share)
        }
    }

    /// The supporters whose first payment in scope fell in `month`.
    public struct Cohort: Sendable, Equatable, Codable {
        public var month: String
        public var supporters: Int64
        public var retention: [Retention]

        public init(month: String, supporters: Int64, retention: [Retention]) {
            self.month = month
            self.supporters = supporters
            self.retention = retention
        }
    }

    public var from: String
    public var to: String
    public var timeZone: String
    public var cadence: Scope
    public var generatedAt: String
    public var basis: String
    /// Oldest first; a month with no new supporter has a cohort of 0.
    public var cohorts: [Cohort]

    public static let basisText =
        "a supporter joins the cohort of the month of their first payment on a pledge in scope; "
        + "they count as active after k months when a pledge in scope is live (paid, not cancelled and not paused) at the end of the k-th month after that"

    public init(
        from: ReportMonth, to: ReportMonth, timeZone: TimeZone, cadence: Scope, generatedAt: Date, cohorts: [Cohort]
    ) {
        self.from = from.description
        self.to = to.description
        self.timeZone = timeZone.reportName
        self.cadence = cadence
        self.generatedAt = Timestamp.format(generatedAt)
        self.basis = Self.basisText
        self.cohorts = cohorts
    }
}
