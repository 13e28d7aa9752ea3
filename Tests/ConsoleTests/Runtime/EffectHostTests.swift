import CKSTestSupport
import Foundation
@testable import Console
import KeyStoreEngine
import Testing

/// The effect host on its own: batches, the switch of Region within one, its followers, and answers to changes.
@Suite("The effect host")
@MainActor
struct EffectHostTests {
    @Test func aBatchRunsOnTheServiceItWasAskedOfAndTheSwitchComesLast() async {
        let aws = FakeRegionalService.twoRegions()
        let answers = AnswerLog()
        let host = EffectHost(service: aws) { answers.record($0, $1) }
        let returned = host.run([.switchRegion("eu-west-1"), .loadStores])
        #expect(returned == [.regionSwitched(FakeRegionalService.backend("eu-west-1"), choices: ["eu-west-1", "us-east-1"])],
                "the action comes back to be applied after the batch, not during it")
        #expect(host.generation == 1)
        #expect(await eventually { answers.all.contains { if case let .storesLoaded(stores) = $0.action { stores.count == 6 } else { false } } })
        #expect(answers.all.allSatisfy { $0.generation == 0 }, "the load asked with the switch went to us-east-1, not eu-west-1")
        host.stop()
    }

    @Test func answersToChangesAreNeverDropped() {
        let host = EffectHost(service: FakeRegionalService.twoRegions()) { _, _ in }
        _ = host.run([.switchRegion("eu-west-1")])
        #expect(!host.accepts(.storesLoaded([]), generation: 0))
        #expect(host.accepts(.storesLoaded([]), generation: 1))
        for answer: Action in [.created(id: "cks-9", name: "payments-2"), .createFailed(KMSError(.validation, "x")),
                               .updateFailed(storeId: Fixtures.prodId, KMSError(.validation, "x")), .deleted(storeId: Fixtures.archiveId),
                               .workflowAccepted(.connect, storeId: Fixtures.analyticsId),
                               .workflowRejected(.connect, storeId: Fixtures.analyticsId, KMSError(.validation, "x"))] {
            #expect(host.accepts(answer, generation: 0), "\(answer)")
        }
    }

    @Test func aConnectIsNotCancelledBeforeKMSAnswersIt() async {
        let fake = FakeKeyStoreService()
        let gate = Gate()
        let answers = AnswerLog()
        let host = EffectHost(service: GatedService(inner: fake, gate: gate)) { answers.record($0, $1) }
        _ = host.run([.startWorkflow(.connect, storeId: Fixtures.analyticsId)])
        #expect(await eventually { await gate.isWaiting })
        host.stop()
        await gate.open()
        #expect(await eventually { answers.contains(.workflowAccepted(.connect, storeId: Fixtures.analyticsId)) })
        #expect(await fake.callLog() == ["connect \(Fixtures.analyticsId)"], "the request reached KMS")
        #expect(!answers.all.contains { if case .workflowRejected = $0.action { true } else { false } })
    }

    @Test func followersLeaveWhenTheyEnd() async {
        let fake = FakeKeyStoreService()
        let host = EffectHost(service: fake) { _, _ in }
        _ = host.run([.followEvents, .startWorkflow(.connect, storeId: Fixtures.analyticsId)])
        #expect(host.followerCount == 2)
        #expect(await eventually { await fake.callLog() == ["connect \(Fixtures.analyticsId)"] })
        await fake.emit(.connectionStateChanged(from: .connecting, to: .connected, errorCode: nil), store: Fixtures.analyticsId)
        #expect(await eventually { await host.followerCount == 1 }, "the finished workflow's tracker is gone; the event stream stays")
        host.stop()
        #expect(host.followerCount == 0)
    }
}
