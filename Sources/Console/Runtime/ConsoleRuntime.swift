import Foundation
import KeyStoreEngine

/// What the runtime listens to, merged into one stream: actions (from the ticker), answers of the engine
/// (with the generation of the service that gave them), "keys are waiting", and signals.
enum RuntimeEvent: Sendable {
    case action(Action)
    case answer(Action, generation: Int)
    case inputReady
    case signal(Int32)
    /// Time to look whether code pages came back (`CodePageWatch`).
    case checkCodePages

    /// The watch's own tick, or the answer of a proxy health probe that just ended (the code it ran, TLS, the
    /// HTTP client and the proxy, can go back now).
    var asksForCodePages: Bool {
        switch self {
        case .checkCodePages, .answer(.proxyHealthChanged, _): true
        default: false
        }
    }
}

/// The loop of the console: it feeds every event to the reducer, runs the effects, draws when the state
/// changed, and keeps a ticker alive only while something on screen moves.
@MainActor
final class ConsoleRuntime {
    private(set) var state: AppState
    private let terminal: Terminal
    private let input: InputWaiter
    private let host: EffectHost
    private let events: AsyncStream<RuntimeEvent>
    private let emit: AsyncStream<RuntimeEvent>.Continuation
    private var ticker: Task<Void, Never>?
    private var tickerInterval: Duration?
    private var drawnState: AppState?
    private var codePages = CodePageWatch()

    init(state: AppState, service: any KeyStoreService, terminal: Terminal, input: InputWaiter) {
        self.state = state
        self.terminal = terminal
        self.input = input
        let (events, emit) = AsyncStream<RuntimeEvent>.makeStream()
        self.events = events
        self.emit = emit
        host = EffectHost(service: service) { action, generation in emit.yield(.answer(action, generation: generation)) }
    }

    /// Runs until the state asks to end; returns the exit status.
    func run() async -> Int32 {
        let emit = emit
        input.start(readable: { emit.yield(.inputReady) }, signal: { emit.yield(.signal($0)) })
        state.now = Date()
        state.size = terminal.size
        await host.watchCredentials()
        perform(Reducer.start(&state))
        present()
        var startupPages = StartupPhase.loading
        for await event in events {
            switch event {
            case let .action(action):
                apply(action)
            case let .answer(action, generation):
                if host.accepts(action, generation: generation) { apply(action) }
                if startupPages == .loading { startupPages = .answered }
            case .inputReady:
                let (keys, resized) = terminal.readKeys()
                if resized { apply(.resize(terminal.size)) }
                for key in keys where state.exitStatus == nil { apply(.key(key)) }
                input.resume()
            case let .signal(number) where number == SIGWINCH:
                terminal.updateSize()
                apply(.resize(terminal.size))
            case let .signal(number):
                apply(.signal(number))
            case .checkCodePages:
                break
            }
            if state.exitStatus != nil { break }
            present()
            adjustTicker()
            // Once the first answers are on screen and nothing moves, start-up's code pages go back.
            if startupPages == .answered, ticker == nil {
                codePages.start { emit.yield(.checkCodePages) }
                startupPages = .released
            } else if startupPages == .released, ticker == nil, event.asksForCodePages {
                codePages.releaseIfGrown()
            }
        }
        stop()
        return state.exitStatus ?? 0
    }

    /// What is still running when the console ends, for a line after the terminal is restored.
    var runningSummary: [String] {
        state.runningWorkflows.map { workflow in
            let name = state.stores[workflow.storeId]?.name ?? workflow.storeId
            return "\(workflow.kind == .connect ? "Connect" : "Disconnect") of \(name) (\(workflow.storeId))"
        }
    }

    private func apply(_ action: Action) {
        state.now = Date()
        perform(reduce(&state, action))
    }

    /// Does the terminal's effects here and hands the others to the host as one batch; what the host returns
    /// is applied only after the whole batch has run.
    private func perform(_ effects: [Effect]) {
        var forHost: [Effect] = []
        for effect in effects {
            switch effect {
            case .redrawAll:
                terminal.invalidate()
                drawnState = nil
            case let .copyToClipboard(text):
                terminal.copyToClipboard(text)
            default:
                forHost.append(effect)
            }
        }
        for action in host.run(forHost) { apply(action) }
    }

    private func present() {
        guard state != drawnState else { return }
        terminal.draw(render(state, size: terminal.size))
        drawnState = state
    }

    /// A ticker runs only while a spinner turns or a mark fades; otherwise only the code-page watch wakes the
    /// process, every few seconds, for one small read.
    private func adjustTicker() {
        let wanted = state.animationInterval
        guard wanted != tickerInterval else { return }
        ticker?.cancel()
        ticker = nil
        tickerInterval = wanted
        guard let wanted else { return }
        let emit = emit
        ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: wanted)
                if Task.isCancelled { break }
                emit.yield(.action(.tick))
            }
        }
    }

    private func stop() {
        ticker?.cancel()
        codePages.stop()
        host.end()
        input.stop()
        emit.finish()
    }
}

/// Where the console is in giving back start-up's code pages (`StartupPages`).
private enum StartupPhase {
    case loading, answered, released
}
