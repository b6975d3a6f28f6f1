import Foundation
import PledgerCore

/// Inline SVG charts for the HTML report, drawn with integer arithmetic from minor units (no
/// floating point anywhere between the ledger and the page) and without any script.
enum SVGChart {
    /// One labelled point in time with a bar value and a line value, in minor units.
    struct Point {
        var label: String
        /// A second line under the label (a year), or empty.
        var sublabel: String
        var bar: Int64
        var line: Int64
        var highlighted: Bool
    }

    /// Net receipts as bars and MRR as a line over the months of `points`, on one axis.
    static func trend(_ points: [Point], currency: String, title: String) -> String {
        let (width, height) = (720, 280)
        let (left, right, top, bottom) = (72, 704, 40, 232)
        let axis = Axis(values: points.flatMap { [$0.bar, $0.line] })
        let slot = (right - left) / max(points.count, 1)
        let barWidth = slot * 11 / 20
        var svg = open(width: width, height: height, title: title)
        svg += gridlines(axis, left: left, right: right, top: top, bottom: bottom, currency: currency)
        let zero = axis.y(0, top: top, bottom: bottom)
        for (index, point) in points.enumerated() {
            let x = left + slot * index + (slot - barWidth) / 2
            let y = axis.y(point.bar, top: top, bottom: bottom)
            let (barTop, barHeight) = point.bar >= 0 ? (y, zero - y) : (zero, y - zero)
            let kind = point.bar >= 0 ? "bar" : "bar negative"
            svg +=
                "<rect class=\"\(kind)\(point.highlighted ? " current" : "")\" x=\"\(x)\" y=\"\(barTop)\" width=\"\(barWidth)\" height=\"\(max(barHeight, point.bar == 0 ? 0 : 1))\">"
                + "<title>\(HTML.escape(point.label)) \(HTML.escape(point.sublabel)): net \(HTML.escape(ReportText.amount(point.bar, currency))) \(HTML.escape(currency))</title></rect>\n"
            let cx = left + slot * index + slot / 2
            svg +=
                "<text class=\"tick\(point.highlighted ? " current" : "")\" x=\"\(cx)\" y=\"\(bottom + 18)\" text-anchor=\"middle\">\(HTML.escape(point.label))</text>\n"
            if !point.sublabel.isEmpty {
                svg +=
                    "<text class=\"tick year\" x=\"\(cx)\" y=\"\(bottom + 33)\" text-anchor=\"middle\">\(HTML.escape(point.sublabel))</text>\n"
            }
        }
        let coordinates = points.enumerated().map { index, point in
            "\(left + slot * index + slot / 2),\(axis.y(point.line, top: top, bottom: bottom))"
        }
        svg += "<polyline class=\"line\" points=\"\(coordinates.joined(separator: " "))\"/>\n"
        for (index, point) in points.enumerated() {
            svg +=
                "<circle class=\"dot\" cx=\"\(left + slot * index + slot / 2)\" cy=\"\(axis.y(point.line, top: top, bottom: bottom))\" r=\"\(point.highlighted ? 5 : 3)\">"
                + "<title>\(HTML.escape(point.label)) \(HTML.escape(point.sublabel)): MRR \(HTML.escape(ReportText.amount(point.line, currency))) \(HTML.escape(currency))</title></circle>\n"
        }
        // Legend, top left above the plot.
        svg += """
            <rect class="bar" x="\(left)" y="12" width="12" height="12"/><text class="legend" x="\(left + 18)" y="22">Net receipts</text>
            <line class="line" x1="\(left + 130)" y1="18" x2="\(left + 154)" y2="18"/><circle class="dot" cx="\(left + 142)" cy="18" r="3"/>
            <text class="legend" x="\(left + 160)" y="22">MRR at month end</text>
            <text class="legend unit" x="\(right)" y="22" text-anchor="end">\(HTML.escape(currency))</text>

            """
        return svg + "</svg>"
    }

    /// The MRR bridge: start, each movement as a floating step, end — the identity drawn.
    static func bridge(_ m: MRRMovement, currency: String, title: String) -> String {
        let steps: [(String, Int64, Bool)] = [
            ("Start", m.start, true), ("New", m.new, false), ("Reactivated", m.reactivated, false),
            ("Resumed", m.resumed, false), ("Expansion", m.expansion, false), ("Contraction", -m.contraction, false),
            ("Paused", -m.paused, false), ("Churned", -m.churned, false), ("End", m.end, true),
        ]
        let (width, height) = (720, 240)
        let (left, right, top, bottom) = (72, 704, 28, 200)
        // Running levels decide the scale: every bar starts and ends on one of them.
        var levels: [Int64] = [0]
        var level: Int64 = 0
        for (_, value, total) in steps {
            level = total ? value : level &+ value
            levels.append(level)
        }
        // When the movements are small beside MRR itself, the axis starts above zero so they can be seen.
        let (lowest, highest) = (levels.dropFirst().min() ?? 0, levels.max() ?? 0)
        let truncated = lowest > 0 && highest - lowest < highest / 2
        let axis =
            truncated
            ? Axis(values: [lowest - (highest - lowest), highest], includingZero: false) : Axis(values: levels)
        let slot = (right - left) / steps.count
        let barWidth = slot * 3 / 5
        var svg = open(width: width, height: height, title: title)
        svg += gridlines(axis, left: left, right: right, top: top, bottom: bottom, currency: currency)
        level = 0
        for (index, (label, value, total)) in steps.enumerated() {
            let from = total ? 0 : level
            let to = total ? value : level &+ value
            level = to
            let (y1, y2) = (
                axis.y(max(from, to), top: top, bottom: bottom), axis.y(min(from, to), top: top, bottom: bottom)
            )
            let x = left + slot * index + (slot - barWidth) / 2
            let kind = total ? "step total" : value > 0 ? "step up" : value < 0 ? "step down" : "step"
            let shown = total ? ReportText.amount(value, currency) : ReportText.change(value, .money(currency))
            svg +=
                "<rect class=\"\(kind)\" x=\"\(x)\" y=\"\(y1)\" width=\"\(barWidth)\" height=\"\(max(y2 - y1, 1))\"><title>\(HTML.escape(label)): \(HTML.escape(shown)) \(HTML.escape(currency))</title></rect>\n"
            svg +=
                "<text class=\"value\" x=\"\(x + barWidth / 2)\" y=\"\(y1 - 5)\" text-anchor=\"middle\">\(HTML.escape(shown))</text>\n"
            svg +=
                "<text class=\"tick\" x=\"\(x + barWidth / 2)\" y=\"\(bottom + 18)\" text-anchor=\"middle\">\(HTML.escape(label))</text>\n"
            if index + 1 < steps.count {
                let y = axis.y(to, top: top, bottom: bottom)
                svg += "<line class=\"connector\" x1=\"\(x + barWidth)\" y1=\"\(y)\" x2=\"\(x + slot)\" y2=\"\(y)\"/>\n"
            }
        }
        if truncated {
            svg +=
                "<text class=\"legend unit\" x=\"\(right)\" y=\"12\" text-anchor=\"end\">axis starts at \(HTML.escape(axis.label(axis.low, currency))), not zero</text>\n"
        }
        return svg + "</svg>"
    }

    private static func open(width: Int, height: Int, title: String) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(width) \(height)" role="img" aria-label="\(HTML.escape(title))">
        <title>\(HTML.escape(title))</title>

        """
    }

    private static func gridlines(_ axis: Axis, left: Int, right: Int, top: Int, bottom: Int, currency: String)
        -> String
    {
        var svg = ""
        for tick in axis.ticks {
            let y = axis.y(tick, top: top, bottom: bottom)
            svg +=
                "<line class=\"grid\(tick == 0 ? " zero" : "")\" x1=\"\(left)\" y1=\"\(y)\" x2=\"\(right)\" y2=\"\(y)\"/>"
            svg +=
                "<text class=\"tick\" x=\"\(left - 8)\" y=\"\(y + 4)\" text-anchor=\"end\">\(HTML.escape(axis.label(tick, currency)))</text>\n"
        }
        return svg
    }

    /// A value axis with round steps (1, 2, 2.5 or 5 × a power of ten minor units) covering
    /// every value and zero.
    struct Axis {
        let low: Int64
        let high: Int64
        let step: Int64

        init(values: [Int64], includingZero: Bool = true) {
            let lowest = includingZero ? min(values.min() ?? 0, 0) : values.min() ?? 0
            let highest = includingZero ? max(values.max() ?? 0, 0) : values.max() ?? 0
            // About four steps; at least one minor unit so an empty chart still has an axis.
            let (span, overflow) = highest.subtractingReportingOverflow(lowest)
            let wanted = max((overflow ? Int64.max : span) / 4, 1)
            var step = wanted
            var power: Int64 = 1
            search: while true {
                let candidates = [power, power * 2, power >= 10 ? power / 2 * 5 : power * 2, power * 5]
                if let found = candidates.first(where: { $0 >= wanted }) {
                    step = found
                    break search
                }
                let (next, overflow) = power.multipliedReportingOverflow(by: 10)
                // Past 10^17 a round step cannot be had in 64 bits: keep the plain quarter of the span.
                guard !overflow, next <= Int64.max / 10 else { break search }
                power = next
            }
            self.step = step
            low = lowest.isMultiple(of: step) ? lowest : (lowest / step - 1) * step
            high = highest.isMultiple(of: step) ? highest : (highest / step + 1) * step
        }

        var ticks: [Int64] {
            var result: [Int64] = []
            var tick = low
            while tick <= high, result.count < 20 {
                result.append(tick)
                tick += step
            }
            return result
        }

        /// The pixel row of `value` between `top` (the highest tick) and `bottom` (the lowest).
        func y(_ value: Int64, top: Int, bottom: Int) -> Int {
            // Differences taken as unsigned bit patterns: exact even when they pass Int64.max.
            let range = UInt64(bitPattern: high &- low)
            guard range > 0, bottom > top else { return bottom }
            let offset = min(UInt64(bitPattern: high &- value), range)
            let (quotient, _) = range.dividingFullWidth(offset.multipliedFullWidth(by: UInt64(bottom - top)))
            return top + Int(quotient)
        }

        /// A tick's label in major units; decimals only when the steps need them.
        func label(_ value: Int64, _ code: String) -> String {
            let text = ReportText.amount(value, code)
            guard let currency = Currency(code: code), currency.exponent > 0, step % currency.minorUnitsPerMajor == 0
            else { return text }
            return String(text.dropLast(currency.exponent + 1))
        }
    }
}
