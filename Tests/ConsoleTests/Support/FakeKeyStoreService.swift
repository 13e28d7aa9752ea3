import Foundation
import KeyStoreEngine

/// An in-memory `KeyStoreService` whose world and events a test scripts.
actor FakeKeyStoreService: KeyStoreService {
    nonisolated let backend: BackendDescription

    var stores: [CustomKeyStore]
    var keysByStore: [String: [KMSKey]]
    var clusterList: [CloudHSMCluster]
    private(set) var recorded: [KeyStoreEvent] = []
    private(set) var calls: [String] = []
    /// Thrown by the next connect, disconnect, create, update or delete.
    var nextError: KMSError?
    /// What `XKSProxyObservation` reports of each external key store's proxy.
    var proxyHealthByStore: [String: XKSProxyHealth] = [:]
    var proxyRequestsByStore: [String: [XKSProxyRequestRecord]] = [:]
    /// The last UpdateCustomKeyStore request, whole.
    private(set) var lastUpdate: UpdateKeyStoreRequest?
    private var subscribers: [UUID: (after: Int64, continuation: AsyncStream<KeyStoreEvent>.Continuation)] = [:]
    private var healthSubscribers: [UUID: AsyncStream<String>.Continuation] = [:]
    private let clock: Date

    init(stores: [CustomKeyStore] = Fixtures.stores, keys: [String: [KMSKey]] = Fixtures.keys,
         clusters: [CloudHSMCluster] = Fixtures.clusters, now: Date = Fixtures.now,
         backend: BackendDescription = BackendDescription(name: "fake", region: "us-east-1", accountId: "111122223333")) {
        self.backend = backend
        self.stores = stores
        self.keysByStore = keys
        self.clusterList = clusters
        self.clock = now
    }

    func failNext(with error: KMSError) { nextError = error }

    /// Appends an event to the world and hands it to every subscriber.
    @discardableResult
    func emit(_ kind: KeyStoreEvent.Kind, store id: String?) -> KeyStoreEvent {
        let event = KeyStoreEvent(sequence: Int64(recorded.count + 1), time: clock.addingTimeInterval(Double(recorded.count)),
                                  keyStoreId: id, kind: kind)
        recorded.append(event)
        if case let .connectionStateChanged(_, to, code) = kind, let index = stores.firstIndex(where: { $0.id == id }) {
            stores[index].connectionState = to
            stores[index].connectionErrorCode = to == .failed ? code : nil
        }
        for (_, subscriber) in subscribers where event.sequence > subscriber.after {
            subscriber.continuation.yield(event)
        }
        return event
    }

    /// A whole connect, step by step, ending CONNECTED.
    func playConnect(_ id: String) {
        emit(.workflowStarted(.connect), store: id)
        emit(.stepStarted(.createSecurityGroup, subject: nil), store: id)
        emit(.stepFinished(.createSecurityGroup, resource: StepResource(id: "sg-0a1b2c3d", name: "kms-\(id)")), store: id)
        emit(.stepStarted(.createNetworkInterface, subject: "in us-east-1a"), store: id)
        emit(.stepFinished(.createNetworkInterface, resource: StepResource(id: "eni-01", availabilityZone: "us-east-1a")), store: id)
        emit(.stepStarted(.logInKmsUser, subject: nil), store: id)
        emit(.stepFinished(.logInKmsUser, resource: nil), store: id)
        emit(.connectionStateChanged(from: .connecting, to: .connected, errorCode: nil), store: id)
    }

    func callLog() -> [String] { calls }

    /// How many `events(after:)` streams are being followed.
    func subscriberCount() -> Int { subscribers.count }

    // MARK: KeyStoreService

    func describeKeyStores(_ request: DescribeKeyStoresRequest) async throws(KMSError) -> KeyStorePage {
        if let id = request.customKeyStoreId {
            guard let store = stores.first(where: { $0.id == id }) else {
                throw KMSError(.customKeyStoreNotFound, "No custom key store has the ID \(id).")
            }
            return KeyStorePage(keyStores: [store], nextMarker: nil)
        }
        if let name = request.customKeyStoreName {
            guard let store = stores.first(where: { $0.name == name }) else {
                throw KMSError(.customKeyStoreNotFound, "No custom key store is named \(name).")
            }
            return KeyStorePage(keyStores: [store], nextMarker: nil)
        }
        return KeyStorePage(keyStores: stores, nextMarker: nil)
    }

    func connectKeyStore(id: String) async throws(KMSError) {
        calls.append("connect \(id)")
        if let error = takeError() { throw error }
        guard let store = stores.first(where: { $0.id == id }) else { throw KMSError(.customKeyStoreNotFound, id) }
        if case let .denied(_, error) = KeyStoreRules.verdict(for: .connect, on: store) { throw error }
        if store.connectionState == .disconnected {
            emit(.connectionStateChanged(from: .disconnected, to: .connecting, errorCode: nil), store: id)
        }
    }

    func disconnectKeyStore(id: String) async throws(KMSError) {
        calls.append("disconnect \(id)")
        if let error = takeError() { throw error }
        guard let store = stores.first(where: { $0.id == id }) else { throw KMSError(.customKeyStoreNotFound, id) }
        if case let .denied(_, error) = KeyStoreRules.verdict(for: .disconnect, on: store) { throw error }
        emit(.connectionStateChanged(from: store.connectionState, to: .disconnecting, errorCode: nil), store: id)
    }

    func createKeyStore(_ request: CreateKeyStoreRequest) async throws(KMSError) -> String {
        calls.append("create \(request.name)")
        if let error = takeError() { throw error }
        if let cloudHSM = request.cloudHSM { try KeyStoreValidation.validatePassword(cloudHSM.keyStorePassword) }
        if let external = request.external { try KeyStoreValidation.validate(external) }
        let id = "cks-" + String(repeating: "9", count: 17)
        stores.append(CustomKeyStore(id: id, name: request.name, type: request.type,
                                     cloudHsmClusterId: request.cloudHSM?.cloudHsmClusterId,
                                     trustAnchorCertificate: request.cloudHSM?.trustAnchorCertificate,
                                     xksProxyConfiguration: request.external?.configuration(defaultOwner: "111122223333"),
                                     connectionState: .disconnected, creationDate: clock))
        emit(.keyStoreCreated(name: request.name), store: id)
        return id
    }

    func updateKeyStore(_ request: UpdateKeyStoreRequest) async throws(KMSError) {
        calls.append("update \(request.customKeyStoreId)")
        if let error = takeError() { throw error }
        guard let index = stores.firstIndex(where: { $0.id == request.customKeyStoreId }) else {
            throw KMSError(.customKeyStoreNotFound, request.customKeyStoreId)
        }
        lastUpdate = request
        if let name = request.newName { stores[index].name = name }
        if let cluster = request.cloudHsmClusterId { stores[index].cloudHsmClusterId = cluster }
        if var proxy = stores[index].xksProxyConfiguration {
            if let path = request.xksProxyUriPath { proxy.uriPath = path }
            if let endpoint = request.xksProxyUriEndpoint { proxy.uriEndpoint = endpoint }
            if let credential = request.xksProxyCredential { proxy.accessKeyId = credential.accessKeyId }
            stores[index].xksProxyConfiguration = proxy
        }
        emit(.keyStoreUpdated(changes: ["name"]), store: request.customKeyStoreId)
    }

    func deleteKeyStore(id: String) async throws(KMSError) {
        calls.append("delete \(id)")
        if let error = takeError() { throw error }
        let name = stores.first { $0.id == id }?.name ?? id
        stores.removeAll { $0.id == id }
        emit(.keyStoreDeleted(name: name), store: id)
    }

    func keys(inKeyStore id: String) async throws(KMSError) -> [KMSKey] {
        keysByStore[id] ?? []
    }

    func clusters() async throws(KMSError) -> [CloudHSMCluster] { clusterList }

    func latestEventSequence() async throws(KMSError) -> Int64 { Int64(recorded.count) }

    nonisolated func events(after sequence: Int64) -> AsyncStream<KeyStoreEvent> {
        let (stream, continuation) = AsyncStream<KeyStoreEvent>.makeStream()
        let id = UUID()
        Task { await self.subscribe(id, after: sequence, continuation) }
        continuation.onTermination = { _ in Task { await self.unsubscribe(id) } }
        return stream
    }

    func history(ofKeyStore id: String) async throws(KMSError) -> [KeyStoreEvent] {
        recorded.filter { $0.keyStoreId == id }
    }

    private func subscribe(_ id: UUID, after sequence: Int64, _ continuation: AsyncStream<KeyStoreEvent>.Continuation) {
        for event in recorded where event.sequence > sequence { continuation.yield(event) }
        subscribers[id] = (max(sequence, recorded.last?.sequence ?? sequence), continuation)
    }

    private func unsubscribe(_ id: UUID) { subscribers[id] = nil }

    private func takeError() -> KMSError? {
        defer { nextError = nil }
        return nextError
    }
}

extension FakeKeyStoreService: XKSProxyObservation {
    func setProxy(health: XKSProxyHealth?, requests: [XKSProxyRequestRecord], of id: String) {
        proxyHealthByStore[id] = health
        proxyRequestsByStore[id] = requests
        for continuation in healthSubscribers.values { continuation.yield(id) }
    }

    /// How many `proxyHealthChanges()` streams are being followed.
    func healthSubscriberCount() -> Int { healthSubscribers.count }

    nonisolated func proxyHealthChanges() -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream<String>.makeStream()
        let id = UUID()
        Task { await self.subscribeToHealth(id, continuation) }
        continuation.onTermination = { _ in Task { await self.unsubscribeFromHealth(id) } }
        return stream
    }

    private func subscribeToHealth(_ id: UUID, _ continuation: AsyncStream<String>.Continuation) { healthSubscribers[id] = continuation }

    private func unsubscribeFromHealth(_ id: UUID) { healthSubscribers[id] = nil }

    func proxyHealth(ofKeyStore id: String) async throws(KMSError) -> XKSProxyHealth? { proxyHealthByStore[id] }

    func proxyRequests(ofKeyStore id: String, limit: Int) async throws(KMSError) -> [XKSProxyRequestRecord] {
        Array((proxyRequestsByStore[id] ?? []).prefix(limit))
    }

    func lastUpdateRequest() -> UpdateKeyStoreRequest? { lastUpdate }
}
