import KeyStoreEngine

/// A request to change something, sent to KMS, whose answer has not arrived: while one is out, the console stays in its Region, so that
/// the answer lands on the screen that asked (a connect or disconnect counts until KMS accepts or refuses it).
public enum PendingRequest: Sendable, Equatable {
    case create(name: String)
    case update(storeId: String)
    case delete(storeId: String)
    case workflow(WorkflowKind, storeId: String)

    /// `the create of payments-2`, `the connect of prod-payments`.
    func phrase(_ stores: [String: CustomKeyStore]) -> String {
        func name(_ id: String) -> String { stores[id]?.name ?? id }
        return switch self {
        case let .create(created): "the create of \(created)"
        case let .update(id): "the edit of \(name(id))"
        case let .delete(id): "the delete of \(name(id))"
        case let .workflow(kind, id): "the \(kind == .connect ? "connect" : "disconnect") of \(name(id))"
        }
    }

    /// True when an action is this request's answer. Create answers (other than `created`) do not name the store,
    /// so they answer any create: each answer still settles exactly one create.
    func isAnswered(by action: Action) -> Bool {
        switch (self, action) {
        case let (.create(name), .created(_, created)): name == created
        case (.create, .createFailed), (.create, .createInvalid): true
        case let (.update(id), .updated(answered, _)), let (.update(id), .updateFailed(answered, _)): id == answered
        case let (.delete(id), .deleted(answered)), let (.delete(id), .deleteFailed(answered, _)): id == answered
        case let (.workflow(kind, id), .workflowAccepted(answeredKind, answered)),
             let (.workflow(kind, id), .workflowRejected(answeredKind, answered, _)):
            kind == answeredKind && id == answered
        default: false
        }
    }
}

extension Action {
    /// True for the answer to a request (create, edit, delete, or a connect or disconnect sent): never dropped,
    /// even when it comes from a Region the console has left.
    var answersRequest: Bool {
        switch self {
        case .created, .createFailed, .createInvalid, .updated, .updateFailed, .deleted, .deleteFailed,
             .workflowAccepted, .workflowRejected:
            true
        default:
            false
        }
    }
}
