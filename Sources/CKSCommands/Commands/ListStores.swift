import ArgumentParser
import Foundation
import KeyStoreEngine

/// `cks list`: DescribeCustomKeyStores as a table, or exactly as `aws kms describe-custom-key-stores` prints it.
struct ListStores: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List custom key stores and their connection state (DescribeCustomKeyStores)."
    )

    @Option(help: "Only the store with this ID.") var id: String?
    @Option(help: "Only the store with this name.") var name: String?
    @Option(help: "At most this many stores (1-1000); prints the raw page with NextMarker and Truncated.") var limit: Int?
    @Option(help: "Start after this marker (the NextMarker of a previous page).") var marker: String?
    @Option(name: [.short, .long], help: "table or json.") var output: OutputFormat = .table
    @OptionGroup var world: WorldOptions

    func validate() throws {
        if id != nil && name != nil { throw ValidationError("Give --id or --name, not both.") }
    }

    func run() async throws {
        try await reportingErrors {
            let service = try world.openService(drive: false)
            let paged = limit != nil || marker != nil
            var stores: [CustomKeyStore] = []
            var nextMarker: String?
            var request = DescribeKeyStoresRequest(customKeyStoreId: id, customKeyStoreName: name, limit: limit, marker: marker)
            repeat {
                let page = try await service.describeKeyStores(request)
                stores += page.keyStores
                nextMarker = page.nextMarker
                request.marker = nextMarker
            } while !paged && nextMarker != nil

            switch output {
            case .json:
                var fields: [(String, JSONValue)] = [("CustomKeyStores", .array(stores.map(\.apiJSON)))]
                if paged {
                    if let nextMarker { fields.append(("NextMarker", .string(nextMarker))) }
                    fields.append(("Truncated", .bool(nextMarker != nil)))
                }
                print(JSONValue.object(fields).prettyPrinted())
            case .table:
                let clusters = (try? await service.clusters()) ?? []
                print(StoreTable.render(stores, clusters: clusters, style: .forStandardOutput()))
                if let nextMarker { print("\nMore stores: cks list --limit \(limit ?? 1000) --marker \(nextMarker)") }
            }
        }
    }
}

/// The store table of `cks list`.
enum StoreTable {
    static func render(_ stores: [CustomKeyStore], clusters: [CloudHSMCluster], style: TextStyle) -> String {
        guard !stores.isEmpty else {
            return "No custom key stores. Create one with: cks create --name NAME --cluster-id CLUSTER --trust-anchor-certificate customerCA.crt --password PASSWORD"
        }
        let hsmCount = Dictionary(uniqueKeysWithValues: clusters.map { ($0.id, $0.activeHSMs.count) })
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        let rows = stores.map { store in
            [
                store.name, store.id, store.type.displayName, store.cloudHsmClusterId ?? "-",
                store.cloudHsmClusterId.flatMap { hsmCount[$0] }.map(String.init) ?? "-",
                style.badge(store.connectionState, errorCode: store.connectionErrorCode),
                formatter.string(from: store.creationDate),
            ]
        }
        return Table(headers: ["NAME", "ID", "TYPE", "CLUSTER", "HSMS", "STATE", "CREATED"], rows: rows, rightAligned: [4])
            .render(style: style)
    }
}
