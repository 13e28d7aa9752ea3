/// Header names and values as they enter the canonical request.
enum CanonicalHeaders {
    /// Never signed: hop-by-hop headers, ones proxies rewrite, and the signature itself (botocore's list).
    static let unsignable: Set<String> = [
        "authorization", "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization",
        "te", "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    /// The lower-cased, sorted, distinct names of the headers a signer signs.
    static func signableNames(_ headers: [(name: String, value: String)]) -> [String] {
        Set(headers.map { $0.name.lowercased() }).subtracting(unsignable).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// `name:value` lines for `names`, in that order; a repeated header's values are joined by commas.
    static func lines(_ headers: [(name: String, value: String)], names: [String]) -> String {
        names.map { name in
            let values = headers.filter { $0.name.lowercased() == name }.map { trimAll($0.value) }
            return name + ":" + values.joined(separator: ",") + "\n"
        }.joined()
    }

    /// Trims the value and turns each inner run of whitespace into one space (as botocore's `split()`).
    static func trimAll(_ value: String) -> String {
        value.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
