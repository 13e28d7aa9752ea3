import Foundation
import KeyStoreEngine
import Simulator
import Testing
import XKSClient
import XKSProxy

/// Create and Update of a public external key store send GetHealthStatus first (with the new values) and map a
/// failure to KMS's exceptions (XKS spec 1.5); what Update may change in which state (spec 1.6 / 9.4).
@Suite("external key store create and update against the proxy")
struct XKSProxyCheckTests {
    enum Outcome: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case noRoute, keyManagersUnavailable, throttled, slow, certificateForAnotherHost
        case refusedCredential, accessDenied, wrongPath, garbage, validationOrInternal

        var testDescription: String { rawValue }

        var code: KMSError.Code {
            switch self {
            case .noRoute, .keyManagersUnavailable, .throttled, .slow, .certificateForAnotherHost: .xksProxyUriUnreachable
            case .refusedCredential: .xksProxyIncorrectAuthenticationCredential
            // GetHealthStatus must be exempt from the proxy's authorization: a 403 means a misconfigured proxy.
            case .wrongPath, .accessDenied: .xksProxyInvalidConfiguration
            case .garbage, .validationOrInternal: .xksProxyInvalidResponse
            }
        }

        func prepare(_ xks: XKSWorld) throws -> (XKSProxySettings, (inout ProxyFaults) -> Void) {
            switch self {
            case .noRoute: (xks.publicSettings(host: "unrouted.test.example.com"), { _ in })
            case .keyManagersUnavailable: (xks.publicSettings(), { $0.keyManager = [0: .unavailable] })
            case .throttled: (xks.publicSettings(), { $0.errorStatus = 429 })
            case .slow: (xks.publicSettings(), { $0.latencyMilliseconds = XKSWorld.slowProxyMilliseconds })
            case .certificateForAnotherHost: (xks.publicSettings(), { $0.certificate = .wrongHost })
            case .refusedCredential: (xks.publicSettings(), { $0.refusedAccessKeyIds = [XKSWorld.credential.accessKeyId] })
            case .accessDenied: (xks.publicSettings(), { $0.errorStatus = 403 })
            case .wrongPath: (xks.publicSettings(path: "/not/served/kms/xks/v1"), { _ in })
            case .garbage: (xks.publicSettings(), { $0.garbage = .nonJSON })
            case .validationOrInternal: (xks.publicSettings(), { $0.errorStatus = 500 })
            }
        }
    }

    @Test("Create of a public store maps the proxy's health answer to KMS's exceptions and creates nothing",
          arguments: Outcome.allCases)
    func createChecksProxy(_ outcome: Outcome) async throws {
        let xks = try XKSWorld(timeout: outcome == .slow ? XKSWorld.shortTimeout : XKSWorld.timeout)
        let (settings, faults) = try outcome.prepare(xks)
        try xks.setFaults(faults)
        let proxy = try await xks.startProxy()
        defer { xks.world.remove(); Task { await proxy.stop(); await xks.remove() } }
        let error = await expectKMSError(outcome.code) { try await xks.create("public", settings) }
        if outcome == .accessDenied { #expect(error?.message == XKSMessages.proxy(.accessDenied), "KMS's message names the cause") }
        #expect(try await xks.service.allKeyStores().isEmpty)
    }

    @Test("A 403 on GetHealthStatus at Update (the proxy's authorization covers it) is XksProxyInvalidConfigurationException")
    func updateAccessDenied() async throws {
        let xks = try XKSWorld()
        let proxy = try await xks.startProxy()
        defer { xks.world.remove(); Task { await proxy.stop(); await xks.remove() } }
        let store = try await xks.create("public", xks.publicSettings())
        try xks.setFaults { $0.errorStatus = 403 }
        try await proxy.reload()
        let error = await expectKMSError(.xksProxyInvalidConfiguration) {
            try await xks.service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: store, newName: "renamed", xksProxyUriPath: XKSWorld.uriPath))
        }
        #expect(error?.message == XKSMessages.proxy(.accessDenied))
        #expect(try await xks.world.store(store).name == "public", "a refused update changes nothing")
    }

    @Test("Update of a public store asks the proxy with the new values; a refusal changes nothing")
    func updateChecksNewValues() async throws {
        let xks = try XKSWorld()
        let proxy = try await xks.startProxy()
        defer { xks.world.remove(); Task { await proxy.stop(); await xks.remove() } }
        let store = try await xks.create("public", xks.publicSettings())
        await expectKMSError(.xksProxyIncorrectAuthenticationCredential) {
            try await xks.service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: store, xksProxyCredential: XKSWorld.otherCredential))
        }
        await expectKMSError(.xksProxyInvalidConfiguration) {
            try await xks.service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: store, xksProxyUriPath: "/other/kms/xks/v1"))
        }
        #expect(try await xks.world.store(store).xksProxyConfiguration?.uriPath == XKSWorld.uriPath)
        #expect(try await xks.world.store(store).xksProxyConfiguration?.accessKeyId == XKSWorld.credential.accessKeyId)

        // The proxy accepts a second credential (rotation): the update goes through and is recorded, without the secret.
        let proxyState = try XKSWorld.proxyDatabase(home: xks.home)
        try proxyState.addCredential(prefix: XKSWorld.prefix, credential: ProxyCredential(
            accessKeyId: XKSWorld.otherCredential.accessKeyId, secretAccessKey: XKSWorld.otherCredential.rawSecretAccessKey, createdAt: Date()))
        proxyState.close()
        try await proxy.reload()
        try await xks.service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: store, xksProxyCredential: XKSWorld.otherCredential))
        #expect(try await xks.world.store(store).xksProxyConfiguration?.accessKeyId == XKSWorld.otherCredential.accessKeyId)
        #expect(try await xks.service.proxyHealth(ofKeyStore: store)?.kmsOperation == "UpdateCustomKeyStore")
        let updates = try await xks.world.history(store).compactMap { event -> [String]? in
            if case let .keyStoreUpdated(changes) = event.kind { return changes } else { return nil }
        }
        #expect(updates.last == ["proxy credential \(XKSWorld.credential.accessKeyId) → \(XKSWorld.otherCredential.accessKeyId)"])
        #expect(!updates.joined().joined().contains(XKSWorld.otherCredential.rawSecretAccessKey))
    }

    struct StateCase: Sendable, CustomTestStringConvertible {
        var state: ConnectionState
        var testDescription: String { state.rawValue }
    }

    enum Change: String, CaseIterable, Sendable {
        case name, path, credential, endpoint, connectivity, service, owner

        func request(_ store: String) -> UpdateKeyStoreRequest {
            switch self {
            case .name: UpdateKeyStoreRequest(customKeyStoreId: store, newName: "renamed")
            case .path: UpdateKeyStoreRequest(customKeyStoreId: store, xksProxyUriPath: XKSWorld.uriPath)
            case .credential: UpdateKeyStoreRequest(customKeyStoreId: store, xksProxyCredential: XKSWorld.credential)
            case .endpoint: UpdateKeyStoreRequest(customKeyStoreId: store, xksProxyUriEndpoint: "https://\(XKSWorld.host)")
            case .connectivity:
                UpdateKeyStoreRequest(customKeyStoreId: store, xksProxyConnectivity: .vpcEndpointService,
                                      xksProxyUriEndpoint: "https://\(XKSWorld.host)", xksProxyVpcEndpointServiceName: XKSWorld.vpcService)
            case .service: UpdateKeyStoreRequest(customKeyStoreId: store, xksProxyVpcEndpointServiceName: XKSWorld.vpcService)
            case .owner: UpdateKeyStoreRequest(customKeyStoreId: store, xksProxyVpcEndpointServiceOwner: Demo.account)
            }
        }

        /// Allowed while CONNECTED (spec 1.6): the name, the URI path and the credential.
        var allowedWhileConnected: Bool { self == .name || self == .path || self == .credential }
    }

    @Test("What Update may change in each state: DISCONNECTED anything; CONNECTED name, path and credential; FAILED nothing",
          arguments: [ConnectionState.disconnected, .connected, .failed, .connecting])
    func updateStateMatrix(_ state: ConnectionState) async throws {
        for change in Change.allCases {
            let xks = try XKSWorld(pace: .demo)
            let proxy = try await xks.startProxy()
            // A VPC store, so that every change (service, owner) applies to it.
            let store = try await xks.create("vpc", xks.vpcSettings())
            switch state {
            case .connected: try await xks.world.connectAndSettle(store)
            case .failed:
                try await xks.service.apply(.breakEndpointService(name: XKSWorld.vpcService, fault: .notFound))
                try await xks.world.connectAndSettle(store)
                try await xks.service.apply(.repairEndpointService(name: XKSWorld.vpcService))
            case .connecting: try await xks.service.connectKeyStore(id: store)
            default: break
            }
            #expect(try await xks.world.state(store) == state)
            let allowed = state == .disconnected || (state == .connected && change.allowedWhileConnected)
            if allowed {
                try await xks.service.updateKeyStore(change.request(store))
            } else {
                await expectKMSError(.customKeyStoreInvalidState, state.rawValue) { try await xks.service.updateKeyStore(change.request(store)) }
            }
            #expect(try await xks.world.state(store) == state, "an update never changes the connection state (\(change))")
            await proxy.stop()
            await xks.remove()
        }
    }
}
