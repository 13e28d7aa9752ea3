@testable import Console
import Synchronization

/// The answers an `EffectHost` delivered, with the generation of the service that gave each.
final class AnswerLog: Sendable {
    private let entries = Mutex<[(action: Action, generation: Int)]>([])

    func record(_ action: Action, _ generation: Int) { entries.withLock { $0.append((action, generation)) } }

    var all: [(action: Action, generation: Int)] { entries.withLock { $0 } }

    func contains(_ action: Action, generation: Int? = nil) -> Bool {
        all.contains { $0.action == action && (generation == nil || $0.generation == generation) }
    }
}
