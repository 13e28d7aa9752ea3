import Foundation
import KeyStoreEngine

extension DemoWorld {
    /// A world of `storeCount` DISCONNECTED stores, each on its own healthy two-AZ cluster with two keys.
    /// For benchmarks and scale tests: it ignores the quota of 10 stores, as a seeded world may.
    public static func synthetic(storeCount: Int) -> DemoWorld {
        let anchor = standard.trustAnchors.values.sorted().first ?? ""
        var clusters: [Cluster] = []
        var stores: [KeyStore] = []
        for index in 0..<storeCount {
            var ids = StableIdentifiers(seed: "synthetic-\(index)")
            let clusterId = "cluster-" + ids.base32(11)
            let lineage = "synthetic-\(index)"
            clusters.append(Cluster(
                id: clusterId, state: .active, hsmType: "hsm2m.medium", lineage: lineage, createdDaysAgo: 30,
                subnets: [Cluster.Subnet(availabilityZone: "us-east-1a", cidrBlock: "10.0.1.0/24", freeAddresses: 245),
                          Cluster.Subnet(availabilityZone: "us-east-1b", cidrBlock: "10.0.2.0/24", freeAddresses: 245)],
                hsms: [Cluster.HSM(availabilityZone: "us-east-1a", state: .active), Cluster.HSM(availabilityZone: "us-east-1b", state: .active)],
                kmsUser: Cluster.KmsUser(password: "SyntheticPass1", locked: nil, loggedInElsewhere: nil),
                securityGroupRulesIntact: true))
            stores.append(KeyStore(
                id: "cks-" + ids.hex(17), name: String(format: "store-%05d", index), clusterId: clusterId, state: .disconnected,
                errorCode: nil, failedStep: nil, password: "SyntheticPass1", createdDaysAgo: Double(storeCount - index) / 100,
                lastChangeMinutesAgo: 60,
                keys: [KeyStore.Key(description: "key 1", state: .enabled, createdDaysAgo: 1, deletionInDays: nil, usage: []),
                       KeyStore.Key(description: "key 2", state: .disabled, createdDaysAgo: 1, deletionInDays: nil, usage: [])]))
        }
        let lineages = Dictionary(uniqueKeysWithValues: clusters.map { ($0.lineage, anchor) })
        return DemoWorld(accountId: "111122223333", region: "us-east-1", trustAnchors: lineages, clusters: clusters, keyStores: stores)
    }
}
