import Foundation
import KeyStoreEngine
import LocalCA
import Simulator
import XKS
import XKSProxy

/// A simulated world with an XKS proxy state in its home (what the embedded proxy serves), and a real proxy on
/// loopback that tests start, break and repair. Call `remove()` at the end.
final class XKSWorld: Sendable {
    let world: World
    var service: SimulatorService { world.service }
    var home: URL { world.home }

    static let host = "xks.test.example.com"
    static let prefix = "/test/one"
    static let uriPath = prefix + "/kms/xks/v1"
    static let credential = XKSProxyCredential(accessKeyId: "TESTPROXYCREDENTIALONE", rawSecretAccessKey: String(repeating: "QUJD", count: 11))
    static let otherCredential = XKSProxyCredential(accessKeyId: "TESTPROXYCREDENTIALTWO", rawSecretAccessKey: String(repeating: "WFla", count: 11))
    static let vpcService = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"

    /// The proxy calls' timeout in these tests: KMS's 250 ms is too short for a debug build's TLS handshake on a
    /// loaded machine. Tests of a timeout make the proxy slower than `slowProxyMilliseconds`.
    static let timeout: Duration = .seconds(2)
    static let slowProxyMilliseconds = 5_000

    init(pace: WorkflowPace = .instant, drive: Bool = false) throws {
        world = try World(pace: pace, drive: drive, seed: .empty, xksTimeout: Self.timeout)
        let proxy = try Self.proxyDatabase(home: world.home)
        defer { proxy.close() }
        try proxy.addKeyStore(prefix: Self.prefix, credential: ProxyCredential(
            accessKeyId: Self.credential.accessKeyId, secretAccessKey: Self.credential.rawSecretAccessKey, createdAt: Date()))
        try proxy.createKey(prefix: Self.prefix, id: "test-key-1", usages: [.encrypt, .decrypt], now: Date())
    }

    static func proxyDatabase(home: URL) throws -> ProxyDatabase {
        do throws(XKSProxyError) { return try ProxyDatabase.open(home: home, create: true) } catch { throw TestFailure(error.message) }
    }

    func remove() async {
        await service.shutdownProxyConnections()
        world.remove()
    }

    /// Changes the proxy's faults in its state file (a running proxy follows after `reload`).
    func setFaults(_ change: @escaping (inout ProxyFaults) -> Void) throws {
        let proxy = try Self.proxyDatabase(home: home)
        defer { proxy.close() }
        do throws(XKSProxyError) {
            _ = try proxy.updateFaults { faults throws(XKSProxyError) in change(&faults) }
        } catch {
            throw TestFailure(error.message)
        }
    }

    /// Starts a real proxy on a loopback port over this world's proxy state, with a certificate from the cks CA
    /// for `hostNames`, and routes `host` to it.
    func startProxy(host: String = XKSWorld.host, hostNames: [String]? = nil, ca: LocalCA? = nil) async throws -> RunningXKSProxy {
        let authority: LocalCA
        if let ca {
            authority = ca
        } else {
            do throws(LocalCAError) { authority = try LocalCA.loadOrCreate(home: home) } catch { throw TestFailure(error.message) }
        }
        let tls = ProxyTLSOptions(ca: authority, hostNames: hostNames ?? [host])
        let proxy: RunningXKSProxy
        do throws(XKSProxyError) {
            proxy = try await RunningXKSProxy.start(home: home, host: "127.0.0.1", port: 0, tls: tls, threads: 1)
        } catch {
            throw TestFailure(error.message)
        }
        try await service.apply(.routeXKSHost(host: host, target: .address("127.0.0.1", port: proxy.port)))
        return proxy
    }

    func publicSettings(host: String = XKSWorld.host, path: String = XKSWorld.uriPath,
                        credential: XKSProxyCredential = XKSWorld.credential) -> XKSProxySettings {
        XKSProxySettings(connectivity: .publicEndpoint, uriEndpoint: "https://\(host)", uriPath: path, credential: credential)
    }

    func vpcSettings(host: String = XKSWorld.host, path: String = XKSWorld.uriPath, service: String = XKSWorld.vpcService,
                     owner: String? = nil, credential: XKSProxyCredential = XKSWorld.credential) -> XKSProxySettings {
        XKSProxySettings(connectivity: .vpcEndpointService, uriEndpoint: "https://\(host)", uriPath: path, credential: credential,
                         vpcEndpointServiceName: service, vpcEndpointServiceOwner: owner)
    }

    func create(_ name: String, _ settings: XKSProxySettings) async throws -> String {
        try await service.createKeyStore(CreateKeyStoreRequest(name: name, external: settings))
    }

    /// A VPC endpoint service name with a distinct suffix.
    static func service(_ suffix: String) -> String {
        "com.amazonaws.vpce.us-east-1.vpce-svc-0\(suffix)"
    }
}
