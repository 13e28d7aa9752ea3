import Foundation

/// A CloudHSM cluster as DescribeClusters shows it, with what the simulator also knows about it.
public struct CloudHSMCluster: Sendable, Hashable, Identifiable {
    /// The states of a cluster (`State` in DescribeClusters).
    public enum State: String, Sendable, Codable, CaseIterable, Hashable {
        case createInProgress = "CREATE_IN_PROGRESS"
        case uninitialized = "UNINITIALIZED"
        case initializeInProgress = "INITIALIZE_IN_PROGRESS"
        case initialized = "INITIALIZED"
        case active = "ACTIVE"
        case updateInProgress = "UPDATE_IN_PROGRESS"
        case modifyInProgress = "MODIFY_IN_PROGRESS"
        case rollbackInProgress = "ROLLBACK_IN_PROGRESS"
        case deleteInProgress = "DELETE_IN_PROGRESS"
        case deleted = "DELETED"
        case degraded = "DEGRADED"
    }

    public var id: String
    public var state: State
    public var vpcId: String
    public var securityGroup: String
    public var hsmType: String
    public var hsms: [HSM]
    public var subnets: [Subnet]
    public var createTimestamp: Date
    /// The PEM of the cluster's trust anchor (customerCA.crt), when known.
    public var trustAnchorCertificate: String?
    /// What the simulator knows of the cluster's `kmsuser`; nil on real AWS.
    public var kmsUser: CryptoUser?
    /// False when the cluster security group lacks its self-referencing TCP 2223-2225 rules (nil: unknown).
    public var securityGroupRulesIntact: Bool?
    /// True when traffic to the HSMs is blocked (`cks sim block-network`); nil: unknown (real AWS).
    public var networkBlocked: Bool?
    /// True when the next connect to the cluster meets a KMS internal error (`cks sim internal-error`); nil: unknown.
    public var internalErrorPending: Bool?
    /// Subnets of the cluster that were deleted (`cks sim delete-subnet`); empty when none or unknown.
    public var deletedSubnets: [Subnet]

    public init(
        id: String, state: State, vpcId: String, securityGroup: String, hsmType: String, hsms: [HSM],
        subnets: [Subnet], createTimestamp: Date, trustAnchorCertificate: String? = nil,
        kmsUser: CryptoUser? = nil, securityGroupRulesIntact: Bool? = nil, networkBlocked: Bool? = nil,
        internalErrorPending: Bool? = nil, deletedSubnets: [Subnet] = []
    ) {
        self.id = id
        self.state = state
        self.vpcId = vpcId
        self.securityGroup = securityGroup
        self.hsmType = hsmType
        self.hsms = hsms
        self.subnets = subnets
        self.createTimestamp = createTimestamp
        self.trustAnchorCertificate = trustAnchorCertificate
        self.kmsUser = kmsUser
        self.securityGroupRulesIntact = securityGroupRulesIntact
        self.networkBlocked = networkBlocked
        self.internalErrorPending = internalErrorPending
        self.deletedSubnets = deletedSubnets
    }

    public var activeHSMs: [HSM] { hsms.filter { $0.state == .active } }

    /// A hardware security module of the cluster.
    public struct HSM: Sendable, Hashable, Identifiable {
        public enum State: String, Sendable, Codable, CaseIterable, Hashable {
            case createInProgress = "CREATE_IN_PROGRESS"
            case active = "ACTIVE"
            case degraded = "DEGRADED"
            case deleteInProgress = "DELETE_IN_PROGRESS"
            case deleted = "DELETED"
        }

        public var id: String
        public var availabilityZone: String
        public var subnetId: String
        public var eniId: String
        public var eniIp: String
        public var state: State

        public init(id: String, availabilityZone: String, subnetId: String, eniId: String, eniIp: String, state: State) {
            self.id = id
            self.availabilityZone = availabilityZone
            self.subnetId = subnetId
            self.eniId = eniId
            self.eniIp = eniIp
            self.state = state
        }
    }

    /// A private subnet of the cluster (one per availability zone).
    public struct Subnet: Sendable, Hashable, Identifiable {
        public var id: String
        public var availabilityZone: String
        public var cidrBlock: String
        /// Free IP addresses, when known.
        public var freeAddresses: Int?

        public init(id: String, availabilityZone: String, cidrBlock: String, freeAddresses: Int?) {
            self.id = id
            self.availabilityZone = availabilityZone
            self.cidrBlock = cidrBlock
            self.freeAddresses = freeAddresses
        }
    }

    /// The cluster's crypto user `kmsuser`, as far as the simulator models it.
    public struct CryptoUser: Sendable, Hashable {
        public var name: String
        public var exists: Bool
        public var lockedOut: Bool
        public var failedLogins: Int
        /// Logged in by someone other than KMS (blocks KMS's login).
        public var loggedInElsewhere: Bool
        /// Logged in by KMS for a connected store.
        public var loggedInByKMS: Bool
        /// The password a cluster admin set and so knows; nil once KMS changed it at a connect (only KMS knows it).
        public var knownPassword: String?

        public init(name: String = "kmsuser", exists: Bool, lockedOut: Bool, failedLogins: Int,
                    loggedInElsewhere: Bool, loggedInByKMS: Bool, knownPassword: String? = nil) {
            self.name = name
            self.exists = exists
            self.lockedOut = lockedOut
            self.failedLogins = failedLogins
            self.loggedInElsewhere = loggedInElsewhere
            self.loggedInByKMS = loggedInByKMS
            self.knownPassword = knownPassword
        }
    }
}
