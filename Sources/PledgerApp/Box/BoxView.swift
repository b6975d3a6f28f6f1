import Foundation
import PledgerCore

/// The box's configuration as a page reads it (`GET /v1/public/box`): amounts in minor units, the
/// minimum of each currency from the server's policy, and the copy of one language.
public struct BoxView: Codable, Sendable, Equatable {
    /// A payment method the box lists.
    public struct Method: Codable, Sendable, Equatable {
        public var id: String
        public var label: String
    }

    public var lang: String
    public var defaultCadence: String
    public var cadences: [String]
    public var currencies: [String]
    /// cadence → currency → amounts.
    public var presets: [String: [String: [Int64]]]
    public var minimums: [String: Int64]
    public var minorDigits: [String: Int]
    public var methods: [Method]
    public var copy: [String: String]

    init(_ configuration: BoxConfiguration, copy: BoxCopy, minimums policy: MinimumPledgePolicy) {
        lang = copy.language
        defaultCadence = configuration.defaultCadence.rawValue
        cadences = configuration.cadences.map(\.rawValue)
        currencies = configuration.currencies.map(\.code)
        var presets: [String: [String: [Int64]]] = [:]
        for (cadence, byCurrency) in configuration.presets {
            presets[cadence.rawValue] = Dictionary(uniqueKeysWithValues: byCurrency.map { ($0.key.code, $0.value) })
        }
        self.presets = presets
        minimums = Dictionary(
            uniqueKeysWithValues: configuration.currencies.map { ($0.code, policy.minimum(for: $0).minorUnits) })
        minorDigits = Dictionary(uniqueKeysWithValues: configuration.currencies.map { ($0.code, $0.exponent) })
        methods = configuration.methods.map { Method(id: $0.id, label: $0.label) }
        self.copy = Dictionary(uniqueKeysWithValues: BoxCopy.Key.allCases.map { ($0.rawValue, copy[$0]) })
    }
}
