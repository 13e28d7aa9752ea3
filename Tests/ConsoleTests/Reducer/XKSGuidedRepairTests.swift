import Foundation
@testable import Console
import KeyStoreEngine
import Testing

/// The guided repair of a FAILED external key store: on the simulator, the fix stage runs the action the simulator
/// names for its world, and the edit is filled in from what the fix found; on real AWS, the catalogue's meaning,
/// cause and steps, then disconnect, edit, connect (issue 11).
@Suite("Guided repair of external key stores")
struct XKSGuidedRepairTests {
    static let partner = Fixtures.partnerId

    func form(_ driver: Driver) -> FormState? {
        if case let .form(form) = driver.state.modal { form } else { nil }
    }

    /// The fixtures on a simulator, with xks-partner FAILED with `code`, its detail open.
    func simulatorDriver(_ code: ConnectionErrorCode = .xksProxyInvalidConfiguration, size: Size = Size(width: 120, height: 60)) -> Driver {
        var state = Fixtures.loadedWithExternal(size: size)
        state.simulatedRepairs = true
        state.stores[Self.partner]?.connectionErrorCode = code
        var driver = Driver(state)
        driver.press(.character("]"))
        driver.select("xks-partner")
        return driver
    }

    func disconnected(_ driver: inout Driver) {
        driver.event(.connectionStateChanged(from: .failed, to: .disconnected, errorCode: nil), store: Self.partner)
    }

    @Test func theRepairAsksTheSimulatorForTheFixAndWaitsForItsAnswerAfterTheDisconnect() throws {
        var driver = simulatorDriver()
        let effects = driver.press(.character("f"))
        #expect(effects.contains(.loadXKSRepairAction(storeId: Self.partner, code: .xksProxyInvalidConfiguration)))
        #expect(driver.state.repairs[Self.partner]?.awaitingSimulatorAction == true)
        driver.press(.tab, .enter)
        disconnected(&driver)
        #expect(driver.state.modal == nil, "no stage opens before the simulator answers")
        #expect(driver.state.status?.text.contains("Asking the simulator which fix applies") == true)

        driver.send(.xksRepairActionLoaded(storeId: Self.partner, code: .xksProxyInvalidConfiguration, .useProxyUriPath))
        let repair = try #require(driver.state.repairs[Self.partner])
        #expect(repair.stages == [.disconnect, .fix, .edit, .connect])
        #expect(driver.state.modal == .simulatedFix(storeId: Self.partner, focus: 1))
        let text = driver.frame().text
        #expect(text.contains("Apply the simulated fix to xks-partner?"), "\(text)")
        #expect(text.contains("step 2 of 4: Look up the URI path the proxy"), "\(text)")
        #expect(text.contains("$ cks xks-proxy status (the path of \(Fixtures.accessKeyId))"), "\(text)")
        #expect(!text.contains("Asking the simulator"), "\(text)")
        #expect(text.contains("simulated fix (xks-proxy-uri-path)"), "\(text)")
    }

    @Test func theFixFindsThePathTheEditIsFilledInAndTheConnectEndsTheRepair() throws {
        var driver = simulatorDriver()
        driver.press(.character("f"))
        driver.send(.xksRepairActionLoaded(storeId: Self.partner, code: .xksProxyInvalidConfiguration, .useProxyUriPath))
        driver.press(.tab, .enter)
        disconnected(&driver)
        let apply = driver.press(.enter)
        guard case let .applySimulatedRepair(action, id, context)? = apply.first else {
            Issue.record("no simulated fix: \(apply)")
            return
        }
        #expect(action == .useProxyUriPath && id == Self.partner)
        var found = context
        found.xksUriPath = "/partner/kms/xks/v1"
        driver.send(.simulatedRepairApplied(storeId: Self.partner, SimulatedRepairResult(
            description: "The proxy serves the store's credential at /partner/kms/xks/v1", context: found)))
        let edit = try #require(form(driver))
        #expect(edit.fields[edit.focus].id == .uriPath)
        #expect(edit.value(.uriPath) == "/partner/kms/xks/v1")
        #expect(edit.notice?.contains("Filled in below: what the simulated proxy serves") == true)
        #expect(driver.press(.control("s")) == [.update(UpdateKeyStoreRequest(customKeyStoreId: Self.partner,
                                                                              xksProxyUriPath: "/partner/kms/xks/v1"))])
        driver.send(.updated(storeId: Self.partner))
        #expect(driver.state.modal == .connectAfterRepair(storeId: Self.partner, focus: 1))
        #expect(driver.frame().text.contains("The simulated fix is applied"))
        #expect(driver.press(.enter).contains(.startWorkflow(.connect, storeId: Self.partner)))
        driver.event(.connectionStateChanged(from: .disconnected, to: .connecting, errorCode: nil), store: Self.partner)
        driver.event(.connectionStateChanged(from: .connecting, to: .connected, errorCode: nil), store: Self.partner)
        #expect(driver.state.repairs[Self.partner] == nil)
        #expect(driver.state.status?.text == "Repaired: xks-partner is CONNECTED.")
    }

    @Test func theProxysCredentialFillsBothPartsOfTheCredential() throws {
        var driver = simulatorDriver(.invalidCredentials)
        driver.press(.character("f"))
        driver.send(.xksRepairActionLoaded(storeId: Self.partner, code: .invalidCredentials, .useProxyCredential))
        driver.press(.tab, .enter)
        disconnected(&driver)
        guard case let .applySimulatedRepair(.useProxyCredential, _, context)? = driver.press(.enter).first else {
            Issue.record("no credential lookup")
            return
        }
        var found = context
        let credential = XKSProxyCredential(accessKeyId: "NEWPROXYCREDENTIAL2345", rawSecretAccessKey: String(repeating: "QUJD", count: 11))
        found.xksCredential = credential
        driver.send(.simulatedRepairApplied(storeId: Self.partner, SimulatedRepairResult(description: "The proxy accepts it", context: found)))
        let edit = try #require(form(driver))
        #expect(edit.value(.accessKeyId) == credential.accessKeyId)
        #expect(edit.value(.secretAccessKey) == credential.rawSecretAccessKey)
        #expect(driver.press(.control("s")) == [.update(UpdateKeyStoreRequest(customKeyStoreId: Self.partner, xksProxyCredential: credential))])
    }

    @Test func theDetailShowsTheSimulatorsFixAndTheRepairAsksAgainForTheWorldAsItIsNow() throws {
        var driver = simulatorDriver(.xksProxyNotReachable)
        driver.press(.enter)
        #expect(driver.send(.clustersLoaded(Fixtures.clusters)).contains(.loadXKSRepairAction(storeId: Self.partner, code: .xksProxyNotReachable)))
        driver.send(.xksRepairActionLoaded(storeId: Self.partner, code: .xksProxyNotReachable, .routeProxyHost))
        driver.state.log.visible = false
        #expect(driver.frame().text.contains("simulated fix (xks-route)"), "the detail's repair line names the simulator's fix")
        #expect(!driver.send(.clustersLoaded(Fixtures.clusters)).contains { if case .loadXKSRepairAction = $0 { true } else { false } })

        // Someone routed the host meanwhile; the proxy behind it is down: the repair clears its faults instead.
        #expect(driver.press(.character("f")).contains(.loadXKSRepairAction(storeId: Self.partner, code: .xksProxyNotReachable)))
        #expect(driver.state.repairs[Self.partner]?.stages == [.disconnect, .fix, .connect], "the known answer meanwhile")
        driver.press(.tab, .enter)
        disconnected(&driver)
        #expect(driver.state.modal == nil)
        driver.send(.xksRepairActionLoaded(storeId: Self.partner, code: .xksProxyNotReachable, .clearProxyFaults))
        #expect(driver.state.modal == .simulatedFix(storeId: Self.partner, focus: 1))
        #expect(driver.frame().text.contains("$ cks xks-proxy fault clear"))

        // The proxy fixed, the endpoint the store has is right: no edit, the connect comes next.
        guard case let .applySimulatedRepair(.clearProxyFaults, _, context)? = driver.press(.enter).first else {
            Issue.record("no fault clearing")
            return
        }
        driver.send(.simulatedRepairApplied(storeId: Self.partner, SimulatedRepairResult(description: "Cleared", context: context)))
        #expect(driver.state.modal == .connectAfterRepair(storeId: Self.partner, focus: 1))
        #expect(driver.frame().text.contains("proxy URI endpoint needs no change"))
    }

    @Test func nothingToApplyWhenConnectingAgainIsTheFix() {
        var driver = simulatorDriver(.internalError)
        driver.press(.character("f"), .tab, .enter)
        driver.send(.xksRepairActionLoaded(storeId: Self.partner, code: .internalError, nil))
        #expect(driver.state.repairs[Self.partner]?.stages == [.disconnect, .connect])
        disconnected(&driver)
        #expect(driver.state.modal == .connectAfterRepair(storeId: Self.partner, focus: 1))
    }

    @Test func aSimulatorThatCannotAnswerLeavesTheFixToThePerson() {
        var driver = simulatorDriver()
        driver.press(.character("f"), .tab, .enter)
        disconnected(&driver)
        driver.send(.xksRepairActionFailed(storeId: Self.partner, code: .xksProxyInvalidConfiguration,
                                           KMSError(.validation, "The proxy has no state")))
        #expect(driver.state.repairs[Self.partner]?.stages == [.disconnect, .edit, .connect])
        #expect(form(driver) != nil, "the edit opens: the person fixes the cause")
        #expect(driver.state.xksRepairActions[Self.partner] == nil, "a failed answer is asked again next time")
    }

    @Test func onRealAWSTheGuideExplainsAndWalksDisconnectEditConnect() throws {
        var driver = Driver(Fixtures.loadedWithExternal(size: Size(width: 120, height: 70)))
        driver.state.stores[Self.partner]?.connectionErrorCode = .invalidCredentials
        driver.press(.character("]"))
        driver.select("xks-partner")
        driver.press(.enter)
        driver.state.log.visible = false
        let detail = driver.frame().text
        for needle in ["INVALID_CREDENTIALS  The proxy rejected the KMS credential", "Meaning", "Likely cause",
                       "1. Disconnect the key store first", "Give KMS both parts of the credential together",
                       "1. disconnect → 2. edit proxy authentication credential → 3. connect"] {
            #expect(detail.contains(needle), "\(needle)\n\(detail)")
        }
        let effects = driver.press(.character("f"))
        #expect(!effects.contains { if case .loadXKSRepairAction = $0 { true } else { false } })
        #expect(driver.state.repairs[Self.partner]?.stages == [.disconnect, .edit, .connect])
        driver.press(.tab, .enter)
        disconnected(&driver)
        let edit = try #require(form(driver))
        #expect(edit.fields[edit.focus].id == .accessKeyId)
        #expect(edit.notice?.hasPrefix("Repair of INVALID_CREDENTIALS, step 2 of 3: Give KMS both parts of the credential together") == true,
                "\(edit.notice ?? "")")
    }

    @Test func fFromTheListAsksForTheProxysHealthAsOpeningTheDetailDoes() {
        var driver = simulatorDriver()
        #expect(driver.press(.character("f")).contains(.loadProxyObservation(storeId: Self.partner)))
        #expect(driver.state.proxyObservations[Self.partner] == .loading)
    }

    @Test func disconnectingAConnectedExternalStoreSaysWhatKMSDoesToTheProxy() {
        var driver = Driver(Fixtures.loadedWithExternal(size: Size(width: 120, height: 40)))
        driver.press(.character("]"))
        driver.select("xks-ledger")
        driver.press(.character("d"))
        let text = driver.frame().text
        #expect(text.contains("KMS stops sending requests to the proxy. Cryptographic operations"), "\(text)")
        #expect(!text.contains("kmsuser"), "\(text)")
    }
}
