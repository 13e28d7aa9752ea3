import KeyStoreEngine

/// What the service reports of an external key store's proxy: its last GetHealthStatus answer and, when the proxy
/// is the local one, the requests it served (newest first).
public struct ProxyObservation: Sendable, Equatable {
    public var health: XKSProxyHealth?
    public var requests: [XKSProxyRequestRecord]

    public init(health: XKSProxyHealth?, requests: [XKSProxyRequestRecord]) {
        self.health = health
        self.requests = requests
    }

    /// How many of the proxy's recent requests the detail shows.
    static let requestLimit = 12
}
