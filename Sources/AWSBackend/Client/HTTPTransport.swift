import Foundation

/// An HTTP request as the JSON client sends it.
public struct HTTPRequestData: Sendable {
    public var url: URL
    public var method: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// How long the whole request may take; nil for the transport's default (90 s).
    public var timeout: Duration?

    public init(url: URL, method: String, headers: [(name: String, value: String)], body: [UInt8], timeout: Duration? = nil) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    /// The first value of a header (any case).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// An HTTP response: status, headers, the whole body.
public struct HTTPResponseData: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// The request never got an answer: no connection, TLS failure, reset, timeout.
public struct TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Sends one HTTP request. AsyncHTTPClient in use; a scripted fake in tests.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequestData) async throws(TransportError) -> HTTPResponseData
}
