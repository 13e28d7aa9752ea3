import Foundation
import GRDB
import KeyStoreEngine

/// The steps of connecting a CloudHSM key store, in KMS's documented order, and where each can fail
/// (spec section 3.1 and section 8.3).
struct ConnectSteps {
    let tx: WorldTransaction
    let store: KeyStoreRecord
    let at: Date

    func run(_ step: WorkflowStep, subject: String?) throws -> StepOutcome {
        guard let clusterId = store.clusterId, var cluster = try tx.cluster(id: clusterId), cluster.state != .deleted else {
            return .failed(.clusterNotFound,
                           "KMS cannot find cluster \(store.clusterId ?? "?"): it was deleted or the ID is wrong.")
        }
        switch step {
        case .locateCluster:
            if cluster.internalErrorPending {
                cluster.internalErrorPending = false
                try cluster.update(tx.db)
                return .failed(.internalError, "KMS hit an internal error while connecting. Retry the connect.")
            }
            if let missing = try tx.subnets(ofCluster: clusterId).first(where: \.deleted) {
                return .failed(.subnetNotFound,
                               "Subnet \(missing.id) (\(missing.availabilityZone)) of cluster \(clusterId) no longer exists.")
            }
            return .next(.checkHSMs, subject: nil, resource: StepResource(id: cluster.id, name: cluster.vpcId))
        case .checkHSMs:
            let active = try tx.hsms(ofCluster: clusterId).filter { $0.state == .active }
            guard !active.isEmpty else {
                return .failed(.insufficientCloudHSMHSMs, "Cluster \(clusterId) has no active HSM.")
            }
            let zones = Set(active.map(\.availabilityZone)).sorted().joined(separator: ", ")
            let count = active.count == 1 ? "1 active HSM" : "\(active.count) active HSMs"
            return .next(.createSecurityGroup, subject: nil, resource: StepResource(id: count, availabilityZone: zones))
        case .createSecurityGroup:
            let group = try tx.securityGroup(ofKeyStore: store.id) ?? {
                let group = SecurityGroupRecord(id: Identifier.securityGroup(), name: "kms-\(store.id)", vpcId: cluster.vpcId,
                                                keyStoreId: store.id, clusterId: clusterId)
                try group.insert(tx.db)
                return group
            }()
            return try nextInterfaceOrConnect(resource: StepResource(id: group.id, name: group.name))
        case .createNetworkInterface:
            guard let subnetId = subject, let subnet = try SubnetRecord.fetchOne(tx.db, key: subnetId), !subnet.deleted else {
                return .failed(.subnetNotFound, "Subnet \(subject ?? "?") of cluster \(clusterId) no longer exists.")
            }
            guard subnet.freeAddresses >= 1 else {
                return .failed(.insufficientFreeAddressesInSubnet,
                               "Subnet \(subnet.id) (\(subnet.availabilityZone)) has no free IP address for KMS's network interface.")
            }
            let eni = try createNetworkInterface(in: subnet, clusterId: clusterId)
            return try nextInterfaceOrConnect(resource: StepResource(id: eni.id, availabilityZone: eni.availabilityZone,
                                                                     subnetId: eni.subnetId))
        case .connectToCluster:
            if cluster.networkBlocked || !cluster.sgRulesIntact {
                let why = cluster.networkBlocked
                    ? "the network path to the HSMs is blocked"
                    : "security group \(cluster.securityGroup) lacks its TCP 2223-2225 rules"
                return .failed(.networkErrors, "KMS cannot reach the HSMs of cluster \(clusterId): \(why).")
            }
            guard try tx.hsms(ofCluster: clusterId).contains(where: { $0.state == .active }) else {
                return .failed(.insufficientCloudHSMHSMs, "Cluster \(clusterId) has no active HSM.")
            }
            return .next(.logInKmsUser, subject: nil, resource: nil)
        case .logInKmsUser:
            return try logIn(clusterId: clusterId)
        case .rotatePassword:
            let password = Identifier.password()
            guard var user = try tx.kmsUser(ofCluster: clusterId) else {
                return .failed(.userNotFound, "kmsuser no longer exists in cluster \(clusterId).")
            }
            user.password = password
            user.passwordKnown = false
            try user.update(tx.db)
            var updated = store
            updated.password = password
            try updated.update(tx.db)
            return .finished(resource: nil, finalState: .connected)
        default:
            return .failed(.internalError, "Unexpected step \(step.rawValue) in a connect.")
        }
    }

    private func logIn(clusterId: String) throws -> StepOutcome {
        guard var user = try tx.kmsUser(ofCluster: clusterId) else {
            return .failed(.userNotFound, "Cluster \(clusterId) has no crypto user named kmsuser.")
        }
        if user.locked {
            return .failed(.userLockedOut, "kmsuser is locked out of cluster \(clusterId) after too many failed logins.")
        }
        if user.loggedInElsewhere || (user.loggedInByStore != nil && user.loggedInByStore != store.id) {
            return .failed(.userLoggedIn, "kmsuser is already logged in to cluster \(clusterId) elsewhere, so KMS cannot log in.")
        }
        guard user.password == store.password else {
            user.failedLogins += 1
            if user.failedLogins >= 5 { user.locked = true }
            try user.update(tx.db)
            return .failed(.invalidCredentials,
                           "The key store password is not kmsuser's password in cluster \(clusterId) (failed login \(user.failedLogins) of 5).")
        }
        user.failedLogins = 0
        user.loggedInByStore = store.id
        try user.update(tx.db)
        return .next(.rotatePassword, subject: nil, resource: nil)
    }

    /// The next subnet that still needs KMS's network interface, or the connection itself.
    private func nextInterfaceOrConnect(resource: StepResource) throws -> StepOutcome {
        guard let clusterId = store.clusterId else { return .next(.connectToCluster, subject: nil, resource: resource) }
        let covered = Set(try tx.networkInterfaces(ofKeyStore: store.id).map(\.subnetId))
        if let subnet = try tx.subnets(ofCluster: clusterId).first(where: { !covered.contains($0.id) }) {
            return .next(.createNetworkInterface, subject: subnet.id, resource: resource)
        }
        return .next(.connectToCluster, subject: nil, resource: resource)
    }

    private func createNetworkInterface(in subnet: SubnetRecord, clusterId: String) throws -> NetworkInterfaceRecord {
        guard let group = try tx.securityGroup(ofKeyStore: store.id) else {
            throw KMSError(.kmsInternal, "The security group of \(store.id) is missing.")
        }
        var updated = subnet
        updated.freeAddresses -= 1
        try updated.update(tx.db)
        let eni = NetworkInterfaceRecord(
            id: Identifier.networkInterface(), keyStoreId: store.id, subnetId: subnet.id,
            availabilityZone: subnet.availabilityZone, privateIp: Self.address(in: subnet),
            description: "KMS managed ENI for cluster \(clusterId)", securityGroupId: group.id)
        try eni.insert(tx.db)
        return eni
    }

    /// An address inside the subnet's block (`10.0.1.0/24` → `10.0.1.N`).
    static func address(in subnet: SubnetRecord) -> String {
        let base = subnet.cidrBlock.split(separator: "/").first.map(String.init) ?? "10.0.0.0"
        var octets = base.split(separator: ".").map(String.init)
        if octets.count == 4 { octets[3] = String(Int.random(in: 10...250)) }
        return octets.joined(separator: ".")
    }
}
