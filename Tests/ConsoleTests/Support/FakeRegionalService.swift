import Foundation
import KeyStoreEngine

/// The AWS backend as the console sees it: one `FakeKeyStoreService` per Region, the same account in each,
/// and the transitions a test says KMS has been in.
struct FakeRegionalService: RegionalKeyStoreService {
    let regions: [String: FakeKeyStoreService]
    let region: String
    let transitions: [String: TransitionProgress]

    init(regions: [String: FakeKeyStoreService], region: String, transitions: [String: TransitionProgress] = [:]) {
        self.regions = regions
        self.region = region
        self.transitions = transitions
    }

    /// Two Regions: us-east-1 with the fixtures, eu-west-1 with one store of its own.
    static func twoRegions() -> FakeRegionalService {
        let europe = CustomKeyStore(id: "cks-e1e2e3e4e5e6e7e8e", name: "eu-payments", cloudHsmClusterId: "cluster-eu1a2b3c4d",
                                    trustAnchorCertificate: nil, connectionState: .connected, creationDate: Fixtures.day(30))
        return FakeRegionalService(regions: [
            "us-east-1": FakeKeyStoreService(clusters: Fixtures.clustersWithoutAnchors, backend: backend("us-east-1")),
            "eu-west-1": FakeKeyStoreService(stores: [europe], keys: [:], clusters: [], backend: backend("eu-west-1")),
        ], region: "us-east-1")
    }

    static func backend(_ region: String) -> BackendDescription {
        BackendDescription(name: "aws", region: region, accountId: "111122223333")
    }

    var current: FakeKeyStoreService { regions[region]! }

    // MARK: RegionalKeyStoreService

    var backend: BackendDescription { current.backend }
    var regionChoices: [String] { regions.keys.sorted() }

    func switchingRegion(to region: String) -> any RegionalKeyStoreService {
        FakeRegionalService(regions: regions, region: region, transitions: transitions)
    }

    func transitionProgress(ofKeyStore id: String) async -> TransitionProgress? { transitions[id] }

    // MARK: KeyStoreService, in the current Region

    func describeKeyStores(_ request: DescribeKeyStoresRequest) async throws(KMSError) -> KeyStorePage {
        try await current.describeKeyStores(request)
    }
    func connectKeyStore(id: String) async throws(KMSError) { try await current.connectKeyStore(id: id) }
    func disconnectKeyStore(id: String) async throws(KMSError) { try await current.disconnectKeyStore(id: id) }
    func createKeyStore(_ request: CreateKeyStoreRequest) async throws(KMSError) -> String { try await current.createKeyStore(request) }
    func updateKeyStore(_ request: UpdateKeyStoreRequest) async throws(KMSError) { try await current.updateKeyStore(request) }
    func deleteKeyStore(id: String) async throws(KMSError) { try await current.deleteKeyStore(id: id) }
    func keys(inKeyStore id: String) async throws(KMSError) -> [KMSKey] { try await current.keys(inKeyStore: id) }
    func clusters() async throws(KMSError) -> [CloudHSMCluster] { try await current.clusters() }
    func latestEventSequence() async throws(KMSError) -> Int64 { try await current.latestEventSequence() }
    func events(after sequence: Int64) -> AsyncStream<KeyStoreEvent> { current.events(after: sequence) }
    func history(ofKeyStore id: String) async throws(KMSError) -> [KeyStoreEvent] { try await current.history(ofKeyStore: id) }
}
