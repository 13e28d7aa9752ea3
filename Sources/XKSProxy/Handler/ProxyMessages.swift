import Foundation

/// An HTTP request as the proxy received it.
public struct ProxyRequest: Sendable {
    public var method: String
    /// The request target: path and query, percent-encoded as sent.
    public var uri: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, uri: String, headers: [(name: String, value: String)], body: [UInt8]) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// The proxy's answer.
public struct ProxyResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// An answer with what the server must do around it: wait before sending it (the latency fault), and
/// the request's line for the log.
public struct ProxyOutcome: Sendable {
    public var response: ProxyResponse
    public var delay: Duration?
    /// Nil for requests outside the API (`GET /ping`).
    public var record: RequestRecord?
}

/// What the request log says about one request (the latency is the server's to add).
public struct RequestRecord: Sendable, Hashable {
    public var time: Date
    public var kmsRequestId: String?
    public var kmsOperation: String?
    /// The XKS operation (`Encrypt`), or nil when the path named none.
    public var operation: String?
    public var prefix: String?
    public var keyId: String?
    /// `OK`, an `errorName`, or `HTTP <status>`.
    public var outcome: String
    public var status: Int
}
