import ArgumentParser
import Foundation
import KeyStoreEngine

/// `cks connect`: ConnectCustomKeyStore, returning at once or following the workflow with `--wait`.
struct Connect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Connect a custom key store to its CloudHSM cluster (ConnectCustomKeyStore).",
        discussion: "Returns as soon as KMS accepts the request, like the API. With --wait, shows each step until the store is CONNECTED or FAILED."
    )

    @Argument(help: "The store's ID or name.") var store: String
    @Flag(help: "Follow the connect step by step until CONNECTED or FAILED.") var wait = false
    @Option(name: [.short, .long], help: "table or json.") var output: OutputFormat = .table
    @OptionGroup var world: WorldOptions

    func run() async throws {
        try await runWorkflow(.connect, store: store, wait: wait, output: output, world: world)
    }
}

/// `cks disconnect`: DisconnectCustomKeyStore.
struct Disconnect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Disconnect a custom key store from its cluster (DisconnectCustomKeyStore).",
        discussion: "Works from CONNECTED, CONNECTING or FAILED. Its keys become Unavailable at once."
    )

    @Argument(help: "The store's ID or name.") var store: String
    @Flag(help: "Follow the disconnect until DISCONNECTED.") var wait = false
    @Option(name: [.short, .long], help: "table or json.") var output: OutputFormat = .table
    @OptionGroup var world: WorldOptions

    func run() async throws {
        try await runWorkflow(.disconnect, store: store, wait: wait, output: output, world: world)
    }
}

private func runWorkflow(_ kind: WorkflowKind, store name: String, wait: Bool, output: OutputFormat, world: WorldOptions) async throws {
    var outcome: WorkflowOutcome?
    try await reportingErrors {
        let service = try world.openService(drive: wait)
        let style = TextStyle.forStandardOutput()
        if wait {
            let store = try await service.keyStore(idOrName: name)
            if kind == .connect, output == .table, let preflight = service as? any ConnectPreflightService {
                PreflightPrinter(style: style).show(try await preflight.connectPreflight(keyStoreId: store.id))
            }
            let updates = try await WorkflowTracker.start(kind, keyStoreId: store.id, on: service)
            if output == .table {
                emit(style.bold("\(kind == .connect ? "Connecting" : "Disconnecting") \(store.name) (\(store.id))")
                      + (store.cloudHsmClusterId.map { " — cluster \($0)" } ?? ""))
            }
            outcome = await WorkflowPrinter(style: style, store: store, json: output == .json).follow(updates)
            if output == .json {
                let settled = try await service.keyStore(idOrName: store.id)
                print(JSONValue.object([("CustomKeyStores", .array([settled.apiJSON]))]).prettyPrinted())
            }
        } else {
            let store = try await service.keyStore(idOrName: name)
            switch kind {
            case .connect: try await service.connectKeyStore(id: store.id)
            case .disconnect: try await service.disconnectKeyStore(id: store.id)
            }
            if output == .json {
                print("{}")
            } else {
                let now = try await service.keyStore(idOrName: store.id)
                print("\(store.name) (\(store.id)): \(style.badge(now.connectionState, errorCode: now.connectionErrorCode))")
                print(style.dim("Follow it with `cks list --id \(store.id)` or `cks \(kind.rawValue) \(store.id) --wait`."))
            }
        }
    }
    if case .failed = outcome { throw ExitCode(ExitStatus.storeFailed) }
}
