import Foundation

extension Pledge {
    /// The `source` of every pledge the reader's box makes.
    public static let boxSource = "box"

    /// Whether a payment on this pledge is when its supporter's open reminders convert: a box
    /// pledge's e-mail is only the reader's word until the processor takes the money (anyone can
    /// type another's address), so its reminders wait for the payment; other pledges convert when made.
    public var convertsRemindersOnPayment: Bool { source == Self.boxSource && status == .pending }
}

/// Where a pledge or a reminder came from: the article's path, the referring site, the UTM fields
/// and the box's campaign. Only the path and the referrer's host are kept, never a full address,
/// since queries and referrers can carry a reader's personal data.
public struct Attribution: Sendable, Equatable {
    public static let utmKeys = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"]

    public var campaign: String
    public var pagePath: String
    public var referrerHost: String?
    /// `utm_source` … `utm_content`, those present.
    public var utm: [String: String]

    public init(campaign: String, pagePath: String, referrerHost: String?, utm: [String: String]) {
        self.campaign = campaign
        self.pagePath = pagePath
        self.referrerHost = referrerHost
        self.utm = utm
    }

    /// From what the box sends: the page's address (required, absolute http(s)), the referrer,
    /// the campaign (default `default`), and UTM fields, which win over the page address's own.
    public static func from(
        pageURL: String?, referrer: String?, campaign: String?, utm given: [String: String?]
    ) throws(PledgerError) -> Attribution {
        guard let pageURL, !pageURL.isEmpty else { throw .invalid("page_url", "is required: the article's address") }
        guard pageURL.utf8.count <= 2048, let page = URLComponents(string: pageURL),
            let scheme = page.scheme?.lowercased(), scheme == "https" || scheme == "http", page.host != nil
        else { throw .invalid("page_url", "must be the absolute http(s) address of the page showing the box") }
        let path = page.percentEncodedPath.isEmpty ? "/" : page.percentEncodedPath
        let pagePath = try TextField.optionalTrimmed(String(path.prefix(300)), field: "page_url", maxLength: 300) ?? "/"
        var referrerHost: String?
        if let referrer, !referrer.isEmpty {
            guard referrer.utf8.count <= 2048, let host = URLComponents(string: referrer)?.host?.lowercased(),
                !host.isEmpty
            else { throw .invalid("referrer", "must be an absolute address, or absent") }
            referrerHost = try TextField.optionalTrimmed(host, field: "referrer", maxLength: 253)
        }
        var utm: [String: String] = [:]
        for item in page.queryItems ?? [] where utmKeys.contains(item.name) {
            if let value = item.value { utm[item.name] = value }
        }
        for key in utmKeys {
            if case .some(.some(let value)) = given[key] { utm[key] = value }
        }
        for (key, value) in utm {
            guard let label = try normaliseLabel(value, field: key) else {
                utm[key] = nil
                continue
            }
            utm[key] = label
        }
        let campaign = try normaliseLabel(campaign, field: "campaign") ?? Reminder.defaultCampaign
        return Attribution(campaign: campaign, pagePath: pagePath, referrerHost: referrerHost, utm: utm)
    }
}
