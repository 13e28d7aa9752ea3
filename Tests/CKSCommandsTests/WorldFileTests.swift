import CKSTestSupport
import Foundation
import Testing

/// The world file: created 0600, and a damaged, foreign or newer one refused with a clear message and
/// never changed.
@Suite("the world file")
struct WorldFileTests {
    /// Commands that open the world, one of each kind.
    static let commands: [[String]] = [
        ["list"], ["list", "--output", "json"], ["connect", "ledger-archive"], ["connect", "ledger-archive", "--wait"],
        ["disconnect", "payments-prod", "--wait"], ["keys", "payments-prod"], ["create-key", "payments-prod"],
        ["update", "ledger-archive", "--new-name", "renamed"], ["delete", "hr-records"], ["sim", "clusters"],
        ["sim", "fill-subnet", "subnet-0123456789abcdef0"], ["sim", "trust-anchor", "cluster-3sparecapac"],
    ]

    /// Runs every command on the world and expects the refusal: exit 2, the file named, and its bytes unchanged.
    static func expectRefused(_ world: TestWorld, mentioning words: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let original = try Data(contentsOf: world.worldFile)
        for command in commands {
            let result = try await world.run(command)
            #expect(result.status == 2 && !result.killedBySignal, "\(result)", sourceLocation: sourceLocation)
            #expect(result.stderr.hasPrefix("cks: ") && result.stderr.contains(world.worldFile.path), "names the file: \(result)",
                    sourceLocation: sourceLocation)
            for word in words {
                #expect(result.stderr.contains(word), "says \"\(word)\": \(result)", sourceLocation: sourceLocation)
            }
            #expect(result.stdout.isEmpty, "\(result)", sourceLocation: sourceLocation)
        }
        let unchanged = try Data(contentsOf: world.worldFile) == original
        #expect(unchanged, "the file is byte for byte what it was", sourceLocation: sourceLocation)
    }

    enum Garbage: String, CaseIterable, Sendable {
        case text
        case randomBytes
        case damagedDatabase

        func bytes(from world: Data) -> Data {
            var generator = SeededGenerator(seed: 0x5EED)  // the same garbage on every run
            switch self {
            case .text:
                return Data("this is not a database, just some text someone saved here\n".utf8)
            case .randomBytes:
                return Data((0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) })
            case .damagedDatabase:
                // The SQLite header survives; every page after it is noise.
                var data = world
                for index in 100..<data.count { data[index] = UInt8.random(in: 0...255, using: &generator) }
                return data
            }
        }
    }

    @Test("garbage in world.sqlite: every command exits 2, names the file, says it is damaged and how to move it away; the file is unchanged",
          arguments: Garbage.allCases)
    func garbage(_ garbage: Garbage) async throws {
        let world = try TestWorld()
        try await world.seed()
        // The seed also gives the embedded XKS proxy its state (xks-proxy/, ca/): that was there before.
        let seeded = Set(try FileManager.default.contentsOfDirectory(atPath: world.home.path))
        let good = try Data(contentsOf: world.worldFile)
        try garbage.bytes(from: good).write(to: world.worldFile)
        try await Self.expectRefused(world, mentioning: ["damaged", "mv \(world.worldFile.path)", "Move it away"])
        let stray = try FileManager.default.contentsOfDirectory(atPath: world.home.path)
            .filter { $0 != "world.sqlite" && !seeded.contains($0) }
        #expect(stray.isEmpty || garbage == .damagedDatabase, "nothing written next to it: \(stray)")
    }

    @Test("after the file is moved away as the message says, cks starts a fresh demo world")
    func moveAwayRecovers() async throws {
        let world = try TestWorld()
        try Data("garbage".utf8).write(to: world.worldFile)
        let refused = try await world.run("list")
        #expect(refused.status == 2)
        let target = try #require(refused.stderr.firstMatch(of: /mv (\S+) (\S+)\)/), "\(refused)")
        try FileManager.default.moveItem(atPath: String(target.1), toPath: String(target.2))
        let list = try await world.run("list")
        expectSuccess(list)
        #expect(list.stdout.contains(Demo.paymentsProd.name))
        #expect(try Data(contentsOf: URL(fileURLWithPath: String(target.2))) == Data("garbage".utf8))
    }

    @Test("a world from a newer cks: exit 2 saying so, and the file is not changed")
    func newerVersion() async throws {
        let world = try TestWorld()
        try await world.seed()
        let sqlite3 = try #require(Tool.sqlite3)
        let known = try await world.sqlite("select identifier from grdb_migrations order by identifier")
        let insert = try await ProcessRunner.run(sqlite3, [world.worldFile.path, "insert into grdb_migrations values ('v99')"],
                                                 environment: ProcessInfo.processInfo.environment)
        try #require(insert.status == 0, "\(insert)")
        try await Self.expectRefused(world, mentioning: ["newer", "v99"])
        #expect(try await world.sqlite("select identifier from grdb_migrations order by identifier") == known + ["v99"], "contents kept")
    }

    @Test("an SQLite file of another program: exit 2 saying it is not a cks world, and the file is not changed")
    func foreignDatabase() async throws {
        let world = try TestWorld()
        try FileManager.default.createDirectory(at: world.home, withIntermediateDirectories: true)
        let sqlite3 = try #require(Tool.sqlite3)
        let create = try await ProcessRunner.run(sqlite3, [world.worldFile.path, "create table notes (body text); insert into notes values ('mine')"],
                                                 environment: ProcessInfo.processInfo.environment)
        try #require(create.status == 0, "\(create)")
        try await Self.expectRefused(world, mentioning: ["not a cks world"])
        #expect(try await world.sqlite("select body from notes") == ["mine"])
        #expect(try await world.sqlite("pragma journal_mode") == ["delete"], "journal mode kept")
    }

    @Test("the world file is created with mode 0600 (and a missing CKS_HOME folder is created)")
    func fileMode() async throws {
        let world = try TestWorld(subfolder: "not/yet/there")
        #expect(!FileManager.default.fileExists(atPath: world.home.path))
        try await world.seed()
        let attributes = try FileManager.default.attributesOfItem(atPath: world.worldFile.path)
        let mode = try #require(attributes[.posixPermissions] as? NSNumber).intValue
        #expect(mode & 0o777 == 0o600, "mode \(String(mode, radix: 8))")
        // Still 0600 after commands that write.
        expectSuccess(try await world.run("connect", Demo.ledgerArchive.name, "--wait"))
        let again = try #require(try FileManager.default.attributesOfItem(atPath: world.worldFile.path)[.posixPermissions] as? NSNumber).intValue
        #expect(again & 0o777 == 0o600)
    }

    @Test("the world persists between processes: a change made by one command is seen by the next")
    func persists() async throws {
        let world = try TestWorld()
        expectSuccess(try await world.run("update", Demo.ledgerArchive.name, "--new-name", "ledger-renamed"))
        #expect(try await world.store(Demo.ledgerArchive.id)["CustomKeyStoreName"] as? String == "ledger-renamed")
        let other = try TestWorld()
        #expect(try await other.store(Demo.ledgerArchive.id)["CustomKeyStoreName"] as? String == Demo.ledgerArchive.name,
                "another CKS_HOME is another world")
    }
}
