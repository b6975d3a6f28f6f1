import HTTPTypes
import Hummingbird
import Logging
import PledgerCore

/// The request context of every route: the request id and, once authenticated, the token.
public struct PledgerRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// From the client's `X-Request-Id` when it is sane, else generated; echoed in the response.
    public var requestID: String = ""
    /// The token that authenticated this request, if any.
    public var token: APIToken?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Bodies are read by ``RequestReader`` with the configured limit, not by Hummingbird's decoder.
    public var maxUploadSize: Int { ServerSettings.defaultBodyLimit }
}
