import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// `HTTPTransport` on AsyncHTTPClient: one process-wide client (TLS via NIOSSL for https endpoints), kept for
/// the life of the process so its connections are reused.
public struct AsyncHTTPTransport: HTTPTransport {
    /// The shared client: connect within 10 s, an answer within 60 s, HTTP/1.1.
    static let sharedClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(10), read: .seconds(60))
        configuration.httpVersion = .http1Only
        // A refused connection fails at once; `RetryPolicy` decides about retries (AsyncHTTPClient's own would
        // keep trying until the connect timeout).
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// The most a response body may hold.
    static let maxBodyBytes = 16 << 20

    public init() {}

    public func send(_ request: HTTPRequestData) async throws(TransportError) -> HTTPResponseData {
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers {
            outgoing.headers.add(name: header.name, value: header.value)
        }
        outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        do {
            let response = try await Self.sharedClient.execute(outgoing, timeout: request.timeout.map { .nanoseconds(Int64($0.seconds * 1e9)) } ?? .seconds(90))
            var buffer = try await response.body.collect(upTo: Self.maxBodyBytes)
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            return HTTPResponseData(status: Int(response.status.code),
                                    headers: response.headers.map { (name: $0.name, value: $0.value) }, body: bytes)
        } catch {
            throw TransportError(Self.describe(error))
        }
    }

    /// A sentence for a transport failure (AsyncHTTPClient's and NIO's errors print as type names otherwise).
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return "the connection timed out"
            case .readTimeout, .deadlineExceeded: return "no answer in time"
            case .remoteConnectionClosed: return "the server closed the connection"
            case .cancelled: return "the request was cancelled"
            default: return "\(error)"
            }
        }
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "the connection was refused" }
        return text
    }
}
