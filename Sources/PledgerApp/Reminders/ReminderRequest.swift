import Foundation
import PledgerCore

/// "Remind me later", as the site or a person says it.
public struct ReminderRequest: Sendable {
    public var email: String
    public var externalRef: String?
    public var campaign: String?
    public var when: ReminderPolicy.Request
    public var at: Date?

    public init(
        email: String, externalRef: String? = nil, campaign: String? = nil,
        when: ReminderPolicy.Request = .defaultDelay, at: Date? = nil
    ) {
        self.email = email
        self.externalRef = externalRef
        self.campaign = campaign
        self.when = when
        self.at = at
    }
}
