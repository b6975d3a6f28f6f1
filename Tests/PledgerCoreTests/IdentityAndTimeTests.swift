import Foundation
import Testing

@testable import PledgerCore

/// `EmailAddress`, `normaliseExternalRef`, `Timestamp` and `EntityID`.
@Suite("Identity and time")
struct IdentityAndTimeTests {

    // MARK: EmailAddress

    @Test(arguments: [
        (" Reader@Example.ORG ", "reader@example.org"),
        ("reader@example.org", "reader@example.org"),
        ("  First.Last+news@Sub.Example.co.uk ", "first.last+news@sub.example.co.uk"),
        ("a@b.c", "a@b.c"),
    ])
    func emailIsNormalised(text: String, expected: String) throws {
        let email = try EmailAddress(text)
        #expect(email.value == expected)
        #expect(email.description == expected)
        #expect(try EmailAddress(expected) == email)
    }

    /// Implausible addresses are refused as invalid, naming `email`.
    @Test(arguments: [
        "reader.example.org",  // no @
        "a@b@example.org",  // two @
        "reader@localhost",  // no dot in the domain
        "a@b..c",  // empty label
        "a@.example.org",
        "a@example.org.",
        "@example.org",  // empty local part
        "reader@",
        "rea der@example.org",  // space inside
        "reader@exa mple.org",
        "reader@example.org\u{00A0}x",
        "",
        "   ",
        String(repeating: "a", count: 243) + "@example.org",  // 255 characters
    ])
    func implausibleEmailRefused(text: String) throws {
        let error = try #require(thrown { () throws(PledgerError) in try EmailAddress(text) })
        #expect(error.kind == .invalid)
        #expect(error.field == "email")
        #expect(thrown { () throws(PledgerError) in try EmailAddress(text, field: "contact") }?.field == "contact")
    }

    @Test func emailOf254CharactersAccepted() throws {
        let text = String(repeating: "a", count: 242) + "@example.org"
        #expect(text.count == 254)
        #expect(try EmailAddress(text).value == text)
    }

    // MARK: normaliseExternalRef

    @Test func externalRef() throws {
        #expect(try normaliseExternalRef(nil) == nil)
        #expect(try normaliseExternalRef(" acct_42 ") == "acct_42")
        #expect(try normaliseExternalRef("acct 42") == "acct 42")  // inner spaces are the publisher's business
        #expect(try normaliseExternalRef(String(repeating: "x", count: 200)) == String(repeating: "x", count: 200))
    }

    @Test(arguments: ["", "  ", "\n", String(repeating: "x", count: 201)])
    func externalRefRefused(text: String) throws {
        let error = try #require(thrown { () throws(PledgerError) in try normaliseExternalRef(text) })
        #expect(error.kind == .invalid)
        #expect(error.field == "external_ref")
    }

    // MARK: Timestamp.parse

    @Test(arguments: [
        ("2026-11-01T09:30:00Z", "2026-11-01T09:30:00Z"),
        ("2026-11-01T12:30:00+03:00", "2026-11-01T09:30:00Z"),
        ("2026-11-01T04:30:00-05:00", "2026-11-01T09:30:00Z"),
        ("2026-11-01T15:00:00+05:30", "2026-11-01T09:30:00Z"),
        (" 2026-11-01T09:30:00Z ", "2026-11-01T09:30:00Z"),
    ])
    func parsesWholeSeconds(text: String, expected: String) throws {
        #expect(try Timestamp.parse(text, field: "at") == at(expected))
    }

    @Test(arguments: [
        ("2026-11-01T09:30:00.250Z", 250),
        ("2026-11-01T09:30:00.5Z", 500),
        ("2026-11-01T12:30:00.125+03:00", 125),
    ])
    func parsesFractionalSeconds(text: String, millis: Int64) throws {
        let date = try Timestamp.parse(text, field: "at")
        #expect(Timestamp.millis(date) == Timestamp.millis(at("2026-11-01T09:30:00Z")) + millis)
    }

    /// Refusals name the field they were given.
    @Test(arguments: [
        "", "   ", "yesterday", "2026-11-01 09:30:00Z", "2026/11/01", "01/11/2026", "2026-13-01",
        "1730453400", "2026-11", "2026-11-01T09:30Z+", "20261101",
    ])
    func refusesBadTimes(text: String) throws {
        let error = try #require(thrown { () throws(PledgerError) in try Timestamp.parse(text, field: "occurred_at") })
        #expect(error.kind == .invalid)
        #expect(error.field == "occurred_at")
    }

    /// Out-of-range fields are not a time: there is no Feb 30, hour 25 or minute 60.
    @Test(
        arguments: [
            "2026-02-30T10:00:00Z", "2026-11-01T25:00:00Z", "2026-11-01T09:60:00Z", "2026-11-01T09:30:61Z",
            "2026-11-31", "2026-02-29",
        ]
    )
    func refusesOutOfRangeFields(text: String) throws {
        let error = try #require(thrown { () throws(PledgerError) in try Timestamp.parse(text, field: "at") })
        #expect(error.field == "at")
    }

    /// A time without a zone is ambiguous (whose 09:30?); the doc comment accepts only `Z` or an offset.
    @Test func refusesLocalTimeWithoutOffset() {
        #expect {
            try Timestamp.parse("2026-11-01T09:30:00", field: "at")
        } throws: { error in
            (error as? PledgerError)?.field == "at"
        }
    }

    // MARK: Timestamp.format

    @Test(arguments: [
        ("2026-11-01T09:30:00Z", 0.0, "2026-11-01T09:30:00Z"),
        ("2026-11-01T09:30:00Z", 0.25, "2026-11-01T09:30:00.250Z"),
        ("2026-11-01T09:30:00Z", 0.001, "2026-11-01T09:30:00.001Z"),
        ("2026-11-01T09:30:00Z", 0.0004, "2026-11-01T09:30:00Z"),  // under half a millisecond
        ("2026-11-01T09:30:00Z", 0.9996, "2026-11-01T09:30:01Z"),  // rounds up into the next second
        ("2026-12-31T23:59:59Z", 0.9999, "2027-01-01T00:00:00Z"),
        ("1970-01-01T00:00:00Z", -0.5, "1969-12-31T23:59:59.500Z"),  // before 1970: floor, not truncation
    ])
    func formats(base: String, plusSeconds: Double, expected: String) {
        #expect(Timestamp.format(at(base).addingTimeInterval(plusSeconds)) == expected)
    }

    /// Formatting then parsing gives back the same instant to the millisecond.
    @Test(arguments: [Int64(0), 1, 999, 1_793_525_400_000, 1_793_525_400_123, -1, -1_500])
    func formatParseRoundTrip(millis: Int64) throws {
        let date = Timestamp.date(millis: millis)
        let text = Timestamp.format(date)
        #expect(Timestamp.millis(try Timestamp.parse(text, field: "at")) == millis, "\(text)")
    }

    // MARK: Timestamp.checkHappened

    @Test(arguments: [-86_400, -1, 0, 1, 299, 300] as [TimeInterval])
    func happenedWithinSkewAccepted(offset: Double) {
        let now = at("2026-10-14T09:30:00Z")
        #expect(throws: Never.self) { try Timestamp.checkHappened(now.addingTimeInterval(offset), now: now) }
    }

    @Test(arguments: [300.001, 301, 3_600, 31_536_000] as [TimeInterval])
    func happenedInTheFutureRefused(offset: Double) throws {
        let now = at("2026-10-14T09:30:00Z")
        let error = try #require(
            thrown { () throws(PledgerError) in
                try Timestamp.checkHappened(now.addingTimeInterval(offset), now: now)
            })
        #expect(error.kind == .invalid)
        #expect(error.field == "at")
        #expect(
            thrown { () throws(PledgerError) in
                try Timestamp.checkHappened(now.addingTimeInterval(offset), now: now, field: "paid_at")
            }?.field == "paid_at")
    }

    // MARK: EntityID

    @Test(arguments: ["pl", "rm", "sp"])
    func entityIDShape(prefix: String) {
        let id = EntityID.make(prefix)
        #expect(id.hasPrefix(prefix + "_"))
        #expect(id.count == prefix.count + 1 + 20)
        let body = id.dropFirst(prefix.count + 1)
        // Crockford-style base 32: digits and lower-case letters without i, l, o, u.
        #expect(body.allSatisfy { "0123456789abcdefghjkmnpqrstvwxyz".contains($0) }, "\(id)")
    }

    @Test func idsSortInCreationOrder() {
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        let ids = (0..<50).map { EntityID.make("tx", at: start.addingTimeInterval(Double($0) * 0.001)) }
        #expect(ids == ids.sorted())
        // The same millisecond still gives different ids.
        #expect(EntityID.make("tx", at: start) != EntityID.make("tx", at: start))
    }

    @Test func thousandIDsAreDistinct() {
        let ids = (0..<1_000).map { _ in EntityID.make("pl") }
        #expect(Set(ids).count == 1_000)
        // Over 20 000 characters, every one of the 32 symbols shows up.
        let symbols = Set(ids.flatMap { $0.dropFirst(3) })
        #expect(symbols.count == 32)
    }
}

/// Attaching a pledge or reminder to a supporter by e-mail, then external ref.
@Suite("Supporter match")
struct SupporterMatchTests {
    let email = try! EmailAddress("reader@example.org")

    @Test func newWhenNobodyIsKnown() throws {
        #expect(
            try SupporterMatch.resolve(email: email, externalRef: "acct-1", byEmail: nil, byExternalRef: nil) == .new)
    }

    @Test func byEmailAddsAMissingRef() throws {
        #expect(
            try SupporterMatch.resolve(email: email, externalRef: nil, byEmail: ("sp_1", nil), byExternalRef: nil)
                == .existing(id: "sp_1"))
        #expect(
            try SupporterMatch.resolve(email: email, externalRef: "acct-1", byEmail: ("sp_1", nil), byExternalRef: nil)
                == .existingAddingExternalRef(id: "sp_1"))
        #expect(
            try SupporterMatch.resolve(
                email: email, externalRef: "acct-1", byEmail: ("sp_1", "acct-1"),
                byExternalRef: ("sp_1", "reader@example.org")) == .existing(id: "sp_1"))
    }

    @Test func byRefAddsAMissingEmail() throws {
        #expect(
            try SupporterMatch.resolve(email: email, externalRef: "acct-1", byEmail: nil, byExternalRef: ("sp_2", nil))
                == .existingAddingEmail(id: "sp_2"))
    }

    @Test(
        arguments: [
            ("sp_1", "acct-9", nil, "external_ref"),  // the e-mail's supporter has another ref
            ("sp_1", nil, "sp_2", "external_ref"),  // the ref belongs to someone else
        ] as [(String, String?, String?, String)])
    func clashesAreRefused(emailOwner: String, ownersRef: String?, refOwner: String?, field: String) {
        let error = thrown { () throws(PledgerError) in
            try SupporterMatch.resolve(
                email: email, externalRef: "acct-1", byEmail: (ID(emailOwner), ownersRef),
                byExternalRef: refOwner.map { (ID($0), "other@example.org") })
        }
        #expect(error?.kind == .conflict)
        #expect(error?.field == field)
    }

    @Test func refOfAnotherEmailIsRefused() {
        let error = thrown { () throws(PledgerError) in
            try SupporterMatch.resolve(
                email: email, externalRef: "acct-1", byEmail: nil, byExternalRef: ("sp_2", "other@example.org"))
        }
        #expect(error?.field == "email")
        #expect(error?.message.contains("other@example.org") == true)
    }
}

@Suite("Instant formatting")
struct InstantFormattingTests {
    /// What `Timestamp.format` wrote before it did the calendar arithmetic itself.
    static func reference(_ date: Date) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let whole = Date(timeIntervalSince1970: TimeInterval((ms - (((ms % 1000) + 1000) % 1000)) / 1000))
        let text = whole.formatted(Date.ISO8601FormatStyle())
        let fraction = ((ms % 1000) + 1000) % 1000
        return fraction == 0 ? text : String(text.dropLast()) + "." + String(format: "%03d", fraction) + "Z"
    }

    @Test("The same text as Foundation's ISO 8601 style since the Gregorian calendar began, and parse reads it back")
    func sameAsFoundation() throws {
        var generator = SeededGenerator(seed: 2026)
        // Foundation switches to the Julian calendar before 1582-10-15; Pledger's parser never did
        // (proleptic Gregorian), so before then only the round trip through `parse` is compared.
        let gregorian: ClosedRange<Int64> = -12_219_292_800_000...253_402_300_799_999
        var instants: [Date] = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -1), Date(timeIntervalSince1970: -0.001),
            Date(timeIntervalSince1970: 951_782_400), Date(timeIntervalSince1970: 4_107_542_400),
            Date(timeIntervalSince1970: 1_709_164_800.5), Date(timeIntervalSince1970: 253_402_300_799.999),
        ]
        for _ in 0..<20_000 {
            instants.append(Date(timeIntervalSince1970: Double(Int64.random(in: gregorian, using: &generator)) / 1000))
        }
        for date in instants {
            #expect(Timestamp.format(date) == Self.reference(date), "\(date.timeIntervalSince1970)")
        }
        for _ in 0..<5_000 {
            let millis = Int64.random(in: -62_135_596_800_000...253_402_300_799_999, using: &generator)
            let date = Timestamp.date(millis: millis)
            #expect(try Timestamp.millis(Timestamp.parse(Timestamp.format(date), field: "t")) == millis)
        }
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_795_000_000.123)) == "2026-11-18T11:06:40.123Z")
    }
}
