import Foundation
import KeyStoreEngine
import LocalCA
import XKSProxy

/// The XKS proxy the simulator runs in its own process for the hosts the world routes to `embedded`, so the demo
/// world's external key stores work with no second command.
///
/// It is the customer's proxy, not part of the simulated AWS: it serves the normal proxy state of the cks home
/// (`$CKS_HOME/xks-proxy`), so `cks xks-proxy list-keys`, `fault` and `rotate-credential` act on it (a running
/// one follows their changes), and it appends to the same request log. It starts on first use, on a loopback
/// port the system chooses, with a server certificate from the cks CA for every embedded host; a newly routed
/// host restarts it with a certificate that covers it.
actor EmbeddedXKSProxy {
    let home: URL
    private var running: RunningXKSProxy?
    private var names: Set<String> = []

    init(home: URL) {
        self.home = home
    }

    /// The loopback port of the running proxy, started (or restarted) so that its certificate covers `hosts`.
    func port(covering hosts: [String]) async throws(KMSError) -> Int {
        if let running, Set(hosts).isSubset(of: names) { return running.port }
        await running?.stop()
        running = nil
        guard ProxyDatabase.exists(home: home) else {
            throw KMSError(.kmsInternal, "The embedded XKS proxy has no state in \(home.path): make it with `cks xks-proxy init --uri-path-prefix /example/prefix`.")
        }
        let wanted = names.union(hosts)
        do {
            let ca = try LocalCA.loadOrCreate(home: home)
            let tls = ProxyTLSOptions(ca: ca, hostNames: wanted.sorted() + ProxyTLSOptions.loopbackNames)
            let proxy = try await RunningXKSProxy.start(home: home, host: "127.0.0.1", port: 0, tls: tls, threads: 1)
            running = proxy
            names = wanted
            return proxy.port
        } catch let error as LocalCAError {
            throw KMSError(.kmsInternal, "The embedded XKS proxy cannot get a certificate: \(error)")
        } catch let error as XKSProxyError {
            throw KMSError(.kmsInternal, "The embedded XKS proxy cannot start: \(error)")
        } catch {
            throw KMSError(.kmsInternal, "The embedded XKS proxy cannot start: \(error)")
        }
    }

    /// Makes the proxy read its state file now (after the simulator changed it, e.g. a repair).
    func reload() async {
        try? await running?.reload()
    }

    func stop() async {
        await running?.stop()
        running = nil
        names = []
    }
}
