import Assets
import Foundation
import GRDB
import KeyStoreEngine

/// The world a fresh simulator starts from (assets/demo-world.json): clusters, stores in every state,
/// keys with a usage history. Times are relative to the moment of seeding, so the demo always looks fresh.
public struct DemoWorld: Sendable, Decodable {
    struct Cluster: Sendable, Decodable {
        struct Subnet: Sendable, Decodable { var availabilityZone: String; var cidrBlock: String; var freeAddresses: Int }
        struct HSM: Sendable, Decodable { var availabilityZone: String; var state: CloudHSMCluster.HSM.State }
        struct KmsUser: Sendable, Decodable {
            var password: String
            var locked: Bool?
            var loggedInElsewhere: Bool?
        }
        var id: String
        var state: CloudHSMCluster.State
        var hsmType: String
        var lineage: String
        var createdDaysAgo: Double
        var subnets: [Subnet]
        var hsms: [HSM]
        var kmsUser: KmsUser?
        var securityGroupRulesIntact: Bool
    }

    struct KeyStore: Sendable, Decodable {
        struct Key: Sendable, Decodable {
            struct Use: Sendable, Decodable { var operation: String; var minutesAgo: Double }
            var description: String
            var state: KeyState
            var createdDaysAgo: Double
            var deletionInDays: Double?
            var usage: [Use]
        }
        var id: String
        var name: String
        var clusterId: String
        var state: ConnectionState
        var errorCode: ConnectionErrorCode?
        var failedStep: WorkflowStep?
        var password: String
        var createdDaysAgo: Double
        var lastChangeMinutesAgo: Double
        var keys: [Key]
    }

    var accountId: String
    var region: String
    var trustAnchors: [String: String]
    var clusters: [Cluster]
    var keyStores: [KeyStore]
    /// Raised above the default 10 in the demo account, so a newcomer can create stores beside the demo's.
    var keyStoreQuota: Int? = nil
    var externalKeyStores: [ExternalKeyStore]? = nil

    /// The demo world compiled into the binary.
    public static var standard: DemoWorld {
        guard let data = Assets.data("demo-world.json"), let world = try? JSONDecoder().decode(DemoWorld.self, from: data) else {
            return DemoWorld(accountId: "111122223333", region: "us-east-1", trustAnchors: [:], clusters: [], keyStores: [])
        }
        return world
    }

    /// A world with no stores and no clusters (tests build what they need).
    public static let empty = DemoWorld(accountId: "111122223333", region: "us-east-1", trustAnchors: [:], clusters: [], keyStores: [])

    /// Writes the world into an empty database.
    func seed(into db: Database, now: Date) throws -> WorldInfoRecord {
        let info = WorldInfoRecord(accountId: accountId, region: region, createdAt: now,
                                   accessKeyId: Identifier.accessKeyId(), secretAccessKey: Identifier.secretAccessKey(),
                                   keyStoreQuota: keyStoreQuota ?? KeyStoreValidation.maxKeyStores)
        try info.insert(db)
        let tx = WorldTransaction(db: db, now: now)
        for cluster in clusters { try seed(cluster, tx: tx) }
        for store in keyStores { try seed(store, tx: tx, info: info) }
        for store in externalKeyStores ?? [] { try seedExternal(store, tx: tx, info: info) }
        return info
    }

    private func seed(_ cluster: Cluster, tx: WorldTransaction) throws {
        var ids = StableIdentifiers(seed: cluster.id)
        let vpc = "vpc-" + ids.hex(17)
        try ClusterRecord(
            id: cluster.id, state: cluster.state, vpcId: vpc, securityGroup: "sg-" + ids.hex(17),
            sgRulesIntact: cluster.securityGroupRulesIntact, networkBlocked: false, internalErrorPending: false,
            hsmType: cluster.hsmType, lineage: cluster.lineage, trustAnchor: trustAnchors[cluster.lineage] ?? "",
            sourceBackupId: nil, createdAt: tx.now.addingTimeInterval(-cluster.createdDaysAgo * 86_400)
        ).insert(tx.db)
        var subnetByZone: [String: SubnetRecord] = [:]
        for subnet in cluster.subnets {
            let record = SubnetRecord(id: "subnet-" + ids.hex(17), clusterId: cluster.id, availabilityZone: subnet.availabilityZone,
                                      cidrBlock: subnet.cidrBlock, freeAddresses: subnet.freeAddresses, deleted: false)
            try record.insert(tx.db)
            subnetByZone[subnet.availabilityZone] = record
        }
        for hsm in cluster.hsms {
            guard let subnet = subnetByZone[hsm.availabilityZone] else { continue }
            try HSMRecord(id: "hsm-" + ids.base32(11), clusterId: cluster.id, availabilityZone: hsm.availabilityZone,
                          subnetId: subnet.id, eniId: "eni-" + ids.hex(17), eniIp: ConnectSteps.address(in: subnet), state: hsm.state)
                .insert(tx.db)
        }
        if let user = cluster.kmsUser {
            try KmsUserRecord(clusterId: cluster.id, password: user.password, locked: user.locked ?? false, failedLogins: 0,
                              loggedInElsewhere: user.loggedInElsewhere ?? false, loggedInByStore: nil).insert(tx.db)
        }
    }

    private func seed(_ store: KeyStore, tx: WorldTransaction, info: WorldInfoRecord) throws {
        var ids = StableIdentifiers(seed: store.id)
        let created = tx.now.addingTimeInterval(-store.createdDaysAgo * 86_400)
        let changed = tx.now.addingTimeInterval(-store.lastChangeMinutesAgo * 60)
        let cluster = try tx.cluster(id: store.clusterId)
        var record = KeyStoreRecord(id: store.id, name: store.name, type: .awsCloudHSM, clusterId: store.clusterId,
                                    trustAnchor: cluster?.trustAnchor, password: store.password, state: .disconnected,
                                    errorCode: nil, createdAt: created)
        try record.insert(tx.db)
        try tx.record(.keyStoreCreated(name: store.name), keyStoreId: store.id, at: created)

        for key in store.keys {
            let keyId = ids.uuid()
            try KeyRecord(id: keyId, arn: "arn:aws:kms:\(info.region):\(info.accountId):key/\(keyId)", keyStoreId: store.id,
                          clusterId: store.clusterId, description: key.description, ownState: key.state,
                          createdAt: tx.now.addingTimeInterval(-key.createdDaysAgo * 86_400),
                          deletionDate: key.deletionInDays.map { tx.now.addingTimeInterval($0 * 86_400) },
                          keyMaterial: Data((0..<32).map { _ in UInt8.random(in: 0...255) })).insert(tx.db)
            for use in key.usage {
                try KeyUsageRecord(id: nil, keyId: keyId, operation: use.operation,
                                   time: tx.now.addingTimeInterval(-use.minutesAgo * 60)).insert(tx.db)
            }
        }
        guard store.state != .disconnected else { return }

        // The last connect, as it happened.
        try tx.record(.workflowStarted(.connect), keyStoreId: store.id, at: changed)
        try tx.setConnectionState(&record, to: .connecting, at: changed)
        switch store.state {
        case .connected:
            try makeNetworkResources(for: record, ids: &ids, tx: tx)
            if var user = try tx.kmsUser(ofCluster: store.clusterId) {
                user.loggedInByStore = store.id
                user.passwordKnown = false
                try user.update(tx.db)
            }
            try tx.setConnectionState(&record, to: .connected, at: changed.addingTimeInterval(8))
        case .failed:
            let code = store.errorCode ?? .internalError
            if code == .invalidCredentials, var user = try tx.kmsUser(ofCluster: store.clusterId) {
                user.failedLogins = 1
                try user.update(tx.db)
            }
            let step = store.failedStep ?? .locateCluster
            try tx.record(.stepFailed(step, errorCode: code, message: TroubleshootingCatalogue.standard.entry(for: code)?.title ?? code.rawValue),
                          keyStoreId: store.id, at: changed.addingTimeInterval(5))
            try tx.setConnectionState(&record, to: .failed, errorCode: code, at: changed.addingTimeInterval(5))
        default:
            break
        }
    }

    private func makeNetworkResources(for store: KeyStoreRecord, ids: inout StableIdentifiers, tx: WorldTransaction) throws {
        guard let clusterId = store.clusterId, let cluster = try tx.cluster(id: clusterId) else { return }
        let group = SecurityGroupRecord(id: "sg-" + ids.hex(17), name: "kms-\(store.id)", vpcId: cluster.vpcId,
                                        keyStoreId: store.id, clusterId: clusterId)
        try group.insert(tx.db)
        for var subnet in try tx.subnets(ofCluster: clusterId) {
            try NetworkInterfaceRecord(id: "eni-" + ids.hex(17), keyStoreId: store.id, subnetId: subnet.id,
                                       availabilityZone: subnet.availabilityZone, privateIp: ConnectSteps.address(in: subnet),
                                       description: "KMS managed ENI for cluster \(clusterId)", securityGroupId: group.id).insert(tx.db)
            subnet.freeAddresses -= 1
            try subnet.update(tx.db)
        }
    }
}

/// Identifiers derived from a seed, so the demo world has the same IDs on every machine.
struct StableIdentifiers {
    private var state: UInt64

    init(seed: String) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in seed.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        state = hash
    }

    private mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    mutating func hex(_ count: Int) -> String { pick(count, from: Array("0123456789abcdef")) }
    mutating func base32(_ count: Int) -> String { pick(count, from: Array("abcdefghijklmnopqrstuvwxyz234567")) }

    mutating func uuid() -> String {
        let h = hex(32)
        let c = Array(h)
        return "\(String(c[0..<8]))-\(String(c[8..<12]))-4\(String(c[13..<16]))-a\(String(c[17..<20]))-\(String(c[20..<32]))"
    }

    private mutating func pick(_ count: Int, from alphabet: [Character]) -> String {
        String((0..<count).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] })
    }
}
