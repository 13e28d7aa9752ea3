import Foundation
@testable import Console
import KeyStoreEngine
import Testing

/// Sends actions through the reducer and keeps the effects they returned.
struct Driver {
    var state: AppState
    private(set) var effects: [Effect] = []
    private var sequence: Int64 = 100

    init(_ state: AppState = Fixtures.loadedState()) {
        self.state = state
    }

    @discardableResult
    mutating func send(_ action: Action) -> [Effect] {
        let produced = reduce(&state, action)
        effects += produced
        return produced
    }

    /// Types keys: characters of a string, one key each.
    @discardableResult
    mutating func type(_ text: String) -> [Effect] {
        text.flatMap { send(.key(.character($0))) }
    }

    @discardableResult
    mutating func press(_ keys: Key...) -> [Effect] {
        keys.flatMap { send(.key($0)) }
    }

    /// An engine event with the next sequence number.
    @discardableResult
    mutating func event(_ kind: KeyStoreEvent.Kind, store: String?, at offset: TimeInterval = 0) -> [Effect] {
        sequence += 1
        return send(.engineEvent(KeyStoreEvent(sequence: sequence, time: Fixtures.now.addingTimeInterval(offset), keyStoreId: store, kind: kind)))
    }

    /// Moves the selection to a store by name.
    mutating func select(_ name: String) {
        let id = state.stores.values.first { $0.name == name }!.id
        press(.home)
        while state.table.selectedId != id { press(.down) }
    }

    func frame(_ size: Size? = nil) -> Frame {
        render(state, size: size ?? state.size)
    }
}

/// Compares a frame with its expected text line by line, and says where they differ.
func expectFrame(_ frame: Frame, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let actual = frame.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let wanted = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let trimmed = wanted.map { line in String(line.reversed().drop { $0 == " " }.reversed()) }
    if actual == trimmed { return }
    var report = "frame differs from the expected text:\n"
    for index in 0..<max(actual.count, trimmed.count) {
        let a = index < actual.count ? actual[index] : "<none>"
        let e = index < trimmed.count ? trimmed[index] : "<none>"
        report += (a == e ? "  " : "! ") + a + "\n"
        if a != e { report += "~ " + e + "\n" }
    }
    Issue.record(Comment(rawValue: report), sourceLocation: sourceLocation)
}

