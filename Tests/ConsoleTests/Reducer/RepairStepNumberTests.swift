import Foundation
@testable import Console
import KeyStoreEngine
import Testing

/// The dialogs of a guided repair number their steps in the order the person walks them (1, 2, 3 of 3), for
/// CloudHSM and external key stores, with simulated fixes and without (real AWS); the catalogue's steps keep their
/// own numbers in the detail's fix.
@Suite("Repair step numbers")
struct RepairStepNumberTests {
    /// A FAILED store, the code it failed with, whether the simulator applies the fix, and the stages walked.
    struct Walk: Sendable, CustomTestStringConvertible {
        var name: String
        var code: ConnectionErrorCode
        var simulated: Bool
        var stages: [AppState.Repair.Stage]

        var external: Bool { name.hasPrefix("xks-") }
        var testDescription: String { "\(code.rawValue) of \(name)\(simulated ? " on the simulator" : " on real AWS")" }
    }

    static let walks: [Walk] = [
        Walk(name: "xks-partner", code: .xksProxyNotReachable, simulated: true, stages: [.disconnect, .fix, .connect]),
        Walk(name: "xks-partner", code: .xksProxyNotReachable, simulated: false, stages: [.disconnect, .edit, .connect]),
        Walk(name: "xks-partner", code: .invalidCredentials, simulated: true, stages: [.disconnect, .fix, .edit, .connect]),
        Walk(name: "xks-partner", code: .invalidCredentials, simulated: false, stages: [.disconnect, .edit, .connect]),
        Walk(name: "xks-partner", code: .internalError, simulated: true, stages: [.disconnect, .connect]),
        Walk(name: "dev-locked", code: .userLockedOut, simulated: true, stages: [.disconnect, .fix, .edit, .connect]),
        Walk(name: "dev-locked", code: .userLockedOut, simulated: false, stages: [.disconnect, .edit, .connect]),
        Walk(name: "dev-locked", code: .userLoggedIn, simulated: true, stages: [.disconnect, .fix, .connect]),
        Walk(name: "dev-locked", code: .userLoggedIn, simulated: false, stages: [.disconnect, .connect]),
    ]

    @Test("each dialog says step k of n, k counting up", arguments: walks)
    func stepsCountUp(_ walk: Walk) throws {
        var (driver, id) = Self.failed(walk)
        let (stages, labels) = Self.walkThrough(&driver, id, walk)
        #expect(stages == walk.stages)
        let count = walk.stages.count
        #expect(labels == (1...count).map { "step \($0) of \(count)" }, "\(labels)")
        #expect(driver.state.modal == nil && driver.state.repairs[id]?.stage == .connect)
    }

    @Test func aRouteFixSkipsTheEditAndTheConnectSaysTheEndpointNeedsNoChange() throws {
        let walk = Self.walks[0]
        var (driver, id) = Self.failed(walk)
        _ = Self.walkThrough(&driver, id, walk, stopAt: .connect)
        #expect(driver.state.modal == .connectAfterRepair(storeId: id, focus: 1))
        let guide = RepairGuide(store: try #require(driver.state.stores[id]), state: driver.state)
        #expect(guide.connectNotice == "Repair of XKS_PROXY_NOT_REACHABLE, step 3 of 3: The simulated fix is applied and the "
            + "store's proxy URI endpoint needs no change: connect xks-partner again.")
        let text = driver.frame().text
        #expect(text.contains("✓ disconnect → ✓ simulated fix (xks-route) → 3. connect"), "\(text)")
    }

    @Test func theDetailsFixKeepsTheCataloguesNumbersAndTheEditPointsAtThem() throws {
        var state = Fixtures.loadedState(size: Size(width: 120, height: 60))
        state.stores[Fixtures.lockedId]?.connectionErrorCode = .userLoggedIn
        var driver = Driver(state)
        driver.select("dev-locked")
        driver.press(.enter, .character("f"), .tab, .enter)
        driver.event(.connectionStateChanged(from: .failed, to: .disconnected, errorCode: nil), store: Fixtures.lockedId)
        #expect(driver.state.modal == .connectAfterRepair(storeId: Fixtures.lockedId, focus: 1))
        let guide = RepairGuide(store: try #require(driver.state.stores[Fixtures.lockedId]), state: driver.state)
        #expect(guide.connectNotice.hasPrefix(
            "Repair of USER_LOGGED_IN, step 2 of 2: Nothing to change in KMS: fix it in the cluster (step 2 of the fix, above)"),
            "\(guide.connectNotice)")
        let text = driver.frame().text
        #expect(text.contains("→4. Connect the key store again"), "the detail marks the catalogue's step of the stage\n\(text)")
    }

    /// The fixtures with the walk's store FAILED with its code, on the list of its type.
    static func failed(_ walk: Walk) -> (Driver, String) {
        var state = walk.external ? Fixtures.loadedWithExternal(size: Size(width: 120, height: 60))
            : Fixtures.loadedState(size: Size(width: 120, height: 60))
        state.simulatedRepairs = walk.simulated
        let id = state.stores.values.first { $0.name == walk.name }!.id
        state.stores[id]?.connectionState = .failed
        state.stores[id]?.connectionErrorCode = walk.code
        var driver = Driver(state)
        if walk.external { driver.press(.character("]")) }
        driver.select(walk.name)
        return (driver, id)
    }

    /// The simulator's answer for an external key store's code, as `SimulatorService.xksRepairAction` gives it.
    static func xksAction(_ code: ConnectionErrorCode) -> SimulatedRepairAction? {
        switch code {
        case .xksProxyNotReachable: .routeProxyHost
        case .invalidCredentials: .useProxyCredential
        default: nil
        }
    }

    /// Opens the store, starts its repair and goes through each dialog as a person does (Enter, Ctrl-S), answering
    /// the effects as the service would; returns the stages met and the "step k of n" each dialog showed.
    static func walkThrough(_ driver: inout Driver, _ id: String, _ walk: Walk,
                            stopAt last: AppState.Repair.Stage? = nil) -> ([AppState.Repair.Stage], [String]) {
        let answer = Action.xksRepairActionLoaded(storeId: id, code: walk.code, xksAction(walk.code))
        driver.press(.enter)
        if walk.external, walk.simulated { driver.send(answer) }
        driver.press(.character("f"))
        var stages: [AppState.Repair.Stage] = []
        var labels: [String] = []
        for _ in 0..<5 {
            let stage: AppState.Repair.Stage
            let text: String
            switch driver.state.modal {
            case .disconnect?: (stage, text) = (.disconnect, driver.frame().text)
            case .simulatedFix?: (stage, text) = (.fix, driver.frame().text)
            case let .form(form)?: (stage, text) = (.edit, form.notice ?? "")
            case .connectAfterRepair?: (stage, text) = (.connect, driver.frame().text)
            default: return (stages, labels)
            }
            stages.append(stage)
            labels.append(label(in: text, code: walk.code))
            if stage == last { break }
            switch stage {
            case .disconnect:
                driver.press(.tab, .enter)
                if walk.external, walk.simulated { driver.send(answer) }
                driver.event(.connectionStateChanged(from: .failed, to: .disconnected, errorCode: nil), store: id)
            case .fix:
                guard case let .applySimulatedRepair(action, _, context)? = driver.press(.enter).first else { return (stages, labels) }
                var found = context
                if action == .resetKmsUser { found.password = "N3wPassw0rd" }
                if action == .useProxyCredential {
                    found.xksCredential = XKSProxyCredential(accessKeyId: "NEWPROXYCREDENTIAL2345", rawSecretAccessKey: String(repeating: "QUJD", count: 11))
                }
                driver.send(.simulatedRepairApplied(storeId: id, SimulatedRepairResult(description: "fixed", context: found)))
            case .edit:
                if !walk.simulated, walk.code == .invalidCredentials {
                    driver.press(.control("u"))
                    driver.type("NEWPROXYCREDENTIAL2345")
                    driver.press(.tab)
                    driver.type(String(repeating: "QUJD", count: 11))
                }
                if !walk.simulated, walk.code == .userLockedOut { driver.type("N3wPassw0rd") }
                if driver.press(.control("s")).contains(where: { if case .update = $0 { true } else { false } }) {
                    driver.send(.updated(storeId: id))
                }
            case .connect:
                driver.press(.enter)
            }
        }
        return (stages, labels)
    }

    /// "step 2 of 4" from a dialog's "Repair of CODE, step 2 of 4: …".
    static func label(in text: String, code: ConnectionErrorCode) -> String {
        guard let lead = text.range(of: "Repair of \(code.rawValue), ") else { return "no step in: \(text)" }
        let rest = text[lead.upperBound...]
        return String(rest.prefix { $0 != ":" })
    }
}
