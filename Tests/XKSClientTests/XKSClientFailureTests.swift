import CKSTestSupport
import Foundation
import KeyStoreEngine
import LocalCA
import Testing
import XKS
import XKSClient
import XKSProxy

/// Every failure class through a real proxy on loopback, with the connection error code and the exceptions
/// KMS derives from it.
@Suite struct XKSClientFailureTests {
    private func expectMapped(
        _ failure: XKSCallFailure?, code: ConnectionErrorCode, keyStore: KMSError.Code, message: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(failure?.connectionErrorCode == code, sourceLocation: sourceLocation)
        #expect(failure?.keyStoreError() == KMSError(keyStore, message), sourceLocation: sourceLocation)
        #expect(failure?.cryptoError() == KMSError(.kmsInvalidState, message), sourceLocation: sourceLocation)
        #expect(failure?.createKeyError().code == .customKeyStoreInvalidState, sourceLocation: sourceLocation)
    }

    @Test func aRefusedPortIsNotReachable() async throws {
        let fixture = try await ClientFixture.start()
        let port = fixture.proxy.port
        await fixture.stop()
        let client = fixture.client()
        let address = XKSProxyAddress(host: "localhost", address: "127.0.0.1", port: port)
        let failure = await fixture.health(client, at: address).failure
        guard case let .notReachable(detail) = failure else { Issue.record("got \(String(describing: failure))"); return }
        #expect(detail.contains("127.0.0.1:\(port)"))
        expectMapped(failure, code: .xksProxyNotReachable, keyStore: .xksProxyUriUnreachable, message: XKSMessages.notReachable)
        await client.shutdown()
    }

    @Test func theStopListeningFaultClosesKeptConnectionsAndRefusesNewOnes() async throws {
        let fixture = try await ClientFixture.start()
        let client = fixture.client()
        #expect(await fixture.health(client).value != nil)
        #expect(client.idleConnections(to: fixture.address) == 1)
        try await fixture.faults { $0.stopListening = true }
        let failure = await fixture.health(client).failure
        guard case .notReachable = failure else { Issue.record("got \(String(describing: failure))"); return }
        try await fixture.faults { $0.stopListening = false }
        try await eventually("the proxy listening again") { await fixture.health(client).value != nil }
        await client.shutdown()
        await fixture.stop()
    }

    @Test func certificatesForAnotherHostExpiredOrFromAnUntrustedCAFailTLS() async throws {
        let fixture = try await ClientFixture.start()
        // The proxy's certificate is for localhost; the endpoint's host is another name routed to it.
        let client = fixture.client()
        let elsewhere = XKSProxyAddress(host: "xks.example.com", address: "127.0.0.1", port: fixture.proxy.port)
        let wrongName = await fixture.health(client, at: elsewhere).failure
        guard case let .tls(detail) = wrongName else { Issue.record("got \(String(describing: wrongName))"); return }
        #expect(detail.contains("not xks.example.com"))
        expectMapped(wrongName, code: .xksProxyInvalidTLSConfiguration, keyStore: .xksProxyUriUnreachable, message: XKSMessages.tls)

        try await fixture.faults { $0.certificate = .wrongHost }
        let wrongHost = await fixture.health(client).failure
        guard case .tls = wrongHost else { Issue.record("got \(String(describing: wrongHost))"); return }

        try await fixture.faults { $0.certificate = .expired }
        let expired = await fixture.health(client).failure
        guard case .tls = expired else { Issue.record("got \(String(describing: expired))"); return }

        try await fixture.faults { $0.certificate = nil }
        #expect(await fixture.health(client).value != nil)
        let stranger = fixture.client(roots: [try LocalCA.make(commonName: "not the cks CA").certificatePEM])
        let untrusted = await fixture.health(stranger).failure
        guard case .tls = untrusted else { Issue.record("got \(String(describing: untrusted))"); return }
        await stranger.shutdown()
        await client.shutdown()
        await fixture.stop()
    }

    @Test func aSlowProxyTimesOutAfterOneRetry() async throws {
        let fixture = try await ClientFixture.start()
        // The connection is made first (a loaded machine's first handshake must not count), then the proxy
        // answers later than the client waits.
        let client = fixture.client(timeout: .milliseconds(250))
        try await eventually("a kept-alive connection") {
            _ = await fixture.health(client)
            return client.idleConnections(to: fixture.address) == 1
        }
        let before = fixture.requestLog.count
        try await fixture.faults { $0.latencyMilliseconds = 2_000 }
        let failure = await fixture.health(client).failure
        #expect(failure == .timedOut)
        expectMapped(failure, code: .xksProxyTimedOut, keyStore: .xksProxyUriUnreachable, message: XKSMessages.timedOut)
        // The call and its one retry both reached the proxy (logged when the late answers are written).
        try await eventually("two more requests in the proxy's log") { fixture.requestLog.count == before + 2 }
        #expect(fixture.requestLog.count == before + 2)
        await client.shutdown()
        await fixture.stop()
    }

    @Test func refusedCredentialAccessDeniedAndAWrongPath() async throws {
        let fixture = try await ClientFixture.start()
        let client = fixture.client()
        let stranger = XKSProxyCredential(accessKeyId: "AAAAAAAAAAAAAAAAAAAAAAAA", rawSecretAccessKey: String(repeating: "s", count: 44))
        let unknown = await fixture.health(client, credential: stranger).failure
        #expect(unknown == .proxyError(status: 401, errorName: "AuthenticationFailedException"))
        expectMapped(unknown, code: .invalidCredentials, keyStore: .xksProxyIncorrectAuthenticationCredential,
                     message: XKSMessages.proxy(.authenticationFailed))

        try await fixture.faults { $0.refusedAccessKeyIds = [fixture.credential.accessKeyId] }
        #expect(await fixture.health(client).failure == .proxyError(status: 401, errorName: "AuthenticationFailedException"))

        try await fixture.faults { $0 = ProxyFaults(); $0.errorStatus = 403 }
        let denied = await fixture.health(client).failure
        #expect(denied == .proxyError(status: 403, errorName: "AccessDeniedException"))
        expectMapped(denied, code: .xksProxyAccessDenied, keyStore: .xksProxyInvalidConfiguration,
                     message: XKSMessages.proxy(.accessDenied))

        try await fixture.faults { $0 = ProxyFaults() }
        let path = await fixture.health(client, uriPath: "/no/such/prefix/kms/xks/v1").failure
        #expect(path == .proxyError(status: 404, errorName: "InvalidUriPathException"))
        expectMapped(path, code: .xksProxyInvalidConfiguration, keyStore: .xksProxyInvalidConfiguration,
                     message: XKSMessages.proxy(.invalidUriPath))
        await client.shutdown()
        await fixture.stop()
    }

    @Test func garbageAndInternalErrorsAreInvalidResponses() async throws {
        let fixture = try await ClientFixture.start()
        let client = fixture.client()
        try await fixture.faults { $0.garbage = .nonJSON }
        let page = await fixture.health(client).failure
        guard case .invalidResponse = page else { Issue.record("got \(String(describing: page))"); return }
        expectMapped(page, code: .xksProxyInvalidResponse, keyStore: .xksProxyInvalidResponse, message: XKSMessages.invalidResponse)

        try await fixture.faults { $0.garbage = .missingFields }
        guard case .invalidResponse = await fixture.health(client).failure else { Issue.record("missing fields accepted"); return }
        let sealed = await client.encrypt(
            at: fixture.address, uriPath: ClientFixture.uriPath, credential: fixture.credential, keyId: "foo",
            plaintext: [1, 2, 3, 4], aad: nil, metadata: ClientFixture.metadata("Encrypt"))
        guard case .invalidResponse = sealed.failure else { Issue.record("got \(sealed)"); return }

        try await fixture.faults { $0 = ProxyFaults(); $0.errorStatus = 500 }
        let internalError = await fixture.health(client).failure
        #expect(internalError == .proxyError(status: 500, errorName: "InternalException"))
        expectMapped(internalError, code: .xksProxyInvalidResponse, keyStore: .xksProxyInvalidResponse,
                     message: XKSMessages.proxy(.internal))
        await client.shutdown()
        await fixture.stop()
    }

    @Test func everyKeyManagerUnavailableIsNotReachableButOneIsFine() async throws {
        let fixture = try await ClientFixture.start()
        let client = fixture.client()
        try await fixture.faults { $0.keyManager = [1: .unavailable] }
        let degraded = try #require(await fixture.health(client).value)
        #expect(degraded.ekmFleetDetails.map(\.healthStatus) == ["UNAVAILABLE", "ACTIVE"])

        try await fixture.faults { $0.keyManager = [0: .unavailable] }
        let failure = await fixture.health(client).failure
        guard case .notReachable = failure else { Issue.record("got \(String(describing: failure))"); return }
        expectMapped(failure, code: .xksProxyNotReachable, keyStore: .xksProxyUriUnreachable, message: XKSMessages.unhealthy)
        await client.shutdown()
        await fixture.stop()
    }

    @Test func throttlingAndDependencyTimeoutAreNotReachable() async throws {
        let fixture = try await ClientFixture.start()
        let client = fixture.client()
        for (status, name) in [(429, XKSError.Name.throttling), (503, .dependencyTimeout)] {
            try await fixture.faults { $0 = ProxyFaults(); $0.errorStatus = status }
            let failure = await fixture.health(client).failure
            guard case .notReachable = failure else { Issue.record("\(status): got \(String(describing: failure))"); continue }
            expectMapped(failure, code: .xksProxyNotReachable, keyStore: .xksProxyUriUnreachable, message: XKSMessages.proxy(name))
        }
        await client.shutdown()
        await fixture.stop()
    }

    @Test func anUnresolvableRouteIsNotReachable() async throws {
        let client = XKSProxyClient(configuration: XKSClientConfiguration(trustRootsPEM: [], region: "us-east-1", timeout: .seconds(20)))
        let address = XKSProxyAddress(host: "xks.example.com", address: "no-such-host.invalid", port: 443)
        let failure = await client.getHealthStatus(
            at: address, uriPath: ClientFixture.uriPath,
            credential: XKSProxyCredential(accessKeyId: "AAAAAAAAAAAAAAAAAAAA", rawSecretAccessKey: String(repeating: "s", count: 44)),
            kmsOperation: "ConnectCustomKeyStore", kmsRequestId: "r-1").failure
        guard case .notReachable = failure else { Issue.record("got \(String(describing: failure))"); return }
        await client.shutdown()
    }
}
