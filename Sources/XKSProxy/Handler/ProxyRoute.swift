import XKS

/// Where a request path leads: a logical key store, an operation and, for key operations, the key.
struct ProxyRoute: Sendable, Hashable {
    var prefix: String
    var operation: XKSOperation
    var keyId: String?

    /// The total URI length the spec allows.
    static let maxURILength = 256

    /// Finds the route of `path` among the stores' URI paths (the longest prefix wins); nil is an invalid
    /// URI path.
    static func find(_ path: String, prefixesLongestFirst: [String]) -> ProxyRoute? {
        guard path.utf8.count <= maxURILength else { return nil }
        for prefix in prefixesLongestFirst {
            let base = prefix + XKSOperation.apiPath + "/"
            guard path.hasPrefix(base) else { continue }
            let rest = path.dropFirst(base.count)
            if rest == XKSOperation.getHealthStatus.pathSegment {
                return ProxyRoute(prefix: prefix, operation: .getHealthStatus, keyId: nil)
            }
            let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0] == "keys", CredentialRules.isValidKeyId(String(parts[1])),
                  let operation = XKSOperation.allCases.first(where: { $0 != .getHealthStatus && $0.pathSegment == parts[2] })
            else { return nil }
            return ProxyRoute(prefix: prefix, operation: operation, keyId: String(parts[1]))
        }
        return nil
    }
}
