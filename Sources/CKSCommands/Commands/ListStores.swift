import AWSBackend
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
    @Option(help: ArgumentHelp("Only stores of this type: cloudhsm (AWS CloudHSM key stores) or external (external key stores).",
                               valueName: "cloudhsm|external"))
    var type: StoreTypeArgument?
    @Option(help: "At most this many stores (1-1000); prints the raw page with NextMarker and Truncated.") var limit: Int?
    @Option(help: "Start after this marker (the NextMarker of a previous page).") var marker: String?
    @Option(name: [.short, .long], help: "table or json.") var output: OutputFormat = .table
    @OptionGroup var world: WorldOptions

    func validate() throws {
        if id != nil && name != nil { throw ValidationError("Give --id or --name, not both.") }
    }

    func run() async throws {
        var failedRegions = 0
        try await reportingErrors {
            let service: any KeyStoreService
            if world.backend == .aws {
                let services = try world.openAWSServices()
                if services.count > 1 {
                    failedRegions = try await listRegions(services)
                    return
                }
                service = services[0]
            } else {
                service = try world.openService(drive: false)
            }
            let paged = limit != nil || marker != nil
            let listing = try await fetch(from: service)

            switch output {
            case .json:
                var fields: [(String, JSONValue)] = [("CustomKeyStores", .array(listing.stores.map(\.apiJSON)))]
                if paged {
                    if let nextMarker = listing.nextMarker { fields.append(("NextMarker", .string(nextMarker))) }
                    fields.append(("Truncated", .bool(listing.nextMarker != nil)))
                }
                print(JSONValue.object(fields).prettyPrinted())
            case .table:
                let clusters = (try? await service.clusters()) ?? []
                print(StoreTable.render(listing.stores, clusters: clusters, style: .forStandardOutput(), type: type?.storeType))
                if let nextMarker = listing.nextMarker { print("\nMore stores: cks list --limit \(limit ?? 1000) --marker \(nextMarker)") }
            }
        }
        if failedRegions > 0 { throw ExitCode(ExitStatus.kmsError) }
    }

    /// The stores the options ask for: every page, or the one page `--limit`/`--marker` name.
    private func fetch(from service: any KeyStoreService) async throws(KMSError) -> (stores: [CustomKeyStore], nextMarker: String?) {
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
        if let type { stores = stores.filter { $0.type == type.storeType } }
        return (stores, nextMarker)
    }

    /// Several Regions at once: a REGION column (json: one CustomKeyStores array, each entry with a `Region`).
    /// Returns how many Regions failed in a way worth an exit status of 1.
    private func listRegions(_ services: [AWSKeyStoreService]) async throws -> Int {
        let table = output == .table
        let results = await withTaskGroup(of: (Int, RegionListing).self) { group in
            for (index, service) in services.enumerated() {
                group.addTask {
                    do throws(KMSError) {
                        let listing = try await fetch(from: service)
                        let clusters = table && !listing.stores.isEmpty ? ((try? await service.clusters()) ?? []) : []
                        return (index, RegionListing(region: service.backend.region, stores: listing.stores, clusters: clusters, error: nil))
                    } catch {
                        return (index, RegionListing(region: service.backend.region, stores: [], clusters: [], error: error))
                    }
                }
            }
            var results = [RegionListing?](repeating: nil, count: services.count)
            for await (index, listing) in group { results[index] = listing }
            return results.compactMap { $0 }
        }
        var failures = 0
        for result in results {
            guard let error = result.error else { continue }
            failures += 1
            let hint = error.code == .unrecognizedClient ? " (a Region this account has not opted into?)" : ""
            printError("\(result.region): \(error.code.rawValue): \(error.message)\(hint)")
        }
        let answered = results.filter { $0.error == nil }
        switch output {
        case .json:
            let entries = answered.flatMap { result in
                result.stores.map { store -> JSONValue in
                    guard case let .object(fields) = store.apiJSON else { return store.apiJSON }
                    return .object(fields + [("Region", .string(result.region))])
                }
            }
            print(JSONValue.object([("CustomKeyStores", .array(entries))]).prettyPrinted())
        case .table:
            let rows = answered.flatMap { result in result.stores.map { (result.region, $0, result.clusters) } }
            print(StoreTable.render(regionRows: rows, style: .forStandardOutput(), type: type?.storeType))
        }
        // With `all`, some Regions may be closed to the account; only nothing answering is a failure.
        return world.allRegions ? (answered.isEmpty ? 1 : 0) : failures
    }
}

/// One Region's answer to `cks list --region a,b`.
private struct RegionListing: Sendable {
    var region: String
    var stores: [CustomKeyStore]
    var clusters: [CloudHSMCluster]
    var error: KMSError?
}

/// The store table of `cks list`: the columns of each store type present (CLUSTER and HSMS for AWS CloudHSM
/// key stores; CONNECTIVITY, ENDPOINT and PATH for external key stores), "-" where a column is not the row's type.
enum StoreTable {
    static func render(_ stores: [CustomKeyStore], clusters: [CloudHSMCluster], style: TextStyle, type: CustomKeyStoreType? = nil) -> String {
        guard !stores.isEmpty else { return emptyMessage(type) }
        let hsmCount = Dictionary(uniqueKeysWithValues: clusters.map { ($0.id, $0.activeHSMs.count) })
        return table(stores.map { (nil, $0, $0.cloudHsmClusterId.flatMap { hsmCount[$0] }) }, style: style)
    }

    /// The table of several Regions: a REGION column first.
    static func render(regionRows: [(region: String, store: CustomKeyStore, clusters: [CloudHSMCluster])], style: TextStyle,
                       type: CustomKeyStoreType? = nil) -> String {
        guard !regionRows.isEmpty else {
            return type == nil ? "No custom key stores in these Regions." : "No \(noun(type)) in these Regions."
        }
        return table(regionRows.map { region, store, clusters in
            (region, store, store.cloudHsmClusterId.flatMap { id in clusters.first { $0.id == id } }.map(\.activeHSMs.count))
        }, style: style)
    }

    private static func table(_ rows: [(region: String?, store: CustomKeyStore, hsms: Int?)], style: TextStyle) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        let withRegion = rows.contains { $0.region != nil }
        let cloudHSM = rows.contains { $0.store.type == .awsCloudHSM }
        let external = rows.contains { $0.store.type == .externalKeyStore }
        var headers = withRegion ? ["REGION"] : []
        headers += ["NAME", "ID", "TYPE"]
        if cloudHSM { headers += ["CLUSTER", "HSMS"] }
        if external { headers += ["CONNECTIVITY", "ENDPOINT", "PATH"] }
        headers += ["STATE", "CREATED"]
        let lines = rows.map { region, store, hsms in
            var cells = withRegion ? [region ?? "-"] : []
            cells += [store.name, store.id, store.type.displayName]
            if cloudHSM { cells += [store.cloudHsmClusterId ?? "-", hsms.map(String.init) ?? "-"] }
            if external {
                let proxy = store.xksProxyConfiguration
                cells += [proxy?.connectivity.displayName ?? "-", proxy?.uriEndpoint ?? "-", proxy?.uriPath ?? "-"]
            }
            cells += [style.badge(store.connectionState, errorCode: store.connectionErrorCode), formatter.string(from: store.creationDate)]
            return cells
        }
        let hsmsColumn = cloudHSM ? headers.firstIndex(of: "HSMS").map { Set([$0]) } ?? [] : []
        return Table(headers: headers, rows: lines, rightAligned: hsmsColumn).render(style: style)
    }

    private static func noun(_ type: CustomKeyStoreType?) -> String {
        switch type {
        case .awsCloudHSM: "AWS CloudHSM key stores"
        case .externalKeyStore: "external key stores"
        case nil: "custom key stores"
        }
    }

    private static func emptyMessage(_ type: CustomKeyStoreType?) -> String {
        let cloudHSM = "cks create --name NAME --cluster-id CLUSTER --trust-anchor-certificate customerCA.crt --password PASSWORD"
        let external = "cks create --type external --name NAME --endpoint https://HOST --proxy-config proxy-config.json"
        switch type {
        case .awsCloudHSM: return "No AWS CloudHSM key stores. Create one with: \(cloudHSM)"
        case .externalKeyStore: return "No external key stores. Create one with: \(external)"
        case nil: return "No custom key stores. Create one with: \(cloudHSM)\n  or an external key store with: \(external)"
        }
    }
}
