import Foundation
import GRDB
import KeyStoreEngine

/// The world file read directly with SQLite (read-only), as the checks need it: no cks code in between.
public struct WorldFile: Sendable {
    public let path: String

    public init(home: URL) {
        path = home.appending(path: "world.sqlite").path
    }

    /// Runs `body` on a read-only connection that closes afterwards.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(30)
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read(body)
    }

    /// The signing pair and Region `cks serve` accepts by default.
    public func serverCredentials() throws -> (accessKeyId: String, secretAccessKey: String, region: String) {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT access_key_id, secret_access_key, region FROM world") else {
                throw HarnessError("the world has not been seeded")
            }
            return (row[0], row[1], row[2])
        }
    }

    /// Every store: ID, name, state, cluster.
    public func stores(_ db: Database) throws -> [StoreRow] {
        try Row.fetchAll(db, sql: "SELECT id, name, state, cluster_id FROM key_stores ORDER BY created_at, id").map {
            StoreRow(id: $0[0], name: $0[1], state: ConnectionState(rawValue: $0[2]) ?? .failed, clusterId: $0[3])
        }
    }

    /// The enabled keys of stores in `states`.
    public func keys(inStoresWithStates states: Set<ConnectionState>, _ db: Database) throws -> [(keyId: String, storeId: String)] {
        let stores = try self.stores(db).filter { states.contains($0.state) }.map(\.id)
        return try Row.fetchAll(db, sql: "SELECT id, key_store_id FROM kms_keys WHERE own_state = 'Enabled' AND key_store_id IS NOT NULL ORDER BY id")
            .map { (keyId: $0[0] as String, storeId: $0[1] as String) }
            .filter { stores.contains($0.storeId) }
    }

    /// Every event in order, decoded; an event that does not decode is reported by the caller.
    public func events(after sequence: Int64 = 0, _ db: Database) throws -> [(sequence: Int64, storeId: String?, kind: KeyStoreEvent.Kind?)] {
        let decoder = JSONDecoder()
        return try Row.fetchAll(db, sql: "SELECT sequence, key_store_id, kind FROM events WHERE sequence > ? ORDER BY sequence", arguments: [sequence])
            .map { row in
                let text: String = row[2]
                return (row[0], row[1], try? decoder.decode(KeyStoreEvent.Kind.self, from: Data(text.utf8)))
            }
    }
}

/// A store as the checks see it.
public struct StoreRow: Sendable, Hashable {
    public var id: String
    public var name: String
    public var state: ConnectionState
    public var clusterId: String?
}

/// A failure of the harness itself (not a problem found in the world).
public struct HarnessError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
