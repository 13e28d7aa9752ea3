import KeyStoreEngine

/// Runs the reducer's effects on the current service, and swaps that service for the same account in another
/// Region: the old event stream and workflow trackers are cancelled, and answers of the old service still in
/// flight are dropped (each answer carries the generation of the service that gave it), except answers to
/// changes, which are never dropped.
@MainActor
final class EffectHost {
    /// Receives an effect's answer with the generation of the service that gave it.
    typealias Delivery = @Sendable (_ action: Action, _ generation: Int) -> Void

    private(set) var service: any KeyStoreService
    private(set) var generation = 0
    private var runner: EffectRunner
    /// The event stream and the workflow trackers of the current service, each under a number of its own
    /// until it ends.
    private var followers: [Int: Task<Void, Never>] = [:]
    private var nextFollower = 0
    private let deliver: Delivery
    /// The backend's credential status, followed for the whole session (every Region shares the credentials).
    private var credentialWatch: Task<Void, Never>?
    private let codes: CodePromptBridge

    init(service: any KeyStoreService, deliver: @escaping Delivery) {
        self.service = service
        self.deliver = deliver
        runner = Self.runner(service, generation: 0, deliver)
        codes = CodePromptBridge { id, request in deliver(.codeRequested(id: id, request), 0) }
    }

    /// When the backend's credentials refresh on their own: follows their status, and has the console's prompt
    /// ask for the codes they need. Call once, before the first effect runs.
    func watchCredentials() async {
        guard credentialWatch == nil, let session = service as? any SessionCredentials else { return }
        let codes = codes
        await session.askForCodes { request in await codes.ask(request) }
        let deliver = deliver
        credentialWatch = Task {
            for await status in session.credentialStatus() {
                if Task.isCancelled { break }
                deliver(.credentialStatusChanged(status), 0)
            }
        }
    }

    /// The Regions the service offers; empty when it has one.
    static func regionChoices(of service: any KeyStoreService) -> [String] {
        (service as? any RegionalKeyStoreService)?.regionChoices ?? []
    }

    /// How many event streams and workflow trackers are still running.
    var followerCount: Int { followers.count }

    /// Runs a batch of effects on the service they were asked of: a switch of Region comes after the batch's
    /// other effects. Returns the actions to apply once the whole batch has run.
    func run(_ effects: [Effect]) -> [Action] {
        var region: String?
        for effect in effects {
            switch effect {
            case let .switchRegion(name):
                region = name
            case let .answerCode(id, code):
                codes.answer(id, code: code)
            case .followEvents, .startWorkflow:
                if let task = runner.run(effect) { follow(task) }
            default:
                runner.run(effect)
            }
        }
        return region.flatMap(switchRegion(to:)).map { [$0] } ?? []
    }

    /// True when an answer is to be applied: it comes from the current service, or it answers a change.
    func accepts(_ action: Action, generation: Int) -> Bool {
        generation == self.generation || action.answersRequest || action.concernsSession
    }

    /// Cancels what follows the current service. A connect or disconnect not yet answered still gets its
    /// answer (the runner sends it from a task of its own); only following it afterwards stops.
    func stop() {
        for task in followers.values { task.cancel() }
        followers = [:]
    }

    /// Ends the session: what `stop` ends, the credential watch, and any code still asked for (answered with none).
    func end() {
        stop()
        credentialWatch?.cancel()
        credentialWatch = nil
        codes.close()
    }

    /// Keeps a follower until it ends.
    private func follow(_ task: Task<Void, Never>) {
        let number = nextFollower
        nextFollower += 1
        followers[number] = task
        Task { [weak self] in
            await task.value
            self?.followers[number] = nil
        }
    }

    private func switchRegion(to region: String) -> Action? {
        guard let regional = service as? any RegionalKeyStoreService else { return nil }
        let next = regional.switchingRegion(to: region)
        stop()
        generation += 1
        service = next
        runner = Self.runner(next, generation: generation, deliver)
        return .regionSwitched(next.backend, choices: next.regionChoices)
    }

    private static func runner(_ service: any KeyStoreService, generation: Int, _ deliver: @escaping Delivery) -> EffectRunner {
        EffectRunner(service: service) { action in deliver(action, generation) }
    }
}

extension Action {
    /// True for what concerns the whole session rather than one Region's service: the credentials.
    var concernsSession: Bool {
        switch self {
        case .credentialStatusChanged, .codeRequested: true
        default: false
        }
    }
}
