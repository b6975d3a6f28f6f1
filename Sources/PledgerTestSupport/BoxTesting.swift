import Foundation
import PledgerApp
import PledgerCore

/// The reader's box as tests configure it: USD and EUR, three cadences, a checkout template that
/// names every placeholder, and the default amount policies.
public enum BoxTesting {
    public static let publicURL = "https://pledger.example.org"
    public static let origin = "https://www.example.org"

    /// The JSON form of a box configuration file; `limits` overrides the abuse limits.
    public static func json(publicURL: String = publicURL, limits: String = "") -> String {
        """
        {
          "public_url": "\(publicURL)",
          "default_cadence": "monthly",
          "currencies": ["USD", "EUR"],
          "checkout_url": "https://buy.example.org/pay?ref={pledge_id}&a={amount}&c={currency}&k={cadence}&e={email}",
          "methods": [{"id": "card", "label": "Card"}],
          "presets": {
            "one_off": {"USD": [1000, 2500], "EUR": [1000, 2500]},
            "monthly": {"USD": [500, 1000], "EUR": [500, 1000]},
            "annual": {"USD": [5000, 10000], "EUR": [5000, 10000]}
          }\(limits.isEmpty ? "" : ",\n  \"limits\": \(limits)")
        }
        """
    }

    /// A checked configuration from ``json(publicURL:limits:)``.
    public static func configuration(
        publicURL: String = publicURL, limits: String = "", config: PledgerConfig = PledgerConfig()
    ) throws -> BoxConfiguration {
        let document = try JSONDecoder().decode(
            BoxConfiguration.Document.self, from: Data(json(publicURL: publicURL, limits: limits).utf8))
        return try BoxConfiguration(document: document, minimums: config.minimums, maximums: config.maximums)
    }

    /// `config` with the test box on.
    public static func withBox(_ config: PledgerConfig = PledgerConfig(), limits: String = "") throws -> PledgerConfig {
        var config = config
        config.box = try configuration(limits: limits, config: config)
        return config
    }

    /// A checkout from the test origin's article page.
    public static func checkout(
        cadence: String = "monthly", amount: Int64 = 500, currency: String = "USD", email: String? = nil,
        page: String = "https://www.example.org/news/story?utm_source=newsletter&utm_medium=email",
        campaign: String? = "winter", website: String? = nil
    ) -> BoxCheckoutRequest {
        BoxCheckoutRequest(
            cadence: cadence, amount: amount, currency: currency, email: email, pageURL: page,
            referrer: "https://news.example.com/front?id=1", campaign: campaign, utm: [:], website: website)
    }

    /// "Remind me later" from the test origin's article page.
    public static func remindLater(
        email: String, page: String = "https://www.example.org/news/story", campaign: String? = "winter",
        website: String? = nil
    ) -> BoxReminderRequest {
        BoxReminderRequest(
            email: email, pageURL: page, referrer: nil, campaign: campaign, utm: [:], website: website)
    }

    /// A signed token with one character of its signature changed, in the middle: the last
    /// character of base64url carries padding bits that decoding may ignore.
    public static func tamper(_ token: String) -> String {
        var characters = Array(token)
        let index = (characters.lastIndex(of: ".") ?? 0) + 10
        characters[index] = characters[index] == "A" ? "B" : "A"
        return String(characters)
    }

    /// The token of the newest confirmation link in the outbox.
    public static func latestConfirmToken(_ app: Pledger) async throws -> String? {
        let events = try await app.events.list(type: .reminderConfirmationRequested, limit: 1000)
        guard let url = try events.last?.decodedData().confirmation?.confirmUrl else { return nil }
        return URLComponents(string: url)?.queryItems?.first { $0.name == "token" }?.value
    }
}
