import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PledgerCore

extension HTTPField.Name {
    static let requestID = HTTPField.Name("X-Request-Id")!
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let crossOriginResourcePolicy = HTTPField.Name("Cross-Origin-Resource-Policy")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
