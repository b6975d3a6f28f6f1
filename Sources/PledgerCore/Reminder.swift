import Foundation

/// A "remind me later" request.
public struct Reminder: Sendable, Equatable {
    public var id: ID<Reminder>
    public var supporterID: ID<Supporter>
    public var email: String?
    public var campaign: String
    public var status: ReminderStatus
    public var dueAt: Date
    public var deferrals: Int
    public var createdAt: Date
    public var sentAt: Date?
    public var convertedAt: Date?
    public var convertedPledgeID: ID<Pledge>?

    public init(
        id: ID<Reminder>, supporterID: ID<Supporter>, email: String?, campaign: String, status: ReminderStatus,
        dueAt: Date,
        deferrals: Int, createdAt: Date, sentAt: Date?, convertedAt: Date?, convertedPledgeID: ID<Pledge>?
    ) {
        self.id = id
        self.supporterID = supporterID
        self.email = email
        self.campaign = campaign
        self.status = status
        self.dueAt = dueAt
        self.deferrals = deferrals
        self.createdAt = createdAt
        self.sentAt = sentAt
        self.convertedAt = convertedAt
        self.convertedPledgeID = convertedPledgeID
    }

    /// The campaign used when none is given.
    public static let defaultCampaign = "default"
}
