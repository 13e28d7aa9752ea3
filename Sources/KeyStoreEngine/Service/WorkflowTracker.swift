/// How a connect or disconnect ended.
public enum WorkflowOutcome: Sendable, Hashable {
    case connected
    case disconnected
    case failed(ConnectionErrorCode?)

    init?(state: ConnectionState, errorCode: ConnectionErrorCode?) {
        switch state {
        case .connected: self = .connected
        case .disconnected: self = .disconnected
        case .failed: self = .failed(errorCode)
        case .connecting, .disconnecting: return nil
        }
    }
}

/// One thing a person watching a workflow sees: an event of the store, then the outcome.
public enum WorkflowUpdate: Sendable, Hashable {
    case event(KeyStoreEvent)
    case finished(WorkflowOutcome)
}

/// The background connect/disconnect task: asks the service, then follows the store's events until it
/// settles. `cks connect --wait` and the console consume the same stream.
public enum WorkflowTracker {
    /// Starts the workflow (throwing what the API call throws) and returns its progress.
    public static func start(
        _ kind: WorkflowKind, keyStoreId: String, on service: any KeyStoreService
    ) async throws(KMSError) -> AsyncStream<WorkflowUpdate> {
        let cursor = try await service.latestEventSequence()
        let before = try await service.keyStore(idOrName: keyStoreId)
        switch kind {
        case .connect: try await service.connectKeyStore(id: before.id)
        case .disconnect: try await service.disconnectKeyStore(id: before.id)
        }
        if kind == .connect, before.connectionState == .connected {
            return finishedStream(.connected)
        }
        return follow(keyStoreId: before.id, after: cursor, on: service)
    }

    /// Follows a store's events from `cursor` until it reaches CONNECTED, FAILED or DISCONNECTED.
    public static func follow(keyStoreId: String, after cursor: Int64, on service: any KeyStoreService) -> AsyncStream<WorkflowUpdate> {
        AsyncStream { continuation in
            let task = Task {
                for await event in service.events(after: cursor) where event.keyStoreId == keyStoreId {
                    continuation.yield(.event(event))
                    if case let .connectionStateChanged(_, to, code) = event.kind,
                       let outcome = WorkflowOutcome(state: to, errorCode: code) {
                        continuation.yield(.finished(outcome))
                        break
                    }
                    if case .keyStoreDeleted = event.kind { break }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private static func finishedStream(_ outcome: WorkflowOutcome) -> AsyncStream<WorkflowUpdate> {
        AsyncStream { continuation in
            continuation.yield(.finished(outcome))
            continuation.finish()
        }
    }
}
