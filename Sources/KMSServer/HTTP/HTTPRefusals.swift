import HTTPServing
import KeyStoreEngine
import NIOCore

/// The JSON answers the HTTP layer gives on its own, before or instead of the KMS handler.
enum HTTPRefusals {
    /// Bytes that are not HTTP/1.1.
    static func notHTTP() -> ServerResponse {
        response(ServiceError(type: KMSError.Code.serialization.rawValue,
                              message: "The request is not valid HTTP/1.1. Send POST / with the KMS JSON 1.1 protocol."))
    }

    /// A request that did not arrive whole in time.
    static func timedOut(after timeout: TimeAmount) -> ServerResponse {
        response(ServiceError(type: "RequestTimeoutException",
                              message: "The request did not arrive whole within \(timeout.nanoseconds / 1_000_000_000) s. cks serve closes connections that send too slowly; send the whole request at once.",
                              status: 408))
    }

    /// A connection over the limit, written raw (no HTTP pipeline is set up for it).
    static func tooManyConnections(limit: Int) -> [UInt8] {
        let answer = response(ServiceError(type: "ThrottlingException",
                                           message: "cks serve already has \(limit) connections open, its limit. Close idle connections or retry shortly.",
                                           status: 503))
        return rawHTTPAnswer(status: 503, reason: "Service Unavailable", headers: answer.headers, body: answer.body)
    }

    private static func response(_ error: ServiceError) -> ServerResponse {
        ServerResponse(status: error.status,
                       headers: [("Content-Type", KMSRequestHandler.contentType), ("x-amzn-RequestId", RequestID.make())],
                       body: Array(error.body.compact.utf8))
    }
}
