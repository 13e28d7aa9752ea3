import Foundation
@testable import Console
import KeyStoreEngine
import Testing

/// The reducer and the effect runner against an in-memory service: what the console does, without a terminal.
@Suite("Console against a service")
@MainActor
struct EffectRunnerTests {
    @Test func loadsStoresClustersAndFollowsEvents() async {
        let service = FakeKeyStoreService()
        let console = HeadlessConsole(service: service)
        console.start()
        #expect(await console.waitUntil { $0.stores.count == 6 && !$0.clusters.isEmpty })
        await service.emit(.connectionStateChanged(from: .disconnected, to: .connecting, errorCode: nil), store: Fixtures.analyticsId)
        #expect(await console.waitUntil { $0.stores[Fixtures.analyticsId]?.connectionState == .connecting })
        #expect(console.frame.text.contains("CONNECTING"))
    }

    @Test func connectFromTheMenuShowsProgressThenConnected() async {
        let service = FakeKeyStoreService()
        let console = HeadlessConsole(service: service)
        console.start()
        #expect(await console.waitUntil { $0.stores.count == 6 })
        console.select("analytics")
        console.press(.character("a"), .enter)
        #expect(await console.waitUntil { $0.stores[Fixtures.analyticsId]?.connectionState == .connecting })
        #expect(await service.callLog() == ["connect \(Fixtures.analyticsId)"])
        #expect(console.frame.text.contains("⠋ CONNECTING") || console.frame.text.contains("CONNECTING"))

        await service.playConnect(Fixtures.analyticsId)
        #expect(await console.waitUntil { $0.stores[Fixtures.analyticsId]?.connectionState == .connected })
        let workflow = console.state.workflows.last
        #expect(workflow?.outcome == .connected)
        #expect(workflow?.steps.map(\.step) == [.createSecurityGroup, .createNetworkInterface, .logInKmsUser])
        #expect(workflow?.steps.allSatisfy { $0.status == .done } == true)
        let finished = await console.waitUntil { _ in
            console.seen.contains { if case .workflowUpdate(_, _, .finished(.connected)) = $0 { true } else { false } }
        }
        #expect(finished, "the WorkflowTracker stream reports the outcome too")
    }

    @Test func aRefusedConnectShowsTheExceptionAsKMSGivesIt() async {
        let service = FakeKeyStoreService()
        await service.failNext(with: KMSError(.cloudHsmClusterInvalidConfiguration, "The cluster's security group lacks its rules."))
        let console = HeadlessConsole(service: service)
        console.start()
        #expect(await console.waitUntil { $0.stores.count == 6 })
        console.select("analytics")
        console.press(.character("c"))
        #expect(await console.waitUntil { $0.status?.kind == .error })
        #expect(console.state.status?.text
            == "ConnectCustomKeyStore: CloudHsmClusterInvalidConfigurationException: The cluster's security group lacks its rules.")
        #expect(console.state.runningWorkflows.isEmpty)
    }

    @Test func createShowsTheServicesValidationErrorThenSucceeds() async {
        let service = FakeKeyStoreService()
        let console = HeadlessConsole(service: service)
        console.start()
        #expect(await console.waitUntil { $0.stores.count == 6 && !$0.clusters.isEmpty })
        console.press(.character("n"))
        for character in "payments-2" { console.press(.character(character)) }
        console.press(.tab, .tab, .tab, .character("x"), .control("s"))
        #expect(await console.waitUntil { if case let .form(form) = $0.modal { form.error != nil } else { false } })
        guard case let .form(form) = console.state.modal else { Issue.record("the form closed"); return }
        #expect(form.error?.code == .validation)
        #expect(form.errorField == .password)

        for character in "longenough1" { console.press(.character(character)) }
        console.press(.control("s"))
        #expect(await console.waitUntil { $0.stores.values.contains { $0.name == "payments-2" } })
        #expect(console.state.modal == nil)
        let created = console.state.stores.values.first { $0.name == "payments-2" }
        #expect(created?.trustAnchorCertificate == Fixtures.trustAnchor, "an empty file field takes the cluster's trust anchor")
        #expect(created?.connectionState == .disconnected)
    }

    @Test func deleteRemovesTheRow() async {
        let service = FakeKeyStoreService()
        let console = HeadlessConsole(service: service)
        console.start()
        #expect(await console.waitUntil { $0.stores.count == 6 })
        console.select("analytics")
        console.press(.character("X"))
        #expect(await console.waitUntil { $0.keys[Fixtures.analyticsId]?.value != nil })
        for character in "analytics" { console.press(.character(character)) }
        console.press(.enter)
        #expect(await console.waitUntil { $0.stores[Fixtures.analyticsId] == nil })
        #expect(await service.callLog() == ["delete \(Fixtures.analyticsId)"])
    }

    @Test func detailLoadsKeysAndTimeline() async {
        let service = FakeKeyStoreService()
        await service.emit(.connectionStateChanged(from: .disconnected, to: .connecting, errorCode: nil), store: Fixtures.prodId)
        await service.emit(.connectionStateChanged(from: .connecting, to: .connected, errorCode: nil), store: Fixtures.prodId)
        let console = HeadlessConsole(service: service, size: Size(width: 120, height: 80))
        console.start()
        #expect(await console.waitUntil { $0.stores.count == 6 })
        console.select("prod-payments")
        console.press(.enter)
        #expect(await console.waitUntil { $0.keys[Fixtures.prodId]?.value != nil && $0.histories[Fixtures.prodId]?.value != nil })
        let text = console.frame.text
        #expect(text.contains("KMS keys  3"))
        #expect(text.contains("card tokens"))
        #expect(text.contains("Decrypt, 3 min ago"))
        #expect(text.contains("CONNECTING → CONNECTED"))
    }
}
