import ArgumentParser
import Foundation
import KeyStoreEngine

/// `cks connect`: ConnectCustomKeyStore, returning at once or following the workflow with `--wait`.
typealias Connect = WorkflowCommand<ConnectWorkflow>
/// `cks disconnect`: DisconnectCustomKeyStore.
typealias Disconnect = WorkflowCommand<DisconnectWorkflow>

/// What tells `cks connect` and `cks disconnect` apart: the workflow, and the words of their help.
protocol WorkflowCommandKind {
    static var kind: WorkflowKind { get }
    static var configuration: CommandConfiguration { get }
    static var waitHelp: String { get }
}

enum ConnectWorkflow: WorkflowCommandKind {
    static let kind = WorkflowKind.connect
    static let configuration = CommandConfiguration(
        commandName: "connect",
        abstract: "Connect a custom key store to its CloudHSM cluster or external key store proxy (ConnectCustomKeyStore).",
        discussion: "Returns as soon as KMS accepts the request, like the API. With --wait, shows each step until the store is CONNECTED or FAILED."
    )
    static let waitHelp = "Follow the connect step by step until CONNECTED or FAILED."
}

enum DisconnectWorkflow: WorkflowCommandKind {
    static let kind = WorkflowKind.disconnect
    static let configuration = CommandConfiguration(
        commandName: "disconnect",
        abstract: "Disconnect a custom key store from its cluster or proxy (DisconnectCustomKeyStore).",
        discussion: "Works from CONNECTED, CONNECTING or FAILED. Its keys become Unavailable at once."
    )
    static let waitHelp = "Follow the disconnect until DISCONNECTED."
}

/// `cks connect` and `cks disconnect`: start the workflow, and with `--wait` follow it to its end.
struct WorkflowCommand<Kind: WorkflowCommandKind>: AsyncParsableCommand {
    static var configuration: CommandConfiguration { Kind.configuration }

    @Argument(help: "The store's ID or name.") var store: String
    @Flag(help: ArgumentHelp(Kind.waitHelp)) var wait = false
    @Option(name: [.short, .long], help: "table or json.") var output: OutputFormat = .table
    @OptionGroup var world: WorldOptions

    func run() async throws {
        let kind = Kind.kind
        var outcome: WorkflowOutcome?
        try await reportingErrors {
            try world.refuseIfReadOnly(kind == .connect ? "connect key stores" : "disconnect key stores")
            let (service, store) = try await world.openStore(store, drive: wait)
            let style = TextStyle.forStandardOutput()
            if wait {
                outcome = try await follow(kind, store: store, on: service, style: style)
            } else {
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

    /// `--wait`: the preflight where the backend has one, then each step until the store settles. Ctrl-C stops
    /// following, not the workflow, and says so before cks exits.
    private func follow(
        _ kind: WorkflowKind, store: CustomKeyStore, on service: any KeyStoreService, style: TextStyle
    ) async throws -> WorkflowOutcome? {
        if kind == .connect, output == .table, let preflight = service as? any ConnectPreflightService {
            PreflightPrinter(style: style).show(try await preflight.connectPreflight(keyStoreId: store.id))
        }
        let updates = try await WorkflowTracker.start(kind, keyStoreId: store.id, on: service)
        let notice = "\ncks: stopped following the \(kind.rawValue) of \(store.name) (\(store.id)); the \(kind.rawValue) goes on in KMS. "
            + "Follow it with \(Self.followHint(kind, storeId: store.id))."
        let watcher = SignalWatcher(signals: [SIGINT, SIGTERM], onSecond: "cks: stopping at once (second signal).") {
            FileHandle.standardError.write(Data((notice + "\n").utf8))
            Foundation.exit(128 + SIGINT)
        }
        defer { watcher.cancel() }
        if output == .table {
            emit(style.bold("\(kind == .connect ? "Connecting" : "Disconnecting") \(store.name) (\(store.id))")
                 + (store.cloudHsmClusterId.map { " — cluster \($0)" }
                    ?? store.xksProxyConfiguration.map { " — proxy \($0.uriEndpoint)\($0.uriPath)" } ?? ""))
        }
        let outcome = await WorkflowPrinter(style: style, store: store, json: output == .json, service: service).follow(updates)
        if output == .json {
            let settled = try await service.keyStore(idOrName: store.id)
            print(JSONValue.object([("CustomKeyStores", .array([settled.apiJSON]))]).prettyPrinted())
        }
        return outcome
    }

    /// How to keep an eye on a workflow after Ctrl-C (a disconnect cannot be started again while DISCONNECTING).
    static func followHint(_ kind: WorkflowKind, storeId: String) -> String {
        kind == .connect
            ? "`cks list --id \(storeId)` or `cks connect \(storeId) --wait`"
            : "`cks list --id \(storeId)`"
    }
}
