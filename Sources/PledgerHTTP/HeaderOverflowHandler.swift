import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import PledgerApp
import PledgerCore

/// Answers request headers over the decoder's limit (80 KB) with `431` and Pledger's JSON error, and
/// logs it like any request. Without it Hummingbird wrote a bare `400` with an empty body, no request
/// id and no access-log line, since the request never reached the router.
final class HeaderOverflowHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError, parserError == .headerOverflow else {
            context.fireErrorCaught(error)
            return
        }
        let requestID = EntityID.make("req")
        let status = HTTPResponse.Status(code: 431, reasonPhrase: "Request Header Fields Too Large")
        struct Body: Encodable {
            struct Inner: Encodable {
                let code: String
                let message: String
            }
            let error: Inner
        }
        let body = Array(
            Views.json(
                Body(
                    error: .init(
                        code: "headers_too_large",
                        message: "the request headers are over the limit of 80 KB; send fewer or shorter headers"))
            ).utf8)
        var fields = HTTPFields()
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.contentLength] = "\(body.count)"
        fields[.connection] = "close"
        fields[HTTPField.Name("X-Request-Id")!] = requestID
        context.write(wrapOutboundOut(.head(HTTPResponse(status: status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(ByteBuffer(bytes: body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
        logger.info(
            "request",
            metadata: [
                "method": "unknown", "route": "unmatched", "status": "431", "duration_ms": "0.0",
                "request_id": "\(requestID)", "reason": "request headers over the limit",
            ])
    }
}
