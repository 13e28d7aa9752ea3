import Foundation

/// What DescribeClusters says about a store's cluster before a connect: is it ACTIVE, how many HSMs are
/// ACTIVE in which Availability Zones. KMS makes the decision; this only tells the user what it will find.
public struct ConnectPreflight: Sendable, Hashable {
    /// Active HSMs in one Availability Zone.
    public struct ZoneCount: Sendable, Hashable {
        public var zone: String
        public var count: Int
        public init(zone: String, count: Int) {
            self.zone = zone
            self.count = count
        }
    }

    public var keyStoreId: String
    public var clusterId: String?
    /// Nil when the cluster was not found (or could not be asked about).
    public var clusterState: CloudHSMCluster.State?
    /// Active HSMs per Availability Zone, zones in order.
    public var activeHSMsByZone: [ZoneCount]
    /// Why the cluster could not be checked (no permission for cloudhsm:DescribeClusters, …).
    public var unavailableReason: String?

    public init(keyStoreId: String, clusterId: String?, clusterState: CloudHSMCluster.State?,
                activeHSMsByZone: [ZoneCount], unavailableReason: String? = nil) {
        self.keyStoreId = keyStoreId
        self.clusterId = clusterId
        self.clusterState = clusterState
        self.activeHSMsByZone = activeHSMsByZone
        self.unavailableReason = unavailableReason
    }

    /// The report for a cluster as DescribeClusters returned it (nil: not found).
    public init(keyStoreId: String, clusterId: String?, cluster: CloudHSMCluster?) {
        var counts: [String: Int] = [:]
        for hsm in cluster?.activeHSMs ?? [] { counts[hsm.availabilityZone, default: 0] += 1 }
        self.init(keyStoreId: keyStoreId, clusterId: clusterId, clusterState: cluster?.state,
                  activeHSMsByZone: counts.keys.sorted().map { ZoneCount(zone: $0, count: counts[$0]!) })
    }

    public var activeHSMCount: Int { activeHSMsByZone.reduce(0) { $0 + $1.count } }

    /// True when nothing here stops a connect: the cluster is ACTIVE with at least one active HSM.
    public var looksReady: Bool { clusterState == .active && activeHSMCount >= 1 }

    /// What may go wrong, in the words of the error KMS would give (empty when ready or unknown).
    public var problems: [String] {
        if unavailableReason != nil { return [] }
        guard let clusterId else { return ["The store has no CloudHSM cluster (an external key store?)."] }
        guard let clusterState else {
            return ["Cluster \(clusterId) was not found: the connect will end FAILED with CLUSTER_NOT_FOUND."]
        }
        var problems: [String] = []
        if clusterState != .active {
            problems.append("Cluster \(clusterId) is \(clusterState.rawValue), not ACTIVE: KMS will refuse the connect (CloudHsmClusterNotActiveException).")
        }
        if activeHSMCount == 0 {
            problems.append("Cluster \(clusterId) has no active HSM: the connect will end FAILED with INSUFFICIENT_CLOUDHSM_HSMS. Add an HSM first.")
        } else if activeHSMsByZone.count < 2 {
            problems.append("All active HSMs are in one Availability Zone; KMS recommends HSMs in at least two.")
        }
        return problems
    }

    /// `Cluster cluster-… ACTIVE: 2 active HSMs (us-east-1a: 1, us-east-1b: 1)`.
    public var summary: String {
        if let unavailableReason { return "Cluster \(clusterId ?? "-") could not be checked: \(unavailableReason)" }
        guard let clusterId else { return "No CloudHSM cluster to check." }
        guard let clusterState else { return "Cluster \(clusterId) not found." }
        let zones = activeHSMsByZone.map { "\($0.zone): \($0.count)" }.joined(separator: ", ")
        let count = activeHSMCount
        return "Cluster \(clusterId) \(clusterState.rawValue): \(count) active HSM\(count == 1 ? "" : "s")"
            + (zones.isEmpty ? "" : " (\(zones))")
    }
}
