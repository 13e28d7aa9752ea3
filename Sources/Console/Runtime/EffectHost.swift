import KeyStoreEngine

/// Runs the reducer's effects on the current service, and swaps that service for the same account in another
/// Region: the old event stream and workflow trackers are cancelled, and answers of the old service still in
/// flight are dropped (each answer carries the generation of the service that gave it).
@MainActor
final class EffectHost {
    /// Receives an effect's answer with the generation of the service that gave it.
    typealias Delivery = @Sendable (_ action: Action, _ generation: Int) -> Void

    private(set) var service: any KeyStoreService
    private(set) var generation = 0
    private var runner: EffectRunner
    /// The event stream and the workflow trackers of the current service.
    private var followers: [Task<Void, Never>] = []
    private let deliver: Delivery

    init(service: any KeyStoreService, deliver: @escaping Delivery) {
        self.service = service
        self.deliver = deliver
        runner = Self.runner(service, generation: 0, deliver)
    }

    /// The Regions the service offers; empty when it has one.
    static func regionChoices(of service: any KeyStoreService) -> [String] {
        (service as? any RegionalKeyStoreService)?.regionChoices ?? []
    }

    /// Runs an effect; returns an action to apply at once when the effect changed the host itself.
    func run(_ effect: Effect) -> Action? {
        switch effect {
        case let .switchRegion(region):
            return switchRegion(to: region)
        case .followEvents, .startWorkflow:
            if let task = runner.run(effect) { followers.append(task) }
        default:
            runner.run(effect)
        }
        return nil
    }

    /// True when an answer comes from the current service.
    func isCurrent(_ generation: Int) -> Bool { generation == self.generation }

    /// Cancels what follows the current service.
    func stop() {
        for task in followers { task.cancel() }
        followers = []
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
