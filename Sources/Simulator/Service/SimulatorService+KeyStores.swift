import Foundation
import GRDB
import KeyStoreEngine

extension SimulatorService {
    public func describeKeyStores(_ request: DescribeKeyStoresRequest) async throws(KMSError) -> KeyStorePage {
        if request.customKeyStoreId != nil && request.customKeyStoreName != nil {
            throw KMSError(.validation, "Specify either CustomKeyStoreId or CustomKeyStoreName, not both.")
        }
        if let id = request.customKeyStoreId { try KeyStoreValidation.validateKeyStoreId(id) }
        if let name = request.customKeyStoreName { try KeyStoreValidation.validateName(name) }
        if let limit = request.limit { try KeyStoreValidation.validateLimit(limit) }
        let position: PageMarker?
        if let marker = request.marker {
            try KeyStoreValidation.validateMarker(marker)
            guard let decoded = PageMarker(encoded: marker) else {
                throw KMSError(.invalidMarker, "The marker \(marker) is not one this service returned. Start again without a marker.")
            }
            position = decoded
        } else {
            position = nil
        }
        let limit = request.limit ?? KeyStoreValidation.maxDescribeLimit
        return try await read { tx in
            if let id = request.customKeyStoreId {
                let store = try tx.requireKeyStore(id: id)
                return KeyStorePage(keyStores: [store.keyStore], nextMarker: nil)
            }
            if let name = request.customKeyStoreName {
                guard let store = try tx.keyStore(named: name) else {
                    throw KMSError(.customKeyStoreNotFound,
                                   "No custom key store is named \(name) in this account and Region. Run `cks list` to see the stores.")
                }
                return KeyStorePage(keyStores: [store.keyStore], nextMarker: nil)
            }
            var query = KeyStoreRecord.order(Column("created_at"), Column("id"))
            if let position {
                query = query.filter(sql: "(created_at > ?) OR (created_at = ? AND id > ?)",
                                     arguments: [position.createdAt, position.createdAt, position.id])
            }
            let rows = try query.limit(limit + 1).fetchAll(tx.db)
            let page = rows.prefix(limit)
            let next = rows.count > limit ? page.last.map { PageMarker(createdAt: $0.createdAt.timeIntervalSince1970, id: $0.id).encoded } : nil
            return KeyStorePage(keyStores: page.map(\.keyStore), nextMarker: next)
        }
    }

    public func connectKeyStore(id: String) async throws(KMSError) {
        try KeyStoreValidation.validateKeyStoreId(id)
        let pace = self.pace
        try await write { tx in
            var store = try tx.requireKeyStore(id: id)
            let keyCount = try tx.keys(ofKeyStore: id).count
            switch KeyStoreRules.verdict(for: .connect, on: store.keyStore, keyCount: keyCount) {
            case .noEffect: return
            case let .denied(_, error): throw error
            case .allowed: break
            }
            try SynchronousChecks(tx: tx).beforeConnect(store)
            try WorkflowRunner(tx: tx).begin(.connect, for: &store, pace: pace, at: tx.now)
        }
    }

    public func disconnectKeyStore(id: String) async throws(KMSError) {
        try KeyStoreValidation.validateKeyStoreId(id)
        let pace = self.pace
        try await write { tx in
            var store = try tx.requireKeyStore(id: id)
            if case let .denied(_, error) = KeyStoreRules.verdict(for: .disconnect, on: store.keyStore) { throw error }
            try tx.workflow(ofKeyStore: id)?.delete(tx.db)
            try WorkflowRunner(tx: tx).begin(.disconnect, for: &store, pace: pace, at: tx.now)
        }
    }

    public func createKeyStore(_ request: CreateKeyStoreRequest) async throws(KMSError) -> String {
        switch request.settings {
        case let .cloudHSM(settings): try await createCloudHSMKeyStore(name: request.name, settings)
        case let .external(settings): try await createExternalKeyStore(name: request.name, settings)
        }
    }

    private func createCloudHSMKeyStore(name: String, _ request: CloudHSMKeyStoreSettings) async throws(KMSError) -> String {
        try KeyStoreValidation.validateName(name)
        try KeyStoreValidation.validateClusterId(request.cloudHsmClusterId)
        try KeyStoreValidation.validateTrustAnchor(request.trustAnchorCertificate)
        try KeyStoreValidation.validatePassword(request.keyStorePassword)
        return try await write { tx in
            if let existing = try tx.keyStore(named: name) {
                if existing.state == .disconnected, existing.clusterId == request.cloudHsmClusterId,
                   existing.password == request.keyStorePassword,
                   existing.trustAnchor.map(TrustAnchor.normalized) == TrustAnchor.normalized(request.trustAnchorCertificate) {
                    return existing.id
                }
                throw KMSError(.customKeyStoreNameInUse,
                               "A custom key store named \(name) already exists. Choose another name.")
            }
            try XKSStoreChecks(tx: tx).requireQuota()
            let cluster = try SynchronousChecks(tx: tx).clusterForStore(request.cloudHsmClusterId, trustAnchor: request.trustAnchorCertificate,
                                                                        excludingStore: nil)
            let store = KeyStoreRecord(id: Identifier.keyStore(), name: name, type: .awsCloudHSM, clusterId: cluster.id,
                                       trustAnchor: request.trustAnchorCertificate, password: request.keyStorePassword,
                                       state: .disconnected, errorCode: nil, createdAt: tx.now)
            try store.insert(tx.db)
            try tx.record(.keyStoreCreated(name: store.name), keyStoreId: store.id)
            return store.id
        }
    }

    public func updateKeyStore(_ request: UpdateKeyStoreRequest) async throws(KMSError) {
        try KeyStoreValidation.validateKeyStoreId(request.customKeyStoreId)
        if let name = request.newName { try KeyStoreValidation.validateName(name, field: "NewCustomKeyStoreName") }
        let type = try await read { tx in try tx.requireKeyStore(id: request.customKeyStoreId).type }
        if type == .externalKeyStore {
            try await updateExternalKeyStore(request)
            return
        }
        if request.touchesProxySettings {
            throw KMSError(.validation, "The XksProxy* settings apply only to external key stores; custom key store \(request.customKeyStoreId) is an AWS CloudHSM key store. Change its KeyStorePassword or CloudHsmClusterId instead.")
        }
        if let password = request.keyStorePassword { try KeyStoreValidation.validatePassword(password) }
        if let clusterId = request.cloudHsmClusterId { try KeyStoreValidation.validateClusterId(clusterId) }
        try await write { tx in
            var store = try tx.requireKeyStore(id: request.customKeyStoreId)
            if case let .denied(_, error) = KeyStoreRules.verdict(for: request.action, on: store.keyStore) { throw error }
            var changes: [String] = []
            if let name = request.newName, name != store.name {
                if try tx.keyStore(named: name) != nil {
                    throw KMSError(.customKeyStoreNameInUse, "A custom key store named \(name) already exists. Choose another name.")
                }
                changes.append("name \(store.name) → \(name)")
                store.name = name
            }
            if let clusterId = request.cloudHsmClusterId, clusterId != store.clusterId {
                let cluster = try SynchronousChecks(tx: tx).relatedCluster(clusterId, for: store)
                changes.append("cluster \(store.clusterId ?? "-") → \(cluster.id)")
                store.clusterId = cluster.id
            }
            if let password = request.keyStorePassword {
                changes.append("key store password")
                store.password = password
            }
            try store.update(tx.db)
            try tx.record(.keyStoreUpdated(changes: changes.isEmpty ? ["nothing changed"] : changes), keyStoreId: store.id)
        }
    }

    public func deleteKeyStore(id: String) async throws(KMSError) {
        try KeyStoreValidation.validateKeyStoreId(id)
        try await write { tx in
            let store = try tx.requireKeyStore(id: id)
            let keyCount = try tx.keys(ofKeyStore: id).count
            if case let .denied(_, error) = KeyStoreRules.verdict(for: .delete, on: store.keyStore, keyCount: keyCount) { throw error }
            try store.delete(tx.db)
            try XKSHealthRecord.deleteOne(tx.db, key: store.id)
            try tx.record(.keyStoreDeleted(name: store.name), keyStoreId: store.id)
        }
    }

    public func clusters() async throws(KMSError) -> [CloudHSMCluster] {
        try await read { tx in
            try ClusterRecord.order(Column("created_at"), Column("id")).fetchAll(tx.db).map { try tx.clusterView($0) }
        }
    }

    public func latestEventSequence() async throws(KMSError) -> Int64 {
        try await read { tx in try Int64.fetchOne(tx.db, sql: "SELECT MAX(sequence) FROM events") ?? 0 }
    }

    public func history(ofKeyStore id: String) async throws(KMSError) -> [KeyStoreEvent] {
        try await read { tx in
            try EventRecord.filter(Column("key_store_id") == id).order(Column("sequence")).fetchAll(tx.db).map { try $0.event() }
        }
    }

    /// Every event after `sequence`, including those other processes append to the same world.
    public func events(after sequence: Int64) -> AsyncStream<KeyStoreEvent> {
        let batchSize = 500
        return changeStream(from: sequence) { service, cursor in
            let after = cursor
            let batch = (try? await service.read { tx in
                try EventRecord.filter(Column("sequence") > after).order(Column("sequence")).limit(batchSize)
                    .fetchAll(tx.db).map { try $0.event() }
            }) ?? []
            cursor = batch.last?.sequence ?? cursor
            return (batch, batch.count == batchSize)
        }
    }
}

/// The opaque DescribeCustomKeyStores marker: the position after the last store of a page.
struct PageMarker {
    var createdAt: Double
    var id: String

    var encoded: String { Data("v1|\(createdAt)|\(id)".utf8).base64EncodedString() }

    init(createdAt: Double, id: String) {
        self.createdAt = createdAt
        self.id = id
    }

    init?(encoded: String) {
        guard let data = Data(base64Encoded: encoded), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", let createdAt = Double(parts[1]), !parts[2].isEmpty else { return nil }
        self.createdAt = createdAt
        self.id = String(parts[2])
    }
}
