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

    /// Appends what `lines` returns to `out`, without building a string per line when every name is ASCII
    /// (then a lower-cased header name equals a signed name exactly when their bytes do).
    static func write(_ headers: [(name: String, value: String)], names: [String], into out: inout [UInt8]) {
        guard names.allSatisfy(isASCII), headers.allSatisfy({ isASCII($0.name) }) else {
            out.append(contentsOf: lines(headers, names: names).utf8)
            return
        }
        for name in names {
            out.append(contentsOf: name.utf8)
            out.append(UInt8(ascii: ":"))
            var first = true
            for header in headers where lowercasedEquals(header.name, name) {
                if !first { out.append(UInt8(ascii: ",")) }
                if isTrimmed(header.value) {
                    out.append(contentsOf: header.value.utf8)
                } else {
                    out.append(contentsOf: trimAll(header.value).utf8)
                }
                first = false
            }
            out.append(UInt8(ascii: "\n"))
        }
    }

    private static func isASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 }
    }

    /// Whether `header`, ASCII letters lower-cased, has the bytes of `name`.
    private static func lowercasedEquals(_ header: String, _ name: String) -> Bool {
        var header = header, name = name
        return header.withUTF8 { x in
            name.withUTF8 { y in
                guard x.count == y.count else { return false }
                for index in 0..<x.count where ASCIICase.lower(x[index]) != y[index] { return false }
                return true
            }
        }
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
