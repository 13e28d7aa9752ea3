import Foundation
import GRDB
import KeyStoreEngine

extension SimulatorService: KMSKeyService {
    public func keys(inKeyStore id: String) async throws(KMSError) -> [KMSKey] {
        try KeyStoreValidation.validateKeyStoreId(id)
        return try await read { tx in
            let store = try tx.requireKeyStore(id: id)
            return try tx.keys(ofKeyStore: id).map { try tx.keyView($0, storeState: store.state) }
        }.map(pendingUsage.overlay)
    }

    /// Every KMS key of the world, in creation order.
    public func allKeys() async throws(KMSError) -> [KMSKey] {
        try await read { tx in
            try KeyRecord.order(Column("created_at"), Column("id")).fetchAll(tx.db).map { try tx.keyView($0) }
        }.map(pendingUsage.overlay)
    }

    /// ListKeys: key IDs and ARNs a page at a time, in creation order. The marker is the last key ID of a page.
    public func listKeys(limit: Int, marker: String?) async throws(KMSError) -> KeyListPage {
        try await read(remembering: .keyPage(limit: limit, marker: marker)) { tx in
            let rows: [Row]
            if let marker {
                guard let last = try tx.key(id: marker) else {
                    throw KMSError(.invalidMarker, "The marker \(marker) is not one this service returned. Start again without a marker.")
                }
                rows = try Row.fetchAll(tx.db.cachedStatement(sql: """
                    SELECT id, arn FROM kms_keys WHERE (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT ?
                    """), arguments: [last.createdAt.timeIntervalSince1970, last.id, limit + 1])
            } else {
                rows = try Row.fetchAll(tx.db.cachedStatement(sql: "SELECT id, arn FROM kms_keys ORDER BY created_at, id LIMIT ?"),
                                        arguments: [limit + 1])
            }
            let page = try rows.prefix(limit).map {
                KeyListPage.Entry(keyId: try $0.decode(String.self, atIndex: 0), keyArn: try $0.decode(String.self, atIndex: 1))
            }
            return KeyListPage(keys: Array(page), nextMarker: rows.count > limit ? page.last?.keyId : nil)
        }
    }

    /// One key by its ID or ARN (DescribeKey).
    public func describeKey(_ keyIdOrArn: String) async throws(KMSError) -> KMSKey {
        pendingUsage.overlay(try await read(remembering: .key(keyIdOrArn)) { tx in
            try tx.keyView(try tx.requireKey(keyIdOrArn))
        })
    }

    /// CreateKey. In a custom key store (`Origin=AWS_CLOUDHSM`) it needs a CONNECTED store whose cluster has
    /// two active HSMs in different Availability Zones; without one it makes an ordinary AWS_KMS key.
    public func createKey(inKeyStore id: String?, description: String = "") async throws(KMSError) -> KMSKey {
        if let id { try KeyStoreValidation.validateKeyStoreId(id) }
        return try await write { tx in
            guard let id else {
                let key = try tx.insertKey(storeId: nil, clusterId: nil, description: description)
                return try tx.keyView(key)
            }
            let store = try tx.requireKeyStore(id: id)
            guard store.type != .externalKeyStore else { throw XKSKeyErrors.xksKeyIdRequired(storeId: id) }
            if case let .denied(_, error) = KeyStoreRules.verdict(for: .createKey, on: store.keyStore) { throw error }
            if let clusterId = store.clusterId {
                let zones = Set(try tx.hsms(ofCluster: clusterId).filter { $0.state == .active }.map(\.availabilityZone))
                guard zones.count >= 2 else {
                    throw KMSError(.cloudHsmClusterInvalidConfiguration,
                                   "Cluster \(clusterId) needs at least two active HSMs in different Availability Zones to create a key. Add an HSM (`cks sim add-hsm \(clusterId) --az <zone>`).")
                }
            }
            let key = try tx.insertKey(storeId: id, clusterId: store.clusterId, description: description)
            return try tx.keyView(key)
        }
    }

    public func enableKey(_ keyIdOrArn: String) async throws(KMSError) {
        try await setOwnState(keyIdOrArn, to: .enabled)
    }

    public func disableKey(_ keyIdOrArn: String) async throws(KMSError) {
        try await setOwnState(keyIdOrArn, to: .disabled)
    }

    /// ScheduleKeyDeletion: PendingDeletion for 7 to 30 days (default 30), allowed even while Unavailable.
    public func scheduleKeyDeletion(_ keyIdOrArn: String, pendingWindowInDays: Int = KeyRules.defaultPendingWindowDays) async throws(KMSError) -> Date {
        try KeyRules.validatePendingWindow(pendingWindowInDays)
        return try await write { tx in
            var key = try tx.requireKey(keyIdOrArn)
            try key.require(.scheduleDeletion)
            let deletion = tx.now.addingTimeInterval(Double(pendingWindowInDays) * 86_400)
            try tx.changeOwnState(&key, to: .pendingDeletion, deletionDate: deletion)
            return deletion
        }
    }

    /// CancelKeyDeletion: the key comes back Disabled (works while the store is disconnected too).
    public func cancelKeyDeletion(_ keyIdOrArn: String) async throws(KMSError) {
        try await write { tx in
            var key = try tx.requireKey(keyIdOrArn)
            try key.require(.cancelDeletion)
            try tx.changeOwnState(&key, to: .disabled, deletionDate: nil)
        }
    }

    /// Checks that a key can be used for a cryptographic operation now, records the use, and returns its
    /// material. Unavailable keys fail as KMS fails them: `KMSInvalidStateException: <ARN> is unavailable.`, or for
    /// a key in an external key store that is not CONNECTED, KMS's `XKSMessages.notConnected`.
    /// The check is a read; the use reaches the world file in a batch (`PendingUsage`).
    public func useKey(_ keyIdOrArn: String, operation: String) async throws(KMSError) -> (key: KMSKey, material: Data) {
        let (key, material) = try await read(remembering: .keyUse(keyIdOrArn)) { tx in
            let key = try tx.requireKey(keyIdOrArn)
            let state = try tx.visibleState(of: key)
            switch state {
            case .enabled: break
            case .disabled: throw KMSError(.disabled, "\(key.arn) is disabled.")
            case .pendingDeletion: throw KMSError(.kmsInvalidState, "\(key.arn) is pending deletion.")
            default: throw KMSError.unavailable(key.arn, external: key.xksKeyId != nil)
            }
            // CONNECTED does not prove the cluster healthy: KMS finds out only when it uses the key.
            if let clusterId = key.clusterId, let problem = try tx.unreachability(ofCluster: clusterId) {
                throw KMSError(.kmsInvalidState,
                               "KMS cannot communicate with your CloudHSM cluster \(clusterId) (\(problem)); \(key.arn) cannot be used. The key store stays CONNECTED: repair the cluster, or disconnect and reconnect the store.")
            }
            // The answer names the key; its last use is this one, so the usage log is not read.
            let view = KMSKey(id: key.id, arn: key.arn, customKeyStoreId: key.keyStoreId, cloudHsmClusterId: key.clusterId,
                              description: key.description, keyState: state, creationDate: key.createdAt,
                              deletionDate: key.deletionDate, xksKeyId: key.xksKeyId)
            return (view, key.keyMaterial)
        }
        let now = clock.now()
        recordUse(keyId: key.id, operation: operation, time: now)
        var used = key
        used.lastUsage = KeyUsage(operation: operation, time: now)
        return (used, material)
    }

    private func setOwnState(_ keyIdOrArn: String, to state: KeyState) async throws(KMSError) {
        try await write { tx in
            var key = try tx.requireKey(keyIdOrArn)
            try key.require(state == .enabled ? .enable : .disable)
            try tx.changeOwnState(&key, to: state, deletionDate: nil)
        }
    }
}

extension KeyRecord {
    /// Throws KMS's error when `KeyRules` does not allow `action` in the key's own state.
    func require(_ action: KeyAction) throws(KMSError) {
        if case let .denied(_, error) = KeyRules.verdict(for: action, keyArn: arn, state: ownState) { throw error }
    }
}

extension WorldTransaction {
    func key(id: String) throws -> KeyRecord? {
        try KeyRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM kms_keys WHERE id = ?"), arguments: [id])
    }

    func requireKey(_ keyIdOrArn: String) throws -> KeyRecord {
        let id = keyIdOrArn.hasPrefix("arn:") ? String(keyIdOrArn.split(separator: "/").last ?? "") : keyIdOrArn
        guard let key = try key(id: id), !keyIdOrArn.hasPrefix("arn:") || key.arn == keyIdOrArn else {
            throw KMSError(.notFound, "Key '\(keyIdOrArn)' does not exist. List the keys of a store with `cks keys <store>`.")
        }
        return key
    }

    /// Why KMS cannot reach a cluster's HSMs right now, or nil when it can (checked on every cryptographic
    /// call, so it reads three flags and one EXISTS, not the cluster's and HSMs' whole rows).
    func unreachability(ofCluster id: String) throws -> String? {
        let statement = try db.cachedStatement(sql: """
            SELECT state, network_blocked, sg_rules_intact,
                   EXISTS (SELECT 1 FROM hsms WHERE cluster_id = clusters.id AND state = ?) AS has_active_hsm
            FROM clusters WHERE id = ?
            """)
        guard let row = try Row.fetchOne(statement, arguments: [CloudHSMCluster.HSM.State.active.rawValue, id]),
              try row.decode(String.self, atIndex: 0) != CloudHSMCluster.State.deleted.rawValue else {
            return "the cluster was deleted"
        }
        if try row.decode(Bool.self, atIndex: 1) { return "network traffic to the HSMs is blocked" }
        if try !row.decode(Bool.self, atIndex: 2) { return "its security group lacks the TCP 2223-2225 rules" }
        if try !row.decode(Bool.self, atIndex: 3) { return "it has no active HSM" }
        return nil
    }

    /// What KMS reports for the key: its own state, or Unavailable while its store is not CONNECTED.
    func visibleState(of key: KeyRecord, storeState: ConnectionState? = nil) throws -> KeyState {
        guard let storeId = key.keyStoreId else { return key.ownState }
        let state = try storeState ?? connectionState(ofKeyStore: storeId) ?? .disconnected
        return KeyStoreRules.visibleKeyState(ownState: key.ownState, storeState: state)
    }

    /// A store's connection state alone (its row holds the trust anchor, a kilobyte not needed here).
    func connectionState(ofKeyStore id: String) throws -> ConnectionState? {
        let statement = try db.cachedStatement(sql: "SELECT state FROM key_stores WHERE id = ?")
        return try String.fetchOne(statement, arguments: [id]).flatMap(ConnectionState.init(rawValue:))
    }

    func insertKey(storeId: String?, clusterId: String?, description: String, xksKeyId: String? = nil) throws -> KeyRecord {
        let info = try info()
        let keyId = Identifier.key()
        let key = KeyRecord(id: keyId, arn: "arn:aws:kms:\(info.region):\(info.accountId):key/\(keyId)", keyStoreId: storeId,
                            clusterId: clusterId, description: description, ownState: .enabled, createdAt: now,
                            deletionDate: nil, keyMaterial: Data((0..<32).map { _ in UInt8.random(in: 0...255) }),
                            xksKeyId: xksKeyId)
        try key.insert(db)
        try record(.keyCreated(keyId: keyId), keyStoreId: storeId)
        return key
    }

    func keyView(_ key: KeyRecord, storeState: ConnectionState? = nil) throws -> KMSKey {
        let last = try KeyUsageRecord.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM key_usage WHERE key_id = ? ORDER BY time DESC LIMIT 1"), arguments: [key.id])
        return KMSKey(id: key.id, arn: key.arn, customKeyStoreId: key.keyStoreId, cloudHsmClusterId: key.clusterId,
                      description: key.description,
                      keyState: try visibleState(of: key, storeState: storeState),
                      creationDate: key.createdAt, deletionDate: key.deletionDate,
                      lastUsage: last.map { KeyUsage(operation: $0.operation, time: $0.time) }, xksKeyId: key.xksKeyId)
    }

    /// Changes a key's own state, recording the change of its visible state if there is one.
    func changeOwnState(_ key: inout KeyRecord, to state: KeyState, deletionDate: Date?) throws {
        let before = try visibleState(of: key)
        key.ownState = state
        key.deletionDate = deletionDate
        try key.update(db)
        let after = try visibleState(of: key)
        if before != after {
            try record(.keyStateChanged(keyId: key.id, from: before, to: after), keyStoreId: key.keyStoreId)
        }
    }
}
