import Foundation
import KeyStoreEngine
import Simulator
import Testing
import XKSProxy

/// The simulator's repair of each XKS ConnectionErrorCode: disconnect, the action it names, UpdateCustomKeyStore
/// with what the action found (a credential, a URI path) when there is one, connect: CONNECTED.
@Suite("external key store repairs")
struct XKSRepairTests {
    typealias Failure = XKSConnectTests.Failure

    static let repaired: [(Failure, SimulatedRepairAction?)] = [
        (.noRoute, .routeProxyHost), (.proxyStopsListening, .clearProxyFaults), (.allKeyManagersUnavailable, .clearProxyFaults),
        (.accessDenied, .clearProxyFaults), (.nonJSONAnswer, .clearProxyFaults),
        (.certificateForAnotherHost, .reissueProxyCertificate), (.refusedCredential, .useProxyCredential),
        (.unknownSecret, .useProxyCredential), (.wrongUriPath, .useProxyUriPath), (.endpointServiceNotFound, .repairEndpointService),
        (.privateDNSUnverified, .repairEndpointService), (.kmsInternalError, nil),
    ]

    @Test("Each XKS failure has a simulated repair after which the store connects", arguments: repaired)
    func repair(_ failure: Failure, _ expected: SimulatedRepairAction?) async throws {
        let xks = try XKSWorld()
        let proxy = try await xks.startProxy()
        defer { xks.world.remove(); Task { await proxy.stop(); await xks.remove() } }
        let store = try await xks.create("store", failure.settings(xks))
        try await failure.apply(to: xks, proxy: proxy, store: store)
        let failed = try await xks.world.connectAndSettle(store)
        #expect(failed.connectionErrorCode == failure.code)
        try await xks.world.disconnectAndSettle(store)

        let action = try await xks.service.xksRepairAction(for: failure.code, ofKeyStore: store)
        #expect(action == expected)
        if let action {
            let context = try await xks.service.repairContext(forKeyStore: store)
            let result = try await xks.service.applyRepair(action, context: context)
            #expect(!result.description.isEmpty)
            try await proxy.reload()
            if let credential = result.context.xksCredential, credential != context.xksCredential {
                try await xks.service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: store, xksProxyCredential: credential))
            }
            if let path = result.context.xksUriPath, path != context.xksUriPath {
                try await xks.service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: store, xksProxyUriPath: path))
            }
        }
        let connected = try await xks.world.connectAndSettle(store)
        #expect(connected.connectionState == .connected, "\(failure): \(connected)")
    }

    @Test("A slow proxy (XKS_PROXY_TIMED_OUT) is repaired by clearing its faults: the latency goes")
    func slowProxy() async throws {
        let xks = try XKSWorld()
        defer { xks.world.remove(); Task { await xks.remove() } }
        let store = try await xks.create("vpc", xks.vpcSettings())
        try xks.setFaults { $0.latencyMilliseconds = XKSWorld.slowProxyMilliseconds }
        #expect(try await xks.service.xksRepairAction(for: .xksProxyTimedOut, ofKeyStore: store) == .clearProxyFaults)
        _ = try await xks.service.applyRepair(.clearProxyFaults, context: try await xks.service.repairContext(forKeyStore: store))
        let proxy = try XKSWorld.proxyDatabase(home: xks.home)
        defer { proxy.close() }
        #expect(try proxy.snapshot().faults.isEmpty)
    }
}
