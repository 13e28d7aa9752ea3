import Crypto
import Foundation
import XKS

/// A SigV4 credential a logical key store accepts (KMS's `XksProxyAuthenticationCredential`).
public struct ProxyCredential: Sendable, Hashable, Codable {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var createdAt: Date

    public init(accessKeyId: String, secretAccessKey: String, createdAt: Date) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.createdAt = createdAt
    }
}

/// One logical key store of the proxy: a URI path prefix and the one or two credentials it accepts.
public struct LogicalKeyStore: Sendable, Hashable {
    /// Empty, or `/segment/...` (without `/kms/xks/v1`).
    public var prefix: String
    /// Oldest first; at most two.
    public var credentials: [ProxyCredential]
    public var createdAt: Date

    public init(prefix: String, credentials: [ProxyCredential], createdAt: Date) {
        self.prefix = prefix
        self.credentials = credentials
        self.createdAt = createdAt
    }

    /// The `XksProxyUriPath` KMS is configured with: the prefix and `/kms/xks/v1`.
    public var uriPath: String { prefix + XKSOperation.apiPath }

    /// Most credentials a store holds at once (the old and the new one during a rotation).
    public static let maxCredentials = 2
}

/// An AES-256 key held by the proxy's key manager.
public struct ExternalKey: Sendable {
    public var prefix: String
    public var id: String
    public var material: SymmetricKey
    public var usages: [XKSKeyUsage]
    public var enabled: Bool
    public var createdAt: Date

    public init(prefix: String, id: String, material: SymmetricKey, usages: [XKSKeyUsage], enabled: Bool, createdAt: Date) {
        self.prefix = prefix
        self.id = id
        self.material = material
        self.usages = usages
        self.enabled = enabled
        self.createdAt = createdAt
    }

    /// `ENABLED` or `DISABLED`, as GetKeyMetadata answers.
    public var status: String { enabled ? "ENABLED" : "DISABLED" }
}

/// Everything the proxy answers from, read at once from its state file.
public struct ProxySnapshot: Sendable {
    /// The Region requests must be signed for (KMS signs with the Region it calls from).
    public var region: String
    /// Logical key stores by prefix.
    public var stores: [String: LogicalKeyStore]
    /// Keys by prefix, then id.
    public var keys: [String: [String: ExternalKey]]
    public var faults: ProxyFaults
    /// How many external key manager instances GetHealthStatus reports.
    public var keyManagerInstances: Int

    public init(
        region: String, stores: [String: LogicalKeyStore], keys: [String: [String: ExternalKey]],
        faults: ProxyFaults, keyManagerInstances: Int
    ) {
        self.region = region
        self.stores = stores
        self.keys = keys
        self.faults = faults
        self.keyManagerInstances = keyManagerInstances
    }

    /// The Region a new proxy signs for.
    public static let defaultRegion = "us-east-1"
    public static let defaultKeyManagerInstances = 2

    /// The health of each key manager instance (1-based), after the faults.
    public var keyManagerHealth: [XKSKeyManagerInstance] {
        (1...max(1, keyManagerInstances)).map { index in
            XKSKeyManagerInstance(id: "ekm-\(index)", model: "cks key manager (SQLite, AES-256-GCM)",
                                  healthStatus: faults.keyManagerHealth(instance: index))
        }
    }
}
