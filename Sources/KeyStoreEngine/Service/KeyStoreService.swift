import Foundation

/// Where the engine gets its stores from: the embedded simulator or a real KMS endpoint.
public struct BackendDescription: Sendable, Hashable {
    public var name: String
    public var region: String
    public var accountId: String
    public var endpoint: String?

    public init(name: String, region: String, accountId: String, endpoint: String? = nil) {
        self.name = name
        self.region = region
        self.accountId = accountId
        self.endpoint = endpoint
    }
}

/// The one door to custom key stores. The CLI, the console and the server use only this.
///
/// Connect and disconnect return as soon as the request is accepted, like the API's `{}`;
/// their progress arrives on `events(after:)`.
public protocol KeyStoreService: Sendable {
    var backend: BackendDescription { get }

    func describeKeyStores(_ request: DescribeKeyStoresRequest) async throws(KMSError) -> KeyStorePage
    func connectKeyStore(id: String) async throws(KMSError)
    func disconnectKeyStore(id: String) async throws(KMSError)
    func createKeyStore(_ request: CreateKeyStoreRequest) async throws(KMSError) -> String
    func updateKeyStore(_ request: UpdateKeyStoreRequest) async throws(KMSError)
    func deleteKeyStore(id: String) async throws(KMSError)

    /// The KMS keys of a store, with their visible state and last use.
    func keys(inKeyStore id: String) async throws(KMSError) -> [KMSKey]
    /// The CloudHSM clusters the account can see.
    func clusters() async throws(KMSError) -> [CloudHSMCluster]

    /// The sequence number of the newest event; pass it to `events(after:)` to see only what follows.
    func latestEventSequence() async throws(KMSError) -> Int64
    /// Every event after `sequence`, as it happens. The stream ends when the consumer stops iterating.
    func events(after sequence: Int64) -> AsyncStream<KeyStoreEvent>
    /// The recorded events of one store, oldest first (its timeline).
    func history(ofKeyStore id: String) async throws(KMSError) -> [KeyStoreEvent]
}

extension KeyStoreService {
    /// Every store, following the markers page by page.
    public func allKeyStores() async throws(KMSError) -> [CustomKeyStore] {
        var stores: [CustomKeyStore] = []
        var marker: String?
        repeat {
            let page = try await describeKeyStores(DescribeKeyStoresRequest(marker: marker))
            stores += page.keyStores
            marker = page.nextMarker
        } while marker != nil
        return stores
    }

    /// One store by its ID or, failing that, by its name (as `cks connect <id or name>` accepts).
    public func keyStore(idOrName: String) async throws(KMSError) -> CustomKeyStore {
        let request = idOrName.hasPrefix("cks-")
            ? DescribeKeyStoresRequest(customKeyStoreId: idOrName)
            : DescribeKeyStoresRequest(customKeyStoreName: idOrName)
        do {
            if let store = try await describeKeyStores(request).keyStores.first { return store }
        } catch where error.code == .customKeyStoreNotFound && idOrName.hasPrefix("cks-") {
            // A store may be named like an ID; try the name before giving up.
            if let store = try? await describeKeyStores(DescribeKeyStoresRequest(customKeyStoreName: idOrName)).keyStores.first {
                return store
            }
            throw KMSError(.customKeyStoreNotFound,
                           "No custom key store has the ID or name \(idOrName). Run `cks list` to see the stores.")
        } catch where error.code == .customKeyStoreNotFound {
            throw KMSError(.customKeyStoreNotFound,
                           "No custom key store has the ID or name \(idOrName). Run `cks list` to see the stores.")
        }
        throw KMSError(.customKeyStoreNotFound, "No custom key store has the ID or name \(idOrName).")
    }
}
