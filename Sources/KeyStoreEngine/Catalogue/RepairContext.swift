import Foundation

/// The real values a fix names in place of its placeholders: the store, its cluster, the cluster it will use
/// after the repair, the subnet at fault, the zones for new HSMs and a password to set. Values a backend cannot
/// know stay placeholders (`<new-cluster-id>` on real AWS).
public struct RepairContext: Sendable, Hashable {
    public var storeId: String
    public var clusterId: String?
    /// The cluster the store will use after a repair that restores its cluster (a new, related cluster).
    public var targetClusterId: String?
    /// The subnet the failure is about (full, or deleted).
    public var subnetId: String?
    /// Availability Zones where the cluster can take an HSM, first choice first.
    public var zones: [String]
    /// A password to give kmsuser in the cluster and then to KMS (7 to 32 letters and digits).
    public var password: String?
    /// External key stores: the proxy's host, the VPC endpoint service, and the URI path and credential to give
    /// the store (what the proxy serves and accepts).
    public var xksHost: String?
    public var vpcEndpointServiceName: String?
    public var xksUriPath: String?
    public var xksCredential: XKSProxyCredential?
    /// The access key ID the store has now (the secret is never known), for the commands that look it up at the
    /// proxy; not a placeholder's value, since a fix may give the store another.
    public var xksAccessKeyId: String?

    public init(storeId: String, clusterId: String?, targetClusterId: String? = nil, subnetId: String? = nil,
                zones: [String] = [], password: String? = nil) {
        self.storeId = storeId
        self.clusterId = clusterId
        self.targetClusterId = targetClusterId
        self.subnetId = subnetId
        self.zones = zones
        self.password = password
    }

    /// What any backend knows: the store and its cluster.
    public init(store: CustomKeyStore) {
        self.init(storeId: store.id, clusterId: store.cloudHsmClusterId)
        xksHost = store.xksProxyConfiguration?.host
        vpcEndpointServiceName = store.xksProxyConfiguration?.vpcEndpointServiceName
        xksUriPath = store.xksProxyConfiguration?.uriPath
        xksAccessKeyId = store.xksProxyConfiguration?.accessKeyId
    }

    /// The placeholders of the catalogue's text and their values here.
    var substitutions: [(placeholder: String, value: String?)] {
        [("<store>", storeId), ("<store-id>", storeId),
         ("<cluster>", clusterId), ("<cluster-id>", clusterId),
         ("<new-cluster-id>", targetClusterId),
         ("<subnet>", subnetId), ("<subnet-id>", subnetId),
         ("<zone>", zones.first), ("<second-zone>", zones.dropFirst().first),
         ("<password>", password), ("<host>", xksHost), ("<proxy-host>", xksHost), ("<endpoint-service>", vpcEndpointServiceName),
         ("<uri-path>", xksUriPath), ("<access-key-id>", xksCredential?.accessKeyId)]
    }

    /// The text with every placeholder this context knows replaced by its value.
    public func resolve(_ text: String) -> String {
        var resolved = text
        for (placeholder, value) in substitutions {
            guard let value else { continue }
            resolved = resolved.replacingOccurrences(of: placeholder, with: value)
        }
        return resolved
    }
}

extension TroubleshootingEntry {
    /// The fix in steps, with the IDs of this store (and what the backend knows) in place of placeholders.
    public func fixSteps(for context: RepairContext) -> [String] {
        fixSteps.map(context.resolve)
    }
}
