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
            subnets: try subnets(ofCluster: cluster.id).filter { !$0.deleted }.map {
                CloudHSMCluster.Subnet(id: $0.id, availabilityZone: $0.availabilityZone, cidrBlock: $0.cidrBlock,
                                       freeAddresses: $0.freeAddresses)
            },
            createTimestamp: cluster.createdAt,
            trustAnchorCertificate: cluster.trustAnchor,
            kmsUser: CloudHSMCluster.CryptoUser(
                exists: user != nil, lockedOut: user?.locked ?? false, failedLogins: user?.failedLogins ?? 0,
                loggedInElsewhere: user?.loggedInElsewhere ?? false, loggedInByKMS: user?.loggedInByStore != nil),
            securityGroupRulesIntact: cluster.sgRulesIntact
        )
    }
}
