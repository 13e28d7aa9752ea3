import Foundation
import KeyStoreEngine

extension WorldTransaction {
    /// A cluster as the engine shows it, with its HSMs, subnets and kmsuser.
    func clusterView(_ cluster: ClusterRecord) throws -> CloudHSMCluster {
        let user = try kmsUser(ofCluster: cluster.id)
        return CloudHSMCluster(
            id: cluster.id, state: cluster.state, vpcId: cluster.vpcId, securityGroup: cluster.securityGroup,
            hsmType: cluster.hsmType,
            hsms: try hsms(ofCluster: cluster.id).map {
                CloudHSMCluster.HSM(id: $0.id, availabilityZone: $0.availabilityZone, subnetId: $0.subnetId, eniId: $0.eniId,
                                    eniIp: $0.eniIp, state: $0.state)
            },
            subnets: try subnets(ofCluster: cluster.id).filter { !$0.deleted }.map(Self.subnetView),
            createTimestamp: cluster.createdAt,
            trustAnchorCertificate: cluster.trustAnchor,
            kmsUser: CloudHSMCluster.CryptoUser(
                exists: user != nil, lockedOut: user?.locked ?? false, failedLogins: user?.failedLogins ?? 0,
                loggedInElsewhere: user?.loggedInElsewhere ?? false, loggedInByKMS: user?.loggedInByStore != nil,
                knownPassword: user.flatMap { $0.passwordKnown ? $0.password : nil }),
            securityGroupRulesIntact: cluster.sgRulesIntact,
            networkBlocked: cluster.networkBlocked,
            internalErrorPending: cluster.internalErrorPending,
            deletedSubnets: try subnets(ofCluster: cluster.id).filter(\.deleted).map(Self.subnetView)
        )
    }

    private static func subnetView(_ subnet: SubnetRecord) -> CloudHSMCluster.Subnet {
        CloudHSMCluster.Subnet(id: subnet.id, availabilityZone: subnet.availabilityZone, cidrBlock: subnet.cidrBlock,
                               freeAddresses: subnet.freeAddresses)
    }
}
