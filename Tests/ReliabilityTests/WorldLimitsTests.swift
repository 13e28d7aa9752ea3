import ChaosHarness
import CKSTestSupport
import Foundation
import SigV4
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The machine's limits under a world: a full disk, a read-only file system, a lock held too long. Each gives
/// a clear message at once, changes nothing, loses nothing, and the world works again once the cause is gone.
/// The world lives on a small tmpfs mounted for the test (needs root, as in CI's container).
@Suite("world limits", .enabled(if: ScratchMount.isPossible, "mounting a tmpfs needs root"))
struct WorldLimitsTests {
    @Test("A full disk: every write fails with a clear message, nothing written is lost, and the world works again once there is room")
    func diskFull() async throws {
        let mount = try ScratchMount(megabytes: 2)
        let world = LimitWorld(home: mount.folder.appending(path: "home"))
        try await world.cks(["list"]).expectSuccess()
        // A server already has the world open when the disk fills.
        let port = try ChaosRun.freePort()
        let server = try world.start(["serve", "--port", "\(port)"])
        defer { server.send(SIGKILL) }
        #expect(await eventually(within: .testWaitBound) { server.stdout.contains("Ctrl-C stops the server.") }, "cks serve started")
        let client = try world.kmsClient(port: port)
        let before = try await world.dump()

        let filler = mount.folder.appending(path: "filler")
        try await offThePool { try ScratchMount.fill(filler) }
        for arguments in [["connect", "ledger-archive", "--wait"], ["create-key", "payments-prod"], ["disconnect", "payments-prod"]] {
            let result = try await world.cks(arguments)
            #expect(!result.succeeded && result.stderr.contains("is full") && result.stderr.contains("Free some space"),
                    "cks \(arguments.joined(separator: " ")): \(result)")
        }
        // The server's writes fill what room its WAL had, then fail as KMS errors; its reads go on.
        let (created, refusal) = try await offThePool { () throws -> ([String], HTTPAnswer?) in
            var created: [String] = []
            for number in 0..<2_000 {
                let answer = try client.call("CreateKey", ["CustomKeyStoreId": "cks-1a2b3c4d5e6f70819", "Origin": "AWS_CLOUDHSM",
                                                           "Description": "written before the disk was full \(number)"])
                guard answer.status == 200, let metadata = answer.json?["KeyMetadata"] as? [String: Any],
                      let id = metadata["KeyId"] as? String else { return (created, answer) }
                created.append(id)
            }
            return (created, nil)
        }
        let refused = try #require(refusal, "2,000 CreateKey calls fitted on a full 2 MiB disk")
        #expect(refused.status == 500 && refused.errorType == "KMSInternalException", "\(refused.status) \(String(decoding: refused.body, as: UTF8.self))")
        #expect(String(decoding: refused.body, as: UTF8.self).contains("is full"))
        #expect(try client.call("DescribeCustomKeyStores", [:]).status == 200)
        #expect(try await world.sqlite("PRAGMA integrity_check") == ["ok"])
        #expect(try await world.dump(excludingKeys: created) == before, "nothing the disk-full writes touched changed")

        try FileManager.default.removeItem(at: filler)
        let connected = try await world.cks(["connect", "ledger-archive", "--wait"])
        connected.expectSuccess()
        #expect(connected.stdout.contains("CONNECTED"), "\(connected)")
        try await world.cks(["create-key", "payments-prod"]).expectSuccess()
        for id in created {
            #expect(try await world.sqlite("SELECT COUNT(*) FROM kms_keys WHERE id = '\(id)'") == ["1"], "key \(id), created before the disk filled, is lost")
        }
        #expect(try await world.sqlite("PRAGMA integrity_check") == ["ok"])
    }

    @Test("A read-only file system: a clear message at once, nothing changed, and the world works once it is writable again")
    func readOnly() async throws {
        let mount = try ScratchMount(megabytes: 4)
        let world = LimitWorld(home: mount.folder.appending(path: "home"))
        try await world.cks(["list"]).expectSuccess()
        let before = try await world.dump()
        try await mount.remount(readOnly: true)
        for arguments in [["connect", "hr-records", "--wait"], ["create-key", "payments-prod"]] {
            let result = try await world.cks(arguments)
            #expect(!result.succeeded && result.stderr.contains("read-only") && result.stderr.contains("writable"),
                    "cks \(arguments.joined(separator: " ")): \(result)")
        }
        try await mount.remount(readOnly: false)
        #expect(try await world.dump() == before)
        try await world.cks(["connect", "hr-records", "--wait"]).expectSuccess()
        #expect(try await world.sqlite("SELECT state FROM key_stores WHERE name = 'hr-records'") == ["CONNECTED"])
    }

    @Test("Another process holds the write lock past the busy timeout: the command gives up with a clear message and changes nothing")
    func lockHeldTooLong() async throws {
        let sqlite3 = try #require(Executables.onPath("sqlite3"), "the sqlite3 command is not installed")
        let folder = FileManager.default.temporaryDirectory.appending(path: "cks-busy-\(UUID().uuidString.prefix(12))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let world = LimitWorld(home: folder)
        try await world.cks(["list"]).expectSuccess()
        let script = folder.appending(path: "hold-lock.sql")
        try Data("BEGIN IMMEDIATE;\nUPDATE world SET region = region;\n.print locked\n.shell sleep 120\n".utf8).write(to: script)
        let holder = try ChildProcess(sqlite3, [world.file], environment: ProcessInfo.processInfo.environment, input: .file(script.path),
                                      stopsWhenDropped: true)
        defer { holder.send(SIGKILL) }
        #expect(await eventually(within: .testWaitBound) { holder.stdout.contains("locked") }, "sqlite3 took the lock")

        let result = try await world.cks(["disconnect", "payments-prod"], seconds: 90)
        #expect(!result.succeeded && result.stderr.contains("locked for more than 15 s") && result.stderr.contains("Nothing was changed"),
                "\(result)")
        holder.send(SIGKILL)
        holder.exitAfterKill()
        #expect(try await world.sqlite("SELECT state FROM key_stores WHERE name = 'payments-prod'") == ["CONNECTED"])
        #expect(try await world.sqlite("SELECT COUNT(*) FROM workflows") == ["0"])
        try await world.cks(["disconnect", "payments-prod", "--wait"]).expectSuccess()
    }
}

/// A tmpfs of a given size mounted on a new temporary folder, unmounted (and the folder removed) when dropped.
final class ScratchMount {
    let folder: URL

    /// True when this process may mount a tmpfs (it tries once).
    static let isPossible: Bool = {
        guard let mount = try? ScratchMount(megabytes: 1) else { return false }
        _ = mount
        return true
    }()

    init(megabytes: Int) throws {
        folder = FileManager.default.temporaryDirectory.appending(path: "cks-mount-\(UUID().uuidString.prefix(12))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let result = try runBriefly("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", folder.path])
        guard result.exit.isSuccess else {
            try? FileManager.default.removeItem(at: folder)
            throw SpawnFailed("cannot mount a tmpfs on \(folder.path)")
        }
    }

    deinit {
        _ = try? runBriefly("/bin/umount", ["-l", folder.path])
        try? FileManager.default.removeItem(at: folder)
    }

    func remount(readOnly: Bool) async throws {
        let result = try await Spawn.runWithStatus("/bin/mount", ["-o", readOnly ? "remount,ro" : "remount,rw", folder.path], capture: false)
        guard result.exit.isSuccess else { throw SpawnFailed("cannot remount \(folder.path)") }
    }

    /// Writes zeros into `file` until the file system has no room left.
    static func fill(_ file: URL) throws {
        let fd = open(file.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw SpawnFailed("cannot create \(file.path)") }
        defer { close(fd) }
        let block = [UInt8](repeating: 0, count: 4_096)
        for _ in 0..<1_000_000 {
            if block.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) <= 0 { break }
        }
        let small = [UInt8](repeating: 0, count: 1)
        for _ in 0..<4_096 where small.withUnsafeBytes({ write(fd, $0.baseAddress, 1) }) > 0 {}
    }
}

/// A world in a folder, driven with the real cks and read with the sqlite3 command.
struct LimitWorld {
    let home: URL
    var file: String { home.appending(path: "world.sqlite").path }

    struct Result: Sendable, CustomStringConvertible {
        /// nil when it had to be killed.
        var exit: CKSTestSupport.ExitStatus?
        var stdout: String
        var stderr: String
        var description: String { "exit \(exit.map { String($0.shellStatus) } ?? "none (killed)")\n\(stdout)\n\(stderr)" }
        var succeeded: Bool { exit?.isSuccess == true }

        func expectSuccess(sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(succeeded, "\(self)", sourceLocation: sourceLocation)
        }
    }

    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in ["NO_COLOR", "CKS_PACE", "XDG_DATA_HOME"] { environment[name] = nil }
        environment["CKS_HOME"] = home.path
        environment["CKS_PACE"] = "instant"
        environment["LC_ALL"] = "C.UTF-8"
        return environment
    }

    func start(_ arguments: [String]) throws -> ChildProcess {
        try ChildProcess(Executables.cks.path, arguments, environment: environment, stopsWhenDropped: true)
    }

    /// Runs cks to its end (on a thread of its own); a run that outlives `seconds` is killed and reported as such.
    func cks(_ arguments: [String], seconds: Double = 60) async throws -> Result {
        try await offThePool { try runToEnd(arguments, seconds: seconds) }
    }

    private func runToEnd(_ arguments: [String], seconds: Double) throws -> Result {
        let child = try start(arguments)
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline, child.isRunning || !child.standardOutput.isFinished || !child.standardError.isFinished { usleep(5_000) }
        guard let exit = child.exit else {
            child.send(SIGKILL)
            _ = child.exitAfterKill()
            return Result(exit: nil, stdout: child.stdout, stderr: "still running after \(seconds) s: hung")
        }
        return Result(exit: exit, stdout: child.stdout, stderr: child.stderr)
    }

    func sqlite(_ sql: String) async throws -> [String] {
        let sqlite3 = try #require(Executables.onPath("sqlite3"))
        return try await Spawn.run(sqlite3, ["-readonly", file, sql]).split(separator: "\n").map(String.init)
    }

    /// The stores, keys (without `excludingKeys`), network resources and subnets, as text.
    func dump(excludingKeys excluded: [String] = []) async throws -> [String] {
        let keys = excluded.isEmpty ? "" : " WHERE id NOT IN (\(excluded.map { "'\($0)'" }.joined(separator: ",")))"
        var rows: [String] = []
        for query in ["SELECT * FROM key_stores ORDER BY id", "SELECT id, own_state, key_store_id FROM kms_keys\(keys) ORDER BY id",
                      "SELECT * FROM network_interfaces ORDER BY id", "SELECT * FROM subnets ORDER BY id", "SELECT COUNT(*) FROM workflows"] {
            rows += try await sqlite(query)
        }
        return rows
    }

    func kmsClient(port: Int) throws -> KMSClient {
        let pair = try WorldFile(home: home).serverCredentials()
        return KMSClient(port: port, credentials: AWSCredentials(accessKeyId: pair.accessKeyId, secretAccessKey: pair.secretAccessKey),
                         region: pair.region)
    }
}

extension ChildProcess {
    /// The exit of a process just sent SIGKILL (waits up to 15 s for the reaper).
    @discardableResult
    func exitAfterKill() -> CKSTestSupport.ExitStatus? {
        let deadline = Date().addingTimeInterval(15)
        while isRunning && Date() < deadline { usleep(5_000) }
        return exit
    }
}


/// Runs a short command (mount, sqlite3) to its end from synchronous code, as `runToEnd` does for cks: a
/// bounded poll of the child, for the two places that cannot be async: the tmpfs mount behind the suite's
/// condition and its unmount in a deinit (a few milliseconds each).
func runBriefly(_ path: String, _ arguments: [String], seconds: Double = 30) throws -> (exit: CKSTestSupport.ExitStatus, output: String) {
    let child = try ChildProcess(path, arguments, environment: ProcessInfo.processInfo.environment, stopsWhenDropped: true)
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline, child.isRunning || !child.standardOutput.isFinished { usleep(2_000) }
    guard let exit = child.exit else {
        child.send(SIGKILL)
        throw SpawnFailed("\(path) still running after \(seconds) s")
    }
    return (exit, child.stdout)
}
