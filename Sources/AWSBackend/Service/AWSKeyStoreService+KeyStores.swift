import Foundation
import KeyStoreEngine

extension AWSKeyStoreService {
    public func describeKeyStores(_ request: DescribeKeyStoresRequest) async throws(KMSError) -> KeyStorePage {
        let stamp = nextStamp()
        do {
            let page = try await kms.describeCustomKeyStores(request)
            let complete = request.customKeyStoreId == nil && request.customKeyStoreName == nil
                && request.marker == nil && page.nextMarker == nil
            let changed = observe(page.keyStores, stamp: stamp, complete: complete)
            await refreshKeys(ofKeyStores: changed)
            return page
        } catch {
            if error.code == .customKeyStoreNotFound, let id = request.customKeyStoreId { observeGone(id, stamp: stamp) }
            throw error
        }
    }

    public func connectKeyStore(id: String) async throws(KMSError) {
        try await kms.connectCustomKeyStore(id: id)
        accepted(.connect, keyStoreId: id)
    }

    public func disconnectKeyStore(id: String) async throws(KMSError) {
        try await kms.disconnectCustomKeyStore(id: id)
        accepted(.disconnect, keyStoreId: id)
    }

    public func createKeyStore(_ request: CreateKeyStoreRequest) async throws(KMSError) -> String {
        let id = try await kms.createCustomKeyStore(request)
        let stamp = nextStamp()
        // New stores start DISCONNECTED; an idempotent create returns a store already known.
        if known[id] == nil, isFresh(id, stamp: stamp) {
            let store = CustomKeyStore(id: id, name: request.name, type: request.type,
                                       cloudHsmClusterId: request.cloudHSM?.cloudHsmClusterId,
                                       trustAnchorCertificate: request.cloudHSM?.trustAnchorCertificate,
                                       xksProxyConfiguration: request.external?.configuration(defaultOwner: backend.accountId),
                                       connectionState: .disconnected, creationDate: clock.now())
            known[id] = ObservedStore(store: store, stamp: stamp)
            log.append([SnapshotDiff.Change(keyStoreId: id, kind: .keyStoreCreated(name: request.name))], at: clock.now())
        }
        return id
    }

    public func updateKeyStore(_ request: UpdateKeyStoreRequest) async throws(KMSError) {
        let id = request.customKeyStoreId
        let before = known[id]?.store
        try await kms.updateCustomKeyStore(request)
        var changes: [String] = []
        if let name = request.newName, name != before?.name {
            changes.append(before.map { "name \($0.name) → \(name)" } ?? "name → \(name)")
        }
        if let cluster = request.cloudHsmClusterId, cluster != before?.cloudHsmClusterId {
            changes.append("cluster \(before?.cloudHsmClusterId ?? "-") → \(cluster)")
        }
        if request.keyStorePassword != nil { changes.append("key store password") }
        let stamp = nextStamp()
        if var observed = known[id], isFresh(id, stamp: stamp) {
            if let name = request.newName { observed.store.name = name }
            if let cluster = request.cloudHsmClusterId { observed.store.cloudHsmClusterId = cluster }
            observed.stamp = stamp
            known[id] = observed
        }
        log.append([SnapshotDiff.Change(keyStoreId: id, kind: .keyStoreUpdated(changes: changes.isEmpty ? ["nothing changed"] : changes))],
                   at: clock.now())
    }

    public func deleteKeyStore(id: String) async throws(KMSError) {
        try await kms.deleteCustomKeyStore(id: id)
        let stamp = nextStamp()
        if known[id] == nil, isFresh(id, stamp: stamp) {
            log.append([SnapshotDiff.Change(keyStoreId: id, kind: .keyStoreDeleted(name: id))], at: clock.now())
        }
        observeGone(id, stamp: stamp)
    }

    public func clusters() async throws(KMSError) -> [CloudHSMCluster] {
        try await cloudHSM.describeClusters()
    }

    /// Before a connect: whether the store's cluster is ACTIVE and how many HSMs are active in which zones.
    /// Never throws for the cluster itself: a refused DescribeClusters is reported in the result.
    public func connectPreflight(keyStoreId idOrName: String) async throws(KMSError) -> ConnectPreflight {
        await connectPreflight(for: try await keyStore(idOrName: idOrName))
    }

    /// The preflight of a store already described.
    public func connectPreflight(for store: CustomKeyStore) async -> ConnectPreflight {
        guard let clusterId = store.cloudHsmClusterId else {
            return ConnectPreflight(keyStoreId: store.id, clusterId: nil, cluster: nil)
        }
        do {
            let clusters = try await cloudHSM.describeClusters(clusterIds: [clusterId])
            return ConnectPreflight(keyStoreId: store.id, clusterId: clusterId, cluster: clusters.first { $0.id == clusterId })
        } catch {
            if error.code.rawValue == "CloudHsmResourceNotFoundException" {
                return ConnectPreflight(keyStoreId: store.id, clusterId: clusterId, cluster: nil)
            }
            return ConnectPreflight(keyStoreId: store.id, clusterId: clusterId, clusterState: nil, activeHSMsByZone: [],
                                    unavailableReason: "\(error.code.rawValue): \(error.message)")
        }
    }
}
