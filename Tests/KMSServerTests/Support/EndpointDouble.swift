import Foundation
import KMSServer
import KeyStoreEngine
import Synchronization

/// A test double of the protocols the server takes (`KMSEndpointService`): one CONNECTED CloudHSM store and
/// one CONNECTED external key store, each with one Enabled key, kept in memory, every call recorded (create and
/// update requests as the backend received them). For handler tests where a simulated world is not the
/// point: the protocol, signatures, how requests reach the backend and how its errors come back.
final class EndpointDouble: KMSEndpointService {
    static let storeId = "cks-0000000000double0"
    static let keyId = "00000000-0000-4000-8000-000000000001"
    static let keyArn = "arn:aws:kms:us-east-1:111122223333:key/\(keyId)"
    static let xksStoreId = "cks-0000000000double2"
    static let xksKeyId = "00000000-0000-4000-8000-000000000002"
    static let xksProxyConfiguration = XKSProxyConfiguration(
        connectivity: .publicEndpoint, accessKeyId: "ABCDEFGHIJKLMNOPQRST", uriEndpoint: "https://xks.double.example",
        uriPath: "/double/kms/xks/v1")

    let backend = BackendDescription(name: "double", region: "us-east-1", accountId: "111122223333")

    private struct State {
        var calls: [String] = []
        var stores: [CustomKeyStore]
        var keys: [KMSKey]
        var nextError: KMSError?
        var createRequests: [CreateKeyStoreRequest] = []
        var updateRequests: [UpdateKeyStoreRequest] = []
        var createKeyRequests: [(storeId: String?, description: String, xksKeyId: String?)] = []
    }

    private let state: Mutex<State>

    init() {
        let created = Date(timeIntervalSince1970: 1_700_000_000)
        state = Mutex(State(
            stores: [CustomKeyStore(id: Self.storeId, name: "double-store", cloudHsmClusterId: "cluster-2doublexxxx",
                                    trustAnchorCertificate: "PEM", connectionState: .connected, creationDate: created),
                     CustomKeyStore(id: Self.xksStoreId, name: "double-xks", type: .externalKeyStore, cloudHsmClusterId: nil,
                                    trustAnchorCertificate: nil, xksProxyConfiguration: Self.xksProxyConfiguration,
                                    connectionState: .connected, creationDate: created)],
            keys: [KMSKey(id: Self.keyId, arn: Self.keyArn, customKeyStoreId: Self.storeId, cloudHsmClusterId: "cluster-2doublexxxx",
                          description: "double key", keyState: .enabled, creationDate: created),
                   KMSKey(id: Self.xksKeyId, arn: "arn:aws:kms:us-east-1:111122223333:key/\(Self.xksKeyId)",
                          customKeyStoreId: Self.xksStoreId, cloudHsmClusterId: nil, description: "double xks key",
                          keyState: .enabled, creationDate: created, xksKeyId: "double-external-key")]))
    }

    /// The operations called so far, in order (`encrypt`, `describeKey`, …).
    var calls: [String] { state.withLock { $0.calls } }

    /// The CreateCustomKeyStore requests that reached the backend.
    var createRequests: [CreateKeyStoreRequest] { state.withLock { $0.createRequests } }
    /// The UpdateCustomKeyStore requests that reached the backend.
    var updateRequests: [UpdateKeyStoreRequest] { state.withLock { $0.updateRequests } }
    /// The CreateKey calls that reached the backend.
    var createKeyRequests: [(storeId: String?, description: String, xksKeyId: String?)] { state.withLock { $0.createKeyRequests } }

    /// Makes the next call fail with `error`.
    func failNext(with error: KMSError) { state.withLock { $0.nextError = error } }

    private func record(_ call: String) throws(KMSError) {
        let error: KMSError? = state.withLock { state in
            state.calls.append(call)
            defer { state.nextError = nil }
            return state.nextError
        }
        if let error { throw error }
    }

    private func key(_ idOrArn: String) throws(KMSError) -> KMSKey {
        guard let key = state.withLock({ $0.keys.first { $0.id == idOrArn || $0.arn == idOrArn } }) else {
            throw KMSError(.notFound, "Key '\(idOrArn)' does not exist.")
        }
        return key
    }

    // MARK: KeyStoreService

    func describeKeyStores(_ request: DescribeKeyStoresRequest) async throws(KMSError) -> KeyStorePage {
        try record("describeKeyStores")
        let stores = state.withLock { $0.stores }.filter { store in
            (request.customKeyStoreId == nil || store.id == request.customKeyStoreId)
                && (request.customKeyStoreName == nil || store.name == request.customKeyStoreName)
        }
        if stores.isEmpty, request.customKeyStoreId != nil || request.customKeyStoreName != nil {
            throw KMSError(.customKeyStoreNotFound, "No such custom key store.")
        }
        return KeyStorePage(keyStores: stores, nextMarker: nil)
    }

    func connectKeyStore(id: String) async throws(KMSError) { try record("connectKeyStore") }
    func disconnectKeyStore(id: String) async throws(KMSError) { try record("disconnectKeyStore") }

    func createKeyStore(_ request: CreateKeyStoreRequest) async throws(KMSError) -> String {
        try record("createKeyStore")
        state.withLock { $0.createRequests.append(request) }
        return "cks-0000000000double1"
    }

    func updateKeyStore(_ request: UpdateKeyStoreRequest) async throws(KMSError) {
        try record("updateKeyStore")
        state.withLock { $0.updateRequests.append(request) }
    }
    func deleteKeyStore(id: String) async throws(KMSError) { try record("deleteKeyStore") }

    func keys(inKeyStore id: String) async throws(KMSError) -> [KMSKey] {
        try record("keys")
        return state.withLock { $0.keys }.filter { $0.customKeyStoreId == id }
    }

    func clusters() async throws(KMSError) -> [CloudHSMCluster] {
        try record("clusters")
        return []
    }

    func latestEventSequence() async throws(KMSError) -> Int64 { 0 }
    func events(after sequence: Int64) -> AsyncStream<KeyStoreEvent> { AsyncStream { $0.finish() } }
    func history(ofKeyStore id: String) async throws(KMSError) -> [KeyStoreEvent] { [] }

    // MARK: KMSKeyService

    func createKey(inKeyStore id: String?, description: String) async throws(KMSError) -> KMSKey {
        try await createKey(inKeyStore: id, description: description, xksKeyId: nil)
    }

    func createKey(inKeyStore id: String?, description: String, xksKeyId: String?) async throws(KMSError) -> KMSKey {
        try record("createKey")
        state.withLock { $0.createKeyRequests.append((id, description, xksKeyId)) }
        if let xksKeyId, xksKeyId != "double-external-key" {
            throw KMSError(.xksKeyNotFound, "The external key \(xksKeyId) was not found in its external key manager.")
        }
        return try key(xksKeyId == nil ? Self.keyId : Self.xksKeyId)
    }

    func describeKey(_ keyIdOrArn: String) async throws(KMSError) -> KMSKey {
        try record("describeKey")
        return try key(keyIdOrArn)
    }

    func listKeys(limit: Int, marker: String?) async throws(KMSError) -> KeyListPage {
        try record("listKeys")
        let keys = state.withLock { $0.keys }
        return KeyListPage(keys: keys.prefix(limit).map { KeyListPage.Entry(keyId: $0.id, keyArn: $0.arn) }, nextMarker: nil)
    }

    func enableKey(_ keyIdOrArn: String) async throws(KMSError) { try record("enableKey") }
    func disableKey(_ keyIdOrArn: String) async throws(KMSError) { try record("disableKey") }

    func scheduleKeyDeletion(_ keyIdOrArn: String, pendingWindowInDays: Int) async throws(KMSError) -> Date {
        try record("scheduleKeyDeletion(\(pendingWindowInDays))")
        return Date(timeIntervalSince1970: 1_800_000_000)
    }

    func cancelKeyDeletion(_ keyIdOrArn: String) async throws(KMSError) { try record("cancelKeyDeletion") }

    // MARK: KMSCryptoService
    //
    // Not cryptography: the "ciphertext" is the plaintext behind a marker, enough to see what the handler
    // passes and returns.

    func encrypt(_ request: EncryptRequest) async throws(KMSError) -> EncryptResult {
        try record("encrypt(\(request.encryptionContext.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")), dryRun: \(request.dryRun))")
        return EncryptResult(keyArn: try key(request.keyId).arn, ciphertextBlob: Data("double:".utf8) + request.plaintext)
    }

    func decrypt(_ request: DecryptRequest) async throws(KMSError) -> DecryptResult {
        try record("decrypt(keyId: \(request.keyId ?? "-"))")
        guard request.ciphertextBlob.starts(with: Data("double:".utf8)) else {
            throw KMSError(.invalidCiphertext, "Not a double's ciphertext.")
        }
        return DecryptResult(keyArn: Self.keyArn, plaintext: request.ciphertextBlob.dropFirst("double:".count))
    }

    func generateDataKey(_ request: GenerateDataKeyRequest) async throws(KMSError) -> GeneratedDataKey {
        try record("generateDataKey(\(request.numberOfBytes))")
        let plaintext = Data(repeating: 7, count: request.numberOfBytes)
        return GeneratedDataKey(keyArn: try key(request.keyId).arn, plaintext: plaintext, ciphertextBlob: Data("double:".utf8) + plaintext)
    }

    func generateRandom(numberOfBytes: Int, customKeyStoreId: String?) async throws(KMSError) -> Data {
        try record("generateRandom(\(numberOfBytes), store: \(customKeyStoreId ?? "-"))")
        return Data(repeating: 1, count: numberOfBytes)
    }
}
