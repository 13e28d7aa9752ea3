/// The query line of the canonical request: each name and value decoded, re-encoded per RFC 3986,
/// then sorted by encoded name and, for a repeated name, by encoded value.
enum CanonicalQuery {
    static func make(_ query: String) -> String {
        let pairs = query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = PercentEncoding.encode(PercentEncoding.decode(parts[0]))
            let value = parts.count > 1 ? PercentEncoding.encode(PercentEncoding.decode(parts[1])) : ""
            return (name: Array(name.utf8), value: Array(value.utf8))
        }
        return pairs
            .sorted { $0.name == $1.name ? $0.value.lexicographicallyPrecedes($1.value) : $0.name.lexicographicallyPrecedes($1.name) }
            .map { String(decoding: $0.name + [UInt8(ascii: "=")] + $0.value, as: UTF8.self) }
            .joined(separator: "&")
    }
}
