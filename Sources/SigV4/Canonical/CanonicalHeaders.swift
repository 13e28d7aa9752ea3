/// Header names and values as they enter the canonical request.
enum CanonicalHeaders {
    /// Never signed: hop-by-hop headers, ones proxies rewrite, and the signature itself (botocore's list).
    static let unsignable: Set<String> = [
        "authorization", "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization",
        "te", "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    /// The lower-cased, sorted, distinct names of the headers a signer signs.
    static func signableNames(_ headers: [(name: String, value: String)]) -> [String] {
        Set(headers.map { ASCIICase.lowercased($0.name) }).subtracting(unsignable).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// `name:value` lines for `names`, in that order; a repeated header's values are joined by commas.
    static func lines(_ headers: [(name: String, value: String)], names: [String]) -> String {
        let lowered = headers.map { (name: ASCIICase.lowercased($0.name), value: $0.value) }
        var text = ""
        for name in names {
            text += name
            text += ":"
            var first = true
            for header in lowered where header.name == name {
                if !first { text += "," }
                text += trimAll(header.value)
                first = false
            }
            text += "\n"
        }
        return text
    }

    /// Trims the value and turns each inner run of whitespace into one space (as botocore's `split()`).
    static func trimAll(_ value: String) -> String {
        if isTrimmed(value) { return value }
        return value.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// ASCII printable with single inner spaces and none at the ends: `trimAll` would return it unchanged.
    private static func isTrimmed(_ value: String) -> Bool {
        var previous: UInt8 = 0x20
        for byte in value.utf8 {
            guard byte > 0x20 && byte < 0x7F || byte == 0x20 && previous != 0x20 else { return false }
            previous = byte
        }
        return previous != 0x20 || value.isEmpty
    }
}
