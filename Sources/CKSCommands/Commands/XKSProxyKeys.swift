import ArgumentParser
import Foundation
import XKS
import XKSProxy

/// `cks xks-proxy create-key`: an AES-256 key in the proxy's key manager.
struct XKSProxyCreateKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-key",
        abstract: "Create an AES-256 key in the proxy's key manager, with a chosen id and usages."
    )

    @Argument(help: ArgumentHelp("The external key id (1-128 characters of A-Z, a-z, 0-9, -, . and _).", valueName: "id"))
    var id: String

    @Option(help: ArgumentHelp("Comma-separated usages: ENCRYPT, DECRYPT, SIGN, VERIFY, WRAP, UNWRAP, or NONE. Default ENCRYPT,DECRYPT.", valueName: "usages"))
    var usage = "ENCRYPT,DECRYPT"

    @Option(help: ArgumentHelp("The logical key store (needed when the proxy has several).", valueName: "prefix"))
    var uriPathPrefix: String?

    func run() async throws {
        try await XKSProxyCLI.run {
            let usages: [XKSKeyUsage]
            switch XKSKeyUsage.parseList(usage) {
            case let .success(list): usages = list
            case let .failure(error): throw CLIError(message: "--usage: \(error)", exitCode: ExitStatus.usage)
            }
            let database = try XKSProxyCLI.open()
            defer { database.close() }
            let prefix = try XKSProxyCLI.prefix(uriPathPrefix, in: database)
            try database.createKey(prefix: prefix, id: id, usages: usages, now: Date())
            let shownUsages = usages.isEmpty ? "no usage" : usages.map(\.rawValue).joined(separator: ",")
            emit("Key \(id) created in \(XKSProxyCLI.shown(prefix)): AES_256, \(shownUsages), ENABLED.")
        }
    }
}

/// `cks xks-proxy list-keys`.
struct XKSProxyListKeys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list-keys", abstract: "List the keys of the proxy's key manager.")

    @Option(help: ArgumentHelp("Only the keys of this logical key store.", valueName: "prefix"))
    var uriPathPrefix: String?

    @Option(name: [.short, .long], help: "table or json.")
    var output: OutputFormat = .table

    func run() async throws {
        try await XKSProxyCLI.run {
            let database = try XKSProxyCLI.open()
            defer { database.close() }
            let only = try uriPathPrefix.map { given throws(XKSProxyError) in try CredentialRules.normalizePrefix(given) }
            let keys = try database.snapshot().keys.values.flatMap(\.values)
                .filter { only == nil || $0.prefix == only }
                .sorted { ($0.prefix, $0.id) < ($1.prefix, $1.id) }
            if output == .json {
                let rows: [[String: Any]] = keys.map {
                    ["KeyId": $0.id, "UriPathPrefix": $0.prefix, "KeySpec": XKSAlgorithm.aes256,
                     "KeyUsage": $0.usages.map(\.rawValue), "KeyStatus": $0.status,
                     "CreationDate": ISO8601DateFormatter().string(from: $0.createdAt)]
                }
                emit(XKSProxyCLI.json(["Keys": rows]))
                return
            }
            guard !keys.isEmpty else {
                emit("No keys. Create one with `cks xks-proxy create-key ID`.")
                return
            }
            let rows = keys.map { [$0.id, $0.prefix.isEmpty ? "/" : $0.prefix, $0.usages.isEmpty ? "-" : $0.usages.map(\.rawValue).joined(separator: ","), $0.status] }
            emit(Table(headers: ["KEY ID", "URI PATH PREFIX", "USAGE", "STATUS"], rows: rows).render(style: .forStandardOutput()))
        }
    }
}

/// `cks xks-proxy enable-key`.
struct XKSProxyEnableKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "enable-key", abstract: "Enable a key of the proxy's key manager.")

    @Argument(help: ArgumentHelp("The external key id.", valueName: "id")) var id: String
    @Option(help: ArgumentHelp("The logical key store (needed when the proxy has several).", valueName: "prefix")) var uriPathPrefix: String?

    func run() async throws {
        try await XKSProxyKeyState.set(id: id, prefix: uriPathPrefix, enabled: true)
    }
}

/// `cks xks-proxy disable-key`.
struct XKSProxyDisableKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable-key",
        abstract: "Disable a key of the proxy's key manager (Encrypt and Decrypt then fail with InvalidStateException)."
    )

    @Argument(help: ArgumentHelp("The external key id.", valueName: "id")) var id: String
    @Option(help: ArgumentHelp("The logical key store (needed when the proxy has several).", valueName: "prefix")) var uriPathPrefix: String?

    func run() async throws {
        try await XKSProxyKeyState.set(id: id, prefix: uriPathPrefix, enabled: false)
    }
}

enum XKSProxyKeyState {
    static func set(id: String, prefix given: String?, enabled: Bool) async throws {
        try await XKSProxyCLI.run {
            let database = try XKSProxyCLI.open()
            defer { database.close() }
            let prefix = try XKSProxyCLI.prefix(given, in: database)
            try database.setKeyEnabled(prefix: prefix, id: id, enabled: enabled)
            emit("Key \(id) in \(XKSProxyCLI.shown(prefix)) is \(enabled ? "ENABLED" : "DISABLED").")
        }
    }
}
