import Foundation
import GRDB
import KeyStoreEngine
import Simulator
import Testing

/// The world file: refused, never overwritten, when damaged, foreign or newer; private (mode 0600).
@Suite("World file")
struct WorldFileTests {
    /// A new empty temporary home folder with `world.sqlite` written by `make`.
    static func home(_ make: (URL) throws -> Void) throws -> URL {
        let home = FileManager.default.temporaryDirectory.appending(path: "cks-simtests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try make(home.appending(path: "world.sqlite"))
        return home
    }

    static func open(_ home: URL) throws(WorldError) -> SimulatorService {
        try SimulatorService.open(home: home, clock: ManualClock(), pace: .demo, drive: false)
    }

    static func mode(_ url: URL) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int)
    }

    @Test("A file of garbage bytes is WorldError.corrupt and stays byte-for-byte the same",
          arguments: [false, true])
    func garbage(withSQLiteHeader: Bool) throws {
        var generator = SystemRandomNumberGenerator()
        var bytes = Data((0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) })
        if withSQLiteHeader {
            bytes.replaceSubrange(0..<16, with: Data("SQLite format 3\0".utf8))
        } else {
            bytes[0] = 0x42
        }
        let home = try Self.home { try bytes.write(to: $0) }
        defer { try? FileManager.default.removeItem(at: home) }
        let file = home.appending(path: "world.sqlite")
        do {
            let service = try Self.open(home)
            service.close()
            Issue.record("a garbage file opened as a world")
        } catch {
            guard case let .corrupt(path, _) = error else {
                Issue.record("expected .corrupt, got \(error)")
                return
            }
            #expect(path == file.path)
            #expect(error.description.contains("untouched"))
        }
        #expect(try Data(contentsOf: file) == bytes)
    }

    @Test("An SQLite file of another application is WorldError.notAWorld and stays the same")
    func otherApplication() throws {
        let home = try Self.home { file in
            let queue = try DatabaseQueue(path: file.path)
            try queue.write { db in
                try db.execute(sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('mine')")
            }
            try queue.close()
        }
        defer { try? FileManager.default.removeItem(at: home) }
        let file = home.appending(path: "world.sqlite")
        let before = try Data(contentsOf: file)
        do {
            let service = try Self.open(home)
            service.close()
            Issue.record("another application's database opened as a world")
        } catch {
            guard case let .notAWorld(path) = error else {
                Issue.record("expected .notAWorld, got \(error)")
                return
            }
            #expect(path == file.path)
        }
        let after = try Data(contentsOf: file)
        #expect(after == before, "the refused file is byte-for-byte unchanged")
        let notes = try DatabaseQueue(path: file.path).read { db in try String.fetchAll(db, sql: "SELECT text FROM notes") }
        #expect(notes == ["mine"])
    }

    @Test("A world with an unknown newer migration is WorldError.newerVersion and stays the same")
    func newerVersion() async throws {
        var world: World? = try World()
        let home = try #require(world?.home)
        defer { try? FileManager.default.removeItem(at: home) }
        let file = home.appending(path: "world.sqlite")
        try await world!.connectAndSettle(Demo.ledger)
        world?.service.close()
        world = nil

        let queue = try DatabaseQueue(path: file.path)
        let known = try await queue.read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
        }
        try await queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v999')") }
        try await queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try queue.close()
        let before = try Data(contentsOf: file)

        do {
            let service = try Self.open(home)
            service.close()
            Issue.record("a newer world opened")
        } catch {
            guard case let .newerVersion(path, version) = error else {
                Issue.record("expected .newerVersion, got \(error)")
                return
            }
            #expect(path == file.path)
            #expect(version == "v999")
        }
        let after = try Data(contentsOf: file)
        #expect(after == before, "the refused file is byte-for-byte unchanged")
        let migrations = try await DatabaseQueue(path: file.path).read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
        }
        #expect(known.starts(with: ["v1", "v2"]))
        #expect(migrations == known + ["v999"])
    }

    @Test("The world file is created with mode 0600 (and its WAL files too)")
    func fileMode() async throws {
        let world = try World()
        defer { world.remove() }
        _ = try await world.connectAndSettle(Demo.ledger)
        #expect(try Self.mode(world.file) == 0o600)
        for suffix in ["-wal", "-shm"] {
            let companion = URL(fileURLWithPath: world.file.path + suffix)
            if FileManager.default.fileExists(atPath: companion.path) {
                #expect(try Self.mode(companion) == 0o600, "\(suffix)")
            }
        }
        #expect(try Self.mode(world.home) == 0o700)
    }

    @Test("An empty file is a new world: the demo world is seeded into it")
    func emptyFile() async throws {
        let home = try Self.home { try Data().write(to: $0) }
        defer { try? FileManager.default.removeItem(at: home) }
        let service = try Self.open(home)
        defer { service.close() }
        #expect(try await service.allKeyStores().count == Demo.storeCount)
    }
}
