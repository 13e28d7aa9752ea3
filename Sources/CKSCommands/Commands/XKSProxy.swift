import ArgumentParser
import Foundation
import XKS
import XKSProxy

/// `cks xks-proxy`: a real external key store proxy (XKS Proxy API v1 over HTTPS) with its own keys.
struct XKSProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xks-proxy",
        abstract: "Run an external key store proxy (XKS Proxy API v1) with its own keys.",
        discussion: """
            The proxy belongs to the customer's side: its state (logical key stores, credentials, AES-256 keys, \
            faults) lives in $CKS_HOME/xks-proxy/proxy.sqlite, apart from the simulated AWS world, and every \
            request is logged in $CKS_HOME/xks-proxy/requests.log. TLS certificates come from a local CA \
            under $CKS_HOME/ca (`cks xks-proxy ca` prints it).

            Start with:
              cks xks-proxy init --uri-path-prefix /example/uri/path/prefix
              cks xks-proxy create-key foo
              cks xks-proxy serve --port 8443
              cks xks-proxy config > proxy-config.json   (for cks create --type external --proxy-config)
            """,
        subcommands: [
            XKSProxyInit.self, XKSProxyRotateCredential.self, XKSProxyCreateKey.self, XKSProxyListKeys.self,
            XKSProxyEnableKey.self, XKSProxyDisableKey.self, XKSProxyStatus.self, XKSProxyServe.self, XKSProxyCA.self,
            XKSProxyFault.self, XKSProxyConfig.self,
        ]
    )
}

/// Helpers the `cks xks-proxy` commands share.
enum XKSProxyCLI {
    static var home: URL { ProxyDatabase.defaultHome() }

    /// Runs a body, turning the proxy's errors into a clear message and exit status 2.
    static func run(_ body: () async throws -> Void) async throws {
        try await reportingErrors {
            do {
                try await body()
            } catch let error as XKSProxyError {
                throw CLIError(message: error.message, exitCode: ExitStatus.usage)
            }
        }
    }

    static func open() throws(XKSProxyError) -> ProxyDatabase {
        try ProxyDatabase.open(home: home, create: false)
    }

    /// The store a command means: the one `--uri-path-prefix` names, or the only one there is.
    static func prefix(_ given: String?, in database: ProxyDatabase) throws(XKSProxyError) -> String {
        if let given { return try CredentialRules.normalizePrefix(given) }
        let stores = try database.snapshot().stores.keys.sorted()
        guard stores.count == 1 else {
            throw XKSProxyError("The proxy has \(stores.count) logical key stores (\(stores.map(shown).joined(separator: ", "))): say which with --uri-path-prefix.")
        }
        return stores[0]
    }

    static func shown(_ prefix: String) -> String { prefix.isEmpty ? "\"\" (no prefix)" : prefix }

    static func json(_ object: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
