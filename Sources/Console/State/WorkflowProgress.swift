import Foundation
import KeyStoreEngine

/// One step of a running or finished workflow, as the console shows it.
public struct StepProgress: Sendable, Equatable {
    /// Where the step is.
    public enum Status: Sendable, Equatable {
        case running
        case done
        case failed(ConnectionErrorCode, String)
    }

    public var step: WorkflowStep
    public var subject: String?
    public var resource: StepResource?
    public var status: Status
}

/// A connect or disconnect the console watches, started here or by another process.
public struct WorkflowProgress: Sendable, Equatable {
    /// Who started the workflow.
    public enum Origin: Sendable, Equatable {
        /// Started from this console.
        case console
        /// Seen in the engine's events: another process (or a previous session) started it.
        case elsewhere
    }

    public var storeId: String
    public var kind: WorkflowKind
    public var origin: Origin
    public var startedAt: Date
    /// How exactly `startedAt` is known: `alreadyUnderWay` makes it a lower bound (shown with `≥`).
    public var startPrecision: TransitionProgress.Precision = .accepted
    public var steps: [StepProgress] = []
    public var outcome: WorkflowOutcome?
    /// Set when a workflow of the other kind took the store over before this one ended (a disconnect during a
    /// connect): this one then ends without an outcome of its own.
    public var interruptedBy: WorkflowKind?
    public var finishedAt: Date?
    /// The newest event applied, so that the tracker's stream and the global stream never count one twice.
    public var lastSequence: Int64 = 0

    public var isRunning: Bool { outcome == nil && interruptedBy == nil }

    /// True when the workflow reached the state it was for: a connect CONNECTED, a disconnect DISCONNECTED.
    var succeeded: Bool {
        guard interruptedBy == nil, let outcome else { return false }
        return kind == .connect ? outcome == .connected : outcome == .disconnected
    }

    /// Applies one event of the store; returns false when it was already applied (or the workflow has ended).
    @discardableResult
    mutating func apply(_ event: KeyStoreEvent, now: Date) -> Bool {
        guard isRunning, event.sequence > lastSequence else { return false }
        lastSequence = event.sequence
        switch event.kind {
        case let .stepStarted(step, subject):
            finishRunningSteps()
            steps.append(StepProgress(step: step, subject: subject, resource: nil, status: .running))
        case let .stepFinished(step, resource):
            if let index = steps.lastIndex(where: { $0.step == step && $0.status == .running }) {
                steps[index].status = .done
                steps[index].resource = resource
            } else {
                steps.append(StepProgress(step: step, subject: nil, resource: resource, status: .done))
            }
        case let .stepFailed(step, code, message):
            if let index = steps.lastIndex(where: { $0.step == step && $0.status == .running }) {
                steps[index].status = .failed(code, message)
            } else {
                steps.append(StepProgress(step: step, subject: nil, resource: nil, status: .failed(code, message)))
            }
        case let .connectionStateChanged(_, to, code):
            finish(WorkflowOutcome(to, code), now: now)
        case .keyStoreDeleted:
            finish(.failed(nil), now: now)
        default:
            break
        }
        return true
    }

    mutating func finish(_ outcome: WorkflowOutcome?, now: Date) {
        guard let outcome, isRunning else { return }
        finishRunningSteps()
        self.outcome = outcome
        finishedAt = now
    }

    /// Ends the workflow because one of the other kind started on its store.
    mutating func interrupt(by other: WorkflowKind, now: Date) {
        guard isRunning, other != kind else { return }
        finishRunningSteps()
        interruptedBy = other
        finishedAt = now
    }

    /// A step still marked running when the next one starts has ended without saying so.
    private mutating func finishRunningSteps() {
        for index in steps.indices where steps[index].status == .running {
            steps[index].status = .done
        }
    }

    /// The step running now, if any.
    var currentStep: StepProgress? { steps.last { $0.status == .running } }

    /// The state the store is in while this workflow runs.
    var transientState: ConnectionState { kind == .connect ? .connecting : .disconnecting }

    /// Its time so far against what AWS documents for the store's type (nil type: no documented bound).
    func transition(storeType: CustomKeyStoreType?) -> TransitionProgress {
        TransitionProgress(keyStoreId: storeId, state: transientState, startedAt: startedAt, precision: startPrecision,
                           documentedDuration: storeType.flatMap { TransitionProgress.documentedDuration(for: $0, state: transientState) })
    }
}

extension KeyStoreEvent {
    /// The kind of workflow this event is part of, when it says so.
    var workflowKind: WorkflowKind? {
        switch kind {
        case let .workflowStarted(started): started
        case let .stepStarted(step, _), let .stepFinished(step, _), let .stepFailed(step, _, _): step.workflowKind
        case let .connectionStateChanged(_, to, _) where to.isTransient: to == .connecting ? .connect : .disconnect
        default: nil
        }
    }
}

extension WorkflowOutcome {
    /// The settled state this outcome is.
    var state: ConnectionState {
        switch self {
        case .connected: .connected
        case .disconnected: .disconnected
        case .failed: .failed
        }
    }

    /// The outcome a state reached at the end of a workflow means, nil for CONNECTING/DISCONNECTING.
    init?(_ state: ConnectionState, _ code: ConnectionErrorCode?) {
        switch state {
        case .connected: self = .connected
        case .disconnected: self = .disconnected
        case .failed: self = .failed(code)
        case .connecting, .disconnecting: return nil
        }
    }
}
