import Foundation
@testable import Console
import KeyStoreEngine
import Testing

/// The store list at 80 and 60 columns: the name and the whole state with its error code, `? help`, the failed
/// count, and (with few stores) the event log all stay on the screen.
@Suite("Frames at narrow widths")
struct NarrowFrameTests {
    /// The fixtures with one long name and the longest CloudHSM error code, as the simulator shows them.
    func state(_ size: Size) -> AppState {
        var stores = Fixtures.stores
        let index = stores.firstIndex { $0.id == Fixtures.legacyId }!
        stores[index].name = "tokenization-vault"
        stores[index].connectionErrorCode = .insufficientCloudHSMHSMs
        var state = AppState(backend: Fixtures.backend, timeZone: Fixtures.utc, size: size, now: Fixtures.now)
        _ = reduce(&state, .eventsFollowed(after: 0))
        _ = reduce(&state, .storesLoaded(stores))
        _ = reduce(&state, .clustersLoaded(Fixtures.clusters))
        return state
    }

    @Test(arguments: [80, 60])
    func nameAndWholeStateFit(width: Int) {
        let frame = render(state(Size(width: width, height: 24)), size: Size(width: width, height: 24))
        for needle in ["tokenization-vault", "✗ FAILED  INSUFFICIENT_CLOUDHSM_HSMS", "✗ FAILED  USER_LOCKED_OUT",
                       "⠋ DISCONNECTING", "○ DISCONNECTED", "prod-payments"] {
            #expect(frame.row(containing: needle) != nil, "\(needle) at \(width) columns:\n\(frame.text)")
        }
        let table = (4...10).map { frame.line($0) }.joined(separator: "\n")
        #expect(!table.contains("…"), "nothing in the table is cut at \(width) columns:\n\(frame.text)")
        #expect(frame.line(0).hasSuffix("111122223333"), "the account ID is whole:\n\(frame.line(0))")
        #expect(frame.line(3).contains("CloudHSM") && frame.line(3).contains("External"), "the tabs: \(frame.line(3))")
        #expect(frame.line(4).hasPrefix("  NAME ▲"))
        #expect(!frame.line(4).contains(" ID "), "the ID gives way first")
        // The selected store's ID is still in sight, above the table.
        #expect(frame.line(2).hasSuffix(Fixtures.analyticsId))
    }

    @Test(arguments: [80, 60])
    func helpAndFailedCountStay(width: Int) {
        let frame = render(state(Size(width: width, height: 24)), size: Size(width: width, height: 24))
        #expect(frame.line(1).contains("✗ 2 failed"), "\(frame.line(1))")
        #expect(frame.line(1).hasPrefix(" 6 stores"))
        #expect(frame.text.contains("? help"), "\(frame.text)")
        #expect(!frame.line(23).hasSuffix(" l l"), "footer hints are whole: \(frame.line(23))")
    }

    @Test func theWholeHeaderAt80() {
        let frame = render(state(Size(width: 80, height: 24)), size: Size(width: 80, height: 24))
        #expect(frame.line(1) == " 6 stores  ● 1  ⠋ 1  ⠋ 1  ○ 1  ✗ 2 failed             ? help  : command  q quit")
        #expect(frame.line(23) == " j/k move   [/] tab   ⏎ details   a actions   / filter   s sort   l log")
        #expect(frame.line(23).hasPrefix(" j/k move"))
    }

    @Test func wideTerminalsKeepEveryColumnTheyCan() {
        let frame = render(state(Size(width: 120, height: 24)), size: Size(width: 120, height: 24))
        #expect(frame.line(4).contains("ID"))
        #expect(frame.line(4).contains("CLUSTER"))
        #expect(frame.row(containing: "✗ FAILED  INSUFFICIENT_CLOUDHSM_HSMS") != nil)
        let hundred = render(state(Size(width: 100, height: 24)), size: Size(width: 100, height: 24))
        #expect(hundred.line(4).contains("ID"))
        #expect(hundred.row(containing: "✗ FAILED  INSUFFICIENT_CLOUDHSM_HSMS") != nil)
    }

    @Test func theLogOpensWhenTheTableLeavesRoom() {
        var driver = Driver(state(Size(width: 80, height: 24)))
        #expect(driver.state.log.visible)
        let frame = driver.frame()
        let rule = frame.row(containing: "Events")
        #expect(rule != nil, "\(frame.text)")
        #expect(frame.row(containing: "staging")! < rule!, "every store is above the log")
        // l hides it and the choice stays.
        driver.press(.character("l"))
        #expect(!driver.state.log.visible)
        driver.send(.resize(Size(width: 80, height: 40)))
        #expect(!driver.state.log.visible)
    }

    @Test func theLogStaysClosedWhenTheTableNeedsTheRows() {
        var many: [CustomKeyStore] = []
        for n in 0..<14 {
            var store = Fixtures.stores[n % Fixtures.stores.count]
            store.id = "cks-\(1000 + n)"
            store.name = "store-\(n)"
            many.append(store)
        }
        var state = AppState(backend: Fixtures.backend, timeZone: Fixtures.utc, size: Size(width: 80, height: 24), now: Fixtures.now)
        _ = reduce(&state, .eventsFollowed(after: 0))
        _ = reduce(&state, .storesLoaded(many))
        #expect(!state.log.visible)
        _ = reduce(&state, .resize(Size(width: 80, height: 30)))
        #expect(state.log.visible, "tall terminals open it as before")
        _ = reduce(&state, .key(.character("l")))
        _ = reduce(&state, .key(.character("l")))
        _ = reduce(&state, .resize(Size(width: 80, height: 24)))
        #expect(state.log.visible, "l opens it on any terminal")
    }
}
