/// The four operations of the XKS Proxy API v1 and where each lives under a logical key store's prefix.
public enum XKSOperation: String, Sendable, Hashable, CaseIterable {
    case getHealthStatus = "GetHealthStatus"
    case getKeyMetadata = "GetKeyMetadata"
    case encrypt = "Encrypt"
    case decrypt = "Decrypt"

    /// `/kms/xks/v1`: every URI path prefix ends with it.
    public static let apiPath = "/kms/xks/v1"

    /// The last path segment (`health`, `metadata`, `encrypt`, `decrypt`).
    public var pathSegment: String {
        switch self {
        case .getHealthStatus: "health"
        case .getKeyMetadata: "metadata"
        case .encrypt: "encrypt"
        case .decrypt: "decrypt"
        }
    }

    /// The request path: `<prefix>/kms/xks/v1/health` or `<prefix>/kms/xks/v1/keys/<keyId>/<segment>`.
    /// `uriPath` is the full `XksProxyUriPath` (ending in `/kms/xks/v1`).
    public func path(uriPath: String, keyId: String?) -> String {
        switch self {
        case .getHealthStatus: "\(uriPath)/health"
        default: "\(uriPath)/keys/\(keyId ?? "")/\(pathSegment)"
        }
    }
}
