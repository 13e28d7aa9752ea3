import Foundation
import KeyStoreEngine
import LocalCA
import Simulator
import Testing
import XKS
import XKSProxy

/// Connecting external key stores through a real proxy on loopback: every XKS ConnectionErrorCode comes from
/// what happens on the wire (or in the simulated VPC), CONNECTED from a good answer (XKS spec sections 2 and 9.3).
@Suite("external key store connect")
struct XKSConnectTests {
    /// One way a connect fails, and the code it must end with.
    enum Failure: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case noRoute, portClosed, proxyStopsListening, allKeyManagersUnavailable, throttled, dependencyTimeout
        case certificateForAnotherHost, expiredCertificate, untrustedCA
        case slowProxy
        case refusedCredential, unknownSecret
        case accessDenied
        case wrongUriPath
        case nonJSONAnswer, missingFields, internalException
        case endpointServiceNotFound, kmsNotAllowed, privateDNSUnverified, acceptanceRequired, oneZone
        case kmsInternalError

        var testDescription: String { rawValue }

        var code: ConnectionErrorCode {
            switch self {
            case .noRoute, .portClosed, .proxyStopsListening, .allKeyManagersUnavailable, .throttled, .dependencyTimeout:
                .xksProxyNotReachable
            case .certificateForAnotherHost, .expiredCertificate, .untrustedCA: .xksProxyInvalidTLSConfiguration
            case .slowProxy: .xksProxyTimedOut
            case .refusedCredential, .unknownSecret: .invalidCredentials
            case .accessDenied: .xksProxyAccessDenied
            case .wrongUriPath: .xksProxyInvalidConfiguration
            case .nonJSONAnswer, .missingFields, .internalException: .xksProxyInvalidResponse
            case .endpointServiceNotFound, .kmsNotAllowed: .xksVPCEndpointServiceNotFound
            case .privateDNSUnverified, .acceptanceRequired, .oneZone: .xksVPCEndpointServiceInvalidConfiguration
            case .kmsInternalError: .internalError
            }
        }

        /// The store's settings. Public stores are created with a healthy proxy (Create calls it); settings that
        /// Create would refuse after its GetHealthStatus are given to a VPC store, which Create does not test.
        func settings(_ xks: XKSWorld) -> XKSProxySettings {
            switch self {
            case .wrongUriPath: xks.vpcSettings(path: "/not/served/kms/xks/v1")
            case .unknownSecret:
                xks.vpcSettings(credential: XKSProxyCredential(accessKeyId: XKSWorld.credential.accessKeyId,
                                                               rawSecretAccessKey: String(repeating: "Wlpa", count: 11)))
            // A certificate is checked when a connection opens: a public store's Create leaves one open (keep-alive).
            // A slow proxy would fail a public store's Create too.
            case .untrustedCA, .certificateForAnotherHost, .slowProxy, .expiredCertificate, .endpointServiceNotFound, .kmsNotAllowed, .privateDNSUnverified, .acceptanceRequired, .oneZone:
                xks.vpcSettings()
            default: xks.publicSettings()
            }
        }

        /// Whether the connect reaches the health call (so its answer is kept).
        var callsProxy: Bool {
            switch self {
            case .endpointServiceNotFound, .kmsNotAllowed, .privateDNSUnverified, .acceptanceRequired, .oneZone, .kmsInternalError: false
            default: true
            }
        }

        /// Breaks the world or the proxy after the store was created (with a healthy proxy) and before the connect.
        func apply(to xks: XKSWorld, proxy: RunningXKSProxy, store: String) async throws {
            switch self {
            case .noRoute: try await xks.service.apply(.unrouteXKSHost(host: XKSWorld.host))
            case .portClosed: await proxy.stop()
            case .proxyStopsListening: try xks.setFaults { $0.stopListening = true }
            case .allKeyManagersUnavailable: try xks.setFaults { $0.keyManager = [0: .unavailable] }
            case .throttled: try xks.setFaults { $0.errorStatus = 429 }
            case .dependencyTimeout: try xks.setFaults { $0.errorStatus = 503 }
            case .certificateForAnotherHost: try xks.setFaults { $0.certificate = .wrongHost }
            case .expiredCertificate: try xks.setFaults { $0.certificate = .expired }
            case .untrustedCA: break  // the proxy was started with a certificate from another CA
            case .slowProxy: try xks.setFaults { $0.latencyMilliseconds = XKSWorld.slowProxyMilliseconds }
            case .refusedCredential: try xks.setFaults { $0.refusedAccessKeyIds = [XKSWorld.credential.accessKeyId] }
            case .unknownSecret, .wrongUriPath: break  // the store was created so
            case .accessDenied: try xks.setFaults { $0.errorStatus = 403 }
            case .nonJSONAnswer: try xks.setFaults { $0.garbage = .nonJSON }
            case .missingFields: try xks.setFaults { $0.garbage = .missingFields }
            case .internalException: try xks.setFaults { $0.errorStatus = 500 }
            case .endpointServiceNotFound: try await xks.service.apply(.breakEndpointService(name: XKSWorld.vpcService, fault: .notFound))
            case .kmsNotAllowed: try await xks.service.apply(.breakEndpointService(name: XKSWorld.vpcService, fault: .kmsNotAllowed))
            case .privateDNSUnverified: try await xks.service.apply(.breakEndpointService(name: XKSWorld.vpcService, fault: .dnsUnverified))
            case .acceptanceRequired: try await xks.service.apply(.breakEndpointService(name: XKSWorld.vpcService, fault: .acceptanceRequired))
            case .oneZone: try await xks.service.apply(.breakEndpointService(name: XKSWorld.vpcService, fault: .oneZone))
            case .kmsInternalError: try await xks.service.apply(.injectKeyStoreInternalError(keyStoreId: store))
            }
            if self != .portClosed { try await proxy.reload() }
        }
    }

    @Test("Each failure on the wire (or of the VPC endpoint service) ends the connect FAILED with its code",
          arguments: Failure.allCases)
    func connectFailure(_ failure: Failure) async throws {
        let xks = try XKSWorld(timeout: failure == .slowProxy ? XKSWorld.shortTimeout : XKSWorld.timeout)
        let ca = failure == .untrustedCA ? try LocalCA.make() : nil
        let proxy = try await xks.startProxy(ca: ca)
        defer { xks.world.remove(); Task { await proxy.stop(); await xks.remove() } }
        let store = try await xks.create("store", failure.settings(xks))
        try await failure.apply(to: xks, proxy: proxy, store: store)

        try await xks.service.connectKeyStore(id: store)
        let settled = try await xks.world.settle(store)
        #expect(settled.connectionState == .failed && settled.connectionErrorCode == failure.code, "\(settled)")
        let failed = try await xks.world.history(store).compactMap(\.kind.stepFailed).last
        #expect(failed?.code == failure.code && failed?.message.isEmpty == false, "\(String(describing: failed))")
        // Nothing the connect made is left: a VPC connect's endpoint and hosted zone are undone.
        #expect(try xks.vpcResourceCount(store) == 0)
        if failure.callsProxy {
            let health = try await xks.service.proxyHealth(ofKeyStore: store)
            #expect(health?.kmsOperation == "ConnectCustomKeyStore")
            if case let .failed(code, _) = health?.outcome { #expect(code == failure.code) } else { Issue.record("\(String(describing: health))") }
        }
    }

    @Test("A public store connects with one signed GetHealthStatus; the answer is kept")
    func connectPublic() async throws {
        let xks = try XKSWorld()
        let proxy = try await xks.startProxy()
        defer { xks.world.remove(); Task { await proxy.stop(); await xks.remove() } }
        let store = try await xks.create("public", xks.publicSettings())
        let created = try await xks.service.proxyHealth(ofKeyStore: store)
        #expect(created?.kmsOperation == "CreateCustomKeyStore")
        let settled = try await xks.world.connectAndSettle(store)
        #expect(settled.connectionState == .connected)
        let health = try await xks.service.proxyHealth(ofKeyStore: store)
        #expect(health?.kmsOperation == "ConnectCustomKeyStore")
        guard case let .answered(report) = health?.outcome else { Issue.record("\(String(describing: health))"); return }
        #expect(report.ekmFleetDetails.count == 2 && report.ekmFleetDetails.allSatisfy { $0.healthStatus == "ACTIVE" })
        let steps = try await xks.world.history(store).compactMap(\.kind.stepFinished).map(\.step)
        #expect(steps.last == .checkProxyHealth)
        // DEGRADED key managers are good enough.
        try await xks.world.disconnectAndSettle(store)
        try xks.setFaults { $0.keyManager = [1: .degraded] }
        try await proxy.reload()
        #expect(try await xks.world.connectAndSettle(store).connectionState == .connected)
    }

    @Test("A VPC store checks its endpoint service, makes an interface endpoint and a hosted zone; disconnect removes them")
    func connectVPC() async throws {
        let xks = try XKSWorld()
        let proxy = try await xks.startProxy()
        defer { xks.world.remove(); Task { await proxy.stop(); await xks.remove() } }
        let store = try await xks.create("vpc", xks.vpcSettings())
        #expect(try await xks.service.proxyHealth(ofKeyStore: store) == nil, "no proxy call at Create for a VPC store")
        #expect(try await xks.world.connectAndSettle(store).connectionState == .connected)
        let finished = try await xks.world.history(store).compactMap(\.kind.stepFinished)
        #expect(finished.map(\.step) == [.checkEndpointService, .createVpcEndpoint, .createHostedZone, .checkProxyHealth])
        #expect(finished[1].resource?.id.hasPrefix("vpce-") == true && finished[2].resource?.id.hasPrefix("Z") == true)
        #expect(try xks.vpcResourceCount(store) == 2)
        try await xks.world.disconnectAndSettle(store)
        #expect(try xks.vpcResourceCount(store) == 0)
        let removed = try await xks.world.history(store).compactMap(\.kind.stepFinished).suffix(3).map(\.step)
        #expect(removed == [.disconnectFromProxy, .deleteHostedZone, .deleteVpcEndpoint])
    }

    @Test("A connect takes about five minutes at the realistic pace, a few seconds at demo", arguments: [
        (WorkflowPace.realistic, 300.0), (WorkflowPace.demo, 4.0),
    ])
    func pace(_ pace: WorkflowPace, _ expected: TimeInterval) async throws {
        for connectivity in [XKSProxyConnectivity.publicEndpoint, .vpcEndpointService] {
            let xks = try XKSWorld(pace: pace)
            let proxy = try await xks.startProxy()
            let store = try await xks.create("s", connectivity == .publicEndpoint ? xks.publicSettings() : xks.vpcSettings())
            try await xks.service.connectKeyStore(id: store)
            try await xks.world.advance(expected - 0.01)
            #expect(try await xks.world.state(store) == .connecting, "\(connectivity)")
            try await xks.world.advance(0.02)
            #expect(try await xks.world.state(store) == .connected, "\(connectivity)")
            await proxy.stop()
            await xks.remove()
        }
    }

    @Test("The world's route may name the embedded proxy: the simulator starts it with a certificate for the host")
    func embeddedProxy() async throws {
        let xks = try XKSWorld()
        defer { xks.world.remove(); Task { await xks.remove() } }
        try await xks.service.apply(.routeXKSHost(host: XKSWorld.host, target: .embedded))
        let store = try await xks.create("embedded", xks.publicSettings())
        #expect(try await xks.world.connectAndSettle(store).connectionState == .connected)
        // A second host routed to it later is covered too (the proxy restarts with a new certificate).
        try await xks.service.apply(.routeXKSHost(host: "xks-two.test.example.com", target: .embedded))
        let second = try await xks.create("second", xks.publicSettings(host: "xks-two.test.example.com", path: XKSWorld.uriPath))
        #expect(try await xks.world.connectAndSettle(second).connectionState == .connected)
        let requests = try await xks.service.proxyRequests(ofKeyStore: store, limit: 10)
        #expect(requests.contains { $0.kmsOperation == "ConnectCustomKeyStore" && $0.httpStatus == 200 }, "\(requests)")
        #expect(requests.first?.kmsOperation == "ConnectCustomKeyStore", "newest first: \(requests)")
    }

    @Test("While CONNECTED the proxy is probed with KmsHealthCheck; a failed probe keeps the state and the answer is kept")
    func periodicProbe() async throws {
        let xks = try XKSWorld(pace: .instant)
        let proxy = try await xks.startProxy()
        defer { xks.world.remove(); Task { await proxy.stop(); await xks.remove() } }
        let store = try await xks.create("public", xks.publicSettings())
        _ = try await xks.world.connectAndSettle(store)
        #expect(try await xks.service.runDueHealthProbes() == xks.world.clock.now().addingTimeInterval(300), "not due yet")
        #expect(try await xks.service.proxyHealth(ofKeyStore: store)?.kmsOperation == "ConnectCustomKeyStore")

        try xks.setFaults { $0.keyManager = [0: .unavailable] }
        try await proxy.reload()
        try await xks.world.advance(300)
        try await xks.service.runDueHealthProbes()
        let failed = try await xks.service.proxyHealth(ofKeyStore: store)
        #expect(failed?.kmsOperation == "KmsHealthCheck")
        if case let .failed(code, _) = failed?.outcome { #expect(code == .xksProxyNotReachable) } else { Issue.record("\(String(describing: failed))") }
        #expect(try await xks.world.state(store) == .connected, "a failed probe never changes the state")

        try xks.setFaults { $0.keyManager = [:] }
        try await proxy.reload()
        try await xks.world.advance(300)
        try await xks.service.runDueHealthProbes()
        guard case .answered = try await xks.service.proxyHealth(ofKeyStore: store)?.outcome else { Issue.record("no answer"); return }
        // Disconnected stores are not probed.
        try await xks.world.disconnectAndSettle(store)
        #expect(try await xks.service.runDueHealthProbes() == nil)
    }
}

extension XKSWorld {
    func vpcResourceCount(_ store: String) throws -> Int {
        try world.readDatabase { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM xks_vpc_resources WHERE key_store_id = ?", arguments: [store]) ?? -1
        }
    }
}
