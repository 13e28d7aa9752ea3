import Foundation
import KeyStoreEngine

/// The simulator undoes the causes of ConnectionErrorCodes itself, for the console's guided repair, and tells
/// the printed fix the real IDs it names.
extension SimulatorService: SimulatedRepairs {
    public func repairContext(forKeyStore id: String) async throws(KMSError) -> RepairContext {
        try await read { tx in
            let store = try tx.requireKeyStore(id: id)
            if store.type == .externalKeyStore { return RepairContext(store: store.keyStore) }
            var context = RepairContext(storeId: store.id, clusterId: store.clusterId, password: Self.suggestedPassword())
            guard let clusterId = store.clusterId, let cluster = try tx.cluster(id: clusterId) else { return context }
            let subnets = try tx.subnets(ofCluster: clusterId)
            let deleted = subnets.first(where: \.deleted)
            if cluster.state == .deleted || deleted != nil {
                context.targetClusterId = try tx.nextRestoredClusterId(of: cluster)
            }
            context.subnetId = deleted?.id ?? subnets.first { !$0.deleted && $0.freeAddresses < 1 }?.id
            context.zones = try Self.zonesForNewHSMs(subnets: subnets, hsms: tx.hsms(ofCluster: clusterId))
            return context
        }
    }

    public func applyRepair(_ action: SimulatedRepairAction, context: RepairContext) async throws(KMSError) -> SimulatedRepairResult {
        if let result = try await applyXKSRepair(action, context: context) { return result }
        guard let clusterId = context.clusterId else {
            throw KMSError(.validation, "Store \(context.storeId) has no CloudHSM cluster: the simulator has nothing to repair.")
        }
        var result = context
        let description: String
        switch action {
        case .logoutKmsUser:
            description = try await apply(.logOutKmsUserElsewhere(clusterId: clusterId))
        case .resetKmsUser:
            let password = context.password ?? Self.suggestedPassword()
            description = try await apply(.resetKmsUser(clusterId: clusterId, password: password)) + " (\(password))"
            result.password = password
        case .addHSM:
            let zones = try await zonesLackingAnHSM(clusterId: clusterId, wanted: context.zones)
            var added: [String] = []
            for zone in zones { added.append(try await apply(.addHSM(clusterId: clusterId, availabilityZone: zone))) }
            description = added.isEmpty ? "Cluster \(clusterId) already has ACTIVE HSMs in two Availability Zones" : added.joined(separator: "; ")
        case .restoreCluster:
            let (text, newId) = try await write { tx in
                guard let source = try tx.cluster(id: clusterId) else {
                    throw KMSError(.notFound, "No cluster \(clusterId) in the simulated world. See `cks sim clusters`.")
                }
                let newId = try tx.nextRestoredClusterId(of: source)
                let text = try FaultApplier(tx: tx).apply(.restoreCluster(clusterId: clusterId))
                try tx.record(.worldChanged(description: text), keyStoreId: nil)
                return (text, newId)
            }
            description = text
            result.targetClusterId = newId
        case .freeSubnet:
            guard let subnetId = context.subnetId else {
                throw KMSError(.validation, "No subnet of cluster \(clusterId) is full. See `cks sim clusters`.")
            }
            description = try await apply(.freeSubnet(subnetId: subnetId, addresses: 10))
        case .unblockNetwork:
            let unblocked = try await apply(.unblockNetwork(clusterId: clusterId))
            description = unblocked + "; " + (try await apply(.repairSecurityGroup(clusterId: clusterId)))
        case .routeProxyHost, .clearProxyFaults, .reissueProxyCertificate, .useProxyCredential, .useProxyUriPath,
             .repairEndpointService:
            throw KMSError(.validation, "Store \(context.storeId) is an AWS CloudHSM key store: \(action.rawValue) repairs external key stores.")
        }
        return SimulatedRepairResult(description: description, context: result)
    }

    /// Up to two zones, from `wanted` first, where the cluster has a subnet but no ACTIVE HSM, so that it ends with
    /// ACTIVE HSMs in at least two zones.
    private func zonesLackingAnHSM(clusterId: String, wanted: [String]) async throws(KMSError) -> [String] {
        try await read { tx in
            let subnets = try tx.subnets(ofCluster: clusterId)
            let hsms = try tx.hsms(ofCluster: clusterId)
            let covered = Set(hsms.filter { $0.state == .active }.map(\.availabilityZone))
            let candidates = try Self.zonesForNewHSMs(subnets: subnets, hsms: hsms)
            let ordered = wanted.filter(candidates.contains) + candidates.filter { !wanted.contains($0) }
            return Array(ordered.filter { !covered.contains($0) }.prefix(max(0, 2 - covered.count)))
        }
    }

    /// The zones of the cluster's subnets, those without an ACTIVE HSM first.
    private static func zonesForNewHSMs(subnets: [SubnetRecord], hsms: [HSMRecord]) throws -> [String] {
        let covered = Set(hsms.filter { $0.state == .active }.map(\.availabilityZone))
        let zones = Set(subnets.filter { !$0.deleted }.map(\.availabilityZone)).sorted()
        return zones.filter { !covered.contains($0) } + zones.filter(covered.contains)
    }

    /// A password a person can type: 16 letters and digits.
    static func suggestedPassword() -> String {
        String(Identifier.password().prefix(16))
    }
}
