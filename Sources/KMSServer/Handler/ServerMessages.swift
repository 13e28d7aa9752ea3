import SigV4

/// An HTTP request as `cks serve` received it: method, target (path and query), headers in order, body.
public struct ServerRequest: Sendable {
    public var method: String
    /// The request target as sent: the path, then `?` and the query when there is one.
    public var uri: String
    /// In order; a name may repeat.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, uri: String, headers: [(name: String, value: String)], body: [UInt8]) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
    }

    /// The first value of the header called `name` (any case).
    public func header(_ name: String) -> String? {
        headers.first { ASCIICase.equal($0.name, name) }?.value
    }

    /// The path before any `?`.
    var path: Substring {
        guard let mark = uri.firstIndex(of: "?") else { return uri[...] }
        return uri[..<mark]
    }

    /// The raw query after `?`, or empty.
    var query: Substring {
        guard let mark = uri.firstIndex(of: "?") else { return "" }
        return uri[uri.index(after: mark)...]
    }
}

/// The answer to one request: an HTTP status, headers and a JSON body.
public struct ServerResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of the header called `name` (any case).
    public func header(_ name: String) -> String? {
        headers.first { ASCIICase.equal($0.name, name) }?.value
    }
}
