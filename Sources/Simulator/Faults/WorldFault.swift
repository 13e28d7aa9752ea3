import Foundation
import KeyStoreEngine

/// A change a user makes to the simulated world, the way things break (and get repaired) in a real account.
/// Each CloudHSM ConnectionErrorCode is reachable through one of these.
public enum WorldFault: Sendable, Hashable {
    /// The cluster is deleted (→ CLUSTER_NOT_FOUND).
    case deleteCluster(clusterId: String)
    /// A new ACTIVE cluster restored from the latest backup of `clusterId`: related, same trust anchor and kmsuser.
    case restoreCluster(clusterId: String)
    /// Every HSM of the cluster, or one, is deleted (→ INSUFFICIENT_CLOUDHSM_HSMS).
    case removeHSM(clusterId: String, hsmId: String?)
    case addHSM(clusterId: String, availabilityZone: String)
    /// A subnet of the cluster is deleted (→ SUBNET_NOT_FOUND).
    case deleteSubnet(subnetId: String)
    /// Every address of a subnet is taken (→ INSUFFICIENT_FREE_ADDRESSES_IN_SUBNET).
    case fillSubnet(subnetId: String)
    case freeSubnet(subnetId: String, addresses: Int)
    /// The cluster security group loses its TCP 2223-2225 rules (Connect: CloudHsmClusterInvalidConfigurationException;
    /// during a connect: NETWORK_ERRORS).
    case breakSecurityGroup(clusterId: String)
    case repairSecurityGroup(clusterId: String)
    /// Traffic to the HSMs is blocked (→ NETWORK_ERRORS).
    case blockNetwork(clusterId: String)
    case unblockNetwork(clusterId: String)
    /// The kmsuser crypto user is deleted (→ USER_NOT_FOUND).
    case deleteKmsUser(clusterId: String)
    /// Someone logs in as kmsuser with the CloudHSM CLI (→ USER_LOGGED_IN).
    case logInKmsUserElsewhere(clusterId: String)
    case logOutKmsUserElsewhere(clusterId: String)
    /// kmsuser's password is changed in the cluster (→ INVALID_CREDENTIALS).
    case setKmsUserPassword(clusterId: String, password: String)
    /// kmsuser is locked after failed logins (→ USER_LOCKED_OUT).
    case lockKmsUser(clusterId: String)
    /// kmsuser exists, unlocked, logged out, with this password.
    case resetKmsUser(clusterId: String, password: String)
    /// The next connect on the cluster meets a KMS internal error (→ INTERNAL_ERROR).
    case injectInternalError(clusterId: String)
    /// The next connect of a store (any type; the way for external key stores) meets a KMS internal error.
    case injectKeyStoreInternalError(keyStoreId: String)
    /// Connections to an XKS proxy host go to `target` (`cks sim xks-route`); replaces the host's route.
    case routeXKSHost(host: String, target: XKSRouteTarget)
    /// The host no longer resolves (→ XKS_PROXY_NOT_REACHABLE).
    case unrouteXKSHost(host: String)
    /// A VPC endpoint service breaks KMS's requirements (→ XKS_VPC_ENDPOINT_SERVICE_NOT_FOUND / _INVALID_CONFIGURATION).
    case breakEndpointService(name: String, fault: XKSEndpointServiceFault)
    case repairEndpointService(name: String)
}

extension SimulatorService {
    /// Applies a fault to the world and returns what changed, for people. Faults never move a store's
    /// state themselves: the next connect finds them, as in KMS.
    @discardableResult
    public func apply(_ fault: WorldFault) async throws(KMSError) -> String {
        try await write { tx in
            let description = try FaultApplier(tx: tx).apply(fault)
            try tx.record(.worldChanged(description: description), keyStoreId: nil)
            return description
        }
    }
}

struct FaultApplier {
    let tx: WorldTransaction

    func apply(_ fault: WorldFault) throws -> String {
        switch fault {
        case let .deleteCluster(id):
            var cluster = try cluster(id)
            cluster.state = .deleted
            try cluster.update(tx.db)
            try tx.db.execute(sql: "UPDATE hsms SET state = 'DELETED' WHERE cluster_id = ?", arguments: [id])
            return "Deleted cluster \(id)"
        case let .restoreCluster(id):
            return try restore(try cluster(id))
        case let .removeHSM(id, hsmId):
            _ = try cluster(id)
            let hsms = try tx.hsms(ofCluster: id).filter { $0.state != .deleted && (hsmId == nil || $0.id == hsmId) }
            guard !hsms.isEmpty else { throw notFound("HSM \(hsmId ?? "") in cluster \(id)") }
            for var hsm in hsms {
                hsm.state = .deleted
                try hsm.update(tx.db)
            }
            return "Deleted \(hsms.map(\.id).joined(separator: ", ")) from cluster \(id)"
        case let .addHSM(id, zone):
            let cluster = try cluster(id)
            guard cluster.state != .deleted else {
                throw KMSError(.cloudHsmClusterNotFound,
                               "Cluster \(id) is DELETED: it cannot take an HSM. Restore it from its latest backup (`cks sim restore-cluster \(id)`) and add HSMs to the new cluster that makes.")
            }
            guard let subnet = try tx.subnets(ofCluster: id).first(where: { $0.availabilityZone == zone && !$0.deleted }) else {
                let zones = try tx.subnets(ofCluster: id).filter { !$0.deleted }.map(\.availabilityZone).joined(separator: ", ")
                throw KMSError(.validation, "Cluster \(id) has no subnet in \(zone). Choose one of: \(zones).")
            }
            let hsm = HSMRecord(id: Identifier.hsm(), clusterId: id, availabilityZone: zone, subnetId: subnet.id,
                                eniId: Identifier.networkInterface(), eniIp: ConnectSteps.address(in: subnet), state: .active)
            try hsm.insert(tx.db)
            return "Added \(hsm.id) to cluster \(id) in \(zone)"
        case let .deleteSubnet(subnetId):
            var subnet = try subnet(subnetId)
            subnet.deleted = true
            try subnet.update(tx.db)
            return "Deleted \(subnetId) (\(subnet.availabilityZone)) of cluster \(subnet.clusterId)"
        case let .fillSubnet(subnetId):
            var subnet = try subnet(subnetId)
            subnet.freeAddresses = 0
            try subnet.update(tx.db)
            return "Filled \(subnetId): no free address left"
        case let .freeSubnet(subnetId, addresses):
            var subnet = try subnet(subnetId)
            subnet.freeAddresses += max(addresses, 1)
            try subnet.update(tx.db)
            return "Freed addresses in \(subnetId): \(subnet.freeAddresses) free"
        case let .breakSecurityGroup(id), let .repairSecurityGroup(id):
            var cluster = try cluster(id)
            let broken: Bool
            if case .breakSecurityGroup = fault { broken = true } else { broken = false }
            cluster.sgRulesIntact = !broken
            try cluster.update(tx.db)
            return broken ? "Removed the TCP 2223-2225 rules of \(cluster.securityGroup) (cluster \(id))"
                : "Restored the TCP 2223-2225 rules of \(cluster.securityGroup) (cluster \(id))"
        case let .blockNetwork(id), let .unblockNetwork(id):
            var cluster = try cluster(id)
            let blocked: Bool
            if case .blockNetwork = fault { blocked = true } else { blocked = false }
            cluster.networkBlocked = blocked
            try cluster.update(tx.db)
            return blocked ? "Blocked network traffic to the HSMs of cluster \(id)" : "Unblocked network traffic to cluster \(id)"
        case let .deleteKmsUser(id):
            _ = try cluster(id)
            guard let user = try tx.kmsUser(ofCluster: id) else { throw notFound("kmsuser in cluster \(id)") }
            try requireNotHeldByKMS(user)
            try user.delete(tx.db)
            return "Deleted kmsuser from cluster \(id)"
        case let .logInKmsUserElsewhere(id), let .logOutKmsUserElsewhere(id):
            var user = try kmsUser(id)
            let loggedIn: Bool
            if case .logInKmsUserElsewhere = fault { loggedIn = true } else { loggedIn = false }
            if loggedIn { try requireNotHeldByKMS(user) }
            user.loggedInElsewhere = loggedIn
            try user.update(tx.db)
            return loggedIn ? "kmsuser logged in to cluster \(id) from the CloudHSM CLI" : "kmsuser logged out of cluster \(id) (CloudHSM CLI session)"
        case let .setKmsUserPassword(id, password):
            try KeyStoreValidation.validatePassword(password)
            var user = try kmsUser(id)
            try requireNotHeldByKMS(user)
            guard !user.loggedInElsewhere else {
                throw KMSError(.kmsInvalidState, "kmsuser is logged in to cluster \(id); a logged-in user's password cannot be changed. Log it out first (`cks sim logout-kmsuser \(id)`).")
            }
            user.password = password
            user.passwordKnown = true
            try user.update(tx.db)
            return "Changed kmsuser's password in cluster \(id)"
        case let .lockKmsUser(id):
            var user = try kmsUser(id)
            user.locked = true
            user.failedLogins = max(user.failedLogins, 5)
            try user.update(tx.db)
            return "kmsuser is locked out of cluster \(id)"
        case let .resetKmsUser(id, password):
            try KeyStoreValidation.validatePassword(password)
            _ = try cluster(id)
            if let user = try tx.kmsUser(ofCluster: id) { try requireNotHeldByKMS(user) }
            try KmsUserRecord(clusterId: id, password: password, locked: false, failedLogins: 0, loggedInElsewhere: false,
                              loggedInByStore: nil).save(tx.db)
            return "kmsuser of cluster \(id) exists, unlocked and logged out, with a new password"
        case let .injectInternalError(id):
            var cluster = try cluster(id)
            cluster.internalErrorPending = true
            try cluster.update(tx.db)
            return "The next connect to cluster \(id) will meet a KMS internal error"
        case let .injectKeyStoreInternalError(id):
            var store = try tx.requireKeyStore(id: id)
            store.internalErrorPending = true
            try store.update(tx.db)
            return "The next connect of \(store.name) (\(id)) will meet a KMS internal error"
        case let .routeXKSHost(host, target):
            let host = try XKSRoute.normalizedHost(host)
            try XKSRouteRecord(host: host, target: target.description).save(tx.db)
            return target == .embedded ? "Routed \(host) to the embedded XKS proxy" : "Routed \(host) to \(target)"
        case let .unrouteXKSHost(host):
            let host = try XKSRoute.normalizedHost(host)
            guard try XKSRouteRecord.deleteOne(tx.db, key: host) else {
                throw KMSError(.notFound, "The world has no route for \(host). See `cks sim xks-routes`.")
            }
            return "Removed the route of \(host): it no longer resolves"
        case let .breakEndpointService(name, fault):
            try KeyStoreValidation.validateXksProxyVpcEndpointServiceName(name, field: "endpoint service")
            try XKSEndpointServiceFaultRecord(name: name, fault: fault).save(tx.db)
            return "VPC endpoint service \(name): \(fault.explanation(service: name, region: try tx.info().region))"
        case let .repairEndpointService(name):
            guard try XKSEndpointServiceFaultRecord.deleteOne(tx.db, key: name) else {
                return "VPC endpoint service \(name) already meets KMS's requirements"
            }
            return "VPC endpoint service \(name) exists and meets KMS's requirements again"
        }
    }

    private func restore(_ source: ClusterRecord) throws -> String {
        let id = try tx.nextRestoredClusterId(of: source)
        let backup = Identifier.backup()
        let vpc = Identifier.vpc()
        try ClusterRecord(id: id, state: .active, vpcId: vpc, securityGroup: Identifier.securityGroup(), sgRulesIntact: true,
                          networkBlocked: false, internalErrorPending: false, hsmType: source.hsmType, lineage: source.lineage,
                          trustAnchor: source.trustAnchor, sourceBackupId: backup, createdAt: tx.now).insert(tx.db)
        let zones = Set(try tx.subnets(ofCluster: source.id).map(\.availabilityZone)).sorted()
        for (index, zone) in (zones.count >= 2 ? zones : ["us-east-1a", "us-east-1b"]).enumerated() {
            let subnet = SubnetRecord(id: Identifier.subnet(), clusterId: id, availabilityZone: zone,
                                      cidrBlock: "10.\(100 + Int.random(in: 0...99)).\(index + 1).0/24", freeAddresses: 245, deleted: false)
            try subnet.insert(tx.db)
            try HSMRecord(id: Identifier.hsm(), clusterId: id, availabilityZone: zone, subnetId: subnet.id,
                          eniId: Identifier.networkInterface(), eniIp: ConnectSteps.address(in: subnet), state: .active).insert(tx.db)
        }
        if let user = try tx.kmsUser(ofCluster: source.id) {
            try KmsUserRecord(clusterId: id, password: user.password, locked: false, failedLogins: 0, loggedInElsewhere: false,
                              loggedInByStore: nil, passwordKnown: user.passwordKnown).insert(tx.db)
        }
        return "Restored \(backup) of cluster \(source.id) as new cluster \(id) (related: same backup history)"
    }

    private func cluster(_ id: String) throws -> ClusterRecord {
        guard let cluster = try tx.cluster(id: id) else { throw notFound("cluster \(id)") }
        return cluster
    }

    private func subnet(_ id: String) throws -> SubnetRecord {
        guard let subnet = try SubnetRecord.fetchOne(tx.db, key: id), !subnet.deleted else { throw notFound("subnet \(id)") }
        return subnet
    }

    private func kmsUser(_ clusterId: String) throws -> KmsUserRecord {
        _ = try cluster(clusterId)
        guard let user = try tx.kmsUser(ofCluster: clusterId) else {
            throw notFound("kmsuser in cluster \(clusterId) (create it with `cks sim reset-kmsuser \(clusterId) --password …`)")
        }
        return user
    }

    private func requireNotHeldByKMS(_ user: KmsUserRecord) throws {
        if let store = user.loggedInByStore {
            throw KMSError(.kmsInvalidState, "KMS is logged in as kmsuser for connected store \(store); nobody else can change kmsuser until it is disconnected (`cks disconnect \(store)`).")
        }
    }

    private func notFound(_ what: String) -> KMSError {
        KMSError(.notFound, "No \(what) in the simulated world. See `cks sim clusters`.")
    }
}
