import Foundation
import GRDB

/// The SQLite file that holds a world, opened so that several processes can share it safely.
struct WorldDatabase: Sendable {
    let pool: DatabasePool
    let path: String

    /// How long a write waits for another process's lock before it gives up with `WorldError.busy`.
    static let busyTimeoutSeconds = 15

    /// The file of the world in a cks home folder.
    static func fileURL(home: URL) -> URL { home.appending(path: "world.sqlite") }

    /// Opens (creating if needed) the world file. A damaged, foreign or newer file is refused, never rewritten.
    static func open(home: URL) throws(WorldError) -> WorldDatabase {
        try createHome(home)
        let file = fileURL(home: home)
        let path = file.path
        try createOrCheckFile(path)

        try inspectReadOnly(path)

        var configuration = Configuration()
        configuration.busyMode = .timeout(TimeInterval(busyTimeoutSeconds))
        configuration.label = "cks-world"
        // Readers are used synchronously by the calling thread (a server's event loop per core, a console's
        // tasks): one per core and a spare suffice, and each keeps its own page cache.
        configuration.maximumReaderCount = max(3, ProcessInfo.processInfo.activeProcessorCount + 1)
        configuration.prepareDatabase { db in
            // WAL with NORMAL: a commit survives a killed process; only a power loss may lose the last ones.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // 512 KiB of pages per connection instead of 2 MiB: the world is small and the OS caches the file;
            // with 10,000 keys the default made `cks serve` hold several MiB of duplicate pages.
            try db.execute(sql: "PRAGMA cache_size = -512")
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw classify(error, path: path)
        }
        do {
            // The file's identity was checked read-only above; here only a newer schema that appeared since matters.
            try pool.writeWithoutTransaction { db in
                let migrator = WorldSchema.migrator
                if try migrator.hasBeenSuperseded(db) {
                    let applied = try migrator.appliedIdentifiers(db)
                    throw WorldError.newerVersion(path: path, fileVersion: applied.sorted().last ?? "unknown")
                }
            }
            try WorldSchema.migrator.migrate(pool)
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA application_id = \(WorldSchema.applicationId)")
                // Every read catches up due key deletions, and ListKeys pages in creation order: without these
                // indexes each request scanned (and sorted) the whole key table (milliseconds at 10,000 keys).
                try db.execute(sql: """
                    CREATE INDEX IF NOT EXISTS kms_keys_by_creation ON kms_keys(created_at, id);
                    CREATE INDEX IF NOT EXISTS kms_keys_by_deletion ON kms_keys(own_state, deletion_date);
                    """)
            }
        } catch let error as WorldError {
            throw error
        } catch {
            throw classify(error, path: path)
        }
        return WorldDatabase(pool: pool, path: path)
    }

    private static func createHome(_ home: URL) throws(WorldError) {
        do {
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .cannotCreateHome(path: home.path, reason: error.localizedDescription)
        }
    }

    /// Creates an empty file with mode 0600, or checks that an existing one starts like an SQLite database.
    private static func createOrCheckFile(_ path: String) throws(WorldError) {
        let fd = Foundation.open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        if fd >= 0 {
            close(fd)
            return
        }
        guard errno == EEXIST else {
            let code = errno
            throw WorldError.folderLimit(path: path, errno: code) ?? .unusable(path: path, reason: String(cString: strerror(code)))
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unusable(path: path, reason: "it cannot be read")
        }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        if header.isEmpty { return }
        guard header == Data("SQLite format 3\0".utf8) else {
            throw .corrupt(path: path, reason: "it is not an SQLite database")
        }
    }

    /// Looks at an existing file through a read-only connection, so that a foreign, damaged or newer file is
    /// refused before anything could write to it (opening the pool would switch it to WAL mode).
    private static func inspectReadOnly(_ path: String) throws(WorldError) {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size > 0 else { return }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(TimeInterval(busyTimeoutSeconds))
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            try queue.read { db in
                try checkIdentity(db, path: path)
                guard try db.tableExists("grdb_migrations") else { return }
                let migrator = WorldSchema.migrator
                if try migrator.hasBeenSuperseded(db) {
                    let applied = try migrator.appliedIdentifiers(db)
                    throw WorldError.newerVersion(path: path, fileVersion: applied.sorted().last ?? "unknown")
                }
            }
        } catch let error as WorldError {
            throw error
        } catch {
            throw classify(error, path: path)
        }
    }

    private static func checkIdentity(_ db: Database, path: String) throws {
        let applicationId = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        let isOurs = applicationId == WorldSchema.applicationId
        if !isOurs && (applicationId != 0 || !(tables.isEmpty || tables.contains("world"))) {
            throw WorldError.notAWorld(path: path)
        }
        let check = try String.fetchOne(db, sql: "PRAGMA quick_check") ?? "ok"
        guard check == "ok" else { throw WorldError.corrupt(path: path, reason: check) }
    }

    private static func classify(_ error: any Error, path: String) -> WorldError {
        if let error = error as? WorldError { return error }
        if let limit = WorldError.machineLimit(error, path: path) { return limit }
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_NOTADB, .SQLITE_CORRUPT:
                return .corrupt(path: path, reason: error.message ?? "\(error.resultCode)")
            default:
                return .unusable(path: path, reason: error.message ?? "\(error)")
            }
        }
        return .unusable(path: path, reason: "\(error)")
    }
}

extension WorldDatabase {
    /// Where a world lives: `$CKS_HOME`, else `$XDG_DATA_HOME/cks`, else `~/.local/share/cks`.
    static func defaultHome(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let home = environment["CKS_HOME"], !home.isEmpty { return URL(fileURLWithPath: home) }
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty { return URL(fileURLWithPath: data).appending(path: "cks") }
        let user = environment["HOME"].map { URL(fileURLWithPath: $0) } ?? FileManager.default.homeDirectoryForCurrentUser
        return user.appending(path: ".local/share/cks")
    }
}
