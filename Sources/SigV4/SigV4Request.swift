/// An HTTP request as it is signed and sent: the path and query exactly as on the wire, headers in order.
public struct SigV4Request: Sendable {
    public var method: String
    /// Percent-encoded as sent, without the query.
    public var path: String
    /// The raw query string after `?`, or empty.
    public var query: String
    /// In order; a name may repeat.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(
        method: String,
        path: String,
        query: String = "",
        headers: [(name: String, value: String)],
        body: [UInt8] = []
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The values of every header called `name` (any case), in order.
    public func headerValues(_ name: String) -> [String] {
        var values: [String] = []
        for header in headers where ASCIICase.equal(header.name, name) { values.append(header.value) }
        return values
    }

    /// Removes every header called `name` (any case), then appends one with `value`.
    public mutating func setHeader(_ name: String, _ value: String) {
        removeHeaders(name)
        headers.append((name: name, value: value))
    }

    /// Removes every header called `name` (any case).
    public mutating func removeHeaders(_ name: String) {
        headers.removeAll { ASCIICase.equal($0.name, name) }
    }
}

extension SigV4Request: Equatable {
    public static func == (lhs: SigV4Request, rhs: SigV4Request) -> Bool {
        lhs.method == rhs.method && lhs.path == rhs.path && lhs.query == rhs.query && lhs.body == rhs.body
            && lhs.headers.elementsEqual(rhs.headers) { $0.name == $1.name && $0.value == $1.value }
    }
}
