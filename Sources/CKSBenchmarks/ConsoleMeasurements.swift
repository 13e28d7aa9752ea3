import Console
import Foundation
import KeyStoreEngine

/// Figures of the console's own work, without a terminal: its public reducer and view, driven as the runtime does.
enum ConsoleMeasurements {
    /// How long rendering a frame and diffing it against the previous one takes, with `storeCount` stores
    /// and one store changing state before each frame (what a live event costs on screen).
    static func renderAndDiff(storeCount: Int, size: Size = Size(width: 160, height: 48), iterations: Int = 200) -> [Duration] {
        frames(storeCount: storeCount, size: size, iterations: iterations, timingTheReducer: false)
    }

    /// How long an engine event takes from arriving to a frame ready to write: reducer, render and diff.
    static func eventToFrame(storeCount: Int, size: Size = Size(width: 160, height: 48), iterations: Int = 200) -> [Duration] {
        frames(storeCount: storeCount, size: size, iterations: iterations, timingTheReducer: true)
    }

    private static func frames(storeCount: Int, size: Size, iterations: Int, timingTheReducer: Bool) -> [Duration] {
        var state = world(storeCount: storeCount, size: size)
        var previous = render(state, size: size)
        let clock = ContinuousClock()
        var samples: [Duration] = []
        for iteration in 0..<iterations {
            let event = stateChange(storeCount: storeCount, iteration: iteration)
            var start = clock.now
            _ = reduce(&state, .engineEvent(event))
            if !timingTheReducer { start = clock.now }
            let frame = render(state, size: size)
            _ = frame.changedCells(since: previous)
            samples.append(clock.now - start)
            previous = frame
        }
        return samples
    }

    /// A state holding `storeCount` stores in every connection state.
    static func world(storeCount: Int, size: Size) -> AppState {
        let states: [ConnectionState] = [.connected, .disconnected, .failed, .connected, .disconnected]
        let stores = (0..<storeCount).map { index in
            let state = states[index % states.count]
            return CustomKeyStore(
                id: "cks-" + String(format: "%017x", index), name: "store-\(index)",
                cloudHsmClusterId: "cluster-" + String(format: "%011d", index), trustAnchorCertificate: nil,
                connectionState: state, connectionErrorCode: state == .failed ? .userLockedOut : nil,
                creationDate: Date(timeIntervalSince1970: 1_700_000_000 + Double(index) * 60)
            )
        }
        var state = AppState(backend: BackendDescription(name: "measure", region: "us-east-1", accountId: "111122223333"),
                             timeZone: TimeZone(identifier: "UTC")!, size: size, now: Date(timeIntervalSince1970: 1_800_000_000))
        _ = reduce(&state, .storesLoaded(stores))
        return state
    }

    private static func stateChange(storeCount: Int, iteration: Int) -> KeyStoreEvent {
        let index = (iteration * 7) % max(1, storeCount)
        let connecting = iteration % 2 == 0
        return KeyStoreEvent(
            sequence: Int64(iteration + 1), time: Date(timeIntervalSince1970: 1_800_000_000),
            keyStoreId: "cks-" + String(format: "%017x", index),
            kind: .connectionStateChanged(from: connecting ? .disconnected : .connecting,
                                          to: connecting ? .connecting : .disconnected, errorCode: nil)
        )
    }
}
