import Foundation
import GRDB
import KeyStoreEngine

/// Column and date conventions shared by every table of the world.
protocol WorldRecord: Codable, FetchableRecord, PersistableRecord, Sendable {}

extension WorldRecord {
    static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
    static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }
    static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
}

struct WorldInfoRecord: WorldRecord {
    static let databaseTableName = "world"
    var id = 1
    var accountId: String
    var region: String
    var createdAt: Date
    /// The credentials `cks serve` accepts unless told otherwise.
    var accessKeyId: String
    var secretAccessKey: String
    /// Custom key stores of both types the account may have (10 unless raised, as the demo account is).
    var keyStoreQuota = KeyStoreValidation.maxKeyStores
}

struct ClusterRecord: WorldRecord {
    static let databaseTableName = "clusters"
    var id: String
    var state: CloudHSMCluster.State
    var vpcId: String
    var securityGroup: String
    var sgRulesIntact: Bool
    var networkBlocked: Bool
    var internalErrorPending: Bool
    var hsmType: String
    /// Clusters restored from one backup share it (their ClusterCertificate): "related" clusters.
    var lineage: String
    var trustAnchor: String
    var sourceBackupId: String?
    var createdAt: Date
}

struct SubnetRecord: WorldRecord {
    static let databaseTableName = "subnets"
    var id: String
    var clusterId: String
    var availabilityZone: String
    var cidrBlock: String
    var freeAddresses: Int
    var deleted: Bool
}

struct HSMRecord: WorldRecord {
    static let databaseTableName = "hsms"
    var id: String
    var clusterId: String
    var availabilityZone: String
    var subnetId: String
    var eniId: String
    var eniIp: String
    var state: CloudHSMCluster.HSM.State
}

/// The cluster's `kmsuser`; no row means the user does not exist.
struct KmsUserRecord: WorldRecord {
    static let databaseTableName = "kms_users"
    var clusterId: String
    var password: String
    var locked: Bool
    var failedLogins: Int
    var loggedInElsewhere: Bool
    var loggedInByStore: String?
    /// False once KMS changed the password at a connect: then only KMS knows it.
    var passwordKnown = true
}

struct KeyStoreRecord: WorldRecord {
    static let databaseTableName = "key_stores"
    var id: String
    var name: String
    var type: CustomKeyStoreType
    var clusterId: String?
    var trustAnchor: String?
    /// What KMS believes kmsuser's password is (rotated on every connect).
    var password: String
    var state: ConnectionState
    var errorCode: ConnectionErrorCode?
    var createdAt: Date
    // External key stores only (nil for CloudHSM stores).
    var xksConnectivity: XKSProxyConnectivity? = nil
    var xksUriEndpoint: String? = nil
    var xksUriPath: String? = nil
    var xksAccessKeyId: String? = nil
    /// KMS keeps the raw secret to sign proxy requests; it never returns it.
    var xksSecret: String? = nil
    var xksVpcServiceName: String? = nil
    var xksVpcServiceOwner: String? = nil
    /// The next connect meets a KMS internal error (`cks sim xks-internal-error`), for stores without a cluster.
    var internalErrorPending = false

    var keyStore: CustomKeyStore {
        CustomKeyStore(id: id, name: name, type: type, cloudHsmClusterId: clusterId, trustAnchorCertificate: trustAnchor,
                       xksProxyConfiguration: xksProxyConfiguration, connectionState: state, connectionErrorCode: errorCode,
                       creationDate: createdAt)
    }
}

struct SecurityGroupRecord: WorldRecord {
    static let databaseTableName = "security_groups"
    var id: String
    var name: String
    var vpcId: String
    var keyStoreId: String
    var clusterId: String
}

struct NetworkInterfaceRecord: WorldRecord {
    static let databaseTableName = "network_interfaces"
    var id: String
    var keyStoreId: String
    var subnetId: String
    var availabilityZone: String
    var privateIp: String
    var description: String
    var securityGroupId: String
}

struct KeyRecord: WorldRecord {
    static let databaseTableName = "kms_keys"
    var id: String
    var arn: String
    /// Nil for an ordinary KMS key (Origin AWS_KMS).
    var keyStoreId: String?
    var clusterId: String?
    var description: String
    /// Enabled, Disabled or PendingDeletion: the state the key returns to when its store is connected.
    var ownState: KeyState
    var createdAt: Date
    var deletionDate: Date?
    var keyMaterial: Data
}

struct KeyUsageRecord: WorldRecord {
    static let databaseTableName = "key_usage"
    var id: Int64?
    var keyId: String
    var operation: String
    var time: Date
}

/// A connect or disconnect in progress: the step that completes at `dueAt`.
struct WorkflowRecord: WorldRecord {
    static let databaseTableName = "workflows"
    var keyStoreId: String
    var kind: WorkflowKind
    var step: WorkflowStep
    /// The subnet (creating an ENI) or network interface (deleting one) the step works on.
    var subject: String?
    var dueAt: Date
    var startedAt: Date
    var pace: WorkflowPace
}

struct EventRecord: WorldRecord {
    static let databaseTableName = "events"
    var sequence: Int64?
    var time: Date
    var keyStoreId: String?
    var kind: String

    func event() throws -> KeyStoreEvent {
        let decoded = try JSONDecoder().decode(KeyStoreEvent.Kind.self, from: Data(kind.utf8))
        return KeyStoreEvent(sequence: sequence ?? 0, time: time, keyStoreId: keyStoreId, kind: decoded)
    }
}
