import Foundation
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

    /// KMS accepted the connect or disconnect this console sent; its progress follows as updates.
    case workflowAccepted(WorkflowKind, storeId: String)
    case workflowRejected(WorkflowKind, storeId: String, KMSError)
    case workflowUpdate(WorkflowKind, storeId: String, WorkflowUpdate)

    /// How long a store has been CONNECTING or DISCONNECTING, as the service knows it (AWS polls).
    case transitionLoaded(storeId: String, TransitionProgress?)
    /// The service now speaks to another Region; `choices` are the Regions it offers in turn.
    case regionSwitched(BackendDescription, choices: [String])

    case created(id: String, name: String)
    case createFailed(KMSError)
    /// The create form was not sent: a field is wrong (the trust anchor file).
    case createInvalid(FormState.Problem)
    case updated(storeId: String, newName: String? = nil)
    case updateFailed(storeId: String, KMSError)
    case deleted(storeId: String)
    case deleteFailed(storeId: String, KMSError)
    /// KMS did what was asked of a KMS key; `deletionDate` answers a ScheduleKeyDeletion.
    case keyActionDone(KeyAction, storeId: String, keyId: String, deletionDate: Date?)
    case keyActionFailed(KeyAction, storeId: String, keyId: String, KMSError)

    /// A proxy configuration file named in a form was read (`thenSubmit`: the form was being submitted).
    case proxyConfigurationRead(path: String, Result<ProxyConfigurationFile, FormState.Problem>, thenSubmit: Bool)
    case keyCreated(storeId: String, KMSKey)
    case keyCreateFailed(storeId: String, KMSError)
    /// What the service knows of an external key store's proxy; nil when it reports nothing of proxies.
    case proxyObservationLoaded(storeId: String, ProxyObservation?)
    case proxyObservationFailed(storeId: String, KMSError)
    /// The service has a new health answer of a store's proxy (a periodic `KmsHealthCheck` probe made it).
    case proxyHealthChanged(storeId: String)

    /// The real values the fix of a store names (the simulator knows them all).
    case repairContextLoaded(storeId: String, RepairContext)
    case simulatedRepairApplied(storeId: String, SimulatedRepairResult)
    case simulatedRepairFailed(storeId: String, KMSError)
    /// The simulator's answer to which action undoes an external key store's code (nil: connecting again is the fix).
    case xksRepairActionLoaded(storeId: String, code: ConnectionErrorCode, SimulatedRepairAction?)
    case xksRepairActionFailed(storeId: String, code: ConnectionErrorCode, KMSError)

    /// The backend's credentials were refreshed, or a refresh failed (the header shows it).
    case credentialStatusChanged(CredentialStatus)
    /// The backend needs a one-time code (an MFA device's) to go on; `id` names the answer.
    case codeRequested(id: Int, CodeRequest)
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
    case loadTransition(storeId: String)
    /// Replace the service by the same account in another Region, and stop following the old one.
    case switchRegion(String)
    case startWorkflow(WorkflowKind, storeId: String)
    case create(CreateDraft)
    /// CreateCustomKeyStore with everything in the request (an external key store).
    case createKeyStore(CreateKeyStoreRequest)
    case readProxyConfiguration(path: String, thenSubmit: Bool)
    /// CreateKey in a store; `xksKeyId` for an external key store.
    case createKey(storeId: String, description: String, xksKeyId: String?)
    /// The last health answer and recent requests of an external key store's proxy (`XKSProxyObservation`).
    case loadProxyObservation(storeId: String)
    case update(UpdateKeyStoreRequest)
    case delete(storeId: String)
    /// EnableKey, DisableKey, ScheduleKeyDeletion (with its window) or CancelKeyDeletion on a key of a store.
    case keyAction(KeyAction, keyId: String, storeId: String, pendingWindowDays: Int?)
    case loadRepairContext(storeId: String)
    /// Asks the simulator which action undoes an external key store's code.
    case loadXKSRepairAction(storeId: String, code: ConnectionErrorCode)
    /// A simulated fix of the cause of a store's failure (only on a service that adopts SimulatedRepairs).
    case applySimulatedRepair(SimulatedRepairAction, storeId: String, RepairContext)
    /// The code typed for the backend's request `id`, or nil when the person gave none (Esc).
    case answerCode(id: Int, code: String?)
    /// Repaint every cell (Ctrl-L).
    case redrawAll
    case copyToClipboard(String)
}
