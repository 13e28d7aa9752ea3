import Foundation
@testable import Console
import KeyStoreEngine

/// The console without a terminal: the reducer and the effect host against a service, driven by a test.
@MainActor
final class HeadlessConsole {
    private enum Event: Sendable {
        case answer(Action, generation: Int)
        case timeout(UUID)
    }

    private(set) var state: AppState
    let host: EffectHost
    private let events: AsyncStream<Event>
    private let emit: AsyncStream<Event>.Continuation
    private(set) var seen: [Action] = []
    /// Answers of a service the console no longer uses (before a switch of Region), dropped unapplied.
    private(set) var dropped: [Action] = []

    init(service: any KeyStoreService, size: Size = Size(width: 120, height: 36)) {
        state = AppState(backend: service.backend, regionChoices: EffectHost.regionChoices(of: service), timeZone: Fixtures.utc,
                         size: size, now: Fixtures.now)
        state.simulatedRepairs = service is any SimulatedRepairs
        let (events, emit) = AsyncStream<Event>.makeStream()
        self.events = events
        self.emit = emit
        host = EffectHost(service: service) { emit.yield(.answer($0, generation: $1)) }
    }

    /// Ends what follows the service (the event stream, workflow trackers).
    func stop() {
        host.stop()
    }

    func start() {
        perform(Reducer.start(&state))
    }

    func send(_ action: Action) {
        perform(reduce(&state, action))
    }

    func press(_ keys: Key...) {
        for key in keys { send(.key(key)) }
    }

    func select(_ name: String) {
        guard let id = state.stores.values.first(where: { $0.name == name })?.id else { return }
        send(.key(.home))
        while state.table.selectedId != id, state.table.selectedIndex.map({ $0 < state.table.order.count - 1 }) ?? false {
            send(.key(.down))
        }
    }

    /// Applies the actions the effects send back until `condition` holds; false if `bound` passes first. The bound is
    /// generous: in a full run other tests share the main actor and the 2 cores, and a 10 s bound ran out.
    func waitUntil(within bound: Duration = .testWaitBound, _ condition: (AppState) -> Bool) async -> Bool {
        if condition(state) { return true }
        let token = UUID()
        let emit = emit
        let timer = Task {
            try? await Task.sleep(for: bound)
            emit.yield(.timeout(token))
        }
        defer { timer.cancel() }
        var iterator = events.makeAsyncIterator()
        while let event = await iterator.next(isolation: #isolation) {
            switch event {
            case let .answer(action, generation):
                if host.accepts(action, generation: generation) {
                    seen.append(action)
                    send(action)
                } else {
                    dropped.append(action)
                }
                if condition(state) { return true }
            case let .timeout(id) where id == token:
                return false
            case .timeout:
                continue
            }
        }
        return false
    }

    var frame: Frame { render(state, size: state.size) }

    private func perform(_ effects: [Effect]) {
        for action in host.run(effects) { send(action) }
    }
}
