import ArgumentParser
import Foundation
import KeyStoreEngine

/// `cks create`: CreateCustomKeyStore, for a CloudHSM cluster or an external key store proxy.
struct Create: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a custom key store (CreateCustomKeyStore): an AWS CloudHSM key store or an external key store. It starts DISCONNECTED.",
        discussion: """
            AWS CloudHSM key store (the default type): --cluster-id, --trust-anchor-certificate and --password. The \
            cluster must be ACTIVE, unused by another store, with two active HSMs in different Availability Zones. \
            See the clusters with `cks sim clusters`.

            External key store (--type external): the proxy's --endpoint, --path and credential (--access-key-id and \
            --secret-file, or a --proxy-config file that gives path and credential), and --connectivity. For a \
            public endpoint KMS asks the proxy for its health before it creates the store. The secret is never printed.
              cks xks-proxy config > proxy-config.json
              cks create --type external --name my-xks --endpoint https://xks.example.com --proxy-config proxy-config.json
            """
    )

    @Option(help: "A name unique in the account and Region (1-256 characters).") var name: String
    @Option(help: ArgumentHelp("cloudhsm (an AWS CloudHSM key store, the default) or external (an external key store, XKS).",
                               valueName: "cloudhsm|external"))
    var type: StoreTypeArgument = .cloudhsm
    @Option(help: "AWS CloudHSM key stores: the cluster, e.g. cluster-1a23b4cdefg.") var clusterId: String?
    @Option(help: "AWS CloudHSM key stores: the cluster's customerCA.crt: a path, file://path, or the PEM itself. `cks sim trust-anchor CLUSTER > customerCA.crt` writes the simulator's.")
    var trustAnchorCertificate: String?
    @Option(help: "AWS CloudHSM key stores: the current password of the kmsuser crypto user (7-32 characters). On the simulator `cks sim clusters` shows it and `cks sim reset-kmsuser CLUSTER --password P` sets it.")
    var password: String?
    @OptionGroup(title: "External key store options") var proxy: XKSProxyOptions
    @Option(name: [.short, .long], help: "table or json.") var output: OutputFormat = .table
    @OptionGroup var world: WorldOptions

    func validate() throws {
        switch type {
        case .cloudhsm:
            if proxy.anyGiven {
                throw ValidationError("\(proxy.givenNames.joined(separator: ", ")) apply to external key stores: add --type external, or leave them out.")
            }
            let missing = [("--cluster-id", clusterId), ("--trust-anchor-certificate", trustAnchorCertificate), ("--password", password)]
                .filter { $0.1 == nil }.map(\.0)
            if !missing.isEmpty {
                throw ValidationError("An AWS CloudHSM key store needs \(missing.joined(separator: ", ")). For an external key store add --type external.")
            }
        case .external:
            let cloudHSM = [("--cluster-id", clusterId), ("--trust-anchor-certificate", trustAnchorCertificate), ("--password", password)]
                .filter { $0.1 != nil }.map(\.0)
            if !cloudHSM.isEmpty {
                throw ValidationError("\(cloudHSM.joined(separator: ", ")) apply to AWS CloudHSM key stores, not to --type external.")
            }
        }
    }

    func run() async throws {
        try await reportingErrors {
            try world.refuseIfReadOnly("create key stores")
            let request: CreateKeyStoreRequest
            switch type {
            case .cloudhsm:
                let pem = try readCertificate(trustAnchorCertificate ?? "")
                request = CreateKeyStoreRequest(name: name, cloudHsmClusterId: clusterId ?? "", trustAnchorCertificate: pem,
                                                keyStorePassword: password ?? "")
            case .external:
                request = CreateKeyStoreRequest(name: name, external: try proxy.settings())
            }
            let service = try world.openService(drive: false)
            let id = try await service.createKeyStore(request)
            if output == .json {
                print(JSONValue.object([("CustomKeyStoreId", .string(id))]).prettyPrinted())
            } else {
                print("Created \(name) (\(id)), DISCONNECTED. Connect it with: cks connect \(id) --wait")
            }
        }
    }
}

/// `--type` of `cks create` and `cks list`.
enum StoreTypeArgument: String, ExpressibleByArgument, CaseIterable {
    case cloudhsm
    case external

    var storeType: CustomKeyStoreType {
        switch self {
        case .cloudhsm: .awsCloudHSM
        case .external: .externalKeyStore
        }
    }
}

/// `cks update`: UpdateCustomKeyStore.
struct Update: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rename a store, or change its settings (UpdateCustomKeyStore).",
        discussion: """
            A rename is allowed while CONNECTED or DISCONNECTED. AWS CloudHSM key stores: a new --password or \
            --cluster-id only while DISCONNECTED. External key stores: a new --path or credential (--access-key-id \
            with --secret-file, or --proxy-config) while CONNECTED or DISCONNECTED; --connectivity, --endpoint and the \
            VPC endpoint service only while DISCONNECTED (a new connectivity needs a new --endpoint too). The secret is \
            never printed.
            """
    )

    @Argument(help: "The store's ID or name.") var store: String
    @Option(help: "The new name.") var newName: String?
    @Option(help: "AWS CloudHSM key stores: kmsuser's current password in the cluster (7-32 characters).") var password: String?
    @Option(help: "AWS CloudHSM key stores: a cluster related to the current one (restored from its backup).") var clusterId: String?
    @OptionGroup(title: "External key store options") var proxy: XKSProxyOptions
    @Option(name: [.short, .long], help: "table or json.") var output: OutputFormat = .table
    @OptionGroup var world: WorldOptions

    func validate() throws {
        if newName == nil && password == nil && clusterId == nil && !proxy.anyGiven {
            throw ValidationError("Give at least one change: --new-name; --password or --cluster-id (AWS CloudHSM key stores); --connectivity, --endpoint, --path, --access-key-id with --secret-file, --proxy-config or --vpc-endpoint-service-name/-owner (external key stores).")
        }
    }

    func run() async throws {
        try await reportingErrors {
            try world.refuseIfReadOnly("update key stores")
            let (path, credential) = try proxy.access()
            let (service, target) = try await world.openStore(store, drive: false)
            switch target.type {
            case .awsCloudHSM where proxy.anyGiven:
                throw XKSProxyOptions.usage("\(target.name) is an AWS CloudHSM key store: \(proxy.givenNames.joined(separator: ", ")) apply only to external key stores.")
            case .externalKeyStore where password != nil || clusterId != nil:
                throw XKSProxyOptions.usage("\(target.name) is an external key store: --password and --cluster-id apply only to AWS CloudHSM key stores.")
            default: break
            }
            try await service.updateKeyStore(UpdateKeyStoreRequest(
                customKeyStoreId: target.id, newName: newName, keyStorePassword: password, cloudHsmClusterId: clusterId,
                xksProxyConnectivity: proxy.connectivity?.connectivity, xksProxyUriEndpoint: proxy.endpoint, xksProxyUriPath: path,
                xksProxyCredential: credential, xksProxyVpcEndpointServiceName: proxy.vpcEndpointServiceName,
                xksProxyVpcEndpointServiceOwner: proxy.vpcEndpointServiceOwner))
            print(output == .json ? "{}" : "Updated \(newName ?? target.name) (\(target.id)).")
        }
    }
}

/// `cks delete`: DeleteCustomKeyStore.
struct Delete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Delete a DISCONNECTED store that holds no keys (DeleteCustomKeyStore)."
    )

    @Argument(help: "The store's ID or name.") var store: String
    @Option(name: [.short, .long], help: "table or json.") var output: OutputFormat = .table
    @OptionGroup var world: WorldOptions

    func run() async throws {
        try await reportingErrors {
            try world.refuseIfReadOnly("delete key stores")
            let (service, target) = try await world.openStore(store, drive: false)
            try await service.deleteKeyStore(id: target.id)
            print(output == .json ? "{}" : "Deleted \(target.name) (\(target.id)).")
        }
    }
}
