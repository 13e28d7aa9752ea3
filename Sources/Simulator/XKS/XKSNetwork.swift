import Foundation
import KeyStoreEngine
import LocalCA
import Synchronization
import XKSClient

/// The simulated KMS's side of the network to external key store proxies: the world's routes, the embedded
/// proxy, and one `XKSProxyClient` (trusting only the cks CA, signing for the world's Region) with its keep-alive
/// connections, for the lifetime of a `SimulatorService`.
final class XKSNetwork: ProxyHealthChecker {
    let home: URL
    let region: String
    /// Per attempt; KMS waits 250 ms and retries once after a timeout.
    let timeout: Duration
    let embedded: EmbeddedXKSProxy
    private let client: Mutex<XKSProxyClient?> = Mutex(nil)

    init(home: URL, region: String, timeout: Duration = .milliseconds(250)) {
        self.home = home
        self.region = region
        self.timeout = timeout
        embedded = EmbeddedXKSProxy(home: home)
    }

    /// KMS's 250 ms, or `CKS_XKS_TIMEOUT_MS` (1 to 60000) when set.
    static func timeout(environment: [String: String]) -> Duration {
        guard let text = environment["CKS_XKS_TIMEOUT_MS"], let milliseconds = Int(text), (1...60_000).contains(milliseconds) else {
            return .milliseconds(250)
        }
        return .milliseconds(milliseconds)
    }

    /// The client, made on first use with the cks CA of the home (made too if it does not exist yet).
    func proxyClient() -> Result<XKSProxyClient, XKSCallFailure> {
        if let made = client.withLock({ $0 }) { return .success(made) }
        let ca: LocalCA
        do throws(LocalCAError) {
            ca = try LocalCA.loadOrCreate(home: home)
        } catch {
            return .failure(.tls("the simulated KMS has no CA to trust: \(error.message)"))
        }
        return .success(client.withLock { current in
            if let current { return current }
            let made = XKSProxyClient(configuration: XKSClientConfiguration(trustRootsPEM: [ca.certificatePEM], region: region,
                                                                                  timeout: timeout))
            current = made
            return made
        })
    }

    func checkHealth(_ request: ProxyHealthRequest, at now: Date) async -> ProxyHealthCall {
        let started = ContinuousClock.now
        let result: Result<XKSProxyHealth.Report, XKSCallFailure>
        switch (await address(for: request), proxyClient()) {
        case let (.success(address), .success(client)):
            result = await client.getHealthStatus(at: address, uriPath: request.uriPath, credential: request.credential,
                                                  kmsOperation: request.kmsOperation, kmsRequestId: UUID().uuidString.lowercased())
        case let (.failure(failure), _), let (_, .failure(failure)):
            result = .failure(failure)
        }
        let elapsed = started.duration(to: .now)
        let latency = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        switch result {
        case let .success(report):
            return ProxyHealthCall(health: XKSProxyHealth(checkedAt: now, kmsOperation: request.kmsOperation, latency: latency,
                                                          outcome: .answered(report)), keyStoreError: nil)
        case let .failure(failure):
            return ProxyHealthCall(health: XKSProxyHealth(checkedAt: now, kmsOperation: request.kmsOperation, latency: latency,
                                                          outcome: .failed(code: failure.connectionErrorCode, detail: failure.description)),
                                   keyStoreError: failure.keyStoreError())
        }
    }

    /// Where the route of the request's host leads; a host without a route does not resolve.
    func address(for request: ProxyHealthRequest) async -> Result<XKSProxyAddress, XKSCallFailure> {
        switch request.route {
        case nil:
            return .failure(Self.noRoute(to: request.host))
        case let .address(address, port):
            return .success(XKSProxyAddress(host: request.host, address: address, port: port))
        case .embedded:
            do throws(KMSError) {
                let port = try await embedded.port(covering: request.embeddedHosts + [request.host])
                return .success(XKSProxyAddress(host: request.host, address: "127.0.0.1", port: port))
            } catch {
                return .failure(.notReachable("the embedded proxy for \(request.host) is not running: \(error.message)"))
            }
        }
    }

    /// A host the world has no route for does not resolve.
    static func noRoute(to host: String) -> XKSCallFailure {
        .notReachable("\(host) does not resolve: the world has no route for it (`cks sim xks-route \(host) embedded|ADDRESS:PORT`)")
    }

    func shutdown() async {
        let current = client.withLock { client -> XKSProxyClient? in defer { client = nil }; return client }
        await current?.shutdown()
        await embedded.stop()
    }
}
