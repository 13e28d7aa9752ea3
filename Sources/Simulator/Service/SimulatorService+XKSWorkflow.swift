import Foundation
import GRDB
import KeyStoreEngine

/// The network half of external key store workflows: the connect's GetHealthStatus, and the periodic
/// `KmsHealthCheck` probes of CONNECTED stores. Each reads what it needs in a snapshot, calls the proxy with no
/// transaction open, then writes the outcome in a transaction that first checks the world has not moved on
/// (another process ran the step, the store was disconnected): read, call, then write.
extension SimulatorService {
    /// A connect's health step that is due, with what its call needs.
    struct DueProxyStep: Sendable {
        var workflow: WorkflowRecord
        /// Nil when the step fails without a call (a KMS internal error is pending).
        var request: ProxyHealthRequest?
    }

    /// Runs every connect health step due at `now`. Returns true when the world changed.
    func runDueProxySteps(now: Date) async throws(KMSError) -> Bool {
        let due: [DueProxyStep] = try readNow { tx in
            let rows = try WorkflowRecord.filter(Column("step") == WorkflowStep.checkProxyHealth.rawValue)
                .filter(Column("due_at") <= now.timeIntervalSince1970).order(Column("due_at")).fetchAll(tx.db)
            return try rows.compactMap { workflow -> DueProxyStep? in
                guard let store = try tx.keyStore(id: workflow.keyStoreId) else { return DueProxyStep(workflow: workflow, request: nil) }
                guard !store.internalErrorPending, let settings = store.xksSettings else {
                    return DueProxyStep(workflow: workflow, request: nil)
                }
                return DueProxyStep(workflow: workflow, request: try tx.healthRequest(for: settings, kmsOperation: "ConnectCustomKeyStore"))
            }
        }
        var changed = false
        for step in due {
            guard inFlight.withLock({ $0.insert(step.workflow.keyStoreId).inserted }) else { continue }
            defer { _ = inFlight.withLock { $0.remove(step.workflow.keyStoreId) } }
            var health: XKSProxyHealth?
            if let request = step.request { health = await xksNetwork.checkHealth(request, at: step.workflow.dueAt).health }
            let answer = health
            let expected = step.workflow
            let applied: Bool = try await writeTransaction(now: now, catchingUp: false) { tx in
                guard let current = try tx.workflow(ofKeyStore: expected.keyStoreId), current.step == .checkProxyHealth,
                      current.startedAt == expected.startedAt, current.dueAt == expected.dueAt else { return false }
                guard let store = try tx.keyStore(id: current.keyStoreId) else {
                    try current.delete(tx.db)
                    return true
                }
                let steps = XKSConnectSteps(tx: tx, store: store, at: current.dueAt)
                let outcome: StepOutcome
                if let answer {
                    try XKSHealthRecord(keyStoreId: store.id, health: answer, nextProbeAt: nil).save(tx.db)
                    outcome = try steps.healthOutcome(answer)
                } else {
                    outcome = try steps.run(.checkProxyHealth, subject: nil)
                }
                try WorkflowRunner(tx: tx).apply(outcome, to: current)
                return true
            }
            changed = changed || applied
        }
        if changed { signal.fire() }
        return changed
    }

    /// Probes the proxy of every CONNECTED external key store whose probe is due (`KmsHealthCheck`). A failed probe
    /// never changes the store's state; its answer replaces the last one. Returns when the next probe is due.
    @discardableResult
    public func runDueHealthProbes() async throws(KMSError) -> Date? {
        let now = clock.now()
        guard now >= firstHealthProbe else { return try nextHealthProbeDate() }
        // A CONNECTED store without a health answer yet (a seeded demo store) is probed at once.
        let due: [(String, Date?, ProxyHealthRequest)] = try await read { tx in
            let stores = try KeyStoreRecord.filter(Column("type") == CustomKeyStoreType.externalKeyStore.rawValue)
                .filter(Column("state") == ConnectionState.connected.rawValue).fetchAll(tx.db)
            return try stores.compactMap { store in
                let record = try XKSHealthRecord.fetchOne(tx.db, key: store.id)
                guard let settings = store.xksSettings else { return nil }
                if let record {
                    guard let next = record.nextProbeAt, next <= now else { return nil }
                    return (store.id, next, try tx.healthRequest(for: settings, kmsOperation: "KmsHealthCheck"))
                }
                return (store.id, nil, try tx.healthRequest(for: settings, kmsOperation: "KmsHealthCheck"))
            }
        }
        let pace = self.pace
        var wrote = false
        for (storeId, scheduled, request) in due {
            let health = await xksNetwork.checkHealth(request, at: now).health
            let written: Bool = try await writeTransaction(now: clock.now(), catchingUp: false) { tx in
                guard let store = try tx.keyStore(id: storeId), store.state == .connected,
                      try XKSHealthRecord.fetchOne(tx.db, key: storeId)?.nextProbeAt == scheduled else { return false }
                try XKSHealthRecord(keyStoreId: storeId, health: health, nextProbeAt: now.addingTimeInterval(pace.healthProbeInterval))
                    .save(tx.db)
                return true
            }
            wrote = wrote || written
        }
        if wrote { signal.fire() }
        return try nextHealthProbeDate()
    }

    /// The first moment this process probes: probes due when it opened the world (or never made) wait until then.
    var firstHealthProbe: Date { openedAt.addingTimeInterval(pace.firstHealthProbeDelay) }

    /// When the next periodic probe is due, if any store is CONNECTED.
    func nextHealthProbeDate() throws(KMSError) -> Date? {
        let now = clock.now()
        return try readNow { tx in
            let unprobed = try Bool.fetchOne(tx.db, sql: """
                SELECT 1 FROM key_stores WHERE type = ? AND state = ? AND id NOT IN (SELECT key_store_id FROM xks_health) LIMIT 1
                """, arguments: [CustomKeyStoreType.externalKeyStore.rawValue, ConnectionState.connected.rawValue]) ?? false
            let scheduled = try Double.fetchOne(tx.db, sql: """
                SELECT MIN(h.next_probe_at) FROM xks_health h JOIN key_stores s ON s.id = h.key_store_id WHERE s.state = ?
                """, arguments: [ConnectionState.connected.rawValue]).map(Date.init(timeIntervalSince1970:))
            return [scheduled, unprobed ? now : nil].compactMap { $0 }.min().map { max($0, firstHealthProbe) }
        }
    }
}

extension WorldTransaction {
    /// Schedules a store's periodic probe one interval after `start`, or stops its probes (nil).
    func scheduleHealthProbe(ofKeyStore id: String, after start: Date?, pace: WorkflowPace) throws {
        if let start {
            if var record = try XKSHealthRecord.fetchOne(db, key: id) {
                record.nextProbeAt = start.addingTimeInterval(pace.healthProbeInterval)
                try record.update(db)
            }
        } else {
            try db.execute(sql: "UPDATE xks_health SET next_probe_at = NULL WHERE key_store_id = ?", arguments: [id])
        }
    }
}

/// The last health answer of each external key store, and the embedded proxy's recent requests for it.
extension SimulatorService: XKSProxyObservation {
    public func proxyHealth(ofKeyStore id: String) async throws(KMSError) -> XKSProxyHealth? {
        try await read { tx in
            _ = try tx.requireKeyStore(id: id)
            return try XKSHealthRecord.fetchOne(tx.db, key: id)?.health
        }
    }

    public func proxyRequests(ofKeyStore id: String, limit: Int) async throws(KMSError) -> [XKSProxyRequestRecord] {
        let prefix: String? = try await read { tx in
            let store = try tx.requireKeyStore(id: id)
            guard let endpoint = store.xksUriEndpoint, let path = store.xksUriPath,
                  let route = try XKSRouteRecord.fetchOne(tx.db, key: XKSStoreChecks.host(of: endpoint)), route.target == "embedded"
            else { return nil }
            return path.range(of: "/kms/xks/", options: .backwards).map { String(path[..<$0.lowerBound]) } ?? path
        }
        guard let prefix else { return [] }
        return ProxyRequestLogReader.recent(home: home, prefix: prefix, limit: limit)
    }

    /// Compares the time of each store's last answer after every change of the world (this process's probes, other
    /// processes' through the file watch) with what it saw before.
    public func proxyHealthChanges() -> AsyncStream<String> {
        changeStream(from: [String: Double]?.none) { service, seen in
            guard let checked = try? await service.read({ tx in
                try Dictionary(uniqueKeysWithValues: Row.fetchAll(tx.db, sql: "SELECT key_store_id, checked_at FROM xks_health")
                    .map { row -> (String, Double) in (row["key_store_id"], row["checked_at"]) })
            }) else { return ([], false) }
            let changed = checked.keys.sorted().filter { id in seen.map { $0[id] != checked[id] } ?? false }
            seen = checked
            return (changed, false)
        }
    }
}
