import Foundation
@testable import Console
import KeyStoreEngine
import Testing

@Suite("Live events and background workflows")
struct WorkflowTests {
    @Test func stateChangesUpdateTheRowAndMarkItForAMoment() {
        var driver = Driver()
        driver.event(.connectionStateChanged(from: .disconnected, to: .connecting, errorCode: nil), store: Fixtures.analyticsId)
        #expect(driver.state.stores[Fixtures.analyticsId]?.connectionState == .connecting)
        #expect(driver.state.isChanged(Fixtures.analyticsId))
        #expect(driver.state.animationInterval == .milliseconds(100))
        driver.state.now = Fixtures.now.addingTimeInterval(10)
        driver.send(.tick)
        #expect(!driver.state.isChanged(Fixtures.analyticsId))
        #expect(driver.state.changedAt.isEmpty)
    }

    @Test func aStateChangeKeepsCountsAndOrderRightWithoutResorting() {
        var driver = Driver()
        let order = driver.state.table.order
        driver.event(.connectionStateChanged(from: .disconnected, to: .connecting, errorCode: nil), store: Fixtures.analyticsId)
        #expect(driver.state.table.order == order)
        #expect(driver.state.table.measures.counts[.connecting] == 2)
        #expect(driver.state.table.measures.counts[.disconnected] == 0)
        driver.press(.character(":"))
        driver.type("sort state")
        driver.press(.enter)
        driver.event(.connectionStateChanged(from: .connecting, to: .failed, errorCode: .networkErrors), store: Fixtures.analyticsId)
        #expect(driver.state.stores[driver.state.table.order[0]]?.name == "legacy-vault")
        #expect(driver.state.stores[driver.state.table.order[1]]?.name == "analytics", "sorted by state, it moves up")
        #expect(HeaderView.counts(driver.state).plainText.contains("✗ 3 failed"))
    }

    @Test func nothingAnimatesWhenNothingMoves() {
        var stores = Fixtures.stores
        for index in stores.indices where stores[index].connectionState.isTransient { stores[index].connectionState = .connected }
        var driver = Driver()
        driver.send(.storesLoaded(stores))
        #expect(driver.state.animationInterval == nil, "no ticker: zero CPU when idle")
    }

    @Test func aWorkflowStartedElsewhereAppearsWithItsSteps() {
        var driver = Driver()
        let id = Fixtures.analyticsId
        driver.event(.connectionStateChanged(from: .disconnected, to: .connecting, errorCode: nil), store: id)
        driver.event(.workflowStarted(.connect), store: id)
        driver.event(.stepStarted(.createSecurityGroup, subject: nil), store: id)
        driver.event(.stepFinished(.createSecurityGroup, resource: StepResource(id: "sg-1", name: "kms-\(id)")), store: id)
        driver.event(.stepStarted(.createNetworkInterface, subject: "in us-east-1a"), store: id)
        let workflow = driver.state.workflows.last
        #expect(workflow?.origin == .elsewhere)
        #expect(workflow?.kind == .connect)
        #expect(workflow?.steps.map(\.status) == [.done, .running])
        #expect(workflow?.steps.first?.resource?.id == "sg-1")
        driver.event(.connectionStateChanged(from: .connecting, to: .connected, errorCode: nil), store: id)
        #expect(driver.state.workflows.last?.outcome == .connected)
        #expect(driver.state.runningWorkflows.isEmpty)
    }

    @Test func trackerAndGlobalStreamNeverCountAnEventTwice() {
        var driver = Driver()
        driver.select("analytics")
        driver.press(.character("c"))
        let step = KeyStoreEvent(sequence: 500, time: Fixtures.now, keyStoreId: Fixtures.analyticsId,
                                 kind: .stepStarted(.createSecurityGroup, subject: nil))
        driver.send(.engineEvent(step))
        driver.send(.workflowUpdate(.connect, storeId: Fixtures.analyticsId, .event(step)))
        #expect(driver.state.workflows.last?.steps.count == 1)
        #expect(driver.state.workflows.last?.origin == .console)
    }

    @Test func aTrackerAheadOfTheGlobalStreamLeavesOneWorkflow() {
        var driver = Driver()
        driver.select("prod-payments")
        driver.press(.character("D"), .tab, .enter)
        let id = Fixtures.prodId
        let events = [
            KeyStoreEvent(sequence: 201, time: Fixtures.now, keyStoreId: id, kind: .connectionStateChanged(from: .connected, to: .disconnecting, errorCode: nil)),
            KeyStoreEvent(sequence: 202, time: Fixtures.now, keyStoreId: id, kind: .stepStarted(.logOutKmsUser, subject: nil)),
            KeyStoreEvent(sequence: 203, time: Fixtures.now, keyStoreId: id, kind: .connectionStateChanged(from: .disconnecting, to: .disconnected, errorCode: nil)),
        ]
        for event in events { driver.send(.workflowUpdate(.disconnect, storeId: id, .event(event))) }
        driver.send(.workflowUpdate(.disconnect, storeId: id, .finished(.disconnected)))
        for event in events { driver.send(.engineEvent(event)) }
        #expect(driver.state.workflows.filter { $0.storeId == id }.count == 1)
        #expect(driver.state.status?.text == "prod-payments is DISCONNECTED.", "the settled state replaces the 'running' note")
    }

    @Test func severalWorkflowsRunAtOnceWhileBrowsing() {
        var driver = Driver()
        driver.select("analytics")
        driver.press(.character("c"))
        driver.select("prod-payments")
        driver.press(.character("D"), .tab, .enter)
        driver.press(.character("j"))
        #expect(driver.state.runningWorkflows.map(\.storeId) == [Fixtures.analyticsId, Fixtures.prodId])
        #expect(driver.state.selectedStore?.name == "staging")
    }

    @Test func aRejectedConnectShowsTheExceptionAndLeavesTheTray() {
        var driver = Driver()
        driver.select("analytics")
        driver.press(.character("c"))
        let error = KMSError(.cloudHsmClusterNotActive, "The cluster is not ACTIVE.")
        driver.send(.workflowRejected(.connect, storeId: Fixtures.analyticsId, error))
        #expect(driver.state.runningWorkflows.isEmpty)
        #expect(driver.state.status?.text == "ConnectCustomKeyStore: CloudHsmClusterNotActiveException: The cluster is not ACTIVE.")
        #expect(driver.state.log.entries.last?.kind == .error)
    }

    @Test func failureIsAnnouncedWithTheWayToTheFix() {
        var driver = Driver()
        driver.select("analytics")
        driver.press(.character("c"))
        driver.press(.character("j"))
        driver.event(.stepFailed(.logInKmsUser, errorCode: .invalidCredentials, message: "wrong password"), store: Fixtures.analyticsId)
        driver.event(.connectionStateChanged(from: .connecting, to: .failed, errorCode: .invalidCredentials), store: Fixtures.analyticsId)
        #expect(driver.state.stores[Fixtures.analyticsId]?.connectionErrorCode == .invalidCredentials)
        #expect(driver.state.status?.text == "analytics FAILED with INVALID_CREDENTIALS. Open it (Enter) to read the fix.")
        #expect(driver.state.workflows.last?.outcome == .failed(.invalidCredentials))
    }

    @Test func everyEventGoesToTheLogWithItsTime() {
        var driver = Driver()
        driver.event(.worldChanged(description: "Deleted HSM hsm-1"), store: nil, at: 61)
        driver.event(.keyStoreDeleted(name: "archive"), store: Fixtures.archiveId, at: 62)
        let entries = driver.state.log.entries.suffix(2)
        #expect(entries.map(\.text) == ["Deleted HSM hsm-1", "Deleted key store archive"])
        #expect(entries.map(\.storeName) == [nil, "archive"])
        #expect(entries.first?.time == Fixtures.now.addingTimeInterval(61))
        #expect(driver.state.stores[Fixtures.archiveId] == nil)
    }

    @Test func eventsOfUnknownStoresLoadThem() {
        var driver = Driver()
        let effects = driver.event(.keyStoreCreated(name: "new"), store: "cks-new")
        #expect(effects == [.loadStore(id: "cks-new")])
    }

    @Test func aStoppedEventStreamSaysSoAndRReconnects() {
        var driver = Driver()
        driver.send(.eventsFailed(KMSError(.endpointUnavailable, "The engine's event stream ended; press r to reload and follow it again.")))
        #expect(!driver.state.following)
        #expect(driver.frame().line(0).contains("not live: r reloads"))
        #expect(driver.press(.character("r")) == [.followEvents, .loadClusters])
        driver.send(.eventsFollowed(after: 7))
        #expect(driver.state.following)
    }

    @Test func oldEventsAreIgnored() {
        var driver = Driver()
        driver.send(.eventsFollowed(after: 1000))
        driver.send(.engineEvent(KeyStoreEvent(sequence: 999, time: Fixtures.now, keyStoreId: Fixtures.analyticsId,
                                               kind: .connectionStateChanged(from: .disconnected, to: .connecting, errorCode: nil))))
        #expect(driver.state.stores[Fixtures.analyticsId]?.connectionState == .disconnected)
    }
}

@Suite("Repair of a FAILED store")
struct RepairTests {
    @Test func disconnectThenEditPrefilledThenConnect() {
        var driver = Driver()
        driver.select("dev-locked")
        driver.press(.enter)
        driver.press(.character("f"))
        guard case let .disconnect(dialog) = driver.state.modal else { Issue.record("no confirmation"); return }
        #expect(dialog.forRepair)
        driver.press(.tab)
        #expect(driver.press(.enter) == [.startWorkflow(.disconnect, storeId: Fixtures.lockedId)])
        driver.event(.connectionStateChanged(from: .failed, to: .disconnecting, errorCode: nil), store: Fixtures.lockedId)
        driver.event(.connectionStateChanged(from: .disconnecting, to: .disconnected, errorCode: nil), store: Fixtures.lockedId)

        guard case let .form(form) = driver.state.modal else { Issue.record("no edit form"); return }
        #expect(form.kind == .edit(storeId: Fixtures.lockedId))
        #expect(form.value(.name) == "dev-locked", "pre-filled")
        #expect(form.value(.cluster) == "cluster-devl3c4d5e6f")
        #expect(form.fields[form.focus].id == .password, "USER_LOCKED_OUT is fixed with the password")
        #expect(form.notice?.hasPrefix("Repair of USER_LOCKED_OUT, step 2 of 3: Tell KMS the same password") == true, "\(form.notice ?? "")")

        driver.type("N3wPassw0rd")
        let effects = driver.press(.control("s"))
        #expect(effects == [.update(UpdateKeyStoreRequest(customKeyStoreId: Fixtures.lockedId, keyStorePassword: "N3wPassw0rd"))])
        #expect(driver.state.log.entries.last?.copyText
            == "aws kms update-custom-key-store --custom-key-store-id \(Fixtures.lockedId) --key-store-password <kmsuser-password>")
        driver.send(.updated(storeId: Fixtures.lockedId))
        #expect(driver.state.modal == .connectAfterRepair(storeId: Fixtures.lockedId, focus: 1))
        #expect(driver.press(.enter) == [.startWorkflow(.connect, storeId: Fixtures.lockedId)])
        driver.event(.connectionStateChanged(from: .disconnected, to: .connecting, errorCode: nil), store: Fixtures.lockedId)
        driver.event(.connectionStateChanged(from: .connecting, to: .connected, errorCode: nil), store: Fixtures.lockedId)
        #expect(driver.state.repairs.isEmpty)
        #expect(driver.state.status?.text == "Repaired: dev-locked is CONNECTED.")
    }

    @Test func whenTheCauseIsOutsideTheStoreSavingNothingGoesOnToConnect() {
        var driver = Driver()
        driver.select("dev-locked")
        driver.press(.enter, .character("f"), .tab, .enter)
        driver.event(.connectionStateChanged(from: .failed, to: .disconnected, errorCode: nil), store: Fixtures.lockedId)
        guard case .form = driver.state.modal else { Issue.record("no edit form"); return }
        #expect(driver.press(.control("s")).isEmpty)
        #expect(driver.state.modal == .connectAfterRepair(storeId: Fixtures.lockedId, focus: 1))
    }

    @Test func nothingToRepairOnAHealthyStore() {
        var driver = Driver()
        driver.select("prod-payments")
        driver.press(.enter)
        driver.press(.character("f"))
        #expect(driver.state.modal == nil)
        #expect(driver.state.status?.text == "prod-payments is CONNECTED: there is nothing to repair.")
    }
}
