import Foundation
import KeyStoreEngine

/// Holds a request until a test opens it, and says when one is waiting.
actor Gate {
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var isOpen = false

    var isWaiting: Bool { !waiters.isEmpty }

    func wait() async {
        guard !isOpen else { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func open() {
        isOpen = true
        for waiter in waiters { waiter.resume() }
        waiters = []
    }
}

/// A `FakeKeyStoreService` whose connect waits at a gate and, like an HTTP call, gives up when its task was
/// cancelled meanwhile: a cancelled connect never reaches KMS.
struct GatedService: KeyStoreService {
    let inner: FakeKeyStoreService
    let gate: Gate

    var backend: BackendDescription { inner.backend }

    func connectKeyStore(id: String) async throws(KMSError) {
        await gate.wait()
        if Task.isCancelled { throw KMSError(.endpointUnavailable, "The request was cancelled before KMS answered.") }
        try await inner.connectKeyStore(id: id)
    }

    func describeKeyStores(_ request: DescribeKeyStoresRequest) async throws(KMSError) -> KeyStorePage {
        try await inner.describeKeyStores(request)
    }
    func disconnectKeyStore(id: String) async throws(KMSError) { try await inner.disconnectKeyStore(id: id) }
    func createKeyStore(_ request: CreateKeyStoreRequest) async throws(KMSError) -> String { try await inner.createKeyStore(request) }
    func updateKeyStore(_ request: UpdateKeyStoreRequest) async throws(KMSError) { try await inner.updateKeyStore(request) }
    func deleteKeyStore(id: String) async throws(KMSError) { try await inner.deleteKeyStore(id: id) }
    func keys(inKeyStore id: String) async throws(KMSError) -> [KMSKey] { try await inner.keys(inKeyStore: id) }
    func clusters() async throws(KMSError) -> [CloudHSMCluster] { try await inner.clusters() }
    func latestEventSequence() async throws(KMSError) -> Int64 { try await inner.latestEventSequence() }
    func events(after sequence: Int64) -> AsyncStream<KeyStoreEvent> { inner.events(after: sequence) }
    func history(ofKeyStore id: String) async throws(KMSError) -> [KeyStoreEvent] { try await inner.history(ofKeyStore: id) }
}
