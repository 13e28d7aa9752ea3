import CKSTestSupport
import Foundation
@testable import Console
import KeyStoreEngine
import Simulator
import Testing

/// A CONNECTED external key store's open detail shows each new health answer of its proxy as KMS's periodic
/// `KmsHealthCheck` probe writes it, without an event and without reopening the detail.
@Suite("The detail follows its proxy's health")
@MainActor
struct ProxyHealthFollowTests {
    @Test func aProbesAnswerReachesTheOpenDetail() async throws {
        let home = FileManager.default.temporaryDirectory.appending(path: "cks-console-health-\(UUID().uuidString)")
        // The demo world's orders-xks is CONNECTED through the embedded proxy and was never probed.
        let service = try SimulatorService.open(home: home, pace: .instant, drive: true, xksTimeout: .seconds(15))
        defer {
            service.close()
            try? FileManager.default.removeItem(at: home)
        }
        let store = try #require(try await service.allKeyStores().first { $0.name == "orders-xks" })
        let console = HeadlessConsole(service: service)
        defer { console.stop() }
        console.start()
        #expect(await console.waitUntil { $0.stores[store.id] != nil })
        console.press(.character("]"))
        console.select("orders-xks")
        console.press(.enter)
        func health(_ state: AppState) -> XKSProxyHealth?? {
            if case let .loaded(observation)? = state.proxyObservations[store.id] { observation?.health } else { nil }
        }
        #expect(await console.waitUntil { health($0) == .some(nil) }, "no answer yet")

        try await service.runDueHealthProbes()
        let answer = try #require(try await service.proxyHealth(ofKeyStore: store.id))
        #expect(answer.kmsOperation == "KmsHealthCheck")
        #expect(await console.waitUntil { health($0) == .some(answer) }, "the detail reloads the new answer")
        #expect(console.state.screen == .detail(storeId: store.id))
        #expect(console.frame.text.contains("KmsHealthCheck"), "\(console.frame.text)")
        await service.shutdownProxyConnections()
    }

    @Test func onlyTheShownStoresDetailAsksAgain() {
        var driver = Driver(Fixtures.loadedWithExternal())
        driver.press(.character("]"))
        driver.select("xks-ledger")
        #expect(driver.press(.enter).contains(.loadProxyObservation(storeId: Fixtures.ledgerId)))
        driver.send(.proxyObservationLoaded(storeId: Fixtures.ledgerId, ProxyObservation(health: Fixtures.health, requests: [])))
        #expect(driver.send(.proxyHealthChanged(storeId: Fixtures.ledgerId)) == [.loadProxyObservation(storeId: Fixtures.ledgerId)])
        #expect(driver.send(.proxyHealthChanged(storeId: Fixtures.partnerId)).isEmpty, "another store's answer waits until it opens")
        driver.press(.escape)
        #expect(driver.send(.proxyHealthChanged(storeId: Fixtures.ledgerId)).isEmpty, "the list shows no health")
    }

    @Test func aNewAnswerOfTheServiceReplacesTheShownOneUntilTheConsoleStops() async throws {
        let service = FakeKeyStoreService(stores: Fixtures.stores + Fixtures.externalStores)
        await service.setProxy(health: Fixtures.health, requests: [], of: Fixtures.ledgerId)
        let console = HeadlessConsole(service: service)
        console.start()
        #expect(await console.waitUntil { $0.stores.count == 9 })
        console.press(.character("]"))
        console.select("xks-ledger")
        console.press(.enter)
        #expect(await console.waitUntil { $0.proxyObservations[Fixtures.ledgerId]?.value??.health == Fixtures.health })
        try await eventually("the console follows the proxies' health") { await service.healthSubscriberCount() == 1 }

        var later = Fixtures.health
        later.checkedAt = Fixtures.health.checkedAt.addingTimeInterval(300)
        later.kmsOperation = "KmsHealthCheck"
        await service.setProxy(health: later, requests: [], of: Fixtures.ledgerId)
        #expect(await console.waitUntil { $0.proxyObservations[Fixtures.ledgerId]?.value??.health == later })
        console.stop()
        try await eventually("stopping the console ends the stream") { await service.healthSubscriberCount() == 0 }
    }
}
