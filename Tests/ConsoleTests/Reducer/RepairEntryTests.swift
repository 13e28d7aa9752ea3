import Foundation
@testable import Console
import KeyStoreEngine
import Testing

/// Where a repair starts (issue 15, item 9), what it offers for the code (issue 9, item 4), and the Edit
/// form's cluster picker (issue 15, item 13).
@Suite("Starting a repair")
struct RepairEntryTests {
    @Test func fOnAFailedRowOpensTheStoreAndAsksToDisconnect() {
        var driver = Driver()
        driver.select("dev-locked")
        #expect(driver.state.screen == .list)
        driver.press(.character("f"))
        #expect(driver.state.screen == .detail(storeId: Fixtures.lockedId))
        guard case let .disconnect(dialog) = driver.state.modal else { Issue.record("no disconnect confirmation"); return }
        #expect(dialog.forRepair)
        #expect(driver.state.repairs[Fixtures.lockedId]?.stage == .disconnect)
    }

    @Test func fOnAHealthyRowSaysWhyNot() {
        var driver = Driver()
        driver.select("prod-payments")
        driver.press(.character("f"))
        #expect(driver.state.modal == nil)
        #expect(driver.state.screen == .list)
        #expect(driver.state.status?.text == "prod-payments is CONNECTED: there is nothing to repair.")
    }

    @Test func theActionsMenuOffersRepairOnAFailedStoreOnly() {
        var driver = Driver()
        driver.select("dev-locked")
        let failed = Reducer.menuItems(for: Fixtures.lockedId, in: driver.state).first { $0.kind == .repair }
        #expect(failed?.disabledReason == nil)
        #expect(failed?.hotkey == "f")
        let healthy = Reducer.menuItems(for: Fixtures.prodId, in: driver.state).first { $0.kind == .repair }
        #expect(healthy?.disabledReason?.contains("only a FAILED store needs a repair") == true)
        driver.press(.character("a"), .character("f"))
        guard case .disconnect? = driver.state.modal else { Issue.record("Repair in the menu starts the repair"); return }
        #expect(driver.state.repairs[Fixtures.lockedId] != nil)
    }

    /// USER_LOGGED_IN: after the disconnect the repair logs kmsuser out (simulated) and connects; no Edit form.
    @Test func userLoggedInOffersTheSimulatedLogoutNotTheEditForm() {
        var state = Fixtures.loadedState()
        state.simulatedRepairs = true
        var store = Fixtures.stores.first { $0.id == Fixtures.lockedId }!
        store.connectionErrorCode = .userLoggedIn
        state.stores[store.id] = store
        var driver = Driver(state)
        driver.select("dev-locked")
        driver.press(.character("f"), .tab, .enter)
        driver.event(.connectionStateChanged(from: .failed, to: .disconnected, errorCode: nil), store: Fixtures.lockedId)
        #expect(driver.state.modal == .simulatedFix(storeId: Fixtures.lockedId, focus: 1))
        let effects = driver.press(.enter)
        #expect(effects.contains { if case .applySimulatedRepair(.logoutKmsUser, Fixtures.lockedId, _) = $0 { true } else { false } })
        #expect(driver.state.log.entries.last?.copyText == "cks sim logout-kmsuser cluster-devl3c4d5e6f")
        var context = RepairContext(store: store)
        context.clusterId = "cluster-devl3c4d5e6f"
        driver.send(.simulatedRepairApplied(storeId: Fixtures.lockedId, SimulatedRepairResult(description: "kmsuser logged out", context: context)))
        #expect(driver.state.modal == .connectAfterRepair(storeId: Fixtures.lockedId, focus: 1))
        #expect(driver.state.repairs[Fixtures.lockedId]?.stages == [.disconnect, .fix, .connect])
    }

    @Test func withoutASimulatorAFixOutsideKMSGoesStraightToConnectAndSaysWhy() {
        var state = Fixtures.loadedState()
        var store = Fixtures.stores.first { $0.id == Fixtures.lockedId }!
        store.connectionErrorCode = .userLoggedIn
        state.stores[store.id] = store
        var driver = Driver(state)
        driver.select("dev-locked")
        driver.press(.character("f"), .tab, .enter)
        driver.event(.connectionStateChanged(from: .failed, to: .disconnected, errorCode: nil), store: Fixtures.lockedId)
        #expect(driver.state.modal == .connectAfterRepair(storeId: Fixtures.lockedId, focus: 1))
        let guide = RepairGuide(store: driver.state.stores[Fixtures.lockedId]!, repair: driver.state.repairs[Fixtures.lockedId], context: nil)
        #expect(guide.connectNotice.hasPrefix("Repair of USER_LOGGED_IN, step 2 of 2: Nothing to change in KMS: fix it in the cluster (step 2 of the fix"))
    }

    @Test func theEditPickerOffersOnlyClustersThatFit() {
        var state = Fixtures.loadedState()
        var unrelated = Fixtures.cluster("cluster-othr7g2h3i4k", zones: ["us-east-1a", "us-east-1b"])
        unrelated.trustAnchorCertificate = "-----BEGIN CERTIFICATE-----\nAnotherCA\n-----END CERTIFICATE-----"
        var deleted = Fixtures.cluster("cluster-gone7g2h3i4m", zones: ["us-east-1a", "us-east-1b"])
        deleted.state = .deleted
        _ = reduce(&state, .clustersLoaded(Fixtures.clusters + [unrelated, deleted]))
        var driver = Driver(state)
        driver.select("analytics")
        driver.press(.character("e"))
        guard case let .form(form) = driver.state.modal else { Issue.record("no form"); return }
        let suggestions = form.fields.first { $0.id == .cluster }?.suggestions
        // Its own cluster, then the free, related, ACTIVE one: not other stores' clusters, an unrelated one or a deleted one.
        #expect(suggestions == ["cluster-anal2b3c4d5e", "cluster-free7g2h3i4j"])
    }
}
