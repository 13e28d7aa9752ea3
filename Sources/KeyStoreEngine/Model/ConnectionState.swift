/// The connection state of a custom key store, as DescribeCustomKeyStores reports it.
public enum ConnectionState: String, Sendable, Codable, CaseIterable, Hashable {
    case connected = "CONNECTED"
    case connecting = "CONNECTING"
    case disconnected = "DISCONNECTED"
    case disconnecting = "DISCONNECTING"
    case failed = "FAILED"

    /// True while KMS is working on the store (CONNECTING, DISCONNECTING).
    public var isTransient: Bool { self == .connecting || self == .disconnecting }
}

/// The kind of a custom key store.
public enum CustomKeyStoreType: String, Sendable, Codable, CaseIterable, Hashable {
    case awsCloudHSM = "AWS_CLOUDHSM"
    case externalKeyStore = "EXTERNAL_KEY_STORE"

    /// The console's name for the type.
    public var displayName: String {
        switch self {
        case .awsCloudHSM: "AWS CloudHSM"
        case .externalKeyStore: "External"
        }
    }
}
