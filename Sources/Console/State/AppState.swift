import Foundation
import KeyStoreEngine

/// What the console shows, as a value: the reducer changes it, the view draws it.
public struct AppState: Sendable, Equatable {
    /// The screen under any dialog.
    public enum Screen: Sendable, Equatable {
        case list
        case detail(storeId: String)
    }

    /// A message in the footer until the next key press.
    public struct Status: Sendable, Equatable {
        /// How the message reads: a note, a success or an error.
        public enum Kind: Sendable, Equatable { case info, success, error }
        public var text: String
        public var kind: Kind
    }

    /// The `/` filter line or the `:` command line being typed.
    public struct Prompt: Sendable, Equatable {
        /// Which line is being typed.
        public enum Kind: Sendable, Equatable { case filter, command }
        public var kind: Kind
        public var text: String
    }

    /// The repair of a FAILED store under way, as the catalogue describes it for the store's code: disconnect,
    /// then the fix of the cause (simulated, when the service can), then the store's setting, then connect.
    public struct Repair: Sendable, Equatable {
        /// The step the repair has reached.
        public enum Stage: Sendable, Equatable { case disconnect, fix, edit, connect }
        public var stage: Stage
        /// The code the store failed with (gone from the store once it is disconnected).
        public var code: ConnectionErrorCode?
        /// What the catalogue says the repair does after the disconnect.
        public var path: RepairPath
        /// Whether the service applies simulated fixes (the embedded simulator).
        public var simulated: Bool
        /// The simulator action that undoes the cause: the catalogue's for a CloudHSM code, the simulator's answer
        /// for an external key store's code (its world decides: a host with no route, or a proxy with a fault).
        public var simulatorAction: SimulatedRepairAction?
        /// True while the console waits for the simulator to say which action undoes an external key store's code:
        /// the repair does not go past the disconnect until it knows.
        public var awaitingSimulatorAction = false
        /// What the simulated fix changed, once it is applied.
        public var applied: String?
        /// The values the simulated fix made (a restored cluster's ID, the password it set), once it is applied.
        public var context: RepairContext?

        /// A repair whose simulated fix, if any, is the catalogue's.
        public init(stage: Stage, code: ConnectionErrorCode?, path: RepairPath, simulated: Bool) {
            self.init(stage: stage, code: code, path: path, simulated: simulated, simulatorAction: path.simulatorAction)
        }

        public init(stage: Stage, code: ConnectionErrorCode?, path: RepairPath, simulated: Bool, simulatorAction: SimulatedRepairAction?) {
            self.stage = stage
            self.code = code
            self.path = path
            self.simulated = simulated
            self.simulatorAction = simulatorAction
        }

        /// The stages of this repair, in order (a retry has no fix and no edit; only the simulator applies a fix; a
        /// simulated fix that leaves the store's settings right, such as a route to the proxy's host, needs no edit).
        public var stages: [Stage] {
            var stages: [Stage] = [.disconnect]
            let fix = simulated ? simulatorAction : nil
            if let fix { stages.append(.fix) }
            if path.kind == .editStore, fix?.findsStoreSetting ?? true { stages.append(.edit) }
            stages.append(.connect)
            return stages
        }

        /// The stage after `stage`.
        public func stage(after stage: Stage) -> Stage {
            guard let index = stages.firstIndex(of: stage), index + 1 < stages.count else { return .connect }
            return stages[index + 1]
        }
    }

    public var backend: BackendDescription
    /// The Regions `R` offers; empty when the backend has only one (the simulator).
    public var regionChoices: [String]
    public var readOnly: Bool
    public var glyphs: Glyphs
    public var timeZone: TimeZone
    public var size: Size
    /// The time of the action being handled; the runtime sets it before each action.
    public var now: Date

    public var stores: [String: CustomKeyStore] = [:]
    public var storesStatus: Loadable<Bool> = .loading
    public var clusters: [String: CloudHSMCluster] = [:]
    public var keys: [String: Loadable<[KMSKey]>] = [:]
    public var histories: [String: Loadable<[KeyStoreEvent]>] = [:]
    /// External key stores' proxies as the service reports them; `.loaded(nil)` when it reports nothing of proxies.
    public var proxyObservations: [String: Loadable<ProxyObservation?>] = [:]

    /// The tab of the list: the page's "AWS CloudHSM key stores" or "External key stores".
    public var tab: CustomKeyStoreType = .awsCloudHSM
    public var cloudHSMTable = StoreTable(type: .awsCloudHSM)
    public var externalTable = StoreTable(type: .externalKeyStore)
    public var screen: Screen = .list
    public var detailScroll = 0
    /// The KMS key selected in the detail's key list (J/K), the one the key actions act on.
    public var selectedKeyId: String?
    public var modal: Modal?
    public var prompt: Prompt?
    public var status: Status?
    public var log = EventLog()
    public var workflows: [WorkflowProgress] = []
    /// When each store last changed through an event, for the fading row mark.
    public var changedAt: [String: Date] = [:]
    public var repairs: [String: Repair] = [:]
    /// True when the service can apply simulated fixes (the embedded simulator).
    public var simulatedRepairs = false
    /// The real IDs and values each store's fix names, as the service knows them.
    public var repairContexts: [String: RepairContext] = [:]
    /// The simulator's answer, per external key store, to which action undoes the code it failed with.
    public var xksRepairActions: [String: XKSRepairAction] = [:]
    /// Requests to change something, sent and not answered yet, oldest first: no switch of Region until they are.
    public var pendingRequests: [PendingRequest] = []
    /// The newest engine event seen.
    public var eventCursor: Int64?
    /// False once the engine's event stream failed or ended: the screen is no longer live.
    public var following = true
    /// How the backend's credentials stand (nil: nothing to say, e.g. fixed keys or the simulator).
    public var credentialStatus: CredentialStatus?
    /// The backend's requests for one-time codes, oldest first: the first is asked over everything else.
    public var codeRequests: [CodeEntry] = []
    /// Set when the console should end, with its exit status.
    public var exitStatus: Int32?

    public init(backend: BackendDescription, regionChoices: [String] = [], readOnly: Bool = false, glyphs: Glyphs = .unicode,
                timeZone: TimeZone = .current, size: Size = Size(width: 120, height: 36), now: Date = Date()) {
        self.backend = backend
        self.regionChoices = regionChoices
        self.readOnly = readOnly
        self.glyphs = glyphs
        self.timeZone = timeZone
        self.size = size
        self.now = now
        self.log.visible = size.height >= Layout.logDefaultMinimumHeight
    }

    /// How long a changed row stays marked.
    static let changeMarkDuration: TimeInterval = 3
    /// How long a finished workflow stays in the tray.
    static let finishedWorkflowDuration: TimeInterval = 8

    /// True when `R` can switch to another Region.
    var switchesRegions: Bool { !regionChoices.isEmpty }

    /// True on a real KMS endpoint (the backend with Regions): polls report states, never a workflow's steps.
    var isRealKMS: Bool { switchesRegions }

    /// The table of the shown tab; each tab keeps its own selection, filter, sort and scroll.
    public var table: StoreTable {
        get { tab == .externalKeyStore ? externalTable : cloudHSMTable }
        _modify {
            if tab == .externalKeyStore { yield &externalTable } else { yield &cloudHSMTable }
        }
    }

    /// Shows a store's tab and selects it there.
    mutating func select(storeId id: String) {
        if let type = stores[id]?.type { tab = type }
        table.selectedId = id
    }

    var selectedStore: CustomKeyStore? { table.selectedId.flatMap { stores[$0] } }

    /// The store the current screen is about: the detail's, or the selected row's.
    var focusedStore: CustomKeyStore? {
        if case let .detail(id) = screen { return stores[id] }
        return selectedStore
    }

    func hsmCount(of store: CustomKeyStore) -> Int? { ClusterFacts.hsmCount(store, clusters) }

    func keyCount(of storeId: String) -> Int? { keys[storeId]?.value?.count }

    /// The workflows the tray shows, newest first: running ones, then those finished a moment ago. A finished one
    /// goes as soon as it is stale: when a newer workflow of its store has ended, or the store has settled in
    /// another state than the one it ended in.
    var trayWorkflows: [WorkflowProgress] {
        var running: [WorkflowProgress] = []
        var finished: [WorkflowProgress] = []
        for (index, workflow) in workflows.enumerated() {
            if workflow.isRunning {
                running.append(workflow)
                continue
            }
            guard let finishedAt = workflow.finishedAt, now.timeIntervalSince(finishedAt) < Self.finishedWorkflowDuration else { continue }
            let superseded = workflows[(index + 1)...].contains { $0.storeId == workflow.storeId && !$0.isRunning }
            if superseded { continue }
            if let outcome = workflow.outcome, let store = stores[workflow.storeId],
               !store.connectionState.isTransient, store.connectionState != outcome.state { continue }
            finished.append(workflow)
        }
        return running.reversed() + finished.sorted { ($0.finishedAt ?? now) > ($1.finishedAt ?? now) }
    }

    var runningWorkflows: [WorkflowProgress] { workflows.filter(\.isRunning) }

    /// The most recent workflow of a store.
    func workflow(of storeId: String) -> WorkflowProgress? {
        workflows.last { $0.storeId == storeId }
    }

    func isChanged(_ storeId: String) -> Bool {
        guard let at = changedAt[storeId] else { return false }
        return now.timeIntervalSince(at) < Self.changeMarkDuration
    }

    /// How often the screen must be redrawn with nothing happening, or nil when nothing moves.
    public var animationInterval: Duration? {
        let spinning = stores.values.contains { $0.connectionState.isTransient } || workflows.contains(where: \.isRunning)
        if spinning { return .milliseconds(100) }
        let fading = changedAt.values.contains { now.timeIntervalSince($0) < Self.changeMarkDuration }
        let trayShowsFinished = workflows.contains { $0.finishedAt.map { now.timeIntervalSince($0) < Self.finishedWorkflowDuration } ?? false }
        if fading || trayShowsFinished { return .milliseconds(500) }
        return nil
    }
}

/// Which simulated action undoes an external key store's ConnectionErrorCode, as the simulator said for its world.
public struct XKSRepairAction: Sendable, Equatable {
    public var code: ConnectionErrorCode
    /// Nil when connecting again is the whole fix.
    public var action: SimulatedRepairAction?

    public init(code: ConnectionErrorCode, action: SimulatedRepairAction?) {
        self.code = code
        self.action = action
    }
}
