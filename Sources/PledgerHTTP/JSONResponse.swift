import Foundation
import HTTPTypes
import Hummingbird
import PledgerApp
import PledgerCore
import PledgerWebhooks

/// JSON responses in Pledger's shape: snake_case keys, money in minor units.
enum JSONResponse {
    static func make(_ status: HTTPResponse.Status, _ value: some Encodable) -> Response {
        raw(status, Array(Views.json(value).utf8))
    }

    static func raw(
        _ status: HTTPResponse.Status, _ bytes: [UInt8], contentType: String = "application/json; charset=utf-8"
    ) -> Response {
        Response(
            status: status, headers: [.contentType: contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
