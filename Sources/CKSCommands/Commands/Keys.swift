import ArgumentParser
import Foundation
import KeyStoreEngine

/// `cks keys`: the KMS keys of a store, their visible state and last use.
struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the KMS keys of a store with their KeyState and last use.",
        discussion: "Keys are Unavailable while their store is not CONNECTED (PendingDeletion stays)."
    )

    @Argument(help: "The store's ID or name.") var store: String
    @Option(name: [.short, .long], help: "table or json.") var output: OutputFormat = .table
    @OptionGroup var world: WorldOptions

    func run() async throws {
        try await reportingErrors {
            let service = try world.openService(drive: false)
            let target = try await service.keyStore(idOrName: store)
            let keys = try await service.keys(inKeyStore: target.id)
            switch output {
            case .json:
                let items = keys.map { key -> JSONValue in
                    var fields: [(String, JSONValue)] = [("KeyMetadata", key.keyMetadataJSON(accountId: service.backend.accountId))]
                    if let usage = key.lastUsage {
                        fields.append(("LastUsage", .object([("Operation", .string(usage.operation)),
                                                             ("Time", .number(usage.time.kmsEpochSeconds))])))
                    }
                    return .object(fields)
                }
                print(JSONValue.object([("Keys", .array(items))]).prettyPrinted())
            case .table:
                let style = TextStyle.forStandardOutput()
                print("\(target.name) (\(target.id)): \(style.badge(target.connectionState, errorCode: target.connectionErrorCode))")
                guard !keys.isEmpty else { print("No KMS keys."); return }
                let rows = keys.map { key in
                    [key.id, KeyStateText.paint(key.keyState, style: style), key.description,
                     key.lastUsage.map { "\($0.operation) \(RelativeTime.describe($0.time, now: Date()))" } ?? "never"]
                }
                print(Table(headers: ["KEY ID", "STATE", "DESCRIPTION", "LAST USED"], rows: rows).render(style: style))
            }
        }
    }
}

/// `cks create-key`: CreateKey with CustomKeyStoreId and Origin AWS_CLOUDHSM.
struct CreateKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-key",
        abstract: "Create a KMS key in a CONNECTED store (CreateKey, Origin AWS_CLOUDHSM).",
        discussion: "With --backend aws this calls KMS CreateKey with CustomKeyStoreId, Origin AWS_CLOUDHSM, KeySpec SYMMETRIC_DEFAULT."
    )

    @Argument(help: "The store's ID or name.") var store: String
    @Option(help: "A description of the key.") var description: String = ""
    @Option(name: [.short, .long], help: "table or json.") var output: OutputFormat = .table
    @OptionGroup var world: WorldOptions

    func run() async throws {
        try await reportingErrors {
            let service = try world.openService(drive: false)
            let target = try await service.keyStore(idOrName: store)
            guard let keyService = service as? any KMSKeyService else {
                throw CLIError(message: "This backend cannot create keys.", exitCode: ExitStatus.usage)
            }
            let key = try await keyService.createKey(inKeyStore: target.id, description: description)
            if output == .json {
                print(JSONValue.object([("KeyMetadata", key.keyMetadataJSON(accountId: service.backend.accountId))]).prettyPrinted())
            } else {
                print("Created \(key.id) in \(target.name): \(key.keyState.rawValue)\n\(key.arn)")
            }
        }
    }
}

/// Key states in colour: Enabled green, Disabled dim, PendingDeletion yellow, Unavailable red.
enum KeyStateText {
    static func paint(_ state: KeyState, style: TextStyle) -> String {
        switch state {
        case .enabled: style.green(state.rawValue)
        case .unavailable: style.red(state.rawValue)
        case .pendingDeletion: style.yellow(state.rawValue)
        default: style.dim(state.rawValue)
        }
    }
}

/// "3 min ago", "2 days ago".
enum RelativeTime {
    static func describe(_ time: Date, now: Date) -> String {
        let seconds = now.timeIntervalSince(time)
        if seconds < 60 { return "just now" }
        if seconds < 3600 { return "\(Int(seconds / 60)) min ago" }
        if seconds < 86_400 { return "\(Int(seconds / 3600)) h ago" }
        return "\(Int(seconds / 86_400)) days ago"
    }
}
