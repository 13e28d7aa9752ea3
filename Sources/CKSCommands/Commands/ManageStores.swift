import ArgumentParser
import Foundation
import KeyStoreEngine

/// `cks create`: CreateCustomKeyStore for a CloudHSM cluster.
struct Create: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a CloudHSM key store (CreateCustomKeyStore). It starts DISCONNECTED.",
        discussion: "The cluster must be ACTIVE, unused by another store, with two active HSMs in different Availability Zones. See the clusters with `cks sim clusters`."
    )

    @Option(help: "A name unique in the account and Region (1-256 characters).") var name: String
    @Option(help: "The CloudHSM cluster, e.g. cluster-1a23b4cdefg.") var clusterId: String
    @Option(help: "The cluster's customerCA.crt: a path, file://path, or the PEM itself. `cks sim trust-anchor CLUSTER > customerCA.crt` writes the simulator's.")
    var trustAnchorCertificate: String
    @Option(help: "The current password of the kmsuser crypto user (7-32 characters). On the simulator `cks sim clusters` shows it and `cks sim reset-kmsuser CLUSTER --password P` sets it.") var password: String
    @Option(name: [.short, .long], help: "table or json.") var output: OutputFormat = .table
    @OptionGroup var world: WorldOptions

    func run() async throws {
        try await reportingErrors {
            try world.refuseIfReadOnly("create key stores")
            let pem = try readCertificate(trustAnchorCertificate)
            let service = try world.openService(drive: false)
            let id = try await service.createKeyStore(CreateKeyStoreRequest(
                name: name, cloudHsmClusterId: clusterId, trustAnchorCertificate: pem, keyStorePassword: password))
            if output == .json {
                print(JSONValue.object([("CustomKeyStoreId", .string(id))]).prettyPrinted())
            } else {
                print("Created \(name) (\(id)), DISCONNECTED. Connect it with: cks connect \(id) --wait")
            }
        }
    }
}

/// `cks update`: UpdateCustomKeyStore.
struct Update: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rename a store, or change its kmsuser password or cluster (UpdateCustomKeyStore).",
        discussion: "A rename is allowed while CONNECTED or DISCONNECTED; a new password or cluster only while DISCONNECTED."
    )

    @Argument(help: "The store's ID or name.") var store: String
    @Option(help: "The new name.") var newName: String?
    @Option(help: "kmsuser's current password in the cluster (7-32 characters).") var password: String?
    @Option(help: "A cluster related to the current one (restored from its backup).") var clusterId: String?
    @Option(name: [.short, .long], help: "table or json.") var output: OutputFormat = .table
    @OptionGroup var world: WorldOptions

    func validate() throws {
        if newName == nil && password == nil && clusterId == nil {
            throw ValidationError("Give at least one of --new-name, --password, --cluster-id.")
        }
    }

    func run() async throws {
        try await reportingErrors {
            try world.refuseIfReadOnly("update key stores")
            let (service, target) = try await world.openStore(store, drive: false)
            try await service.updateKeyStore(UpdateKeyStoreRequest(
                customKeyStoreId: target.id, newName: newName, keyStorePassword: password, cloudHsmClusterId: clusterId))
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
