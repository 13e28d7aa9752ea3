import Foundation
import KeyStoreEngine

/// Prints a running connect or disconnect step by step, then the outcome (with the fix when FAILED).
struct WorkflowPrinter {
    var style: TextStyle
    var store: CustomKeyStore
    var json: Bool
    /// The service, so that a FAILED outcome's fix names the real IDs a simulated world knows.
    var service: (any KeyStoreService)? = nil

    func follow(_ updates: AsyncStream<WorkflowUpdate>) async -> WorkflowOutcome? {
        var start: Date?
        for await update in updates {
            switch update {
            case let .event(event):
                let origin = start ?? event.time
                start = origin
                if !json, let line = line(for: event) {
                    let elapsed = String(format: "%6.1fs", event.time.timeIntervalSince(origin))
                    emit("  \(style.dim("[\(elapsed)]")) \(line)")
                }
            case let .finished(outcome):
                if !json { printOutcome(outcome, context: await FixText.context(of: store, on: service)) }
                return outcome
            }
        }
        return nil
    }

    /// One event as a line of the workflow's progress; nil for events that are not a step or a state.
    func line(for event: KeyStoreEvent) -> String? {
        switch event.kind {
        case let .stepStarted(step, subject):
            return style.dim("\(style.arrow) \(step.title)" + (subject.map { " \($0)" } ?? "") + "…")
        case let .stepFinished(step, resource):
            return "\(style.green(style.tick)) \(step.title)" + (resource.map { "  \(style.cyan($0.summary))" } ?? "")
        case let .stepFailed(step, code, message):
            return "\(style.red(style.cross)) \(step.title): \(style.red(code.rawValue)) — \(message)"
        case let .connectionStateChanged(_, to, code):
            return "→ " + style.badge(to, errorCode: code)
        case let .keyStateChanged(keyId, from, to):
            return style.dim("  key \(keyId): \(from.rawValue) → \(to.rawValue)")
        case .workflowStarted, .keyStoreCreated, .keyStoreUpdated, .keyStoreDeleted, .keyCreated, .keyDeleted, .worldChanged:
            return nil
        }
    }

    private func printOutcome(_ outcome: WorkflowOutcome, context: RepairContext) {
        switch outcome {
        case .connected:
            emit(style.bold("\(store.name) is \(style.badge(.connected))") + ". Its keys are usable.")
        case .disconnected:
            emit(style.bold("\(store.name) is \(style.badge(.disconnected))") + ". Its keys are Unavailable until it is connected again.")
        case let .failed(code):
            emit(style.bold("\(store.name) is \(style.badge(.failed, errorCode: code))"))
            guard let code else { return }
            let fix = FixText.lines(code, store: store, context: context, style: style)
            if !fix.isEmpty { emit("\n" + fix.joined(separator: "\n")) }
        }
    }
}
