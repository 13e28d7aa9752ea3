import ArgumentParser
import Foundation
import LocalCA
import XKSProxy

/// `cks xks-proxy status`: the proxy's configuration, key manager health and active faults.
struct XKSProxyStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the proxy's logical key stores, keys, key manager health and active faults."
    )

    @Option(name: [.short, .long], help: "table or json.")
    var output: OutputFormat = .table

    func run() async throws {
        try await XKSProxyCLI.run {
            let database = try XKSProxyCLI.open()
            defer { database.close() }
            let snapshot = try database.snapshot()
            let stores = snapshot.stores.values.sorted { $0.prefix < $1.prefix }
            let home = XKSProxyCLI.home
            if output == .json {
                let object: [String: Any] = [
                    "Region": snapshot.region,
                    "KeyStores": stores.map { store -> [String: Any] in
                        ["UriPath": store.uriPath, "AccessKeyIds": store.credentials.map(\.accessKeyId),
                         "KeyCount": snapshot.keys[store.prefix]?.count ?? 0]
                    },
                    "KeyManagerInstances": snapshot.keyManagerHealth.map { ["Id": $0.id, "HealthStatus": $0.healthStatus.rawValue] },
                    "Faults": snapshot.faults.summary,
                    "StateFile": database.path,
                    "RequestLog": RequestLog.fileURL(home: home).path,
                ]
                emit(XKSProxyCLI.json(object))
                return
            }
            emit("XKS proxy in \(home.path)  (Region \(snapshot.region), SigV4 service kms-xks-proxy)")
            emit()
            emit("Logical key stores:")
            for store in stores {
                let count = snapshot.keys[store.prefix]?.count ?? 0
                emit("  \(store.uriPath)  credentials: \(store.credentials.map(\.accessKeyId).joined(separator: ", "))  keys: \(count)")
            }
            emit()
            emit("Key manager: " + snapshot.keyManagerHealth.map { "\($0.id) \($0.healthStatus.rawValue)" }.joined(separator: ", "))
            let faults = snapshot.faults.summary
            emit(faults.isEmpty ? "Faults: none" : "Faults:")
            for fault in faults { emit("  \(fault)") }
            emit()
            emit("State file   \(database.path)")
            emit("Request log  \(RequestLog.fileURL(home: home).path)")
            emit("CA           \(LocalCA.certificateURL(home: home).path)")
        }
    }
}
