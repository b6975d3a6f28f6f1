import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PledgerCore

extension HTTPField.Name {
    static let requestID = HTTPField.Name("X-Request-Id")!
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
}
