import KeyStoreEngine

/// Everything that can happen to the console: input, time, and what the engine answers or reports.
public enum Action: Sendable, Equatable {
    case key(Key)
    case resize(Size)
    /// Time passed while something animates.
    case tick
    /// SIGTERM, SIGHUP, SIGINT: end in order.
    case signal(Int32)

    case storesLoaded([CustomKeyStore])
    case storesFailed(KMSError)
    case storeLoaded(CustomKeyStore)
    case storeVanished(id: String)
    case clustersLoaded([CloudHSMCluster])
    case clustersFailed(KMSError)
    case keysLoaded(storeId: String, [KMSKey])
    case keysFailed(storeId: String, KMSError)
    case historyLoaded(storeId: String, [KeyStoreEvent])
    case historyFailed(storeId: String, KMSError)

    /// The event stream is open from this sequence on.
    case eventsFollowed(after: Int64)
    case eventsFailed(KMSError)
    case engineEvent(KeyStoreEvent)

    case workflowRejected(WorkflowKind, storeId: String, KMSError)
    case workflowUpdate(WorkflowKind, storeId: String, WorkflowUpdate)

    case created(id: String, name: String)
    case createFailed(KMSError)
    case updated(storeId: String)
    case updateFailed(storeId: String, KMSError)
    case deleted(storeId: String)
    case deleteFailed(storeId: String, KMSError)
}

/// What the form asks CreateCustomKeyStore, before the trust anchor file is read.
public struct CreateDraft: Sendable, Equatable {
    public var name: String
    public var cloudHsmClusterId: String
    /// A file to read the PEM from; empty means the cluster's own trust anchor.
    public var trustAnchorPath: String
    public var keyStorePassword: String
}

/// Work the reducer asks for; the runtime does it and sends the answers back as actions.
public enum Effect: Sendable, Equatable {
    case followEvents
    case loadStores
    case loadStore(id: String)
    case loadClusters
    case loadKeys(storeId: String)
    case loadHistory(storeId: String)
    case startWorkflow(WorkflowKind, storeId: String)
    case create(CreateDraft)
    case update(UpdateKeyStoreRequest)
    case delete(storeId: String)
    /// Repaint every cell (Ctrl-L).
    case redrawAll
    case copyToClipboard(String)
}
