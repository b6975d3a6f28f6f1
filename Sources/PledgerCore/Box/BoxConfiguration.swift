import Foundation

/// The reader's box as a publisher configured it (`serve --box box.toml`), checked whole at start:
/// a wrong file stops the server naming the key and the reason, never a box that fails later.
public struct BoxConfiguration: Sendable, Equatable {
    /// A payment method the box lists (it only shows them; the processor takes the payment).
    public struct Method: Sendable, Equatable, Decodable {
        public var id: String
        public var label: String
    }

    /// The abuse limits of the public routes.
    public struct Limits: Sendable, Equatable {
        public var perIP: TokenBucket.Rule
        public var perEmail: TokenBucket.Rule
        /// The header carrying the reader's address behind a proxy (its first entry), or nil for the peer address.
        public var clientIPHeader: String?

        public static let `default` = Limits(
            perIP: .init(burst: 20, refill: 3), perEmail: .init(burst: 3, refill: 3600), clientIPHeader: nil)
    }

    /// Where readers reach this server, without a trailing slash: confirmation links start here.
    public var publicURL: String
    public var cadences: [Cadence]
    public var defaultCadence: Cadence
    /// The first is the box's default.
    public var currencies: [Currency]
    /// Minor units, ascending, per cadence and currency.
    public var presets: [Cadence: [Currency: [Int64]]]
    public var methods: [Method]
    public var checkoutURL: CheckoutURLTemplate
    public var limits: Limits
    /// Per language: the built-in English and Russian with the file's overrides, and the file's own languages.
    public var copy: [String: BoxCopy]
    /// How long a "remind me later" waits for the reader's confirmation.
    public var confirmationTTL: TimeInterval = 7 * 86_400

    /// The file's shape, as TOML or JSON decode it; ``init(document:minimums:maximums:)`` checks it.
    public struct Document: Decodable, Sendable {
        public var publicURL: String?
        public var defaultCadence: String?
        public var cadences: [String]?
        public var currencies: [String]?
        public var checkoutURL: String?
        public var methods: [Method]?
        public var presets: [String: [String: [Int64]]]?
        public var limits: LimitsDocument?
        public var copy: [String: [String: String]]?

        /// The `[limits]` table as written.
        public struct LimitsDocument: Decodable, Sendable {
            public var perIPBurst: Int?
            public var perIPRefillSeconds: Int?
            public var perEmailBurst: Int?
            public var perEmailRefillSeconds: Int?
            public var clientIPHeader: String?

            enum CodingKeys: String, CodingKey, CaseIterable {
                case perIPBurst = "per_ip_burst"
                case perIPRefillSeconds = "per_ip_refill_seconds"
                case perEmailBurst = "per_email_burst"
                case perEmailRefillSeconds = "per_email_refill_seconds"
                case clientIPHeader = "client_ip_header"
            }

            public init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                try BoxConfiguration.refuseUnknownKeys(decoder, known: CodingKeys.allCases.map(\.rawValue))
                perIPBurst = try container.decodeIfPresent(Int.self, forKey: .perIPBurst)
                perIPRefillSeconds = try container.decodeIfPresent(Int.self, forKey: .perIPRefillSeconds)
                perEmailBurst = try container.decodeIfPresent(Int.self, forKey: .perEmailBurst)
                perEmailRefillSeconds = try container.decodeIfPresent(Int.self, forKey: .perEmailRefillSeconds)
                clientIPHeader = try container.decodeIfPresent(String.self, forKey: .clientIPHeader)
            }
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case publicURL = "public_url"
            case defaultCadence = "default_cadence"
            case cadences, currencies
            case checkoutURL = "checkout_url"
            case methods, presets, limits, copy
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            try BoxConfiguration.refuseUnknownKeys(decoder, known: CodingKeys.allCases.map(\.rawValue))
            publicURL = try container.decodeIfPresent(String.self, forKey: .publicURL)
            defaultCadence = try container.decodeIfPresent(String.self, forKey: .defaultCadence)
            cadences = try container.decodeIfPresent([String].self, forKey: .cadences)
            currencies = try container.decodeIfPresent([String].self, forKey: .currencies)
            checkoutURL = try container.decodeIfPresent(String.self, forKey: .checkoutURL)
            methods = try container.decodeIfPresent([Method].self, forKey: .methods)
            presets = try container.decodeIfPresent([String: [String: [Int64]]].self, forKey: .presets)
            limits = try container.decodeIfPresent(LimitsDocument.self, forKey: .limits)
            copy = try container.decodeIfPresent([String: [String: String]].self, forKey: .copy)
        }
    }

    /// A key the file gives that the box does not know: a typo must not pass silently.
    public struct UnknownKey: Error, Sendable {
        public var path: [String]
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static func refuseUnknownKeys(_ decoder: any Decoder, known: [String]) throws {
        let all = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
        if let unknown = all.sorted().first(where: { !known.contains($0) }) {
            throw UnknownKey(path: decoder.codingPath.map(\.stringValue) + [unknown])
        }
    }

    /// Checks a decoded file against the amount policies; the error names the key at fault.
    public init(
        document: Document, minimums: MinimumPledgePolicy, maximums: MaximumAmountPolicy
    ) throws(PledgerError) {
        guard let publicURL = document.publicURL else {
            throw .invalid("public_url", "is required: the address readers reach this server at")
        }
        guard let url = URLComponents(string: publicURL), let scheme = url.scheme?.lowercased(),
            scheme == "https" || scheme == "http", url.host?.isEmpty == false, url.query == nil, url.fragment == nil
        else { throw .invalid("public_url", "must be an absolute http(s) address without a query") }
        self.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL

        let cadenceTexts = document.cadences ?? Cadence.allCases.map(\.rawValue)
        var cadences: [Cadence] = []
        for text in cadenceTexts {
            let cadence = try Cadence.parse(text, field: "cadences")
            guard !cadences.contains(cadence) else { throw .invalid("cadences", "\(cadence.rawValue) is given twice") }
            cadences.append(cadence)
        }
        guard !cadences.isEmpty else { throw .invalid("cadences", "must name at least one cadence") }
        self.cadences = cadences
        let defaultCadence = try document.defaultCadence.map { text throws(PledgerError) in
            try Cadence.parse(text, field: "default_cadence")
        }
        guard defaultCadence.map(cadences.contains) ?? true else {
            throw .invalid("default_cadence", "\(defaultCadence!.rawValue) is not among cadences")
        }
        self.defaultCadence = defaultCadence ?? cadences[0]

        var currencies: [Currency] = []
        for text in document.currencies ?? [] {
            let currency = try Currency.parse(text, field: "currencies")
            guard !currencies.contains(currency) else { throw .invalid("currencies", "\(currency) is given twice") }
            currencies.append(currency)
        }
        guard !currencies.isEmpty else { throw .invalid("currencies", "must name at least one currency, such as USD") }
        self.currencies = currencies

        guard let checkout = document.checkoutURL else {
            throw .invalid("checkout_url", "is required: where Continue sends the reader, with {pledge_id}")
        }
        checkoutURL = try CheckoutURLTemplate(checkout)

        methods = document.methods ?? [Method(id: "card", label: "Card")]
        for (index, method) in methods.enumerated() {
            guard !method.id.isEmpty, method.id.count <= 40,
                method.id.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") })
            else {
                throw .invalid("methods[\(index)].id", "must be lower-case letters, digits and _, such as apple_pay")
            }
            guard try TextField.optionalTrimmed(method.label, field: "methods[\(index)].label", maxLength: 40) != nil
            else { throw .invalid("methods[\(index)].label", "must not be empty") }
        }

        presets = try Self.checkPresets(
            document.presets ?? [:], cadences: cadences, currencies: currencies, minimums: minimums,
            maximums: maximums)

        var limits = Limits.default
        if let given = document.limits {
            limits.perIP = try Self.rule(
                given.perIPBurst, given.perIPRefillSeconds, default: limits.perIP, key: "per_ip")
            limits.perEmail = try Self.rule(
                given.perEmailBurst, given.perEmailRefillSeconds, default: limits.perEmail, key: "per_email")
            if let header = given.clientIPHeader {
                guard !header.isEmpty, header.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
                else { throw .invalid("limits.client_ip_header", "must be a header name such as X-Forwarded-For") }
                limits.clientIPHeader = header
            }
        }
        self.limits = limits

        var copy = BoxCopy.builtIn
        for (language, texts) in (document.copy ?? [:]).sorted(by: { $0.key < $1.key }) {
            let made = try BoxCopy.make(language: language, texts: texts, field: "copy.\(language)")
            copy[made.language] = made
        }
        self.copy = copy
    }

    private static func checkPresets(
        _ given: [String: [String: [Int64]]], cadences: [Cadence], currencies: [Currency],
        minimums: MinimumPledgePolicy, maximums: MaximumAmountPolicy
    ) throws(PledgerError) -> [Cadence: [Currency: [Int64]]] {
        for (cadenceText, byCurrency) in given {
            guard let cadence = Cadence(rawValue: cadenceText), cadences.contains(cadence) else {
                throw .invalid("presets.\(cadenceText)", "is not one of cadences (\(cadences.map(\.rawValue)))")
            }
            for code in byCurrency.keys where !currencies.contains(where: { $0.code == code }) {
                throw .invalid("presets.\(cadence.rawValue).\(code)", "is not one of currencies")
            }
        }
        var presets: [Cadence: [Currency: [Int64]]] = [:]
        for cadence in cadences {
            for currency in currencies {
                let field = "presets.\(cadence.rawValue).\(currency.code)"
                guard let amounts = given[cadence.rawValue]?[currency.code] else {
                    throw .invalid(field, "is missing: give 1 to 6 amounts in minor units, such as [500, 1000, 2000]")
                }
                guard (1...6).contains(amounts.count), amounts == amounts.sorted(), Set(amounts).count == amounts.count
                else { throw .invalid(field, "must be 1 to 6 different amounts in ascending order") }
                for amount in amounts {
                    let money = Money(minorUnits: amount, currency: currency)
                    try minimums.check(money, field: field)
                    try maximums.check(money, field: field)
                }
                presets[cadence, default: [:]][currency] = amounts
            }
        }
        return presets
    }

    private static func rule(_ burst: Int?, _ refill: Int?, default rule: TokenBucket.Rule, key: String)
        throws(PledgerError) -> TokenBucket.Rule
    {
        let burst = burst ?? rule.burst
        let refill = refill.map(TimeInterval.init) ?? rule.refill
        guard (1...1_000_000).contains(burst) else { throw .invalid("limits.\(key)_burst", "must be 1 to 1000000") }
        guard refill > 0, refill <= 86_400 else {
            throw .invalid("limits.\(key)_refill_seconds", "must be 1 to 86400 seconds")
        }
        return TokenBucket.Rule(burst: burst, refill: refill)
    }
}
