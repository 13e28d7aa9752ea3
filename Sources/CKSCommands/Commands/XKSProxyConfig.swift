import ArgumentParser
import Foundation
import XKSProxy

/// `cks xks-proxy config`: the proxy configuration file of a logical key store that already exists.
struct XKSProxyConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Print the proxy configuration file of a logical key store (URI path and credential, with its secret).",
        discussion: """
            The file is what the KMS console's "Upload configuration file" and `cks create --type external \\
            --proxy-config FILE` accept. It holds the secret: write it to a file only you can read, e.g.
              (umask 077; cks xks-proxy config > proxy-config.json)
            """
    )

    @Option(help: ArgumentHelp("The logical key store (needed when the proxy has several).", valueName: "prefix"))
    var uriPathPrefix: String?

    @Option(help: ArgumentHelp("The credential to print, when the store holds two during a rotation (default: the newest).", valueName: "id"))
    var accessKeyId: String?

    func run() async throws {
        try await XKSProxyCLI.run {
            let database = try XKSProxyCLI.open()
            defer { database.close() }
            let prefix = try XKSProxyCLI.prefix(uriPathPrefix, in: database)
            guard let store = try database.snapshot().stores[prefix] else {
                throw XKSProxyError("The proxy has no logical key store \(XKSProxyCLI.shown(prefix)). `cks xks-proxy status` lists them.")
            }
            let credential: ProxyCredential
            if let accessKeyId {
                guard let chosen = store.credentials.first(where: { $0.accessKeyId == accessKeyId }) else {
                    throw XKSProxyError("\(store.uriPath) has no credential \(accessKeyId); it has \(store.credentials.map(\.accessKeyId).joined(separator: ", ")).")
                }
                credential = chosen
            } else {
                guard let newest = store.credentials.last else {
                    throw XKSProxyError("\(store.uriPath) has no credential. Add one with: cks xks-proxy rotate-credential --uri-path-prefix \(XKSProxyCLI.shown(prefix))")
                }
                credential = newest
            }
            emit(XKSProxyCLI.json(XKSProxyCredentialInput.configuration(prefix: prefix, credential: credential)))
        }
    }
}
