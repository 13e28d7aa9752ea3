import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// `HTTPTransport` on AsyncHTTPClient (TLS via NIOSSL for https endpoints). One client per way out (direct or a
/// proxy, the system's trust roots or a CA bundle), kept for the life of the process so connections are reused.
public struct AsyncHTTPTransport: HTTPTransport {
    public var network: NetworkSettings

    public init(network: NetworkSettings = .direct) {
        self.network = network
    }

    /// A way out: through which proxy, trusting which bundle.
    private struct Route: Hashable {
        var proxy: URL?
        var caBundle: String?
    }

    private static let clients = Mutex<[Route: HTTPClient]>([:])

    /// The client of a route: connect within 10 s, an answer within 60 s, HTTP/1.1.
    private static func client(for route: Route) -> HTTPClient {
        clients.withLock { clients in
            if let client = clients[route] { return client }
            var configuration = HTTPClient.Configuration()
            configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(10), read: .seconds(60))
            configuration.httpVersion = .http1Only
            // A refused connection fails at once; `RetryPolicy` decides about retries (AsyncHTTPClient's own would
            // keep trying until the connect timeout).
            configuration.connectionPool.retryConnectionEstablishment = false
            if let proxy = route.proxy, let host = proxy.host {
                let authorization = proxy.user.map { HTTPClient.Authorization.basic(username: $0.removingPercentEncoding ?? $0,
                                                                                    password: proxy.password?.removingPercentEncoding ?? "") }
                configuration.proxy = .server(host: host, port: proxy.port ?? 80, authorization: authorization)
            }
            if let bundle = route.caBundle {
                var tls = TLSConfiguration.makeClientConfiguration()
                tls.trustRoots = .file(bundle)
                configuration.tlsConfiguration = tls
            }
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            clients[route] = client
            return client
        }
    }

    /// The most a response body may hold.
    static let maxBodyBytes = 16 << 20

    public func send(_ request: HTTPRequestData) async throws(TransportError) -> HTTPResponseData {
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers {
            outgoing.headers.add(name: header.name, value: header.value)
        }
        outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        let client = Self.client(for: Route(proxy: network.proxy(for: request.url), caBundle: network.caBundle))
        do {
            let response = try await client.execute(outgoing, timeout: request.timeout.map { .nanoseconds(Int64($0.seconds * 1e9)) } ?? .seconds(90))
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
        if text.contains("handshakeFailed") || text.contains("CERTIFICATE_VERIFY_FAILED") {
            return "the TLS handshake failed (\(text)); if a proxy or gateway re-signs TLS, give its CA with AWS_CA_BUNDLE or ca_bundle"
        }
        return text
    }
}
