import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import PledgerCore

/// The request context of every route: the request id and, once authenticated, the token.
public struct PledgerRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// From the client's `X-Request-Id` when it is sane, else generated; echoed in the response.
    public var requestID: String = ""
    /// The token that authenticated this request, if any.
    public var token: APIToken?
    /// The peer's address: the box's rate limits count per client.
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Bodies are read by ``RequestReader`` with the configured limit, not by Hummingbird's decoder.
    public var maxUploadSize: Int { ServerSettings.defaultBodyLimit }
}
