import KeyStoreEngine

/// What the store table says about a store's cluster, from the clusters the console has loaded: the HSM count
/// (ACTIVE HSMs, as `cks list` and the detail count them) and a warning when the cluster cannot serve the store.
enum ClusterFacts {
    /// The ACTIVE HSMs of the store's cluster; nil when the store has no cluster or it is not loaded.
    static func hsmCount(_ store: CustomKeyStore, _ clusters: [String: CloudHSMCluster]) -> Int? {
        store.cloudHsmClusterId.flatMap { clusters[$0] }.map { $0.activeHSMs.count }
    }

    /// `cluster DELETED`, `no ACTIVE HSM`, `cluster not found`: what is wrong with the cluster of a store that does
    /// not say so itself (a FAILED store has its error code). Nil when the clusters are not loaded.
    static func warning(_ store: CustomKeyStore, _ clusters: [String: CloudHSMCluster]) -> String? {
        guard store.connectionState != .failed, let id = store.cloudHsmClusterId, !clusters.isEmpty else { return nil }
        guard let cluster = clusters[id] else { return "cluster not found" }
        if cluster.state == .deleted { return "cluster DELETED" }
        if cluster.activeHSMs.isEmpty { return "no ACTIVE HSM" }
        return nil
    }

    /// The warning as the state column shows it after the badge.
    static func warningText(_ warning: String, glyphs: Glyphs) -> String {
        "  " + glyphs.warning + " " + warning
    }
}
