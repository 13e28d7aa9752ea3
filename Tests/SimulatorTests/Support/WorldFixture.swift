import Foundation
import GRDB
import KeyStoreEngine
import Simulator
import Synchronization
import Testing
import CKSTestSupport

/// The IDs of the seeded demo world (assets/demo-world.json).
enum Demo {
    /// CONNECTED, cluster-2payments7a (3 subnets, 3 HSMs).
    static let payments = "cks-1a2b3c4d5e6f70819"
    /// CONNECTED, cluster-3analytics4.
    static let analytics = "cks-2b3c4d5e6f7081920"
    /// DISCONNECTED and healthy, cluster-4ledgerarch (subnets in us-east-1a/b/c, HSMs in 1a and 1c).
    static let ledger = "cks-3c4d5e6f708192a3b"
    /// DISCONNECTED and healthy, cluster-5hrrecordsz (subnets in us-east-1b/c).
    static let hr = "cks-4d5e6f708192a3b4c"
    /// FAILED / INVALID_CREDENTIALS: the store has TokenVault2023, kmsuser has TokenVaultNew1.
    static let tokenization = "cks-5e6f708192a3b4c5d"
    /// FAILED / INSUFFICIENT_CLOUDHSM_HSMS: cluster-7signingkey has no HSM.
    static let signing = "cks-6f708192a3b4c5d6e"
    /// FAILED / USER_LOGGED_IN: kmsuser of cluster-2partnerexc is logged in elsewhere.
    static let partner = "cks-708192a3b4c5d6e7f"
    /// The external key stores (CONNECTED, DISCONNECTED, FAILED), newer than every CloudHSM one.
    static let ordersXKS = "cks-8192a3b4c5d6e7f80"
    static let crmXKSVPC = "cks-92a3b4c5d6e7f8091"
    static let billingXKS = "cks-a3b4c5d6e7f809122"
    static let storeCount = 10

    static let storeIds = [payments, analytics, ledger, hr, tokenization, signing, partner]

    enum Cluster {
        static let payments = "cluster-2payments7a"
        static let ledger = "cluster-4ledgerarch"
        static let hr = "cluster-5hrrecordsz"
        static let tokenization = "cluster-6tokenvault"
        static let signing = "cluster-7signingkey"
        static let partner = "cluster-2partnerexc"
        /// ACTIVE, no store, subnets in us-east-1a/b/c, HSMs in 1a and 1b, kmsuser password SpareCluster1.
        static let spare = "cluster-3sparecapac"
        static let uninitialized = "cluster-4newcluster"
    }

    static let ledgerPassword = "LedgerArchive9"
    static let sparePassword = "SpareCluster1"
    static let tokenizationClusterPassword = "TokenVaultNew1"
    static let account = "111122223333"
    static let region = "us-east-1"
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One simulated world in its own temporary folder, on a clock that moves only when told.
final class World: Sendable {
    let home: URL
    let clock: ManualClock
    let pace: WorkflowPace
    let service: SimulatorService

    /// A fresh world in a new temporary folder. Call `remove()` at the end of the test.
    init(pace: WorkflowPace = .demo, drive: Bool = false, seed: DemoWorld? = nil,
         clock: ManualClock = ManualClock(), usageFlushDelay: Duration = SimulatorService.defaultUsageFlushDelay,
         xksTimeout: Duration? = nil) throws {
        home = FileManager.default.temporaryDirectory.appending(path: "cks-simtests-\(UUID().uuidString)")
        self.clock = clock
        self.pace = pace
        service = try SimulatorService.open(home: home, clock: clock, pace: pace, drive: drive, seed: seed,
                                            usageFlushDelay: usageFlushDelay, xksTimeout: xksTimeout)
    }

    /// Another service on an existing folder (a second process, or the next command after a crash).
    init(home: URL, clock: ManualClock, pace: WorkflowPace = .demo, drive: Bool = false) throws {
        self.home = home
        self.clock = clock
        self.pace = pace
        service = try SimulatorService.open(home: home, clock: clock, pace: pace, drive: drive)
    }

    var file: URL { home.appending(path: "world.sqlite") }

    func remove() {
        service.close()
        try? FileManager.default.removeItem(at: home)
    }

    // MARK: Stores

    func store(_ id: String) async throws -> CustomKeyStore {
        let page = try await service.describeKeyStores(DescribeKeyStoresRequest(customKeyStoreId: id))
        guard let store = page.keyStores.first, page.keyStores.count == 1 else { throw TestFailure("no single store \(id)") }
        return store
    }

    func state(_ id: String) async throws -> ConnectionState {
        try await store(id).connectionState
    }

    func cluster(_ id: String) async throws -> CloudHSMCluster {
        guard let cluster = try await service.clusters().first(where: { $0.id == id }) else {
            throw TestFailure("no cluster \(id)")
        }
        return cluster
    }

    func trustAnchor(ofCluster id: String) async throws -> String {
        guard let pem = try await cluster(id).trustAnchorCertificate else { throw TestFailure("cluster \(id) has no trust anchor") }
        return pem
    }

    /// Creates a store on the spare cluster (no store yet) with kmsuser's real password.
    func createSpareStore(name: String = "spare-store") async throws -> String {
        try await service.createKeyStore(CreateKeyStoreRequest(
            name: name, cloudHsmClusterId: Demo.Cluster.spare,
            trustAnchorCertificate: try await trustAnchor(ofCluster: Demo.Cluster.spare),
            keyStorePassword: Demo.sparePassword))
    }

    /// Applies a fault and returns the clusters that exist afterwards but not before (restoreCluster).
    @discardableResult
    func apply(_ fault: WorldFault) async throws -> [CloudHSMCluster] {
        let before = Set(try await service.clusters().map(\.id))
        try await service.apply(fault)
        return try await service.clusters().filter { !before.contains($0.id) }
    }

    /// Restores a cluster from its backup and returns the new (related) cluster's ID.
    func restore(_ clusterId: String) async throws -> String {
        let new = try await apply(.restoreCluster(clusterId: clusterId))
        guard new.count == 1 else { throw TestFailure("restoreCluster made \(new.count) clusters") }
        return new[0].id
    }

    // MARK: Time

    /// Moves the clock and runs what became due.
    func advance(_ seconds: TimeInterval) async throws {
        clock.advance(by: seconds)
        try await service.catchUp()
    }

    /// Advances in small steps until the store leaves CONNECTING/DISCONNECTING (at most `limit` seconds).
    @discardableResult
    func settle(_ id: String, step: TimeInterval = 0.25, limit: TimeInterval = 120) async throws -> CustomKeyStore {
        var waited: TimeInterval = 0
        while true {
            let store = try await store(id)
            if !store.connectionState.isTransient { return store }
            guard waited < limit else { throw TestFailure("\(id) still \(store.connectionState.rawValue) after \(limit) s") }
            try await advance(step)
            waited += step
        }
    }

    @discardableResult
    func connectAndSettle(_ id: String) async throws -> CustomKeyStore {
        try await service.connectKeyStore(id: id)
        return try await settle(id)
    }

    @discardableResult
    func disconnectAndSettle(_ id: String) async throws -> CustomKeyStore {
        try await service.disconnectKeyStore(id: id)
        return try await settle(id)
    }

    /// Brings a store into `state` through the API only.
    /// FAILED comes from a connect meeting a blocked network (unblocked again afterwards).
    func bring(_ id: String, to state: ConnectionState) async throws {
        let clusterId = try await store(id).cloudHsmClusterId ?? ""
        switch state {
        case .disconnected:
            break
        case .connecting:
            try await service.connectKeyStore(id: id)
            try await advance(0.5)
        case .connected:
            try await connectAndSettle(id)
        case .disconnecting:
            try await connectAndSettle(id)
            try await service.disconnectKeyStore(id: id)
            try await advance(0.1)
        case .failed:
            try await service.apply(.blockNetwork(clusterId: clusterId))
            try await connectAndSettle(id)
            try await service.apply(.unblockNetwork(clusterId: clusterId))
        }
        let reached = try await self.state(id)
        guard reached == state else { throw TestFailure("wanted \(id) \(state.rawValue), got \(reached.rawValue)") }
    }

    // MARK: Events

    func history(_ id: String) async throws -> [KeyStoreEvent] {
        try await service.history(ofKeyStore: id)
    }

    /// The kinds of a store's events after `sequence`.
    func events(of id: String, after sequence: Int64) async throws -> [KeyStoreEvent] {
        try await history(id).filter { $0.sequence > sequence }
    }

    // MARK: The world file, read directly

    /// Rows of the network_interfaces and security_groups tables that belong to a store.
    func networkRows(ofKeyStore id: String) throws -> (interfaces: Int, groups: Int) {
        try readDatabase { db in
            let interfaces = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM network_interfaces WHERE key_store_id = ?", arguments: [id]) ?? -1
            let groups = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM security_groups WHERE key_store_id = ?", arguments: [id]) ?? -1
            return (interfaces, groups)
        }
    }

    /// Runs `body` on a read-only connection to the world file.
    func readDatabase<T>(_ body: (Database) throws -> T) throws -> T {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: file.path, configuration: configuration)
        return try queue.read(body)
    }
}

// MARK: - Expectations

/// Expects `body` to throw a KMSError with this exception name and message fragments (case-insensitive).
@discardableResult
func expectKMSError<T>(
    _ code: KMSError.Code, _ fragments: String..., sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> T
) async -> KMSError? {
    do {
        let value = try await body()
        Issue.record("Expected \(code.rawValue), but the call succeeded (\(value))", sourceLocation: sourceLocation)
        return nil
    } catch let error as KMSError {
        #expect(error.code == code, "Expected \(code.rawValue), got \(error)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(error.message.lowercased().contains(fragment.lowercased()),
                    "The message \"\(error.message)\" does not mention \"\(fragment)\"", sourceLocation: sourceLocation)
        }
        return error
    } catch {
        Issue.record("Expected KMSError \(code.rawValue), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

extension KeyStoreEvent.Kind {
    var stepFinished: (step: WorkflowStep, resource: StepResource?)? {
        if case let .stepFinished(step, resource) = self { return (step, resource) }
        return nil
    }

    var stepStarted: (step: WorkflowStep, subject: String?)? {
        if case let .stepStarted(step, subject) = self { return (step, subject) }
        return nil
    }

    var stepFailed: (step: WorkflowStep, code: ConnectionErrorCode, message: String)? {
        if case let .stepFailed(step, code, message) = self { return (step, code, message) }
        return nil
    }

    var stateChange: (from: ConnectionState, to: ConnectionState, code: ConnectionErrorCode?)? {
        if case let .connectionStateChanged(from, to, code) = self { return (from, to, code) }
        return nil
    }

    var keyStateChange: (keyId: String, from: KeyState, to: KeyState)? {
        if case let .keyStateChanged(keyId, from, to) = self { return (keyId, from, to) }
        return nil
    }
}

/// The security groups and network interfaces made and removed according to a store's events.
struct NetworkLedger {
    var created: [StepResource] = []
    var deleted: [StepResource] = []

    init(_ events: [KeyStoreEvent]) {
        for event in events {
            guard let (step, resource) = event.kind.stepFinished, let resource else { continue }
            switch step {
            case .createSecurityGroup, .createNetworkInterface: created.append(resource)
            case .deleteSecurityGroup, .deleteNetworkInterface: deleted.append(resource)
            default: break
            }
        }
    }

    /// Resources made but never removed.
    var leftOver: [String] {
        let gone = Set(deleted.map(\.id))
        return created.map(\.id).filter { !gone.contains($0) }
    }

    var createdInterfaces: [StepResource] { created.filter { $0.id.hasPrefix("eni-") } }
    var createdGroups: [StepResource] { created.filter { $0.id.hasPrefix("sg-") } }
}

// MARK: - Bounded waiting
/// A flag one task sets and another reads.
final class Flag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}


/// Runs `body`, failing with a TestFailure if it has not finished within `bound` of wall time.
/// The timeout only bounds the wait: nothing in the world depends on time passing.
func withTimeout<T: Sendable>(
    _ what: String, within bound: Duration = .testWaitBound, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: bound)
            throw TestFailure("timed out after \(bound): \(what)")
        }
        defer { group.cancelAll() }
        guard let result = try await group.next() else { throw TestFailure("no result: \(what)") }
        return result
    }
}

// MARK: - Custom worlds

/// A world description in the shape of assets/demo-world.json, for tests that need more clusters.
struct WorldSpec: Encodable {
    struct Cluster: Encodable {
        struct Subnet: Encodable { var availabilityZone: String; var cidrBlock: String; var freeAddresses: Int }
        struct HSM: Encodable { var availabilityZone: String; var state: String }
        struct KmsUser: Encodable { var password: String }
        var id: String
        var state = "ACTIVE"
        var hsmType = "hsm2m.medium"
        var lineage: String
        var createdDaysAgo: Double = 10
        var subnets: [Subnet]
        var hsms: [HSM]
        var kmsUser: KmsUser?
        var securityGroupRulesIntact = true
    }

    var accountId = Demo.account
    var region = Demo.region
    var trustAnchors: [String: String] = [:]
    var clusters: [Cluster] = []
    var keyStores: [String] = []

    /// `count` healthy ACTIVE clusters, each of its own lineage, with no store.
    static func healthyClusters(_ count: Int) -> WorldSpec {
        var spec = WorldSpec()
        for index in 0..<count {
            let id = clusterId(index)
            let lineage = "lineage\(index)"
            spec.trustAnchors[lineage] = "-----BEGIN CERTIFICATE-----\nTEST\(lineage.uppercased())\n-----END CERTIFICATE-----"
            spec.clusters.append(Cluster(
                id: id, lineage: lineage,
                subnets: ["us-east-1a", "us-east-1b"].enumerated().map {
                    .init(availabilityZone: $1, cidrBlock: "10.\(index).\($0 + 1).0/24", freeAddresses: 245)
                },
                hsms: [.init(availabilityZone: "us-east-1a", state: "ACTIVE"), .init(availabilityZone: "us-east-1b", state: "ACTIVE")],
                kmsUser: .init(password: "Password\(index)x")))
        }
        return spec
    }

    /// `cluster-` + 11 characters of [a-z2-7], distinct per index.
    static func clusterId(_ index: Int) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        return "cluster-testclust" + String(letters[index / 26]) + String(letters[index % 26])
    }

    var demoWorld: DemoWorld {
        get throws { try JSONDecoder().decode(DemoWorld.self, from: JSONEncoder().encode(self)) }
    }
}
