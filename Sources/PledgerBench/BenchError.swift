import Foundation
import Logging
import PledgerApp
import PledgerHTTP

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
