import HTTPTypes
import Hummingbird

extension APIError {
    /// The answer for `request`, with the headers HTTP asks of some statuses: a method the route does
    /// not have is 405 with `Allow` (not 404), and 401 carries `WWW-Authenticate: Bearer` (RFC 6750).
    func response(for request: Request) -> Response {
        if status == .notFound, code == "not_found" {
            let allowed = RouteTable.allowedMethods(for: request.uri.path)
            if !allowed.isEmpty, !allowed.contains(request.method) {
                var response = APIError(
                    .methodNotAllowed, code: "method_not_allowed",
                    message:
                        "\(request.uri.path) takes \(allowed.map(\.rawValue).joined(separator: ", ")), not \(request.method.rawValue)"
                ).response
                response.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
                return response
            }
        }
        var response = self.response
        if status == .unauthorized, code == "unauthorized" {
            response.headers[.wwwAuthenticate] = #"Bearer realm="pledger""#
        }
        return response
    }
}
