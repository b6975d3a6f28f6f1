import Foundation

/// Columns for a terminal: the first left-aligned, the others right-aligned, each as wide as its
/// widest cell, two spaces apart.
struct AlignedColumns {
    private let widths: [Int]

    /// Widths that fit `headers` and every row.
    init(headers: [String], rows: [[String]]) {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        self.widths = widths
    }

    /// One row laid out.
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { index, cell in
            index == 0
                ? cell.padding(toLength: widths[0], withPad: " ", startingAt: 0)
                : String(repeating: " ", count: widths[index] - cell.count) + cell
        }.joined(separator: "  ")
    }
}
