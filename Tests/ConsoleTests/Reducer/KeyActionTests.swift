@testable import Console
import Foundation
import KeyStoreEngine
import Testing

@Suite("Key actions in the detail")
struct KeyActionTests {
    let keys = Fixtures.keys[Fixtures.prodId]!
    var enabled: KMSKey { keys[0] }
    var pending: KMSKey { keys[2] }

    /// The prod-payments detail with its three keys listed: two Enabled, the third PendingDeletion.
    func detail(readOnly: Bool = false) -> Driver {
        var driver = Driver(Fixtures.loadedState(readOnly: readOnly))
        driver.select("prod-payments")
        driver.press(.enter)
        driver.send(.keysLoaded(storeId: Fixtures.prodId, keys))
        return driver
    }

    @Test func jAndKSelectAKeyInTheListedOrder() {
        var driver = detail()
        #expect(Reducer.selectedKey(driver.state)?.id == enabled.id)
        driver.type("JJJ")
        #expect(driver.state.selectedKeyId == pending.id)
        driver.type("K")
        #expect(driver.state.selectedKeyId == keys[1].id)
        driver.press(.escape)
        #expect(driver.state.selectedKeyId == nil)
    }

    @Test func jAndKScrollTheDetailToTheSelectedKey() {
        var driver = detail()
        driver.state.size = Size(width: 100, height: 24)
        #expect(driver.state.detailScroll == 0)
        #expect(!driver.frame().text.contains("J/K select  "), "the key list starts below the fold")
        driver.type("J")
        var text = driver.frame().text
        #expect(driver.state.detailScroll > 0)
        #expect(text.contains(keys[1].id) && text.contains("J/K select  "), "\(text)")
        // Scrolled back to the top by hand, K brings the selected key into sight again.
        driver.state.detailScroll = 0
        driver.type("K")
        text = driver.frame().text
        #expect(text.contains(keys[0].id) && text.contains("J/K select  "), "\(text)")
        let scrolled = driver.state.detailScroll
        driver.type("J")
        #expect(driver.state.detailScroll == scrolled, "a key already in sight does not move the detail")
    }

    @Test func enableAndDisableCallTheServiceAndReloadTheKeys() {
        var driver = detail()
        #expect(driver.type("-") == [.keyAction(.disable, keyId: enabled.id, storeId: Fixtures.prodId, pendingWindowDays: nil)])
        #expect(driver.send(.keyActionDone(.disable, storeId: Fixtures.prodId, keyId: enabled.id, deletionDate: nil))
            == [.loadKeys(storeId: Fixtures.prodId)])
        #expect(driver.state.status == .init(text: "Disabled \(enabled.id).", kind: .success))
        #expect(driver.type("+") == [.keyAction(.enable, keyId: enabled.id, storeId: Fixtures.prodId, pendingWindowDays: nil)])
        driver.send(.keyActionDone(.enable, storeId: Fixtures.prodId, keyId: enabled.id, deletionDate: nil))
        #expect(driver.state.status?.text == "Enabled \(enabled.id).")
    }

    @Test func aKeyPendingDeletionIsRefusedWithTheRulesReason() {
        var driver = detail()
        driver.type("JJ")
        let reason = KeyRules.verdict(for: .enable, keyArn: pending.arn, state: .pendingDeletion).reason
        #expect(reason == "cancel its deletion first")
        #expect(driver.type("+").isEmpty)
        #expect(driver.state.status == .init(text: "Cannot enable \(pending.id): cancel its deletion first.", kind: .error))
        #expect(driver.type("-").isEmpty)
        #expect(driver.type("W").isEmpty)
        #expect(driver.state.status?.text == "Cannot schedule the deletion of \(pending.id): already pending deletion.")
        #expect(driver.state.modal == nil)
    }

    @Test func onlyAKeyPendingDeletionCanHaveItsDeletionCancelled() {
        var driver = detail()
        #expect(driver.type("U").isEmpty)
        #expect(driver.state.status == .init(text: "Cannot cancel the deletion of \(enabled.id): not pending deletion.", kind: .error))
        driver.type("JJ")
        #expect(driver.type("U") == [.keyAction(.cancelDeletion, keyId: pending.id, storeId: Fixtures.prodId, pendingWindowDays: nil)])
        driver.send(.keyActionDone(.cancelDeletion, storeId: Fixtures.prodId, keyId: pending.id, deletionDate: nil))
        #expect(driver.state.status?.text == "Cancelled the deletion of \(pending.id): it is Disabled (+ enables it).")
    }

    @Test func theDetailGreysWhatTheRulesForbid() {
        var driver = detail()
        driver.type("JJ")
        let text = DetailDocument(state: driver.state, width: 120).lines.map(\.plainText).joined(separator: "\n")
        #expect(text.contains("▸ 3333aaaa…"))
        #expect(text.contains("not now: +/-: cancel its deletion first; W: already pending deletion"))
        driver.type("K")
        let first = DetailDocument(state: driver.state, width: 120).lines.map(\.plainText).joined(separator: "\n")
        #expect(first.contains("not now: U: not pending deletion"))
    }

    @Test func scheduleDeletionAsksForTheDaysNamingTheKey() {
        var driver = detail()
        #expect(driver.type("W").isEmpty)
        guard case let .keyDeletion(dialog) = driver.state.modal else {
            Issue.record("no confirmation")
            return
        }
        #expect(dialog.keyId == enabled.id)
        #expect(dialog.daysText == "30")
        let frame = driver.frame().text
        #expect(frame.contains("Schedule the deletion of \(enabled.id) in 30 days?"))
        // Enter on Cancel (the first focus) sends nothing.
        #expect(driver.press(.enter).isEmpty)
        #expect(driver.state.modal == nil)

        driver.type("W")
        driver.press(.backspace, .backspace)
        driver.type("7")
        driver.press(.tab)
        #expect(driver.press(.enter) == [.keyAction(.scheduleDeletion, keyId: enabled.id, storeId: Fixtures.prodId, pendingWindowDays: 7)])
        #expect(driver.state.modal == nil)
        let date = Fixtures.now.addingTimeInterval(7 * 86_400)
        #expect(driver.send(.keyActionDone(.scheduleDeletion, storeId: Fixtures.prodId, keyId: enabled.id, deletionDate: date))
            == [.loadKeys(storeId: Fixtures.prodId)])
        #expect(driver.state.status?.text.hasPrefix("Scheduled the deletion of \(enabled.id) on ") == true)
    }

    @Test(arguments: ["6", "31", ""])
    func aWindowOutside7To30DaysIsRefused(days: String) {
        var driver = detail()
        driver.type("W")
        driver.press(.backspace, .backspace)
        driver.type(days)
        driver.press(.tab)
        #expect(driver.press(.enter).isEmpty)
        guard case .keyDeletion? = driver.state.modal else {
            Issue.record("the dialog closed")
            return
        }
        #expect(driver.state.status?.kind == .error)
        #expect(driver.state.status?.text.hasPrefix("The waiting period must be 7 to 30 days") == true)
        driver.press(.escape)
        #expect(driver.state.modal == nil)
    }

    @Test func aRefusalFromKMSIsShownAndTheKeysReloaded() {
        var driver = detail()
        driver.type("-")
        let error = KMSError(.kmsInvalidState, "\(enabled.arn) is pending deletion.")
        #expect(driver.send(.keyActionFailed(.disable, storeId: Fixtures.prodId, keyId: enabled.id, error))
            == [.loadKeys(storeId: Fixtures.prodId)])
        #expect(driver.state.status?.kind == .error)
        #expect(driver.state.status?.text.contains("DisableKey \(enabled.id)") == true)
        #expect(driver.state.status?.text.contains(error.message) == true)
    }

    @Test func readOnlyRefusesKeyActions() {
        var driver = detail(readOnly: true)
        #expect(driver.type("-").isEmpty)
        #expect(driver.state.status?.text.hasPrefix("Not allowed: read-only mode") == true)
    }
}
