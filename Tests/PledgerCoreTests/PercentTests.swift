import Testing

@testable import PledgerCore

@Suite("Percentages with integers")
struct PercentTests {
    @Test("Ratios round half to even at the tenth of a percent")
    func ratios() {
        #expect(Percent.permille(1, of: 3) == 333)  // 333.33…
        #expect(Percent.permille(2, of: 3) == 667)  // 666.67…
        #expect(Percent.permille(1, of: 8) == 125)  // exactly 125
        #expect(Percent.permille(1, of: 16) == 62)  // 62.5 → 62 (even)
        #expect(Percent.permille(3, of: 16) == 188)  // 187.5 → 188 (even)
        #expect(Percent.permille(-1, of: 16) == -62)  // symmetric around zero
        #expect(Percent.permille(5, of: 0) == nil)
        #expect(Percent.ratioText(92, of: 264) == "34.8%")  // 348.48…
        #expect(Percent.ratioText(0, of: 0) == "—")
    }

    @Test("Changes are relative to the size of the previous figure, signed by direction")
    func changes() {
        // 21.00 → 173.00: +152.00 of 21.00 = 723.809…% → +723.8%.
        #expect(Percent.changeText(from: 2100, to: 17300) == "+723.8%")
        #expect(Percent.changeText(from: 1500, to: 1000) == "\u{2212}33.3%")
        #expect(Percent.changeText(from: 1500, to: 1500) == "0.0%")
        // A loss shrinking from −4.00 to −1.00 is a rise of 75% of |−4.00|.
        #expect(Percent.changeText(from: -400, to: -100) == "+75.0%")
        #expect(Percent.changeText(from: 0, to: 500) == "—")
        #expect(Percent.changeText(from: 0, to: 0) == "—")
        #expect(Percent.changeText(from: 100, to: 123_456_700) == "+123,456,600.0%")
        #expect(Percent.plainText(permille: Percent.changePermille(from: 400, to: 300)) == "-25.0%")
    }

    @Test("Extreme figures never trap: a change too large to state is nil")
    func extremes() {
        #expect(Percent.changePermille(from: .min, to: .max) == nil)  // the difference overflows
        #expect(Percent.changePermille(from: 1, to: .max) == nil)  // × 1000 does not fit
        #expect(Percent.changePermille(from: .min, to: 0) == nil)  // 0 − Int64.min does not fit
        #expect(Percent.changePermille(from: .min + 1, to: 0) == 1000)
        #expect(Percent.permille(.max, of: .max) == 1000)
        #expect(Percent.permille(.min, of: .min) == 1000)
        #expect(Percent.changeText(from: 1, to: .max) == "—")
    }
}
