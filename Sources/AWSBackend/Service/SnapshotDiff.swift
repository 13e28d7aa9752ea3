import KeyStoreEngine

/// The events that explain the difference between two observations of the stores (and of a store's keys),
/// the same kinds the simulator records as they happen.
public enum SnapshotDiff {
    /// One event to record, without its sequence and time.
    public struct Change: Sendable, Hashable {
        public var keyStoreId: String
        public var kind: KeyStoreEvent.Kind

        public init(keyStoreId: String, kind: KeyStoreEvent.Kind) {
            self.keyStoreId = keyStoreId
            self.kind = kind
        }
    }

    /// Changes from `previous` (the stores known before; nil when nothing was known, which gives no events) to
    /// `current`. When `complete` (a full DescribeCustomKeyStores), known stores missing from `current` were deleted.
    public static func changes(
        from previous: [String: CustomKeyStore]?, to current: [CustomKeyStore], complete: Bool
    ) -> [Change] {
        guard let previous else { return [] }
        var changes: [Change] = []
        for store in current.sorted(by: creationOrder) {
            guard let before = previous[store.id] else {
                changes.append(Change(keyStoreId: store.id, kind: .keyStoreCreated(name: store.name)))
                continue
            }
            changes += storeChanges(from: before, to: store)
        }
        if complete {
            let seen = Set(current.map(\.id))
            for gone in previous.values.sorted(by: creationOrder) where !seen.contains(gone.id) {
                changes.append(Change(keyStoreId: gone.id, kind: .keyStoreDeleted(name: gone.name)))
            }
        }
        return changes
    }

    /// A rename, a new cluster or a change of the proxy configuration (`keyStoreUpdated`, worded as the
    /// simulator words it), then a change of connection state or of the FAILED store's error code.
    public static func storeChanges(from before: CustomKeyStore, to after: CustomKeyStore) -> [Change] {
        var changes: [Change] = []
        var updates: [String] = []
        if before.name != after.name { updates.append("name \(before.name) → \(after.name)") }
        if before.cloudHsmClusterId != after.cloudHsmClusterId {
            updates.append("cluster \(before.cloudHsmClusterId ?? "-") → \(after.cloudHsmClusterId ?? "-")")
        }
        if let old = before.xksProxyConfiguration, let new = after.xksProxyConfiguration {
            updates += proxyChanges(from: old, to: new)
        }
        if !updates.isEmpty { changes.append(Change(keyStoreId: after.id, kind: .keyStoreUpdated(changes: updates))) }
        if before.connectionState != after.connectionState || before.connectionErrorCode != after.connectionErrorCode {
            changes.append(Change(keyStoreId: after.id, kind: .connectionStateChanged(
                from: before.connectionState, to: after.connectionState, errorCode: after.connectionErrorCode)))
        }
        return changes
    }

    /// Changes of one store's keys from `previous` (nil: first look, no events) to `current`. When `complete`
    /// (a full listing), known keys missing from `current` were deleted.
    public static func keyChanges(
        keyStoreId: String, from previous: [String: KMSKey]?, to current: [KMSKey], complete: Bool
    ) -> [Change] {
        guard let previous else { return [] }
        var changes: [Change] = []
        for key in current.sorted(by: { ($0.creationDate, $0.id) < ($1.creationDate, $1.id) }) {
            if let before = previous[key.id] {
                if before.keyState != key.keyState {
                    changes.append(Change(keyStoreId: keyStoreId, kind: .keyStateChanged(keyId: key.id, from: before.keyState, to: key.keyState)))
                }
            } else {
                changes.append(Change(keyStoreId: keyStoreId, kind: .keyCreated(keyId: key.id)))
            }
        }
        if complete {
            let seen = Set(current.map(\.id))
            for id in previous.keys.sorted() where !seen.contains(id) {
                changes.append(Change(keyStoreId: keyStoreId, kind: .keyDeleted(keyId: id)))
            }
        }
        return changes
    }

    /// What changed in an external key store's proxy configuration. KMS never returns the secret, so a new
    /// credential shows only when its access key ID changed.
    static func proxyChanges(from old: XKSProxyConfiguration, to new: XKSProxyConfiguration) -> [String] {
        let fields: [(String, String?, String?)] = [
            ("connectivity", old.connectivity.rawValue, new.connectivity.rawValue),
            ("endpoint", old.uriEndpoint, new.uriEndpoint),
            ("path", old.uriPath, new.uriPath),
            ("access key ID", old.accessKeyId, new.accessKeyId),
            ("VPC endpoint service", old.vpcEndpointServiceName, new.vpcEndpointServiceName),
            ("VPC endpoint service owner", old.vpcEndpointServiceOwner, new.vpcEndpointServiceOwner),
        ]
        return fields.filter { $0.1 != $0.2 }.map { "\($0.0) \($0.1 ?? "-") → \($0.2 ?? "-")" }
    }

    private static func creationOrder(_ a: CustomKeyStore, _ b: CustomKeyStore) -> Bool {
        (a.creationDate, a.id) < (b.creationDate, b.id)
    }
}
