import Crypto
import Foundation
import GRDB
import XKS

/// The proxy's own SQLite file (`$CKS_HOME/xks-proxy/proxy.sqlite`, mode 0600): logical key stores,
/// credentials, keys, settings and faults. It belongs to the customer's side and never touches the
/// simulated AWS world.
public final class ProxyDatabase: Sendable {
    let queue: DatabaseQueue
    public let path: String

    /// The proxy's folder in a cks home folder.
    public static func directory(home: URL) -> URL { home.appending(path: "xks-proxy") }
    public static func fileURL(home: URL) -> URL { directory(home: home).appending(path: "proxy.sqlite") }

    /// `$CKS_HOME`, else `$XDG_DATA_HOME/cks`, else `~/.local/share/cks` (where the world lives too).
    public static func defaultHome(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let home = environment["CKS_HOME"], !home.isEmpty { return URL(fileURLWithPath: home) }
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty { return URL(fileURLWithPath: data).appending(path: "cks") }
        let user = environment["HOME"].map { URL(fileURLWithPath: $0) } ?? FileManager.default.homeDirectoryForCurrentUser
        return user.appending(path: ".local/share/cks")
    }

    private init(queue: DatabaseQueue, path: String) {
        self.queue = queue
        self.path = path
    }

    /// Whether `home` has a proxy yet (`cks xks-proxy init` makes one).
    public static func exists(home: URL) -> Bool {
        FileManager.default.fileExists(atPath: fileURL(home: home).path)
    }

    /// Opens the proxy's file, creating it (mode 0600, in a 0700 folder) when `create`.
    public static func open(home: URL, create: Bool) throws(XKSProxyError) -> ProxyDatabase {
        let file = fileURL(home: home)
        let path = file.path
        if !FileManager.default.fileExists(atPath: path) {
            guard create else {
                throw XKSProxyError("There is no XKS proxy in \(home.path) yet. Make one with `cks xks-proxy init --uri-path-prefix /example/prefix`.")
            }
            do {
                try FileManager.default.createDirectory(at: directory(home: home), withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw XKSProxyError("Cannot create \(directory(home: home).path): \(error.localizedDescription). Set CKS_HOME to a folder you can write.")
            }
            let fd = Foundation.open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
            if fd >= 0 { Foundation.close(fd) }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(15)
        configuration.label = "cks-xks-proxy"
        // WAL with NORMAL, as the world: a commit survives a killed process and costs no fsync (the default
        // rollback journal synced four times a commit: forty for the demo world's proxy).
        configuration.journalMode = .wal
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try ProxySchema.migrator.migrate(queue)
            return ProxyDatabase(queue: queue, path: path)
        } catch {
            throw XKSProxyError("The XKS proxy file \(path) cannot be used (\(error)). cks leaves it untouched; move it away to start again, or set CKS_HOME to another folder.")
        }
    }

    public func close() {
        try? queue.close()
    }

    /// A number that changes whenever another connection (a `cks xks-proxy` command) commits a change.
    public func changeCounter() -> Int {
        (try? queue.read { db in try Int.fetchOne(db, sql: "PRAGMA data_version") }) ?? 0
    }

    // MARK: Reading

    public func snapshot() throws(XKSProxyError) -> ProxySnapshot {
        try run { db in
            let settings = try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT name, value FROM setting").map {
                (($0["name"] as String), ($0["value"] as String))
            })
            var stores: [String: LogicalKeyStore] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT prefix, created_at FROM key_store") {
                let prefix: String = row["prefix"]
                stores[prefix] = LogicalKeyStore(prefix: prefix, credentials: [], createdAt: Date(timeIntervalSince1970: row["created_at"]))
            }
            for row in try Row.fetchAll(db, sql: "SELECT prefix, access_key_id, secret, created_at FROM credential ORDER BY created_at, rowid") {
                let prefix: String = row["prefix"]
                stores[prefix]?.credentials.append(ProxyCredential(
                    accessKeyId: row["access_key_id"], secretAccessKey: row["secret"],
                    createdAt: Date(timeIntervalSince1970: row["created_at"])))
            }
            var keys: [String: [String: ExternalKey]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT prefix, id, material, usages, enabled, created_at FROM external_key") {
                let key = ExternalKey(
                    prefix: row["prefix"], id: row["id"], material: SymmetricKey(data: row["material"] as Data),
                    usages: Self.usages(row["usages"]), enabled: row["enabled"],
                    createdAt: Date(timeIntervalSince1970: row["created_at"]))
                keys[key.prefix, default: [:]][key.id] = key
            }
            let faults = settings["faults"].flatMap { try? JSONDecoder().decode(ProxyFaults.self, from: Data($0.utf8)) } ?? ProxyFaults()
            return ProxySnapshot(
                region: settings["region"] ?? ProxySnapshot.defaultRegion, stores: stores, keys: keys, faults: faults,
                keyManagerInstances: settings["key_manager_instances"].flatMap(Int.init) ?? ProxySnapshot.defaultKeyManagerInstances)
        }
    }

    static func usages(_ text: String) -> [XKSKeyUsage] {
        text.split(separator: ",").compactMap { XKSKeyUsage(rawValue: String($0)) }
    }

    // MARK: Changing

    public func setSetting(_ name: String, _ value: String) throws(XKSProxyError) {
        try run { db in
            try db.execute(sql: "INSERT INTO setting(name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                           arguments: [name, value])
        }
    }

    /// Adds a logical key store with its first credential.
    public func addKeyStore(prefix: String, credential: ProxyCredential) throws(XKSProxyError) {
        try run { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM key_store WHERE prefix = ?", arguments: [prefix]) != nil {
                throw XKSProxyError("The proxy already has a logical key store at \(Self.shown(prefix)). Use `cks xks-proxy rotate-credential --uri-path-prefix \(Self.shown(prefix))` for a new credential, or choose another prefix.")
            }
            try Self.checkUnused(credential.accessKeyId, db)
            try db.execute(sql: "INSERT INTO key_store(prefix, created_at) VALUES (?, ?)",
                           arguments: [prefix, credential.createdAt.timeIntervalSince1970])
            try Self.insert(credential, prefix: prefix, db)
        }
    }

    /// Adds a second credential to a store, which must hold only one.
    public func addCredential(prefix: String, credential: ProxyCredential) throws(XKSProxyError) {
        try run { db in
            let held = try String.fetchAll(db, sql: "SELECT access_key_id FROM credential WHERE prefix = ? ORDER BY created_at", arguments: [prefix])
            try Self.requireStore(prefix, db)
            if held.count >= LogicalKeyStore.maxCredentials {
                throw XKSProxyError("The logical key store \(Self.shown(prefix)) already holds two credentials (\(held.joined(separator: ", "))). Retire the old one first: `cks xks-proxy rotate-credential --uri-path-prefix \(Self.shown(prefix)) --retire \(held[0])`.")
            }
            try Self.checkUnused(credential.accessKeyId, db)
            try Self.insert(credential, prefix: prefix, db)
        }
    }

    /// Removes a credential; the last one of a store stays.
    public func retireCredential(prefix: String, accessKeyId: String) throws(XKSProxyError) {
        try run { db in
            let held = try String.fetchAll(db, sql: "SELECT access_key_id FROM credential WHERE prefix = ?", arguments: [prefix])
            try Self.requireStore(prefix, db)
            guard held.contains(accessKeyId) else {
                throw XKSProxyError("The logical key store \(Self.shown(prefix)) has no credential \(accessKeyId); it has \(held.joined(separator: ", ")).")
            }
            guard held.count > 1 else {
                throw XKSProxyError("\(accessKeyId) is the only credential of \(Self.shown(prefix)); add the new one first (`cks xks-proxy rotate-credential`), then retire this one.")
            }
            try db.execute(sql: "DELETE FROM credential WHERE access_key_id = ?", arguments: [accessKeyId])
        }
    }

    public func createKey(prefix: String, id: String, usages: [XKSKeyUsage], now: Date) throws(XKSProxyError) {
        guard CredentialRules.isValidKeyId(id) else {
            throw XKSProxyError("\"\(id)\" is not an external key id: use 1 to 128 characters of A-Z, a-z, 0-9, -, . and _.")
        }
        try run { db in
            try Self.requireStore(prefix, db)
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM external_key WHERE prefix = ? AND id = ?", arguments: [prefix, id]) != nil {
                throw XKSProxyError("The key \(id) already exists in \(Self.shown(prefix)); choose another id.")
            }
            let material = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
            try db.execute(sql: "INSERT INTO external_key(prefix, id, material, usages, enabled, created_at) VALUES (?, ?, ?, ?, 1, ?)",
                           arguments: [prefix, id, material, usages.map(\.rawValue).joined(separator: ","), now.timeIntervalSince1970])
        }
    }

    public func setKeyEnabled(prefix: String, id: String, enabled: Bool) throws(XKSProxyError) {
        try run { db in
            try Self.requireStore(prefix, db)
            try db.execute(sql: "UPDATE external_key SET enabled = ? WHERE prefix = ? AND id = ?", arguments: [enabled, prefix, id])
            guard db.changesCount == 1 else {
                throw XKSProxyError("There is no key \(id) in \(Self.shown(prefix)). See `cks xks-proxy list-keys`.")
            }
        }
    }

    /// Reads the faults, lets `change` edit them, and writes them back in one transaction.
    public func updateFaults(_ change: (inout ProxyFaults) throws(XKSProxyError) -> Void) throws(XKSProxyError) -> ProxyFaults {
        try run { db in
            let text = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE name = 'faults'")
            var faults = text.flatMap { try? JSONDecoder().decode(ProxyFaults.self, from: Data($0.utf8)) } ?? ProxyFaults()
            try change(&faults)
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let json = String(decoding: try encoder.encode(faults), as: UTF8.self)
            try db.execute(sql: "INSERT INTO setting(name, value) VALUES ('faults', ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                           arguments: [json])
            return faults
        }
    }

    // MARK: Support

    /// How a prefix is shown in messages: the empty prefix is `""`.
    static func shown(_ prefix: String) -> String { prefix.isEmpty ? "\"\"" : prefix }

    private static func requireStore(_ prefix: String, _ db: Database) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM key_store WHERE prefix = ?", arguments: [prefix]) != nil else {
            throw XKSProxyError("The proxy has no logical key store at \(shown(prefix)). See `cks xks-proxy status`, or make one with `cks xks-proxy init --uri-path-prefix \(prefix.isEmpty ? "/example/prefix" : prefix)`.")
        }
    }

    private static func checkUnused(_ accessKeyId: String, _ db: Database) throws {
        if let owner = try String.fetchOne(db, sql: "SELECT prefix FROM credential WHERE access_key_id = ?", arguments: [accessKeyId]) {
            throw XKSProxyError("The access key id \(accessKeyId) is already used by \(shown(owner)); every credential needs its own.")
        }
    }

    private static func insert(_ credential: ProxyCredential, prefix: String, _ db: Database) throws {
        try db.execute(sql: "INSERT INTO credential(access_key_id, prefix, secret, created_at) VALUES (?, ?, ?, ?)",
                       arguments: [credential.accessKeyId, prefix, credential.secretAccessKey, credential.createdAt.timeIntervalSince1970])
    }

    private func run<T>(_ body: (Database) throws -> T) throws(XKSProxyError) -> T {
        do {
            return try queue.write { db in try body(db) }
        } catch let error as XKSProxyError {
            throw error
        } catch {
            throw XKSProxyError("The XKS proxy file \(path) could not be read or written: \(error)")
        }
    }
}
