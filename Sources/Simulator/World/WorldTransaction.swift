import Foundation
import GRDB
import KeyStoreEngine

/// The world as seen inside one SQLite transaction: reads, changes and the events they produce.
/// Everything a step or an API call does happens through one of these, entirely or not at all.
struct WorldTransaction {
    let db: Database
    let now: Date

    // MARK: Reading

    func info() throws -> WorldInfoRecord {
        guard let info = try WorldInfoRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM world LIMIT 1")) else {
            throw KMSError(.kmsInternal, "The world has not been seeded.")
        }
        return info
    }

    func keyStore(id: String) throws -> KeyStoreRecord? {
        try KeyStoreRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM key_stores WHERE id = ?"), arguments: [id])
    }

    func requireKeyStore(id: String) throws -> KeyStoreRecord {
        guard let store = try keyStore(id: id) else {
            throw KMSError(.customKeyStoreNotFound,
                           "No custom key store has the ID \(id) in this account and Region. Run `cks list` to see the stores.")
        }
        return store
    }

    func keyStore(named name: String) throws -> KeyStoreRecord? {
        try KeyStoreRecord.filter(Column("name") == name).fetchOne(db)
    }

    func keyStores() throws -> [KeyStoreRecord] {
        try KeyStoreRecord.order(Column("created_at"), Column("id")).fetchAll(db)
    }

    func cluster(id: String) throws -> ClusterRecord? {
        try ClusterRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM clusters WHERE id = ?"), arguments: [id])
    }

    func subnets(ofCluster id: String) throws -> [SubnetRecord] {
        try SubnetRecord.filter(Column("cluster_id") == id).order(Column("availability_zone")).fetchAll(db)
    }

    func hsms(ofCluster id: String) throws -> [HSMRecord] {
        try HSMRecord.fetchAll(db.cachedStatement(sql: "SELECT * FROM hsms WHERE cluster_id = ? ORDER BY availability_zone, id"),
                               arguments: [id])
    }

    func kmsUser(ofCluster id: String) throws -> KmsUserRecord? {
        try KmsUserRecord.fetchOne(db, key: id)
    }

    func keys(ofKeyStore id: String) throws -> [KeyRecord] {
        try KeyRecord.filter(Column("key_store_id") == id).order(Column("created_at"), Column("id")).fetchAll(db)
    }

    func workflow(ofKeyStore id: String) throws -> WorkflowRecord? {
        try WorkflowRecord.fetchOne(db, key: id)
    }

    func networkInterfaces(ofKeyStore id: String) throws -> [NetworkInterfaceRecord] {
        try NetworkInterfaceRecord.filter(Column("key_store_id") == id).order(Column("availability_zone")).fetchAll(db)
    }

    func securityGroup(ofKeyStore id: String) throws -> SecurityGroupRecord? {
        try SecurityGroupRecord.filter(Column("key_store_id") == id).fetchOne(db)
    }

    /// The store using a cluster, or a cluster of the same backup lineage (one store per cluster).
    func keyStore(usingLineageOf cluster: ClusterRecord, except storeId: String? = nil) throws -> KeyStoreRecord? {
        let related = try String.fetchAll(db, sql: "SELECT id FROM clusters WHERE lineage = ?", arguments: [cluster.lineage])
        return try keyStores().first { store in
            store.id != storeId && store.clusterId.map(related.contains) == true
        }
    }

    // MARK: Events

    @discardableResult
    func record(_ kind: KeyStoreEvent.Kind, keyStoreId: String?, at time: Date? = nil) throws -> Int64 {
        let json = String(decoding: try JSONEncoder().encode(kind), as: UTF8.self)
        var event = EventRecord(sequence: nil, time: time ?? now, keyStoreId: keyStoreId, kind: json)
        try event.insert(db)
        event.sequence = db.lastInsertedRowID
        return db.lastInsertedRowID
    }

    // MARK: Changing

    /// Moves a store to a new connection state, recording the change and every key whose visible state changes.
    func setConnectionState(_ store: inout KeyStoreRecord, to state: ConnectionState, errorCode: ConnectionErrorCode? = nil,
                            at time: Date) throws {
        let before = store.state
        guard before != state || store.errorCode != errorCode else { return }
        store.state = state
        store.errorCode = state == .failed ? errorCode : nil
        try store.update(db)
        try record(.connectionStateChanged(from: before, to: state, errorCode: store.errorCode), keyStoreId: store.id, at: time)
        for key in try keys(ofKeyStore: store.id) {
            let old = KeyStoreRules.visibleKeyState(ownState: key.ownState, storeState: before)
            let new = KeyStoreRules.visibleKeyState(ownState: key.ownState, storeState: state)
            if old != new {
                try record(.keyStateChanged(keyId: key.id, from: old, to: new), keyStoreId: store.id, at: time)
            }
        }
    }

    /// Removes the network interfaces and security group KMS made for a store, recording each removal.
    func removeNetworkResources(of store: KeyStoreRecord, at time: Date) throws {
        for eni in try networkInterfaces(ofKeyStore: store.id) {
            let resource = try deleteNetworkInterface(eni)
            try record(.stepFinished(.deleteNetworkInterface, resource: resource), keyStoreId: store.id, at: time)
        }
        if let group = try securityGroup(ofKeyStore: store.id) {
            try group.delete(db)
            try record(.stepFinished(.deleteSecurityGroup, resource: StepResource(id: group.id, name: group.name)),
                       keyStoreId: store.id, at: time)
        }
    }

    /// Deletes a network interface and gives its address back to the subnet.
    func deleteNetworkInterface(_ eni: NetworkInterfaceRecord) throws -> StepResource {
        try eni.delete(db)
        if var subnet = try SubnetRecord.fetchOne(db, key: eni.subnetId) {
            subnet.freeAddresses += 1
            try subnet.update(db)
        }
        return StepResource(id: eni.id, availabilityZone: eni.availabilityZone, subnetId: eni.subnetId)
    }

    /// Logs KMS's session of kmsuser out, if this store holds one.
    func logOutKmsUser(of store: KeyStoreRecord) throws {
        guard let clusterId = store.clusterId, var user = try kmsUser(ofCluster: clusterId),
              user.loggedInByStore == store.id else { return }
        user.loggedInByStore = nil
        try user.update(db)
    }
}
