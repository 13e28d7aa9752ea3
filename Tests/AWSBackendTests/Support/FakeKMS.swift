import AWSBackend
import Foundation
import KeyStoreEngine
import Synchronization

/// An in-memory KMS (and CloudHSMv2) behind `HTTPTransport`: stores whose states the test sets, keys,
/// clusters, injected error answers, and a gate that holds DescribeCustomKeyStores answers so a test can see
/// whether two are ever in flight at once.
final class FakeKMS: HTTPTransport {
    struct Request: Sendable {
        var target: String
        var body: JSONValue
        var headers: [(name: String, value: String)]
    }

    private struct State {
        var stores: [CustomKeyStore] = []
        var keys: [KMSKey] = []
        var clusters: [CloudHSMCluster] = []
        var requests: [Request] = []
        var injected: [String: [HTTPResponseData]] = [:]
        var describesInFlight = 0
        var maxDescribesInFlight = 0
        var holdDescribes = false
        var held: [CheckedContinuation<Void, Never>] = []
        /// What Connect and Disconnect move a store to.
        var connectTo: ConnectionState = .connecting
        var disconnectTo: ConnectionState = .disconnecting
    }

    private let state = Mutex(State())

    init(stores: [CustomKeyStore] = [], keys: [KMSKey] = [], clusters: [CloudHSMCluster] = []) {
        state.withLock {
            $0.stores = stores
            $0.keys = keys
            $0.clusters = clusters
        }
    }

    // MARK: Test controls

    var requests: [Request] { state.withLock { $0.requests } }
    func count(_ operation: String) -> Int { state.withLock { $0.requests.filter { $0.target.hasSuffix(".\(operation)") }.count } }
    var maxDescribesInFlight: Int { state.withLock { $0.maxDescribesInFlight } }
    var heldDescribes: Int { state.withLock { $0.held.count } }

    func setState(_ id: String, _ connectionState: ConnectionState, code: ConnectionErrorCode? = nil) {
        state.withLock { state in
            guard let index = state.stores.firstIndex(where: { $0.id == id }) else { return }
            state.stores[index].connectionState = connectionState
            state.stores[index].connectionErrorCode = connectionState == .failed ? code : nil
        }
    }

    func rename(_ id: String, to name: String) {
        state.withLock { state in
            guard let index = state.stores.firstIndex(where: { $0.id == id }) else { return }
            state.stores[index].name = name
        }
    }

    func add(_ store: CustomKeyStore) { state.withLock { $0.stores.append(store) } }
    func remove(_ id: String) { state.withLock { $0.stores.removeAll { $0.id == id } } }

    func setKeyState(_ keyId: String, _ keyState: KeyState) {
        state.withLock { state in
            guard let index = state.keys.firstIndex(where: { $0.id == keyId }) else { return }
            state.keys[index].keyState = keyState
        }
    }

    /// The next answers to `operation` (before the normal one), in order.
    func inject(_ operation: String, _ responses: HTTPResponseData...) {
        state.withLock { $0.injected[operation, default: []] += responses }
    }

    func holdDescribes(_ hold: Bool) {
        let released: [CheckedContinuation<Void, Never>] = state.withLock { state in
            state.holdDescribes = hold
            guard !hold else { return [] }
            defer { state.held = [] }
            return state.held
        }
        for continuation in released { continuation.resume() }
    }

    // MARK: Transport

    func send(_ request: HTTPRequestData) async throws(TransportError) -> HTTPResponseData {
        let target = request.header("X-Amz-Target") ?? ""
        let body = (try? JSONValue.parse(Data(request.body))) ?? .object([])
        let operation = String(target.split(separator: ".").last ?? "")
        let injected: HTTPResponseData? = state.withLock { state in
            state.requests.append(Request(target: target, body: body, headers: request.headers))
            guard var queue = state.injected[operation], !queue.isEmpty else { return nil }
            let first = queue.removeFirst()
            state.injected[operation] = queue
            return first
        }
        if let injected { return injected }
        if operation == "DescribeCustomKeyStores" { return await describe(body) }
        return answer(operation, body)
    }

    private func describe(_ body: JSONValue) async -> HTTPResponseData {
        let hold: Bool = state.withLock { state in
            state.describesInFlight += 1
            state.maxDescribesInFlight = max(state.maxDescribesInFlight, state.describesInFlight)
            return state.holdDescribes
        }
        if hold {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    guard state.holdDescribes else { return true }
                    state.held.append(continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
        let response = answer("DescribeCustomKeyStores", body)
        state.withLock { $0.describesInFlight -= 1 }
        return response
    }

    private func answer(_ operation: String, _ body: JSONValue) -> HTTPResponseData {
        state.withLock { state in
            switch operation {
            case "DescribeCustomKeyStores":
                var stores = state.stores
                if let id = body["CustomKeyStoreId"]?.stringValue {
                    stores = stores.filter { $0.id == id }
                    if stores.isEmpty { return Self.error("CustomKeyStoreNotFoundException", "No store \(id).") }
                }
                if let name = body["CustomKeyStoreName"]?.stringValue {
                    stores = stores.filter { $0.name == name }
                    if stores.isEmpty { return Self.error("CustomKeyStoreNotFoundException", "No store named \(name).") }
                }
                let start = body["Marker"]?.stringValue.flatMap(Int.init) ?? 0
                let limit = body["Limit"]?.intValue ?? 1000
                let page = Array(stores.dropFirst(start).prefix(limit))
                var fields: [(String, JSONValue)] = [("CustomKeyStores", .array(page.map(\.apiJSON)))]
                let more = start + limit < stores.count
                if more { fields.append(("NextMarker", .string(String(start + limit)))) }
                fields.append(("Truncated", .bool(more)))
                return Self.ok(.object(fields))
            case "ConnectCustomKeyStore", "DisconnectCustomKeyStore":
                let id = body["CustomKeyStoreId"]?.stringValue ?? ""
                guard let index = state.stores.firstIndex(where: { $0.id == id }) else {
                    return Self.error("CustomKeyStoreNotFoundException", "No store \(id).")
                }
                let target = operation == "ConnectCustomKeyStore" ? state.connectTo : state.disconnectTo
                if operation == "ConnectCustomKeyStore", state.stores[index].connectionState == .failed {
                    return Self.error("CustomKeyStoreInvalidStateException", "Disconnect it first.")
                }
                if !(operation == "ConnectCustomKeyStore" && state.stores[index].connectionState == .connected) {
                    state.stores[index].connectionState = target
                    state.stores[index].connectionErrorCode = nil
                }
                return Self.ok(.object([]))
            case "ListKeys":
                let start = body["Marker"]?.stringValue.flatMap(Int.init) ?? 0
                let limit = body["Limit"]?.intValue ?? 100
                let page = Array(state.keys.dropFirst(start).prefix(limit))
                var fields: [(String, JSONValue)] = [("Keys", .array(page.map { .object([("KeyId", .string($0.id)), ("KeyArn", .string($0.arn))]) }))]
                let more = start + limit < state.keys.count
                if more { fields.append(("NextMarker", .string(String(start + limit)))) }
                fields.append(("Truncated", .bool(more)))
                return Self.ok(.object(fields))
            case "DescribeKey":
                let id = body["KeyId"]?.stringValue ?? ""
                guard let key = state.keys.first(where: { $0.id == id || $0.arn == id }) else {
                    return Self.error("NotFoundException", "Key '\(id)' does not exist")
                }
                return Self.ok(.object([("KeyMetadata", key.keyMetadataJSON(accountId: "111122223333"))]))
            case "DescribeClusters":
                var clusters = state.clusters
                if let ids = body["Filters"]?["clusterIds"]?.arrayValue?.compactMap(\.stringValue) {
                    clusters = clusters.filter { ids.contains($0.id) }
                }
                return Self.ok(.object([("Clusters", .array(clusters.map(\.apiJSON)))]))
            case "CreateKey":
                let storeId = body["CustomKeyStoreId"]?.stringValue
                let store = state.stores.first { $0.id == storeId }
                var key = Fixture.key(state.keys.count + 1, store: store)
                key.description = body["Description"]?.stringValue ?? ""
                if body["Origin"]?.stringValue == "EXTERNAL_KEY_STORE" {
                    key.cloudHsmClusterId = nil
                    key.xksKeyId = body["XksKeyId"]?.stringValue
                }
                state.keys.append(key)
                return Self.ok(.object([("KeyMetadata", key.keyMetadataJSON(accountId: "111122223333"))]))
            case "DeleteCustomKeyStore":
                let id = body["CustomKeyStoreId"]?.stringValue ?? ""
                state.stores.removeAll { $0.id == id }
                return Self.ok(.object([]))
            case "UpdateCustomKeyStore":
                let id = body["CustomKeyStoreId"]?.stringValue ?? ""
                if let index = state.stores.firstIndex(where: { $0.id == id }), let name = body["NewCustomKeyStoreName"]?.stringValue {
                    state.stores[index].name = name
                }
                return Self.ok(.object([]))
            default:
                return Self.error("UnknownOperationException", "No \(operation).")
            }
        }
    }

    static func ok(_ json: JSONValue) -> HTTPResponseData {
        HTTPResponseData(status: 200, headers: [(name: "Content-Type", value: "application/x-amz-json-1.1")], body: Array(json.compact.utf8))
    }

    static func error(_ type: String, _ message: String, status: Int = 400) -> HTTPResponseData {
        HTTPResponseData(status: status, headers: [(name: "Content-Type", value: "application/x-amz-json-1.1")],
                         body: Array(JSONValue.object([("__type", .string(type)), ("message", .string(message))]).compact.utf8))
    }
}

/// Stores, keys and clusters for the fakes.
enum Fixture {
    static let created = Date(timeIntervalSince1970: 1_700_000_000)

    static func store(_ number: Int, _ state: ConnectionState = .disconnected, code: ConnectionErrorCode? = nil) -> CustomKeyStore {
        CustomKeyStore(id: String(format: "cks-%017x", number), name: "store-\(number)",
                       cloudHsmClusterId: "cluster-\(number)abcdefghij", trustAnchorCertificate: nil,
                       connectionState: state, connectionErrorCode: code,
                       creationDate: created.addingTimeInterval(Double(number)))
    }

    /// A public external key store.
    static func xksStore(_ number: Int, _ state: ConnectionState = .disconnected, path: String = "/example/kms/xks/v1") -> CustomKeyStore {
        CustomKeyStore(id: String(format: "cks-%017x", number), name: "xks-\(number)", type: .externalKeyStore,
                       cloudHsmClusterId: nil, trustAnchorCertificate: nil,
                       xksProxyConfiguration: XKSProxyConfiguration(connectivity: .publicEndpoint, accessKeyId: "ABCDEFGHIJKLMNOPQRST",
                                                                    uriEndpoint: "https://xks\(number).example.com", uriPath: path),
                       connectionState: state, creationDate: created.addingTimeInterval(Double(number)))
    }

    static func key(_ number: Int, store: CustomKeyStore?, state: KeyState = .enabled) -> KMSKey {
        let id = String(format: "00000000-0000-4000-8000-%012d", number)
        return KMSKey(id: id, arn: "arn:aws:kms:us-east-1:111122223333:key/\(id)", customKeyStoreId: store?.id,
                      cloudHsmClusterId: store?.cloudHsmClusterId, description: "key \(number)", keyState: state,
                      creationDate: created.addingTimeInterval(Double(number)))
    }

    static func cluster(_ id: String, state: CloudHSMCluster.State = .active, hsmZones: [String]) -> CloudHSMCluster {
        CloudHSMCluster(
            id: id, state: state, vpcId: "vpc-1", securityGroup: "sg-1", hsmType: "hsm2m.medium",
            hsms: hsmZones.enumerated().map { index, zone in
                CloudHSMCluster.HSM(id: "hsm-\(index)abcdefghijk", availabilityZone: zone, subnetId: "subnet-\(zone)",
                                    eniId: "eni-\(index)", eniIp: "10.0.0.\(index)", state: .active)
            },
            subnets: [CloudHSMCluster.Subnet(id: "subnet-a", availabilityZone: "us-east-1a", cidrBlock: "10.0.0.0/24", freeAddresses: 10)],
            createTimestamp: created)
    }

    static let credentials = CredentialSource.fixed(.init(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret"), origin: "test")

    static func settings(region: String = "us-east-1", endpoint: URL? = nil) -> AWSSettings {
        AWSSettings(profile: "default", region: region, customEndpoint: endpoint, credentials: credentials)
    }

    static func service(_ fake: FakeKMS, clock: any BackendClock = ManualClock(), cadence: PollCadence = PollCadence()) -> AWSKeyStoreService {
        AWSKeyStoreService(settings: settings(), environment: AWSEnvironment(variables: [:], homeDirectory: "/nonexistent"),
                           transport: fake, clock: clock, cadence: cadence, retry: RetryPolicy(maxAttempts: 1))
    }
}
