import Foundation
import KeyStoreEngine

/// The checks KMS makes inside the API call, before answering (spec section 1.4 and section 8.3).
struct SynchronousChecks {
    let tx: WorldTransaction

    /// ConnectCustomKeyStore: the cluster must be ACTIVE with intact security group rules and subnets in 2 AZs.
    /// A deleted cluster is left for the workflow to find (CLUSTER_NOT_FOUND).
    func beforeConnect(_ store: KeyStoreRecord) throws {
        guard let clusterId = store.clusterId, let cluster = try tx.cluster(id: clusterId), cluster.state != .deleted else { return }
        try requireActive(cluster)
        try requireNetworkConfiguration(cluster)
    }

    /// CreateCustomKeyStore: an existing, unused, ACTIVE, well-configured cluster whose trust anchor is given.
    func clusterForStore(_ clusterId: String, trustAnchor: String, excludingStore: String?) throws -> ClusterRecord {
        let cluster = try existingCluster(clusterId)
        if let user = try tx.keyStore(usingLineageOf: cluster, except: excludingStore) {
            let how = user.clusterId == cluster.id ? "" : " (a cluster restored from the same backup)"
            throw KMSError(.cloudHsmClusterInUse,
                           "Cluster \(clusterId) is already associated with custom key store \(user.name) (\(user.id))\(how). Each cluster can back one key store; pick a cluster that has none (`cks sim clusters`).")
        }
        try requireActive(cluster)
        try requireNetworkConfiguration(cluster)
        try requireTwoHSMs(cluster)
        guard TrustAnchor.normalized(trustAnchor) == TrustAnchor.normalized(cluster.trustAnchor) else {
            throw KMSError(.incorrectTrustAnchor,
                           "The trust anchor certificate is not the one of cluster \(clusterId). Give the customerCA.crt that was used to initialize this cluster (`cks sim trust-anchor \(clusterId)` prints it).")
        }
        return cluster
    }

    /// UpdateCustomKeyStore with a new cluster ID: it must share the store's cluster's backup history.
    func relatedCluster(_ clusterId: String, for store: KeyStoreRecord) throws -> ClusterRecord {
        let cluster = try existingCluster(clusterId)
        if let currentId = store.clusterId, let current = try tx.cluster(id: currentId), current.lineage != cluster.lineage {
            throw KMSError(.cloudHsmClusterNotRelated,
                           "Cluster \(clusterId) is not related to \(currentId): it does not share its backup history (cluster certificate). Use a cluster restored from a backup of \(currentId).")
        }
        if let user = try tx.keyStore(usingLineageOf: cluster, except: store.id), user.clusterId == cluster.id {
            throw KMSError(.cloudHsmClusterInUse, "Cluster \(clusterId) is already associated with custom key store \(user.name) (\(user.id)).")
        }
        try requireActive(cluster)
        try requireNetworkConfiguration(cluster)
        try requireTwoHSMs(cluster)
        return cluster
    }

    private func existingCluster(_ clusterId: String) throws -> ClusterRecord {
        guard let cluster = try tx.cluster(id: clusterId), cluster.state != .deleted else {
            throw KMSError(.cloudHsmClusterNotFound,
                           "No CloudHSM cluster has the ID \(clusterId) in this account and Region. List the clusters with `cks sim clusters` (or `aws cloudhsmv2 describe-clusters`).")
        }
        return cluster
    }

    private func requireActive(_ cluster: ClusterRecord) throws {
        guard cluster.state == .active else {
            throw KMSError(.cloudHsmClusterNotActive,
                           "Cluster \(cluster.id) is \(cluster.state.rawValue), not ACTIVE. Initialize and activate the cluster, then try again.")
        }
    }

    private func requireNetworkConfiguration(_ cluster: ClusterRecord) throws {
        guard cluster.sgRulesIntact else {
            throw KMSError(.cloudHsmClusterInvalidConfiguration,
                           "The security group \(cluster.securityGroup) of cluster \(cluster.id) lacks its self-referencing inbound and outbound rules for TCP ports 2223-2225. Restore them (`cks sim repair-security-group \(cluster.id)`).")
        }
        let zones = Set(try tx.subnets(ofCluster: cluster.id).map(\.availabilityZone))
        guard zones.count >= 2 else {
            throw KMSError(.cloudHsmClusterInvalidConfiguration,
                           "Cluster \(cluster.id) has private subnets in \(zones.count) Availability Zone(s); KMS needs at least 2.")
        }
    }

    private func requireTwoHSMs(_ cluster: ClusterRecord) throws {
        let zones = Set(try tx.hsms(ofCluster: cluster.id).filter { $0.state == .active }.map(\.availabilityZone))
        guard zones.count >= 2 else {
            throw KMSError(.cloudHsmClusterInvalidConfiguration,
                           "Cluster \(cluster.id) needs at least two active HSMs in different Availability Zones (it has them in \(zones.count)). Add an HSM (`cks sim add-hsm \(cluster.id) --az <zone>`).")
        }
    }
}

/// Comparison of PEM certificates that ignores line breaks and surrounding blanks.
enum TrustAnchor {
    static func normalized(_ pem: String) -> String {
        pem.filter { !$0.isWhitespace }
    }
}
