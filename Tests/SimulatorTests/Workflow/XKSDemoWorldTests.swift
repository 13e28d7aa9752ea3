import Foundation
import KeyStoreEngine
import Simulator
import Testing

/// The demo world's external key stores (ready for assets/demo-world.json): seeded with their routes and the
/// embedded proxy's logical key stores, a CONNECTED one that the embedded proxy answers, a DISCONNECTED VPC one
/// that connects, a FAILED one whose host has no route.
@Suite("demo world external key stores")
struct XKSDemoWorldTests {
    static let json = #"""
    {"accountId": "111122223333", "region": "us-east-1", "trustAnchors": {}, "clusters": [], "keyStores": [],
     "keyStoreQuota": 15, "externalKeyStores": [{"id": "cks-8192a3b4c5d6e7f80", "name": "orders-xks", "connectivity": "PUBLIC_ENDPOINT", "host": "xks.orders.example.com", "uriPathPrefix": "/demo/orders", "accessKeyId": "ORDERSPROXYCREDENTIAL2", "secretAccessKey": "oYvJ5QphXS/sL9lQzWS6kZbQBKsZJMk44fPoh2ZrpHI=", "routed": true, "state": "CONNECTED", "createdDaysAgo": 120, "lastChangeMinutesAgo": 2880, "keys": [{"description": "Orders data key (external)", "xksKeyId": "orders-key-1", "state": "Enabled", "createdDaysAgo": 100, "usage": [{"operation": "Encrypt", "minutesAgo": 12}, {"operation": "Decrypt", "minutesAgo": 4}]}, {"description": "Orders archive key (external)", "xksKeyId": "orders-key-2", "state": "Disabled", "createdDaysAgo": 90, "usage": []}]}, {"id": "cks-92a3b4c5d6e7f8091", "name": "crm-xks-vpc", "connectivity": "VPC_ENDPOINT_SERVICE", "host": "xks.crm.example.com", "uriPathPrefix": "/demo/crm", "accessKeyId": "CRMPROXYCREDENTIALVPC2", "secretAccessKey": "T7c2x+uXXauPEn9skbqqDrVo/EnbLW/DOh+9JziTego=", "vpcEndpointServiceName": "com.amazonaws.vpce.us-east-1.vpce-svc-0c7d2e9a4b1f36a58", "routed": true, "state": "DISCONNECTED", "createdDaysAgo": 30, "lastChangeMinutesAgo": 4320, "keys": [{"description": "CRM contact key (external)", "xksKeyId": "crm-key-1", "state": "Enabled", "createdDaysAgo": 25, "usage": []}]}, {"id": "cks-a3b4c5d6e7f809122", "name": "billing-xks", "connectivity": "PUBLIC_ENDPOINT", "host": "xks.billing.example.com", "uriPathPrefix": "/demo/billing", "accessKeyId": "BILLINGPROXYCREDENTIAL", "secretAccessKey": "nEmN1OubpNbZZYquerd/0zWjPI4v/hwbtNKZViikB2g=", "routed": false, "state": "FAILED", "errorCode": "XKS_PROXY_NOT_REACHABLE", "createdDaysAgo": 60, "lastChangeMinutesAgo": 95, "keys": [{"description": "Billing invoices key (external)", "xksKeyId": "billing-key-1", "state": "Enabled", "createdDaysAgo": 55, "usage": [{"operation": "Encrypt", "minutesAgo": 200}]}]}]}
    """#

    @Test("Seeded XKS stores are in their states, and work through the embedded proxy")
    func seeded() async throws {
        let seed = try JSONDecoder().decode(DemoWorld.self, from: Data(Self.json.utf8))
        let world = try World(pace: .instant, seed: seed, xksTimeout: XKSWorld.timeout)
        defer { world.remove() }
        let stores = try await world.service.allKeyStores()
        let states = Dictionary(uniqueKeysWithValues: stores.map { ($0.name, $0.connectionState) })
        #expect(states == ["orders-xks": .connected, "crm-xks-vpc": .disconnected, "billing-xks": .failed])
        let billing = try #require(stores.first { $0.name == "billing-xks" })
        #expect(billing.connectionErrorCode == .xksProxyNotReachable)
        #expect(try await world.service.xksRoutes().map(\.host) == ["xks.crm.example.com", "xks.orders.example.com"])

        // The CONNECTED store has no answer yet: the first probe asks the embedded proxy.
        let orders = try #require(stores.first { $0.name == "orders-xks" })
        try await world.service.runDueHealthProbes()
        guard case .answered = try await world.service.proxyHealth(ofKeyStore: orders.id)?.outcome else {
            Issue.record("no answer from the embedded proxy"); return
        }
        let crm = try #require(stores.first { $0.name == "crm-xks-vpc" })
        #expect(try await world.connectAndSettle(crm.id).connectionState == .connected)

        // The FAILED one: its repair routes the host, then it connects.
        try await world.disconnectAndSettle(billing.id)
        let action = try await world.service.xksRepairAction(for: .xksProxyNotReachable, ofKeyStore: billing.id)
        #expect(action == .routeProxyHost)
        _ = try await world.service.applyRepair(.routeProxyHost, context: try await world.service.repairContext(forKeyStore: billing.id))
        #expect(try await world.connectAndSettle(billing.id).connectionState == .connected)
    }

    @Test("Opening the world does not start the embedded proxy: a first or overdue probe waits a few seconds")
    func firstProbeWaits() async throws {
        let seed = try JSONDecoder().decode(DemoWorld.self, from: Data(Self.json.utf8))
        let world = try World(pace: .demo, seed: seed, xksTimeout: XKSWorld.timeout)
        defer { world.remove() }
        let orders = try #require(try await world.service.allKeyStores().first { $0.name == "orders-xks" })
        let grace = WorkflowPace.demo.firstHealthProbeDelay
        #expect(try await world.service.runDueHealthProbes() == world.clock.now().addingTimeInterval(grace))
        #expect(try await world.service.proxyHealth(ofKeyStore: orders.id) == nil, "no probe yet")
        world.clock.advance(by: grace)
        try await world.service.runDueHealthProbes()
        let first = try #require(try await world.service.proxyHealth(ofKeyStore: orders.id))
        guard case .answered = first.outcome else { Issue.record("no answer from the embedded proxy: \(first)"); return }

        // Another process opens the world after the next probe fell due: it waits the same few seconds.
        world.clock.advance(by: WorkflowPace.demo.healthProbeInterval * 3)
        let later = try World(home: world.home, clock: world.clock, pace: .demo)
        defer { later.service.close() }
        #expect(try await later.service.runDueHealthProbes() == world.clock.now().addingTimeInterval(grace))
        #expect(try await later.service.proxyHealth(ofKeyStore: orders.id)?.checkedAt == first.checkedAt)
        world.clock.advance(by: grace)
        try await later.service.runDueHealthProbes()
        #expect(try await later.service.proxyHealth(ofKeyStore: orders.id)?.checkedAt == world.clock.now())
    }
}
