import ArgumentParser
import Console
import Foundation
import KeyStoreEngine

/// `cks describe STORE`: one custom key store whole, by ID or name: settings, state, the fix of a FAILED store,
/// its last connect or disconnect, its proxy's last health answer and its keys.
struct DescribeStore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Show one custom key store whole: settings, state, the fix when FAILED, its last connect or disconnect, keys.",
        discussion: """
            For a FAILED store, what its ConnectionErrorCode means, the likely cause and the fix in steps. For an \
            external key store, its proxy configuration and the last health answer of its proxy (the simulator's; \
            real KMS publishes proxy health as CloudWatch metrics). Secrets are never shown. With --output json, \
            the store exactly as `aws kms describe-custom-key-stores --custom-key-store-id ID` prints it.
            """
    )

    @Argument(help: "The store's ID or name (`cks list` shows both).") var store: String
    @Option(name: [.short, .long], help: "table or json.") var output: OutputFormat = .table
    @OptionGroup var world: WorldOptions

    func run() async throws {
        try await reportingErrors {
            let service = try world.openService(drive: false)
            let target = try await Self.find(store, in: service)
            if output == .json {
                print(JSONValue.object([("CustomKeyStores", .array([target.apiJSON]))]).prettyPrinted())
                return
            }
            let facts = await StoreFacts.gather(target, from: service)
            print(StoreDescription(facts: facts, style: .forStandardOutput(), now: Date()).text)
        }
    }

    /// The store `query` names; when none does, an error that names the stores there are.
    static func find(_ query: String, in service: any KeyStoreService) async throws(KMSError) -> CustomKeyStore {
        let found: Result<CustomKeyStore, KMSError>
        do throws(KMSError) { found = .success(try await service.keyStore(idOrName: query)) } catch { found = .failure(error) }
        guard case let .failure(error) = found, error.code == .customKeyStoreNotFound else { return try found.get() }
        let stores = (try? await service.allKeyStores()) ?? []
        throw KMSError(.customKeyStoreNotFound, notFoundMessage(query, stores: stores, region: service.backend.region))
    }

    static func notFoundMessage(_ query: String, stores: [CustomKeyStore], region: String) -> String {
        var text = "No custom key store has the ID or name \(query) in \(region)."
        guard !stores.isEmpty else {
            return text + " There are no custom key stores here: create one with `cks create` (see `cks create --help`)."
        }
        let lower = query.lowercased()
        let near = stores.filter { $0.name.lowercased().contains(lower) || lower.contains($0.name.lowercased()) || $0.id.hasPrefix(lower) }
        let named = { (list: [CustomKeyStore]) in list.map { "\($0.name) (\($0.id))" }.joined(separator: ", ") }
        if !near.isEmpty {
            text += " Did you mean \(named(Array(near.prefix(3))))?"
        } else {
            let shown = stores.sorted { $0.name < $1.name }.prefix(6)
            text += " The stores here: \(named(Array(shown)))" + (stores.count > shown.count ? " and \(stores.count - shown.count) more." : ".")
        }
        return text + " Give one of them by name or ID; `cks list` shows them all."
    }
}

/// What `cks describe` shows of a store, read from the service: each part the backend cannot give is nil.
struct StoreFacts: Sendable {
    var store: CustomKeyStore
    var cluster: CloudHSMCluster?
    var keys: Result<[KMSKey], KMSError>
    var history: [KeyStoreEvent]
    /// The proxy's last health answer: nil when the backend reports none (real KMS), `.some(nil)` before the first.
    var health: Result<XKSProxyHealth?, KMSError>?
    var context: RepairContext
    /// True for the embedded simulator, which keeps the history of every connect and disconnect.
    var keepsHistory: Bool

    static func gather(_ store: CustomKeyStore, from service: any KeyStoreService) async -> StoreFacts {
        var cluster: CloudHSMCluster?
        if let id = store.cloudHsmClusterId { cluster = (try? await service.clusters())?.first { $0.id == id } }
        let keys: Result<[KMSKey], KMSError>
        do throws(KMSError) { keys = .success(try await service.keys(inKeyStore: store.id)) } catch { keys = .failure(error) }
        var health: Result<XKSProxyHealth?, KMSError>?
        if store.type == .externalKeyStore, let observation = service as? any XKSProxyObservation {
            do throws(KMSError) { health = .success(try await observation.proxyHealth(ofKeyStore: store.id)) } catch { health = .failure(error) }
        }
        return StoreFacts(store: store, cluster: cluster, keys: keys, history: (try? await service.history(ofKeyStore: store.id)) ?? [],
                          health: health, context: await FixText.context(of: store, on: service),
                          keepsHistory: service is any SimulatedRepairs)
    }
}
