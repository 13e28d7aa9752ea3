import CKSTestSupport
import Foundation
@testable import Console
import KeyStoreEngine
import Testing

/// The service swap behind `R`, with the effect host the runtime uses, against a fake AWS of two Regions.
@Suite("Switching Region swaps the service")
@MainActor
struct RegionSwitchTests {
    @Test func pickingARegionFollowsTheNewServiceAndLetsGoOfTheOld() async {
        let aws = FakeRegionalService.twoRegions()
        let console = HeadlessConsole(service: aws)
        console.start()
        #expect(await console.waitUntil { $0.stores.count == 6 && $0.following })
        #expect(await eventually { await aws.regions["us-east-1"]!.subscriberCount() == 1 })
        #expect(console.state.regionChoices == ["eu-west-1", "us-east-1"])

        console.press(.character("R"), .up, .enter)
        #expect(console.state.backend.region == "eu-west-1", "the header shows the new Region at once")
        #expect(console.host.service.backend.region == "eu-west-1")
        #expect(await console.waitUntil { $0.stores.count == 1 })
        #expect(console.state.stores.values.first?.name == "eu-payments")
        #expect(console.frame.line(0).hasSuffix("aws · eu-west-1 · 111122223333"))
        #expect(await eventually { await aws.regions["us-east-1"]!.subscriberCount() == 0 }, "the old event stream was cancelled")
        #expect(await eventually { await aws.regions["eu-west-1"]!.subscriberCount() == 1 })

        await aws.regions["us-east-1"]!.emit(.connectionStateChanged(from: .disconnected, to: .connecting, errorCode: nil),
                                             store: Fixtures.analyticsId)
        await aws.regions["eu-west-1"]!.emit(.keyStoreUpdated(changes: ["name"]), store: "cks-e1e2e3e4e5e6e7e8e")
        #expect(await console.waitUntil { $0.log.entries.contains { $0.text == "Updated: name" } })
        #expect(console.state.stores[Fixtures.analyticsId] == nil, "nothing of the old Region comes back")
        console.stop()
    }

    @Test func answersOfTheOldServiceStillInFlightAreDropped() async {
        let aws = FakeRegionalService.twoRegions()
        let console = HeadlessConsole(service: aws)
        console.start()
        #expect(await console.waitUntil { $0.stores.count == 6 })
        console.send(.key(.character("r")))  // a reload of us-east-1, whose answer arrives after the switch
        console.send(.key(.character("R")))
        console.send(.key(.up))
        console.send(.key(.enter))
        #expect(console.host.generation == 1)
        let oldReloadArrived = await console.waitUntil { state in
            state.stores.count == 1 && console.dropped.contains { if case let .storesLoaded(stores) = $0 { stores.count == 6 } else { false } }
        }
        #expect(oldReloadArrived)
        #expect(console.state.stores.count == 1, "the old Region's reload never lands")
        console.stop()
    }

    @Test func transitionsComeFromTheService() async {
        let staging = TransitionProgress(keyStoreId: Fixtures.stagingId, state: .connecting,
                                         startedAt: Fixtures.now.addingTimeInterval(-185), precision: .observed,
                                         documentedDuration: TransitionProgress.cloudHSMConnectDuration)
        let base = FakeRegionalService.twoRegions()
        let aws = FakeRegionalService(regions: base.regions, region: "us-east-1", transitions: [Fixtures.stagingId: staging])
        let console = HeadlessConsole(service: aws)
        console.start()
        #expect(await console.waitUntil { state in
            state.workflow(of: Fixtures.stagingId)?.startedAt == staging.startedAt
        })
        #expect(console.frame.text.contains("3m 05s of up to 20m"))
        console.stop()
    }
}
