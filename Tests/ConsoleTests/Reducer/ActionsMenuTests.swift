@testable import Console
import KeyStoreEngine
import Testing

@Suite("Key store actions menu")
struct ActionsMenuTests {
    func items(_ driver: Driver) -> [MenuItem] {
        guard case let .actions(menu) = driver.state.modal else { return [] }
        return Reducer.menuItems(for: menu.storeId, in: driver.state)
    }

    @Test func greysWhatTheRulesForbidWithTheirReason() {
        var driver = Driver()
        driver.select("dev-locked")
        let effects = driver.press(.character("a"))
        #expect(effects == [.loadKeys(storeId: Fixtures.lockedId)])
        let store = driver.state.stores[Fixtures.lockedId]!
        let byKind = Dictionary(uniqueKeysWithValues: items(driver).map { ($0.kind, $0) })
        #expect(byKind[.connect]?.disabledReason == KeyStoreRules.verdict(for: .connect, on: store).reason)
        #expect(byKind[.connect]?.disabledReason == "disconnect first: a FAILED store cannot be connected")
        #expect(byKind[.disconnect]?.disabledReason == nil)
        #expect(byKind[.edit]?.disabledReason == KeyStoreRules.verdict(for: .rename, on: store).reason)
        #expect(byKind[.delete]?.disabledReason == KeyStoreRules.verdict(for: .delete, on: store).reason)
        #expect(byKind[.create]?.disabledReason == nil)
    }

    @Test func deleteWaitsForTheKeyCountThenFollowsTheRule() {
        var driver = Driver()
        driver.select("analytics")
        driver.press(.character("a"))
        #expect(items(driver).first { $0.kind == .delete }?.disabledReason == "counting its KMS keys…")
        driver.send(.keysLoaded(storeId: Fixtures.analyticsId, []))
        #expect(items(driver).first { $0.kind == .delete }?.disabledReason == nil)
        driver.send(.keysLoaded(storeId: Fixtures.analyticsId, Fixtures.keys[Fixtures.prodId]!))
        #expect(items(driver).first { $0.kind == .delete }?.disabledReason == "it still holds 3 KMS keys: schedule their deletion and wait")
    }

    @Test func readOnlyGreysEveryChange() {
        var driver = Driver(Fixtures.loadedState(readOnly: true))
        driver.select("analytics")
        driver.press(.character("a"))
        #expect(items(driver).allSatisfy { $0.disabledReason == "read-only mode" })
        driver.press(.enter)
        #expect(driver.state.status?.text == "Connect is not possible now: read-only mode.")
        driver.press(.escape)
        driver.press(.character("c"))
        #expect(driver.state.status?.text.hasPrefix("Not allowed: read-only mode") == true)
        #expect(driver.effects.allSatisfy { if case .startWorkflow = $0 { false } else { true } })
    }

    @Test func choosingConnectStartsTheWorkflowInTheBackground() {
        var driver = Driver()
        driver.select("analytics")
        driver.press(.character("a"))
        let effects = driver.press(.enter)
        #expect(effects == [.startWorkflow(.connect, storeId: Fixtures.analyticsId)])
        #expect(driver.state.modal == nil)
        #expect(driver.state.runningWorkflows.map(\.storeId) == [Fixtures.analyticsId])
        #expect(driver.state.status?.text == "Connecting analytics… it runs in the background; keep browsing.")
    }

    @Test func hotkeysChooseAndDisabledEntriesExplain() {
        var driver = Driver()
        driver.select("prod-payments")
        driver.press(.character("a"))
        driver.press(.character("c"))
        #expect(driver.state.modal != nil, "a disabled entry keeps the menu open")
        #expect(driver.state.status?.text == "Connect is not possible now: already connected.")
        driver.press(.character("d"))
        #expect(driver.state.modal == .disconnect(DisconnectConfirmation(storeId: Fixtures.prodId)))
    }

    @Test func theCursorStartsOnTheFirstPossibleAction() {
        var driver = Driver()
        driver.select("dev-locked")
        driver.press(.character("a"))
        #expect(driver.state.modal == .actions(ActionsMenu(storeId: Fixtures.lockedId, cursor: 1)), "Disconnect, not the greyed Connect")
        let effects = driver.press(.enter)
        #expect(driver.state.modal == .disconnect(DisconnectConfirmation(storeId: Fixtures.lockedId)))
        #expect(effects == [.loadKeys(storeId: Fixtures.lockedId)])
    }

    @Test func menuMovesAndWraps() {
        var driver = Driver()
        driver.press(.character("a"))
        driver.press(.up)
        guard case let .actions(menu) = driver.state.modal else { Issue.record("no menu"); return }
        #expect(menu.cursor == 6, "up from the first entry wraps to Create key store")
        driver.press(.escape)
        #expect(driver.state.modal == nil)
    }
}

@Suite("Confirmations")
struct ConfirmationTests {
    @Test func disconnectStartsOnCancel() {
        var driver = Driver()
        driver.select("prod-payments")
        driver.press(.character("D"))
        #expect(driver.press(.enter).isEmpty, "Enter on the first focus cancels")
        #expect(driver.state.modal == nil)
        driver.press(.character("D"))
        driver.press(.tab)
        let effects = driver.press(.enter)
        #expect(effects == [.startWorkflow(.disconnect, storeId: Fixtures.prodId)])
        #expect(driver.state.log.entries.last?.text == "$ aws kms disconnect-custom-key-store --custom-key-store-id \(Fixtures.prodId)")
    }

    @Test func deleteNeedsTheExactNameAndStartsOnCancel() {
        var driver = Driver()
        driver.select("analytics")
        driver.press(.character("X"))
        guard case let .delete(dialog) = driver.state.modal else { Issue.record("no dialog"); return }
        #expect(dialog.focus == .cancel)
        driver.send(.keysLoaded(storeId: Fixtures.analyticsId, []))
        driver.type("analytic")
        #expect(driver.press(.enter).isEmpty)
        #expect(driver.state.status?.text == "Type the store's name exactly to delete it.")
        driver.type("s")
        #expect(driver.press(.enter) == [.delete(storeId: Fixtures.analyticsId)])
        driver.send(.deleted(storeId: Fixtures.analyticsId))
        #expect(driver.state.stores[Fixtures.analyticsId] == nil)
        #expect(driver.state.modal == nil)
        #expect(driver.state.status?.text == "Deleted key store analytics.")
    }

    @Test func deleteIsRefusedOnAConnectedStore() {
        var driver = Driver()
        driver.select("prod-payments")
        driver.press(.character("X"))
        #expect(driver.state.modal == nil)
        #expect(driver.state.status?.text == "Cannot delete prod-payments: disconnect first: only a DISCONNECTED store can be deleted.")
    }

    @Test func quitWhileAWorkflowRunsSaysItGoesOn() {
        var driver = Driver()
        driver.select("analytics")
        driver.press(.character("c"))
        driver.press(.character("q"))
        #expect(driver.state.modal == .quit(focus: 0))
        #expect(driver.state.exitStatus == nil)
        let text = driver.frame().text
        #expect(text.contains("They go on after you quit"))
        driver.press(.enter)
        #expect(driver.state.exitStatus == 0)
    }

    @Test func ctrlCQuitsEvenFromADialog() {
        var driver = Driver()
        driver.press(.character("a"))
        driver.press(.control("c"))
        #expect(driver.state.exitStatus == 0)
    }
}
