import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PledgerCore

extension PledgerRequestContext {
    /// Refuses with 403 unless the request's token holds `scope`.
    func require(_ scope: APIScope) throws {
        guard let token else { throw APIError.unauthorized }
        guard APIScope.allows(token.scopes, scope) else {
            throw APIError(
                .forbidden, code: "forbidden", message: "token \(token.name) lacks the \(scope.rawValue) scope")
        }
    }
}
