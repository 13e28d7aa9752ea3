import ArgumentParser
import Dispatch
import Foundation
import LocalCA
import XKSProxy

/// `cks xks-proxy serve`: the XKS Proxy API v1 for every logical key store, over HTTPS.
struct XKSProxyServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the XKS Proxy API v1 (HTTPS by default) for every logical key store.",
        discussion: """
            POST <prefix>/kms/xks/v1/health and <prefix>/kms/xks/v1/keys/<id>/{metadata,encrypt,decrypt}, signed \
            with SigV4 (service kms-xks-proxy, the proxy's Region); GET /ping answers load balancers. The server \
            certificate is issued by the cks CA for localhost, 127.0.0.1, ::1 and every --hostname; trust it with \
            `curl --cacert "$(cks xks-proxy ca --path)"`. Changes made with other cks xks-proxy commands (keys, \
            credentials, faults) apply while it runs. Ctrl-C (SIGINT) or SIGTERM stops it.
            """
    )

    @Option(help: "The address to listen on. Loopback by default.")
    var host = "127.0.0.1"

    @Option(help: "The TCP port (0 lets the system choose).")
    var port = 8443

    @Flag(help: "Serve plain HTTP instead of HTTPS (tests only; KMS only speaks HTTPS).")
    var http = false

    @Option(name: .customLong("hostname"), help: ArgumentHelp("Another host name the proxy is reached by, for its certificate (repeatable).", valueName: "name"))
    var hostNames: [String] = []

    @Flag(help: "Require mutual TLS: clients must present a certificate signed by the cks CA.")
    var mtls = false

    func run() async throws {
        try await XKSProxyCLI.run {
            guard (0...65_535).contains(port) else {
                throw CLIError(message: "--port must be between 0 and 65535.", exitCode: ExitStatus.usage)
            }
            if http && (mtls || !hostNames.isEmpty) {
                throw CLIError(message: "--http serves plain HTTP: --mtls and --hostname only apply to HTTPS.", exitCode: ExitStatus.usage)
            }
            let home = XKSProxyCLI.home
            var tls: ProxyTLSOptions?
            if !http {
                let ca: LocalCA
                do { ca = try LocalCA.loadOrCreate(home: home) } catch { throw CLIError(message: "\(error)", exitCode: ExitStatus.usage) }
                var names = ProxyTLSOptions.loopbackNames
                for name in hostNames + [host] where !names.contains(name) && name != "0.0.0.0" && name != "::" { names.append(name) }
                tls = ProxyTLSOptions(ca: ca, hostNames: names, mutualTLS: mtls)
            }
            let proxy = try await RunningXKSProxy.start(home: home, host: host, port: port, tls: tls)
            let watcher = SignalWatcher(signals: [SIGINT, SIGTERM], onSecond: "cks xks-proxy: stopping at once (second signal).") { Task { await proxy.stop() } }
            let scheme = http ? "http" : "https"
            let shownHost = host == "127.0.0.1" && !http ? "localhost" : host
            emit("cks xks-proxy listening on \(scheme)://\(shownHost):\(proxy.port)\(mtls ? " (mutual TLS)" : "")")
            if let tls { emit("  certificate for \(tls.hostNames.joined(separator: ", ")), CA \(LocalCA.certificateURL(home: home).path)") }
            let snapshot = proxy.engine.snapshot
            for store in snapshot.stores.values.sorted(by: { $0.prefix < $1.prefix }) {
                emit("  \(scheme)://\(shownHost):\(proxy.port)\(store.uriPath)  (\(snapshot.keys[store.prefix]?.count ?? 0) keys)")
            }
            emit("  requests are logged in \(proxy.log.path)")
            await proxy.server.waitUntilStopped()
            watcher.cancel()
        }
    }
}

/// `cks xks-proxy ca`: the local CA certificate.
struct XKSProxyCA: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ca",
        abstract: "Print the cks CA certificate (PEM) that signs the proxy's certificates, making the CA if needed.",
        discussion: "Trust it where the proxy is called from, e.g. curl --cacert \"$(cks xks-proxy ca --path)\"."
    )

    @Flag(help: "Print the path of the CA certificate file instead of the certificate.")
    var path = false

    func run() async throws {
        try await XKSProxyCLI.run {
            let home = XKSProxyCLI.home
            let ca: LocalCA
            do { ca = try LocalCA.loadOrCreate(home: home) } catch { throw CLIError(message: "\(error)", exitCode: ExitStatus.usage) }
            if path {
                emit(LocalCA.certificateURL(home: home).path)
            } else {
                let pem = ca.certificatePEM
                FileHandle.standardOutput.write(Data((pem.hasSuffix("\n") ? pem : pem + "\n").utf8))
            }
        }
    }
}
