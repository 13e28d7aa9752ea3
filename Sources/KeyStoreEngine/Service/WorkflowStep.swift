/// One step of a connect or disconnect workflow, in the order KMS documents.
public enum WorkflowStep: String, Sendable, Codable, CaseIterable, Hashable {
    // Connect
    case locateCluster
    case checkHSMs
    case createSecurityGroup
    case createNetworkInterface
    case connectToCluster
    case logInKmsUser
    case rotatePassword
    // Connect (external key store)
    case checkEndpointService
    case createVpcEndpoint
    case createHostedZone
    case checkProxyHealth
    // Disconnect
    case logOutKmsUser
    case deleteNetworkInterface
    case deleteSecurityGroup
    case disconnectFromCluster
    // Disconnect (external key store)
    case disconnectFromProxy
    case deleteHostedZone
    case deleteVpcEndpoint

    /// What a person reads while the step runs.
    public var title: String {
        switch self {
        case .locateCluster: "Locate the CloudHSM cluster"
        case .checkHSMs: "Check the cluster's HSMs"
        case .createSecurityGroup: "Create security group"
        case .createNetworkInterface: "Create network interface"
        case .connectToCluster: "Connect to the cluster"
        case .logInKmsUser: "Log in as kmsuser"
        case .rotatePassword: "Rotate the kmsuser password"
        case .logOutKmsUser: "Log out kmsuser"
        case .deleteNetworkInterface: "Delete network interface"
        case .deleteSecurityGroup: "Delete security group"
        case .disconnectFromCluster: "Disconnect from the cluster"
        case .checkEndpointService: "Check the VPC endpoint service and its private DNS name"
        case .createVpcEndpoint: "Create interface VPC endpoint"
        case .createHostedZone: "Create private hosted zone"
        case .checkProxyHealth: "Send GetHealthStatus to the proxy"
        case .disconnectFromProxy: "Disconnect from the proxy"
        case .deleteHostedZone: "Delete private hosted zone"
        case .deleteVpcEndpoint: "Delete interface VPC endpoint"
        }
    }
}

/// Which workflow a step belongs to.
public enum WorkflowKind: String, Sendable, Codable, Hashable {
    case connect
    case disconnect
}
