import Foundation

/// What the repair of a ConnectionErrorCode does between the disconnect and the connect. The catalogue
/// names it per code, so the console's guided repair, the printed fix and the tests read one description.
public struct RepairPath: Sendable, Hashable, Codable {
    /// The shape of the repair, after the disconnect and before the connect.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Nothing stays broken: connect again.
        case retry
        /// Nothing to change in KMS: fix the cause where it is (the cluster, the network, the proxy), then connect.
        case fixOutsideKMS
        /// Change a setting of the store in KMS (`storeField`), after fixing the cause outside KMS when there is one.
        case editStore
    }

    public var kind: Kind
    /// The store setting to change; only for `.editStore`.
    public var storeField: StoreField?
    /// The simulator action that undoes the cause, when the simulator can undo it.
    public var simulatorAction: SimulatedRepairAction?

    public init(kind: Kind, storeField: StoreField? = nil, simulatorAction: SimulatedRepairAction? = nil) {
        self.kind = kind
        self.storeField = storeField
        self.simulatorAction = simulatorAction
    }

    /// What a person reads as the middle of the repair ("fix it in the cluster, then connect").
    public var summary: String {
        switch kind {
        case .retry: "nothing to change: connect again"
        case .fixOutsideKMS: "nothing in KMS: fix it in the cluster, then connect"
        case .editStore:
            (simulatorAction == nil ? "" : "fix it in the cluster, then ") + "change the store's \(storeField?.title ?? "settings")"
        }
    }
}

/// A setting of a custom key store that a repair changes.
public enum StoreField: String, Sendable, Hashable, Codable, CaseIterable {
    /// KeyStorePassword: kmsuser's password as KMS knows it.
    case password
    /// CloudHsmClusterId: a related cluster (one restored from a backup of the store's cluster).
    case clusterId
    /// XksProxyUriPath of an external key store.
    case xksProxyUriPath
    /// XksProxyAuthenticationCredential of an external key store.
    case xksProxyAuthenticationCredential
    /// XksProxyUriEndpoint of an external key store (changes only while DISCONNECTED, as a repair leaves it).
    case xksProxyUriEndpoint

    public var title: String {
        switch self {
        case .password: "kmsuser password"
        case .clusterId: "CloudHSM cluster"
        case .xksProxyUriPath: "proxy URI path"
        case .xksProxyAuthenticationCredential: "proxy authentication credential"
        case .xksProxyUriEndpoint: "proxy URI endpoint"
        }
    }
}

/// A change to the simulated world that undoes the cause of a ConnectionErrorCode. The raw value is the
/// `cks sim` command that makes it.
public enum SimulatedRepairAction: String, Sendable, Hashable, Codable, CaseIterable {
    case logoutKmsUser = "logout-kmsuser"
    case resetKmsUser = "reset-kmsuser"
    case addHSM = "add-hsm"
    case restoreCluster = "restore-cluster"
    case freeSubnet = "free-subnet"
    case unblockNetwork = "unblock-network"
    // External key stores
    /// Route the store's proxy host to the embedded proxy (the host did not resolve).
    case routeProxyHost = "xks-route"
    /// Clear the faults of the embedded proxy (stopped, slow, refusing, answering garbage, key managers down).
    case clearProxyFaults = "xks-proxy-fault-clear"
    /// Make the embedded proxy serve a fresh, valid certificate from the cks CA for its hosts.
    case reissueProxyCertificate = "xks-proxy-certificate"
    /// Read the credential the proxy accepts for the store's URI path, for UpdateCustomKeyStore.
    case useProxyCredential = "xks-proxy-credential"
    /// Read the URI path of the proxy's logical key store that accepts the store's credential.
    case useProxyUriPath = "xks-proxy-uri-path"
    /// Repair the store's VPC endpoint service (it exists and meets KMS's requirements again).
    case repairEndpointService = "xks-endpoint-service-clear"

    /// Whether the action finds a value the store must be told next (a password, a restored cluster, the proxy's
    /// credential or URI path). The others fix the cause where it is and leave the store's settings right as they are.
    public var findsStoreSetting: Bool {
        switch self {
        case .resetKmsUser, .restoreCluster, .useProxyCredential, .useProxyUriPath: true
        case .logoutKmsUser, .addHSM, .freeSubnet, .unblockNetwork, .routeProxyHost, .clearProxyFaults,
             .reissueProxyCertificate, .repairEndpointService: false
        }
    }

    /// The `cks sim` commands that make this change, with the context's values.
    public func commandLine(_ context: RepairContext) -> String {
        let cluster = context.clusterId ?? "<cluster>"
        return switch self {
        case .logoutKmsUser: "cks sim logout-kmsuser \(cluster)"
        case .resetKmsUser: "cks sim reset-kmsuser \(cluster) --password \(context.password ?? "<password>")"
        case .addHSM: context.zones.prefix(2).map { "cks sim add-hsm \(cluster) --az \($0)" }.joined(separator: "; ")
        case .restoreCluster: "cks sim restore-cluster \(cluster)"
        case .freeSubnet: "cks sim free-subnet \(context.subnetId ?? "<subnet>")"
        case .unblockNetwork: "cks sim unblock-network \(cluster); cks sim repair-security-group \(cluster)"
        case .routeProxyHost: "cks sim xks-route \(context.xksHost ?? "<host>") embedded"
        case .clearProxyFaults: "cks xks-proxy fault clear"
        case .reissueProxyCertificate: "cks xks-proxy fault clear certificate"
        case .useProxyCredential: "cks xks-proxy status (its credential for \(context.xksUriPath ?? "<uri-path>"))"
        case .useProxyUriPath: "cks xks-proxy status (the path of \(context.xksCredential?.accessKeyId ?? context.xksAccessKeyId ?? "<access-key-id>"))"
        case .repairEndpointService: "cks sim xks-endpoint-service \(context.vpcEndpointServiceName ?? "<endpoint-service>") clear"
        }
    }

    /// What the action does, in a sentence that fits a confirmation.
    public var title: String {
        switch self {
        case .logoutKmsUser: "Log kmsuser out of the cluster (the CloudHSM CLI session that holds it ends)"
        case .resetKmsUser: "Give kmsuser a new password you know, unlocked and logged out (create it if missing)"
        case .addHSM: "Add ACTIVE HSMs in two Availability Zones of the cluster"
        case .restoreCluster: "Restore the cluster from its latest backup as a new, related cluster"
        case .freeSubnet: "Free addresses in the full subnet"
        case .unblockNetwork: "Lift the network block and restore the security group's TCP 2223-2225 rules"
        case .routeProxyHost: "Route the proxy's host name to the proxy cks runs (it resolves again)"
        case .clearProxyFaults: "Clear the proxy's faults (listening, fast, accepting the credential, healthy key managers)"
        case .reissueProxyCertificate: "Have the proxy serve a valid certificate from the cks CA for its host name"
        case .useProxyCredential: "Look up the credential the proxy accepts, to give it to the store"
        case .useProxyUriPath: "Look up the URI path the proxy serves for the store's credential, to give it to the store"
        case .repairEndpointService: "Repair the VPC endpoint service so that it exists and meets KMS's requirements"
        }
    }
}
