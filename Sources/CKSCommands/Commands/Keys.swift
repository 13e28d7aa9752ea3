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
            let (service, target) = try await world.openStore(store, drive: false)
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
                let external = target.type == .externalKeyStore
                let rows = keys.map { key in
                    [key.id, KeyStateText.paint(key.keyState, style: style)] + (external ? [key.xksKeyId ?? "-"] : [])
                        + [key.description, key.lastUsage.map { "\($0.operation) \(RelativeTime.describe($0.time, now: Date()))" } ?? "never"]
                }
                let headers = ["KEY ID", "STATE"] + (external ? ["XKS KEY ID"] : []) + ["DESCRIPTION", "LAST USED"]
                print(Table(headers: headers, rows: rows).render(style: style))
            }
        }
    }
}

/// `cks create-key`: CreateKey with CustomKeyStoreId, and Origin AWS_CLOUDHSM or EXTERNAL_KEY_STORE with XksKeyId.
struct CreateKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-key",
        abstract: "Create a KMS key in a CONNECTED store (CreateKey, Origin AWS_CLOUDHSM or EXTERNAL_KEY_STORE).",
        discussion: """
            In an AWS CloudHSM key store the key material is made in the cluster (Origin AWS_CLOUDHSM). In an \
            external key store the key is backed by an existing external key: name it with --xks-key-id (Origin \
            EXTERNAL_KEY_STORE); KMS asks the proxy for the external key's metadata first. The local proxy's keys: \
            `cks xks-proxy list-keys`. KeySpec is always SYMMETRIC_DEFAULT.
            """
    )

    @Argument(help: "The store's ID or name.") var store: String
    @Option(help: "A description of the key.") var description: String = ""
    @Option(help: ArgumentHelp("External key stores: the external key's ID in the proxy (XksKeyId, 1-128 characters of a-z, A-Z, 0-9, -, _, .).",
                               valueName: "id"))
    var xksKeyId: String?
    @Option(name: [.short, .long], help: "table or json.") var output: OutputFormat = .table
    @OptionGroup var world: WorldOptions

    func run() async throws {
        try await reportingErrors {
            try world.refuseIfReadOnly("create KMS keys")
            let service = try world.openKeyService()
            let target = try await service.keyStore(idOrName: store)
            switch target.type {
            case .externalKeyStore where xksKeyId == nil:
                throw CLIError(message: "\(target.name) is an external key store: give --xks-key-id ID, the external key's ID in its proxy (`cks xks-proxy list-keys` lists the local proxy's).",
                               exitCode: ExitStatus.usage)
            case .awsCloudHSM where xksKeyId != nil:
                throw CLIError(message: "\(target.name) is an AWS CloudHSM key store: --xks-key-id applies only to external key stores. Leave it out.",
                               exitCode: ExitStatus.usage)
            default: break
            }
            let key = try await service.createKey(inKeyStore: target.id, description: description, xksKeyId: xksKeyId)
            if output == .json {
                print(JSONValue.object([("KeyMetadata", key.keyMetadataJSON(accountId: service.backend.accountId))]).prettyPrinted())
            } else {
                let external = key.xksKeyId.map { " (external key \($0))" } ?? ""
                print("Created \(key.id) in \(target.name)\(external): \(key.keyState.rawValue)\n\(key.arn)")
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

/// `cks describe-key`: DescribeKey, as a list of fields or exactly as `aws kms describe-key` prints it.
struct DescribeKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe-key",
        abstract: "Show a KMS key's metadata (DescribeKey): state, origin, its custom key store, and its cluster or external key."
    )

    @Argument(help: "The key's ID or ARN (`cks keys STORE` lists them).") var key: String
    @Option(name: [.short, .long], help: "table or json.") var output: OutputFormat = .table
    @OptionGroup var world: WorldOptions

    func run() async throws {
        try await reportingErrors {
            let service = try world.openKeyService()
            let key = try await service.describeKey(key)
            if output == .json {
                print(JSONValue.object([("KeyMetadata", key.keyMetadataJSON(accountId: service.backend.accountId))]).prettyPrinted())
                return
            }
            let style = TextStyle.forStandardOutput()
            let minute = "yyyy-MM-dd HH:mm 'UTC'"
            var rows: [[String]] = [
                ["Key ID", key.id], ["ARN", key.arn], ["State", KeyStateText.paint(key.keyState, style: style)],
                ["Origin", key.origin.rawValue],
            ]
            if let store = key.customKeyStoreId { rows.append(["Custom key store", store]) }
            if let cluster = key.cloudHsmClusterId { rows.append(["CloudHSM cluster", cluster]) }
            if let external = key.xksKeyId { rows.append(["External key (XksKeyId)", external]) }
            rows.append(["Description", key.description.isEmpty ? "-" : key.description])
            rows.append(["Created", UTCDate.string(key.creationDate, minute)])
            if let deletion = key.deletionDate { rows.append(["Deletion date", UTCDate.string(deletion, minute)]) }
            print(rows.map { "\(style.bold($0[0].padding(toLength: 24, withPad: " ", startingAt: 0)))\($0[1])" }.joined(separator: "\n"))
        }
    }
}
