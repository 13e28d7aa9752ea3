import XKS

/// Faults injected into a running proxy, kept in its state file so they last and show in `status`; each
/// breaks the proxy the way a real deployment breaks.
public struct ProxyFaults: Sendable, Hashable, Codable {
    /// What a garbage answer looks like.
    public enum Garbage: String, Sendable, Hashable, Codable, CaseIterable {
        /// An HTML error page from a load balancer, with status 200.
        case nonJSON = "non-json"
        /// JSON without the fields the API requires.
        case missingFields = "missing-fields"
    }

    /// Which certificate the HTTPS listener presents.
    public enum CertificateFault: String, Sendable, Hashable, Codable, CaseIterable {
        /// Signed by the cks CA for the right names, but its validity ended yesterday.
        case expired
        /// Valid and signed by the cks CA, but for another host name.
        case wrongHost = "wrong-host"
    }

    /// Health per key manager instance (1-based); an instance not listed is ACTIVE. Instance 0 stands
    /// for every instance.
    public var keyManager: [Int: XKSHealthStatus] = [:]
    /// Added before every answer.
    public var latencyMilliseconds: Int?
    /// Every authenticated request is answered with this status: 403, 429, 500 or 503.
    public var errorStatus: Int?
    public var garbage: Garbage?
    /// Credentials the proxy refuses (AuthenticationFailedException) although they are configured.
    public var refusedAccessKeyIds: [String] = []
    public var certificate: CertificateFault?
    /// The listener is closed (connections are refused) until the fault is cleared.
    public var stopListening = false

    public init() {}

    /// The statuses an error fault may answer with, and their error names.
    /// 403 stands for a proxy whose authorization rules deny KMS (even GetHealthStatus, which they should exempt).
    public static let errorStatuses: [Int: XKSError.Name] = [
        403: .accessDenied, 429: .throttling, 500: .internal, 503: .dependencyTimeout,
    ]

    public var isEmpty: Bool { self == ProxyFaults() }

    public func keyManagerHealth(instance: Int) -> XKSHealthStatus {
        keyManager[instance] ?? keyManager[0] ?? .active
    }

    /// One line per active fault, for `status`.
    public var summary: [String] {
        var lines: [String] = []
        for (instance, status) in keyManager.sorted(by: { $0.key < $1.key }) {
            lines.append("key-manager \(status.rawValue) (\(instance == 0 ? "all instances" : "instance ekm-\(instance)"))")
        }
        if let latencyMilliseconds { lines.append("latency \(latencyMilliseconds) ms added to every answer") }
        if let errorStatus, let name = Self.errorStatuses[errorStatus] {
            lines.append("error: every authenticated request answered \(errorStatus) \(name.rawValue)")
        }
        if let garbage { lines.append("garbage answers (\(garbage.rawValue))") }
        for id in refusedAccessKeyIds { lines.append("refuse-credential \(id)") }
        if let certificate { lines.append("certificate \(certificate.rawValue)") }
        if stopListening { lines.append("stop-listening: the port is closed") }
        return lines
    }
}
