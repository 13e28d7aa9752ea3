/// Something a person or a caller may ask of a custom key store.
public enum KeyStoreAction: String, Sendable, CaseIterable, Hashable {
    case connect
    case disconnect
    /// UpdateCustomKeyStore with only `NewCustomKeyStoreName`.
    case rename
    /// UpdateCustomKeyStore changing what only a DISCONNECTED store may change: the password or the cluster
    /// (CloudHSM); the proxy connectivity, URI endpoint or VPC endpoint service (external).
    case editSettings
    /// UpdateCustomKeyStore changing an external key store's proxy URI path or credential (CONNECTED or DISCONNECTED).
    case editProxyAccess
    case delete
    case createKey
}

/// Whether an action is possible in a store's current state, and if not, why.
public enum RuleVerdict: Sendable, Hashable {
    case allowed
    /// The API accepts it but nothing would change (Connect on a CONNECTED store).
    case noEffect(reason: String)
    case denied(reason: String, error: KMSError)

    public var isAllowed: Bool { if case .allowed = self { true } else { false } }

    /// A short reason for a greyed menu entry, nil when allowed.
    public var reason: String? {
        switch self {
        case .allowed: nil
        case let .noEffect(reason), let .denied(reason, _): reason
        }
    }
}

/// The one table of what each connection state allows (spec section 2 and section 8).
/// The simulator, the server, the CLI and the console menu all ask it; nobody re-derives it.
public enum KeyStoreRules {
    public static func verdict(for action: KeyStoreAction, on store: CustomKeyStore, keyCount: Int = 0) -> RuleVerdict {
        let id = store.id
        let state = store.connectionState
        switch action {
        case .connect:
            switch state {
            case .disconnected: return .allowed
            case .connected: return .noEffect(reason: "already connected")
            case .connecting: return .noEffect(reason: "already connecting")
            case .disconnecting:
                return deny("wait: the store is disconnecting",
                            "Custom key store \(id) is DISCONNECTING. Wait until it is DISCONNECTED, then connect it.")
            case .failed:
                let code = store.connectionErrorCode.map { " (\($0.rawValue))" } ?? ""
                return deny("disconnect first: a FAILED store cannot be connected",
                            "Custom key store \(id) is FAILED\(code). Disconnect it first, fix the cause, then connect it again.")
            }
        case .disconnect:
            switch state {
            case .connected, .connecting, .failed: return .allowed
            case .disconnected:
                return deny("already disconnected",
                            "Custom key store \(id) is already DISCONNECTED. Only CONNECTED, CONNECTING or FAILED stores can be disconnected.")
            case .disconnecting:
                return deny("already disconnecting",
                            "Custom key store \(id) is already DISCONNECTING. Wait until it is DISCONNECTED.")
            }
        case .rename, .editProxyAccess:
            let what = action == .rename ? "renamed" : "given a new proxy URI path or credential"
            switch state {
            case .disconnected, .connected: return .allowed
            case .connecting, .disconnecting:
                return deny("wait until the store is CONNECTED or DISCONNECTED",
                            "Custom key store \(id) is \(state.rawValue). It can be \(what) only while CONNECTED or DISCONNECTED; wait until the operation ends.")
            case .failed:
                return deny("disconnect first: a FAILED store cannot be edited",
                            "Custom key store \(id) is FAILED. Disconnect it first, then update it.")
            }
        case .editSettings:
            guard state == .disconnected else {
                if store.type == .externalKeyStore {
                    return deny("disconnect first: connectivity, endpoint and VPC service change only while DISCONNECTED",
                                "Custom key store \(id) is \(state.rawValue). Its proxy connectivity, URI endpoint and VPC endpoint service can be changed only while it is DISCONNECTED: disconnect it first. (The name, URI path and credential can change while CONNECTED.)")
                }
                return deny("disconnect first: password and cluster change only while DISCONNECTED",
                            "Custom key store \(id) is \(state.rawValue). Its password and cluster can be changed only while it is DISCONNECTED: disconnect it first.")
            }
            return .allowed
        case .delete:
            guard state == .disconnected else {
                return deny("disconnect first: only a DISCONNECTED store can be deleted",
                            "Custom key store \(id) is \(state.rawValue). Only a DISCONNECTED store can be deleted: disconnect it first.")
            }
            guard keyCount == 0 else {
                let keys = keyCount == 1 ? "1 KMS key" : "\(keyCount) KMS keys"
                return .denied(
                    reason: "it still holds \(keys): schedule their deletion and wait",
                    error: KMSError(.customKeyStoreHasCMKs,
                                    "Custom key store \(id) still holds \(keys). Schedule the deletion of every key in it (ScheduleKeyDeletion) and wait until they are deleted.")
                )
            }
            return .allowed
        case .createKey:
            if state == .failed {
                let code = store.connectionErrorCode.map { " (\($0.rawValue))" } ?? ""
                return deny("disconnect first: a FAILED store must be disconnected, fixed and connected again",
                            "Custom key store \(id) is FAILED\(code). KMS keys can be created only in a CONNECTED custom key store, and a FAILED store cannot be connected: disconnect it first, fix the cause, then connect it.")
            }
            guard state == .connected else {
                return deny("connect first: keys can be created only in a CONNECTED store",
                            "Custom key store \(id) is \(state.rawValue). KMS keys can be created only in a CONNECTED custom key store: connect it first.")
            }
            return .allowed
        }
    }

    /// The state KMS reports for a key in a store, given the key's own state and the store's connection.
    public static func visibleKeyState(ownState: KeyState, storeState: ConnectionState) -> KeyState {
        if storeState == .connected || ownState == .pendingDeletion { return ownState }
        return .unavailable
    }

    private static func deny(_ reason: String, _ message: String) -> RuleVerdict {
        .denied(reason: reason, error: KMSError(.customKeyStoreInvalidState, message))
    }
}
