import Foundation
import KeyStoreEngine

/// The guided repair of a FAILED store, as the catalogue describes it for the store's code: disconnect, then
/// the fix of the cause (applied by the simulator, behind a confirmation, when the service can), then the
/// store's setting when one must change, then connect.
extension Reducer {
    /// Why the store needs no repair, or nil when it does (or one is under way).
    static func repairReason(_ store: CustomKeyStore, _ state: AppState) -> String? {
        if state.readOnly { return readOnlyReason }
        if store.connectionState == .failed || state.repairs[store.id] != nil { return nil }
        return "only a FAILED store needs a repair; this one is \(store.connectionState.rawValue)"
    }

    /// The catalogue's repair for a code; a code it does not know is fixed outside KMS.
    static func repairPath(_ code: ConnectionErrorCode?, _ store: CustomKeyStore) -> RepairPath {
        code.flatMap { TroubleshootingCatalogue.standard.entry(for: $0, storeType: store.type)?.repair } ?? RepairPath(kind: .fixOutsideKMS)
    }

    /// The values the store's fix names: those a simulated fix made, else the service's, else the store's IDs.
    static func repairContext(_ id: String, _ state: AppState) -> RepairContext? {
        if let context = state.repairs[id]?.context { return context }
        if let context = state.repairContexts[id] { return context }
        return state.stores[id].map(RepairContext.init(store:))
    }

    /// `f`, or Repair in the actions menu: starts the repair, or goes on with the one under way. From the list
    /// it opens the store first, so that the fix stays in view.
    static func requestRepair(_ store: CustomKeyStore, _ state: inout AppState) -> [Effect] {
        guard !refuseInReadOnly(&state) else { return [] }
        guard store.connectionState == .failed || state.repairs[store.id] != nil else {
            state.status = .init(text: "\(store.name) is \(store.connectionState.rawValue): there is nothing to repair.", kind: .info)
            return []
        }
        var effects: [Effect] = []
        if state.screen != .detail(storeId: store.id) { effects = showDetail(store.id, &state) }
        guard let repair = state.repairs[store.id] else {
            let code = store.connectionErrorCode
            var repair = AppState.Repair(stage: .disconnect, code: code, path: repairPath(code, store), simulated: state.simulatedRepairs)
            if store.type == .externalKeyStore, state.simulatedRepairs, let code {
                // The simulator says which action fits its world as it is now (the detail's answer may be old); the
                // repair waits for it after the disconnect.
                if let known = state.xksRepairActions[store.id], known.code == code { repair.simulatorAction = known.action }
                repair.awaitingSimulatorAction = true
                effects.append(.loadXKSRepairAction(storeId: store.id, code: code))
            }
            state.repairs[store.id] = repair
            return effects + requestDisconnect(store, forRepair: true, &state)
        }
        if repair.stage == .disconnect {
            if store.connectionState == .failed { return effects + requestDisconnect(store, forRepair: true, &state) }
            state.status = .init(text: "\(store.name) is \(store.connectionState.rawValue); the repair goes on once it is DISCONNECTED.", kind: .info)
            return effects
        }
        return effects + openRepairStage(repair.stage, store, &state)
    }

    /// Opens the dialog of a repair's stage.
    static func openRepairStage(_ stage: AppState.Repair.Stage, _ store: CustomKeyStore, _ state: inout AppState) -> [Effect] {
        switch stage {
        case .disconnect: return requestDisconnect(store, forRepair: true, &state)
        case .fix:
            state.modal = .simulatedFix(storeId: store.id, focus: 1)
            return state.simulatedRepairs ? [.loadRepairContext(storeId: store.id)] : []
        case .edit: return openRepairEdit(store, &state)
        case .connect:
            state.modal = .connectAfterRepair(storeId: store.id, focus: 1)
            return []
        }
    }

    /// The Edit form, focused on the field the code's repair changes, pre-filled with what a simulated fix set.
    static func openRepairEdit(_ store: CustomKeyStore, _ state: inout AppState) -> [Effect] {
        guard let repair = state.repairs[store.id] else { return requestEdit(store, &state) }
        let guide = RepairGuide(store: store, state: state)
        var prefill: [FormState.FieldID: String] = [:]
        if repair.applied != nil, let context = repair.context {
            if repair.path.storeField == .password, let password = context.password { prefill[.password] = password }
            if repair.path.storeField == .clusterId, let cluster = context.targetClusterId { prefill[.cluster] = cluster }
        }
        // An external key store's proxy says what it serves, when the backend knows (the simulator's proxies).
        let known = (repair.applied != nil ? repair.context : nil) ?? repairContext(store.id, state)
        if store.type == .externalKeyStore, let context = known {
            switch repair.path.storeField {
            // A value the store has already is no news: the form shows it anyway.
            case .xksProxyUriPath?:
                if let path = context.xksUriPath, path != store.xksProxyConfiguration?.uriPath { prefill[.uriPath] = path }
            case .xksProxyUriEndpoint?:
                if let host = context.xksHost, "https://" + host != store.xksProxyConfiguration?.uriEndpoint {
                    prefill[.uriEndpoint] = "https://" + host
                }
            case .xksProxyAuthenticationCredential?:
                if let credential = context.xksCredential {
                    prefill[.accessKeyId] = credential.accessKeyId
                    prefill[.secretAccessKey] = credential.rawSecretAccessKey
                }
            default: break
            }
        }
        let field = repair.path.storeField.flatMap(Forms.field(for:))
        return requestEdit(store, notice: guide.editNotice(prefilled: !prefill.isEmpty), focusOn: field, prefill: prefill, &state)
    }

    static func confirmSimulatedFix(_ id: String, _ state: inout AppState) -> [Effect] {
        state.modal = nil
        guard let repair = state.repairs[id], let action = repair.simulatorAction, let context = repairContext(id, state) else { return [] }
        logCommand(action.commandLine(context), store: id, &state)
        state.status = .init(text: "Applying the simulated fix\(state.glyphs.ellipsis)", kind: .info)
        return [.applySimulatedRepair(action, storeId: id, context)]
    }

    static func simulatedRepairApplied(_ id: String, _ result: SimulatedRepairResult, _ state: inout AppState) -> [Effect] {
        guard var repair = state.repairs[id], let store = state.stores[id] else { return [.loadClusters] }
        repair.applied = result.description
        repair.context = result.context
        repair.stage = repair.stage(after: .fix)
        state.repairs[id] = repair
        var effects: [Effect] = [.loadClusters]
        if state.modal == nil, state.screen == .detail(storeId: id) { effects += openRepairStage(repair.stage, store, &state) }
        state.status = .init(text: "Simulated fix applied: \(result.description).", kind: .success)
        return effects
    }

    static func simulatedRepairFailed(_ id: String, _ error: KMSError, _ state: inout AppState) -> [Effect] {
        logError(error, store: id, &state)
        state.status = .init(text: "The simulated fix failed: \(error.message)", kind: .error)
        return [.loadClusters]
    }

    /// Moves a repair on when its store settles.
    static func advanceRepair(_ id: String, _ to: ConnectionState, _ state: inout AppState) -> [Effect] {
        guard let repair = state.repairs[id], let store = state.stores[id] else { return [] }
        switch (repair.stage, to) {
        case (.disconnect, .disconnected):
            if repair.awaitingSimulatorAction {
                state.status = .init(text: "\(store.name) is DISCONNECTED. Asking the simulator which fix applies\(state.glyphs.ellipsis)", kind: .info)
                return []
            }
            let next = repair.stage(after: .disconnect)
            state.repairs[id]?.stage = next
            if state.modal == nil, state.screen == .detail(storeId: id) {
                return openRepairStage(next, store, &state)
            }
            state.status = .init(text: "\(store.name) is DISCONNECTED. Open it and press f to go on with the repair.", kind: .info)
        case (.connect, .connected):
            state.repairs[id] = nil
            state.status = .init(text: "Repaired: \(store.name) is CONNECTED.", kind: .success)
        case (.connect, .failed):
            state.repairs[id] = nil
        default:
            break
        }
        return []
    }

    /// The lookup of the simulated action for a FAILED external key store, on the simulator (for the detail's fix).
    static func xksRepairActionLookup(_ id: String, _ state: AppState) -> [Effect] {
        guard state.simulatedRepairs, let store = state.stores[id], store.type == .externalKeyStore,
              let code = store.connectionErrorCode ?? state.repairs[id]?.code, state.xksRepairActions[id]?.code != code else { return [] }
        return [.loadXKSRepairAction(storeId: id, code: code)]
    }

    static func xksRepairActionLoaded(_ id: String, _ code: ConnectionErrorCode, _ action: SimulatedRepairAction?,
                                      _ state: inout AppState) -> [Effect] {
        state.xksRepairActions[id] = XKSRepairAction(code: code, action: action)
        return repairKnowsItsAction(id, code, action, &state)
    }

    /// Without the simulator's answer the repair goes on as on real AWS: the fix is done by hand.
    static func xksRepairActionFailed(_ id: String, _ code: ConnectionErrorCode, _ error: KMSError, _ state: inout AppState) -> [Effect] {
        logError(error, store: id, &state)
        state.status = .init(text: "The simulator cannot say which fix applies (\(error.message)): fix the cause by hand.", kind: .error)
        return repairKnowsItsAction(id, code, nil, &state)
    }

    /// A repair that waited for its simulated action goes on with it.
    private static func repairKnowsItsAction(_ id: String, _ code: ConnectionErrorCode, _ action: SimulatedRepairAction?,
                                             _ state: inout AppState) -> [Effect] {
        guard var repair = state.repairs[id], repair.awaitingSimulatorAction, repair.code == code else { return [] }
        repair.simulatorAction = action
        repair.awaitingSimulatorAction = false
        state.repairs[id] = repair
        // The disconnect may have finished while the console waited for the answer.
        guard repair.stage == .disconnect, state.stores[id]?.connectionState == .disconnected else { return [] }
        if state.status?.kind == .info { state.status = nil }
        return advanceRepair(id, .disconnected, &state)
    }

    static func confirmConnectAfterRepair(_ id: String, _ state: inout AppState) -> [Effect] {
        state.modal = nil
        guard let store = state.stores[id] else { return [] }
        state.repairs[id]?.stage = .connect
        return requestConnect(store, &state)
    }
}
